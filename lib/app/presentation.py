"""Presentation mode for the CREFOP screen: controls hidden, larger text, full width.

Switched on by the sidebar toggle or ``?presentation=1`` in the URL; it stays on from page to
page for the session. The page keeps its current filters (they are only hidden).
"""
from __future__ import annotations

import streamlit as st

KEY = "presentation"
CSS = """
<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stSelectbox"], [data-testid="stMultiSelect"], [data-testid="stSlider"], [data-testid="stRadio"],
[data-testid="stCheckbox"], [data-testid="stFileUploader"], [data-testid="stDownloadButton"],
[data-testid="stExpander"], [data-testid="stButtonGroup"], [data-testid="stCode"],
[data-testid="stSelectSlider"] { display: none !important; }
html { font-size: 19px; }
.block-container { max-width: 100% !important; padding: 0.8rem 1.6rem 1rem 1.6rem !important; }
h1 { font-size: 2.1rem !important; }
[data-testid="stMetricValue"] { font-size: 2.4rem !important; }
[data-testid="stCaptionContainer"] { font-size: 0.9rem !important; }
</style>
"""


def active() -> bool:
    if KEY not in st.session_state:
        st.session_state[KEY] = st.query_params.get(KEY) == "1"
    return bool(st.session_state[KEY])


def apply() -> None:
    """Called by app.py before the page: the switch, and the style when on."""
    if active():
        st.html(CSS)
        if st.button("Quitter le mode présentation", icon=":material/close_fullscreen:", key="presentation_exit"):
            st.session_state[KEY] = False
            st.query_params.pop(KEY, None)
            st.rerun()
        st.query_params[KEY] = "1"
    else:
        st.sidebar.toggle("Mode présentation", key=KEY, help="Masque les commandes et agrandit le texte pour un projecteur.")
