"""RGAA in a real browser: axe-core 4.14.1 (vendored) on every page, with an uploaded file and in
presentation mode, at 1366×900; the page's language; the keyboard path through a page."""
from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from lib.config import ROOT
from tests.browser.a11y import PAGES, axe_source, blocking, counts, run_axe, settle
from tests.browser.conftest import ARTIFACTS
from tests.browser.helpers import map_drew, wait_until


@pytest.fixture(scope="module")
def axe_driver(driver):
    driver.set_window_size(1366, 900)
    yield driver
    driver.set_window_size(1440, 900)


def _check(driver, name: str) -> dict:
    result = run_axe(driver, axe_source())
    driver.save_screenshot(str(ARTIFACTS / f"axe_{name}.png"))
    # Figures of the last run, per page (README, statement): artifacts/axe_counts.json.
    store = ARTIFACTS.parent / "axe_counts.json"
    known = json.loads(store.read_text()) if store.exists() else {}
    known[name] = counts(result)
    store.write_text(json.dumps(known, indent=1))
    problems = blocking(result)
    assert not problems, f"{name} : violations critiques ou graves\n" + "\n".join(problems)
    return counts(result)


@pytest.mark.parametrize("path,query,title", PAGES, ids=[p[0] or "accueil" for p in PAGES])
def test_page_has_no_critical_or_serious_violation(axe_driver, app_url, path, query, title):
    axe_driver.get(f"{app_url}/{path}" + (f"?{query}" if query else ""))
    wait_until(lambda: title in axe_driver.find_element(By.TAG_NAME, "body").text, 90)
    settle(axe_driver)
    assert axe_driver.execute_script("return document.documentElement.lang") == "fr"
    _check(axe_driver, path or "accueil")


def test_page_with_an_uploaded_file(axe_driver, app_url):
    axe_driver.get(f"{app_url}/donnees")
    wait_until(lambda: axe_driver.find_elements(By.CSS_SELECTOR, ".st-key-donnees_offer input[type=file]"), 60)
    field = axe_driver.find_element(By.CSS_SELECTOR, ".st-key-donnees_offer input[type=file]")
    field.send_keys(str(ROOT / "data" / "demo" / "offre_demo_84.xml"))
    wait_until(lambda: "offre_demo_84.xml" in axe_driver.find_element(By.TAG_NAME, "body").text, 90)
    settle(axe_driver)
    _check(axe_driver, "donnees_import")
    # The imported offer is used by the white zones page of the session: checked there too.
    axe_driver.get(f"{app_url}/zones_blanches")
    wait_until(lambda: "Zones blanches de formation" in axe_driver.find_element(By.TAG_NAME, "body").text, 90)
    settle(axe_driver)
    _check(axe_driver, "zones_blanches_import")


def test_presentation_mode(axe_driver, app_url):
    axe_driver.get(f"{app_url}/fiche_departement?dep=03&presentation=1")
    wait_until(lambda: "Quitter le mode présentation" in axe_driver.find_element(By.TAG_NAME, "body").text, 90)
    settle(axe_driver)
    _check(axe_driver, "presentation")
    # Keyboard: the way out of presentation mode is reachable with Tab, and its focus is visible.
    reached = _tab_until(axe_driver, lambda info: "Quitter le mode présentation" in info["text"], 60)
    assert reached, "le bouton « Quitter le mode présentation » n'est pas atteignable au clavier"
    assert reached["outline"], reached
    axe_driver.get(f"{app_url}/fiche_departement?dep=03&presentation=0")
    settle(axe_driver)


FOCUSED_JS = """
let e = document.activeElement, frame = '';
while (e && e.tagName === 'IFRAME') {  // a map: the focus is inside its frame (same origin)
  let inner = null;
  try { inner = e.contentDocument && e.contentDocument.activeElement; } catch (err) { inner = null; }
  frame = e.title || 'iframe';
  if (!inner || inner === e.contentDocument.body) { break; }
  e = inner;
}
if (!e || e === document.body) { return null; }
const s = getComputedStyle(e);
const label = e.getAttribute('aria-label') || '';
const box = e.closest('[data-testid]');
return {tag: e.tagName, frame: frame, text: ((e.innerText || '') + ' ' + label + ' ' + (e.value || '')).trim().slice(0, 120),
        testid: box ? box.getAttribute('data-testid') : '', key: (e.closest('[class*="st-key-"]') || {}).className || '',
        outline: (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) >= 2) || s.boxShadow !== 'none'};
"""


def _start_keyboard(driver) -> None:
    """Focus back at the top of the document, as after loading the page."""
    driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0);")


def _tab(driver) -> None:
    ActionChains(driver).send_keys(Keys.TAB).perform()


def _tab_until(driver, predicate, limit: int):
    _start_keyboard(driver)
    for _ in range(limit):
        _tab(driver)
        info = driver.execute_script(FOCUSED_JS)
        if info and predicate(info):
            return info
    return None


def test_keyboard_reaches_the_main_controls_in_order(axe_driver, app_url):
    axe_driver.get(f"{app_url}/chomage")
    wait_until(lambda: "Chômage localisé" in axe_driver.find_element(By.TAG_NAME, "body").text, 90)
    map_drew(axe_driver, timeout=60)  # the map's frame is loaded: its controls are in the path
    settle(axe_driver)
    _start_keyboard(axe_driver)
    path = []
    for _ in range(80):
        _tab(axe_driver)
        info = axe_driver.execute_script(FOCUSED_JS)
        if info:
            path.append(info)
    (ARTIFACTS / "keyboard_chomage.txt").write_text("\n".join(f"{p['frame']} {p['tag']} {p['testid']} {p['text']!r} "
                                                             f"outline={p['outline']}" for p in path))

    def first(predicate) -> int:
        return next((i for i, p in enumerate(path) if predicate(p)), -1)

    skip = first(lambda p: "Aller au contenu" in p["text"])
    navigation = first(lambda p: "Territoires prioritaires" in p["text"])
    presentation = first(lambda p: "Mode présentation" in p["text"])
    upload = first(lambda p: "Upload" in p["text"] or p["testid"].startswith("stFileUploader"))
    quarter = first(lambda p: "Trimestre" in p["text"] and p["testid"] in ("stSlider", "stSelectSlider", "stSliderThumbValue")
                    or p["key"].find("st-key-ch_quarter") >= 0)
    the_map = first(lambda p: p["frame"].startswith("Carte : Taux de chômage"))
    download = first(lambda p: "Télécharger le tableau" in p["text"])
    start = first(lambda p: "Trimestre de départ" in p["text"])
    deps = first(lambda p: "Départements" in p["text"])
    series = first(lambda p: "Télécharger les séries" in p["text"])
    statement = first(lambda p: "Accessibilité" in p["text"])
    found = {"lien d'évitement": skip, "navigation": navigation, "mode présentation": presentation, "import": upload,
             "trimestre": quarter, "carte": the_map, "téléchargement du tableau": download, "trimestre de départ": start,
             "départements": deps, "téléchargement des séries": series, "déclaration d'accessibilité": statement}
    missing = [name for name, index in found.items() if index < 0]
    assert not missing, f"non atteints au clavier : {missing} ; parcours : {[p['text'][:40] for p in path]}"
    # A sensible order: skip link first, then the sidebar, then the page from top to bottom, the footer last.
    assert skip == 0 or skip == min(found.values())
    assert navigation < quarter < download < start < deps < series < statement
    # Focus visible on every control reached.
    hidden = [p for p in path if not p["outline"]]
    assert not hidden, f"focus invisible sur : {[(p['tag'], p['testid'], p['text'][:40]) for p in hidden]}"
