"""Insee *taux de chômage localisés* workbook (any edition, .xls or .xlsx).

Layout Insee publishes: a few title rows, then a header row
``Code | Libellé | T1_1982 … T3_2025``, one row per department (sheet
"Département") or region (sheet "Région"), then footnotes. Some editions add
France rows ("France métropolitaine", "France hors Mayotte") at the bottom.

Tidy schema returned by :func:`read_unemployment`:

=========  ======  ==========================================================
column     type    meaning
=========  ======  ==========================================================
level      str     ``departement`` | ``region`` | ``france``
code       str     Insee code (``"01"``, ``"2A"``, ``"84"``); ``FM`` = France
                   métropolitaine, ``FR`` = France hors Mayotte
name       str     label as printed in the file
quarter    str     ``YYYY-Tn`` (e.g. ``2018-T4``)
rate       float   unemployment rate, % of the labour force (CVS)
=========  ======  ==========================================================
"""
from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from lib.errors import DataError, ImportReport
from lib.sources.opener import open_bytes, sniff_format
from lib.text import insee_code, normalise

COLUMNS = ["level", "code", "name", "quarter", "rate"]
QUARTER_PATTERNS = (
    re.compile(r"^T([1-4])\s*[_\- ]?\s*(\d{4})$", re.I),
    re.compile(r"^(\d{4})\s*[_\- ]?\s*T([1-4])$", re.I),
)
HEADER_SEARCH_ROWS = 40
FRANCE_CODES = {"france metropolitaine": "FM", "france hors mayotte": "FR", "france entiere hors mayotte": "FR"}


SHEET_NAMES = {
    "departement": re.compile(r"^(departements?|depts?|dep)(\b|\d|_|$)"),
    "region": re.compile(r"^(regions?|reg)(\b|\d|_|$)"),
}


def sheet_level(name: str) -> str | None:
    """``Département``, ``Departements``, ``DEP`` -> departement; ``Région(s)``, ``REG`` -> region.

    A whole word: ``Dépenses`` or ``Regroupements`` (an analyst's sheets) are not Insee sheets."""
    key = normalise(name)
    for level, pattern in SHEET_NAMES.items():
        if pattern.match(key):
            return level
    return None


def parse_quarter(label: object) -> str | None:
    """``T3_2025`` / ``2025-T3`` / ``T3 2025`` -> ``2025-T3``; anything else -> None."""
    text = str(label).strip()
    for number, pattern in enumerate(QUARTER_PATTERNS):
        match = pattern.match(text)
        if match:
            quarter, year = match.groups() if number == 0 else match.groups()[::-1]
            return f"{year}-T{quarter}"
    return None


def _open_workbook(source: str | Path | bytes, filename: str) -> CalamineWorkbook:
    """The workbook from its bytes: ``.xls`` or ``.xlsx`` recognised by content, whatever the name."""
    data = open_bytes(source, filename)
    kind = sniff_format(data)
    try:
        if kind not in ("xls", "xlsx"):
            raise ValueError(kind)
        return CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as err:  # calamine raises several unrelated types for a non-workbook
        raise DataError(
            f"« {filename} » n'est pas un classeur Excel lisible (.xls ou .xlsx) : "
            "vérifiez qu'il s'agit bien du fichier Insee des taux de chômage localisés."
        ) from err


def _find_header(rows: list[list]) -> tuple[int, int, int, dict[int, str]] | None:
    """Index of the header row, of the Code and Libellé columns, and the quarter columns; None when
    the sheet is not in Insee's layout (an analyst's notes, a table of another shape)."""
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        cells = [normalise(cell) for cell in row]
        if "code" in cells and "libelle" in cells:
            quarters = {col: q for col, cell in enumerate(row) if (q := parse_quarter(cell))}
            if quarters:
                return index, cells.index("code"), cells.index("libelle"), quarters
    return None


def _classify(code_cell: object, name: str, sheet_level: str) -> tuple[str, str] | None:
    """(level, code) of a data row, or None for a footnote or blank row."""
    label = normalise(name)
    for france_label, france_code in FRANCE_CODES.items():
        if label.startswith(france_label):
            return "france", france_code
    width = 2
    code = insee_code(code_cell, width)
    if code is None:
        return None
    if sheet_level == "departement" and len(code) == 3 and not code.startswith("97"):
        return None
    return sheet_level, code


