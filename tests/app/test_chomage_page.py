"""The page Chômage localisé with another Insee edition (AppTest): the quarter follows the data in
use (an older or newer edition, then back to the provided one, on Données or on the page), and a
refused file gives its French message on the page."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT
from tests.fixtures.make_unemployment_fixtures import DEPS, insee_rows, workbook_bytes

APP = str(ROOT / "app.py")
BUNDLED_LATEST = "2025-T3"  # sl_etc_2025T3.xls


def _edition(quarters: list[str]) -> bytes:
    """An Insee workbook over ``quarters`` (the three fixture departments, their five rates)."""
    return workbook_bytes(("Département", insee_rows(DEPS, quarters=quarters)))


OLDER = _edition(["T4_2023", "T1_2024", "T2_2024", "T3_2024", "T4_2024"])
NEWER = _edition(["T1_2025", "T2_2025", "T3_2025", "T4_2025", "T1_2026"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(APP, default_timeout=150)
    app.run()
    app.switch_page("pages/chomage.py").run()
    assert app.select_slider(key="ch_quarter").value == BUNDLED_LATEST
    return app


def _chomage(at: AppTest) -> AppTest:
    at.switch_page("pages/chomage.py").run()
    assert not at.exception and not at.error
    return at


def _table_title(at: AppTest) -> str:
    return next(f"**{h.value}**" for h in at.header if h.value.startswith("Tableau — "))  # a heading (RGAA 9.1)


def test_older_edition_then_back_to_provided_data_on_donnees(at):
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_unemployment").set_value(("ancienne.xlsx", OLDER, XLSX)).run()
    assert not at.error
    assert _chomage(at).select_slider(key="ch_quarter").value == "2024-T4"
    at.switch_page("pages/donnees.py").run()
    at.button(key="reset_unemployment").click().run()
    _chomage(at)
    # was left on 2024-T4, a quarter the provided file also has: the latest of the data in use instead
    assert at.select_slider(key="ch_quarter").value == BUNDLED_LATEST
    assert at.selectbox(key="ch_start").value == "2015-T3"  # 40 quarters back, not the old edition's first
    assert _table_title(at) == "**Tableau — 3e trimestre 2025**"
    assert "ancienne.xlsx" not in " ".join(c.value for c in at.caption)


def test_newer_edition_then_back_to_provided_data_on_the_page(at):
    at.file_uploader(key="unemployment_upload").set_value(("nouvelle.xlsx", NEWER, XLSX)).run()
    assert not at.exception and not at.error
    assert at.select_slider(key="ch_quarter").value == "2026-T1"  # was on 2025-T3, the provided latest
    assert _table_title(at) == "**Tableau — 1er trimestre 2026**"
    # the file stays in the uploader (as in the browser): going back must not import it again
    at.button(key="unemployment_reset").click().run()
    assert not at.exception and not at.error
    assert at.select_slider(key="ch_quarter").value == BUNDLED_LATEST
    assert _table_title(at) == "**Tableau — 3e trimestre 2025**"
    assert not any("nouvelle.xlsx" in c.value for c in at.sidebar.caption)
    # the same file given again (a new uploader entry) is used again
    at.file_uploader(key="unemployment_upload").set_value(("nouvelle.xlsx", NEWER, XLSX)).run()
    assert at.select_slider(key="ch_quarter").value == "2026-T1"


def test_back_to_provided_data_on_donnees_with_the_file_still_in_its_uploader(at):
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_unemployment").set_value(("ancienne.xlsx", OLDER, XLSX)).run()
    at.button(key="reset_unemployment").click().run()
    assert not at.exception and not at.error
    card = next(m.value for m in at.markdown if "**Producteur** : Insee" in m.value)
    assert ":green-badge[fourni]" in card and "« sl_etc_2025T3.xls »" in card and "ancienne.xlsx" not in card
    assert _chomage(at).select_slider(key="ch_quarter").value == BUNDLED_LATEST


def test_a_quarter_the_user_chose_stays_when_still_possible(at):
    at.select_slider(key="ch_quarter").set_value("2025-T1").run()
    at.file_uploader(key="unemployment_upload").set_value(("nouvelle.xlsx", NEWER, XLSX)).run()
    assert at.select_slider(key="ch_quarter").value == "2025-T1"
    assert _table_title(at) == "**Tableau — 1er trimestre 2025**"


def test_uploader_takes_any_file_so_the_reader_says_why_in_french(at):
    uploader = at.file_uploader(key="unemployment_upload")
    assert list(uploader.proto.type) == []  # no browser-side refusal with an English tooltip
    uploader.set_value(("taux.csv", b"code;libelle;taux\n01;Ain;5,7\n", "text/csv")).run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        "« taux.csv » n'est pas le tableau Insee des taux de chômage localisés (ni classeur, ni CSV avec une ligne "
        "« Code ; Libellé ; T1_1982 … ») : téléchargez le fichier .xls d'Insee (insee.fr/fr/statistiques/2012804) et "
        "importez-le tel quel."]  # issue 26: the way out, not « vérifiez qu'il s'agit bien du fichier Insee »
    assert any("Les données en usage sont conservées" in i.value for i in at.info)
    assert at.select_slider(key="ch_quarter").value == BUNDLED_LATEST  # the provided file still in use


def test_another_series_is_refused_on_the_page(at):
    defm = workbook_bytes(("Département", insee_rows(DEPS, title=["Demandeurs d'emploi en fin de mois"])))
    at.file_uploader(key="unemployment_upload").set_value(("defm.xlsx", defm, XLSX)).run()
    assert not at.exception
    message = " ".join(e.value for e in at.error)
    assert "« defm.xlsx », feuille « Département » : « Demandeurs d'emploi en fin de mois » désigne une autre série" in message
    assert at.select_slider(key="ch_quarter").value == BUNDLED_LATEST
    assert "defm.xlsx" not in " ".join(c.value for c in at.caption)
