"""A workbook written by a program keeps formulas without their result (issue 26): certification was read
0/88 = 0 % « ok » where the sheet shows 60/88. Such a file is refused with the way out; the same workbook
saved by a spreadsheet (values kept, no recompute flag) gives the figures of the plain CSV."""
from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from lib.core.errors import DataError
from lib.indicators.rates import compute_rates
from lib.sources.denominators import read_denominators
from lib.sources.opener_formulas import untrusted_formulas
from lib.sources.records import read_records

FIXTURES = Path(__file__).parents[1] / "fixtures" / "records"


def _workbook_with_formulas(frame: pd.DataFrame, column: str) -> tuple[bytes, list]:
    """``frame`` as openpyxl writes it, ``column`` written as formulas (=1*1 or =0*1) of its 0/1 values;
    returns the bytes and the values the formulas compute."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Entrees"
    sheet.append(list(frame.columns))
    position = list(frame.columns).index(column)
    computed = []
    for row in frame.itertuples(index=False):
        cells = list(row)
        value = cells[position]
        if value in ("0", "1"):
            cells[position] = f"={value}*1"
        computed.append(value)
        sheet.append(cells)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue(), computed


def _rewrite(data: bytes, change) -> bytes:
    """The workbook with each part's XML passed through ``change(name, text)``."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.endswith(".xml"):
                content = change(info.filename, content.decode("utf-8")).encode("utf-8")
            target.writestr(info, content)
    return out.getvalue()


def _like_xlsxwriter(data: bytes) -> bytes:
    """Formulas saved with the placeholder 0 (what XlsxWriter writes), the recompute flag kept."""
    return _rewrite(data, lambda name, text: re.sub(r"(<f>[^<]*</f>)<v\s*/?>(</v>)?", r"\1<v>0</v>", text))


def _saved_by_a_spreadsheet(data: bytes, computed: list) -> bytes:
    """What Excel writes once it has computed the formulas: each value saved, no recompute flag."""
    values = iter(v for v in computed if v in ("0", "1"))

    def change(name: str, text: str) -> str:
        if name == "xl/workbook.xml":
            return text.replace(' fullCalcOnLoad="1"', "")
        return re.sub(r"(<f>[^<]*</f>)<v\s*/?>(</v>)?", lambda m: f"{m.group(1)}<v>{next(values)}</v>", text)
    return _rewrite(data, change)


@pytest.fixture(scope="module")
def records_frame() -> pd.DataFrame:
    return pd.read_csv(FIXTURES / "small_records.csv", dtype=str, keep_default_na=False)


def test_formulas_without_their_result_are_refused_with_the_way_out(records_frame):
    data, _ = _workbook_with_formulas(records_frame, "certified")
    for variant in (data, _like_xlsxwriter(data)):
        assert untrusted_formulas(variant)
        with pytest.raises(DataError, match=r"colonne Certification obtenue \(certified\) sont des formules.*Ouvrez et "
                                            r"enregistrez le fichier dans un tableur"):
            read_records(variant, "entrees.xlsx", as_of="2024-12-31")


def test_formulas_saved_by_a_spreadsheet_give_the_csv_figures(records_frame):
    data, computed = _workbook_with_formulas(records_frame, "certified")
    saved = _saved_by_a_spreadsheet(data, computed)
    assert untrusted_formulas(saved) == {}
    from_xlsx, _ = read_records(saved, "entrees.xlsx", as_of="2024-12-31")
    from_csv, _ = read_records(FIXTURES / "small_records.csv", as_of="2024-12-31")
    by = ["pathway_type"]
    figures = compute_rates(from_xlsx, None, by=by)
    assert figures.equals(compute_rates(from_csv, None, by=by))
    assert from_xlsx["certified"].sum() == from_csv["certified"].sum() > 0


def test_a_formula_outside_the_columns_read_does_not_stop_the_file():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["year", "dep", "public", "job_seekers", "note"])
    sheet.append([2021, "01", "ensemble", 1000, "=1+1"])
    buffer = io.BytesIO()
    book.save(buffer)
    tidy, _ = read_denominators(buffer.getvalue(), "de.xlsx")
    assert tidy["job_seekers"].tolist() == [1000]


def test_an_opendocument_spreadsheet_of_records_gives_the_csv_figures(records_frame):
    """LibreOffice's own format is a table file like any other, not « une archive zip, décompressez-la »."""
    from lib.sources.opener_formats import sniff_format
    from tests.fixtures.ods_writer import ods_bytes

    data = ods_bytes(("Entrées", [list(records_frame.columns), *records_frame.values.tolist()]))
    assert sniff_format(data) == "ods"
    from_ods, report = read_records(data, "entrees.ods", as_of="2024-12-31")
    from_csv, _ = read_records(FIXTURES / "small_records.csv", as_of="2024-12-31")
    assert report.rows_kept == len(from_csv)
    assert compute_rates(from_ods, None, by=["year"]).equals(compute_rates(from_csv, None, by=["year"]))
