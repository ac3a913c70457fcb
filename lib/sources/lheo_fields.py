"""LHEO elements to rows: namespace-qualified paths and one reader per offer unit (2.x, 1.3, léger)."""
from __future__ import annotations

import threading
from collections.abc import Iterator

from lxml import etree

from lib.sources.lheo_values import _flag, _hours, _places, _valid_coords, date_issue, read_lheo_date


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
                           ("postcode", "codepostal"), ("geo", "geolocalisation"),
                           ("funder", "organisme-financeur"), ("funded", "nb-places-financees"),
                           ("places", "nombre-places"), ("nb_places", "nb-places")]:
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
        funded: list[float] = []
        given = float("nan")  # a number of places written on the action itself (outside the 2.3 grammar)
        for child in action:
            tag = child.tag
            if tag == q.funder:
                for value in child:
                    if value.tag == q.funded:
                        funded.append(_places(_text(value), "nb-places-financees", action_bad))
            elif tag in (q.places, q.nb_places):
                given = _places(_text(child), _local_name(tag), action_bad)
            elif tag == q.session:
                sessions.append(_session(child, _text(child.find(q("periode/debut"))), _text(child.find(q("periode/fin")))))
            elif tag == q.place:
                places.append(_address_v2(child, q))
            elif tag == q.public:
                publics.append(_text(child))
            elif tag == q.hours:
                hours = _hours(_text(child), action_bad)
        base = {**common, "action_id": action.get("numero") or f"{common['formation_id']}-{number}",
                "public_codes": "|".join(p for p in publics if p), "hours": hours,
                "places": _action_places(given, funded), "bad_value": " ; ".join(action_bad),
                "generated_id": formation.get("numero") is None or action.get("numero") is None}
        for located in places or [_place(None)]:
            for session in sessions or [NO_SESSION]:
                yield {**base, **located, **session}


def _local_name(tag: str) -> str:
    return tag.rpartition("}")[2]


def _action_places(given: float, funded: list[float]) -> float:
    """An action's places: ``nombre-places`` / ``nb-places`` written on the action, else the sum of its
    funders' ``organisme-financeur/nb-places-financees`` (LHEO 2.2/2.3); NaN when none is given or when one
    funder's figure cannot be read (a part of the places is no number of places)."""
    if given == given:
        return given
    if not funded or any(v != v for v in funded):
        return float("nan")
    return float(sum(funded))


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
        "places": float("nan"),
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
        "places": float("nan"),
        "generated_id": not (offer.get("numero") or offer.get("file")),
        **_place(offer),
    }
    base["bad_value"] = " ; ".join(bad)
    for session in _sessions(offer):
        yield {**base, **session}


PARSERS = {"formation": _rows_v2, "offre-formation": _rows_v13, "resume-offre": _rows_light}
