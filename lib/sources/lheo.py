"""Training offer in LHEO, the Carif-Oref network's XML language (2.x, 1.3 and "léger").

One tidy row per session × place (:data:`COLUMNS`):

==================  =====================================================================
action_id           action number (LHEO 2.x ``action/@numero``) or a generated one
formation_id        formation number when the file has one
title               title of the formation / action
formacodes, nsf     ``|``-joined codes; ``nsf_source`` says ``lheo`` (in the file),
                    ``formacode`` (derived from the Formacode table) or ``""``
certifying          True when ``certifiante`` / ``diplomante`` is 1
level_in, level_out entry / exit level codes as written
public_codes        ``|``-joined ``code-public-vise``
hours               ``nombre-heures-total`` (float, NaN when absent)
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
"""
from __future__ import annotations

import codecs
import io
import re
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path
from typing import IO

import numpy as np
import pandas as pd
from lxml import etree

from lib.core.config import RAW
from lib.core.errors import DataError, ImportReport
from lib.core.fmt import fr_int
from lib.sources.opener import MAX_UPLOAD_BYTES, size_text

COLUMNS = ["action_id", "formation_id", "title", "formacodes", "nsf", "nsf_source", "certifying", "level_in",
           "level_out", "public_codes", "hours", "organisme", "commune", "postcode", "lat", "lon", "start", "end",
           "start_month", "end_month", "format", "coord_issue", "date_issue"]
READ_COLUMNS = [c for c in COLUMNS if c not in ("nsf_source", "coord_issue")]
# Read beside the columns, to find the same session read twice, then dropped: the session's own
# number, and whether the formation or action number was generated (absent from the file).
KEY_COLUMNS = ["session_no", "generated_id", "bad_date", "bad_value"]
# What tells a session apart when the file numbers its formation and action / when it does not.
SESSION_KEY = ["session_no", "start", "end", "bad_date", "commune", "postcode", "lat", "lon", "format"]
CONTENT_KEY = ["title", "formacodes", "nsf", "certifying", "level_in", "level_out", "public_codes", "hours", "organisme"]
NAMESPACES = ("http://www.lheo.org/", "http://lheo.gouv.fr/", "https://www.lheo.org/", "https://lheo.gouv.fr/")
UNITS = {"formation": "lheo-2.x", "offre-formation": "lheo-1.3", "resume-offre": "lheo-leger"}
ROOTS = {"lheo", "lheo-leger"}
FORMACODE_TABLE = RAW / "lheo" / "formacodes_v12.txt"
PROLOG_BYTES = 65536
# Documented limits (README, "Limites des imports").
MAX_XML_BYTES = 1024**3  # uncompressed XML, all files of an archive together
MAX_RATIO = 100  # compressed -> uncompressed: real LHEO exports stay far below (about 10 to 30)
RATIO_CHECK_BYTES = 50 * 1024**2
TIME_LIMIT_S = 300
# Where a session place can be (lat_min, lat_max, lon_min, lon_max): metropolitan France with
# Corsica, and the overseas departments.
FRANCE_BOXES = {
    "metropole": (41.2, 51.2, -5.3, 9.7), "guadeloupe": (15.8, 16.55, -61.85, -60.95),
    "martinique": (14.35, 14.9, -61.25, -60.8), "guyane": (2.1, 5.8, -54.6, -51.6),
    "reunion": (-21.4, -20.85, 55.2, 55.85), "mayotte": (-13.05, -12.6, 44.95, 45.35),
}


def _local(tag: object) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _text(elem: etree._Element | None) -> str:
    return (elem.text or "").strip() if elem is not None else ""


class _Paths:
    """Element paths qualified with the file's namespace (exact names are much faster than ``{*}``)."""

    def __init__(self, namespace: str):
        self.prefix = f"{{{namespace}}}" if namespace else ""
        self._cache: dict[str, str] = {}
        # Qualified tags compared in the one-pass readers.
        for attr, name in [("action", "action"), ("domain", "domaine-formation"), ("title", "intitule-formation"),
                           ("certifying", "certifiante"), ("level_in", "code-niveau-entree"),
                           ("level_out", "code-niveau-sortie"), ("organisme", "organisme-formation-responsable"),
                           ("formacode", "code-FORMACODE"), ("nsf", "code-NSF"), ("session", "session"),
                           ("place", "lieu-de-formation"), ("public", "code-public-vise"),
                           ("hours", "nombre-heures-total"), ("commune", "code-INSEE-commune"),
                           ("postcode", "codepostal"), ("geo", "geolocalisation")]:
            setattr(self, attr, self.prefix + name)

    def __call__(self, path: str) -> str:
        """``"a/b"`` -> ``"{ns}a/{ns}b"``; a leading ``.//`` is kept."""
        cached = self._cache.get(path)
        if cached is None:
            lead, _, rest = path.rpartition(".//") if path.startswith(".//") else ("", "", path)
            cached = (".//" if lead or path.startswith(".//") else "") + "/".join(self.prefix + p for p in rest.split("/"))
            self._cache[path] = cached
        return cached


