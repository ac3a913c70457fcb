"""The pact's flagship rates, computed from training-entry records in one place.

Every rate carries its numerator, denominator, a 95 % Wilson interval and a status:

- ``suppressed`` when the denominator is below the secrecy threshold (20 by default,
  France Travail's practice): neither numerator nor rate is shown ("s" on screen);
- ``fragile`` below the fragility threshold (60 by default: France Travail hides a
  formation's return-to-employment rate under 60 leavers): drawn with its interval, marked;
- ``incoherent`` when the numerator exceeds the denominator (e.g. more entrants than job
  seekers): the rate is not computed, the import report says so;
- ``unknown`` when too many of the records the rate would count are unknown on a field it
  depends on (see :data:`UNKNOWN_TOLERANCE`): the rate is not computed, :func:`unknown_cells` says why;
- ``ok`` otherwise.

Unknown is never « non »: a record whose public membership (QPV, RSA… flag, education level,
age) or registration as a job seeker is unknown is not counted as outside the public or as not
registered. The rate is computed on the known records only while the unknown ones could move it
by little (at most :data:`UNKNOWN_TOLERANCE` of what it would count); beyond, it is ``unknown``.

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

from lib.core.config import FRAGILE_THRESHOLD, SECRECY_THRESHOLD
from lib.sources.records import PUBLICS

INDICATORS = ["access", "abandonment", "certification", "employment_6m", "employment_12m"]
BY_KEYS = ["year", "dep", "public", "pathway_type", "axis"]
OUTPUT = ["indicator", "numerator", "denominator", "rate", "ci_low", "ci_high", "status"]
Z = 1.959963984540054  # 97.5 % normal quantile
# Largest share of a rate's possible records whose deciding field is unknown for the rate still to be
# computed (on the known records). Why 5 %: an access of 7,7 % could then be at most 8,1 % — the width
# of its 95 % interval on a department's job seekers — whereas with labels read as unknown (all
# unknown) it would be shown as 0 %. One or two blank cells do not hide a department's rate; a
# column of unreadable labels, or a field left blank for a tenth of the entrants, does.
UNKNOWN_TOLERANCE = 0.05


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


def unknown_memberships(records: pd.DataFrame) -> dict[str, np.ndarray]:
    """Records whose membership of each public is unknown (the field it is decided on is unknown)."""
    return {
        "ensemble": np.zeros(len(records), dtype=bool),
        "infra_bac": records["education_level"].isna().to_numpy(dtype=bool),
        "moins_26": records["age"].isna().to_numpy(dtype=bool),
        **{public: records[column].isna().to_numpy(dtype=bool) for public, column in
           (("qpv", "qpv"), ("zrr_frr", "zrr_frr"), ("rqth", "rqth"), ("rsa", "rsa"), ("parent_isole", "single_parent"))},
    }


def _is(column: pd.Series, value: str) -> np.ndarray:
    return (column == value).to_numpy(dtype=bool)


def _masks(records: pd.DataFrame) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per indicator: numerator, denominator and the records that might belong to the denominator
    but cannot be placed (a certifying exit whose pathway type is unknown)."""
    abandon = _is(records["outcome"], "abandon")
    exits = _is(records["outcome"], "terminee") | abandon
    certified = records["certified"].to_numpy()
    known_result = exits & ~np.isnan(certified)
    cert_den = known_result & _is(records["pathway_type"], "certifiant")
    nothing = np.zeros(len(records), dtype=bool)

    def unreadable(column: str) -> np.ndarray:
        """Filled but unreadable results (« Échec » beside 1/0): unknown, not « not observed »."""
        name = f"unreadable_{column}"
        return records[name].to_numpy(dtype=bool) if name in records else nothing

    masks = {
        "abandonment": (abandon, exits, nothing),
        "certification": (cert_den & (certified == 1), cert_den,
                          (known_result & records["pathway_type"].isna().to_numpy(dtype=bool))
                          | (exits & unreadable("certified") & ~_is(records["pathway_type"], "preparatoire")
                             & ~_is(records["pathway_type"], "professionnalisant")
                             & ~_is(records["pathway_type"], "prealable_recrutement"))),
    }
    for months in (6, 12):
        status = records[f"employed_{months}m"].to_numpy(dtype=float)
        den = exits & ~np.isnan(status)
        masks[f"employment_{months}m"] = (den & (status == 1), den, exits & unreadable(f"employed_{months}m"))
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
    unknown_members = unknown_memberships(records)
    parts = []
    for indicator, (num_mask, den_mask, unplaced) in _masks(records).items():
        for public in publics:
            member, maybe = members[public], unknown_members[public]
            # Records that might be in the denominator: members placed nowhere, or of unknown membership.
            undecided = (member & unplaced) | (maybe & (den_mask | unplaced))
            parts.append(_part(cells, public, indicator,
                               np.bincount(codes[member & num_mask], minlength=n_cells),
                               np.bincount(codes[member & den_mask], minlength=n_cells),
                               np.bincount(codes[undecided], minlength=n_cells)))
    if denominators is not None:
        parts.extend(_access(records, denominators, by, keys, codes, cells, members, unknown_members, publics, year))
    frame = pd.concat(parts, ignore_index=True)
    frame = frame[(frame["denominator"] > 0) | (frame["unknown"] > 0)] if len(frame) else frame
    return finalize(frame, secrecy, fragile)[[*by, *OUTPUT]].reset_index(drop=True)


