"""One white zone everywhere: the Fiche and the Diagnostic count the sessions of the Zones blanches
page's default period (sessions over for years used to count on the Fiche and not on the page)."""
from __future__ import annotations

import pandas as pd

from lib.datasets.in_use import Datasets
from lib.indicators import white_zones as wz
from lib.views import common, diagnostic, fiche

REGION = "84"
DS = Datasets(REGION)


def _white_by_dep(period) -> pd.Series:
    result = common.white_zones(DS, (), False, period, wz.DEFAULT_THRESHOLD_KM)
    return result[result["white"]].groupby("dep")["population"].sum()


def test_the_sheet_and_the_diagnosis_count_the_pages_default_period():
    period = wz.default_period()
    assert common.offer_period() == period
    expected = _white_by_dep(period)
    everything = _white_by_dep(None)
    assert (expected >= everything.reindex(expected.index, fill_value=0)).all()  # fewer sessions, more white
    for dep in ("01", "15", "69"):
        sheet = fiche.department_sheet(DS, dep, "2024", period)["figures"]
        assert sheet.white_population == int(expected.get(dep, 0))
        assert sheet.offer_period.startswith("en cours ou à venir à partir de ")
    raw = diagnostic.diagnosis_inputs(DS, "2024", period)["raw"].set_index("dep")
    white = common.white_summary(DS, wz.DEFAULT_THRESHOLD_KM, period=period).set_index("dep")
    assert (white.loc[raw.index, "white_population"] == expected.reindex(raw.index, fill_value=0)).all()


def test_an_older_period_gives_the_older_figures():
    old = ("2025-01", "2025-06")
    sheet = fiche.department_sheet(DS, "01", "2024", old)["figures"]
    assert sheet.white_population == int(_white_by_dep(old).get("01", 0))
    assert sheet.offer_period == "active entre 01/2025 et 06/2025"
