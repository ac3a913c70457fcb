"""Où ouvrir des sessions ? — the sites that bring the most white-zone inhabitants within reach
(maximal covering location, :mod:`lib.indicators.where_to_act`), on the white zones of the page
Zones blanches (:func:`lib.views.common.white_zones`, same filters)."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.datasets.in_use import Datasets
from lib.render.tables import Table
from lib.views.common import white_zones
from lib.views.zones_blanches import own_properties

RANK_FORMATS = {"population_gained": "int", "cumulative_gained": "int", "white_population_after": "int"}


def reach_state(problem, rows: np.ndarray, threshold: int) -> tuple[np.ndarray, np.ndarray]:
    """Each commune's state with these sites — ``covered`` (already within reach of a session), ``reached`` (a
    white commune within a site's radius, weighted or not: a commune without QPV is still reached) or ``white`` —
    and the first site reaching it (``-1``): the page's map and its PNG say the same."""
    from lib.indicators import where_to_act as wta

    communes = problem.communes
    points = np.radians(communes[["lat", "lon"]].to_numpy(dtype=float))
    within = wta.haversine_km(points[rows], points) <= threshold if len(rows) else np.zeros((0, len(communes)), bool)
    first = np.where(within.any(axis=0), within.argmax(axis=0), -1) if len(rows) else np.full(len(communes), -1)
    white = communes["white"].to_numpy()
    return np.where(~white, "covered", np.where(first >= 0, "reached", "white")), first


def where_to_act_weights(ds: Datasets) -> dict[str, str | None]:
    """Each weight of the demand: ``None`` when usable, else why not (French)."""
    from lib.indicators import where_to_act as wta

    reasons: dict[str, str | None] = dict.fromkeys(wta.WEIGHTS)
    if ds.file_in_use("denominators").status not in ("importe", "configure"):
        reasons["job_seekers"] = ("aucun fichier de dénominateurs importé (page Données) : les demandeurs d'emploi "
                                  "de démonstration ne servent pas à placer des sessions")
    elif ds.records()[2] is None:
        reasons["job_seekers"] = "dénominateurs non lus avec les entrées en formation (page Données)"
    return reasons


def _where_weights(ds: Datasets, weight: str, communes: pd.DataFrame):
    from lib.indicators import where_to_act as wta
    from lib.views.common import territories

    if weight in ("qpv", "frr"):
        return wta.weights_for(weight, communes, territories(ds).communes)
    if weight == "job_seekers":
        reason = where_to_act_weights(ds)["job_seekers"]
        if reason:
            from lib.core.errors import DataError

            raise DataError(f"Demandeurs d'emploi indisponibles : {reason}.")
        return wta.weights_for(weight, communes, job_seekers=wta.job_seekers_by_department(ds.records()[2]))
    return wta.weights_for(weight, communes)


def _weight_gaps(ds: Datasets, weight: str, communes: pd.DataFrame) -> str | None:
    """The region's departments the job-seeker weight counts as 0 (no denominators for them), said on the page."""
    from lib.indicators import where_to_act as wta

    if weight != "job_seekers" or where_to_act_weights(ds)["job_seekers"]:
        return None
    missing = wta.missing_job_seekers(communes, wta.job_seekers_by_department(ds.records()[2]))
    if not missing:
        return None
    return (f"Aucun demandeur d'emploi dans les dénominateurs pour le(s) département(s) {', '.join(missing)} : leurs "
            "communes comptent pour 0 dans cette pondération, aucun site n'y est proposé pour elles. Importez des "
            "dénominateurs couvrant toute la région, ou choisissez une autre pondération.")


def where_to_act_problem(ds: Datasets, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                         threshold: int, weight: str, min_population: int, site_dep: str = ""):
    """The covering problem of one filter state (white zones of the filtered offer, weights) and the
    weight's French description; memoised (the proposal and the map of chosen sites share it)."""
    from lib.indicators import where_to_act as wta

    def compute():
        communes = ds.commune_points().reset_index(drop=True)
        white = white_zones(ds, nsf, certifying, period, float(threshold))
        white = communes[["code"]].merge(white[["code", "white"]], on="code", how="left")["white"].fillna(False).to_numpy(bool)
        weights, how = _where_weights(ds, weight, communes)
        return wta.build(communes, white, weights, float(threshold), min_population, site_dep), how

    return ds.memo("where_to_act_problem", (nsf, certifying, period, int(threshold), weight, int(min_population),
                                            site_dep), compute, entries=32)


