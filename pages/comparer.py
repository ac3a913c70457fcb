"""Page Comparer: a department beside its region, France and its peers; every department or region of France."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, share, ui
from lib.app.components import show_chart, show_map
from lib.app.tables import show_table
from lib.indicators import compare, coverage
from lib.indicators import unemployment as unemp
from lib.views import comparer as view

region = data.region()
st.title("Comparer les territoires")
st.caption(f"Région : {region.name} ({region.code}) — chaque département et chaque région de France côte à côte ; "
           "des départements pairs choisis sur un profil documenté, qui disent pourquoi.")

quarters = data.view(view.compare_quarters)
shared_dep = st.session_state.get(share.SHARED, {}).get("dep")
LEVELS = {"departement": "Départements", "region": "Régions"}
PARAMS = [share.Param("cp_dep", "dep", default=shared_dep if shared_dep in region.dep_codes else region.dep_codes[0],
                      shared=True),
          share.Param("cp_quarter", "trimestre", default=quarters[-1]),
          share.Param("cp_peers", "pairs", "list", default=None),
          share.Param("cp_level", "niveau", default="departement"),
          share.Param("cp_indicator", "carte", default="unemployment_rate")]
QPV_PARAM = share.Param("cp_qpv_list", "qpv", default=coverage.DEFAULT_QPV_LIST, shared=True)
qpv_key = share.follow(QPV_PARAM, list(coverage.QPV_LISTS))
share.restore(PARAMS, {"cp_dep": region.dep_codes, "cp_quarter": quarters, "cp_level": list(LEVELS),
                       "cp_indicator": list(view.COMPARE_MAP_CHOICES)})


def auto_peers(dep: str) -> list[str]:
    return data.view(view.compare_peer_options, dep, st.session_state["cp_quarter"], qpv_key)["auto"]


def reset_peers() -> None:  # another department: its own nearest peers
    st.session_state["cp_peers"] = auto_peers(st.session_state["cp_dep"])


c1, c2 = st.columns([2, 1])
dep = c1.selectbox("Département", region.dep_codes, key="cp_dep", format_func=region.dep_label, on_change=reset_peers)
quarter = c2.selectbox("Trimestre (chômage)", quarters, key="cp_quarter", format_func=unemp.quarter_label)
options = data.view(view.compare_peer_options, dep, quarter, qpv_key)
valid = set(options["options"])
# Another department's peers (link without peers), or untouched nearest ones of other data (a new Insee edition): reset
other_dep = st.session_state.get("cp_peers_for") not in (None, dep) and "pairs" not in st.query_params
stale = st.session_state.get("cp_peers") == st.session_state.get("cp_peers_auto") != options["auto"]
if other_dep or stale or st.session_state.get("cp_peers") is None or not set(st.session_state["cp_peers"]) <= valid:
    st.session_state["cp_peers"] = options["auto"]
st.session_state["cp_peers_for"], st.session_state["cp_peers_auto"] = dep, options["auto"]
names = dict(zip((base := data.view(view.compare_base)).departements["code"], base.departements["name"]))
peers = tuple(st.multiselect(
    "Départements pairs", options["options"], key="cp_peers", format_func=lambda c: f"{c} – {names.get(c, c)}",
    placeholder="Choisir des départements", select_all=False,
    help=f"Par défaut les {compare.DEFAULT_PEERS} départements les plus proches sur le profil (chômage, part en QPV, "
         "part en FRR, densité) ; ajoutez ou retirez-en."))
shown = data.view(view.compare_department, dep, quarter, qpv_key, peers)
qpv_list = coverage.QPV_LISTS[qpv_key]
for missing in filter(None, (data.view(view.compare_unemployment_note), shown["error"])):  # said, never guessed
    st.info(missing)

st.header(f"{region.dep_label(dep)} : sa région, la France et ses pairs")
ui.deck_download(dep, key="cp_deck")
cols = st.columns(len(shown["cards"]))
for col, card in zip(cols, shown["cards"]):
    # the delta is a rank (« 89e sur 100 départements »): no arrow, no colour, it is no change
    col.metric(card["label"], card["value"], card["rank"], delta_color="off", delta_arrow="off",
               help=card["gap"] + (" — alerte : écart important et robuste" if card["alert"] else ""))
    col.caption(card["gap"] + (" ⚠️" if card["alert"] else ""))
for alert in shown["alerts"]:
    st.warning(f"**Alerte** — {alert}")
show_table(shown["side"], name=f"{region.dep_label(dep)} : sa région, la France et ses pairs")
st.caption(f"Taux de chômage de la région et de la France : « non disponible » quand le fichier Insee en usage n'a pas "
           f"de feuille « Région » ni de ligne France (jamais une moyenne des départements). France = {compare.FRANCE_NAME}. "
           f"Rang : 1er = la valeur la plus élevée. QPV : {qpv_list.short}, population RP {qpv_list.census}.")
ui.csv_download(shown["side_csv"], f"comparaison_{dep}_{quarter}.csv", demo=False)
ui.source_caption("chomage_localise_insee", qpv_list.dataset, "frr_2025_dgcl", "zrr_2017_2021_anct",
                  "decoupage_admin_etalab", extra=f"Population : {coverage.POPULATION_LABEL}.")

st.subheader("Pourquoi ces pairs")
# the reasons are long: they wrap in their column (rows above 64 px) instead of running off the grid
show_table(shown["peers"], name="Pourquoi ces pairs", widths={"Pourquoi ce pair": 310}, row_height=70)  # fits 1366 px
st.caption("Profil : taux de chômage, part de la population en QPV, part en FRR et densité (log) ; chaque variable "
           "centrée sur la moyenne des départements et divisée par leur écart-type ; distance euclidienne sur les "
           "quatre. « Proche par » : les deux variables où le pair est le plus proche.")

st.subheader("Écart à la médiane des pairs")
show_table(shown["gaps"], name="Écart à la médiane des pairs")
st.caption(f"Alerte quand l'écart atteint {compare.ALERT_SD:g} écart-type de la distribution nationale des "
           f"départements et qu'il est robuste : au moins {compare.MIN_PEERS} pairs et le département au-dessus (ou "
           "au-dessous) de chacun d'eux. Écart des parts en points de pourcentage.")
ui.csv_download(shown["gaps_csv"], f"ecarts_pairs_{dep}_{quarter}.csv", "Télécharger les écarts (CSV)", demo=False)

st.header(f"Parcours : {region.dep_name(dep)} et sa région")
pathways = data.view(view.compare_pathways, dep)
if pathways["demo"]:
    ui.demo_banner("Données de démonstration — taux de parcours du département et de la région")
show_table(pathways["table"], name=f"Parcours : {region.dep_name(dep)} et sa région")
if pathways["coverage"]:  # the records cover some departments only: « Région » is those
    st.caption(pathways["coverage"])
observed, years = pathways["observed_on"], pathways["years"]
span = f"de {years[0]} à {years[-1]}" if len(years) > 1 else (f"de {years[0]}" if years else "")
st.caption(f"Entrées en formation {span} du fichier en usage ; département et région calculés sur les mêmes entrées"
           + (f", sorties observées au {observed:%d/%m/%Y}" if observed is not None else "")
           + ". Public : ensemble. Intervalle de confiance à 95 % entre crochets ; « fragile » : effectif inférieur au "
             "seuil de fragilité ; « s » : effectif sous le seuil de secret, taux caché ; une valeur inconnue n'est jamais "
             "comptée comme « non ». Accès : seulement avec un fichier de dénominateurs, sur les années et départements "
             "qu'il couvre. Détail par public et par parcours : page Parcours et résultats.")
st.caption(data.source_line("records"))
ui.csv_download(pathways["csv"], f"parcours_{dep}_region.csv", "Télécharger les taux (CSV)", demo=pathways["demo"])

st.header("La France par département ou par région")
c1, c2 = st.columns([1, 2])
level = c1.radio("Niveau", list(LEVELS), key="cp_level", format_func=LEVELS.get, horizontal=True)  # never unset
indicator = c2.selectbox("Indicateur", list(view.COMPARE_MAP_CHOICES), key="cp_indicator",
                         format_func=view.COMPARE_LABELS.get)
query = share.persist([*PARAMS, QPV_PARAM])
france = data.view(view.compare_map, level, indicator, quarter, qpv_key, dep, peers)
what = f"{view.COMPARE_LABELS[indicator]} par {LEVELS[level].lower()[:-1]}"
if france["available"] == 0:
    st.info(f"{view.COMPARE_LABELS[indicator]} : non disponible par {LEVELS[level].lower()[:-1]} dans le fichier Insee "
            f"en usage (pas de feuille « {LEVELS[level][:-1]} »).")
left, right = st.columns([1, 1.1], gap="small")  # the table's columns need 440 px at 1366 px
with left:
    st.subheader(f"{what}, {unemp.quarter_label(quarter)}", anchor=False)
    show_map(france["map"], key=f"compare_map_{level}")
    ui.png_download(lambda ds: view.compare_map_png(ds, level, indicator, quarter, qpv_key, dep, peers),
                    f"carte_france_{indicator}_{level}_{quarter}.png", f"compare_map_png_{level}",
                    help=f"Image de la carte : {what.lower()} en France, votre région entourée, avec légende, sources et date.")
    st.caption("Contour noir : votre région" + (" ; contours bleus : le département choisi et ses pairs" if level == "departement"
               else "") + ". Départements d'outre-mer en médaillon à l'ouest (échelle non respectée). Carte : IGN ADMIN "
               "EXPRESS (simplifié).")
with right:
    st.subheader("Tableau — rang 1 : la valeur la plus élevée", anchor=False)
    show_table(france["table"], height=560,
               name=f"{what}, {unemp.quarter_label(quarter)} — rang 1 : la valeur la plus élevée")
    ui.csv_download(france["csv"], f"comparaison_{level}_{quarter}_qpv{qpv_key}.csv", "Télécharger la France (CSV)", demo=False)
ui.source_caption("chomage_localise_insee", qpv_list.dataset, "frr_2025_dgcl", "zrr_2017_2021_anct", "geo")

st.header("Séries côte à côte")
start = quarters[max(0, len(quarters) - 41)]
series, spec = data.view(view.compare_series, dep, peers, start, data.source_line("unemployment"))
if spec is None:
    st.info("Aucune série pour ce département.")
else:
    show_chart(spec)
    ui.csv_download(series.drop(columns=["date"]), f"chomage_pairs_{dep}.csv", "Télécharger les séries (CSV)", demo=False)
share.share_box(query)
