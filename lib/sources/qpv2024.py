"""Quartiers prioritaires of the 2024 list (décret n° 2023-1314, in force since 1 January 2024).

Two files in ``data/raw/qpv_2024`` (see its ``SOURCE.md``):

- ``qpv2024_indicateurs.csv``: one row per (commune, quarter); commune codes without their leading
  zero, region and department codes as numbers; ``popMuniQPV`` (RP 2020) is the population of the
  *whole* quarter, repeated on each commune row of a multi-commune quarter.
- ``qpv2024_simplified.geojson``: the contours, one MultiPolygon per quarter.

Tidy schemas (codes are strings):

- :func:`read_table` -> one row per (quarter, commune): ``code`` (``QN06901M``), ``name``, ``region``
  (``"84"``), ``dep`` (``"01"``, ``"2A"``, ``"971"``), ``commune`` (``"01053"``), ``commune_name``,
  ``epci`` (SIREN), ``population`` (whole quarter, RP 2020).
- :func:`quarters` -> one row per quarter: ``code, name, region, dep, communes`` (``|``-joined
  codes), ``commune_names`` (``, ``-joined), ``population`` (counted once).
- :func:`read_contours` -> GeoDataFrame ``code, name, region, dep, geometry`` (WGS84).
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lib.core.config import RAW
from lib.core.errors import DataError, ImportReport
from lib.core.text import insee_code

SOURCE_DIR = RAW / "qpv_2024"
TABLE = SOURCE_DIR / "qpv2024_indicateurs.csv"
CONTOURS = SOURCE_DIR / "qpv2024_simplified.geojson"
CENSUS_YEAR = 2020  # popMuniQPV: municipal population, recensement de la population 2020
QPV_CODE = re.compile(r"^QN(\d{2}[0-9AB]|97\d)\d{2}[A-Z]$")
REQUIRED = ["COG", "lib_com", "codeQPV", "lib_qp", "insee_reg", "insee_dep", "siren_epci", "popMuniQPV"]


def _commune_code(value: str) -> str | None:
    """``1053`` -> ``01053``; ``2A004`` kept; anything else -> None."""
    text = str(value).strip().upper()
    if re.fullmatch(r"\d{4,5}(\.0)?", text):
        return text.removesuffix(".0").zfill(5)
    if re.fullmatch(r"\d[AB]\d{3}", text):
        return text
    return None


def _number_code(value: str, width: int) -> str | None:
    """``"84.0"`` -> ``"84"``, ``"1"`` -> ``"01"``, ``"971"`` kept, ``"2A"`` kept."""
    text = str(value).strip()
    if re.fullmatch(r"\d+\.0", text):
        text = text[:-2]
    return insee_code(text, width) if text else None


def read_table(path: Path = TABLE) -> tuple[pd.DataFrame, ImportReport]:
    """The (quarter, commune) rows with restored codes, and what was kept or rejected."""
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    except FileNotFoundError as err:
        raise DataError(f"Fichier des QPV 2024 introuvable : {Path(path).name}.") from err
    except (UnicodeDecodeError, pd.errors.ParserError) as err:
        raise DataError(f"« {Path(path).name} » n'est pas un CSV UTF-8 lisible.") from err
    missing = [c for c in REQUIRED if c not in raw.columns]
    if missing:
        raise DataError(f"« {Path(path).name} » : colonne(s) attendue(s) absente(s) : {', '.join(missing)}.")
    report = ImportReport(source="QPV 2024 (ANCT ; Insee, RP 2020)")
    report.rows_read = len(raw)
    tidy = pd.DataFrame({
        "code": raw["codeQPV"].str.strip(), "name": raw["lib_qp"].str.strip(),
        "region": raw["insee_reg"].map(lambda v: _number_code(v, 2)),
        "dep": raw["insee_dep"].map(lambda v: _number_code(v, 2)),
        "commune": raw["COG"].map(_commune_code), "commune_name": raw["lib_com"].str.strip(),
        "epci": raw["siren_epci"].str.strip().str.removesuffix(".0"),
        "population": pd.to_numeric(raw["popMuniQPV"].str.strip(), errors="coerce"),
    })
    checks = [
        ("code QPV invalide (attendu QNdddnnX)", ~tidy["code"].str.match(QPV_CODE.pattern)),
        ("code commune invalide", tidy["commune"].isna()),
        ("code région ou département invalide", tidy["region"].isna() | tidy["dep"].isna()),
        ("population absente ou non numérique", tidy["population"].isna()),
    ]
    keep = pd.Series(True, index=tidy.index)
    for reason, bad in checks:
        report.reject(reason, int((bad & keep).sum()))
        keep &= ~bad
    tidy = tidy[keep]
    duplicated = tidy.duplicated(["code", "commune"])
    report.reject("ligne (quartier, commune) en double", int(duplicated.sum()))
    tidy = tidy[~duplicated].reset_index(drop=True)
    report.rows_kept = len(tidy)
    if tidy.empty:
        raise DataError(f"« {Path(path).name} » ne contient aucun quartier (codes QNdddnnX).")
    tidy["population"] = tidy["population"].astype("int64")
    per_quarter = tidy.groupby("code")["population"].nunique()
    if (per_quarter > 1).any():
        raise DataError("QPV 2024 : population différente d'une commune à l'autre pour le(s) quartier(s) "
                        + ", ".join(per_quarter[per_quarter > 1].index[:5]) + ".")
    shared = int(tidy["code"].duplicated(keep=False).groupby(tidy["code"]).any().sum())
    report.notes.append(f"{shared} quartiers s'étendent sur plusieurs communes : leur population est comptée une fois.")
    return tidy, report


def quarters(table: pd.DataFrame) -> pd.DataFrame:
    """One row per quarter; the population of a multi-commune quarter counted once."""
    return table.groupby("code", sort=True).agg(
        name=("name", "first"), region=("region", "first"), dep=("dep", "first"),
        communes=("commune", lambda c: "|".join(c)), commune_names=("commune_name", lambda n: ", ".join(n)),
        population=("population", "first"),
    ).reset_index()


def for_region(table: pd.DataFrame, dep_codes: list[str]) -> pd.DataFrame:
    """The quarters of a region (by the department of each quarter)."""
    out = quarters(table)
    return out[out["dep"].isin(dep_codes)].reset_index(drop=True)


def read_contours(dep_codes: list[str] | None = None, path: Path = CONTOURS):
    """Quarter contours (WGS84), optionally only those of the given departments."""
    import geopandas as gpd

    try:
        frame = gpd.read_file(path)
    except Exception as err:  # pyogrio raises several types for a missing or broken file
        raise DataError(f"Contours des QPV 2024 illisibles : {Path(path).name}.") from err
    frame = frame.rename(columns={"code_qp": "code", "lib_qp": "name"})
    frame["dep"] = frame["insee_dep"].map(lambda v: _number_code(v, 2) if v is not None else None)
    frame["region"] = frame["insee_reg"].map(lambda v: _number_code(v, 2) if v is not None else None)
    if dep_codes is not None:
        frame = frame[frame["dep"].isin(dep_codes)]
    return frame[["code", "name", "region", "dep", "geometry"]].reset_index(drop=True)


def to_current_communes(table: pd.DataFrame, communes: pd.DataFrame, former: pd.DataFrame) -> tuple[pd.DataFrame, ImportReport]:
    """Host communes in the COG of ``communes``: a current commune is kept; a municipal arrondissement
    or a delegated/associated commune goes to the commune that holds it (75113 -> 75056). A code
    matching neither is reported, never dropped silently (the quarter keeps its other communes)."""
    report = ImportReport(source="Communes des QPV 2024")
    current = set(communes["code"])
    parent = dict(zip(former["code"], former["parent"]))
    mapped = table["commune"].map(lambda c: c if c in current else parent.get(c))
    report.rows_read = len(table)
    for code in table.loc[mapped.isna(), "commune"]:
        report.reject(f"commune introuvable dans le COG : {code}")
    out = table.assign(commune=mapped)
    out = out[out["commune"].notna()].drop_duplicates(["code", "commune"])
    report.rows_kept = int(mapped.notna().sum())
    return out.reset_index(drop=True), report
