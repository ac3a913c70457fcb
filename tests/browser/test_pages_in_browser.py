"""The app in a real headless Chromium: each page loads, its map polygons and its chart drew."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import chart_drew, map_drew, wait_app_idle, wait_until


def _open(driver, url: str) -> None:
    driver.get(url)
    wait_app_idle(driver)


def _page_text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def test_home_shows_key_figures(driver, app_url):
    _open(driver, app_url)
    metrics = wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricValue"]'))
    driver.save_screenshot(str(ARTIFACTS / "accueil.png"))
    assert metrics and len(metrics) >= 3
    assert "Population" in _page_text(driver)


def test_unemployment_page_draws_map_and_chart(driver, app_url):
    _open(driver, f"{app_url}/chomage")
    state = map_drew(driver)
    assert state.get("leaflet"), "Leaflet ne s'est pas chargé (ressources statiques locales ?)"
    assert state.get("paths") == 12, f"12 départements attendus, état de la carte : {state}"
    assert state.get("legend") == 1
    chart = chart_drew(driver)
    driver.save_screenshot(str(ARTIFACTS / "chomage.png"))
    assert chart["charts"] >= 1 and chart["pixels"] > 50, chart


def test_sources_page_lists_datasets(driver, app_url):
    _open(driver, f"{app_url}/sources")
    wait_until(lambda: "Jeux de données" in _page_text(driver))
    driver.save_screenshot(str(ARTIFACTS / "sources.png"))
    assert "Licence" in _page_text(driver) or driver.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]')
