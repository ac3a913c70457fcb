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
OFFER_INDICATORS = {"reach_share"}  # from the training offer (LHEO)


def demo_inputs(records_demo: bool, offer_demo: bool) -> set[str]:
    """The indicators computed from demonstration files."""
    return (DEMO_INDICATORS if records_demo else set()) | (OFFER_INDICATORS if offer_demo else set())


def demo_weight_shares(weights: dict[str, float], demo: set[str], need: dict[str, str] | None = None,
                       offer: dict[str, str] | None = None) -> dict[str, float]:
    """Share of each score's weights (``need``, ``offer``) carried by demonstration indicators (0–1)."""
    out = {}
    for name, group in (("need", need or NEED), ("offer", offer or OFFER)):
        total = sum(weights.get(c, 0) for c in group)
        out[name] = sum(weights.get(c, 0) for c in group if c in demo) / total if total else 0.0
    return out


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


def unavailable(table: pd.DataFrame, denominators: pd.DataFrame | None) -> dict[str, str]:
    """Indicators the data in use cannot give, with the reason (French): shown as « non disponible »
    and left out of the scores — never filled from another (e.g. demonstration) file."""
    reasons = {}
    for column in [*NEED, *OFFER]:
        if column in table and table[column].notna().any():
            continue
        if column == "below_level_iv":
            reasons[column] = ("aucun fichier de dénominateurs en usage" if denominators is None else
                               "les dénominateurs en usage n'ont pas de lignes « infra_bac » et « ensemble »")
        elif column == "access_rate":
            reasons[column] = ("aucun fichier de dénominateurs en usage" if denominators is None else
                               "années ou départements des dénominateurs sans entrées correspondantes")
        else:
            reasons[column] = "indicateur absent des données en usage"
    return reasons


def access_words(year: int, unavailable: dict[str, str]) -> str:
    """The access rate's year for the scatter's subtitle, or « accès non disponible » when it is."""
    return "accès non disponible" if "access_rate" in unavailable else f"accès {year}"


def records_sources(unavailable: dict[str, str], records_line: str, denominators_line: str) -> str:
    """What the infra-bac share and the access rate rest on, for the source line: the files in use, or
    « non disponible(s) (raison) » — never a file's name for a figure that is not shown."""
    infra, access = unavailable.get("below_level_iv"), unavailable.get("access_rate")
    if infra and access:
        reason = infra if infra == access else f"DE infra-bac : {infra} ; accès : {access}"
        return f"Part des DE infra-bac et accès — non disponibles ({reason})."
    if infra:
        return (f"Part des DE infra-bac — non disponible ({infra}). Accès — {records_line} {denominators_line}")
    if access:
        return f"Part des DE infra-bac — {denominators_line} Accès — non disponible ({access})."
    return f"Part des DE infra-bac et accès — {records_line} {denominators_line}"


