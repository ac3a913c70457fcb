"""Tables given as rows of cells: workbook sheets (xlsx, xls) and HTML tables, the header searched on each."""
from __future__ import annotations

import datetime as dt
import io

import numpy as np
import pandas as pd

from lib.core.errors import SHEET_STRIDE, DataError
from lib.sources.opener_columns import (
    HEADER_SEARCH_LINES,
    UserTable,
    _missing_header,
    _named,
    _refuse_ambiguity,
    canonical_columns,
    other_columns,
    place_notes,
)
from lib.sources.opener_formats import FORMAT_LABELS, decode_text
from lib.sources.opener_formulas import untrusted_formulas


def cell_text(value: object) -> str:
    """A spreadsheet or parquet cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time(0) else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.timedelta):
        return ""
    return str(value).strip()


def _workbook(data: bytes, filename: str, kind: str, columns: dict, what: str, min_match: int,
              others: bool = False) -> UserTable:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as err:  # calamine raises several unrelated types for a damaged workbook
        raise DataError(f"« {filename} » est un {FORMAT_LABELS[kind]} illisible (incomplet ou endommagé) : ouvrez-le "
                        "dans le tableur et enregistrez-le de nouveau, ou exportez-le en CSV.") from err
    sheets = []
    for sheet in workbook.sheet_names:
        try:
            sheets.append((sheet, workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)))
        except Exception:  # a chart sheet or a damaged sheet: not the data
            sheets.append((sheet, []))
    untrusted = untrusted_formulas(data) if kind == "xlsx" else {}
    return _rows_table(sheets, filename, kind, columns, what, min_match, others, untrusted)


def html_tables(data: bytes, filename: str) -> list[list[list[str]]]:
    """The tables of a web page saved as .xls, as rows of cell texts (lxml; refused without it)."""
    try:
        import lxml.etree
        import lxml.html
    except ImportError as err:
        raise DataError(f"« {filename} » est une page HTML enregistrée sous .xls (export web) : ouvrez-la dans le "
                        "tableur et enregistrez-la en XLSX ou en CSV.") from err
    try:
        document = lxml.html.document_fromstring(decode_text(data, filename))
    except (ValueError, lxml.etree.ParserError) as err:
        raise DataError(f"« {filename} » est une page HTML illisible : enregistrez le tableau en XLSX ou en CSV.") from err
    tables = []
    for table in document.iter("table"):
        rows = [[" ".join(cell.text_content().split()) for cell in row if cell.tag in ("td", "th")]
                for row in table.iter("tr")]
        if sum(1 for row in rows if any(row)) >= 2:
            tables.append(rows)
    return tables


def html_table(data: bytes, filename: str) -> list[list[str]]:
    """The one table of a web page saved as .xls; several or none: refused (which one is the data?)."""
    tables = html_tables(data, filename)
    if len(tables) != 1:
        raise DataError(f"« {filename} » est une page HTML enregistrée sous .xls (export web) qui contient "
                        f"{len(tables) or 'aucun'} tableau{'x' if len(tables) > 1 else ''} : ouvrez-la dans le tableur "
                        "et enregistrez le tableau voulu en XLSX ou en CSV.")
    return tables[0]


def _html(data: bytes, filename: str, columns: dict, what: str, min_match: int, others: bool = False) -> UserTable:
    table = _rows_table([("page", html_table(data, filename))], filename, "html", columns, what, min_match, others)
    table.notes.insert(0, f"« {filename} » est une page HTML enregistrée sous .xls (export web) : son tableau a été lu.")
    return table


def _rows_table(sheets: list[tuple[str, list[list]]], filename: str, kind: str, columns: dict, what: str,
                min_match: int, others: bool = False, untrusted: dict | None = None) -> UserTable:
    """A table from rows of cells (workbook sheets, an HTML table): the header row searched in the
    first lines of each sheet. Every sheet whose header has the fields of the best one is read (the
    records of 2023 and 2024 on two sheets), its rows numbered per sheet; a sheet with another header
    is named as not read, never dropped unsaid."""
    headers = []  # (sheet, rows, header index, position -> field), one per sheet that has a header
    for sheet, rows in sheets:
        here = None
        for index, row in enumerate(rows[:HEADER_SEARCH_LINES]):
            found = canonical_columns([cell_text(c) for c in row], columns)
            if len(found) >= min_match and (here is None or len(found) > len(here[3])):
                here = (sheet, rows, index, found)
        if here:
            headers.append(here)
    if not headers:
        names = ", ".join(f"« {s} »" for s, _ in sheets) or "aucune"
        raise _missing_header(filename, what, columns, f" dans aucune feuille (feuilles : {names})" if kind != "html" else "")
    best = max(headers, key=lambda h: len(h[3]))  # the first of the fullest headers
    fields = set(best[3].values())
    read = [h for h in headers if set(h[3].values()) == fields]
    several = len(read) > 1
    frames, rests, numbers, counts, table_sheets = [], [], [], [], {}
    for number, (sheet, rows, start, found) in enumerate(read, start=1):
        _refuse_ambiguity([cell_text(c) for c in rows[start]], columns, filename)
        body = [(line, row) for line, row in enumerate(rows[start + 1:], start=start + 2) if any(cell_text(c) for c in row)]
        _refuse_formulas((untrusted or {}).get(sheet, set()), {line - 1 for line, _ in body}, found, sheet, filename,
                         columns)
        counts.append(f"« {sheet} » ({len(body)} ligne{'s' if len(body) > 1 else ''})")
        if not body:
            continue
        frames.append(pd.DataFrame({name: [cell_text(row[pos]) if pos < len(row) else "" for _, row in body]
                                    for pos, name in found.items()}, dtype="str"))
        if others:
            kept = other_columns([cell_text(c) for c in rows[start]], found)
            rests.append(pd.DataFrame({name: [cell_text(row[pos]) if pos < len(row) else "" for _, row in body]
                                       for pos, name in kept.items()}, index=range(len(body)), dtype="str"))
        offset = number * SHEET_STRIDE if several else 0
        numbers.append(np.asarray([offset + line for line, _ in body], dtype=np.int64))
        if several:
            table_sheets[number] = sheet
    if not frames:
        where = ", ".join(f"« {h[0]} »" for h in read)
        raise DataError(f"« {filename} » (feuille{'s' if several else ''} {where}) ne contient que l'en-tête : "
                        "aucune ligne de données.")
    notes, warnings = place_notes([cell_text(c) for c in best[1][best[2]]], best[3], columns), []
    if several:
        notes.append(f"Feuilles lues (même en-tête) : {', '.join(counts)} ; numéros de ligne donnés par feuille.")
    elif len(sheets) > 1:
        notes.append(f"Feuille lue : « {best[0]} ».")
    for sheet, _, _, found in headers:
        if (sheet, found) not in [(h[0], h[3]) for h in read]:
            missing = sorted(fields - set(found.values()))
            extra = sorted(set(found.values()) - fields)
            detail = "; ".join(part for part in (missing and f"sans {_named(columns, missing)}",
                                                 extra and f"avec {_named(columns, extra)}") if part)
            warnings.append(f"feuille « {sheet} » non lue : son en-tête diffère de celui de « {best[0]} » ({detail}) ; "
                            "mettez ses lignes sous le même en-tête si elles doivent compter")
    unread = [f"« {sheet} »" for sheet, _ in sheets if sheet not in {h[0] for h in headers}]
    if unread and len(sheets) > 1:
        notes.append(f"Feuille{'s' if len(unread) > 1 else ''} sans en-tête de données, non lue{'s' if len(unread) > 1 else ''} : "
                     f"{', '.join(unread)}.")
    frame = pd.concat(frames, ignore_index=True) if several else frames[0]
    rest = pd.concat(rests, ignore_index=True).fillna("").astype("str") if others else None
    return UserTable(frame.fillna("").astype("str") if several else frame, np.concatenate(numbers), kind, notes,
                     warnings=warnings, sheets=table_sheets, others=rest)


def _refuse_formulas(cells: set[tuple[int, int]], rows: set[int], found: dict[int, str], sheet: str,
                     filename: str, columns: dict) -> None:
    """A formula whose saved value is not its result, in a column read on a data row: the figure
    would be the program's placeholder (0 or empty), so the file is refused with the way out."""
    used = sorted((row, column) for row, column in cells if row in rows and column in found)
    if not used:
        return
    fields = list(dict.fromkeys(found[column] for _, column in used))
    lines = ", ".join(str(row + 1) for row, _ in used[:5]) + ("…" if len(used) > 5 else "")
    raise DataError(
        f"« {filename} » (feuille « {sheet} ») : {len(used)} cellule(s) de la colonne {_named(columns, fields)} sont des formules "
        f"dont le classeur ne garde pas le résultat (lignes {lines}) : le fichier a été écrit par un programme et jamais "
        "recalculé, ses valeurs enregistrées (0 ou vide) ne sont pas celles que le tableur afficherait. Ouvrez et "
        "enregistrez le fichier dans un tableur (Excel, LibreOffice), puis importez-le de nouveau.")
