"""Access denominators: job seekers per year, department and public, the access rate's denominator.

Format (the records' formats: CSV, workbook, parquet, recognised by content): ``year, dep, public,
job_seekers`` with publics :data:`~lib.sources.records.PUBLICS` (codes or labels); ``14 322``, ``14.322`` and
``14322.0`` are read as 14322: a value that could hold a thousands separator (``2.000``) is read as the
rest of the column writes numbers (a column of whole numbers: 2 000), and refused with its line when the
column cannot tell (``14322.0`` beside ``1.234.567``).

One figure per (year, department, public). A file given per quarter or per month (a stock at each
period: the year's figure is their average), per sex or age band (added up, or the « Ensemble » row
taken), is read as :mod:`lib.sources.breakdowns` says; any other column that splits a key is asked
about; rows of one key with different counts are all set aside, never the first kept.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lib.core.errors import DataError, ImportReport
from lib.sources import values
from lib.sources.breakdowns import collapse_parts
from lib.sources.opener import open_bytes, read_user_table
from lib.sources.records import MIN_YEAR, VOCABULARIES, _Rows, _source_name, field_label, field_labels

DENOMINATOR_COLUMNS: dict[str, tuple[str, ...]] = {
    "year": ("annee", "année", "an"),
    "dep": ("departement", "département", "code_departement"),
    "public": ("public_cible", "public"),
    "job_seekers": ("demandeurs_emploi", "demandeurs d'emploi", "nb_demandeurs_emploi", "effectif", "de"),
}


def read_denominators(source: str | Path | bytes, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """``year, dep, public, job_seekers``: job seekers of each public, the access-rate denominator."""
    filename = _source_name(source, filename, "denominateurs.csv")
    table = read_user_table(open_bytes(source, filename), filename, DENOMINATOR_COLUMNS,
                            "un fichier de dénominateurs (year, dep, public, job_seekers)", min_match=3, others=True)
    raw = table.frame
    missing = [c for c in DENOMINATOR_COLUMNS if c not in raw.columns]
    if missing:
        raise DataError(f"« {filename} » : colonne(s) absente(s) pour les dénominateurs : {field_labels(missing)}.")
    report = ImportReport(source=f"Dénominateurs ({filename})")
    table.annotate(report)  # notes, sheets not read, the sheet of each line number
    report.rows_read = len(raw) + len(table.ragged)
    for line, reason in table.ragged.items():
        report.reject(reason, 1, [line])
    dep = raw["dep"].str.strip().str.upper().str.replace(r"\.0$", "", regex=True)
    dep = dep.where(~dep.str.fullmatch(r"\d"), "0" + dep)
    seekers = _counts(raw["job_seekers"], table.lines, filename, "job_seekers")
    year = _counts(raw["year"], table.lines, filename, "year")
    public, _ = values.coded(raw["public"], VOCABULARIES["public"])
    rows = _Rows(table.lines)
    rows.reject(public.eq(""), "public inconnu")
    rows.reject(~dep.str.fullmatch(r"(\d{2}|2[AB]|97\d)"), "code département invalide")
    rows.reject(seekers.isna() | (seekers < 0) | (seekers != seekers.round()),
                "nombre de demandeurs d'emploi absent, négatif ou non entier")
    rows.reject(year.isna() | ~year.between(MIN_YEAR, 2100), "année invalide")
    rows.report_to(report)
    keep = rows.keep
    valid = pd.DataFrame({"year": year, "dep": dep, "public": public, "job_seekers": seekers,
                          "line": table.lines})[keep]
    tidy = collapse_parts(valid, table.others, ["year", "dep", "public"], "job_seekers", report, filename,
                          "une même année, un même département et un même public", "année, département, public")
    report.rows_kept = len(tidy)
    if not report.rows_kept:
        raise DataError(f"« {filename} » : aucune ligne valide ({report.summary()})")
    tidy = tidy.astype({"year": "int64", "job_seekers": "int64"})[["year", "dep", "public", "job_seekers"]]
    return tidy.reset_index(drop=True), report


def _counts(column: pd.Series, lines: np.ndarray, filename: str, name: str) -> pd.Series:
    """A column of whole numbers; « 2.000 » read as the column writes numbers, refused when it cannot tell."""
    try:
        return values.numbers(column, count=True)[0]
    except values.AmbiguousNumbers as err:
        shown = ", ".join(str(n) for n in lines[err.positions][:8])
        raise DataError(f"« {filename} » : colonne {field_label(name)}, « {err.examples[0]} » (ligne(s) {shown}"
                        f"{'…' if len(err.positions) > 8 else ''}) peut se lire {err.examples[0].split('.')[0].split(',')[0]} "
                        f"ou {err.examples[0].replace('.', ' ').replace(',', ' ')} : les autres valeurs de la colonne ne "
                        "permettent pas de trancher. Écrivez les nombres sans séparateur de milliers (2000) ou avec une "
                        "espace (2 000).") from err


def restrict_denominators(denominators: pd.DataFrame, dep_codes: list[str], report: ImportReport) -> pd.DataFrame:
    """Denominators of the region's departments only; others counted apart (never silently dropped)."""
    inside = denominators["dep"].isin(dep_codes)
    if (~inside).any():
        deps = ", ".join(sorted(denominators.loc[~inside, "dep"].unique())[:10])
        report.exclude(f"lignes hors région exclues (départements {deps})", int((~inside).sum()))
        report.rows_kept -= int((~inside).sum())
        if not inside.any():
            raise DataError(f"{report.source} : aucun département de la région ({', '.join(dep_codes)}) ; "
                            f"départements trouvés : {deps}.")
    return denominators[inside].reset_index(drop=True)
