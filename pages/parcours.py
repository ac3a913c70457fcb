"""Page Parcours et résultats: the pact's flagship rates by public and pathway type."""
from lib.entry import through_app

through_app()
import pandas as pd
import streamlit as st

from lib import charts, loaders, share, ui, views
from lib.fmt import fr_int, fr_pct
from lib.indicators import pathways as pw
from lib.indicators.rates import incoherent_cells
from lib.sources import barometre as barometre_source
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
    as_of = st.sidebar.date_input("Date d'observation (extraction)", value=loaders.records_as_of(), format="DD/MM/YYYY",
                                  key="records_as_of", help="Date de l'extraction des entrées. Par défaut : la dernière "
                                  "date plausible du fichier ; les dates postérieures sont écartées ligne par ligne.")
    ui.change_records_as_of(region.code, as_of)
(records, report, denominators, den_report, is_demo), _ = ui.load_or_fallback(
    loaders.session_records, (region.code,), (region.code,), "Les données de démonstration sont affichées à la place.")
upload_key = loaders.workspace_key()
if is_demo:
    ui.demo_banner()
st.sidebar.caption(report.full_text())
if den_report:
    st.sidebar.caption(den_report.full_text())
observed_on = report.meta.get("as_of")
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
deps = c2.multiselect("Départements", region.dep_codes, key="pr_deps", format_func=region.dep_label, placeholder="Toute la région")
pathways = c3.multiselect("Types de parcours", PATHWAYS, key="pr_pathways", format_func=LABELS["pathway_type"].get,
                          placeholder="Tous les parcours")
axes = c4.multiselect("Axe", ["1", "2"], key="pr_axes", format_func=lambda a: f"Axe {a}", placeholder="Les deux axes")
selection = (year, tuple(deps), tuple(pathways), tuple(axes))  # the filters, as the views' key
scope = f"{'toutes années' if year is None else year} · {', '.join(deps) if deps else region.name}"
marks = pw.benchmark_marks(loaders.benchmarks())
pact = loaders.catalog()["pact_ara_2019"]
pact_2017 = loaders.reference_table("pact_ara_2019", "indicateurs_2017.csv") if pact.covers(region.code) else pd.DataFrame()

st.header("Indicateurs phares par public")
by_public = views.pathway_rates(region.code, *selection, ("public",), upload=upload_key)
if by_public.empty:
    st.info("Aucune entrée ne correspond à ces filtres.")
    st.stop()
for message in incoherent_cells(by_public):
    st.warning(message, icon=":material/warning:")
columns = st.columns(2)
for index, indicator in enumerate([i for i in pw.INDICATOR_LABELS if i in set(by_public["indicator"])]):
    data = by_public[by_public["indicator"].eq(indicator)]
    references = pw.reference_marks(indicator, pact_2017, marks["indicator"])
    with columns[index % 2]:
        observed = f" — sorties observées au {observed_on:%d/%m/%Y}" if indicator.startswith("employment") and observed_on else ""
        views.show_chart(views.chart(charts.rate_bars, data, "public_label", "Public", pw.INDICATOR_LABELS[indicator],
                                     scope + observed + (" — données de démonstration" if is_demo else ""),
                                     references, upload=upload_key))
st.caption("Barres : taux ; trait noir : intervalle de confiance à 95 % (Wilson) ; barre pâle : effectif fragile "
           "(dénominateur < 60) ; « s » : secret (dénominateur < 20), ni taux ni numérateur affichés. Repères, chacun sur "
           "sa ligne avec sa valeur : rouge et losange = région (chiffre du Pacte), vert et carré = national ; trait plein et symbole plein = "
           "même définition, tirets et symbole creux = définition proche (autre cohorte, autre mesure). Le 57 % national "
           "(sortants 2015) et le « +3 points » du Pacte (moyenne nationale 2017 à 48 %) ne mesurent pas la même chose : "
           "voir Sources et méthodologie. " + source_line)
