"""LHEO sessions checked together once read: duplicates merged, unreadable dates and values said in the report."""
from __future__ import annotations

import pandas as pd

from lib.core.errors import ImportReport
from lib.core.fmt import fr_int

# What tells a session apart when the file numbers its formation and action / when it does not.
SESSION_KEY = ["session_no", "start", "end", "bad_date", "commune", "postcode", "lat", "lon", "format"]
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
                    "comptée(s) comme non certifiante(s) ou de durée inconnue")


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
