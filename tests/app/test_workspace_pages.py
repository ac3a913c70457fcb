"""The data workspace through the pages (AppTest): a file accepted once is used by every page, the
filters follow the data, two sessions never see each other's files, Données lists what is in use."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import DEMO, ROOT
from tests.conftest import FIXTURES, zipped

APP = str(ROOT / "app.py")


def _app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    return at


def _offer_zip() -> bytes:
    return zipped({"offre.xml": (DEMO / "offre_demo_84.xml").read_bytes().replace(b"(d\xc3\xa9monstration)", b"")})


def _records_csv() -> bytes:
    records = pd.read_parquet(DEMO / "records_demo_84.parquet").head(4000)
    return records.to_csv(index=False, sep=";").encode("cp1252")


@pytest.fixture(scope="module")
def imported() -> AppTest:
    """One session that imported an offer and records on the page Données."""
    at = _app()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_offer").set_value(("export_carif.zip", _offer_zip(), "application/zip")).run()
    at.file_uploader(key="donnees_records").set_value(("extraction.csv", _records_csv(), "text/csv")).run()
    assert not at.exception and not at.error
    return at


def test_donnees_lists_what_is_in_use(imported):
    text = " ".join(m.value for m in imported.markdown)
    assert "« export_carif.zip »" in text and "« extraction.csv »" in text and ":blue-badge[importé]" in text
    assert "4\u202f000 lues, 4\u202f000 conservées, 0 écartées" in text


@pytest.mark.parametrize("page", ["pages/zones_blanches.py", "pages/parcours.py", "pages/fiche_departement.py",
                                  "pages/diagnostic.py"])
def test_an_accepted_file_is_used_by_every_page(imported, page, monkeypatch):
    from lib.app import data

    imported.switch_page(page).run()
    assert not imported.exception and not imported.error
    # what the page drew from the imported files stayed in the session (no shared view, chart or table of them)
    session = imported.session_state[data.DATASETS_KEY]
    shared = data.shared_datasets("84").store.used()
    assert not [key for key, (used, origin) in shared.items() if origin == session.key and used & session.imported_kinds]
    mine = session.store.used()
    assert any(name.startswith("view:") for name, _ in mine)
    assert all(used & session.imported_kinds for used, _ in mine.values())
    warnings = " ".join(w.value for w in imported.warning)
    assert "Offre de démonstration" not in warnings and "zones blanches" not in warnings
    if page != "pages/zones_blanches.py":  # imported records without denominators: no demonstration anywhere
        assert "Données de démonstration" not in warnings
    captions = " ".join(c.value for c in imported.caption)
    if page in ("pages/zones_blanches.py", "pages/parcours.py"):
        assert "export_carif.zip" in captions or "extraction.csv" in captions


def test_the_badge_says_importe_in_the_run_that_accepted_the_file():
    at = _app()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_records").set_value(("extraction.csv", _records_csv(), "text/csv")).run()
    card = next(m.value for m in at.markdown if "« extraction.csv »" in m.value)
    assert "**En usage** : :blue-badge[importé]" in card, card
    assert ":orange-badge[démonstration]" not in card


def test_another_session_does_not_see_the_import(imported):
    other = _app()
    other.switch_page("pages/donnees.py").run()
    text = " ".join(m.value for m in other.markdown)
    assert "export_carif.zip" not in text and "extraction.csv" not in text and ":orange-badge[démonstration]" in text


def test_dropping_a_file_goes_back_to_the_provided_data(imported):
    imported.switch_page("pages/donnees.py").run()
    imported.button(key="reset_offer").click().run()
    text = " ".join(m.value for m in imported.markdown)
    assert "export_carif.zip" not in text and "offre_demo_84.xml" in text


def test_filters_follow_the_data_after_a_new_insee_edition():
    at = _app()
    at.switch_page("pages/chomage.py").run()
    at.select_slider(key="ch_quarter").set_value("2018-T4").run()
    small = (FIXTURES / "unemployment" / "insee_complet.xlsx").read_bytes()  # T3 2024 … T3 2025
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_unemployment").set_value(("insee.xlsx", small, "application/vnd.ms-excel")).run()
    at.switch_page("pages/chomage.py").run()
    assert not at.exception and not at.error
    assert at.select_slider(key="ch_quarter").value == "2025-T3"  # the latest quarter, not 1982 nor 2018
    assert "insee.xlsx" in " ".join(c.value for c in at.caption)


def test_a_configured_folder_replaces_the_bundled_files_on_every_page(tmp_path, monkeypatch):
    """PRIC_DATA_DIR: real exports recognised by content, used by every session, no demonstration banner."""
    (tmp_path / "offre_carif.zip").write_bytes(_offer_zip())
    (tmp_path / "extraction.csv").write_bytes(_records_csv())
    (tmp_path / "de.csv").write_bytes((DEMO / "denominators_demo_84.csv").read_bytes())
    (tmp_path / "notes.txt").write_text("à lire", encoding="utf-8")
    import streamlit as st

    monkeypatch.setenv("PRIC_DATA_DIR", str(tmp_path))
    st.cache_data.clear()  # the configuration is read once per server: start this "server" afresh
    st.cache_resource.clear()
    try:
        at = _app()
        for page in ["pages/zones_blanches.py", "pages/parcours.py", "pages/fiche_departement.py", "pages/diagnostic.py"]:
            at.switch_page(page).run()
            assert not at.exception and not at.error, page
            assert not any("démonstration" in w.value.lower() for w in at.warning), page
        at.switch_page("pages/donnees.py").run()
        text = " ".join(m.value for m in at.markdown)
        assert ":violet-badge[configuré]" in text and "« extraction.csv »" in text and "« offre_carif.zip »" in text
        assert "notes.txt" in " ".join(str(t.value.to_dict()) for t in at.dataframe)
    finally:
        monkeypatch.delenv("PRIC_DATA_DIR")
        st.cache_data.clear()
        st.cache_resource.clear()


def test_unknown_codes_are_mapped_on_donnees_and_the_records_read_again():
    frame = pd.read_csv(FIXTURES / "records" / "small_records.csv", dtype=str, keep_default_na=False)
    frame["outcome"] = frame["outcome"].replace({"abandon": "Sortie anticipée"})
    at = _app()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_records").set_value(("export.csv", frame.to_csv(index=False).encode(), "text/csv")).run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "8 conservées, 2 écartées" in text.replace("\u202f", " ")  # E03 (unknown outcome) and E08 set aside
    assert "Valeurs non reconnues : les associer aux codes attendus" in [h.value for h in at.subheader]  # RGAA 9.1
    at.selectbox(key="code_outcome_Sortie anticipée").set_value("abandon").run()
    at.button(key="codes_apply").click().run()
    assert not at.exception
    text = " ".join(m.value for m in at.markdown)
    assert "9 conservées, 1 écartées" in text.replace("\u202f", " ")


def test_denominators_card_says_what_is_really_used():
    """Imported records without denominators: no demonstration denominators beside them, and the card
    says « aucun »; imported denominators beside demonstration records: put aside, and said."""
    at = _app()
    at.switch_page("pages/donnees.py").run()
    den = (FIXTURES / "records" / "denominators.csv").read_bytes()
    at.file_uploader(key="donnees_denominators").set_value(("de.csv", den, "text/csv")).run()
    assert not at.exception
    assert any("jamais avec les données de démonstration" in i.value for i in at.info)
    # what was read from the file put aside is said too (its rows, anything merged or set aside)
    assert any(c.value.startswith("Dénominateurs (de.csv) : ") and "lues" in c.value for c in at.caption)
    cards = [m.value for m in at.markdown if "Dénominateurs" in m.value or "denominators_demo" in m.value]
    assert any(":orange-badge[démonstration]" in c and "denominators_demo_84.csv" in c for c in cards)
    at = _app()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_records").set_value(("extraction.csv", _records_csv(), "text/csv")).run()
    text = " ".join(m.value for m in at.markdown)
    assert ":gray-badge[aucun]" in text and "le taux d'accès n'est pas calculé" in text
