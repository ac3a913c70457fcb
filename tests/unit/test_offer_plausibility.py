"""The offer's plausibility rules (issue 26): sessions over 4 years or ending before they start set aside,
coordinates far from their commune set aside, commune codes completed, files that are not an offer named,
an offer from another region said, job-seeker weights without denominators and an unreachable
``--min-population`` said. Figures: white communes, counts in the report."""
from __future__ import annotations

import gzip
import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lib.core.config import RAW, ROOT
from lib.core.errors import DataError
from lib.datasets import geometry, offer_in_use
from lib.indicators import where_to_act as wta
from lib.indicators import white_zones as wz
from lib.sources import lheo, lheo_checks, lheo_places
from lib.sources.communes import city_of_arrondissement, restore_leading_zero

REGION = "84"
PERIOD = ("2026-01", wz.OPEN_END)


def place(commune: str, postcode: str = "", lat: float | None = None, lon: float | None = None) -> str:
    geo = (f"<geolocalisation><latitude>{lat}</latitude><longitude>{lon}</longitude></geolocalisation>"
           if lat is not None else "")
    return (f"<lieu-de-formation><coordonnees><adresse><code-INSEE-commune>{commune}</code-INSEE-commune>"
            f"<codepostal>{postcode}</codepostal>{geo}</adresse></coordonnees></lieu-de-formation>")


def offer(*formations: tuple[str, str, str]) -> bytes:
    """An LHEO 2.2 file: one formation per (place XML, start, end)."""
    body = "".join(
        f"<formation numero='F{i}'><intitule-formation>Formation {i}</intitule-formation><certifiante>0</certifiante>"
        f"<action numero='A{i}'>{where}<session><periode><debut>{start}</debut><fin>{end}</fin></periode></session>"
        "</action></formation>" for i, (where, start, end) in enumerate(formations))
    return f"<?xml version='1.0' encoding='UTF-8'?><lheo xmlns='http://www.lheo.org/2.2'><offres>{body}</offres></lheo>".encode()


def white_count(frame: pd.DataFrame, threshold: float = 30.0) -> int:
    communes = geometry.communes(REGION)[["code", "name", "dep", "population", "lon", "lat"]]
    sessions = wz.OfferFilter(period=PERIOD).apply(frame)
    return int(wz.nearest_sessions(communes, sessions, threshold)["white"].sum())


VALENCE = place("26362")
AURILLAC = place("15014")  # Cantal: far from Valence, so its session changes the white communes


def test_a_session_of_twenty_years_is_set_aside_and_counted():
    normal = offer((VALENCE, "20260901", "20270301"))
    stretched = offer((VALENCE, "20260901", "20270301"), (AURILLAC, "20090101", "20291231"))
    real = offer((VALENCE, "20260901", "20270301"), (AURILLAC, "20260901", "20270301"))
    base, _, _, _ = offer_in_use.load_offer(REGION, normal, "o.xml")
    frame, report, _, _ = offer_in_use.load_offer(REGION, stretched, "o.xml")
    both, _, _, _ = offer_in_use.load_offer(REGION, real, "o.xml")
    # The 2009–2029 session counts for nothing: the same white communes as without it…
    assert len(frame) == 1 and white_count(frame) == white_count(base)
    # …while a real session at Aurillac takes communes out of white zones (the rule matters).
    assert white_count(both) < white_count(base) - 50
    assert report.excluded[lheo_checks.LONG_SESSION] == 1
    assert any("2009-01-01 au 2029-12-31" in w and "Formation 1" in w for w in report.warnings)
    assert "1 " + lheo_checks.LONG_SESSION in report.summary()


def test_three_year_apprenticeship_is_kept_and_an_end_before_the_start_is_not():
    frame, report = lheo.read_lheo(offer((VALENCE, "20240902", "20270930"), (AURILLAC, "20270101", "20260101")), "o.xml")
    assert frame["commune"].tolist() == ["26362"]  # 37 months kept, the reversed one set aside
    assert report.excluded == {lheo_checks.REVERSED_SESSION: 1}


def test_coordinates_300_km_from_their_commune_are_set_aside_and_the_commune_used():
    # Lyon's code with Brest's coordinates (about 750 km away), and a right one beside it.
    data = offer((place("69123", "69001", 48.39, -4.49), "20260901", "20270301"),
                 (place("26362", "26000", 44.93, 4.89), "20260901", "20270301"))
    frame, report, counts, _ = offer_in_use.load_offer(REGION, data, "o.xml")
    lyon = frame[frame["commune"].eq("69123")].iloc[0]
    assert lyon["located_by"] == "commune" and lyon["coord_issue"] == lheo_places.FAR_ISSUE
    assert lyon["lat"] == pytest.approx(45.76, abs=0.1)
    assert counts == {"coordonnees": 1, "commune": 1}
    assert any("coordonnées écartées pour 1 session(s)" in w and "commune 69123" in w for w in report.warnings)


def test_coordinates_far_beyond_a_distant_department_are_set_aside():
    # Brest's code (not loaded for the region) with Lyon's coordinates: 29's circle is far from Lyon.
    data = offer((place("29019", "", 45.76, 4.83), "20260901", "20270301"), (VALENCE, "20260901", "20270301"))
    frame, report, counts, _ = offer_in_use.load_offer(REGION, data, "o.xml")
    assert counts.get("non_localise") == 1 and frame["lat"].notna().sum() == 1
    assert report.rejected["lieu non localisable (ni coordonnées, ni commune, ni code postal connus)"] == 1
    # without the rule, Lyon's point would have taken communes out of white zones
    assert white_count(frame) == white_count(offer_in_use.load_offer(REGION, offer((VALENCE, "20260901", "20270301")),
                                                                      "o.xml")[0])


