"""Formula cells of an xlsx whose saved value is not their result.

A workbook keeps, for each formula, the value the spreadsheet last computed. A program that writes
formulas without a spreadsheet (openpyxl, XlsxWriter, many « export Excel ») cannot compute them: it
saves no value, or 0, and asks the next spreadsheet to recompute on opening (``fullCalcOnLoad``). Read
as they are, such cells give 0 % where the sheet would show 60/88 (issue 26). A formula is trusted
only when the workbook was saved by a spreadsheet (no recompute flag) and holds its value.
"""
from __future__ import annotations

import io
import posixpath
import re
import zipfile
from xml.etree import ElementTree

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
RELATIONSHIP = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
FORMULA = re.compile(rb"<(\w+:)?f[\s>/]")
CELL = re.compile(r"^([A-Z]+)(\d+)$")


def untrusted_formulas(data: bytes) -> dict[str, set[tuple[int, int]]]:
    """Sheet name -> (row, column) of its formula cells whose saved value cannot be trusted, 0-based
    as the sheet's rows are read; ``{}`` for a workbook without such cells (or not an xlsx)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        workbook = ElementTree.fromstring(archive.read("xl/workbook.xml"))
        relations = ElementTree.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError, OSError):
        return {}
    calc = workbook.find(f"{MAIN}calcPr")
    recompute = calc is not None and calc.get("fullCalcOnLoad") in ("1", "true")
    targets = {r.get("Id"): r.get("Target", "") for r in relations}
    found = {}
    for sheet in workbook.iter(f"{MAIN}sheet"):
        target = targets.get(sheet.get(RELATIONSHIP), "")
        path = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
        try:
            raw = archive.read(path)
        except (KeyError, zipfile.BadZipFile, OSError):
            continue
        if not FORMULA.search(raw):
            continue
        cells = _formula_cells(raw, recompute)
        if cells:
            found[sheet.get("name", "")] = cells
    return found


def _formula_cells(raw: bytes, recompute: bool) -> set[tuple[int, int]]:
    cells = set()
    for _, cell in ElementTree.iterparse(io.BytesIO(raw)):
        if cell.tag != f"{MAIN}c":
            continue
        if cell.find(f"{MAIN}f") is not None:
            value = cell.find(f"{MAIN}v")
            if recompute or value is None or not (value.text or "").strip():
                position = _position(cell.get("r", ""))
                if position:
                    cells.add(position)
        cell.clear()
    return cells


def _position(reference: str) -> tuple[int, int] | None:
    match = CELL.match(reference)
    if not match:
        return None
    column = 0
    for letter in match.group(1):
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)) - 1, column - 1
