"""Cached loaders between ``lib`` and the pages (the only module that imports streamlit).

Everything here is a thin ``st.cache_data`` / ``st.cache_resource`` wrapper around a
plain function of ``lib``, so the pages stay thin and the CLI can call the same code
without Streamlit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from lib.core.config import RAW, REFERENCE, region_code
from lib.core.errors import ImportReport
from lib.datasets import territory, workspace
from lib.datasets.catalog import Dataset, datasets
from lib.datasets.tables_cache import cached_table
from lib.sources import chomage, cog

if TYPE_CHECKING:  # geopandas is imported lazily: the home page does not need it
    import geopandas as gpd

UNEMPLOYMENT_FILE = RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"


def region(code: str | None = None) -> territory.Region:
    """The region shown (``PRIC_REGION`` unless a code is given)."""
    return _region(code or region_code())


@st.cache_resource(show_spinner=False)
def _region(code: str) -> territory.Region:  # read-only, shared (no copy per call)
    return territory.region(code)


def unemployment(upload: bytes | None = None, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """The tidy unemployment table: the uploaded edition if any (kept in the session only), else
    the bundled file (shared)."""
    if upload is not None:
        return session_upload_load("unemployment", upload_digest(upload, filename),
                                   lambda: chomage.read_unemployment(upload, filename))
    return _bundled_unemployment()


@st.cache_data(show_spinner="Lecture du fichier Insee…")
def _bundled_unemployment() -> tuple[pd.DataFrame, ImportReport]:
    """The deployment's configured workbook (PRIC_DATA_DIR) if any, else the bundled edition."""
    chosen = default_file("unemployment", region_code())
    return chomage.read_unemployment(chosen.path.read_bytes(), chosen.name)


@st.cache_resource(show_spinner=False)
def configured_scan() -> workspace.FolderScan | None:
    """The deployment's folder of real exports (``PRIC_DATA_DIR``), scanned once per server."""
    return workspace.current_scan()


def default_file(kind: str, code: str) -> workspace.FileInUse:
    return workspace.default_file(kind, code, configured_scan())


# --- The session's workspace: files the user imported, kept in this session's memory only ---------

FILES_KEY = "_pric_files"
AS_OF_KEY = "_pric_records_as_of"
MAPPING_KEY = "_pric_records_mapping"


def imported_files() -> dict[str, tuple[bytes, str]]:
    return st.session_state.setdefault(FILES_KEY, {})


UPLOAD_IDS_KEY = "_pric_upload_ids"  # by kind, the uploader entries (file_id) that gave the file in use
DROPPED_KEY = "_pric_dropped_uploads"  # uploader entries of dropped files: not imported again


def note_upload(kind: str, file_id: str) -> None:
    st.session_state.setdefault(UPLOAD_IDS_KEY, {}).setdefault(kind, set()).add(file_id)


def dropped_uploads() -> set[str]:
    """Uploader entries whose file was dropped: the uploader still shows it after « Revenir aux données
    fournies » and gives it on every run; adding the file again gives a new entry."""
    return st.session_state.setdefault(DROPPED_KEY, set())


def import_file(kind: str, data: bytes, name: str) -> None:
    """Use ``data`` for ``kind`` on every page of the session (call once it was read right)."""
    imported_files()[kind] = (data, name)


def drop_imported(kind: str | None = None) -> None:
    """Back to the provided (or configured) data for ``kind``, or for every source."""
    from lib.app.views import SESSION_KEY

    files = imported_files()
    for name in ([kind] if kind else list(files)):
        files.pop(name, None)
        st.session_state.pop(UPLOAD_SLOT.format(name), None)
        dropped_uploads().update(st.session_state.get(UPLOAD_IDS_KEY, {}).pop(name, set()))
    if kind in (None, "records"):
        st.session_state.pop(AS_OF_KEY, None)
        st.session_state.pop(MAPPING_KEY, None)
    st.session_state.pop(SESSION_KEY, None)  # views of the dropped data


def records_as_of():
    return st.session_state.get(AS_OF_KEY)


def set_records_as_of(value) -> None:
    st.session_state[AS_OF_KEY] = None if value is None else pd.Timestamp(value)


def records_mapping():
    return st.session_state.get(MAPPING_KEY)


def set_records_mapping(mapping) -> None:
    st.session_state[MAPPING_KEY] = mapping


