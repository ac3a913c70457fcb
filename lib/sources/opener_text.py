"""Text tables (CSV): separator and header line found, ragged rows set aside, quoted fields, fast Arrow reading."""
from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd

from lib.core.errors import DataError
from lib.sources.opener_columns import (
    HEADER_SEARCH_LINES,
    UserTable,
    _missing_header,
    _refuse_ambiguity,
    canonical_columns,
    other_columns,
    place_notes,
)

SEPARATORS = (";", ",", "\t", "|")


def _split(line: str, sep: str) -> list[str]:
    try:
        return next(csv.reader([line], delimiter=sep))
    except (csv.Error, StopIteration):
        return line.split(sep)


def _find_text_header(lines: list[str], columns: dict, min_match: int) -> tuple[int, str, dict[int, str]] | None:
    best: tuple[int, int, str, dict[int, str]] | None = None
    for index, line in enumerate(lines[:HEADER_SEARCH_LINES]):
        if not line.strip():
            continue
        for sep in SEPARATORS:
            if sep not in line:
                continue
            found = canonical_columns(_split(line, sep), columns)
            if len(found) >= min_match and (best is None or len(found) > best[0]):
                best = (len(found), index, sep, found)
    return None if best is None else best[1:]


def _text(text: str, filename: str, columns: dict, what: str, min_match: int, others: bool = False) -> UserTable:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # the line breaks the CSV parsers know
    head = text.split("\n", HEADER_SEARCH_LINES)[:HEADER_SEARCH_LINES]
    header = _find_text_header(head, columns, min_match)
    if header is None:
        raise _missing_header(filename, what, columns)
    start, sep, found = header
    _refuse_ambiguity(_split(head[start], sep), columns, filename)
    notes = [f"{start} ligne(s) de titre ignorée(s) au-dessus de l'en-tête."] if start else []
    notes += place_notes(_split(head[start], sep), found, columns)
    width = len(_split(head[start], sep))
    if '"' in text:
        frame, numbers, ragged = _quoted_rows(text.split("\n")[start + 1:], sep, width, start + 2, filename)
    else:
        frame, numbers, ragged = _fast_rows(text, start, sep, width)
    if not len(frame) and not ragged:
        raise DataError(f"« {filename} » ne contient que l'en-tête : aucune ligne de données.")
    kept = other_columns(_split(head[start], sep), found) if others else {}
    rest = frame[list(kept)].rename(columns=kept).astype("str").reset_index(drop=True) if others else None
    frame = frame[list(found)].rename(columns=found).reset_index(drop=True)
    return UserTable(frame, numbers, "text", notes, ragged, others=rest)


def _fast_rows(text: str, start: int, sep: str, width: int):
    """Without quotes a record is one line and has (separators + 1) fields: checked vectorised on
    Arrow strings (no Python object per line), then the good lines parsed by pandas' C reader."""
    import pyarrow as pa
    import pyarrow.compute as pc

    body = pc.split_pattern(pa.array([text], type=pa.large_string()), "\n").flatten()[start + 1:]
    numbers = np.arange(start + 2, start + 2 + len(body), dtype=np.int64)  # 1-based line numbers
    blank = pc.equal(pc.utf8_trim_whitespace(body), "").to_numpy(zero_copy_only=False)
    empty = pc.equal(body, "").to_numpy(zero_copy_only=False)
    full = pc.count_substring(body, sep).to_numpy(zero_copy_only=False) + 1
    trimmed = pc.count_substring(pc.utf8_rtrim(body, characters=sep + " "), sep).to_numpy(zero_copy_only=False) + 1
    del body
    good = ~blank & ((full == width) | ((full > width) & (trimmed <= width)))
    bad = ~blank & ~good
    ragged = {int(n): f"nombre de champs incorrect ({f} au lieu de {width})" for n, f in zip(numbers[bad], full[bad])}
    skipped = set(range(start + 1)) | {int(n) - 1 for n in numbers[~good]}
    if not good.any():
        return pd.DataFrame(columns=range(width), dtype="str"), numbers[good], ragged
    if (good | empty).all():  # the usual clean export: Arrow's multithreaded reader, Arrow strings kept
        return _arrow_rows(text, start, sep, width), numbers[good], ragged
    frame = pd.read_csv(io.StringIO(text), sep=sep, header=None, names=range(width), usecols=range(width),
                        skiprows=skipped, dtype="str", keep_default_na=False, na_filter=False,
                        quoting=csv.QUOTE_NONE, skip_blank_lines=False, engine="c")
    if len(frame) > good.sum():  # the empty string after a final line break
        frame = frame.iloc[: int(good.sum())]
    return frame, numbers[good], ragged


def _arrow_rows(text: str, start: int, sep: str, width: int) -> pd.DataFrame:
    import pyarrow as pa
    import pyarrow.csv as pa_csv

    names = [str(i) for i in range(width)]
    table = pa_csv.read_csv(
        io.BytesIO(text.encode("utf-8")),
        read_options=pa_csv.ReadOptions(skip_rows=start + 1, column_names=names, block_size=16 * 1024**2),
        parse_options=pa_csv.ParseOptions(delimiter=sep, quote_char=False, newlines_in_values=False),
        convert_options=pa_csv.ConvertOptions(column_types={n: pa.string() for n in names}, strings_can_be_null=False,
                                              quoted_strings_can_be_null=False),
    )
    frame = table.to_pandas(types_mapper=lambda t: pd.StringDtype(na_value=np.nan) if t == pa.string() else None)
    frame.columns = range(width)
    return frame


def _quoted_rows(body: list[str], sep: str, width: int, first_line: int, filename: str):
    """Quoted fields may hold separators and line breaks: the csv module, record by record."""
    rows, numbers, ragged = [], [], {}
    reader = csv.reader(io.StringIO("\n".join(body)), delimiter=sep, strict=True)
    previous = 0
    try:
        for row in reader:
            line = first_line + previous  # first physical line of this record
            previous = reader.line_num
            if not any(cell.strip() for cell in row):
                continue  # blank line
            if len(row) > width and not any(cell.strip() for cell in row[width:]):
                row = row[:width]  # trailing separators, as spreadsheets write them
            if len(row) != width:
                ragged[line] = f"nombre de champs incorrect ({len(row)} au lieu de {width})"
                continue
            rows.append(row)
            numbers.append(line)
    except csv.Error as err:
        raise DataError(
            f"« {filename} », ligne {first_line + previous} : {_csv_reason(err)}. Corrigez la ligne ou réenregistrez "
            "le fichier depuis le tableur."
        ) from err
    frame = pd.DataFrame(rows, columns=range(width), dtype="str") if rows else pd.DataFrame(columns=range(width), dtype="str")
    return frame, np.asarray(numbers, dtype=np.int64), ragged


def _csv_reason(err: csv.Error) -> str:
    message = str(err)
    if "unexpected end of data" in message or "EOF" in message:
        return "guillemet ouvert jamais fermé (le reste du fichier serait lu comme une seule cellule)"
    return "ligne illisible (guillemets ou séparateurs mal placés)"
