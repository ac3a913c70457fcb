"""Page Parcours et résultats: the pact's flagship rates by public and pathway type."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import loaders, share, ui, views
from lib.core.fmt import fr_int
from lib.indicators import pathways as pw
from lib.sources.records import LABELS, PATHWAYS, read_denominators

region = loaders.region()
st.title("Parcours et résultats")
st.caption(f"Région : {region.name} ({region.code}) — indicateurs phares du Pacte : accès, abandon, certification, "
           "retour à l'emploi et insertion, par public et type de parcours.")

with st.sidebar:
    upload = st.file_uploader("Entrées en formation (CSV, XLSX, XLS, parquet)", key="records_upload",
                              help="Extrait pseudonymisé, une ligne par entrée (format décrit sur la page Sources et "
                                   "méthodologie) ; séparateur, encodage et format reconnus automatiquement.")
    den_upload = st.file_uploader("Dénominateurs de l'accès (CSV, XLSX, parquet)", key="denominators_upload",
                                  help="year, dep, public, job_seekers")
# A file read right here (or on the page Données) is used on every page of the session until dropped.
ui.accept_upload("denominators", den_upload, read_denominators)
ui.accept_upload("records", upload, lambda data, name: loaders.read_session_records(region.code, data, name))
if "records" in loaders.imported_files():
    as_of = st.sidebar.date_input("Date d'observation (extraction)", value=ui.records_as_of_in_use(region.code),
                                  format="DD/MM/YYYY", key="records_as_of", help="Date de l'extraction des entrées. "
                                  "Par défaut : la dernière date plausible du fichier ; les dates postérieures sont "
                                  "écartées ligne par ligne.")
    ui.change_records_as_of(region.code, as_of)
(_, report, _, den_report, is_demo), _ = ui.load_or_fallback(
    loaders.session_records, (region.code,), (region.code,), "Les données de démonstration sont affichées à la place.")
upload_key = loaders.workspace_key()
if is_demo:
    ui.demo_banner()
st.sidebar.caption(report.full_text())
if den_report:
    st.sidebar.caption(den_report.full_text())
source_line = loaders.source_line("records", region.code)
if not is_demo:
    for message in views.access_gap_messages(region.code, upload=upload_key):
        st.sidebar.info(message)

years = views.records_years(region.code, upload=upload_key)
PARAMS = [share.Param("pr_year", "year", "int", default=years[-1], shared=True),
          share.Param("pr_deps", "deps", "list", default=[]), share.Param("pr_pathways", "parcours", "list", default=[]),
          share.Param("pr_axes", "axes", "list", default=[]), share.Param("pr_heat", "indicateur", default="employment_6m")]
share.restore(PARAMS, {"pr_year": years, "pr_deps": region.dep_codes, "pr_pathways": PATHWAYS, "pr_axes": ["1", "2"],
                       "pr_heat": [i for i in pw.INDICATOR_LABELS if i != "access"]})
c1, c2, c3, c4 = st.columns([1, 2.4, 2.4, 1.2])
year = c1.selectbox("Année d'entrée", [None, *years], key="pr_year", format_func=lambda y: "Toutes" if y is None else str(y))
deps = c2.multiselect("Départements", region.dep_codes, key="pr_deps", format_func=region.dep_label,
                      placeholder="Toute la région", select_all=False)
pathways = c3.multiselect("Types de parcours", PATHWAYS, key="pr_pathways", format_func=LABELS["pathway_type"].get,
                          placeholder="Tous les parcours", select_all=False)
axes = c4.multiselect("Axe", ["1", "2"], key="pr_axes", format_func=lambda a: f"Axe {a}", placeholder="Les deux axes",
                      select_all=False)
selection = (year, tuple(deps), tuple(pathways), tuple(axes))  # the filters, as the views' key
page = views.pathway_page(region.code, *selection, source_line, upload=upload_key)
scope = page["scope"]
references = views.pathway_references(region.code)


def pact_motifs() -> None:
    """The pact's abandonment motifs: drawn whatever the records."""
    st.header("Motifs d'abandon")
    views.show_chart(references["motif_chart"])
    st.caption("La première ligne est imprimée « Auvergne-Rhône-Alpes » et la dernière « Total général » ; leurs chiffres "
               "diffèrent et le Pacte ne dit pas pourquoi : les deux sont reproduites telles quelles.")
    ui.csv_download(references["motifs"], "pacte_motifs_abandon.csv", demo=False)