def workspace_key() -> str | None:
    """One key for the session's imported files (``None``: every source is the shared default),
    the ``upload`` argument of every view."""
    files = imported_files()
    parts = [f"{kind}={upload_digest(*files[kind])}" for kind in workspace.KINDS if kind in files]
    if "records" in files:
        as_of = records_as_of()
        mapping = records_mapping()
        parts.append(f"as_of={'' if as_of is None else f'{as_of:%Y-%m-%d}'}")
        parts.append(f"mapping={'' if mapping is None else upload_digest(mapping.to_json())}")
    return "|".join(parts) or None


def session_unemployment() -> tuple[pd.DataFrame, ImportReport]:
    """The Insee table of this session: the imported edition, else the default one."""
    upload = imported_files().get("unemployment")
    return unemployment(*upload) if upload else unemployment()


def session_offer(code: str):
    upload = imported_files().get("offer")
    return training_offer(code, *upload) if upload else training_offer(code)


def session_records(code: str):
    """Records and denominators of this session. Imported denominators are used with imported (or
    configured) records only: never beside demonstration records, and demonstration denominators
    never beside real records."""
    files = imported_files()
    if "records" in files:
        return read_session_records(code, *files["records"])
    configured = _configured_bytes("records", code)
    if configured is not None and "denominators" in files:  # the deployment's records, the session's denominators
        return read_session_records(code, *configured)
    return training_records(code)


def read_session_records(code: str, data: bytes, name: str):
    """Read records with the session's denominators (imported, else configured), observation date and mapping."""
    denominators = imported_files().get("denominators") or _configured_bytes("denominators", code)
    return training_records(code, data, name, *(denominators or (None, None)), records_as_of(), mapping=records_mapping())


def _configured_bytes(kind: str, code: str) -> tuple[bytes, str] | None:
    chosen = default_file(kind, code)
    return (chosen.path.read_bytes(), chosen.name) if chosen.status == "configure" else None


def file_in_use(kind: str, code: str) -> workspace.FileInUse:
    """The file :func:`session_records` and the other session accessors actually use for ``kind``."""
    files = imported_files()
    if kind == "denominators" and "records" not in files and default_file("records", code).is_demo:
        return default_file(kind, code)  # demonstration records come with their own denominators only
    if kind in files:
        data, name = files[kind]
        return workspace.FileInUse(kind, "importe", name, upload_digest(data, name) or "")
    chosen = default_file(kind, code)
    if kind == "denominators" and chosen.is_demo:  # real records never get demonstration denominators
        return workspace.FileInUse(kind, "absent", "aucun fichier", "")
    return chosen


def source_line(kind: str, code: str) -> str:
    """The provenance line of the dataset in use for ``kind`` (never written by hand on a page)."""
    return describe_source(file_in_use(kind, code))


def describe_source(chosen: workspace.FileInUse) -> str:
    """The provenance line of one file in use (imported, configured, demonstration, provided)."""
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
    return catalog()["chomage_localise_insee"].caption


# Uploads: each kind of uploaded file is read once per session and kept in the session only
# (never in a global cache), so its memory goes with the session. One file per kind.
UPLOAD_SLOT = "_pric_upload_{}"


def upload_digest(data: bytes | None, name: str | None = None) -> str | None:
    from lib.app.views import upload_digest as digest

    return digest(data, name)


def session_upload_load(kind: str, digest: str, read):
    """``read()`` once per session and upload (the result is this session's, never shared)."""
    slot = UPLOAD_SLOT.format(kind)
    held = st.session_state.get(slot)
    if held is not None and held[0] == digest:
        return held[1]
    result = read()  # a DataError leaves the previous upload in place
    st.session_state[slot] = (digest, result)
    return result


@st.cache_data(show_spinner=False)
def unemployment_reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "pact_ara_2019" / "unemployment_4t2018.csv", dtype={"code": str, "level": str})


@st.cache_resource(show_spinner="Chargement des contours…")
def departements(code: str) -> gpd.GeoDataFrame:
    from lib.datasets import geometry

    return geometry.departements(code)


@st.cache_resource(show_spinner="Chargement des contours…")
def commune_polygons(code: str) -> gpd.GeoDataFrame:
    from lib.datasets import geometry

    return geometry.communes(code)


@st.cache_data(show_spinner="Lecture des communes…")
def communes() -> pd.DataFrame:
    """COG 2026 communes of France (tidy table of :func:`lib.sources.cog.read_communes`)."""
    return cached_table("cog_communes", [cog.SOURCE_DIR / "communes.json", cog.SOURCE_DIR / "epci.json"], cog.read_communes)


