"""Page Fiche département: one department on one screen, with findings and offline exports."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import loaders, share, ui, views
from lib.core.fmt import fr_int, fr_pct, fr_points
from lib.indicators import coverage
from lib.indicators import unemployment as unemp
from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM
from lib.render import charts, export

region = loaders.region()
PARAMS = [share.Param("fd_dep", "dep", default=region.dep_codes[0], shared=True),
          share.Param("fd_qpv_list", "qpv", default=coverage.DEFAULT_QPV_LIST, shared=True)]
share.restore(PARAMS[:1], {"fd_dep": region.dep_codes})
qpv_key = share.follow(PARAMS[1], list(coverage.QPV_LISTS))
qpv_list = coverage.QPV_LISTS[qpv_key]

head, choose = st.columns([3, 1.2])
dep = choose.selectbox("Département", region.dep_codes, key="fd_dep", format_func=region.dep_label)
head.title(f"Fiche département — {region.dep_name(dep)} ({dep})")
query = share.persist(PARAMS)

upload_key = loaders.workspace_key()
offer_period = loaders.offer_period()  # the Zones blanches page's default: one commune is white or not everywhere
sheet_view = views.department_sheet(region.code, dep, qpv_key, offer_period, upload=upload_key)
figures, found, rates = sheet_view["figures"], sheet_view["findings"], sheet_view["rates"]
offer_demo, records_demo = sheet_view["offer_demo"], sheet_view["records_demo"]
if offer_demo or records_demo:
    ui.demo_banner("Données de démonstration — " + " ; ".join(
        part for part, demo in (("zones blanches", offer_demo), ("accès et retour à l'emploi", records_demo)) if demo))
quarter = unemp.quarter_label(figures.quarter)
st.caption(f"Région {region.name} — chômage au {quarter} ; zones blanches au seuil de {fr_int(DEFAULT_THRESHOLD_KM)} km "
           f"(sessions {figures.offer_period}, comme sur la page Zones blanches) ; "
           f"quartiers prioritaires : {qpv_list.short} ({qpv_list.label.split('(')[1].rstrip(')')}, population RP "
           f"{qpv_list.census}), à changer sur la page Territoires prioritaires"
           # said only when something on the sheet is demonstration data
           + (" ; les éléments marqués « démonstration » reposent sur des données fictives." if offer_demo or records_demo
              else "."))
ui.stale_notice("chomage_localise_insee", figures.quarter)

# (label, value, detail, demonstration?)
cards = [
    ("Taux de chômage", fr_pct(figures.unemployment), quarter, False),
    ("Évolution sur un an", fr_points(figures.unemployment_change), "même trimestre, année précédente", False),
    (f"Population en QPV ({qpv_list.short})", fr_pct(figures.qpv_share * 100),
     f"région : {fr_pct(figures.region_qpv_share * 100)} ; RP {qpv_list.census}", False),
    ("Population en FRR", fr_pct(figures.frr_share * 100), f"région : {fr_pct(figures.region_frr_share * 100)}", False),
    ("Habitants en zone blanche", fr_int(figures.white_population), fr_pct(figures.white_share * 100), offer_demo),
]
for column, (label, value, detail, demo) in zip(st.columns(len(cards)), cards):
    column.metric(label, value)
    column.caption(detail + (" — :orange-badge[offre de démonstration]" if demo else ""))

st.header("Constats", anchor=False)
st.markdown("\n".join(f"- {f.text}" + (" :orange-badge[démonstration]" if f.demo else "") for f in found))

series = sheet_view["series"]
unemployment_args = (series, f"Taux de chômage {region.dep_of(dep)}", loaders.source_line("unemployment", region.code))
employment = rates[rates["indicator"].eq("employment_6m")]
access = rates[rates["indicator"].eq("access")]
# the rates pool every year of entry of the department (Parcours shows one year): entries and observation date said
rates_scope, access_scope = sheet_view["rates_scope"], sheet_view["access_scope"]
employment_args = (employment, "public_label", "Public", "Retour à l'emploi à 6 mois",
                   "par public" + (f" — {rates_scope}" if rates_scope else "")
                   + (" — données de démonstration" if records_demo else ""))
access_args = (access, "public_label", "Public", "Taux d'accès à la formation",
               "par public" + (f" — {access_scope}" if access_scope else "")
               + (" — données de démonstration" if records_demo else ""))
records_source = loaders.source_line("records", region.code)
# the PNG leaves the page alone: its subtitle carries the source too
employment_png_args = (*employment_args[:4], f"{employment_args[4]} — {records_source}")
map_png = loaders.department_map_png(region.code, dep, DEFAULT_THRESHOLD_KM, qpv_key, views.map_note(offer_demo),
                                     upload=upload_key)
map_alt = (f"Carte des communes {region.dep_of(dep)} selon la distance à la session de formation la plus proche : "
           f"{fr_int(figures.white_population)} habitants en zone blanche (hachurée, plus de {fr_int(DEFAULT_THRESHOLD_KM)} km), "
           f"soit {fr_pct(figures.white_share * 100)} ; quartiers prioritaires ({qpv_list.short}) en violet"
           + (" ; offre de démonstration, distances fictives" if offer_demo else "") + ".")

records_file = loaders.file_in_use("records", region.code)
origin = {"importe": "fichier importé", "configure": "fichier configuré, dossier PRIC_DATA_DIR",
          "demo": "données de démonstration"}.get(records_file.status, records_file.status_label)
covered = ", ".join(region.dep_label(code) for code in sheet_view["covered_deps"])
no_entries = (f"Accès et retour à l'emploi : aucune entrée importée pour ce département dans « {records_file.name} » "
              f"({origin}). " + (f"Les entrées du fichier couvrent : {covered}." if covered else
                                 "Le fichier n'a aucune entrée dans la région."))

left, middle, right = st.columns([1.1, 1, 1], gap="medium")
with left:
    unemployment_spec = views.chart(charts.unemployment_lines, *unemployment_args, upload=upload_key)
    views.show_chart(unemployment_spec)
with middle:
    if not sheet_view["entries"]:
        st.info(no_entries, icon=":material/block:")
    else:
        for what, frame, args, reason in (
                ("Retour à l'emploi à 6 mois", employment, employment_args,
                 "aucune sortie dont la situation à 6 mois est connue pour ce département"),
                ("Taux d'accès à la formation", access, access_args, sheet_view["access_reason"])):
            if frame.empty:
                st.info(f"{what} : non disponible — {reason}.", icon=":material/block:")
            else:
                views.show_chart(views.chart(charts.rate_bars, *args, upload=upload_key))
with right:
    st.image(map_png, width="stretch", alt=map_alt)
    st.caption(("Offre de démonstration. " if offer_demo else "") + loaders.catalog()["geo"].caption)

# The department in France: rank and gap to its nearest peers (page Comparer), on the sheet and in its PDF
comparison = views.compare_summary(region.code, dep, figures.quarter, qpv_key, upload=upload_key)
comparison_note = ("Rang parmi les départements de France (1er : la valeur la plus élevée) ; écart à la médiane des "
                   f"pairs en points ; chômage au {unemp.quarter_label(comparison['quarter'])}.")
st.header("Comparaison nationale", anchor=False)
st.caption(comparison["peers_line"])
views.show_table(comparison["table"], upload=upload_key, name="Comparaison nationale : rang et écart aux pairs")
st.caption(comparison_note)
st.page_link("pages/comparer.py", label=f"Comparer {region.dep_name(dep)} ({dep}) à sa région, à la France et à ses pairs",
             icon=":material/compare_arrows:",
             query_params={"dep": dep, "qpv": qpv_key, "pairs": ",".join(comparison["peers"])})

with st.expander("Exporter la fiche (PDF, images)", icon=":material/download:", expanded=False):
    sources = [caption.removeprefix("Source : ") for caption in
               ui.dataset_captions("chomage_localise_insee", qpv_list.dataset, "frr_2025_dgcl", "geo")]
    sources += [loaders.source_line(kind, region.code).removeprefix("Source : ") for kind in ("offer", "records")]
    if st.button("Préparer le PDF et les images", key="fd_export"):
        with st.spinner("Préparation des fichiers…"):
            unemployment_png = export.chart_png(charts.unemployment_lines(*unemployment_args))
            # no chart of nothing: without 6-month outcomes for the department, the PDF says why instead
            employment_png = None if employment.empty else export.chart_png(charts.rate_bars(*employment_png_args))
            employment_image = [] if employment_png is None else [(
                employment_png, "Retour à l'emploi à 6 mois" + (f" ({rates_scope})" if rates_scope else "")
                + (" — démonstration" if records_demo else ""),
                "Retour à l'emploi à 6 mois par public" + (f", {rates_scope}" if rates_scope else "")
                + (" (données de démonstration)" if records_demo else "") + ".")]
            pdf = export.sheet_pdf(
                f"Fiche département — {region.dep_name(dep)} ({dep})",
                f"Région {region.name} · chômage au {quarter} · préparé avec le tableau de bord PRIC",
                [(label, value, "offre de démonstration" if demo else "") for label, value, _, demo in cards],
                [f.text for f in found] + ([] if sheet_view["entries"] else [no_entries]),
                [(unemployment_png, "Taux de chômage (Insee, CVS)",
                  unemployment_spec["description"]),  # what the chart shows, series named from the data
                 *employment_image,
                 (map_png, "Distance à la session la plus proche" + (" — offre de démonstration" if offer_demo else ""),
                  map_alt)],
                sources, "Certains éléments reposent sur des données de démonstration (mentionnés)." if (offer_demo or records_demo) else "",
                sections=[("Comparaison nationale", [comparison["peers_line"], *comparison["lines"], comparison_note])])
        c1, c2, c3, c4 = st.columns(4)
        c1.download_button("PDF (1 page)", pdf, f"fiche_{dep}.pdf", "application/pdf", key="dl_pdf",
                           on_click="ignore")
        c2.download_button("Graphique chômage (PNG)", unemployment_png, f"chomage_{dep}.png", "image/png", key="dl_png1",
                           on_click="ignore")
        if employment_png is not None:
            c3.download_button("Graphique emploi (PNG)", employment_png, f"retour_emploi_{dep}.png", "image/png",
                               key="dl_png2", on_click="ignore")
        c4.download_button("Carte (PNG)", map_png, f"carte_{dep}.png", "image/png", key="dl_png3",
                           on_click="ignore")
share.share_box(query)
