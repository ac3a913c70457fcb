"""Make every page go through ``app.py`` (navigation, page config, static assets).

Streamlit still knows the ``pages/`` folder as old-style pages: on a freshly started
server, opening a page URL directly (``/chomage``, a shared link) runs that page file on
its own, without ``app.py``. Each page calls :func:`through_app` first; when it finds
itself run on its own, it runs ``app.py`` instead (which runs the page through
``st.navigation``) and stops.
"""
from __future__ import annotations

import runpy
import threading

import streamlit as st

from lib.config import ROOT

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
