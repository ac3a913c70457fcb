"""Write *demonstration* training-entry records and access denominators for a region (seeded).

No record-level data exists offline. These files go through the real importer and the real
rate computations; every view built on them is labelled "Données de démonstration".

Calibration (documented on the methodology page), on the ARA pact 2019-2022:
- entries per year and axis = the pact's planned parcours (``plan_parcours.csv``: 23 454 /
  26 727 / 29 454 / 29 454); another region gets the same plan scaled by its population;
- departments in proportion to their population; 52 % of entrants below level IV (infra-bac);
  QPV residents ~15 % (the national target), ZRR/FRR 12 %, RQTH 9 %, RSA 15 %, single
  parents 8 %, under 26 ~30 %;
- pathways: axis 1 = certifying 55 %, professionalising 25 %, pre-recruitment 20 %;
  axis 2 = preparatory 75 %, certifying 25 %;
- abandonment ≈ 10 % of exits (motifs drawn from the pact's list), certification ≈ 78 % of
  certifying exits, return to employment at 6 months by pathway type from the national
  benchmarks (pre-recruitment 69 %, certifying/professionalising 56 %, preparatory 35 %:
  ≈ 51 % overall, the pact's 2017 figure), +1 point at 12 months (52 %);
- denominators: job seekers of each public such that access ≈ 11 % (the pact's 2017 figure),
  with public-specific gaps; they are *not* the real 644 330 job seekers (the demonstration
  volumes are the pact's PIC parcours only).

Usage: python -m scripts.make_demo_records [--region 84] [--seed 2019]
"""
from __future__ import annotations

import argparse

import numpy as np
import pandas as pd

from lib.core.config import DEMO, REFERENCE, region_code
from lib.datasets.catalog import dataset
from lib.sources import cog
from lib.sources.records import ABANDON_REASONS

OBSERVED_ON = pd.Timestamp("2023-03-31")
EMPLOYMENT_6M = {"prealable_recrutement": 0.69, "certifiant": 0.56, "professionnalisant": 0.56, "preparatoire": 0.35}
DURATION_MONTHS = {"prealable_recrutement": (1, 3), "certifiant": (5, 10), "professionnalisant": (2, 6),
                   "preparatoire": (2, 4)}
PATHWAY_MIX = {"1": (["certifiant", "professionnalisant", "prealable_recrutement"], [0.55, 0.25, 0.20]),
               "2": (["preparatoire", "certifiant"], [0.75, 0.25])}
EDUCATION_MIX = {"1": [0.10, 0.22, 0.40, 0.28], "2": [0.40, 0.38, 0.18, 0.04]}
ACCESS = {"ensemble": 0.11, "infra_bac": 0.12, "moins_26": 0.14, "qpv": 0.10, "zrr_frr": 0.09, "rqth": 0.08,
          "rsa": 0.09, "parent_isole": 0.08}
CALIBRATION = 1.07
REASON_WEIGHTS = [0.25, 0.25, 0.15, 0.15, 0.02, 0.10, 0.08]


def plan(region: str, communes: pd.DataFrame) -> pd.DataFrame:
    """The pact's plan; for another region, that plan scaled by population (the only plan we have)."""
    table = pd.read_csv(REFERENCE / "pact_ara_2019" / "plan_parcours.csv", dtype={"axis": str})
    plan_region = dataset("pact_ara_2019").region
    if region != plan_region:
        ratio = communes.loc[communes["region"].eq(region), "population"].sum() / \
            communes.loc[communes["region"].eq(plan_region), "population"].sum()
        table["parcours"] = (table["parcours"] * ratio).round().astype(int)
    return table


