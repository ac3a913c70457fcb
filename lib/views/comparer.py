"""Comparer: every department and region of France side by side, peers that say why (issue 20); the
department sheet's national comparison (:func:`compare_summary`).

The national base and the France contours are not bound to the region: read once through ``ds.memo``
(the shared datasets' memo, whatever the region shown)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from lib.core.fmt import FORMATTERS
from lib.datasets.in_use import Datasets
from lib.views.common import extremes_sentence

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
    if value is None or pd.isna(value):
        return "non disponible"
    text = FORMATTERS[COMPARE_FORMATS[column]](value)
    return text + ("\u202fhab./km²" if column == "density" else "")


def compare_base(ds: Datasets, qpv_list: str = "2024"):
    """Populations, zonings, QPV and areas of every department (bundled files only; kept on disk in
    ``data/cache``, rebuilt when a source file or the module changes)."""
    return ds.memo("compare_base", (qpv_list,), lambda: _compare_base(qpv_list), entries=2,
                   announce="Calcul des données de toute la France…")


def _compare_base(qpv_list: str):
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


def _france_contours(ds: Datasets, level: str):
    def read():
        import geopandas as gpd

        from lib.indicators import compare

        return gpd.read_parquet(compare.GEO_FILES[level])

    return ds.memo("france_contours", (level,), read, entries=2)


def _compare_tidy(ds: Datasets) -> pd.DataFrame:
    return ds.unemployment()[0]


def compare_quarters(ds: Datasets) -> list[str]:
    from lib.indicators import unemployment as unemp

    tidy = _compare_tidy(ds)
    # a workbook without « Département » sheet still has the regions' quarters (its departments said missing)
    return unemp.quarters(tidy[tidy["level"].eq("departement")]) or unemp.quarters(tidy)


def compare_unemployment_note(ds: Datasets) -> str:
    """What the workbook in use cannot give the comparison (no departments' or no regions' rates), ``""`` else."""
    levels = set(_compare_tidy(ds)["level"])
    if "departement" not in levels:
        return ("Le fichier Insee en usage n'a pas de feuille « Département » : le taux de chômage et son évolution "
                "ne sont disponibles pour aucun département (rangs, pairs et écarts sans le chômage).")
    return ""


def compare_table(ds: Datasets, quarter: str, qpv_list: str = "2024") -> pd.DataFrame:
    """The national table (departments, regions, France) for a quarter and a QPV list."""
    from lib.indicators import compare

    return ds.memo("compare_table", (quarter, qpv_list), lambda: compare.national_table(
        compare_base(ds, qpv_list), _compare_tidy(ds), quarter), entries=16)


def compare_peer_options(ds: Datasets, dep: str, quarter: str, qpv_list: str = "2024") -> dict:
    """``auto``: the nearest departments; ``options``: every department with a full profile but ``dep``;
    ``error``: why no peer can be computed (a missing indicator), else None."""
    def compute() -> dict:
        from lib.core.errors import DataError
        from lib.indicators import compare

        table = compare_table(ds, quarter, qpv_list)
        options = [c for c in compare.profile(table).index if c != dep]
        try:
            auto = list(compare.peers(table, dep)["code"])
        except DataError as err:
            return {"auto": [], "options": options, "error": str(err)}
        return {"auto": auto, "options": options, "error": None}

    return ds.memo("compare_peer_options", (dep, quarter, qpv_list), compute, entries=64)


def department_names(ds: Datasets) -> dict[str, str]:
    """Code -> name of every department of France."""
    base = compare_base(ds)
    return dict(zip(base.departements["code"], base.departements["name"]))


def _reason(row: pd.Series, dep_row: pd.Series) -> str:
    """Why a peer is near: the two profile variables it is closest on, with both values."""
    from lib.indicators import compare

    def shown(column: str, values: pd.Series) -> str:
        if column == "log_density":
            return compare_value("density", 10 ** values[column])
        return compare_value(column, values[column])

    parts = [f"{PROFILE_LABELS[c]} ({shown(c, row)} contre {shown(c, dep_row)})" for c in compare.closest_variables(row)]
    return "proche par " + " et ".join(parts)


def compare_department(ds: Datasets, dep: str, quarter: str, qpv_list: str, peer_codes: tuple[str, ...]) -> dict[str, Any]:
    """Everything the department part of the page draws: cards, the side-by-side table, the peers with
    their reasons, the gaps to the peers' median with alerts (figures, tables and CSV frames)."""
    from lib.core.errors import DataError
    from lib.indicators import compare
    from lib.render.tables import Table

    region = ds.region
    table = compare_table(ds, quarter, qpv_list)
    deps = table[table["level"].eq("departement")].set_index("code")
    dep_row = deps.loc[dep]
    try:
        peers = compare.peers(table, dep, chosen=list(peer_codes))
        dep_profile = compare.profile(table).loc[dep]
        peers["pourquoi"] = [_reason(row, dep_profile) for _, row in peers.iterrows()]
        error = None
    except DataError as err:
        peers, error = pd.DataFrame(columns=["code", "name", "region", "distance", "nearest", "pourquoi"]), str(err)
    base = compare_base(ds, qpv_list)
    region_names = dict(zip(base.regions["code"], base.regions["name"]))
    peers["region_name"] = peers["region"].map(region_names)
    gaps = compare.peer_gaps(table, dep, list(peers["code"]))
    ranks = {c: compare.rank(table, dep, c) for c in (*compare.INDICATORS, "density", "population")}

    # cards: the value, its rank and its gap to the peers' median
    cards = []
    for column in ("unemployment_rate", "qpv_share", "frr_share", "zrr_share"):
        gap = gaps.set_index("indicator").loc[column]
        place = ranks[column]
        rank_label = (f"{place[0]}{'er' if place[0] == 1 else 'e'} sur {place[1]} départements"
                      if place else "rang non disponible")
        gap_text = ("écart à la médiane des pairs : " + (compare_value("unemployment_change_1y", gap["gap"])
                    if column == "unemployment_rate" else compare_value("unemployment_change_1y", gap["gap"] * 100))
                    if pd.notna(gap["gap"]) else "pas de pair")
        cards.append({"label": COMPARE_LABELS[column], "value": compare_value(column, dep_row[column]),
                      "rank": rank_label, "gap": gap_text, "alert": bool(gap["alert"])})

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
    side_shown = Table(side, {c: COMPARE_FORMATS[c] for c in columns}, labels, short)

    peer_table = peers.assign(label=peers["code"] + " – " + peers["name"],
                              choix=peers["nearest"].map({True: "parmi les plus proches", False: "ajouté"}))
    peer_cols = {"label": "Département", "region_name": "Région", "distance": "Distance", "choix": "Choix",
                 "pourquoi": "Pourquoi ce pair"}
    peers_shown = Table(peer_table[list(peer_cols)], {"distance": "num2"}, peer_cols)

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