@st.cache_resource(show_spinner=False)
def warm_up(code: str) -> bool:
    """Once per server, in the background: import the map stack and compute every page's views in
    their default state (:func:`lib.app.views.warm`), so a first visit finds them ready."""
    import threading

    # Imported here, in the script's thread, before the warm-up thread starts: a page importing the
    # chart or map stack while the warm-up imports it too can deadlock on packages with import
    # cycles (« deadlock detected by _ModuleLock('narwhals.stable.v2') », seen in AppTest).
    import altair  # noqa: F401
    import folium  # noqa: F401
    import geopandas  # noqa: F401

    from lib.app import views  # noqa: F401
    from lib.datasets import geometry  # noqa: F401
    from lib.indicators import coverage, diagnosis, pathways, unemployment, white_zones  # noqa: F401
    from lib.render import charts, maps  # noqa: F401

    def work() -> None:
        import logging
        import time

        start = time.perf_counter()
        done = views.warm(code)
        logging.getLogger("pric").warning("préchauffage terminé en %.1f s (%d étapes)", time.perf_counter() - start, len(done))

    threading.Thread(target=work, name="pric-warm-up", daemon=True).start()
    return True


@st.cache_data(show_spinner=False)
def catalog() -> dict[str, Dataset]:
    return datasets()


@st.cache_resource(show_spinner="Rapprochement des zonages et des quartiers…")
def territories(code: str, qpv_list: str = "2024"):
    """QPV (of the 2024 or 2015 list), ZRR and FRR per commune of the region (see :mod:`lib.indicators.coverage`).
    Shared by every session without copy: callers only read it."""
    from lib.indicators import coverage

    return coverage.build(region(code), qpv_list)


@st.cache_data(show_spinner=False)
def qpv_contours(code: str) -> dict:
    """GeoJSON of the region's QPV 2024 contours, simplified at 20 m (4 decimals) for display, with their tooltips' fields."""
    from lib.core.fmt import fr_int
    from lib.datasets import geometry
    from lib.sources import qpv2024

    quarters = territories(code, "2024").qpv.set_index("code")
    contours = geometry.simplified(qpv2024.read_contours(region(code).dep_codes), 20)
    contours["label"] = contours["name"] + " (" + contours["code"] + ")"
    contours["population_txt"] = contours["code"].map(quarters["population"]).map(lambda v: f"{fr_int(v)} hab.")
    contours["communes"] = contours["code"].map(quarters["commune_names"]).fillna("–")
    contours["source"] = "liste 2024, contours simplifiés d'une copie du fichier ANCT ; Insee, RP 2020"
    return geometry.to_geojson(contours, ["code", "label", "population_txt", "communes", "source"], decimals=4)


@st.cache_data(show_spinner=False)
def qpv_file(kind: str, year: int) -> pd.DataFrame:
    from lib.sources import qpv

    return qpv.read_vintage(kind, year)


@st.cache_data(show_spinner=False)
def qpv_vintage_for(kind: str, year: int) -> int:
    from lib.sources import qpv

    return qpv.vintage_for(kind, year)


@st.cache_data(show_spinner=False)
def qpv_vintages(kind: str) -> list[int]:
    from lib.sources import qpv

    return qpv.available_vintages(kind)


@st.cache_data(show_spinner=False)
def reference_table(folder: str, name: str) -> pd.DataFrame:
    return pd.read_csv(REFERENCE / folder / name, dtype=str, keep_default_na=False)


def commune_zoning_map(code: str, zoning: str, title: str, qpv_list: str = "2024"):
    """The region-wide commune map for ``zoning`` with the QPV of ``qpv_list``: contours for the
    2024 list, markers on host communes for the 2015 list (whose contours are not bundled).

    Built once per server; each run gets its own copy because streamlit-folium renames the
    map's elements while rendering it (a shared object would break on the second render). The
    copy is light: geometry, colours and tooltips are published files the map fetches.
    """
    import copy

    return copy.deepcopy(_commune_zoning_map(code, zoning, title, qpv_list))


