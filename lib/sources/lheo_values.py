"""LHEO values read from their text: session dates, certifying flags, hours, coordinates."""
from __future__ import annotations

import re
import unicodedata
from datetime import date

MONTHS_FR = {"janvier": 1, "janv": 1, "jan": 1, "fevrier": 2, "fevr": 2, "fev": 2, "mars": 3, "avril": 4, "avr": 4,
             "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "aout": 8, "septembre": 9, "sept": 9, "sep": 9,
             "octobre": 10, "oct": 10, "novembre": 11, "nov": 11, "decembre": 12, "dec": 12}
_DATE_FORMS = [
    ("lheo", re.compile(r"(\d{4})(\d{2})(\d{2})")),  # LHEO: AAAAMMJJ, AAAAMM00, AAAA0000
    ("year", re.compile(r"(\d{4})")),
    ("iso", re.compile(r"(\d{4})-(\d{1,2})(?:-(\d{1,2}))?(?:[t ]\d{1,2}:\d{2}.*)?")),  # 2025-09-01T00:00:00
    ("fr", re.compile(r"(?:(\d{1,2})[/.-])?(\d{1,2})[/.-](\d{4})(?:[t ]\d{1,2}:\d{2}.*)?")),  # 01/09/2025, 09/2025
    ("words", re.compile(r"(?:(\d{1,2})(?:er)?\s+)?([a-z]+)\.?\s+(\d{4})")),  # 1er septembre 2025, sept. 2025
]


def read_lheo_date(value: str, end: bool = False) -> tuple[str, str, str]:
    """A session date as ``(date, month, issue)``: ``issue`` is ``""`` when read, ``inconnue`` when
    the file says it does not know (empty, LHEO's ``00000000``, ``99999999`` for an end), ``illisible``
    when a date is written but cannot be read. A month alone gives ``YYYY-MM``; a year alone
    ``YYYY``, its month being January for a start and December for an end (the widest reading)."""
    text = (value or "").strip()
    if not text or set(text) == {"0"} or (end and set(text) == {"9"}):
        return "", "", "inconnue"
    if len(text) == 8 and text.isdigit():  # LHEO's own form, nearly every date of an export
        return _date_parts(int(text[:4]), int(text[4:6]), int(text[6:]), end)
    folded = "".join(c for c in unicodedata.normalize("NFKD", text.lower()) if not unicodedata.combining(c))
    for form, pattern in _DATE_FORMS:
        found = pattern.fullmatch(folded)
        if not found:
            continue
        if form == "year":
            year, month, day = int(found[1]), 0, 0
        elif form in ("lheo", "iso"):
            year, month, day = int(found[1]), int(found[2]), int(found[3] or 0)
        elif form == "fr":
            year, month, day = int(found[3]), int(found[2]), int(found[1] or 0)
        else:
            year, month, day = int(found[3]), MONTHS_FR.get(found[2], -1), int(found[1] or 0)
        return _date_parts(year, month, day, end)
    return "", "", "illisible"


def _date_parts(year: int, month: int, day: int, end: bool) -> tuple[str, str, str]:
    if not 1900 <= year <= 9999 or not 0 <= month <= 12 or (month == 0 and day):
        return "", "", "illisible"
    if month == 0:  # a year alone
        return f"{year:04d}", f"{year:04d}-{12 if end else 1:02d}", ""
    month_text = f"{year:04d}-{month:02d}"
    if not day:
        return month_text, month_text, ""
    try:
        return date(year, month, day).isoformat(), month_text, ""
    except ValueError:  # 31/02
        return "", "", "illisible"


def parse_lheo_date(value: str, end: bool = False) -> tuple[str, str]:
    """``20170915`` -> (``2017-09-15``, ``2017-09``); ``20170900`` -> (``2017-09``, ``2017-09``);
    unknown or unreadable -> (``""``, ``""``) (:func:`read_lheo_date` says which)."""
    return read_lheo_date(value, end)[:2]


def date_issue(start_issue: str, end_issue: str) -> str:
    """One session's date issue from those of its start and end (see :data:`COLUMNS`)."""
    if "illisible" in (start_issue, end_issue):
        return "date illisible"
    if start_issue and end_issue:
        return "sans dates"
    return "début inconnu" if start_issue else ("fin inconnue" if end_issue else "")



def _valid_coords(lat: str, lon: str) -> tuple[float | None, float | None]:
    """Coordinates as written (checked later, all at once, by :func:`coordinate_issues`)."""
    try:
        return float(lat.replace(",", ".").strip()), float(lon.replace(",", ".").strip())
    except ValueError:
        return None, None



TRUE_WORDS = {"1", "true", "vrai", "oui", "o", "yes", "y"}
FALSE_WORDS = {"0", "false", "faux", "non", "n", "no", ""}
HOURS = re.compile(r"(\d+(?:[.,]\d+)?)\s*(?:h|hr?s?|heures?)?\.?")


def _flag(text: str, field: str, bad: list[str]) -> bool:
    """``certifiante`` / ``diplomante``: 1/0 and their words (true, oui…); anything else is not
    certifying *and* noted in ``bad`` (said in the report, never silently read as « non »)."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word not in FALSE_WORDS:
        bad.append(f"{field} « {text.strip()} »")
    return False


def _hours(text: str, bad: list[str] | None = None) -> float:
    """``235``, ``235,5``, ``235 h``, ``235 heures`` -> hours; unreadable -> NaN, noted in ``bad``."""
    found = HOURS.fullmatch(text.strip().lower())
    if found:
        return float(found[1].replace(",", "."))
    if text.strip() and bad is not None:
        bad.append(f"nombre-heures-total « {text.strip()} »")
    return float("nan")


PLACES = re.compile(r"(\d+)(?:[.,]0+)?\s*(?:places?)?")


def _places(text: str, element: str, bad: list[str]) -> float:
    """A number of places (``12``, ``12 places``, ``12,0``) -> 12.0; empty -> NaN; anything else
    (``douze``, ``12,5``, ``-3``) -> NaN, noted in ``bad`` (said in the report, never read as 0)."""
    found = PLACES.fullmatch(text.strip().lower())
    if found:
        return float(found[1])
    if text.strip():
        bad.append(f"{element} « {text.strip()} »")
    return float("nan")
