"""The page Données's widgets for the records' column and code profile: the column editor (a field
several columns fit is asked, never guessed), the code editor, the profile in use (downloadable, open to
change) and the buttons that apply or save a profile. What they ask is computed by :mod:`lib.views.donnees`."""
from __future__ import annotations

import streamlit as st

from lib.app import data
from lib.core.errors import DataError
from lib.core.fmt import fr_int
from lib.sources.mapping import Mapping
from lib.sources.opener import FIELD_LABELS
from lib.sources.records import VOCABULARIES, field_label
from lib.views import donnees as view


def profile_buttons(profile: Mapping, key: str, label: str, disabled: bool = False, check: bool = True) -> None:
    """Use the profile for the session (the records are read again), or save it for the next export.
    A profile the imported records cannot be read with is refused, and the one in use stays."""
    left, right = st.columns(2)
    if left.button(label, key=f"{key}_apply", type="primary", disabled=disabled):
        if check and data.imported_files().get("records"):  # the profile changes how the file in use is read: it must still read
            try:
                data.datasets(mapping=profile).records()
            except DataError as err:
                st.error(f"Association non retenue : {err}")
                return
        data.set_records_mapping(profile)
        st.rerun()
    right.download_button("Télécharger le profil (JSON)", profile.to_json(), "profil_association.json",
                          "application/json", key=f"{key}_download", icon=":material/download:", disabled=disabled)


def mapping_editor(content: bytes, name: str, imported: bool = False) -> None:
    """Map a records file's columns onto the expected fields, prefilled with the profile in use, what
    the reader recognises, then by similarity; a field several columns fit (two commune columns) is
    asked, never guessed. The profile is saved as JSON for the next export (``--mapping`` on the
    command line)."""
    current = data.records_mapping() or Mapping()
    form = view.column_form(content, name, current)
    if form is None:
        return  # the file's refusal is already shown above: no column to map
    ambiguous, guess = form["ambiguous"], form["guess"]
    st.subheader("Associer les colonnes du fichier aux champs attendus", anchor=False)
    st.caption("Pour chaque champ attendu, la colonne du fichier qui le contient ; le code du champ est entre "
               "parenthèses (celui du profil JSON et de la page Sources et méthodologie).")
    for field, candidates in ambiguous.items():
        st.warning(f"Plusieurs colonnes peuvent être {FIELD_LABELS.get(field, f'le champ « {field} »')} ({field}) : "
                   + ", ".join(f"« {h} »" for h in candidates) + ". Choisissez laquelle ci-dessous : rien n'est deviné.")
    choices = {}
    columns = st.columns(3)
    options = [view.NO_COLUMN, *form["headers"]]
    for index, field in enumerate(form["fields"]):
        if field in ambiguous:  # no default: the user says which
            choices[field] = columns[index % 3].selectbox(f"{field_label(field)} — à choisir", options, index=None,
                                                          key=f"map_{field}", placeholder="Laquelle ?")
            continue
        default = guess.get(field)
        choices[field] = columns[index % 3].selectbox(field_label(field), options,
                                                      index=options.index(default) if default in options else 0,
                                                      key=f"map_{field}")
    checked = view.column_choices(choices, ambiguous)
    if checked["undecided"]:
        st.caption("Choisissez d'abord : " + ", ".join(field_label(f) for f in checked["undecided"]) + ".")
    for header, names in checked["twice"].items():  # one column is one field: the profile would keep only the last
        st.warning(f"La colonne « {header} » est choisie pour plusieurs champs : "
                   + ", ".join(field_label(f) for f in names) + ". Gardez-la pour un seul.")
    profile_buttons(Mapping(checked["chosen"], current.codes), "map", "Appliquer l'association",
                    disabled=bool(checked["undecided"] or checked["twice"]), check=imported)


def codes_editor(unknown: dict[str, list[str]]) -> None:
    """Map the values no code matched onto the expected codes; saved in the same JSON profile."""
    current = data.records_mapping() or Mapping()
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
    current = data.records_mapping()
    imported = data.imported_files().get("records")
    if current is None and chosen.status != "importe":
        return
    current = current or Mapping()
    columns, codes = view.profile_counts(current)
    st.subheader("Profil d'association en usage", anchor=False)
    st.markdown(f"{fr_int(columns)} colonne(s) associée(s), {fr_int(codes)} valeur(s) associée(s) à un code"
                + ("" if columns or codes else " (en-têtes et codes reconnus directement)") + ".")
    st.download_button("Télécharger le profil en usage (JSON)", current.to_json(), "profil_association.json",
                       "application/json", key="profile_in_use_download", icon=":material/download:",
                       help="À réutiliser pour le prochain export (ici ou avec --mapping en ligne de commande).")
    if imported is not None and not editing and chosen.status == "importe":
        with st.expander("Modifier la correspondance", icon=":material/edit:"):
            mapping_editor(*imported, imported=True)
