"""Page Données: the datasets every page uses in this session, their import reports, and the
imports themselves (one card per replaceable source)."""
from lib.app.entry import through_app

through_app()
import pandas as pd
import streamlit as st

from lib.app import data, import_widgets, ui
from lib.app.tables import show_table
from lib.views import donnees as view

st.title("Données")
st.caption("Les fichiers utilisés par toutes les pages, la fiche département, le diagnostic et les exports de cette "
           "session. Un fichier importé ici reste en mémoire pour cette session seulement : il n'est jamais écrit sur "
           f"le disque ni visible d'une autre session. Taille maximale : {view.SIZE_LIMIT} par fichier.")
reload_notice = st.empty()  # filled at the end of the run, once this run's uploads are accepted

scan = data.configured_scan()
if scan is not None:
    with st.container(border=True):
        st.markdown(f"**Dossier configuré ({view.SETTING})** : `{scan.folder}`")
        if scan.error:
            st.warning(scan.error)
        for line in scan.used_lines():  # several Insee editions: the latest quarter's; records files: read together
            st.markdown(f"- {line}")
        if scan.set_aside:
            st.markdown("Fichiers non utilisés :")
            show_table(pd.DataFrame(scan.set_aside, columns=["Fichier", "Motif"]),
                       name=f"Fichiers non utilisés du dossier configuré ({view.SETTING})")

# A file is read as the pages will read it (the records with the session's denominators, observation date
# and column profile) before it is kept for the session.
READERS = {
    "unemployment": lambda content, name: data.datasets(files={"unemployment": (content, name)}).unemployment(),
    "offer": lambda content, name: data.datasets(files={"offer": (content, name)}).offer(),
    "records": lambda content, name: data.datasets(files={"records": (content, name)}).records(),
    "denominators": view.read_denominators,
    "objectives": lambda content, name: view.read_objectives(data.datasets(), content, name),
}


def card(kind: str) -> None:
    """One source's card: the uploader, what is in use and its import report."""
    upload = st.file_uploader(f"Importer : {view.KIND_LABELS[kind]}", key=f"donnees_{kind}", help=view.HELP[kind])
    accepted = ui.accept_upload(kind, upload, READERS[kind])
    refused = (upload is not None and not accepted and kind == "records"
               and upload.file_id not in data.dropped_uploads())  # a refused file, not one dropped and still there
    if refused:
        import_widgets.mapping_editor(upload.getvalue(), upload.name)
    shown = data.view(view.card, kind)  # after the upload: what this run really uses
    chosen, report = shown["chosen"], shown["report"]
    if kind == "denominators" and accepted and chosen.is_demo:
        st.info("Dénominateurs importés : ils serviront avec des entrées en formation réelles (importées ou "
                "configurées), jamais avec les données de démonstration.")
        st.caption(view.read_denominators(*data.imported_files()["denominators"])[1].summary())  # what was read
    st.markdown(shown["facts"])
    if shown["notes"]:  # e.g. the file read inside an archive, the sheets read
        st.caption(shown["notes"])
    if report is not None and (report.rejected or report.excluded or report.warnings):
        with st.expander("Lignes écartées et avertissements"):
            if report.rejected or report.excluded:
                table = ui.report_table(report)
                show_table(table[table["Type"] != "avertissement"], name=f"Lignes écartées — {view.KIND_LABELS[kind]}")
            if report.warnings:  # whole sentences: a grid cell would cut them
                st.markdown("**Avertissements**\n" + "\n".join(f"- {w}" for w in report.warnings))
            ui.csv_download(report.as_table(), f"rapport_import_{kind}.csv", "Télécharger le rapport (CSV)",
                            demo=chosen.is_demo)
    if shown["unknown"]:
        with st.expander("Associer les valeurs non reconnues", icon=":material/rule:"):
            import_widgets.codes_editor(shown["unknown"])
    if kind == "records":
        import_widgets.profile_in_use(chosen, editing=refused)
        profile = st.file_uploader("Profil d'association des colonnes (JSON)", key="donnees_mapping",
                                   help="Enregistré depuis cette page ; accepte aussi les codes propres à votre export.")
        if profile is not None:
            ui.accept_mapping(profile, view.records_mapping)
    if chosen.status == "importe" and st.button("Revenir aux données fournies", key=f"reset_{kind}"):
        data.drop_imported(kind)
        st.rerun()


for kind in view.KINDS:
    with st.container(border=True):
        st.header(view.KIND_LABELS[kind])
        try:
            card(kind)
        except Exception as err:  # noqa: BLE001 — a card's failure is said in French; the next cards are still drawn
            st.error(ui.read_error(err, f"La carte « {view.KIND_LABELS[kind]} »"))

if data.imported_files():  # a reload opens a new session: said before the analyst loses the imports
    reload_notice.info("Recharger la page (F5) ou ouvrir un lien partagé retrouve le classeur Insee, l'offre LHEO et "
                       "les objectifs importés : fichiers publics, ils sont gardés sur le serveur et l'adresse de la page "
                       "les porte. Les entrées en formation et les dénominateurs ne sont jamais gardés : à importer de "
                       "nouveau. Pour toute une équipe, placez les fichiers dans le dossier configuré (PRIC_DATA_DIR).")

if data.imported_files() and st.button("Tout effacer", key="reset_all", type="primary", icon=":material/delete:"):
    data.drop_imported()
    st.rerun()
