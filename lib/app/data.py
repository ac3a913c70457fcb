"""The session's datasets and its views: which :class:`~lib.datasets.in_use.Datasets` this session uses,
the files it imported (kept in its state only), and a page's view run once per filter state.

A view (:mod:`lib.views`) is a plain function of (datasets, filters) returning plain data; :func:`view`
runs it through the datasets' memo and turns what it returns into what Streamlit sends (chart
specifications, map component arguments, prepared tables: :mod:`lib.app.present`) once, so a page run
only lays objects out. A session without imports uses the server's shared datasets; with imports, its
own (held in its state: dropped with the session), which still reuses every shared result that does
not depend on its imports.
"""
from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import nullcontext
from typing import Any, TypeVar

import pandas as pd
import streamlit as st

from lib.core.config import region_code
from lib.datasets import workspace
from lib.datasets.in_use import Datasets
from lib.datasets.memo import note_use

T = TypeVar("T")

FILES_KEY = "_pric_files"
AS_OF_KEY = "_pric_records_as_of"
MAPPING_KEY = "_pric_records_mapping"
DATASETS_KEY = "_pric_datasets"  # the session's Datasets (with its imports), rebuilt when they change
CANDIDATE_KEY = "_pric_candidate"  # the Datasets a file was last read with before being kept
UPLOAD_IDS_KEY = "_pric_upload_ids"  # by kind, the uploader entries (file_id) that gave the file in use
DROPPED_KEY = "_pric_dropped_uploads"  # uploader entries of dropped files: not imported again


def _announce(label: str):
    """A spinner in a page run; nothing in the warm-up thread (no page to draw it on)."""
    from streamlit.runtime.scriptrunner import get_script_run_ctx

    return st.spinner(label) if get_script_run_ctx(suppress_warning=True) is not None else nullcontext()


@st.cache_resource(show_spinner=False)
def configured_scan() -> workspace.FolderScan | None:
    """The deployment's folder of real exports (``PRIC_DATA_DIR``), scanned once per server."""
    return workspace.current_scan()


@st.cache_resource(show_spinner=False)
def shared_datasets(code: str) -> Datasets:
    """The server's datasets for ``code`` (configured or bundled files), shared by every session."""
    shared = Datasets(code, configured_scan())
    shared.announce = _announce
    return shared


def region(code: str | None = None):
    """The region shown (``PRIC_REGION`` unless a code is given)."""
    return shared_datasets(code or region_code()).region


# --- the session's imports ---------------------------------------------------------------------

def imported_files() -> dict[str, tuple[bytes, str]]:
    return st.session_state.setdefault(FILES_KEY, {})


def records_as_of():
    return st.session_state.get(AS_OF_KEY)


def set_records_as_of(value) -> None:
    st.session_state[AS_OF_KEY] = None if value is None else pd.Timestamp(value)


def records_mapping():
    return st.session_state.get(MAPPING_KEY)


def set_records_mapping(mapping) -> None:
    st.session_state[MAPPING_KEY] = mapping


def note_upload(kind: str, file_id: str) -> None:
    st.session_state.setdefault(UPLOAD_IDS_KEY, {}).setdefault(kind, set()).add(file_id)


def dropped_uploads() -> set[str]:
    """Uploader entries whose file was dropped: the uploader still shows it after « Revenir aux données
    fournies » and gives it on every run; adding the file again gives a new entry."""
    return st.session_state.setdefault(DROPPED_KEY, set())


KEPT_PARAM = "fichiers"  # the page address's tokens of the public files imported (lib.datasets.kept_uploads)
KEPT_KEY = "_pric_kept_tokens"


def import_file(kind: str, data: bytes, name: str) -> None:
    """Use ``data`` for ``kind`` on every page of the session (call once it was read right); a public file is
    also kept on the server under a token the address carries (a reload or a shared link finds it)."""
    from lib.datasets import kept_uploads

    imported_files()[kind] = (data, name)
    token = kept_uploads.keep(kind, data, name)
    if token:
        st.session_state.setdefault(KEPT_KEY, {})[kind] = token
        carry_kept_files()


def carry_kept_files() -> None:
    """The address carries the session's kept files (Streamlit clears the query string on a page change)."""
    tokens = st.session_state.get(KEPT_KEY, {})
    value = ",".join(f"{kind}:{token}" for kind, token in sorted(tokens.items()))
    if value and st.query_params.get(KEPT_PARAM) != value:
        st.query_params[KEPT_PARAM] = value
    elif not value and KEPT_PARAM in st.query_params:
        del st.query_params[KEPT_PARAM]


