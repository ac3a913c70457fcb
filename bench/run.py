"""Benchmarks (not tests): prints the figures the README quotes.

    python -m bench.run            # everything
    python -m bench.run --no-browser

Measures: seconds from ``streamlit run`` to the home page drawn in headless Chromium (cold
first render), seconds to switch to a page until its map and chart drew, map payload
bytes, and the heavy computations of lib. Budgets come from the issues.
"""
from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from selenium.webdriver.common.by import By

BUDGETS: dict[str, float] = {}
IMAGE_DRAWN_JS = "const i = document.querySelector('[data-testid=stImage] img'); return i && i.complete && i.naturalWidth;"
RESULTS: list[tuple[str, float, str, float | None]] = []


def record(name: str, value: float, unit: str, budget: float | None = None) -> None:
    RESULTS.append((name, value, unit, budget))
    flag = "" if budget is None else ("  OK" if value <= budget else "  AU-DELÀ DU BUDGET")
    limit = "" if budget is None else f" (budget {budget:g} {unit})"
    print(f"{name:<55} {value:>12.3f} {unit}{limit}{flag}", flush=True)


def timed(fn: Callable[[], object], repeat: int = 5) -> float:
    """Median seconds of ``repeat`` calls after one warm-up."""
    fn()
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append(time.perf_counter() - start)
    return statistics.median(runs)


def bench_computations() -> None:
    from lib.core.config import RAW
    from lib.datasets import geometry, territory
    from lib.indicators import unemployment as unemp
    from lib.render import maps
    from lib.sources.chomage import read_unemployment

    workbook = RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"
    record("lecture du classeur Insee (xls)", timed(lambda: read_unemployment(workbook)), "s")
    region = territory.region("84")
    tidy, _ = read_unemployment(workbook)
    table = unemp.department_table(tidy, region, "2025-T3")
    deps = geometry.departements("84").merge(table, on="code")
    fmap = maps.choropleth(
        geometry.to_geojson(deps, ["code", "departement", "taux"]), maps.bounds_of(deps), "taux",
        maps.equal_classes(table["taux"], "%"), "Taux de chômage", ["code", "departement", "taux"], ["Code", "Dép.", "Taux"],
    )
    record("carte des départements : HTML/GeoJSON", maps.payload_bytes(fmap) / 1000, "Ko", 250)
    bench_territories(region)
    bench_compare()
    bench_offer(region)
    bench_sheet_pdf(region)


def bench_compare() -> None:
    """Page Comparer: the national base (cold), the France map payloads, a warm page run (AppTest)."""
    from streamlit.testing.v1 import AppTest

    from lib.core.config import ROOT
    from lib.indicators import compare

    record("comparer : base nationale (101 départements, à froid)", timed(lambda: compare.build_base("2024"), 1), "s")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/comparer.py").run()  # first visit: computes and memoises the views
    for level, indicator in (("departement", "unemployment_rate"), ("region", "qpv_share")):
        from lib.app.data import run_view
        from lib.datasets.in_use import Datasets
        from lib.views import comparer

        shown = run_view(Datasets("84"), comparer.compare_map, level, indicator, "2025-T3", "2024", "01",
                         ("74", "73", "35", "29", "44"))
        payload = len(shown["map"]["html"]) + len(shown["map"]["script"])  # what the map component sends
        record(f"comparer : carte de France par {level} : HTML/GeoJSON", payload / 1000, "Ko", 300)
    record("comparer : exécution de la page, à chaud (AppTest)", timed(lambda: at.run(), 5), "s", 0.15)


