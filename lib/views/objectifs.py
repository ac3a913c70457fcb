"""Objectifs du pacte: each objective's realised value, expected value today, progress and status, and why the
gap (the departments' contributions); the same table for ``python -m lib export objectives`` (issue 27)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from lib.datasets.in_use import Datasets

EXPORT = ["objective_id", "indicator", "scope", "public", "pathway_type", "axis", "year", "baseline", "baseline_year",
          "target", "realised", "numerator", "denominator", "ci_low", "ci_high", "expected_now", "progress", "status",
          "source", "comment"]


def observation_date(ds: Datasets, as_of: pd.Timestamp | None = None) -> pd.Timestamp:
    """The date « expected today » is taken at: the one given, else the records' observation date."""
    if as_of is not None:
        return pd.Timestamp(as_of).normalize()
    return pd.Timestamp(ds.records()[1].meta.get("as_of") or pd.Timestamp.today()).normalize()


def objectives_status(ds: Datasets, as_of: pd.Timestamp | None = None) -> dict[str, Any]:
    """``table`` (the export's columns, then ``reason`` and ``line``), the date, the source and what was set aside."""
    from lib.indicators import objectives as ob

    when = observation_date(ds, as_of)

    def compute() -> dict[str, Any]:
        objectives, report, source = ds.objectives()
        records, _, denominators, _, records_demo = ds.records()
        offer = ds.offer()[0]
        table = ob.evaluate(objectives, records, denominators, ds.region.code, list(ds.region.dep_codes), when, offer)
        table["source"] = source
        set_aside = [f"{report.line_label(line)} : {reason}" for reason, lines in report.lines.items() for line in lines]
        return {"table": table, "as_of": when, "source": source, "report": report, "records_demo": records_demo,
                "set_aside": set_aside, "records_line": ds.source_line("records")}

    return ds.memo("objectives_status", (when,), compute, entries=8)


def export_table(status: dict[str, Any]) -> pd.DataFrame:
    """The CLI's columns; integers where the objective counts people."""
    table = status["table"].copy()
    for column in ("year", "baseline_year"):
        table[column] = table[column].astype("Int64")
    return table[EXPORT]


def demo_sentence(status: dict[str, Any]) -> str | None:
    """Demonstration records make demonstration achievements: said on each view of them."""
    if not status["records_demo"]:
        return None
    return ("Réalisations calculées sur les entrées de démonstration (chiffres fictifs) : elles montrent le "
            "fonctionnement, pas l'avancement du pacte. Importez l'extraction réelle sur la page Données.")


def _objective(ds: Datasets, objective_id: str):
    objectives = ds.objectives()[0]
    chosen = objectives[objectives["objective_id"].eq(objective_id)]
    return next(chosen.itertuples(index=False)) if len(chosen) else None


def trajectory(ds: Datasets, objective_id: str) -> pd.DataFrame:
    """The objective's realised value for every year of the records (``year, realised, ci_low, ci_high``) and
    the straight path's value at the end of each year (``expected``)."""
    from lib.indicators import objectives as ob

    def compute() -> pd.DataFrame:
        objective = _objective(ds, objective_id)
        records, _, denominators, _, _ = ds.records()
        deps = list(ds.region.dep_codes) if objective.scope == ds.region.code else [objective.scope]
        rows = []
        for year in sorted(int(y) for y in records["year"].unique()):
            result = ob.realised(objective._replace(year=year), records, denominators, deps, ds.offer()[0])
            end = pd.Timestamp(year=year, month=12, day=31)
            rows.append({"year": year, "realised": result.value, "ci_low": result.ci_low, "ci_high": result.ci_high,
                         "expected": ob.expected_now(objective, end) if year <= int(objective.year) else None,
                         "reason": result.reason or ""})
        return pd.DataFrame(rows)

    return ds.memo("objective_trajectory", (objective_id,), compute, entries=16)


def job_seeker_weights(ds: Datasets, year: int) -> pd.Series | None:
    """Each department's share of the region's job seekers that year (« ensemble »), for a count's target."""
    denominators = ds.records()[2]
    if denominators is None:
        return None
    chosen = denominators[denominators["year"].eq(year) & denominators["public"].eq("ensemble")]
    return chosen.set_index("dep")["job_seekers"].astype(float) if len(chosen) else None


