"""Parquet tables: columns read as the same text a CSV export would hold."""
from __future__ import annotations

import io

import numpy as np
import pandas as pd

from lib.core.errors import DataError
from lib.sources.opener_columns import (
    UserTable,
    _missing_header,
    _refuse_ambiguity,
    canonical_columns,
    other_columns,
    place_notes,
)
from lib.sources.opener_sheets import cell_text


def _parquet_column(values: pd.Series) -> pd.Series:
    """A parquet column as CSV-like text: nulls -> "", 1.0 -> "1", dates ISO (vectorised)."""
    if pd.api.types.is_datetime64_any_dtype(values):
        return values.dt.strftime("%Y-%m-%d").fillna("").astype("str")
    if pd.api.types.is_bool_dtype(values):
        return values.map({True: "1", False: "0"}).fillna("").astype("str")
    if pd.api.types.is_float_dtype(values):
        numbers = values.to_numpy(dtype=float, na_value=np.nan)
        whole = np.isfinite(numbers) & (numbers == np.round(numbers))
        text = np.where(whole, np.round(np.nan_to_num(numbers, posinf=0, neginf=0)).astype(np.int64).astype(str),
                        values.astype(str))
        return pd.Series(np.where(np.isnan(numbers), "", text), index=values.index, dtype="str")
    if pd.api.types.is_integer_dtype(values):
        return values.astype("str").fillna("")
    if isinstance(values.dtype, pd.StringDtype):
        return values.fillna("").astype("str")
    return values.map(cell_text).astype("str")


def _parquet(data: bytes, filename: str, columns: dict, what: str, min_match: int, others: bool = False) -> UserTable:
    try:
        frame = pd.read_parquet(io.BytesIO(data))
    except Exception as err:  # pyarrow raises its own types for a damaged file
        raise DataError(f"« {filename} » : fichier parquet incomplet ou endommagé (transfert interrompu ?) ; "
                        "exportez-le de nouveau.") from err
    found = canonical_columns(list(frame.columns), columns)
    if len(found) < min_match:
        raise _missing_header(filename, what, columns)
    _refuse_ambiguity(list(frame.columns), columns, filename)
    if frame.empty:
        raise DataError(f"« {filename} » ne contient aucune ligne de données.")
    picked = frame.iloc[:, list(found)]
    picked.columns = list(found.values())
    text = pd.DataFrame({name: _parquet_column(picked[name]) for name in picked.columns})
    kept = other_columns([str(c) for c in frame.columns], found) if others else {}
    rest = pd.DataFrame({name: _parquet_column(frame.iloc[:, position]) for position, name in kept.items()}) \
        if others else None
    # Line numbers as a spreadsheet would show them (header = line 1).
    return UserTable(text, np.arange(2, len(text) + 2, dtype=np.int64), "parquet", others=rest,
                     notes=place_notes(list(frame.columns), found, columns))
