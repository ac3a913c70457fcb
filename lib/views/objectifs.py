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
