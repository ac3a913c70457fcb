"""Broken or unusual files on the page Données (AppTest, issue 19): one French refusal on the card, no
traceback, every card still drawn; a zipped table is read and says so."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT
from lib.datasets.workspace import KIND_LABELS
from tests.conftest import FIXTURES, zipped
from tests.unit.test_broken_files import protected_xlsx

APP = str(ROOT / "app.py")
SMALL = FIXTURES / "records" / "small_records.csv"


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    assert not at.exception
    return at


def _cards_drawn(at: AppTest) -> None:
    assert not at.exception
    assert [h.value for h in at.header] == list(KIND_LABELS.values())
    assert not any("La carte" in e.value for e in at.error)  # no card fell back on its guard


def _truncated_parquet(tmp_path) -> bytes:
    path = tmp_path / "entrees.parquet"
    pd.read_csv(SMALL, dtype=str).to_parquet(path)
    return path.read_bytes()[:300]


def test_the_size_limit_is_said_in_french(page):
    assert "Taille maximale : 200 Mo par fichier" in " ".join(c.value for c in page.caption)
    assert "200 Mo au plus par fichier" in page.file_uploader(key="donnees_records").help


@pytest.mark.parametrize("name, data, message", [
    ("entrees.xlsx", "protected", "classeur protégé par un mot de passe"),
    ("entrees.parquet", "parquet", "fichier parquet incomplet ou endommagé"),
    ("deux.zip", "two", "archive zip : décompressez-la"),
    ("export.xls", "html2", "page HTML enregistrée sous .xls"),
])
def test_a_broken_records_file_gives_one_french_refusal_and_every_card(page, tmp_path, name, data, message):
    content = {"protected": protected_xlsx, "parquet": lambda: _truncated_parquet(tmp_path),
               "two": lambda: zipped({"a.csv": SMALL.read_bytes(), "b.csv": SMALL.read_bytes()}),
               "html2": lambda: ("<html><body>" + pd.read_csv(SMALL).to_html() * 2 + "</body></html>").encode()}[data]()
    page.file_uploader(key="donnees_records").set_value((name, content, "application/octet-stream")).run()
    _cards_drawn(page)
    errors = [e.value for e in page.error]
    assert len(errors) == 1 and message in errors[0] and name in errors[0]
    assert not page.selectbox  # no column editor for a file no header can be read from
    text = " ".join(m.value for m in page.markdown)
    assert "records_demo_84.parquet" in text  # the data in use are unchanged, and said
    page.file_uploader(key="donnees_records").set_value(None).run()


def test_a_zipped_csv_is_read_on_its_card_and_said(page):
    data = zipped({"entrees.csv": SMALL.read_bytes()})
    page.file_uploader(key="donnees_records").set_value(("entrees.zip", data, "application/zip")).run()
    _cards_drawn(page)
    assert not page.error
    text = " ".join(m.value for m in page.markdown).replace("\u202f", " ")
    assert ":blue-badge[importé]" in text and "« entrees.zip »" in text
    assert "10 lues, 9 conservées, 1 écartées" in text
    assert "Fichier lu dans l'archive « entrees.zip » : « entrees.csv »." in " ".join(c.value for c in page.caption)
    page.button(key="reset_records").click().run()
    _cards_drawn(page)


def test_a_selection_of_ongoing_entries_is_not_told_empty():
    """Entries exist for 2024 but none has left training: « Aucune entrée » would be false."""
    data = SMALL.read_bytes() + b"E11,P10,2024-02-01,,01053,30,F,4,0,0,0,0,0,1,certifiant,1,,en_cours,,,,\n"
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/parcours.py").run()
    at.file_uploader(key="records_upload").set_value(("entrees.csv", data, "text/csv")).run()
    assert not at.exception and not at.error
    at.selectbox(key="pr_year").set_value(2024).run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "1 entrée(s) correspondent à ces filtres, toutes encore en cours" in infos
    assert "Aucune entrée" not in infos


def test_two_commune_columns_are_asked_on_donnees_and_the_choice_applied():
    from tests.unit.test_broken_files import two_communes

    data = two_communes("Commune du lieu de formation", "Code commune").to_csv(index=False).encode()
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_records").set_value(("export.csv", data, "text/csv")).run()
    _cards_drawn(at)
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and "« Commune du lieu de formation », « Code commune »" in errors[0]
    assert any("rien n'est deviné" in w.value for w in at.warning)
    choice = at.selectbox(key="map_residence_commune")
    assert choice.value is None  # not guessed
    assert at.button(key="map_apply").disabled
    choice.set_value("Code commune").run()
    assert not at.button(key="map_apply").disabled
    at.button(key="map_apply").click().run()
    _cards_drawn(at)
    assert not at.error
    text = " ".join(m.value for m in at.markdown).replace("\u202f", " ")
    assert ":blue-badge[importé]" in text and "10 lues, 9 conservées, 1 écartées" in text
    from lib.app.data import MAPPING_KEY

    assert at.session_state[MAPPING_KEY].columns == {"Code commune": "residence_commune"}


def test_records_on_two_sheets_are_counted_whole_on_the_card(tmp_path):
    from tests.unit.test_broken_files import demo_rows, workbook

    rows = demo_rows(210)
    path = tmp_path / "entrees.xlsx"
    workbook(path, {"2023": rows.iloc[:120], "2024": rows.iloc[120:].drop(columns=["nsf"]), "2022": rows.iloc[:0]})
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_records").set_value(("entrees.xlsx", path.read_bytes(), "application/vnd.ms-excel")).run()
    _cards_drawn(at)
    assert not at.error
    text = " ".join(m.value for m in at.markdown).replace("\u202f", " ")
    assert "120 lues" in text  # only the sheet 2023 has the full header…
    warnings = " ".join(m.value for m in at.markdown if m.value.startswith("**Avertissements**"))
    assert "feuille « 2024 » non lue" in warnings  # …and the sheet left out is said on the card's report, whole
    assert "(sans Domaine de formation NSF (nsf))" in warnings


def _downloads(at: AppTest) -> list[str]:
    """The labels of the page's download buttons."""
    return [element.proto.label for element in at.get("download_button")]


