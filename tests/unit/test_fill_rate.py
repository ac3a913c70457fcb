"""The fill rate (places filled / places opened, issue 27) on files written for the purpose, with known answers:
an LHEO 2.2 offer of three 2021 sessions opening 12, 10 and 8 places (the second in two places) and one 2022
session, and records carrying the session entered."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.indicators.fill_rate import FillRate, fill_rate, fill_rate_by_dep
from lib.sources import lheo
from lib.sources.records import read_records

NS = "http://www.lheo.org/2.2"


def _place(commune: str) -> str:
    return (f"<lieu-de-formation><coordonnees><adresse><code-INSEE-commune>{commune}</code-INSEE-commune>"
            "</adresse></coordonnees></lieu-de-formation>")


def _funder(places: str) -> str:
    return f"<organisme-financeur><code-financeur>2</code-financeur><nb-places-financees>{places}</nb-places-financees>" \
           "</organisme-financeur>"


def _action(numero: str, places: list[str], communes: list[str], session: str, start: str, end: str) -> str:
    return (f"<formation numero='F-{numero}'><intitule-formation>Formation {numero}</intitule-formation>"
            f"<action numero='{numero}'>{''.join(_place(c) for c in communes)}"
            f"<session numero='{session}'><periode><debut>{start}</debut><fin>{end}</fin></periode></session>"
            f"{''.join(_funder(p) for p in places)}</action></formation>")


def _offer(s1: str = "12", s3: tuple[str, str] = ("5", "3")) -> bytes:
    formations = [
        _action("A1", [s1], ["69123"], "S1", "20210301", "20210630"),
        _action("A2", ["10"], ["69123", "01053"], "S2", "20210906", "20211217"),  # one session, two places
        _action("A3", list(s3), ["01053"], "S3", "20211004", "20220128"),  # two funders: 5 + 3
        _action("A4", ["20"], ["69123"], "S4", "20220110", "20220610"),  # another year
    ]
    return (f"<?xml version='1.0' encoding='UTF-8'?><lheo xmlns='{NS}'><offres>{''.join(formations)}</offres>"
            "</lheo>").encode()


# 25 entries in 2021: 10 into S1, 9 into S2 (written « s 2 » for some: no case, no spaces), 6 into action A3;
# 3 in 2022 into S4.
SESSIONS_2021 = ["S1"] * 10 + ["S2"] * 6 + [" s 2"] * 3 + ["a3"] * 6


def _records(ids_2021: list[str] = SESSIONS_2021, with_column: bool = True) -> bytes:
    rows = [(f"E{n}", f"P{n}", "2021-09-15", "01053", session) for n, session in enumerate(ids_2021)]
    rows += [(f"F{n}", f"Q{n}", "2022-02-01", "69123", "S4") for n in range(3)]
    frame = pd.DataFrame(rows, columns=["entry_id", "person_id", "entry_date", "residence_commune", "id_session"])
    frame["outcome"] = "en_cours"
    if not with_column:
        frame = frame.drop(columns=["id_session"])
    return frame.to_csv(index=False).encode()


def _read(offer: bytes | None = None, records: bytes | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame, _ = lheo.read_lheo(offer or _offer(), "offre.xml")
    entries, _ = read_records(records or _records(), "entrees.csv", as_of="2022-12-31")
    return frame, entries


def test_places_are_read_from_the_funders_and_the_session_number_is_kept():
    offer, _ = _read()
    by_session = offer.groupby("session_no")["places"].agg(["first", "size"])
    assert by_session["first"].to_dict() == {"S1": 12.0, "S2": 10.0, "S3": 8.0, "S4": 20.0}
    assert by_session.loc["S2", "size"] == 2  # one row per place, same places


def test_known_answer_25_filled_of_30_opened():
    offer, entries = _read()
    assert entries["session_id"].tolist()[:2] == ["S1", "S1"]
    rate = fill_rate(offer, entries, None, 2021)
    assert rate == FillRate(25, 30, None, "")
    assert rate.value == pytest.approx(25 / 30)
    assert fill_rate(offer, entries, ["01", "69"], 2022) == FillRate(3, 20, None, "")


def test_a_session_with_two_places_counts_its_places_once_and_in_each_department():
    offer, entries = _read()
    by_dep = fill_rate_by_dep(offer, entries, ["01", "69", "38"], 2021).set_index("dep")
    assert by_dep.loc["69", ["numerator", "denominator"]].tolist() == [19, 22]  # S1 12 + S2 10
    assert by_dep.loc["01", ["numerator", "denominator"]].tolist() == [15, 18]  # S2 10 + S3 8
    assert pd.isna(by_dep.loc["38", "numerator"])
    assert by_dep.loc["38", "reason"] == ("Aucune session de l'offre ne commence en 2021 dans le département 38 : "
                                          "taux non calculable.")


def test_records_without_the_session_column_are_not_calculable_and_not_warned_about():
    offer, _ = _read()
    entries, report = read_records(_records(with_column=False), "entrees.csv", as_of="2022-12-31")
    assert "session" not in " ".join(report.warnings)  # optional: said only where the fill rate is shown
    assert entries["session_id"].eq("").all()
    rate = fill_rate(offer, entries, None, 2021)
    assert (rate.numerator, rate.denominator) == (None, None)
    assert rate.reason.startswith("Les entrées ne portent pas l'identifiant de la session")


def test_unknown_identifiers_are_counted_and_said():
    offer, entries = _read(records=_records(SESSIONS_2021[:22] + ["ZZ9", "ZZ9", ""]))
    rate = fill_rate(offer, entries, None, 2021)
    assert (rate.numerator, rate.denominator) == (None, None)
    assert rate.reason == ("3 entrée(s) sur 25 en 2021 sans session reconnue dans l'offre (1 sans identifiant, "
                           "2 à l'identifiant inconnu de l'offre, 0 à l'identifiant ambigu) : plus de 5 %, "
                           "taux non calculable.")


def test_one_unknown_identifier_in_twenty_nine_is_left_out_and_said():
    ids = SESSIONS_2021 + ["S3", "S3", "S1", "ZZ9"]  # 28 known of 29 (3,4 % unknown, under 5 %), places 30
    offer, entries = _read(records=_records(ids))
    rate = fill_rate(offer, entries, None, 2021)
    assert (rate.numerator, rate.denominator, rate.reason) == (28, 30, None)
    assert rate.note.startswith("1 entrée(s) sur 29 en 2021 sans session reconnue")


def test_more_entries_than_places_is_incoherent():
    offer, entries = _read(offer=_offer(s1="2"))
    rate = fill_rate(offer, entries, None, 2021)
    assert rate.reason == ("Plus d'entrées rattachées aux sessions (25) que de places ouvertes (20) en 2021 : "
                           "données incohérentes, taux non calculable.")


def test_an_offer_without_places_or_with_unreadable_ones():
    plain = _offer().replace(b"nb-places-financees", b"autre")
    offer, entries = _read(offer=plain)
    assert offer["places"].isna().all()
    assert fill_rate(offer, entries, None, 2021).reason.startswith("L'offre de formation ne donne pas le nombre de places")
    unreadable, report = lheo.read_lheo(_offer(s3=("5", "trois")), "offre.xml")
    assert unreadable.loc[unreadable["session_no"].eq("S3"), "places"].isna().all()  # never 5, never 0
    assert any("nb-places-financees « trois »" in w for w in report.warnings)
    rate = fill_rate(unreadable, entries, None, 2021)
    assert rate.reason == ("Nombre de places absent ou illisible pour 1 session(s) sur 3 commençant en 2021 "
                           "(plus de 5 %) : taux non calculable.")


def test_no_session_that_year_and_no_entry_that_year():
    offer, entries = _read()
    assert fill_rate(offer, entries, None, 2019).reason == ("Aucune session de l'offre ne commence en 2019 : "
                                                            "taux non calculable.")
    assert fill_rate(offer, entries[entries["year"] != 2021], None, 2021).reason.startswith(
        "Aucune entrée importée pour 2021")


def test_an_identifier_naming_sessions_in_and_out_of_scope_is_ambiguous():
    # A session number repeated in two actions: « S1 » in 2021 (counted) and in 2022 (not).
    twice = _offer().replace(b"numero='S4'", b"numero='S1'")
    offer, entries = _read(offer=twice)
    rate = fill_rate(offer, entries, None, 2021)
    assert rate.numerator is None and "10 à l'identifiant ambigu" in rate.reason
