"""Où ouvrir des sessions : the MCLP answer is optimal (brute force), never below greedy, and its
arithmetic adds up, on small instances and on Auvergne-Rhône-Alpes."""
from __future__ import annotations

import itertools
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lib.core.config import ROOT
from lib.core.errors import DataError
from lib.indicators import where_to_act as wta
from lib.indicators import white_zones as wz


def _communes(n: int, seed: int) -> pd.DataFrame:
    """``n`` communes scattered over about 150 × 150 km (latitude 45), populations 50 to 20 000."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "code": [f"{90000 + i}" for i in range(n)], "name": [f"C{i}" for i in range(n)],
        "dep": ["90"] * n, "population": rng.integers(50, 20000, n),
        "lon": 4 + rng.random(n) * 2.0, "lat": 45 + rng.random(n) * 1.4,
    })


def _brute_force(problem: wta.Problem, k: int) -> float:
    best = 0.0
    for sites in itertools.combinations(problem.candidates, min(k, len(problem.candidates))):
        best = max(best, wta.gain(problem, sites)[0])
    return best


def _instance(seed: int, n: int = 24, threshold: float = 20.0, white_share: float = 0.6) -> wta.Problem:
    communes = _communes(n, seed)
    white = np.random.default_rng(seed + 1).random(n) < white_share
    return wta.build(communes, white, communes["population"].to_numpy(), threshold)


@pytest.mark.parametrize("seed", range(8))
@pytest.mark.parametrize("k", [1, 2, 3])
def test_equal_to_brute_force_and_never_below_greedy(seed, k):
    problem = _instance(seed)
    solution = wta.solve(problem, k)
    best = _brute_force(problem, k)
    assert solution.optimal
    assert solution.objective == pytest.approx(best)
    assert solution.objective >= wta.gain(problem, wta.greedy(problem, k))[0] - 1e-9
    assert len(set(solution.sites)) == len(solution.sites) <= k


@pytest.mark.parametrize("seed", range(6))
def test_k1_is_the_best_single_site(seed):
    problem = _instance(seed, n=40)
    solution = wta.solve(problem, 1)
    singles = {int(s): wta.gain(problem, [s])[0] for s in range(len(problem.communes))}
    assert solution.objective == max(singles.values())
    assert singles[int(solution.sites[0])] == max(singles.values())


def test_hand_made_instance_where_greedy_is_not_optimal():
    # Six communes A-F on a parallel, ~15,7 km apart; threshold 17 km: each reaches its neighbours.
    # C and D weigh 150, the others 100. Greedy takes C (B + C + D = 400), then E (+ E + F = 200): 600.
    # The optimum, B and E, reaches all six: 700.
    communes = pd.DataFrame({"code": [f"0100{i}" for i in range(6)], "name": list("ABCDEF"), "dep": "01",
                             "population": 100, "lon": 4 + np.arange(6) * 0.2, "lat": 45.0})
    problem = wta.build(communes, np.ones(6, bool), np.array([100, 100, 150, 150, 100, 100]), 17.0)
    assert wta.gain(problem, wta.greedy(problem, 2))[0] == 600
    solution = wta.solve(problem, 2)
    assert solution.objective == 700 and solution.optimal
    assert sorted(problem.communes["code"].iloc[solution.sites]) == ["01001", "01004"]
    table = wta.ranking(problem, solution.sites)
    assert table["code"].tolist() == ["01001", "01004"]  # equal gains: the first in code order first
    assert table["population_gained"].tolist() == [350, 350]
    assert table["cumulative_gained"].tolist() == [350, 700]
    assert table["white_population_after"].tolist() == [350, 0]


def test_existing_sessions_are_coverage_already_there():
    # Only white communes are demand: a site next to covered communes adds nothing for them.
    lon = 4 + np.arange(4) * 0.05
    communes = pd.DataFrame({"code": ["1", "2", "3", "4"], "name": list("ABCD"), "dep": "01",
                             "population": [1000, 1000, 10, 10], "lon": lon, "lat": 45.0})
    problem = wta.build(communes, np.array([False, False, True, True]), communes["population"], 30.0)
    assert problem.white_weight == 20
    solution = wta.solve(problem, 1)
    assert solution.objective == 20
    assert wta.ranking(problem, solution.sites)["white_population_after"].tolist() == [0]


def test_min_population_restricts_the_sites_and_sites_adding_nothing_are_not_proposed():
    communes = _communes(30, 3)
    white = np.ones(30, bool)
    problem = wta.build(communes, white, communes["population"], 15.0, min_population=10000)
    assert set(problem.communes["population"].iloc[problem.candidates]) and \
        (problem.communes["population"].iloc[problem.candidates] >= 10000).all()
    solution = wta.solve(problem, 20)
    assert (problem.communes["population"].iloc[solution.sites] >= 10000).all()
    # All reachable demand reached, with no more sites than needed.
    reachable = wta.gain(problem, problem.candidates)[0]
    assert solution.objective == reachable
    gains = wta.ranking(problem, solution.sites)["population_gained"]
    assert (gains > 0).all()


def test_no_white_commune_and_bad_k():
    communes = _communes(10, 1)
    problem = wta.build(communes, np.zeros(10, bool), communes["population"], 30.0)
    solution = wta.solve(problem, 5)
    assert problem.white_weight == 0 and len(solution.sites) == 0
    assert wta.ranking(problem, solution.sites).empty
    with pytest.raises(DataError, match="1 à 20"):
        wta.solve(problem, 21)
    with pytest.raises(DataError, match="inconnue"):
        problem.index_of(["99999"])


def test_sparse_constraints_build_spopts_model():
    """The coverage constraints written sparsely are spopt's own (same coefficients, zero terms aside)."""
    import pulp
    from spopt.locate.base import FacilityModelBuilder

    rng = np.random.default_rng(0)
    cost = np.where(rng.random((12, 9)) < 0.3, 5.0, 50.0)
    weights = rng.integers(1, 100, 12)
    MCLP = wta._spopt_mclp()
    sparse_model = MCLP.from_cost_matrix(cost, weights, service_radius=10, p_facilities=3)
    patched = FacilityModelBuilder.add_maximal_coverage_constraint
    try:
        FacilityModelBuilder.add_maximal_coverage_constraint = staticmethod(wta._spopt_coverage_constraint)
        dense_model = MCLP.from_cost_matrix(cost, weights, service_radius=10, p_facilities=3)
    finally:
        FacilityModelBuilder.add_maximal_coverage_constraint = patched

    def constraints(model):
        return sorted(tuple(sorted((v.name, c) for v, c in con.items() if c)) + (con.sense, con.constant)
                      for con in model.problem.constraints.values())

    assert constraints(sparse_model) == constraints(dense_model)
    for model in (sparse_model, dense_model):
        model.solve(pulp.PULP_CBC_CMD(msg=False), results=False)
    assert pulp.value(sparse_model.problem.objective) == pulp.value(dense_model.problem.objective)


