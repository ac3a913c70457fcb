"""Accessibility checks in a real browser: axe-core (vendored, pinned) injected into a page and its
same-origin frames (maps, components), results summarised per impact.

Also a command, to measure every page from outside with the same engine the tests use::

    python -m tests.browser.a11y              # starts the app on a free port, prints a table per page
    python -m tests.browser.a11y --url http://host:8501 --json artifacts/axe.json
"""
from __future__ import annotations

import base64
import hashlib
import json
import time
from collections import Counter
from pathlib import Path

from selenium.webdriver.common.by import By

VENDOR = Path(__file__).resolve().parent / "vendor"
AXE_FILE = VENDOR / "axe.min.js"
AXE_VERSION = "4.14.1"
# The integrity axe-core publishes for this file (sri-history.json of the npm package).
AXE_SRI = "sha256-KTSJmUUM3yhJqOcLeRL8LahahJ2jnA0NU5T1HUqe2Vw="
IMPACTS = ("critical", "serious", "moderate", "minor")
BLOCKING = ("critical", "serious")

# (url path, query, what to wait for) of every page; the uploads and presentation mode are checked apart.
PAGES = [
    ("", "", "Accueil"),
    ("donnees", "", "Données"),
    ("chomage", "", "Chômage localisé"),
    ("territoires", "", "Territoires prioritaires"),
    ("zones_blanches", "", "Zones blanches de formation"),
    ("ou_agir", "", "Où ouvrir des sessions ?"),
    ("parcours", "", "Parcours et résultats"),
    ("objectifs", "", "Objectifs du pacte"),
    ("fiche_departement", "dep=03", "Fiche département"),
    ("diagnostic", "", "Diagnostic territorial"),
    ("comparer", "", "Comparer"),
    ("sources", "", "Sources et méthodologie"),
    ("accessibilite", "", "Déclaration d'accessibilité"),
]


def axe_source() -> str:
    data = AXE_FILE.read_bytes()
    digest = "sha256-" + base64.b64encode(hashlib.sha256(data).digest()).decode()
    if digest != AXE_SRI:
        raise RuntimeError(f"{AXE_FILE} ne correspond pas à axe-core {AXE_VERSION} ({digest})")
    return data.decode("utf-8")


def _inject(driver, source: str, depth: int = 0) -> None:
    """axe in this document and, recursively, in every same-origin frame (axe.run reaches them)."""
    driver.execute_script(source + "\n;axe.configure({allowedOrigins: ['<same_origin>']});")
    if depth > 2:
        return
    for index in range(len(driver.find_elements(By.TAG_NAME, "iframe"))):
        frames = driver.find_elements(By.TAG_NAME, "iframe")
        if index >= len(frames):
            break
        try:
            driver.switch_to.frame(frames[index])
            _inject(driver, source, depth + 1)
        except Exception:  # noqa: BLE001 — a frame that went away or a cross-origin one: axe marks it incomplete
            pass
        finally:
            driver.switch_to.parent_frame()


RUN_JS = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ['violations'], iframes: true, frameWaitTime: 20000})
  .then(r => done(JSON.stringify({violations: r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
      nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 300), summary: n.failureSummary}))})),
      url: r.url})))
  .catch(e => done(JSON.stringify({error: String(e)})));
"""


def run_axe(driver, source: str | None = None) -> dict:
    """axe-core's violations on the page shown (top document and frames)."""
    source = source or axe_source()
    driver.switch_to.default_content()
    _inject(driver, source)
    driver.set_script_timeout(120)
    result = json.loads(driver.execute_async_script(RUN_JS))
    if "error" in result:
        raise RuntimeError(result["error"])
    return result


def counts(result: dict) -> dict[str, int]:
    """Elements in violation per impact (rule × element, as axe reports them)."""
    found = Counter()
    for violation in result["violations"]:
        found[violation["impact"] or "minor"] += len(violation["nodes"])
    return {impact: found.get(impact, 0) for impact in IMPACTS}


def blocking(result: dict) -> list[str]:
    """One line per critical or serious violation: rule, impact, elements."""
    lines = []
    for violation in result["violations"]:
        if violation["impact"] in BLOCKING:
            targets = "; ".join(" > ".join(map(str, node["target"])) for node in violation["nodes"][:6])
            lines.append(f"{violation['id']} ({violation['impact']}, {len(violation['nodes'])}) : {violation['help']} — {targets}")
    return lines


def describe(result: dict) -> str:
    lines = []
    for violation in result["violations"]:
        lines.append(f"  {violation['impact']:<9} {violation['id']} × {len(violation['nodes'])} — {violation['help']}")
        for node in violation["nodes"][:8]:
            lines.append(f"      {' > '.join(map(str, node['target']))}  {node['html'][:160]}")
    return "\n".join(lines)


def settle(driver, timeout: float = 90) -> None:
    """Until the app is idle, the charts and maps drew and nothing changed for a moment."""
    from tests.browser.helpers import wait_app_idle, wait_until

    wait_app_idle(driver, timeout)
    wait_until(lambda: driver.execute_script(
        "return !document.querySelector('[data-testid=stSkeleton]') && "
        "[...document.querySelectorAll('.vega-embed')].every(e => e.querySelector('canvas, svg'))"), timeout)
    last, stable = None, 0
    deadline = time.time() + 20
    while time.time() < deadline and stable < 3:
        size = driver.execute_script("return document.body.innerHTML.length")
        stable = stable + 1 if size == last else 0
        last = size
        time.sleep(0.5)


def main(argv: list[str] | None = None) -> int:
    import argparse

    from tests.browser.conftest import _free_port, make_driver, start_app

    parser = argparse.ArgumentParser(description="axe-core sur chaque page du tableau de bord")
    parser.add_argument("--url", help="application déjà lancée (sinon démarrée sur un port libre)")
    parser.add_argument("--json", help="écrire les résultats complets dans ce fichier")
    parser.add_argument("--pages", help="chemins séparés par des virgules (défaut : toutes)")
    args = parser.parse_args(argv)
    process = None
    url = args.url
    if url is None:
        port = _free_port()
        process = start_app(port)
        url = f"http://127.0.0.1:{port}"
    driver = make_driver(1366, 900)
    wanted = None if args.pages is None else set(args.pages.split(","))
    results = {}
    try:
        source = axe_source()
        for path, query, _ in PAGES:
            if wanted is not None and path not in wanted:
                continue
            driver.get(f"{url}/{path}" + (f"?{query}" if query else ""))
            settle(driver)
            result = run_axe(driver, source)
            results[path or "accueil"] = result
            found = counts(result)
            print(f"{path or 'accueil':<18} " + "  ".join(f"{k} {v}" for k, v in found.items()), flush=True)
            print(describe(result), flush=True)
    finally:
        driver.quit()
        if process is not None:
            process.terminate()
            process.wait(timeout=20)
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
