"""Where to open sessions: the sites that bring the most white-zone inhabitants within reach.

The maximal covering location problem (MCLP, Church and ReVelle 1974), solved with PySAL's
``spopt`` (:meth:`spopt.locate.MCLP.from_cost_matrix`) and PuLP's bundled CBC solver, offline.

- Demand: the communes that are white today (no matching session within the threshold, see
  :mod:`lib.indicators.white_zones`), weighted by their inhabitants (or inhabitants of QPV, of FRR
  communes, or estimated job seekers). Communes already within reach are covered by the existing
  sessions and are not demand: a new site only counts what it brings out of white zones.
- Candidate sites: the communes of the region (at least ``min_population`` inhabitants) at their
  reference point, the same point white zones are measured from. A site covers a white commune
  whose reference point lies within the threshold, great-circle distance (« à vol d'oiseau »),
  not travel time.
- The model is kept small without changing its optimum: sites that cover nothing are dropped; a
  site whose white communes are all reached by another site is dominated and dropped (the other
  does at least as well; among equal ones the most populated commune is kept, where a planner
  would open a session); white communes reached by exactly the same sites are one demand point.
- Ranking: the optimal set, ordered greedily by marginal gain (first the site that adds most, then
  the one that adds most to it…), with the weight each adds and the cumulative total.
"""
from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import sparse
from sklearn.neighbors import BallTree

from lib.core.errors import DataError
from lib.core.fmt import fr_int, fr_pct
from lib.indicators.white_zones import EARTH_RADIUS_KM

K_MAX = 20
TIME_LIMIT_S = 20.0  # CBC stops there with its best solution (said « non prouvée optimale »)
# Beyond this many (site, demand point) pairs in the reduced model, CBC's root relaxation alone takes
# minutes (all 4 025 communes white at 60 km: 2 million pairs, over 6 minutes): the greedy choice is
# given instead, said as such, with its guarantee (at least 1 - (1 - 1/K)^K ≥ 63 % of the optimum).
MAX_PAIRS = 700_000
SOLVER = "spopt 0.7.0 MCLP (PuLP CBC)"
WEIGHTS = {
    "population": "Habitants",
    "qpv": "Habitants des QPV",
    "frr": "Habitants des communes FRR",
    "job_seekers": "Demandeurs d'emploi (estimation)",
}
RANK_COLUMNS = ["rank", "code", "name", "dep", "population_gained", "cumulative_gained", "white_population_after"]


@dataclass(frozen=True)
class Problem:
    """One instance: the region's communes (row ``i`` = commune ``i``) and who reaches whom."""

    communes: pd.DataFrame       # code, name, dep, population, lon, lat, weight, white
    threshold_km: float
    min_population: int
    demand: np.ndarray           # row numbers of white communes with a positive weight
    reach: sparse.csr_matrix     # communes × demand: True where the commune's point is within the threshold
    candidates: np.ndarray       # row numbers of the candidate sites (enough inhabitants, reach ≥ 1 demand)
    site_dep: str = ""           # sites sought in this department only (gains still counted for the whole region)

    @property
    def white_weight(self) -> float:
        return float(self.communes["weight"].to_numpy()[self.demand].sum())

    def index_of(self, codes) -> np.ndarray:
        """Row numbers of commune codes (a French error for a code not in the region)."""
        lookup = pd.Index(self.communes["code"])
        rows = lookup.get_indexer(list(codes))
        if (rows < 0).any():
            unknown = [c for c, r in zip(codes, rows) if r < 0]
            raise DataError(f"Commune(s) inconnue(s) dans la région : {', '.join(map(str, unknown))}.")
        return rows


@dataclass(frozen=True)
class Solution:
    sites: np.ndarray     # row numbers of the chosen sites, in the order of their marginal gain
    status: str           # French: « optimale », « non prouvée optimale (limite de temps) », …
    optimal: bool
    seconds: float
    objective: float      # weight brought within reach by the chosen sites
    candidates: int       # candidate sites in the model (after reduction)
    demand_points: int    # demand points in the model (after merging)