def bench_offer(region) -> None:
    """LHEO parse of a ~100 MB export (the demonstration offer repeated) and white-zone distances."""
    import resource
    import tempfile

    import numpy as np
    import pandas as pd

    from lib.datasets import geometry
    from lib.indicators import white_zones
    from lib.sources import lheo

    demo = (lheo.RAW.parent / "demo" / f"offre_demo_{region.code}.xml").read_bytes()
    head, _, rest = demo.partition(b"<offres>")
    body, _, tail = rest.rpartition(b"</offres>")
    copies = max(1, int(100e6 // len(body)))
    with tempfile.NamedTemporaryFile(suffix=".xml") as big:
        big.write(head + b"<offres>")
        for _ in range(copies):
            big.write(body)
        big.write(b"</offres>" + tail)
        big.flush()
        size = big.tell() / 1e6
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        frame, _ = lheo.read_lheo(big.name)
        record(f"lecture LHEO d'un export de {size:.0f} Mo ({len(frame)} sessions)", time.perf_counter() - start, "s", 20)
        grown = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
        record("  mémoire de pointe ajoutée (table résultat comprise)", grown, "Mo")
    communes = geometry.communes(region.code)[["code", "name", "dep", "population", "lon", "lat"]]
    rng = np.random.default_rng(0)
    places = pd.DataFrame({"lon": rng.uniform(2.0, 7.2, 10_000), "lat": rng.uniform(44.1, 46.9, 10_000)})
    record(f"zones blanches : {len(communes)} communes × 10 000 lieux",
           timed(lambda: white_zones.nearest_sessions(communes, places, 30.0)), "s", 0.3)


def bench_sheet_pdf(region) -> None:
    """The department sheet's PDF export, end to end (charts to PNG, static map, PDF)."""
    from lib.datasets import geometry
    from lib.indicators import sheet
    from lib.indicators import unemployment as unemp
    from lib.indicators import white_zones as wz
    from lib.render import charts, export
    from lib.sources.chomage import read_unemployment

    tidy, _ = read_unemployment(unemployment_path())
    tidy = unemp.for_region(tidy, region)
    dep = region.dep_codes[1]

    def make() -> bytes:
        series = sheet.unemployment_series(tidy, region, dep, "2017-T3")
        chart = charts.unemployment_lines(series, "Taux de chômage", "Insee")
        communes = geometry.communes(region.code)
        communes = communes[communes["dep"].eq(dep)]
        colors = communes.set_index("code")["population"].map(lambda p: "#91cf60")
        png_map = export.department_map_png(communes, colors, wz.distance_legend(30))
        png_chart = export.chart_png(chart)
        return export.sheet_pdf("Fiche département", "bench", [("Taux", "8,0 %")], ["Constat."],
                                [(png_chart, "graphique"), (png_chart, "graphique"), (png_map, "carte")], ["Insee"])

    record("fiche département : export PDF (graphiques, carte, PDF)", timed(make, 3), "s", 5)


def unemployment_path():
    from lib.core.config import RAW

    return RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"


def bench_territories(region) -> None:
    from lib.datasets import geometry
    from lib.indicators import coverage
    from lib.render import maps

    record("territoires prioritaires : rapprochement QPV/ZRR/FRR (à froid)", timed(lambda: coverage.build(region), 1), "s")
    terr = coverage.build(region)
    layer = geometry.communes_display(region.code).merge(terr.communes, on="code")
    layer["label"] = layer["name"] + " (" + layer["code"] + ")"
    layer["zone"] = layer["frr"]
    geojson = geometry.to_geojson(layer, ["label", "zone"], decimals=4)
    fmap = maps.polygons(geojson, maps.bounds_of(layer), lambda p: coverage.ZONE_COLORS["frr"].get(p["zone"], "#ccc"),
                         "FRR", [], ["label", "zone"], ["Commune", "FRR"], canvas=True,
                         publish_as="bench_communes", publish_styles=True)
    maps.outlines(fmap, geometry.to_geojson(geometry.departements(region.code), ["code"], decimals=4))
    from lib.sources import qpv as qpv_source
    indicators = coverage.qpv_indicators(qpv_source.read_vintage("IPRO", 2022), qpv_source.read_vintage("DEMO", 2022),
                                         None, list(terr.qpv["code"]))
    points = geometry.communes(region.code)[["code", "lon", "lat"]]
    maps.add_circles(fmap, coverage.qpv_markers(terr, indicators, points), coverage.QPV_COLOR)
    record("carte des communes (FRR + QPV) : HTML/GeoJSON", maps.payload_bytes(fmap) / 1000, "Ko", 2000)


def bench_browser() -> None:
    from tests.browser.conftest import _free_port, make_driver, start_app
    from tests.browser.helpers import chart_drew, map_drew, wait_until

    port = _free_port()
    driver = make_driver()  # the browser is up before the clock starts: we time the app, not Chromium
    driver.get("about:blank")
    start = time.perf_counter()
    process = start_app(port)
    try:
        served = time.perf_counter() - start
        driver.get(f"http://127.0.0.1:{port}/")
        wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricValue"]')) >= 3, 120, 0.05)
        record("serveur prêt (streamlit run -> /_stcore/health)", served, "s")
        record("premier affichage à froid (streamlit run -> accueil)", time.perf_counter() - start, "s", 2)
        # Warm first visit of the page, then measure the switch from the navigation menu:
        # until the page's text is there, and until its map and chart have drawn.
        for attempt in range(4):
            t0 = _open_from_home(driver, port, "chomage")
            wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, '[data-testid="stDataFrame"]'), 60, 0.02)
            content = time.perf_counter() - t0
            map_drew(driver, 60, step=0.02)
            chart_drew(driver, 60, step=0.02)
            drawn = time.perf_counter() - t0
            if attempt:
                record(f"changement de page -> Chômage : tableau affiché (essai {attempt})", content, "s", 0.7)
                record(f"changement de page -> Chômage : carte et graphique dessinés (essai {attempt})", drawn, "s")
        for attempt in range(3):
            t0 = _open_from_home(driver, port, "territoires")
            wait_until(lambda: len(driver.find_elements(By.CSS_SELECTOR, 'iframe[data-testid="stCustomComponentV1"]')) >= 2, 90, 0.05)
            map_drew(driver, 90, step=0.05, index=1, min_pixels=1000)  # the fetched communes, not just outlines
            label = "première visite" if attempt == 0 else f"visite suivante {attempt}"
            record(f"Territoires prioritaires : cartes dessinées ({label})", time.perf_counter() - t0, "s",
                   None if attempt == 0 else 2)
        for attempt in range(3):
            t0 = _open_from_home(driver, port, "fiche_departement")
            wait_until(lambda: driver.execute_script(IMAGE_DRAWN_JS), 120, 0.05)
            chart_drew(driver, 120, step=0.05)
            label = "première visite" if attempt == 0 else f"visite suivante {attempt}"
            record(f"Fiche département dessinée ({label})", time.perf_counter() - t0, "s", None if attempt == 0 else 2)
    finally:
        driver.quit()
        process.terminate()


def _open_from_home(driver, port: int, page: str) -> float:
    """Load the home page, then click the menu entry of ``page``; returns the click's time."""
    from tests.browser.helpers import wait_until

    driver.get(f"http://127.0.0.1:{port}/")
    wait_until(lambda: driver.find_elements(By.CSS_SELECTOR, '[data-testid="stMetricValue"]'), 60, 0.05)
    link = wait_until(lambda: [a for a in driver.find_elements(By.CSS_SELECTOR, '[data-testid="stSidebarNav"] a')
                               if page in (a.get_attribute("href") or "")])
    start = time.perf_counter()
    link[0].click()
    return start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--no-browser", action="store_true")
    args = parser.parse_args()
    bench_computations()
    if not args.no_browser:
        bench_browser()


if __name__ == "__main__":
    main()