def scores(table: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """Need and offer scores (0–1), the gap, the rank and the under-served flag.

    A department without a value for an indicator gets no invented one: its score is the weighted
    mean of the indicators it has (weights renormalised), and ``partial`` names what is left out
    (empty when the score rests on every weighted indicator the region has). An indicator no
    department has is out of every score (see :func:`unavailable`)."""
    out = table.copy()
    for column in [*NEED, *OFFER]:
        if column not in out:
            out[column] = float("nan")
        values = pd.to_numeric(out[column], errors="coerce")
        low, high = values.min(), values.max()
        if values.notna().sum() and high > low:
            out[f"{column}_norm"] = (values - low) / (high - low)
        else:  # every known value equal (none above another): the middle; unknown values stay unknown
            out[f"{column}_norm"] = values.where(values.isna(), 0.5)
    out["need"] = _weighted(out, NEED, weights)
    out["offer"] = _weighted(out, OFFER, weights)
    out["partial"] = missing_inputs(out, weights)
    out["gap"] = out["need"] - out["offer"]
    out["under_served"] = (out["need"] > out["need"].median()) & (out["offer"] < out["offer"].median())
    out["rank"] = out["gap"].rank(ascending=False, method="min", na_option="bottom").astype(int)
    return out.sort_values("rank", ignore_index=True)


def _weighted(frame: pd.DataFrame, group: dict[str, str], weights: dict[str, float]) -> pd.Series:
    """Weighted mean of the rescaled indicators each row has (a missing one is left out, never filled)."""
    used = [c for c in group if weights.get(c, 0) > 0 and frame[f"{c}_norm"].notna().any()]
    if not used:
        return pd.Series(0.0, index=frame.index)
    total = sum(frame[f"{c}_norm"].fillna(0) * weights[c] for c in used)
    available = sum(frame[f"{c}_norm"].notna() * weights[c] for c in used)
    return (total / available.where(available > 0)).astype(float)


def missing_inputs(frame: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Per row, the weighted indicators (French labels, « , »-joined) it lacks while others have them."""
    labels = {**NEED, **OFFER}
    used = [c for c in labels if weights.get(c, 0) > 0 and c in frame and frame[c].notna().any()]
    return pd.Series([", ".join(labels[c] for c in used if pd.isna(row[c])) for _, row in frame[used].iterrows()]
                     if used else [""] * len(frame), index=frame.index, dtype=object)


def partial_sentences(scored: pd.DataFrame, names: dict[str, str]) -> list[str]:
    """French sentences naming, per missing indicator, the departments scored without it."""
    out = []
    partial = scored[scored["partial"].ne("")]
    for label in {**NEED, **OFFER}.values():
        deps = [d for d, missing in zip(partial["dep"], partial["partial"]) if label in missing.split(", ")]
        if deps:
            listed = ", ".join(f"{names.get(d, d)} ({d})" for d in sorted(deps))
            out.append(f"{label} manquant pour {listed} : score partiel, calculé sur les autres indicateurs "
                       "(pondérations ramenées à celles disponibles), jamais sur une valeur inventée.")
    return out


EPCI_NEED = {"qpv_share": "Part en QPV", "frr_share": "Part en ZRR/FRR"}
EPCI_OFFER = {"reach_share": "Part à portée d'une session"}


def epci_indicators(communes: pd.DataFrame, qpv: pd.DataFrame, white: pd.DataFrame, epci_names: pd.DataFrame) -> pd.DataFrame:
    """What the data allows at EPCI level: QPV and FRR population shares, share within reach of a session.

    Unemployment and access exist per department only. A quartier's population goes to the EPCI of
    its host communes, split equally when they belong to different EPCIs (rare: quartiers rarely
    straddle an intercommunal boundary).
    """
    from lib.sources.zonages import FRR_CLASSED

    epci_of = dict(zip(communes["code"], communes["epci"]))
    shares = []
    for hosts, population in zip(qpv["communes"], qpv["population"]):
        epcis = [epci_of.get(c) for c in hosts.split("|") if c]
        epcis = [e for e in epcis if e] or [None]
        shares += [(e, population / len(epcis)) for e in epcis]
    qpv_pop = pd.DataFrame(shares, columns=["epci", "qpv_population"]).groupby("epci")["qpv_population"].sum()
    frame = communes.merge(white[["code", "white"]], on="code", how="left")
    frame = frame.assign(frr_pop=frame["population"].where(frame["frr"].isin(FRR_CLASSED), 0),
                         reach_pop=frame["population"].where(~frame["white"].fillna(True).astype(bool), 0))
    table = frame.groupby("epci").agg(dep=("dep", lambda d: d.mode().iloc[0]), communes=("code", "size"),
                                      population=("population", "sum"), frr_pop=("frr_pop", "sum"),
                                      reach_pop=("reach_pop", "sum"))
    table["qpv_share"] = qpv_pop.reindex(table.index).fillna(0) / table["population"]
    table["frr_share"] = table["frr_pop"] / table["population"]
    table["reach_share"] = table["reach_pop"] / table["population"]
    names = epci_names.set_index("code")
    table.insert(0, "epci_name", names["name"].reindex(table.index).fillna(table.index.to_series()))
    total = names["population"].reindex(table.index).astype(float)
    table["in_region_share"] = (table["population"] / total).clip(upper=1).fillna(1.0)
    return table.drop(columns=["frr_pop", "reach_pop"]).reset_index().rename(columns={"epci": "code"})


def epci_scores(table: pd.DataFrame, weights: dict[str, float], min_in_region: float = 0.5) -> pd.DataFrame:
    """Need (QPV, FRR) and offer (reach) scores per EPCI, with the same rescaling and quadrant rule.

    EPCIs with less than ``min_in_region`` of their population in the region are left out: their
    regional part alone would be ranked as if it were the whole intercommunality."""
    kept = table[table["in_region_share"] >= min_in_region]
    return scores(kept, {k: v for k, v in weights.items() if k in {**EPCI_NEED, **EPCI_OFFER}})