def build(region: str, seed: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    communes = cog.read_communes()
    local = communes[communes["region"].eq(region)]
    weights = local["population"].astype(float) / local["population"].sum()
    frames = []
    for row in plan(region, communes).itertuples():
        n = int(row.parcours)
        pathways, shares = PATHWAY_MIX[row.axis]
        pathway = rng.choice(pathways, size=n, p=shares)
        entry = pd.Timestamp(f"{row.year}-01-01") + pd.to_timedelta(rng.integers(0, 365, n), unit="D")
        low = np.array([DURATION_MONTHS[p][0] for p in pathway]) * 30
        high = np.array([DURATION_MONTHS[p][1] for p in pathway]) * 30
        duration = rng.integers(low, high + 1)
        abandon = rng.random(n) < np.where(pathway == "preparatoire", 0.14, np.where(pathway == "prealable_recrutement", 0.05, 0.09))
        exit_ = entry + pd.to_timedelta(np.where(abandon, (duration * rng.uniform(0.2, 0.8, n)).astype(int), duration), unit="D")
        ongoing = exit_ > OBSERVED_ON
        outcome = np.where(ongoing, "en_cours", np.where(abandon, "abandon", "terminee"))
        commune = rng.choice(local["code"].to_numpy(), size=n, p=weights.to_numpy())
        education = rng.choice(["infra3", "3", "4", "5plus"], size=n, p=EDUCATION_MIX[row.axis])
        young = rng.random(n) < 0.30
        age = np.where(young, rng.integers(16, 26, n), rng.integers(26, 61, n))
        certifying_exit = (pathway == "certifiant") & (outcome == "terminee")
        certified = np.where(certifying_exit, np.where(rng.random(n) < 0.08, np.nan, (rng.random(n) < 0.78) * 1.0), np.nan)
        # Abandons return to work less often; CALIBRATION brings the overall 6-month rate to ~51 %.
        base = np.array([EMPLOYMENT_6M[p] for p in pathway]) * np.where(outcome == "abandon", 0.6, 1.0) * CALIBRATION
        exited = outcome != "en_cours"
        employed_6m = np.where(exited & (rng.random(n) > 0.10), (rng.random(n) < base) * 1.0, np.nan)
        employed_12m = np.where(exited & (rng.random(n) > 0.12), (rng.random(n) < base + 0.012) * 1.0, np.nan)
        # A real extraction has no status yet for exits too recent to be observed.
        employed_6m = np.where(exit_ > OBSERVED_ON - pd.DateOffset(months=6), np.nan, employed_6m)
        employed_12m = np.where(exit_ > OBSERVED_ON - pd.DateOffset(months=12), np.nan, employed_12m)
        frames.append(pd.DataFrame({
            "entry_date": entry, "exit_date": exit_.where(~ongoing), "residence_commune": commune, "age": age,
            "sex": rng.choice(["F", "M"], size=n), "education_level": education,
            "qpv": (rng.random(n) < np.where(row.axis == "2", 0.18, 0.12)).astype(int),
            "zrr_frr": (rng.random(n) < 0.12).astype(int), "rqth": (rng.random(n) < 0.09).astype(int),
            "rsa": (rng.random(n) < 0.15).astype(int), "single_parent": (rng.random(n) < 0.08).astype(int),
            "registered_job_seeker": (rng.random(n) < 0.92).astype(int), "pathway_type": pathway, "axis": row.axis,
            "nsf": "", "outcome": outcome,
            "abandon_reason": np.where(outcome == "abandon", rng.choice(list(ABANDON_REASONS), size=n, p=REASON_WEIGHTS), ""),
            "certified": certified, "employed_6m": employed_6m, "employed_12m": employed_12m,
        }))
    records = pd.concat(frames, ignore_index=True).sort_values("entry_date", ignore_index=True)
    records.insert(0, "entry_id", [f"D{region}-{i:06d}" for i in range(len(records))])
    # ~8 % of entries are a second entry of the same person (counted once for access).
    person = np.arange(len(records))
    repeat = rng.random(len(records)) < 0.08
    person[repeat] = np.maximum(person[repeat] - rng.integers(1, 200, repeat.sum()), 0)
    records.insert(1, "person_id", [f"P{region}-{p:06d}" for p in person])
    records["entry_date"] = records["entry_date"].dt.strftime("%Y-%m-%d")
    records["exit_date"] = records["exit_date"].dt.strftime("%Y-%m-%d").fillna("")
    for column in ("certified", "employed_6m", "employed_12m"):
        records[column] = records[column].map({1.0: "1", 0.0: "0"}).fillna("")
    return records, denominators(records, local, rng)


def denominators(records: pd.DataFrame, communes: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """Job seekers per year, department and public so that access ≈ the ACCESS targets."""
    from lib.indicators.rates import memberships
    from lib.sources.records import read_records

    tidy, _ = read_records(records.to_csv(index=False).encode(), "demo.csv")
    members = memberships(tidy)
    registered = tidy[tidy["registered_job_seeker"].eq(1)]
    rows = []
    for public, target in ACCESS.items():
        chosen = registered[members[public][tidy["registered_job_seeker"].eq(1).to_numpy()]]
        counts = chosen.drop_duplicates(["person_id", "year"]).groupby(["year", "dep"]).size()
        for (year, dep), count in counts.items():
            rows.append({"year": year, "dep": dep, "public": public,
                         "job_seekers": int(round(count / target * rng.uniform(0.9, 1.1)))})
    return pd.DataFrame(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default=region_code())
    parser.add_argument("--seed", type=int, default=2019)
    args = parser.parse_args()
    records, seekers = build(args.region, args.seed)
    DEMO.mkdir(parents=True, exist_ok=True)
    records.to_parquet(DEMO / f"records_demo_{args.region}.parquet", index=False, compression="zstd")
    seekers.to_csv(DEMO / f"denominators_demo_{args.region}.csv", index=False)
    print(f"{len(records)} entrées, {len(seekers)} lignes de dénominateurs")


if __name__ == "__main__":
    main()