@st.cache_resource(show_spinner="Préparation de la carte des communes…")
def _commune_zoning_map(code: str, zoning: str, title: str, qpv_list: str = "2024"):
    from lib.datasets import geometry
    from lib.indicators import coverage
    from lib.render import maps

    terr = territories(code, qpv_list)
    layer = geometry.communes_display(code).merge(terr.communes, on="code")
    layer["label"] = layer["name"] + " (" + layer["code"] + ")"
    labels = coverage.zonages.ZRR_LABELS if zoning == "zrr" else coverage.zonages.FRR_LABELS
    layer["classe"] = layer[zoning].map(labels)
    layer["zone"] = layer[zoning]
    geojson = geometry.to_geojson(layer, ["label", "classe", "zone"], decimals=4)
    present = set(layer["zone"].dropna())
    qpv_item = ((coverage.QPV_COLOR, "quartier prioritaire, liste 2024 (contour)") if qpv_list == "2024" else
                (coverage.QPV_COLOR, "● commune avec QPV de la liste 2015 (taille : population)"))
    fmap = maps.polygons(
        geojson, maps.bounds_of(departements(code)), lambda p: coverage.ZONE_COLORS[zoning].get(p["zone"], maps.NO_DATA),
        title, [*coverage.zone_legend(zoning, present), qpv_item],
        ["label", "classe"], ["Commune", title], canvas=True, line_weight=0.3,
        publish_as=f"communes_{zoning}_{code}", publish_styles=True,
    )
    maps.outlines(fmap, departement_outlines(code))
    if qpv_list == "2024":
        maps.overlay_polygons(fmap, qpv_contours(code), lambda p: coverage.QPV_COLOR,
                              ["label", "population_txt", "communes", "source"],
                              ["Quartier", "Population (RP 2020)", "Communes", "Source"],
                              line_color="#3f007d", line_weight=1.5, fill_opacity=0.85, publish_as=f"qpv2024_{code}")
        return fmap
    years = qpv_vintages("IPRO")
    indicators = coverage.qpv_indicators(qpv_file("IPRO", years[-1]), qpv_file("DEMO", terr.qpv_vintages[1]), None,
                                         list(terr.qpv["code"]))
    points = commune_polygons(code)[["code", "lon", "lat"]]
    maps.add_circles(fmap, coverage.qpv_markers(terr, indicators, points), coverage.QPV_COLOR, "QPV")
    return fmap


@st.cache_data(show_spinner=False)
def departement_outlines(code: str) -> dict:
    from lib.datasets import geometry

    return geometry.to_geojson(departements(code), ["code"], decimals=4)


def training_offer(code: str, upload: bytes | None = None, filename: str | None = None):
    """The located offer (session × place) and its import report: the upload if any (kept in the
    session only), else the demonstration offer of the region (shared, read-only).
    Returns ``(offer, report, located_counts, is_demo)``."""
    from lib.indicators import offer as offer_indicators

    if upload is not None:
        return session_upload_load("offer", upload_digest(upload, filename),
                                   lambda: offer_indicators.load_offer(code, upload, filename))
    return _bundled_offer(code)


@st.cache_resource(show_spinner="Lecture de l'offre de formation…", max_entries=4)
def _bundled_offer(code: str):
    """The configured offer (PRIC_DATA_DIR) if any, else the demonstration one; shared by every
    session without copy: callers only read it."""
    from lib.indicators import offer as offer_indicators

    chosen = default_file("offer", code)
    if chosen.is_demo:
        return offer_indicators.load_offer(code)
    return offer_indicators.load_offer(code, chosen.path.read_bytes(), chosen.name)


@st.cache_data(show_spinner=False)
def nsf_groups() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "nsf" / "nsf_groupes.csv", dtype=str)


@st.cache_data(show_spinner=False)
def commune_points(code: str) -> pd.DataFrame:
    return commune_polygons(code)[["code", "name", "dep", "population", "lon", "lat"]].copy()


@st.cache_data(show_spinner="Calcul des distances…", max_entries=32)
def white_zones(code: str, nsf: tuple[str, ...], certifying_only: bool, period: tuple[str, str] | None,
                threshold_km: float) -> pd.DataFrame:
    """Per commune of the region: nearest matching session (km), sessions within reach, white — on
    the default offer (shared); views of a session's imported offer are memoised in the session."""
    from lib.indicators import white_zones as wz

    offer, _, _, _ = training_offer(code)
    sessions = wz.OfferFilter(nsf, certifying_only, period).apply(offer)
    return wz.nearest_sessions(commune_points(code), sessions, threshold_km)


