"""The pact's « taux de places pourvues sur les places ouvertes » (issue 27, indicator ``fill_rate``).

**Places opened** (denominator): the ``places`` of the offer's sessions (:mod:`lib.sources.lheo`) that start
in the year (the year of ``start``; a session written « 2021 » alone starts in 2021) and have a place in the
territory (the department of a place's ``commune``; every session when ``deps`` is ``None``). A session is
one (``formation_id``, ``action_id``, ``session_no``, ``start``, ``end``); its rows, one per place, count
once: its places are the action's (LHEO gives them per action, and every session of the action opens them),
never multiplied by its places. A session with places in two departments counts whole in each of them, so
the departments' rows of :func:`fill_rate_by_dep` may add up to more than the region's figure.

**Places filled** (numerator): the records' entries of the year (``year``, of ``entry_date``) whose
``session_id`` names one of those sessions. Identifiers are compared without case or spaces; an entry's
``session_id`` is looked up among the offer's session numbers (``session_no``, LHEO ``session/@numero``),
and, when it is none of them, among its action numbers (``action_id``, ``action/@numero``: an action
number names all of that action's sessions). Every session of the offer is looked at, of any year and
territory: an entry of a session of another year or department is no entry of these, and not unknown.
An identifier that names sessions both inside and outside the scope (a session number repeated in two
actions, an action with sessions in two years) is ambiguous: unknown, never split.

Never a guess (README, rule 1: unknown is never « non »): the rate is not computed — ``numerator`` and
``denominator`` ``None``, ``reason`` one French sentence — when the entries carry no session identifier,
the offer no number of places, no session starts in the year there, no entry was imported for the year,
more than 5 % of the year's entries carry an empty, unknown or ambiguous identifier, more than 5 % of the
sessions lack their number of places, or more entries are linked than places opened (incoherent). Below
5 %, the rate is computed on what is known and ``note`` says what was left out (sessions without places
are left out of both sides: an entry of such a session is no filled place of the places counted).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.indicators.rates import UNKNOWN_TOLERANCE

SESSION = ["formation_id", "action_id", "session_no", "start", "end"]
NO_SESSION_ID = ("les entrées ne portent pas l'identifiant de la session (colonne « session_id », « Identifiant de "
                 "la session (offre LHEO) ») : places pourvues inconnues, taux non calculable.")
NO_PLACES = ("l'offre de formation ne donne pas le nombre de places de ses sessions (LHEO : "
             "organisme-financeur/nb-places-financees) : places ouvertes inconnues, taux non calculable.")


@dataclass(frozen=True)
class FillRate:
    """Places filled / places opened; ``None`` and ``reason`` (French) when it cannot be computed.
    ``note`` (French, may be empty) says what a computed rate left out."""

    numerator: int | None
    denominator: int | None
    reason: str | None
    note: str = ""

    @property
    def value(self) -> float | None:
        return None if self.numerator is None or not self.denominator else self.numerator / self.denominator


def _key(values: pd.Series) -> pd.Series:
    """Identifiers compared without case or spaces."""
    return values.fillna("").astype(str).str.casefold().str.replace(r"\s+", "", regex=True)


def _dep(commune: pd.Series) -> pd.Series:
    commune = commune.fillna("").astype(str)
    dep = commune.str[:2].where(~commune.str.startswith("97"), commune.str[:3])
    return dep.where(commune.str.fullmatch(r"(\d{5}|2[AB]\d{3})"), "")


def _where(deps: list[str] | None) -> str:
    if deps is None:
        return ""
    return f" dans le département {deps[0]}" if len(deps) == 1 else " dans ces départements"


def _sessions(offer: pd.DataFrame) -> pd.DataFrame:
    """One row per session: its identifiers' keys, ``year`` of start, ``places`` and the set of ``deps`` of
    its places."""
    rows = offer.assign(_dep=_dep(offer["commune"]) if "commune" in offer else "")
    grouped = rows.groupby(SESSION, sort=False, dropna=False)
    sessions = grouped.agg(places=("places", "first"), deps=("_dep", lambda d: frozenset(d) - {""})).reset_index()
    sessions["year"] = pd.to_numeric(sessions["start"].fillna("").astype(str).str[:4], errors="coerce")
    sessions["session_key"] = _key(sessions["session_no"])
    sessions["action_key"] = _key(sessions["action_id"])
    return sessions


def _matches(ids: pd.Series, sessions: pd.DataFrame) -> list[list[int]]:
    """For each identifier, the positions of the sessions it names (session number first, else action number)."""
    by_session: dict[str, list[int]] = {}
    by_action: dict[str, list[int]] = {}
    for position, (session, action) in enumerate(zip(sessions["session_key"], sessions["action_key"])):
        if session:
            by_session.setdefault(session, []).append(position)
        if action:
            by_action.setdefault(action, []).append(position)
    return [by_session.get(i) or by_action.get(i) or [] if i else [] for i in ids]


def fill_rate(offer: pd.DataFrame, records: pd.DataFrame, deps: list[str] | None, year: int) -> FillRate:
    """Places filled / places opened in ``year`` for sessions with a place in ``deps`` (all when ``None``)."""
    if "session_id" not in records or not records["session_id"].fillna("").astype(str).str.strip().ne("").any():
        return FillRate(None, None, NO_SESSION_ID[0].upper() + NO_SESSION_ID[1:])
    if "places" not in offer or not offer["places"].notna().any():
        return FillRate(None, None, NO_PLACES[0].upper() + NO_PLACES[1:])
    where = _where(deps)
    sessions = _sessions(offer)
    wanted = set(deps) if deps is not None else None
    scope = sessions["year"].eq(year) & sessions["deps"].map(lambda d: wanted is None or bool(d & wanted))
    if not scope.any():
        return FillRate(None, None, f"Aucune session de l'offre ne commence en {year}{where} : taux non calculable.")
    no_places = scope & sessions["places"].isna()
    if no_places.sum() > UNKNOWN_TOLERANCE * scope.sum():
        return FillRate(None, None, f"Nombre de places absent ou illisible pour {int(no_places.sum())} session(s) sur "
                                    f"{int(scope.sum())} commençant en {year}{where} (plus de 5 %) : taux non calculable.")
    counted = (scope & ~no_places).to_numpy()
    entries = records[records["year"] == year]
    if entries.empty:
        return FillRate(None, None, f"Aucune entrée importée pour {year} : places pourvues inconnues, taux non calculable.")
    ids = _key(entries["session_id"])
    matched = _matches(ids, sessions)
    empty = int(ids.eq("").sum())
    unknown = sum(1 for i, m in zip(ids, matched) if i and not m)
    inside = [bool(m) and all(counted[p] for p in m) for m in matched]
    ambiguous = sum(1 for m, ok in zip(matched, inside) if m and not ok and any(counted[p] for p in m))
    unsure = empty + unknown + ambiguous
    said = (f"{unsure} entrée(s) sur {len(entries)} en {year} sans session reconnue dans l'offre ({empty} sans "
            f"identifiant, {unknown} à l'identifiant inconnu de l'offre, {ambiguous} à l'identifiant ambigu)")
    if unsure > UNKNOWN_TOLERANCE * len(entries):
        return FillRate(None, None, f"{said} : plus de 5 %, taux non calculable.")
    numerator = int(sum(inside))
    denominator = int(sessions.loc[counted, "places"].sum())
    if numerator > denominator:
        return FillRate(None, None, f"Plus d'entrées rattachées aux sessions ({numerator}) que de places ouvertes "
                                    f"({denominator}) en {year}{where} : données incohérentes, taux non calculable.")
    if not denominator:
        return FillRate(None, None, f"Aucune place ouverte en {year}{where} (0 place déclarée) : taux non calculable.")
    notes = [f"{said}, non comptée(s)"] if unsure else []
    if no_places.any():
        notes.append(f"{int(no_places.sum())} session(s) sans nombre de places laissée(s) de côté (places et entrées)")
    return FillRate(numerator, denominator, None, " ; ".join(notes) + ("." if notes else ""))


def fill_rate_by_dep(offer: pd.DataFrame, records: pd.DataFrame, deps: list[str] | None, year: int) -> pd.DataFrame:
    """One row per department (``deps``, or those of the offer's places when ``None``): ``dep, numerator,
    denominator, reason, note`` (a session with places in two departments counts in each)."""
    if deps is None:
        deps = sorted(set(_dep(offer["commune"])) - {""}) if "commune" in offer else []
    rows = []
    for dep in deps:
        rate = fill_rate(offer, records, [dep], year)
        rows.append({"dep": dep, "numerator": rate.numerator, "denominator": rate.denominator, "reason": rate.reason,
                     "note": rate.note})
    frame = pd.DataFrame(rows, columns=["dep", "numerator", "denominator", "reason", "note"])
    return frame.astype({"numerator": "Int64", "denominator": "Int64"})
