"""French formats and the export command line."""
from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd

from lib.core.config import ROOT
from lib.core.fmt import fr_int, fr_num, fr_pct, fr_points, fr_signed


def test_french_formats():
    assert fr_int(411130) == "411\u202f130"
    assert fr_pct(7.5) == "7,5\u202f%"
    assert fr_pct(0.1234, fraction=True) == "12,3\u202f%"
    assert fr_points(-0.34) == "−0,3\u202fpt"
    assert fr_pct(float("nan")) == "–"


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_a_value_rounding_to_zero_prints_without_a_sign():
    # issue 19: « écart à la médiane des pairs : −0,0 pt » — the sign is the printed value's
    assert fr_points(-0.04) == "0,0\u202fpt" and fr_points(0.04) == "0,0\u202fpt" and fr_points(-0.0) == "0,0\u202fpt"
    assert fr_points(-0.06) == "−0,1\u202fpt" and fr_points(0.06) == "+0,1\u202fpt"
    assert fr_num(-0.04) == "0,0" and fr_num(-0.4, 0) == "0" and fr_num(-1234.56) == "-1\u202f234,6"
    assert fr_signed(-0.004, 2) == "0,00" and fr_signed(-0.3) == "−0,3" and fr_signed(None) == "–"
    assert fr_pct(-0.04) == "0,0\u202f%"


def test_export_unemployment_csv():
    result = _run("export", "unemployment")
    assert result.returncode == 0, result.stderr
    table = pd.read_csv(io.StringIO(result.stdout), dtype={"code": str})
    assert list(table.columns) == ["level", "code", "name", "quarter", "rate", "remarque"]
    # issue 26: the bundled workbook has no « Région » sheet, said on every row as on stderr
    assert table["remarque"].str.startswith("Le fichier Insee en usage n'a pas de feuille « Région »").all()
    assert "n'a pas de feuille « Région »" in result.stderr
    assert sorted(table["code"].unique()) == ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]
    assert table.query("code == '15' and quarter == '2025-T3'")["rate"].item() == 4.6


def test_export_bad_input_is_a_french_message_not_a_traceback():
    result = _run("export", "unemployment", "--input", str(ROOT / "tests/fixtures/unemployment/vide.xlsx"))
    assert result.returncode == 2
    assert "est vide" in result.stderr and "Traceback" not in result.stderr