def gaps(ds: Datasets, objective_id: str, as_of: pd.Timestamp) -> dict[str, Any]:
    """Why a regional objective's gap to the value expected today: ``departments`` (each one's contribution,
    summing to the gap; a department below the secrecy threshold shows no figure of its own), ``publics`` (each
    public's own value against the same reference: publics overlap, their gaps do not add up) and ``sentence``."""
    from lib.indicators import objectives as ob
    from lib.indicators.rates import SECRECY_THRESHOLD

    def compute() -> dict[str, Any]:
        objective = _objective(ds, objective_id)
        if objective is None or objective.scope != ds.region.code or objective.indicator == "fill_rate":
            return {"departments": None, "publics": None, "sentence": None}
        records, _, denominators, _, _ = ds.records()
        deps = list(ds.region.dep_codes)
        reference = ob.expected_now(objective, as_of)
        weights = job_seeker_weights(ds, int(objective.year))
        regional = ob.realised(objective, records, denominators, deps, secrecy=0).value
        frame = ob.department_gaps(objective, records, denominators, deps, reference, weights, regional)
        frame.insert(1, "departement", frame["dep"].map(
            lambda d: "Entrants de plusieurs départements" if d == ob.OTHERS else ds.region.dep_name(d)))
        rate = objective.indicator != "entries"
        frame["secret"] = rate & (frame["denominator"] < SECRECY_THRESHOLD) & (frame["denominator"] > 0)
        total = float(frame["contribution"].sum())
        return {"departments": frame, "publics": _public_gaps(objective, records, denominators, deps, reference) if rate
                else None, "reference": reference, "gap": total, "sentence": _gap_sentence(frame, total, rate)}

    return ds.memo("objective_gaps", (objective_id, as_of), compute, entries=16)


def _public_gaps(objective, records, denominators, deps, reference) -> pd.DataFrame:
    """Each public's own value against the reference, from one computation of the rates by public."""
    from lib.indicators import objectives as ob
    from lib.indicators.rates import compute_rates
    from lib.sources.records import LABELS, PUBLICS

    publics = [p for p in PUBLICS if p != "ensemble" and not (p == "qpv" and objective.indicator == "qpv_share")]
    if objective.indicator == "qpv_share":
        values = {p: ob.realised(objective._replace(public=p), records, denominators, deps) for p in publics}
    else:
        chosen = ob.select(records, objective, deps)
        dens = None if denominators is None else denominators[denominators["dep"].isin(deps)]
        table = compute_rates(chosen[chosen["year"].eq(int(objective.year))], dens, by=["year", "public"],
                              year=int(objective.year))
        table = table[table["indicator"].eq(objective.indicator)].set_index("public")
        values = {p: ob._from_rate_row(table.loc[p]) if p in table.index else ob.Realised(None, reason="aucune entrée")
                  for p in publics}
    return pd.DataFrame([{"public": p, "libelle": LABELS["publics"][p], "realised": r.value,
                          "gap": None if r.value is None else r.value - reference, "reason": r.reason or ""}
                         for p, r in values.items()])


def _gap_sentence(frame: pd.DataFrame, total: float, rate: bool) -> str:
    from lib.core.fmt import fr_signed

    def amount(value: float) -> str:
        return f"{fr_signed(value * 100, 1)} pt" if rate else fr_signed(value, 0)

    visible = frame["contribution"].abs() >= (0.0005 if rate else 0.5)  # what rounds to 0 explains nothing
    shown = frame[~frame["secret"] & visible].sort_values("contribution")
    worst = [f"{row.departement} ({amount(row.contribution)})" for row in shown.head(3).itertuples() if row.contribution < 0]
    best = [f"{row.departement} ({amount(row.contribution)})" for row in shown.tail(3)[::-1].itertuples()
            if row.contribution > 0]
    text = f"Écart à la trajectoire : {amount(total)}, somme des contributions des départements."
    if worst:
        text += " En retard surtout : " + ", ".join(worst) + "."
    if best:
        text += " En avance surtout : " + ", ".join(best) + "."
    return text
