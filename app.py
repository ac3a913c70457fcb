"""PRIC dashboard: entry point and navigation (``streamlit run app.py``)."""
from __future__ import annotations

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import StopException

from lib.app import a11y, data, entry, presentation, ui
from lib.render.static_assets import install_static_assets

entry.entered()

st.set_page_config(
    page_title="PRIC — tableau de bord", page_icon="🎓", layout="wide", initial_sidebar_state="expanded"
)
install_static_assets()
a11y.apply()  # lang="fr", contrast, visible focus, French ARIA labels (lib/app/a11y.py)
# Less empty space above the title on a laptop screen.
st.html("<style>.block-container{padding-top:2.2rem}</style>")
ui.french_widgets()


def pages() -> list:
    return [
        st.Page("pages/accueil.py", title="Accueil", icon=":material/home:", default=True),
        st.Page("pages/donnees.py", title="Données", icon=":material/database:", url_path="donnees"),
        st.Page("pages/chomage.py", title="Chômage localisé", icon=":material/map:", url_path="chomage"),
        st.Page("pages/territoires.py", title="Territoires prioritaires", icon=":material/location_city:", url_path="territoires"),
        st.Page("pages/zones_blanches.py", title="Zones blanches de formation", icon=":material/wrong_location:",
                url_path="zones_blanches"),
        st.Page("pages/ou_agir.py", title="Où ouvrir des sessions ?", icon=":material/add_location_alt:", url_path="ou_agir"),
        st.Page("pages/parcours.py", title="Parcours et résultats", icon=":material/trending_up:", url_path="parcours"),
        st.Page("pages/objectifs.py", title="Objectifs du pacte", icon=":material/flag:", url_path="objectifs"),
        st.Page("pages/fiche_departement.py", title="Fiche département", icon=":material/description:",
                url_path="fiche_departement"),
        st.Page("pages/diagnostic.py", title="Diagnostic territorial", icon=":material/radar:", url_path="diagnostic"),
        st.Page("pages/comparer.py", title="Comparer", icon=":material/compare_arrows:", url_path="comparer"),
        st.Page("pages/sources.py", title="Sources et méthodologie", icon=":material/menu_book:", url_path="sources"),
        st.Page(a11y.STATEMENT_PAGE, title="Déclaration d'accessibilité", icon=":material/accessibility_new:",
                url_path="accessibilite"),
    ]


# Built once per process (resolving ten paths on every run cost a few per cent of the server's time under load).
# expanded: with more than ten pages Streamlit folds the list under « View N more », in English.
navigation = st.navigation(entry.pages(pages), expanded=True)
# Each page its own <title> (RGAA 8.6): « Chômage localisé — PRIC » (the first call set the default).
st.set_page_config(page_title=a11y.page_title(navigation.title))
presentation.apply()
for sentence in data.restore_kept_files():  # a reload or a shared link finds the public files imported
    st.warning(sentence)
try:
    navigation.run()
    a11y.footer()
except StopException:  # a page's st.stop(): the footer still closes what it drew
    a11y.footer()
    raise
finally:
    entry.left()

# The map component registers itself when streamlit_folium is first imported, and only from a script
# run (Streamlit skips the registration without a script context): imported here, never first by the
# warm-up thread, else its frame is a 404 for the process's life (maps broken unless the first page
# visited after a start drew a map).
import streamlit_folium  # noqa: E402, F401, I001

from lib.app import data, warm  # noqa: E402  (after the page is drawn)

warm.warm_up(data.region().code)
