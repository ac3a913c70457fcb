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


def test_direct_link_on_fresh_server_goes_through_navigation(driver, app_url):
    # First request of the session-scoped server: a page URL, as a shared link would be.
    _open(driver, f"{app_url}/chomage")
    def nav_text():
        found = driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNav"]')
        return found[0].text if found and "Territoires prioritaires" in found[0].text else ""
    text = wait_until(nav_text, timeout=30)
    assert "Chômage localisé" in text and "Territoires prioritaires" in text, text
    assert "app" not in text.split("\n")  # the old file-based menu lists the entry script as "app"


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
    # the heading comes first; the datasets in use (and what each covers) follow once their files are read
    wait_until(lambda: "Jeux de données" in _page_text(driver) and "Licence" in _page_text(driver), 60)
    driver.save_screenshot(str(ARTIFACTS / "sources.png"))
    assert "Licence" in _page_text(driver) and "En usage sur toutes les pages" in _page_text(driver)


def test_territories_page_draws_both_maps(driver, app_url):
    _open(driver, f"{app_url}/territoires")
    frames = wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')) >= 2)
    assert frames
    departments = map_drew(driver)
    assert departments.get("paths") == 12, departments
    commune_frame = driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')[1]
    driver.execute_script("arguments[0].scrollIntoView();", commune_frame)
    communes = map_drew(driver, index=1, min_pixels=1000)
    driver.save_screenshot(str(ARTIFACTS / "territoires.png"))
    assert communes.get("canvasPixels", 0) > 1000, communes  # 4 025 communes drawn on a canvas
    assert communes.get("legend") == 1
    # Second visit: the server-side map is cached; it must draw again (streamlit-folium renames
    # elements while rendering, so a shared map object once broke here).
    _open(driver, f"{app_url}/territoires")
    wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')) >= 2)
    again = map_drew(driver, index=1, min_pixels=1000)
    assert again.get("canvasPixels", 0) > 1000, again


def test_white_zones_page_draws_communes_and_clusters(driver, app_url):
    _open(driver, f"{app_url}/zones_blanches")
    state = map_drew(driver, timeout=60, min_pixels=1000)
    driver.save_screenshot(str(ARTIFACTS / "zones_blanches.png"))
    assert state.get("canvasPixels", 0) > 1000, state
    frame = driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')[0]
    driver.switch_to.frame(frame)
    try:
        clusters = wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, ".marker-cluster, .leaflet-marker-icon"))
    finally:
        driver.switch_to.default_content()
    assert clusters, "aucun lieu de formation dessiné"
    assert "Offre de démonstration" in _page_text(driver)


def test_pathways_page_draws_charts(driver, app_url):
    _open(driver, f"{app_url}/parcours")
    wait_until(lambda: driver.execute_script("return document.querySelectorAll('.vega-embed').length") >= 8, 60)
    chart = chart_drew(driver, timeout=60)
    driver.save_screenshot(str(ARTIFACTS / "parcours.png"))
    assert chart["charts"] >= 8 and chart["pixels"] > 50, chart
    assert "Données de démonstration" in _page_text(driver)


def test_department_sheet_draws_charts_and_map(driver, app_url):
    _open(driver, f"{app_url}/fiche_departement?dep=03")
    wait_until(lambda: "Fiche département — Allier (03)" in _page_text(driver), 90)
    wait_until(lambda: driver.execute_script("return document.querySelectorAll('.vega-embed').length") >= 3, 90)
    chart = chart_drew(driver, timeout=90)
    image = wait_until(lambda: driver.execute_script(
        "const i = document.querySelector('[data-testid=\"stImage\"] img'); return i && i.complete && i.naturalWidth;"), 60)
    driver.save_screenshot(str(ARTIFACTS / "fiche_departement.png"))
    assert chart["charts"] >= 2 and chart["pixels"] > 50, chart
    assert image and image > 300, "la carte statique n'est pas dessinée"
    assert "dépasse de" in _page_text(driver)


def test_diagnosis_page_draws_scatter(driver, app_url):
    _open(driver, f"{app_url}/diagnostic")
    chart = chart_drew(driver, timeout=90, min_pixels=25)  # an SVG scatter: a few dozen marks, not 50
    driver.save_screenshot(str(ARTIFACTS / "diagnostic.png"))
    # 12 departments: a point and a label each, plus the median rules and the shaded quadrant.
    assert chart["charts"] >= 1 and chart["pixels"] >= 26, chart
    assert "sous-dotés" in _page_text(driver) or "Sous-doté" in _page_text(driver)


SIDEBAR_WIDTH_JS = "const s = document.querySelector('[data-testid=stSidebar]'); return s ? s.getBoundingClientRect().width : 0;"


def test_presentation_mode_at_1280x720(driver, app_url):
    driver.set_window_size(1280, 720)
    try:
        driver.get(f"{app_url}/fiche_departement?dep=03&presentation=1")
        wait_until(lambda: "Fiche département — Allier (03)" in _page_text(driver), 90)
        chart_drew(driver, timeout=90)
        driver.save_screenshot(str(ARTIFACTS / "presentation_1280x720.png"))
        sidebar = driver.execute_script(SIDEBAR_WIDTH_JS)
        title_size = driver.execute_script("return parseFloat(getComputedStyle(document.querySelector('h1')).fontSize);")
        assert sidebar == 0, "la barre latérale doit être masquée"
        assert title_size >= 36, title_size
        assert "Quitter le mode présentation" in _page_text(driver)
    finally:
        driver.set_window_size(1440, 900)


QPV_LAYERS_JS = """
const name = Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map);
if (!name) { return null; }
const map = window[name];
let quarters = 0, tip = '';
map.eachLayer(l => {
  if (l.feature && l.options && l.options.fillColor === '#6a3d9a') {
    quarters++;
    if (!tip && l.getTooltip()) { tip = l.getTooltip().getContent(); }
  }
});
return {quarters: quarters, tip: tip};
"""


def test_commune_map_draws_qpv_2024_contours(driver, app_url):
    driver.set_window_size(1366, 900)
    try:
        _open(driver, f"{app_url}/territoires?qpv=2024")
        wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')) >= 2)
        frame = driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')[1]
        driver.execute_script("arguments[0].scrollIntoView();", frame)
        map_drew(driver, index=1, min_pixels=1000)

        def quarters():
            driver.switch_to.frame(driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')[1])
            try:
                state = driver.execute_script(QPV_LAYERS_JS)
            finally:
                driver.switch_to.default_content()
            return state if state and state["quarters"] >= 145 else None
        state = wait_until(quarters, 40)
        driver.save_screenshot(str(ARTIFACTS / "territoires_qpv2024_1366x900.png"))
        assert state and state["quarters"] == 145, state  # the 145 quarters of the 2024 list, as contours
        assert "Population (RP 2020)" in state["tip"] and "hab." in state["tip"]
        # Zoomed on Lyon, the contours are readable quarter by quarter.
        driver.switch_to.frame(frame)
        try:
            driver.execute_script("const n = Object.keys(window).find(k => k.startsWith('map_') && window[k] instanceof L.Map);"
                                  "window[n].setView([45.75, 4.87], 12);")
        finally:
            driver.switch_to.default_content()
        wait_until(lambda: False, 2)
        driver.save_screenshot(str(ARTIFACTS / "territoires_qpv2024_lyon_1366x900.png"))
    finally:
        driver.set_window_size(1440, 900)