def _part(cells: pd.DataFrame, public: str, indicator: str, numerator: np.ndarray, denominator: np.ndarray,
          unknown: np.ndarray | None = None) -> pd.DataFrame:
    part = cells.copy()
    part["public"] = public
    part["indicator"] = indicator
    part["numerator"] = numerator
    part["denominator"] = denominator
    part["unknown"] = np.zeros(len(cells), dtype=np.int64) if unknown is None else unknown
    return part


def _covered_pairs(records: pd.DataFrame, seekers: pd.DataFrame) -> pd.DataFrame:
    """``year, dep`` pairs present on both sides: the only ones access is computed on."""
    pairs = seekers[["year", "dep"]].drop_duplicates()
    pairs = pairs[pairs["year"].isin(records["year"].unique()) & pairs["dep"].isin(records["dep"].astype(str).unique())]
    return pairs.assign(dep=pairs["dep"].astype(str))


def _access(records, denominators, by, keys, codes, cells, members, unknown_members, publics, year) -> list[pd.DataFrame]:
    """Distinct persons among the qualifying entries (registered job seekers of the public), over
    the public's job seekers, on the (year, department) pairs covered by both files.

    ``unknown`` counts the persons who might qualify but cannot be told (registration or membership
    unknown): the numerator could be that much higher."""
    registered = records["registered_job_seeker"].to_numpy() == 1
    maybe_registered = registered | records["registered_job_seeker"].isna().to_numpy(dtype=bool)
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
        possible = (members[public] | unknown_members[public]) & maybe_registered & in_pool
        numerator = _distinct_persons(person, codes, years, qualifying, n_codes, n_cells)
        unknown = _distinct_persons(person, codes, years, possible, n_codes, n_cells) - numerator
        part = _part(cells, public, "access", numerator, np.zeros(n_cells, dtype=np.int64), unknown)
        totals = pool.groupby(den_keys, as_index=False)["job_seekers"].sum() if den_keys else \
            pd.DataFrame({"job_seekers": [pool["job_seekers"].sum()]})
        merged = part.drop(columns="denominator").merge(totals, on=den_keys, how="left") if den_keys else \
            part.drop(columns="denominator").assign(job_seekers=totals["job_seekers"].iloc[0])
        part["denominator"] = merged["job_seekers"].fillna(0).astype(np.int64).to_numpy()
        parts.append(part)
    return parts


