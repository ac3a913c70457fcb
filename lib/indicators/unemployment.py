"""Localised unemployment: department table, series and key figures for one region.

Input is the tidy table of :mod:`lib.sources.chomage`.
"""
from __future__ import annotations

import pandas as pd

from lib.datasets.territory import Region

TABLE_COLUMNS = ["code", "departement", "taux", "evolution_1an"]


def for_region(tidy: pd.DataFrame, region: Region) -> pd.DataFrame:
    """Rows of the region's departments, of the region itself and of France."""
    keep = (
        (tidy["level"].eq("departement") & tidy["code"].isin(region.dep_codes))
        | (tidy["level"].eq("region") & tidy["code"].eq(region.code))
        | tidy["level"].eq("france")
    )
    return tidy[keep].reset_index(drop=True)


def check_region(tidy: pd.DataFrame, region: Region, report) -> None:
    """Name the region's departments the workbook lacks (their rows would silently be empty)."""
    present = set(tidy.loc[tidy["level"].eq("departement"), "code"])
    missing = [f"{region.dep_label(code)}" for code in region.dep_codes if code not in present]
    if missing:
        report.warn(f"département(s) de la région absent(s) du fichier : {', '.join(missing)} — "
                    "leurs taux ne sont pas affichés")


def quarters(tidy: pd.DataFrame) -> list[str]:
    return sorted(tidy["quarter"].unique())


def shift_quarter(quarter: str, quarters_back: int) -> str:
    year, q = int(quarter[:4]), int(quarter[-1])
    index = year * 4 + (q - 1) - quarters_back
    return f"{index // 4}-T{index % 4 + 1}"


def quarter_label(quarter: str) -> str:
    """``2025-T3`` -> ``3e trimestre 2025`` (``1er`` for the first)."""
    q = int(quarter[-1])
    return f"{q}{'er' if q == 1 else 'e'} trimestre {quarter[:4]}"


def department_table(tidy: pd.DataFrame, region: Region, quarter: str) -> pd.DataFrame:
    """One row per department: code, name, rate at ``quarter`` and change over one year (points)."""
    deps = tidy[tidy["level"].eq("departement") & tidy["code"].isin(region.dep_codes)]
    now = deps[deps["quarter"].eq(quarter)].set_index("code")["rate"]
    before = deps[deps["quarter"].eq(shift_quarter(quarter, 4))].set_index("code")["rate"]
    table = region.departements.rename(columns={"name": "departement"}).copy()
    table["taux"] = table["code"].map(now)
    table["evolution_1an"] = (table["taux"] - table["code"].map(before)).round(1)
    return table[TABLE_COLUMNS]


FRANCES = {"FM": "France métropolitaine", "FR": "France hors Mayotte"}


def series(tidy: pd.DataFrame, region: Region, dep_codes: list[str], start: str) -> pd.DataFrame:
    """Long series for a chart: ``serie, quarter, date, rate`` from ``start`` on.

    Departments use their COG names; the region and France rows (métropolitaine and hors Mayotte, each named)
    are added when the file has them.
    """
    chosen = tidy[
        (tidy["level"].eq("departement") & tidy["code"].isin(dep_codes))
        | (tidy["level"].eq("region") & tidy["code"].eq(region.code))
        | (tidy["level"].eq("france") & tidy["code"].isin(list(FRANCES)))
    ]
    chosen = chosen[chosen["quarter"].ge(start)].copy()
    # Both France series when the workbook has both: which France is always named (Comparer uses « hors Mayotte »).
    chosen["serie"] = [
        region.dep_label(code) if level == "departement" else (region.name if level == "region" else FRANCES[code])
        for level, code in zip(chosen["level"], chosen["code"])
    ]
    chosen["date"] = pd.PeriodIndex(chosen["quarter"].str.replace("-T", "Q"), freq="Q").to_timestamp()
    return chosen[["serie", "level", "quarter", "date", "rate"]].reset_index(drop=True)


def region_rate(tidy: pd.DataFrame, region: Region, quarter: str) -> float | None:
    row = tidy[tidy["level"].eq("region") & tidy["code"].eq(region.code) & tidy["quarter"].eq(quarter)]
    return float(row["rate"].iloc[0]) if len(row) else None


def compare_with_reference(tidy: pd.DataFrame, reference: pd.DataFrame) -> pd.DataFrame:
    """Reference figures (e.g. the pact's 4T2018 table) beside the file's values for the same quarter."""
    merged = reference.merge(
        tidy[["level", "code", "quarter", "rate"]].rename(columns={"rate": "taux_fichier"}),
        on=["level", "code", "quarter"],
        how="left",
    ).rename(columns={"rate": "taux_reference"})
    merged["ecart"] = (merged["taux_fichier"] - merged["taux_reference"]).round(1)
    return merged