def build(communes: pd.DataFrame, white: np.ndarray, weight: np.ndarray, threshold_km: float,
          min_population: int = 0, site_dep: str = "") -> Problem:
    """``communes``: ``code, name, dep, population, lon, lat`` (reference points); ``white``: bool per
    commune (today's white zones); ``weight``: demand per commune (inhabitants, …); ``site_dep``: candidate
    sites in that department only (a department's presentation), what they bring counted wherever it lies."""
    if not 0 < threshold_km <= 200:
        raise DataError(f"Seuil hors de l'intervalle 1 à 200 km : {threshold_km}.")
    table = communes[["code", "name", "dep", "population", "lon", "lat"]].reset_index(drop=True).copy()
    table["weight"] = np.nan_to_num(np.asarray(weight, dtype=float))
    table["white"] = np.asarray(white, dtype=bool)
    demand = np.flatnonzero(table["white"].to_numpy() & (table["weight"].to_numpy() > 0))
    points = np.radians(table[["lat", "lon"]].to_numpy(dtype=float))
    if len(demand):
        tree = BallTree(points[demand], metric="haversine")
        within = tree.query_radius(points, r=threshold_km / EARTH_RADIUS_KM)
    else:
        within = [np.array([], dtype=np.int64)] * len(table)
    lengths = np.fromiter((len(w) for w in within), dtype=np.int64, count=len(within))
    indptr = np.concatenate([[0], np.cumsum(lengths)])
    indices = np.concatenate(within).astype(np.int32) if len(within) else np.array([], dtype=np.int32)
    reach = sparse.csr_matrix((np.ones(len(indices), dtype=bool), indices, indptr), shape=(len(table), len(demand)))
    reach.sort_indices()
    enough = table["population"].to_numpy() >= min_population
    inside = table["dep"].astype(str).eq(site_dep).to_numpy() if site_dep else np.ones(len(table), dtype=bool)
    candidates = np.flatnonzero(enough & inside & (lengths > 0))
    return Problem(table, float(threshold_km), int(min_population), demand, reach, candidates, site_dep)


def gain(problem: Problem, sites, already: np.ndarray | None = None) -> tuple[float, np.ndarray]:
    """Weight the ``sites`` (row numbers) bring within reach beyond ``already`` (bool per demand
    point), and the new coverage."""
    covered = np.zeros(len(problem.demand), dtype=bool) if already is None else already.copy()
    sites = np.asarray(list(sites), dtype=np.int64)
    if len(sites):
        covered[problem.reach[sites].indices] = True
    weights = problem.communes["weight"].to_numpy()[problem.demand]
    before = 0.0 if already is None else float(weights[already].sum())
    return float(weights[covered].sum()) - before, covered


def reduce(problem: Problem) -> tuple[np.ndarray, sparse.csr_matrix, np.ndarray, np.ndarray]:
    """The smaller equivalent model: kept candidate rows, their reach over merged demand points,
    the merged points' weights and, per merged point, one demand index that stands for it."""
    reach = problem.reach[problem.candidates].astype(np.int32)
    sizes = np.asarray(reach.sum(axis=1)).ravel()
    population = problem.communes["population"].to_numpy()[problem.candidates]
    overlap = (reach @ reach.T).tocoo()
    r, c = overlap.row, overlap.col
    # r is dominated by c: all of r's white communes are within c's reach, and c reaches more, or as
    # many with more inhabitants (ties: the first one in code order stays).
    subset = (r != c) & (overlap.data == sizes[r])
    better = (sizes[c] > sizes[r]) | ((sizes[c] == sizes[r]) & ((population[c] > population[r])
                                                              | ((population[c] == population[r]) & (c < r))))
    dominated = np.zeros(len(sizes), dtype=bool)
    dominated[r[subset & better]] = True
    kept = problem.candidates[~dominated]
    columns = reach[~dominated].T.tocsr()  # demand × kept
    columns.sort_indices()
    groups: dict[bytes, int] = {}
    label = np.empty(columns.shape[0], dtype=np.int64)
    for i in range(columns.shape[0]):
        label[i] = groups.setdefault(columns.indices[columns.indptr[i]:columns.indptr[i + 1]].tobytes(), len(groups))
    weights = problem.communes["weight"].to_numpy()[problem.demand]
    merged = np.bincount(label, weights=weights, minlength=len(groups))
    representative = np.unique(label, return_index=True)[1]  # first demand point of each group
    merged_reach = columns[representative].T.tocsr()  # kept × merged points
    return kept, merged_reach, merged, representative


