"""Which column of a user's file is which field: header matching, ambiguities refused, the table read (UserTable)."""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from lib.core.errors import AmbiguousColumns, DataError
from lib.core.text import normalise

HEADER_SEARCH_LINES = 15


@dataclass
class UserTable:
    """A table read from a user's file: text cells, canonical column names, source line numbers."""

    frame: pd.DataFrame
    lines: np.ndarray
    kind: str
    notes: list[str] = field(default_factory=list)
    ragged: dict[int, str] = field(default_factory=dict)  # line -> reason, rows set aside while reading
    warnings: list[str] = field(default_factory=list)  # what was not read (a sheet with another header)
    sheets: dict[int, str] = field(default_factory=dict)  # rows of several sheets: see lib.core.errors.SHEET_STRIDE
    # The columns no field took, by their header (read only when asked: ``read_user_table(others=True)``),
    # so that a reader can tell whether one of them changes what a row means (a quarter, a sex…).
    others: pd.DataFrame | None = None

    def annotate(self, report) -> None:
        """Pass to an import report what reading said: notes, warnings, and the sheets its line numbers name."""
        report.notes.extend(self.notes)
        for message in self.warnings:
            report.warn(message)
        report.sheets.update(self.sheets)


def other_columns(header: list, found: dict[int, str]) -> dict[int, str]:
    """Position -> header of the named columns no field took (empty headers are no column)."""
    named = {position: str(cell).strip() for position, cell in enumerate(header) if position not in found}
    return {position: name for position, name in named.items() if name and not name.startswith("Unnamed")}


class ColumnNames(dict):
    """Canonical name -> aliases, and the headers a user assigned to a field (a mapping profile):
    an assigned header settles its field whatever other column could also fit."""

    def __init__(self, columns: dict[str, tuple[str, ...]], chosen: dict[str, str] | None = None):
        super().__init__(columns)
        self.chosen = dict(chosen or {})  # header -> canonical name
        self.labels: dict[str, str] = {}  # canonical name -> French name, for the messages


def _named(columns: dict, names: list[str]) -> str:
    """Canonical names as the messages show them: « Axe du Pacte (axis) » when the reader gave French names."""
    labels = getattr(columns, "labels", {})
    return ", ".join(f"{labels[n]} ({n})" if n in labels else n for n in names)


# Fields a file often holds twice (residence and training place, birth place…): any header naming
# the place is a candidate, and only one saying « résidence » (or the user's choice) settles it.
PLACE_WORDS = {"residence_commune": {"commune", "depcom", "codgeo"}, "dep": {"departement", "dep", "dept"}}
RESIDENCE_WORDS = {"residence", "domicile", "habitation", "resident", "residant", "res", "resid", "dom"}
NAME_WORDS = {"libelle", "lib", "nom", "name", "label", "intitule", "lbl"}  # the commune's name, not its code
FIELD_LABELS = {"residence_commune": "la commune de résidence", "dep": "le département de résidence"}


def _key(label: object) -> str:
    return normalise(label).replace(" ", "")


def match_columns(headers: list[object], columns: dict[str, tuple[str, ...]]) -> tuple[dict[int, str], dict[str, list[str]]]:
    """``(position -> canonical name, canonical name -> candidate headers)``: headers match a name or
    an alias without case, accents, spaces or punctuation (``Date d'entrée`` = ``date_entree``). A
    field that several columns fit is not matched but returned with its candidates, unless exactly
    one of them says « résidence » (for a place) or the user assigned one (:class:`ColumnNames`)."""
    wanted: dict[str, str] = {}
    for name, aliases in columns.items():
        for label in (name, *aliases):
            wanted.setdefault(_key(label), name)
    words = [set(normalise(h).split()) for h in headers]
    exact = [wanted.get(_key(h)) for h in headers]
    found: dict[int, str] = {}
    chosen = {_key(h): name for h, name in getattr(columns, "chosen", {}).items() if name in columns}
    for position, header in enumerate(headers):
        name = chosen.get(_key(header))
        if name and name not in found.values():
            found[position] = name
    ambiguous: dict[str, list[str]] = {}
    for name in columns:
        if name in found.values():
            continue
        place = PLACE_WORDS.get(name, set())
        candidates = [p for p in range(len(headers)) if p not in found and _key(headers[p]) and (
            exact[p] == name or (exact[p] is None and words[p] & place and not words[p] & NAME_WORDS))]
        specific = [p for p in candidates if place and words[p] & RESIDENCE_WORDS]
        if len(specific) == 1:
            found[specific[0]] = name
        elif len(candidates) == 1 and exact[candidates[0]] == name:
            found[candidates[0]] = name
        elif len(candidates) > 1 and (specific or any(exact[p] == name for p in candidates)):
            ambiguous[name] = [str(headers[p]).strip() for p in candidates]
    return dict(sorted(found.items())), ambiguous


