"""One opener for every file an analyst brings: path or bytes, format recognised by content.

The CLI and the pages both call :func:`open_bytes` then :func:`read_user_table`, so they
accept exactly the same files:

- text tables (CSV ``,`` ``;`` tab or ``|``), UTF-8 with or without BOM, UTF-16, cp1252;
  a title line or two above the header; ragged rows set aside with their line number;
- Excel workbooks ``.xlsx`` and ``.xls`` whatever their name says (the data sheet is the one
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
"""
from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from lib.core.errors import SHEET_STRIDE, AmbiguousColumns, DataError
from lib.core.text import normalise

# Documented limits (README, "Limites des imports").
MAX_UPLOAD_BYTES = 200 * 1024**2  # the same as Streamlit's server.maxUploadSize
HEADER_SEARCH_LINES = 15
SEPARATORS = (";", ",", "\t", "|")


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


OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What each format is called in a message: the real format, whatever the file's name says.
FORMAT_LABELS = {
    "xlsx": "classeur Excel .xlsx", "xls": "classeur Excel 97-2003 .xls", "parquet": "fichier parquet",
    "zip": "archive zip", "html": "page HTML", "text": "fichier texte (CSV)",
    "encrypted": "classeur Excel protégé par un mot de passe", "ole": "document Office (ni classeur ni tableau)",
    "xmlss": "classeur XML Excel 2003",
}


def sniff_format(data: bytes) -> str:
    """``xlsx`` | ``xls`` | ``encrypted`` | ``ole`` | ``parquet`` | ``zip`` | ``html`` | ``xmlss`` | ``text`` from
    the content, never the name. A password-protected xlsx is an OLE container (like an .xls) holding
    an ``EncryptedPackage`` stream: told apart so that it is not called a damaged .xls."""
    if data[:4] == b"PAR1":
        return "parquet"
    if data[:8] == OLE_MAGIC:
        if _ole_stream(data, "EncryptedPackage"):
            return "encrypted"
        return "xls" if _ole_stream(data, "Workbook") or _ole_stream(data, "Book") else "ole"
    if data[:4] == b"PK\x03\x04":
        return "xlsx" if b"xl/" in data[:65536] or b"[Content_Types].xml" in data[:65536] else "zip"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
        return "xmlss"  # Excel 2003 « XML spreadsheet », another web export named .xls
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
            head.startswith(b"<") and b"<table" in data[:65536].lower() and b"lheo" not in data[:65536].lower()):
        return "html"  # a web page saved as .xls (many web tools' « export Excel »)
    return "text"


def _ole_stream(data: bytes, name: str) -> bool:
    """Whether an OLE (compound file) directory names ``name``: directory entries are 128-byte
    records, aligned on 128 bytes, starting with the UTF-16 name and its byte length at offset 64."""
    encoded = name.encode("utf-16-le")
    start = data.find(encoded)
    while start != -1:
        if start % 128 == 0 and int.from_bytes(data[start + 64:start + 66], "little") == len(encoded) + 2:
            return True
        start = data.find(encoded, start + 1)
    return False


def format_refusal(kind: str, filename: str) -> str | None:
    """The French refusal for a format no table can be read from, or ``None``."""
    if kind == "encrypted":
        return (f"« {filename} » est un classeur protégé par un mot de passe : ouvrez-le dans le tableur, retirez le mot "
                "de passe (Fichier > Informations > Protéger le classeur) et enregistrez-le, ou exportez-le en CSV.")
    if kind == "xmlss":
        return (f"« {filename} » est un classeur « XML Excel 2003 » (souvent un export web nommé .xls) : ouvrez-le dans "
                "le tableur et enregistrez-le en XLSX ou en CSV.")
    if kind == "ole":
        return (f"« {filename} » est un document Office qui n'est pas un classeur Excel : enregistrez le tableau en "
                "XLSX ou en CSV.")
    return None