def solve(problem: Problem, k: int, time_limit: float = TIME_LIMIT_S) -> Solution:
    """The ``k`` sites bringing the most weight within reach (MCLP, spopt + CBC), ranked by marginal gain."""
    if not 1 <= k <= K_MAX:
        raise DataError(f"Nombre de sites hors de l'intervalle 1 à {K_MAX} : {k}.")
    started = time.perf_counter()
    if not len(problem.candidates):
        return Solution(np.array([], dtype=np.int64), "aucune commune à atteindre", True,
                        time.perf_counter() - started, 0.0, 0, 0)
    kept, reach, weights, representative = reduce(problem)
    p = min(k, len(kept))
    if p == len(kept):  # every useful site fits: nothing to choose
        chosen, status, optimal = kept, "optimale (tous les sites utiles retenus)", True
    elif reach.nnz > MAX_PAIRS:
        bound = 1 - (1 - 1 / p) ** p
        chosen = kept[greedy_rows(reach, weights, p)]
        status = (f"gloutonne, non prouvée optimale : modèle trop grand pour CBC ({fr_int(reach.nnz)} paires site × "
                  f"commune ; au moins {fr_pct(bound, 0, fraction=True)} de l'optimum)")
        optimal = False
    else:
        chosen, status, optimal = _mclp(problem, kept, reach, weights, representative, p, time_limit)
    sites = order_by_gain(problem, chosen)
    objective, _ = gain(problem, sites)
    return Solution(sites, status, optimal, time.perf_counter() - started, objective, len(kept), len(weights))


def _sparse_coverage_constraint(obj, range_facility: range, range_client: range) -> None:
    """spopt 0.7.0's coverage constraints (``sum_j a_ij x_j >= y_i``, ``a_ij`` = 1 within reach), written
    with the sites within reach only: spopt sums a zero term for every other site (n_demand × n_sites
    PuLP products, 3 to 6 s for the default state of Auvergne-Rhône-Alpes); the model is the same."""
    import pulp

    sites = np.asarray(range_facility)
    aij = obj.aij if np.array_equal(sites, np.arange(obj.aij.shape[1])) else obj.aij[:, sites]
    fac_vars, cli_vars, problem = obj.fac_vars, obj.cli_vars, obj.problem
    for i in range_client:
        # ``sum_j x_j - y_i >= 0``, terms in the order ``expression >= y_i`` gives them, without its two copies
        terms = [(fac_vars[j], 1) for j in sites[np.flatnonzero(aij[i] > 0)].tolist()]
        terms.append((cli_vars[i], -1))
        problem += pulp.LpConstraint(pulp.LpAffineExpression(terms), pulp.LpConstraintGE)


_sparse_coverage_constraint.sparse = True  # type: ignore[attr-defined]


def _spopt_mclp():
    """spopt's MCLP, with the coverage constraints written sparsely (same model, see above)."""
    from spopt.locate import MCLP
    from spopt.locate.base import FacilityModelBuilder

    global _spopt_coverage_constraint
    if not getattr(FacilityModelBuilder.add_maximal_coverage_constraint, "sparse", False):
        _spopt_coverage_constraint = FacilityModelBuilder.add_maximal_coverage_constraint  # kept for the tests
        FacilityModelBuilder.add_maximal_coverage_constraint = staticmethod(_sparse_coverage_constraint)
    return MCLP


_spopt_coverage_constraint = None


def _mclp(problem: Problem, kept: np.ndarray, reach: sparse.csr_matrix, weights: np.ndarray,
          representative: np.ndarray, p: int, time_limit: float) -> tuple[np.ndarray, str, bool]:
    import pulp

    MCLP = _spopt_mclp()

    # Great-circle km from each merged demand point (its first commune) to each kept site within
    # reach; sites out of reach at infinity. Distances within reach are capped at the threshold so
    # that the model's coverage is exactly the BallTree's (no rounding disagreement at the boundary).
    # Only the pairs within reach are measured: the whole matrix took 6 s when the whole region is white.
    points = np.radians(problem.communes[["lat", "lon"]].to_numpy(dtype=float))
    pairs = reach.T.tocoo()  # merged demand points × kept sites
    km = haversine_pairs_km(points[problem.demand[representative]][pairs.row], points[kept][pairs.col])
    cost = np.full(pairs.shape, np.inf)
    cost[pairs.row, pairs.col] = np.minimum(km, problem.threshold_km)
    model = MCLP.from_cost_matrix(cost, weights, service_radius=problem.threshold_km, p_facilities=p, name="ou_agir")
    # Start CBC from the greedy choice: the answer is never worse than greedy, even if time runs out.
    start = set(greedy_rows(reach, weights, p))
    for j, var in enumerate(model.fac_vars):
        var.setInitialValue(1 if j in start else 0)
    covered = np.asarray(reach[sorted(start)].sum(axis=0)).ravel() > 0
    for i, var in enumerate(model.cli_vars):
        var.setInitialValue(1 if covered[i] else 0)
    solver = pulp.PULP_CBC_CMD(msg=False, timeLimit=time_limit, warmStart=True)
    try:
        model.solve(solver, results=False)
    except RuntimeError:  # spopt: the model is not solved (no integer solution found)
        return kept[sorted(start)], "non résolu par CBC : choix glouton", False
    chosen = [j for j, var in enumerate(model.fac_vars) if (var.value() or 0) > 0.5]
    optimal = model.problem.sol_status == pulp.LpSolutionOptimal
    status = "optimale" if optimal else "non prouvée optimale (limite de temps atteinte)"
    return kept[chosen], status, optimal