def compare_map(ds: Datasets, level: str, indicator: str, quarter: str, qpv_list: str, dep: str,
                peer_codes: tuple[str, ...]) -> dict[str, Any]:
    """France map by department or region coloured by ``indicator`` (the user's region outlined in
    black; at department level, the department and its peers in blue), and the table beside it."""
    from lib.datasets import geometry
    from lib.indicators import compare
    from lib.render import maps
    from lib.render.tables import Table

    region = ds.region
    table = compare_table(ds, quarter, qpv_list)
    rows = table[table["level"].eq(level)].copy()
    factor = 100 if indicator.endswith("_share") else 1
    rows["value"] = rows[indicator] * factor
    rows["value_txt"] = [compare_value(indicator, v) for v in rows[indicator]]
    # a region's code is no department's (84 is Auvergne-Rhône-Alpes and Vaucluse): the level is named
    rows["label"] = ("Région " if level == "region" else "") + rows["code"] + " – " + rows["name"]
    contours = _france_contours(ds, level)
    bounds = maps.bounds_of(contours)
    bounds[0][1] -= 0.6  # room west of the overseas insets
    bounds[1][1] += 3.0  # and east of Corsica: the legend (bottom right) would cover it
    shapes = contours[["code", "geometry"]].merge(rows[["code", "label", "value", "value_txt"]], on="code")
    unit = {"density": "hab./km²", "unemployment_change_1y": "points"}.get(indicator, "%")
    classes = _quantile_classes(rows["value"], unit, 0 if indicator == "density" else 1)
    fmap = maps.choropleth(geometry.to_geojson(shapes, ["label", "value", "value_txt"], decimals=3),
                           bounds, "value", classes, COMPARE_LABELS[indicator],
                           ["label", "value_txt"], ["Territoire", COMPARE_LABELS[indicator]])
    own = _france_contours(ds, "region")
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
    shown = Table(ranked[shown_cols], {"rang": "int", indicator: COMPARE_FORMATS[indicator]}, labels)
    csv = ranked[compare.COLUMNS + compare.EXTRA_COLUMNS].assign(quarter=quarter, qpv_list=qpv_list)
    return {"map": maps.MapView(fmap, f"compare_map_{level}", 560, []), "table": shown, "csv": csv,
            "available": int(rows[indicator].notna().sum()), "rows": len(rows)}


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


def compare_series(ds: Datasets, dep: str, peer_codes: tuple[str, ...], start: str,
                   source_line: str) -> tuple[pd.DataFrame, object]:
    """Unemployment series of the department and its peers, side by side on one chart (``None`` without series)."""
    from lib.indicators import unemployment as unemp
    from lib.render.charts import unemployment_lines

    tidy = _compare_tidy(ds)
    chosen = tidy[tidy["level"].eq("departement") & tidy["code"].isin([dep, *peer_codes]) & tidy["quarter"].ge(start)]
    if chosen.empty:
        return chosen, None
    names = department_names(ds)
    chosen = chosen.assign(serie=[f"{c} – {names.get(c, c)}" + ("" if c == dep else " (pair)") for c in chosen["code"]],
                           date=pd.PeriodIndex(chosen["quarter"].str.replace("-T", "Q"), freq="Q").to_timestamp())
    series = chosen[["serie", "level", "quarter", "date", "rate"]].reset_index(drop=True)
    last = unemp.quarters(tidy)[-1]
    title = f"Taux de chômage, département et pairs, {unemp.quarter_label(start)} – {unemp.quarter_label(last)}"
    return series, unemployment_lines(series, title, source_line)


