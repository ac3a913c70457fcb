"""Zones blanches de formation: communes with no matching session within reach, by department and on a map.

The offer's months and the located-places line are shared with the page Où ouvrir des sessions ?
(:mod:`lib.views.ou_agir`), which filters the offer alike.
"""
from __future__ import annotations

import pandas as pd

from lib.datasets.in_use import Datasets
from lib.render.tables import Table
from lib.views.common import white_zones

SUMMARY_LABELS = {"departement": "Département", "white_population": "Habitants en zone blanche", "white_share": "Part",
                  "white_communes": "Communes blanches", "communes": "Communes"}
SUMMARY_FORMATS = {"communes": "int", "white_communes": "int", "white_population": "int", "white_share": "pct_fraction"}
WHITE_LABELS = {"code": "Code", "name": "Commune", "dep": "Dép.", "population": "Population",
                "nearest_km": "Session la plus proche", "sessions_within": "Sessions à portée", "white": "Zone blanche"}
WHITE_FORMATS = {"population": "int", "nearest_km": "km", "sessions_within": "int"}


def offer_months(ds: Datasets) -> list[str]:
    """The months sessions of the offer in use start in (the period filter's choices)."""
    offer = ds.offer()[0]
    return sorted(set(offer["start_month"]) - {""})


def located_line(ds: Datasets) -> str:
    """How the offer's places were located (sidebar line under the import report)."""
    from lib.sources.lheo import located_text

    return f"Lieux des sessions : {located_text(ds.offer()[2])}."


def white_zone_view(ds: Datasets, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                    threshold: int) -> dict:
    """Everything the page shows for one filter state: communes, summary (raw for the CSV, labelled for
    the grid), white communes, session count, the period's note and the map."""
    from lib.core.fmt import fr_int, fr_num
    from lib.indicators import offer as offer_views
    from lib.indicators import white_zones as wz
    from lib.render import maps

    region = ds.region
    offer = ds.offer()[0]
    sessions = wz.OfferFilter(nsf, certifying, period).apply(offer)
    result = white_zones(ds, nsf, certifying, period, float(threshold))
    summary = wz.department_summary(result, region.departements, region.name)
    geojson = own_properties(ds.commune_display_geojson())
    by_code = result.set_index("code")
    for feature in geojson["features"]:
        row = by_code.loc[feature["properties"]["code"]]
        feature["properties"].update(
            label=f"{row['name']} ({feature['properties']['code']})",
            distance="aucune session" if row["nearest_km"] == float("inf") else f"{fr_num(row['nearest_km'])} km",
            within=fr_int(row["sessions_within"]), km=row["nearest_km"],
        )
    fmap = maps.polygons(
        geojson, maps.bounds_of(ds.departements()), lambda p: wz.distance_color(p["km"], threshold),
        "Distance à la session la plus proche", wz.distance_legend(threshold),
        ["label", "distance", "within"], ["Commune", "Session la plus proche", f"Sessions à moins de {threshold} km"],
        canvas=True, line_weight=0.3, publish_as=f"communes_geom_{ds.code}", hatched=frozenset({wz.WHITE_COLOR}),
    )
    maps.outlines(fmap, ds.departement_outlines())
    maps.add_clustered_points(fmap, offer_views.place_markers(sessions), "Lieux de formation")
    total = summary.set_index("dep").loc["TOTAL"]
    maps.describe(fmap, f"Distance de chaque commune à la session de formation la plus proche : {fr_int(total['white_communes'])} "
                        f"communes en zone blanche (hachurées, à plus de {threshold} km), {fr_int(total['white_population'])} "
                        f"habitants ; points bleus : lieux de formation ; le tableau à côté donne le détail par département.")
    counts = wz.OfferFilter(nsf, certifying, period).period_counts(offer)
    return {"result": result, "summary": summary, "total": total, "sessions": len(sessions), "period_counts": counts,
            "outside": wz.outside_region_text(offer, region.name),  # an offer of another region: said first
            "period_note": offer_views.period_note(counts, period),
            "aside": sum(counts[k] for k in wz.PERIOD_CLASSES[1:]),  # sessions over, not yet begun or undated
            "table": Table(_summary_table(summary)[list(SUMMARY_LABELS)], SUMMARY_FORMATS, SUMMARY_LABELS),
            "white": Table(result[result["white"]].sort_values("population", ascending=False), WHITE_FORMATS, WHITE_LABELS),
            "map": maps.MapView(fmap, "white_zone_map", 560, [])}


