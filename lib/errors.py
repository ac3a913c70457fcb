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


@dataclass
class ImportReport:
    """What an importer did with a file: rows read, kept, rejected and why."""

    source: str
    rows_read: int = 0
    rows_kept: int = 0
    rejected: Counter = field(default_factory=Counter)
    notes: list[str] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        return sum(self.rejected.values())

    def reject(self, reason: str, count: int = 1) -> None:
        if count:
            self.rejected[reason] += count

    def summary(self) -> str:
        """One French sentence, e.g. for a caption under an upload widget."""
        from lib.fmt import fr_int

        text = (
            f"{self.source} : {fr_int(self.rows_read)} lignes lues, {fr_int(self.rows_kept)} conservées, "
            f"{fr_int(self.rows_rejected)} rejetées"
        )
        if self.rejected:
            reasons = " ; ".join(f"{reason} ({n})" for reason, n in self.rejected.most_common())
            text += f" — motifs : {reasons}"
        return text + "."
