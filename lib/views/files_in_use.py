"""What each file in use covers (edition, period, observation date…): the cards of Données and the page Sources say the same."""
from __future__ import annotations

from lib.core.fmt import fr_int
from lib.datasets.in_use import Datasets


def month_label(month: str) -> str:
    """``2024-09`` -> ``09/2024`` (French month format)."""
    year, _, number = str(month).partition("-")
    return f"{number}/{year}" if number else str(month)


def coverage(ds: Datasets, kind: str) -> tuple[list[tuple[str, str]], object]:
    """What the dataset in use for ``kind`` covers (extraction date, edition, period…) as (label, value)
    lines, and its import report: the card of the page Données and the page Sources say the same."""
    from lib.indicators import unemployment as unemp
    from lib.views import chomage

    if kind == "unemployment":
        report = chomage.unemployment_report(ds)
        quarters = chomage.unemployment_quarters(ds)
        return [("Édition", unemp.quarter_label(quarters[-1])),
                ("Période couverte", f"{unemp.quarter_label(quarters[0])} – {unemp.quarter_label(quarters[-1])}")], report
    if kind == "offer":
        offer, report, _, _ = ds.offer()
        # From the first session's start to the last one's end: the sessions run until their end month.
        months = sorted({*offer["start_month"], *offer["end_month"]} - {""})
        period = (f"{month_label(months[0])} – {month_label(months[-1])} (premier début – dernière fin)" if months
                  else "sans dates")
        return [("Sessions × lieux", fr_int(len(offer))), ("Période des sessions", period)], report
    if kind == "objectives":
        objectives, report, source = ds.objectives()
        years = sorted(int(y) for y in objectives["year"].unique())
        return [("Source", source), ("Objectifs", fr_int(len(objectives))),
                ("Années visées", f"{years[0]} – {years[-1]}" if years else "–")], report
    records, report, denominators, den_report, _ = ds.records()
    if kind == "records":
        as_of = report.meta.get("as_of")
        years = sorted(int(y) for y in records["year"].unique())
        return [("Date d'observation (extraction)", f"{as_of:%d/%m/%Y}" if as_of is not None else "–"),
                ("Années d'entrée", f"{years[0]} – {years[-1]}")], report
    if denominators is None:
        return [("Dénominateurs", "aucun : le taux d'accès n'est pas calculé")], None
    years = sorted(int(y) for y in denominators["year"].unique())
    return [("Années", f"{years[0]} – {years[-1]}"), ("Publics", str(denominators["public"].nunique()))], den_report
