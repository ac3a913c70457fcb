"""Key figures of the region for the home page, each traced to its dataset."""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.core.fmt import fr_int, fr_pct
from lib.datasets.territory import Region
from lib.indicators import unemployment


@dataclass(frozen=True)
class KeyFigure:
    label: str
    value: str
    detail: str
    source: str  # dataset key in data/ (see lib.datasets.catalog)


def key_figures(region: Region, communes: pd.DataFrame, tidy: pd.DataFrame) -> list[KeyFigure]:
    in_region = communes[communes["dep"].isin(region.dep_codes)]
    figures = [
        KeyFigure(
            "Population",
            fr_int(in_region["population"].sum()),
            f"{fr_int(len(in_region))} communes, {len(region.dep_codes)} départements ; population légale 2023 "
            "(en vigueur en 2026)",
            "decoupage_admin_etalab",
        )
    ]
    latest = unemployment.quarters(tidy)[-1]
    table = unemployment.department_table(tidy, region, latest).dropna(subset=["taux"])
    label = unemployment.quarter_label(latest)
    region_rate = unemployment.region_rate(tidy, region, latest)
    if region_rate is not None:
        figures.append(KeyFigure("Taux de chômage régional", fr_pct(region_rate), label, "chomage_localise_insee"))
    if len(table):
        high = table.loc[table["taux"].idxmax()]
        low = table.loc[table["taux"].idxmin()]
        figures.append(
            KeyFigure("Taux de chômage le plus élevé", fr_pct(high["taux"]), f"{high['departement']} ({high['code']}), {label}",
                      "chomage_localise_insee")
        )
        figures.append(
            KeyFigure("Taux de chômage le plus bas", fr_pct(low["taux"]), f"{low['departement']} ({low['code']}), {label}",
                      "chomage_localise_insee")
        )
    return figures