_PATHS = threading.local()


def _q(path: str) -> str:
    return _PATHS.current(path)


def _first(elem: etree._Element, path: str) -> str:
    """Text of the first descendant matching a ``/``-separated path of local names."""
    return _text(elem.find(_q(".//" + path)))


def _all(elem: etree._Element, name: str) -> list[str]:
    return [t for t in (_text(e) for e in elem.iterfind(_q(".//" + name))) if t]


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


def _valid_coords(lat: str, lon: str) -> tuple[float | None, float | None]:
    """Coordinates as written (checked later, all at once, by :func:`coordinate_issues`)."""
    try:
        return float(lat.replace(",", ".").strip()), float(lon.replace(",", ".").strip())
    except ValueError:
        return None, None


def _coords(elem: etree._Element) -> tuple[float | None, float | None]:
    lat, lon = _first(elem, "geolocalisation/latitude"), _first(elem, "geolocalisation/longitude")
    if not lat:
        for extra in elem.iterfind(_q(".//extra")):  # some exports write coordinates in extras
            info = (extra.get("info") or "").lower()
            if info == "latitude":
                lat = _text(extra)
            elif info == "longitude":
                lon = _text(extra)
    return _valid_coords(lat, lon)


def _place(elem: etree._Element | None) -> dict:
    if elem is None:
        return {"commune": "", "postcode": "", "lat": None, "lon": None}
    lat, lon = _coords(elem)
    return {"commune": _first(elem, "code-INSEE-commune"), "postcode": _first(elem, "codepostal"), "lat": lat, "lon": lon}


NO_SESSION = {"start": "", "end": "", "start_month": "", "end_month": "", "session_no": "", "date_issue": "sans dates",
              "bad_date": ""}


def _session(session: etree._Element, debut: str, fin: str) -> dict:
    start, start_month, start_issue = read_lheo_date(debut)
    end, end_month, end_issue = read_lheo_date(fin, end=True)
    bad = " / ".join(v.strip() for v, issue in ((debut, start_issue), (fin, end_issue)) if issue == "illisible")
    return {"start": start, "end": end, "start_month": start_month, "end_month": end_month,
            "session_no": session.get("numero") or "", "date_issue": date_issue(start_issue, end_issue), "bad_date": bad}


def _sessions(elem: etree._Element) -> list[dict]:
    sessions = [_session(session, _first(session, "periode/debut"), _first(session, "periode/fin"))
                for session in elem.iterfind(_q(".//session"))]
    return sessions or [NO_SESSION]


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


def _address_v2(place: etree._Element, q: _Paths) -> dict:
    """lieu-de-formation > coordonnees > adresse, read in one pass over the address's children."""
    out = {"commune": "", "postcode": "", "lat": None, "lon": None}
    address = place.find(q("coordonnees/adresse"))
    if address is None:
        return _place(place)
    lat = lon = ""
    for child in address:
        tag = child.tag
        if tag == q.commune:
            out["commune"] = _text(child)
        elif tag == q.postcode:
            out["postcode"] = _text(child)
        elif tag == q.geo:
            lat, lon = _text(child.find(q("latitude"))), _text(child.find(q("longitude")))
    if not lat:
        located = _place(place)  # coordinates in extras, as some exports write them
        out["lat"], out["lon"] = located["lat"], located["lon"]
        return out
    out["lat"], out["lon"] = _valid_coords(lat, lon)
    return out


