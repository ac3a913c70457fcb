"""Où ouvrir des sessions : time the covering solve and the page (not a test).

    python -m bench.where_to_act            # K = 10, Auvergne-Rhône-Alpes, default filters

Prints, in a fresh process: the cold solve (spopt imported, model built and solved by CBC), the
page's first draw of that state through AppTest (cold: view computed) and a second draw (warm:
memoised view), then K = 1…20 and a few harder filter states. Budgets (issue 21): K = 10 ≤ 10 s
cold, ≤ 1 s warm on the page.
"""
from __future__ import annotations

import time

import numpy as np


def solve_states() -> None:
    from lib.datasets import geometry, offer_in_use
    from lib.indicators import where_to_act as wta
    from lib.indicators import white_zones as wz

    started = time.perf_counter()
    sessions, *_ = offer_in_use.load_offer("84", None, "offre_demo_84.xml")
    communes = geometry.communes("84")[["code", "name", "dep", "population", "lon", "lat"]].reset_index(drop=True)
    print(f"offer and communes read: {time.perf_counter() - started:.2f} s")
    states = [("default period, 30 km", wz.default_period(), 30.0, ()), ("whole offer, 15 km", None, 15.0, ()),
              ("default period, 15 km", wz.default_period(), 15.0, ()),
              ("no session (all white), 30 km", None, 30.0, ("00000",))]
    for label, period, threshold, nsf in states:
        chosen = wz.OfferFilter(nsf, False, period).apply(sessions)
        white = wz.nearest_sessions(communes, chosen, threshold)["white"].to_numpy()
        t0 = time.perf_counter()
        problem = wta.build(communes, white, communes["population"].to_numpy(), threshold)
        built = time.perf_counter() - t0
        for k in (1, 5, 10, 20) if label.startswith("default period, 30") else (10,):
            solution = wta.solve(problem, k)
            greedy = wta.gain(problem, wta.greedy(problem, k))[0]
            print(f"{label}, K={k}: build {built:.2f} s, solve {solution.seconds:.2f} s, {solution.status}; "
                  f"{solution.candidates} sites × {solution.demand_points} points; reached {solution.objective:,.0f} "
                  f"of {problem.white_weight:,.0f} (greedy {greedy:,.0f})")


def page() -> None:
    from streamlit.testing.v1 import AppTest

    from lib.core.config import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=300)
    at.run()
    at.switch_page("pages/ou_agir.py").run()
    timings = []
    for value in (10, 9, 10):  # K=10 cold (first time), another state, K=10 again (warm)
        t0 = time.perf_counter()
        at.slider(key="wa_k").set_value(value).run()
        timings.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    print(f"page K=10 first draw {timings[0]:.2f} s; K=9 {timings[1]:.2f} s; K=10 again (warm) {timings[2]:.2f} s")
    warm = []
    for _ in range(5):
        t0 = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - t0)
    print(f"page rerun, warm: median {np.median(warm):.2f} s, max {max(warm):.2f} s")


if __name__ == "__main__":
    t0 = time.perf_counter()
    solve_states()
    print(f"total {time.perf_counter() - t0:.1f} s")
    page()
