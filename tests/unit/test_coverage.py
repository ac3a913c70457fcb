"""The department coverage table (export contract) and the commune-level layer."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from lib.core.config import ROOT
from lib.datasets.territory import region
from lib.indicators import coverage


@pytest.fixture(scope="module")
def ara():
    return region("84")


@pytest.fixture(scope="module")
def territories(ara):
    return coverage.build(ara, "2015")


@pytest.fixture(scope="module")
def territories_2024(ara):
    return coverage.build(ara)


def test_department_table_contract(ara, territories):
    table = coverage.department_coverage(ara, territories)
    assert list(table.columns) == coverage.COVERAGE_COLUMNS
    assert table["dep"].tolist() == [*ara.dep_codes, "TOTAL"]
    total = table.set_index("dep").loc["TOTAL"]
    assert total["communes"] == 4025 and total["population"] == 8205557
    assert total["qpv_count"] == 140 and total["qpv_population"] == 403543
    assert total["zrr_communes"] == 1695  # 1 693 classées + 2 partiellement (after merges)
    assert total["frr_communes"] == 1917  # socle 1 610 + FRR+ 154 + bénéficiaire 151 + partiel 2
    assert total["qpv_share"] == pytest.approx(403543 / 8205557)
    rhone = table.set_index("dep").loc["69"]
    assert rhone["qpv_count"] == 43 and rhone["dep_name"] == "Rhône"
    # Departments add up to the total.
    assert table[table["dep"].ne("TOTAL")]["zrr_population"].sum() == total["zrr_population"]


def test_default_list_is_2024(ara, territories_2024):
    assert territories_2024.qpv_list.key == "2024" and territories_2024.qpv_list.census == 2020
    table = coverage.department_coverage(ara, territories_2024).set_index("dep")
    assert table.loc["TOTAL", "qpv_count"] == 145 and table.loc["TOTAL", "qpv_population"] == 462972
    assert table.loc["TOTAL", "qpv_share"] == pytest.approx(0.0564, abs=1e-4)  # on the 2023 legal population
    # Same communes, zonings and populations whichever list.
    assert table.loc["TOTAL", "population"] == 8205557 and table.loc["TOTAL", "frr_communes"] == 1917
    communes = territories_2024.communes.set_index("code")
    assert communes.loc["03095", "qpv_count"] == 1 and communes.loc["03310", "qpv_count"] >= 1  # Cusset-Vichy quarter
    assert communes.loc["69123", "qpv_count"] > 5


def test_commune_layer_marks_qpv_hosts(territories):
    communes = territories.communes.set_index("code")
    assert communes.loc["69123", "qpv_count"] > 5  # Lyon, through its arrondissements
    assert communes.loc["01053", "qpv_count"] == 2  # Bourg-en-Bresse
    assert communes["qpv_count"].sum() >= 140  # quartiers on several communes count in each


def test_qpv_indicators_keep_counts_and_missing(territories):
    from lib.sources import qpv

    ipro, demo = qpv.read_vintage("IPRO", 2022), qpv.read_vintage("DEMO", 2022)
    table = coverage.qpv_indicators(ipro, demo, None, list(territories.qpv["code"]))
    assert len(table) == 140
    row = table.set_index("code").loc["QP001001"]
    assert row["below_cap_share"] == pytest.approx(row["below_cap"] / row["job_seekers"])


def test_export_coverage_cli():
    result = subprocess.run([sys.executable, "-m", "lib", "export", "coverage", "--region", "84"], cwd=ROOT,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"dep": str})
    assert list(table.columns) == coverage.COVERAGE_COLUMNS
    assert table["dep"].iloc[0] == "01" and table["dep"].iloc[-1] == "TOTAL"
    assert 0 < table["qpv_share"].max() < 1