def test_mapping_in_french_then_the_profile_in_use_stays_downloadable_and_editable():
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False).rename(columns={"outcome": "Situation finale"})
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_records").set_value(("export.csv", frame.to_csv(index=False).encode(), "text/csv")).run()
    _cards_drawn(at)
    error = at.error[0].value
    assert "colonne(s) obligatoire(s) absente(s) : Issue de la formation (outcome). Colonnes reconnues : " \
           "Identifiant de l'entrée (entry_id), Identifiant de la personne (person_id)" in error
    assert at.selectbox(key="map_entry_id").label == "Identifiant de l'entrée (entry_id)"
    assert at.selectbox(key="map_registered_job_seeker").label == "Inscrit comme demandeur d'emploi (registered_job_seeker)"
    assert at.selectbox(key="map_employed_6m").label == "En emploi à 6 mois (employed_6m)"
    assert not any(s.label in ("entry_id", "outcome", "period", "nsf") for s in at.selectbox)
    assert at.selectbox(key="map_period").value == "Situation finale"  # a guess by similarity (« mois_situation »)
    at.selectbox(key="map_outcome").set_value("Situation finale").run()
    # One column chosen for two fields: said, and « Appliquer » waits (the profile would keep only one).
    assert any("« Situation finale » est choisie pour plusieurs champs : Issue de la formation (outcome), "
               "Mois de la ligne (une ligne par mois) (period)" in w.value for w in at.warning)
    assert at.button(key="map_apply").disabled
    assert "Associer les colonnes du fichier aux champs attendus" in [h.value for h in at.subheader]  # RGAA 9.1
    at.selectbox(key="map_period").set_value("(aucune)").run()
    at.button(key="map_apply").click().run()
    _cards_drawn(at)
    assert not at.error
    text = " ".join(m.value for m in at.markdown).replace("\u202f", " ")
    assert ":blue-badge[importé]" in text and "10 lues, 9 conservées, 1 écartées" in text
    # After « Appliquer »: the profile in use is said, downloadable, and its correspondence can be changed.
    assert "Profil d'association en usage" in [h.value for h in at.subheader]  # a heading (RGAA 9.1), not bold text
    assert "1 colonne(s) associée(s), 0 valeur(s) associée(s) à un code." in text
    assert "Télécharger le profil en usage (JSON)" in _downloads(at)
    # the rejected line's table has its named accessible equivalent (RGAA 5.4, 7.1)
    assert any("<caption>Lignes écartées — " in h.proto.body for h in at.get("html") if "pric-sr-table" in h.proto.body)
    assert "Modifier la correspondance" in [e.label for e in at.expander]
    assert at.selectbox(key="map_outcome").value == "Situation finale"  # the editor starts from the profile in use
    # A correspondence the file in use cannot be read with is refused; the profile in use stays.
    at.selectbox(key="map_outcome").set_value("(aucune)").run()
    at.button(key="map_apply").click().run()
    assert any("Association non retenue" in e.value and "Issue de la formation (outcome)" in e.value for e in at.error)
    from lib.app.data import MAPPING_KEY

    assert at.session_state[MAPPING_KEY].columns == {"Situation finale": "outcome"}
    # The report: French headers on screen, one observation date on the card.
    table = next(d.value for d in at.dataframe if "Motif" in d.value.columns)
    assert list(table.columns) == ["Type", "Motif", "Lignes", "Numéros de ligne"]
    facts_and_notes = text + " ".join(c.value for c in at.caption)
    assert facts_and_notes.count("Date d'observation") == 1


