"""Page Objectifs du pacte: each objective's realised value, expected value today, progress and status; one
objective's bullet chart and trajectory; why a regional gap; the objectives and their comments edited."""
from lib.app.entry import through_app

through_app()
import pandas as pd
import streamlit as st

from lib.app import data, ui
from lib.app.components import show_chart, show_map
from lib.app.objective_widgets import objectives_editor
from lib.app.tables import show_table
from lib.views import objectifs_page as view

region = data.region()
st.title("Objectifs du pacte")
st.caption(f"Région : {region.name} ({region.code}) — où en est chaque objectif du pacte (valeur initiale, réalisé, "
           "valeur attendue aujourd'hui sur une trajectoire en ligne droite, cible), et pourquoi l'écart.")

default_page = data.view(view.objectives_page)
as_of = st.date_input("Valeur attendue au", value=default_page["as_of"].date(), format="DD/MM/YYYY", key="ob_as_of",
                      help="Date à laquelle la valeur attendue est calculée ; par défaut la date d'observation des "
                           "entrées en usage.")
when = pd.Timestamp(as_of) if as_of else None
page = data.view(view.objectives_page, when)
if page["banner"]:
    st.warning(f"**{ui.DEMO_LABEL}** — {page['banner']}")
st.caption(page["caption"])
if page["set_aside"]:
    st.warning(f"{len(page['set_aside'])} objectif(s) mis de côté, non suivis :\n\n"
               + "\n".join(f"- {line}" for line in page["set_aside"]))
for note in page["notes"]:
    st.info(note)

st.header("Tableau des objectifs", anchor=False)
show_table(page["table"], name="Objectifs du pacte : réalisé, attendu aujourd'hui, avancement et statut",
           pin="Objectif", widths={"Commentaire": 420})
st.caption("Statuts : ✔ atteint ; ↗ dans la trajectoire (au moins la valeur attendue aujourd'hui) ; ✖ en retard ; "
           "≈ incertain (en dessous, mais l'intervalle de confiance à 95 % contient la valeur attendue) ; – non "
           "calculable (avec le motif). Avancement : (réalisé − valeur initiale) / (cible − valeur initiale), borné "
           "à 0–100 %, comme PILOTE.")
ui.csv_download(page["export"], f"objectifs_{region.code}.csv", demo=page["records_demo"])
ui.deck_download(None, key="obj_deck")  # the region's deck, its objectives included

st.header("Un objectif", anchor=False)
choices = page["choices"]
if not choices:
    st.info("Aucun objectif en usage.")
    st.stop()
if st.session_state.get("ob_objective") not in choices:
    st.session_state["ob_objective"] = page["default"]
chosen = st.selectbox("Objectif", list(choices), key="ob_objective", format_func=choices.get,
                      help="Par défaut : le premier objectif en retard sur sa trajectoire.")
detail = data.view(view.objective_detail, chosen, when)
st.markdown(f"Statut : **{detail['status']}**" + (f" — {detail['reason']}" if detail["reason"] else ""))
show_chart(detail["bullet"])  # one below the other: side by side, each had 440 px and its title on three lines
show_chart(detail["trajectory"])

why = detail["why"]
if why is not None:
    st.header("Pourquoi l'écart", anchor=False)
    st.markdown(why["sentence"])
    map_column, table_column = st.columns([4, 6], gap="medium")
    with map_column:
        show_map(why["map"], key="objective_map")
        st.caption("Contribution de chaque département à l'écart régional à la valeur attendue aujourd'hui "
                   f"({why['reference']}) : les contributions s'additionnent pour donner l'écart de la région. "
                   "Carte : IGN ADMIN EXPRESS (simplifié).")
    with table_column:
        show_table(why["departments"], name="Contribution des départements à l'écart", pin="Département",
                   short={"Numérateur": "Num.", "Dénominateur": "Dénom.", "Contribution à l'écart": "Contribution"})
        st.caption("« s » : département sous le seuil de secret statistique, sans chiffre propre ; sa contribution "
                   "reste comprise dans le total.")
    if why["publics"] is not None:
        st.subheader("Écart de chaque public", anchor=False)
        show_table(why["publics"], name="Écart de chaque public à la valeur attendue")
        st.caption(f"Chaque public comparé à la même valeur attendue ({why['reference']}). Les publics se recouvrent "
                   "(une personne peut être à la fois jeune, infra-bac et résidente QPV) : leurs écarts ne "
                   "s'additionnent pas.")
elif not detail["regional"]:
    st.caption("Objectif départemental : la décomposition par département concerne les objectifs régionaux.")

st.header("Modifier les objectifs", anchor=False)
objectives_editor()
