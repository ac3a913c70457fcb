"""Errors and import reports shared by every reader.

A reader never lets a raw parsing exception reach the user: it raises
:class:`DataError` (a ``ValueError``) whose message is plain French, and it
returns an :class:`ImportReport` that says how many rows were read, kept and
rejected, with the reason for each rejection.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field


class DataError(ValueError):
    """Input the dashboard cannot use; ``str(err)`` is a French sentence for the user."""


class AmbiguousColumns(DataError):
    """Several columns of a file fit one field (two commune columns for the residence): nothing is
    guessed; ``choices`` maps each such field to its candidate headers, for the page to ask."""

    def __init__(self, message: str, choices: dict[str, list[str]]):
        super().__init__(message)
        self.choices = choices


MAX_LINES_SHOWN = 8
# Rows read from several sheets are numbered sheet * SHEET_STRIDE + line (an Excel sheet has at most
# 1 048 576 rows): still integers, sorted by sheet then line; the report names the sheet.
SHEET_STRIDE = 10_000_000


@dataclass
class ImportReport:
    """What an importer did with a file: rows read, kept, rejected and why (with line numbers),
    rows excluded as out of scope, and warnings about values kept but unusable."""

    source: str
    rows_read: int = 0
    rows_kept: int = 0
    rejected: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)
    lines: dict[str, list[int]] = field(default_factory=dict)
    excluded: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    sheets: dict[int, str] = field(default_factory=dict)  # number -> name, when lines span several sheets

    def line_label(self, line: int, short: bool = False) -> str:
        """``ligne 12``, or ``feuille « 2024 », ligne 12`` for a row of a workbook read on several sheets
        (``2024:12`` when ``short``)."""
        sheet = self.sheets.get(int(line) // SHEET_STRIDE)
        if sheet is None:
            return str(int(line)) if short else f"ligne {int(line)}"
        return f"{sheet}:{int(line) % SHEET_STRIDE}" if short else f"feuille « {sheet} », ligne {int(line) % SHEET_STRIDE}"

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected.values())

    def reject(self, reason: str, count: int = 1, lines: list[int] | None = None) -> None:
        if count:
            self.rejected[reason] += count
            if lines:
                self.lines.setdefault(reason, []).extend(int(n) for n in lines)

    def exclude(self, reason: str, count: int) -> None:
        """Rows read right but outside the scope shown (e.g. another region): counted apart."""
        if count:
            self.excluded[reason] += count

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _where(self, reason: str) -> str:
        lines = sorted(self.lines.get(reason, []))
        if not lines:
            return ""
        more = "…" if len(lines) > MAX_LINES_SHOWN else ""
        if self.sheets:
            return ", " + ", ".join(self.line_label(n) for n in lines[:MAX_LINES_SHOWN]) + more
        shown = ", ".join(str(n) for n in lines[:MAX_LINES_SHOWN])
        return f", ligne{'s' if len(lines) > 1 else ''} {shown}{more}"

    def summary(self) -> str:
        """French sentences, e.g. for a caption under an upload widget or stderr."""
        from lib.core.fmt import fr_int

        text = (
            f"{self.source} : {fr_int(self.rows_read)} lignes lues, {fr_int(self.rows_kept)} conservées, "
            f"{fr_int(self.rows_rejected)} rejetées"
        )
        if self.excluded:
            text += ", " + ", ".join(f"{fr_int(n)} {reason}" for reason, n in self.excluded.most_common())
        if self.rejected:
            reasons = " ; ".join(f"{reason} ({fr_int(n)}{self._where(reason)})" for reason, n in self.rejected.most_common())
            text += f" — motifs : {reasons}"
        text += "."
        if self.warnings:
            text += " Attention : " + " ".join(w if w.endswith(".") else w + "." for w in self.warnings)
        return text

    def full_text(self) -> str:
        """The summary then the notes: what the CLI prints on stderr."""
        return " ".join([self.summary(), *self.notes])

    def as_table(self):
        """One row per reason (rejected, excluded, warning), for a CSV download."""
        import pandas as pd

        rows = [{"type": "rejetée", "motif": reason, "lignes": n,
                 "numeros_de_ligne": " ".join(self.line_label(x, short=True) for x in sorted(self.lines.get(reason, [])))}
                for reason, n in self.rejected.most_common()]
        rows += [{"type": "exclue", "motif": reason, "lignes": n, "numeros_de_ligne": ""}
                 for reason, n in self.excluded.most_common()]
        rows += [{"type": "avertissement", "motif": text, "lignes": None, "numeros_de_ligne": ""} for text in self.warnings]
        return pd.DataFrame(rows, columns=["type", "motif", "lignes", "numeros_de_ligne"])