def _rows_v2(formation: etree._Element, index: int) -> Iterator[dict]:
    """LHEO 2.x: formation > action > (lieu-de-formation, session), one pass over each level."""
    q: _Paths = _PATHS.current
    common = {"formation_id": formation.get("numero") or f"F{index}", "title": "", "formacodes": "", "nsf": "",
              "certifying": False, "level_in": "", "level_out": "", "organisme": ""}
    bad: list[str] = []
    actions = []
    for child in formation:
        tag = child.tag
        if tag == q.action:
            actions.append(child)
        elif tag == q.domain:
            common["formacodes"] = "|".join(_text(c) for c in child if c.tag == q.formacode and _text(c))
            common["nsf"] = "|".join(_text(c) for c in child if c.tag == q.nsf and _text(c))
        elif tag == q.title:
            common["title"] = _text(child)
        elif tag == q.certifying:
            common["certifying"] = _flag(_text(child), "certifiante", bad)
        elif tag == q.level_in:
            common["level_in"] = _text(child)
        elif tag == q.level_out:
            common["level_out"] = _text(child)
        elif tag == q.organisme:
            common["organisme"] = _text(child.find(q("nom-organisme")))
    for number, action in enumerate(actions):
        publics, places, sessions, hours, action_bad = [], [], [], float("nan"), list(bad)
        for child in action:
            tag = child.tag
            if tag == q.session:
                sessions.append(_session(child, _text(child.find(q("periode/debut"))), _text(child.find(q("periode/fin")))))
            elif tag == q.place:
                places.append(_address_v2(child, q))
            elif tag == q.public:
                publics.append(_text(child))
            elif tag == q.hours:
                hours = _hours(_text(child), action_bad)
        base = {**common, "action_id": action.get("numero") or f"{common['formation_id']}-{number}",
                "public_codes": "|".join(p for p in publics if p), "hours": hours, "bad_value": " ; ".join(action_bad),
                "generated_id": formation.get("numero") is None or action.get("numero") is None}
        for located in places or [_place(None)]:
            for session in sessions or [NO_SESSION]:
                yield {**base, **located, **session}


def _rows_v13(offer: etree._Element, index: int) -> Iterator[dict]:
    """LHEO 1.3: offre-formation > action-formation + organisation-formation + organismes."""
    action = offer.find(_q("action-formation"))
    organisation = offer.find(_q("organisation-formation"))
    if action is None:
        return
    bad: list[str] = []
    base = {
        "action_id": offer.get("numero") or action.get("numero") or f"A{index}",
        "formation_id": "",
        "title": _text(action.find(_q("intitule-action"))),
        "formacodes": "|".join(_all(action, "code-FORMACODE")),
        "nsf": "|".join(_all(action, "code-NSF")),
        "certifying": _flag(_text(action.find(_q("diplomante"))), "diplomante", bad),
        "level_in": _first(organisation, "code-niveau-entree") if organisation is not None else "",
        "level_out": _text(action.find(_q("code-niveau-sortie"))),
        "public_codes": "|".join(_all(action, "code-public-vise")),
        "hours": _hours(_first(organisation, "nombre-heures-total"), bad) if organisation is not None else float("nan"),
        "organisme": _first(offer, "organismes/organisme-formation-responsable/nom-organisme"),
        "generated_id": not (offer.get("numero") or action.get("numero")),
        "bad_value": "",
    }
    base["bad_value"] = " ; ".join(bad)
    access = organisation.find(_q(".//modalites-acces")) if organisation is not None else None
    places = access.findall(_q(".//lieu-de-formation")) if access is not None else []
    for place in places or [None]:
        located = _place(place)
        for session in _sessions(access if access is not None else offer):
            yield {**base, **located, **session}


def _rows_light(offer: etree._Element, index: int) -> Iterator[dict]:
    """Léger: resume-offre with the place's fields directly inside."""
    bad: list[str] = []
    base = {
        "action_id": offer.get("numero") or offer.get("file") or f"R{index}",
        "formation_id": "",
        "title": _text(offer.find(_q("intitule-action"))),
        "formacodes": "|".join(_all(offer, "code-FORMACODE")),
        "nsf": "|".join(_all(offer, "code-NSF")),
        "certifying": _flag(_text(offer.find(_q("diplomante"))), "diplomante", bad),
        "level_in": _text(offer.find(_q("code-niveau-entree"))),
        "level_out": _text(offer.find(_q("code-niveau-sortie"))),
        "public_codes": "|".join(_all(offer, "code-public-vise")),
        "hours": _hours(_text(offer.find(_q("nombre-heures-total"))), bad),
        "organisme": _text(offer.find(_q("nom-organisme"))),
        "generated_id": not (offer.get("numero") or offer.get("file")),
        **_place(offer),
    }
    base["bad_value"] = " ; ".join(bad)
    for session in _sessions(offer):
        yield {**base, **session}


