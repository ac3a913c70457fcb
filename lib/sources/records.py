"""Pseudonymised training-entry records (BREST/Agora-style extracts) and access denominators.

Record format (CSV ``,``/``;``, XLSX or parquet; one row per training entry) — also shown on the
methodology page:

=====================  =================================================================
entry_id, person_id    identifiers (text); a person may have several entries
entry_date, exit_date  ``YYYY-MM-DD`` (or ``DD/MM/YYYY``); exit empty while ongoing
residence_commune      Insee code (text) — or a ``dep`` column
age, sex               years; ``F`` / ``M``
education_level        ``infra3`` | ``3`` | ``4`` | ``5plus`` (infra-bac = infra3 or 3)
qpv, zrr_frr, rqth,    0/1 flags
rsa, single_parent,
registered_job_seeker
pathway_type           ``preparatoire`` | ``certifiant`` | ``professionnalisant`` |
                       ``prealable_recrutement``
axis                   1 | 2
nsf                    optional NSF code
outcome                ``en_cours`` | ``terminee`` | ``abandon``
abandon_reason         code of the pact's motif list (:data:`ABANDON_REASONS`) or empty
certified,             1 / 0 / empty (unknown)
employed_6m,
employed_12m
=====================  =================================================================

The tidy table adds ``year`` (of entry), ``dep`` (from the commune), ``commune`` and an integer
``person_key``; coded columns are categoricals, flags int8, results float (NaN = unknown).

Denominators (CSV): ``year, dep, public, job_seekers`` with publics :data:`PUBLICS`.
"""
from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from lib.errors import DataError, ImportReport
from lib.sources.tabular import decode, load_bytes

EDUCATION = ["infra3", "3", "4", "5plus"]
PATHWAYS = ["preparatoire", "certifiant", "professionnalisant", "prealable_recrutement"]
OUTCOMES = ["en_cours", "terminee", "abandon"]
AXES = ["1", "2"]
PUBLICS = ["ensemble", "infra_bac", "moins_26", "qpv", "zrr_frr", "rqth", "rsa", "parent_isole"]
FLAGS = ["qpv", "zrr_frr", "rqth", "rsa", "single_parent", "registered_job_seeker"]
RESULTS = ["certified", "employed_6m", "employed_12m"]
# The pact's abandonment motifs (table "Région / Motifs").
ABANDON_REASONS = {
    "abandon_projet": "Abandon du projet de formation",
    "absence_non_justifiee": "Absence ou abandon non justifié par le demandeur d'emploi",
    "arret_maladie_conge": "Arrêt maladie / Congé maternité ou paternité",
    "autres": "Autres",
    "creation_reprise_entreprise": "Création / Reprise d'entreprise",
    "raison_materielle": "Raison matérielle (mobilité, déménagement, finances)",
    "retenu_autre_formation": "Retenu(e) sur autre formation",
}
REQUIRED = ["entry_id", "person_id", "entry_date", "exit_date", "age", "sex", "education_level", *FLAGS,
            "pathway_type", "axis", "outcome", "abandon_reason", *RESULTS]
LABELS = {
    "publics": {"ensemble": "Ensemble", "infra_bac": "Infra-bac (niveau < IV)", "moins_26": "Moins de 26 ans",
                "qpv": "Résidents QPV", "zrr_frr": "Résidents ZRR/FRR", "rqth": "Personnes handicapées (RQTH)",
                "rsa": "Allocataires du RSA", "parent_isole": "Parents isolés"},
    "pathway_type": {"preparatoire": "Préparatoire", "certifiant": "Certifiant / qualifiant",
                     "professionnalisant": "Professionnalisant", "prealable_recrutement": "Préalable au recrutement"},
}