def haversine_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle km between every point of ``a`` and of ``b`` (radians, ``lat, lon``)."""
    dlat = a[:, None, 0] - b[None, :, 0]
    dlon = a[:, None, 1] - b[None, :, 1]
    h = np.sin(dlat / 2) ** 2 + np.cos(a[:, None, 0]) * np.cos(b[None, :, 0]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def haversine_pairs_km(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Great-circle km between ``a[i]`` and ``b[i]`` (radians, ``lat, lon``), pair by pair."""
    dlat = a[:, 0] - b[:, 0]
    dlon = a[:, 1] - b[:, 1]
    h = np.sin(dlat / 2) ** 2 + np.cos(a[:, 0]) * np.cos(b[:, 0]) * np.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def greedy_rows(reach: sparse.csr_matrix, weights: np.ndarray, k: int) -> list[int]:
    """Greedy choice of ``k`` rows of ``reach`` (sites × demand): each time the row adding the most weight."""
    covered = np.zeros(reach.shape[1], dtype=bool)
    chosen: list[int] = []
    for _ in range(min(k, reach.shape[0])):
        added = reach @ np.where(covered, 0.0, weights)
        added[chosen] = -1
        best = int(np.argmax(added))
        chosen.append(best)
        covered[reach[best].indices] = True
    return chosen


def greedy(problem: Problem, k: int) -> np.ndarray:
    """Greedy sites among all candidates (a lower bound the optimum must reach)."""
    weights = problem.communes["weight"].to_numpy()[problem.demand]
    rows = greedy_rows(problem.reach[problem.candidates], weights, k)
    return problem.candidates[rows]


def order_by_gain(problem: Problem, sites) -> np.ndarray:
    """``sites`` ordered by marginal gain (greedy order of a given set); ties: the most populated first,
    then by code. Sites that add nothing go last."""
    remaining = list(np.asarray(list(sites), dtype=np.int64))
    population = problem.communes["population"].to_numpy()
    covered = np.zeros(len(problem.demand), dtype=bool)
    ordered = []
    while remaining:
        gains = [gain(problem, [s], covered)[0] for s in remaining]
        best = max(range(len(remaining)), key=lambda i: (gains[i], population[remaining[i]], -remaining[i]))
        site = remaining.pop(best)
        ordered.append(site)
        covered = gain(problem, [site], covered)[1]
    return np.asarray(ordered, dtype=np.int64)


def ranking(problem: Problem, sites) -> pd.DataFrame:
    """One row per site, in the given order: what it adds, the cumulative total, the white weight left."""
    total = problem.white_weight
    covered = np.zeros(len(problem.demand), dtype=bool)
    rows, cumulative = [], 0.0
    for rank, site in enumerate(sites, start=1):
        added, covered = gain(problem, [site], covered)
        cumulative += added
        commune = problem.communes.iloc[int(site)]
        rows.append({"rank": rank, "code": commune["code"], "name": commune["name"], "dep": commune["dep"],
                     "population_gained": added, "cumulative_gained": cumulative,
                     "white_population_after": total - cumulative})
    table = pd.DataFrame(rows, columns=RANK_COLUMNS)
    if _integral(problem):
        for column in ["population_gained", "cumulative_gained", "white_population_after"]:
            table[column] = table[column].round().astype("int64")
    return table


def _integral(problem: Problem) -> bool:
    weight = problem.communes["weight"].to_numpy()
    return bool(np.all(weight == np.round(weight)))


def newly_reached(problem: Problem, sites) -> pd.DataFrame:
    """White communes the ``sites`` bring within reach: ``code, name, dep, population, weight, site``
    (the first site, in the given order, that reaches each)."""
    covered = np.zeros(len(problem.demand), dtype=bool)
    parts = []
    for site in sites:
        before = covered.copy()
        covered[problem.reach[int(site)].indices] = True
        new = problem.demand[covered & ~before]
        part = problem.communes.iloc[new][["code", "name", "dep", "population", "weight", "lon", "lat"]]
        parts.append(part.assign(site=problem.communes["code"].iat[int(site)]))
    columns = ["code", "name", "dep", "population", "weight", "lon", "lat", "site"]
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=columns)


