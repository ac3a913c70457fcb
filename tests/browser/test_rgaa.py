"""RGAA in a real browser: axe-core 4.14.1 (vendored) on every page, with an uploaded file and in
presentation mode, at 1366×900; the page's language; the keyboard path through a page."""
from __future__ import annotations

import json
import time

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from lib.app import a11y
from lib.core.config import ROOT
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
    assert axe_driver.title == a11y.page_title(title)  # each page its own title (RGAA 8.6)
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
    upload = first(lambda p: "Choisir un fichier" in p["text"] or p["testid"].startswith("stFileUploader"))
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


# ---------------------------------------------------------------------------------------------
# Beyond axe (issue 22): focus after a page change, visible focus, grids read as displayed, reflow

# The focus is visible when the focused element, or (a visually hidden input) the nearest box around it,
# carries an outline of at least 2 px that no ancestor clips.
VISIBLE_FOCUS_JS = """
const el = arguments[0] || document.activeElement;
let last = null;
for (let e = el, level = 0; e && e !== document.body && level < 5; e = e.parentElement, level++) {
  const s = getComputedStyle(e), width = parseFloat(s.outlineWidth), offset = parseFloat(s.outlineOffset) || 0;
  const r = e.getBoundingClientRect();
  if (s.outlineStyle === 'none' || !(width >= 2) || r.width < 4 || r.height < 4) { continue; }
  const grow = Math.max(0, offset + width);
  const outer = {left: r.left - grow, right: r.right + grow, top: r.top - grow, bottom: r.bottom + grow};
  let clipped = null;
  for (let a = e.parentElement; a && a !== document.body; a = a.parentElement) {
    const o = getComputedStyle(a), hides = v => ['hidden', 'clip', 'auto', 'scroll'].includes(v);
    const c = a.getBoundingClientRect();
    if ((hides(o.overflowX) || hides(o.overflowY) || o.clipPath !== 'none') &&
        (outer.left < c.left - 1 || outer.right > c.right + 1 || outer.top < c.top - 1 || outer.bottom > c.bottom + 1)) {
      clipped = a.className || a.tagName;
      break;
    }
  }
  if (!clipped) { return {visible: true, on: e.tagName, width: width}; }
  last = {visible: false, clippedBy: clipped, on: e.tagName};
}
return last || {visible: false, on: el.tagName};
"""


def _focus(driver, css: str) -> dict:
    """Focus ``css`` as the keyboard would (a key pressed first, so :focus-visible applies) and say whether
    the focus shows."""
    ActionChains(driver).send_keys(Keys.SHIFT).perform()
    element = driver.find_element(By.CSS_SELECTOR, css)
    driver.execute_script("arguments[0].focus()", element)
    return driver.execute_script(VISIBLE_FOCUS_JS, element)


