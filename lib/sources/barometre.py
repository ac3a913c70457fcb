"""Baromètre des résultats de l'action publique (DITP/Etalab): regional and department series.

Tidy schema of :func:`read_barometre`: ``indicator_id, indicator, level (region | departement |
national), code, name, date (datetime), value (float), unit``.

Some series are cumulative within the year (``nb-formation-pic`` in 2021-2022: each date gives
the entries since 1 January); :func:`annual` takes the last value of each year for those and says
so, so a quarterly cumul is never summed.
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib.core.config import RAW
from lib.core.errors import DataError, ImportReport
from lib.sources.tabular import decode, load_bytes, read_text_table

SOURCE_DIR = RAW / "barometre_action_publique"
LEVELS = {"code_region": "region", "code_departement": "departement"}


def read_barometre(source: str | Path | bytes, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    filename = filename or Path(str(source)).name
    text = decode(load_bytes(source, filename), filename)
    raw = read_text_table(text, filename, ",", ["id_indicateur", "indicateur", "date", "valeur", "unite"],
                          "un fichier du Baromètre de l'action publique")
    report = ImportReport(source=f"Baromètre ({filename})")
    report.rows_read = len(raw)
    level_column = next((c for c in LEVELS if c in raw.columns), None)
    level = LEVELS.get(level_column, "national")
    name_column = {"code_region": "libelle_region", "code_departement": "libelle_departement"}.get(level_column)
    values = pd.to_numeric(raw["valeur"], errors="coerce")
    dates = pd.to_datetime(raw["date"], errors="coerce")
    bad = values.isna() | dates.isna()
    report.reject("valeur ou date illisible", int(bad.sum()))
    keep = ~bad
    tidy = pd.DataFrame({
        "indicator_id": raw["id_indicateur"], "indicator": raw["indicateur"], "level": level,
        "code": raw[level_column] if level_column else "FR", "name": raw[name_column] if name_column else "France",
        "date": dates, "value": values, "unit": raw["unite"],
    })[keep].reset_index(drop=True)
    report.rows_kept = len(tidy)
    return tidy, report


def read_for_region(region: str, departements: list[str], folder: Path = SOURCE_DIR) -> pd.DataFrame:
    """The regional file filtered on the region, plus every department file of the region present."""
    frames = []
    regional, _ = read_barometre(folder / "barometre-resultats-detail-regional.csv")
    frames.append(regional[regional["code"].eq(region)])
    for dep in departements:
        path = folder / f"barometre-resultats-detail-departement-{dep}.csv"
        if path.exists():
            frames.append(read_barometre(path)[0])
    if not frames:
        raise DataError("Aucun fichier du Baromètre pour cette région.")
    return pd.concat(frames, ignore_index=True)


def annual(series: pd.DataFrame) -> pd.DataFrame:
    """One value per year: the year's last value when the series has several dates in a year
    (a cumul since 1 January), else the single annual value. Columns: ``year, value, as_of,
    cumulative, complete`` (complete = the last date is 31 December)."""
    series = series.sort_values("date")
    rows = []
    for year, group in series.groupby(series["date"].dt.year):
        last = group.iloc[-1]
        rows.append({"year": int(year), "value": float(last["value"]), "as_of": last["date"],
                     "cumulative": len(group) > 1,
                     "complete": last["date"].month == 12 and last["date"].day == 31})
    return pd.DataFrame(rows)


def yearly_by_department(series: pd.DataFrame, names: dict[str, str], how: str = "last") -> pd.DataFrame:
    """One row per department, one column per year: the year's last value (``how="last"``, for
    annual counts) or its monthly mean (``how="mean"``, for monthly stocks such as SIAE)."""
    frame = series.assign(year=series["date"].dt.year).sort_values("date")
    grouped = frame.groupby(["code", "year"])["value"]
    table = (grouped.last() if how == "last" else grouped.mean()).unstack()
    table.columns = [str(c) for c in table.columns]
    table.insert(0, "departement", [names.get(c, c) for c in table.index])
    return table.reset_index()
