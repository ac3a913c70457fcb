"""The datasets in use: for each source, which file, where it comes from, and what it covers.

Five sources can be replaced by the analyst's own files: the Insee unemployment workbook, the
LHEO training offer, the training-entry records, the access denominators and the pact's objectives.
For each, the file in use is, by priority:

1. a file the user imported in the session (*importé*; kept in the session only);
2. a file of the deployment's folder ``PRIC_DATA_DIR`` (*configuré*), recognised by content;
3. the file bundled with the dashboard: real for the Insee workbook and the objectives (*fourni*: the
   region's pact when bundled, else the national 15 % QPV target alone), demonstration data for the
   three others (*démonstration*).

This module is plain Python (the CLI uses it); the Streamlit session layer lives in
:mod:`lib.app.data`, the datasets in use in :mod:`lib.datasets.in_use`.
"""
from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from lib.core.config import DEMO, RAW, ROOT
from lib.core.errors import DataError

KINDS = ("unemployment", "offer", "records", "denominators", "objectives")
KIND_LABELS = {
    "unemployment": "Taux de chômage localisés (Insee)",
    "offer": "Offre de formation (LHEO)",
    "records": "Entrées en formation",
    "denominators": "Dénominateurs de l'accès",
    "objectives": "Objectifs du pacte",
}
PRODUCERS = {"unemployment": "Insee", "offer": "Carif-Oref (export LHEO)", "records": "France Travail / Région (extraction)",
             "denominators": "France Travail (demandeurs d'emploi)", "objectives": "Région et État (pacte, CREFOP)"}
OBJECTIVES = ROOT / "data" / "reference" / "objectives"
STATUS_LABELS = {"fourni": "fourni", "demo": "démonstration", "importe": "importé", "configure": "configuré",
                 "absent": "aucun"}
BUNDLED_UNEMPLOYMENT = RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"
SETTING = "PRIC_DATA_DIR"


@dataclass(frozen=True)
class FileInUse:
    """One source's file: its origin (``fourni`` | ``demo`` | ``importe`` | ``configure`` | ``absent``), name and key."""

    kind: str
    status: str
    name: str
    key: str  # identifies the content: a digest for uploads, the path and mtime otherwise
    path: Path | None = None
    others: tuple[Path, ...] = ()  # configured records read together with ``path`` (several years' files)

    @property
    def paths(self) -> tuple[Path, ...]:
        return tuple(p for p in (self.path, *self.others) if p is not None)

    @property
    def is_demo(self) -> bool:
        return self.status == "demo"

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.status]


def digest(data: bytes, name: str = "") -> str:
    return hashlib.blake2b(data, digest_size=12, key=name.encode()[:64]).hexdigest()


def path_key(path: Path) -> str:
    stat = path.stat()
    return f"{path.resolve()}:{stat.st_mtime_ns}:{stat.st_size}"


def bundled(kind: str, region: str) -> FileInUse:
    """The file shipped with the dashboard for ``kind``."""
    if kind == "objectives":  # the region's pact when bundled, else the national 15 % QPV target alone (no file)
        path = OBJECTIVES / f"objectifs_pacte_{region}.csv"
        if not path.is_file():
            return FileInUse(kind, "fourni", "cible nationale (15 % d'entrées de résidents QPV)",
                             f"bundled:{kind}:{region}", None)
        return FileInUse(kind, "fourni", path.name, f"bundled:{kind}:{region}", path)
    path = {"unemployment": BUNDLED_UNEMPLOYMENT, "offer": DEMO / f"offre_demo_{region}.xml",
            "records": DEMO / f"records_demo_{region}.parquet",
            "denominators": DEMO / f"denominators_demo_{region}.csv"}[kind]
    status = "fourni" if kind == "unemployment" else "demo"
    return FileInUse(kind, status, path.name, f"bundled:{kind}:{region}", path)


# --- configured folder -------------------------------------------------------------------------


