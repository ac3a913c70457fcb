"""The objectives editor of the page Objectifs du pacte: the objectives in use in a table editor (with their
comments, PILOTE's « commentaires locaux »), checked by the objectives reader before they are used for the
session, downloadable as a file, and saved in the deployment's folder (``PRIC_DATA_DIR``) when it is writable."""
from __future__ import annotations

import os

import streamlit as st

from lib.app import data
from lib.views import objectifs_page as view

VERSION_KEY = "_pric_objectives_editor"  # a new editor (no pending edits) once the edits were applied
APPLIED_KEY = "_pric_objectives_applied"
FILE_NAME = "objectifs.csv"


def _column_config() -> dict:
    from lib.sources.objectives import INDICATORS

    labels = view.EDITOR_LABELS
    config = {column: st.column_config.TextColumn(label) for column, label in labels.items()}
    config["indicator"] = st.column_config.SelectboxColumn(labels["indicator"], options=INDICATORS, required=True)
    for column in ("year", "baseline_year"):
        config[column] = st.column_config.NumberColumn(labels[column], format="%d", step=1)
    for column in ("baseline", "target"):
        config[column] = st.column_config.NumberColumn(labels[column], format="%.4g",
                                                       help="Taux en fraction de 0 à 1 (0,15 pour 15 %) ; entrées en "
                                                            "nombre entier.")
    config["comment"] = st.column_config.TextColumn(labels["comment"], width="large",
                                                    help="Commentaire local, gardé dans le fichier et exporté avec le "
                                                         "tableau.")
    return config


def objectives_editor() -> None:
    """The expander « Modifier les objectifs et les commentaires »."""
    with st.expander("Modifier les objectifs et les commentaires", icon=":material/edit:",
                     expanded=APPLIED_KEY in st.session_state):
        if message := st.session_state.pop(APPLIED_KEY, None):
            st.success(message)
        st.caption("Une ligne par objectif ; codes des indicateurs, publics et types de parcours comme dans le fichier "
                   "d'objectifs (page Sources et méthodologie) ; territoire : code de la région ou d'un département. "
                   "« Appliquer » vérifie chaque ligne avec le lecteur du fichier : rien n'est appliqué tant qu'une "
                   "ligne est refusée. Les objectifs appliqués servent à toute la session (page Données pour revenir "
                   "aux objectifs fournis).")
        version = st.session_state.setdefault(VERSION_KEY, 0)
        frame = data.view(view.editor_frame)
        edited = st.data_editor(frame, key=f"ob_editor_{version}", num_rows="dynamic", hide_index=True,
                                column_config=_column_config(), width="stretch")
        content = view.objectives_file(edited)
        left, middle = st.columns(2)
        if left.button("Appliquer", key="ob_apply", type="primary"):
            if _check(content):
                data.import_file("objectives", content, FILE_NAME)
                st.session_state[VERSION_KEY] = version + 1
                st.session_state[APPLIED_KEY] = (f"Objectifs appliqués pour la session ({len(edited)} lignes, fichier "
                                                 f"« {FILE_NAME} »).")
                st.rerun()
        middle.download_button("Télécharger le fichier d'objectifs (CSV)", content, FILE_NAME, "text/csv",
                               key="ob_download", icon=":material/download:", on_click="ignore")
        _save_in_folder(content)


def _check(content: bytes) -> bool:
    """Read back with the objectives reader; every refused line named, nothing applied."""
    checked = view.check_objectives(data.datasets(), content)
    if checked["error"]:
        st.error(f"Objectifs non appliqués : {checked['error']}")
        return False
    if checked["set_aside"]:
        st.error(f"Objectifs non appliqués : {len(checked['set_aside'])} ligne(s) refusée(s), à corriger dans le "
                 "tableau :\n\n" + "\n".join(f"- {line}" for line in checked["set_aside"]))
        return False
    return True


def _save_in_folder(content: bytes) -> None:
    """When ``PRIC_DATA_DIR`` is configured and writable: save the file there as ``objectifs.csv`` (an existing file
    of that name replaced only when the user ticks it)."""
    from lib.datasets.workspace import SETTING, configured_dir

    folder = configured_dir()
    if folder is None:
        return
    if not folder.is_dir() or not os.access(folder, os.W_OK):
        st.caption(f"Le dossier configuré ({SETTING}) n'est pas accessible en écriture : téléchargez le fichier et "
                   "déposez-le dans le dossier.")
        return
    target = folder / FILE_NAME
    replace = True
    if target.exists():
        replace = st.checkbox(f"Remplacer le fichier « {FILE_NAME} » existant du dossier configuré", key="ob_replace")
    in_use = data.file_in_use("objectives")
    if st.button(f"Enregistrer dans le dossier configuré ({SETTING})", key="ob_save", disabled=not replace):
        if not _check(content):
            return
        try:
            target.write_bytes(content)
        except OSError as err:
            st.error(f"Fichier non enregistré dans « {folder} » : {err.strerror}.")
            return
        note = ""
        if in_use.status == "configure" and in_use.name != FILE_NAME:
            note = (f" Le dossier contient aussi « {in_use.name} » : le fichier d'objectifs modifié le plus récemment "
                    "est utilisé.")
        st.success(f"Enregistré : « {target} ». Le dossier est lu au démarrage du serveur : toutes les sessions "
                   f"l'utiliseront après le prochain redémarrage.{note}")