BAROMETRE_LABELS = {"code": "Code", "departement": "Département"}


def yearly_formats(table) -> dict:
    """A Baromètre table's year columns as whole numbers (« 2 944 », not « 2944.000000 »; means rounded, whole in the CSV)."""
    return {c: "int" for c in table.columns if c not in ("code", "departement")}


def barometre() -> None:
    """The Baromètre de l'action publique: drawn whatever the records."""
    st.header("Baromètre de l'action publique")
    # one below the other: beside the chart, the tables (ten columns) had 404 px at 1366 px and were cut
    left = right = st.container()
    with left:
        if references["entries"] is not None:
            views.show_chart(references["entries"]["chart"])
            ui.csv_download(references["entries"]["table"], f"barometre_entrees_formation_{region.code}.csv", demo=False)
        else:
            st.info("Pas de série régionale « entrées en formation » dans le Baromètre pour cette région.")
    with right:
        if references["apprentices"] is not None:
            st.subheader("Contrats d'apprentissage par département (nombre annuel)", anchor=False)
            views.show_table(references["apprentices"], yearly_formats(references["apprentices"]), BAROMETRE_LABELS,
                             upload=upload_key,
                             name="Contrats d'apprentissage par département (nombre annuel)")
            ui.csv_download(references["apprentices"], f"barometre_apprentissage_{region.code}.csv", demo=False)
        if references["siae"] is not None:
            st.subheader("Bénéficiaires de l'insertion par l'activité économique (SIAE) — moyenne des effectifs mensuels",
                         anchor=False)
            views.show_table(references["siae"], yearly_formats(references["siae"]), BAROMETRE_LABELS, upload=upload_key, name="Bénéficiaires de l'insertion par l'activité économique (SIAE), "
                                                       "moyenne des effectifs mensuels")
            ui.csv_download(references["siae"], f"barometre_siae_{region.code}.csv", demo=False)
    ui.source_caption("barometre_action_publique", "benchmarks_publications")


st.header("Indicateurs phares par public")
if page["empty"]:
    entries, ongoing = page.get("entries", 0), page.get("ongoing", 0)
    if not entries:  # which departments the file covers, so that the user knows where to look
        st.info(page["no_entry"])
    elif ongoing == entries:
        st.info(f"{fr_int(entries)} entrée(s) correspondent à ces filtres, toutes encore en cours : aucune sortie, donc "
                "aucun taux (abandon, certification, emploi) à calculer pour l'instant.")
    else:
        st.info(f"{fr_int(entries)} entrée(s) correspondent à ces filtres, mais aucun taux n'est calculable.")
    # what does not rest on the records is still drawn, and the link to this view
    pact_motifs()
    barometre()
    share.share_box(share.persist(PARAMS))
    st.stop()
for message in page["warnings"]:
    st.warning(message, icon=":material/warning:")
columns = st.columns(2)
for index, spec in enumerate(page["public_charts"]):
    with columns[index % 2]:
        views.show_chart(spec)
st.caption("Barres : taux ; trait noir : intervalle de confiance à 95 % (Wilson) ; barre pâle : effectif fragile "
           "(dénominateur < 60) ; « s » : secret (dénominateur < 20), ni taux ni numérateur affichés. Repères, chacun sur "
           "sa ligne avec sa valeur : rouge et losange = région (chiffre du Pacte), vert et carré = national ; trait plein et symbole plein = "
           "même définition, tirets et symbole creux = définition proche (autre cohorte, autre mesure). Le 57 % national "
           "(sortants 2015) et le « +3 points » du Pacte (moyenne nationale 2017 à 48 %) ne mesurent pas la même chose : "
           "voir Sources et méthodologie. " + source_line)
