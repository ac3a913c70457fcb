"""Where each objective of the pact stands: realised value, expected value today, progress and status (issue 27).

For each objective (:mod:`lib.sources.objectives`):

- **realised**: from the records of its year (and territory, public, pathway type, axis) — a count of
  entries, or a rate with its 95 % Wilson interval computed as ``export rates`` does (same secrecy and
  unknown-field rules); ``qpv_share`` = entrants living in a QPV among those whose QPV flag is known;
  ``fill_rate`` = places filled / places opened (:mod:`lib.indicators.fill_rate`, when the files link them);
- **progress** as PILOTE computes it: ``(realised − baseline) / (target − baseline)`` bounded to 0–1
  (with a target equal to its baseline — « au moins maintenir » — 1 when reached, else 0); none without baseline;
- **expected today**: on a straight path from the baseline (end of ``baseline_year``) to the target (end of
  ``year``), at the observation date; without baseline, a count runs from 0 at the start of its year to the
  target at its end, and a rate's target holds all year (a threshold such as the national 15 % QPV);
- **status**: ``atteint`` (the target is reached, in the objective's direction), ``dans_la_trajectoire``
  (at or beyond the expected value), ``en_retard`` (behind it), ``incertain`` (behind, but the 95 % interval
  still holds the expected value: a small department is never called late on noise) or
  ``non_calculable`` with the reason (no entry that year, secrecy threshold, unknown field, no denominators…).

The direction: a target below its baseline (or an abandonment rate) is better when lower.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from lib.indicators.rates import FRAGILE_THRESHOLD, SECRECY_THRESHOLD, compute_rates, wilson

STATUSES = ["atteint", "dans_la_trajectoire", "en_retard", "incertain", "non_calculable"]
STATUS_LABELS = {"atteint": "✔ Atteint", "dans_la_trajectoire": "↗ Dans la trajectoire", "en_retard": "✖ En retard",
                 "incertain": "≈ Incertain", "non_calculable": "– Non calculable"}
LOWER_IS_BETTER = {"abandonment"}
RESULT = ["realised", "numerator", "denominator", "ci_low", "ci_high", "expected_now", "progress", "status", "reason"]


@dataclass(frozen=True)
class Realised:
    value: float | None
    numerator: float | None = None
    denominator: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    reason: str | None = None


def select(records: pd.DataFrame, objective, deps: list[str]) -> pd.DataFrame:
    """The records an objective counts: its territory (``deps``), pathway type and axis (public apart)."""
    chosen = records[records["dep"].astype(str).isin(deps)]
    if objective.pathway_type:
        chosen = chosen[chosen["pathway_type"].astype(str).eq(objective.pathway_type)]
    if objective.axis:
        chosen = chosen[chosen["axis"].astype(str).eq(objective.axis)]
    return chosen


def realised(objective, records: pd.DataFrame, denominators: pd.DataFrame | None, deps: list[str],
             offer: pd.DataFrame | None = None, secrecy: int = SECRECY_THRESHOLD) -> Realised:
    """The objective's value from the sources in use, or why there is none (``secrecy`` 0: the raw
    counts, for a decomposition that must sum; never shown as such)."""
    year = int(objective.year)
    if not records["year"].eq(year).any():
        years = ", ".join(str(int(y)) for y in sorted(records["year"].unique()))
        return Realised(None, reason=f"aucune entrée en {year} dans les entrées en usage (années : {years})")
    chosen = select(records, objective, deps)
    chosen = chosen[chosen["year"].eq(year)]
    if objective.indicator == "fill_rate":
        return _fill(offer, chosen, deps, year)
    if objective.indicator == "entries":
        return _entries(chosen, objective.public)
    if objective.indicator == "qpv_share":
        return _qpv_share(chosen, objective.public, secrecy)
    if objective.indicator == "access" and denominators is None:
        return Realised(None, reason="pas de dénominateurs (demandeurs d'emploi) en usage : le taux d'accès n'est pas "
                                     "calculé")
    if chosen.empty:
        return Realised(None, reason="aucune entrée de ce périmètre cette année-là")
    dens = None if denominators is None else denominators[denominators["dep"].isin(deps)]
    table = compute_rates(chosen, dens, by=["year", "public"], year=year, secrecy=secrecy, fragile=min(secrecy, FRAGILE_THRESHOLD))
    row = table[table["indicator"].eq(objective.indicator) & table["public"].eq(objective.public or "ensemble")]
    if row.empty:
        return Realised(None, reason="aucune entrée comptée par ce taux (aucune sortie, ou dénominateurs absents pour ce "
                                     "territoire et cette année)")
    return _from_rate_row(row.iloc[0])


def _from_rate_row(row) -> Realised:
    if row["status"] == "suppressed":
        return Realised(None, reason=f"secret statistique : moins de {SECRECY_THRESHOLD} entrées au dénominateur")
    if row["status"] == "unknown":
        return Realised(None, reason="trop de valeurs inconnues sur un champ dont dépend le taux (plus de 5 %)")
    if row["status"] == "incoherent":
        return Realised(None, reason="numérateur supérieur au dénominateur (fichiers incohérents)")
    return Realised(float(row["rate"]), float(row["numerator"]), float(row["denominator"]), float(row["ci_low"]),
                    float(row["ci_high"]))


def _members(chosen: pd.DataFrame, public: str) -> pd.DataFrame:
    if not public:
        return chosen
    from lib.indicators.rates import memberships

    return chosen[memberships(chosen)[public]]


def _entries(chosen: pd.DataFrame, public: str) -> Realised:
    count = len(_members(chosen, public))
    return Realised(float(count), float(count))


def _qpv_share(chosen: pd.DataFrame, public: str, secrecy: int) -> Realised:
    chosen = _members(chosen, public)
    known = chosen["qpv"].notna()
    numerator, denominator = int((chosen["qpv"] == 1).sum()), int(known.sum())
    if denominator == 0:
        return Realised(None, reason="aucun entrant dont la résidence en QPV est connue")
    if (~known).sum() > 0.05 * len(chosen):
        return Realised(None, reason="résidence en QPV inconnue pour plus de 5 % des entrants")
    if denominator < secrecy:
        return Realised(None, reason=f"secret statistique : moins de {secrecy} entrants")
    low, high = wilson(np.array([numerator]), np.array([denominator]))
    return Realised(numerator / denominator, numerator, denominator, float(low[0]), float(high[0]))


def _fill(offer: pd.DataFrame | None, chosen: pd.DataFrame, deps: list[str], year: int) -> Realised:
    try:
        from lib.indicators.fill_rate import fill_rate
    except ImportError:
        return Realised(None, reason="le taux de places pourvues n'est pas encore calculé par ce tableau de bord")
    if offer is None:
        return Realised(None, reason="pas d'offre de formation en usage")
    result = fill_rate(offer, chosen, deps, year)
    if result.reason or not result.denominator:
        return Realised(None, reason=result.reason or "aucune place ouverte cette année-là")
    low, high = wilson(np.array([result.numerator]), np.array([result.denominator]))
    return Realised(result.numerator / result.denominator, result.numerator, result.denominator, float(low[0]),
                    float(high[0]), reason=getattr(result, "note", "") or None)  # what a computed rate left out


def expected_now(objective, as_of: pd.Timestamp) -> float:
    """The value a straight path to the target reaches at ``as_of`` (see the module docstring)."""
    end = pd.Timestamp(year=int(objective.year), month=12, day=31)
    if pd.notna(objective.baseline):
        start, origin = pd.Timestamp(year=int(objective.baseline_year), month=12, day=31), float(objective.baseline)
    elif objective.indicator == "entries":
        start, origin = pd.Timestamp(year=int(objective.year), month=1, day=1), 0.0
    else:
        return float(objective.target)  # a threshold: the target holds all year
    share = min(max((as_of - start) / (end - start), 0.0), 1.0)
    return origin + (float(objective.target) - origin) * share


def lower_is_better(objective) -> bool:
    if pd.notna(objective.baseline) and float(objective.target) != float(objective.baseline):
        return float(objective.target) < float(objective.baseline)
    return objective.indicator in LOWER_IS_BETTER


def progress(objective, value: float) -> float | None:
    """PILOTE's progress rate, bounded to 0–1; none without a baseline."""
    if pd.isna(objective.baseline):
        return None
    span = float(objective.target) - float(objective.baseline)
    if span == 0:  # « at least keep the baseline »
        return 1.0 if reached(objective, value) else 0.0
    return min(max((value - float(objective.baseline)) / span, 0.0), 1.0)


