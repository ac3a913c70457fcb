"""A table as an analyst's file holds it, and the writers that turn it into CSV or XLSX bytes.

A :class:`Grid` keeps the header as written (duplicates allowed), the canonical field of each
column (``None`` for a column the reader does not know), title lines above the header and lines
below the data (totals). Cells are text, or typed values (int, float, bool, datetime) for a
workbook; the CSV writer writes typed values the way a spreadsheet's CSV export does.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

import pandas as pd


@dataclass(frozen=True)
class Grid:
    header: tuple[str, ...]
    fields: tuple[str | None, ...]
    rows: tuple[tuple, ...]
    above: tuple[tuple, ...] = ()
    below: tuple[tuple, ...] = ()
    sheet_rows: tuple[int, ...] = field(default=())  # workbook: where the data rows are cut into sheets

    @classmethod
    def from_frame(cls, frame: pd.DataFrame) -> Grid:
        return cls(tuple(frame.columns), tuple(frame.columns), tuple(map(tuple, frame.itertuples(index=False))))

    def positions(self, name: str) -> list[int]:
        return [i for i, f in enumerate(self.fields) if f == name]

    def map_cells(self, name: str, fn: Callable[[object], object]) -> Grid:
        """Every cell of field ``name`` (all its copies) through ``fn``."""
        where = set(self.positions(name))
        if not where:
            return self
        rows = tuple(tuple(fn(c) if i in where else c for i, c in enumerate(row)) for row in self.rows)
        return replace(self, rows=rows)

    def map_column(self, name: str, fn: Callable[[list], list]) -> Grid:
        """The whole column ``name`` through ``fn`` (for changes that depend on the column)."""
        where = self.positions(name)
        if not where:
            return self
        rows = [list(r) for r in self.rows]
        for position in where:
            new = fn([r[position] for r in rows])
            for r, value in zip(rows, new):
                r[position] = value
        return replace(self, rows=tuple(map(tuple, rows)))

    def with_header(self, fn: Callable[[str, str | None], str]) -> Grid:
        return replace(self, header=tuple(fn(h, f) for h, f in zip(self.header, self.fields)))

    def reorder(self, order: Sequence[int]) -> Grid:
        return replace(self, header=tuple(self.header[i] for i in order), fields=tuple(self.fields[i] for i in order),
                       rows=tuple(tuple(r[i] for i in order) for r in self.rows),
                       below=tuple(tuple(r[i] for i in order) if len(r) == len(order) else r for r in self.below))

    def insert_column(self, position: int, header: str, field_name: str | None, cells: Sequence) -> Grid:
        rows = tuple((*r[:position], c, *r[position:]) for r, c in zip(self.rows, cells))
        return replace(self, header=(*self.header[:position], header, *self.header[position:]),
                       fields=(*self.fields[:position], field_name, *self.fields[position:]), rows=rows)


# --- writers ---------------------------------------------------------------------------------


def text_cell(value: object) -> str:
    """A typed cell as a spreadsheet's CSV export writes it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y") if value.time() == dt.time(0) else value.strftime("%d/%m/%Y %H:%M:%S")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def to_csv(grid: Grid, sep: str = ",", encoding: str = "utf-8", quote_all: bool = False, newline: str = "\n",
           bom: bool = False) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=sep, lineterminator=newline,
                        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL)
    for line in grid.above:
        writer.writerow([text_cell(c) for c in line])
    writer.writerow(grid.header)
    for row in (*grid.rows, *grid.below):
        writer.writerow([text_cell(c) for c in row])
    data = buffer.getvalue().encode(encoding)  # UnicodeEncodeError: that encoding cannot hold this file
    return ("\ufeff".encode(encoding) if bom else b"") + data


def to_xlsx(sheets: Sequence[tuple[str, Sequence[Sequence]]]) -> bytes:
    """A workbook with the given sheets (name, rows of cells), in that order."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    for name, rows in sheets:
        sheet = book.create_sheet(title=name)
        for row in rows:
            sheet.append([None if c == "" else c for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def grid_sheets(grid: Grid, name: str = "Entrees") -> list[tuple[str, list]]:
    """The grid as one sheet, or cut into several (``sheet_rows``), each with the header."""
    cuts = [0, *grid.sheet_rows, len(grid.rows)]
    sheets = []
    for number, (start, end) in enumerate(zip(cuts, cuts[1:])):
        rows = [*(grid.above if number == 0 else ()), grid.header, *grid.rows[start:end]]
        if end == len(grid.rows):
            rows += list(grid.below)
        sheets.append((name if number == 0 else f"{name} ({number + 1})", rows))
    return sheets
