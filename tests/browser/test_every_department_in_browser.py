"""Every department of the region in a real browser, on a deployment whose configured folder
(PRIC_DATA_DIR) holds records for three departments only: each department's sheet draws (the
nine without records say so, the three with records draw their charts), and every page of the
navigation draws without an exception."""
from __future__ import annotations

import pandas as pd
import pytest
from selenium.webdriver.common.by import By

from lib.core.config import DEMO
from tests.browser.conftest import ARTIFACTS, make_driver, require_browser, serve_app, stop_app
from tests.browser.helpers import chart_drew, wait_app_idle, wait_until

DEPS = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]
COVERED = ["38", "69", "73"]
PAGES = ["", "donnees", "chomage", "territoires", "zones_blanches", "parcours", "fiche_departement", "diagnostic",
         "comparer", "ou_agir", "sources", "accessibilite"]


def _text(driver) -> str:
    return driver.find_element(By.TAG_NAME, "body").text


def _exceptions(driver) -> list[str]:
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, "[data-testid=stException]")]


@pytest.fixture(scope="module")
def configured_app(tmp_path_factory):
    require_browser()
    folder = tmp_path_factory.mktemp("configured")
    records = pd.read_parquet(DEMO / "records_demo_84.parquet")
    records = records[records["residence_commune"].str[:2].isin(COVERED)]
    records.groupby(records["residence_commune"].str[:2]).head(600).to_csv(folder / "extraction.csv", index=False,
                                                                               sep=";")
    process, url = serve_app(env={"PRIC_DATA_DIR": str(folder)}, log=ARTIFACTS.parent / "streamlit_configured.log")
    browser = make_driver(1366, 900)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    yield url, browser
    browser.quit()
    stop_app(process)


def test_every_department_sheet_draws_with_records_of_three_departments(configured_app):
    url, driver = configured_app
    for dep in DEPS:
        driver.get(f"{url}/fiche_departement?dep={dep}")
        wait_app_idle(driver)
        assert wait_until(lambda dep=dep: all(part in _text(driver) for part in (
            "Fiche département — ", f"({dep})", "Constats", "Exporter la fiche")), 90), dep
        assert not _exceptions(driver), (dep, _exceptions(driver))
        text = _text(driver)
        if dep in COVERED:
            assert "aucune entrée importée pour ce département" not in text, dep
            assert chart_drew(driver, timeout=30)["charts"] >= 2, dep
        else:
            assert "aucune entrée importée pour ce département" in text, dep
            assert "38 – Isère" in text and "69 – Rhône" in text and "73 – Savoie" in text, dep
        if dep in ("01", "38"):
            driver.save_screenshot(str(ARTIFACTS / f"fiche_configured_{dep}.png"))


def test_every_page_draws_on_the_configured_records(configured_app):
    url, driver = configured_app
    for path in PAGES:
        driver.get(f"{url}/{path}")
        wait_app_idle(driver)
        assert wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, "h1"), 60), path
        assert not _exceptions(driver), (path, _exceptions(driver))
