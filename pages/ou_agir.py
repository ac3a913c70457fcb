"""Page Où ouvrir des sessions ? — the sites that bring the most white-zone inhabitants within reach."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, share, ui
from lib.app.components import show_map
from lib.app.tables import show_table
from lib.core.fmt import fr_int, fr_num
from lib.indicators import where_to_act as wta
from lib.views import ou_agir as view
from lib.views.zones_blanches import offer_months

region = data.region()
st.title("Où ouvrir des sessions ?")
st.caption(f"Région : {region.name} ({region.code}) — les communes où ouvrir K sessions de formation pour sortir le plus "
           "d'habitants des zones blanches, compte tenu de l'offre actuelle et de ses filtres.")

_, report, _, is_demo = data.datasets().offer()
if is_demo:
    ui.demo_banner("Offre de démonstration")
st.sidebar.caption(report.full_text())

groups = data.datasets().nsf_groups()
months = data.view(offer_months)
reasons = data.view(view.where_to_act_weights)
usable = [w for w, why in reasons.items() if why is None]
MIN_POPULATIONS = [0, 500, 1000, 2000, 5000, 10000]
# The period of the page Zones blanches and of the command line: from the current month on, no end.
PARAMS = ui.offer_filter_params("wa", months) + [
          share.Param("wa_k", "sites", "int", default=5), share.Param("wa_weight", "ponderation", default="population"),
          share.Param("wa_minpop", "habitants_min", "int", default=0), share.Param("wa_dep", "sites_dans", default="")]
share.restore([p for p in PARAMS if p.key != "wa_period"],
              {"wa_nsf": groups["groupe"].tolist(), "wa_threshold": lambda v: 5 <= v <= 60, "wa_k": lambda v: 1 <= v <= wta.K_MAX,
               "wa_weight": usable, "wa_minpop": MIN_POPULATIONS, "wa_dep": ["", *region.dep_codes]})

chosen, certifying, period, threshold = ui.offer_filters(PARAMS[:4], groups, months)
d1, d2, d3 = st.columns([2, 3, 2])
k = d1.slider("Nombre de sites à ouvrir (K)", 1, wta.K_MAX, key="wa_k")
weight = d2.radio("Population à atteindre", usable, key="wa_weight", format_func=wta.WEIGHTS.get, horizontal=True)
min_population = d3.select_slider("Communes d'accueil d'au moins", MIN_POPULATIONS, key="wa_minpop",
                                  format_func=lambda v: f"{fr_int(v)} habitants")
site_dep = st.selectbox("Sites dans", ["", *region.dep_codes], key="wa_dep",
                        format_func=lambda d: region.dep_label(d) if d else f"toute la région {region.name}",
                        help="Pour présenter un département : les sites sont cherchés dans ce département, ce qu'ils "
                             "apportent est compté dans toute la région (une commune voisine compte aussi).")
for kind, why in reasons.items():
    if why:
        d2.caption(f"{wta.WEIGHTS[kind]} : indisponible — {why}.")
query = share.persist(PARAMS)
state = (chosen, certifying, period, threshold)

with st.spinner("Recherche des meilleurs sites (optimisation)…"):
    shown = data.view(view.where_to_act_view, *state, int(k), weight, int(min_population), site_dep)
problem, solution, proposed = shown["problem"], shown["solution"], shown["ranking"]
unit = view.unit_words(weight)
white_total = problem.white_weight

if shown["outside"] or shown["no_site"]:  # no proposal as if normal: the reason instead
    if shown["outside"]:
        st.error(shown["outside"])
    else:
        st.warning(shown["no_site"])
    share.share_box(query)
    st.stop()
if shown["weight_gaps"]:
    st.warning(shown["weight_gaps"])
if white_total == 0:
    st.success(f"Aucune commune en zone blanche à {threshold} km pour cette pondération ({shown['how']}) : "
               "pas de site à proposer.")
    share.share_box(query)
    st.stop()

# What-if: the proposal, changed by the user (any commune of the region); the key follows the
# filters so that a new proposal replaces the selection.
what_if_key = "wa_sites_" + "_".join(map(str, (*state, k, weight, min_population, site_dep))).replace(" ", "")
sites = st.multiselect("Sites retenus (ajoutez ou retirez des communes pour comparer)", shown["options"], key=what_if_key,
                       default=proposed["code"].tolist(), format_func=shown["names"].get, placeholder="Aucun site")
changed = sites != proposed["code"].tolist()
drawn = data.view(view.where_to_act_map, *state, weight, int(min_population), tuple(sites), site_dep)
table = drawn["ranking"]
after = white_total - drawn["gained"]
after_proposed = float(proposed["white_population_after"].iloc[-1]) if len(proposed) else white_total

m1, m2, m3 = st.columns(3)
m1.metric(f"En zone blanche aujourd'hui ({unit})", fr_int(white_total), help=f"Aucune session à moins de {threshold} km")
m2.metric(f"Après les {len(proposed)} sites proposés", fr_int(after_proposed),
          delta=fr_int(after_proposed - white_total), delta_color="inverse")
if changed:
    m3.metric(f"Après vos {len(table)} sites", fr_int(after), delta=f"{fr_int(after - after_proposed)} par rapport à la proposition",
              delta_color="inverse")
else:
    m3.metric("Sortis de zone blanche", fr_int(white_total - after_proposed),
              help=f"Part : {fr_num(100 * (white_total - after_proposed) / white_total)} %")

# the table under the map, not beside it: beside it (340 px at 1366 px) its figures were cut
with st.container():
    show_map(drawn["map"], key="where_to_act_map")
    ui.png_download(lambda ds: view.where_to_act_map_png(ds, *state, weight, int(min_population), tuple(sites), site_dep),
                    f"carte_ou_ouvrir_{site_dep or region.code}_{threshold}km_{period[0] if period else 'toutes-dates'}.png",
                    "where_to_act_map_png", help="Image de la carte : sites retenus et leur rayon, communes sorties de "
                                                 "zone blanche ou qui y restent, avec filtres, légende, sources et date.")
    st.caption("Points orange : sites proposés, avec leur rayon de " f"{threshold} km (cercle en tirets) ; en bleu : communes "
               "sorties de zone blanche ; en rouge foncé hachuré : communes qui y restent. Distances à vol d'oiseau "
               "(grand cercle) entre les points de référence des communes, pas en temps de trajet.")
with st.container():
    show_table(drawn["table"])  # as tall as its rows: no empty rows under the ranked sites
    if changed:
        st.caption("Vos sites, dans l'ordre de leur apport (chacun compte ce qu'il ajoute aux précédents).")
    else:
        st.caption(f"Solution {solution.status} (calcul exact du meilleur ensemble de sites, {fr_num(solution.seconds)} s ; "
                   "par un solveur d'optimisation exact, hors ligne) : sites classés par apport "
                   "marginal, chacun compte ce qu'il ajoute aux précédents.")
    if len(proposed) < k:
        st.caption(f"{len(proposed)} site(s) suffisent à sortir de zone blanche tout ce qui peut l'être.")
    ui.csv_download(table, f"ou_ouvrir_{region.code}.csv", demo=is_demo)

st.caption(view.demand_caption(data.source_line("offer"), shown["how"], min_population, data.catalog()["geo"].caption))
share.share_box(query)