def test_weights():
    communes = pd.DataFrame({"code": ["1", "2", "3"], "dep": ["01", "01", "03"], "population": [100, 300, 50],
                             "name": list("ABC"), "lon": 4.0, "lat": 45.0})
    territories = pd.DataFrame({"code": ["1", "2", "3"], "frr": ["socle", "nc", "plus"], "qpv_population": [None, 120, None]})
    assert wta.weights_for("qpv", communes, territories)[0].tolist() == [0, 120, 0]
    assert wta.weights_for("frr", communes, territories)[0].tolist() == [100, 0, 50]
    seekers = pd.DataFrame({"dep": ["01", "03"], "job_seekers": [40, 10]})
    assert wta.weights_for("job_seekers", communes, job_seekers=seekers)[0].tolist() == [10, 30, 10]
    with pytest.raises(DataError, match="dénominateurs"):
        wta.weights_for("job_seekers", communes)


@pytest.fixture(scope="module")
def region_84():
    from lib.datasets import geometry, offer_in_use

    sessions, *_ = offer_in_use.load_offer("84", None, "offre_demo_84.xml")
    communes = geometry.communes("84")[["code", "name", "dep", "population", "lon", "lat"]].reset_index(drop=True)
    chosen = wz.OfferFilter((), False, ("2026-01", "2026-12")).apply(sessions)
    white = wz.nearest_sessions(communes, chosen, 30.0)
    return communes, white