def where_to_act_view(ds: Datasets, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                      threshold: int, k: int, weight: str, min_population: int, site_dep: str = "") -> dict:
    """The K best sites of one filter state (solved once, then memoised): problem, solution, ranking, and
    the choices of the what-if list (every commune of the region, named « name (code) »)."""
    from lib.indicators import where_to_act as wta
    from lib.indicators.white_zones import outside_region_text

    problem, how = where_to_act_problem(ds, nsf, certifying, period, threshold, weight, min_population, site_dep)
    solution = wta.solve(problem, k)
    communes = problem.communes
    # What stops a proposal, said instead of one: an offer of another region, no commune large enough or in reach.
    return {"problem": problem, "how": how, "solution": solution, "ranking": wta.ranking(problem, solution.sites),
            "outside": outside_region_text(ds.offer()[0], ds.region.name), "no_site": wta.candidates_text(problem),
            "weight_gaps": _weight_gaps(ds, weight, communes),
            "options": communes["code"].tolist(),
            "names": dict(zip(communes["code"], communes["name"] + " (" + communes["code"] + ")"))}


def where_to_act_map(ds: Datasets, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                     threshold: int, weight: str, min_population: int, sites: tuple[str, ...],
                     site_dep: str = "") -> dict:
    """The map of a set of sites (proposed or changed by the user): white communes they reach, those
    left white, each site with its radius; and the ranking of that set (raw for the CSV, labelled for the grid)."""
    import html

    import folium

    from lib.core.fmt import fr_int
    from lib.indicators import where_to_act as wta
    from lib.indicators.white_zones import WHITE_COLOR
    from lib.render import maps

    problem, _ = where_to_act_problem(ds, nsf, certifying, period, threshold, weight, min_population, site_dep)
    rows = problem.index_of(sites)
    ranking = wta.ranking(problem, rows)
    communes = problem.communes
    state, first = reach_state(problem, rows, threshold)
    site_name = np.where(first >= 0, communes["name"].to_numpy()[rows[np.maximum(first, 0)]] if len(rows) else "", "")
    colors = {"covered": "#f0f0f0", "white": WHITE_COLOR, "reached": "#4575b4"}
    labels = {"covered": "déjà à portée d'une session", "white": "zone blanche restante",
              "reached": "sortie de zone blanche par un site proposé"}
    codes, names, population = (communes[c].tolist() for c in ("code", "name", "population"))
    by_code = {c: i for i, c in enumerate(codes)}
    geojson = own_properties(ds.commune_display_geojson())
    for feature in geojson["features"]:
        i = by_code.get(feature["properties"]["code"])
        s = "covered" if i is None else state[i]
        feature["properties"].update(
            label=f"{names[i]} ({codes[i]})" if i is not None else feature["properties"]["code"],
            state=s, text=labels[s] + (f" ({site_name[i]})" if s == "reached" else ""),
            pop=fr_int(population[i]) if i is not None else "–")
    fmap = maps.polygons(
        geojson, maps.bounds_of(ds.departements()), lambda p: colors[p["state"]], "Communes",
        [(colors[s], labels[s]) for s in ("reached", "white", "covered")], ["label", "text", "pop"],
        ["Commune", "Situation", "Habitants"], canvas=True, line_weight=0.3, publish_as=f"communes_geom_{ds.code}",
        hatched=frozenset({WHITE_COLOR}))
    maps.outlines(fmap, ds.departement_outlines())
    for row, site in zip(ranking.itertuples(), rows):
        lat, lon = float(communes["lat"].iat[site]), float(communes["lon"].iat[site])
        tip = (f"<b>{row.rank}. {html.escape(str(row.name))} ({row.code})</b><br>apporte {fr_int(row.population_gained)}"
               f" ; cumul {fr_int(row.cumulative_gained)}")
        folium.Circle([lat, lon], radius=threshold * 1000, color="#08306b", weight=1.5, dash_array="6 4",
                      fill=True, fill_opacity=0.04, interactive=False).add_to(fmap)
        folium.CircleMarker([lat, lon], radius=7, color="#000", weight=1.5, fill=True, fill_color="#ff7f00",
                            fill_opacity=1, tooltip=folium.Tooltip(tip, sticky=True)).add_to(fmap)
    reached_count, left = int((state == "reached").sum()), int((state == "white").sum())
    maps.describe(fmap, f"{len(ranking)} site(s) de formation (points orange) et leur rayon de {threshold} km : "
                        f"{fr_int(reached_count)} communes sortent de zone blanche (en bleu), {fr_int(left)} y restent "
                        "(rouge foncé hachuré) ; le tableau à côté donne les sites dans l'ordre.")
    unit = unit_words(weight)
    table_labels = {"rank": "Rang", "name": "Commune", "dep": "Dép.", "population_gained": f"Apport ({unit})",
                    "cumulative_gained": "Cumul", "white_population_after": "Reste en zone blanche"}
    return {"ranking": ranking, "reached": reached_count, "left": left,
            "gained": float(ranking["population_gained"].sum()) if len(ranking) else 0.0,
            "table": Table(ranking[list(table_labels)], RANK_FORMATS, table_labels),
            "map": maps.MapView(fmap, "where_to_act_map", 560, [])}