def reached(objective, value: float) -> bool:
    sign = -1 if lower_is_better(objective) else 1
    return sign * (value - float(objective.target)) >= -1e-12


def status(objective, result: Realised, expected: float) -> str:
    if result.value is None:
        return "non_calculable"
    if reached(objective, result.value):
        return "atteint"
    sign = -1 if lower_is_better(objective) else 1
    if sign * (result.value - expected) >= -1e-12:
        return "dans_la_trajectoire"
    if result.ci_low is not None and result.ci_low <= expected <= result.ci_high:
        return "incertain"
    return "en_retard"


def evaluate(objectives: pd.DataFrame, records: pd.DataFrame, denominators: pd.DataFrame | None,
             region_code: str, dep_codes: list[str], as_of: pd.Timestamp, offer: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per objective: its columns then :data:`RESULT`."""
    rows = []
    for objective in objectives.itertuples(index=False):
        deps = list(dep_codes) if objective.scope == region_code else [objective.scope]
        result = realised(objective, records, denominators, deps, offer)
        expected = expected_now(objective, as_of)
        rows.append({
            "realised": result.value, "numerator": result.numerator, "denominator": result.denominator,
            "ci_low": result.ci_low, "ci_high": result.ci_high, "expected_now": expected,
            "progress": None if result.value is None else progress(objective, result.value),
            "status": status(objective, result, expected), "reason": result.reason or "",
        })
    return pd.concat([objectives.reset_index(drop=True), pd.DataFrame(rows, columns=RESULT)], axis=1)


OTHERS = "plusieurs"  # the row of entrants counted once in the region but in several departments (access)


def department_gaps(objective, records: pd.DataFrame, denominators: pd.DataFrame | None, dep_codes: list[str],
                    reference: float, weights: pd.Series | None = None, regional: float | None = None) -> pd.DataFrame:
    """Why a regional objective's gap: each department's contribution to ``realised − reference``, summing to it.

    A rate R = Σ n_d / Σ D_d against a reference T: department d contributes (n_d − T·D_d) / Σ D, the persons it
    has above (or below) the reference on its own denominator, over the region's. A count against T: d
    contributes n_d − T·w_d, ``weights`` its share of the region (job seekers; equal shares without them).
    Columns: ``dep, realised, numerator, denominator, reason, contribution`` (raw counts: the caller hides what
    the secrecy threshold hides). Access counts distinct persons: one who entered training in two departments
    counts in each but once in the region; with ``regional`` (the region's value) that difference is a last row
    ``dep =`` :data:`OTHERS`, so that the contributions still sum to the region's gap, said rather than spread."""
    frame = by_department(objective, records, denominators, dep_codes)
    if objective.indicator == "entries":
        share = (weights.reindex(frame["dep"]).fillna(0).to_numpy() if weights is not None
                 else np.full(len(frame), 1 / max(len(frame), 1)))
        share = share / share.sum() if share.sum() else share
        frame["contribution"] = frame["numerator"] - reference * share
    else:
        total = frame["denominator"].sum()
        frame["contribution"] = (frame["numerator"] - reference * frame["denominator"]) / total if total else np.nan
        rest = None if regional is None or not total else (regional - reference) - frame["contribution"].sum()
        if rest is not None and abs(rest) > 1e-9:
            frame = pd.concat([frame, pd.DataFrame([{"dep": OTHERS, "realised": np.nan, "numerator": np.nan,
                                                    "denominator": np.nan, "contribution": rest,
                                                    "reason": "entrants de plusieurs départements, comptés une fois dans "
                                                              "la région"}])], ignore_index=True)
    return frame


def by_department(objective, records: pd.DataFrame, denominators: pd.DataFrame | None,
                  dep_codes: list[str]) -> pd.DataFrame:
    """The objective's raw numerator and denominator per department, in one pass (``realised`` per
    department would read the records once per department)."""
    year = int(objective.year)
    chosen = select(records, objective, dep_codes)
    chosen = chosen[chosen["year"].eq(year)]
    frame = pd.DataFrame({"dep": list(dep_codes)})
    dep = chosen["dep"].astype(str)
    if objective.indicator in ("entries", "qpv_share"):
        members = _members(chosen, objective.public)
        dep = members["dep"].astype(str)
        if objective.indicator == "entries":
            counts = dep.value_counts()
            frame["numerator"] = frame["dep"].map(counts).fillna(0).astype(float)
            frame["denominator"] = frame["numerator"]
        else:
            known = members["qpv"].notna()
            frame["numerator"] = frame["dep"].map(dep[members["qpv"] == 1].value_counts()).fillna(0).astype(float)
            frame["denominator"] = frame["dep"].map(dep[known].value_counts()).fillna(0).astype(float)
    elif objective.indicator == "fill_rate" or (objective.indicator == "access" and denominators is None):
        frame["numerator"], frame["denominator"] = np.nan, np.nan
    else:
        dens = None if denominators is None else denominators[denominators["dep"].isin(dep_codes)]
        by = ["year", "dep", "public"] if objective.public else ["year", "dep"]  # one public: not all eight
        table = compute_rates(chosen, dens, by=by, year=year, secrecy=0, fragile=0)
        rows = table[table["indicator"].eq(objective.indicator)]
        rows = rows[rows["public"].eq(objective.public)] if objective.public else rows
        rows = rows.assign(dep=rows["dep"].astype(str)).set_index("dep")
        frame["numerator"] = frame["dep"].map(rows["numerator"]).astype(float).fillna(0)
        frame["denominator"] = frame["dep"].map(rows["denominator"]).astype(float).fillna(0)
    frame["realised"] = (frame["numerator"] / frame["denominator"]).where(frame["denominator"] > 0)
    if objective.indicator == "entries":
        frame["realised"] = frame["numerator"]
    frame["reason"] = np.where(frame["denominator"].fillna(0) > 0, "", "aucune entrée comptée cette année-là")
    return frame[["dep", "realised", "numerator", "denominator", "reason"]]


__all__ = ["evaluate", "department_gaps", "expected_now", "progress", "status", "STATUSES", "STATUS_LABELS",
           "FRAGILE_THRESHOLD"]
