"""The pact's flagship rates, computed from training-entry records in one place.

Every rate carries its numerator, denominator, a 95 % Wilson interval and a status:

- ``suppressed`` when the denominator is below the secrecy threshold (20 by default,
  France Travail's practice): neither numerator nor rate is shown ("s" on screen);
- ``fragile`` below the fragility threshold (60 by default: France Travail hides a
  formation's return-to-employment rate under 60 leavers): drawn with its interval, marked;
- ``incoherent`` when the numerator exceeds the denominator (e.g. more entrants than job
  seekers): the rate is not computed, the import report says so;
- ``ok`` otherwise.

Definitions (the methodology page says where they differ from the official ones):

- ``access``: distinct registered job seekers of the public entering training in the year /
  job seekers of that public (denominators file); summed over years when ``year`` is not a key;
- ``abandonment``: abandons / exits (finished or abandoned);
- ``certification``: certified / exits of certifying pathways whose result is known;
- ``employment_6m`` / ``employment_12m``: employed / exits with a known status, counting only
  exits at least 6 (12) months before the observation date (the latest date in the file).
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.config import FRAGILE_THRESHOLD, SECRECY_THRESHOLD
from lib.sources.records import PUBLICS

INDICATORS = ["access", "abandonment", "certification", "employment_6m", "employment_12m"]
BY_KEYS = ["year", "dep", "public", "pathway_type", "axis"]
OUTPUT = ["indicator", "numerator", "denominator", "rate", "ci_low", "ci_high", "status"]
Z = 1.959963984540054  # 97.5 % normal quantile


def memberships(records: pd.DataFrame) -> dict[str, np.ndarray]:
    """Which records belong to which public (a record belongs to every public it qualifies for)."""
    return {
        "ensemble": np.ones(len(records), dtype=bool),
        "infra_bac": records["education_level"].isin(["infra3", "3"]).to_numpy(dtype=bool),
        "moins_26": (records["age"] < 26).to_numpy(),
        "qpv": records["qpv"].to_numpy() == 1,
        "zrr_frr": records["zrr_frr"].to_numpy() == 1,
        "rqth": records["rqth"].to_numpy() == 1,
        "rsa": records["rsa"].to_numpy() == 1,
        "parent_isole": records["single_parent"].to_numpy() == 1,
    }


def observation_date(records: pd.DataFrame) -> pd.Timestamp:
    """The extraction date: the latest entry or exit date in the file."""
    return max(records["entry_date"].max(), records["exit_date"].max())


def _is(column: pd.Series, value: str) -> np.ndarray:
    return (column == value).to_numpy(dtype=bool)


def _masks(records: pd.DataFrame, as_of: pd.Timestamp) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    abandon = _is(records["outcome"], "abandon")
    exits = _is(records["outcome"], "terminee") | abandon
    certified = records["certified"].to_numpy()
    cert_den = exits & _is(records["pathway_type"], "certifiant") & ~np.isnan(certified)
    masks = {
        "abandonment": (abandon, exits),
        "certification": (cert_den & (certified == 1), cert_den),
    }
    exit_date = records["exit_date"].to_numpy()
    for months in (6, 12):
        status = records[f"employed_{months}m"].to_numpy()
        observable = exits & (exit_date <= np.datetime64(as_of - pd.DateOffset(months=months)))
        den = observable & ~np.isnan(status)
        masks[f"employment_{months}m"] = (den & (status == 1), den)
    return masks


def _cells(records: pd.DataFrame, keys: list[str]) -> tuple[np.ndarray, pd.DataFrame]:
    if not keys:
        return np.zeros(len(records), dtype=np.int64), pd.DataFrame(index=[0])
    codes = records.groupby(keys, sort=True, observed=True).ngroup().to_numpy()
    grouped = records.groupby(keys, sort=True, observed=True)
    table = grouped.size().reset_index()[keys]
    return codes, table


def compute_rates(
    records: pd.DataFrame,
    denominators: pd.DataFrame | None = None,
    by: list[str] | tuple[str, ...] = ("year", "dep", "public"),
    year: int | None = None,
    as_of: pd.Timestamp | None = None,
    secrecy: int = SECRECY_THRESHOLD,
    fragile: int = FRAGILE_THRESHOLD,
) -> pd.DataFrame:
    """All indicators for every cell of ``by`` (any of :data:`BY_KEYS`), long format.

    Columns: the ``by`` keys, then :data:`OUTPUT`. Rates are fractions 0–1.
    """
    by = [k for k in BY_KEYS if k in by]
    unknown = set(by) - set(BY_KEYS)
    if unknown:
        raise ValueError(f"clés inconnues : {', '.join(sorted(unknown))}")
    as_of = as_of or observation_date(records)
    if year is not None:
        records = records[records["year"].eq(year)]
    keys = [k for k in by if k != "public"]
    publics = PUBLICS if "public" in by else ["ensemble"]
    codes, cells = _cells(records, keys)
    n_cells = len(cells)
    members = memberships(records)
    parts = []
    for indicator, (num_mask, den_mask) in _masks(records, as_of).items():
        for public in publics:
            member = members[public]
            parts.append(_part(cells, public, indicator,
                               np.bincount(codes[member & num_mask], minlength=n_cells),
                               np.bincount(codes[member & den_mask], minlength=n_cells)))
    if denominators is not None:
        parts.extend(_access(records, denominators, by, keys, codes, cells, members, publics, year))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[frame["denominator"] > 0] if len(frame) else frame
    return finalize(frame, secrecy, fragile)[[*by, *OUTPUT]].reset_index(drop=True)


def _part(cells: pd.DataFrame, public: str, indicator: str, numerator: np.ndarray, denominator: np.ndarray) -> pd.DataFrame:
    part = cells.copy()
    part["public"] = public
    part["indicator"] = indicator
    part["numerator"] = numerator
    part["denominator"] = denominator
    return part


def _access(records, denominators, by, keys, codes, cells, members, publics, year) -> list[pd.DataFrame]:
    """Distinct registered job seekers entering in the year, over the public's job seekers."""
    registered = records["registered_job_seeker"].to_numpy() == 1
    person = records["person_key"].to_numpy() if "person_key" in records else \
        pd.factorize(records["person_id"])[0].astype(np.int64)
    years = records["year"].to_numpy().astype(np.int64)
    # One count per person, cell and year: a person with two entries counts once.
    n_codes = int(codes.max()) + 1 if len(codes) else 1
    combined = (person * n_codes + codes) * 10_000 + years
    first = np.zeros(len(records), dtype=bool)
    _, index = np.unique(combined, return_index=True)
    first[index] = True
    n_cells = len(cells)
    den_keys = [k for k in ("year", "dep") if k in by]
    seekers = denominators if year is None else denominators[denominators["year"].eq(year)]
    if "year" not in by:  # only the years the records cover
        seekers = seekers[seekers["year"].isin(records["year"].unique())]
    parts = []
    for public in publics:
        numerator = np.bincount(codes[members[public] & registered & first], minlength=n_cells)
        part = _part(cells, public, "access", numerator, np.zeros(n_cells, dtype=np.int64))
        pool = seekers[seekers["public"].eq(public)].groupby(den_keys, as_index=False)["job_seekers"].sum() \
            if den_keys else pd.DataFrame({"job_seekers": [seekers.loc[seekers["public"].eq(public), "job_seekers"].sum()]})
        merged = part.drop(columns="denominator").merge(pool, on=den_keys, how="left") if den_keys else \
            part.drop(columns="denominator").assign(job_seekers=pool["job_seekers"].iloc[0])
        part["denominator"] = merged["job_seekers"].fillna(0).astype(np.int64).to_numpy()
        parts.append(part)
    return parts


def wilson(numerator: np.ndarray, denominator: np.ndarray, z: float = Z) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval of a proportion (good for small n and rates near 0 or 1)."""
    n = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.asarray(numerator, dtype=float) / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def finalize(frame: pd.DataFrame, secrecy: int = SECRECY_THRESHOLD, fragile: int = FRAGILE_THRESHOLD) -> pd.DataFrame:
    """Rate, interval and status from numerator and denominator; suppressed cells emptied."""
    frame = frame.copy()
    num = frame["numerator"].to_numpy(dtype=float)
    den = frame["denominator"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = num / den
    low, high = wilson(num, den)
    status = np.where(den < secrecy, "suppressed", np.where(num > den, "incoherent",
                      np.where(den < fragile, "fragile", "ok")))
    hidden = status == "suppressed"
    invalid = hidden | (status == "incoherent")
    frame["rate"] = np.where(invalid, np.nan, rate)
    frame["ci_low"] = np.where(invalid, np.nan, low)
    frame["ci_high"] = np.where(invalid, np.nan, high)
    frame["numerator"] = pd.array(np.where(hidden, pd.NA, frame["numerator"]), dtype="Int64")
    frame["status"] = status
    return frame