PARSERS = {"formation": _rows_v2, "offre-formation": _rows_v13, "resume-offre": _rows_light}


def _streams(source: str | Path | bytes, filename: str, report: ImportReport) -> list[tuple[str, Callable[[], IO[bytes]]]]:
    """(name, opener) of every XML to read: the file itself, or every XML file of a zip archive."""
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        if len(data) > MAX_UPLOAD_BYTES:
            raise DataError(f"« {filename} » dépasse {size_text(MAX_UPLOAD_BYTES)} : découpez l'export.")
        opener: Callable[[], IO[bytes]] = lambda: io.BytesIO(data)  # noqa: E731
    else:
        path = Path(source)
        if not path.is_file():
            raise DataError(f"Fichier introuvable : {path}.")
        if path.stat().st_size > MAX_XML_BYTES:
            raise DataError(f"« {filename} » dépasse {size_text(MAX_XML_BYTES)} : découpez l'export.")
        opener = lambda: path.open("rb")  # noqa: E731
    with opener() as stream:
        head = stream.read(4)
    if not head.startswith(b"PK"):
        return [(filename, opener)]
    archive_stream = opener()
    try:
        archive = zipfile.ZipFile(archive_stream)
    except zipfile.BadZipFile as err:
        raise DataError(f"« {filename} » : archive zip illisible.") from err
    members = [m for m in archive.infolist() if not m.is_dir() and m.filename.lower().endswith(".xml")
               and not Path(m.filename).name.startswith(("._", "~"))]
    if not members:
        raise DataError(f"« {filename} » : l'archive ne contient aucun fichier XML.")
    others = [m for m in archive.infolist() if not m.is_dir() and m not in members]
    _check_archive(archive, members, filename)
    members, copies = _distinct(archive, members)
    report.notes.append(f"Archive : {len(members)} fichier(s) XML lu(s)"
                        + (f", {len(others)} autre(s) fichier(s) ignoré(s)" if others else "") + ".")
    for first, same in copies.items():
        names = ", ".join(f"« {m.filename} »" for m in [first, *same])
        report.notes.append(f"{len(same) + 1} fichiers XML identiques dans l'archive ({names}) : lus une fois.")
    return [(f"{filename} › {m.filename}", lambda m=m: archive.open(m)) for m in members]


def _distinct(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo]
              ) -> tuple[list[zipfile.ZipInfo], dict[zipfile.ZipInfo, list[zipfile.ZipInfo]]]:
    """The members of distinct content, and each one's identical copies (the same export twice in an
    archive is read once, and said). Only members of equal size and CRC are hashed."""
    import hashlib

    def digest(member: zipfile.ZipInfo) -> str:
        sha = hashlib.sha256()
        with archive.open(member) as stream:
            for block in iter(lambda: stream.read(1 << 20), b""):
                sha.update(block)
        return sha.hexdigest()

    groups: dict[tuple[int, int], list[zipfile.ZipInfo]] = {}
    for member in members:
        groups.setdefault((member.file_size, member.CRC), []).append(member)
    seen: dict[str, zipfile.ZipInfo] = {}
    copies: dict[zipfile.ZipInfo, list[zipfile.ZipInfo]] = {}
    for member in members:
        if len(groups[(member.file_size, member.CRC)]) == 1:
            continue
        first = seen.setdefault(digest(member), member)
        if first is not member:
            copies.setdefault(first, []).append(member)
    duplicates = {id(m) for same in copies.values() for m in same}
    return [m for m in members if id(m) not in duplicates], copies


def _check_archive(archive: zipfile.ZipFile, members: list[zipfile.ZipInfo], filename: str) -> None:
    """Refuse an archive bomb in seconds: decompress without parsing, counting what comes out,
    whatever sizes the archive claims."""
    total = compressed = 0
    for member in members:
        compressed += max(member.compress_size, 1)
        with archive.open(member) as stream:
            while chunk := stream.read(4 * 1024**2):
                total += len(chunk)
                if total > MAX_XML_BYTES:
                    raise DataError(f"« {filename} » : le XML décompressé dépasse {size_text(MAX_XML_BYTES)} ; "
                                    "découpez l'export.")
                if total > RATIO_CHECK_BYTES and total > MAX_RATIO * compressed:
                    raise DataError(f"« {filename} » : taux de compression anormal (plus de {MAX_RATIO} fois) — "
                                    "archive refusée par sécurité. Envoyez le XML d'origine ou un zip ordinaire.")


