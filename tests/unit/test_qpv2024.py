"""The 2024 QPV list: reader, import report and the counts stated in data/raw/qpv_2024/SOURCE.txt."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from lib.core.config import ROOT
from lib.core.errors import DataError
from lib.datasets.territory import region
from lib.indicators import coverage
from lib.sources import qpv2024

# SOURCE.txt, "Counts to check against".
ARA_COUNTS = {"01": 7, "03": 6, "07": 5, "15": 1, "26": 12, "38": 24, "42": 24, "43": 2, "63": 7, "69": 48,
              "73": 3, "74": 6}
ARA_POPULATION = {"01": 19146, "03": 13066, "07": 8561, "15": 2281, "26": 30772, "38": 71544, "42": 64143,
                  "43": 2512, "63": 27899, "69": 193601, "73": 12732, "74": 16715}


@pytest.fixture(scope="module")
def table():
    return qpv2024.read_table()


def test_reader_report_and_codes(table):
    rows, report = table
    assert report.rows_read == 1713 and report.rows_kept == 1713 and report.rows_rejected == 0
    assert "152 quartiers s'étendent sur plusieurs communes" in report.notes[0]
    # Codes restored as text: leading zeros, Corsica, overseas.
    assert rows.loc[rows["code"].eq("QN00101M"), "commune"].tolist() == ["01053"]
    assert rows.loc[rows["code"].eq("QN00101M"), "dep"].iloc[0] == "01"
    assert rows.loc[rows["code"].eq("QN00101M"), "region"].iloc[0] == "84"
    assert set(rows.loc[rows["dep"].eq("2A"), "commune"].str[:2]) == {"2A"}
    assert rows["commune"].str.len().eq(5).all()
    assert rows["region"].str.len().eq(2).all()


def test_national_counts(table):
    quarters = qpv2024.quarters(table[0])
    assert len(quarters) == 1518 and quarters["population"].sum() == 5931940


def test_multi_commune_quarter_counted_once(table):
    quarters = qpv2024.quarters(table[0])
    cusset_vichy = quarters.set_index("code").loc["QN00301M"]
    assert cusset_vichy["communes"] == "03095|03310" and cusset_vichy["population"] == 3628


def test_region_counts_from_the_reader(table):
    ara = qpv2024.for_region(table[0], region("84").dep_codes)
    assert len(ara) == 145 and ara["population"].sum() == 462972
    per_dep = ara.groupby("dep").agg(n=("code", "size"), p=("population", "sum"))
    assert per_dep["n"].to_dict() == ARA_COUNTS
    assert per_dep["p"].to_dict() == ARA_POPULATION
    bretagne = qpv2024.for_region(table[0], region("53").dep_codes)
    assert len(bretagne) == 31 and bretagne["population"].sum() == 93372


def test_contours_of_the_region_match_the_list(table):
    contours = qpv2024.read_contours(region("84").dep_codes)
    ara = qpv2024.for_region(table[0], region("84").dep_codes)
    assert len(contours) == 145 and set(contours["code"]) == set(ara["code"])
    assert contours.geometry.notna().all() and contours.crs.to_epsg() == 4326


def test_bad_file_gets_a_french_message(tmp_path):
    bad = tmp_path / "qpv.csv"
    bad.write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(DataError, match="colonne"):
        qpv2024.read_table(bad)
    rows = tmp_path / "rows.csv"
    header = ",".join(qpv2024.REQUIRED)
    rows.write_text(f"{header}\n1053,Bourg,QN00101M,A,84.0,1,200071751,6399\n1053,Bourg,XX1,B,84.0,1,2,5\n"
                    "99,Nulle,QN00102M,C,84.0,1,2,\n", encoding="utf-8")
    tidy, report = qpv2024.read_table(rows)
    assert len(tidy) == 1 and report.rows_rejected == 2
    assert report.rejected["code QPV invalide (attendu QNdddnnX)"] == 1
    assert report.rejected["code commune invalide"] == 1


def test_arrondissements_go_to_their_city():
    from lib.sources import cog

    rows, _ = qpv2024.read_table()
    current, report = qpv2024.to_current_communes(rows, cog.read_communes(), cog.read_former_communes())
    assert report.rows_rejected == 0
    assert set(current.loc[current["code"].eq("QN07501M"), "commune"]) == {"75056"}


def _export(*args: str) -> pd.DataFrame:
    result = subprocess.run([sys.executable, "-m", "lib", "export", "coverage", *args], cwd=ROOT,
                            capture_output=True, text=True, timeout=180)
    assert result.returncode == 0, result.stderr
    return pd.read_csv(io.StringIO(result.stdout), dtype={"dep": str}).set_index("dep"), result.stderr


def test_export_coverage_defaults_to_the_2024_list():
    table, stderr = _export("--region", "84")
    assert list(table.reset_index().columns) == coverage.COVERAGE_COLUMNS
    assert table.loc["TOTAL", "qpv_count"] == 145 and table.loc["TOTAL", "qpv_population"] == 462972
    assert table.loc["69", "qpv_count"] == 48 and table.loc["69", "qpv_population"] == 193601
    assert table.drop(index="TOTAL")["qpv_count"].to_dict() == ARA_COUNTS
    assert table.loc["TOTAL", "qpv_share"] == pytest.approx(462972 / 8205557)
    assert "liste 2024" in stderr and "RP 2020" in stderr
    bretagne, _ = _export("--region", "53", "--qpv-list", "2024")
    assert bretagne.loc["TOTAL", "qpv_count"] == 31 and bretagne.loc["TOTAL", "qpv_population"] == 93372


def test_export_coverage_2015_list_unchanged():
    table, stderr = _export("--region", "84", "--qpv-list", "2015")
    assert list(table.reset_index().columns) == coverage.COVERAGE_COLUMNS
    assert table.loc["TOTAL", "qpv_count"] == 140 and table.loc["TOTAL", "qpv_population"] == 403543
    assert table.loc["69", "qpv_count"] == 43
    assert "liste 2015" in stderr and "RP 2018" in stderr


def test_export_coverage_rejects_an_unknown_list():
    result = subprocess.run([sys.executable, "-m", "lib", "export", "coverage", "--qpv-list", "2018"], cwd=ROOT,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2 and "Traceback" not in result.stderr