def decode_text(data: bytes, filename: str) -> str:
    """UTF-16 (BOM or NUL pattern), UTF-8 with or without BOM, else Windows-1252."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    elif data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    else:
        head = data[:4000]
        if head.count(b"\x00") > len(head) // 4:  # UTF-16 without BOM: every other byte is NUL
            encodings = ["utf-16-le" if head[1:2] == b"\x00" else "utf-16-be"]
        else:
            encodings = ["utf-8", "cp1252"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break
        return text
    raise DataError(
        f"« {filename} » n'est pas un fichier texte lisible (encodage non reconnu ou fichier binaire). "
        "Enregistrez-le en CSV (UTF-8 ou Windows) ou en XLSX."
    )


@dataclass
class UserTable:
    """A table read from a user's file: text cells, canonical column names, source line numbers."""

    frame: pd.DataFrame
    lines: np.ndarray
    kind: str
    notes: list[str] = field(default_factory=list)
    ragged: dict[int, str] = field(default_factory=dict)  # line -> reason, rows set aside while reading
    warnings: list[str] = field(default_factory=list)  # what was not read (a sheet with another header)
    sheets: dict[int, str] = field(default_factory=dict)  # rows of several sheets: see lib.core.errors.SHEET_STRIDE

    def annotate(self, report) -> None:
        """Pass to an import report what reading said: notes, warnings, and the sheets its line numbers name."""
        report.notes.extend(self.notes)
        for message in self.warnings:
            report.warn(message)
        report.sheets.update(self.sheets)


class ColumnNames(dict):
    """Canonical name -> aliases, and the headers a user assigned to a field (a mapping profile):
    an assigned header settles its field whatever other column could also fit."""

    def __init__(self, columns: dict[str, tuple[str, ...]], chosen: dict[str, str] | None = None):
        super().__init__(columns)
        self.chosen = dict(chosen or {})  # header -> canonical name
        self.labels: dict[str, str] = {}  # canonical name -> French name, for the messages


def _named(columns: dict, names: list[str]) -> str:
    """Canonical names as the messages show them: « Axe du Pacte (axis) » when the reader gave French names."""
    labels = getattr(columns, "labels", {})
    return ", ".join(f"{labels[n]} ({n})" if n in labels else n for n in names)


# Fields a file often holds twice (residence and training place, birth place…): any header naming
# the place is a candidate, and only one saying « résidence » (or the user's choice) settles it.
PLACE_WORDS = {"residence_commune": {"commune", "depcom", "codgeo"}, "dep": {"departement", "dep", "dept"}}
RESIDENCE_WORDS = {"residence", "domicile", "habitation", "resident", "residant", "res", "resid", "dom"}
NAME_WORDS = {"libelle", "lib", "nom", "name", "label", "intitule", "lbl"}  # the commune's name, not its code
FIELD_LABELS = {"residence_commune": "la commune de résidence", "dep": "le département de résidence"}


def _key(label: object) -> str:
    return normalise(label).replace(" ", "")


def match_columns(headers: list[object], columns: dict[str, tuple[str, ...]]) -> tuple[dict[int, str], dict[str, list[str]]]:
    """``(position -> canonical name, canonical name -> candidate headers)``: headers match a name or
    an alias without case, accents, spaces or punctuation (``Date d'entrée`` = ``date_entree``). A
    field that several columns fit is not matched but returned with its candidates, unless exactly
    one of them says « résidence » (for a place) or the user assigned one (:class:`ColumnNames`)."""
    wanted: dict[str, str] = {}
    for name, aliases in columns.items():
        for label in (name, *aliases):
            wanted.setdefault(_key(label), name)
    words = [set(normalise(h).split()) for h in headers]
    exact = [wanted.get(_key(h)) for h in headers]
    found: dict[int, str] = {}
    chosen = {_key(h): name for h, name in getattr(columns, "chosen", {}).items() if name in columns}
    for position, header in enumerate(headers):
        name = chosen.get(_key(header))
        if name and name not in found.values():
            found[position] = name
    ambiguous: dict[str, list[str]] = {}
    for name in columns:
        if name in found.values():
            continue
        place = PLACE_WORDS.get(name, set())
        candidates = [p for p in range(len(headers)) if p not in found and _key(headers[p]) and (
            exact[p] == name or (exact[p] is None and words[p] & place and not words[p] & NAME_WORDS))]
        specific = [p for p in candidates if place and words[p] & RESIDENCE_WORDS]
        if len(specific) == 1:
            found[specific[0]] = name
        elif len(candidates) == 1 and exact[candidates[0]] == name:
            found[candidates[0]] = name
        elif len(candidates) > 1 and (specific or any(exact[p] == name for p in candidates)):
            ambiguous[name] = [str(headers[p]).strip() for p in candidates]
    return dict(sorted(found.items())), ambiguous


