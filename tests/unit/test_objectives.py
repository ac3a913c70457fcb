"""Objectives computed on files written for the purpose, with known answers (issue 27): a progress rate, a
status « incertain » against « en_retard », a department decomposition that sums to the gap, bad lines set aside."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest

from lib.core.config import ROOT
from lib.indicators import objectives as ob
from lib.sources.objectives import read_objectives
from lib.sources.records import read_records

DEPS = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]
HEADER = "entry_id,person_id,entry_date,exit_date,residence_commune,outcome,employed_6m,qpv"


def _records_csv() -> str:
    """2022: Ain 100 exits, 60 back in work at 6 months (0,6); Allier 30 exits, 12 (0,4) — region 72/130."""
    rows = []
    for dep, commune, exits, employed in (("01", "01053", 100, 60), ("03", "03190", 30, 12)):
        for i in range(exits):
            rows.append(f"{dep}-{i},P{dep}-{i},2022-01-10,2022-03-01,{commune},terminee,{int(i < employed)},"
                        f"{int(i % 5 == 0)}")
    return "\n".join([HEADER, *rows]) + "\n"


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    tidy, _ = read_records(_records_csv().encode(), "entrees.csv", as_of="2023-12-31")
    return tidy


OBJECTIVES = """objective_id;indicator;scope;public;pathway_type;axis;year;baseline;baseline_year;target;comment
EMP-84;employment_6m;84;;;;2022;0,5;2020;0,6;région
EMP-01;Retour à l'emploi à 6 mois;01;;;;2022;50 %;2020;70 %;Ain
ENT-84;entries;84;;;;2022;;;260;plan
BAD-1;taux de bonheur;84;;;;2022;;;0,5;
BAD-2;access;84;;;;2022;;;15;
BAD-3;access;75;;;;2022;;;0,2;
DUP;access;84;;;;2022;;;0,2;
DUP;access;01;;;;2022;;;0,2;
BAD-4;access;84;;;;deux mille;;;0,2;
"""


@pytest.fixture(scope="module")
def objectives():
    return read_objectives(OBJECTIVES.encode(), "84", DEPS, "objectifs.csv")


def test_bad_lines_are_set_aside_with_their_reason_the_others_kept(objectives):
    frame, report = objectives
    assert frame["objective_id"].tolist() == ["EMP-84", "EMP-01", "ENT-84"]
    assert report.rows_read == 9 and report.rows_kept == 3 and report.rows_rejected == 6
    reasons = {reason: lines for reason, lines in report.lines.items()}
    assert reasons[next(r for r in reasons if r.startswith("indicateur inconnu"))] == [5]
    assert reasons[next(r for r in reasons if r.startswith("cible d'un taux hors de 0–1"))] == [6]
    assert reasons[next(r for r in reasons if r.startswith("territoire hors de la région"))] == [7]
    assert reasons["identifiant d'objectif en double (aucune ligne choisie)"] == [8, 9]
    assert reasons["année de l'objectif absente ou illisible"] == [10]
    assert frame.loc[1, "target"] == pytest.approx(0.7) and frame.loc[1, "indicator"] == "employment_6m"


def test_progress_expected_value_and_statuses(objectives, records):
    frame, _ = objectives
    table = ob.evaluate(frame, records, None, "84", DEPS, pd.Timestamp("2022-12-31")).set_index("objective_id")
    region = table.loc["EMP-84"]
    assert region["realised"] == pytest.approx(72 / 130)
    assert region["expected_now"] == pytest.approx(0.6)  # the end of the target year
    assert region["progress"] == pytest.approx((72 / 130 - 0.5) / 0.1)
    assert region["ci_low"] < 0.6 < region["ci_high"]  # behind, but the interval holds the expected value
    assert region["status"] == "incertain"
    ain = table.loc["EMP-01"]
    assert ain["realised"] == pytest.approx(0.6) and ain["ci_high"] < 0.7
    assert ain["status"] == "en_retard" and ain["progress"] == pytest.approx(0.5)
    assert table.loc["ENT-84", "realised"] == 130 and table.loc["ENT-84", "status"] == "en_retard"


def test_expected_value_runs_on_a_straight_path():
    objective = pd.Series({"indicator": "employment_6m", "year": 2022, "baseline": 0.5, "baseline_year": 2020,
                           "target": 0.6})
    halfway = pd.Timestamp("2020-12-31") + (pd.Timestamp("2022-12-31") - pd.Timestamp("2020-12-31")) / 2
    assert ob.expected_now(objective, halfway) == pytest.approx(0.55)
    assert ob.expected_now(objective, pd.Timestamp("2019-06-30")) == pytest.approx(0.5)
    count = pd.Series({"indicator": "entries", "year": 2022, "baseline": float("nan"), "baseline_year": float("nan"),
                       "target": 365.0})
    assert ob.expected_now(count, pd.Timestamp("2022-07-02")) == pytest.approx(182.0, abs=1)
    abandonment = pd.Series({"indicator": "abandonment", "year": 2022, "baseline": 0.2, "baseline_year": 2020,
                             "target": 0.15})
    assert ob.lower_is_better(abandonment) and ob.progress(abandonment, 0.17) == pytest.approx(0.6)
    assert ob.progress(abandonment, 0.25) == 0.0 and ob.progress(abandonment, 0.1) == 1.0


def test_the_departments_contributions_sum_to_the_regional_gap(objectives, records):
    frame, _ = objectives
    objective = next(frame[frame["objective_id"].eq("EMP-84")].itertuples())
    gaps = ob.department_gaps(objective, records, None, DEPS, 0.6).set_index("dep")
    assert gaps.loc["01", "contribution"] == pytest.approx(0.0)
    assert gaps.loc["03", "contribution"] == pytest.approx((12 - 0.6 * 30) / 130)
    assert gaps["contribution"].sum() == pytest.approx(72 / 130 - 0.6)


def test_export_objectives_cli(tmp_path):
    (tmp_path / "entrees.csv").write_text(_records_csv())
    (tmp_path / "objectifs.csv").write_text(OBJECTIVES)
    run = subprocess.run([sys.executable, "-m", "lib", "export", "objectives", "--objectives", str(tmp_path / "objectifs.csv"),
                          "--records", str(tmp_path / "entrees.csv"), "--as-of", "2022-12-31"], cwd=ROOT,
                         capture_output=True, text=True, timeout=180)
    assert run.returncode == 0, run.stderr
    table = pd.read_csv(io.StringIO(run.stdout), dtype={"scope": str})
    assert list(table.columns) == ["objective_id", "indicator", "scope", "public", "pathway_type", "axis", "year",
                                   "baseline", "baseline_year", "target", "realised", "numerator", "denominator",
                                   "ci_low", "ci_high", "expected_now", "progress", "status", "source", "comment"]
    assert table.set_index("objective_id")["status"].to_dict() == {"EMP-84": "incertain", "EMP-01": "en_retard",
                                                                  "ENT-84": "en_retard"}
    assert "Objectif écarté — ligne 6 : cible d'un taux hors de 0–1" in run.stderr
    assert set(table["source"]) == {"fichier importé « objectifs.csv »"}


def test_a_french_excel_objectives_file_reads_as_the_bundled_one():
    """Headers and indicators in French, « 15 % », decimal commas, `;` and Windows-1252: the same objectives."""
    path = ROOT / "data" / "reference" / "objectives" / "objectifs_pacte_84.csv"
    plain, _ = read_objectives(path, "84", DEPS)
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    labels = {"entries": "Entrées en formation", "access": "Taux d'accès", "qpv_share": "Part des entrants résidant en QPV",
              "employment_6m": "Retour à l'emploi à 6 mois", "employment_12m": "Retour à l'emploi à 12 mois"}
    french = frame.assign(
        indicator=frame["indicator"].map(labels),
        target=[f"{float(t) * 100:g} %" if float(t) <= 1 else t for t in frame["target"]],
        baseline=frame["baseline"].str.replace(".", ",", regex=False),
    ).rename(columns={"objective_id": "Identifiant", "indicator": "Indicateur", "scope": "Territoire", "axis": "Axe",
                      "year": "Année", "baseline": "Valeur initiale", "baseline_year": "Année initiale",
                      "target": "Cible", "comment": "Commentaire", "public": "Public", "pathway_type": "Type de parcours"})
    data = french.to_csv(sep=";", index=False).encode("cp1252")
    read, report = read_objectives(data, "84", DEPS, "objectifs_excel.csv")
    assert report.rows_rejected == 0
    pd.testing.assert_frame_equal(read.drop(columns=["line"]), plain.drop(columns=["line"]))


def test_a_fill_rate_objective_is_computed_from_the_linked_offer_and_records():
    """25 places filled of 30 opened in 2021 (tests/unit/test_fill_rate.py's files): 0,83 against 0,9, the
    interval [0,66 ; 0,93] holding 0,9: « incertain », never « en retard » on 30 places."""
    from tests.unit.test_fill_rate import _read

    offer, entries = _read()
    objectives, _ = read_objectives(b"objective_id;indicator;scope;year;target\nFR;fill_rate;84;2021;0,9\n",
                                    "84", DEPS, "o.csv")
    row = ob.evaluate(objectives, entries, None, "84", DEPS, pd.Timestamp("2021-12-31"), offer).iloc[0]
    assert (row["numerator"], row["denominator"]) == (25, 30) and row["status"] == "incertain"
    assert row["ci_low"] < 0.9 < row["ci_high"]


def test_access_contributions_sum_with_persons_counted_in_two_departments():
    """A person who entered training in Ain and in Allier counts in each department but once in the region: the
    difference is its own row, so that the contributions still sum to the region's gap."""
    from lib.sources.denominators import read_denominators

    rows = [f"E{i},P{i},2022-02-01,,01053,en_cours,1" for i in range(30)]
    rows += [f"F{i},Q{i},2022-02-01,,03190,en_cours,1" for i in range(10)]
    rows += ["G1,P0,2022-05-01,,03190,en_cours,1"]  # P0 again, in Allier
    text = "entry_id,person_id,entry_date,exit_date,residence_commune,outcome,registered_job_seeker\n" + "\n".join(rows)
    records, _ = read_records((text + "\n").encode(), "e.csv", as_of="2022-12-31")
    dens, _ = read_denominators(b"year,dep,public,job_seekers\n2022,01,ensemble,300\n2022,03,ensemble,100\n", "d.csv")
    objective = next(read_objectives(b"objective_id;indicator;scope;year;target\nACC;access;84;2022;0,1\n",
                                     "84", DEPS, "o.csv")[0].itertuples())
    regional = ob.realised(objective, records, dens, DEPS, secrecy=0).value
    assert regional == pytest.approx(40 / 400)  # 40 distinct persons
    gaps = ob.department_gaps(objective, records, dens, DEPS, 0.08, regional=regional).set_index("dep")
    assert gaps.loc["03", "numerator"] == 11 and gaps.loc[ob.OTHERS, "contribution"] == pytest.approx(-1 / 400)
    assert gaps["contribution"].sum() == pytest.approx(regional - 0.08)
