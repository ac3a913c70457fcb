"""Page Données: the datasets every page uses in this session, their import reports, and the
imports themselves (one card per replaceable source)."""
from lib.app.entry import through_app

through_app()
import pandas as pd
import streamlit as st

from lib.app import loaders, ui, views
from lib.core.errors import DataError
from lib.core.fmt import fr_int
from lib.datasets import workspace
from lib.sources.mapping import Mapping, file_headers, suggest_columns
from lib.sources.opener import FIELD_LABELS, MAX_UPLOAD_BYTES, column_ambiguities, size_text
from lib.sources.records import COLUMNS, REQUIRED, VOCABULARIES, field_label, read_denominators, records_mapping

region = loaders.region()
SIZE_LIMIT = size_text(MAX_UPLOAD_BYTES)  # Streamlit says « 200MB per file » in English, in a tooltip
st.title("Données")
st.caption("Les fichiers utilisés par toutes les pages, la fiche département, le diagnostic et les exports de cette "
           "session. Un fichier importé ici reste en mémoire pour cette session seulement : il n'est jamais écrit sur "
           f"le disque ni visible d'une autre session. Taille maximale : {SIZE_LIMIT} par fichier.")
reload_notice = st.empty()  # filled at the end of the run, once this run's uploads are accepted

scan = loaders.configured_scan()
if scan is not None:
    with st.container(border=True):
        st.markdown(f"**Dossier configuré ({workspace.SETTING})** : `{scan.folder}`")
        if scan.error:
            st.warning(scan.error, icon=":material/folder_off:")
        for kind, path in scan.used.items():
            st.markdown(f"- {workspace.KIND_LABELS[kind]} : « {path.name} »")
        if scan.set_aside:
            st.markdown("Fichiers non utilisés :")
            views.show_table(pd.DataFrame(scan.set_aside, columns=["Fichier", "Motif"]),
                             name=f"Fichiers non utilisés du dossier configuré ({workspace.SETTING})")

READERS = {
    "unemployment": lambda data, name: loaders.unemployment(data, name),
    "offer": lambda data, name: loaders.training_offer(region.code, data, name),
    "records": lambda data, name: loaders.read_session_records(region.code, data, name),
    "denominators": read_denominators,
}
HELP = {
    "unemployment": "Classeur Insee « Taux de chômage localisés » (.xls ou .xlsx).",
    "offer": "Export LHEO (XML, ou zip d'un ou plusieurs XML).",
    "records": "Entrées en formation : CSV, XLSX, XLS ou parquet, ou un zip d'un seul de ces fichiers (format décrit sur "
               "la page Sources et méthodologie).",
    "denominators": "Demandeurs d'emploi par année, département et public : year, dep, public, job_seekers (CSV, XLSX, "
                    "XLS ou parquet).",
}
HELP = {kind: f"{text} {SIZE_LIMIT} au plus par fichier." for kind, text in HELP.items()}


def profile_buttons(profile: Mapping, key: str, label: str, disabled: bool = False, check: bool = True) -> None:
    """Use the profile for the session (the records are read again), or save it for the next export.
    A profile the imported records cannot be read with is refused, and the one in use stays."""
    left, right = st.columns(2)
    if left.button(label, key=f"{key}_apply", type="primary", disabled=disabled):
        previous = loaders.records_mapping()
        loaders.set_records_mapping(profile)
        imported = loaders.imported_files().get("records")
        if check and imported:  # the profile changes how the file in use is read: it must still read
            try:
                loaders.read_session_records(region.code, *imported)
            except DataError as err:
                loaders.set_records_mapping(previous)
                st.error(f"Association non retenue : {err}", icon=":material/error:")
                return
        st.rerun()
    right.download_button("Télécharger le profil (JSON)", profile.to_json(), "profil_association.json",
                          "application/json", key=f"{key}_download", icon=":material/download:", disabled=disabled)


