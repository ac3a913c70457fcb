"""Training offer in LHEO, the Carif-Oref network's XML language (2.x, 1.3 and "léger").

One tidy row per session × place (:data:`COLUMNS`):

==================  =====================================================================
action_id           action number (LHEO 2.x ``action/@numero``) or a generated one
formation_id        formation number when the file has one
session_no          the session's own number (LHEO 2.x ``session/@numero``), ``""`` when the file gives none
title               title of the formation / action
formacodes, nsf     ``|``-joined codes; ``nsf_source`` says ``lheo`` (in the file),
                    ``formacode`` (derived from the Formacode table) or ``""``
certifying          True when ``certifiante`` / ``diplomante`` is 1
level_in, level_out entry / exit level codes as written
public_codes        ``|``-joined ``code-public-vise``
hours               ``nombre-heures-total`` (float, NaN when absent)
places              places opened in each session of the action (float, NaN when absent or unreadable —
                    an unreadable one counted in the report, never 0): LHEO 2.2/2.3 write them on the
                    action, per funder (``organisme-financeur/nb-places-financees``, summed over the
                    funders; NaN when one of them is unreadable); a ``nombre-places`` or ``nb-places``
                    written on the action itself is read first. LHEO gives no per-session figure: every
                    session of the action opens the action's places (one value repeated on each of its
                    session × place rows, never to be multiplied by places). ``session/recrutement/nb-places``
                    (the places of a recruitment meeting) is not read; 1.3 and léger: NaN
organisme           name of the responsible organisation
commune, postcode   Insee code of the place's commune, postcode (text)
lat, lon            coordinates when given (``geolocalisation`` or geolocation extras)
start, end          ``YYYY-MM-DD``, or ``YYYY-MM`` / ``YYYY`` when LHEO gives a partial date (``20170900``,
                    ``20170000``); also read: ``01/09/2025``, ``2025-09-01T00:00:00``, ``1er septembre 2025``
start_month, end_month  ``YYYY-MM`` (for period filters; a year alone spans January to December)
format              ``lheo-2.x`` | ``lheo-1.3`` | ``lheo-leger``
coord_issue         why given coordinates were set aside (``""`` when kept)
date_issue          ``""`` (both dates read), ``date illisible`` (a date written but unreadable),
                    ``sans dates``, ``début inconnu`` or ``fin inconnue`` (LHEO's 00000000 / 99999999,
                    or no date given)
==================  =====================================================================

The reader streams (``lxml.etree.iterparse`` on each offer, cleared once read), so memory
does not grow with the file, and refuses any DTD or entity declaration ("billion laughs",
external entities) before parsing.

Here: the columns, the reading of every offer and the NSF codes derived from Formacodes. By concern,
beside it: :mod:`~lib.sources.lheo_archive` (the XML streams of a file or zip archive, their limits),
:mod:`~lib.sources.lheo_xml` (parsing safety and French XML errors), :mod:`~lib.sources.lheo_fields`
(elements to rows), :mod:`~lib.sources.lheo_values` (dates, flags, hours), :mod:`~lib.sources.lheo_checks`
(duplicates and unreadable values said, implausible sessions set aside: longer than 4 years, ending before they
start) and :mod:`~lib.sources.lheo_places` (commune codes completed, coordinates outside France or more than
100 km from their commune set aside, :func:`locate`).
"""
from __future__ import annotations

import io
import re
import time
from pathlib import Path
from typing import IO

import pandas as pd
from lxml import etree

from lib.core.config import RAW
from lib.core.errors import DataError, ImportReport
from lib.sources.lheo_archive import _streams
from lib.sources.lheo_checks import _merge_duplicates, _say_dates, _set_aside_implausible
from lib.sources.lheo_fields import _PATHS, PARSERS, _Paths
from lib.sources.lheo_places import _normalize_communes, _set_aside_coordinates
from lib.sources.lheo_places import coordinate_issues as coordinate_issues
from lib.sources.lheo_places import locate as locate
from lib.sources.lheo_places import located_text as located_text
from lib.sources.lheo_values import date_issue as date_issue
from lib.sources.lheo_values import parse_lheo_date as parse_lheo_date
from lib.sources.lheo_values import read_lheo_date as read_lheo_date
from lib.sources.lheo_xml import _check_prolog, _check_root, _local, _Rewind, xml_error_message

COLUMNS = ["action_id", "formation_id", "session_no", "title", "formacodes", "nsf", "nsf_source", "certifying",
           "level_in", "level_out", "public_codes", "hours", "places", "organisme", "commune", "postcode", "lat", "lon", "start", "end",
           "start_month", "end_month", "format", "coord_issue", "date_issue"]
READ_COLUMNS = [c for c in COLUMNS if c not in ("nsf_source", "coord_issue")]
# Read beside the columns, to find the same session read twice, then dropped: whether the formation or
# action number was generated (absent from the file), unreadable dates and values.
KEY_COLUMNS = ["generated_id", "bad_date", "bad_value"]
UNITS = {"formation": "lheo-2.x", "offre-formation": "lheo-1.3", "resume-offre": "lheo-leger"}
FORMACODE_TABLE = RAW / "lheo" / "formacodes_v12.txt"
# Documented limits (README, "Limites des imports"); the others: :mod:`lib.sources.lheo_archive`.
TIME_LIMIT_S = 300
# What the reader counts as read, kept or set aside: one offer per formation, offre-formation or resume-offre
# (a session × place is a row of the table). The CLI's report and the page Données's card say it alike.
COUNTED = "offres (formations)"