by_public = page["by_public"]
table = by_public[["indicateur", "public_label", "numerator", "denominator", "rate", "ci_low", "ci_high", "statut"]]
with st.expander("Tableau des taux par public"):
    views.show_table(table, {"numerator": "int", "denominator": "int", "rate": "pct_fraction", "ci_low": "pct_fraction",
                             "ci_high": "pct_fraction"},
                     {"indicateur": "Indicateur", "public_label": "Public", "numerator": "Numérateur",
                      "denominator": "Dénominateur", "rate": "Taux", "ci_low": "IC bas", "ci_high": "IC haut", "statut": "Statut"},
                     name="Tableau des taux par public", pin="Indicateur",
                     upload=upload_key)
    ui.csv_download(by_public, f"taux_par_public_{region.code}.csv", demo=is_demo)

st.header("Insertion par type de parcours")
for column, (spec, missing) in zip(st.columns(2), page["pathway_charts"]):
    with column:
        if spec is None:
            st.info(missing)
        else:
            views.show_chart(spec)
observed_on = page["observed_on"]
st.caption(f"Date d'observation des sorties (extraction) : {observed_on:%d/%m/%Y}. " if observed_on is not None else "")
st.caption("Les repères nationaux (carrés verts creux, valeur au-dessus) viennent des publications citées dans le "
           "fichier des références ; ils mesurent l'accès à un emploi d'un mois ou plus dans les 6 mois pour les sortants "
           "de 2018 : définition proche mais pas identique. " + source_line)
ui.csv_download(page["by_pathway"], f"taux_par_parcours_{region.code}.csv", demo=is_demo)

st.header("Public × type de parcours")
indicator = st.selectbox("Indicateur", list(page["heat"]), key="pr_heat", format_func=pw.INDICATOR_LABELS.get)
query = share.persist(PARAMS)
cross, heat_spec = page["heat"][indicator]
views.show_chart(heat_spec)
ui.csv_download(cross, f"taux_public_parcours_{region.code}.csv", demo=is_demo)

# one below the other: the plan chart (one panel per axis, 810 px) overflowed a column and scrolled the page sideways
left = right = st.container()
with left:
    st.header("Résidents QPV parmi les entrants")
    if page["gauge"] is None:  # secret (fewer than 20 entrants) or incoherent: no gauge, said so
        st.info(page["no_gauge"])
    else:
        views.show_chart(page["gauge"])
    views.show_table(page["qpv_shares"][["year", "numerator", "denominator", "rate"]],
                     {"numerator": "int", "denominator": "int", "rate": "pct_fraction"},
                     {"year": "Année", "numerator": "Entrants QPV", "denominator": "Entrants", "rate": "Part"},
                     upload=upload_key, name="Résidents QPV parmi les entrants, par année")
    ui.source_caption("cadre_national", extra=source_line)
with right:
    st.header("Parcours prévus et réalisés")
    if page["plan"] is not None:
        if page["plan"]["warning"]:  # realised entries of some departments beside the whole region's plan
            st.warning(page["plan"]["warning"], icon=":material/warning:")
        views.show_chart(page["plan"]["chart"])
        plan = loaders.reference_table("pact_ara_2019", "plan_parcours.csv").astype({"year": int, "parcours": int})
        totals = loaders.reference_table("pact_ara_2019", "plan_totaux.csv").set_index("year")
        st.caption(f"Le Pacte prévoit {fr_int(int(totals.loc['total', 'parcours']))} parcours et "
                   f"{fr_int(int(totals.loc['total', 'budget_meur']))} M€ ; la somme de ses quatre années fait "
                   f"{fr_int(plan['parcours'].sum())} parcours (écart d'une unité dans le texte du Pacte).")
        ui.csv_download(page["plan"]["table"], f"parcours_prevus_realises_{region.code}.csv", demo=is_demo)
    else:
        st.info(f"Le seul plan de parcours disponible ({loaders.catalog()['pact_ara_2019'].short}) ne couvre pas cette région.")

pact_motifs()
st.subheader(f"Motifs dans les données — {scope}", anchor=False)
views.show_table(page["reasons"], {"abandons": "int", "part": "pct_fraction"},
                 {"motif": "Motif", "abandons": "Abandons", "part": "Part"}, upload=upload_key,
                 name=f"Motifs d'abandon dans les données — {scope}")
st.caption(source_line)

barometre()
share.share_box(query)
