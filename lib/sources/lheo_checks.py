"""LHEO sessions checked together once read: duplicates merged, unreadable dates and values said in the report,
implausible sessions set aside and counted.

Plausibility rules of the offer (README, « Importer les fichiers d'un analyste »), each counted in the report
(``report.exclude``, on the card Données and on the command line's stderr) with examples:

- **A session longer than 4 years** (more than :data:`MAX_SESSION_MONTHS` months from its start month to its
  end month) is set aside. The longest training contract is 3 years (apprenticeship, Code du travail
  L6222-7-1: a licence or engineering cycle from September to the September three years later, 37 months;
  the LHEO BTS example runs 2 years), extended to 4 for a disabled apprentice (L6222-37); the pact's
  continuing vocational training lasts weeks to months (the demonstration offers: at most 9 months). A
  longer « session » (2009–2029) is a catalogue entry's validity window or a placeholder, not a session
  running: kept, it made every commune around it non-white for twenty years (507 communes in one export).
- **A session ending before it starts** is set aside: no month can be said to be in it.
- Places: coordinates outside France or far from their commune (:mod:`lib.sources.lheo_places`).
"""
from __future__ import annotations

import pandas as pd

from lib.core.errors import ImportReport
from lib.core.fmt import fr_int

# What tells a session apart when the file numbers its formation and action / when it does not.
SESSION_KEY = ["session_no", "start", "end", "bad_date", "commune", "postcode", "lat", "lon", "format"]
MAX_SESSION_MONTHS = 48
LONG_SESSION = "session(s) × lieu(x) de plus de 4 ans écartée(s)"
REVERSED_SESSION = "session(s) × lieu(x) finissant avant de commencer écartée(s)"
CONTENT_KEY = ["title", "formacodes", "nsf", "certifying", "level_in", "level_out", "public_codes", "hours", "organisme"]


def _say_dates(frame: pd.DataFrame, report: ImportReport) -> None:
    """Sessions whose dates cannot be placed in time are counted, never silently kept as running."""
    unreadable = frame["bad_date"].ne("")
    if unreadable.any():
        examples = ", ".join(f"« {v} »" for v in list(dict.fromkeys(frame.loc[unreadable, "bad_date"]))[:3])
        report.warn(f"{int(unreadable.sum())} session(s) × lieu(x) aux dates illisibles (ex. {examples}) : "
                    "non comptées dès qu'une période est choisie")
    _say_values(frame, report)
    undated = frame["date_issue"].isin(["sans dates", "début inconnu"])
    if undated.any():
        report.warn(f"{int(undated.sum())} session(s) × lieu(x) sans date de début : non comptées dès qu'une période "
                    "est choisie")


def _say_values(frame: pd.DataFrame, report: ImportReport) -> None:
    """A certifying flag or a duration that cannot be read is counted and quoted: the session is kept
    (not certifying, duration unknown), never read as « non » without a word."""
    unreadable = frame["bad_value"].ne("")
    if unreadable.any():
        examples = ", ".join(list(dict.fromkeys(frame.loc[unreadable, "bad_value"]))[:3])
        report.warn(f"{int(unreadable.sum())} session(s) × lieu(x) avec une valeur illisible ({examples}) : "
                    "comptée(s) comme non certifiante(s), de durée ou de nombre de places inconnu")


def _merge_duplicates(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """The same session read twice (the same XML twice in an archive, a formation repeated in the
    export) counts once: same formation and action numbers, session number, dates and place — or,
    where the file numbers neither formation nor action, the same content. Two sessions of one
    formation (other dates, place or number) stay two."""
    if frame.empty:
        return frame
    generated = frame["generated_id"].astype(bool).to_numpy()
    key = frame[SESSION_KEY + ["formation_id", "action_id"] + CONTENT_KEY].astype(object)
    key.loc[generated, ["formation_id", "action_id"]] = ""  # generated numbers differ at each reading
    key.loc[~generated, CONTENT_KEY] = ""
    repeated = key.duplicated().to_numpy()
    merged = int(repeated.sum())
    if merged:
        report.warn(f"{fr_int(merged)} session(s) × lieu(x) en double fusionnée(s) (même formation, même action, même numéro "
                    "de session, mêmes dates et même lieu), chacune comptée une fois")
        frame = frame[~repeated].reset_index(drop=True)
    return frame


def _months(month: pd.Series) -> pd.Series:
    """``YYYY-MM`` -> months since year 0 (NaN when unknown)."""
    parts = month.str.extract(r"^(\d{4})-(\d{2})$").astype(float)
    return parts[0] * 12 + parts[1] - 1


def _set_aside_implausible(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Sessions longer than :data:`MAX_SESSION_MONTHS` months, or ending before they start, are set aside,
    counted (``report.exclude``) and quoted: never counted as running (see the module's rules)."""
    if frame.empty:
        return frame
    span = _months(frame["end_month"]) - _months(frame["start_month"])
    long = span.gt(MAX_SESSION_MONTHS).to_numpy()
    reversed_ = span.lt(0).to_numpy()
    for mask, reason, rule in [(long, LONG_SESSION, f"plus de {MAX_SESSION_MONTHS} mois entre le début et la fin, "
                                                     "plus long que tout contrat de formation (apprentissage : 3 ans, "
                                                     "4 pour un apprenti handicapé)"),
                               (reversed_, REVERSED_SESSION, "date de fin antérieure au début")]:
        if mask.any():
            shown = frame.loc[mask, ["title", "start", "end"]].drop_duplicates().head(3)
            examples = ", ".join(f"« {t or 'sans intitulé'} » du {s} au {e}" for t, s, e in shown.itertuples(index=False))
            report.exclude(reason, int(mask.sum()))
            report.warn(f"{fr_int(int(mask.sum()))} {reason} ({rule} ; ex. {examples}) : non comptée(s) dans les "
                        "zones blanches")
    return frame[~(long | reversed_)].reset_index(drop=True)
