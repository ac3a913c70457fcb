"""Rates on a small hand-made record file with known answers, validation of bad files."""
from __future__ import annotations

import io
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lib.core.config import ROOT
from lib.core.errors import DataError
from lib.indicators.rates import compute_rates, finalize, wilson
from lib.sources.denominators import read_denominators
from lib.sources.records import read_records
from tests.conftest import FIXTURES

SMALL = FIXTURES / "records" / "small_records.csv"
DENOMINATORS = FIXTURES / "records" / "denominators.csv"


@pytest.fixture(scope="module")
def small():
    records, report = read_records(SMALL)
    denominators, _ = read_denominators(DENOMINATORS)
    return records, report, denominators


def _cell(table: pd.DataFrame, **keys) -> pd.Series:
    mask = pd.Series(True, index=table.index)
    for key, value in keys.items():
        mask &= table[key].astype(str).eq(str(value))
    assert mask.sum() == 1, keys
    return table[mask].iloc[0]


def test_validation_rejects_and_reports(small):
    records, report, _ = small
    assert report.rows_read == 10 and report.rows_kept == 9
    assert report.rejected["dates incohérentes (sortie avant entrée)"] == 1
    assert report.lines["dates incohérentes (sortie avant entrée)"] == [9]  # E08, line 9 of the file
    assert any("zéro initial" in note for note in report.notes)
    by_id = records.set_index("entry_id")
    assert by_id.loc["E06", "commune"] == "01053"  # 1053 restored
    assert by_id.loc["E09", "education_level"] == "4"  # the label "bac" is level 4


def test_known_answers_with_thresholds_lowered(small):
    records, _, denominators = small
    table = compute_rates(records, denominators, by=["year", "dep", "public"], secrecy=1, fragile=3)
    ens = dict(year=2021, dep="01", public="ensemble")
    abandonment = _cell(table, indicator="abandonment", **ens)
    # Exits of 2021 in the Ain: E01, E02, E03 (abandon), E06, E09.
    assert (abandonment["numerator"], abandonment["denominator"], abandonment["rate"]) == (1, 5, 0.2)
    certification = _cell(table, indicator="certification", **ens)
    # E01 and E09 certified, E02 not; E03 (abandon, unknown result) excluded from the denominator.
    assert (certification["numerator"], certification["denominator"]) == (2, 3)
    employment_12m = _cell(table, indicator="employment_12m", **ens)
    # Unknown statuses (E02, E06) are excluded: E01 and E09 employed, E03 not.
    assert (employment_12m["numerator"], employment_12m["denominator"]) == (2, 3)
    access = _cell(table, indicator="access", **ens)
    # P01 entered twice in 2021 and counts once; P05 is not a registered job seeker.
    assert (access["numerator"], access["denominator"]) == (4, 100) and access["rate"] == pytest.approx(0.04)
    access_qpv = _cell(table, indicator="access", year=2021, dep="01", public="qpv")
    assert (access_qpv["numerator"], access_qpv["denominator"]) == (2, 3)


def test_a_status_given_for_a_recent_exit_counts_and_is_reported(small):
    records, report, _ = small
    assert report.meta["as_of"] == pd.Timestamp("2023-01-20")  # the latest date of the file
    table = compute_rates(records, None, by=["year"], secrecy=1, fragile=1)
    # E10 left on 2023-01-20 with employed_6m = 1: an observed status, counted, and listed as a warning.
    cell = _cell(table, indicator="employment_6m", year=2023)
    assert (cell["numerator"], cell["denominator"]) == (1, 1)
    assert any("6 mois" in w and "lignes 11" in w for w in report.warnings)
    # E07 (2022) has no status: nothing to count.
    assert table[(table["year"].eq(2022)) & table["indicator"].eq("employment_6m")].empty


