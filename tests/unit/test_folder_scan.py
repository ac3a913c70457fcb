"""Issue 26, a configured folder (PRIC_DATA_DIR) read by content, not by date: of two Insee editions the
one with the latest quarter is used, whatever was modified last; records files of different years are read
together (an entry in two files kept once, an id reused by another entry kept and qualified); every file
passed over is named with why, on the CLI's stderr as on Données."""
from __future__ import annotations

import os
import subprocess
import sys
import time

import pandas as pd
import pytest

from lib.core.config import ROOT
from lib.datasets import workspace
from lib.datasets.records_in_use import SAME_ENTRY, read_records_files
from tests.conftest import FIXTURES
from tests.fixtures.make_unemployment_fixtures import DEPS, insee_rows, workbook_bytes
from tests.fixtures.ods_writer import ods_bytes

NEWER_Q = ["T1_2025", "T2_2025", "T3_2025", "T4_2025", "T1_2026"]
OLDER_Q = ["T4_2023", "T1_2024", "T2_2024", "T3_2024", "T4_2024"]


def _edition(quarters: list[str]) -> bytes:
    return workbook_bytes(("Département", insee_rows(DEPS, quarters=quarters)))


def _touch_later(path, seconds: float = 10) -> None:
    stat = path.stat()
    os.utime(path, (stat.st_atime, stat.st_mtime + seconds))


def _records_pair(folder):
    records = pd.read_csv(FIXTURES / "records" / "small_records.csv", dtype=str, keep_default_na=False)
    first = records[records["entry_date"].str[:4].eq("2021")]
    second = records[~records["entry_date"].str[:4].eq("2021")]
    same = first.iloc[[0]]  # one entry seen by both extractions
    other = second.iloc[[0]].assign(entry_id=first.iloc[1]["entry_id"], person_id="P-AUTRE")  # an id reused
    first.to_csv(folder / "entrees_2021.csv", index=False, sep=";")
    pd.concat([second, same, other]).to_csv(folder / "entrees_2022_2023.csv", index=False, sep=";")
    return first, second


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "insee_T1_2026.xlsx").write_bytes(_edition(NEWER_Q))
    (tmp_path / "insee_ancien.xlsx").write_bytes(_edition(OLDER_Q))
    _touch_later(tmp_path / "insee_ancien.xlsx")  # the older edition modified last
    _records_pair(tmp_path)
    return tmp_path


def test_the_edition_with_the_latest_quarter_is_used_not_the_last_modified(folder):
    scan = workspace.scan_folder(folder)
    assert scan.used["unemployment"].name == "insee_T1_2026.xlsx"
    assert ("insee_ancien.xlsx", "édition plus ancienne du fichier Insee (jusqu'au 4e trimestre 2024) que "
            "« insee_T1_2026.xlsx »") in scan.set_aside
    assert "Taux de chômage localisés (Insee) : « insee_T1_2026.xlsx » (la dernière édition, jusqu'au 1er trimestre " \
           "2026)" in scan.used_lines()


def test_a_newer_edition_added_beside_keeps_being_chosen_whatever_the_dates(tmp_path):
    (tmp_path / "b.xlsx").write_bytes(_edition(OLDER_Q))
    (tmp_path / "a.ods").write_bytes(ods_bytes(("Département", insee_rows(DEPS, quarters=NEWER_Q))))
    for later in ("a.ods", "b.xlsx"):
        _touch_later(tmp_path / later, 20)
        assert workspace.scan_folder(tmp_path).used["unemployment"].name == "a.ods"  # an .ods is an Insee workbook


def test_records_files_of_different_years_are_read_together(folder):
    scan = workspace.scan_folder(folder)
    chosen = workspace.configured("records", scan)
    assert sorted(p.name for p in chosen.paths) == ["entrees_2021.csv", "entrees_2022_2023.csv"]
    assert not [name for name, _ in scan.set_aside if name.startswith("entrees")]
    records, report = read_records_files([(p.read_bytes(), p.name) for p in chosen.paths])
    alone = [read_records_files([(p.read_bytes(), p.name)])[0] for p in chosen.paths]
    # 7 + 4 entries read right, minus the entry present in both files
    assert [len(a) for a in alone] == [4, 7] and len(records) == 10 and report.rows_kept == 10
    assert report.excluded[SAME_ENTRY] == 1
    assert sorted(records["year"].unique()) == [2021, 2022, 2023]
    assert records["entry_id"].is_unique
    assert records["entry_id"].str.startswith("entrees_2021.csv:").sum() == 1  # the reused id, qualified
    assert "1 identifiant(s) d'entrée déjà utilisé(s) par une autre entrée d'un autre fichier" in report.full_text()
    assert records["person_key"].nunique() == records["person_id"].nunique()


def test_the_cli_names_every_file_passed_over_and_uses_both_records_files(folder):
    env = {**os.environ, workspace.SETTING: str(folder)}
    run = subprocess.run([sys.executable, "-m", "lib", "export", "rates", "--by", "year"], cwd=ROOT, capture_output=True,
                         text=True, timeout=180, env=env)
    assert run.returncode == 0, run.stderr
    assert ("PRIC_DATA_DIR — Fichier non utilisé « insee_ancien.xlsx » : édition plus ancienne du fichier Insee "
            "(jusqu'au 4e trimestre 2024) que « insee_T1_2026.xlsx ».") in run.stderr
    assert "(2 fichiers lus ensemble)" in run.stderr
    table = pd.read_csv(__import__("io").StringIO(run.stdout))
    assert sorted(table["year"].unique()) == [2021, 2022, 2023]


def test_an_insee_csv_is_recognised_in_a_folder(tmp_path):
    text = "\n".join(";".join(str(c).replace(".", ",") for c in row) for row in insee_rows(DEPS)).encode("cp1252")
    (tmp_path / "sl_etc.csv").write_bytes(text)
    time.sleep(0)
    assert workspace.scan_folder(tmp_path).used == {"unemployment": tmp_path / "sl_etc.csv"}
