"""Pseudonymised training-entry records (BREST/Agora-style extracts) and access denominators.

Record format (CSV ``,`` ``;`` or tab, XLSX/XLS or parquet, recognised by content; one row per
training entry) — also shown on the methodology page. Headers are compared without case, accents
or spaces, and the French names listed in :data:`COLUMNS` are accepted; coded fields take the codes
below or the French labels the dashboard shows; flags take 0/1, oui/non, vrai/faux, O/N, TRUE/FALSE
(or ``x`` and empty in a tick column), or a label and its negation (« Inscrit » / « Non inscrit »,
« QPV » / « Hors QPV », or one form naming the field: « Inscrit » throughout; « Non renseigné » is unknown); dates ISO, ``dd/mm/yyyy``, with a time part or
as Excel dates:

=====================  =================================================================
entry_id, person_id    identifiers (text); a person may have several entries
entry_date, exit_date  dates; exit empty while ongoing (an abandon without exit date is an abandon)
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
abandon_reason         code or label of the pact's motif list (:data:`ABANDON_REASONS`) or empty;
                       any other text is kept as ``non_reconnu`` (motif non reconnu) and reported
certified,             1 / 0 / empty (unknown)
employed_6m,
employed_12m
session_id             optional: the LHEO session entered (the offer's ``session/@numero``, or its
                       ``action/@numero``), text, empty = unknown; only the fill rate (places filled /
                       places opened, :mod:`lib.indicators.fill_rate`) uses it, and says when it is absent
=====================  =================================================================

Rules: a row is rejected (with its line number in the report) only when a *required* field is
unusable — ``entry_id`` (empty or repeated), ``person_id``, ``entry_date`` (invalid, before 1990
or after the observation date), ``outcome``, the residence (commune or department) — or when its
exit date is before its entry, or after the observation date for a finished or abandoned entry (an
ongoing entry's exit date is a planned end: kept ongoing, the date ignored). Municipal arrondissements
(69381…, 13201…, 75101…) are their city (69123, 13055, 75056); a department ``69D`` / ``69M`` is 69. Any other field that cannot be read
becomes unknown; the record is kept and the report counts it.

A file with one row per entry and per month (the same ``entry_id`` repeated with a month column
``period`` / ``mois``, or ongoing rows then the outcome) is collapsed to each entry's last known
state, and the report says how many rows were merged; contradictory states are rejected with their
lines (:func:`_person_months`).

The observation (extraction) date is given by the user (``--as-of``) or is the latest plausible
date of the file (never after today). It does not change any rate: a filled ``employed_6m`` is an
observed status and counts; statuses given for exits too recent to be observed are counted and
listed as a warning.

The tidy table adds ``year`` (of entry), ``dep`` (from the commune), ``commune``, ``line`` (line
number in the file) and an integer ``person_key``; coded columns are categoricals, flags float
(1/0/NaN unknown), results float (NaN = unknown).

Denominators (same formats): ``year, dep, public, job_seekers`` with publics :data:`PUBLICS`
(codes or labels); ``14 322``, ``14.322`` and ``14322.0`` are read as 14322: a value that could hold a
thousands separator (``2.000``) is read as the rest of the column writes numbers (a column of whole
numbers: 2 000), and refused with its line when the column cannot tell (``14322.0`` beside ``1.234.567``).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from lib.core.errors import DataError, ImportReport
from lib.sources import values
from lib.sources.communes import city_of_arrondissement, leading_zero_note, restore_leading_zero
from lib.sources.mapping import Mapping, load_mapping
from lib.sources.opener import open_bytes, read_user_table

EDUCATION = ["infra3", "3", "4", "5plus"]
PATHWAYS = ["preparatoire", "certifiant", "professionnalisant", "prealable_recrutement"]
OUTCOMES = ["en_cours", "terminee", "abandon"]
AXES = ["1", "2"]
PUBLICS = ["ensemble", "infra_bac", "moins_26", "qpv", "zrr_frr", "rqth", "rsa", "parent_isole"]
FLAGS = ["qpv", "zrr_frr", "rqth", "rsa", "single_parent", "registered_job_seeker"]
RESULTS = ["certified", "employed_6m", "employed_12m"]
UNKNOWN_REASON = "non_reconnu"
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
MOTIF_LABELS = {**ABANDON_REASONS, UNKNOWN_REASON: "Motif non reconnu"}
LABELS = {
    "publics": {"ensemble": "Ensemble", "infra_bac": "Infra-bac (niveau < IV)", "moins_26": "Moins de 26 ans",
                "qpv": "Résidents QPV", "zrr_frr": "Résidents ZRR/FRR", "rqth": "Personnes handicapées (RQTH)",
                "rsa": "Allocataires du RSA", "parent_isole": "Parents isolés"},
    "pathway_type": {"preparatoire": "Préparatoire", "certifiant": "Certifiant / qualifiant",
                     "professionnalisant": "Professionnalisant", "prealable_recrutement": "Préalable au recrutement"},
    "outcome": {"en_cours": "En cours", "terminee": "Terminée", "abandon": "Abandon"},
    "education_level": {"infra3": "Infra 3 (sans diplôme)", "3": "Niveau 3 (CAP, BEP)", "4": "Niveau 4 (bac)",
                        "5plus": "Niveau 5 et plus (bac+2 et plus)"},
}
# Accepted header names: the documented one first, then French names seen in real exports.
COLUMNS: dict[str, tuple[str, ...]] = {
    "entry_id": ("id_entree", "identifiant_entree", "numero_entree", "id_entrée"),
    "person_id": ("id_personne", "identifiant_personne", "identifiant_individu", "id_individu"),
    "entry_date": ("date_entree", "date d'entrée", "date_debut", "date de début"),
    "exit_date": ("date_sortie", "date de sortie", "date_fin", "date de fin"),
    "residence_commune": ("commune_residence", "code_commune", "commune", "depcom", "code_insee_commune"),
    "dep": ("departement", "code_departement", "département"),
    "age": ("âge", "age_entree", "âge à l'entrée"),
    "sex": ("sexe",),
    "education_level": ("niveau_formation", "niveau de formation", "niveau"),
    "qpv": ("resident_qpv", "résident QPV"),
    "zrr_frr": ("resident_zrr_frr", "zrr", "frr"),
    "rqth": ("travailleur_handicape", "th"),
    "rsa": ("beneficiaire_rsa", "allocataire_rsa"),
    "single_parent": ("parent_isole", "parent isolé"),
    "registered_job_seeker": ("demandeur_emploi", "demandeur_emploi_inscrit", "de_inscrit"),
    "pathway_type": ("type_parcours", "type de parcours"),
    "axis": ("axe",),
    "nsf": ("code_nsf",),
    "outcome": ("issue", "statut_sortie"),
    "abandon_reason": ("motif_abandon", "motif d'abandon"),
    "certified": ("certifie", "certifié", "certification_obtenue"),
    "employed_6m": ("emploi_6_mois", "en_emploi_6_mois", "emploi_6m"),
    "employed_12m": ("emploi_12_mois", "en_emploi_12_mois", "emploi_12m"),
    # (no « identifiant_session »: the column editor's similarity guess would take « Identifiant DE » for it)
    "session_id": ("id_session", "numero_session", "code_session", "session", "numero_action", "id_action"),
    # Only in files with one row per entry and per month: the month the row describes.
    "period": ("mois", "periode", "période", "month", "mois_observation", "mois_de_reference", "mois_reference",
               "mois_situation", "date_situation", "annee_mois", "année_mois"),
}
# French names of the fields, shown wherever a field is named on screen or on stderr, the code kept in
# parentheses (field_label) so an analyst can map it to the documented header and the JSON profile.
FIELD_NAMES = {
    "entry_id": "Identifiant de l'entrée", "person_id": "Identifiant de la personne",
    "entry_date": "Date d'entrée", "exit_date": "Date de sortie", "residence_commune": "Commune de résidence",
    "dep": "Département de résidence", "age": "Âge", "sex": "Sexe", "education_level": "Niveau de formation",
    "qpv": "Résident QPV", "zrr_frr": "Résident ZRR ou FRR", "rqth": "Reconnaissance de travailleur handicapé",
    "rsa": "Allocataire du RSA", "single_parent": "Parent isolé",
    "registered_job_seeker": "Inscrit comme demandeur d'emploi", "pathway_type": "Type de parcours",
    "axis": "Axe du Pacte", "nsf": "Domaine de formation NSF", "outcome": "Issue de la formation",
    "abandon_reason": "Motif d'abandon", "certified": "Certification obtenue", "employed_6m": "En emploi à 6 mois",
    "employed_12m": "En emploi à 12 mois", "period": "Mois de la ligne (une ligne par mois)",
    "session_id": "Identifiant de la session (offre LHEO)",
    # denominators
    "year": "Année", "public": "Public", "job_seekers": "Demandeurs d'emploi",
}


def field_label(name: str) -> str:
    """« Identifiant de l'entrée (entry_id) »: the French name, then the code."""
    return f"{FIELD_NAMES[name]} ({name})" if name in FIELD_NAMES else name