def rank_text(rank: object, count: object) -> str:
    """« 25e sur 100 départements » (« 1er » for the first); « rang non disponible » without a value."""
    if rank is None or pd.isna(rank):
        return "rang non disponible"
    return f"{int(rank)}{'er' if int(rank) == 1 else 'e'} sur {int(count)} départements"


def compare_summary(ds: Datasets, dep: str, quarter: str, qpv_list: str = "2024") -> dict:
    """The comparison the department sheet gives (page and PDF): per national indicator the value, the
    rank in France and the gap to the median of the department's nearest peers, the peers named.
    ``quarter`` falls back to the latest of the workbook in use when it has no such quarter."""
    from lib.indicators import compare

    quarters = compare_quarters(ds)
    quarter = quarter if quarter in quarters else quarters[-1]
    table = compare_table(ds, quarter, qpv_list)
    options = compare_peer_options(ds, dep, quarter, qpv_list)
    peer_codes = options["auto"]
    base = compare_base(ds, qpv_list)
    names = dict(zip(base.departements["code"], base.departements["name"]))
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


def compare_pathways(ds: Datasets, dep: str) -> dict:
    """The department's pathway rates beside its region's, from the records in use (one observation
    date, all years of entry): a table of French texts (status honoured), the CSV frame, whether the
    records are demonstration data, the observation date and the years covered."""
    from lib.core.fmt import fr_int, fr_points
    from lib.indicators import compare
    from lib.indicators import pathways as pw
    from lib.indicators.sheet import access_unavailable

    region = ds.region
    records, report, denominators, _, demo = ds.records()
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


# --- the France map as an image (PNG) ----------------------------------------------------------------

def compare_map_png(ds: Datasets, level: str, indicator: str, quarter: str, qpv_list: str, dep: str,
                    peer_codes: tuple[str, ...]) -> bytes:
    """The France map of :func:`compare_map` as a PNG: same quintile classes, the region outlined in black,
    at department level the department and its peers in blue; title, legend with the unit, sources, date."""
    from datetime import date

    def draw() -> bytes:
        from lib.indicators import unemployment as unemp
        from lib.indicators.coverage import QPV_LISTS
        from lib.render import export, maps
        from lib.views.chomage import map_footer

        table = compare_table(ds, quarter, qpv_list)
        rows = table[table["level"].eq(level)].set_index("code")
        values = rows[indicator] * (100 if indicator.endswith("_share") else 1)
        unit = {"density": "hab./km²", "unemployment_change_1y": "points"}.get(indicator, "%")
        classes = _quantile_classes(values, unit, 0 if indicator == "density" else 1)
        legend = [(c, f"{label} {unit}") for c, label in zip(classes.colors, classes.labels)]
        if values.isna().any():
            legend.append((maps.NO_DATA, "non disponible"))
        own = _france_contours(ds, "region")
        outlines = [(own[own["code"].eq(ds.region.code)], "#000", 2.0, f"région {ds.region.name}")]
        if level == "departement":
            contours = _france_contours(ds, level)
            outlines.append((contours[contours["code"].isin([dep, *peer_codes])], PEER_COLOR, 1.6,
                             f"{ds.region.dep_label(dep)} et ses pairs"))
        where = "département" if level == "departement" else "région"
        catalog, qpv = ds.catalog(), QPV_LISTS[qpv_list]
        sources = [f"{ds.source_line('unemployment')} Fichier « {ds.file_in_use('unemployment').name} »."]
        sources += [catalog[key].caption for key in (qpv.dataset, "frr_2025_dgcl", "zrr_2017_2021_anct", "geo")
                    if key in catalog]
        return export.annotated_map_png(
            _france_contours(ds, level), values.map(classes.color), legend,
            title=f"{COMPARE_LABELS[indicator]} par {where}, France",
            subtitle=f"Chômage au {unemp.quarter_label(quarter)} ; QPV : {qpv.short} ; classes : quintiles (autant de "
                     "territoires dans chacune) ; outre-mer en médaillon à l'ouest (échelle non respectée).",
            legend_title=f"{COMPARE_LABELS[indicator]} ({unit})", outlines=outlines, source=map_footer(*sources))

    return ds.memo("compare_map_png", (level, indicator, quarter, qpv_list, dep if level == "departement" else "",
                                       peer_codes if level == "departement" else (), date.today()), draw, entries=8,
                   announce="Dessin de la carte…")
