"""Chômage localisé: the Insee workbook in use, the department map and table, the series."""
from __future__ import annotations

import copy

import pandas as pd

from lib.core.fmt import FORMATTERS
from lib.datasets.in_use import Datasets
from lib.views.common import extremes_sentence, region_unemployment


def unemployment_report(ds: Datasets):
    """The import report of the Insee workbook in use, the region's missing departments named
    (checked once per workbook, not on every run: the table covers all of France)."""
    from lib.indicators import unemployment as unemp

    tidy, report = ds.unemployment()
    report = copy.deepcopy(report)
    unemp.check_region(tidy, ds.region, report)
    return report


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
