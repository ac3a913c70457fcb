"""Données: what each file in use is (its card's facts and notes) and the column mapping of a records
file (which columns fit which field, what is still to decide); the widgets are :mod:`lib.app.import_widgets`."""
from __future__ import annotations

from typing import Any

from lib.core.fmt import fr_int
from lib.datasets import workspace
from lib.datasets.in_use import Datasets

# What the page names and the readers it hands to its uploaders (a page imports no reader itself).
from lib.datasets.workspace import KIND_LABELS, KINDS, SETTING  # noqa: E402, F401
from lib.sources.denominators import read_denominators  # noqa: E402, F401
from lib.sources.opener import MAX_UPLOAD_BYTES, size_text
from lib.sources.records import records_mapping  # noqa: E402, F401


def read_objectives(ds: Datasets, content: bytes, name: str):
    """An objectives file read for the region in use (the Données card's reader)."""
    from lib.sources.objectives import read_objectives as read

    return read(content, ds.region.code, ds.region.dep_codes, name)

SIZE_LIMIT = size_text(MAX_UPLOAD_BYTES)  # Streamlit says « 200MB per file » in English, in a tooltip
HELP = {kind: f"{text} {SIZE_LIMIT} au plus par fichier." for kind, text in {
    "unemployment": "Classeur Insee « Taux de chômage localisés » (.xls ou .xlsx).",
    "offer": "Export LHEO (XML, ou zip d'un ou plusieurs XML).",
    "records": "Entrées en formation : CSV, XLSX, XLS ou parquet, ou un zip d'un seul de ces fichiers (format décrit sur "
               "la page Sources et méthodologie).",
    "denominators": "Demandeurs d'emploi par année, département et public : year, dep, public, job_seekers (CSV, XLSX, "
                    "XLS ou parquet).",
    "objectives": "Objectifs du pacte : objective_id, indicator, scope, public, pathway_type, axis, year, baseline, "
                  "baseline_year, target, comment (CSV, XLSX ou ODS ; modifiables sur la page Objectifs du pacte).",
}.items()}
BADGES = {"fourni": ":green-badge[fourni]", "demo": ":orange-badge[démonstration]", "importe": ":blue-badge[importé]",
          "configure": ":violet-badge[configuré]", "absent": ":gray-badge[aucun]"}
NO_COLUMN = "(aucune)"


def card(ds: Datasets, kind: str) -> dict[str, Any]:
    """One source's card: the file in use (``chosen``), its facts as a markdown list (``facts``), the
    import report (``report``, ``None`` for absent denominators), the report's notes not already in the
    facts (``notes``) and, for imported records, the values no code matched (``unknown``)."""
    from lib.sources.lheo import COUNTED
    from lib.views.files_in_use import coverage

    chosen = ds.file_in_use(kind)
    lines, report = coverage(ds, kind)
    facts = [("En usage", BADGES[chosen.status]), ("Fichier", f"« {chosen.name} »"),
             ("Producteur", workspace.PRODUCERS[kind]), *lines]
    notes: list[str] = []
    if report is not None:
        unit = COUNTED.capitalize() if kind == "offer" else "Lignes"  # the LHEO reader counts offers, not sessions
        facts.append((unit, f"{fr_int(report.rows_read)} lues, {fr_int(report.rows_kept)} conservées, "
                            f"{fr_int(report.rows_rejected)} écartées"
                      + "".join(f", {fr_int(n)} {reason}" for reason, n in report.excluded.items())))
        as_of = report.meta.get("as_of")
        said = {f"Date d'observation : {as_of:%d/%m/%Y}."} if as_of is not None else set()  # already in the facts
        notes = [note for note in report.notes if note not in said]  # e.g. the file read inside an archive, the sheets
    unknown = report.meta.get("unknown_codes") if report is not None and kind == "records" else None
    return {"chosen": chosen, "facts": "\n".join(f"- **{label}** : {value}" for label, value in facts),
            "report": report, "notes": " ".join(notes), "unknown": unknown if chosen.status == "importe" else None}


def column_form(content: bytes, name: str, mapping) -> dict[str, Any] | None:
    """What the column editor of a records file asks: its ``headers``, the fields in the order asked
    (``fields``), the fields several columns fit (``ambiguous``: asked, never guessed) and the first guess
    for the others (``guess``: the profile in use, what the reader recognises, then similarity).
    ``None`` when no header can be read (the file's refusal is already said) or the file has one column."""
    from lib.core.errors import DataError
    from lib.sources.mapping import Mapping, file_headers, suggest_columns
    from lib.sources.opener import column_ambiguities
    from lib.sources.records import COLUMNS, REQUIRED

    try:
        headers = file_headers(content, name)
    except DataError:
        return None
    if len(headers) < 2:
        return None
    aliases = (mapping or Mapping()).aliases(COLUMNS)
    fields = [*REQUIRED, "residence_commune", *[f for f in COLUMNS if f not in REQUIRED and f != "residence_commune"]]
    return {"headers": headers, "fields": fields, "ambiguous": column_ambiguities(headers, aliases),
            "guess": {field: header for header, field in suggest_columns(headers, aliases).items()}}


def column_choices(choices: dict[str, str | None], ambiguous: dict[str, list[str]]) -> dict[str, Any]:
    """From the column chosen for each field: the profile's columns (``chosen``, header -> field), the
    ambiguous fields still undecided (``undecided``) and the columns chosen for several fields (``twice``)."""
    chosen = {header: field for field, header in choices.items()
              if header not in (None, NO_COLUMN) and (header != field or field in ambiguous)}
    fields_of: dict[str, list[str]] = {}
    for field, header in choices.items():
        if header not in (None, NO_COLUMN):
            fields_of.setdefault(header, []).append(field)
    return {"chosen": chosen, "undecided": [field for field in ambiguous if choices[field] is None],
            "twice": {header: names for header, names in fields_of.items() if len(names) > 1}}


def profile_counts(mapping) -> tuple[int, int]:
    """Columns and values (codes) a profile associates."""
    return len(mapping.columns), sum(len(values) for values in mapping.codes.values())
