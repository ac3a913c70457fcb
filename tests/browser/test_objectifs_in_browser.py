"""The page Objectifs du pacte in a real headless Chromium at 1366×900: the table, the bullet and trajectory
charts, the departments' contribution map drawn, no exception; screenshots in the artifacts folder."""
from __future__ import annotations

from selenium.webdriver.common.by import By

from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import map_drew, wait_app_idle, wait_until


def _exceptions(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid=stException]")]


def _charts_drawn(driver) -> int:
    """Vega charts whose canvas or SVG has a size (the bullet chart and the trajectory)."""
    return driver.execute_script(
        "return [...document.querySelectorAll('.vega-embed')].filter(e => {"
        "const c = e.querySelector('canvas, svg'); return c && c.getBoundingClientRect().width > 100"
        " && c.getBoundingClientRect().height > 100;}).length;")


def test_objectives_page_draws_table_charts_and_map(driver, app_url):
    driver.set_window_size(1366, 900)
    try:
        driver.get(f"{app_url}/objectifs")
        wait_app_idle(driver)
        wait_until(lambda: "Tableau des objectifs" in driver.find_element(By.TAG_NAME, "body").text, 90)
        text = driver.find_element(By.TAG_NAME, "body").text
        assert "Objectifs du pacte" in text and "19 objectifs" in text.replace("\u202f", " ")
        driver.save_screenshot(str(ARTIFACTS / "objectifs_1366x900.png"))
        charts = wait_until(lambda: _charts_drawn(driver) >= 2 or None, 60)
        assert charts, _charts_drawn(driver)
        chart = driver.find_elements(By.CSS_SELECTOR, ".vega-embed")[0]
        driver.execute_script("arguments[0].scrollIntoView();", chart)
        wait_app_idle(driver)
        driver.save_screenshot(str(ARTIFACTS / "objectifs_graphiques_1366x900.png"))
        frame = wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]'))
        driver.execute_script("arguments[0].scrollIntoView();", frame[0])
        state = map_drew(driver)
        driver.save_screenshot(str(ARTIFACTS / "objectifs_carte_1366x900.png"))
        assert state.get("paths") == 12, state  # the region's 12 departments
        assert state.get("legend") == 1
        assert not _exceptions(driver), _exceptions(driver)
    finally:
        driver.set_window_size(1440, 900)