def _decoded_prolog(prolog: bytes) -> str:
    """The prolog as text, whatever the encoding, so the DTD check cannot be dodged by UTF-16."""
    if prolog.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return prolog.decode("utf-16", errors="ignore")
    if prolog.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return prolog.decode("utf-32", errors="ignore")
    if prolog[:4] == b"<\x00?\x00" or prolog[1:2] == b"\x00":
        return prolog.decode("utf-16-le", errors="ignore")
    if prolog[:4] == b"\x00<\x00?" or prolog[:1] == b"\x00":
        return prolog.decode("utf-16-be", errors="ignore")
    return prolog.decode("latin-1")


def _check_prolog(stream: IO[bytes], filename: str) -> bytes:
    """Refuse DTDs and entity declarations before any parsing (billion laughs, XXE)."""
    prolog = stream.read(PROLOG_BYTES)
    if not prolog.strip():
        raise DataError(f"Le fichier « {filename} » est vide.")
    upper = _decoded_prolog(prolog).upper()
    if "<!DOCTYPE" in upper or "<!ENTITY" in upper:
        raise DataError(
            f"« {filename} » contient une déclaration DTD ou d'entités (<!DOCTYPE>, <!ENTITY>), refusée par sécurité. "
            "Les exports LHEO n'en ont pas besoin : demandez un export sans DOCTYPE."
        )
    return prolog


def _check_root(prolog: bytes, filename: str) -> str:
    """The root element must be ``lheo`` or ``lheo-leger``, in no namespace or an LHEO one."""
    try:
        for _, elem in etree.iterparse(io.BytesIO(prolog), events=("start",), resolve_entities=False,
                                       no_network=True, load_dtd=False):
            name, namespace = _local(elem.tag), etree.QName(elem.tag).namespace or ""
            if name not in ROOTS or (namespace and not namespace.startswith(NAMESPACES)):
                raise DataError(
                    f"« {filename} » n'est pas un fichier LHEO : élément racine « {name} »"
                    + (f" dans l'espace de noms « {namespace} »" if namespace else "")
                    + " (attendu : lheo ou lheo-leger, espace de noms http://www.lheo.org/… ou http://lheo.gouv.fr/…)."
                )
            return namespace
    except etree.XMLSyntaxError as err:
        # Only the prolog is parsed here: its end cuts the document, which is no error of the file.
        if err.lineno and err.code not in (_E.ERR_EXTRA_CONTENT, _E.ERR_DOCUMENT_END, _E.ERR_TAG_NOT_FINISHED,
                                           _E.ERR_GT_REQUIRED, _E.ERR_NAME_REQUIRED):
            raise DataError(xml_error_message(err, filename)) from err
    raise DataError(f"« {filename} » : XML mal formé, aucun élément racine lisible.")