def test_focus_visible_on_switch_grid_and_radio(axe_driver, app_url):
    axe_driver.get(f"{app_url}/chomage")
    wait_until(lambda: axe_driver.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"] canvas'), 90)
    settle(axe_driver)
    switch = _focus(axe_driver, 'input[role="switch"]')
    assert switch["visible"], f"« Mode présentation » : focus invisible {switch}"
    grid = _focus(axe_driver, '[data-testid="stDataFrame"] canvas[tabindex="0"]')
    assert grid["visible"], f"tableau : focus invisible {grid}"
    # One name each, in French (RGAA 11.2): the quarter's thumb, the uploader's button.
    names = axe_driver.execute_script("""
      const thumb = document.querySelector('[data-testid="stSlider"] input[type="range"]');
      const button = document.querySelector('[data-testid="stFileUploaderDropzone"] button');
      return [thumb.getAttribute('aria-label'), thumb.getAttribute('aria-labelledby'), button.getAttribute('aria-label'),
              button.textContent.trim()];""")
    assert names == ["Trimestre", None, "Choisir un fichier", "upload"], names  # « upload »: the icon's ligature, aria-hidden
    # Escape closes a map tooltip opened by the keyboard (RGAA 10.13).
    map_drew(axe_driver, timeout=60)
    frame = axe_driver.find_element(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')
    axe_driver.switch_to.frame(frame)
    try:
        axe_driver.execute_script("document.querySelector('path.leaflet-interactive[aria-label]').focus()")
        assert wait_until(lambda: axe_driver.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip"), 5), "pas d'infobulle au focus"
        ActionChains(axe_driver).send_keys(Keys.ESCAPE).perform()
        assert wait_until(lambda: not axe_driver.find_elements(By.CSS_SELECTOR, ".leaflet-tooltip"), 5), \
            "Échap ne ferme pas l'infobulle"
    finally:
        axe_driver.switch_to.default_content()
    axe_driver.get(f"{app_url}/territoires")
    wait_until(lambda: axe_driver.find_elements(By.CSS_SELECTOR, '[data-testid="stRadio"] input[tabindex="0"]'), 90)
    radio = _focus(axe_driver, '[data-testid="stRadio"] input[tabindex="0"]')
    assert radio["visible"], f"boutons radio : focus invisible {radio}"


def test_page_change_moves_focus_to_the_new_page_h1(axe_driver, app_url):
    axe_driver.get(f"{app_url}/chomage")
    wait_until(lambda: "Chômage localisé" in axe_driver.find_element(By.TAG_NAME, "body").text, 90)
    settle(axe_driver)
    link = axe_driver.find_element(By.CSS_SELECTOR, '[data-testid="stSidebarNav"] a[href$="/accessibilite"]')
    driver_focus = axe_driver.execute_script("arguments[0].focus(); return document.activeElement === arguments[0]", link)
    assert driver_focus
    ActionChains(axe_driver).send_keys(Keys.ENTER).perform()
    focused = wait_until(lambda: axe_driver.execute_script(
        "const e = document.activeElement; return e && e.tagName === 'H1' ? e.textContent : null"), 30)
    assert focused == "Déclaration d'accessibilité", axe_driver.execute_script("return document.activeElement.outerHTML")
    assert axe_driver.title == a11y.page_title("Déclaration d'accessibilité")


# Every string a canvas draws (a grid's cells and headers), recorded before the page's scripts run.
RECORD_CANVAS_TEXT = """
(function () {
  const draw = CanvasRenderingContext2D.prototype.fillText;
  CanvasRenderingContext2D.prototype.fillText = function (text) {
    const canvas = this.canvas;
    if (canvas && canvas.dataset) {
      canvas.__pricTexts = canvas.__pricTexts || new Set();
      canvas.__pricTexts.add(String(text));
    }
    return draw.apply(this, arguments);
  };
})();
"""

GRIDS_JS = """
return [...document.querySelectorAll('[data-testid="stDataFrame"]')].map(grid => {
  const box = grid.closest('[data-testid="stElementContainer"]');
  const before = box && box.previousElementSibling;
  const table = before && before.querySelector('table.pric-sr-table');
  const canvas = grid.querySelector('canvas[data-testid="data-grid-canvas"]');
  const fallback = canvas && canvas.querySelector('table');
  return {drawn: canvas && canvas.__pricTexts ? [...canvas.__pricTexts] : [],
          caption: table ? table.caption.textContent : null,
          cells: table ? [...table.querySelectorAll('th, td')].map(c => c.textContent) : [],
          rows: table ? table.tBodies[0].rows.length : 0, columns: table ? table.tHead.rows[0].cells.length : 0,
          gridRows: fallback ? Number(fallback.getAttribute('aria-rowcount')) - 1 : null,
          gridColumns: fallback ? Number(fallback.getAttribute('aria-colcount')) : null,
          fallbackHidden: fallback ? fallback.getAttribute('aria-hidden') : null};
});
"""


def test_grids_read_as_displayed(axe_driver, app_url):
    """Every string the grid draws is in its accessible table, which has every row and column and a name."""
    script = axe_driver.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_CANVAS_TEXT})
    try:
        axe_driver.get(f"{app_url}/chomage")
        wait_until(lambda: axe_driver.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"] canvas'), 90)
        settle(axe_driver)
        grids = wait_until(lambda: [g for g in axe_driver.execute_script(GRIDS_JS) if len(g["drawn"]) > 10], 30)
    finally:
        axe_driver.execute_cdp_cmd("Page.removeScriptToEvaluateOnNewDocument", {"identifier": script["identifier"]})
    assert grids, "aucune grille dessinée"
    grid = grids[0]
    assert grid["caption"].startswith("Taux de chômage par département — ")
    assert grid["rows"] == grid["gridRows"] == 12 and grid["columns"] == grid["gridColumns"] == 4
    assert grid["fallbackHidden"] == "true"  # the canvas's raw values (« 5.7 ») are not read
    drawn = {text.strip() for text in grid["drawn"] if text.strip()}
    missing = drawn - set(grid["cells"])
    assert not missing, f"affiché mais absent du tableau accessible : {sorted(missing)[:10]}"
    assert any(t.endswith("\u202f%") and "," in t for t in drawn)  # French percentages, read as shown
    assert "Ain" in grid["cells"] and "Taux" in grid["cells"]


# Pages with charts, checked at 320 px (RGAA 10.11): no text of a chart's title or legend out of its box or
# cut with « … », its marks drawn inside it. Exceptions listed in the statement (lib/a11y.REFLOW_EXCEPTIONS):
# « Parcours par axe » (three panels of fixed width side by side), the abandon motives' heatmap and the
# need/offer scatter plot (wider than 320 px, read in their tables).
REFLOW_PAGES = [("chomage", ""), ("parcours", ""), ("fiche_departement", "dep=03"), ("diagnostic", "")]
REFLOW_EXCEPTIONS = tuple(a11y.REFLOW_EXCEPTIONS)

REFLOW_JS = """
return [...document.querySelectorAll('.vega-embed')].map(embed => {
  const box = embed.getBoundingClientRect();
  const svg = embed.querySelector('svg');
  const texts = svg ? [...svg.querySelectorAll('.role-title text, .role-legend text, .role-title-text text')] : [];
  const outside = texts.filter(t => { const r = t.getBoundingClientRect();
                                      return r.width > 0 && (r.left < box.left - 2 || r.right > box.right + 2); })
                       .map(t => t.textContent);
  const cut = texts.filter(t => t.textContent.endsWith('…')).map(t => t.textContent);
  const marks = svg ? [...svg.querySelectorAll('.role-mark path, .role-mark rect, .role-mark line')]
      .filter(m => { const r = m.getBoundingClientRect(); return r.width * r.height > 0 || r.width > 1 || r.height > 1; })
      .filter(m => { const r = m.getBoundingClientRect(); return r.left >= box.left - 2 && r.right <= box.right + 2; }).length : 0;
  return {name: (embed.getAttribute('aria-label') || '').slice(0, 60), width: box.width,
          svgWidth: svg ? svg.getBoundingClientRect().width : 0, outside, cut, marks};
});
"""


def test_charts_reflow_at_320_px(axe_driver, app_url):
    axe_driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                               {"width": 320, "height": 800, "deviceScaleFactor": 1, "mobile": False})
    problems = []
    try:
        for path, query in REFLOW_PAGES:
            axe_driver.get(f"{app_url}/{path}" + (f"?{query}" if query else ""))
            wait_until(lambda: axe_driver.find_elements(By.CSS_SELECTOR, ".vega-embed svg"), 90)
            settle(axe_driver)
            charts = axe_driver.execute_script(REFLOW_JS)
            assert charts, f"{path} : aucun graphique"
            assert axe_driver.execute_script("return document.documentElement.scrollWidth") <= 321, path
            for chart in charts:
                if chart["name"].startswith(REFLOW_EXCEPTIONS):
                    continue
                if chart["svgWidth"] > chart["width"] + 2 or chart["outside"] or chart["cut"] or not chart["marks"]:
                    problems.append((path, chart))
    finally:
        axe_driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert not problems, "\n".join(f"{path} : {chart}" for path, chart in problems)


# WCAG 1.4.12's text spacing and a 200 % text size: no label of the sidebar or of a control cut.
TEXT_SPACING_JS = """
const style = document.createElement('style');
style.id = 'pric-spacing';
style.textContent = 'html { font-size: 200% !important; } * { line-height: 1.5 !important; letter-spacing: 0.12em !important;'
  + ' word-spacing: 0.16em !important; } p { margin-bottom: 2em !important; }';
document.head.appendChild(style);
"""
CUT_TEXT_JS = """
const cut = [];
for (const el of document.querySelectorAll('[data-testid="stSidebarNav"] a span, [data-testid="stWidgetLabel"] p, '
    + '[data-baseweb="select"] div, [data-baseweb="tag"] span, [data-testid="stRadioOption"] p, [data-testid="stMetricLabel"] p')) {
  if (!el.textContent.trim() || el.children.length) { continue; }
  const s = getComputedStyle(el);
  const hides = ['hidden', 'clip'].includes(s.overflowX) || s.textOverflow === 'ellipsis';
  if (hides && (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 2)) { cut.push(el.textContent.trim()); }
}
return cut;
"""


def test_text_spacing_and_200_percent_text_cut_no_label(axe_driver, app_url):
    axe_driver.get(f"{app_url}/chomage")
    wait_until(lambda: "Chômage localisé" in axe_driver.find_element(By.TAG_NAME, "body").text, 90)
    settle(axe_driver)
    axe_driver.execute_script(TEXT_SPACING_JS)
    time.sleep(1)
    cut = axe_driver.execute_script(CUT_TEXT_JS)
    assert not cut, f"libellés coupés : {cut}"
