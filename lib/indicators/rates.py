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

- ``access``: distinct persons among the entries of registered job seekers of the public in the
  year / job seekers of that public (denominators file); computed only for the years and
  departments present on both sides (:func:`access_gaps` says which are left out); summed over
  those years when ``year`` is not a key;
- ``abandonment``: abandons / exits (finished or abandoned);
- ``certification``: certified / exits of certifying pathways whose result is known;
- ``employment_6m`` / ``employment_12m``: employed / exits with a known status. A filled status
  is an observed one and counts, whatever the observation date (the reader warns about statuses
  given for exits too recent to be observed); an empty one is unknown and left out.
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


def _is(column: pd.Series, value: str) -> np.ndarray:
    return (column == value).to_numpy(dtype=bool)


def _masks(records: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    abandon = _is(records["outcome"], "abandon")
    exits = _is(records["outcome"], "terminee") | abandon
    certified = records["certified"].to_numpy()
    cert_den = exits & _is(records["pathway_type"], "certifiant") & ~np.isnan(certified)
    masks = {
        "abandonment": (abandon, exits),
        "certification": (cert_den & (certified == 1), cert_den),
    }
    for months in (6, 12):
        status = records[f"employed_{months}m"].to_numpy(dtype=float)
        den = exits & ~np.isnan(status)
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
    if year is not None:
        records = records[records["year"].eq(year)]
    keys = [k for k in by if k != "public"]
    publics = PUBLICS if "public" in by else ["ensemble"]
    codes, cells = _cells(records, keys)
    n_cells = len(cells)
    members = memberships(records)
    parts = []
    for indicator, (num_mask, den_mask) in _masks(records).items():
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


def _covered_pairs(records: pd.DataFrame, seekers: pd.DataFrame) -> pd.DataFrame:
    """``year, dep`` pairs present on both sides: the only ones access is computed on."""
    pairs = seekers[["year", "dep"]].drop_duplicates()
    pairs = pairs[pairs["year"].isin(records["year"].unique()) & pairs["dep"].isin(records["dep"].astype(str).unique())]
    return pairs.assign(dep=pairs["dep"].astype(str))


def _access(records, denominators, by, keys, codes, cells, members, publics, year) -> list[pd.DataFrame]:
    """Distinct persons among the qualifying entries (registered job seekers of the public), over
    the public's job seekers, on the (year, department) pairs covered by both files."""
    registered = records["registered_job_seeker"].to_numpy() == 1
    person = records["person_key"].to_numpy() if "person_key" in records else \
        pd.factorize(records["person_id"])[0].astype(np.int64)
    years = records["year"].to_numpy().astype(np.int64)
    record_pairs = pd.MultiIndex.from_arrays([records["year"].astype("int64"), records["dep"].astype(str)])
    n_codes = int(codes.max()) + 1 if len(codes) else 1
    n_cells = len(cells)
    den_keys = [k for k in ("year", "dep") if k in by]
    seekers = denominators if year is None else denominators[denominators["year"].eq(year)]
    parts = []
    for public in publics:
        pool = seekers[seekers["public"].eq(public)]
        covered = _covered_pairs(records, pool)
        pool = pool.merge(covered, on=["year", "dep"])
        in_pool = record_pairs.isin(pd.MultiIndex.from_frame(covered[["year", "dep"]])) if len(covered) else \
            np.zeros(len(records), dtype=bool)
        qualifying = members[public] & registered & in_pool
        # One count per person, cell and year among the qualifying entries (not the person's first entry).
        combined = (person[qualifying] * n_codes + codes[qualifying]) * 10_000 + years[qualifying]
        _, first = np.unique(combined, return_index=True)
        numerator = np.bincount(codes[qualifying][first], minlength=n_cells)
        part = _part(cells, public, "access", numerator, np.zeros(n_cells, dtype=np.int64))
        totals = pool.groupby(den_keys, as_index=False)["job_seekers"].sum() if den_keys else \
            pd.DataFrame({"job_seekers": [pool["job_seekers"].sum()]})
        merged = part.drop(columns="denominator").merge(totals, on=den_keys, how="left") if den_keys else \
            part.drop(columns="denominator").assign(job_seekers=totals["job_seekers"].iloc[0])
        part["denominator"] = merged["job_seekers"].fillna(0).astype(np.int64).to_numpy()
        parts.append(part)
    return parts


def access_gaps(records: pd.DataFrame, denominators: pd.DataFrame | None) -> list[str]:
    """French sentences naming the years, departments and publics for which access is not computed."""
    if denominators is None:
        return ["Sans fichier de dénominateurs, le taux d'accès n'est pas calculé."]
    messages = []
    record_years = set(int(y) for y in records["year"].unique())
    den_years = set(int(y) for y in denominators["year"].unique())
    if missing := sorted(record_years - den_years):
        messages.append(f"Dénominateurs absents pour {', '.join(map(str, missing))} : taux d'accès non calculé "
                        f"pour {'ces années' if len(missing) > 1 else 'cette année'}.")
    if unused := sorted(den_years - record_years):
        messages.append(f"Dénominateurs de {', '.join(map(str, unused))} sans entrées dans le fichier : ignorés.")
    record_deps = set(records["dep"].astype(str).unique())
    den_deps = set(denominators["dep"].astype(str).unique())
    if missing_deps := sorted(record_deps - den_deps):
        messages.append(f"Dénominateurs absents pour le(s) département(s) {', '.join(missing_deps)} : taux d'accès "
                        "non calculé pour ces départements.")
    if unused_deps := sorted(den_deps - record_deps):
        messages.append(f"Dénominateurs du (des) département(s) {', '.join(unused_deps)} sans entrées : ignorés.")
    if missing_publics := [p for p in PUBLICS if p not in set(denominators["public"])]:
        messages.append(f"Aucun dénominateur pour le(s) public(s) {', '.join(missing_publics)} : taux d'accès non "
                        "calculé pour ces publics.")
    covered = {(int(y), str(d)) for y, d in zip(denominators["year"], denominators["dep"])}
    holes = sorted({(y, d) for y in record_years & den_years for d in record_deps & den_deps} - covered)
    if holes:
        shown = ", ".join(f"{d} en {y}" for y, d in holes[:8])
        messages.append(f"Dénominateurs absents pour {shown}{'…' if len(holes) > 8 else ''} : taux d'accès non calculé "
                        "pour ces cellules.")
    return messages


def incoherent_cells(table: pd.DataFrame) -> list[str]:
    """French sentences listing the cells whose numerator exceeds the denominator."""
    bad = table[table["status"].eq("incoherent")]
    keys = [k for k in BY_KEYS if k in bad.columns]
    return [f"Cellule incohérente ({', '.join(f'{k} {row[k]}' for k in keys)}, {row['indicator']}) : numérateur "
            f"{row['numerator']} > dénominateur {row['denominator']}, taux non calculé." for _, row in bad.iterrows()]


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
