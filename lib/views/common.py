"""What several pages' views share: the region's territories and coverage, white zones at a threshold,
the department's rates and static map, and the sentences written alike under maps.

Each is a plain function of the datasets in use (``ds``, :class:`lib.datasets.in_use.Datasets`) and
filters, memoised by ``ds.memo`` (shared by every session unless it read a session's imported file).
"""
from __future__ import annotations

import copy
from collections.abc import Callable

import pandas as pd

from lib.datasets.in_use import Datasets


def region_unemployment(ds: Datasets) -> pd.DataFrame:
    """The Insee table in use, restricted to the region (with its regional and national rows)."""
    from lib.indicators import unemployment as unemp

    return ds.memo("region_unemployment", (), lambda: unemp.for_region(ds.unemployment()[0], ds.region), entries=4)


def territories(ds: Datasets, qpv_list: str = "2024"):
    """QPV (of the 2024 or 2015 list), ZRR and FRR per commune of the region (:mod:`lib.indicators.coverage`).
    Shared without copy: callers only read it."""
    from lib.indicators import coverage

    return ds.memo("territories", (qpv_list,), lambda: coverage.build(ds.region, qpv_list, ds.communes()), entries=4,
                   announce="Rapprochement des zonages et des quartiers…")


def coverage_table(ds: Datasets, qpv_list: str = "2024") -> pd.DataFrame:
    from lib.indicators import coverage

    return ds.memo("coverage_table", (qpv_list,), lambda: coverage.department_coverage(
        ds.region, territories(ds, qpv_list)), entries=4)


def qpv_contours(ds: Datasets) -> dict:
    """GeoJSON of the region's QPV 2024 contours, simplified at 20 m (4 decimals) for display, with their tooltips' fields."""
    def compute() -> dict:
        from lib.core.fmt import fr_int
        from lib.datasets import geometry
        from lib.sources import qpv2024

        quarters = territories(ds, "2024").qpv.set_index("code")
        contours = geometry.simplified(qpv2024.read_contours(ds.region.dep_codes), 20)
        contours["label"] = contours["name"] + " (" + contours["code"] + ")"
        contours["population_txt"] = contours["code"].map(quarters["population"]).map(lambda v: f"{fr_int(v)} hab.")
        contours["communes"] = contours["code"].map(quarters["commune_names"]).fillna("–")
        contours["source"] = "liste 2024, contours simplifiés d'une copie du fichier ANCT ; Insee, RP 2020"
        return geometry.to_geojson(contours, ["code", "label", "population_txt", "communes", "source"], decimals=4)

    return ds.memo("qpv_contours", (), compute, entries=2)


def commune_zoning_map(ds: Datasets, zoning: str, title: str, qpv_list: str = "2024"):
    """The region-wide commune map for ``zoning`` with the QPV of ``qpv_list``: contours for the
    2024 list, markers on host communes for the 2015 list (whose contours are not bundled).

    Built once per server; each call gets its own copy because streamlit-folium renames the map's
    elements while rendering it (a shared object would break on the second render). The copy is
    light: geometry, colours and tooltips are published files the map fetches."""
    return copy.deepcopy(ds.memo("commune_zoning_map", (zoning, title, qpv_list),
                                 lambda: _commune_zoning_map(ds, zoning, title, qpv_list), entries=8,
                                 announce="Préparation de la carte des communes…"))


def _commune_zoning_map(ds: Datasets, zoning: str, title: str, qpv_list: str):
    from lib.datasets import geometry
    from lib.indicators import coverage
    from lib.render import maps

    code = ds.code
    terr = territories(ds, qpv_list)
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
        geojson, maps.bounds_of(ds.departements()), lambda p: coverage.ZONE_COLORS[zoning].get(p["zone"], maps.NO_DATA),
        title, [*coverage.zone_legend(zoning, present), qpv_item],
        ["label", "classe"], ["Commune", title], canvas=True, line_weight=0.3,
        publish_as=f"communes_{zoning}_{code}", publish_styles=True,
    )
    maps.outlines(fmap, ds.departement_outlines())
    if qpv_list == "2024":
        maps.overlay_polygons(fmap, qpv_contours(ds), lambda p: coverage.QPV_COLOR,
                              ["label", "population_txt", "communes", "source"],
                              ["Quartier", "Population (RP 2020)", "Communes", "Source"],
                              line_color="#3f007d", line_weight=1.5, fill_opacity=0.85, publish_as=f"qpv2024_{code}")
        return fmap
    years = ds.qpv_vintages("IPRO")
    indicators = coverage.qpv_indicators(ds.qpv_file("IPRO", years[-1]), ds.qpv_file("DEMO", terr.qpv_vintages[1]), None,
                                         list(terr.qpv["code"]))
    points = ds.commune_polygons()[["code", "lon", "lat"]]
    maps.add_circles(fmap, coverage.qpv_markers(terr, indicators, points), coverage.QPV_COLOR, "QPV")
    return fmap


def offer_period() -> tuple[str, str]:
    """The offer's period wherever white zones are shown without a period of their own (Fiche,
    Diagnostic): the Zones blanches page's and the CLI's default, so one commune is white or not
    everywhere."""
    from lib.indicators import white_zones as wz

    return wz.default_period()


