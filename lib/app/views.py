"""Memoised views: what the pages draw, computed once per filter state.

A page run should only lay out objects that are already computed. Each view here is keyed by
plain values (region code, the page's filters, an upload's digest) and returns small, ready
objects: tables, Vega-Lite specifications (data already Arrow-encoded), the arguments of a map
component (HTML and script already rendered). Caches are bounded (``max_entries``).

Uploads never reach a global cache: a view of uploaded data is memoised in the session
(:func:`session_memo`, a small LRU in ``st.session_state``), so it is released with the session.
Views of the bundled data are shared by every session of the process (``st.cache_data``).
"""
from __future__ import annotations

import copy
import functools
import hashlib
import inspect
import math
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

T = TypeVar("T")

SESSION_KEY = "_pric_session_memo"
SESSION_ENTRIES = 12  # views of uploaded data kept per session (LRU)


# ---------------------------------------------------------------------------------------------
# Memoisation: shared for bundled data, per session for uploads

def upload_digest(data: bytes | None, name: str | None = None) -> str | None:
    """A short key for an uploaded file (content and name); ``None`` without upload."""
    if data is None:
        return None
    return hashlib.sha256(data).hexdigest()[:20] + (f":{name}" if name else "")


def session_memo(key: tuple, compute: Callable[[], T], entries: int = SESSION_ENTRIES) -> T:
    """``compute()`` memoised in this session only (bounded LRU, dropped with the session)."""
    store: OrderedDict = st.session_state.setdefault(SESSION_KEY, OrderedDict())
    if key in store:
        store.move_to_end(key)
        return store[key]
    value = compute()
    store[key] = value
    while len(store) > entries:
        store.popitem(last=False)
    return value


def view(max_entries: int) -> Callable[[Callable[..., T]], Callable[..., T]]:
    """Decorator: a view shared by all sessions (bounded ``st.cache_data``) when ``upload`` is
    ``None``, memoised in the session otherwise. The wrapped function takes ``upload`` (a digest
    from :func:`upload_digest`) as keyword; with it, it reads the session's data."""

    def decorate(fn: Callable[..., T]) -> Callable[..., T]:
        shared = st.cache_data(show_spinner=False, max_entries=max_entries)(fn)
        # Streamlit keys a cached call on the arguments as written: ``f(code)`` and ``f(code, "2024")``
        # would be two entries. Calls are normalised (every argument, defaults filled in, by position).
        signature = inspect.signature(fn)
        signature = signature.replace(parameters=[p for p in signature.parameters.values() if p.name != "upload"])

        @functools.wraps(fn)
        def wrapper(*args: Any, upload: str | None = None, **kwargs: Any) -> T:
            bound = signature.bind(*args, **kwargs)
            bound.apply_defaults()
            args, kwargs = bound.args, bound.kwargs
            if upload is None:
                return shared(*args, **kwargs)
            key = (fn.__module__, fn.__qualname__, upload, args, tuple(sorted(kwargs.items())))
            return session_memo(key, lambda: fn(*args, upload=upload, **kwargs))

        wrapper.shared = shared  # type: ignore[attr-defined]
        wrapper.direct = fn  # type: ignore[attr-defined]
        wrapper.max_entries = max_entries  # type: ignore[attr-defined]
        return wrapper

    return decorate


# ---------------------------------------------------------------------------------------------
# Rendering helpers: charts and maps computed once, drawn many times

def chart_spec(chart) -> dict:
    """The Vega-Lite specification Streamlit makes of an altair chart (datasets as Arrow bytes).

    ``st.vega_lite_chart(spec)`` then draws exactly what ``st.altair_chart(chart)`` draws, without
    altair's schema validation and data conversion on every run.
    """
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    from lib.render.charts import narrow_subtitles

    return narrow_subtitles(hide_marks_from_aria(_convert_altair_to_vega_lite_spec(chart)))


def hide_marks_from_aria(spec: dict) -> dict:
    """Every mark of ``spec`` with ``aria: false``: a chart is one image named by its ``description``
    (its title and takeaway); Vega would otherwise expose each mark container as an unnamed image
    (axe ``svg-img-alt``) and describe each mark in English. The table beside the chart is the full
    alternative."""
    def walk(node: object) -> None:
        if isinstance(node, dict):
            mark = node.get("mark")
            if isinstance(mark, str):
                node["mark"] = {"type": mark, "aria": False}
            elif isinstance(mark, dict):
                mark["aria"] = False
                for overlay in ("point", "line"):  # a line's points, an area's line: marks of their own
                    if mark.get(overlay) is True:
                        mark[overlay] = {"aria": False}
                    elif isinstance(mark.get(overlay), dict):
                        mark[overlay]["aria"] = False
            for key in ("layer", "hconcat", "vconcat", "concat"):
                for child in node.get(key, []) or []:
                    walk(child)
            if isinstance(node.get("spec"), dict):
                walk(node["spec"])

    walk(spec)
    return spec


def show_chart(spec: dict, **kwargs: Any):
    kwargs.setdefault("width", "stretch")
    return st.vega_lite_chart(spec, **kwargs)


