"""Text helpers shared by readers: accent-free comparison of labels and codes."""
from __future__ import annotations

import re
import unicodedata


def normalise(text: object) -> str:
    """Lower-case, accent-free, single-spaced version of a label, for matching."""
    if text is None:
        return ""
    plain = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", plain.lower()).strip()


def insee_code(value: object, width: int) -> str | None:
    """An Insee code as text, restoring leading zeros lost by a spreadsheet (1.0 -> "01").

    Corsican codes ("2A", "2B") and overseas codes ("971") pass through unchanged.
    Returns None when the value is not a code.
    """
    if value is None:
        return None
    if isinstance(value, float):
        if value != value or not value.is_integer():
            return None
        value = int(value)
    text = str(value).strip().upper()
    if re.fullmatch(r"\d+", text):
        return text.zfill(width)
    if re.fullmatch(r"\d[AB]\d*", text):
        return text
    return None
