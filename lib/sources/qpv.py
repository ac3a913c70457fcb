"""Insee/ANCT indicators of the *quartiers prioritaires* (QPV, 2015 list).

Files (``;``, UTF-8 BOM, French numbers, empty = statistical secrecy):
``DEMO_<year>.csv`` (population), ``IPRO_<year>.csv`` (employment, job seekers),
``REVN_<year>.csv`` (income, poverty).

Tidy schema returned by :func:`read_qpv_file` (wide, one row per QPV):
``code`` (``QP069035``), ``name``, ``dep`` (``"69"``, ``"2A"``, ``"971"``), then every
indicator column of the file as float (NaN = secret or not available) and ``LIB_COM``
(host commune names, text) when present.

:func:`match_communes` maps each QPV to the Insee codes of its host communes
(COG of the commune table given), by name within the department — see its docstring
for the rule and the exceptions file.
"""
from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from lib.core.config import RAW, REFERENCE
from lib.core.errors import DataError, ImportReport
from lib.core.text import normalise
from lib.sources.tabular import decode, french_numbers, load_bytes, read_text_table

SOURCE_DIR = RAW / "qpv_2015_insee_indicators"
EXCEPTIONS = REFERENCE / "qpv_communes" / "exceptions.csv"
QPV_CODE = re.compile(r"^QP(\d{2}[0-9AB]|97\d)(\d{3})$")
TEXT_COLUMNS = {"CODGEO", "LIBGEO", "LIB_COM"}
REQUIRED = {"DEMO": ["CODGEO", "LIBGEO", "POP_MUN", "LIB_COM"], "IPRO": ["CODGEO", "LIBGEO", "ABC"],
            "REVN": ["CODGEO", "LIBGEO", "TP60"]}


def qpv_dep(code: str) -> str:
    """Department of a QPV code: ``QP069035`` -> ``69``, ``QP02A001`` -> ``2A``, ``QP971001`` -> ``971``."""
    match = QPV_CODE.match(code)
    if not match:
        raise ValueError(code)
    dep = match.group(1)
    return dep if dep.startswith("97") else dep[1:]


def file_kind(filename: str) -> str:
    """``DEMO_2022.csv`` -> ``DEMO``; the kind decides the required columns."""
    stem = Path(filename).stem.upper()
    for kind in REQUIRED:
        if stem.startswith(kind):
            return kind
    raise DataError(f"« {filename} » : nom attendu DEMO_<année>.csv, IPRO_<année>.csv ou REVN_<année>.csv.")


def read_qpv_file(source: str | Path | bytes, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    filename = filename or Path(str(source)).name
    kind = file_kind(filename)
    text = decode(load_bytes(source, filename), filename)
    raw = read_text_table(text, filename, ";", REQUIRED[kind], f"un fichier Insee d'indicateurs QPV ({kind})")
    report = ImportReport(source=f"Indicateurs QPV ({filename})")
    report.rows_read = len(raw)
    is_total = raw["CODGEO"].str.lower().eq("ensemble")
    report.reject("ligne de total « Ensemble »", int(is_total.sum()))
    valid = raw["CODGEO"].str.match(QPV_CODE.pattern)
    report.reject("code QPV invalide", int((~valid & ~is_total).sum()))
    kept = raw[valid].copy()
    duplicated = kept["CODGEO"].duplicated()
    report.reject("code QPV en double", int(duplicated.sum()))
    kept = kept[~duplicated]
    report.rows_kept = len(kept)
    if kept.empty:
        raise DataError(f"« {filename} » ne contient aucun quartier (codes QPxxxxxx).")
    tidy = pd.DataFrame({"code": kept["CODGEO"], "name": kept["LIBGEO"], "dep": kept["CODGEO"].map(qpv_dep)})
    for column in kept.columns:
        if column in TEXT_COLUMNS:
            continue
        tidy[column] = french_numbers(kept[column])
    if "LIB_COM" in kept:
        tidy["LIB_COM"] = kept["LIB_COM"]
    return tidy.reset_index(drop=True), report


def read_vintage(kind: str, year: int, folder: Path = SOURCE_DIR) -> pd.DataFrame:
    tidy, _ = read_qpv_file(folder / f"{kind}_{year}.csv")
    return tidy


def available_vintages(kind: str, folder: Path = SOURCE_DIR) -> list[int]:
    return sorted(int(p.stem.split("_")[1]) for p in folder.glob(f"{kind}_*.csv"))


def vintage_for(kind: str, year: int, folder: Path = SOURCE_DIR) -> int:
    """The latest ``kind`` vintage not after ``year`` (the earliest one when all are later):
    e.g. the DEMO population to put beside the IPRO indicators of a given year."""
    years = available_vintages(kind, folder)
    earlier = [y for y in years if y <= year]
    return max(earlier) if earlier else min(years)


def read_exceptions(path: Path = EXCEPTIONS) -> pd.DataFrame:
    """Hand-written name -> commune code exceptions (renamed or merged communes)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def match_communes(
    qpv: pd.DataFrame,
    communes: pd.DataFrame,
    former: pd.DataFrame,
    exceptions: pd.DataFrame,
) -> tuple[pd.DataFrame, ImportReport]:
    """Host communes of each QPV: ``code, name, dep, commune_names, communes`` (``|``-joined codes).

    Rule, applied to each name of ``LIB_COM`` (comma-separated) within the QPV's department:
    1. the exceptions file (``dep, name, commune``) for renamed or merged communes;
    2. a *commune actuelle* of the same normalised name;
    3. a delegated/associated commune or a municipal arrondissement (Lyon 8e…) of that
       name -> the commune actuelle that holds it (69388 -> 69123).
    A name matching nothing is reported, never dropped silently.
    """
    report = ImportReport(source="Communes des QPV")
    by_name = {(dep, normalise(name)): code for dep, name, code in zip(communes["dep"], communes["name"], communes["code"])}
    by_former = {(dep, normalise(name)): parent for dep, name, parent in zip(former["dep"], former["name"], former["parent"])}
    by_exception = {(dep, normalise(name)): code for dep, name, code in
                    zip(exceptions["dep"], exceptions["name"], exceptions["commune"])}
    rows = []
    for code, name, dep, hosts in zip(qpv["code"], qpv["name"], qpv["dep"], qpv["LIB_COM"]):
        report.rows_read += 1
        names = [n.strip() for n in str(hosts).split(",") if n.strip()]
        matched: list[str] = []
        for host in names:
            key = (dep, normalise(host))
            commune = by_exception.get(key) or by_name.get(key) or by_former.get(key)
            if commune is None:
                report.reject(f"commune introuvable : {host} ({dep})")
            elif commune not in matched:
                matched.append(commune)
        if matched:
            report.rows_kept += 1
        rows.append({"code": code, "name": name, "dep": dep, "commune_names": ", ".join(names),
                     "communes": "|".join(matched)})
    return pd.DataFrame(rows), report
