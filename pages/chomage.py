"""Page Chômage localisé: department map, table and series."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, share, ui
from lib.app.components import show_chart, show_map
from lib.app.tables import show_table
from lib.indicators import unemployment as unemp
from lib.views import chomage as view

region = data.region()
st.title("Chômage localisé")
st.caption(f"Région : {region.name} ({region.code}) — taux de chômage localisés Insee, données CVS, en moyenne trimestrielle.")

with st.sidebar:
    upload = st.file_uploader(
        "Autre édition du fichier Insee (.xls ou .xlsx)", key="unemployment_upload",
        help="Remplace le fichier fourni pour cette session. Fichier « Taux de chômage localisés » d'Insee.",
    )  # no type=[...]: the browser would refuse another file with an English tooltip only; the reader says why in French
# A file read right here (or on the page Données) is used on every page of the session until dropped.
ui.accept_upload("unemployment", upload, lambda content, name: data.datasets(files={"unemployment": (content, name)}).unemployment())
report = data.view(view.unemployment_report)
uploaded = "unemployment" in data.imported_files()
if uploaded or report.warnings:
    st.sidebar.caption(report.full_text())
    if uploaded and st.sidebar.button("Revenir au fichier fourni", key="unemployment_reset"):
        data.drop_imported("unemployment")
        st.rerun()

quarters = data.view(view.unemployment_quarters)
ui.stale_notice("chomage_localise_insee", quarters[-1])
shared_dep = st.session_state.get(share.SHARED, {}).get("dep")
PARAMS = [share.Param("ch_quarter", "trimestre", default=quarters[-1]),
          share.Param("ch_start", "debut", default=quarters[max(0, len(quarters) - 41)]),
          share.Param("ch_deps", "deps", "list", default=[shared_dep] if shared_dep in region.dep_codes else region.dep_codes[:3])]
share.follow_defaults(PARAMS[:2])  # another edition, or back to the provided one: the latest quarter follows
share.restore(PARAMS, {"ch_quarter": quarters, "ch_start": quarters, "ch_deps": region.dep_codes})
quarter = st.select_slider("Trimestre", options=quarters, key="ch_quarter", format_func=unemp.quarter_label)
table, map_args = data.view(view.unemployment_table_and_map, quarter)
source_line = data.source_line("unemployment")

left, right = st.columns([4, 3], gap="large")  # the table's four columns need 350 px at 1366 px
with left:
    st.header(f"Taux de chômage par département — {unemp.quarter_label(quarter)}", anchor=False)
    show_map(map_args, key="unemployment_map")
    st.caption(f"{source_line} Carte : IGN ADMIN EXPRESS (simplifié). Classes d'amplitude égale.")
    ui.png_download(lambda ds: view.unemployment_map_png(ds, quarter), f"carte_chomage_{region.code}_{quarter}.png",
                    "ch_map_png", help="Image de la carte : départements colorés selon leur taux de chômage du "
                                       "trimestre, avec légende, source et date.")
with right:
    st.header(f"Tableau — {unemp.quarter_label(quarter)}", anchor=False)
    show_table(table, {"taux": "pct", "evolution_1an": "points"},
                     {"code": "Code", "departement": "Département", "taux": "Taux", "evolution_1an": "Évolution sur un an"},
                     height=460,
                     name=f"Taux de chômage par département — {unemp.quarter_label(quarter)}")
    if gaps := data.view(view.missing_rates_note, quarter):
        st.caption(gaps)
    ui.csv_download(view.with_note(view.table_with_references(data.datasets(), table, quarter).assign(trimestre=quarter),
                                   gaps), f"chomage_{region.code}_{quarter}.csv", demo=False)  # with region and France

st.header("Évolution depuis…")
c1, c2 = st.columns([1, 3])
start = c1.selectbox("Trimestre de départ", quarters, key="ch_start", format_func=unemp.quarter_label)
chosen = c2.multiselect("Départements", region.dep_codes, key="ch_deps", format_func=region.dep_label,
                        placeholder="Choisir un ou plusieurs départements", select_all=False)
query = share.persist(PARAMS)
series, spec = data.view(view.unemployment_series, tuple(chosen), start, source_line)
if spec is None:
    st.info("Choisissez au moins un département.")
else:
    show_chart(spec)
    if note := data.view(view.region_series_note):  # no regional row, or no « Région » sheet: said, never averaged
        st.caption(note)
    ui.csv_download(view.with_note(series.drop(columns=["date"]), note), f"chomage_series_{region.code}.csv",
                    "Télécharger les séries (CSV)", demo=False)
share.share_box(query)
