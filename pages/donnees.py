"""Page Données: the datasets every page uses in this session, their import reports, and the
imports themselves (one card per replaceable source)."""
from lib.entry import through_app

through_app()
import pandas as pd
import streamlit as st

from lib import loaders, ui, views, workspace
from lib.errors import DataError
from lib.fmt import fr_int
from lib.indicators import unemployment as unemp
from lib.sources.mapping import Mapping, file_headers, suggest_columns
from lib.sources.opener import FIELD_LABELS, MAX_UPLOAD_BYTES, column_ambiguities, size_text
from lib.sources.records import COLUMNS, REQUIRED, VOCABULARIES, read_denominators, records_mapping

region = loaders.region()
SIZE_LIMIT = size_text(MAX_UPLOAD_BYTES)  # Streamlit says « 200MB per file » in English, in a tooltip
st.title("Données")
st.caption("Les fichiers utilisés par toutes les pages, la fiche département, le diagnostic et les exports de cette "
           "session. Un fichier importé ici reste en mémoire pour cette session seulement : il n'est jamais écrit sur "
           f"le disque ni visible d'une autre session. Taille maximale : {SIZE_LIMIT} par fichier.")

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
            st.dataframe(pd.DataFrame(scan.set_aside, columns=["Fichier", "Motif"]), hide_index=True, width="stretch", placeholder="–")

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


def describe(kind: str) -> tuple[list[tuple[str, str]], object]:
    """What the dataset in use covers, and its import report."""
    if kind == "unemployment":
        upload = loaders.workspace_key()
        report = views.unemployment_report(region.code, upload=upload)
        quarters = views.unemployment_quarters(region.code, upload=upload)
        return [("Édition", unemp.quarter_label(quarters[-1])),
                ("Période couverte", f"{unemp.quarter_label(quarters[0])} – {unemp.quarter_label(quarters[-1])}")], report
    if kind == "offer":
        offer, report, _, _ = loaders.session_offer(region.code)
        months = sorted(set(offer["start_month"]) - {""})
        period = f"{months[0]} – {months[-1]}" if months else "sans dates"
        return [("Sessions × lieux", fr_int(len(offer))), ("Période des sessions", period)], report
    records, report, denominators, den_report, _ = loaders.session_records(region.code)
    if kind == "records":
        as_of = report.meta.get("as_of")
        years = sorted(int(y) for y in records["year"].unique())
        return [("Date d'observation (extraction)", f"{as_of:%d/%m/%Y}" if as_of is not None else "–"),
                ("Années d'entrée", f"{years[0]} – {years[-1]}")], report
    if denominators is None:
        return [("Dénominateurs", "aucun : le taux d'accès n'est pas calculé")], None
    years = sorted(int(y) for y in denominators["year"].unique())
    return [("Années", f"{years[0]} – {years[-1]}"), ("Publics", str(denominators["public"].nunique()))], den_report


def profile_buttons(profile: Mapping, key: str, label: str, disabled: bool = False) -> None:
    """Use the profile for the session (the records are read again), or save it for the next export."""
    left, right = st.columns(2)
    if left.button(label, key=f"{key}_apply", type="primary", disabled=disabled):
        loaders.set_records_mapping(profile)
        st.rerun()
    right.download_button("Télécharger le profil (JSON)", profile.to_json(), "profil_association.json",
                          "application/json", key=f"{key}_download", icon=":material/download:", disabled=disabled)


def mapping_editor(upload) -> None:
    """Map a records file's columns onto the expected fields, prefilled with what the reader
    recognises then by similarity; a field several columns fit (two commune columns) is asked, never
    guessed. The profile is saved as JSON for the next export (``--mapping`` on the command line)."""
    try:
        headers = file_headers(upload.getvalue(), upload.name)
    except DataError:
        return  # the file's refusal is already shown above: no column to map
    if len(headers) < 2:
        return
    current = loaders.records_mapping() or Mapping()
    aliases = current.aliases(COLUMNS)
    ambiguous = column_ambiguities(headers, aliases)
    guess = {field: header for header, field in suggest_columns(headers, aliases).items()}
    st.markdown("**Associer les colonnes du fichier aux champs attendus**")
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
            choices[field] = columns[index % 3].selectbox(f"{field} (à choisir)", options, index=None, key=f"map_{field}",
                                                          placeholder="Laquelle ?")
            continue
        default = guess.get(field)
        choices[field] = columns[index % 3].selectbox(field, options, index=options.index(default) if default in options else 0,
                                                      key=f"map_{field}")
    chosen = {header: field for field, header in choices.items()
              if header not in (None, "(aucune)") and (header != field or field in ambiguous)}
    undecided = [field for field in ambiguous if choices[field] is None]
    if undecided:
        st.caption("Choisissez d'abord : " + ", ".join(undecided) + ".")
    profile_buttons(Mapping(chosen, current.codes), "map", "Appliquer l'association", disabled=bool(undecided))


