"""Tables as they are shown: numbers kept for sorting, French display strings beside them."""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.core.fmt import FORMATTERS


def styled(frame: pd.DataFrame, formats: dict[str, str], labels: dict[str, str] | None = None):
    """A Styler showing French formats while keeping numbers sortable in ``st.dataframe``."""
    renamed = frame.rename(columns=labels or {})
    mapping = {(labels or {}).get(col, col): FORMATTERS[kind] for col, kind in formats.items()}
    return renamed.style.format(mapping, na_rep="–")


@dataclass(frozen=True)
class Table:
    """A table a view hands to the page, with its display formats and French headers; turned once into
    what the page's grid sends (``lib.app.present``)."""

    frame: pd.DataFrame
    formats: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] | None = None
    short: dict[str, str] | None = None
