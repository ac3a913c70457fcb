"""Page Sources et méthodologie: every dataset of data/ and how the figures are made."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, ui
from lib.app.tables import show_table
from lib.views import sources as view

st.title("Sources et méthodologie")

st.header("Jeux de données")
# The files in use are described from what they hold (imported, configured or bundled); the Insee edition
# in use speaks on its card and in its freshness notice, not the bundled file the catalogue describes.
st.markdown(data.view(view.in_use_listing))
columns = st.columns(2)
for index, card in enumerate(data.view(view.dataset_cards)):
    with columns[index % 2].container(border=True):
        st.markdown(card["title"])
        st.markdown(card["text"])
        st.caption(card["caption"])
        if card["in_use"]:
            st.markdown(f"**En usage** : {card['in_use']}")
        if card["edition"] is not None:
            ui.stale_notice(card["key"], card["edition"])

catalog_table = data.view(view.catalog_table)
with st.expander("Tableau des sources"):
    show_table(catalog_table, name="Tableau des sources", column_config={"Lien": st.column_config.LinkColumn("Lien")})
    ui.csv_download(catalog_table, "sources.csv", demo=False)

st.header("Chômage localisé")
st.markdown(view.UNEMPLOYMENT_METHOD)
check = data.view(view.unemployment_check)
if check is not None:
    st.markdown(check["text"])
    show_table(check["table"], name="Contrôle avec le Pacte : taux de chômage au 4e trimestre 2018")
    ui.source_caption("pact_ara_2019", "chomage_localise_insee")

st.header("Territoires prioritaires")
st.markdown(view.TERRITORIES_METHOD)
territories = data.view(view.territories_method)
st.caption(territories["matches"])
show_table(territories["exceptions"], name="Quartiers prioritaires : rattachements aux communes corrigés à la main")
st.markdown(view.ZONINGS_METHOD)
show_table(territories["conservation"], name="ZRR : conservation des communes et des populations par département")
# the reason is a sentence: it wraps in its column (rows above 64 px) instead of running off the grid
show_table(territories["restored"], widths={"Motif": 380}, row_height=70,
           name="Communes rétablies depuis 2021 : classe reprise de la commune dont elles faisaient partie")
ui.source_caption("qpv_2024", "qpv_2015_insee_indicators", "zrr_2017_2021_anct", "frr_2025_dgcl", "cog_changes",
                  "decoupage_admin_etalab")

st.header("Offre de formation et zones blanches")
st.markdown(view.OFFER_METHOD)
ui.source_caption("lheo", "nsf")

st.header("Parcours et résultats : définitions")
st.markdown(view.pathways_method())
ui.source_caption("pact_ara_2019", "benchmarks_publications", "barometre_action_publique", "cadre_national")

st.header("Repères : pourquoi 57 % national et « 3 points au-dessus » ne se contredisent pas")
st.markdown(view.BENCHMARKS_METHOD)
ui.source_caption("pact_ara_2019", "benchmarks_publications")

st.header("Contours")
contours = data.view(view.contours)
st.markdown(contours["text"])
show_table(contours["missing"], name="Communes absentes des contours IGN et point de référence emprunté")
ui.source_caption("geo")
