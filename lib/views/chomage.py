"""Chômage localisé: the Insee workbook in use, the department map and table, the series."""
from __future__ import annotations

import copy

import pandas as pd

from lib.core.fmt import FORMATTERS
from lib.datasets.in_use import Datasets
from lib.views.common import extremes_sentence, region_unemployment


def unemployment_report(ds: Datasets):
    """The import report of the Insee workbook in use, the region's missing departments and series named
    (checked once per workbook, not on every run: the table covers all of France)."""
    tidy, report = ds.unemployment()
    report = copy.deepcopy(report)
    say_region_gaps(tidy, ds.region, report)
    return report


def say_region_gaps(tidy: pd.DataFrame, region, report) -> None:
    """Into ``report``: the region's departments the workbook lacks, and its missing regional or national
    series (a warning when a « Région » sheet lacks the region's row, a note without « Région » sheet)."""
    from lib.indicators import unemployment as unemp

    unemp.check_region(tidy, region, report)
    note = series_note(tidy, region, report.meta)
    if note and "region" in report.meta.get("levels", ()):
        report.warn(note)  # a « Région » sheet without the region's row: what the reader must not miss
    elif note:
        report.notes.append(note)


NOTE_COLUMN = "remarque"  # the CSV's column carrying what a reader needs to not misread it (as ``donnees``)


def series_note(tidy: pd.DataFrame, region, meta: dict) -> str:
    """The sentence saying which of the region's and France's series the workbook in use cannot give,
    and why (no « Région » sheet, no row for the region, former regions' codes only); ``""`` when both are there."""
    has_region = bool((tidy["level"].eq("region") & tidy["code"].eq(region.code)).any())
    has_france = bool((tidy["level"].eq("france") & tidy["code"].eq("FM")).any())
    if has_region and has_france:
        return ""
    name = f"{region.name} ({region.code})"
    if "region" not in meta.get("levels", ("region",)) and not has_region and not has_france:
        return (f"Le fichier Insee en usage n'a pas de feuille « Région » : les séries de la région {name} et de la "
                "France métropolitaine ne sont ni tracées ni exportées (jamais une moyenne des départements).")
    missing = [what for what, there in ((f"la région {name}", has_region), ("la France métropolitaine", has_france))
               if not there]
    what = "sa série n'est ni tracée ni exportée" if len(missing) == 1 else "leurs séries ne sont ni tracées ni exportées"
    note = (f"Le fichier Insee en usage n'a pas de ligne pour {' ni pour '.join(missing)} : {what} "
            "(jamais une moyenne des départements)")
    former = meta.get("former_regions")
    if former and not has_region:
        note += (f" ; sa feuille « Région » donne d'anciennes régions (codes d'avant la réforme de 2016), mises de "
                 f"côté : {', '.join(former)}")
    return note + "."


def region_series_note(ds: Datasets) -> str:
    """:func:`series_note` for the workbook in use (page, CLI and the CSV's ``remarque`` column say the same)."""
    tidy, report = ds.unemployment()
    return series_note(tidy, ds.region, report.meta)


def with_note(table: pd.DataFrame, note: str) -> pd.DataFrame:
    """The table with a last column ``remarque`` (the note on every row, empty when nothing is missing)."""
    return table.assign(**{NOTE_COLUMN: note})


def table_with_references(ds: Datasets, table: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """The page's CSV: the departments' table, then the region and France rows the workbook has at ``quarter``
    (« France métropolitaine » and « France hors Mayotte » named, as the CLI's ``export unemployment`` gives them),
    a column ``niveau`` saying which is which."""
    from lib.indicators import unemployment as unemp

    tidy = region_unemployment(ds)
    at = tidy[tidy["quarter"].eq(quarter) & tidy["level"].isin(["region", "france"])]
    before = tidy[tidy["quarter"].eq(unemp.shift_quarter(quarter, 4))].set_index(["level", "code"])["rate"]
    names = {**unemp.FRANCES, ds.region.code: ds.region.name}
    rows = pd.DataFrame({"code": at["code"], "departement": at["code"].map(names).fillna(at["name"]),
                         "taux": at["rate"], "niveau": at["level"],
                         "evolution_1an": [round(r - before.get((lv, c), float("nan")), 1)
                                           for r, lv, c in zip(at["rate"], at["level"], at["code"])]})
    return pd.concat([table.assign(niveau="departement"), rows], ignore_index=True)


def unemployment_quarters(ds: Datasets) -> list[str]:
    from lib.indicators import unemployment as unemp

    return unemp.quarters(region_unemployment(ds))


def unemployment_table_and_map(ds: Datasets, quarter: str):
    """The department table of ``quarter`` and its choropleth (a :class:`lib.render.maps.MapView`)."""
    from lib.datasets import geometry
    from lib.indicators import unemployment as unemp
    from lib.render import maps

    table = unemp.department_table(region_unemployment(ds), ds.region, quarter)
    deps = ds.departements().merge(table, on="code")
    deps = deps.assign(taux_txt=deps["taux"].map(FORMATTERS["pct"]),
                       evol_txt=deps["evolution_1an"].map(FORMATTERS["points"]))
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
                                          table, "departement", "taux", FORMATTERS["pct"]))
    return table, maps.MapView(fmap, "unemployment_map", 470, [])