def field_labels(names) -> str:
    return ", ".join(field_label(n) for n in names)


REQUIRED = ["entry_id", "person_id", "entry_date", "outcome"]
# Read when given, never said missing: only the fill rate needs it, and says so where it is shown.
SILENT = ["session_id"]
OPTIONAL = [c for c in COLUMNS if c not in REQUIRED and c not in ("residence_commune", "dep", "period", *SILENT)]
# What changes from one month to the next in a file with one row per entry and per month.
PROGRESS = ["period", "outcome", "exit_date", "abandon_reason", "certified", "employed_6m", "employed_12m"]
VOCABULARIES: dict[str, dict[str, tuple[str, ...]]] = {
    "education_level": {
        "infra3": ("infra 3", "infra-3", "infra niveau 3", "niveau infra 3", "infra3 sans diplome", LABELS["education_level"]["infra3"],
                   "1", "2", "niveau 1", "niveau 2", "VI", "V bis", "Vbis", "sans diplôme"),
        "3": ("niveau 3", "V", "CAP", "BEP", "CAP BEP", LABELS["education_level"]["3"]),
        "4": ("niveau 4", "IV", "bac", LABELS["education_level"]["4"]),
        "5plus": ("5 plus", "5+", "5 et plus", "niveau 5 et plus", "5", "6", "7", "8", "III", "II", "I",
                  "bac+2 et plus", LABELS["education_level"]["5plus"]),
    },
    "pathway_type": {
        "preparatoire": ("Préparatoire", "préparatoire à la qualification", "parcours préparatoire"),
        "certifiant": ("Certifiant / qualifiant", "certifiant", "qualifiant", "certifiante", "certifiant qualifiant"),
        "professionnalisant": ("Professionnalisant", "professionnalisante"),
        "prealable_recrutement": ("Préalable au recrutement", "prealable", "AFPR/POEI", "AFPR POEI"),
    },
    "outcome": {
        "en_cours": ("En cours", "encours", "en formation"),
        "terminee": ("Terminée", "terminé", "termine", "fin de formation", "achevée"),
        "abandon": ("Abandon", "abandonnée", "abandonné"),
    },
    "axis": {"1": ("axe 1",), "2": ("axe 2",)},
    "sex": {"F": ("femme", "féminin", "2"), "M": ("homme", "masculin", "H", "1")},
    "abandon_reason": {code: (label,) for code, label in ABANDON_REASONS.items()},
    "public": {code: (label,) for code, label in LABELS["publics"].items()},
}
MIN_YEAR = 1990
# Word beginnings by which a flag column's lone label names its field (« Inscrit » for every entry is « oui »).
FLAG_WORDS = {
    "registered_job_seeker": frozenset({"inscrit", "demandeur", "defm"}), "qpv": frozenset({"qpv", "quartier"}),
    "zrr_frr": frozenset({"zrr", "frr"}), "rqth": frozenset({"rqth", "handicap"}),
    "rsa": frozenset({"rsa"}), "single_parent": frozenset({"parent", "monoparent"}),
    "certified": frozenset({"certifi", "diplom"}), "employed_6m": frozenset({"emploi"}), "employed_12m": frozenset({"emploi"}),
}


