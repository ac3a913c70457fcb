"""Make every page go through ``app.py`` (navigation, page config, static assets).

Streamlit still knows the ``pages/`` folder as old-style pages: on a freshly started
server, opening a page URL directly (``/chomage``, a shared link) runs that page file on
its own, without ``app.py``. Each page calls :func:`through_app` first; when it finds
itself run on its own, it runs ``app.py`` instead (which runs the page through
``st.navigation``) and stops.
"""
from __future__ import annotations

import copy
import runpy
import threading
from collections.abc import Callable

import streamlit as st

from lib.core.config import ROOT

_state = threading.local()  # Streamlit runs each session's script in its own thread


def entered() -> None:
    """Called by ``app.py`` at the top of every run."""
    _state.inside_app = True


def left() -> None:
    """Called by ``app.py`` at the end of every run."""
    _state.inside_app = False


def through_app() -> None:
    if getattr(_state, "inside_app", False):
        return
    try:
        runpy.run_path(str(ROOT / "app.py"), run_name="__main__")
    finally:
        _state.inside_app = False
    st.stop()


_pages: list | None = None
_pages_lock = threading.Lock()


def pages(build: Callable[[], list]) -> list:
    """The app's ``st.Page`` objects, built once per process (each resolves its file on the disk)
    and copied for every run: ``st.navigation`` marks the page it returns as callable, a state
    that must stay the run's own when sessions run at the same time."""
    global _pages
    with _pages_lock:
        if _pages is None:
            _pages = build()
    return [copy.copy(page) for page in _pages]