def canonical_columns(headers: list[object], columns: dict[str, tuple[str, ...]]) -> dict[int, str]:
    """Position -> canonical name of the headers that match one field unambiguously (:func:`match_columns`)."""
    return match_columns(headers, columns)[0]


def column_ambiguities(headers: list[object], columns: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Canonical name -> the headers that could each be it (the user must say which)."""
    return match_columns(headers, columns)[1]


def _refuse_ambiguity(headers: list[object], columns: dict, filename: str) -> None:
    """Raise :class:`AmbiguousColumns` when a field fits several columns of the header read."""
    ambiguous = column_ambiguities(headers, columns)
    if not ambiguous:
        return
    parts = [f"plusieurs colonnes peuvent être {FIELD_LABELS.get(name, f'le champ « {name} »')} ({name}) : "
             + ", ".join(f"« {h} »" for h in candidates) for name, candidates in ambiguous.items()]
    raise AmbiguousColumns(
        f"« {filename} » : {' ; '.join(parts)}. Aucune n'est choisie au hasard : indiquez laquelle sur la page Données "
        "(« Associer les colonnes du fichier »), ou en ligne de commande avec --mapping profil.json "
        '(profil enregistré depuis la page Données, ou {"format": "pric-mapping/1", "columns": '
        f'{{"<nom de la colonne>": "{next(iter(ambiguous))}"}}}}).', ambiguous)


def read_user_table(data: bytes, filename: str, columns: dict[str, tuple[str, ...]], what: str,
                    min_match: int = 2) -> UserTable:
    """Read a user's table whatever its format; ``columns`` maps canonical names to aliases."""
    kind = sniff_format(data)
    refusal = format_refusal(kind, filename)
    if refusal:
        raise DataError(refusal)
    if kind == "zip":
        inner, content = single_file_in_zip(data, filename)
        table = read_user_table(content, inner, columns, what, min_match)
        table.notes.insert(0, f"Fichier lu dans l'archive « {filename} » : « {inner} ».")
        return table
    if kind == "parquet":
        return _parquet(data, filename, columns, what, min_match)
    if kind in ("xlsx", "xls"):
        return _workbook(data, filename, kind, columns, what, min_match)
    if kind == "html":
        return _html(data, filename, columns, what, min_match)
    return _text(decode_text(data, filename), filename, columns, what, min_match)


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


def _missing_header(filename: str, what: str, columns: dict[str, tuple[str, ...]], where: str = "") -> DataError:
    expected = ", ".join(list(columns)[:8]) + ("…" if len(columns) > 8 else "")
    return DataError(
        f"« {filename} » ne ressemble pas à {what} : aucune ligne d'en-tête avec les colonnes attendues "
        f"({expected}){where}. Vérifiez le fichier ou associez ses colonnes sur la page Données."
    )


# --- text -----------------------------------------------------------------------------------


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


def _text(text: str, filename: str, columns: dict, what: str, min_match: int) -> UserTable:
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # the line breaks the CSV parsers know
    head = text.split("\n", HEADER_SEARCH_LINES)[:HEADER_SEARCH_LINES]
    header = _find_text_header(head, columns, min_match)
    if header is None:
        raise _missing_header(filename, what, columns)
    start, sep, found = header
    _refuse_ambiguity(_split(head[start], sep), columns, filename)
    notes = [f"{start} ligne(s) de titre ignorée(s) au-dessus de l'en-tête."] if start else []
    width = len(_split(head[start], sep))
    if '"' in text:
        frame, numbers, ragged = _quoted_rows(text.split("\n")[start + 1:], sep, width, start + 2, filename)
    else:
        frame, numbers, ragged = _fast_rows(text, start, sep, width)
    if not len(frame) and not ragged:
        raise DataError(f"« {filename} » ne contient que l'en-tête : aucune ligne de données.")
    frame = frame[list(found)].rename(columns=found).reset_index(drop=True)
    return UserTable(frame, numbers, "text", notes, ragged)


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


# --- workbooks ------------------------------------------------------------------------------


def cell_text(value: object) -> str:
    """A spreadsheet or parquet cell as the text a CSV export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if value != value:
            return ""
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d") if value.time() == dt.time(0) else value.strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, dt.date):
        return value.strftime("%Y-%m-%d")
    if isinstance(value, dt.timedelta):
        return ""
    return str(value).strip()


def _workbook(data: bytes, filename: str, kind: str, columns: dict, what: str, min_match: int) -> UserTable:
    from python_calamine import CalamineWorkbook

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception as err:  # calamine raises several unrelated types for a damaged workbook
        raise DataError(f"« {filename} » est un {FORMAT_LABELS[kind]} illisible (incomplet ou endommagé) : ouvrez-le "
                        "dans le tableur et enregistrez-le de nouveau, ou exportez-le en CSV.") from err
    sheets = []
    for sheet in workbook.sheet_names:
        try:
            sheets.append((sheet, workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)))
        except Exception:  # a chart sheet or a damaged sheet: not the data
            sheets.append((sheet, []))
    return _rows_table(sheets, filename, kind, columns, what, min_match)


def html_tables(data: bytes, filename: str) -> list[list[list[str]]]:
    """The tables of a web page saved as .xls, as rows of cell texts (lxml; refused without it)."""
    try:
        import lxml.etree
        import lxml.html
    except ImportError as err:
        raise DataError(f"« {filename} » est une page HTML enregistrée sous .xls (export web) : ouvrez-la dans le "
                        "tableur et enregistrez-la en XLSX ou en CSV.") from err
    try:
        document = lxml.html.document_fromstring(decode_text(data, filename))
    except (ValueError, lxml.etree.ParserError) as err:
        raise DataError(f"« {filename} » est une page HTML illisible : enregistrez le tableau en XLSX ou en CSV.") from err
    tables = []
    for table in document.iter("table"):
        rows = [[" ".join(cell.text_content().split()) for cell in row if cell.tag in ("td", "th")]
                for row in table.iter("tr")]
        if sum(1 for row in rows if any(row)) >= 2:
            tables.append(rows)
    return tables


def html_table(data: bytes, filename: str) -> list[list[str]]:
    """The one table of a web page saved as .xls; several or none: refused (which one is the data?)."""
    tables = html_tables(data, filename)
    if len(tables) != 1:
        raise DataError(f"« {filename} » est une page HTML enregistrée sous .xls (export web) qui contient "
                        f"{len(tables) or 'aucun'} tableau{'x' if len(tables) > 1 else ''} : ouvrez-la dans le tableur "
                        "et enregistrez le tableau voulu en XLSX ou en CSV.")
    return tables[0]


def _html(data: bytes, filename: str, columns: dict, what: str, min_match: int) -> UserTable:
    table = _rows_table([("page", html_table(data, filename))], filename, "html", columns, what, min_match)
    table.notes.insert(0, f"« {filename} » est une page HTML enregistrée sous .xls (export web) : son tableau a été lu.")
    return table


def _rows_table(sheets: list[tuple[str, list[list]]], filename: str, kind: str, columns: dict, what: str,
                min_match: int) -> UserTable:
    """A table from rows of cells (workbook sheets, an HTML table): the header row searched in the
    first lines of each sheet. Every sheet whose header has the fields of the best one is read (the
    records of 2023 and 2024 on two sheets), its rows numbered per sheet; a sheet with another header
    is named as not read, never dropped unsaid."""
    headers = []  # (sheet, rows, header index, position -> field), one per sheet that has a header
    for sheet, rows in sheets:
        here = None
        for index, row in enumerate(rows[:HEADER_SEARCH_LINES]):
            found = canonical_columns([cell_text(c) for c in row], columns)
            if len(found) >= min_match and (here is None or len(found) > len(here[3])):
                here = (sheet, rows, index, found)
        if here:
            headers.append(here)
    if not headers:
        names = ", ".join(f"« {s} »" for s, _ in sheets) or "aucune"
        raise _missing_header(filename, what, columns, f" dans aucune feuille (feuilles : {names})" if kind != "html" else "")
    best = max(headers, key=lambda h: len(h[3]))  # the first of the fullest headers
    fields = set(best[3].values())
    read = [h for h in headers if set(h[3].values()) == fields]
    several = len(read) > 1
    frames, numbers, counts, table_sheets = [], [], [], {}
    for number, (sheet, rows, start, found) in enumerate(read, start=1):
        _refuse_ambiguity([cell_text(c) for c in rows[start]], columns, filename)
        body = [(line, row) for line, row in enumerate(rows[start + 1:], start=start + 2) if any(cell_text(c) for c in row)]
        counts.append(f"« {sheet} » ({len(body)} ligne{'s' if len(body) > 1 else ''})")
        if not body:
            continue
        frames.append(pd.DataFrame({name: [cell_text(row[pos]) if pos < len(row) else "" for _, row in body]
                                    for pos, name in found.items()}, dtype="str"))
        offset = number * SHEET_STRIDE if several else 0
        numbers.append(np.asarray([offset + line for line, _ in body], dtype=np.int64))
        if several:
            table_sheets[number] = sheet
    if not frames:
        where = ", ".join(f"« {h[0]} »" for h in read)
        raise DataError(f"« {filename} » (feuille{'s' if several else ''} {where}) ne contient que l'en-tête : "
                        "aucune ligne de données.")
    notes, warnings = [], []
    if several:
        notes.append(f"Feuilles lues (même en-tête) : {', '.join(counts)} ; numéros de ligne donnés par feuille.")
    elif len(sheets) > 1:
        notes.append(f"Feuille lue : « {best[0]} ».")
    for sheet, _, _, found in headers:
        if (sheet, found) not in [(h[0], h[3]) for h in read]:
            missing = sorted(fields - set(found.values()))
            extra = sorted(set(found.values()) - fields)
            detail = "; ".join(part for part in (missing and f"sans {_named(columns, missing)}",
                                                 extra and f"avec {_named(columns, extra)}") if part)
            warnings.append(f"feuille « {sheet} » non lue : son en-tête diffère de celui de « {best[0]} » ({detail}) ; "
                            "mettez ses lignes sous le même en-tête si elles doivent compter")
    others = [f"« {sheet} »" for sheet, _ in sheets if sheet not in {h[0] for h in headers}]
    if others and len(sheets) > 1:
        notes.append(f"Feuille{'s' if len(others) > 1 else ''} sans en-tête de données, non lue{'s' if len(others) > 1 else ''} : "
                     f"{', '.join(others)}.")
    frame = pd.concat(frames, ignore_index=True) if several else frames[0]
    return UserTable(frame.fillna("").astype("str") if several else frame, np.concatenate(numbers), kind, notes,
                     warnings=warnings, sheets=table_sheets)


# --- parquet --------------------------------------------------------------------------------


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


def _parquet(data: bytes, filename: str, columns: dict, what: str, min_match: int) -> UserTable:
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
    # Line numbers as a spreadsheet would show them (header = line 1).
    return UserTable(text, np.arange(2, len(text) + 2, dtype=np.int64), "parquet")