def records_mapping(source: str | Path | bytes) -> Mapping:
    """A mapping profile checked against the records' fields and codes."""
    return load_mapping(source, set(COLUMNS), {k: v for k, v in VOCABULARIES.items() if k != "public"})


def _source_name(source: str | Path | bytes, filename: str | None, default: str) -> str:
    if filename:
        return filename
    return default if isinstance(source, (bytes, bytearray, memoryview)) else Path(str(source)).name


class _Rows:
    """Row verdicts: the first unusable required field rejects the row (with its line number)."""

    def __init__(self, lines: np.ndarray):
        self.lines = lines
        self.reason = np.full(len(lines), "", dtype=object)

    def reject(self, mask, reason: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        self.reason[mask & (self.reason == "")] = reason

    @property
    def keep(self) -> np.ndarray:
        return self.reason == ""

    def report_to(self, report: ImportReport) -> None:
        rejected = ~self.keep
        for reason in pd.unique(self.reason[rejected]):
            mask = self.reason == reason
            report.reject(reason, int(mask.sum()), self.lines[mask].tolist())


def _unknown(report: ImportReport, mask: pd.Series | np.ndarray, keep: np.ndarray, what: str, rule: str = "") -> None:
    """Count the kept rows whose optional field ``what`` was filled but unreadable."""
    count = int((np.asarray(mask, dtype=bool) & keep).sum())
    if count:
        report.warn(f"{count} valeur(s) illisible(s) pour « {field_label(what)}{rule} » : considérée(s) comme inconnue(s), lignes conservées")


def _residence(text: pd.DataFrame, rows: _Rows, report: ImportReport) -> tuple[pd.Series, pd.Series]:
    """``commune`` (Insee code, leading zero restored) and ``dep`` of each row."""
    empty = pd.Series("", index=text.index, dtype="str")
    commune, completed = restore_leading_zero(text["residence_commune"] if "residence_commune" in text else empty)
    if completed:
        report.notes.append(leading_zero_note(completed))
    # Lyon, Paris and Marseille residents are often coded by municipal arrondissement: the commune is the city.
    commune, mapped, example = city_of_arrondissement(commune)  # example: one the file holds, not a made-up one
    if mapped:
        report.notes.append(f"{mapped} code(s) d'arrondissement municipal (ex. {example}) rapporté(s) à leur "
                            "commune (Lyon 69123, Marseille 13055, Paris 75056).")
    valid_commune = commune.str.fullmatch(r"(\d{5}|2[AB]\d{3})")
    dep_from_commune = commune.str[:2].where(~commune.str.startswith("97"), commune.str[:3])
    dep_given = text["dep"].str.strip().str.upper().str.replace(r"\.0$", "", regex=True) if "dep" in text else empty
    dep_given = dep_given.where(~dep_given.str.fullmatch(r"\d"), "0" + dep_given)
    # « 69D » (Rhône) and « 69M » (Métropole de Lyon) are one department for Insee: 69.
    dep_given = dep_given.str.replace(r"^69\s*[DM]$", "69", regex=True)
    valid_dep = dep_given.str.fullmatch(r"(\d{2}|2[AB]|97\d)")
    dep = dep_from_commune.where(valid_commune, dep_given.where(valid_dep, ""))
    filled_commune = commune.ne("")
    rows.reject(filled_commune & ~valid_commune & ~valid_dep, "code commune invalide")
    rows.reject(dep.eq(""), "lieu de résidence absent (ni commune ni département)")
    return commune.where(valid_commune, ""), dep


def read_records(source: str | Path | bytes, filename: str | None = None,
                 as_of: pd.Timestamp | str | None = None,
                 today: pd.Timestamp | None = None, mapping: Mapping | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Validate and type the records; rows that break a rule are rejected and counted with the reason.

    ``as_of``: the observation (extraction) date; default: the latest plausible date of the file.
    ``mapping``: a column and code profile for exports whose header or codes differ.
    """
    filename = _source_name(source, filename, "entrees.csv")
    mapping = mapping or Mapping()
    names = mapping.aliases(COLUMNS)
    names.labels = FIELD_NAMES
    table = read_user_table(open_bytes(source, filename), filename, names, "un fichier d'entrées en formation",
                            min_match=3)
    text = table.frame
    missing = [field_label(c) for c in REQUIRED if c not in text.columns]
    if "residence_commune" not in text.columns and "dep" not in text.columns:
        missing.append(f"{field_label('residence_commune')} ou {field_label('dep')}")
    if missing:
        raise DataError(f"« {filename} » : colonne(s) obligatoire(s) absente(s) : {', '.join(missing)}. "
                        f"Colonnes reconnues : {field_labels(text.columns)}.")
    report = ImportReport(source=f"Entrées en formation ({filename})")
    table.annotate(report)  # notes, sheets not read, the sheet of each line number
    report.rows_read = len(text) + len(table.ragged)
    for line, reason in table.ragged.items():
        report.reject(reason, 1, [line])
    absent = [c for c in OPTIONAL if c not in text.columns]
    if absent:
        report.warn(f"colonne(s) absente(s) : {field_labels(absent)} — valeurs inconnues, indicateurs correspondants "
                    "non calculés")
    for column in absent + [c for c in SILENT if c not in text.columns]:
        text[column] = ""
    text, lines, contradictory = _person_months(text, table.lines, mapping.vocabulary("outcome", VOCABULARIES["outcome"]),
                                                report)
    rows = _Rows(lines)
    today = pd.Timestamp(today or pd.Timestamp.today()).normalize()

    entry_id = text["entry_id"].str.strip()
    person_id = text["person_id"].str.strip()
    rows.reject(entry_id.eq(""), f"{field_label('entry_id')} vide")
    rows.reject(contradictory, "entrée répétée (une ligne par mois) aux états contradictoires ou sans ordre lisible")
    rows.reject(entry_id.duplicated() & entry_id.ne(""), f"{field_label('entry_id')} en double")
    rows.reject(person_id.eq(""), f"{field_label('person_id')} vide")
    entry, _ = values.dates(text["entry_date"])
    exit_, bad_exit = values.dates(text["exit_date"])
    rows.reject(entry.isna(), "date d'entrée absente ou illisible")
    rows.reject(entry.dt.year < MIN_YEAR, f"date d'entrée invraisemblable (avant {MIN_YEAR})")
    outcome, bad_outcome = values.coded(text["outcome"], mapping.vocabulary("outcome", VOCABULARIES["outcome"]))
    # An ongoing entry's exit date is a planned end: it may lie after the extraction, and says nothing of it.
    ongoing = outcome.eq("en_cours")
    as_of = _observation_date(as_of, entry, exit_.where(~ongoing), today)
    rows.reject(entry > as_of, f"date d'entrée postérieure à la date d'observation ({as_of:%d/%m/%Y})")
    rows.reject((exit_ > as_of) & ~ongoing, f"date de sortie postérieure à la date d'observation ({as_of:%d/%m/%Y})")
    rows.reject(exit_.notna() & entry.notna() & (exit_ < entry), "dates incohérentes (sortie avant entrée)")
    rows.reject(bad_outcome | outcome.eq(""), "issue absente ou inconnue (en cours, terminée, abandon)")
    commune, dep = _residence(text, rows, report)

    keep = rows.keep
    _unknown(report, bad_exit, keep, "exit_date")
    unknown_codes = {"outcome": bad_outcome}
    coded = {}
    for column in ("education_level", "pathway_type", "axis", "sex"):
        coded[column], unknown = values.coded(text[column], mapping.vocabulary(column, VOCABULARIES[column]))
        _unknown(report, unknown, keep, column)
        unknown_codes[column] = unknown
    reason, unknown_reason = values.coded(text["abandon_reason"],
                                          mapping.vocabulary("abandon_reason", VOCABULARIES["abandon_reason"]))
    reason = reason.where(~unknown_reason, UNKNOWN_REASON).where(outcome.eq("abandon"), "")
    unknown_codes["abandon_reason"] = unknown_reason & outcome.eq("abandon")
    # The values no code matched, per field: the page Données offers to map them onto the codes.
    report.meta["unknown_codes"] = {column: sorted(text.loc[mask.to_numpy(), column].str.strip().unique().tolist())[:30]
                                    for column, mask in unknown_codes.items() if mask.any()}
    unknown_motifs = int((unknown_reason & outcome.eq("abandon") & keep).sum())
    if unknown_motifs:
        report.warn(f"{unknown_motifs} motif(s) d'abandon hors de la liste du Pacte : comptés comme « motif non reconnu »")
    try:
        age, bad_age = values.numbers(text["age"])
    except values.AmbiguousNumbers as err:  # « 25.000 »: 25 or 25 000 — unknown, said, never guessed
        ambiguous = pd.Series(False, index=text.index)
        ambiguous.iloc[err.positions] = True
        age, bad_age = values.numbers(text["age"].where(~ambiguous, ""))
        bad_age |= ambiguous
    bad_age |= age.notna() & ~age.between(14, 80)
    age = age.where(~bad_age)
    _unknown(report, bad_age, keep, "age", ", 14 à 80 ans")
    parsed_flags = {}
    for column in FLAGS + RESULTS:
        parsed_flags[column], invalid = values.flags(text[column], FLAG_WORDS.get(column, frozenset()))
        _unknown(report, invalid, keep, column)
        if column in RESULTS:  # an unreadable result is not an empty one (not observed): the rates must know
            parsed_flags[f"unreadable_{column}"] = invalid.to_numpy(dtype=bool)
        if column in FLAGS and column not in absent:
            empty = int((parsed_flags[column].isna() & ~invalid & keep).sum())
            if empty:
                report.warn(f"{empty} valeur(s) vide(s) ou « inconnu » pour « {field_label(column)} » : considérée(s) comme "
                            "inconnue(s) (jamais comme « non »), lignes conservées")
    planned = ongoing & (exit_ > as_of) & keep
    if planned.any():
        report.notes.append(f"{int(planned.sum())} entrée(s) « en cours » avec une date de fin prévue après la date "
                            f"d'observation ({as_of:%d/%m/%Y}) : conservée(s) en cours.")
    ongoing_with_exit = ongoing & exit_.notna() & ~planned & keep
    if ongoing_with_exit.any():
        report.warn(f"{int(ongoing_with_exit.sum())} entrée(s) « en cours » avec une date de sortie passée : date ignorée")
    exit_ = exit_.where(~ongoing)
    exits_without_date = outcome.isin(["terminee", "abandon"]) & exit_.isna() & keep
    if exits_without_date.any():
        report.notes.append(f"{int(exits_without_date.sum())} sortie(s) sans date de sortie : comptée(s) dans l'abandon "
                            "et la certification, et dans le retour à l'emploi si le statut est renseigné.")

    rows.report_to(report)
    report.rows_kept = int(keep.sum())
    if not report.rows_kept:
        raise DataError(f"« {filename} » : aucune ligne valide ({report.summary()})")
    tidy = pd.DataFrame({
        "entry_id": entry_id, "person_id": person_id, "entry_date": entry, "exit_date": exit_,
        "year": entry.dt.year, "dep": dep, "commune": commune, "age": age, "sex": coded["sex"],
        "education_level": coded["education_level"], "pathway_type": coded["pathway_type"], "axis": coded["axis"],
        "nsf": text["nsf"].str.strip(), "session_id": text["session_id"].str.strip(), "outcome": outcome, "abandon_reason": reason,
        **parsed_flags, "line": lines,
    })[keep].reset_index(drop=True)
    tidy["year"] = tidy["year"].astype("int64")
    # Categories and an integer person key keep a million records fast to group and count.
    for column in ("dep", "sex", "education_level", "pathway_type", "axis", "outcome", "abandon_reason"):
        tidy[column] = tidy[column].replace("", np.nan).astype("category") if column in coded else \
            tidy[column].astype("category")
    tidy["person_key"] = pd.factorize(tidy["person_id"])[0].astype("int64")
    report.meta["as_of"] = as_of
    report.notes.append(f"Date d'observation : {as_of:%d/%m/%Y}.")
    _recent_statuses(tidy, as_of, report)
    return tidy, report


def _period_key(period: pd.Series) -> pd.Series:
    """A sortable key of a month column (``2021-03``, ``03/2021``, ``202103``, a date or a month number);
    NaN when unreadable."""
    parsed, _ = values.dates(period)
    for fmt in ("%Y-%m", "%m/%Y", "%m-%Y", "%Y%m", "%Y/%m"):
        missing = parsed.isna() & period.ne("")
        if not missing.any():
            break
        parsed[missing] = pd.to_datetime(period[missing], format=fmt, errors="coerce")
    key = pd.Series(parsed.astype("int64").astype(float), index=period.index).where(parsed.notna())
    number = pd.to_numeric(period.where(key.isna()), errors="coerce")  # month numbers 1, 2, 3…
    return key.fillna(number)


def _person_months(text: pd.DataFrame, lines: np.ndarray, outcome_words: dict,
                   report: ImportReport) -> tuple[pd.DataFrame, np.ndarray, pd.Series]:
    """Files with one row per entry and per month (the same ``entry_id`` repeated, the first rows
    ongoing, the later ones with the outcome) collapse to the last known state of each entry.

    Detected when repeated entries differ only by what changes over time (:data:`PROGRESS`). The
    rows are ordered by the month column when there is one, else ongoing before finished; each
    field takes its last filled value. An entry whose states contradict each other (finished, then
    ongoing again; two outcomes; two results without a month to order them; a month unreadable) is
    returned in ``contradictory``: rejected with its lines, never resolved by keeping a row.
    Repeated entries that differ by anything else are left to the « entry_id en double » rule.
    """
    entry_id = text["entry_id"].str.strip()
    repeated = entry_id.ne("") & entry_id.duplicated(keep=False)
    nothing = pd.Series(False, index=text.index)
    if not repeated.any():
        return text, lines, nothing
    sub = text[repeated].apply(lambda column: column.str.strip()).assign(entry_id=entry_id[repeated])
    varying = [c for c in PROGRESS if c in sub.columns]
    stable = [c for c in sub.columns if c not in varying]
    grouped = sub.groupby("entry_id", sort=False)
    same_entry = grouped[stable].nunique(dropna=False).le(1).all(axis=1)
    changing = grouped[varying].nunique(dropna=False).gt(1).any(axis=1)
    monthly = same_entry & changing
    if not monthly.any():
        return text, lines, nothing
    sub = sub[sub["entry_id"].map(monthly)]
    code, _ = values.coded(sub["outcome"], outcome_words)
    finished = code.isin(["terminee", "abandon"]).astype(int)
    with_month = "period" in sub and sub["period"].ne("").all()
    key = _period_key(sub["period"]) if with_month else finished.astype(float)
    ordered = sub.assign(_key=key, _finished=finished, _code=code.where(code.isin(["terminee", "abandon"]), ""),
                         _line=pd.Series(lines, index=text.index)[sub.index]).sort_values(["entry_id", "_key", "_line"])
    by_entry = ordered.groupby("entry_id", sort=False)
    ids = ordered["entry_id"]
    contradiction = ordered["_key"].isna().groupby(ids).any()  # a month that cannot be read
    contradiction |= ordered["_code"].replace("", np.nan).groupby(ids).nunique().gt(1)  # two outcomes
    contradiction |= (ordered["_finished"] < by_entry["_finished"].cummax()).groupby(ids).any()  # finished, then not
    if not with_month:  # nothing orders two results: they must agree
        results = [c for c in ("certified", "employed_6m", "employed_12m", "abandon_reason") if c in ordered]
        contradiction |= ordered[results].replace("", np.nan).groupby(ids).nunique().gt(1).any(axis=1)
    # A finished entry's exit date is the one written with its outcome, not an ongoing month's planned end.
    ends = by_entry["_finished"].transform("max").eq(1) & ordered["_finished"].eq(0)
    ordered["exit_date"] = ordered["exit_date"].where(~ends, "")
    state = ordered.drop(columns=["_key", "_finished", "_code"]).replace("", np.nan).groupby("entry_id", sort=False).last()
    state = state.fillna("").reset_index()
    state["_line"] = by_entry["_line"].last().to_numpy()
    good = state[~state["entry_id"].map(contradiction).to_numpy(dtype=bool)]
    bad_ids = set(contradiction[contradiction].index)
    merged_rows = int(ordered["entry_id"].isin(set(good["entry_id"])).sum())
    keep = ~entry_id.isin(set(good["entry_id"]))
    out = pd.concat([text[keep].assign(_line=lines[keep.to_numpy()]), good[[*text.columns, "_line"]]], ignore_index=True)
    out = out.sort_values("_line", kind="stable").reset_index(drop=True)
    new_lines = out.pop("_line").to_numpy(dtype=np.int64)
    if len(good):
        report.exclude("ligne(s) regroupée(s) (une ligne par entrée et par mois)", merged_rows - len(good))
        report.warn(f"fichier à une ligne par entrée et par mois : {merged_rows} lignes de {len(good)} entrées "
                    f"regroupées en une ligne par entrée, l'état le plus récent retenu "
                    f"({'ordre de la colonne des mois' if with_month else 'en cours avant terminée ou abandon'})")
    return out, new_lines, out["entry_id"].str.strip().isin(bad_ids)


def _observation_date(as_of, entry: pd.Series, exit_: pd.Series, today: pd.Timestamp) -> pd.Timestamp:
    """The given extraction date, else the latest date of the file that is not in the future."""
    if as_of is not None:
        stamp = pd.Timestamp(as_of)
        if pd.isna(stamp):
            raise DataError("Date d'observation illisible : écrivez-la AAAA-MM-JJ.")
        return stamp.normalize()
    plausible = pd.concat([entry, exit_])
    plausible = plausible[(plausible <= today) & (plausible.dt.year >= MIN_YEAR)]
    return plausible.max() if len(plausible) and pd.notna(plausible.max()) else today


def _recent_statuses(records: pd.DataFrame, as_of: pd.Timestamp, report: ImportReport) -> None:
    """Statuses given for exits too recent to be observed: counted, and said."""
    for months in (6, 12):
        recent = records["exit_date"] > as_of - pd.DateOffset(months=months)
        given = recent & records[f"employed_{months}m"].notna() & records["outcome"].isin(["terminee", "abandon"])
        if given.any():
            lines = ", ".join(report.line_label(n, short=True) for n in records.loc[given, "line"].head(5))
            report.warn(f"{int(given.sum())} statut(s) d'emploi à {months} mois renseigné(s) pour des sorties de moins de "
                        f"{months} mois avant la date d'observation (lignes {lines}{'…' if given.sum() > 5 else ''}) : "
                        "comptés tels quels, vérifiez l'extraction")


def restrict_to_region(records: pd.DataFrame, dep_codes: list[str], report: ImportReport) -> pd.DataFrame:
    """Rows of the region's departments only; the others are counted apart in the report."""
    inside = records["dep"].astype(str).isin(dep_codes)
    outside = records.loc[~inside, "dep"].astype(str)
    if len(outside):
        deps = ", ".join(sorted(outside.unique())[:10])
        report.exclude(f"entrées hors région exclues (départements {deps})", len(outside))
        report.rows_kept -= len(outside)
        if not inside.any():
            raise DataError(f"{report.source} : aucune entrée dans les départements de la région "
                            f"({', '.join(dep_codes)}) ; départements trouvés : {deps}.")
    kept = records[inside].reset_index(drop=True)
    kept["dep"] = kept["dep"].cat.remove_unused_categories()
    return kept