def mapping_editor(data: bytes, name: str, imported: bool = False) -> None:
    """Map a records file's columns onto the expected fields, prefilled with the profile in use, what
    the reader recognises, then by similarity; a field several columns fit (two commune columns) is
    asked, never guessed. The profile is saved as JSON for the next export (``--mapping`` on the
    command line)."""
    try:
        headers = file_headers(data, name)
    except DataError:
        return  # the file's refusal is already shown above: no column to map
    if len(headers) < 2:
        return
    current = loaders.records_mapping() or Mapping()
    aliases = current.aliases(COLUMNS)
    ambiguous = column_ambiguities(headers, aliases)
    guess = {field: header for header, field in suggest_columns(headers, aliases).items()}
    st.subheader("Associer les colonnes du fichier aux champs attendus", anchor=False)
    st.caption("Pour chaque champ attendu, la colonne du fichier qui le contient ; le code du champ est entre "
               "parenthèses (celui du profil JSON et de la page Sources et méthodologie).")
    for field, candidates in ambiguous.items():
        st.warning(f"Plusieurs colonnes peuvent être {FIELD_LABELS.get(field, f'le champ « {field} »')} ({field}) : "
                   + ", ".join(f"« {h} »" for h in candidates) + ". Choisissez laquelle ci-dessous : rien n'est deviné.",
                   icon=":material/help:")
    choices = {}
    columns = st.columns(3)
    fields = [*REQUIRED, "residence_commune", *[f for f in COLUMNS if f not in REQUIRED and f != "residence_commune"]]
    for index, field in enumerate(fields):
        options = ["(aucune)", *headers]
        if field in ambiguous:  # no default: the user says which
            choices[field] = columns[index % 3].selectbox(f"{field_label(field)} — à choisir", options, index=None,
                                                          key=f"map_{field}",
                                                          placeholder="Laquelle ?")
            continue
        default = guess.get(field)
        choices[field] = columns[index % 3].selectbox(field_label(field), options,
                                                      index=options.index(default) if default in options else 0,
                                                      key=f"map_{field}")
    chosen = {header: field for field, header in choices.items()
              if header not in (None, "(aucune)") and (header != field or field in ambiguous)}
    undecided = [field for field in ambiguous if choices[field] is None]
    if undecided:
        st.caption("Choisissez d'abord : " + ", ".join(field_label(f) for f in undecided) + ".")
    fields_of: dict[str, list[str]] = {}
    for field, header in choices.items():
        if header not in (None, "(aucune)"):
            fields_of.setdefault(header, []).append(field)
    twice = {header: names for header, names in fields_of.items() if len(names) > 1}
    for header, names in twice.items():  # one column is one field: the profile would keep only the last
        st.warning(f"La colonne « {header} » est choisie pour plusieurs champs : "
                   + ", ".join(field_label(f) for f in names) + ". Gardez-la pour un seul.", icon=":material/warning:")
    profile_buttons(Mapping(chosen, current.codes), "map", "Appliquer l'association",
                    disabled=bool(undecided or twice), check=imported)


def codes_editor(unknown: dict[str, list[str]]) -> None:
    """Map the values no code matched onto the expected codes; saved in the same JSON profile."""
    current = loaders.records_mapping() or Mapping()
    codes = {field: dict(values) for field, values in current.codes.items()}
    st.subheader("Valeurs non reconnues : les associer aux codes attendus", anchor=False)
    for field, values in unknown.items():
        vocabulary = VOCABULARIES[field]
        options = ["(laisser inconnu)", *vocabulary]
        labels = {code: f"{code} — {names[0]}" if names else code for code, names in vocabulary.items()}
        for value in values:
            choice = st.selectbox(f"{field_label(field)} : « {value} »", options, key=f"code_{field}_{value}",
                                  format_func=lambda c, labels=labels: labels.get(c, c))
            if choice != "(laisser inconnu)":
                codes.setdefault(field, {})[value] = choice
    profile_buttons(Mapping(current.columns, codes), "codes", "Appliquer l'association des codes")


def profile_in_use(chosen, editing: bool) -> None:
    """The column and code profile the records in use are read with: downloadable at any time (not
    only before « Appliquer »), and open to change on the file in use."""
    current = loaders.records_mapping()
    imported = loaders.imported_files().get("records")
    if current is None and chosen.status != "importe":
        return
    current = current or Mapping()
    codes = sum(len(values) for values in current.codes.values())
    st.subheader("Profil d'association en usage", anchor=False)
    st.markdown(f"{fr_int(len(current.columns))} colonne(s) associée(s), "
                f"{fr_int(codes)} valeur(s) associée(s) à un code"
                + ("" if current.columns or codes else " (en-têtes et codes reconnus directement)") + ".")
    st.download_button("Télécharger le profil en usage (JSON)", current.to_json(), "profil_association.json",
                       "application/json", key="profile_in_use_download", icon=":material/download:",
                       help="À réutiliser pour le prochain export (ici ou avec --mapping en ligne de commande).")
    if imported is not None and not editing and chosen.status == "importe":
        with st.expander("Modifier la correspondance", icon=":material/edit:"):
            mapping_editor(*imported, imported=True)


