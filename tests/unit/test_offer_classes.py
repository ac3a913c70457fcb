"""Classes of LHEO offers that used to give a wrong figure without a word (issue 19): the same
sessions read twice, periods and dates, parser messages, offers with nothing to count."""
from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

from lib.config import RAW
from lib.errors import DataError
from lib.indicators import white_zones as wz
from lib.sources import lheo

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


def _zip(**members: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


TWO_FORMATIONS = _offer(
    _formation("F1", [_session("20260105", "20260630"), _session("20260907", "20270131")]),
    _formation("F2", [_session("20260301", "20260615")], [_place("63113"), _place("15014", 44.93, 2.44)]),
)


# --- 1. The same sessions read twice ---------------------------------------------------------------

def test_the_same_xml_twice_in_a_zip_counts_each_session_once():
    once, report_once = lheo.read_lheo(TWO_FORMATIONS, "offre.xml")
    twice, report = lheo.read_lheo(_zip(**{"a.xml": TWO_FORMATIONS, "copie/a.xml": TWO_FORMATIONS}), "export.zip")
    assert len(once) == 4 and not report_once.warnings
    pd.testing.assert_frame_equal(twice, once)
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
    frame, report = lheo.read_lheo(_zip(**{"a.xml": example, "b.xml": example}), "export.zip")
    assert len(frame) == 1 and "1 session(s) × lieu(x) en double" in report.warnings[0]


def test_a_doubled_offer_gives_the_same_white_zone_figures():
    communes = pd.DataFrame({"code": ["63113", "15014"], "name": ["Clermont", "Aurillac"], "dep": ["63", "15"],
                             "population": [147000, 25000], "lon": [3.08, 2.44], "lat": [45.78, 44.93]})
    once, _ = lheo.read_lheo(TWO_FORMATIONS, "offre.xml")
    twice, _ = lheo.read_lheo(_zip(**{"a.xml": TWO_FORMATIONS, "b.xml": TWO_FORMATIONS}), "export.zip")
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
    frame, report = lheo.read_lheo(_zip(**{"a.xml": TWO_FORMATIONS, "vide.xml": _offer()}), "export.zip")
    assert len(frame) == 4 and report.warnings == ["« export.zip › vide.xml » ne contient aucune formation"]