def test_commune_codes_completed_and_arrondissements_read_as_their_city():
    data = offer((place("3190"), "20260901", "20270301"), (place("69383"), "20260901", "20270301"))
    frame, report, counts, _ = offer_in_use.load_offer(REGION, data, "o.xml")
    assert sorted(frame["commune"]) == ["03190", "69123"] and counts == {"commune": 2}
    notes = " ".join(report.notes)
    assert "1 codes commune complétés d'un zéro initial (ex. 1053 → 01053)." in notes
    assert "1 code(s) d'arrondissement municipal (ex. 69383) rapporté(s) à leur commune" in notes
    codes, n = restore_leading_zero(pd.Series(["3190", "03190", "1053.0", ""]))
    assert codes.tolist() == ["03190", "03190", "01053", ""] and n == 2
    assert city_of_arrondissement(pd.Series(["13201", "75120", "69123"]))[0].tolist() == ["13055", "75056", "69123"]


def test_located_counts_in_words():
    assert lheo.located_text({"coordonnees": 5, "non_localise": 1}) == \
        "5 localisées par leurs coordonnées, 1 non localisée"
    assert lheo.located_text({"commune": 1, "code_postal": 2}) == \
        "1 localisée par son code commune, 2 localisées par leur code postal"


def test_files_that_are_not_an_offer_are_named():
    xml = (RAW / "lheo" / "exemple-leger.xml").read_bytes()
    with pytest.raises(DataError, match="fichier compressé gzip"):
        lheo.read_lheo(gzip.compress(xml), "offre.xml.gz")
    insee = (RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls").read_bytes()
    with pytest.raises(DataError, match="classeur Insee des taux de chômage localisés : déposez-le sur la carte"):
        lheo.read_lheo(insee, "offre.xml")
    buffer = io.BytesIO()
    pd.DataFrame({"a": [1]}).to_excel(buffer)
    with pytest.raises(DataError, match="classeur Excel .xlsx, pas un export LHEO"):
        lheo.read_lheo(buffer.getvalue(), "offre.xml")


def _all_in_finistere() -> bytes:
    return offer((place("29019", "29200", 48.39, -4.49), "20260901", "20270301"),
                 (place("29232", "29000"), "20260901", "20270301"))


def test_an_offer_with_no_place_in_the_region_is_said():
    frame, report, _, _ = offer_in_use.load_offer(REGION, _all_in_finistere(), "o.xml")
    assert frame["in_region"].sum() == 0 and white_count(frame) == len(geometry.communes(REGION))
    text = wz.outside_region_text(frame, "Auvergne-Rhône-Alpes")
    assert text.startswith("Aucun lieu de session de l'offre n'est dans la région Auvergne-Rhône-Alpes")
    assert "(départements 29)" in text
    own, _, _, _ = offer_in_use.load_offer(REGION, offer((VALENCE, "20260901", "20270301")), "o.xml")
    assert own["in_region"].tolist() == [True] and wz.outside_region_text(own, "Auvergne-Rhône-Alpes") is None


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, capture_output=True, text=True, timeout=180)


def test_cli_says_an_offer_from_elsewhere_and_proposes_no_site(tmp_path):
    path = tmp_path / "bretagne.xml"
    path.write_bytes(_all_in_finistere())
    white = _run("export", "white-zones", "--offer", str(path), "--from", "2026-01")
    assert white.returncode == 0 and "Attention : Aucun lieu de session de l'offre n'est dans la région" in white.stderr
    where = _run("export", "where-to-act", "--k", "3", "--offer", str(path), "--from", "2026-01")
    assert where.returncode == 2 and where.stdout == ""
    assert "Aucun site proposé" in where.stderr and "Aucun lieu de session" in where.stderr


def test_cli_says_no_commune_reaches_min_population():
    done = _run("export", "where-to-act", "--k", "2", "--min-population", "2000000")
    assert done.returncode == 2 and done.stdout == ""
    assert "--min-population : Aucune commune de la région n'atteint 2\u202f000\u202f000 habitants (la plus peuplée, Lyon" in \
        done.stderr


def _communes() -> pd.DataFrame:
    return pd.DataFrame({"code": ["01001", "01002", "03001"], "name": ["A", "B", "C"], "dep": ["01", "01", "03"],
                         "population": [100, 300, 1000], "lon": [5.0, 5.1, 3.0], "lat": [46.0, 46.0, 46.3]})


def test_job_seeker_weights_name_the_departments_without_denominators():
    weights, how = wta.weights_for("job_seekers", _communes(), job_seekers=pd.DataFrame({"dep": ["01"], "job_seekers": [40]}))
    assert weights.tolist() == [10.0, 30.0, 0.0]
    assert "aucun dénominateur pour le(s) département(s) 03 : leurs communes ne comptent pas (poids nul)" in how
    assert wta.missing_job_seekers(_communes(), pd.DataFrame({"dep": ["01", "03"], "job_seekers": [1, np.nan]})) == ["03"]


def test_no_candidate_site_is_said():
    communes = _communes()
    problem = wta.build(communes, np.array([True, True, True]), communes["population"].to_numpy(), 30, 5000)
    assert "Aucune commune de la région n'atteint 5\u202f000 habitants (la plus peuplée, C, en compte 1\u202f000)" in \
        wta.candidates_text(problem)
    far = wta.build(communes, np.array([True, False, False]), communes["population"].to_numpy(), 5, 500)
    assert wta.candidates_text(far).startswith("Aucune commune d'au moins 500 habitants n'est à moins de 5 km")
    assert wta.candidates_text(wta.build(communes, np.array([True, True, True]), communes["population"].to_numpy(), 30)) is None