def test_default_thresholds_suppress_and_flag_fragile():
    cells = finalize(pd.DataFrame({"numerator": [5, 30, 70], "denominator": [19, 59, 100]}))
    assert cells["status"].tolist() == ["suppressed", "fragile", "ok"]
    assert pd.isna(cells.loc[0, "rate"]) and pd.isna(cells.loc[0, "numerator"])  # neither rate nor numerator
    assert cells.loc[1, "rate"] == pytest.approx(30 / 59) and cells.loc[1, "ci_low"] < cells.loc[1, "rate"]


def test_numerator_above_denominator_is_incoherent_not_a_rate():
    cells = finalize(pd.DataFrame({"numerator": [120], "denominator": [100]}))
    assert cells.loc[0, "status"] == "incoherent" and pd.isna(cells.loc[0, "rate"])


def test_incoherent_access_from_denominators(small):
    records, _, _ = small
    tiny = pd.DataFrame({"year": [2021], "dep": ["01"], "public": ["ensemble"], "job_seekers": [2]})
    table = compute_rates(records, tiny, by=["year", "dep"], secrecy=1, fragile=1)
    assert _cell(table, indicator="access", year=2021, dep="01")["status"] == "incoherent"


def test_wilson_interval_known_value():
    low, high = wilson(np.array([50]), np.array([100]))
    assert low[0] == pytest.approx(0.4038, abs=1e-4) and high[0] == pytest.approx(0.5962, abs=1e-4)


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False).encode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda f: f.drop(columns=["outcome"]), "colonne\\(s\\) obligatoire\\(s\\) absente\\(s\\) : Issue de la formation \\(outcome\\)\\. "
         "Colonnes reconnues : Identifiant de l'entrée \\(entry_id\\), Identifiant de la personne \\(person_id\\)"),
        (lambda f: f.drop(columns=["residence_commune"]), "Commune de résidence \\(residence_commune\\) ou Département de résidence \\(dep\\)"),
    ],
)
def test_bad_files_get_a_french_message(change, message):
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    with pytest.raises(DataError, match=message):
        read_records(_csv(change(frame)), "entrees.csv")


def test_unknown_codes_reject_only_when_the_field_is_required():
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    frame.loc[0, "pathway_type"] = "stage"
    frame.loc[1, "outcome"] = "fini"
    frame.loc[2, "abandon_reason"] = "fatigue"
    records, report = read_records(_csv(frame), "entrees.csv")
    assert report.rejected["issue absente ou inconnue (en cours, terminée, abandon)"] == 1  # outcome is required
    by_id = records.set_index("entry_id")
    assert pd.isna(by_id.loc["E01", "pathway_type"])  # optional: kept, unknown, reported
    assert any("pathway_type" in w for w in report.warnings)
    assert by_id.loc["E03", "abandon_reason"] == "non_reconnu"  # kept as "motif non reconnu"
    assert any("motif non reconnu" in w for w in report.warnings)


def test_semicolon_csv_and_xlsx_are_read(tmp_path):
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    records, _ = read_records(frame.to_csv(index=False, sep=";").encode(), "entrees.csv")
    assert len(records) == 9
    path = tmp_path / "entrees.xlsx"
    frame.to_excel(path, index=False)
    records, _ = read_records(path)
    assert len(records) == 9 and records["commune"].str.len().eq(5).all()


def test_denominators_validation():
    denominators, report = read_denominators(DENOMINATORS)
    assert report.rejected["public inconnu"] == 1 and len(denominators) == 6
    with pytest.raises(DataError, match="job_seekers"):
        read_denominators(b"year,dep,public\n2021,01,ensemble\n", "den.csv")