table = by_public[["indicateur", "public_label", "numerator", "denominator", "rate", "ci_low", "ci_high", "statut"]]
with st.expander("Tableau des taux par public"):
    st.dataframe(ui.styled(table, {"numerator": "int", "denominator": "int", "rate": "pct_fraction", "ci_low": "pct_fraction",
                                   "ci_high": "pct_fraction"},
                           {"indicateur": "Indicateur", "public_label": "Public", "numerator": "Numérateur",
                            "denominator": "Dénominateur", "rate": "Taux", "ci_low": "IC bas", "ci_high": "IC haut", "statut": "Statut"}),
                 hide_index=True, width="stretch")
    ui.csv_download(by_public, f"taux_par_public_{region.code}.csv", demo=is_demo)

st.header("Insertion par type de parcours")
by_pathway = views.pathway_rates(region.code, *selection, ("pathway_type",), upload=upload_key)
left, right = st.columns(2)
for column, indicator in zip((left, right), ("employment_6m", "employment_12m")):
    data = by_pathway[by_pathway["indicator"].eq(indicator)]
    if data.empty:
        column.info(f"{pw.INDICATOR_LABELS[indicator]} : aucune sortie observable avec ces filtres.")
        continue
    refs = marks["pathway"] if indicator == "employment_6m" else None
    with column:
        views.show_chart(views.chart(charts.rate_bars, data, "parcours", "Type de parcours", pw.INDICATOR_LABELS[indicator],
                                     f"{scope} — sorties observées au {observed_on:%d/%m/%Y}"
                                     + (" — données de démonstration" if is_demo else ""),
                                     refs, upload=upload_key))
st.caption(f"Date d'observation des sorties (extraction) : {observed_on:%d/%m/%Y}. " if observed_on is not None else "")
st.caption("Les repères nationaux (carrés verts creux, valeur au-dessus) viennent des publications citées dans le "
           "fichier des références ; ils mesurent l'accès à un emploi d'un mois ou plus dans les 6 mois pour les sortants "
           "de 2018 : définition proche mais pas identique. " + source_line)
ui.csv_download(by_pathway, f"taux_par_parcours_{region.code}.csv", demo=is_demo)

st.header("Public × type de parcours")
indicator = st.selectbox("Indicateur", [i for i in pw.INDICATOR_LABELS if i != "access"], key="pr_heat",
                         format_func=pw.INDICATOR_LABELS.get)
query = share.persist(PARAMS)
cross = views.pathway_rates(region.code, *selection, ("public", "pathway_type"), upload=upload_key)
cross = cross[cross["indicator"].eq(indicator)]
views.show_chart(views.chart(charts.rate_heatmap, cross, "parcours", "Type de parcours", "public_label", "Public",
                             pw.INDICATOR_LABELS[indicator], f"{scope} — * fragile, s secret", upload=upload_key))
ui.csv_download(cross, f"taux_public_parcours_{region.code}.csv", demo=is_demo)

left, right = st.columns([1, 1.4], gap="large")
with left:
    st.header("Résidents QPV parmi les entrants")
    target = float(loaders.reference_table("cadre_national", "objectifs.csv").set_index("indicator").loc["qpv_share_of_entrants", "value_pct"]) / 100
    extras = views.pathway_extras(region.code, *selection, upload=upload_key)
    shares, total = extras["qpv_shares"], extras["qpv_total"]
    if pd.isna(total["rate"].iloc[0]):  # secret (fewer than 20 entrants) or incoherent: no gauge, said so
        st.info(f"Part des entrants résidant en QPV non calculée avec ces filtres ({scope}) : "
                f"{pw.STATUS_LABELS[total['status'].iloc[0]]}. Objectif national {fr_pct(target * 100, 0)}.")
    else:
        views.show_chart(views.chart(charts.gauge, float(total["rate"].iloc[0]), target, "Part des entrants résidant en QPV",
                                     f"{scope} — objectif national {fr_pct(target * 100, 0)} (cadre des PRIC)",
                                     upload=upload_key))
    st.dataframe(ui.styled(shares[["year", "numerator", "denominator", "rate"]], {"numerator": "int", "denominator": "int", "rate": "pct_fraction"},
                           {"year": "Année", "numerator": "Entrants QPV", "denominator": "Entrants", "rate": "Part"}), hide_index=True)
    ui.source_caption("cadre_national", extra=source_line)
