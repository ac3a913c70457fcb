"""Page Diagnostic territorial: need against offer per department, weights visible and adjustable."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, share, ui
from lib.app.components import show_chart
from lib.app.tables import show_table
from lib.core.fmt import fr_num
from lib.indicators import coverage, diagnosis
from lib.views import diagnostic as view
from lib.views.common import offer_period

region = data.region()
st.title("Diagnostic territorial")
st.caption(f"Région : {region.name} ({region.code}) — où le besoin est fort et l'offre faible.")

PARAMS = [share.Param(f"dg_{k}", f"w_{k}", "float", v) for k, v in diagnosis.DEFAULT_WEIGHTS.items()]
WEIGHT_STEPS = [step / 2 for step in range(11)]  # 0 to 5 by 0,5
share.restore(PARAMS, {p.key: WEIGHT_STEPS for p in PARAMS})
QPV_PARAM = share.Param("dg_qpv_list", "qpv", default=coverage.DEFAULT_QPV_LIST, shared=True)
qpv_key = share.follow(QPV_PARAM, list(coverage.QPV_LISTS))
qpv_list = coverage.QPV_LISTS[qpv_key]
PARAMS.append(QPV_PARAM)

period = offer_period()  # white zones on the Zones blanches page's default period
inputs = data.view(view.diagnosis_inputs, qpv_key, period)
latest, records_demo, offer_demo, demo = inputs["latest"], inputs["records_demo"], inputs["offer_demo"], inputs["demo"]
if records_demo or offer_demo:
    ui.demo_banner("Données de démonstration — " + " ; ".join(
        part for part, demo_part in (("part des DE infra-bac et accès", records_demo), ("zones blanches", offer_demo))
        if demo_part))
st.caption(view.qpv_caption(qpv_key))
if inputs["outside"]:  # every commune « white » for want of this region's offer: said before any score
    st.error(inputs["outside"])
ui.stale_notice("chomage_localise_insee", latest)

labels = {**diagnosis.NEED, **diagnosis.OFFER}
for indicator, reason in inputs["unavailable"].items():
    st.info(f"{labels[indicator]} : non disponible — {reason} ; indicateur laissé hors des scores.")
with st.expander("Pondérations (0 = indicateur ignoré)", expanded=True):
    need_cols = st.columns(len(diagnosis.NEED))
    for column, (key, label) in zip(need_cols, diagnosis.NEED.items()):
        column.select_slider(f"Besoin — {label}", WEIGHT_STEPS, key=f"dg_{key}", format_func=fr_num)
    offer_cols = st.columns(len(diagnosis.OFFER) + 2)
    for column, (key, label) in zip(offer_cols, diagnosis.OFFER.items()):
        column.select_slider(f"Offre — {label}", WEIGHT_STEPS, key=f"dg_{key}", format_func=fr_num)
query = share.persist(PARAMS)
weights = {k: float(st.session_state[f"dg_{k}"]) for k in diagnosis.DEFAULT_WEIGHTS}
scores = data.view(view.diagnosis_scores, tuple(sorted(weights.items())), qpv_key, period)
for sentence in scores["partial"]:  # a department's missing indicator is left out of its score, and said
    st.warning(sentence)

# one below the other: beside the scatter, the twelve-column table had 356 px at 1366 px and was cut
with st.container():
    show_chart(scores["chart"])
    show_table(scores["table"], height=470, pin="Département",
               name="Diagnostic par département : besoin, offre et indicateurs")
    st.caption(scores["sentence"])
    ui.csv_download(scores["csv"], f"diagnostic_{region.code}.csv", demo=bool(demo))

st.header("Par EPCI")
st.caption("À l'échelle des intercommunalités, les données disponibles sont la part de la population en QPV et en "
           "ZRR/FRR (besoin) et la part à portée d'une session (offre) : le chômage localisé et l'accès n'existent "
           "que par département. Mêmes pondérations que ci-dessus. "
           f"{len(inputs['epci']) - len(scores['epci'])} EPCI dont moins de la moitié de la population vit dans la région ne sont pas classés.")
show_table(scores["epci_table"], height=360, pin="EPCI", name="Diagnostic par EPCI")
st.caption(scores["epci_sentence"])
ui.csv_download(scores["epci_csv"], f"diagnostic_epci_{region.code}.csv", demo=scores["epci_demo"])

st.markdown(view.method_text(period))
# the datasets in use, each named as it is (imported, configured, demonstration, none): never a fixed word
ui.source_caption("chomage_localise_insee", qpv_list.dataset, "frr_2025_dgcl", extra=(
    diagnosis.records_sources(inputs["unavailable"], data.source_line("records"), data.source_line("denominators"))
    + " Part à portée d'une session — " + data.source_line("offer")))
share.share_box(query)