def _read_frame(source: str | Path | bytes, filename: str) -> pd.DataFrame:
    suffix = Path(filename).suffix.lower()
    data = load_bytes(source, filename)
    try:
        if suffix == ".parquet":
            frame = pd.read_parquet(io.BytesIO(data))
            return frame.astype({c: "str" for c in frame.columns if frame[c].dtype == object})
        if suffix in (".xlsx", ".xls"):
            return pd.read_excel(io.BytesIO(data), dtype=str, engine="calamine").fillna("")
    except Exception as err:  # pyarrow / calamine raise their own types for a damaged file
        raise DataError(f"« {filename} » n'a pas pu être lu comme fichier {suffix[1:]} : fichier abîmé ?") from err
    if suffix not in (".csv", ".txt"):
        raise DataError(f"« {filename} » : format non pris en charge (CSV, XLSX ou parquet attendu).")
    text = decode(data, filename)
    first = text.splitlines()[0] if text else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    return pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)


def _dates(values: pd.Series) -> pd.Series:
    text = values.astype(str).str.strip()
    iso = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
    french = pd.to_datetime(text, format="%d/%m/%Y", errors="coerce")
    return iso.fillna(french)


def _binary(values: pd.Series) -> pd.Series:
    """'1'/'0'/'' -> 1.0/0.0/NaN; anything else -> -1 (invalid)."""
    text = values.astype(str).str.strip().str.replace(r"\.0$", "", regex=True).replace({"nan": "", "None": ""})
    return text.map({"1": 1.0, "0": 0.0, "": np.nan}).fillna(-1).where(text.ne(""), np.nan)


