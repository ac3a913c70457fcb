"""Priority territories: QPV, ZRR and FRR coverage per department and per commune.

Populations: communes and departments use the latest legal population of the COG 2026
table; QPV populations are Insee's (RP 2013 in the 2017 files, RP 2018 in the 2022 files).
A commune counts as ZRR when it is classified fully or partly (``C`` or ``P``), and as FRR
when it has any FRR class (socle, FRR+, bénéficiaire, partial ones).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.cog_mapping import carry_over
from lib.sources import cog, qpv, zonages
from lib.territory import Region

COVERAGE_COLUMNS = ["dep", "dep_name", "communes", "population", "qpv_count", "qpv_population", "qpv_share",
                    "zrr_communes", "zrr_population", "frr_communes", "frr_population"]
ZRR_CLASSED = ["C", "P"]


@dataclass
class Territories:
    """Everything the priority-territories page, the export and the department sheet need."""

    communes: pd.DataFrame      # code, name, dep, population, zrr, zrr_rule, frr, frr_rule, qpv_count, qpv_names, qpv_population
    qpv: pd.DataFrame           # code, name, dep, communes, commune_names, pop_first, pop_latest
    zrr_conservation: pd.DataFrame
    frr_conservation: pd.DataFrame
    qpv_vintages: tuple[int, int]  # DEMO years of pop_first and pop_latest
    match_report: str


def build(region: Region) -> Territories:
    all_communes = cog.read_communes()
    communes = all_communes[all_communes["dep"].isin(region.dep_codes)][["code", "name", "dep", "population"]]
    communes = communes.reset_index(drop=True)

    zrr, _ = zonages.read_zrr()
    frr, _ = zonages.read_frr()
    zrr_mapped, zrr_cons = carry_over(zrr, communes, partial="P")
    frr_mapped, frr_cons = carry_over(frr, communes, partial="partiel")

    years = qpv.available_vintages("DEMO")
    first, latest = qpv.read_vintage("DEMO", years[0]), qpv.read_vintage("DEMO", years[-1])
    latest = latest[latest["dep"].isin(region.dep_codes)]
    matches, match_report = qpv.match_communes(latest, all_communes, cog.read_former_communes(), qpv.read_exceptions())
    table = matches.merge(first[["code", "POP_MUN"]].rename(columns={"POP_MUN": "pop_first"}), on="code", how="left")
    table = table.merge(latest[["code", "POP_MUN"]].rename(columns={"POP_MUN": "pop_latest"}), on="code", how="left")

    communes = communes.assign(
        zrr=zrr_mapped["zone"].to_numpy(), zrr_rule=zrr_mapped["rule"].to_numpy(),
        frr=frr_mapped["zone"].to_numpy(), frr_rule=frr_mapped["rule"].to_numpy(),
    )
    communes = communes.merge(_qpv_per_commune(table), on="code", how="left")
    communes["qpv_count"] = communes["qpv_count"].fillna(0).astype(int)
    return Territories(communes, table, zrr_cons, frr_cons, (years[0], years[-1]), match_report.summary())


def _qpv_per_commune(table: pd.DataFrame) -> pd.DataFrame:
    """One row per host commune: number of QPV, their names, their population (whole quartiers)."""
    exploded = table.assign(commune=table["communes"].str.split("|")).explode("commune")
    exploded = exploded[exploded["commune"].fillna("").ne("")]
    return exploded.groupby("commune").agg(
        qpv_count=("code", "size"),
        qpv_names=("name", lambda n: " ; ".join(n)),
        qpv_population=("pop_latest", "sum"),
    ).reset_index().rename(columns={"commune": "code"})


def department_coverage(region: Region, territories: Territories) -> pd.DataFrame:
    """The ``coverage`` table: one row per department plus ``dep=TOTAL``; shares as fractions."""
    communes, table = territories.communes, territories.qpv
    zrr = communes["zrr"].isin(ZRR_CLASSED)
    frr = communes["frr"].isin(zonages.FRR_CLASSED)
    per_dep = communes.assign(
        zrr_pop=communes["population"].where(zrr, 0), frr_pop=communes["population"].where(frr, 0),
        is_zrr=zrr.astype(int), is_frr=frr.astype(int),
    ).groupby("dep").agg(
        communes=("code", "size"), population=("population", "sum"),
        zrr_communes=("is_zrr", "sum"), zrr_population=("zrr_pop", "sum"),
        frr_communes=("is_frr", "sum"), frr_population=("frr_pop", "sum"),
    )
    qpv_dep = table.groupby("dep").agg(qpv_count=("code", "size"), qpv_population=("pop_latest", "sum"))
    out = region.departements.rename(columns={"code": "dep", "name": "dep_name"}).set_index("dep")
    out = out.join(per_dep).join(qpv_dep).fillna({"qpv_count": 0, "qpv_population": 0}).reset_index()
    total = out.drop(columns=["dep", "dep_name"]).sum()
    out = pd.concat([out, pd.DataFrame([{"dep": "TOTAL", "dep_name": region.name, **total}])], ignore_index=True)
    out["qpv_share"] = out["qpv_population"] / out["population"]
    ints = [c for c in COVERAGE_COLUMNS if c not in ("dep", "dep_name", "qpv_share")]
    out[ints] = out[ints].astype("int64")
    return out[COVERAGE_COLUMNS]


def zoning_breakdown(territories: Territories, zoning: str) -> pd.DataFrame:
    """Communes and population per department and class of ``zoning`` (``zrr`` or ``frr``)."""
    labels = zonages.ZRR_LABELS if zoning == "zrr" else zonages.FRR_LABELS
    grouped = territories.communes.groupby(["dep", zoning]).agg(
        communes=("code", "size"), population=("population", "sum")
    ).reset_index().rename(columns={zoning: "zone"})
    grouped["classe"] = grouped["zone"].map(labels)
    return grouped


def qpv_indicators(ipro: pd.DataFrame, demo: pd.DataFrame, revn: pd.DataFrame | None, qpv_codes: list[str]) -> pd.DataFrame:
    """Key indicators of each QPV for one vintage, counts kept beside their rates.

    ``job_seekers`` = ABC, ``below_cap`` = ABC_INFCAPBEP (below CAP-BEP), ``under_25`` = ABC_25;
    ``employment_rate`` (TX_TOT_EMPL, %) and ``poverty_rate`` (TP60, %) are Insee's rates.
    """
    frame = demo[demo["code"].isin(qpv_codes)][["code", "name", "dep", "POP_MUN"]].rename(columns={"POP_MUN": "population"})
    cols = {"ABC": "job_seekers", "ABC_INFCAPBEP": "below_cap", "ABC_25": "under_25", "TX_TOT_EMPL": "employment_rate"}
    frame = frame.merge(ipro[["code", *[c for c in cols if c in ipro]]].rename(columns=cols), on="code", how="left")
    if revn is not None and "TP60" in revn:
        frame = frame.merge(revn[["code", "TP60"]].rename(columns={"TP60": "poverty_rate"}), on="code", how="left")
    frame["below_cap_share"] = frame["below_cap"] / frame["job_seekers"]
    return frame.reset_index(drop=True)


def qpv_evolution(first: pd.DataFrame, last: pd.DataFrame) -> pd.DataFrame:
    """Job seekers ABC and share below CAP-BEP between two vintages, per QPV."""
    keep = ["code", "job_seekers", "below_cap_share"]
    merged = first[["code", "name", "dep", *keep[1:]]].merge(last[keep], on="code", suffixes=("_debut", "_fin"))
    merged["job_seekers_change"] = merged["job_seekers_fin"] - merged["job_seekers_debut"]
    merged["below_cap_share_change"] = merged["below_cap_share_fin"] - merged["below_cap_share_debut"]
    return merged


ZONE_COLORS = {
    "zrr": {"C": "#1b7837", "P": "#a6dba0", "NC": "#f2f2f2"},
    "frr": {"plus": "#00441b", "socle": "#1b7837", "beneficiaire": "#5aae61", "beneficiaire_partiel": "#a6dba0",
            "partiel": "#a6dba0", "nc": "#f2f2f2"},
}
QPV_COLOR = "#6a3d9a"


def zone_legend(zoning: str, present: set[str]) -> list[tuple[str, str]]:
    """Legend items (colour, French label) for the classes present on the map."""
    labels = zonages.ZRR_LABELS if zoning == "zrr" else zonages.FRR_LABELS
    return [(color, labels[zone]) for zone, color in ZONE_COLORS[zoning].items() if zone in present]


def qpv_markers(territories: Territories, indicators: pd.DataFrame, points: pd.DataFrame,
                max_radius: float = 14) -> pd.DataFrame:
    """One marker per host commune: ``lat, lon, radius, tooltip`` (radius ∝ √population).

    ``points`` gives each commune's reference point (``code, lon, lat``). A quartier spanning
    several communes is listed in each; the tooltip says so.
    """
    host = territories.communes[territories.communes["qpv_count"].gt(0)]
    exploded = territories.qpv.assign(commune=territories.qpv["communes"].str.split("|")).explode("commune")
    exploded = exploded.merge(indicators[["code", "job_seekers", "below_cap_share"]], on="code", how="left")
    lines = exploded.groupby("commune").apply(_tooltip_lines, include_groups=False).rename("details")
    frame = host.merge(lines, left_on="code", right_index=True).merge(points[["code", "lon", "lat"]], on="code")
    scale = max_radius / (frame["qpv_population"].max() ** 0.5)
    frame["radius"] = (frame["qpv_population"] ** 0.5 * scale).clip(lower=3)
    frame["tooltip"] = [f"<b>{name} ({code})</b><br>{details}" for name, code, details in
                        zip(frame["name"], frame["code"], frame["details"])]
    return frame


def _tooltip_lines(group: pd.DataFrame) -> str:
    from lib.fmt import fr_int, fr_pct

    lines = []
    for row in group.itertuples():
        shared = " (quartier sur plusieurs communes)" if "|" in row.communes else ""
        lines.append(
            f"{row.name}{shared} : {fr_int(row.pop_latest)} hab., {fr_int(row.job_seekers)} DE ABC, "
            f"{fr_pct(row.below_cap_share, fraction=True)} infra CAP-BEP"
        )
    return "<br>".join(lines)


def commune_table(territories: Territories) -> pd.DataFrame:
    """Per commune: code, name, department, population, ZRR and FRR classes (French labels), QPV."""
    communes = territories.communes
    return pd.DataFrame({
        "code": communes["code"], "commune": communes["name"], "dep": communes["dep"],
        "population": communes["population"],
        "zrr_2017": communes["zrr"].map(zonages.ZRR_LABELS), "frr_2025": communes["frr"].map(zonages.FRR_LABELS),
        "qpv": communes["qpv_count"], "quartiers": communes["qpv_names"].fillna(""),
    })
