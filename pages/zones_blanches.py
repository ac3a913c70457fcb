"""Page Zones blanches de formation: communes with no matching session within reach."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import loaders, share, ui, views
from lib.core.fmt import fr_int
from lib.indicators import offer as offer_text
from lib.indicators import white_zones as wz

region = loaders.region()
st.title("Zones blanches de formation")
st.caption(f"Région : {region.name} ({region.code}) — communes sans session de formation à portée, "
           "au sens d'une distance à vol d'oiseau au lieu de formation le plus proche.")

with st.sidebar:
    upload = st.file_uploader("Export LHEO de l'offre (XML ou XML zippé)", key="offer_upload",
                              help="Remplace l'offre de démonstration pour cette session (format LHEO 2.x, 1.3 ou léger).")
# A file read right here (or on the page Données) is used on every page of the session until dropped.
ui.accept_upload("offer", upload, lambda data, name: loaders.training_offer(region.code, data, name))
offer, report, located, is_demo = loaders.session_offer(region.code)
upload_key = loaders.workspace_key()
if is_demo:
    ui.demo_banner("Offre de démonstration")
st.sidebar.caption(report.full_text())
st.sidebar.caption("Localisation des lieux : " + ", ".join(f"{k.replace('_', ' ')} {fr_int(v)}" for k, v in located.items()))

groups = loaders.nsf_groups()
months = views.offer_months(region.code, upload=upload_key)
# The same default period as the command line: from the current month on, no end (sessions over are not the offer).
PARAMS = ui.offer_filter_params("wz", months)
share.restore([p for p in PARAMS if p.key != "wz_period"],
              {"wz_nsf": groups["groupe"].tolist(), "wz_threshold": lambda v: 5 <= v <= 60})
chosen, certifying, period, threshold = ui.offer_filters(PARAMS, groups, months)
query = share.persist(PARAMS)

shown = views.white_zone_view(region.code, chosen, certifying, period, threshold, upload=upload_key)
result, summary = shown["result"], shown["summary"]
total = summary.set_index("dep").loc["TOTAL"]
period_note = offer_text.period_note(shown["period_counts"], period)
if not shown["sessions"]:  # an all-white region must never look like a finding
    st.warning(f"{offer_text.NO_SESSION_TEXT} {period_note}")
elif sum(shown["period_counts"][k] for k in wz.PERIOD_CLASSES[1:]):
    st.info(period_note)  # sessions over, not yet begun or undated: said, with their count
else:
    st.caption(period_note)

m1, m2, m3 = st.columns(3)
m1.metric("Communes en zone blanche", fr_int(total["white_communes"]), help=f"Aucune session à moins de {threshold} km")
m2.metric("Habitants en zone blanche", fr_int(total["white_population"]))
m3.metric("Sessions retenues", fr_int(shown["sessions"]), help="Sessions × lieux répondant aux filtres, toutes régions")

views.show_map(shown["map"], key="white_zone_map")
st.caption(loaders.source_line("offer", region.code) + " "
           + "Cercles bleus : lieux de formation (regroupés, avec leur nombre) ; communes en rouge foncé hachuré : zone blanche (plus loin que le seuil). "
           + loaders.catalog()["geo"].caption)
# Under the map, not beside it: beside it the table had 340 px at 1366 px and its figures were cut.
labels = {"departement": "Département", "white_population": "Habitants en zone blanche", "white_share": "Part",
          "white_communes": "Communes blanches", "communes": "Communes"}
shown_table = summary.assign(departement=summary["dep_name"] + " (" + summary["dep"] + ")")
shown_table.loc[summary["dep"].eq("TOTAL"), "departement"] = "Total " + summary["dep_name"]
views.show_table(shown_table[list(labels)], {"communes": "int", "white_communes": "int", "white_population": "int",
                                             "white_share": "pct_fraction"}, labels, upload=upload_key, height=500,
                 name="Zones blanches par département")
ui.csv_download(summary, f"zones_blanches_departements_{region.code}.csv", demo=is_demo)
ui.csv_download(result, f"zones_blanches_communes_{region.code}.csv", "Télécharger les communes (CSV)", demo=is_demo)

with st.expander("Communes en zone blanche"):
    white = result[result["white"]].sort_values("population", ascending=False)
    views.show_table(white, {"population": "int", "nearest_km": "km", "sessions_within": "int"},
                     {"code": "Code", "name": "Commune", "dep": "Dép.", "population": "Population",
                      "nearest_km": "Session la plus proche", "sessions_within": "Sessions à portée", "white": "Zone blanche"},
                     upload=upload_key, name="Communes en zone blanche")
st.page_link("pages/ou_agir.py", label="Où ouvrir des sessions pour réduire ces zones blanches ?", icon=":material/add_location_alt:")
share.share_box(query)
