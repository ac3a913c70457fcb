"""What a user's file really is, from its content: format sniffing, refusals of unreadable formats, text encodings."""
from __future__ import annotations

import codecs

from lib.core.errors import DataError

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# What each format is called in a message: the real format, whatever the file's name says.
FORMAT_LABELS = {
    "xlsx": "classeur Excel .xlsx", "xls": "classeur Excel 97-2003 .xls", "parquet": "fichier parquet",
    "zip": "archive zip", "html": "page HTML", "text": "fichier texte (CSV)",
    "encrypted": "classeur Excel protégé par un mot de passe", "ole": "document Office (ni classeur ni tableau)",
    "xmlss": "classeur XML Excel 2003", "ods": "classeur OpenDocument .ods",
}
ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


def sniff_format(data: bytes) -> str:
    """``xlsx`` | ``xls`` | ``ods`` | ``encrypted`` | ``ole`` | ``parquet`` | ``zip`` | ``html`` | ``xmlss`` | ``text`` from
    the content, never the name. A password-protected xlsx is an OLE container (like an .xls) holding
    an ``EncryptedPackage`` stream: told apart so that it is not called a damaged .xls."""
    if data[:4] == b"PAR1":
        return "parquet"
    if data[:8] == OLE_MAGIC:
        if _ole_stream(data, "EncryptedPackage"):
            return "encrypted"
        return "xls" if _ole_stream(data, "Workbook") or _ole_stream(data, "Book") else "ole"
    if data[:4] == b"PK\x03\x04":
        if _is_ods(data):
            return "ods"  # LibreOffice's own format: a zip whose first member names its type
        return "xlsx" if b"xl/" in data[:65536] or b"[Content_Types].xml" in data[:65536] else "zip"
    head = data[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith(b"<") and b"urn:schemas-microsoft-com:office:spreadsheet" in data[:65536]:
        return "xmlss"  # Excel 2003 « XML spreadsheet », another web export named .xls
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or (
            head.startswith(b"<") and b"<table" in data[:65536].lower() and b"lheo" not in data[:65536].lower()):
        return "html"  # a web page saved as .xls (many web tools' « export Excel »)
    return "text"


def _is_ods(data: bytes) -> bool:
    """An OpenDocument spreadsheet: its ``mimetype`` member (stored first, uncompressed) says so; a zip
    whose members are listed otherwise is checked by name."""
    if b"mimetype" + ODS_MIMETYPE in data[:200]:
        return True
    import io
    import zipfile

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return "mimetype" in archive.namelist() and archive.read("mimetype").strip() == ODS_MIMETYPE
    except (zipfile.BadZipFile, OSError, KeyError, ValueError):
        return False


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
