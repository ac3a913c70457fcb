"""What the browser test checks on a page: a Leaflet map that drew and a chart that drew."""
from __future__ import annotations

import time

from selenium.webdriver.common.by import By

# Counts polygons drawn by Leaflet in SVG, or non-blank pixels on a Leaflet canvas.
LEAFLET_DRAWN_JS = """
const paths = document.querySelectorAll('path.leaflet-interactive').length;
let canvasPixels = 0;
for (const c of document.querySelectorAll('canvas.leaflet-zoom-animated')) {
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < data.length; i += 4 * 53) { if (data[i] > 0) canvasPixels++; }
}
return {paths: paths, canvasPixels: canvasPixels, legend: document.querySelectorAll('.pric-legend').length,
        leaflet: typeof window.L !== 'undefined'};
"""

# Vega charts render to canvas (or SVG): count drawn pixels / marks.
VEGA_DRAWN_JS = """
let pixels = 0, charts = 0;
for (const e of document.querySelectorAll('.vega-embed')) {
  charts++;
  const c = e.querySelector('canvas');
  if (c) { const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
           for (let i = 3; i < d.length; i += 4 * 7) { if (d[i] > 0) pixels++; } }
  pixels += e.querySelectorAll('svg .role-mark > *').length;  // SVG renderer: one element per mark item
}
return {charts: charts, pixels: pixels};
"""


def wait_until(predicate, timeout: float = 40, step: float = 0.25):
    deadline = time.time() + timeout
    last = None
    while time.time() < deadline:
        last = predicate()
        if last:
            return last
        time.sleep(step)
    return last


# Streamlit has drawn the page and is not running its script: the main block holds elements, none is
# left over from a previous run (stale), and the « running » widget is gone.
APP_IDLE_JS = """
const main = document.querySelector('[data-testid="stMainBlockContainer"]');
return Boolean(main && main.querySelector('[data-testid="stElementContainer"]')
               && !document.querySelector('[data-testid="stStatusWidget"]')
               && !document.querySelector('[data-stale="true"]'));
"""


def wait_app_idle(driver, timeout: float = 60) -> None:
    """Until Streamlit has rendered the page and stopped running the script, seen on two polls in a
    row: right after a page opens, before its script starts, an empty page also looks idle (on a
    busy machine, or with parallel workers, that moment lasts)."""
    seen = [0]

    def idle():
        seen[0] = seen[0] + 1 if driver.execute_script(APP_IDLE_JS) else 0
        return seen[0] >= 2
    wait_until(idle, timeout)


def map_state(driver, index: int = 0) -> dict:
    """Leaflet state inside the ``index``-th streamlit-folium iframe (maps live in component iframes)."""
    frames = driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')
    if len(frames) <= index:
        return {}
    driver.switch_to.frame(frames[index])
    try:
        return driver.execute_script(LEAFLET_DRAWN_JS)
    finally:
        driver.switch_to.default_content()


def map_drew(driver, timeout: float = 40, step: float = 0.4, index: int = 0, min_pixels: int = 50) -> dict:
    """Wait until the map drew SVG polygons or at least ``min_pixels`` sampled canvas pixels
    (a fetched layer arrives after the inline ones: wait for enough of it)."""
    def check():
        state = map_state(driver, index)
        return state if state and (state.get("paths", 0) > 0 or state.get("canvasPixels", 0) > min_pixels) else None
    return wait_until(check, timeout, step) or map_state(driver, index)


def chart_drew(driver, timeout: float = 40, step: float = 0.4, min_pixels: int = 50) -> dict:
    def check():
        state = driver.execute_script(VEGA_DRAWN_JS)
        return state if state["charts"] and state["pixels"] > min_pixels else None
    return wait_until(check, timeout, step) or driver.execute_script(VEGA_DRAWN_JS)
