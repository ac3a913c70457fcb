"""Page Parcours et résultats: the pact's flagship rates by public and pathway type."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, share, ui
from lib.app.components import show_chart
from lib.app.tables import show_table
from lib.views import parcours as view

region = data.region()
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
ui.accept_upload("denominators", den_upload, view.read_denominators)
ui.accept_upload("records", upload, lambda content, name: data.datasets(files={"records": (content, name)}).records())
if "records" in data.imported_files():
    as_of = st.sidebar.date_input("Date d'observation (extraction)", value=ui.records_as_of_in_use(region.code),
                                  format="DD/MM/YYYY", key="records_as_of", help="Date de l'extraction des entrées. "
                                  "Par défaut : la dernière date plausible du fichier ; les dates postérieures sont "
                                  "écartées ligne par ligne.")
    ui.change_records_as_of(region.code, as_of)
(_, report, _, den_report, is_demo), _ = ui.load_or_fallback(
    lambda: data.datasets().records(), (), (), "Les données de démonstration sont affichées à la place.")
if is_demo:
    ui.demo_banner()
st.sidebar.caption(report.full_text())
if den_report:
    st.sidebar.caption(den_report.full_text())
source_line = data.source_line("records")
if not is_demo:
    for message in data.view(view.access_gap_messages):
        st.sidebar.info(message)

years = data.view(view.records_years)
PARAMS = [share.Param("pr_year", "year", "int", default=years[-1], shared=True),
          share.Param("pr_deps", "deps", "list", default=[]), share.Param("pr_pathways", "parcours", "list", default=[]),
          share.Param("pr_axes", "axes", "list", default=[]), share.Param("pr_heat", "indicateur", default="employment_6m")]
share.restore(PARAMS, {"pr_year": years, "pr_deps": region.dep_codes, "pr_pathways": view.PATHWAYS, "pr_axes": ["1", "2"],
                       "pr_heat": view.HEAT_INDICATORS})
c1, c2, c3, c4 = st.columns([1, 2.4, 2.4, 1.2])
year = c1.selectbox("Année d'entrée", [None, *years], key="pr_year", format_func=lambda y: "Toutes" if y is None else str(y))
deps = c2.multiselect("Départements", region.dep_codes, key="pr_deps", format_func=region.dep_label,
                      placeholder="Toute la région", select_all=False)
pathways = c3.multiselect("Types de parcours", view.PATHWAYS, key="pr_pathways", format_func=view.PATHWAY_LABELS.get,
                          placeholder="Tous les parcours", select_all=False)
axes = c4.multiselect("Axe", ["1", "2"], key="pr_axes", format_func=lambda a: f"Axe {a}", placeholder="Les deux axes",
                      select_all=False)
page = data.view(view.pathway_page, year, tuple(deps), tuple(pathways), tuple(axes), source_line)
references = data.view(view.pathway_references)


def pact_motifs() -> None:
    """The pact's abandonment motifs: drawn whatever the records."""
    st.header("Motifs d'abandon")
    show_chart(references["motif_chart"])
    st.caption(view.MOTIFS_NOTE)
    ui.csv_download(references["motifs"], "pacte_motifs_abandon.csv", demo=False)


def barometre() -> None:
    """The Baromètre de l'action publique: drawn whatever the records."""
    st.header("Baromètre de l'action publique")
    with st.container():  # one below the other: beside the chart, the ten-column tables had 404 px at 1366 px, cut
        if references["entries"] is not None:
            show_chart(references["entries"]["chart"])
            ui.csv_download(references["entries"]["table"], f"barometre_entrees_formation_{region.code}.csv", demo=False)
        else:
            st.info("Pas de série régionale « entrées en formation » dans le Baromètre pour cette région.")
        for key, title, name, file in view.BAROMETRE_TABLES:
            if references[key] is not None:
                st.subheader(title, anchor=False)
                show_table(references[key], view.yearly_formats(references[key]), view.BAROMETRE_LABELS, name=name)
                ui.csv_download(references[key], f"barometre_{file}_{region.code}.csv", demo=False)
    ui.source_caption("barometre_action_publique", "benchmarks_publications")


st.header("Indicateurs phares par public")
if page["empty"]:
    st.info(page["message"])
    pact_motifs()  # what does not rest on the records is still drawn, and the link to this view
    barometre()
    share.share_box(share.persist(PARAMS))
    st.stop()
for message in page["warnings"]:
    st.warning(message)
columns = st.columns(2)
for index, spec in enumerate(page["public_charts"]):
    with columns[index % 2]:
        show_chart(spec)
st.caption(view.RATES_NOTE + source_line)
with st.expander("Tableau des taux par public"):
    show_table(page["rates_table"], view.RATE_FORMATS, view.RATE_LABELS, name="Tableau des taux par public", pin="Indicateur")
    ui.csv_download(page["by_public"], f"taux_par_public_{region.code}.csv", demo=is_demo)

st.header("Insertion par type de parcours")
for column, (spec, missing) in zip(st.columns(2), page["pathway_charts"]):
    with column:
        if spec is None:
            st.info(missing)
        else:
            show_chart(spec)
st.caption(page["observed_caption"])
st.caption(view.PATHWAY_NOTE + source_line)
ui.csv_download(page["by_pathway"], f"taux_par_parcours_{region.code}.csv", demo=is_demo)

st.header("Public × type de parcours")
indicator = st.selectbox("Indicateur", list(page["heat"]), key="pr_heat", format_func=view.INDICATOR_LABELS.get)
query = share.persist(PARAMS)
cross, heat_spec = page["heat"][indicator]
show_chart(heat_spec)
ui.csv_download(cross, f"taux_public_parcours_{region.code}.csv", demo=is_demo)

# one below the other: the plan chart (one panel per axis, 810 px) overflowed a column and scrolled the page sideways
with st.container():
    st.header("Résidents QPV parmi les entrants")
    if page["gauge"] is None:  # secret (fewer than 20 entrants) or incoherent: no gauge, said so
        st.info(page["no_gauge"])
    else:
        show_chart(page["gauge"])
    show_table(page["qpv_table"], name="Résidents QPV parmi les entrants, par année")
    ui.source_caption("cadre_national", extra=source_line)
    st.header("Parcours prévus et réalisés")
    if page["plan"] is not None:
        if page["plan"]["warning"]:  # realised entries of some departments beside the whole region's plan
            st.warning(page["plan"]["warning"])
        show_chart(page["plan"]["chart"])
        st.caption(page["plan"]["caption"])
        ui.csv_download(page["plan"]["table"], f"parcours_prevus_realises_{region.code}.csv", demo=is_demo)
    else:
        st.info(page["no_plan"])

pact_motifs()
st.subheader(f"Motifs dans les données — {page['scope']}", anchor=False)
show_table(page["reasons"], view.REASON_FORMATS, view.REASON_LABELS, name=f"Motifs d'abandon dans les données — {page['scope']}")
st.caption(source_line)

barometre()
share.share_box(query)
