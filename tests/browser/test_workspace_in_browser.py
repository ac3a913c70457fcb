"""Bring your own data in a real browser: files imported on Données are used by the other pages
(reached through the navigation, as a user does) and by the sheet's PDF."""
from __future__ import annotations

import shutil
import time

import pandas as pd
from pypdf import PdfReader
from selenium.webdriver.common.by import By

from lib.core.config import DEMO
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import map_drew, wait_app_idle, wait_until
from tests.conftest import FIXTURES


def _text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def _exceptions(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid=stException]")]


def _click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def _navigate(driver, url_path: str) -> None:
    driver.find_element(By.CSS_SELECTOR, f"[data-testid=stSidebarNav] a[href$='/{url_path}']").click()
    time.sleep(0.5)
    wait_app_idle(driver)


def _upload(driver, key: str, path) -> None:
    selector = f".st-key-donnees_{key} input[type=file]"
    # a run of the page may still be redrawing its cards (two workers load the machine): wait for the uploader
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, selector), 60)
    driver.find_element(By.CSS_SELECTOR, selector).send_keys(str(path))
    wait_until(lambda: f"« {path.name} »" in _text(driver), 90)


def test_files_imported_on_donnees_are_used_by_the_other_pages_and_the_pdf(driver, app_url, tmp_path):
    offer = tmp_path / "export_carif.xml"
    shutil.copy(DEMO / "offre_demo_84.xml", offer)
    edition = tmp_path / "insee_edition.xlsx"
    shutil.copy(FIXTURES / "unemployment" / "insee_complet.xlsx", edition)
    driver.get(f"{app_url}/donnees")
    wait_app_idle(driver)
    wait_until(lambda: "Dénominateurs de l'accès" in _text(driver), 60)
    _upload(driver, "offer", offer)
    _upload(driver, "unemployment", edition)
    driver.save_screenshot(str(ARTIFACTS / "donnees_importe.png"))
    assert not _exceptions(driver)

    _navigate(driver, "zones_blanches")
    state = map_drew(driver, timeout=60, min_pixels=1000)
    driver.save_screenshot(str(ARTIFACTS / "zones_blanches_importe.png"))
    assert state.get("canvasPixels", 0) > 1000, state
    text = _text(driver)
    assert "export_carif.xml" in text and "Offre de démonstration" not in text and not _exceptions(driver)

    _navigate(driver, "fiche_departement")
    wait_until(lambda: "Fiche département" in _text(driver), 90)
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    _click(driver, wait_until(lambda: driver.find_elements(By.XPATH, "//summary[contains(., 'Exporter la fiche')]"), 90)[0])
    _click(driver, wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".st-key-fd_export button"), 30)[0])
    _click(driver, wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".st-key-dl_pdf button"), 90)[0])
    pdf = wait_until(lambda: next(iter(tmp_path.glob("fiche_*.pdf")), None), 60)
    time.sleep(1)
    assert driver.find_elements(By.CSS_SELECTOR, ".st-key-dl_png3 button")  # the other files stay offered
    text = " ".join(page.extract_text() for page in PdfReader(pdf).pages)
    assert "insee_edition.xlsx" in text, text[-600:]
    assert not _exceptions(driver)

    # A table's CSV is written when its button is clicked (deferred download), from the imported edition.
    _navigate(driver, "chomage")
    wait_until(lambda: "Chômage localisé" in _text(driver), 90)
    button = wait_until(lambda: driver.find_elements(By.XPATH, "//button[contains(., 'Télécharger le tableau (CSV)')]"), 90)
    _click(driver, button[0])
    csv = wait_until(lambda: next(iter(tmp_path.glob("chomage_84_*.csv")), None), 60)
    time.sleep(1)
    table = pd.read_csv(csv, dtype=str)
    assert len(table) == 15 and set(table["donnees"]) == {"réelles"}, table  # 12 departments, the region, 2 France
    assert set(table["code"]) >= {"01", "69", "74"} and table["niveau"].value_counts()["departement"] == 12
    assert set(table.loc[table["niveau"].ne("departement"), "departement"]) == {
        "Auvergne-Rhône-Alpes", "France métropolitaine", "France hors Mayotte"}
    assert not _exceptions(driver)


def test_a_file_over_the_limit_is_refused_in_french_by_the_browser(driver, app_url, tmp_path):
    """Streamlit's browser-side refusal said « File must be 200.0MB or smaller. » (issue 26)."""
    import os

    big = tmp_path / "entrees_2019_2024.csv"
    big.write_bytes(b"")
    os.truncate(big, 201 * 1024**2)  # sparse: the browser checks the size before reading anything
    driver.get(f"{app_url}/donnees")
    wait_app_idle(driver)
    selector = ".st-key-donnees_records input[type=file]"
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, selector), 60)
    driver.find_element(By.CSS_SELECTOR, selector).send_keys(str(big))
    wait_until(lambda: "Fichier trop volumineux : 200 Mo au plus" in _text(driver), 30)
    driver.save_screenshot(str(ARTIFACTS / "donnees_trop_gros.png"))
    assert "File must be" not in _text(driver) and not _exceptions(driver)
    alert = driver.find_element(By.CSS_SELECTOR, "[data-testid=stFileChip] [role=alert]")
    assert alert.get_attribute("textContent").startswith("Erreur : Fichier trop volumineux")
    remove = driver.find_element(By.CSS_SELECTOR, "[data-testid=stFileChipDeleteBtn] button")
    assert remove.get_attribute("aria-label") == "Retirer entrees_2019_2024.csv"