def map_component(fmap, key: str, height: int, returned_objects: list[str] | None = None,
                  use_container_width: bool = True) -> dict:
    """The arguments ``st_folium`` sends for ``fmap`` (rendered HTML, Leaflet script, assets).

    Rendering a folium map takes 0,05-0,5 s; done once per view, each run only sends the
    strings. Mirrors ``streamlit_folium.st_folium`` (pinned version) for the options we use;
    ``tests/unit/test_views.py`` checks both give the same component.
    """
    import folium
    import streamlit_folium as sf

    width = None if use_container_width else 500
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    leaflet = sf._get_map_string(fmap)
    m_id = sf.get_full_id(fmap)
    try:
        (south, west), (north, east) = fmap.get_bounds()
        bounds = {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
    except (AttributeError, TypeError, ValueError):
        bounds = {"_southWest": {"lat": None, "lng": None}, "_northEast": {"lat": None, "lng": None}}
    defaults = {"last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
                "last_object_clicked_tooltip": None, "last_object_clicked_popup": None, "all_drawings": None,
                "last_active_drawing": None, "bounds": bounds, "zoom": fmap.options.get("zoom"),
                "last_circle_radius": None, "last_circle_polygon": None, "selected_layers": None,
                "selected_tags": None, "last_geocoder_result": None}
    defaults = {k: v for k, v in defaults.items() if returned_objects is None or k in returned_objects}

    def walk(element):
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    css_links, js_links = [], []
    for element in walk(fmap):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    return dict(script=leaflet, header=header, html=html, id=m_id, key=sf.generate_js_hash(leaflet, key, False),
                height=height, width=width, returned_objects=returned_objects, default=defaults, zoom=None,
                center=None, feature_group=None, return_on_hover=False, layer_control=None, pixelated=False,
                css_links=list(dict.fromkeys(css_links)), js_links=list(dict.fromkeys(js_links)),
                wrap_longitude=False)


def show_map(args: dict, key: str):
    """Draw a map from :func:`map_component`'s arguments (what ``st_folium`` would draw)."""
    import streamlit_folium as sf

    hash_key = args["key"]

    def on_change() -> None:
        st.session_state[key] = st.session_state.get(hash_key, {})

    return sf._component_func(**args, on_change=on_change)


# ---------------------------------------------------------------------------------------------
# Data of the session: bundled tables, or this session's upload

def _unemployment(code: str, upload: str | None) -> pd.DataFrame:
    from lib.app import loaders
    from lib.indicators import unemployment as unemp

    tidy, _ = loaders.session_unemployment() if upload else loaders.unemployment()  # upload: the workspace key
    return unemp.for_region(tidy, loaders.region(code))


def _records(code: str, upload: str | None):
    from lib.app import loaders

    return loaders.session_records(code) if upload else loaders.training_records(code)


def _offer(code: str, upload: str | None):
    from lib.app import loaders

    return loaders.session_offer(code) if upload else loaders.training_offer(code)


# ---------------------------------------------------------------------------------------------
# Accueil

@view(max_entries=8)
def home_figures(code: str, upload: str | None = None) -> list:
    from lib.app import loaders
    from lib.indicators.summary import key_figures

    return key_figures(loaders.region(code), loaders.communes(), _unemployment(code, upload))


# ---------------------------------------------------------------------------------------------
# Chômage localisé

@view(max_entries=8)
def unemployment_report(code: str, upload: str | None = None):
    """The import report of the Insee workbook in use, the region's missing departments named
    (checked once per workbook, not on every run: the table covers all of France)."""
    from lib.app import loaders
    from lib.indicators import unemployment as unemp

    tidy, report = loaders.session_unemployment() if upload else loaders.unemployment()
    report = copy.deepcopy(report)
    unemp.check_region(tidy, loaders.region(code), report)
    return report


@view(max_entries=16)
def unemployment_quarters(code: str, upload: str | None = None) -> list[str]:
    from lib.indicators import unemployment as unemp

    return unemp.quarters(_unemployment(code, upload))


@view(max_entries=64)
def unemployment_table_and_map(code: str, quarter: str, upload: str | None = None) -> tuple[pd.DataFrame, dict]:
    from lib.app import loaders, ui
    from lib.datasets import geometry
    from lib.indicators import unemployment as unemp
    from lib.render import maps

    region = loaders.region(code)
    table = unemp.department_table(_unemployment(code, upload), region, quarter)
    deps = loaders.departements(code).merge(table, on="code")
    deps = deps.assign(taux_txt=deps["taux"].map(ui.FORMATTERS["pct"]),
                       evol_txt=deps["evolution_1an"].map(ui.FORMATTERS["points"]))
    fmap = maps.choropleth(
        geometry.to_geojson(deps, ["code", "departement", "taux", "taux_txt", "evol_txt"]),
        maps.bounds_of(deps),
        value_key="taux",
        classes=maps.equal_classes(table["taux"], unit="%"),
        legend_title="Taux de chômage",
        tooltip_fields=["code", "departement", "taux_txt", "evol_txt"],
        tooltip_aliases=["Code", "Département", "Taux de chômage", "Évolution sur un an"],
    )
    maps.describe(fmap, extremes_sentence(f"Taux de chômage par département, {unemp.quarter_label(quarter)}",
                                          table, "departement", "taux", ui.FORMATTERS["pct"]))
    return table, map_component(fmap, "unemployment_map", 470, [])


def extremes_sentence(what: str, table: pd.DataFrame, name: str, value: str, fmt: Callable[[object], str]) -> str:
    """A map's text alternative: what it maps and its key figures (lowest and highest), one sentence."""
    shown = table[table[value].notna()].sort_values(value)
    if shown.empty:
        return f"{what} : aucune valeur ; le tableau à côté de la carte donne le détail."
    low, high = shown.iloc[0], shown.iloc[-1]
    return (f"{what} : de {fmt(low[value])} ({low[name]}) à {fmt(high[value])} ({high[name]}) ; "
            "le tableau à côté de la carte donne chaque valeur.")


@view(max_entries=64)
def unemployment_series(code: str, deps: tuple[str, ...], start: str, source_line: str,
                        upload: str | None = None) -> tuple[pd.DataFrame, dict | None]:
    """The series (for the CSV) and the chart's spec, ``None`` when no department is chosen."""
    from lib.app import loaders
    from lib.indicators import unemployment as unemp
    from lib.render.charts import unemployment_lines

    tidy = _unemployment(code, upload)
    series = unemp.series(tidy, loaders.region(code), list(deps), start)
    if series.empty:
        return series, None
    last = unemp.quarters(tidy)[-1]
    title = f"Taux de chômage localisé, {unemp.quarter_label(start)} – {unemp.quarter_label(last)}"
    return series, chart_spec(unemployment_lines(series, title, source_line))


# ---------------------------------------------------------------------------------------------
# Territoires prioritaires

@view(max_entries=8)
def coverage_tables(code: str, qpv_list: str = "2024") -> dict[str, pd.DataFrame]:
    """Department coverage, communes and zoning classes with the QPV of ``qpv_list`` (2024 or 2015)."""
    from lib.app import loaders
    from lib.indicators import coverage

    terr = loaders.territories(code, qpv_list)
    communes = coverage.commune_table(terr)
    table = loaders.coverage_table(code, qpv_list)
    tables = {"coverage": table, "communes": communes.assign(qpv_list=qpv_list),
              "communes_shown": prepare_table(communes, {"population": "int"}, COMMUNE_LABELS)}
    short, census = coverage.QPV_LISTS[qpv_list].short, coverage.QPV_LISTS[qpv_list].census
    for zoning in ("zrr", "frr"):
        breakdown = coverage.zoning_breakdown(terr, zoning)
        tables[zoning] = breakdown
        tables[f"{zoning}_pivot"] = breakdown.pivot_table(index="dep", columns="classe", values="communes",
                                                          fill_value=0).reset_index()
        name = zoning.upper()  # the department table beside the map, for this zoning
        # the zoning chosen on the page first: at 1366 px the last columns scroll out of sight
        labels = {"dep": "Code", "dep_name": "Département", f"{zoning}_share": f"Part en {name}",
                  f"{zoning}_communes": f"Communes {name}", "qpv_share": "Part en QPV", "qpv_count": f"QPV ({short})",
                  "qpv_population": f"Population en QPV (RP {census})"}
        shown = table.assign(**{f"{zoning}_share": table[f"{zoning}_population"] / table["population"]})[list(labels)]
        tables[f"{zoning}_shown"] = prepare_table(shown, {"qpv_count": "int", "qpv_population": "int",
                                                          "qpv_share": "pct_fraction", f"{zoning}_communes": "int",
                                                          f"{zoning}_share": "pct_fraction"}, labels)
    return tables


COMMUNE_LABELS = {"code": "Code", "commune": "Commune", "dep": "Dép.", "population": "Population", "zrr_2017": "ZRR 2017",
                  "frr_2025": "FRR 2025", "qpv": "QPV", "quartiers": "Quartiers"}
ZONINGS = {"FRR 2025": "frr", "ZRR 2017": "zrr"}


def coverage_map_choices(choice: str, qpv_list: str = "2024") -> dict[str, str]:
    from lib.indicators.coverage import QPV_LISTS

    return {"population_zonage": f"Part de la population en {choice[:3]}",
            "population_qpv": f"Part de la population en QPV ({QPV_LISTS[qpv_list].short})"}


@view(max_entries=32)
def coverage_map(code: str, choice: str, map_choice: str, qpv_list: str = "2024") -> dict:
    """Department map of the priority-territories page for a zoning (``FRR 2025``…), indicator and QPV list."""
    from lib.app import loaders, ui
    from lib.datasets import geometry
    from lib.render import maps

    zoning, short = ZONINGS[choice], choice[:3]
    indicator = coverage_map_choices(choice, qpv_list)[map_choice]
    table = loaders.coverage_table(code, qpv_list)
    share_col = "qpv_share" if map_choice == "population_qpv" else f"{zoning}_share"
    deps_table = table[table["dep"].ne("TOTAL")].assign(
        zrr_share=lambda t: t["zrr_population"] / t["population"], frr_share=lambda t: t["frr_population"] / t["population"])
    deps = loaders.departements(code).merge(deps_table.rename(columns={"dep": "code"}), on="code")
    deps["pct"] = deps[share_col] * 100
    deps["pct_txt"] = deps["pct"].map(ui.FORMATTERS["pct"])
    deps["label"] = deps["code"] + " – " + deps["dep_name"]
    fmap = maps.choropleth(
        geometry.to_geojson(deps, ["label", "pct", "pct_txt"]), maps.bounds_of(deps), "pct",
        maps.equal_classes(deps["pct"], "%", decimals=0), "QPV" if "QPV" in indicator else short,
        ["label", "pct_txt"], ["Département", indicator],
    )
    maps.describe(fmap, extremes_sentence(f"{indicator} par département", deps, "label", "pct", ui.FORMATTERS["pct"]))
    return map_component(fmap, "coverage_map", 470, [])


@view(max_entries=8)
def commune_zoning_map(code: str, zoning: str, title: str, qpv_list: str = "2024") -> dict:
    """The commune map of ``zoning`` with the QPV of ``qpv_list`` (2024 contours or 2015 host communes)."""
    from lib.app import loaders
    from lib.core.fmt import fr_int
    from lib.indicators.coverage import QPV_LISTS
    from lib.render import maps

    fmap = loaders.commune_zoning_map(code, zoning, title, qpv_list)  # a copy: adding to it is safe
    total = loaders.coverage_table(code, qpv_list).set_index("dep").loc["TOTAL"]
    qpv = ("en contour" if qpv_list == "2024" else "en cercle sur leur commune")
    maps.describe(fmap, f"Communes classées {title} et quartiers prioritaires ({QPV_LISTS[qpv_list].short}, {qpv}) : "
                        f"{fr_int(total[f'{zoning}_communes'])} communes classées sur {fr_int(total['communes'])}, "
                        f"{fr_int(total['qpv_count'])} quartiers ; le tableau des communes donne le détail.")
    return map_component(fmap, "communes_map", 560, [])


@view(max_entries=64)
def qpv_evolution(code: str, start: int, end: int, deps: tuple[str, ...]) -> dict[str, Any]:
    """Insee indicators of the quarters between two vintages: the 2015 list (the files' own), whatever
    list the page shows."""
    from lib.app import loaders
    from lib.indicators import coverage

    region = loaders.region(code)
    terr = loaders.territories(code, "2015")
    qpv_codes = list(terr.qpv.loc[terr.qpv["dep"].isin(deps or region.dep_codes), "code"])
    revn = loaders.qpv_file("REVN", loaders.qpv_vintages("REVN")[-1])

    def at(year: int) -> pd.DataFrame:
        return coverage.qpv_indicators(loaders.qpv_file("IPRO", year),
                                       loaders.qpv_file("DEMO", loaders.qpv_vintage_for("DEMO", year)), revn, qpv_codes)

    first, last = at(start), at(end)
    evolution = coverage.qpv_evolution(first, last).merge(
        last[["code", "population", "employment_rate", "poverty_rate"]], on="code")
    evolution = evolution.merge(terr.qpv[["code", "commune_names"]], on="code")
    labels = {"code": "Code", "name": "Quartier", "dep": "Dép.", "commune_names": "Communes", "population": "Population",
              "job_seekers_debut": f"DE ABC {start}", "job_seekers_fin": f"DE ABC {end}",
              "job_seekers_change": "Évolution DE ABC", "below_cap_share_debut": f"Infra CAP-BEP {start}",
              "below_cap_share_fin": f"Infra CAP-BEP {end}", "below_cap_share_change": "Évolution infra CAP-BEP",
              "employment_rate": f"Taux d'emploi {end}", "poverty_rate": f"Taux de pauvreté ({loaders.qpv_vintages('REVN')[-1]})"}
    shown = prepare_table(evolution[list(labels)], {
        "population": "int", "job_seekers_debut": "int", "job_seekers_fin": "int", "job_seekers_change": "int",
        "below_cap_share_debut": "pct_fraction", "below_cap_share_fin": "pct_fraction",
        "below_cap_share_change": "points_fraction", "employment_rate": "pct", "poverty_rate": "pct"}, labels)
    return {"table": evolution, "shown": shown}


# ---------------------------------------------------------------------------------------------
# Zones blanches

@view(max_entries=16)
def offer_months(code: str, upload: str | None = None) -> list[str]:
    offer = _offer(code, upload)[0]
    return sorted(set(offer["start_month"]) - {""})


@view(max_entries=32)
def white_zone_view(code: str, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                    threshold: int, upload: str | None = None) -> dict:
    """Everything the page shows for one filter state: communes, summary, session count, map."""
    from lib.app import loaders
    from lib.core.fmt import fr_int, fr_num
    from lib.indicators import offer as offer_views
    from lib.indicators import white_zones as wz
    from lib.render import maps

    region = loaders.region(code)
    offer = _offer(code, upload)[0]
    sessions = wz.OfferFilter(nsf, certifying, period).apply(offer)
    if upload:  # memoised with the view, in the session
        result = wz.nearest_sessions(loaders.commune_points(code), sessions, float(threshold))
    else:
        result = loaders.white_zones(code, nsf, certifying, period, float(threshold))
    summary = wz.department_summary(result, region.departements, region.name)
    geojson = loaders.commune_display_geojson(code)
    by_code = result.set_index("code")
    for feature in geojson["features"]:
        row = by_code.loc[feature["properties"]["code"]]
        feature["properties"].update(
            label=f"{row['name']} ({feature['properties']['code']})",
            distance="aucune session" if row["nearest_km"] == float("inf") else f"{fr_num(row['nearest_km'])} km",
            within=fr_int(row["sessions_within"]), km=row["nearest_km"],
        )
    fmap = maps.polygons(
        geojson, maps.bounds_of(loaders.departements(code)), lambda p: wz.distance_color(p["km"], threshold),
        "Distance à la session la plus proche", wz.distance_legend(threshold),
        ["label", "distance", "within"], ["Commune", "Session la plus proche", f"Sessions à moins de {threshold} km"],
        canvas=True, line_weight=0.3, publish_as=f"communes_geom_{code}", hatched=frozenset({wz.WHITE_COLOR}),
    )
    maps.outlines(fmap, loaders.departement_outlines(code))
    maps.add_clustered_points(fmap, offer_views.place_markers(sessions), "Lieux de formation")
    total = summary.set_index("dep").loc["TOTAL"]
    maps.describe(fmap, f"Distance de chaque commune à la session de formation la plus proche : {fr_int(total['white_communes'])} "
                        f"communes en zone blanche (hachurées, à plus de {threshold} km), {fr_int(total['white_population'])} "
                        f"habitants ; points bleus : lieux de formation ; le tableau à côté donne le détail par département.")
    return {"result": result, "summary": summary, "sessions": len(sessions),
            "period_counts": wz.OfferFilter(nsf, certifying, period).period_counts(offer),
            "map": map_component(fmap, "white_zone_map", 560, [])}


# ---------------------------------------------------------------------------------------------
# Parcours et résultats

@view(max_entries=16)
def records_years(code: str, upload: str | None = None) -> list[int]:
    records = _records(code, upload)[0]
    return [int(y) for y in sorted(records["year"].unique())]


@view(max_entries=4)
def access_gap_messages(code: str, upload: str | None = None) -> list[str]:
    """French sentences naming where access is not computed (missing denominators)."""
    from lib.indicators.rates import access_gaps

    records, _, denominators, _, _ = _records(code, upload)
    return access_gaps(records, denominators)


def pathway_scope(code: str, year: int | None, deps: tuple[str, ...], covered: tuple[str, ...] | None = None) -> str:
    """The filters in words, under every chart of the page (« 2023 · 01, 69 », « toutes années · Région »);
    the region's name only when the records (``covered``: the region's departments with entries) cover all
    its departments, else « 2022 · 3 départements sur 12 (38, 69, 73) »."""
    from lib.app import loaders
    from lib.indicators import pathways as pw

    region = loaders.region(code)
    covered = tuple(region.dep_codes) if covered is None else covered
    return f"{'toutes années' if year is None else year} · {pw.coverage_label(covered, region.dep_codes, region.name, deps)}"


def covered_sentence(code: str, covered: list[str] | tuple[str, ...]) -> str:
    """Which departments the records in use cover, named (« Les entrées du fichier en usage couvrent 3
    départements sur 12 : 38 – Isère, 69 – Rhône, 73 – Savoie. »)."""
    from lib.app import loaders

    region = loaders.region(code)
    if not covered:
        return "Le fichier d'entrées en usage n'a aucune entrée dans les départements de la région."
    count, total = len(covered), len(region.dep_codes)
    named = ", ".join(region.dep_label(dep) for dep in covered)
    if count == total:
        return f"Les entrées du fichier en usage couvrent les {total} départements de la région."
    return (f"Les entrées du fichier en usage couvrent {count} département{'s' if count > 1 else ''} sur {total} : "
            f"{named}.")


@view(max_entries=64)
def pathway_page(code: str, year: int | None, deps: tuple[str, ...], pathways: tuple[str, ...],
                 axes: tuple[str, ...], source_line: str, upload: str | None = None) -> dict[str, Any]:
    """Everything the page *Parcours et résultats* draws for one selection, ready to lay out:
    rates by public (table, warnings, one chart spec per indicator), employment by pathway type
    (a spec, or the sentence saying no exit is observable), the QPV share (gauge spec or the
    reason it is not computed) and the plan compared with what was realised. Computed once per
    selection: a page run only sends these objects (no data frame hashed or filtered per run)."""
    from lib.app import loaders
    from lib.core.fmt import fr_pct
    from lib.indicators import pathways as pw
    from lib.indicators.rates import finalize, incoherent_cells, unknown_cells
    from lib.render import charts

    records, report, denominators, _, is_demo = _records(code, upload)
    chosen = pw.Selection(year=year, deps=deps, pathways=pathways, axes=axes)
    region = loaders.region(code)
    covered = pw.departments_covered(records, region.dep_codes)  # records may cover some departments only
    scope = pathway_scope(code, year, deps, tuple(covered))
    demo = " — données de démonstration" if is_demo else ""
    observed_on = report.meta.get("as_of")
    observed = f" — sorties observées au {observed_on:%d/%m/%Y}" if observed_on else ""
    marks = pw.benchmark_marks(loaders.benchmarks())
    pact = loaders.catalog()["pact_ara_2019"]
    pact_2017 = loaders.reference_table("pact_ara_2019", "indicateurs_2017.csv") if pact.covers(code) else pd.DataFrame()

    by_public = pw.rates_by(records, denominators, chosen, ["public"])
    if by_public.empty:  # no entry, or entries none of which gives a rate (all ongoing): said apart
        entries = chosen.apply(records)
        entries = entries[entries["year"].eq(year)] if year else entries
        return {"empty": True, "scope": scope, "is_demo": is_demo, "entries": len(entries),
                "ongoing": int(entries["outcome"].eq("en_cours").sum()),
                "no_entry": f"Aucune entrée ne correspond à ces filtres ({scope}). " + covered_sentence(code, covered)}
    public_charts = []
    for indicator in [i for i in pw.INDICATOR_LABELS if i in set(by_public["indicator"])]:
        data = by_public[by_public["indicator"].eq(indicator)]
        subtitle = scope + (observed if indicator.startswith("employment") else "") + demo
        public_charts.append(chart_spec(charts.rate_bars(
            data, "public_label", "Public", pw.INDICATOR_LABELS[indicator], subtitle,
            pw.reference_marks(indicator, pact_2017, marks["indicator"]))))

    by_pathway = pw.rates_by(records, denominators, chosen, ["pathway_type"])
    pathway_charts = []  # (spec, None) or (None, the sentence saying why there is no chart)
    for indicator in ("employment_6m", "employment_12m"):
        data = by_pathway[by_pathway["indicator"].eq(indicator)]
        if data.empty:
            pathway_charts.append((None, f"{pw.INDICATOR_LABELS[indicator]} : aucune sortie observable avec ces filtres."))
            continue
        subtitle = f"{scope} — sorties observées au {observed_on:%d/%m/%Y}{demo}" if observed_on else scope + demo
        pathway_charts.append((chart_spec(charts.rate_bars(
            data, "parcours", "Type de parcours", pw.INDICATOR_LABELS[indicator], subtitle,
            marks["pathway"] if indicator == "employment_6m" else None)), None))

    cross = pw.rates_by(records, denominators, chosen, ["public", "pathway_type"])
    heat = {}  # indicator -> (its public × pathway-type table, heatmap spec): the page's selectbox picks one
    for indicator in [i for i in pw.INDICATOR_LABELS if i != "access"]:
        table = cross[cross["indicator"].eq(indicator)]
        heat[indicator] = (table, chart_spec(charts.rate_heatmap(
            table, "parcours", "Type de parcours", "public_label", "Public", pw.INDICATOR_LABELS[indicator],
            f"{scope} — * fragile, s secret")))

    shares = finalize(pw.qpv_share(records, chosen))
    total = finalize(pd.DataFrame({"numerator": [int(shares["numerator"].sum())],
                                   "denominator": [int(shares["denominator"].sum())],
                                   "unknown": [int(shares["unknown"].sum())]}))
    target = float(loaders.reference_table("cadre_national", "objectifs.csv").set_index("indicator")
                   .loc["qpv_share_of_entrants", "value_pct"]) / 100
    gauge, no_gauge = None, None
    if pd.isna(total["rate"].iloc[0]):  # secret (fewer than 20 entrants) or incoherent: no gauge, said so
        no_gauge = (f"Part des entrants résidant en QPV non calculée avec ces filtres ({scope}) : "
                    f"{pw.STATUS_LABELS[total['status'].iloc[0]]}. Objectif national {fr_pct(target * 100, 0)}.")
    else:
        gauge = chart_spec(charts.gauge(float(total["rate"].iloc[0]), target, "Part des entrants résidant en QPV",
                                        f"{scope} — objectif national {fr_pct(target * 100, 0)} (cadre des PRIC)"))

    plan = None
    if pact.covers(code):
        planned = loaders.reference_table("pact_ara_2019", "plan_parcours.csv").astype({"year": int, "parcours": int})
        compared = pw.plan_vs_realised(records, planned)
        # the plan is the whole region's: realised entries of some departments only are no realisation rate
        partial = pw.partial_coverage(covered, region.dep_codes)
        realised = pw.coverage_label(covered, region.dep_codes, region.name)
        plan = {"table": compared, "chart": chart_spec(charts.plan_vs_realised_bars(
            compared, "Parcours par axe", "Prévus : Pacte 2019-2022" + (" (toute la région)" if partial else "")
            + f" ; réalisés : {realised} — " + source_line)),
            "warning": (f"Les parcours réalisés ne viennent que de {realised} : le plan du Pacte porte sur les "
                        f"{len(region.dep_codes)} départements de la région. L'écart entre prévus et réalisés ne "
                        "mesure donc pas la réalisation du plan." if partial else None)}

    return {"empty": False, "scope": scope, "is_demo": is_demo, "observed_on": observed_on,
            "by_public": by_public, "warnings": incoherent_cells(by_public) + unknown_cells(by_public), "public_charts": public_charts,
            "by_pathway": by_pathway, "pathway_charts": pathway_charts,
            "heat": heat, "qpv_shares": shares, "gauge": gauge, "no_gauge": no_gauge,
            "reasons": pw.abandon_reasons(records, chosen), "plan": plan}


@view(max_entries=8)
def pathway_references(code: str) -> dict[str, Any]:
    """What the page shows whatever the filters: the pact's abandonment motifs and the Baromètre."""
    from lib.app import loaders
    from lib.indicators import pathways as pw
    from lib.render import charts
    from lib.sources import barometre as barometre_source

    motifs = pw.pact_motifs(loaders.reference_table("pact_ara_2019", "abandon_motifs.csv"))
    out: dict[str, Any] = {"motifs": motifs, "motif_chart": chart_spec(charts.motif_heatmap(
        motifs, pw.QUALIFICATIONS, "Abandons par motif et qualification (en % de chaque motif)",
        f"Tableau du Pacte ARA 2019, reproduit tel quel ({len(motifs)} lignes)"))}
    region = loaders.region(code)
    barometre = loaders.barometre(code)
    names = dict(zip(region.departements["code"], region.departements["name"]))
    pic = barometre[barometre["indicator_id"].eq("nb-formation-pic") & barometre["level"].eq("region")]
    out["entries"] = None
    if len(pic):
        yearly = barometre_source.annual(pic)
        out["entries"] = {"table": yearly, "chart": chart_spec(charts.annual_bars(
            yearly, "Entrées", "Entrées en formation des publics éloignés de l'emploi",
            "Région ; 2021-2022 publiés en cumul depuis janvier : valeur au 31 décembre"))}
    apprentices = barometre[barometre["indicator_id"].eq("nombre-contrats-apprentissage")]
    siae = barometre[barometre["indicator_id"].eq("nb-beneficiaires-siae")]
    out["apprentices"] = barometre_source.yearly_by_department(apprentices, names) if len(apprentices) else None
    out["siae"] = barometre_source.yearly_by_department(siae, names, how="mean") if len(siae) else None
    return out


def chart(builder: Callable[..., Any], *args: Any, upload: str | None = None, **kwargs: Any) -> dict:
    """The spec of ``builder(*args, **kwargs)`` (a :mod:`lib.render.charts` function), memoised on its
    arguments (data frames by content). Charts of uploaded data are memoised in the session."""
    key = (builder.__module__, builder.__qualname__, tuple(_hashable(a) for a in args),
           tuple(sorted((k, _hashable(v)) for k, v in kwargs.items())))
    compute = lambda: chart_spec(builder(*args, **kwargs))  # noqa: E731
    if upload is not None:
        spec = session_memo(("chart", upload, key), compute)
    else:
        spec = _shared_spec(key, compute)
    return copy.deepcopy(spec)  # the spec is shared: the caller (Streamlit) may change its copy


def _hashable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        hashed = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
        return ("frame", tuple(map(str, value.columns)), tuple(map(str, value.dtypes)),
                hashlib.sha256(hashed).hexdigest())
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


CHART_ENTRIES = 512  # chart specs and table display strings of the bundled data shared by all sessions (a few KB each)
_chart_store: OrderedDict = OrderedDict()
_chart_lock = threading.Lock()


def _shared_spec(key: tuple, compute: Callable[[], T]) -> T:
    with _chart_lock:
        spec = _chart_store.get(key)
        if spec is not None:
            _chart_store.move_to_end(key)
            return spec
    spec = compute()
    with _chart_lock:
        _chart_store[key] = spec
        while len(_chart_store) > CHART_ENTRIES:
            _chart_store.popitem(last=False)
    return spec


@dataclass(frozen=True)
class PreparedTable:
    """A table ready to draw: its data and its French display strings, both as Streamlit sends them.
    Made by a view (:func:`prepare_table`) for large tables, so a page run sends bytes only."""

    data: bytes  # Arrow IPC of the table, columns labelled
    styler: bytes  # serialised styler part of Streamlit's ArrowData (display strings)
    short: tuple[tuple[str, str], ...] = ()  # (column label, shorter header drawn by the grid), see show_table


def prepare_table(frame: pd.DataFrame, formats: dict[str, str], labels: dict[str, str] | None = None,
                  short: dict[str, str] | None = None) -> PreparedTable:
    from streamlit import dataframe_util

    data = dataframe_util.convert_pandas_df_to_arrow_bytes(frame.rename(columns=labels or {}))
    return PreparedTable(data, _styler_proto(frame, formats, labels), tuple((short or {}).items()))


def show_table(frame: pd.DataFrame | PreparedTable, formats: dict[str, str] | None = None,
               labels: dict[str, str] | None = None, *, upload: str | None = None, hide_index: bool | None = True,
               width: str | int = "stretch", height: str | int = "auto", placeholder: str | None = "–",
               name: str = "Tableau", fit: bool = True, short: dict[str, str] | None = None,
               widths: dict[str, int] | None = None, row_height: int | None = None, pin: str | None = None,
               column_config: dict[str, dict] | None = None) -> None:
    """``st.dataframe(ui.styled(frame, formats, labels), ...)``: the same element (numbers kept for
    sorting, French display strings beside them), with the display strings computed once per
    table content instead of on every run (pandas' Styler took a fifth of the server's time under
    load). Keyed by the table's Arrow bytes; tables of uploaded data are memoised in the session.
    A :class:`PreparedTable` (from a view) is sent as it is. ``tests/unit/test_views.py`` checks
    the element equals ``st.dataframe``'s. With ``fit`` each column is as wide as its longest displayed
    string or its header (:func:`column_widths`): the grid's own sizing clipped some (« départeme »).
    Grid headers do not wrap: ``short`` maps a column label to a shorter header drawn by the grid, the full
    label becoming its tooltip (the accessible table and the CSV keep the full label); ``widths`` sets
    some columns' pixels (a long text in a given width, with ``row_height`` above 64 px so it wraps); ``pin`` keeps
    a (label) column in view when a table wider than the page scrolls sideways; ``column_config`` adds
    Streamlit column configurations (``{"Lien": st.column_config.LinkColumn("Lien")}``)."""
    from streamlit import dataframe_util
    from streamlit.elements.lib.column_config_utils import INDEX_IDENTIFIER, marshall_column_config, update_column_config
    from streamlit.elements.lib.layout_utils import LayoutConfig
    from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto

    if isinstance(frame, PreparedTable):
        data, styler = frame.data, frame.styler
        short = {**dict(frame.short), **(short or {})}
    else:
        formats = formats or {}
        data = dataframe_util.convert_pandas_df_to_arrow_bytes(frame.rename(columns=labels or {}))
        key = ("table", hashlib.sha256(data).hexdigest(), tuple(sorted(formats.items())),
               tuple(sorted((labels or {}).items())))
        compute = lambda: _styler_proto(frame, formats, labels)  # noqa: E731
        styler = session_memo((upload, *key), compute) if upload is not None else _shared_spec(key, compute)

    # The grid is drawn on a canvas that screen readers read in raw values (« 5.7 » for « 5,7 % »), a few
    # columns only: an HTML table of the displayed strings, named ``name``, is placed just before it for
    # them (not drawn; lib/app/a11y.py hides the canvas's own table from them).
    html_key = ("sr-table", hashlib.sha256(data + styler).hexdigest(), name, placeholder)
    html = (session_memo((upload, *html_key), lambda: accessible_table(data, styler, name, placeholder or ""))
            if upload is not None else _shared_spec(html_key, lambda: accessible_table(data, styler, name, placeholder or "")))
    st.html(html)
    proto = DataframeProto()
    proto.arrow_data.data = data
    proto.arrow_data.styler.ParseFromString(styler)
    if placeholder is not None:  # the grid writes « None » in an empty cell whatever its display string
        proto.placeholder = placeholder
    proto.editing_mode = DataframeProto.EditingMode.READ_ONLY
    config: dict = {}
    if row_height is not None:
        proto.row_height = row_height
    short = short or {}
    fitted: dict[str, int] = {}
    if fit:
        width_key = ("table-widths", hashlib.sha256(data + styler).hexdigest(), tuple(sorted(short.items())))
        compute_widths = lambda: column_widths(data, styler, short)  # noqa: E731
        fitted = (session_memo((upload, *width_key), compute_widths) if upload is not None
                  else _shared_spec(width_key, compute_widths))
    for column in {**fitted, **short, **(widths or {}), **({pin: 0} if pin else {})}:
        settings = {"label": short.get(column), "width": (widths or {}).get(column, fitted.get(column)),
                    "help": column if column in short else None, "pinned": True if column == pin else None}
        update_column_config(config, column, {k: v for k, v in settings.items() if v is not None})
    for column, settings in (column_config or {}).items():
        update_column_config(config, column, {k: v for k, v in settings.items() if v is not None})
    if hide_index is not None:  # after the columns, as st.dataframe orders them
        update_column_config(config, INDEX_IDENTIFIER, {"hidden": hide_index})
    marshall_column_config(proto, config)
    st._main._enqueue("dataframe", proto, layout_config=LayoutConfig(width=width, height=None if height == "auto" else height))


# Advance widths (px) of the grid's font, Source Sans at 14 px, measured in Chromium's canvas (measureText),
# grouped by width. A character not listed counts as wide as « O ».
_GLYPH_PX = {1.7: "\u202f", 2.8: " \xa0", 3.4: "i|îï", 3.5: "',.:;j’", 3.6: "l", 3.7: "IÎÏ", 4.0: "!", 4.1: "f",
             4.2: "()[]{}", 4.4: "-", 4.6: "°", 4.7: "t", 4.9: "/\\r", 5.9: "*?sz", 6.0: '"«»', 6.2: "x", 6.4: "cç",
             6.5: "vyÿ", 6.7: "JY–", 6.8: "L", 6.9: "Fekèéêë", 7.0: "#$+0123456789<=>^_~€−", 7.1: "agàâä", 7.2: "VX",
             7.4: "EÈÉÊË", 7.5: "STZ", 7.6: "A`houÀÂÄôöùûü", 7.7: "bn", 7.8: "dpq", 7.9: "P", 8.0: "CRÇ", 8.1: "K",
             8.2: "B", 8.5: "&", 8.6: "DG", 9.0: "UÙÛÜ", 9.1: "HN", 9.3: "OQÔÖ", 10.1: "w", 10.2: "M", 10.9: "æ",
             11.0: "W", 11.2: "—", 11.5: "%Æ", 11.6: "m", 11.7: "œ", 11.9: "@Œ", 13.3: "…"}
_CHAR_PX = {char: px for px, chars in _GLYPH_PX.items() for char in chars}
CELL_PADDING_PX = 8 * 2 + 6  # the grid's padding either side of a cell, and a margin for rounding and the font's hinting
MIN_COLUMN_PX, MAX_COLUMN_PX = 50, 480  # the grid's minimum; beyond the maximum a long text is cut (whole in the CSV)


def text_px(text: str) -> float:
    """Width in pixels of ``text`` in the grid's font."""
    return sum(_CHAR_PX.get(char, 9.3) for char in text)


def column_widths(data: bytes, styler: bytes, short: dict[str, str] | None = None) -> dict[str, int]:
    """Per column of a grid, the pixels its header (``short``'s when given) and longest displayed string need."""
    from streamlit import dataframe_util
    from streamlit.proto.ArrowData_pb2 import ArrowData

    raw = dataframe_util.convert_arrow_bytes_to_pandas_df(data)
    proto = ArrowData()
    proto.styler.ParseFromString(styler)
    shown = (dataframe_util.convert_arrow_bytes_to_pandas_df(proto.styler.display_values)
             if proto.styler.display_values else raw.astype(str))
    widths = {}
    for j, column in enumerate(raw.columns):
        missing = raw.iloc[:, j].isna().to_numpy()
        texts = {str(v) for v, m in zip(shown.iloc[:, j], missing) if not m} | {(short or {}).get(str(column), str(column))}
        widest = max(text_px(t) for t in texts)
        widths[str(column)] = int(min(MAX_COLUMN_PX, max(MIN_COLUMN_PX, math.ceil(widest + CELL_PADDING_PX))))
    return widths


ACCESSIBLE_ROWS = 500  # rows of a grid's accessible table; beyond, its caption says so and points to the CSV


def accessible_table(data: bytes, styler: bytes, name: str, placeholder: str = "–") -> str:
    """The HTML table screen readers get for a grid: caption ``name``, the grid's column names and, cell
    by cell, the strings the grid displays (the styler's display values; an empty cell is
    ``placeholder``, as in the grid). Up to :data:`ACCESSIBLE_ROWS` rows, the caption saying so."""
    from html import escape

    from streamlit import dataframe_util
    from streamlit.proto.ArrowData_pb2 import ArrowData

    raw = dataframe_util.convert_arrow_bytes_to_pandas_df(data)
    proto = ArrowData()
    proto.styler.ParseFromString(styler)
    shown = (dataframe_util.convert_arrow_bytes_to_pandas_df(proto.styler.display_values)
             if proto.styler.display_values else raw.astype(str))
    rows = len(raw)
    caption = escape(name)
    if rows > ACCESSIBLE_ROWS:
        from lib.core.fmt import fr_int

        caption += (f" ({fr_int(ACCESSIBLE_ROWS)} premières lignes sur {fr_int(rows)} ; "
                    "toutes dans le fichier CSV du tableau)")
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in raw.columns)
    body = []
    for i in range(min(rows, ACCESSIBLE_ROWS)):
        cells = []
        for j in range(raw.shape[1]):
            value = raw.iat[i, j]
            missing = value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)))
            text = placeholder if missing else str(shown.iat[i, j])
            cells.append(f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="pric-sr-only pric-sr-table"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')


def _styler_proto(frame: pd.DataFrame, formats: dict[str, str], labels: dict[str, str] | None) -> bytes:
    """What ``st.dataframe`` makes of the Styler (uuid, display strings, styles), serialised."""
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    from lib.app import ui

    proto = ArrowData()
    marshall_styler(proto, ui.styled(frame, formats, labels), "")
    return proto.styler.SerializeToString()


# ---------------------------------------------------------------------------------------------
# Fiche département and diagnostic

def map_note(offer_demo: bool) -> str:
    """What the department's static map prints under it (its distances rest on the offer)."""
    return "Offre de démonstration : distances fictives" if offer_demo else ""


@view(max_entries=32)
def department_sheet(code: str, dep: str, qpv_list: str = "2024", period: tuple[str, str] | None = None,
                     upload: str | None = None) -> dict:
    """Figures, findings and series of one department's sheet (QPV shares on ``qpv_list``; white
    zones on the sessions running in ``period``, by default the Zones blanches page's)."""
    from lib.app import loaders
    from lib.indicators import sheet
    from lib.indicators import unemployment as unemp
    from lib.indicators.coverage import QPV_LISTS
    from lib.indicators.offer import period_phrase
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM

    region = loaders.region(code)
    tidy = _unemployment(code, upload)
    offer_demo = _offer(code, upload)[3]
    records, records_report, denominators, _, records_demo = _records(code, upload)
    rates = loaders.department_rates(code, dep, upload=upload)
    # records may cover some departments only: the page says so instead of drawing charts of nothing
    record_deps = records["dep"].astype(str)
    entries = int(record_deps.eq(dep).sum())
    covered = sorted(set(record_deps) & set(region.dep_codes))
    # the sheet's rates pool every year of entry (Parcours shows one year): said beside every rate
    years = sorted(int(y) for y in records.loc[record_deps.eq(dep), "year"].dropna().unique())
    observed_on = records_report.meta.get("as_of")
    rates_scope = sheet.rates_scope(years, observed_on)
    period = period or loaders.offer_period()
    figures = sheet.build_figures(region, dep, tidy, loaders.coverage_table(code, qpv_list),
                                  loaders.white_summary(code, DEFAULT_THRESHOLD_KM, upload=upload, period=period), rates,
                                  DEFAULT_THRESHOLD_KM, offer_demo, records_demo, QPV_LISTS[qpv_list].short,
                                  period_phrase(period), rates_scope=rates_scope)
    start = unemp.shift_quarter(figures.quarter, 4 * 8)
    return {"figures": figures, "findings": sheet.findings(region, figures), "rates": rates,
            "series": sheet.unemployment_series(tidy, region, dep, start), "offer_demo": offer_demo,
            "records_demo": records_demo, "entries": entries, "covered_deps": covered,
            "access_reason": sheet.access_unavailable(dep, denominators), "rates_scope": rates_scope,
            "access_scope": sheet.rates_scope(years, None)}


@view(max_entries=8)
def diagnosis_inputs(code: str, qpv_list: str = "2024", period: tuple[str, str] | None = None,
                     upload: str | None = None) -> dict:
    """Raw indicators of the diagnosis (weights apply on the page), and what they rest on; white
    zones on the sessions running in ``period`` (by default the Zones blanches page's)."""
    from lib.app import loaders
    from lib.indicators import diagnosis
    from lib.indicators import pathways as pw
    from lib.indicators import unemployment as unemp
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM

    region = loaders.region(code)
    tidy = _unemployment(code, upload)
    latest = unemp.quarters(tidy)[-1]
    records, _, denominators, _, records_demo = _records(code, upload)
    offer_demo = _offer(code, upload)[3]
    period = period or loaders.offer_period()
    year = int(records["year"].max())
    access = pw.rates_by(records, denominators, pw.Selection(year=year), ["dep"])
    access = access[access["indicator"].eq("access")].assign(public="ensemble")
    raw = diagnosis.indicators(unemp.department_table(tidy, region, latest), loaders.coverage_table(code, qpv_list),
                               loaders.white_summary(code, DEFAULT_THRESHOLD_KM, upload=upload, period=period), denominators,
                               access)
    return {"raw": raw, "latest": latest, "year": year, "records_demo": records_demo, "offer_demo": offer_demo,
            "unavailable": diagnosis.unavailable(raw, denominators), "period": period,
            "epci": loaders.epci_table(code, DEFAULT_THRESHOLD_KM, qpv_list, upload=upload, period=period)}


@view(max_entries=64)
def diagnosis_scores(code: str, weights: tuple[tuple[str, float], ...], qpv_list: str = "2024",
                     period: tuple[str, str] | None = None, upload: str | None = None) -> dict:
    from lib.indicators import diagnosis

    inputs = diagnosis_inputs(code, qpv_list, period, upload=upload)
    scored = diagnosis.scores(inputs["raw"], dict(weights))
    # a score resting on fewer indicators than the others' says so wherever the department is named
    scored["label"] = scored["dep"] + " " + scored["dep_name"] + scored["partial"].ne("").map({True: " (partiel)",
                                                                                                False: ""})
    names = dict(zip(scored["dep"], scored["dep_name"]))
    return {"scored": scored, "epci": diagnosis.epci_scores(inputs["epci"], dict(weights)),
            "partial": diagnosis.partial_sentences(scored, names)}


# ---------------------------------------------------------------------------------------------
# Background warm-up: every page's views in their default state

def warm(code: str) -> list[str]:
    """Compute the views every page shows when first opened (default filters), so that the
    first visit after a start finds them ready. Returns the steps done (failures are skipped:
    the page will show its own message)."""
    import logging

    from lib.app import loaders
    from lib.indicators import diagnosis
    from lib.indicators.coverage import DEFAULT_QPV_LIST
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM

    region = loaders.region(code)
    qpv = DEFAULT_QPV_LIST
    done: list[str] = []

    def step(name: str, fn: Callable[[], Any]) -> Any:
        try:
            value = fn()
            done.append(name)
            return value
        except Exception:  # noqa: BLE001  (a warm-up never breaks the server)
            logging.getLogger(__name__).warning("warm-up step %s failed", name, exc_info=True)
            return None

    step("accueil", lambda: home_figures(code))
    step("classeur Insee", lambda: unemployment_report(code))
    # The workspace's files next (page Données, second in the menu, and most pages read them).
    months = step("zones blanches offre", lambda: offer_months(code)) or []
    record_years = step("parcours années", lambda: records_years(code)) or []
    quarters = step("chomage", lambda: unemployment_quarters(code)) or []
    if quarters:
        step("chomage carte", lambda: unemployment_table_and_map(code, quarters[-1]))
        caption = loaders.catalog()["chomage_localise_insee"].caption
        step("chomage séries", lambda: unemployment_series(code, tuple(region.dep_codes[:3]),
                                                           quarters[max(0, len(quarters) - 41)], caption))
    step("territoires tableaux", lambda: coverage_tables(code, qpv))
    step("territoires carte", lambda: coverage_map(code, "FRR 2025", "population_zonage", qpv))
    step("territoires communes", lambda: commune_zoning_map(code, "frr", "FRR 2025", qpv))
    years = loaders.qpv_vintages("IPRO")
    step("territoires QPV", lambda: qpv_evolution(code, years[0], years[-1], ()))
    from lib.indicators.white_zones import default_period

    period = default_period() if months else None  # the page's default (pages/zones_blanches.py)
    step("zones blanches", lambda: white_zone_view(code, (), False, period, int(DEFAULT_THRESHOLD_KM)))
    if record_years:
        selection = (record_years[-1], (), (), ())
        # the page's call for a session without imports (its source line is the default file's)
        records_line = loaders.describe_source(loaders.default_file("records", code))
        step("parcours", lambda: pathway_page(code, *selection, records_line))
    step("parcours repères", lambda: pathway_references(code))
    dep = region.dep_codes[0]
    offer_period = loaders.offer_period()  # the Fiche's and the Diagnostic's white zones (the page's default)
    sheet = step("fiche", lambda: department_sheet(code, dep, qpv, offer_period))
    if sheet is not None:  # the page's call, argument for argument (Streamlit keys on them as written)
        step("fiche carte", lambda: loaders.department_map_png(code, dep, DEFAULT_THRESHOLD_KM, qpv,
                                                               map_note(sheet["offer_demo"])))
    step("diagnostic", lambda: diagnosis_scores(code, tuple(sorted(diagnosis.DEFAULT_WEIGHTS.items())), qpv, offer_period))
    _warm_compare(code, dep, sheet, qpv, step)
    # Où ouvrir des sessions ? in its default state (pages/ou_agir.py: the Zones blanches page's period, 5 sites)
    where = (code, (), False, period, int(DEFAULT_THRESHOLD_KM))
    shown = step("où agir", lambda: where_to_act_view(*where, 5, "population", 0))
    if shown is not None:
        step("où agir carte", lambda: where_to_act_map(*where, "population", 0, tuple(shown["ranking"]["code"])))
    step("sources", lambda: (loaders.unemployment_reference(), loaders.catalog()))
    # What is loaded now lives as long as the server: keep it out of the collector's full passes.
    import gc

    gc.collect()
    gc.freeze()
    return done


def _warm_compare(code: str, dep: str, sheet: dict | None, qpv: str, step: Callable[[str, Callable[[], Any]], Any]) -> None:
    """The Comparer's views in the page's default state (its first department, the latest quarter, the
    nearest peers, the map of the departments by unemployment rate) and the Fiche's comparison: the
    national base (5 s cold, then ``data/cache``), the tables and the France map are ready for the
    first visit. Calls as the pages write them (Streamlit keys on the arguments)."""
    from lib.app import loaders

    quarters = step("comparer trimestres", lambda: compare_quarters()) or []
    if not quarters:
        return
    quarter = quarters[-1]
    if sheet is not None:
        step("fiche comparaison", lambda: compare_summary(code, dep, sheet["figures"].quarter, qpv))
    options = step("comparer pairs", lambda: compare_peer_options(dep, quarter, qpv)) or {"auto": []}
    peers = tuple(options["auto"])
    step("comparer noms", lambda: compare_base())
    step("comparer département", lambda: compare_department(code, dep, quarter, qpv, peers))
    step("comparer parcours", lambda: compare_pathways(code, dep))
    step("comparer carte", lambda: compare_map(code, "departement", "unemployment_rate", quarter, qpv, dep, peers))
    source_line = loaders.describe_source(loaders.default_file("unemployment", code))
    step("comparer séries", lambda: compare_series(dep, peers, quarters[max(0, len(quarters) - 41)], source_line))


# ---------------------------------------------------------------------------------------------
# Comparer: every department and region of France side by side, peers that say why (issue 20)

COMPARE_LABELS = {
    "unemployment_rate": "Taux de chômage", "unemployment_change_1y": "Évolution du chômage sur un an",
    "qpv_share": "Part de la population en QPV", "frr_share": "Part de la population en FRR",
    "zrr_share": "Part de la population en ZRR", "density": "Densité", "population": "Population",
}
COMPARE_FORMATS = {"unemployment_rate": "pct", "unemployment_change_1y": "points", "qpv_share": "pct_fraction",
                   "frr_share": "pct_fraction", "zrr_share": "pct_fraction", "density": "int", "population": "int"}
COMPARE_MAP_CHOICES = ("unemployment_rate", "unemployment_change_1y", "qpv_share", "frr_share", "zrr_share", "density")
PROFILE_LABELS = {"unemployment_rate": "le chômage", "qpv_share": "la part en QPV", "frr_share": "la part en FRR",
                  "log_density": "la densité"}
PEER_COLOR = "#08519c"


def compare_value(column: str, value: object) -> str:
    """An indicator's value in French (``7,5 %``, ``+0,3 pt``, ``45 hab./km²``); ``–`` when missing."""
    from lib.app import ui

    if value is None or pd.isna(value):
        return "non disponible"
    text = ui.FORMATTERS[COMPARE_FORMATS[column]](value)
    return text + ("\u202fhab./km²" if column == "density" else "")


@st.cache_data(show_spinner="Calcul des données de toute la France…", max_entries=2)
def compare_base(qpv_list: str = "2024"):
    """Populations, zonings, QPV and areas of every department (bundled files only; kept on disk in
    ``data/cache``, rebuilt when a source file or the module changes)."""
    from pathlib import Path

    from lib.core.config import RAW, REFERENCE
    from lib.datasets import tables_cache as cache
    from lib.indicators import compare
    from lib.sources import cog, qpv2024, zonages

    sources = [cog.SOURCE_DIR / "communes.json", zonages.ZRR_FILE, zonages.FRR_FILE, qpv2024.TABLE,
               RAW / "qpv_2015_insee_indicators", REFERENCE / "cog_changes" / "restored.csv",
               compare.GEO_FILES["departement"], compare.GEO_FILES["region"], Path(compare.__file__)]
    holder: dict = {}

    def build() -> pd.DataFrame:
        holder["base"] = compare.build_base(qpv_list)
        return holder["base"].departements

    departements = cache.cached_table(f"compare_base_{qpv_list}", sources, build)
    if "base" in holder:
        return holder["base"]
    regions = cog.read_regions()
    regions = regions[regions["code"].str.len().eq(2)].reset_index(drop=True)
    return compare.Base(departements, regions.merge(compare.read_areas("region"), on="code", how="left"), qpv_list)


@st.cache_resource(show_spinner=False)
def _france_contours(level: str):
    import geopandas as gpd

    from lib.indicators import compare

    return gpd.read_parquet(compare.GEO_FILES[level])


def _compare_tidy(upload: str | None) -> pd.DataFrame:
    from lib.app import loaders

    return (loaders.session_unemployment() if upload else loaders.unemployment())[0]


@view(max_entries=8)
def compare_quarters(upload: str | None = None) -> list[str]:
    from lib.indicators import unemployment as unemp

    tidy = _compare_tidy(upload)
    return unemp.quarters(tidy[tidy["level"].eq("departement")])


@view(max_entries=16)
def compare_table(quarter: str, qpv_list: str = "2024", upload: str | None = None) -> pd.DataFrame:
    """The national table (departments, regions, France) for a quarter and a QPV list."""
    from lib.indicators import compare

    return compare.national_table(compare_base(qpv_list), _compare_tidy(upload), quarter)


@view(max_entries=64)
def compare_peer_options(dep: str, quarter: str, qpv_list: str = "2024", upload: str | None = None) -> dict:
    """``auto``: the nearest departments; ``options``: every department with a full profile but ``dep``;
    ``error``: why no peer can be computed (a missing indicator), else None."""
    from lib.core.errors import DataError
    from lib.indicators import compare

    table = compare_table(quarter, qpv_list, upload=upload)
    options = [c for c in compare.profile(table).index if c != dep]
    try:
        auto = list(compare.peers(table, dep)["code"])
    except DataError as err:
        return {"auto": [], "options": options, "error": str(err)}
    return {"auto": auto, "options": options, "error": None}


def _reason(row: pd.Series, dep_row: pd.Series) -> str:
    """Why a peer is near: the two profile variables it is closest on, with both values."""
    from lib.indicators import compare

    def shown(column: str, values: pd.Series) -> str:
        if column == "log_density":
            return compare_value("density", 10 ** values[column])
        return compare_value(column, values[column])

    parts = [f"{PROFILE_LABELS[c]} ({shown(c, row)} contre {shown(c, dep_row)})" for c in compare.closest_variables(row)]
    return "proche par " + " et ".join(parts)


@view(max_entries=64)
def compare_department(code: str, dep: str, quarter: str, qpv_list: str, peer_codes: tuple[str, ...],
                       upload: str | None = None) -> dict[str, Any]:
    """Everything the department part of the page draws: cards, the side-by-side table, the peers with
    their reasons, the gaps to the peers' median with alerts (figures, tables and CSV frames)."""
    from lib.app import loaders
    from lib.core.errors import DataError
    from lib.indicators import compare

    region = loaders.region(code)
    table = compare_table(quarter, qpv_list, upload=upload)
    deps = table[table["level"].eq("departement")].set_index("code")
    dep_row = deps.loc[dep]
    try:
        peers = compare.peers(table, dep, chosen=list(peer_codes))
        dep_profile = compare.profile(table).loc[dep]
        peers["pourquoi"] = [_reason(row, dep_profile) for _, row in peers.iterrows()]
        error = None
    except DataError as err:
        peers, error = pd.DataFrame(columns=["code", "name", "region", "distance", "nearest", "pourquoi"]), str(err)
    region_names = dict(zip(compare_base(qpv_list).regions["code"], compare_base(qpv_list).regions["name"]))
    peers["region_name"] = peers["region"].map(region_names)
    gaps = compare.peer_gaps(table, dep, list(peers["code"]))
    ranks = {c: compare.rank(table, dep, c) for c in (*compare.INDICATORS, "density", "population")}

    # cards: the value, its rank and its gap to the peers' median
    cards = []
    for column in ("unemployment_rate", "qpv_share", "frr_share", "zrr_share"):
        gap = gaps.set_index("indicator").loc[column]
        place = ranks[column]
        rank_text = (f"{place[0]}{'er' if place[0] == 1 else 'e'} sur {place[1]} départements"
                     if place else "rang non disponible")
        gap_text = ("écart à la médiane des pairs : " + (compare_value("unemployment_change_1y", gap["gap"])
                    if column == "unemployment_rate" else compare_value("unemployment_change_1y", gap["gap"] * 100))
                    if pd.notna(gap["gap"]) else "pas de pair")
        cards.append({"label": COMPARE_LABELS[column], "value": compare_value(column, dep_row[column]),
                      "rank": rank_text, "gap": gap_text, "alert": bool(gap["alert"])})

    # side by side: department, its region, France, the peers' median, each peer
    columns = ["population", "unemployment_rate", "unemployment_change_1y", "qpv_share", "frr_share", "zrr_share",
               "density"]
    reg = table[table["level"].eq("region") & table["code"].eq(region.code)].iloc[0]
    fr = table[table["level"].eq("france")].iloc[0]
    rows = [{"territoire": f"{dep} – {dep_row['name']}", "role": "département choisi", **dep_row[columns].to_dict()},
            {"territoire": region.name, "role": "sa région", **reg[columns].to_dict()},
            {"territoire": fr["name"], "role": "France", **fr[columns].to_dict()}]
    if len(peers):
        rows.append({"territoire": f"Médiane des {len(peers)} pairs", "role": "pairs",
                     **deps.loc[list(peers["code"]), columns].median().to_dict()})
        rows += [{"territoire": f"{c} – {deps.at[c, 'name']}", "role": "pair" if n else "pair ajouté",
                  **deps.loc[c, columns].to_dict()} for c, n in zip(peers["code"], peers["nearest"])]
    side = pd.DataFrame(rows)
    labels = {"territoire": "Territoire", "role": "Rôle", **{c: COMPARE_LABELS[c] for c in columns},
              "density": "Densité (hab./km²)"}
    # grid headers do not wrap: shorter ones, the full label as their tooltip, so the table reads at 1366 px
    short = {COMPARE_LABELS["unemployment_rate"]: "Chômage", COMPARE_LABELS["unemployment_change_1y"]: "Évol. 1 an",
             COMPARE_LABELS["qpv_share"]: "Part QPV", COMPARE_LABELS["frr_share"]: "Part FRR",
             COMPARE_LABELS["zrr_share"]: "Part ZRR", labels["density"]: "hab./km²"}
    side_shown = prepare_table(side, {c: COMPARE_FORMATS[c] for c in columns}, labels, short)

    peer_table = peers.assign(label=peers["code"] + " – " + peers["name"],
                              choix=peers["nearest"].map({True: "parmi les plus proches", False: "ajouté"}))
    peer_cols = {"label": "Département", "region_name": "Région", "distance": "Distance", "choix": "Choix",
                 "pourquoi": "Pourquoi ce pair"}
    peers_shown = prepare_table(peer_table[list(peer_cols)], {"distance": "num2"}, peer_cols)

    gap_rows = []
    for g in gaps.itertuples():
        factor = 100 if g.indicator.endswith("_share") else 1  # shares in points of %
        verdict = ""
        if g.alert:
            verdict = ("au-dessus" if g.gap > 0 else "au-dessous") + " de chaque pair, écart ≥ 1 écart-type national"
        elif g.large:
            verdict = "écart ≥ 1 écart-type mais pairs dispersés (non robuste)"
        gap_rows.append({"Indicateur": COMPARE_LABELS[g.indicator], "Département": compare_value(g.indicator, g.value),
                         "Médiane des pairs": compare_value(g.indicator, g.peer_median),
                         "Pairs (min – max)": f"{compare_value(g.indicator, g.peer_min)} – {compare_value(g.indicator, g.peer_max)}",
                         "Écart": compare_value("unemployment_change_1y", g.gap * factor),
                         "Écart en écarts-types": "–" if pd.isna(g.gap_sd) else fr_num_signed(g.gap_sd),
                         "Alerte": verdict or "–"})
    alerts = [f"{COMPARE_LABELS[g.indicator]} : {compare_value(g.indicator, g.value)}, "
              f"{'au-dessus' if g.gap > 0 else 'au-dessous'} de chacun de ses {g.peers} pairs (médiane "
              f"{compare_value(g.indicator, g.peer_median)}, écart de {fr_num_signed(g.gap_sd)} écart-type national)."
              for g in gaps.itertuples() if g.alert]
    csv = side.assign(quarter=quarter, qpv_list=qpv_list)
    return {"cards": cards, "side": side_shown, "side_csv": csv, "peers": peers_shown, "peer_rows": peers,
            "gaps": pd.DataFrame(gap_rows), "gaps_csv": gaps.assign(departement=dep), "alerts": alerts,
            "error": error, "name": dep_row["name"], "ranks": ranks}


def fr_num_signed(value: float) -> str:
    """Signed on the printed value: a gap rounding to zero is « 0,0 », never « −0,0 »."""
    from lib.core.fmt import fr_signed

    return fr_signed(value, 1)


@view(max_entries=32)
def compare_map(code: str, level: str, indicator: str, quarter: str, qpv_list: str, dep: str,
                peer_codes: tuple[str, ...], upload: str | None = None) -> dict[str, Any]:
    """France map by department or region coloured by ``indicator`` (the user's region outlined in
    black; at department level, the department and its peers in blue), and the table beside it."""

    from lib.app import loaders
    from lib.datasets import geometry
    from lib.indicators import compare
    from lib.render import maps

    region = loaders.region(code)
    table = compare_table(quarter, qpv_list, upload=upload)
    rows = table[table["level"].eq(level)].copy()
    factor = 100 if indicator.endswith("_share") else 1
    rows["value"] = rows[indicator] * factor
    rows["value_txt"] = [compare_value(indicator, v) for v in rows[indicator]]
    rows["label"] = rows["code"] + " – " + rows["name"]
    contours = _france_contours(level)
    bounds = maps.bounds_of(contours)
    bounds[0][1] -= 0.6  # room west of the overseas insets
    bounds[1][1] += 3.0  # and east of Corsica: the legend (bottom right) would cover it
    shapes = contours[["code", "geometry"]].merge(rows[["code", "label", "value", "value_txt"]], on="code")
    unit = {"density": "hab./km²", "unemployment_change_1y": "points"}.get(indicator, "%")
    classes = _quantile_classes(rows["value"], unit, 0 if indicator == "density" else 1)
    fmap = maps.choropleth(geometry.to_geojson(shapes, ["label", "value", "value_txt"], decimals=3),
                           bounds, "value", classes, COMPARE_LABELS[indicator],
                           ["label", "value_txt"], ["Territoire", COMPARE_LABELS[indicator]])
    own = _france_contours("region")
    _outline_on_top(fmap, geometry.to_geojson(own[own["code"].eq(region.code)], ["code"], decimals=3), "#000", 3)
    if level == "departement":
        chosen = contours[contours["code"].isin([dep, *peer_codes])]
        _outline_on_top(fmap, geometry.to_geojson(chosen, ["code"], decimals=3), PEER_COLOR, 2.5)
    fmap.options["minZoom"] = 4  # France and its insets in a half-width frame need zoom < 5
    where = "département" if level == "departement" else "région"
    maps.describe(fmap, extremes_sentence(f"{COMPARE_LABELS[indicator]} par {where}, France", rows, "label",
                                          indicator, lambda v: compare_value(indicator, v)))
    ranked = rows.sort_values([indicator, "code"], ascending=[False, True], na_position="last")
    ranked["rang"] = ranked[indicator].rank(ascending=False, method="min")
    mark = {region.code: "votre région"} if level == "region" else {dep: "département choisi",
                                                                     **{c: "pair" for c in peer_codes}}
    ranked["repere"] = ranked["code"].map(mark).fillna("")
    if level == "departement":
        ranked.loc[ranked["region"].eq(region.code) & ranked["repere"].eq(""), "repere"] = "votre région"
    shown_cols = ["rang", "label", indicator, "repere"]
    labels = {"rang": "Rang", "label": "Territoire", indicator: "Valeur", "repere": "Repère"}  # named above the table
    shown = prepare_table(ranked[shown_cols], {"rang": "int", indicator: COMPARE_FORMATS[indicator]}, labels)
    csv = ranked[compare.COLUMNS + compare.EXTRA_COLUMNS].assign(quarter=quarter, qpv_list=qpv_list)
    component = map_component(fmap, f"compare_map_{level}", 560, [])
    payload = sum(len(component[part].encode("utf-8")) for part in ("script", "html", "header"))  # what is sent
    return {"map": component, "table": shown, "csv": csv, "available": int(rows[indicator].notna().sum()),
            "rows": len(rows), "payload": payload}


def _quantile_classes(values: pd.Series, unit: str, decimals: int):
    """Five classes holding about as many territories each (quintiles): the overseas departments
    or Paris would otherwise put the rest of France in one colour. Breaks rounded outwards."""
    import numpy as np

    from lib.render import maps

    clean = values.dropna().astype(float)
    if clean.empty:
        return maps.equal_classes(clean, unit, decimals=decimals)
    step = 10 ** -decimals
    inner = np.round(np.quantile(clean, [0.2, 0.4, 0.6, 0.8]), decimals)
    breaks = [np.floor(clean.min() / step) * step, *inner, np.ceil(clean.max() / step) * step]
    breaks = list(dict.fromkeys(float(round(b, decimals)) for b in breaks))  # ties (many 0 %) merge classes
    if len(breaks) < 2:
        breaks = [breaks[0], breaks[0] + step]
    return maps.Classes(breaks=breaks, colors=maps.SEQUENTIAL[:len(breaks) - 1], unit=unit, decimals=decimals)


def _outline_on_top(fmap, geojson: dict, color: str, weight: float) -> None:
    """Unfilled boundaries in a pane above the choropleth (whose polygons are added later, once
    loaded: in the same pane they would cover the outline)."""
    import folium

    if "pric-outlines" not in [getattr(child, "name", None) for child in fmap._children.values()]:
        folium.map.CustomPane("pric-outlines", z_index=450, pointer_events=False).add_to(fmap)
    folium.GeoJson(geojson, style_function=lambda f: {"color": color, "weight": weight, "fill": False},
                   interactive=False, control=False, pane="pric-outlines").add_to(fmap)


@view(max_entries=32)
def compare_series(dep: str, peer_codes: tuple[str, ...], start: str, source_line: str,
                   upload: str | None = None) -> tuple[pd.DataFrame, dict | None]:
    """Unemployment series of the department and its peers, side by side on one chart."""
    from lib.indicators import unemployment as unemp
    from lib.render.charts import unemployment_lines

    tidy = _compare_tidy(upload)
    chosen = tidy[tidy["level"].eq("departement") & tidy["code"].isin([dep, *peer_codes]) & tidy["quarter"].ge(start)]
    if chosen.empty:
        return chosen, None
    names = dict(zip(compare_base().departements["code"], compare_base().departements["name"]))
    chosen = chosen.assign(serie=[f"{c} – {names.get(c, c)}" + ("" if c == dep else " (pair)") for c in chosen["code"]],
                           date=pd.PeriodIndex(chosen["quarter"].str.replace("-T", "Q"), freq="Q").to_timestamp())
    series = chosen[["serie", "level", "quarter", "date", "rate"]].reset_index(drop=True)
    last = unemp.quarters(tidy)[-1]
    title = f"Taux de chômage, département et pairs, {unemp.quarter_label(start)} – {unemp.quarter_label(last)}"
    return series, chart_spec(unemployment_lines(series, title, source_line))


def rank_text(rank: object, count: object) -> str:
    """« 25e sur 100 départements » (« 1er » for the first); « rang non disponible » without a value."""
    if rank is None or pd.isna(rank):
        return "rang non disponible"
    return f"{int(rank)}{'er' if int(rank) == 1 else 'e'} sur {int(count)} départements"


@view(max_entries=64)
def compare_summary(code: str, dep: str, quarter: str, qpv_list: str = "2024", upload: str | None = None) -> dict:
    """The comparison the department sheet gives (page and PDF): per national indicator the value, the
    rank in France and the gap to the median of the department's nearest peers, the peers named.
    ``quarter`` falls back to the latest of the workbook in use when it has no such quarter."""
    from lib.indicators import compare

    quarters = compare_quarters(upload=upload)
    quarter = quarter if quarter in quarters else quarters[-1]
    table = compare_table(quarter, qpv_list, upload=upload)
    options = compare_peer_options(dep, quarter, qpv_list, upload=upload)
    peer_codes = options["auto"]
    names = dict(zip(compare_base(qpv_list).departements["code"], compare_base(qpv_list).departements["name"]))
    rows, lines = [], []
    for g in compare.summary(table, dep, peer_codes).itertuples():
        label, value = COMPARE_LABELS[g.indicator], compare_value(g.indicator, g.value)
        place = rank_text(g.rank, g.count)
        factor = 100 if g.indicator.endswith("_share") else 1  # shares: gap in points of %
        median = compare_value(g.indicator, g.peer_median)
        gap = compare_value("unemployment_change_1y", g.gap * factor) if pd.notna(g.gap) else "non disponible"
        alert = ("au-dessus" if g.gap > 0 else "au-dessous") + " de chaque pair, écart ≥ 1 écart-type national" \
            if g.alert else ""
        rows.append({"Indicateur": label, "Département": value, "Rang en France": place,
                     "Médiane des pairs": median, "Écart à la médiane": gap, "Alerte": alert or "–"})
        lines.append(f"{label} : {value}, {place} ; médiane des pairs {median}, écart {gap}"
                     + (f" — alerte : {alert}" if alert else "") + ".")
    named = ", ".join(f"{c} {names.get(c, c)}" for c in peer_codes)
    peers_line = (f"Pairs : les {len(peer_codes)} départements les plus proches sur le profil chômage, part en QPV, "
                  f"part en FRR et densité — {named}." if peer_codes else f"Pairs non calculés : {options['error']}")
    return {"quarter": quarter, "peers": peer_codes, "peer_names": [names.get(c, c) for c in peer_codes],
            "table": pd.DataFrame(rows), "lines": lines, "peers_line": peers_line}


def _rate_text(row: pd.Series | None, missing: str) -> str:
    """A pathway rate in French with its status: « 51,3 % [50,9 – 51,7] », « 45,0 % (fragile) », « s »."""
    from lib.core.fmt import fr_pct

    if row is None:
        return missing
    status = row["status"]
    if status == "suppressed":
        return "s (effectif < seuil de secret)"
    if status == "unknown":
        return "non calculé (trop de valeurs inconnues)"
    if status == "incoherent":
        return "incohérent (numérateur > dénominateur)"
    text = f"{fr_pct(row['rate'], fraction=True)} [{fr_pct(row['ci_low'], fraction=True)} – " \
           f"{fr_pct(row['ci_high'], fraction=True)}]"
    return text + (" (fragile)" if status == "fragile" else "")


@view(max_entries=32)
def compare_pathways(code: str, dep: str, upload: str | None = None) -> dict:
    """The department's pathway rates beside its region's, from the records in use (one observation
    date, all years of entry): a table of French texts (status honoured), the CSV frame, whether the
    records are demonstration data, the observation date and the years covered."""
    from lib.app import loaders
    from lib.core.fmt import fr_int, fr_points
    from lib.indicators import compare
    from lib.indicators import pathways as pw
    from lib.indicators.sheet import access_unavailable

    region = loaders.region(code)
    records, report, denominators, _, demo = _records(code, upload)
    rates = compare.pathway_rates(records, denominators, dep, region.dep_codes)
    entries = int(records["dep"].astype(str).eq(dep).sum())
    by = {(r["scope"], r["indicator"]): r for _, r in rates.iterrows()}
    rows = []
    for indicator, label in pw.INDICATOR_LABELS.items():
        dep_row, reg_row = by.get(("departement", indicator)), by.get(("region", indicator))
        if indicator == "access":
            dep_missing = f"non disponible ({access_unavailable(dep, denominators)})"
            reg_missing = "non disponible (" + ("aucun fichier de dénominateurs en usage" if denominators is None
                                               else "aucune année ni département communs aux dénominateurs") + ")"
        else:
            dep_missing = "aucune entrée" if not entries else "non disponible (aucune sortie observable)"
            reg_missing = "non disponible (aucune sortie observable)"
        both = [r for r in (dep_row, reg_row) if r is not None and pd.notna(r["rate"])]
        gap = fr_points((dep_row["rate"] - reg_row["rate"]) * 100) if len(both) == 2 else "–"
        rows.append({"Indicateur": label, "Département": _rate_text(dep_row, dep_missing),
                     "Effectif (dép.)": "–" if dep_row is None else fr_int(dep_row["denominator"]),
                     "Région": _rate_text(reg_row, reg_missing),
                     "Effectif (région)": "–" if reg_row is None else fr_int(reg_row["denominator"]),
                     "Écart (points)": gap})
    years = sorted(int(y) for y in records["year"].dropna().unique())
    # « Région » is the region's departments present in the records: said in the column when some are missing
    covered = pw.departments_covered(records, region.dep_codes)
    partial = pw.partial_coverage(covered, region.dep_codes)
    csv = rates.assign(dep=dep, region=region.code, region_deps=",".join(covered))
    table = pd.DataFrame(rows)
    count = len(covered)
    notes = ([f"{count} département{'s' if count > 1 else ''} du fichier"] if partial else []) + (["démo"] if demo else [])
    if notes:  # the mention travels with the table (copied, screenshot), not only in the banner above it
        table = table.rename(columns={"Département": "Département (démo)" if demo else "Département",
                                      "Région": f"Région ({', '.join(notes)})"})
    coverage = (f"Région : {pw.coverage_label(covered, region.dep_codes, region.name)}, les seuls départements de la "
                "région présents dans le fichier d'entrées — pas toute la région." if partial else "")
    return {"table": table, "csv": csv, "rates": rates, "demo": bool(demo), "entries": entries,
            "observed_on": report.meta.get("as_of"), "years": years, "coverage": coverage}


# ---------------------------------------------------------------------------------------------
# Où ouvrir des sessions ? (maximal covering location, lib/indicators/where_to_act.py)

def where_to_act_weights(code: str, upload: str | None = None) -> dict[str, str | None]:
    """Each weight of the demand: ``None`` when usable, else why not (French)."""
    from lib.app import loaders
    from lib.indicators import where_to_act as wta

    reasons: dict[str, str | None] = dict.fromkeys(wta.WEIGHTS)
    if loaders.file_in_use("denominators", code).status not in ("importe", "configure"):
        reasons["job_seekers"] = ("aucun fichier de dénominateurs importé (page Données) : les demandeurs d'emploi "
                                  "de démonstration ne servent pas à placer des sessions")
    elif _records(code, upload)[2] is None:
        reasons["job_seekers"] = "dénominateurs non lus avec les entrées en formation (page Données)"
    return reasons


def _where_weights(code: str, weight: str, communes: pd.DataFrame, upload: str | None):
    from lib.app import loaders
    from lib.cli import job_seekers_by_department
    from lib.indicators import where_to_act as wta

    if weight in ("qpv", "frr"):
        return wta.weights_for(weight, communes, loaders.territories(code).communes)
    if weight == "job_seekers":
        reason = where_to_act_weights(code, upload=upload)["job_seekers"]
        if reason:
            from lib.core.errors import DataError

            raise DataError(f"Demandeurs d'emploi indisponibles : {reason}.")
        return wta.weights_for(weight, communes, job_seekers=job_seekers_by_department(_records(code, upload)[2]))
    return wta.weights_for(weight, communes)


@view(max_entries=32)
def where_to_act_problem(code: str, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                         threshold: int, weight: str, min_population: int, upload: str | None = None):
    """The covering problem of one filter state (white zones of the filtered offer, weights) and the
    weight's French description."""
    from lib.app import loaders
    from lib.indicators import where_to_act as wta
    from lib.indicators import white_zones as wz

    communes = loaders.commune_points(code).reset_index(drop=True)
    if upload:  # the white zones of the page Zones blanches, same path (memoised with this view, in the session)
        white = wz.nearest_sessions(communes, wz.OfferFilter(nsf, certifying, period).apply(_offer(code, upload)[0]),
                                    float(threshold))
    else:
        white = loaders.white_zones(code, nsf, certifying, period, float(threshold))
    white = communes[["code"]].merge(white[["code", "white"]], on="code", how="left")["white"].fillna(False).to_numpy(bool)
    weights, how = _where_weights(code, weight, communes, upload)
    return wta.build(communes, white, weights, float(threshold), min_population), how


@view(max_entries=32)
def where_to_act_view(code: str, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                      threshold: int, k: int, weight: str, min_population: int, upload: str | None = None) -> dict:
    """The K best sites of one filter state (solved once, then memoised): problem, solution, ranking."""
    from lib.indicators import where_to_act as wta

    problem, how = where_to_act_problem(code, nsf, certifying, period, threshold, weight, min_population, upload=upload)
    solution = wta.solve(problem, k)
    return {"problem": problem, "how": how, "solution": solution, "ranking": wta.ranking(problem, solution.sites)}


@view(max_entries=32)
def where_to_act_map(code: str, nsf: tuple[str, ...], certifying: bool, period: tuple[str, str] | None,
                     threshold: int, weight: str, min_population: int, sites: tuple[str, ...],
                     upload: str | None = None) -> dict:
    """The map of a set of sites (proposed or changed by the user): white communes they reach, those
    left white, each site with its radius; and the ranking of that set."""
    import html

    import folium
    import numpy as np

    from lib.app import loaders
    from lib.core.fmt import fr_int
    from lib.indicators import where_to_act as wta
    from lib.indicators.white_zones import WHITE_COLOR
    from lib.render import maps

    problem, _ = where_to_act_problem(code, nsf, certifying, period, threshold, weight, min_population, upload=upload)
    rows = problem.index_of(sites)
    ranking = wta.ranking(problem, rows)
    communes = problem.communes
    # Every white commune within a site's radius, weighted or not (a commune without QPV is still reached).
    points = np.radians(communes[["lat", "lon"]].to_numpy(dtype=float))
    within = wta.haversine_km(points[rows], points) <= threshold if len(rows) else np.zeros((0, len(communes)), bool)
    first = np.where(within.any(axis=0), within.argmax(axis=0), -1)
    white = communes["white"].to_numpy()
    state = np.where(~white, "covered", np.where(first >= 0, "reached", "white"))
    site_name = np.where(first >= 0, communes["name"].to_numpy()[rows[np.maximum(first, 0)]] if len(rows) else "", "")
    colors = {"covered": "#f0f0f0", "white": WHITE_COLOR, "reached": "#4575b4"}
    labels = {"covered": "déjà à portée d'une session", "white": "zone blanche restante",
              "reached": "sortie de zone blanche par un site proposé"}
    by_code = {c: i for i, c in enumerate(communes["code"])}
    geojson = loaders.commune_display_geojson(code)
    for feature in geojson["features"]:
        i = by_code.get(feature["properties"]["code"])
        s = "covered" if i is None else state[i]
        feature["properties"].update(
            label=f"{communes['name'].iat[i]} ({communes['code'].iat[i]})" if i is not None else feature["properties"]["code"],
            state=s, text=labels[s] + (f" ({site_name[i]})" if s == "reached" else ""),
            pop=fr_int(communes["population"].iat[i]) if i is not None else "–")
    fmap = maps.polygons(
        geojson, maps.bounds_of(loaders.departements(code)), lambda p: colors[p["state"]], "Communes",
        [(colors[s], labels[s]) for s in ("reached", "white", "covered")], ["label", "text", "pop"],
        ["Commune", "Situation", "Habitants"], canvas=True, line_weight=0.3, publish_as=f"communes_geom_{code}",
        hatched=frozenset({WHITE_COLOR}))
    maps.outlines(fmap, loaders.departement_outlines(code))
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
    return {"ranking": ranking, "reached": reached_count, "left": left,
            "map": map_component(fmap, "where_to_act_map", 560, [])}
