"""One opener for every file an analyst brings: path or bytes, format recognised by content.

The CLI and the pages both call :func:`open_bytes` then :func:`read_user_table`, so they
accept exactly the same files:

- text tables (CSV ``,`` ``;`` tab or ``|``), UTF-8 with or without BOM, UTF-16, cp1252;
  a title line or two above the header; ragged rows set aside with their line number;
- Excel workbooks ``.xlsx`` and ``.xls``, and OpenDocument ``.ods`` (LibreOffice), whatever their name says (the data sheet is the one
  whose header matches the expected columns);
- parquet (nulls and float 0/1/NaN columns are read as text like the other formats);
- a zip archive holding a single such file (said in the notes); a web page saved as .xls holding
  one HTML table (said too).

Refused with a French message naming the real format: a password-protected workbook (an OLE
container, not a damaged .xls), another Office document, an Excel 2003 XML spreadsheet, an
archive of several files, a truncated parquet or workbook.

Every cell comes out as text (``""`` when empty; the value parsers strip it), so that one set of value parsers
(:mod:`lib.sources.values`) gives the same figures whatever the format. Each row keeps the
line number a user would see in a text editor or a spreadsheet, for the import report.

Here: the bytes within the size limit, the one file of a zip archive, and the reader for each format.
By concern, beside it: :mod:`~lib.sources.opener_formats` (sniffing, refusals, encodings),
:mod:`~lib.sources.opener_columns` (header matching, :class:`UserTable`), :mod:`~lib.sources.opener_text`
(CSV), :mod:`~lib.sources.opener_sheets` (workbooks, HTML tables) and :mod:`~lib.sources.opener_parquet`.
"""
from __future__ import annotations

import io
from pathlib import Path

from lib.core.errors import DataError
from lib.sources.opener_columns import FIELD_LABELS as FIELD_LABELS
from lib.sources.opener_columns import HEADER_SEARCH_LINES as HEADER_SEARCH_LINES
from lib.sources.opener_columns import PLACE_WORDS as PLACE_WORDS
from lib.sources.opener_columns import ColumnNames as ColumnNames
from lib.sources.opener_columns import UserTable
from lib.sources.opener_columns import canonical_columns as canonical_columns
from lib.sources.opener_columns import column_ambiguities as column_ambiguities
from lib.sources.opener_columns import match_columns as match_columns
from lib.sources.opener_formats import FORMAT_LABELS as FORMAT_LABELS
from lib.sources.opener_formats import decode_text, format_refusal, sniff_format
from lib.sources.opener_parquet import _parquet
from lib.sources.opener_sheets import _html, _workbook
from lib.sources.opener_sheets import cell_text as cell_text
from lib.sources.opener_sheets import html_table as html_table
from lib.sources.opener_sheets import html_tables as html_tables
from lib.sources.opener_text import SEPARATORS as SEPARATORS
from lib.sources.opener_text import _find_text_header as _find_text_header
from lib.sources.opener_text import _split as _split
from lib.sources.opener_text import _text

# Documented limits (README, "Limites des imports").
MAX_UPLOAD_BYTES = 200 * 1024**2  # the same as Streamlit's server.maxUploadSize


def size_text(size: int) -> str:
    """``1073741824`` -> ``1 Go``, ``209715200`` -> ``200 Mo`` (binary units, French symbols)."""
    for unit, factor in (("Go", 1024**3), ("Mo", 1024**2), ("Ko", 1024)):
        if size >= factor:
            return f"{size / factor:g} {unit}".replace(".", ",")
    return f"{size} octets"


def open_bytes(source: str | Path | bytes, filename: str, max_bytes: int = MAX_UPLOAD_BYTES) -> bytes:
    """The file's bytes, with French messages for a missing, empty or oversized file."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
    else:
        path = Path(source)
        if not path.is_file():
            raise DataError(f"Fichier introuvable : {path}.")
        if path.stat().st_size > max_bytes:
            raise DataError(f"« {filename} » dépasse {size_text(max_bytes)} : découpez le fichier ou filtrez l'export.")
        data = path.read_bytes()
    if len(data) > max_bytes:
        raise DataError(f"« {filename} » dépasse {size_text(max_bytes)} : découpez le fichier ou filtrez l'export.")
    if not data.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise DataError(f"Le fichier « {filename} » est vide.")
    return data

def read_user_table(data: bytes, filename: str, columns: dict[str, tuple[str, ...]], what: str,
                    min_match: int = 2, others: bool = False) -> UserTable:
    """Read a user's table whatever its format; ``columns`` maps canonical names to aliases;
    ``others``: keep the columns no field took too (``UserTable.others``)."""
    kind = sniff_format(data)
    refusal = format_refusal(kind, filename)
    if refusal:
        raise DataError(refusal)
    if kind == "zip":
        inner, content = single_file_in_zip(data, filename)
        table = read_user_table(content, inner, columns, what, min_match, others)
        table.notes.insert(0, f"Fichier lu dans l'archive « {filename} » : « {inner} ».")
        return table
    if kind == "parquet":
        return _parquet(data, filename, columns, what, min_match, others)
    if kind in ("xlsx", "xls", "ods"):
        return _workbook(data, filename, kind, columns, what, min_match, others)
    if kind == "html":
        return _html(data, filename, columns, what, min_match, others)
    return _text(decode_text(data, filename), filename, columns, what, min_match, others)


def single_file_in_zip(data: bytes, filename: str, max_bytes: int = MAX_UPLOAD_BYTES) -> tuple[str, bytes]:
    """The one file of a zip archive (a zipped CSV export), read within the size limit; else a
    French refusal naming what the archive holds."""
    import zipfile
    import zlib

    unzip = f"« {filename} » est une archive zip : décompressez-la et importez le fichier qu'elle contient"
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        files = [i for i in archive.infolist() if not i.is_dir() and not i.filename.startswith("__MACOSX/")
                 and not Path(i.filename).name.startswith(".")]
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as err:
        raise DataError(f"« {filename} » est une archive zip illisible (incomplète ou endommagée).") from err
    if len(files) != 1:
        names = ", ".join(f"« {i.filename} »" for i in files[:5]) + ("…" if len(files) > 5 else "")
        raise DataError(f"{unzip} ({len(files)} fichiers : {names or 'aucun'}).")
    info = files[0]
    if info.flag_bits & 0x1:
        raise DataError(f"{unzip} : elle est protégée par un mot de passe.")
    if info.file_size > max_bytes:
        raise DataError(f"{unzip} : « {info.filename} » dépasse {size_text(max_bytes)} une fois décompressé.")
    try:
        with archive.open(info) as member:
            content = member.read(max_bytes + 1)  # never more than the limit, whatever the header claims
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error) as err:
        raise DataError(f"{unzip} : « {info.filename} » n'a pas pu en être extrait (archive endommagée).") from err
    if len(content) > max_bytes:
        raise DataError(f"{unzip} : « {info.filename} » dépasse {size_text(max_bytes)} une fois décompressé.")
    if sniff_format(content) == "zip":
        raise DataError(f"{unzip} (elle contient une autre archive, « {info.filename} »).")
    return Path(info.filename).name, content
