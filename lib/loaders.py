"""Cached loaders between ``lib`` and the pages (the only module that imports streamlit).

Everything here is a thin ``st.cache_data`` / ``st.cache_resource`` wrapper around a
plain function of ``lib``, so the pages stay thin and the CLI can call the same code
without Streamlit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from lib import territory
from lib.cache import cached_table
from lib.catalog import Dataset, datasets
from lib.config import RAW, REFERENCE, region_code
from lib.errors import ImportReport
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
    return chomage.read_unemployment(UNEMPLOYMENT_FILE)


# Uploads: each kind of uploaded file is read once per session and kept in the session only
# (never in a global cache), so its memory goes with the session. One file per kind.
UPLOAD_SLOT = "_pric_upload_{}"


def upload_digest(data: bytes | None, name: str | None = None) -> str | None:
    from lib.views import upload_digest as digest

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


def session_upload(kind: str, digest: str):
    """The session's upload read by :func:`session_upload_load` (``digest`` must match)."""
    held = st.session_state.get(UPLOAD_SLOT.format(kind))
    if held is None or held[0] != digest:
        raise LookupError(f"aucun fichier « {kind} » importé dans cette session sous {digest}")
    return held[1]


UPLOAD_KEY = "_pric_unemployment_upload"


def remember_unemployment_upload(upload: tuple[bytes, str] | None) -> None:
    """Keep (or forget) an uploaded Insee edition for the rest of the session, on every page."""
    if upload is None:
        st.session_state.pop(UPLOAD_KEY, None)
    else:
        st.session_state[UPLOAD_KEY] = upload


def remembered_unemployment_upload() -> tuple[bytes, str] | None:
    return st.session_state.get(UPLOAD_KEY)


def session_unemployment() -> tuple[pd.DataFrame, ImportReport]:
    """The unemployment table of this session: the uploaded edition if the user gave one, else the bundled file."""
    upload = st.session_state.get(UPLOAD_KEY)
    return unemployment(*upload) if upload else unemployment()


def session_unemployment_digest() -> str | None:
    """Key of the session's uploaded Insee edition (``None``: the bundled file)."""
    upload = st.session_state.get(UPLOAD_KEY)
    return upload_digest(*upload) if upload else None


@st.cache_data(show_spinner=False)
def unemployment_reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "pact_ara_2019" / "unemployment_4t2018.csv", dtype={"code": str, "level": str})


@st.cache_resource(show_spinner="Chargement des contours…")
def departements(code: str) -> gpd.GeoDataFrame:
    from lib import geometry

    return geometry.departements(code)


@st.cache_resource(show_spinner="Chargement des contours…")
def commune_polygons(code: str) -> gpd.GeoDataFrame:
    from lib import geometry

    return geometry.communes(code)


@st.cache_data(show_spinner="Lecture des communes…")
def communes() -> pd.DataFrame:
    """COG 2026 communes of France (tidy table of :func:`lib.sources.cog.read_communes`)."""
    return cached_table("cog_communes", [cog.SOURCE_DIR / "communes.json", cog.SOURCE_DIR / "epci.json"], cog.read_communes)


@st.cache_resource(show_spinner=False)
def warm_up(code: str) -> bool:
    """Once per server, in the background: import the map stack and compute every page's views in
    their default state (:func:`lib.views.warm`), so a first visit finds them ready."""
    import threading

    def work() -> None:
        from lib import geometry, maps, views  # noqa: F401  (imports are part of the point)

        views.warm(code)

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
    from lib import geometry
    from lib.fmt import fr_int
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
    from lib import geometry, maps
    from lib.indicators import coverage

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
    from lib import geometry

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
    """Shared by every session without copy: callers only read it."""
    from lib.indicators import offer as offer_indicators

    return offer_indicators.load_offer(code)


@st.cache_data(show_spinner=False)
def nsf_groups() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "nsf" / "nsf_groupes.csv", dtype=str)


@st.cache_data(show_spinner=False)
def commune_points(code: str) -> pd.DataFrame:
    return commune_polygons(code)[["code", "name", "dep", "population", "lon", "lat"]].copy()


