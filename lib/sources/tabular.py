"""Reading the delimited text files of public producers, with French messages.

Insee and ministries publish CSV with ``;`` separators, a UTF-8 BOM or Windows-1252,
French numbers (``6 490``, ``55,3``), empty cells for statistical secrecy and trailing
empty columns. These helpers read such files as text, check the layout and parse
numbers without ever turning a secret cell into 0.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np
import pandas as pd

from lib.core.errors import DataError
from lib.sources.opener import open_bytes
from lib.sources.opener_formats import decode_text

SPACES = ["\u00a0", "\u202f", " "]


def load_bytes(source: str | Path | bytes, filename: str) -> bytes:
    """The shared opener's bytes (path or bytes, French messages, size limit)."""
    return open_bytes(source, filename)


def decode(data: bytes, filename: str) -> str:
    """The shared opener's decoding (UTF-8 with or without BOM, UTF-16, cp1252)."""
    return decode_text(data, filename)


def read_text_table(
    text: str,
    filename: str,
    sep: str,
    required: list[str],
    what: str,
    skip_until: str | None = None,
) -> pd.DataFrame:
    """All cells as stripped strings ('' for empty); checks separator and required columns.

    ``skip_until``: metadata lines are skipped until the first line starting with this
    text (ANCT files put five lines of notes before the header).
    """
    lines = text.splitlines()
    if skip_until is not None:
        start = next((i for i, line in enumerate(lines) if line.lstrip('"').startswith(skip_until)), None)
        if start is None:
            raise DataError(f"« {filename} » ne ressemble pas à {what} : ligne d'en-tête « {skip_until}… » introuvable.")
        lines = lines[start:]
    header_line = lines[0] if lines else ""
    if sep not in header_line:
        found = next((s for s in (";", ",", "\t", "|") if s in header_line), None)
        hint = f" (séparateur trouvé : « {found} »)" if found else ""
        raise DataError(
            f"« {filename} » : séparateur « {sep} » attendu pour {what}{hint}. "
            "Enregistrez le fichier au format d'origine du producteur."
        )
    frame = pd.read_csv(io.StringIO("\n".join(lines)), sep=sep, dtype=str, keep_default_na=False,
                        quoting=csv.QUOTE_MINIMAL, skipinitialspace=False)
    frame.columns = [str(c).strip() for c in frame.columns]
    frame = frame.loc[:, [c for c in frame.columns if c and not c.startswith("Unnamed")]]
    missing = [c for c in required if c not in frame.columns]
    if missing:
        raise DataError(
            f"« {filename} » ne ressemble pas à {what} : colonne(s) absente(s) : {', '.join(missing)}."
        )
    return frame.apply(lambda col: col.str.strip())


def french_numbers(values: pd.Series) -> pd.Series:
    """``"6 490"`` -> 6490.0, ``"55,3"`` -> 55.3, ``""`` (secret) -> NaN, never 0."""
    text = values.astype(str)
    for space in SPACES:
        text = text.str.replace(space, "", regex=False)
    text = text.str.replace(",", ".", regex=False)
    numbers = pd.to_numeric(text.replace("", np.nan), errors="coerce")
    return numbers.astype(float)
