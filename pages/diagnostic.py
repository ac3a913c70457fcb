"""Page Diagnostic territorial: need against offer per department, weights visible and adjustable."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import loaders, share, ui, views
from lib.core.fmt import fr_num, fr_pct
from lib.indicators import coverage, diagnosis
from lib.indicators import unemployment as unemp
from lib.indicators.offer import period_phrase
from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM
from lib.render import charts

region = loaders.region()
st.title("Diagnostic territorial")
st.caption(f"Région : {region.name} ({region.code}) — où le besoin est fort et l'offre faible.")

PARAMS = [share.Param(f"dg_{k}", f"w_{k}", "float", v) for k, v in diagnosis.DEFAULT_WEIGHTS.items()]
WEIGHT_STEPS = [step / 2 for step in range(11)]  # 0 to 5 by 0,5
share.restore(PARAMS, {p.key: WEIGHT_STEPS for p in PARAMS})
QPV_PARAM = share.Param("dg_qpv_list", "qpv", default=coverage.DEFAULT_QPV_LIST, shared=True)
qpv_key = share.follow(QPV_PARAM, list(coverage.QPV_LISTS))
qpv_list = coverage.QPV_LISTS[qpv_key]
PARAMS.append(QPV_PARAM)

upload_key = loaders.workspace_key()
offer_period = loaders.offer_period()  # white zones on the Zones blanches page's default period
inputs = views.diagnosis_inputs(region.code, qpv_key, offer_period, upload=upload_key)
latest, records_demo, offer_demo = inputs["latest"], inputs["records_demo"], inputs["offer_demo"]
if records_demo or offer_demo:
    ui.demo_banner("Données de démonstration — " + " ; ".join(
        part for part, demo in (("part des DE infra-bac et accès", records_demo), ("zones blanches", offer_demo)) if demo))
st.caption(f"Quartiers prioritaires : {qpv_list.short} ({qpv_list.label.split('(')[1].rstrip(')')}), population RP "
           f"{qpv_list.census} — à changer sur la page Territoires prioritaires.")
ui.stale_notice("chomage_localise_insee", latest)
demo = diagnosis.demo_inputs(records_demo, offer_demo)
is_demo = bool(demo)

labels = {**diagnosis.NEED, **diagnosis.OFFER}
for indicator, reason in inputs["unavailable"].items():
    st.info(f"{labels[indicator]} : non disponible — {reason} ; indicateur laissé hors des scores.", icon=":material/block:")
with st.expander("Pondérations (0 = indicateur ignoré)", expanded=True):
    need_cols = st.columns(len(diagnosis.NEED))
    for column, (key, label) in zip(need_cols, diagnosis.NEED.items()):
        column.select_slider(f"Besoin — {label}", WEIGHT_STEPS, key=f"dg_{key}", format_func=fr_num)
    offer_cols = st.columns(len(diagnosis.OFFER) + 2)
    for column, (key, label) in zip(offer_cols, diagnosis.OFFER.items()):
        column.select_slider(f"Offre — {label}", WEIGHT_STEPS, key=f"dg_{key}", format_func=fr_num)
query = share.persist(PARAMS)
weights = {k: float(st.session_state[f"dg_{k}"]) for k in diagnosis.DEFAULT_WEIGHTS}
scores = views.diagnosis_scores(region.code, tuple(sorted(weights.items())), qpv_key, offer_period, upload=upload_key)
scored, epci = scores["scored"], scores["epci"]
for sentence in scores["partial"]:  # a department's missing indicator is left out of its score, and said
    st.warning(sentence, icon=":material/rule:")
demo_shares = diagnosis.demo_weight_shares(weights, demo)
DEMO_TAG = " (démo)"


def tagged(labels: dict[str, str], shares: dict[str, float]) -> dict[str, str]:
    """Column labels with « (démo) » on demonstration inputs and on the scores and verdict resting on them."""
    out = {}
    for key, label in labels.items():
        rests_on_demo = (key in demo or (key == "need" and shares["need"] > 0) or (key == "offer" and shares["offer"] > 0)
                         or (key == "under_served" and (shares["need"] > 0 or shares["offer"] > 0)))
        out[key] = label + (DEMO_TAG if rests_on_demo else "")
    return out


def demo_sentence(shares: dict[str, float], names: dict[str, str]) -> str:
    if not demo:
        return "Aucune donnée de démonstration dans ces scores."
    listed = ", ".join(names[k] for k in names if k in demo)
    return (f"Colonnes marquées « (démo) » : données de démonstration ({listed}). Elles portent "
            f"{fr_pct(shares['need'] * 100, 0)} des pondérations du besoin et {fr_pct(shares['offer'] * 100, 0)} de celles "
            "de l'offre : le verdict « sous-doté » en dépend d'autant et ne doit pas être cité.")

# one below the other: beside the scatter, the twelve-column table had 356 px at 1366 px and was cut
left = right = st.container()
with left:
    views.show_chart(views.chart(charts.need_offer_scatter, scored.dropna(subset=["need", "offer"]), "Besoin et offre de formation par département",
                                 f"Chômage {unemp.quarter_label(latest)} ; QPV ({qpv_list.short}), FRR ; zones "
                                 f"blanches à {int(DEFAULT_THRESHOLD_KM)} km ; "
                                 f"{diagnosis.access_words(inputs['year'], inputs['unavailable'])}"
                                 + (f" — offre à {fr_pct(demo_shares['offer'] * 100, 0)} sur données de "
                                    "démonstration" if demo else ""), upload=upload_key))
with right:
    labels = tagged({"rank": "Rang", "label": "Département", "need": "Besoin", "offer": "Offre", "under_served": "Sous-doté",
                     "unemployment": "Chômage (%)", "below_level_iv": "DE infra-bac", "qpv_share": f"QPV {qpv_key}",
                     "frr_share": "FRR", "reach_share": "À portée", "access_rate": "Accès",
                     "partial": "Score partiel : manque"}, demo_shares)
    views.show_table(scored[list(labels)], {"need": "num2", "offer": "num2", "unemployment": "num1",
                                            "below_level_iv": "pct_fraction", "qpv_share": "pct_fraction",
                                            "frr_share": "pct_fraction", "reach_share": "pct_fraction",
                                            "access_rate": "pct_fraction"}, labels, upload=upload_key, height=470, pin="Département",
                     name="Diagnostic par département : besoin, offre et indicateurs")
    st.caption(demo_sentence(demo_shares, {"below_level_iv": "DE infra-bac", "reach_share": "à portée",
                                           "access_rate": "accès"}))
    ui.csv_download(scored.drop(columns=[c for c in scored.columns if c.endswith("_norm")]).assign(
        qpv_list=qpv_key, donnees_demonstration=", ".join(sorted(demo))), f"diagnostic_{region.code}.csv", demo=is_demo)

st.header("Par EPCI")
epci_all = inputs["epci"]
st.caption("À l'échelle des intercommunalités, les données disponibles sont la part de la population en QPV et en "
           "ZRR/FRR (besoin) et la part à portée d'une session (offre) : le chômage localisé et l'accès n'existent "
           "que par département. Mêmes pondérations que ci-dessus. "
           f"{len(epci_all) - len(epci)} EPCI dont moins de la moitié de la population vit dans la région ne sont pas classés.")
epci_shares = diagnosis.demo_weight_shares(weights, demo, diagnosis.EPCI_NEED, diagnosis.EPCI_OFFER)
epci_labels = tagged({"rank": "Rang", "epci_name": "EPCI", "dep": "Dép.", "population": "Population", "need": "Besoin",
                      "offer": "Offre", "under_served": "Sous-doté", "qpv_share": f"QPV {qpv_key}", "frr_share": "FRR",
                      "reach_share": "À portée"}, epci_shares)
views.show_table(epci[list(epci_labels)], {"population": "int", "need": "num2", "offer": "num2",
                                           "qpv_share": "pct_fraction", "frr_share": "pct_fraction",
                                           "reach_share": "pct_fraction"}, epci_labels, upload=upload_key, height=360, pin="EPCI",
                 name="Diagnostic par EPCI")
st.caption(demo_sentence(epci_shares, {"reach_share": "à portée"}))
ui.csv_download(epci.drop(columns=[c for c in epci.columns if c.endswith("_norm")]).assign(
    qpv_list=qpv_key, donnees_demonstration=", ".join(sorted(demo & {"reach_share"}))),
    f"diagnostic_epci_{region.code}.csv", demo=bool(demo & {"reach_share"}))

st.markdown(
    "**Méthode.** Chaque indicateur est ramené entre 0 (département le plus bas de la région) et 1 (le plus haut), puis "
    "moyenné selon les pondérations ci-dessus. *Besoin* : taux de chômage localisé, part des demandeurs d'emploi de niveau "
    "infra-bac, part de la population en QPV, part en ZRR/FRR. *Offre* : part des habitants à moins de "
    f"{int(DEFAULT_THRESHOLD_KM)} km d'une session de formation {period_phrase(offer_period)} (la période par défaut de la "
    "page Zones blanches), taux d'accès à la formation. Un département est "
    "« sous-doté » quand son besoin dépasse la médiane régionale et que son offre est en dessous. Un indicateur absent "
    "pour un département n'est jamais remplacé par une valeur inventée : son score est la moyenne des indicateurs qu'il a, "
    "pondérations ramenées à celles-ci, et il est marqué « partiel ». Les scores classent les "
    "départements entre eux ; ils ne se comparent ni d'une région à l'autre ni d'une année à l'autre. Par EPCI, seuls les "
    "indicateurs disponibles à cette échelle entrent dans les scores ; la population d'un quartier à cheval sur deux "
    "EPCI est partagée à parts égales."
)
# the datasets in use, each named as it is (imported, configured, demonstration, none): never a fixed word
ui.source_caption("chomage_localise_insee", qpv_list.dataset, "frr_2025_dgcl", extra=(
    diagnosis.records_sources(inputs["unavailable"], loaders.source_line("records", region.code),
                              loaders.source_line("denominators", region.code))
    + " Part à portée d'une session — " + loaders.source_line("offer", region.code)))
share.share_box(query)
