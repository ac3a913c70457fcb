"""The one oracle of the metamorphic tests: the same figures, or refused, or said.

A variant of a clean file is read by the same path the CLI and the pages use. Three outcomes are
right: the figures are identical to the clean file's; the reader refuses it with a
:class:`~lib.core.errors.DataError` (a French message); or the figures differ *and* the import report
says something the clean file's report did not (a new rejection or exclusion reason, more rows
rejected or excluded, or a new kind of warning). Anything else — different figures with nothing
new said, or another exception (a traceback for the user) — fails.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable

import pandas as pd

from lib.core.errors import DataError, ImportReport

Figures = dict[str, pd.DataFrame]
Reading = tuple[Figures, list[ImportReport]]

SAME, REFUSED, SAID = "same", "refused", "said"


class Clean:
    """What the clean file gives: its figures and what its reports already say."""

    def __init__(self, figures: Figures, reports: tuple[ImportReport, ...]):
        self.figures, self.reports = figures, reports

    def __repr__(self) -> str:  # Hypothesis prints the test's arguments: keep it short
        return f"Clean({', '.join(f'{k}: {len(v)} lignes' for k, v in self.figures.items())})"


def _kind(message: str) -> str:
    """A warning without its counts and line numbers: ``12 valeur(s)…`` and ``3 valeur(s)…`` are the
    same kind, so that a shifted line number is not taken for something new."""
    return re.sub(r"\d[\d\s\u00a0\u202f,.…]*", "#", message)


def _said(reports: Iterable[ImportReport]) -> tuple[set[str], int, int, set[str]]:
    reasons, rejected, excluded, warnings = set(), 0, 0, set()
    for report in reports:
        reasons |= {_kind(r) for r in report.rejected} | {_kind(r) for r in report.excluded}
        rejected += report.rows_rejected
        excluded += sum(report.excluded.values())
        warnings |= {_kind(w) for w in report.warnings}
    return reasons, rejected, excluded, warnings


def news(clean_reports: Iterable[ImportReport], reports: Iterable[ImportReport]) -> list[str]:
    """What the variant's reports say that the clean file's did not (empty: nothing new said)."""
    reasons0, rejected0, excluded0, warnings0 = _said(clean_reports)
    reasons, rejected, excluded, warnings = _said(reports)
    out = [f"motif : {r}" for r in sorted(reasons - reasons0)]
    out += [f"avertissement : {w}" for w in sorted(warnings - warnings0)]
    if rejected > rejected0:
        out.append(f"{rejected - rejected0} ligne(s) rejetée(s) de plus")
    if excluded > excluded0:
        out.append(f"{excluded - excluded0} ligne(s) exclue(s) de plus")
    return out


def differences(clean: Figures, figures: Figures) -> list[str]:
    """The figure tables that differ (empty: identical, values and dtypes)."""
    out = []
    for name in sorted(set(clean) | set(figures)):
        if name not in clean or name not in figures:
            out.append(f"{name}: table absente d'un côté")
            continue
        try:
            pd.testing.assert_frame_equal(figures[name], clean[name], check_exact=True)
        except AssertionError as err:
            out.append(f"{name}: {str(err).strip()[:600]}")
    return out


def assert_same_or_said(clean: Clean, variant_callable: Callable[[], Reading]) -> str:
    """Read a variant (``variant_callable`` returns its figures and reports) and check the oracle.

    Returns ``"same"``, ``"refused"`` or ``"said"``; raises AssertionError when the variant gives
    other figures with nothing new in its reports. Any exception other than DataError propagates:
    the user would have seen a traceback instead of a French message.
    """
    try:
        figures, reports = variant_callable()
    except DataError as err:
        assert str(err).strip(), "DataError sans message"
        return REFUSED
    diff = differences(clean.figures, figures)
    if not diff:
        return SAME
    said = news(clean.reports, reports)
    assert said, ("chiffres différents sans rien de nouveau dans le rapport d'import :\n  "
                  + "\n  ".join(diff) + "\nrapports :\n  " + "\n  ".join(r.full_text() for r in reports))
    return SAID