def white_zones(code: str, nsf: tuple[str, ...], certifying_only: bool, period: tuple[str, str] | None,
                threshold_km: float, upload: bytes | None = None, filename: str | None = None) -> pd.DataFrame:
    """Per commune of the region: nearest matching session (km), sessions within reach, white.
    Results on an uploaded offer are memoised in the session only."""
    if upload is None:
        return _white_zones(code, nsf, certifying_only, period, threshold_km)
    from lib.indicators import white_zones as wz
    from lib.views import session_memo

    def compute() -> pd.DataFrame:
        offer, _, _, _ = training_offer(code, upload, filename)
        sessions = wz.OfferFilter(nsf, certifying_only, period).apply(offer)
        return wz.nearest_sessions(commune_points(code), sessions, threshold_km)

    key = ("white_zones", upload_digest(upload, filename), code, nsf, certifying_only, period, threshold_km)
    return session_memo(key, compute)


@st.cache_data(show_spinner="Calcul des distances…", max_entries=32)
def _white_zones(code: str, nsf: tuple[str, ...], certifying_only: bool, period: tuple[str, str] | None,
                 threshold_km: float) -> pd.DataFrame:
    from lib.indicators import white_zones as wz

    offer, _, _, _ = training_offer(code)
    sessions = wz.OfferFilter(nsf, certifying_only, period).apply(offer)
    return wz.nearest_sessions(commune_points(code), sessions, threshold_km)


@st.cache_data(show_spinner=False)
def commune_display_geojson(code: str) -> dict:
    """Display geometry of the region's communes (same order for every commune map)."""
    from lib import geometry

    layer = geometry.communes_display(code)
    return geometry.to_geojson(layer, ["code"], decimals=4)


def training_records(code: str, upload: bytes | None = None, filename: str | None = None,
                     den_upload: bytes | None = None, den_filename: str | None = None, as_of=None):
    """Records, their report, denominators, their report, and whether they are demonstration data.
    Uploaded records stay in the session (read again when the file, the denominators or the
    observation date ``as_of`` change); the demonstration records are shared, read-only."""
    from lib.indicators.records_source import load_records

    if upload is not None:
        return session_upload_load("records", records_digest(upload, filename, den_upload, den_filename, as_of),
                                   lambda: load_records(code, upload, filename, den_upload, den_filename, as_of))
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
    """Shared by every session without copy: callers only read it."""
    from lib.indicators.records_source import load_records

    return load_records(code)


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


@st.cache_data(show_spinner=False)
def white_summary(code: str, threshold_km: float) -> pd.DataFrame:
    from lib.indicators import white_zones as wz

    result = white_zones(code, (), False, None, threshold_km)
    return wz.department_summary(result, region(code).departements, region(code).name)


@st.cache_data(show_spinner=False)
def department_rates(code: str, dep: str) -> pd.DataFrame:
    from lib.indicators import pathways as pw

    records, _, denominators, _, _ = training_records(code)
    return pw.rates_by(records, denominators, pw.Selection(deps=(dep,)), ["public"])


@st.cache_data(show_spinner="Dessin de la carte…")
def department_map_png(code: str, dep: str, threshold_km: float, qpv_list: str = "2024", note: str = "") -> bytes:
    """Static map of the department: communes by distance to the nearest session; QPV 2024 contours
    (or the host communes of the 2015 list) outlined; ``note`` printed under the map (e.g. demonstration)."""
    from lib import export
    from lib.indicators import white_zones as wz

    communes = commune_polygons(code)
    communes = communes[communes["dep"].eq(dep)]
    distances = white_zones(code, (), False, None, threshold_km).set_index("code")["nearest_km"]
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


@st.cache_data(show_spinner="Agrégation par EPCI…")
def epci_table(code: str, threshold_km: float, qpv_list: str = "2024") -> pd.DataFrame:
    from lib.indicators import diagnosis
    from lib.sources import cog

    terr = territories(code, qpv_list)
    with_epci = terr.communes.merge(communes()[["code", "epci"]], on="code", how="left")
    return diagnosis.epci_indicators(with_epci, terr.qpv, white_zones(code, (), False, None, threshold_km),
                                     cog.read_epci())
