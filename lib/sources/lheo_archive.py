"""LHEO sources as XML streams: one file, or every XML of a zip archive, with size, bomb and duplicate checks."""
from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from lib.core.errors import DataError, ImportReport
from lib.sources.opener import MAX_UPLOAD_BYTES, size_text
from lib.sources.opener_formats import FORMAT_LABELS, sniff_format

# Documented limits (README, "Limites des imports").
MAX_XML_BYTES = 1024**3  # uncompressed XML, all files of an archive together
MAX_RATIO = 100  # compressed -> uncompressed: real LHEO exports stay far below (about 10 to 30)
RATIO_CHECK_BYTES = 50 * 1024**2


def _streams(source: str | Path | bytes, filename: str, report: ImportReport) -> list[tuple[str, Callable[[], IO[bytes]]]]:
    """(name, opener) of every XML to read: the file itself, or every XML file of a zip archive."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > MAX_UPLOAD_BYTES:
            raise DataError(f"« {filename} » dépasse {size_text(MAX_UPLOAD_BYTES)} : découpez l'export.")
        opener: Callable[[], IO[bytes]] = lambda: io.BytesIO(data)  # noqa: E731
    else:
        path = Path(source)
        if not path.is_file():
            raise DataError(f"Fichier introuvable : {path}.")
        if path.stat().st_size > MAX_XML_BYTES:
            raise DataError(f"« {filename} » dépasse {size_text(MAX_XML_BYTES)} : découpez l'export.")
        opener = lambda: path.open("rb")  # noqa: E731
    with opener() as stream:
        head = stream.read(HEAD_BYTES)
    refusal = not_an_offer(head, filename)
    if refusal:
        raise DataError(refusal)
    if not head.startswith(b"PK"):
        return [(filename, opener)]
    archive_stream = opener()
    try:
        archive = zipfile.ZipFile(archive_stream)
    except zipfile.BadZipFile as err:
        raise DataError(f"« {filename} » : archive zip illisible.") from err
    refusal = _office_archive(archive, filename)
    if refusal:
        raise DataError(refusal)
    members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".xml")
               and not Path(m.filename).name.startswith(("._", "~"))]
    if not members:
        raise DataError(f"« {filename} » : l'archive ne contient aucun fichier XML.")
    others = [m for m in archive.infolist() if not m.is_dir() and m not in members]
    _check_archive(archive, members, filename)
    members, copies = _distinct(archive, members)
    report.notes.append(f"Archive : {len(members)} fichier(s) XML lu(s)"
                        + (f", {len(others)} autre(s) fichier(s) ignoré(s)" if others else "") + ".")
    for first, same in copies.items():
        names = ", ".join(f"« {m.filename} »" for m in [first, *same])
        report.notes.append(f"{len(same) + 1} fichiers XML identiques dans l'archive ({names}) : lus une fois.")
    return [(f"{filename} › {m.filename}", lambda m=m: archive.open(m)) for m in members]


HEAD_BYTES = 65536
GZIP_MAGIC = b"\x1f\x8b"
WRONG_CARD = ("ce fichier est le classeur Insee des taux de chômage localisés : déposez-le sur la carte « Taux de "
              "chômage localisés (Insee) » de la page Données (en ligne de commande : export unemployment --input), "
              "et sur cette carte l'export LHEO de l'offre de formation (XML ou zip).")
AN_OFFER = "déposez ici l'export LHEO de l'offre de formation (XML, ou zip d'un ou plusieurs XML)."


def _insee_workbook(data: bytes) -> bool:
    """Whether a workbook's bytes name Insee's unemployment series (its title « Taux de chômage localisés » and
    its sheet « Département »), in a .xls (latin-1 or UTF-16 strings) or in a .xlsx's XML (UTF-8)."""
    for encoding in ("latin-1", "utf-16-le", "utf-8"):
        if "chômage".encode(encoding) in data and "partement".encode(encoding) in data:
            return True
    return False