def missing_rates_note(ds: Datasets, quarter: str) -> str:
    """Which of the region's departments have no rate for ``quarter`` in the workbook in use, and why
    (the table and the map show « – » for them); ``""`` when every department has one."""
    from lib.indicators import unemployment as unemp

    tidy = region_unemployment(ds)
    table = unemp.department_table(tidy, ds.region, quarter)
    gaps = table[table["taux"].isna()]
    if gaps.empty:
        return ""
    listed = set(tidy.loc[tidy["level"].eq("departement"), "code"])
    empty = [f"{name} ({code})" for code, name in zip(gaps["code"], gaps["departement"]) if code in listed]
    absent = [f"{name} ({code})" for code, name in zip(gaps["code"], gaps["departement"]) if code not in listed]
    parts = []
    if empty:
        parts.append(f"pas de valeur au {unemp.quarter_label(quarter)} dans le fichier Insee en usage (cellule vide, "
                     f"secret ou valeur mise de côté) pour : {', '.join(empty)}")
    if absent:
        parts.append(f"absent{'s' if len(absent) > 1 else ''} du fichier Insee en usage : {', '.join(absent)}")
    return "Taux non disponible (« – ») : " + " ; ".join(parts) + "."


def unemployment_series(ds: Datasets, deps: tuple[str, ...], start: str, source_line: str) -> tuple[pd.DataFrame, object]:
    """The series (for the CSV) and its chart, ``None`` when no department is chosen."""
    from lib.indicators import unemployment as unemp
    from lib.render.charts import unemployment_lines

    tidy = region_unemployment(ds)
    series = unemp.series(tidy, ds.region, list(deps), start)
    if series.empty:
        return series, None
    last = unemp.quarters(tidy)[-1]
    title = f"Taux de chômage localisé, {unemp.quarter_label(start)} – {unemp.quarter_label(last)}"
    return series, unemployment_lines(series, title, source_line)


# --- the map as an image (PNG) ---------------------------------------------------------------------

def map_footer(*lines: str) -> str:
    """The source line printed under an exported map: its sources (« Source : » said once) and the day it was made."""
    from datetime import date

    parts = [line.removeprefix("Source : ").strip() for line in lines if line]
    return "Sources : " + " · ".join(parts) + f" Carte produite le {date.today():%d/%m/%Y} (tableau de bord PRIC)."


def unemployment_map_png(ds: Datasets, quarter: str, framed: bool = True) -> bytes:
    """The page's department map as a PNG: departments by unemployment rate (same classes as the page),
    with its title, legend (%), source, edition and quarter; ``framed=False``: the map and its legend only
    (a sheet's image, whose caption and source line are the sheet's)."""
    from datetime import date

    def draw() -> bytes:
        from lib.indicators import unemployment as unemp
        from lib.render import export, maps

        table = unemp.department_table(region_unemployment(ds), ds.region, quarter)
        classes = maps.equal_classes(table["taux"], unit="%")
        colors = table.set_index("code")["taux"].map(classes.color)
        legend = [(c, f"{label} %") for c, label in zip(classes.colors, classes.labels)]
        if table["taux"].isna().any():
            legend.append((maps.NO_DATA, "non disponible"))
        label = unemp.quarter_label(quarter)
        values = table.set_index("code")["taux"]
        return export.annotated_map_png(
            ds.departements(), colors, legend, title=f"Taux de chômage par département, {label}" if framed else "",
            subtitle=f"Région {ds.region.name} ({ds.region.code}) — taux de chômage localisés, données CVS, moyenne "
                     "trimestrielle ; classes d'amplitude égale." if framed else "",
            legend_title="Taux de chômage (%)",
            source=map_footer(f"{ds.source_line('unemployment')} Fichier « {ds.file_in_use('unemployment').name} ».",
                              ds.catalog()["geo"].caption) if framed else "",
            labels=values.index.to_series() + "\n" + values.map(FORMATTERS["pct"]))

    return ds.memo("unemployment_map_png", (quarter, framed, date.today()), draw, entries=4, announce="Dessin de la carte…")
