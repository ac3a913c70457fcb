"""Territorial diagnosis: a need score against an offer score per department.

Each indicator is rescaled to 0–1 across the region's departments (min–max: 0 = lowest
department, 1 = highest), then averaged with the user's weights. Need: unemployment rate,
share of job seekers below level IV, share of the population in QPV, share in ZRR/FRR.
Offer: share of inhabitants within reach of a session (not in a white zone), access rate to
training. A department is *under-served* when its need is above the regional median and its
offer below it. The scores rank departments within the region; they are not comparable
across regions or years.
"""
from __future__ import annotations

import pandas as pd

NEED = {"unemployment": "Taux de chômage", "below_level_iv": "Part des DE infra-bac", "qpv_share": "Part en QPV",
        "frr_share": "Part en ZRR/FRR"}
OFFER = {"reach_share": "Part à portée d'une session", "access_rate": "Taux d'accès à la formation"}
DEFAULT_WEIGHTS = {"unemployment": 2.0, "below_level_iv": 1.0, "qpv_share": 1.0, "frr_share": 1.0,
                   "reach_share": 1.0, "access_rate": 1.0}
DEMO_INDICATORS = {"below_level_iv", "access_rate"}  # from the records and denominators files


def indicators(unemployment: pd.DataFrame, coverage: pd.DataFrame, white: pd.DataFrame,
               denominators: pd.DataFrame | None, access: pd.DataFrame) -> pd.DataFrame:
    """One row per department with every raw indicator (shares as fractions, unemployment in %)."""
    cov = coverage[coverage["dep"].ne("TOTAL")].set_index("dep")
    table = pd.DataFrame(index=cov.index)
    table["dep_name"] = cov["dep_name"]
    table["unemployment"] = unemployment.set_index("code")["taux"]
    table["qpv_share"] = cov["qpv_share"]
    table["frr_share"] = cov["frr_population"] / cov["population"]
    table["reach_share"] = 1 - white[white["dep"].ne("TOTAL")].set_index("dep")["white_share"]
    if denominators is not None and len(denominators):
        latest = denominators[denominators["year"].eq(denominators["year"].max())]
        pivot = latest.pivot_table(index="dep", columns="public", values="job_seekers", aggfunc="sum")
        if {"infra_bac", "ensemble"} <= set(pivot.columns):
            table["below_level_iv"] = pivot["infra_bac"] / pivot["ensemble"]
    ens = access[access["public"].eq("ensemble")].set_index("dep")["rate"] if len(access) else pd.Series(dtype=float)
    table["access_rate"] = ens
    return table.reset_index().rename(columns={"index": "dep"})


def scores(table: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Need and offer scores (0–1), the gap, the rank and the under-served flag."""
    out = table.copy()
    for column in [*NEED, *OFFER]:
        if column not in out:
            out[column] = float("nan")
        values = out[column]
        span = values.max() - values.min()
        out[f"{column}_norm"] = (values - values.min()) / span if span and span == span else 0.5
    out["need"] = _weighted(out, NEED, weights)
    out["offer"] = _weighted(out, OFFER, weights)
    out["gap"] = out["need"] - out["offer"]
    out["under_served"] = (out["need"] > out["need"].median()) & (out["offer"] < out["offer"].median())
    out["rank"] = out["gap"].rank(ascending=False, method="min").astype(int)
    return out.sort_values("rank", ignore_index=True)


def _weighted(frame: pd.DataFrame, group: dict[str, str], weights: dict[str, float]) -> pd.Series:
    used = [c for c in group if weights.get(c, 0) > 0 and frame[f"{c}_norm"].notna().any()]
    if not used:
        return pd.Series(0.0, index=frame.index)
    total = sum(weights[c] for c in used)
    return sum(frame[f"{c}_norm"].fillna(0.5) * weights[c] for c in used) / total