class OfferReport(ImportReport):
    """The LHEO reader's import report: its summary counts offers (« 2 offres (formations) lues »), not lines."""

    def summary(self) -> str:
        head = f"{self.source} : "
        return head + super().summary()[len(head):].replace(" lignes lues,", f" {COUNTED} lues,", 1)


def formacode_to_nsf(path: Path = FORMACODE_TABLE) -> dict[str, list[str]]:
    """Formacode -> NSF codes from the LHEO repository's table, keeping only valid 3-digit NSF codes.

    The table writes codes on four characters (``0312``); a leading zero is dropped when
    what remains is a 3-digit NSF code; other values are ignored (not guessed).
    """
    table: dict[str, list[str]] = {}
    if not path.exists():
        return table
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) != 2:
            continue
        codes = [c[1:] if len(c) == 4 and c.startswith("0") else c for c in parts[1].split(",")]
        valid = [c for c in codes if re.fullmatch(r"[1-4]\d\d", c)]
        if valid:
            table[parts[0]] = valid
    return table



def read_lheo(source: str | Path | bytes, filename: str | None = None,
              formacodes: dict[str, list[str]] | None = None,
              time_limit_s: float = TIME_LIMIT_S) -> tuple[pd.DataFrame, ImportReport]:
    """Read an LHEO file (XML, or a zip of one or more XML files) into the tidy session × place table."""
    filename = filename or (Path(str(source)).name if not isinstance(source, (bytes, bytearray)) else "offre.xml")
    formacodes = formacode_to_nsf() if formacodes is None else formacodes
    report = OfferReport(source=f"Offre de formation LHEO ({filename})")
    rows: list[tuple] = []
    deadline = time.monotonic() + time_limit_s
    streams = _streams(source, filename, report)
    for name, opener in streams:
        before = report.rows_read
        with opener() as stream:
            _parse_stream(stream, name, rows, report, deadline)
        if len(streams) > 1 and report.rows_read == before:
            report.warn(f"« {name} » ne contient aucune formation")
    if not report.rows_read:  # a valid root and nothing in it: all white without a word otherwise
        raise DataError(f"« {filename} » ne contient aucune formation (ni formation, ni offre-formation, ni resume-offre "
                        "sous l'élément racine) : l'export est vide ou incomplet ; demandez un export de l'offre.")
    if not report.rows_kept:
        reasons = " ; ".join(f"{reason} ({n})" for reason, n in report.rejected.most_common())
        raise DataError(f"« {filename} » ne contient aucune formation exploitable : {report.rows_read} offre(s) lue(s), "
                        f"toutes écartées ({reasons}).")
    report.notes.append("Unité lue : une offre (formation, offre-formation ou resume-offre) ; une ligne par session × lieu.")
    frame = pd.DataFrame.from_records(rows, columns=READ_COLUMNS + KEY_COLUMNS)
    frame = _normalize_communes(frame, report)
    frame = _merge_duplicates(frame, report)
    _say_dates(frame, report)
    frame = _set_aside_implausible(frame, report)
    frame = frame.drop(columns=KEY_COLUMNS)
    frame = _set_aside_coordinates(frame, report)
    return _derive_nsf(frame, formacodes), report


def _parse_stream(stream: IO[bytes], filename: str, rows: list[tuple], report: ImportReport, deadline: float) -> None:
    prolog = _check_prolog(stream, filename)
    paths = _Paths(_check_root(prolog, filename))
    _PATHS.current = paths
    context = etree.iterparse(io.BufferedReader(_Rewind(prolog, stream)), events=("end",),
                              tag=tuple(paths(unit) for unit in PARSERS),
                              resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                              remove_comments=True)
    index = len(rows)
    try:
        for _, elem in context:
            name = _local(elem.tag)
            parent = elem.getparent()
            if name == "formation" and (parent is None or _local(parent.tag) != "offres"):
                continue  # a nested element with the same local name
            index += 1
            report.rows_read += 1
            if not report.rows_read % 2000 and time.monotonic() > deadline:
                raise DataError(f"« {filename} » : lecture interrompue après {TIME_LIMIT_S} s ; découpez l'export.")
            unit = UNITS[name]
            found = [tuple(unit if c == "format" else row[c] for c in READ_COLUMNS + KEY_COLUMNS)
                     for row in PARSERS[name](elem, index)]
            if not found:
                report.reject("offre sans action")
            else:
                report.rows_kept += 1
                rows.extend(found)  # tuples: a 100 MB export stays a few hundred bytes a session
            elem.clear(keep_tail=False)
            while parent is not None and elem.getprevious() is not None:
                del parent[0]
    except etree.XMLSyntaxError as err:
        raise DataError(xml_error_message(err, filename)) from err



def _derive_nsf(frame: pd.DataFrame, formacodes: dict[str, list[str]]) -> pd.DataFrame:
    def derived(codes: str) -> str:
        found = [n for code in codes.split("|") if code for n in formacodes.get(code, [])]
        return "|".join(dict.fromkeys(found))
    from_table = frame["formacodes"].map(derived) if len(frame) else frame["formacodes"]
    source = pd.Series("", index=frame.index, dtype=str)
    source[frame["nsf"].ne("")] = "lheo"
    fill = frame["nsf"].eq("") & from_table.ne("")
    source[fill] = "formacode"
    frame["nsf"] = frame["nsf"].where(~fill, from_table)
    frame.insert(COLUMNS.index("nsf_source"), "nsf_source", source)
    return frame[COLUMNS]
