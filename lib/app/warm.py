"""Warm-up: once per server, in the background, every page's views in their default state, so the
first visit after a start finds them ready (the same calls as the pages make, on the shared datasets)."""
from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from typing import Any

import streamlit as st

from lib.app import data

log = logging.getLogger("pric")


@st.cache_resource(show_spinner=False)
def warm_up(code: str) -> bool:
    """Start the warm-up thread once per server."""
    # Imported here, in the script's thread, before the warm-up thread starts: a page importing the
    # chart or map stack while the warm-up imports it too can deadlock on packages with import
    # cycles (« deadlock detected by _ModuleLock('narwhals.stable.v2') », seen in AppTest).
    import altair  # noqa: F401
    import folium  # noqa: F401
    import geopandas  # noqa: F401

    from lib.datasets import geometry  # noqa: F401
    from lib.indicators import coverage, diagnosis, pathways, unemployment, white_zones  # noqa: F401
    from lib.render import charts, maps  # noqa: F401

    ds = data.shared_datasets(code)

    def work() -> None:
        start = time.perf_counter()
        done = warm(ds)
        log.warning("préchauffage terminé en %.1f s (%d étapes)", time.perf_counter() - start, len(done))

    threading.Thread(target=work, name="pric-warm-up", daemon=True).start()
    return True


def warm(ds) -> list[str]:
    """Compute the views every page shows when first opened (default filters). Returns the steps done
    (failures are skipped: the page will show its own message)."""
    from lib.indicators import diagnosis
    from lib.indicators.coverage import DEFAULT_QPV_LIST
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM, default_period
    from lib.views import accueil, chomage, common, diagnostic, fiche, objectifs, ou_agir, parcours, territoires, zones_blanches

    region, qpv = ds.region, DEFAULT_QPV_LIST
    done: list[str] = []

    def step(name: str, fn: Callable[[], Any]) -> Any:
        try:
            value = fn()
            done.append(name)
            return value
        except Exception:  # noqa: BLE001  (a warm-up never breaks the server)
            log.warning("warm-up step %s failed", name, exc_info=True)
            return None

    def view(fn: Callable, *args: Any) -> Any:
        return data.run_view(ds, fn, *args)

    step("accueil", lambda: view(accueil.home_figures))
    step("classeur Insee", lambda: view(chomage.unemployment_report))
    # The workspace's files next (page Données, second in the menu, and most pages read them).
    months = step("zones blanches offre", lambda: view(zones_blanches.offer_months)) or []
    record_years = step("parcours années", lambda: view(parcours.records_years)) or []
    quarters = step("chomage", lambda: view(chomage.unemployment_quarters)) or []
    if quarters:
        step("chomage carte", lambda: view(chomage.unemployment_table_and_map, quarters[-1]))
        step("chomage séries", lambda: view(chomage.unemployment_series, tuple(region.dep_codes[:3]),
                                            quarters[max(0, len(quarters) - 41)], ds.source_line("unemployment")))
    step("territoires tableaux", lambda: view(territoires.coverage_tables, qpv))
    step("territoires carte", lambda: view(territoires.coverage_map, "FRR 2025", "population_zonage", qpv))
    step("territoires communes", lambda: view(territoires.commune_zoning_map, "frr", "FRR 2025", qpv))
    years = ds.qpv_vintages("IPRO")
    step("territoires QPV", lambda: view(territoires.qpv_evolution, years[0], years[-1], ()))
    period = default_period() if months else None  # the page's default (pages/zones_blanches.py)
    step("zones blanches", lambda: view(zones_blanches.white_zone_view, (), False, period, int(DEFAULT_THRESHOLD_KM)))
    if record_years:
        step("parcours", lambda: view(parcours.pathway_page, record_years[-1], (), (), (), ds.source_line("records")))
    step("parcours repères", lambda: view(parcours.pathway_references))
    dep = region.dep_codes[0]
    offer_period = common.offer_period()  # the Fiche's and the Diagnostic's white zones (the page's default)
    sheet = step("fiche", lambda: view(fiche.department_sheet, dep, qpv, offer_period))
    if sheet is not None:
        step("fiche carte", lambda: common.department_map_png(ds, dep, DEFAULT_THRESHOLD_KM, qpv,
                                                              common.map_note(sheet["offer_demo"])))
    step("diagnostic", lambda: view(diagnostic.diagnosis_scores, tuple(sorted(diagnosis.DEFAULT_WEIGHTS.items())), qpv,
                                    offer_period))
    _warm_compare(ds, dep, sheet, qpv, step, view)
    # Où ouvrir des sessions ? in its default state (pages/ou_agir.py: the Zones blanches page's period, 5 sites)
    where = ((), False, period, int(DEFAULT_THRESHOLD_KM))
    shown = step("où agir", lambda: view(ou_agir.where_to_act_view, *where, 5, "population", 0))
    if shown is not None:
        step("où agir carte", lambda: view(ou_agir.where_to_act_map, *where, "population", 0,
                                           tuple(shown["ranking"]["code"])))
    step("sources", lambda: (ds.unemployment_reference(), ds.catalog()))
    step("objectifs", lambda: view(objectifs.objectives_status))  # the page's table and the Fiche's section
    # What is loaded now lives as long as the server: keep it out of the collector's full passes.
    import gc

    gc.collect()
    gc.freeze()
    return done


def _warm_compare(ds, dep: str, sheet: dict | None, qpv: str, step: Callable, view: Callable) -> None:
    """The Comparer's views in the page's default state and the Fiche's comparison."""
    from lib.views import comparer

    quarters = step("comparer trimestres", lambda: view(comparer.compare_quarters)) or []
    if not quarters:
        return
    quarter = quarters[-1]
    if sheet is not None:
        step("fiche comparaison", lambda: view(comparer.compare_summary, dep, sheet["figures"].quarter, qpv))
    options = step("comparer pairs", lambda: view(comparer.compare_peer_options, dep, quarter, qpv)) or {"auto": []}
    peers = tuple(options["auto"])
    step("comparer noms", lambda: view(comparer.compare_base))
    step("comparer département", lambda: view(comparer.compare_department, dep, quarter, qpv, peers))
    step("comparer parcours", lambda: view(comparer.compare_pathways, dep))
    step("comparer carte", lambda: view(comparer.compare_map, "departement", "unemployment_rate", quarter, qpv, dep, peers))
    step("comparer séries", lambda: view(comparer.compare_series, dep, peers, quarters[max(0, len(quarters) - 41)],
                                         ds.source_line("unemployment")))