def unit_words(weight: str) -> str:
    """The weight's name inside a sentence (« habitants des QPV »)."""
    from lib.indicators import where_to_act as wta

    return wta.WEIGHTS[weight][0].lower() + wta.WEIGHTS[weight][1:]


def demand_caption(source_line: str, how: str, min_population: int, geo_caption: str) -> str:
    """The line under the page: demand, populations, candidate sites, sources."""
    from lib.core.fmt import fr_int
    from lib.indicators.coverage import POPULATION_LABEL

    return (f"{source_line} Demande : {how} ; populations : {POPULATION_LABEL}. "
            "Sites candidats : les communes de la région"
            + (f" d'au moins {fr_int(min_population)} habitants" if min_population else "") + " en leur point de référence ; une session existante compte déjà (seules les communes en zone blanche sont à atteindre). "
            + geo_caption)


# --- the map as an image (PNG) ---------------------------------------------------------------------

def where_to_act_map_png(ds: Datasets, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                         threshold: int, weight: str, min_population: int, sites: tuple[str, ...],
                         site_dep: str = "") -> bytes:
    """The map of :func:`where_to_act_map` as a PNG: communes taken out of white zones (blue), left in them
    (hatched), the sites numbered in their order with their radius, the filters in its subtitle, legend,
    sources and date; « Données de démonstration » printed on it when the offer is."""
    from datetime import date

    def draw() -> bytes:
        import geopandas as gpd

        from lib.core.fmt import fr_int
        from lib.indicators import where_to_act as wta
        from lib.indicators.white_zones import WHITE_COLOR
        from lib.render import export
        from lib.views.chomage import map_footer
        from lib.views.zones_blanches import offer_filters_phrase

        problem, how = where_to_act_problem(ds, nsf, certifying, period, threshold, weight, min_population, site_dep)
        rows = problem.index_of(sites)
        ranking = wta.ranking(problem, rows)
        communes = problem.communes
        state, _ = reach_state(problem, rows, threshold)
        colors = {"covered": "#f0f0f0", "white": WHITE_COLOR, "reached": "#4575b4"}
        legend = [(colors["reached"], "sortie de zone blanche par un site"), (colors["white"], "zone blanche restante"),
                  (colors["covered"], "déjà à portée d'une session")]
        fills = pd.Series([colors[s] for s in state], index=communes["code"])
        placed = communes.iloc[rows]
        placed = gpd.GeoDataFrame({"rank": range(1, len(rows) + 1)},
                                  geometry=gpd.points_from_xy(placed["lon"], placed["lat"]), crs="EPSG:4326")
        where = f"sites dans {ds.region.dep_label(site_dep)}" if site_dep else "sites dans toute la région"
        gained = float(ranking["population_gained"].sum()) if len(ranking) else 0.0
        demo = ds.offer()[3]
        return export.annotated_map_png(
            ds.commune_polygons(), fills, legend, title=f"Où ouvrir des sessions ? {len(rows)} site(s) de formation",
            subtitle=f"Région {ds.region.name} ({ds.region.code}) — {where} ; demande : {how} ; "
                     f"{offer_filters_phrase(ds, nsf, certifying, period)} ; rayon de {fr_int(threshold)} km à vol "
                     f"d'oiseau ; {fr_int(gained)} {unit_words(weight)} sortis de zone blanche sur "
                     f"{fr_int(problem.white_weight)}. Sites numérotés dans l'ordre de leur apport.",
            note="Données de démonstration : offre de formation fictive, sites et apports non réels" if demo else "",
            legend_title="Communes", hatched=(WHITE_COLOR,), outlines=[(ds.departements(), "#222", 1.0, "")],
            sites=placed, sites_label=f"site proposé (numéro : rang), cercle : {fr_int(threshold)} km", radius_km=threshold,
            source=map_footer(ds.source_line("offer"), ds.catalog()["geo"].caption))

    return ds.memo("where_to_act_map_png", (nsf, certifying, period, int(threshold), weight, int(min_population), sites,
                                            site_dep, date.today()), draw, entries=8, announce="Dessin de la carte…")