def configured_dir(secrets_file: Path | None = None) -> Path | None:
    """``PRIC_DATA_DIR`` from the environment, else the same key in ``.streamlit/secrets.toml``."""
    value = os.environ.get(SETTING, "").strip()
    if not value:
        secrets = secrets_file or ROOT / ".streamlit" / "secrets.toml"
        if secrets.is_file():
            try:
                value = str(tomllib.loads(secrets.read_text(encoding="utf-8")).get(SETTING, "")).strip()
            except (tomllib.TOMLDecodeError, UnicodeDecodeError):
                value = ""
    return Path(value).expanduser() if value else None


@dataclass
class FolderScan:
    """What a configured folder holds: the file used per kind, and every file left aside with why."""

    folder: Path
    used: dict[str, Path] = field(default_factory=dict)
    set_aside: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason in French)
    error: str = ""
    others: dict[str, list[Path]] = field(default_factory=dict)  # files read together with ``used[kind]`` (records)
    why: dict[str, str] = field(default_factory=dict)  # why ``used[kind]`` was chosen among several (French)
    template: Path | None = None  # the prefecture's PowerPoint template for the CREFOP deck (the last modified)

    def used_lines(self) -> list[str]:
        """Each source's file(s) in use, in French, with why when the folder held several."""
        out = []
        for kind, path in self.used.items():
            names = ", ".join(f"« {p.name} »" for p in (path, *self.others.get(kind, [])))
            out.append(f"{KIND_LABELS[kind]} : {names}" + (f" ({self.why[kind]})" if kind in self.why else ""))
        return out

    def lines(self) -> list[str]:
        """What the folder gives, in French: each file used (and why), each file passed over (and why);
        the page Données and the CLI's stderr say the same."""
        template = [f"Modèle du diaporama CREFOP : « {self.template.name} »."] if self.template else []
        return [f"{line}." for line in self.used_lines()] + template + [
            f"Fichier non utilisé « {name} » : {reason}." for name, reason in self.set_aside]


def recognise(data: bytes, name: str) -> tuple[str | None, str]:
    """Which source a file is, by content: ``(kind, "")`` or ``(None, why not)``."""
    from lib.sources.opener import FORMAT_LABELS, _find_text_header, _split, column_ambiguities, decode_text, sniff_format

    kind = sniff_format(data)
    if kind in ("encrypted", "ole", "xmlss"):
        return None, FORMAT_LABELS[kind]
    if kind == "html":
        return _recognise_html(data, name)
    from lib.sources.chomage import looks_like_insee_text

    if kind in ("xlsx", "zip") and b"ppt/presentation.xml" in data:  # a PowerPoint file: the deck's template
        return "template", ""
    if kind == "ods":  # an OpenDocument spreadsheet (a zip holding XML): read as a workbook
        kind = "xlsx"
    if kind in ("xls", "xlsx"):
        found = _recognise_workbook(data)
        return (found, "") if found else (None, "classeur sans en-tête reconnu (Insee, entrées, dénominateurs ou objectifs)")
    if kind == "zip":
        import io
        import zipfile

        try:
            names = zipfile.ZipFile(io.BytesIO(data)).namelist()
        except zipfile.BadZipFile:
            return None, "archive zip illisible"
        if "[Content_Types].xml" in names:  # an Office document: a deck template, or nothing of ours
            return ("template", "") if "ppt/presentation.xml" in names else (None, "document Office (ni tableau, ni offre)")
        if any(n.lower().endswith(".xml") for n in names):
            return "offer", ""
        from lib.sources.opener import single_file_in_zip

        try:  # a zipped table export: what the file inside is
            inner, content = single_file_in_zip(data, name)
        except DataError:
            return None, "archive sans fichier XML ni tableau unique"
        found, reason = recognise(content, inner)
        return found, reason and f"archive contenant « {inner} » : {reason}"
    if kind == "parquet":
        import io

        import pyarrow.parquet as pq

        try:
            columns = pq.ParquetFile(io.BytesIO(data)).schema_arrow.names
        except Exception:  # noqa: BLE001 — a damaged parquet is simply not recognised
            return None, "fichier parquet illisible"
        return _recognise_header(columns)
    try:
        text = decode_text(data[:200_000], name)
    except DataError:
        return None, "ni tableau, ni XML, ni classeur lisible"
    head = text.lstrip("\ufeff \r\n\t")
    if looks_like_insee_text(data, name):
        return "unemployment", ""  # the Insee table saved as CSV
    if head.startswith("<"):
        return ("offer", "") if "lheo" in head[:5000].lower() else (None, "XML sans élément LHEO")
    from lib.sources.denominators import DENOMINATOR_COLUMNS
    from lib.sources.objectives import COLUMNS as OBJECTIVE_COLUMNS
    from lib.sources.records import COLUMNS

    lines = text.replace("\r\n", "\n").split("\n", 16)[:15]
    for kind_name, columns in (("objectives", OBJECTIVE_COLUMNS), ("records", COLUMNS), ("denominators", DENOMINATOR_COLUMNS)):
        found = _find_text_header(lines, columns, 3)
        if found and _complete(kind_name, set(found[2].values()) | set(column_ambiguities(_split(lines[found[0]], found[1]),
                                                                                          columns))):
            return kind_name, ""  # two commune columns: records still, the reader asks which is the residence
    return None, "en-tête non reconnu (ni entrées en formation, ni dénominateurs, ni objectifs)"