def missing_job_seekers(communes: pd.DataFrame, job_seekers: pd.DataFrame) -> list[str]:
    """The region's departments without job seekers in the denominators (weighted 0 by ``job_seekers``)."""
    return sorted(set(communes["dep"]) - set(job_seekers.dropna(subset=["job_seekers"])["dep"]))


def candidates_text(problem: Problem) -> str | None:
    """Why no site can be proposed though communes are white, in French (``None`` when there are candidates
    or nothing is white): no commune reaches ``min_population``, or none of those that do reaches a white commune."""
    if len(problem.candidates) or not len(problem.demand):
        return None
    communes = problem.communes
    if problem.site_dep:
        return (f"Aucune commune du département {problem.site_dep}"
                + (f" d'au moins {fr_int(problem.min_population)} habitants" if problem.min_population else "")
                + f" n'est à moins de {fr_int(problem.threshold_km)} km d'une commune en zone blanche : aucun site à y "
                "proposer ; cherchez dans toute la région, augmentez le seuil ou baissez le minimum d'habitants.")
    if problem.min_population and not (communes["population"] >= problem.min_population).any():
        largest = communes.loc[communes["population"].idxmax()]
        return (f"Aucune commune de la région n'atteint {fr_int(problem.min_population)} habitants (la plus peuplée, "
                f"{largest['name']}, en compte {fr_int(largest['population'])}) : aucun site candidat ; baissez le minimum "
                "d'habitants des communes d'accueil.")
    return (f"Aucune commune d'au moins {fr_int(problem.min_population)} habitants n'est à moins de "
            f"{fr_int(problem.threshold_km)} km d'une commune en zone blanche : aucun site à proposer ; baissez le "
            "minimum d'habitants ou augmentez le seuil.")


def job_seekers_by_department(denominators: pd.DataFrame) -> pd.DataFrame:
    """Job seekers of the public « ensemble » in the latest year of the denominators, per department."""
    whole = denominators[denominators["public"].eq("ensemble")]
    if whole.empty:
        raise DataError("Dénominateurs : aucune ligne pour le public « ensemble » (tous les demandeurs d'emploi).")
    latest = whole[whole["year"].eq(whole["year"].max())]
    return latest[["dep", "job_seekers"]].reset_index(drop=True)


def weights_for(kind: str, communes: pd.DataFrame, territories: pd.DataFrame | None = None,
                job_seekers: pd.DataFrame | None = None) -> tuple[np.ndarray, str]:
    """Demand per commune for the weight ``kind`` and a French sentence saying how it is counted.

    ``territories``: ``code, population, frr, qpv_population`` (lib.indicators.coverage);
    ``job_seekers``: ``dep, job_seekers`` (one row per department)."""
    if kind == "population":
        return communes["population"].to_numpy(dtype=float), "habitants (population légale)"
    if kind in ("qpv", "frr"):
        if territories is None:
            raise DataError("Zonages (QPV, FRR) indisponibles.")
        from lib.sources import zonages

        zoned = communes[["code"]].merge(territories, on="code", how="left")
        if kind == "qpv":
            return zoned["qpv_population"].fillna(0).to_numpy(dtype=float), \
                "habitants des quartiers prioritaires (QPV, liste 2024, population RP 2020) de la commune"
        frr = zoned["frr"].isin(zonages.FRR_CLASSED).to_numpy()
        return np.where(frr, communes["population"].to_numpy(dtype=float), 0.0), \
            "habitants des communes classées France Ruralités Revitalisation (FRR)"
    if kind == "job_seekers":
        if job_seekers is None or job_seekers.empty:
            raise DataError("Aucun fichier de dénominateurs importé : demandeurs d'emploi indisponibles.")
        # Departments' job seekers shared among their communes in proportion to inhabitants: an estimate.
        per_dep = job_seekers.set_index("dep")["job_seekers"]
        missing = missing_job_seekers(communes, job_seekers)
        dep_population = communes.groupby("dep")["population"].transform("sum").to_numpy(dtype=float)
        seekers = communes["dep"].map(per_dep).to_numpy(dtype=float)
        share = np.divide(communes["population"].to_numpy(dtype=float), dep_population,
                          out=np.zeros(len(communes)), where=dep_population > 0)
        how = ("demandeurs d'emploi estimés : ceux du département (fichier de dénominateurs importé) répartis entre "
               "ses communes au prorata des habitants")
        if missing:
            how += (f" ; aucun dénominateur pour le(s) département(s) {', '.join(missing)} : leurs communes ne comptent "
                    "pas (poids nul), aucun site n'y est proposé pour elles")
        return np.nan_to_num(seekers * share), how
    raise DataError(f"Pondération inconnue : {kind} (possibles : {', '.join(WEIGHTS)}).")
