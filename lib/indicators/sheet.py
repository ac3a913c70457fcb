"""The department sheet: the figures of one department and plain-French findings drawn from them.

Every finding carries the figures it was written from (``Finding.figures``), so the page can
show them beside the sentence and a test can check the sentence against the numbers.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from lib.core.errors import DataError
from lib.core.fmt import fr_int, fr_num, fr_pct
from lib.datasets.territory import Region
from lib.indicators import unemployment as unemp

PUBLIC_PLURALS = {"infra_bac": "personnes de niveau infra-bac", "moins_26": "moins de 26 ans",
                  "qpv": "résidents des quartiers prioritaires", "zrr_frr": "résidents de ZRR/FRR",
                  "rqth": "personnes handicapées (RQTH)", "rsa": "allocataires du RSA", "parent_isole": "parents isolés"}


def access_unavailable(dep: str, denominators: pd.DataFrame | None) -> str:
    """Why a department with entries has no access rate (French, for « non disponible »)."""
    if denominators is None or denominators.empty:
        return "aucun fichier de dénominateurs en usage"
    if dep not in set(denominators["dep"].astype(str)):
        return "les dénominateurs en usage ne couvrent pas ce département"
    return "aucune année commune aux entrées et aux dénominateurs pour ce département (ou public « ensemble » absent)"


@dataclass(frozen=True)
class Finding:
    text: str
    figures: dict[str, float | str]
    demo: bool = False


@dataclass
class SheetFigures:
    """What the sheet shows for one department (fractions 0–1 for shares, % for unemployment)."""

    dep: str
    quarter: str
    unemployment: float | None
    unemployment_change: float | None
    reference_rate: float | None
    reference_label: str            # "la région" or "la médiane des départements de la région"
    qpv_share: float
    region_qpv_share: float
    frr_share: float
    region_frr_share: float
    white_population: int
    white_share: float
    threshold_km: float
    offer_period: str = ""          # which sessions the white zones count (« en cours ou à venir à partir de 12/2026 »)
    rates: pd.DataFrame = field(default_factory=pd.DataFrame)  # public, indicator, rate, ci_low, ci_high, status
    offer_is_demo: bool = True
    records_are_demo: bool = True
    qpv_list: str = "liste 2024"    # which QPV list the shares are on
    rates_scope: str = ""           # which entries and observation date the rates rest on (« entrées 2019-2022, … »)
    unemployment_missing: str = ""  # why the department has no rate (French), empty when it has one


def rates_scope(years: list[int], observed_on=None) -> str:
    """The entries a department's rates pool and the date their outcomes were observed on, in words:
    « entrées 2019-2022, situation observée au 31/03/2023 » (the sheet pools every year of entry)."""
    span = "" if not years else (f"entrées {years[0]}" if years[0] == years[-1] else f"entrées {years[0]}-{years[-1]}")
    observed = f"situation observée au {observed_on:%d/%m/%Y}" if observed_on is not None else ""
    return ", ".join(part for part in (span, observed) if part)


def unemployment_reference(tidy: pd.DataFrame, region: Region, quarter: str) -> tuple[float | None, str]:
    """The region's rate when the file has it, else the median of the region's departments (said so)."""
    rate = unemp.region_rate(tidy, region, quarter)
    if rate is not None:
        return rate, "celui de la région"
    table = unemp.department_table(tidy, region, quarter)
    if table["taux"].notna().any():
        return float(table["taux"].median()), "la médiane des départements de la région"
    return None, ""


def build_figures(region: Region, dep: str, tidy: pd.DataFrame, coverage: pd.DataFrame, white: pd.DataFrame,
                  rates: pd.DataFrame, threshold_km: float, offer_is_demo: bool, records_are_demo: bool,
                  qpv_list: str = "liste 2024", offer_period: str = "", rates_scope: str = "",
                  latest: str | None = None) -> SheetFigures:
    """``tidy``: the region's rows of the workbook in use; ``latest``: its latest quarter of any level,
    used when the region has none (a workbook of one « Région » sheet for other regions)."""
    quarters = unemp.quarters(tidy)
    quarter = quarters[-1] if quarters else latest
    if quarter is None:
        raise DataError("Le fichier Insee en usage ne contient aucun taux de chômage : la fiche ne peut pas être "
                        "établie ; importez le fichier Insee « Taux de chômage localisés » sur la page Données.")
    table = unemp.department_table(tidy, region, quarter).set_index("code")
    reference, label = unemployment_reference(tidy, region, quarter)
    cov = coverage.set_index("dep")
    dep_cov, total = cov.loc[dep], cov.loc["TOTAL"]
    white_row = white.set_index("dep").loc[dep]
    return SheetFigures(
        dep=dep, quarter=quarter,
        unemployment=_float(table.loc[dep, "taux"]), unemployment_change=_float(table.loc[dep, "evolution_1an"]),
        reference_rate=reference, reference_label=label,
        qpv_share=float(dep_cov["qpv_share"]), region_qpv_share=float(total["qpv_share"]),
        frr_share=float(dep_cov["frr_population"] / dep_cov["population"]),
        region_frr_share=float(total["frr_population"] / total["population"]),
        white_population=int(white_row["white_population"]), white_share=float(white_row["white_share"]),
        threshold_km=threshold_km, offer_period=offer_period, rates=rates, offer_is_demo=offer_is_demo,
        records_are_demo=records_are_demo,
        qpv_list=qpv_list, rates_scope=rates_scope,
        unemployment_missing=unemployment_missing(tidy, region, dep, quarter),
    )


def unemployment_missing(tidy: pd.DataFrame, region: Region, dep: str, quarter: str) -> str:
    """Why ``dep`` has no rate at ``quarter`` in the workbook in use (French), ``""`` when it has one."""
    deps = tidy[tidy["level"].eq("departement")]
    if deps.empty:
        return "le fichier Insee en usage n'a pas de feuille « Département » (taux par département absents)"
    rows = deps[deps["code"].eq(dep)]
    if rows.empty:
        return f"{region.dep_label(dep)} est absent du fichier Insee en usage"
    if not rows["quarter"].eq(quarter).any():
        return (f"pas de valeur au {unemp.quarter_label(quarter)} pour ce département dans le fichier Insee en usage "
                "(cellule vide, secret ou valeur mise de côté)")
    return ""


def _float(value) -> float | None:
    return None if value is None or pd.isna(value) else float(value)


def _compare(value: float, reference: float, unit: str = "point") -> str:
    gap = round(value - reference, 1)
    if gap > 0:
        return f"dépasse de {fr_num(gap)} {unit}{'s' if abs(gap) >= 2 else ''}"
    if gap < 0:
        return f"est inférieur de {fr_num(-gap)} {unit}{'s' if abs(gap) >= 2 else ''} à"
    return "est égal à"


def findings(region: Region, figures: SheetFigures, max_findings: int = 5) -> list[Finding]:
    """Three to five plain-French sentences, each from the figures it quotes."""
    name = region.dep_of(figures.dep)
    out: list[Finding] = []
    if figures.unemployment is not None and figures.reference_rate is not None:
        verb = _compare(figures.unemployment, figures.reference_rate)
        sentence = (f"Le taux de chômage {name} ({fr_pct(figures.unemployment)}) {verb} "
                    f"{figures.reference_label} ({fr_pct(figures.reference_rate)}) au "
                    f"{unemp.quarter_label(figures.quarter)}.")
        out.append(Finding(sentence, {"taux": figures.unemployment, "reference": figures.reference_rate}))
    if figures.unemployment_change is not None:
        change = figures.unemployment_change
        trend = "est stable" if change == 0 else (f"a augmenté de {fr_num(change)} point{'s' if change >= 2 else ''}"
                                                  if change > 0 else f"a baissé de {fr_num(-change)} point{'s' if change <= -2 else ''}")
        out.append(Finding(f"En un an, ce taux {trend}.", {"evolution": change}))
    qpv, rqpv = figures.qpv_share * 100, figures.region_qpv_share * 100
    out.append(Finding(
        f"{fr_pct(qpv)} des habitants vivent dans un quartier prioritaire ({figures.qpv_list}), contre "
        f"{fr_pct(rqpv)} dans la région ; "
        f"{fr_pct(figures.frr_share * 100)} vivent dans une commune classée France Ruralités Revitalisation "
        f"(région : {fr_pct(figures.region_frr_share * 100)}).",
        {"qpv": qpv, "region_qpv": rqpv, "frr": figures.frr_share * 100}))
    reach = f"{fr_num(figures.threshold_km, 0)} km de toute session de formation" + (
        f" {figures.offer_period}" if figures.offer_period else "")
    out.append(Finding(
        (f"{fr_int(figures.white_population)} habitants ({fr_pct(figures.white_share * 100)}) vivent à plus de {reach}"
         if figures.white_population else f"Aucun habitant ne vit à plus de {reach}")
        + (" (offre de démonstration)." if figures.offer_is_demo else "."),
        {"white_population": figures.white_population, "white_share": figures.white_share * 100},
        demo=figures.offer_is_demo))
    gap = _largest_gap(figures.rates)
    if gap is not None:
        public, rate, overall = gap
        verb = "inférieur" if rate < overall else "supérieur"
        out.append(Finding(
            f"Le retour à l'emploi à 6 mois des {PUBLIC_PLURALS[public]} ({fr_pct(rate * 100)}) est {verb} de "
            f"{fr_num(abs(rate - overall) * 100)} points à celui de l'ensemble ({fr_pct(overall * 100)})"
            + (f" ({figures.rates_scope})" if figures.rates_scope else "")
            + (" — données de démonstration." if figures.records_are_demo else "."),
            {"rate": rate * 100, "ensemble": overall * 100}, demo=figures.records_are_demo))
    return out[:max_findings]


def _largest_gap(rates: pd.DataFrame) -> tuple[str, float, float] | None:
    """The public whose 6-month return to employment is farthest from the whole, among the gaps a
    sentence may state: a public's rate with a robust denominator (status ``ok``, not fragile) whose
    95 % interval excludes the whole's rate. A fragile 71 % on 21 exits (interval 50-86 %) beside a
    58 % whole is no finding to read out at a CREFOP."""
    if rates.empty:
        return None
    six = rates[rates["indicator"].eq("employment_6m") & rates["status"].eq("ok")]
    overall = six[six["public"].eq("ensemble")]
    if overall.empty:
        return None
    base = float(overall["rate"].iloc[0])
    others = six[six["public"].ne("ensemble")]
    if {"ci_low", "ci_high"} <= set(others.columns):
        others = others[(others["ci_low"] > base) | (others["ci_high"] < base)]
    if others.empty:
        return None
    row = others.loc[(others["rate"] - base).abs().idxmax()]
    return row["public"], float(row["rate"]), base


def unemployment_series(tidy: pd.DataFrame, region: Region, dep: str, start: str) -> pd.DataFrame:
    """The department's series and its reference (the region's, else the departments' median)."""
    series = unemp.series(tidy, region, [dep], start)
    series = series[series["level"].ne("france")]
    if not series["level"].eq("region").any():
        deps = tidy[tidy["level"].eq("departement") & tidy["code"].isin(region.dep_codes) & tidy["quarter"].ge(start)]
        median = deps.groupby("quarter", as_index=False)["rate"].median()
        median["serie"] = "Médiane des départements de la région"
        median["level"] = "region"
        median["date"] = pd.PeriodIndex(median["quarter"].str.replace("-T", "Q"), freq="Q").to_timestamp()
        series = pd.concat([series, median[series.columns]], ignore_index=True)
    return series