def test_demo_records_are_calibrated_on_the_pact():
    records, _ = read_records(ROOT / "data" / "demo" / "records_demo_84.parquet")
    denominators, _ = read_denominators(ROOT / "data" / "demo" / "denominators_demo_84.csv")
    assert records.groupby("year").size().to_dict() == {2019: 23454, 2020: 26727, 2021: 29454, 2022: 29454}
    overall = compute_rates(records, denominators, by=[]).set_index("indicator")["rate"]
    assert overall["access"] == pytest.approx(0.11, abs=0.01)
    assert overall["employment_6m"] == pytest.approx(0.51, abs=0.015)
    assert overall["employment_12m"] == pytest.approx(0.52, abs=0.015)
    assert overall["abandonment"] == pytest.approx(0.10, abs=0.015)
    assert records["education_level"].isin(["infra3", "3"]).mean() == pytest.approx(0.52, abs=0.02)


def test_export_rates_cli():
    result = subprocess.run([sys.executable, "-m", "lib", "export", "rates", "--records", str(SMALL), "--denominators",
                             str(DENOMINATORS), "--by", "year,dep,public", "--year", "2021"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"dep": str})
    assert list(table.columns) == ["year", "dep", "public", "indicator", "numerator", "denominator", "rate",
                                   "ci_low", "ci_high", "status"]
    outcomes = table[table["indicator"].ne("access")]
    assert set(outcomes["status"]) == {"suppressed"}  # every outcome cell of the small file is below 20
    assert outcomes["rate"].isna().all() and outcomes["numerator"].isna().all()
    access = table[table["indicator"].eq("access") & table["public"].eq("ensemble") & table["dep"].eq("01")].iloc[0]
    assert (access["numerator"], access["denominator"], access["status"]) == (4, 100, "ok")
    assert set(table["indicator"]) <= {"access", "abandonment", "certification", "employment_6m", "employment_12m"}


def test_barometre_cumulative_series_take_the_year_end_value():
    from lib.sources import barometre

    series = barometre.read_for_region("84", ["01"])
    pic = barometre.annual(series[series["indicator_id"].eq("nb-formation-pic")])
    by_year = pic.set_index("year")
    assert by_year.loc[2021, "value"] == 158075 and bool(by_year.loc[2021, "cumulative"])  # not 56 810 + 96 720 + …
    assert by_year.loc[2022, "value"] == 144406 and by_year.loc[2019, "value"] == 95300
    assert not by_year.loc[2019, "cumulative"]


def test_blank_cells_are_rejected_or_kept_missing_as_the_format_says():
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    frame.loc[0, "qpv"] = ""            # an optional flag: unknown, kept, reported
    frame.loc[1, "employed_6m"] = ""    # a result may be unknown
    frame.loc[2, "entry_date"] = ""     # required
    records, report = read_records(_csv(frame), "entrees.csv")
    assert pd.isna(records.set_index("entry_id").loc["E01", "qpv"])
    assert any("qpv" in w for w in report.warnings)
    assert report.rejected["date d'entrée absente ou illisible"] == 1
    assert report.lines["date d'entrée absente ou illisible"] == [4]
    assert pd.isna(records.set_index("entry_id").loc["E02", "employed_6m"])
    denominators, den_report = read_denominators(b"year,dep,public,job_seekers\n2021,01,ensemble,\n2021,1,qpv,12\n", "den.csv")
    assert den_report.rejected["nombre de demandeurs d'emploi absent, négatif ou non entier"] == 1
    assert denominators["dep"].tolist() == ["01"]  # lost leading zero restored


def test_export_rates_says_why_its_table_is_empty_when_every_entry_is_ongoing(tmp_path):
    """The page says « toutes encore en cours »; the CLI printed an empty table without a word (issue 26)."""
    path = tmp_path / "en_cours.csv"
    path.write_text("entry_id,person_id,entry_date,exit_date,residence_commune,outcome\n"
                    + "".join(f"E{i},P{i},2023-01-0{i},,01053,en_cours\n" for i in range(1, 6)))
    result = subprocess.run([sys.executable, "-m", "lib", "export", "rates", "--records", str(path), "--by", "year",
                             "--as-of", "2024-01-01"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "year,indicator,numerator,denominator,rate,ci_low,ci_high,status"
    assert "5 entrée(s), toutes encore en cours : aucune sortie, donc aucun taux" in result.stderr