def restore_kept_files() -> list[str]:
    """Once per session and address: the public files the address names, imported again; what the server no
    longer has, said (French sentences to show)."""
    from lib.datasets import kept_uploads

    raw = st.query_params.get(KEPT_PARAM, "")
    if not raw or st.session_state.get("_pric_kept_restored") == raw:
        carry_kept_files()
        return []
    st.session_state["_pric_kept_restored"] = raw
    said = []
    for part in raw.split(","):
        kind, _, token = part.partition(":")
        if kind not in kept_uploads.PUBLIC_KINDS or st.session_state.get(KEPT_KEY, {}).get(kind) == token:
            continue
        found = kept_uploads.load(token)
        if found is None or found[0] != kind:
            said.append(f"Le fichier importé que porte le lien ({kind}) n'est plus sur ce serveur : les données fournies "
                        "sont utilisées. Importez-le de nouveau (page Données).")
            continue
        imported_files()[kind] = (found[1], found[2])
        st.session_state.setdefault(KEPT_KEY, {})[kind] = token
    carry_kept_files()
    return said


def drop_imported(kind: str | None = None) -> None:
    """Back to the provided (or configured) data for ``kind``, or for every source."""
    files = imported_files()
    for name in ([kind] if kind else list(files)):
        files.pop(name, None)
        st.session_state.get(KEPT_KEY, {}).pop(name, None)
        dropped_uploads().update(st.session_state.get(UPLOAD_IDS_KEY, {}).pop(name, set()))
    carry_kept_files()
    if kind in (None, "records"):
        st.session_state.pop(AS_OF_KEY, None)
        st.session_state.pop(MAPPING_KEY, None)


# --- the session's datasets --------------------------------------------------------------------

def datasets(code: str | None = None, **changes: Any) -> Datasets:
    """The datasets this session uses: the shared ones without imports, else the session's own.
    ``changes`` (``files={kind: (bytes, name)}``, ``as_of``, ``mapping``) give a candidate to read a
    file with before keeping it: the same instance becomes the session's once kept (read once)."""
    shared = shared_datasets(code or region_code())
    files = {**imported_files(), **changes.get("files", {})}
    as_of = changes.get("as_of", records_as_of())
    mapping = changes.get("mapping", records_mapping())
    if not files:
        return shared
    for slot in (DATASETS_KEY, CANDIDATE_KEY):  # the session's, or the candidate a file was just read with
        held = st.session_state.get(slot)
        # compared by their inputs (the same bytes objects: no file hashed again on every view of a run)
        if held is not None and held.shared is shared and held.reads(files, as_of, mapping):
            if not changes:
                st.session_state[DATASETS_KEY] = held
            return held
    made = Datasets(shared.code, shared.scan, files, as_of, mapping, shared=shared)
    made.announce = _announce
    st.session_state[CANDIDATE_KEY if changes else DATASETS_KEY] = made
    return made


def workspace_key() -> str | None:
    """One key for the session's imported files (``None``: every source is the shared default)."""
    return datasets().key


def file_in_use(kind: str) -> workspace.FileInUse:
    return datasets().file_in_use(kind)


def source_line(kind: str) -> str:
    return datasets().source_line(kind)


def catalog():
    return shared_datasets(region_code()).catalog()


# --- views -------------------------------------------------------------------------------------

def view(fn: Callable[..., T], *args: Any, entries: int = 32, **kwargs: Any) -> T:
    """``fn(datasets, *args, **kwargs)`` for this session, once per filter state, turned into what
    Streamlit sends (:func:`lib.app.present.present`)."""
    return run_view(datasets(), fn, *args, entries=entries, **kwargs)


def run_view(ds: Datasets, fn: Callable[..., T], *args: Any, entries: int = 32, **kwargs: Any) -> T:
    """:func:`view` on given datasets (the warm-up's, outside any session)."""
    from lib.app.present import present

    bound = _signature(fn).bind(ds, *args, **kwargs)
    bound.apply_defaults()
    key = tuple(bound.arguments.items())[1:]  # calls alike whatever their form: every argument, defaults filled
    return ds.memo(f"view:{fn.__module__}.{fn.__qualname__}", key, lambda: present(fn(*bound.args, **bound.kwargs)),
                   entries=entries)


_signatures: dict[Callable, inspect.Signature] = {}


def _signature(fn: Callable) -> inspect.Signature:
    if fn not in _signatures:
        _signatures[fn] = inspect.signature(fn)
    return _signatures[fn]


def chart(builder: Callable[..., Any], *args: Any, **kwargs: Any) -> dict:
    """The spec of ``builder(*args, **kwargs)`` (a :mod:`lib.render.charts` function), memoised on its
    arguments (data frames by content); in the session only when the session imported files (its
    arguments may come from them)."""
    from lib.app.present import chart_spec, hashable

    ds = datasets()
    key = (builder.__module__, builder.__qualname__, hashable(args), hashable(kwargs))

    def compute() -> dict:
        note_use(ds.imported_kinds)
        return chart_spec(builder(*args, **kwargs))

    return ds.memo("chart", key, compute, entries=512)


def in_session(name: str, key: tuple, compute: Callable[[], T], entries: int = 32) -> T:
    """``compute()`` memoised with the session's datasets, in the session when it imported files."""
    ds = datasets()

    def tracked() -> T:
        note_use(ds.imported_kinds)
        return compute()

    return ds.memo(name, key, tracked, entries=entries)

