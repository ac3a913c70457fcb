"""Compare territories: every department and region of France side by side, ranks and peers.

National table (:func:`national_table`), one row per department (101), per region (18) and one
row ``level=france``, ``code=FR`` (France hors Mayotte, Insee's field for localised unemployment):

=======================  =================================================================
column                   meaning
=======================  =================================================================
level                    ``departement`` | ``region`` | ``france``
code, name, region       Insee codes as strings (``2A``, ``971``); ``region`` of a region is its code
population               legal population millésime 2023 (COG 2026 file)
unemployment_rate        Insee localised rate of the quarter, % (empty where the workbook has none:
                         Mayotte; regions and France unless the workbook has a « Région » sheet or
                         France rows — never an average of departments)
unemployment_change_1y   rate minus the rate four quarters before, points
qpv_count, qpv_population  quarters of the chosen list whose code is in the territory; population
                         of each quarter counted once (2024: RP 2020; 2015: RP 2018)
qpv_share                qpv_population / population (0–1)
frr_population, _share   population of the communes with any FRR class (0–1)
zrr_population, _share   population of the communes classified ZRR, fully or partly (0–1)
=======================  =================================================================

The France row sums the departments except Mayotte (976), like Insee's « France hors Mayotte ».
:func:`national_table` also returns ``area_km2`` and ``density`` (inhabitants per km², areas from
``geo/france_departements.parquet``) used by the peer profile.

Peers (:func:`peers`): the k departments nearest to a department on a **standardised profile** of
four variables — unemployment rate, QPV share, FRR share and log10 of the population density —,
each centred on the mean of the departments and divided by their standard deviation (ddof 0), so a
gap of 1 on any variable weighs the same; distance = Euclidean distance on the four standardised
values, ties broken by code. A department lacking one variable (Mayotte: no unemployment rate) is
out of the pool.

Gap to peers (:func:`peer_gaps`): value minus the median of the peers. Alert when the gap is
**large** (|gap| ≥ ``ALERT_SD`` national standard deviations of the departments) and **robust**
(at least ``MIN_PEERS`` peers have a value and the department lies outside their range: above every
peer or below every peer).

Summary (:func:`summary`): per indicator the value, the rank among the departments and the gap to
the peers' median — what the department sheet (page and PDF) says of the comparison.

Pathway rates (:func:`pathway_rates`): the department's rates beside its region's, from the same
records (one observation date), by :func:`lib.indicators.pathways.rates_by`: statuses (fragile,
suppressed, unknown, incoherent) kept as the rates module sets them.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.core.config import GEO
from lib.core.errors import DataError
from lib.indicators.unemployment import quarters as tidy_quarters
from lib.indicators.unemployment import shift_quarter

COLUMNS = ["level", "code", "name", "region", "population", "unemployment_rate", "unemployment_change_1y",
           "qpv_count", "qpv_population", "qpv_share", "frr_population", "frr_share", "zrr_population", "zrr_share"]
EXTRA_COLUMNS = ["area_km2", "density"]
FRANCE_CODE = "FR"
FRANCE_NAME = "France hors Mayotte"
OUTSIDE_FRANCE_ROW = ("976",)  # Insee's localised rates cover France hors Mayotte: the France row does too
ZRR_CLASSED = ("C", "P")
FRR_CLASSED = ("socle", "plus", "beneficiaire", "beneficiaire_partiel", "partiel")
PROFILE = ("unemployment_rate", "qpv_share", "frr_share", "log_density")
DEFAULT_PEERS = 5
ALERT_SD = 1.0
MIN_PEERS = 3
# Indicators ranked and compared with the peers (rank 1 = the highest value). Population and density
# are shown beside them, not alerted on: their spread is that of Paris against the Lozère.
# What a reader is told is missing when no peer can be computed (French words, never a column's code).
MISSING_LABELS = {"unemployment_rate": "taux de chômage (aucune valeur pour ce département à ce trimestre dans le "
                                       "fichier Insee en usage)",
                  "qpv_share": "part de la population en QPV", "frr_share": "part de la population en FRR",
                  "log_density": "densité"}
INDICATORS = ("unemployment_rate", "unemployment_change_1y", "qpv_share", "frr_share", "zrr_share")
GEO_FILES = {"departement": GEO / "france_departements.parquet", "region": GEO / "france_regions.parquet"}


# ---------------------------------------------------------------------------------------------
# National base: populations, zonings and QPV per department (independent of the quarter)

def carry_zones(zoning: pd.DataFrame, communes: pd.DataFrame, partial: str, mapping: dict[str, str],
                restored: pd.DataFrame) -> pd.Series:
    """The class of every current commune (index of ``communes``), by the rule of
    :func:`lib.sources.cog_mapping.carry_over` (direct, merged: common class or ``partial``, code changed,
    restored commune: the class of the commune it was part of), vectorised for all of France
    (``carry_over`` also builds a per-department conservation report, 35 s for France)."""
    current = set(communes["code"])
    target = zoning["code"].where(zoning["code"].isin(current), zoning["code"].map(mapping))
    source = zoning.assign(target=target)
    source = source[source["target"].isin(current)]
    grouped = source.groupby("target")["zone"]
    zone = grouped.first().where(grouped.nunique().eq(1), partial)
    by_code = dict(zip(zoning["code"], zoning["zone"]))
    missing = set(communes["code"]) - set(zone.index)
    extra = {row.code: by_code[row.from_code] for row in restored.itertuples()
             if row.code in missing and row.from_code in by_code}
    zone = pd.concat([zone, pd.Series(extra, dtype=object)])
    return communes["code"].map(zone)


@dataclass(frozen=True)
class Base:
    """What the national table needs besides unemployment: one row per department."""

    departements: pd.DataFrame  # code, name, region, population, qpv_count, qpv_population, frr_population, zrr_population, area_km2
    regions: pd.DataFrame       # code, name, area_km2
    qpv_list: str


def departement_base(communes: pd.DataFrame, qpv_quarters: pd.DataFrame, departements: pd.DataFrame,
                     areas: pd.DataFrame) -> pd.DataFrame:
    """Per department: population, FRR and ZRR populations (``communes`` carries ``zrr`` and ``frr``
    classes), QPV count and population (``qpv_quarters``: ``code, dep, population``, one row per
    quarter), area."""
    population = communes["population"].fillna(0).astype("int64")
    per_dep = communes.assign(
        population=population,
        frr_population=population.where(communes["frr"].isin(FRR_CLASSED), 0),
        zrr_population=population.where(communes["zrr"].isin(ZRR_CLASSED), 0),
    ).groupby("dep")[["population", "frr_population", "zrr_population"]].sum()
    qpv = qpv_quarters.groupby("dep").agg(qpv_count=("code", "size"), qpv_population=("population", "sum"))
    out = departements[["code", "name", "region"]].set_index("code").join(per_dep).join(qpv)
    out = out.fillna({"qpv_count": 0, "qpv_population": 0, "population": 0, "frr_population": 0, "zrr_population": 0})
    ints = ["population", "qpv_count", "qpv_population", "frr_population", "zrr_population"]
    out[ints] = out[ints].astype("int64")
    out = out.join(areas.set_index("code")["area_km2"])
    return out.reset_index()


def read_areas(level: str = "departement") -> pd.DataFrame:
    """``code, area_km2`` of every department (or region) of France, from the bundled contours."""
    path = GEO_FILES[level]
    if not path.exists():
        raise DataError(f"Contours de la France absents ({path.name}). Lancez : python -m scripts.build_geo_france")
    return pd.read_parquet(path, columns=["code", "area_km2"])


def build_base(qpv_list_key: str = "2024") -> Base:
    """Read the bundled national files: COG 2026 communes and populations, ZRR and FRR lists (carried
    to COG 2026), the chosen QPV list, the contours' areas."""
    from lib.indicators.coverage import qpv_list
    from lib.sources import cog, qpv, qpv2024, zonages
    from lib.sources.cog_mapping import former_to_current, restored

    chosen = qpv_list(qpv_list_key)
    regions = cog.read_regions()
    regions = regions[regions["code"].str.len().eq(2)].reset_index(drop=True)  # the 18 regions
    departements = cog.read_departements()
    departements = departements[departements["region"].isin(regions["code"])].reset_index(drop=True)
    communes = cog.read_communes()
    communes = communes[communes["dep"].isin(departements["code"])].reset_index(drop=True)
    mapping, restored_table = former_to_current(), restored()
    zrr, _ = zonages.read_zrr()
    frr, _ = zonages.read_frr()
    communes = communes.assign(zrr=carry_zones(zrr, communes, "P", mapping, restored_table),
                               frr=carry_zones(frr, communes, "partiel", mapping, restored_table))
    if chosen.key == "2024":
        rows, _ = qpv2024.read_table()
        quarters = qpv2024.quarters(rows)[["code", "dep", "population"]]
    else:
        demo = qpv.read_vintage("DEMO", qpv.available_vintages("DEMO")[-1])
        quarters = demo[["code", "dep"]].assign(population=demo["POP_MUN"])
    base = departement_base(communes, quarters, departements, read_areas("departement"))
    return Base(base, regions.merge(read_areas("region"), on="code", how="left"), chosen.key)