def codes_editor(unknown: dict[str, list[str]]) -> None:
    """Map the values no code matched onto the expected codes; saved in the same JSON profile."""
    current = loaders.records_mapping() or Mapping()
    codes = {field: dict(values) for field, values in current.codes.items()}
    st.markdown("**Valeurs non reconnues : les associer aux codes attendus**")
    for field, values in unknown.items():
        vocabulary = VOCABULARIES[field]
        options = ["(laisser inconnu)", *vocabulary]
        labels = {code: f"{code} — {names[0]}" if names else code for code, names in vocabulary.items()}
        for value in values:
            choice = st.selectbox(f"{field} : « {value} »", options, key=f"code_{field}_{value}",
                                  format_func=lambda c, labels=labels: labels.get(c, c))
            if choice != "(laisser inconnu)":
                codes.setdefault(field, {})[value] = choice
    profile_buttons(Mapping(current.columns, codes), "codes", "Appliquer l'association des codes")


def card(kind: str) -> None:
    """One source's card: the uploader, what is in use and its import report."""
    upload = st.file_uploader(f"Importer : {workspace.KIND_LABELS[kind]}", key=f"donnees_{kind}", help=HELP[kind])
    accepted = ui.accept_upload(kind, upload, READERS[kind])
    if upload is not None and not accepted and kind == "records" and upload.file_id not in loaders.dropped_uploads():
        mapping_editor(upload)  # a refused file, not one dropped and still in the uploader
    chosen = loaders.file_in_use(kind, region.code)  # after the upload: what this run really uses
    badge = {"fourni": ":green-badge[fourni]", "demo": ":orange-badge[démonstration]", "importe": ":blue-badge[importé]",
             "configure": ":violet-badge[configuré]", "absent": ":gray-badge[aucun]"}[chosen.status]
    if kind == "denominators" and accepted and chosen.is_demo:
        st.info("Dénominateurs importés : ils serviront avec des entrées en formation réelles (importées ou "
                "configurées), jamais avec les données de démonstration.", icon=":material/info:")
    lines, report = describe(kind)
    facts = [("En usage", badge), ("Fichier", f"« {chosen.name} »"), ("Producteur", workspace.PRODUCERS[kind]), *lines]
    if report is not None:
        facts.append(("Lignes", f"{fr_int(report.rows_read)} lues, {fr_int(report.rows_kept)} conservées, "
                                f"{fr_int(report.rows_rejected)} écartées"
                      + "".join(f", {fr_int(n)} {reason}" for reason, n in report.excluded.items())))
    st.markdown("\n".join(f"- **{label}** : {value}" for label, value in facts))
    if report is not None and report.notes:  # e.g. the file read inside an archive, the sheets read
        st.caption(" ".join(report.notes))
    if report is not None and (report.rejected or report.excluded or report.warnings):
        with st.expander("Lignes écartées et avertissements"):
            table = report.as_table()
            st.dataframe(table, hide_index=True, width="stretch", placeholder="–")
            ui.csv_download(table, f"rapport_import_{kind}.csv", "Télécharger le rapport (CSV)", demo=chosen.is_demo)
    unknown = report.meta.get("unknown_codes") if report is not None and kind == "records" else None
    if unknown and chosen.status == "importe":
        with st.expander("Associer les valeurs non reconnues", icon=":material/rule:"):
            codes_editor(unknown)
    if kind == "records":
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

if loaders.imported_files() and st.button("Tout effacer", key="reset_all", type="primary", icon=":material/delete:"):
    loaders.drop_imported()
    st.rerun()