_E = etree.ErrorTypes
# libxml2's messages are English: the common ones in French, by error code (the message's own
# words only to pick the names it quotes). Any other: the line and column, without English.
_XML_ERRORS: dict[int, tuple[str, str | None]] = {
    _E.ERR_TAG_NAME_MISMATCH: ("balise ouvrante et fermante différentes", r"mismatch: (\S+) line (\d+) and (\S+?),"),
    _E.ERR_TAG_NOT_FINISHED: ("fin du fichier avant la fermeture d'une balise (fichier tronqué ?)", r"in tag (\S+) line (\d+)"),
    _E.ERR_LTSLASH_REQUIRED: ("balise fermante attendue", None),
    _E.ERR_GT_REQUIRED: ("balise ouvrante non terminée (« > » manquant)", None),
    _E.ERR_NAME_REQUIRED: ("nom de balise ou d'entité manquant (un « & » ou un « < » non échappé ? écrire &amp; ou &lt;)", None),
    _E.ERR_ENTITYREF_SEMICOL_MISSING: ("« ; » manquant après une entité (un « & » non échappé ? écrire &amp;)", None),
    _E.ERR_UNDECLARED_ENTITY: ("entité non définie", r"Entity '([^']+)'"),
    _E.ERR_INVALID_ENCODING: ("octets invalides pour l'encodage déclaré (indiquez le bon encodage dans "
                              "la déclaration XML, par exemple encoding=\"ISO-8859-1\")", None),
    _E.ERR_UNSUPPORTED_ENCODING: ("encodage non pris en charge", None),
    _E.ERR_UNKNOWN_ENCODING: ("encodage inconnu", None),
    _E.ERR_ATTRIBUTE_NOT_STARTED: ("valeur d'attribut sans guillemets", None),
    _E.ERR_ATTRIBUTE_NOT_FINISHED: ("valeur d'attribut non terminée", None),
    _E.ERR_ATTRIBUTE_WITHOUT_VALUE: ("attribut sans valeur", None),
    _E.ERR_ATTRIBUTE_REDEFINED: ("attribut répété dans une même balise", r"Attribute (\S+) redefined"),
    _E.ERR_LT_IN_ATTRIBUTE: ("« < » non échappé dans une valeur d'attribut (écrire &lt;)", None),
    _E.ERR_EQUAL_REQUIRED: ("« = » attendu après un nom d'attribut", None),
    _E.ERR_SPACE_REQUIRED: ("espace attendue entre deux attributs", None),
    _E.ERR_DOCUMENT_END: ("contenu en trop après la fin du document", None),
    _E.ERR_EXTRA_CONTENT: ("contenu en trop après la fin du document", None),
    _E.ERR_DOCUMENT_EMPTY: ("balise ouvrante attendue, aucun « < » trouvé", None),
    _E.ERR_DOCUMENT_START: ("début de document illisible", None),
    _E.ERR_NOT_WELL_BALANCED: ("balises mal imbriquées", None),
    _E.ERR_INVALID_CHAR: ("caractère interdit en XML", None),
    _E.ERR_INVALID_CHARREF: ("référence de caractère invalide", None),
    _E.ERR_INVALID_DEC_CHARREF: ("référence de caractère invalide", None),
    _E.ERR_INVALID_HEX_CHARREF: ("référence de caractère invalide", None),
    _E.ERR_COMMENT_NOT_FINISHED: ("commentaire non fermé (« --> » manquant)", None),
    _E.ERR_CDATA_NOT_FINISHED: ("section CDATA non fermée", None),
    _E.ERR_PI_NOT_FINISHED: ("instruction de traitement non fermée (« ?> » manquant)", None),
    _E.ERR_XMLDECL_NOT_FINISHED: ("déclaration XML non terminée", None),
    _E.ERR_RESERVED_XML_NAME: ("déclaration XML ailleurs qu'au début du fichier", None),
    _E.ERR_STRING_NOT_CLOSED: ("guillemet non fermé", None),
    _E.NS_ERR_UNDEFINED_NAMESPACE: ("préfixe d'espace de noms non déclaré", r"prefix (\S+) on"),
}


def xml_error_message(err: etree.XMLSyntaxError, filename: str) -> str:
    """« XML mal formé à la ligne 12, colonne 5 : balise ouvrante et fermante différentes (…) »."""
    code, message, (line, column) = err.code, err.msg or "", err.position or (err.lineno, 0)
    if not line and err.error_log:  # lxml sometimes raises a generic error; the log has the parser's own
        entry = err.error_log.last_error
        code, message, line, column = entry.type, entry.message, entry.line, entry.column
    where = f"à la ligne {line}" + (f", colonne {column}" if column else "") if line else "(position inconnue)"
    text = f"« {filename} » : XML mal formé {where}"
    known = _XML_ERRORS.get(code)
    if known is None:
        return text + "."
    label, pattern = known
    found = re.search(pattern, message) if pattern else None
    if found and code == _E.ERR_TAG_NAME_MISMATCH:
        label += f" (« {found[1]} » ouverte à la ligne {found[2]}, fermée par « {found[3]} »)"
    elif found and code == _E.ERR_TAG_NOT_FINISHED:
        label += f" : « {found[1]} » ouverte à la ligne {found[2]} n'est pas fermée"
    elif found:
        label += f" : « {found[1]} »"
    return f"{text} : {label}."


