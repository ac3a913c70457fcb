"""Shareable views: every page keeps its filters in the URL query string.

Each page declares its filters as :class:`Param` (widget key, URL name, kind, default) and calls
:func:`restore` before drawing its widgets and :func:`persist` after. Opening a URL restores the
view; the department and the year are also kept in the session so they follow the user from
page to page (Streamlit clears the query string on a page change), and every page's own filters
are remembered in the session, so coming back to a page finds it as it was left.
"""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

import streamlit as st

SHARED = "_pric_shared"  # session store of the filters carried across pages
REMEMBERED = "_pric_page_filters"  # session store of each page's own filters, by widget key
DEFAULTS = "_pric_param_defaults"  # each filter's default at its page's last run, by widget key
GLOBAL = {"presentation", "fichiers"}  # URL parameters owned by the app, not by a page (fichiers: lib.app.data)


@dataclass(frozen=True)
class Param:
    key: str                 # widget key in st.session_state
    name: str                # name in the URL
    kind: str = "str"        # str | int | float | bool | list | range
    default: object = None
    shared: bool = False     # carried across pages (dep, year)

    def encode(self, value: object) -> str | None:
        if value is None:
            return None
        if self.kind == "bool":
            return "1" if value else "0"
        if self.kind in ("list", "range"):
            return ",".join(str(v) for v in value) if value else None
        return str(value)

    def decode(self, raw: str | None) -> object:
        if raw is None or raw == "":
            return None
        try:
            if self.kind == "int":
                return int(raw)
            if self.kind == "float":
                return float(raw)
            if self.kind == "bool":
                return raw in ("1", "true", "oui")
            if self.kind == "list":
                return [v for v in raw.split(",") if v]
            if self.kind == "range":
                parts = raw.split(",")
                return tuple(parts) if len(parts) == 2 else None
        except ValueError:
            return None
        return raw


def restore(params: list[Param], valid: dict[str, object] | None = None) -> None:
    """Initialise each widget's state from the URL, else the shared filters, else its default.

    ``valid`` maps a key to its allowed options (list) or a predicate; invalid URL values are
    ignored, never passed to a widget.
    """
    shared = st.session_state.setdefault(SHARED, {})
    for param in params:
        if param.key in st.session_state:
            rule = (valid or {}).get(param.key)
            current = st.session_state[param.key]
            if rule is not None and current is not None and not _allowed(current, rule):
                st.session_state[param.key] = param.default  # the data in use changed: fall back
            continue
        value = param.decode(st.query_params.get(param.name))
        if value is None and param.shared:
            value = shared.get(param.name)
        remembered = st.session_state.get(REMEMBERED, {})
        if value is None and param.name not in st.query_params and param.key in remembered:
            value = remembered[param.key]  # back on the page: as the user left it (« Toutes » included)
            if value is not None and valid and param.key in valid and not _allowed(value, valid[param.key]):
                value = param.default
            st.session_state[param.key] = value
            continue
        if value is not None and valid and param.key in valid and not _allowed(value, valid[param.key]):
            value = None
        st.session_state[param.key] = param.default if value is None else value


def follow_defaults(params: list[Param]) -> None:
    """Filters left at their default follow the data: when the data in use change (another edition
    imported, or back to the provided file), a filter holding the previous data's default (e.g. its
    latest quarter) takes the new data's default; a value the user chose and still possible stays.
    Call before :func:`restore`."""
    last = st.session_state.setdefault(DEFAULTS, {})
    remembered = st.session_state.get(REMEMBERED, {})
    for param in params:
        previous, last[param.key] = last.get(param.key, param.default), param.default
        if previous == param.default:
            continue
        held = st.session_state[param.key] if param.key in st.session_state else remembered.get(param.key)
        if held == previous:
            st.session_state[param.key] = param.default


def follow(param: Param, valid: object | None = None) -> object:
    """A filter set on another page and only *used* here (e.g. the QPV list on the department sheet):
    the URL's value, else the one the user chose elsewhere in the session, else the default. Stored
    under ``param.key`` on every run (not a widget key), so :func:`persist` keeps it in the URL."""
    value = param.decode(st.query_params.get(param.name))
    if value is None or (valid is not None and not _allowed(value, valid)):
        value = st.session_state.setdefault(SHARED, {}).get(param.name)
    if value is None or (valid is not None and not _allowed(value, valid)):
        value = param.default
    st.session_state[param.key] = value
    return value


def initial(param: Param, valid: object | None = None) -> object:
    """The URL's value (else the default) for a widget that must receive it as ``value=``
    (a range ``select_slider`` decides its mode from that argument)."""
    if param.key in st.session_state:
        current = st.session_state[param.key]
        if valid is None or current is None or _allowed(current, valid):
            return current
        del st.session_state[param.key]  # values of another dataset: the widget starts afresh
        return param.default
    value = param.decode(st.query_params.get(param.name))
    if value is None or (valid is not None and not _allowed(value, valid)):
        return param.default
    return value


def _allowed(value: object, rule: object) -> bool:
    if callable(rule):
        return bool(rule(value))
    options = list(rule)
    if isinstance(value, (list, tuple)):
        return all(v in options for v in value)
    return value in options


def persist(params: list[Param]) -> str:
    """Write the current filters to the URL (and the shared ones to the session); returns the query."""
    shared = st.session_state.setdefault(SHARED, {})
    remembered = st.session_state.setdefault(REMEMBERED, {})
    query = {}
    for param in params:
        remembered[param.key] = st.session_state.get(param.key)
        encoded = param.encode(st.session_state.get(param.key))
        if encoded is not None:
            query[param.name] = encoded
        if param.shared:
            shared[param.name] = st.session_state.get(param.key)
    for name in [n for n in st.query_params if n not in query and n not in GLOBAL]:
        del st.query_params[name]
    for name, value in query.items():
        if st.query_params.get(name) != value:
            st.query_params[name] = value
    return urlencode(query)


def share_box(query: str) -> None:
    """The link to this exact view, in a code block (its copy button copies it)."""
    try:
        base = (st.context.url or "").split("?")[0]
    except Exception:  # no browser context (tests)
        base = ""
    kept = st.query_params.get("fichiers")
    query = "&".join(part for part in (query, kept and urlencode({"fichiers": kept})) if part)
    with st.expander("Partager cette vue", icon=":material/link:"):
        st.code(f"{base}?{query}" if query else base, language=None)
        st.caption("Le lien rouvre la page avec les mêmes filtres" + (" et les fichiers publics importés (classeur "
                   "Insee, offre LHEO, objectifs), gardés sur le serveur ; jamais les entrées en formation ni les "
                   "dénominateurs." if kept else "."))