def _insee_sheets(workbook: CalamineWorkbook, filename: str, report: ImportReport) -> list[tuple]:
    """``(sheet, level, rows, header)`` of the first sheet of each level named like Insee's AND in its
    layout (a header ``Code | Libellé | T1_1982 …``): an analyst's own sheet placed first is passed over."""
    chosen: dict[str, tuple] = {}
    passed: list[str] = []
    for sheet in workbook.sheet_names:
        level = sheet_level(sheet)
        if level is None or level in chosen:
            continue
        try:
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        except Exception:  # noqa: BLE001 — a chart sheet has no cells: not in the layout
            rows = []
        header = _find_header(rows)
        if header is None:
            passed.append(sheet)
        else:
            chosen[level] = (sheet, level, rows, header)
    found = ", ".join(f"« {name} »" for name in workbook.sheet_names) or "aucune"
    if not chosen and not passed:
        raise DataError(
            f"« {filename} » ne contient ni feuille « Département » ni feuille « Région » (feuilles trouvées : {found})."
        )
    if not chosen:
        raise DataError(
            f"« {filename} » : ligne d'en-tête introuvable dans les feuilles {', '.join(f'« {s} »' for s in passed)}. "
            "Le fichier Insee doit contenir une feuille « Département » ou « Région » avec une ligne "
            f"« Code | Libellé | T1_1982 … » ; vérifiez qu'il s'agit bien des taux de chômage localisés (feuilles "
            f"trouvées : {found})."
        )
    for sheet in passed:
        report.notes.append(f"Feuille « {sheet} » non lue : pas de ligne « Code | Libellé | T1_1982 … » "
                            "(pas au format Insee).")
    return list(chosen.values())


def _read_sheet(rows: list[list], level: str, header: tuple, report: ImportReport) -> list[tuple]:
    header, code_col, name_col, quarters = header
    records: list[tuple] = []
    seen: set[tuple[str, str]] = set()
    for row in rows[header + 1 :]:
        if not any(str(cell).strip() for cell in row):
            continue  # blank spacer rows are layout, not data
        report.rows_read += 1
        name = str(row[name_col]).strip() if name_col < len(row) else ""
        kind = _classify(row[code_col], name, level)
        if kind is None:
            report.reject("note de bas de tableau ou code non reconnu")
            continue
        if kind in seen:
            report.reject("code en double")
            continue
        values = []
        for col, quarter in quarters.items():
            cell = row[col] if col < len(row) else ""
            if cell in ("", None):
                continue  # not estimated that quarter (e.g. DOM before 2014)
            try:
                rate = float(str(cell).replace(",", ".").replace("\u00a0", ""))
            except ValueError:
                report.reject("valeur non numérique")
                continue
            if not 0 <= rate <= 100:
                report.reject("taux hors de l'intervalle 0–100")
                continue
            values.append((kind[0], kind[1], name, quarter, rate))
        if not values:
            report.reject("aucune valeur")
            continue
        seen.add(kind)
        report.rows_kept += 1
        records.extend(values)
    return records


def read_unemployment(source: str | Path | bytes, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Read an Insee localised-unemployment workbook into the tidy long table."""
    filename = filename or (Path(str(source)).name if not isinstance(source, (bytes, bytearray)) else "fichier")
    workbook = _open_workbook(source, filename)
    report = ImportReport(source=f"Taux de chômage localisés ({filename})")
    records: list[tuple] = []
    for _sheet, level, rows, header in _insee_sheets(workbook, filename, report):
        records.extend(_read_sheet(rows, level, header, report))
    if not records:
        raise DataError(f"« {filename} » ne contient aucun taux de chômage exploitable.")
    frame = pd.DataFrame.from_records(records, columns=COLUMNS)
    if frame["rate"].max() <= 1:
        raise DataError(
            f"« {filename} » : tous les taux sont inférieurs ou égaux à 1 (ex. {frame['rate'].iloc[0]:.3f}) : ils semblent "
            "écrits en fraction (0,075) et non en pourcentage (7,5). Utilisez le fichier Insee d'origine, en %."
        )
    # A France row may appear on both sheets: keep one.
    frame = frame.drop_duplicates(["level", "code", "quarter"]).astype({c: "str" for c in COLUMNS[:4]})
    return frame.sort_values(["level", "code", "quarter"], ignore_index=True), report
