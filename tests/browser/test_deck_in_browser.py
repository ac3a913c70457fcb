"""The CREFOP deck as a presenter gets it (issue 28): from the Fiche of department 63, in a real browser, a
PowerPoint whose slides all have a title and whose notes name the Insee file."""
from __future__ import annotations

import time

from pptx import Presentation
from selenium.webdriver.common.by import By

from tests.browser.helpers import wait_app_idle, wait_until


def _text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def _click(driver, element) -> None:
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'}); arguments[0].click();", element)


def test_the_fiche_gives_an_editable_deck(driver, app_url, tmp_path):
    driver.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(tmp_path)})
    driver.get(f"{app_url}/fiche_departement?dep=63")
    wait_app_idle(driver)
    wait_until(lambda: "Fiche département — Puy-de-Dôme (63)" in _text(driver), 90)
    _click(driver, wait_until(lambda: driver.find_elements(By.XPATH, "//summary[contains(., 'Exporter la fiche')]"), 90)[0])
    _click(driver, wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".st-key-fd_deck button"), 30)[0])
    deck = wait_until(lambda: next(iter(tmp_path.glob("crefop_63.pptx")), None), 120)
    time.sleep(1)  # the download's last bytes
    slides = list(Presentation(deck).slides)
    assert len(slides) >= 10
    assert all(slide.shapes.title is not None and slide.shapes.title.text for slide in slides)
    assert any("sl_etc_2025T3.xls" in slide.notes_slide.notes_text_frame.text for slide in slides)
    assert not driver.find_elements(By.CSS_SELECTOR, "[data-testid=stException]")
