"""Page Zones blanches de formation: communes with no matching session within reach."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, share, ui
from lib.app.components import show_map
from lib.app.tables import show_table
from lib.core.fmt import fr_int
from lib.indicators import offer as offer_text
from lib.views import zones_blanches as view

region = data.region()
st.title("Zones blanches de formation")
st.caption(f"Région : {region.name} ({region.code}) — communes sans session de formation à portée, "
           "au sens d'une distance à vol d'oiseau au lieu de formation le plus proche.")

with st.sidebar:
    upload = st.file_uploader("Export LHEO de l'offre (XML ou XML zippé)", key="offer_upload",
                              help="Remplace l'offre de démonstration pour cette session (format LHEO 2.x, 1.3 ou léger).")
# A file read right here (or on the page Données) is used on every page of the session until dropped.
ui.accept_upload("offer", upload, lambda content, name: data.datasets(files={"offer": (content, name)}).offer())
_, report, _, is_demo = data.datasets().offer()
if is_demo:
    ui.demo_banner("Offre de démonstration")
st.sidebar.caption(report.full_text())
st.sidebar.caption(data.view(view.located_line))

groups = data.datasets().nsf_groups()
months = data.view(view.offer_months)
# The same default period as the command line: from the current month on, no end (sessions over are not the offer).
PARAMS = ui.offer_filter_params("wz", months)
share.restore([p for p in PARAMS if p.key != "wz_period"],
              {"wz_nsf": groups["groupe"].tolist(), "wz_threshold": lambda v: 5 <= v <= 60})
chosen, certifying, period, threshold = ui.offer_filters(PARAMS, groups, months)
query = share.persist(PARAMS)

shown = data.view(view.white_zone_view, chosen, certifying, period, threshold)
total = shown["total"]
if shown["outside"]:  # an offer of another region: every commune white, which is no finding
    st.error(shown["outside"])
if not shown["sessions"]:  # an all-white region must never look like a finding
    st.warning(f"{offer_text.NO_SESSION_TEXT} {shown['period_note']}")
elif shown["aside"]:
    st.info(shown["period_note"])  # sessions over, not yet begun or undated: said, with their count
else:
    st.caption(shown["period_note"])

m1, m2, m3 = st.columns(3)
m1.metric("Communes en zone blanche", fr_int(total["white_communes"]), help=f"Aucune session à moins de {threshold} km")
m2.metric("Habitants en zone blanche", fr_int(total["white_population"]))
m3.metric("Sessions retenues", fr_int(shown["sessions"]), help="Sessions × lieux répondant aux filtres, toutes régions")

show_map(shown["map"], key="white_zone_map")
period_name = "_".join(period or ("toutes", "dates")).replace("9999-12", "sans-fin")
ui.png_download(lambda ds: view.white_zone_map_png(ds, chosen, certifying, period, threshold),
                f"carte_zones_blanches_{region.code}_{threshold}km_{period_name}.png", "white_zone_map_png",
                help="Image de la carte : communes selon la distance à la session la plus proche (zones blanches "
                     "hachurées) et lieux de formation, avec filtres, légende, sources et date.")
st.caption(data.source_line("offer") + " "
           + "Cercles bleus : lieux de formation (regroupés, avec leur nombre) ; communes en rouge foncé hachuré : zone blanche (plus loin que le seuil). "
           + data.catalog()["geo"].caption)
# Under the map, not beside it: beside it the table had 340 px at 1366 px and its figures were cut.
show_table(shown["table"], height=500, name="Zones blanches par département")
ui.csv_download(shown["summary"], f"zones_blanches_departements_{region.code}.csv", demo=is_demo)
ui.csv_download(shown["result"], f"zones_blanches_communes_{region.code}.csv", "Télécharger les communes (CSV)", demo=is_demo)

with st.expander("Communes en zone blanche"):
    show_table(shown["white"], name="Communes en zone blanche")
st.page_link("pages/ou_agir.py", label="Où ouvrir des sessions pour réduire ces zones blanches ?", icon=":material/add_location_alt:")
share.share_box(query)