def _distinct_persons(person, codes, years, mask, n_codes: int, n_cells: int) -> np.ndarray:
    """One count per person, cell and year among the masked entries (not the person's first entry)."""
    combined = (person[mask] * n_codes + codes[mask]) * 10_000 + years[mask]
    _, first = np.unique(combined, return_index=True)
    return np.bincount(codes[mask][first], minlength=n_cells)


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


def unknown_cells(table: pd.DataFrame, shown: int = 8) -> list[str]:
    """One French sentence naming the cells not computed because too many records are unknown."""
    bad = table[table["status"].eq("unknown")]
    if bad.empty:
        return []
    keys = [k for k in BY_KEYS if k in bad.columns]
    cells = [", ".join([*(f"{k} {row[k]}" for k in keys), row["indicator"]]) for _, row in bad.head(shown).iterrows()]
    more = f" et {len(bad) - shown} autre(s)" if len(bad) > shown else ""
    tolerance = f"{UNKNOWN_TOLERANCE:.0%}".replace("%", " %")
    return [f"{len(bad)} taux non calculé(s) ({' ; '.join(cells)}{more}) : plus de {tolerance} "
            "des entrées qu'ils compteraient ont une valeur inconnue ou illisible (public, inscription comme demandeur "
            "d'emploi ou type de parcours) ; une valeur inconnue n'est jamais comptée comme « non »."]


def wilson(numerator: np.ndarray, denominator: np.ndarray, z: float = Z) -> tuple[np.ndarray, np.ndarray]:
    """95 % Wilson score interval of a proportion (good for small n and rates near 0 or 1)."""
    n = np.asarray(denominator, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        p = np.asarray(numerator, dtype=float) / n
        centre = (p + z**2 / (2 * n)) / (1 + z**2 / n)
        half = z * np.sqrt(p * (1 - p) / n + z**2 / (4 * n**2)) / (1 + z**2 / n)
    return np.clip(centre - half, 0, 1), np.clip(centre + half, 0, 1)


def finalize(frame: pd.DataFrame, secrecy: int = SECRECY_THRESHOLD, fragile: int = FRAGILE_THRESHOLD) -> pd.DataFrame:
    """Rate, interval and status from numerator and denominator; suppressed cells emptied.

    An optional ``unknown`` column (records that might count but cannot be told) makes a cell
    ``unknown`` when they exceed :data:`UNKNOWN_TOLERANCE` of what it could count."""
    frame = frame.copy()
    num = frame["numerator"].to_numpy(dtype=float)
    den = frame["denominator"].to_numpy(dtype=float)
    unknown = frame["unknown"].to_numpy(dtype=float) if "unknown" in frame else np.zeros(len(frame))
    # Access: the unknowns could raise the numerator (its denominator is external); other rates:
    # they could enter the denominator, and the numerator with it.
    access = frame["indicator"].eq("access").to_numpy() if "indicator" in frame else np.zeros(len(frame), dtype=bool)
    reach = np.where(access, num + unknown, den + unknown)
    with np.errstate(divide="ignore", invalid="ignore"):
        rate = num / den
        too_unknown = (unknown > 0) & (unknown > UNKNOWN_TOLERANCE * reach)
    low, high = wilson(num, den)
    # Secrecy looks at the records the rate could count (a cell emptied by unknowns is not a small cell);
    # a numerator under the secrecy threshold is never shown, whatever the status.
    size = np.where(access, den, den + unknown)
    status = np.where(size < secrecy, "suppressed", np.where(too_unknown, "unknown", np.where(num > den, "incoherent",
                      np.where(den < fragile, "fragile", "ok"))))
    hidden = (status == "suppressed") | (den < secrecy)
    invalid = hidden | (status == "incoherent") | (status == "unknown")
    frame["rate"] = np.where(invalid, np.nan, rate)
    frame["ci_low"] = np.where(invalid, np.nan, low)
    frame["ci_high"] = np.where(invalid, np.nan, high)
    frame["numerator"] = pd.array(np.where(hidden, pd.NA, frame["numerator"]), dtype="Int64")
    frame["status"] = status
    return frame