# ---------------------------------------------------------------------------------------------
# The national table for one quarter

def check_quarter(tidy: pd.DataFrame, quarter: str | None) -> str:
    """The quarter asked (``YYYY-Tn``), else the latest of the workbook; a French error if absent."""
    available = tidy_quarters(tidy)
    if not available:
        raise DataError("Le fichier des taux de chômage ne contient aucun trimestre.")
    if quarter is None:
        return available[-1]
    text = str(quarter).strip().upper()
    if not (len(text) == 7 and text[:4].isdigit() and text[4:6] == "-T" and text[6] in "1234"):
        raise DataError(f"Trimestre attendu au format AAAA-Tn (ex. 2025-T3), pas « {quarter} ».")
    if text not in available:
        raise DataError(f"Trimestre {text} absent du fichier des taux de chômage (de {available[0]} à {available[-1]}).")
    return text


def unemployment_at(tidy: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """``level, code, unemployment_rate, unemployment_change_1y`` of every row the workbook has."""
    now = tidy[tidy["quarter"].eq(quarter)].set_index(["level", "code"])["rate"]
    before = tidy[tidy["quarter"].eq(shift_quarter(quarter, 4))].set_index(["level", "code"])["rate"]
    out = pd.DataFrame({"unemployment_rate": now})
    out["unemployment_change_1y"] = (now - before.reindex(now.index)).round(1)
    return out.reset_index()


def national_table(base: Base, tidy: pd.DataFrame, quarter: str) -> pd.DataFrame:
    """Departments, then regions, then France (``COLUMNS`` + ``EXTRA_COLUMNS``)."""
    deps = base.departements.assign(level="departement")
    sums = ["population", "qpv_count", "qpv_population", "frr_population", "zrr_population", "area_km2"]
    regions = deps.groupby("region")[sums].sum(min_count=1).drop(columns="area_km2")
    regions = base.regions.set_index("code").join(regions).reset_index()
    regions = regions.assign(level="region", region=regions["code"])
    metro_and_dom = deps[~deps["code"].isin(OUTSIDE_FRANCE_ROW)]
    france = pd.DataFrame([{"level": "france", "code": FRANCE_CODE, "name": FRANCE_NAME, "region": "",
                            **metro_and_dom[sums].sum()}])
    table = pd.concat([deps, regions, france], ignore_index=True)
    rates = unemployment_at(tidy, quarter)
    table = table.merge(rates, on=["level", "code"], how="left")
    for zoning in ("qpv", "frr", "zrr"):
        table[f"{zoning}_share"] = table[f"{zoning}_population"] / table["population"].where(table["population"].gt(0))
    table["density"] = table["population"] / table["area_km2"]
    ints = ["population", "qpv_count", "qpv_population", "frr_population", "zrr_population"]
    table[ints] = table[ints].astype("int64")
    return table[COLUMNS + EXTRA_COLUMNS]


def level_rows(table: pd.DataFrame, level: str) -> pd.DataFrame:
    """The CLI's table: the rows of ``level`` (``departement`` or ``region``), then the France row."""
    if level not in ("departement", "region"):
        raise DataError(f"Niveau inconnu : « {level} » (possibles : departement, region).")
    return pd.concat([table[table["level"].eq(level)], table[table["level"].eq("france")]], ignore_index=True)


# ---------------------------------------------------------------------------------------------
# Rank, peers, gaps

def rank(table: pd.DataFrame, code: str, column: str, level: str = "departement") -> tuple[int, int] | None:
    """``(rank, count)``: rank 1 = the highest value among the rows of ``level`` that have one (ties
    share the better rank); ``None`` when the territory has no value."""
    rows = table[table["level"].eq(level) & table[column].notna()]
    values = rows.set_index("code")[column]
    if code not in values.index:
        return None
    return int((values > values[code]).sum()) + 1, len(values)


def profile(table: pd.DataFrame) -> pd.DataFrame:
    """The departments with every profile variable: raw values and standardised ones (``z_`` columns)."""
    deps = table[table["level"].eq("departement")].set_index("code")
    frame = deps[["name", "region", "unemployment_rate", "qpv_share", "frr_share"]].copy()
    frame["log_density"] = np.log10(deps["density"].where(deps["density"].gt(0)))
    frame = frame.dropna(subset=list(PROFILE))
    for column in PROFILE:
        std = frame[column].std(ddof=0)
        frame[f"z_{column}"] = (frame[column] - frame[column].mean()) / (std if std > 0 else 1.0)
    return frame


def peers(table: pd.DataFrame, code: str, k: int = DEFAULT_PEERS, chosen: list[str] | None = None) -> pd.DataFrame:
    """The ``k`` nearest departments to ``code`` (or the ``chosen`` ones), nearest first: ``code, name,
    region, distance, nearest`` (among the k nearest) and, per profile variable, the peer's value and
    its standardised gap to the department (``gap_<var>``, in standard deviations)."""
    frame = profile(table)
    if code not in frame.index:
        missing = [MISSING_LABELS[c] for c in PROFILE if c != "log_density"
                   and pd.isna(table.loc[table["level"].eq("departement") & table["code"].eq(code), c]).all()]
        raise DataError(f"Département {code} : pairs non calculables, indicateur(s) non disponible(s) : "
                        f"{' ; '.join(missing) or MISSING_LABELS['log_density']}.")
    z = frame[[f"z_{c}" for c in PROFILE]]
    distance = np.sqrt(((z - z.loc[code]) ** 2).sum(axis=1))
    ordered = pd.DataFrame({"distance": distance}).drop(index=code)
    ordered = ordered.reset_index().sort_values(["distance", "code"], kind="stable")
    nearest = list(ordered["code"].head(k))
    wanted = nearest if chosen is None else [c for c in chosen if c in set(ordered["code"])]
    out = ordered[ordered["code"].isin(wanted)].copy()
    out["nearest"] = out["code"].isin(nearest)
    out = out.join(frame[["name", "region", *PROFILE]], on="code")
    for column in PROFILE:
        out[f"gap_{column}"] = (frame.loc[out["code"], f"z_{column}"].to_numpy() - z.loc[code, f"z_{column}"])
    return out.reset_index(drop=True)


def closest_variables(peer_row: pd.Series, n: int = 2) -> list[str]:
    """The profile variables on which a peer is closest to the department (smallest |gap|)."""
    gaps = {column: abs(peer_row[f"gap_{column}"]) for column in PROFILE}
    return sorted(gaps, key=lambda c: (gaps[c], PROFILE.index(c)))[:n]


def peer_gaps(table: pd.DataFrame, code: str, peer_codes: list[str], columns: tuple[str, ...] = INDICATORS) -> pd.DataFrame:
    """Per indicator: the department's value, the peers' median, min and max, the gap (value − median),
    the national standard deviation of the departments, and ``large``, ``robust``, ``alert``."""
    deps = table[table["level"].eq("departement")].set_index("code")
    rows = []
    for column in columns:
        value = deps.at[code, column] if code in deps.index else math.nan
        among = deps.loc[[c for c in peer_codes if c in deps.index], column].dropna()
        sd = deps[column].std(ddof=0)
        median = among.median() if len(among) else math.nan
        gap = value - median if pd.notna(value) and len(among) else math.nan
        large = bool(pd.notna(gap) and sd > 0 and abs(gap) >= ALERT_SD * sd)
        robust = bool(len(among) >= MIN_PEERS and pd.notna(value) and (value > among.max() or value < among.min()))
        rows.append({"indicator": column, "value": value, "peer_median": median, "peer_min": among.min() if len(among) else math.nan,
                     "peer_max": among.max() if len(among) else math.nan, "peers": len(among), "gap": gap,
                     "gap_sd": gap / sd if pd.notna(gap) and sd > 0 else math.nan, "national_sd": sd,
                     "large": large, "robust": robust, "alert": large and robust})
    return pd.DataFrame(rows)


def summary(table: pd.DataFrame, code: str, peer_codes: list[str], columns: tuple[str, ...] = INDICATORS) -> pd.DataFrame:
    """Per indicator: ``indicator, value, rank, count`` (``rank``/``count`` empty when the department
    has no value) and the peers' ``peer_median``, ``gap``, ``alert`` of :func:`peer_gaps`."""
    gaps = peer_gaps(table, code, peer_codes, columns)
    places = [rank(table, code, column) for column in columns]
    gaps["rank"] = pd.array([p[0] if p else None for p in places], dtype="Int64")
    gaps["count"] = pd.array([p[1] if p else None for p in places], dtype="Int64")
    return gaps[["indicator", "value", "rank", "count", "peer_median", "peers", "gap", "alert"]]


def pathway_rates(records: pd.DataFrame, denominators: pd.DataFrame | None, dep: str,
                  region_deps: list[str] | tuple[str, ...]) -> pd.DataFrame:
    """The department's pathway rates and the region's (all its departments), all years of entry of
    the records: ``scope`` (``departement`` | ``region``), then the columns of
    :func:`lib.indicators.rates.compute_rates` (``indicator, numerator, denominator, rate, ci_low,
    ci_high, status``) for the public « ensemble ». Access only with denominators, on the (year,
    department) pairs both files cover. A scope without any entry has no row."""
    from lib.indicators import pathways as pw

    parts = []
    for scope, deps in (("departement", (dep,)), ("region", tuple(region_deps))):
        rates = pw.rates_by(records, denominators, pw.Selection(deps=deps), [])
        if len(rates):
            parts.append(rates.assign(scope=scope))
    columns = ["scope", "indicator", "numerator", "denominator", "rate", "ci_low", "ci_high", "status"]
    if not parts:
        return pd.DataFrame(columns=columns)
    return pd.concat(parts, ignore_index=True)[columns]