def own_properties(geojson: dict) -> dict:
    """The shared display geometry with properties of its own, for a map's state to fill in (the geometry,
    never changed, is not copied: a deep copy took half a second)."""
    return {**geojson, "features": [{**f, "properties": dict(f["properties"])} for f in geojson["features"]]}


def _summary_table(summary: pd.DataFrame) -> pd.DataFrame:
    """The summary with one « Département » column: « name (code) », the total row « Total <region> »."""
    shown = summary.assign(departement=summary["dep_name"] + " (" + summary["dep"] + ")")
    shown.loc[summary["dep"].eq("TOTAL"), "departement"] = "Total " + summary["dep_name"]
    return shown


# --- the map as an image (PNG) ---------------------------------------------------------------------

def offer_filters_phrase(ds: Datasets, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None) -> str:
    """The offer's filters in words, for an exported map's subtitle (« sessions certifiantes de 22, 23 … »)."""
    from lib.indicators.offer import period_phrase

    groups = ds.nsf_groups().set_index("groupe")["libelle"]
    domains = "tous domaines" if not nsf else "domaines " + ", ".join(f"{g} {groups.get(g, '')}".strip() for g in nsf)
    return (f"sessions{' certifiantes' if certifying else ''} {period_phrase(period)}, {domains}")


def white_zone_map_png(ds: Datasets, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                       threshold: int, framed: bool = True) -> bytes:
    """The page's map as a PNG: the region's communes by distance to the nearest matching session (white
    zones hatched), the training places, the filters in its subtitle, legend (km), sources and date;
    « Données de démonstration » printed on it when the offer is; ``framed=False``: without title, subtitle
    and source (a sheet's image), the demonstration still said."""
    from datetime import date

    def draw() -> bytes:
        import geopandas as gpd

        from lib.core.fmt import fr_int
        from lib.indicators import offer as offer_views
        from lib.indicators import white_zones as wz
        from lib.render import export
        from lib.views.chomage import map_footer

        result = white_zones(ds, nsf, certifying, period, float(threshold))
        colors = result.set_index("code")["nearest_km"].map(lambda km: wz.distance_color(km, threshold))
        places = offer_views.place_markers(wz.OfferFilter(nsf, certifying, period).apply(ds.offer()[0]))
        west, south, east, north = ds.departements().total_bounds
        places = places[places["lon"].between(west, east) & places["lat"].between(south, north)]
        points = gpd.GeoDataFrame(places, geometry=gpd.points_from_xy(places["lon"], places["lat"]), crs="EPSG:4326")
        white = result[result["white"]]
        demo = ds.offer()[3]
        return export.annotated_map_png(
            ds.commune_polygons(), colors, wz.distance_legend(threshold),
            title="Distance à la session de formation la plus proche" if framed else "",
            subtitle=f"Région {ds.region.name} ({ds.region.code}) — {offer_filters_phrase(ds, nsf, certifying, period)} ; "
                     f"zone blanche : aucune session à moins de {fr_int(threshold)} km à vol d'oiseau ; "
                     f"{fr_int(len(white))} communes, {fr_int(white['population'].sum())} habitants." if framed else "",
            note="Données de démonstration : offre de formation fictive, distances non réelles" if demo else "",
            legend_title="Distance à vol d'oiseau (km)", hatched=(wz.WHITE_COLOR,),
            outlines=[(ds.departements(), "#222", 1.0, "")], points=points, points_label="lieu de formation",
            source=map_footer(ds.source_line("offer"), ds.catalog()["geo"].caption) if framed else "")

    return ds.memo("white_zone_map_png", (nsf, certifying, period, int(threshold), framed, date.today()), draw, entries=8,
                   announce="Dessin de la carte…")
