"""Classes of LHEO offers that used to give a wrong figure without a word (issue 19): the same
sessions read twice, periods and dates, parser messages, offers with nothing to count."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from lib.core.config import RAW, ROOT
from lib.core.errors import DataError
from lib.datasets import offer_in_use
from lib.indicators import offer
from lib.indicators import white_zones as wz
from lib.sources import lheo, lheo_values
from tests.conftest import zipped

NS = "http://www.lheo.org/2.2"


def _session(debut: str, fin: str, numero: str | None = None) -> str:
    attr = f' numero="{numero}"' if numero else ""
    return f"<session{attr}><periode><debut>{debut}</debut><fin>{fin}</fin></periode></session>"


def _place(commune: str = "63113", lat: float = 45.78, lon: float = 3.08) -> str:
    return (f"<lieu-de-formation><coordonnees><adresse><code-INSEE-commune>{commune}</code-INSEE-commune>"
            f"<geolocalisation><latitude>{lat}</latitude><longitude>{lon}</longitude></geolocalisation>"
            "</adresse></coordonnees></lieu-de-formation>")


def _formation(numero: str | None, sessions: list[str], places: list[str] | None = None, nsf: str = "331",
               title: str = "Aide-soignant", action: str | None = "A") -> str:
    f_attr = f' numero="{numero}"' if numero else ""
    a_attr = f' numero="{numero}-{action}"' if numero and action else ""
    return (f"<formation{f_attr}><domaine-formation><code-NSF>{nsf}</code-NSF></domaine-formation>"
            f"<intitule-formation>{title}</intitule-formation><certifiante>1</certifiante>"
            f"<action{a_attr}>{''.join(places or [_place()])}{''.join(sessions)}</action></formation>")


def _offer(*formations: str) -> bytes:
    return f"<?xml version='1.0' encoding='UTF-8'?><lheo xmlns='{NS}'><offres>{''.join(formations)}</offres></lheo>".encode()



TWO_FORMATIONS = _offer(
    _formation("F1", [_session("20260105", "20260630"), _session("20260907", "20270131")]),
    _formation("F2", [_session("20260301", "20260615")], [_place("63113"), _place("15014", 44.93, 2.44)]),
)


# --- 1. The same sessions read twice ---------------------------------------------------------------

def test_the_same_xml_twice_in_a_zip_counts_each_session_once():
    once, report_once = lheo.read_lheo(TWO_FORMATIONS, "offre.xml")
    twice, report = lheo.read_lheo(zipped({"a.xml": TWO_FORMATIONS, "copie/a.xml": TWO_FORMATIONS}), "export.zip")
    assert len(once) == 4 and not report_once.warnings
    pd.testing.assert_frame_equal(twice, once)
    # The identical file is recognised by its content and read once: its offers are not counted twice.
    assert report.rows_read == report_once.rows_read == 2 and not report.warnings
    assert ("2 fichiers XML identiques dans l'archive (« a.xml », « copie/a.xml ») : lus une fois." in report.notes)
    assert "Archive : 1 fichier(s) XML lu(s)." in report.notes


def test_the_same_sessions_in_two_different_files_are_merged_and_counted_in_french():
    other = TWO_FORMATIONS.replace(b"<offres>", b"<offres><!-- second export -->", 1)
    assert other != TWO_FORMATIONS
    twice, report = lheo.read_lheo(zipped({"a.xml": TWO_FORMATIONS, "b.xml": other}), "export.zip")
    assert len(twice) == 4 and report.rows_read == 4
    assert report.warnings == ["4 session(s) × lieu(x) en double fusionnée(s) (même formation, même action, même "
                               "numéro de session, mêmes dates et même lieu), chacune comptée une fois"]


def test_a_formation_repeated_in_the_export_is_merged_but_its_other_sessions_stay():
    repeated = _offer(_formation("F1", [_session("20260105", "20260630")]),
                      _formation("F1", [_session("20260105", "20260630"), _session("20260907", "20270131")]))
    frame, report = lheo.read_lheo(repeated, "offre.xml")
    assert frame["start"].tolist() == ["2026-01-05", "2026-09-07"]
    assert report.warnings[0].startswith("1 session(s) × lieu(x) en double fusionnée(s)")


def test_two_different_sessions_of_one_formation_stay_two():
    sessions = [_session("20260105", "20260630", "S1"), _session("20260105", "20260630", "S2"),  # two groups
                _session("20260907", "20270131")]
    frame, report = lheo.read_lheo(_offer(_formation("F1", sessions, [_place("63113"), _place("15014", 44.93, 2.44)])),
                                   "offre.xml")
    assert len(frame) == 6 and not report.warnings  # 3 sessions x 2 places


def test_identical_sessions_without_any_number_are_merged_by_content():
    same = _formation(None, [_session("20260105", "20260630")])
    other = _formation(None, [_session("20260105", "20260630")], title="Cuisinier", nsf="221")
    frame, report = lheo.read_lheo(_offer(same, same, other), "offre.xml")
    assert frame["title"].tolist() == ["Aide-soignant", "Cuisinier"]
    assert report.warnings[0].startswith("1 session(s) × lieu(x) en double fusionnée(s)")


def test_light_format_read_twice_counts_once():
    example = (RAW / "lheo" / "exemple-leger.xml").read_bytes()
    frame, report = lheo.read_lheo(zipped({"a.xml": example, "b.xml": example + b"\n"}), "export.zip")
    assert len(frame) == 1 and "1 session(s) × lieu(x) en double" in report.warnings[0]


def test_a_doubled_offer_gives_the_same_white_zone_figures():
    communes = pd.DataFrame({"code": ["63113", "15014"], "name": ["Clermont", "Aurillac"], "dep": ["63", "15"],
                             "population": [147000, 25000], "lon": [3.08, 2.44], "lat": [45.78, 44.93]})
    once, _ = lheo.read_lheo(TWO_FORMATIONS, "offre.xml")
    twice, _ = lheo.read_lheo(zipped({"a.xml": TWO_FORMATIONS, "b.xml": TWO_FORMATIONS}), "export.zip")
    result = wz.nearest_sessions(communes, wz.OfferFilter().apply(twice), 30.0).set_index("code")
    assert result.loc["63113", "sessions_within"] == 3 and result.loc["15014", "sessions_within"] == 1
    pd.testing.assert_frame_equal(wz.nearest_sessions(communes, wz.OfferFilter().apply(once), 30.0),
                                  result.reset_index())


# --- 4. An offer with nothing to count -------------------------------------------------------------

@pytest.mark.parametrize("xml", [_offer(), f"<lheo xmlns='{NS}'/>".encode(), b"<lheo-leger></lheo-leger>"])
def test_an_offer_without_any_formation_is_refused_in_french(xml):
    with pytest.raises(DataError) as caught:
        lheo.read_lheo(xml, "vide.xml")
    assert str(caught.value) == ("« vide.xml » ne contient aucune formation (ni formation, ni offre-formation, ni "
                                 "resume-offre sous l'élément racine) : l'export est vide ou incomplet ; demandez un "
                                 "export de l'offre.")


def test_an_offer_whose_formations_all_lack_an_action_is_refused():
    xml = _offer("<formation numero='F1'><intitule-formation>Sans action</intitule-formation></formation>" * 2)
    with pytest.raises(DataError) as caught:
        lheo.read_lheo(xml, "o.xml")
    assert str(caught.value) == ("« o.xml » ne contient aucune formation exploitable : 2 offre(s) lue(s), toutes "
                                 "écartées (offre sans action (2)).")


def test_an_empty_member_of_an_archive_is_named():
    frame, report = lheo.read_lheo(zipped({"a.xml": TWO_FORMATIONS, "vide.xml": _offer()}), "export.zip")
    assert len(frame) == 4 and report.warnings == ["« export.zip › vide.xml » ne contient aucune formation"]


# --- 2. Session dates and the period ---------------------------------------------------------------

@pytest.mark.parametrize(("written", "end", "expected"), [
    ("20250901", False, ("2025-09-01", "2025-09", "")),
    ("20250900", False, ("2025-09", "2025-09", "")),
    ("20250000", False, ("2025", "2025-01", "")),  # a year alone: the widest reading
    ("20250000", True, ("2025", "2025-12", "")),
    ("01/09/2025", False, ("2025-09-01", "2025-09", "")),
    ("2025-09-01T00:00:00", False, ("2025-09-01", "2025-09", "")),
    ("2025-09-01", False, ("2025-09-01", "2025-09", "")),
    ("1er septembre 2025", False, ("2025-09-01", "2025-09", "")),
    ("15 Décembre 2025", True, ("2025-12-15", "2025-12", "")),
    ("00000000", False, ("", "", "inconnue")),
    ("99999999", True, ("", "", "inconnue")),  # LHEO's unknown end
    ("", True, ("", "", "inconnue")),
    ("31/02/2025", False, ("", "", "illisible")),
    ("20171300", False, ("", "", "illisible")),
    ("à la rentrée", False, ("", "", "illisible")),
])
def test_session_dates_are_read_or_said_unreadable(written, end, expected):
    assert lheo_values.read_lheo_date(written, end=end) == expected


def _dated_offer() -> bytes:
    return _offer(_formation("F1", [
        _session("20240105", "20240630", "over"),            # ended before the period
        _session("01/09/2026", "2027-01-31T00:00:00", "on"),  # running, other writings
        _session("1er mars 2028", "20280630", "later"),       # begins after the period
        _session("20261000", "99999999", "open"),             # unknown end: running on, said
        _session("20260901", "31/02/2027", "bad"),            # unreadable end: never counted as running
        _session("00000000", "20270630", "nostart"),          # unknown start
    ]))


def test_dates_a_file_cannot_place_in_time_are_counted_at_reading():
    frame, report = lheo.read_lheo(_dated_offer(), "offre.xml")
    assert frame["date_issue"].tolist() == ["", "", "", "fin inconnue", "date illisible", "début inconnu"]
    assert frame.loc[1, ["start", "end"]].tolist() == ["2026-09-01", "2027-01-31"]
    assert ("1 session(s) × lieu(x) aux dates illisibles (ex. « 31/02/2027 ») : non comptées dès qu'une période est "
            "choisie") in report.warnings
    assert "1 session(s) × lieu(x) sans date de début : non comptées dès qu'une période est choisie" in report.warnings


def test_period_counts_say_what_the_period_sets_aside():
    frame, _ = lheo.read_lheo(_dated_offer(), "offre.xml")
    chosen = wz.OfferFilter(period=("2026-12", wz.OPEN_END))
    counts = chosen.period_counts(frame)
    assert counts == {"retenue": 3, "terminée avant": 1, "commencée après": 0, "dates illisibles": 1,
                      "sans date de début": 1, "fin inconnue": 1}
    assert chosen.apply(frame)["start"].tolist() == ["2026-09-01", "2028-03-01", "2026-10"]
    assert offer.period_note(counts, chosen.period) == (
        "Sessions en cours ou à venir à partir de 12/2026 (sans fin) : 3 session(s) × lieu(x) retenue(s), dont 1 sans "
        "date de fin, comptée(s) comme en cours ; non comptées : 1 terminée(s) avant la période, 1 aux dates illisibles, "
        "1 sans date de début.")
    bounded = wz.OfferFilter(period=("2026-01", "2027-12"))
    assert bounded.period_counts(frame)["commencée après"] == 1 and len(bounded.apply(frame)) == 2


def test_page_and_command_line_share_one_default_period():
    today = pd.Timestamp("2026-12-05")
    assert wz.default_period(today) == ("2026-12", wz.OPEN_END) == wz.cli_period(None, None, today)
    assert wz.cli_period("2025-01", None, today) == ("2025-01", wz.OPEN_END)
    options = wz.period_options(["2024-09", "2025-03"], today)
    assert options == ["2024-09", "2025-03", "2026-12", wz.OPEN_END]  # the default is always a choice
    assert [offer.month_label(m) for m in options[-2:]] == ["12/2026", "sans fin"]


def test_the_command_line_says_expired_sessions_and_an_empty_result(tmp_path):
    path = tmp_path / "ancienne.xml"
    path.write_bytes(_offer(_formation("F1", [_session("20200105", "20200630"), _session("20210105", "20210630")])))
    result = subprocess.run([sys.executable, "-m", "lib", "export", "white-zones", "--offer", str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    month = offer.month_label(wz.default_period()[0])
    assert (f"Sessions en cours ou à venir à partir de {month} (sans fin) : 0 session(s) × lieu(x) retenue(s) ; non "
            "comptées : 2 terminée(s) avant la période.") in result.stderr
    assert "Attention : aucune session ne correspond aux filtres : toute la région apparaît en zone blanche." in result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"white": str})
    assert len(table) == 4025 and table["white"].eq("true").all()


# --- The page (AppTest) ----------------------------------------------------------------------------

@pytest.fixture
def page():
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=150)
    at.run()
    at.switch_page("pages/zones_blanches.py").run()
    assert not at.exception and not at.error
    return at


def _metric(at, label: str) -> int:
    return int(next(m for m in at.metric if m.label == label).value.replace("\u202f", ""))


def test_the_page_counts_the_command_lines_default_period_and_says_what_is_over(page):
    located, _, _, _ = offer_in_use.load_offer("84")
    chosen = wz.OfferFilter(period=wz.default_period())
    counts = chosen.period_counts(located)
    assert tuple(page.select_slider(key="wz_period").value) == wz.default_period()
    assert _metric(page, "Sessions retenues") == counts["retenue"] == len(chosen.apply(located))
    assert counts["terminée avant"] > 0
    assert offer.period_note(counts, wz.default_period()) in [i.value for i in page.info]


def test_the_page_says_when_no_session_is_left(page):
    old = _offer(_formation("F1", [_session("20200105", "20200630")]), _formation("F2", [_session("20210105", "20210630")]))
    page.file_uploader(key="offer_upload").set_value(("ancienne.xml", old, "text/xml")).run()
    assert not page.exception and not page.error
    warning = next(w.value for w in page.warning if offer.NO_SESSION_TEXT in w.value)
    assert "non comptées : 2 terminée(s) avant la période" in warning
    assert _metric(page, "Sessions retenues") == 0 and _metric(page, "Communes en zone blanche") == 4025


def test_the_page_refuses_an_offer_without_formation(page):
    page.file_uploader(key="offer_upload").set_value(("vide.xml", _offer(), "text/xml")).run()
    assert not page.exception
    assert any("« vide.xml » ne contient aucune formation" in e.value for e in page.error)
    assert any("Offre de démonstration" in w.value for w in page.warning)  # the demonstration offer stays, and is said