def _complete(kind: str, columns: set[str]) -> bool:
    from lib.sources.denominators import DENOMINATOR_COLUMNS
    from lib.sources.objectives import REQUIRED as OBJECTIVE_REQUIRED
    from lib.sources.records import REQUIRED

    if kind == "objectives":
        return set(OBJECTIVE_REQUIRED) <= columns
    if kind == "denominators":
        return set(DENOMINATOR_COLUMNS) <= columns
    return set(REQUIRED) <= columns and bool({"residence_commune", "dep"} & columns)


def _recognise_header(headers: list[str]) -> tuple[str | None, str]:
    from lib.sources.denominators import DENOMINATOR_COLUMNS
    from lib.sources.objectives import COLUMNS as OBJECTIVE_COLUMNS
    from lib.sources.opener import match_columns
    from lib.sources.records import COLUMNS

    for kind, columns in (("objectives", OBJECTIVE_COLUMNS), ("records", COLUMNS), ("denominators", DENOMINATOR_COLUMNS)):
        found, ambiguous = match_columns(headers, columns)
        if _complete(kind, set(found.values()) | set(ambiguous)):
            return kind, ""
    return None, "colonnes non reconnues"


def _recognise_html(data: bytes, name: str) -> tuple[str | None, str]:
    from lib.sources.opener import html_tables

    try:
        tables = html_tables(data, name)
    except DataError:
        return None, "page HTML illisible"
    for rows in tables[:1] if len(tables) == 1 else []:
        for row in rows[:15]:
            found, _ = _recognise_header(row)
            if found:
                return found, ""
    return None, "page HTML sans tableau unique reconnu"


def _recognise_workbook(data: bytes) -> str | None:
    import io

    from python_calamine import CalamineWorkbook

    from lib.core.text import normalise
    from lib.sources.chomage import header_column, parse_quarter, sheet_level
    from lib.sources.opener import cell_text

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Exception:  # noqa: BLE001 — not a workbook: not recognised
        return None
    for sheet in workbook.sheet_names:
        try:
            rows = workbook.get_sheet_by_name(sheet).to_python(skip_empty_area=False)[:40]
        except Exception:  # noqa: BLE001 — a chart sheet
            continue
        for row in rows:
            cells = [cell_text(c) for c in row]
            # Insee's layout counts only on a sheet the reader reads (« Département », « Région »): the same
            # header on an analyst's own sheet would make a workbook the Insee reader then refuses.
            words = [normalise(c) for c in cells]
            if (sheet_level(sheet) and header_column(words, "code") is not None
                    and header_column(words, "libelle") is not None and any(parse_quarter(c) for c in cells)):
                return "unemployment"
            kind, _ = _recognise_header(cells)
            if kind:
                return kind
    return None