def read_records(source: str | Path | bytes, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Validate and type the records; rows that break a rule are rejected and counted with the reason."""
    filename = filename or Path(str(source)).name
    raw = _read_frame(source, filename)
    raw.columns = [str(c).strip() for c in raw.columns]
    missing = [c for c in REQUIRED if c not in raw.columns]
    if "residence_commune" not in raw.columns and "dep" not in raw.columns:
        missing.append("residence_commune (ou dep)")
    if missing:
        raise DataError(f"« {filename} » : colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}.")
    report = ImportReport(source=f"Entrées en formation ({filename})")
    report.rows_read = len(raw)
    text = raw.astype(str).apply(lambda col: col.str.strip().replace({"nan": "", "None": "", "NaT": ""}))
    bad = pd.Series("", index=raw.index, dtype=object)

    def flag(mask: pd.Series, reason: str) -> None:
        fresh = mask & bad.eq("")
        bad[fresh] = reason

    entry = _dates(text["entry_date"])
    exit_ = _dates(text["exit_date"])
    flag(entry.isna(), "date d'entrée absente ou invalide")
    flag(text["exit_date"].ne("") & exit_.isna(), "date de sortie invalide")
    flag(exit_.notna() & entry.notna() & (exit_ < entry), "dates inversées (sortie avant entrée)")
    flag(text["entry_id"].eq(""), "entry_id vide")
    flag(text["entry_id"].duplicated() & text["entry_id"].ne(""), "entry_id en double")
    flag(text["person_id"].eq(""), "person_id vide")
    flag(~text["education_level"].isin(EDUCATION), "niveau de formation inconnu")
    flag(~text["pathway_type"].isin(PATHWAYS), "type de parcours inconnu")
    axis = text["axis"].str.replace(r"\.0$", "", regex=True)
    flag(~axis.isin(AXES), "axe inconnu (1 ou 2 attendu)")
    flag(~text["outcome"].isin(OUTCOMES), "issue inconnue (en_cours, terminee, abandon)")
    flag(text["outcome"].eq("en_cours") & exit_.notna(), "issue « en_cours » avec une date de sortie")
    flag(text["outcome"].ne("en_cours") & text["outcome"].isin(OUTCOMES) & exit_.isna(), "sortie sans date de sortie")
    flag(text["abandon_reason"].ne("") & ~text["abandon_reason"].isin(ABANDON_REASONS), "motif d'abandon inconnu")
    age = pd.to_numeric(text["age"], errors="coerce")
    flag(age.isna() | (age < 14) | (age > 80), "âge absent ou hors 14–80 ans")
    binaries = {}
    for column in FLAGS + RESULTS:
        values = _binary(text[column])
        binaries[column] = values
        flag(values.eq(-1), f"valeur 0/1 invalide ({column})")
        if column in FLAGS:
            flag(values.isna(), f"indicateur {column} vide")

    if "residence_commune" in text.columns and text["residence_commune"].ne("").any():
        commune = text["residence_commune"]
        short = commune.str.fullmatch(r"\d{4}")
        if short.any():
            report.notes.append(f"{int(short.sum())} codes commune complétés d'un zéro initial (ex. 1053 → 01053).")
        commune = commune.where(~short, "0" + commune)
        valid = commune.str.fullmatch(r"(\d{5}|2[AB]\d{3})")
        flag(~valid, "code commune invalide")
        dep = commune.str[:2].where(~commune.str.startswith("97"), commune.str[:3])
    else:
        commune = pd.Series("", index=raw.index)
        dep = text["dep"].where(~text["dep"].str.fullmatch(r"\d"), "0" + text["dep"])
        flag(~dep.str.fullmatch(r"(\d{2}|2[AB]|97\d)"), "code département invalide")

    for reason, count in bad[bad.ne("")].value_counts().items():
        report.reject(reason, int(count))
    keep = bad.eq("")
    report.rows_kept = int(keep.sum())
    if not report.rows_kept:
        raise DataError(f"« {filename} » : aucune ligne valide ({report.summary()})")
    tidy = pd.DataFrame({
        "entry_id": text["entry_id"], "person_id": text["person_id"], "entry_date": entry, "exit_date": exit_,
        "year": entry.dt.year, "dep": dep, "commune": commune, "age": age, "sex": text["sex"],
        "education_level": text["education_level"], "pathway_type": text["pathway_type"], "axis": axis,
        "nsf": text["nsf"] if "nsf" in text else "", "outcome": text["outcome"], "abandon_reason": text["abandon_reason"],
        **{c: binaries[c] for c in FLAGS + RESULTS},
    })[keep].reset_index(drop=True)
    tidy["year"] = tidy["year"].astype("int64")
    for column in FLAGS:
        tidy[column] = tidy[column].astype("int8")
    # Categories and an integer person key keep a million records fast to group and count.
    for column in ("dep", "sex", "education_level", "pathway_type", "axis", "outcome", "abandon_reason"):
        tidy[column] = tidy[column].astype("category")
    tidy["person_key"] = pd.factorize(tidy["person_id"])[0].astype("int64")
    return tidy, report


def read_denominators(source: str | Path | bytes, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """``year, dep, public, job_seekers``: job seekers of each public, the access-rate denominator."""
    filename = filename or Path(str(source)).name
    text = decode(load_bytes(source, filename), filename)
    first = text.splitlines()[0] if text else ""
    sep = ";" if first.count(";") > first.count(",") else ","
    raw = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False)
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c for c in ["year", "dep", "public", "job_seekers"] if c not in raw.columns]
    if missing:
        raise DataError(f"« {filename} » : colonne(s) absente(s) pour les dénominateurs : {', '.join(missing)}.")
    report = ImportReport(source=f"Dénominateurs ({filename})")
    report.rows_read = len(raw)
    dep = raw["dep"].str.strip()
    dep = dep.where(~dep.str.fullmatch(r"\d"), "0" + dep)
    seekers = pd.to_numeric(raw["job_seekers"].str.replace(r"[\s\u202f\u00a0]", "", regex=True), errors="coerce")
    year = pd.to_numeric(raw["year"], errors="coerce")
    reasons = pd.Series("", index=raw.index, dtype=object)
    reasons[~raw["public"].isin(PUBLICS)] = "public inconnu"
    reasons[reasons.eq("") & (seekers.isna() | (seekers < 0))] = "nombre de demandeurs d'emploi absent ou négatif"
    reasons[reasons.eq("") & year.isna()] = "année invalide"
    key = pd.DataFrame({"year": year, "dep": dep, "public": raw["public"]})
    reasons[reasons.eq("") & key.duplicated()] = "ligne en double (année, département, public)"
    for reason, count in reasons[reasons.ne("")].value_counts().items():
        report.reject(reason, int(count))
    keep = reasons.eq("")
    report.rows_kept = int(keep.sum())
    tidy = pd.DataFrame({"year": year[keep].astype("int64"), "dep": dep[keep], "public": raw.loc[keep, "public"],
                         "job_seekers": seekers[keep].astype("int64")}).reset_index(drop=True)
    return tidy, report