class _Rewind(io.RawIOBase):
    """The prolog already read, then the rest of the stream."""

    def __init__(self, prolog: bytes, rest: IO[bytes]):
        self._buffer, self._rest = prolog, rest

    def readable(self) -> bool:
        return True

    def readinto(self, target) -> int:
        if self._buffer:
            size = min(len(target), len(self._buffer))
            target[:size], self._buffer = self._buffer[:size], self._buffer[size:]
            return size
        chunk = self._rest.read(len(target))
        target[: len(chunk)] = chunk
        return len(chunk)


def read_lheo(source: str | Path | bytes, filename: str | None = None,
              formacodes: dict[str, list[str]] | None = None,
              time_limit_s: float = TIME_LIMIT_S) -> tuple[pd.DataFrame, ImportReport]:
    """Read an LHEO file (XML, or a zip of one or more XML files) into the tidy session × place table."""
    filename = filename or (Path(str(source)).name if not isinstance(source, (bytes, bytearray)) else "offre.xml")
    formacodes = formacode_to_nsf() if formacodes is None else formacodes
    report = ImportReport(source=f"Offre de formation LHEO ({filename})")
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
    frame = _merge_duplicates(frame, report)
    _say_dates(frame, report)
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


def coordinate_issues(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """Why given coordinates cannot be a place in France: ``""`` when they can."""
    lat = pd.to_numeric(lat, errors="coerce")
    lon = pd.to_numeric(lon, errors="coerce")

    def in_france(y: pd.Series, x: pd.Series) -> pd.Series:
        inside = pd.Series(False, index=y.index)
        for lat_min, lat_max, lon_min, lon_max in FRANCE_BOXES.values():
            inside |= y.between(lat_min, lat_max) & x.between(lon_min, lon_max)
        return inside

    given = lat.notna() & lon.notna()
    issue = pd.Series("", index=lat.index, dtype=object)
    issue[given & ~in_france(lat, lon)] = "hors de France"
    issue[given & ~in_france(lat, lon) & in_france(lon, lat)] = "latitude et longitude inversées"
    issue[given & ((lat.abs() > 180) | (lon.abs() > 180))] = "en mètres (Lambert-93 ?) au lieu de degrés"
    issue[given & lat.eq(0) & lon.eq(0)] = "nulles (0, 0)"
    return issue


def _set_aside_coordinates(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Coordinates that cannot be in France are dropped (the place is then located by its commune
    or postcode, see :func:`locate`), with a count per cause."""
    issue = coordinate_issues(frame["lat"], frame["lon"]) if len(frame) else pd.Series([], dtype=object)
    frame["coord_issue"] = issue.to_numpy() if len(frame) else []
    bad = issue.ne("")
    if bad.any():
        frame.loc[bad.to_numpy(), ["lat", "lon"]] = np.nan
        causes = ", ".join(f"{n} {cause}" for cause, n in issue[bad].value_counts().items())
        report.warn(f"coordonnées écartées pour {int(bad.sum())} session(s) × lieu(x) ({causes}) : lieux localisés par "
                    "leur commune ou leur code postal")
    return frame


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


def locate(frame: pd.DataFrame, points: pd.DataFrame, postcodes: dict[str, str]) -> tuple[pd.DataFrame, pd.Series]:
    """Fill missing coordinates from the commune code, else the postcode.

    ``points``: ``code, lon, lat`` reference points of communes; ``postcodes``: postcode ->
    commune code (the most populous commune of that postcode). Adds ``located_by``:
    ``coordonnees`` | ``commune`` | ``code_postal`` | ``non_localise``; returns the frame and
    the count of each method.
    """
    frame = frame.copy()
    by_code = points.set_index("code")[["lon", "lat"]]
    has_coords = frame["lat"].notna() & frame["lon"].notna()
    method = pd.Series("non_localise", index=frame.index, dtype=str)
    method[has_coords] = "coordonnees"
    by_commune = ~has_coords & frame["commune"].isin(by_code.index)
    frame.loc[by_commune, ["lon", "lat"]] = by_code.loc[frame.loc[by_commune, "commune"]].to_numpy()
    method[by_commune] = "commune"
    remaining = ~has_coords & ~by_commune
    via_postcode = frame.loc[remaining, "postcode"].map(postcodes)
    ok = via_postcode.notna() & via_postcode.isin(by_code.index)
    rows = via_postcode[ok]
    frame.loc[rows.index, ["lon", "lat"]] = by_code.loc[rows].to_numpy()
    frame.loc[rows.index, "commune"] = rows
    method[rows.index] = "code_postal"
    frame["located_by"] = method
    return frame, method.value_counts()