def scan_folder(folder: Path) -> FolderScan:
    """Recognise every file of ``folder`` by content. Several files of one kind: Insee workbooks by their
    content (the one with the latest quarter; same quarter: the one modified last), records files read
    together (several years' extractions, :func:`lib.datasets.records_in_use.read_records_files`), offers
    and denominators the one modified last; every file passed over is listed with why."""
    scan = FolderScan(folder)
    if not folder.is_dir():
        scan.error = f"Le dossier {SETTING} « {folder} » n'existe pas ou n'est pas lisible : fichiers fournis utilisés."
        return scan
    found: dict[str, list[Path]] = {}
    for path in sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".")):
        try:
            kind, reason = recognise(path.read_bytes(), path.name)
        except OSError as err:
            kind, reason = None, f"illisible ({err.strerror})"
        if kind is None:
            scan.set_aside.append((path.name, reason))
        else:
            found.setdefault(kind, []).append(path)
    for kind, paths in found.items():
        paths.sort(key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
        if kind == "template":  # not a dataset: the deck's masters and layouts
            scan.template = paths[0]
            scan.set_aside.extend((p.name, f"modèle PowerPoint modifié avant « {paths[0].name} »") for p in paths[1:])
            continue
        if kind == "unemployment" and len(paths) > 1:
            _latest_edition(scan, paths)
        elif kind == "records" and len(paths) > 1:
            scan.used[kind], scan.others[kind] = paths[0], paths[1:]
            scan.why[kind] = f"{len(paths)} fichiers lus ensemble"
        else:
            scan.used[kind] = paths[0]
            scan.set_aside.extend((p.name, f"{KIND_LABELS[kind]} modifié avant « {paths[0].name} » (le plus récemment "
                                           "modifié est utilisé)") for p in paths[1:])
    return scan


def _latest_edition(scan: FolderScan, paths: list[Path]) -> None:
    """The Insee workbook whose latest quarter is the latest (its edition), whatever the files' dates."""
    from lib.sources.chomage import read_unemployment

    editions: list[tuple[str, Path]] = []
    for path in paths:  # most recently modified first: a tie keeps it
        try:
            tidy, _ = read_unemployment(path.read_bytes(), path.name)
        except (DataError, OSError) as err:
            scan.set_aside.append((path.name, f"fichier Insee refusé : {err}"))
            continue
        editions.append((str(tidy["quarter"].max()), path))
    if not editions:
        return
    latest = max(quarter for quarter, _ in editions)
    chosen = next(path for quarter, path in editions if quarter == latest)
    scan.used["unemployment"] = chosen
    scan.why["unemployment"] = f"la dernière édition, jusqu'au {_quarter_text(latest)}"
    for quarter, path in editions:
        if path == chosen:
            continue
        scan.set_aside.append((path.name, f"édition plus ancienne du fichier Insee (jusqu'au {_quarter_text(quarter)}) "
                                          f"que « {chosen.name} »" if quarter < latest else
                                          f"même édition (jusqu'au {_quarter_text(quarter)}) que « {chosen.name} », "
                                          "modifié avant"))


def _quarter_text(quarter: str) -> str:
    """``2025-T3`` -> ``3e trimestre 2025``."""
    q = quarter[-1]
    return f"{q}{'er' if q == '1' else 'e'} trimestre {quarter[:4]}"


def configured(kind: str, scan: FolderScan | None) -> FileInUse | None:
    if scan is None or kind not in scan.used:
        return None
    path, others = scan.used[kind], tuple(scan.others.get(kind, ()))
    name = " + ".join(p.name for p in (path, *others))
    return FileInUse(kind, "configure", name, "configured:" + "|".join(path_key(p) for p in (path, *others)), path,
                     others)


def default_file(kind: str, region: str, scan: FolderScan | None) -> FileInUse:
    """The file used when the session imported nothing: configured, else bundled."""
    return configured(kind, scan) or bundled(kind, region)


def current_scan() -> FolderScan | None:
    folder = configured_dir()
    return scan_folder(folder) if folder else None