def test_real_region_k3_coverage_arithmetic(region_84):
    communes, white = region_84
    problem = wta.build(communes, white["white"].to_numpy(), communes["population"], 30.0)
    white_before = int(white.loc[white["white"], "population"].sum())
    assert problem.white_weight == white_before > 0
    solution = wta.solve(problem, 3)
    assert solution.optimal
    table = wta.ranking(problem, solution.sites)
    assert len(table) == 3 and table["rank"].tolist() == [1, 2, 3]
    # What the sites add sums to the decrease of the white population, computed afresh: the white
    # zones of the offer with three sessions placed at the sites.
    sites = communes.iloc[solution.sites][["lon", "lat"]]
    chosen = wz.OfferFilter((), False, ("2026-01", "2026-12")).apply(
        __import__("lib.datasets.offer_in_use", fromlist=["load_offer"]).load_offer("84", None, "x")[0])
    after = wz.nearest_sessions(communes, pd.concat([chosen[["lon", "lat"]], sites], ignore_index=True), 30.0)
    white_after = int(after.loc[after["white"], "population"].sum())
    assert table["population_gained"].sum() == white_before - white_after
    assert table["white_population_after"].iloc[-1] == white_after
    assert table["cumulative_gained"].tolist() == table["population_gained"].cumsum().tolist()
    assert table["population_gained"].is_monotonic_decreasing
    assert solution.objective >= wta.gain(problem, wta.greedy(problem, 3))[0]


def test_cli_where_to_act():
    run = subprocess.run([sys.executable, "-m", "lib", "export", "where-to-act", "--k", "3", "--from", "2026-01",
                          "--to", "2026-12"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    lines = run.stdout.splitlines()
    assert lines[0] == "rank,code,name,dep,population_gained,cumulative_gained,white_population_after,donnees"
    assert len(lines) == 4 and all(line.endswith(",démonstration") for line in lines[1:])
    assert "Solveur : spopt 0.7.0 MCLP (PuLP CBC) ; solution optimale" in run.stderr
    assert "offre de démonstration" in run.stderr and "vol d'oiseau" in run.stderr
    bad = subprocess.run([sys.executable, "-m", "lib", "export", "where-to-act", "--k", "25"], cwd=ROOT,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "nombre de sites entier de 1 à 20" in bad.stderr and "Traceback" not in bad.stderr
    missing = subprocess.run([sys.executable, "-m", "lib", "export", "where-to-act"], cwd=ROOT,
                             capture_output=True, text=True, timeout=120)
    assert missing.returncode == 2 and "--k" in missing.stderr and "Traceback" not in missing.stderr


def test_sites_in_one_department_still_count_what_they_bring_in_the_others():
    """« Sites dans le département » (issue 28): candidates of that department only, their gains counted over the
    whole region — and the optimum among them, checked by brute force."""
    communes = _communes(24, 5)
    communes["dep"] = ["91" if i % 3 == 0 else "90" for i in range(24)]
    white = np.random.default_rng(6).random(24) < 0.6
    problem = wta.build(communes, white, communes["population"].to_numpy(), 25.0, site_dep="91")
    assert set(problem.communes["dep"].iloc[problem.candidates]) == {"91"}
    solution = wta.solve(problem, 2)
    assert (problem.communes["dep"].iloc[solution.sites] == "91").all()
    assert solution.objective == pytest.approx(_brute_force(problem, 2))
    assert set(problem.communes["dep"].iloc[problem.demand]) == {"90", "91"}  # every white commune still counts
    none = wta.build(communes, white, communes["population"].to_numpy(), 25.0, min_population=10**7, site_dep="91")
    assert wta.candidates_text(none).replace("\u202f", " ").startswith("Aucune commune du département 91 d'au moins 10 000 000 habitants")