with right:
    st.header("Parcours prévus et réalisés")
    plan = loaders.reference_table("pact_ara_2019", "plan_parcours.csv").astype({"year": int, "parcours": int})
    compared = views.plan_vs_realised(region.code, upload=upload_key) if pact.covers(region.code) else None
    if compared is not None:
        views.show_chart(views.chart(charts.plan_vs_realised_bars, compared, "Parcours par axe",
                                     "Prévus : Pacte 2019-2022 ; réalisés : " + source_line, upload=upload_key))
        totals = loaders.reference_table("pact_ara_2019", "plan_totaux.csv")
        st.caption(f"Le Pacte prévoit {fr_int(int(totals.set_index('year').loc['total', 'parcours']))} parcours et "
                   f"{fr_int(int(totals.set_index('year').loc['total', 'budget_meur']))} M€ ; la somme de ses quatre années fait "
                   f"{fr_int(plan['parcours'].sum())} parcours (écart d'une unité dans le texte du Pacte).")
        ui.csv_download(compared, f"parcours_prevus_realises_{region.code}.csv", demo=is_demo)
    else:
        st.info(f"Le seul plan de parcours disponible ({pact.short}) ne couvre pas cette région.")

st.header("Motifs d'abandon")
motifs = pw.pact_motifs(loaders.reference_table("pact_ara_2019", "abandon_motifs.csv"))
views.show_chart(views.chart(charts.motif_heatmap, motifs, pw.QUALIFICATIONS,
                             "Abandons par motif et qualification (en % de chaque motif)",
                             f"Tableau du Pacte ARA 2019, reproduit tel quel ({len(motifs)} lignes)"))
st.caption("La première ligne est imprimée « Auvergne-Rhône-Alpes » et la dernière « Total général » ; leurs chiffres "
           "diffèrent et le Pacte ne dit pas pourquoi : les deux sont reproduites telles quelles.")
ui.csv_download(motifs, "pacte_motifs_abandon.csv", demo=False)
reasons = extras["reasons"]
st.markdown(f"**Motifs dans les données** — {scope}")
st.dataframe(ui.styled(reasons, {"abandons": "int", "part": "pct_fraction"},
                       {"motif": "Motif", "abandons": "Abandons", "part": "Part"}), hide_index=True, width="stretch")
st.caption(source_line)

st.header("Baromètre de l'action publique")
barometre = loaders.barometre(region.code)
pic = barometre[barometre["indicator_id"].eq("nb-formation-pic") & barometre["level"].eq("region")]
left, right = st.columns(2, gap="large")
with left:
    if len(pic):
        yearly = barometre_source.annual(pic)
        views.show_chart(views.chart(charts.annual_bars, yearly, "Entrées", "Entrées en formation des publics éloignés de l'emploi",
                                     "Région ; 2021-2022 publiés en cumul depuis janvier : valeur au 31 décembre"))
        ui.csv_download(yearly, f"barometre_entrees_formation_{region.code}.csv", demo=False)
    else:
        st.info("Pas de série régionale « entrées en formation » dans le Baromètre pour cette région.")
with right:
    names = dict(zip(region.departements["code"], region.departements["name"]))
    apprentices = barometre[barometre["indicator_id"].eq("nombre-contrats-apprentissage")]
    if len(apprentices):
        table = barometre_source.yearly_by_department(apprentices, names)
        st.markdown("**Contrats d'apprentissage par département** (nombre annuel)")
        st.dataframe(table, hide_index=True, width="stretch")
        ui.csv_download(table, f"barometre_apprentissage_{region.code}.csv", demo=False)
    siae = barometre[barometre["indicator_id"].eq("nb-beneficiaires-siae")]
    if len(siae):
        table = barometre_source.yearly_by_department(siae, names, how="mean")
        st.markdown("**Bénéficiaires de l'insertion par l'activité économique (SIAE)** — moyenne des effectifs mensuels")
        st.dataframe(table, hide_index=True, width="stretch")
        ui.csv_download(table, f"barometre_siae_{region.code}.csv", demo=False)
ui.source_caption("barometre_action_publique", "benchmarks_publications")
share.share_box(query)
