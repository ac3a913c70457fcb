"""Comparison of territories: the national table, ranks, peers, gaps and the ``export compare`` CLI."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from lib.core.config import ROOT
from lib.core.errors import DataError
from lib.datasets import territory
from lib.indicators import compare, coverage
from lib.sources.chomage import read_unemployment

WORKBOOK = ROOT / "data/raw/chomage_localise_insee/sl_etc_2025T3.xls"


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return read_unemployment(WORKBOOK)[0]


@pytest.fixture(scope="module")
def base() -> compare.Base:
    return compare.build_base("2024")


@pytest.fixture(scope="module")
def table(base, tidy) -> pd.DataFrame:
    return compare.national_table(base, tidy, "2025-T3")


def test_table_has_every_department_region_and_france(table):
    assert list(table.columns) == compare.COLUMNS + compare.EXTRA_COLUMNS
    assert table["level"].value_counts().to_dict() == {"departement": 101, "region": 18, "france": 1}
    deps = table[table["level"].eq("departement")]
    assert {"2A", "2B", "971", "976"} <= set(deps["code"]) and deps["code"].map(type).eq(str).all()
    assert table.loc[table["code"].eq("15") & table["level"].eq("departement"), "unemployment_rate"].item() == 4.6
    # Mayotte has no localised rate; the bundled workbook has no « Région » sheet nor France rows:
    # those rates stay empty, never an average of departments
    assert deps.loc[deps["code"].eq("976"), "unemployment_rate"].isna().all()
    assert table.loc[table["level"].ne("departement"), "unemployment_rate"].isna().all()
    assert deps["unemployment_rate"].notna().sum() == 100


def test_region_84_equals_the_coverage_table(table):
    """Same populations, zonings and QPV as the Territoires page for the 12 departments of region 84
    (the vectorised carry-over gives the classes of ``cog_mapping.carry_over``)."""
    region = territory.region("84")
    expected = coverage.department_coverage(region, coverage.build(region, "2024")).set_index("dep")
    deps = table[table["level"].eq("departement") & table["region"].eq("84")].set_index("code")
    assert len(deps) == 12
    for column in ["population", "qpv_count", "qpv_population", "frr_population", "zrr_population"]:
        assert deps[column].to_dict() == expected.loc[deps.index, column].to_dict(), column
    total = expected.loc["TOTAL"]
    assert deps["population"].sum() == total["population"] == 8_205_557
    row = table[table["level"].eq("region") & table["code"].eq("84")].iloc[0]
    assert row["population"] == total["population"] and row["qpv_count"] == total["qpv_count"] == 145
    assert row["qpv_share"] == pytest.approx(total["qpv_share"])


def test_france_row_is_france_hors_mayotte(table):
    deps = table[table["level"].eq("departement")]
    france = table[table["level"].eq("france")].iloc[0]
    assert france["code"] == "FR" and france["name"] == "France hors Mayotte"
    assert france["population"] == deps.loc[deps["code"].ne("976"), "population"].sum() == 68_094_280
    assert france["qpv_count"] == 1518 - 42  # the 1 518 quarters of the 2024 list, Mayotte's 42 apart
    assert france["qpv_share"] == pytest.approx(france["qpv_population"] / france["population"])
    regions = table[table["level"].eq("region")]
    assert regions["population"].sum() == deps["population"].sum()


def test_2015_list(tidy):
    table = compare.national_table(compare.build_base("2015"), tidy, "2025-T3")
    assert table.loc[table["level"].eq("france"), "qpv_count"].item() == 1400
    assert table.loc[table["code"].eq("84") & table["level"].eq("region"), "qpv_count"].item() == 140


def test_region_sheet_and_france_rows_are_used_when_the_edition_has_them(base, tidy):
    extra = pd.DataFrame([
        {"level": "region", "code": "84", "name": "AUVERGNE-RHONE-ALPES", "quarter": "2025-T3", "rate": 6.8},
        {"level": "region", "code": "84", "name": "AUVERGNE-RHONE-ALPES", "quarter": "2024-T3", "rate": 6.5},
        {"level": "france", "code": "FR", "name": "France hors Mayotte", "quarter": "2025-T3", "rate": 7.7},
    ])
    table = compare.national_table(base, pd.concat([tidy, extra], ignore_index=True), "2025-T3")
    row = table[table["level"].eq("region") & table["code"].eq("84")].iloc[0]
    assert row["unemployment_rate"] == 6.8 and row["unemployment_change_1y"] == pytest.approx(0.3)
    france = table[table["level"].eq("france")].iloc[0]
    assert france["unemployment_rate"] == 7.7 and pd.isna(france["unemployment_change_1y"])


def test_rank(table):
    assert compare.rank(table, "03", "unemployment_rate") == (25, 100)  # Allier 8,0 %
    assert compare.rank(table, "15", "unemployment_rate") == (100, 100)  # Cantal 4,6 %, the lowest
    assert compare.rank(table, "974", "unemployment_rate") == (2, 100)  # 16,7 %, tied with the Guadeloupe
    assert compare.rank(table, "971", "unemployment_rate") == (2, 100)
    assert compare.rank(table, "976", "unemployment_rate") is None
    assert compare.rank(table, "84", "population", "region") == (2, 18)


def test_peers_are_the_nearest_on_the_standardised_profile(table):
    peers = compare.peers(table, "03")
    assert list(peers["code"]) == ["24", "18", "61", "81", "70"]
    assert peers["distance"].is_monotonic_increasing and peers["nearest"].all()
    assert list(compare.peers(table, "03")["code"]) == list(peers["code"])  # deterministic
    # recompute the first distance by hand from the documented profile
    prof = compare.profile(table)
    z = {c: (prof[c] - prof[c].mean()) / prof[c].std(ddof=0) for c in compare.PROFILE}
    by_hand = sum((z[c]["24"] - z[c]["03"]) ** 2 for c in compare.PROFILE) ** 0.5
    assert peers["distance"].iloc[0] == pytest.approx(by_hand)
    assert peers.loc[0, "gap_unemployment_rate"] == pytest.approx(z["unemployment_rate"]["24"] - z["unemployment_rate"]["03"])
    assert len(prof) == 100  # Mayotte (no unemployment rate) is out of the pool
    assert compare.closest_variables(peers.iloc[0]) == ["log_density", "frr_share"]


def test_user_chosen_peers(table):
    chosen = compare.peers(table, "03", chosen=["69", "24", "976", "03"])
    assert list(chosen["code"]) == ["24", "69"]  # sorted by distance; no profile for 976, never itself
    assert chosen.set_index("code")["nearest"].to_dict() == {"24": True, "69": False}
    with pytest.raises(DataError, match="taux de chômage") as err:  # French words, never the column's code (issue 26)
        compare.peers(table, "976")
    assert "unemployment_rate" not in str(err.value)


def test_peer_gaps_and_alert():
    deps = pd.DataFrame({"level": "departement", "code": list("ABCDEFGH"),
                         "unemployment_rate": [12.0, 6.0, 6.2, 6.4, 5.0, 9.0, 7.0, 8.0]})
    gaps = compare.peer_gaps(deps, "A", ["B", "C", "D"], ("unemployment_rate",)).iloc[0]
    assert gaps["peer_median"] == 6.2 and gaps["gap"] == pytest.approx(5.8)
    assert gaps["national_sd"] == pytest.approx(deps["unemployment_rate"].std(ddof=0))
    assert gaps["large"] and gaps["robust"] and gaps["alert"]
    # the same gap with peers spread on both sides of the department: not robust, no alert
    spread = compare.peer_gaps(deps, "H", ["B", "C", "A"], ("unemployment_rate",)).iloc[0]
    assert not spread["robust"] and not spread["alert"]
    # fewer than three peers with a value: never robust
    assert not compare.peer_gaps(deps, "A", ["B", "C"], ("unemployment_rate",)).iloc[0]["robust"]


def test_quarter_checks(tidy):
    assert compare.check_quarter(tidy, None) == "2025-T3"
    assert compare.check_quarter(tidy, "2024-t3") == "2024-T3"
    with pytest.raises(DataError, match="AAAA-Tn"):
        compare.check_quarter(tidy, "T3 2025x")
    with pytest.raises(DataError, match="absent"):
        compare.check_quarter(tidy, "2030-T1")
    with pytest.raises(DataError, match="Niveau inconnu"):
        compare.level_rows(pd.DataFrame({"level": []}), "commune")


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_export_compare_cli():
    result = _run("export", "compare", "--level", "region", "--quarter", "2025-T3")
    assert result.returncode == 0, result.stderr
    out = pd.read_csv(io.StringIO(result.stdout), dtype={"code": str, "region": str})
    assert list(out.columns) == compare.COLUMNS
    assert len(out) == 19 and out["level"].iloc[-1] == "france" and out["code"].iloc[-1] == "FR"
    assert out.loc[out["code"].eq("84"), "population"].item() == 8_205_557
    assert "non disponible" in result.stderr
    deps = _run("export", "compare", "--level", "departement")
    table = pd.read_csv(io.StringIO(deps.stdout), dtype={"code": str, "region": str})
    assert len(table) == 102 and {"2A", "971", "01"} <= set(table["code"])
    assert table.loc[table["code"].eq("15"), "unemployment_rate"].item() == 4.6
    bad = _run("export", "compare", "--level", "region", "--quarter", "2030-T1")
    assert bad.returncode == 2 and "absent du fichier" in bad.stderr and "Traceback" not in bad.stderr
    missing = _run("export", "compare")
    assert missing.returncode == 2 and "--level" in missing.stderr


def test_summary_gives_rank_and_gap_to_the_peers(table):
    peers = list(compare.peers(table, "03")["code"])
    summary = compare.summary(table, "03", peers).set_index("indicator")
    assert list(summary.index) == list(compare.INDICATORS)
    allier = summary.loc["unemployment_rate"]
    assert (allier["rank"], allier["count"]) == (25, 100)  # 8,0 %: 24 departments higher
    assert allier["peer_median"] == 7.3 and allier["gap"] == pytest.approx(0.7)  # median of 7,4 7,3 7,3 8,2 6,9
    assert (summary.loc["frr_share", "rank"], summary.loc["frr_share", "count"]) == (20, 101)
    # Mayotte: no rate, no rank (never a made-up place)
    mayotte = compare.summary(table, "976", peers).set_index("indicator").loc["unemployment_rate"]
    assert pd.isna(mayotte["rank"]) and pd.isna(mayotte["value"])


@pytest.fixture(scope="module")
def records():
    from lib.datasets.records_in_use import load_records

    frame, report, denominators, _, demo = load_records("84")
    assert demo
    return frame, denominators


def test_pathway_rates_of_the_department_beside_its_region(records):
    frame, denominators = records
    deps = territory.region("84").dep_codes
    rates = compare.pathway_rates(frame, denominators, "03", deps).set_index(["scope", "indicator"])
    for scope, chosen in (("departement", frame[frame["dep"].astype(str).eq("03")]), ("region", frame)):
        exits = chosen["outcome"].isin(["terminee", "abandon"])
        abandon = rates.loc[(scope, "abandonment")]
        assert abandon["numerator"] == chosen["outcome"].eq("abandon").sum() and abandon["denominator"] == exits.sum()
        known = exits & chosen["employed_6m"].notna()
        employed = rates.loc[(scope, "employment_6m")]
        assert employed["denominator"] == known.sum() and employed["numerator"] == (known & chosen["employed_6m"].eq(1)).sum()
    assert rates.loc[("departement", "abandonment"), "denominator"] == 4275
    assert rates.loc[("departement", "abandonment"), "rate"] == pytest.approx(463 / 4275)
    assert rates.loc[("region", "employment_6m"), "rate"] == pytest.approx(41813 / 81444)
    assert (rates["status"] == "ok").all()
    # access needs denominators: without them, no access row, never a made-up rate
    without = compare.pathway_rates(frame, None, "03", deps)
    assert "access" not in set(without["indicator"]) and len(without) == 8
    assert rates.loc[("departement", "access"), "denominator"] == denominators.query(
        "dep == '03' and public == 'ensemble'")["job_seekers"].sum()


def test_pathway_rates_keep_fragile_suppressed_and_unknown(records):
    frame, denominators = records
    deps = territory.region("84").dep_codes
    small = pd.concat([frame[frame["dep"].astype(str).eq("03")].head(30), frame[frame["dep"].astype(str).ne("03")]])
    rates = compare.pathway_rates(small, None, "03", deps).set_index(["scope", "indicator"])
    assert rates.loc[("departement", "abandonment"), "status"] == "fragile"  # 30 exits < 60
    certification = rates.loc[("departement", "certification")]
    assert certification["status"] == "suppressed" and pd.isna(certification["rate"]) and pd.isna(certification["numerator"])
    assert rates.loc[("region", "certification"), "status"] == "ok"
    # a tenth of the department's certifying exits with an unknown pathway type: not computed, never « non »
    blurred = frame.copy()
    target = blurred.index[blurred["dep"].astype(str).eq("03") & blurred["pathway_type"].eq("certifiant")
                           & blurred["outcome"].isin(["terminee", "abandon"]) & blurred["certified"].notna()]
    blurred.loc[target[: len(target) // 10], "pathway_type"] = None
    unknown = compare.pathway_rates(blurred, None, "03", deps).set_index(["scope", "indicator"])
    assert unknown.loc[("departement", "certification"), "status"] == "unknown"
    assert pd.isna(unknown.loc[("departement", "certification"), "rate"])
    # no entry for the department: its rows are absent, the region's are there
    none = compare.pathway_rates(frame[frame["dep"].astype(str).ne("03")], None, "03", deps)
    assert set(none["scope"]) == {"region"}