@st.cache_data(show_spinner=False)
def commune_display_geojson(code: str) -> dict:
    """Display geometry of the region's communes (same order for every commune map)."""
    from lib.datasets import geometry

    layer = geometry.communes_display(code)
    return geometry.to_geojson(layer, ["code"], decimals=4)


def training_records(code: str, upload: bytes | None = None, filename: str | None = None,
                     den_upload: bytes | None = None, den_filename: str | None = None, as_of=None, mapping=None):
    """Records, their report, denominators, their report, and whether they are demonstration data.
    Uploaded records stay in the session (read again when the file, the denominators, the
    observation date ``as_of`` or the mapping profile change); the default records are shared, read-only."""
    from lib.indicators.records_source import load_records

    if upload is not None:
        key = records_digest(upload, filename, den_upload, den_filename, as_of)
        if mapping is not None:
            key += f"~{upload_digest(mapping.to_json())}"
        return session_upload_load("records", key, lambda: load_records(code, upload, filename, den_upload, den_filename,
                                                                        as_of, mapping))
    return _bundled_records(code)


def records_digest(upload: bytes | None, filename: str | None = None, den_upload: bytes | None = None,
                   den_filename: str | None = None, as_of=None) -> str | None:
    """Key of an uploaded records file, its denominators and the observation date it is read at."""
    if upload is None:
        return None
    day = "" if as_of is None else f"@{pd.Timestamp(as_of):%Y-%m-%d}"
    return f"{upload_digest(upload, filename)}+{upload_digest(den_upload, den_filename)}{day}"


@st.cache_resource(show_spinner="Lecture des entrées en formation…", max_entries=4)
def _bundled_records(code: str):
    """The configured records (and denominators, never demonstration ones beside them) if any, else
    the demonstration files; shared by every session without copy: callers only read it."""
    from lib.indicators.records_source import load_records

    chosen = default_file("records", code)
    if chosen.is_demo:
        return load_records(code)
    denominators = _configured_bytes("denominators", code) or (None, None)
    return load_records(code, chosen.path.read_bytes(), chosen.name, *denominators)


@st.cache_data(show_spinner=False)
def benchmarks() -> pd.DataFrame:
    return pd.read_csv(RAW / "benchmarks_publications" / "national_training_benchmarks.csv", dtype=str).assign(
        value=lambda t: pd.to_numeric(t["value"], errors="coerce"))


@st.cache_data(show_spinner=False)
def barometre(code: str) -> pd.DataFrame:
    from lib.sources import barometre as source

    return source.read_for_region(code, region(code).dep_codes)


@st.cache_data(show_spinner=False)
def coverage_table(code: str, qpv_list: str = "2024") -> pd.DataFrame:
    from lib.indicators import coverage

    return coverage.department_coverage(region(code), territories(code, qpv_list))


def _in_session(key: tuple, compute):
    from lib.app.views import session_memo

    return session_memo(key, compute)


def offer_period() -> tuple[str, str]:
    """The offer's period wherever white zones are shown without a period of their own (Fiche,
    Diagnostic): the Zones blanches page's and the CLI's default, so one commune is white or not
    everywhere (sessions over for years used to count on the Fiche and not on Zones blanches)."""
    from lib.indicators import white_zones as wz

    return wz.default_period()


def all_sessions_distances(code: str, threshold_km: float, upload: str | None = None,
                           period: tuple[str, str] | None = None) -> pd.DataFrame:
    """Distances from every commune to the sessions of the offer in use (the session's import if
    any) running in ``period`` (default :func:`offer_period`)."""
    period = period or offer_period()
    if upload is None:
        return white_zones(code, (), False, period, threshold_km)
    from lib.indicators import white_zones as wz

    offer = session_offer(code)[0]
    return _in_session(("distances", upload, code, threshold_km, period), lambda: wz.nearest_sessions(
        commune_points(code), wz.OfferFilter(period=period).apply(offer), threshold_km))


def white_summary(code: str, threshold_km: float, upload: str | None = None,
                  period: tuple[str, str] | None = None) -> pd.DataFrame:
    period = period or offer_period()
    if upload is None:
        return _white_summary(code, threshold_km, period)
    return _in_session(("white_summary", upload, code, threshold_km, period), lambda: _summarise_white(
        code, all_sessions_distances(code, threshold_km, upload, period)))


