"""French number formats: ``411 130``, ``7,5 %``, ``+0,3 pt``."""
from __future__ import annotations

from collections.abc import Callable

import pandas as pd

NBSP = "\u202f"  # narrow no-break space, the French thousands separator


def _missing(value: object) -> bool:
    return value is None or bool(pd.isna(value))


def fr_int(value: object) -> str:
    """``411130`` -> ``411 130``; missing -> ``–``."""
    if _missing(value):
        return "–"
    return f"{int(round(float(value))):,}".replace(",", NBSP)


def fr_num(value: object, decimals: int = 1) -> str:
    """``7.46`` -> ``7,5``; a value rounding to zero prints ``0,0`` (never ``-0,0``)."""
    if _missing(value):
        return "–"
    number = round(float(value), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{number:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", NBSP)


def fr_signed(value: object, decimals: int = 1) -> str:
    """``0.34`` -> ``+0,3``, ``-0.34`` -> ``−0,3``; the sign is that of the printed (rounded) value, so a
    difference that rounds to zero prints ``0,0`` without a sign."""
    if _missing(value):
        return "–"
    rounded = round(float(value), decimals)
    sign = "+" if rounded > 0 else ("−" if rounded < 0 else "")
    return f"{sign}{fr_num(abs(rounded), decimals)}"


def fr_pct(value: object, decimals: int = 1, fraction: bool = False) -> str:
    """A percentage: ``fr_pct(7.5)`` -> ``7,5 %``; ``fr_pct(0.075, fraction=True)`` -> ``7,5 %``."""
    if _missing(value):
        return "–"
    return f"{fr_num(float(value) * (100 if fraction else 1), decimals)}{NBSP}%"


def fr_points(value: object, decimals: int = 1) -> str:
    """A difference of rates in points, signed: ``+0,3 pt``; ``0,0 pt`` when it rounds to zero."""
    if _missing(value):
        return "–"
    return f"{fr_signed(value, decimals)}{NBSP}pt"


# Display formats by name, for tables and tooltips (« pct » : 7,5 %, « int » : 411 130…).
FORMATTERS: dict[str, Callable[[object], str]] = {
    "pct": fr_pct,
    "pct_fraction": lambda v: fr_pct(v, fraction=True),
    "points": fr_points,
    "points_fraction": lambda v: fr_points(v * 100 if v == v and v is not None else v),
    "int": fr_int,
    "num1": fr_num,
    "num2": lambda v: fr_num(v, 2),
    "km": lambda v: f"{fr_num(v)}\u202fkm",
}
