"""Home page: key figures of the region and links to the pages."""
from lib.entry import through_app

through_app()
import streamlit as st

from lib import loaders, ui
from lib.errors import DataError
from lib.indicators.summary import key_figures

try:
    region = loaders.region()
    communes = loaders.communes()
    tidy, _ = loaders.session_unemployment()
except DataError as err:
    st.error(str(err))
    st.stop()

st.title(f"Pacte régional d'investissement dans les compétences — {region.name}")
st.markdown(
    "Tableau de bord du pilotage du PRIC : chômage localisé, territoires prioritaires, offre de formation "
    "et résultats des parcours, par département."
)

figures = key_figures(region, communes, tidy)
for column, figure in zip(st.columns(len(figures)), figures):
    column.metric(figure.label, figure.value, help=loaders.catalog()[figure.source].caption)
    column.caption(figure.detail)
ui.source_caption("decoupage_admin_etalab", "chomage_localise_insee")

st.subheader("Pages")
st.page_link("pages/chomage.py", label="Chômage localisé — carte, tableau et séries par département", icon=":material/map:")
st.page_link("pages/sources.py", label="Sources et méthodologie — d'où vient chaque chiffre", icon=":material/menu_book:")