@st.cache_data(show_spinner=False)
def _white_summary(code: str, threshold_km: float, period: tuple[str, str]) -> pd.DataFrame:
    return _summarise_white(code, white_zones(code, (), False, period, threshold_km))


def _summarise_white(code: str, result: pd.DataFrame) -> pd.DataFrame:
    from lib.indicators import white_zones as wz

    return wz.department_summary(result, region(code).departements, region(code).name)


def department_rates(code: str, dep: str, upload: str | None = None) -> pd.DataFrame:
    """The department's rates by public; a frame with the rate columns and no row when the records
    have no entry for it (records covering some departments only)."""
    if upload is None:
        return _department_rates(code, dep)
    from lib.indicators import pathways as pw

    records, _, denominators, _, _ = session_records(code)
    return _in_session(("department_rates", upload, code, dep), lambda: pw.rates_by(
        records, denominators, pw.Selection(deps=(dep,)), ["public"]))


@st.cache_data(show_spinner=False)
def _department_rates(code: str, dep: str) -> pd.DataFrame:
    from lib.indicators import pathways as pw

    records, _, denominators, _, _ = training_records(code)
    return pw.rates_by(records, denominators, pw.Selection(deps=(dep,)), ["public"])


def department_map_png(code: str, dep: str, threshold_km: float, qpv_list: str = "2024", note: str = "",
                       upload: str | None = None) -> bytes:
    period = offer_period()
    if upload is None:
        return _department_map_png(code, dep, threshold_km, qpv_list, note, period)
    return _in_session(("map_png", upload, code, dep, threshold_km, qpv_list, note, period), lambda: _draw_department_map(
        code, dep, threshold_km, qpv_list, note, all_sessions_distances(code, threshold_km, upload, period)))


@st.cache_data(show_spinner="Dessin de la carte…")
def _department_map_png(code: str, dep: str, threshold_km: float, qpv_list: str, note: str,
                        period: tuple[str, str]) -> bytes:
    return _draw_department_map(code, dep, threshold_km, qpv_list, note, white_zones(code, (), False, period, threshold_km))


def _draw_department_map(code: str, dep: str, threshold_km: float, qpv_list: str, note: str,
                         distances_table: pd.DataFrame) -> bytes:
    """Static map of the department: communes by distance to the nearest session; QPV 2024 contours
    (or the host communes of the 2015 list) outlined; ``note`` printed under the map (e.g. demonstration)."""
    from lib.indicators import white_zones as wz
    from lib.render import export

    communes = commune_polygons(code)
    communes = communes[communes["dep"].eq(dep)]
    distances = distances_table.set_index("code")["nearest_km"]
    colors = distances.map(lambda km: wz.distance_color(km, threshold_km))
    if qpv_list == "2024":
        from lib.sources import qpv2024

        quarters = qpv2024.read_contours([dep])
        return export.department_map_png(communes, colors, wz.distance_legend(threshold_km), quarters=quarters,
                                         title="Distance à la session de formation la plus proche", note=note)
    hosts = territories(code, qpv_list).communes.query("qpv_count > 0")["code"]
    return export.department_map_png(communes, colors, wz.distance_legend(threshold_km), hosts,
                                     title="Distance à la session de formation la plus proche", note=note,
                                     highlight_label="commune avec un QPV (liste 2015)")


def epci_table(code: str, threshold_km: float, qpv_list: str = "2024", upload: str | None = None,
               period: tuple[str, str] | None = None) -> pd.DataFrame:
    period = period or offer_period()
    if upload is None:
        return _epci_table(code, threshold_km, qpv_list, period)
    return _in_session(("epci", upload, code, threshold_km, qpv_list, period), lambda: _epci(
        code, qpv_list, all_sessions_distances(code, threshold_km, upload, period)))


@st.cache_data(show_spinner="Agrégation par EPCI…")
def _epci_table(code: str, threshold_km: float, qpv_list: str, period: tuple[str, str]) -> pd.DataFrame:
    return _epci(code, qpv_list, white_zones(code, (), False, period, threshold_km))


def _epci(code: str, qpv_list: str, distances: pd.DataFrame) -> pd.DataFrame:
    from lib.indicators import diagnosis
    from lib.sources import cog

    terr = territories(code, qpv_list)
    with_epci = terr.communes.merge(communes()[["code", "epci"]], on="code", how="left")
    return diagnosis.epci_indicators(with_epci, terr.qpv, distances, cog.read_epci())

