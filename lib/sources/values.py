"""Cell parsers shared by the importers: the same value written the ways real exports write it.

Each parser works on the distinct values of a column (a million records hold a few thousand
distinct dates and a handful of codes), so it stays fast, and returns the parsed column plus
a mask of cells that were filled but could not be read (for the import report).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.text import normalise

EXCEL_EPOCH = pd.Timestamp("1899-12-30")
# Excel serial numbers of 1990-01-01 .. 2100-01-01: a bare number in that range in a date column.
SERIAL_RANGE = (32874, 73051)
DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d/%m/%y", "%Y%m%d")
TRUE_WORDS = {"1", "oui", "o", "vrai", "true", "t", "yes", "y", "x"}
FALSE_WORDS = {"0", "non", "n", "faux", "false", "f", "no"}
SPACES = re.compile(r"[\s\u00a0\u202f']")


def _by_unique(values: pd.Series, parse) -> pd.Series:
    """Apply ``parse`` (unique values -> parsed values) and broadcast back to the column."""
    codes, uniques = pd.factorize(values.astype("str"), use_na_sentinel=False)
    parsed = parse(pd.Series(uniques, dtype="str").str.strip())
    return pd.Series(np.asarray(parsed)[codes], index=values.index)


def dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """ISO, ``dd/mm/yyyy``, with a time part, Excel serial numbers -> (datetime64, invalid mask)."""
    def parse(uniques: pd.Series) -> np.ndarray:
        day = uniques.str.split("T").str[0].str.split(" ").str[0]
        parsed = pd.Series(pd.NaT, index=uniques.index, dtype="datetime64[ns]")
        for fmt in DATE_FORMATS:
            missing = parsed.isna() & day.ne("")
            if not missing.any():
                break
            parsed[missing] = pd.to_datetime(day[missing], format=fmt, errors="coerce")
        serial = pd.to_numeric(uniques.str.replace(",", ".", regex=False), errors="coerce")
        is_serial = parsed.isna() & serial.between(*SERIAL_RANGE) & uniques.str.fullmatch(r"\d{5}([.,]\d+)?")
        parsed[is_serial] = EXCEL_EPOCH + pd.to_timedelta(serial[is_serial].astype(int), unit="D")
        return parsed.to_numpy()

    parsed = pd.to_datetime(_by_unique(values, parse))
    filled = values.astype("str").str.strip().ne("")
    return parsed, filled & parsed.isna()


def _keys(uniques: pd.Series) -> pd.Series:
    """Comparison keys: ``2.0`` -> ``2`` (spreadsheets), then no case, accents, spaces or punctuation."""
    numeric = uniques.str.replace(r"^(\d+)(?:[.,]0+)?$", r"\1", regex=True)
    keys = numeric.map(lambda v: normalise(v).replace(" ", ""))
    return keys.where(keys.ne("") | uniques.eq(""), "\x01")  # "?" is filled, not empty


def flags(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """0/1, oui/non, vrai/faux, O/N, TRUE/FALSE -> 1.0 / 0.0 / NaN (empty), plus the invalid mask.

    A column written with ``x`` for yes and nothing else (a tick column) reads empty as 0.
    """
    def parse(uniques: pd.Series) -> np.ndarray:
        words = _keys(uniques)
        out = np.full(len(words), np.nan)
        out[words.isin(TRUE_WORDS).to_numpy()] = 1.0
        out[words.isin(FALSE_WORDS).to_numpy()] = 0.0
        out[(words.ne("") & ~words.isin(TRUE_WORDS | FALSE_WORDS)).to_numpy()] = -1.0
        return out

    parsed = _by_unique(values, parse).astype(float)
    if is_tick_column(values):
        parsed = parsed.fillna(0.0)
    invalid = parsed.eq(-1.0)
    return parsed.where(~invalid, np.nan), invalid


def is_tick_column(values: pd.Series) -> bool:
    """True when the only filled value is ``x`` (ticked) and some cells are empty."""
    distinct = set(values.astype("str").str.strip().str.lower().unique())
    return distinct == {"x", ""}


def numbers(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``"14 322"``, ``"25,0"``, ``"1.0"`` -> floats (NaN when empty), plus the invalid mask."""
    def parse(uniques: pd.Series) -> np.ndarray:
        text = uniques.str.replace(SPACES, "", regex=True)
        comma_decimal = text.str.fullmatch(r"-?\d+,\d+")
        text = text.where(~comma_decimal, text.str.replace(",", ".", regex=False))
        return pd.to_numeric(text.replace("", np.nan), errors="coerce").to_numpy(dtype=float)

    parsed = _by_unique(values, parse).astype(float)
    filled = values.astype("str").str.strip().ne("")
    return parsed, filled & parsed.isna()


def coded(values: pd.Series, vocabulary: dict[str, tuple[str, ...]]) -> tuple[pd.Series, pd.Series]:
    """Codes or French labels -> codes: ``vocabulary`` maps each code to its labels and variants,
    compared without case, accents or punctuation. Returns (codes with "" when empty, unknown mask)."""
    lookup: dict[str, str] = {}
    for code, labels in vocabulary.items():
        for label in (code, *labels):
            lookup.setdefault(_keys(pd.Series([label], dtype="str")).iloc[0], code)

    def parse(uniques: pd.Series) -> np.ndarray:
        keys = _keys(uniques)
        codes = keys.map(lookup)
        return np.where(keys.eq(""), "", codes.fillna("\x00").to_numpy(dtype=object))

    parsed = _by_unique(values, parse)
    unknown = parsed.eq("\x00")
    return parsed.where(~unknown, "").astype("str"), unknown
