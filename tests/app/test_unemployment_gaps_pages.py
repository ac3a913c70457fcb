"""Issue 26 through AppTest: a workbook holding only a « Région » sheet no longer crashes the Fiche and
Comparer (an IndexError on quarters[-1]): both pages draw and say, in French, that no department has a rate;
the Chômage page says which departments have no rate for the quarter shown, and that the region's row is
missing from a « Région » sheet holding former regions only."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT
from tests.fixtures.make_unemployment_fixtures import DEPS, REGIONS, insee_rows, workbook_bytes

APP = str(ROOT / "app.py")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
REGIONS_ONLY = workbook_bytes(("Région", insee_rows(REGIONS)))
FORMER = [["82", "RHONE-ALPES", 6.4, 6.5, 6.6, 6.6, 6.7], ["83", "AUVERGNE", 7.1, 7.2, 7.3, 7.3, 7.4], *REGIONS[1:]]
# Allier's last quarter is a secret (empty cell); Ain and Corse-du-Sud have one
WITH_GAPS = workbook_bytes(("Département", insee_rows([DEPS[0], [*DEPS[1][:-1], ""], DEPS[2]])),
                           ("Région", insee_rows(FORMER)))


def _with(book: bytes, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/chomage.py").run()  # the page's own uploader: the file is then used on every page
    at.file_uploader(key="unemployment_upload").set_value(("insee.xlsx", book, XLSX)).run()
    assert not at.exception and not at.error
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    return " ".join([*(i.value for i in at.info), *(c.value for c in at.caption), *(m.value for m in at.markdown)])


def test_fiche_with_a_region_sheet_only_says_what_is_missing():
    at = _with(REGIONS_ONLY, "pages/fiche_departement.py")
    assert not at.error
    cards = {m.label: m for m in at.metric}
    assert cards["Taux de chômage"].value == "–"
    text = _texts(at)
    assert ("3e trimestre 2025 — non disponible : le fichier Insee en usage n'a pas de feuille « Département » "
            "(taux par département absents)") in text
    assert "unemployment_rate" not in text
    assert cards["Population en QPV (liste 2024)"].value.endswith("%")  # the rest of the sheet is drawn


def test_comparer_with_a_region_sheet_only_says_what_is_missing():
    at = _with(REGIONS_ONLY, "pages/comparer.py")
    assert not at.error
    assert at.session_state["cp_quarter"] == "2025-T3"  # the regions' latest quarter
    infos = [i.value for i in at.info]
    assert infos[0].startswith("Le fichier Insee en usage n'a pas de feuille « Département » : le taux de chômage et "
                               "son évolution ne sont disponibles pour aucun département")
    assert any("pairs non calculables" in i and "taux de chômage (aucune valeur pour ce département" in i for i in infos)
    assert "unemployment_rate" not in " ".join(infos)


@pytest.fixture(scope="module")
def chomage() -> AppTest:
    return _with(WITH_GAPS, "pages/chomage.py")


def test_chomage_names_the_departments_without_a_rate_for_the_quarter(chomage):
    assert chomage.select_slider(key="ch_quarter").value == "2025-T3"
    table = next(df.value for df in chomage.dataframe if "Taux" in df.value.columns or "taux" in df.value.columns)
    captions = " ".join(c.value for c in chomage.caption)
    assert ("Taux non disponible (« – ») : pas de valeur au 3e trimestre 2025 dans le fichier Insee en usage (cellule "
            "vide, secret ou valeur mise de côté) pour : Allier (03) ; absents du fichier Insee en usage : ") in captions
    assert len(table) == 12


def test_chomage_says_the_region_row_is_missing_and_the_former_regions_set_aside(chomage):
    captions = " ".join(c.value for c in chomage.caption)
    assert ("Le fichier Insee en usage n'a pas de ligne pour la région Auvergne-Rhône-Alpes (84) : sa série n'est ni "
            "tracée ni exportée (jamais une moyenne des départements) ; sa feuille « Région » donne d'anciennes régions "
            "(codes d'avant la réforme de 2016), mises de côté : 82 Rhône-Alpes, 83 Auvergne.") in captions