def white_zones(ds: Datasets, nsf: tuple[str, ...], certifying_only: bool, period: tuple[str, str] | None,
                threshold_km: float) -> pd.DataFrame:
    """Per commune of the region: nearest matching session (km), sessions within reach, white."""
    from lib.indicators import white_zones as wz

    def compute() -> pd.DataFrame:
        sessions = wz.OfferFilter(nsf, certifying_only, period).apply(ds.offer()[0])
        return wz.nearest_sessions(ds.commune_points(), sessions, threshold_km)

    return ds.memo("white_zones", (nsf, certifying_only, period, float(threshold_km)), compute, entries=32,
                   announce="Calcul des distances…")


def all_sessions_distances(ds: Datasets, threshold_km: float, period: tuple[str, str] | None = None) -> pd.DataFrame:
    """Distances from every commune to the sessions of the offer in use running in ``period``
    (default :func:`offer_period`)."""
    return white_zones(ds, (), False, period or offer_period(), threshold_km)


def white_summary(ds: Datasets, threshold_km: float, period: tuple[str, str] | None = None) -> pd.DataFrame:
    from lib.indicators import white_zones as wz

    period = period or offer_period()
    return ds.memo("white_summary", (float(threshold_km), period), lambda: wz.department_summary(
        all_sessions_distances(ds, threshold_km, period), ds.region.departements, ds.region.name))


def department_rates(ds: Datasets, dep: str) -> pd.DataFrame:
    """The department's rates by public; a frame with the rate columns and no row when the records
    have no entry for it (records covering some departments only)."""
    from lib.indicators import pathways as pw

    def compute() -> pd.DataFrame:
        records, _, denominators, _, _ = ds.records()
        return pw.rates_by(records, denominators, pw.Selection(deps=(dep,)), ["public"])

    return ds.memo("department_rates", (dep,), compute)


def department_map_png(ds: Datasets, dep: str, threshold_km: float, qpv_list: str = "2024", note: str = "") -> bytes:
    """Static map of the department: communes by distance to the nearest session; QPV 2024 contours
    (or the host communes of the 2015 list) outlined; ``note`` printed under the map (e.g. demonstration)."""
    period = offer_period()
    return ds.memo("department_map_png", (dep, float(threshold_km), qpv_list, note, period), lambda: _draw_department_map(
        ds, dep, threshold_km, qpv_list, note, all_sessions_distances(ds, threshold_km, period)),
        announce="Dessin de la carte…")


def _draw_department_map(ds: Datasets, dep: str, threshold_km: float, qpv_list: str, note: str,
                         distances_table: pd.DataFrame) -> bytes:
    from lib.indicators import white_zones as wz
    from lib.render import export

    communes = ds.commune_polygons()
    communes = communes[communes["dep"].eq(dep)]
    distances = distances_table.set_index("code")["nearest_km"]
    colors = distances.map(lambda km: wz.distance_color(km, threshold_km))
    if qpv_list == "2024":
        from lib.sources import qpv2024

        quarters = qpv2024.read_contours([dep])
        return export.department_map_png(communes, colors, wz.distance_legend(threshold_km), quarters=quarters,
                                         title="Distance à la session de formation la plus proche", note=note)
    hosts = territories(ds, qpv_list).communes.query("qpv_count > 0")["code"]
    return export.department_map_png(communes, colors, wz.distance_legend(threshold_km), hosts,
                                     title="Distance à la session de formation la plus proche", note=note,
                                     highlight_label="commune avec un QPV (liste 2015)")


def epci_table(ds: Datasets, threshold_km: float, qpv_list: str = "2024",
               period: tuple[str, str] | None = None) -> pd.DataFrame:
    from lib.indicators import diagnosis
    from lib.sources import cog

    period = period or offer_period()

    def compute() -> pd.DataFrame:
        terr = territories(ds, qpv_list)
        with_epci = terr.communes.merge(ds.communes()[["code", "epci"]], on="code", how="left")
        return diagnosis.epci_indicators(with_epci, terr.qpv, all_sessions_distances(ds, threshold_km, period),
                                         cog.read_epci())

    return ds.memo("epci_table", (float(threshold_km), qpv_list, period), compute, announce="Agrégation par EPCI…")


def extremes_sentence(what: str, table: pd.DataFrame, name: str, value: str, fmt: Callable[[object], str]) -> str:
    """A map's text alternative: what it maps and its key figures (lowest and highest), one sentence."""
    shown = table[table[value].notna()].sort_values(value)
    if shown.empty:
        return f"{what} : aucune valeur ; le tableau à côté de la carte donne le détail."
    low, high = shown.iloc[0], shown.iloc[-1]
    return (f"{what} : de {fmt(low[value])} ({low[name]}) à {fmt(high[value])} ({high[name]}) ; "
            "le tableau à côté de la carte donne chaque valeur.")


def map_note(offer_demo: bool) -> str:
    """What the department's static map prints under it (its distances rest on the offer)."""
    return "Offre de démonstration : distances fictives" if offer_demo else ""
