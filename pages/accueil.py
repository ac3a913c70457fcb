"""Home page: key figures of the region and links to the pages."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, ui
from lib.core.errors import DataError
from lib.views import accueil as view
from lib.views import chomage, fiche_region

try:
    region = data.region()
    figures = data.view(view.home_figures)
    latest_quarter = data.view(chomage.unemployment_quarters)[-1]
except DataError as err:
    st.error(str(err))
    st.stop()

st.title(f"Pacte régional d'investissement dans les compétences — {region.name}")
st.markdown(
    "Tableau de bord du pilotage du PRIC : chômage localisé, territoires prioritaires, offre de formation "
    "et résultats des parcours, par département."
)

left, right = st.columns(2)
with left:
    ui.deck_download(None, key="home_deck")  # the whole region's CREFOP deck
session_datasets = data.datasets()  # taken now: the PDF is built when clicked, outside the page's run
right.download_button("Fiche région (PDF)", lambda: fiche_region.region_sheet_pdf(session_datasets),
                      file_name=f"fiche_region_{region.code}_{latest_quarter}.pdf", mime="application/pdf",
                      icon=":material/description:", key="home_region_pdf", on_click="ignore",
                      help="Une page A4 : chiffres clés de la région, constats, chaque département, carte du chômage "
                           "et des zones blanches, sources et dates ; données de démonstration signalées.")
for column, figure in zip(st.columns(len(figures)), figures):
    column.metric(figure.label, figure.value, help=data.catalog()[figure.source].caption)
    column.caption(figure.detail)
ui.source_caption("decoupage_admin_etalab", "chomage_localise_insee")
ui.stale_notice("chomage_localise_insee", latest_quarter)

st.header("Pages")
LINKS = [
    ("pages/donnees.py", "Données — les fichiers en usage, vos imports et leurs comptes rendus", ":material/database:"),
    ("pages/chomage.py", "Chômage localisé — carte, tableau et séries par département", ":material/map:"),
    ("pages/territoires.py", "Territoires prioritaires — QPV, ZRR et FRR par département et par commune", ":material/location_city:"),
    ("pages/zones_blanches.py", "Zones blanches de formation — communes sans session à portée", ":material/wrong_location:"),
    ("pages/ou_agir.py", "Où ouvrir des sessions ? — les sites qui sortent le plus d'habitants des zones blanches",
     ":material/add_location_alt:"),
    ("pages/parcours.py", "Parcours et résultats — accès, abandon, certification, retour à l'emploi", ":material/trending_up:"),
    ("pages/fiche_departement.py", "Fiche département — une page pour le CREFOP, exportable en PDF", ":material/description:"),
    ("pages/diagnostic.py", "Diagnostic territorial — besoin et offre, territoires sous-dotés", ":material/radar:"),
    ("pages/comparer.py", "Comparer — chaque département et région de France, pairs et rangs", ":material/compare_arrows:"),
    ("pages/sources.py", "Sources et méthodologie — d'où vient chaque chiffre", ":material/menu_book:"),
]
for page, label, icon in LINKS:
    st.page_link(page, label=label, icon=icon)