def place_notes(headers: list[object], found: dict[int, str], columns: dict) -> list[str]:
    """What a reader says when one of several place columns was taken because it alone says
    « résidence » (or the user chose it): the others are named as not read, never passed over unsaid."""
    notes = []
    for position, name in found.items():
        place = PLACE_WORDS.get(name)
        if not place:
            continue
        others = [str(h).strip() for p, h in enumerate(headers) if p not in found and set(normalise(h).split()) & place
                  and not set(normalise(h).split()) & NAME_WORDS]
        if others:
            notes.append(f"Colonne « {str(headers[position]).strip()} » lue comme {FIELD_LABELS.get(name, name)} ; "
                         f"non lue{'s' if len(others) > 1 else ''} : {', '.join(f'« {h} »' for h in others)}.")
    return notes


def canonical_columns(headers: list[object], columns: dict[str, tuple[str, ...]]) -> dict[int, str]:
    """Position -> canonical name of the headers that match one field unambiguously (:func:`match_columns`)."""
    return match_columns(headers, columns)[0]


def column_ambiguities(headers: list[object], columns: dict[str, tuple[str, ...]]) -> dict[str, list[str]]:
    """Canonical name -> the headers that could each be it (the user must say which)."""
    return match_columns(headers, columns)[1]


def _refuse_ambiguity(headers: list[object], columns: dict, filename: str) -> None:
    """Raise :class:`AmbiguousColumns` when a field fits several columns of the header read."""
    ambiguous = column_ambiguities(headers, columns)
    if not ambiguous:
        return
    parts = [f"plusieurs colonnes peuvent être {FIELD_LABELS.get(name, f'le champ « {name} »')} ({name}) : "
             + ", ".join(f"« {h} »" for h in candidates) for name, candidates in ambiguous.items()]
    raise AmbiguousColumns(
        f"« {filename} » : {' ; '.join(parts)}. Aucune n'est choisie au hasard : indiquez laquelle sur la page Données "
        "(« Associer les colonnes du fichier »), ou en ligne de commande avec --mapping profil.json "
        '(profil enregistré depuis la page Données, ou {"format": "pric-mapping/1", "columns": '
        f'{{"<nom de la colonne>": "{next(iter(ambiguous))}"}}}}).', ambiguous)



def _missing_header(filename: str, what: str, columns: dict[str, tuple[str, ...]], where: str = "") -> DataError:
    expected = ", ".join(list(columns)[:8]) + ("…" if len(columns) > 8 else "")
    # Only the records have a column editor (their names come as ColumnNames, the profile's): no other
    # card can be told to « associate its columns ».
    way_out = ("Vérifiez le fichier ou associez ses colonnes sur la page Données (« Associer les colonnes du fichier »)."
               if isinstance(columns, ColumnNames) else
               "Vérifiez le fichier : son en-tête doit nommer ces colonnes (noms français acceptés, voir la page Sources "
               "et méthodologie).")
    return DataError(
        f"« {filename} » ne ressemble pas à {what} : aucune ligne d'en-tête avec les colonnes attendues "
        f"({expected}){where}. {way_out}"
    )
