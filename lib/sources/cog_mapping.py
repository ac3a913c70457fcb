"""Carry a commune classification from an older COG onto the current commune list.

Communes merge (and sometimes split) every year. The rule, applied identically to
every zoning:

- a source commune that still exists keeps its class (``direct``);
- a source commune that merged is carried to the commune that holds it today (from
  the COG 2026 ``anciensCodes``, delegated and associated communes); when all the
  parts of a merged commune share a class it keeps it (``fusion``), otherwise it is
  *partiellement classée* (``fusion_mixte``);
- a source commune whose code changed (69159 -> 69114) keeps its class (``code_modifie``);
- a commune restored since (listed in ``data/reference/cog_changes/restored.csv``)
  inherits the class of the commune it was part of (``retablie``).

:func:`carry_over` returns the mapped table and a per-department conservation
report that the tests check: every source commune lands in exactly one current
commune, every current commune gets a class, populations add up.
"""
from __future__ import annotations

import pandas as pd

from lib.core.config import REFERENCE
from lib.sources import cog

RESTORED = REFERENCE / "cog_changes" / "restored.csv"


def former_to_current() -> dict[str, str]:
    """Old commune code -> current commune code (COG 2026)."""
    mapping: dict[str, str] = {}
    for row in cog.load_json("communes.json"):
        if row.get("type") == "commune-actuelle":
            for old in row.get("anciensCodes", []):
                mapping.setdefault(old, row["code"])
    former = cog.read_former_communes()
    for code, parent in zip(former["code"], former["parent"]):
        mapping.setdefault(code, parent)
    return mapping


def restored() -> pd.DataFrame:
    return pd.read_csv(RESTORED, dtype=str, keep_default_na=False)


def carry_over(
    zoning: pd.DataFrame,
    communes: pd.DataFrame,
    partial: str,
    mapping: dict[str, str] | None = None,
    restored_table: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Map ``zoning`` (``code, zone``) onto ``communes`` (``code, dep, population``).

    Returns ``(mapped, conservation)``: ``mapped`` has ``code, zone, rule, source_codes``
    for every commune of ``communes``; ``conservation`` has one row per department with
    ``source_communes, source_mapped, communes, communes_classified, population,
    population_classified``.
    """
    mapping = former_to_current() if mapping is None else mapping
    restored_table = restored() if restored_table is None else restored_table
    current = set(communes["code"])
    source = zoning[["code", "zone"]].copy()
    source["target"] = source["code"].where(source["code"].isin(current), source["code"].map(mapping))
    source = source[source["target"].isin(current)]

    grouped = source.groupby("target").agg(
        zones=("zone", lambda z: sorted(set(z))), parts=("code", list), n=("code", "size")
    )
    mapped = pd.DataFrame({"code": grouped.index})
    mapped["zone"] = [z[0] if len(z) == 1 else partial for z in grouped["zones"]]
    mapped["rule"] = [
        ("direct" if parts == [code] else "code_modifie") if n == 1 else ("fusion" if len(z) == 1 else "fusion_mixte")
        for code, n, parts, z in zip(grouped.index, grouped["n"], grouped["parts"], grouped["zones"])
    ]
    mapped["source_codes"] = ["|".join(p) for p in grouped["parts"]]

    missing = sorted(current - set(mapped["code"]))
    by_code = dict(zip(zoning["code"], zoning["zone"]))
    extra = [
        {"code": row.code, "zone": by_code[row.from_code], "rule": "retablie", "source_codes": row.from_code}
        for row in restored_table.itertuples()
        if row.code in missing and row.from_code in by_code
    ]
    mapped = pd.concat([mapped, pd.DataFrame(extra, columns=mapped.columns)], ignore_index=True)
    mapped = communes[["code"]].merge(mapped, on="code", how="left")
    return mapped, _conservation(source, zoning, communes, mapped)


def _conservation(source: pd.DataFrame, zoning: pd.DataFrame, communes: pd.DataFrame, mapped: pd.DataFrame) -> pd.DataFrame:
    deps = sorted(communes["dep"].unique())
    dep_of = dict(zip(communes["code"], communes["dep"]))
    in_scope = zoning[zoning["code"].map(lambda c: c[:3] if c.startswith("97") else c[:2]).isin(deps)]
    with_pop = communes[["code", "dep", "population"]].merge(mapped[["code", "zone"]], on="code")
    rows = []
    for dep in deps:
        scope = in_scope[in_scope["code"].map(lambda c: c[:3] if c.startswith("97") else c[:2]).eq(dep)]
        here = with_pop[with_pop["dep"].eq(dep)]
        rows.append({
            "dep": dep,
            "source_communes": len(scope),
            "source_mapped": int(source["code"].isin(scope["code"]).sum()),
            "source_mapped_here": int(source[source["code"].isin(scope["code"])]["target"].map(dep_of).eq(dep).sum()),
            "communes": len(here),
            "communes_classified": int(here["zone"].notna().sum()),
            "population": int(here["population"].sum()),
            "population_classified": int(here.loc[here["zone"].notna(), "population"].sum()),
        })
    return pd.DataFrame(rows)