def card(kind: str) -> None:
    """One source's card: the uploader, what is in use and its import report."""
    upload = st.file_uploader(f"Importer : {workspace.KIND_LABELS[kind]}", key=f"donnees_{kind}", help=HELP[kind])
    accepted = ui.accept_upload(kind, upload, READERS[kind])
    refused = (upload is not None and not accepted and kind == "records"
               and upload.file_id not in loaders.dropped_uploads())  # a refused file, not one dropped and still there
    if refused:
        mapping_editor(upload.getvalue(), upload.name)
    chosen = loaders.file_in_use(kind, region.code)  # after the upload: what this run really uses
    badge = {"fourni": ":green-badge[fourni]", "demo": ":orange-badge[démonstration]", "importe": ":blue-badge[importé]",
             "configure": ":violet-badge[configuré]", "absent": ":gray-badge[aucun]"}[chosen.status]
    if kind == "denominators" and accepted and chosen.is_demo:
        st.info("Dénominateurs importés : ils serviront avec des entrées en formation réelles (importées ou "
                "configurées), jamais avec les données de démonstration.", icon=":material/info:")
    lines, report = ui.dataset_coverage(kind, region.code)
    facts = [("En usage", badge), ("Fichier", f"« {chosen.name} »"), ("Producteur", workspace.PRODUCERS[kind]), *lines]
    if report is not None:
        unit = "Offres (formations)" if kind == "offer" else "Lignes"  # the LHEO reader counts offers, not sessions
        facts.append((unit, f"{fr_int(report.rows_read)} lues, {fr_int(report.rows_kept)} conservées, "
                                f"{fr_int(report.rows_rejected)} écartées"
                      + "".join(f", {fr_int(n)} {reason}" for reason, n in report.excluded.items())))
    st.markdown("\n".join(f"- **{label}** : {value}" for label, value in facts))
    as_of = report.meta.get("as_of") if report is not None else None
    said = {f"Date d'observation : {as_of:%d/%m/%Y}."} if as_of is not None else set()  # already in the facts
    notes = [note for note in report.notes if note not in said] if report is not None else []
    if notes:  # e.g. the file read inside an archive, the sheets read
        st.caption(" ".join(notes))
    if report is not None and (report.rejected or report.excluded or report.warnings):
        with st.expander("Lignes écartées et avertissements"):
            if report.rejected or report.excluded:
                table = ui.report_table(report)
                views.show_table(table[table["Type"] != "avertissement"], upload=loaders.workspace_key(),
                                 name=f"Lignes écartées — {workspace.KIND_LABELS[kind]}")
            if report.warnings:  # whole sentences: a grid cell would cut them
                st.markdown("**Avertissements**\n" + "\n".join(f"- {w}" for w in report.warnings))
            ui.csv_download(report.as_table(), f"rapport_import_{kind}.csv", "Télécharger le rapport (CSV)",
                            demo=chosen.is_demo)
    unknown = report.meta.get("unknown_codes") if report is not None and kind == "records" else None
    if unknown and chosen.status == "importe":
        with st.expander("Associer les valeurs non reconnues", icon=":material/rule:"):
            codes_editor(unknown)
    if kind == "records":
        profile_in_use(chosen, editing=refused)
        profile = st.file_uploader("Profil d'association des colonnes (JSON)", key="donnees_mapping",
                                   help="Enregistré depuis cette page ; accepte aussi les codes propres à votre export.")
        if profile is not None:
            ui.accept_mapping(profile, records_mapping)
    if chosen.status == "importe" and st.button("Revenir aux données fournies", key=f"reset_{kind}"):
        loaders.drop_imported(kind)
        st.rerun()


for kind in workspace.KINDS:
    with st.container(border=True):
        st.header(workspace.KIND_LABELS[kind])
        try:
            card(kind)
        except Exception as err:  # noqa: BLE001 — a card's failure is said in French; the next cards are still drawn
            st.error(ui.read_error(err, f"La carte « {workspace.KIND_LABELS[kind]} »"), icon=":material/error:")

if loaders.imported_files():  # a reload opens a new session: said before the analyst loses the imports
    reload_notice.info("Passez d'une page à l'autre par le menu : recharger la page (F5), saisir une adresse ou ouvrir "
                       "un lien partagé ouvre une nouvelle session, sans les fichiers importés (à importer de nouveau). "
                       "Pour toute une équipe, placez-les dans le dossier configuré (PRIC_DATA_DIR).",
                       icon=":material/info:")

if loaders.imported_files() and st.button("Tout effacer", key="reset_all", type="primary", icon=":material/delete:"):
    loaders.drop_imported()
    st.rerun()
