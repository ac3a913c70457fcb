"""PRIC dashboard: entry point and navigation (``streamlit run app.py``)."""
from __future__ import annotations

import streamlit as st

from lib.static_assets import install_static_assets

st.set_page_config(
    page_title="PRIC — tableau de bord", page_icon=":material/school:", layout="wide", initial_sidebar_state="expanded"
)
install_static_assets()

PAGES = [
    st.Page("pages/accueil.py", title="Accueil", icon=":material/home:", default=True),
    st.Page("pages/chomage.py", title="Chômage localisé", icon=":material/map:", url_path="chomage"),
    st.Page("pages/sources.py", title="Sources et méthodologie", icon=":material/menu_book:", url_path="sources"),
]

st.navigation(PAGES).run()

from lib import loaders  # noqa: E402  (after the page is drawn)

loaders.warm_up(loaders.region().code)
