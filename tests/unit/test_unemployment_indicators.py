"""Department table, series and the pact comparison on the real file."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.core.config import RAW, REFERENCE
from lib.datasets.territory import region
from lib.indicators import unemployment as unemp
from lib.sources.chomage import read_unemployment
from tests.conftest import FIXTURES


@pytest.fixture(scope="module")
def ara():
    return region("84")


@pytest.fixture(scope="module")
def tidy(ara):
    frame, _ = read_unemployment(RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls")
    return unemp.for_region(frame, ara)


def test_department_table_has_named_departments_and_yearly_change(tidy, ara):
    table = unemp.department_table(tidy, ara, "2025-T3")
    assert list(table.columns) == unemp.TABLE_COLUMNS
    allier = table.set_index("code").loc["03"]
    assert allier["departement"] == "Allier" and allier["taux"] == 8.0
    # 2024-T3 Allier: 7.9 in the file -> +0.1 point
    assert allier["evolution_1an"] == pytest.approx(0.1)
    assert len(table) == 12


def test_changing_quarter_changes_table(tidy, ara):
    a = unemp.department_table(tidy, ara, "2025-T3")["taux"].tolist()
    b = unemp.department_table(tidy, ara, "2018-T4")["taux"].tolist()
    assert a != b


def test_shift_quarter_crosses_years():
    assert unemp.shift_quarter("2025-T1", 4) == "2024-T1"
    assert unemp.shift_quarter("2025-T1", 1) == "2024-T4"


def test_series_adds_region_and_france_when_present(ara):
    frame, _ = read_unemployment(FIXTURES / "unemployment" / "insee_complet.xlsx")
    series = unemp.series(unemp.for_region(frame, ara), ara, ["01"], "2024-T3")
    assert set(series["serie"]) >= {"01 – Ain", "Auvergne-Rhône-Alpes", "France métropolitaine"}
    assert set(series["serie"]) - {"01 – Ain", "Auvergne-Rhône-Alpes", "France métropolitaine"} <= {"France hors Mayotte"}


def test_pact_comparison_shows_revisions(tidy):
    reference = pd.read_csv(REFERENCE / "pact_ara_2019" / "unemployment_4t2018.csv", dtype={"code": str})
    comparison = unemp.compare_with_reference(tidy, reference).set_index("code")
    assert comparison.loc["01", "ecart"] == 0.0
    assert comparison.loc["03", "taux_reference"] == 9.3 and comparison.loc["03", "taux_fichier"] == 9.1
    assert comparison["ecart"].abs().max() <= 0.3  # revisions stay within a few tenths


def test_quarter_label():
    assert unemp.quarter_label("2025-T1") == "1er trimestre 2025"
    assert unemp.quarter_label("2018-T4") == "4e trimestre 2018"