def test_the_offer_card_counts_offers_says_identical_files_and_the_sessions_period():
    from tests.unit.test_offer_classes import _formation, _offer, _session

    offer = _offer(_formation("F1", [_session("20240902", "20250630"), _session("20260105", "20270226")]),
                   _formation("F2", [_session("20250301", "20250615")]))
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_offer").set_value(("export.zip", zipped({"a.xml": offer, "b/a.xml": offer}),
                                                      "application/zip")).run()
    _cards_drawn(at)
    assert not at.error
    text = " ".join(m.value for m in at.markdown).replace("\u202f", " ")
    assert "**Offres (formations)** : 2 lues, 2 conservées, 0 écartées" in text
    assert "**Sessions × lieux** : 3" in text
    assert "**Période des sessions** : 09/2024 – 02/2027 (premier début – dernière fin)" in text
    captions = " ".join(c.value for c in at.caption)
    assert "2 fichiers XML identiques dans l'archive (« a.xml », « b/a.xml ») : lus une fois." in captions
    # The page Sources says what the imported files cover, as the card does.
    at.switch_page("pages/sources.py").run()
    assert not at.exception
    listing = next(m.value for m in at.markdown if "En usage sur toutes les pages" in m.value)
    assert "fichier importé « export.zip »" in listing and "Période des sessions : 09/2024 – 02/2027" in listing
    assert "Date d'observation (extraction) : 31/03/2023" in listing  # the records in use (demonstration)


def test_a_reload_losing_the_imports_is_said_once_a_file_is_imported():
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    assert not any("Recharger la page (F5)" in i.value for i in at.info)
    at.file_uploader(key="donnees_records").set_value(("entrees.csv", SMALL.read_bytes(), "text/csv")).run()
    assert not at.exception
    assert any("Recharger la page (F5)" in i.value and "jamais gardés" in i.value for i in at.info)
    assert "fichiers" not in at.query_params  # personal records are never kept on the server


def test_a_public_file_imported_is_kept_and_found_again_by_the_address(tmp_path):
    """Issue 28: an upload was lost on reload or on a shared link. The Insee workbook (public) is kept on the
    server, the address carries its token, a new session opened on that address finds it."""
    from tests.fixtures.make_unemployment_fixtures import DEPS, insee_rows, workbook_bytes

    book = workbook_bytes(("Département", insee_rows(DEPS)))
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_unemployment").set_value(("insee_edition.xlsx", book, "application/octet-stream")).run()
    assert not at.exception
    token = at.query_params["fichiers"][0] if isinstance(at.query_params["fichiers"], list) else at.query_params["fichiers"]
    assert token.startswith("unemployment:")
    again = AppTest.from_file(APP, default_timeout=150)  # a reload: a new session on the same address
    again.query_params["fichiers"] = token
    again.run()
    again.switch_page("pages/donnees.py").run()
    assert not again.exception
    assert any("« insee_edition.xlsx »" in m.value and "importé" in m.value for m in again.markdown)
    gone = AppTest.from_file(APP, default_timeout=150)
    gone.query_params["fichiers"] = "unemployment:0123456789abcdef0123456789"
    gone.run()
    assert any("n'est plus sur ce serveur" in w.value for w in gone.warning)
