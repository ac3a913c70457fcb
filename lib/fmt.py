"""French number formats: ``411 130``, ``7,5 %``, ``+0,3 pt``."""
from __future__ import annotations

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
    """``7.46`` -> ``7,5``."""
    if _missing(value):
        return "–"
    return f"{float(value):,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", NBSP)


def fr_pct(value: object, decimals: int = 1, fraction: bool = False) -> str:
    """A percentage: ``fr_pct(7.5)`` -> ``7,5 %``; ``fr_pct(0.075, fraction=True)`` -> ``7,5 %``."""
    if _missing(value):
        return "–"
    return f"{fr_num(float(value) * (100 if fraction else 1), decimals)}{NBSP}%"


def fr_points(value: object, decimals: int = 1) -> str:
    """A difference of rates in points, signed: ``+0,3 pt``."""
    if _missing(value):
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return f"{sign}{fr_num(abs(float(value)), decimals)}{NBSP}pt"
