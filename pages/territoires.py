"""Page Territoires prioritaires: QPV, ZRR and FRR coverage per department and commune."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, share, ui
from lib.app.components import show_map
from lib.app.tables import show_table
from lib.indicators import coverage
from lib.views import territoires as view

region = data.region()
st.title("Territoires prioritaires")
st.caption(f"Région : {region.name} ({region.code}) — quartiers prioritaires de la politique de la ville (QPV) "
           "et zones de revitalisation rurale (ZRR, remplacées par France Ruralités Revitalisation, FRR, au 1er juillet 2024).")

ZONINGS = view.ZONINGS
years = data.datasets().qpv_vintages("IPRO")
PARAMS = [share.Param("qpv_list", "qpv", default=coverage.DEFAULT_QPV_LIST, shared=True),
          share.Param("zoning", "zonage", default="FRR 2025"),
          share.Param("coverage_indicator", "carte", default="population_zonage"),
          share.Param("qpv_start", "debut", "int", default=years[0]), share.Param("qpv_end", "fin", "int", default=years[-1]),
          share.Param("qpv_deps", "deps", "list", default=[])]
share.restore(PARAMS, {"qpv_list": list(coverage.QPV_LISTS), "zoning": list(ZONINGS), "coverage_indicator": ["population_zonage", "population_qpv"],
                       "qpv_start": years, "qpv_end": years, "qpv_deps": region.dep_codes})
left, right = st.columns([1.4, 1])
qpv_key = left.segmented_control("Liste des QPV", list(coverage.QPV_LISTS), key="qpv_list",
                                 format_func=lambda k: coverage.QPV_LISTS[k].label,
                                 help="2024 : liste en vigueur depuis le 1er janvier 2024 (décret n° 2023-1314), "
                                      "population RP 2020. 2015 : liste de la période du Pacte 2019-2022, "
                                      "population RP 2018 (fichiers Insee 2022).") or coverage.DEFAULT_QPV_LIST
choice = right.segmented_control("Zonage rural", list(ZONINGS), key="zoning") or "FRR 2025"
zoning = ZONINGS[choice]
tables = data.view(view.coverage_tables, qpv_key)
notes = data.view(view.qpv_list_notes, qpv_key, choice)
table = tables["coverage"]
st.info(notes["banner"])

st.header("Par département")
MAP_CHOICES = view.coverage_map_choices(choice, qpv_key)
map_choice = st.radio("Indicateur sur la carte", list(MAP_CHOICES), horizontal=True, key="coverage_indicator",
                      format_func=MAP_CHOICES.get)
indicator = MAP_CHOICES[map_choice]
# the table under the map: beside it (430 px at 1366 px) its columns were cut
left = right = st.container()
with left:
    st.subheader(indicator, anchor=False)
    show_map(data.view(view.coverage_map, choice, map_choice, qpv_key), key="coverage_map")
    ui.png_download(lambda ds: view.coverage_map_png(ds, choice, map_choice, qpv_key),
                    f"carte_{map_choice}_{zoning}_{region.code}_qpv{qpv_key}.png", "coverage_map_png",
                    help=f"Image de la carte : {indicator.lower()} par département, avec légende, sources et date.")
with right:
    show_table(tables[f"{zoning}_shown"], height=500, name=f"{indicator} — par département")
    ui.csv_download(table.assign(qpv_list=qpv_key), f"couverture_{region.code}_qpv{qpv_key}.csv",
                    "Télécharger le tableau complet (CSV)", demo=False)
ui.source_caption(*notes["table_sources"], extra=notes["table_extra"])

with st.expander(f"Détail des classes {choice}"):
    show_table(tables[f"{zoning}_pivot"], name=f"Détail des classes {choice}")
    ui.csv_download(tables[zoning], f"classes_{zoning}_{region.code}.csv", demo=False)

check = data.view(view.qpv_population_check, qpv_key)
if check is not None:
    st.header(check["header"])
    for column, (label, value, delta) in zip(st.columns(3), check["metrics"]):
        column.metric(label, value)
        column.caption(delta)  # a count, not a change, and in full (as a delta it was cut to one line at 1366 px)
    st.markdown(check["text"])
    ui.source_caption(*check["sources"])

st.header("Par commune")
show_map(data.view(view.commune_zoning_map, zoning, choice, qpv_key), key="communes_map")
ui.png_download(lambda ds: view.commune_map_png(ds, zoning, choice, qpv_key),
                f"carte_communes_{zoning}_{region.code}_qpv{qpv_key}.png", "communes_map_png",
                help=f"Image de la carte : communes classées {choice} et quartiers prioritaires, avec légende, sources et date.")
ui.source_caption(*notes["map_sources"], extra=notes["map_extra"])

with st.expander("Tableau des communes"):
    show_table(tables["communes_shown"], height=360, pin="Commune", name="Tableau des communes")
    ui.csv_download(tables["communes"], f"communes_zonages_{region.code}_qpv{qpv_key}.csv", demo=False)

st.header("Quartiers de la liste 2015 : indicateurs Insee")
st.caption("Les fichiers d'indicateurs d'Insee par quartier (insertion professionnelle, revenus) fournis ici portent sur "
           "la liste 2015 : cette section la garde quel que soit le choix ci-dessus. Pour la liste 2024, seule la "
           "population (RP 2020) est reprise ; les autres colonnes du fichier 2024 ne disent pas leur année de référence.")
c1, c2, c3 = st.columns([1, 1, 3])
start = c1.selectbox("Millésime de départ", years, key="qpv_start")
end = c2.selectbox("Millésime d'arrivée", years, key="qpv_end")
chosen_deps = c3.multiselect("Départements", region.dep_codes, format_func=region.dep_label,
                             placeholder="Tous les départements", key="qpv_deps", select_all=False)
query = share.persist(PARAMS)
evolution = data.view(view.qpv_evolution, start, end, tuple(chosen_deps))
show_table(evolution["shown"], height=420, pin="Quartier", name="Quartiers de la liste 2015 : indicateurs Insee")
st.caption("Cellules vides (–) : secret statistique ou donnée non diffusée par Insee, jamais remplacées par 0. "
           "DE ABC : demandeurs d'emploi inscrits en catégories A, B, C ; infra CAP-BEP : part de ceux dont le niveau "
           "de formation est inférieur au CAP-BEP.")
ui.csv_download(evolution["table"], f"qpv_indicateurs_{region.code}_{start}_{end}.csv", demo=False)
ui.source_caption("qpv_2015_insee_indicators")
share.share_box(query)
