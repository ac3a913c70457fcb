"""Page Fiche département: one department on one screen, with findings and offline exports."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import data, share, ui
from lib.app.components import show_chart
from lib.app.tables import show_table
from lib.indicators import coverage
from lib.render import export
from lib.views import fiche as view

region = data.region()
PARAMS = [share.Param("fd_dep", "dep", default=region.dep_codes[0], shared=True),
          share.Param("fd_qpv_list", "qpv", default=coverage.DEFAULT_QPV_LIST, shared=True)]
share.restore(PARAMS[:1], {"fd_dep": region.dep_codes})
qpv_key = share.follow(PARAMS[1], list(coverage.QPV_LISTS))

head, choose = st.columns([3, 1.2])
dep = choose.selectbox("Département", region.dep_codes, key="fd_dep", format_func=region.dep_label)
head.title(f"Fiche département — {region.dep_name(dep)} ({dep})")
query = share.persist(PARAMS)

offer_period = view.offer_period()  # the Zones blanches page's default: one commune is white or not everywhere
page = data.view(view.sheet_page, dep, qpv_key, offer_period)
if page["banner"]:
    ui.demo_banner(page["banner"])
st.caption(page["caption"])
if page["outside"]:  # every commune « white » for want of this region's offer: said before any figure
    st.error(page["outside"])
ui.stale_notice("chomage_localise_insee", page["quarter"])

for column, (label, value, detail, demo) in zip(st.columns(len(page["cards"])), page["cards"]):
    column.metric(label, value)
    column.caption(detail + (" — :orange-badge[offre de démonstration]" if demo else ""))

st.header("Constats", anchor=False)
st.markdown(page["findings"])

left, middle, right = st.columns([1.1, 1, 1], gap="medium")
with left:
    show_chart(page["unemployment_chart"])
with middle:
    if page["no_entries"]:
        st.info(page["no_entries"])
    for spec, missing in page["rate_panels"]:
        if spec is None:
            st.info(missing)
        else:
            show_chart(spec)
with right:
    st.image(page["map_png"], width="stretch", alt=page["map_alt"])
    st.caption(page["map_caption"])

# The department in France: rank and gap to its nearest peers (page Comparer), on the sheet and in its PDF
st.header("Comparaison nationale", anchor=False)
st.caption(page["peers_line"])
show_table(page["comparison"], name="Comparaison nationale : rang et écart aux pairs")
st.caption(page["comparison_note"])
st.page_link("pages/comparer.py", label=f"Comparer {region.dep_name(dep)} ({dep}) à sa région, à la France et à ses pairs",
             icon=":material/compare_arrows:", query_params=page["compare_link"])

st.header("Objectifs du département", anchor=False)
objectives = page["objectives"]
if objectives["table"] is None:
    st.info(objectives["none"])
else:
    if objectives["banner"]:
        st.warning(f"**{ui.DEMO_LABEL}** — {objectives['banner']}")
    show_table(objectives["table"], name=f"Objectifs du pacte — {region.dep_name(dep)} ({dep})", pin="Objectif")
    st.caption(objectives["caption"])
st.page_link("pages/objectifs.py", label="Tous les objectifs du pacte", icon=":material/flag:")

with st.expander("Exporter la fiche (PDF, images, diaporama)", icon=":material/download:", expanded=False):
    ui.deck_download(dep, key="fd_deck")
    if st.button("Préparer le PDF et les images", key="fd_export"):
        with st.spinner("Préparation des fichiers…"):
            sheet = view.sheet_export(data.datasets(), dep, qpv_key, offer_period)
            pngs = {image.name: image.content if isinstance(image.content, bytes) else export.chart_png(image.content)
                    for image in sheet.images}
            pdf = export.sheet_pdf(sheet.title, sheet.subtitle, sheet.figures, sheet.findings, view.pdf_images(sheet, pngs),
                                   sheet.sources, sheet.warning, sections=sheet.sections)
        c1, c2, c3, c4 = st.columns(4)
        c1.download_button("PDF (1 page)", pdf, f"fiche_{dep}.pdf", "application/pdf", key="dl_pdf",
                           on_click="ignore")
        c2.download_button("Graphique chômage (PNG)", pngs["unemployment"], f"chomage_{dep}.png", "image/png",
                           key="dl_png1", on_click="ignore")
        if "employment" in pngs:
            c3.download_button("Graphique emploi (PNG)", pngs["employment"], f"retour_emploi_{dep}.png", "image/png",
                               key="dl_png2", on_click="ignore")
        c4.download_button("Carte (PNG)", pngs["map"], f"carte_{dep}.png", "image/png", key="dl_png3",
                           on_click="ignore")
share.share_box(query)
