"""The datasets in use for one region: which file of each source, its provenance, read once.

A :class:`Datasets` answers every question a view asks of the data: the Insee workbook, the offer,
the records and their denominators (imported in a session, configured in ``PRIC_DATA_DIR``, or
bundled), and the bundled reference tables (communes, contours, QPV files, the pact's tables).
Everything it reads or derives goes through :meth:`Datasets.memo`, the only cache of the product:
keyed by name and arguments, shared by every session when it read none of a session's imported
files (:mod:`lib.datasets.memo`), else kept by that session's :class:`Datasets` and dropped with it.

The Streamlit side (:mod:`lib.app.data`) only decides which :class:`Datasets` a session uses; the
command line builds its own from its options. Plain Python: no Streamlit here.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from contextlib import AbstractContextManager, nullcontext
from functools import cached_property
from typing import TYPE_CHECKING, Any

import pandas as pd

from lib.core.config import RAW, REFERENCE
from lib.core.errors import ImportReport
from lib.datasets import territory, workspace
from lib.datasets.catalog import Dataset, datasets
from lib.datasets.memo import DEFAULT_ENTRIES, Entry, Store, note_use, tracked
from lib.datasets.tables_cache import cached_table
from lib.sources import chomage, cog

if TYPE_CHECKING:  # geopandas is imported lazily: the home page does not need it
    import geopandas as gpd

# Shown while something slow is read or computed for the first time (the app layer shows it as a spinner).
Announce = Callable[[str], AbstractContextManager]


def upload_digest(data: bytes | None, name: str | None = None) -> str | None:
    """A short key for an imported file (content and name); ``None`` without file."""
    if data is None:
        return None
    return hashlib.sha256(data).hexdigest()[:20] + (f":{name}" if name else "")


class Datasets:
    """The files in use for ``region_code``: ``imported`` ({kind: (bytes, name)}) over the configured
    folder's (``scan``) over the bundled ones. ``shared`` is the instance without imports whose memo
    every session reuses for what does not depend on its imports (``None`` for that instance itself)."""

    def __init__(self, region_code: str, scan: workspace.FolderScan | None = None,
                 imported: dict[str, tuple[bytes, str]] | None = None, as_of: pd.Timestamp | None = None,
                 mapping: Any = None, shared: Datasets | None = None, region: territory.Region | None = None):
        self.code = region_code
        self.region = region or (shared.region if shared else territory.region(region_code))
        self.scan = scan
        self.imported = dict(imported or {})
        self.as_of = None if as_of is None else pd.Timestamp(as_of)
        self.mapping = mapping
        self.shared = shared
        self.store = Store()
        self.announce: Announce = lambda label: nullcontext()

    # --- identity ---------------------------------------------------------------------------

    @property
    def imported_kinds(self) -> frozenset[str]:
        kinds = set(self.imported)
        if "denominators" in kinds:  # imported denominators change the records' access rates
            kinds.add("records")
        return frozenset(kinds)

    @property
    def records_read_in_session(self) -> bool:
        """Records read with the session's observation date and column profile: imported ones, or the
        configured ones beside imported denominators."""
        return bool({"records", "denominators"} & set(self.imported))

    def reads(self, imported: dict[str, tuple[bytes, str]], as_of: pd.Timestamp | None, mapping: Any) -> bool:
        """Whether these are the inputs this instance was made with."""
        return (self.imported == imported and self.mapping == mapping
                and self.as_of == (None if as_of is None else pd.Timestamp(as_of)))

    @cached_property
    def key(self) -> str | None:
        """One key for the imported files (``None``: every source is the shared default); computed once
        (it hashes every imported file)."""
        parts = [f"{kind}={upload_digest(*self.imported[kind])}" for kind in workspace.KINDS if kind in self.imported]
        if self.records_read_in_session:
            parts.append(f"as_of={'' if self.as_of is None else f'{self.as_of:%Y-%m-%d}'}")
            parts.append(f"mapping={'' if self.mapping is None else upload_digest(self.mapping.to_json())}")
        return "|".join(parts) or None

    # --- the one memo -----------------------------------------------------------------------

    def memo(self, name: str, args: Hashable, compute: Callable[[], Any], entries: int = DEFAULT_ENTRIES,
             announce: str | None = None) -> Any:
        """``compute()`` once per (name, args) and per files it reads: shared with every session when it
        read none of this instance's imported files, else kept here. ``announce``: words shown while
        it is computed for the first time."""
        imported = self.imported_kinds
        if self.shared is not None and imported:
            own = self.store.get(name, args)
            if own is not None:
                note_use(own.used)
                return own.value
        base = self.shared if (self.shared is not None and imported) else self
        hit = base.store.get(name, args)
        if hit is not None and not (hit.used & imported):
            note_use(hit.used)
            return hit.value
        try:
            with base.store.key_lock(name, args):  # one computation per key at a time (two sessions, one page)
                hit = base.store.get(name, args)
                if hit is not None and not (hit.used & imported):
                    note_use(hit.used)
                    return hit.value
                with (self.announce(announce) if announce else nullcontext()):
                    value, used = tracked(compute)
                note_use(used)
                target = self if used & imported else base
                target.store.put(name, args, Entry(value, used, self.key), entries)
        finally:
            base.store.release_key_lock(name, args)  # a lock per key computed, not kept for the process's life
        return value

    # --- which file, from where -------------------------------------------------------------

    def default_file(self, kind: str) -> workspace.FileInUse:
        return workspace.default_file(kind, self.code, self.scan)

    def file_in_use(self, kind: str) -> workspace.FileInUse:
        """The file the accessors below actually read for ``kind``."""
        note_use({kind})
        if kind == "denominators" and "records" not in self.imported and self.default_file("records").is_demo:
            return self.default_file(kind)  # demonstration records come with their own denominators only
        if kind in self.imported:
            data, name = self.imported[kind]
            return workspace.FileInUse(kind, "importe", name, upload_digest(data, name) or "")
        chosen = self.default_file(kind)
        if kind == "denominators" and chosen.is_demo:  # real records never get demonstration denominators
            return workspace.FileInUse(kind, "absent", "aucun fichier", "")
        return chosen

    def source_line(self, kind: str) -> str:
        """The provenance line of the file in use for ``kind`` (never written by hand on a page)."""
        return self.describe_source(self.file_in_use(kind))

    def describe_source(self, chosen: workspace.FileInUse) -> str:
        kind = chosen.kind
        label = workspace.KIND_LABELS[kind]
        if chosen.status == "importe":
            return f"Source : fichier importé « {chosen.name} » ({label})."
        if chosen.status == "configure":
            return f"Source : fichier configuré « {chosen.name} » ({label}, dossier {workspace.SETTING})."
        if chosen.status == "demo":
            return f"{label} : données de démonstration (générateur documenté, non réelles)."
        if chosen.status == "absent":
            return f"{label} : aucun fichier en usage."
        if kind == "objectives":
            from lib.datasets.objectives_in_use import source_of

            return f"{label} : {source_of(chosen, self.code)} (fournis avec le tableau de bord)."
        return self.catalog()["chomage_localise_insee"].caption

    def _bytes(self, kind: str) -> tuple[bytes, str] | None:
        """The imported or configured file of ``kind`` (``None``: the bundled one)."""
        if kind in self.imported:
            return self.imported[kind]
        chosen = self.default_file(kind)
        return (chosen.path.read_bytes(), chosen.path.name) if chosen.status == "configure" else None

    # --- the replaceable sources ------------------------------------------------------------

    def unemployment(self) -> tuple[pd.DataFrame, ImportReport]:
        """The tidy Insee table (all of France) and its import report."""
        def read():
            note_use({"unemployment"})
            data = self._bytes("unemployment")
            if data is None:
                chosen = self.default_file("unemployment")
                data = (chosen.path.read_bytes(), chosen.name)
            return chomage.read_unemployment(*data)

        note_use({"unemployment"})
        return self.memo("unemployment", (), read, entries=4, announce="Lecture du fichier Insee…")

    def offer(self) -> tuple[pd.DataFrame, ImportReport, dict[str, int], bool]:
        """The located offer (session × place), its report, located counts, and whether it is demonstration."""
        from lib.datasets.offer_in_use import load_offer

        def read():
            note_use({"offer"})
            data = self._bytes("offer")
            return load_offer(self.code) if data is None else load_offer(self.code, *data)

        note_use({"offer"})
        return self.memo("offer", (), read, entries=4, announce="Lecture de l'offre de formation…")

    def records(self):
        """``(records, report, denominators, denominators_report, is_demo)``. Imported denominators go with
        imported or configured records only; demonstration records only with their own denominators."""
        from lib.datasets.records_in_use import load_records

        def read():
            note_use({"records", "denominators"})
            records = self._bytes("records")
            if records is None:
                return load_records(self.code)
            denominators = self._bytes("denominators") or (None, None)
            chosen = self.file_in_use("records")  # several configured files are read together
            more = [(path.read_bytes(), path.name) for path in chosen.others]
            if not self.records_read_in_session:
                return load_records(self.code, *records, *denominators, more=more)
            return load_records(self.code, *records, *denominators, self.as_of, mapping=self.mapping, more=more)

        note_use({"records", "denominators"})
        return self.memo("records", (), read, entries=4, announce="Lecture des entrées en formation…")

    def objectives(self) -> tuple[pd.DataFrame, ImportReport, str]:
        """``(objectives, report, source)``: the pact's objectives in use (imported, configured, the region's
        bundled pact, else the national 15 % QPV target for the years of the records)."""
        from lib.datasets.objectives_in_use import load_objectives, source_of

        def read():
            note_use({"objectives"})
            chosen = self.file_in_use("objectives")
            years = [] if chosen.path is not None or chosen.status != "fourni" else \
                [int(y) for y in self.records()[0]["year"].unique()]
            frame, report = load_objectives(self.code, chosen, self._bytes("objectives"), years)
            return frame, report, source_of(chosen, self.code)

        note_use({"objectives"})
        return self.memo("objectives", (), read, entries=4, announce="Lecture des objectifs…")

    # --- bundled reference tables (shared by every session) -----------------------------------

    def catalog(self) -> dict[str, Dataset]:
        return self.memo("catalog", (), datasets, entries=1)

    def reference_table(self, folder: str, name: str) -> pd.DataFrame:
        return self.memo("reference_table", (folder, name),
                         lambda: pd.read_csv(REFERENCE / folder / name, dtype=str, keep_default_na=False))

    def unemployment_reference(self) -> pd.DataFrame:
        return self.memo("unemployment_reference", (), lambda: pd.read_csv(
            REFERENCE / "pact_ara_2019" / "unemployment_4t2018.csv", dtype={"code": str, "level": str}), entries=1)

    def nsf_groups(self) -> pd.DataFrame:
        return self.memo("nsf_groups", (), lambda: pd.read_csv(REFERENCE / "nsf" / "nsf_groupes.csv", dtype=str), entries=1)

    def benchmarks(self) -> pd.DataFrame:
        return self.memo("benchmarks", (), lambda: pd.read_csv(
            RAW / "benchmarks_publications" / "national_training_benchmarks.csv", dtype=str).assign(
            value=lambda t: pd.to_numeric(t["value"], errors="coerce")), entries=1)

    def barometre(self) -> pd.DataFrame:
        from lib.sources import barometre as source

        return self.memo("barometre", (self.code,), lambda: source.read_for_region(self.code, self.region.dep_codes))

    def communes(self) -> pd.DataFrame:
        """COG 2026 communes of France (tidy table of :func:`lib.sources.cog.read_communes`)."""
        return self.memo("communes", (), lambda: cached_table(
            "cog_communes", [cog.SOURCE_DIR / "communes.json", cog.SOURCE_DIR / "epci.json"], cog.read_communes),
            entries=1, announce="Lecture des communes…")

    def qpv_file(self, kind: str, year: int) -> pd.DataFrame:
        from lib.sources import qpv

        return self.memo("qpv_file", (kind, year), lambda: qpv.read_vintage(kind, year))

    def qpv_vintage_for(self, kind: str, year: int) -> int:
        from lib.sources import qpv

        return self.memo("qpv_vintage_for", (kind, year), lambda: qpv.vintage_for(kind, year))

    def qpv_vintages(self, kind: str) -> list[int]:
        from lib.sources import qpv

        return self.memo("qpv_vintages", (kind,), lambda: qpv.available_vintages(kind))

    def departements(self) -> gpd.GeoDataFrame:
        from lib.datasets import geometry

        return self.memo("departements", (self.code,), lambda: geometry.departements(self.code),
                         announce="Chargement des contours…")

    def commune_polygons(self) -> gpd.GeoDataFrame:
        from lib.datasets import geometry

        return self.memo("commune_polygons", (self.code,), lambda: geometry.communes(self.code),
                         announce="Chargement des contours…")

    def commune_points(self) -> pd.DataFrame:
        return self.memo("commune_points", (self.code,), lambda: self.commune_polygons()[
            ["code", "name", "dep", "population", "lon", "lat"]].copy())

    def commune_display_geojson(self) -> dict:
        """Display geometry of the region's communes (same order for every commune map)."""
        from lib.datasets import geometry

        return self.memo("commune_display_geojson", (self.code,), lambda: geometry.to_geojson(
            geometry.communes_display(self.code), ["code"], decimals=4))

    def departement_outlines(self) -> dict:
        from lib.datasets import geometry

        return self.memo("departement_outlines", (self.code,), lambda: geometry.to_geojson(
            self.departements(), ["code"], decimals=4))
