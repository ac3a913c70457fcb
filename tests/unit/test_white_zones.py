"""White zones on hand-made cases with known answers, and the export command."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from lib.core.config import ROOT
from lib.indicators import white_zones as wz

# Three communes on the 45th parallel: one degree of longitude there is 78.85 km.
COMMUNES = pd.DataFrame({
    "code": ["00001", "00002", "00003"], "name": ["Avec session", "Voisine", "Isolée"], "dep": ["01", "01", "02"],
    "population": [1000, 500, 200], "lon": [5.0, 5.2, 5.0 + 50 / 78.85], "lat": [45.0, 45.0, 45.0],
})


def _sessions(*points, nsf="331", certifying=True, start="2025-09", end="2026-06"):
    return pd.DataFrame({"lon": [p[0] for p in points], "lat": [p[1] for p in points], "nsf": nsf,
                         "certifying": certifying, "start_month": start, "end_month": end, "action_id": "x"})


def test_session_in_commune_is_not_white_and_far_commune_is():
    result = wz.nearest_sessions(COMMUNES, _sessions((5.0, 45.0)), threshold_km=30).set_index("code")
    assert result.loc["00001", "nearest_km"] == pytest.approx(0.0) and not result.loc["00001", "white"]
    assert result.loc["00002", "nearest_km"] == pytest.approx(15.77, abs=0.05) and not result.loc["00002", "white"]
    assert result.loc["00003", "nearest_km"] == pytest.approx(50.0, abs=0.2) and result.loc["00003", "white"]


def test_threshold_moves_the_boundary():
    result = wz.nearest_sessions(COMMUNES, _sessions((5.0, 45.0)), threshold_km=60).set_index("code")
    assert not result["white"].any()


def test_sessions_within_threshold_are_counted():
    sessions = _sessions((5.0, 45.0), (5.0, 45.0), (5.1, 45.0))
    result = wz.nearest_sessions(COMMUNES, sessions, threshold_km=10).set_index("code")
    assert result.loc["00001", "sessions_within"] == 3 and result.loc["00002", "sessions_within"] == 1


def test_no_matching_session_makes_every_commune_white():
    result = wz.nearest_sessions(COMMUNES, _sessions().iloc[0:0], threshold_km=30)
    assert result["white"].all() and (result["sessions_within"] == 0).all()


def test_filters():
    offer = pd.concat([_sessions((5.0, 45.0), nsf="331|332"), _sessions((5.2, 45.0), nsf="312", certifying=False),
                       _sessions((5.1, 45.0), nsf="221", start="2023-01", end="2023-06")], ignore_index=True)
    assert len(wz.OfferFilter(nsf=("33",)).apply(offer)) == 1  # group prefix
    assert len(wz.OfferFilter(nsf=("312", "221")).apply(offer)) == 2
    assert len(wz.OfferFilter(certifying_only=True).apply(offer)) == 2
    assert len(wz.OfferFilter(period=("2025-01", "2025-12")).apply(offer)) == 2  # the 2023 session is over


def test_department_summary_totals():
    result = wz.nearest_sessions(COMMUNES, _sessions((5.0, 45.0)), threshold_km=30)
    deps = pd.DataFrame({"code": ["01", "02"], "name": ["Un", "Deux"]})
    summary = wz.department_summary(result, deps, "Région test").set_index("dep")
    assert summary.loc["02", "white_population"] == 200 and summary.loc["01", "white_communes"] == 0
    assert summary.loc["TOTAL", "white_share"] == pytest.approx(200 / 1700)


def test_export_white_zones_cli():
    result = subprocess.run([sys.executable, "-m", "lib", "export", "white-zones", "--threshold-km", "20", "--nsf", "33",
                             "--certifying"], cwd=ROOT, capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    assert "démonstration" in result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"code": str, "dep": str, "white": str})
    assert list(table.columns) == ["code", "name", "dep", "population", "nearest_km", "sessions_within", "white"]
    assert len(table) == 4025 and set(table["white"]) <= {"true", "false"}
    assert ((table["nearest_km"] > 20) == table["white"].eq("true")).all()


def test_export_white_zones_bad_offer():
    result = subprocess.run([sys.executable, "-m", "lib", "export", "white-zones", "--offer",
                             str(ROOT / "tests/fixtures/lheo/billion_laughs.xml")], cwd=ROOT, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 2 and "DTD" in result.stderr and "Traceback" not in result.stderr