def not_an_offer(head: bytes, filename: str) -> str | None:
    """The file named by what it is when it cannot be an LHEO export (a gzip, a workbook, a parquet…),
    rather than « XML mal formé à la ligne 1 »; ``None`` for XML or a zip archive (read on)."""
    if head.startswith(GZIP_MAGIC):
        return (f"« {filename} » : fichier compressé gzip (.gz), pas un XML : décompressez-le (gunzip, 7-Zip) et "
                "déposez le XML obtenu, ou un zip du XML.")
    kind = sniff_format(head)
    if kind in ("text", "zip", "xlsx"):  # a workbook is told from a zip of XML by its members (_office_archive)
        return None
    if kind == "xls" and _insee_workbook(head):
        return f"« {filename} » : {WRONG_CARD}"
    return f"« {filename} » : {FORMAT_LABELS.get(kind, kind)}, pas un export LHEO : {AN_OFFER}"


def _office_archive(archive: zipfile.ZipFile, filename: str) -> str | None:
    """A workbook is a zip of XML too: an .xlsx or an .ods is named, never read as LHEO files."""
    names = set(archive.namelist())
    if "xl/workbook.xml" in names:
        try:
            text = b"".join(archive.open(n).read(2_000_000) for n in ("xl/workbook.xml", "xl/sharedStrings.xml",
                                                                         "xl/worksheets/sheet1.xml") if n in names)
        except (zipfile.BadZipFile, OSError, RuntimeError):
            text = b""
        if _insee_workbook(text.replace(b"&#244;", "ô".encode()).replace(b"&#xF4;", "ô".encode())):
            return f"« {filename} » : {WRONG_CARD}"
        return f"« {filename} » : classeur Excel .xlsx, pas un export LHEO : {AN_OFFER}"
    if "mimetype" in names and b"opendocument" in archive.read("mimetype")[:200]:
        return f"« {filename} » : document OpenDocument (LibreOffice), pas un export LHEO : {AN_OFFER}"
    return None


def _distinct(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
              ) -> tuple[list[zipfile.ZipInfo], dict[zipfile.ZipInfo, list[zipfile.ZipInfo]]]:
    """The members of distinct content, and each one's identical copies (the same export twice in an
    archive is read once, and said). Only members of equal size and CRC are hashed."""
    import hashlib

    def digest(member: zipfile.ZipInfo) -> str:
        sha = hashlib.sha256()
        with archive.open(member) as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                sha.update(block)
        return sha.hexdigest()

    groups: dict[tuple[int, int], list[zipfile.ZipInfo]] = {}
    for member in members:
        groups.setdefault((member.file_size, member.CRC), []).append(member)
    seen: dict[str, zipfile.ZipInfo] = {}
    copies: dict[zipfile.ZipInfo, list[zipfile.ZipInfo]] = {}
    for member in members:
        if len(groups[(member.file_size, member.CRC)]) == 1:
            continue
        first = seen.setdefault(digest(member), member)
        if first is not member:
            copies.setdefault(first, []).append(member)
    duplicates = {id(m) for same in copies.values() for m in same}
    return [m for m in members if id(m) not in duplicates], copies


def _check_archive(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], filename: str) -> None:
    """Refuse an archive bomb in seconds: decompress without parsing, counting what comes out,
    whatever sizes the archive claims."""
    total = compressed = 0
    for member in members:
        compressed += max(member.compress_size, 1)
        with archive.open(member) as stream:
            while chunk := stream.read(4 * 1024**2):
                total += len(chunk)
                if total > MAX_XML_BYTES:
                    raise DataError(f"« {filename} » : le XML décompressé dépasse {size_text(MAX_XML_BYTES)} ; "
                                    "découpez l'export.")
                if total > RATIO_CHECK_BYTES and total > MAX_RATIO * compressed:
                    raise DataError(f"« {filename} » : taux de compression anormal (plus de {MAX_RATIO} fois) — "
                                    "archive refusée par sécurité. Envoyez le XML d'origine ou un zip ordinaire.")
