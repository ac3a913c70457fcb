"""The pact's objectives: targets per indicator, territory, public, pathway type, axis and year (issue 27).

Format (the records' formats: CSV ``,`` ``;`` tab, xlsx, xls, ods, parquet, recognised by content; French
headers accepted), one row per objective:

===============  ================================================================================
objective_id     identifier (text), unique
indicator        ``entries`` (number of entries in training), ``access``, ``abandonment``,
                 ``certification``, ``employment_6m``, ``employment_12m``, ``qpv_share`` (share of
                 entrants living in a QPV), ``fill_rate`` (places filled / places opened); codes or
                 the French labels the pages show
scope            the region's code or one of its departments' (``84``, ``01``, ``2A``)
public           empty = all, else a public of the rates (``qpv``, ``moins_26``…, or its label)
pathway_type     empty = all, else ``preparatoire`` | ``certifiant`` | ``professionnalisant`` |
                 ``prealable_recrutement``
axis             empty = both, else ``1`` | ``2``
year             the year the target is for (entries of that year)
baseline         the initial value (optional); rates as fractions 0–1 (``0,11``) or with ``%`` (``11 %``)
baseline_year    the year of the initial value (required with a baseline, before ``year``)
target           the target; rates as fractions 0–1 or with ``%``; entries as a whole number
comment          free text (PILOTE's « commentaires locaux »)
===============  ================================================================================

A line that cannot be an objective is set aside with its line number and reason, the others kept:
an unknown indicator, public, pathway type or axis; a rate outside 0–1 (``15`` for 15 % is refused:
write ``0,15`` or ``15 %``); a territory outside the region; a year or baseline year unreadable, or a
baseline year not before the year; a baseline without its year; a target missing; an identifier
empty or repeated (every line of a repeated identifier: none is chosen over another).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib.core.errors import DataError, ImportReport
from lib.sources import values
from lib.sources.opener import open_bytes, read_user_table
from lib.sources.records import AXES, LABELS, PATHWAYS, PUBLICS, VOCABULARIES, _Rows

RATES = ["access", "abandonment", "certification", "employment_6m", "employment_12m", "qpv_share", "fill_rate"]
INDICATORS = ["entries", *RATES]
INDICATOR_LABELS = {
    "entries": "Entrées en formation", "access": "Taux d'accès", "abandonment": "Taux d'abandon",
    "certification": "Taux de certification", "employment_6m": "Retour à l'emploi à 6 mois",
    "employment_12m": "Retour à l'emploi à 12 mois", "qpv_share": "Part des entrants résidant en QPV",
    "fill_rate": "Taux de places pourvues",
}
COLUMNS: dict[str, tuple[str, ...]] = {
    "objective_id": ("id_objectif", "identifiant", "identifiant_objectif", "objectif", "id"),
    "indicator": ("indicateur",),
    "scope": ("territoire", "perimetre", "périmètre", "code_territoire"),
    "public": ("public_cible",),
    "pathway_type": ("type_parcours", "type de parcours", "parcours"),
    "axis": ("axe",),
    "year": ("annee", "année", "annee_cible", "année cible", "echeance", "échéance"),
    "baseline": ("valeur_initiale", "valeur initiale", "reference", "référence", "valeur_reference"),
    "baseline_year": ("annee_initiale", "année initiale", "annee_reference", "année de référence"),
    "target": ("cible", "valeur_cible", "valeur cible"),
    "comment": ("commentaire", "commentaires", "commentaires locaux", "remarque"),
}
REQUIRED = ["objective_id", "indicator", "scope", "year", "target"]
INDICATOR_WORDS = {code: (label, code.replace("_", " ")) for code, label in INDICATOR_LABELS.items()} | {
    "entries": (INDICATOR_LABELS["entries"], "entrées", "entrees", "nombre d'entrées", "parcours"),
    "qpv_share": (INDICATOR_LABELS["qpv_share"], "part QPV", "part des QPV", "taux QPV"),
    "fill_rate": (INDICATOR_LABELS["fill_rate"], "places pourvues", "taux de remplissage"),
}
OUTPUT = ["objective_id", "indicator", "scope", "public", "pathway_type", "axis", "year", "baseline", "baseline_year",
          "target", "comment"]


def read_objectives(source: str | Path | bytes, region_code: str, dep_codes: list[str] | tuple[str, ...],
                    filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """The objectives (columns :data:`OUTPUT` and ``line``) and the report naming every line set aside."""
    filename = filename or ("objectifs.csv" if isinstance(source, (bytes, bytearray)) else Path(str(source)).name)
    table = read_user_table(open_bytes(source, filename), filename, COLUMNS, "un fichier d'objectifs", min_match=4)
    text = table.frame
    missing = [c for c in REQUIRED if c not in text.columns]
    if missing:
        raise DataError(f"« {filename} » : colonne(s) obligatoire(s) absente(s) : {', '.join(missing)} "
                        f"(attendues : {', '.join(OUTPUT)}).")
    for column in OUTPUT:
        if column not in text.columns:
            text[column] = ""
    report = ImportReport(source=f"Objectifs ({filename})")
    table.annotate(report)
    report.rows_read = len(text) + len(table.ragged)
    for line, reason in table.ragged.items():
        report.reject(reason, 1, [line])
    rows = _Rows(table.lines)
    tidy = _parse(text, rows, str(region_code), [str(d) for d in dep_codes])
    rows.report_to(report)
    keep = rows.keep
    report.rows_kept = int(keep.sum())
    out = tidy[keep].reset_index(drop=True)
    if out.empty:
        raise DataError(f"« {filename} » : aucun objectif valide ({report.summary()})")
    return out, report


def _parse(text: pd.DataFrame, rows: _Rows, region: str, deps: list[str]) -> pd.DataFrame:
    ident = text["objective_id"].str.strip()
    rows.reject(ident.eq(""), "identifiant d'objectif vide")
    rows.reject(ident.duplicated(keep=False) & ident.ne(""), "identifiant d'objectif en double (aucune ligne choisie)")
    indicator, bad = values.coded(text["indicator"], INDICATOR_WORDS)
    rows.reject(bad | indicator.eq(""), f"indicateur inconnu (possibles : {', '.join(INDICATORS)})")
    scope = text["scope"].str.strip().str.upper().str.replace(r"\.0$", "", regex=True)
    scope = scope.where(~scope.str.fullmatch(r"\d"), "0" + scope)
    rows.reject(~scope.isin([region, *deps]), f"territoire hors de la région (la région {region} ou ses départements "
                                              f"{', '.join(deps)})")
    coded = {}
    for column, vocabulary, possible in (("public", VOCABULARIES["public"], PUBLICS),
                                         ("pathway_type", VOCABULARIES["pathway_type"], PATHWAYS),
                                         ("axis", VOCABULARIES["axis"], AXES)):
        coded[column], unknown = values.coded(text[column], vocabulary)
        rows.reject(unknown, f"{column} inconnu (vide = tous ; possibles : {', '.join(possible)})")
    coded["public"] = coded["public"].where(coded["public"].ne("ensemble"), "")  # « ensemble » is « all »
    year = _whole(text["year"])
    baseline_year = _whole(text["baseline_year"])
    rows.reject(year.isna() | ~year.between(2000, 2100), "année de l'objectif absente ou illisible")
    target, bad_target = _amounts(text["target"], indicator)
    baseline, bad_baseline = _amounts(text["baseline"], indicator)
    rows.reject(target.isna(), "cible absente ou illisible")
    is_rate = indicator.isin(RATES)
    rows.reject(bad_target | (is_rate & ~target.between(0, 1)), "cible d'un taux hors de 0–1 (écrivez 0,15 ou 15 %)")
    rows.reject(bad_baseline | (is_rate & baseline.notna() & ~baseline.between(0, 1)),
                "valeur initiale d'un taux hors de 0–1 (écrivez 0,11 ou 11 %)")
    rows.reject(baseline.notna() & baseline_year.isna(), "valeur initiale sans son année (baseline_year)")
    rows.reject(baseline_year.notna() & year.notna() & (baseline_year >= year),
                "année initiale qui n'est pas avant l'année de l'objectif")
    rows.reject(~is_rate & target.notna() & (target < 0), "nombre d'entrées visé négatif")
    return pd.DataFrame({
        "objective_id": ident, "indicator": indicator, "scope": scope, "public": coded["public"],
        "pathway_type": coded["pathway_type"], "axis": coded["axis"], "year": year, "baseline": baseline,
        "baseline_year": baseline_year, "target": target, "comment": text["comment"].str.strip(), "line": rows.lines,
    })


def _whole(column: pd.Series) -> pd.Series:
    parsed, _ = values.numbers(column.str.strip())
    return parsed.where(parsed == parsed.round())


def _amounts(column: pd.Series, indicator: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Numbers; ``15 %`` is 0,15 (a rate written as a percentage is unambiguous with its sign)."""
    text = column.astype(str).str.strip()
    percent = text.str.endswith("%")
    number, bad = values.numbers(text.str.rstrip("%").str.strip())
    number = number.where(~percent, number / 100)
    return number, bad | (percent & ~indicator.isin(RATES) & text.ne(""))


def labels(public: str, pathway_type: str, axis: str) -> str:
    """« Résidents QPV · Certifiant / qualifiant · axe 1 », or « Tous publics »."""
    parts = [LABELS["publics"].get(public, "") if public else "Tous publics",
             LABELS["pathway_type"].get(pathway_type, "") if pathway_type else "", f"axe {axis}" if axis else ""]
    return " · ".join(p for p in parts if p)


def template() -> pd.DataFrame:
    """An empty objectives table with its columns (the page's editor starts from it)."""
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("baseline", "target") else "object") for c in OUTPUT})


def as_file(frame: pd.DataFrame) -> bytes:
    """The objectives as the CSV the reader reads back (``;``, UTF-8 with BOM: Excel opens it in French)."""
    out = frame[[c for c in OUTPUT if c in frame]].copy()
    for column in ("year", "baseline_year"):
        if column in out:
            out[column] = out[column].map(lambda v: "" if pd.isna(v) or v == "" else str(int(float(v))))
    for column in ("baseline", "target"):
        if column in out:
            out[column] = out[column].map(lambda v: "" if pd.isna(v) or v == "" else f"{float(v):.6g}")
    return out.fillna("").to_csv(sep=";", index=False).encode("utf-8-sig")
