"""Priority territories: QPV, ZRR and FRR coverage per department and per commune.

Two QPV lists: the 2024 list in force (décret n° 2023-1314, population RP 2020, the default) and
the 2015 list of the pact's period (population RP 2018 from Insee's 2022 files, RP 2013 in the
2017 files). Populations of communes and departments are the legal populations of the COG 2026
file (millésime 2023, in force on 1 January 2026). A commune counts as ZRR when it is classified
fully or partly (``C`` or ``P``), and as FRR when it has any FRR class (socle, FRR+, bénéficiaire,
partial ones).
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.datasets.territory import Region
from lib.sources import cog, qpv, qpv2024, zonages
from lib.sources.cog_mapping import carry_over

COVERAGE_COLUMNS = ["dep", "dep_name", "communes", "population", "qpv_count", "qpv_population", "qpv_share",
                    "zrr_communes", "zrr_population", "frr_communes", "frr_population"]
ZRR_CLASSED = ["C", "P"]


@dataclass(frozen=True)
class QpvList:
    """One list of quartiers prioritaires and how its population is dated."""

    key: str        # "2024" | "2015"
    label: str      # the switch's French label
    short: str      # for captions: "liste 2024"
    census: int     # reference year of the quarters' population (recensement)
    dataset: str    # catalog key of its source
    contours: bool  # whether the quarters' contours are available


QPV_LISTS = {
    "2024": QpvList("2024", "2024 (en vigueur)", "liste 2024", qpv2024.CENSUS_YEAR, "qpv_2024", True),
    "2015": QpvList("2015", "2015 (période du Pacte 2019-2022)", "liste 2015", 2018, "qpv_2015_insee_indicators", False),
}
DEFAULT_QPV_LIST = "2024"
POPULATION_YEAR = 2023  # legal populations of the COG 2026 file: millésime 2023, in force on 1 January 2026
POPULATION_LABEL = "population légale 2023 (en vigueur en 2026)"


def qpv_list(key: str | None) -> QpvList:
    """The list for ``key`` (``"2024"`` or ``"2015"``); a French error otherwise."""
    key = key or DEFAULT_QPV_LIST
    if key not in QPV_LISTS:
        from lib.core.errors import DataError

        raise DataError(f"Liste des QPV inconnue : {key} (possibles : {', '.join(QPV_LISTS)}).")
    return QPV_LISTS[key]


@dataclass
class Territories:
    """Everything the priority-territories page, the export and the department sheet need."""

    communes: pd.DataFrame      # code, name, dep, population, zrr, zrr_rule, frr, frr_rule, qpv_count, qpv_names, qpv_population
    qpv: pd.DataFrame           # code, name, dep, communes, commune_names, population (+ pop_first, pop_latest for 2015)
    zrr_conservation: pd.DataFrame
    frr_conservation: pd.DataFrame
    qpv_vintages: tuple[int, ...]  # 2015 list: DEMO years of pop_first and pop_latest; 2024 list: ()
    match_report: str
    qpv_list: QpvList = QPV_LISTS[DEFAULT_QPV_LIST]


def build(region: Region, qpv_list_key: str = DEFAULT_QPV_LIST, all_communes: pd.DataFrame | None = None) -> Territories:
    """Communes of the region with their zonings and the quarters of the chosen QPV list. ``all_communes``:
    the COG table of France when already read (:func:`lib.sources.cog.read_communes` parses 35 000 JSON rows)."""
    chosen = qpv_list(qpv_list_key)
    all_communes = cog.read_communes() if all_communes is None else all_communes
    communes = all_communes[all_communes["dep"].isin(region.dep_codes)][["code", "name", "dep", "population"]]
    communes = communes.reset_index(drop=True)

    zrr, _ = zonages.read_zrr()
    frr, _ = zonages.read_frr()
    zrr_mapped, zrr_cons = carry_over(zrr, communes, partial="P")
    frr_mapped, frr_cons = carry_over(frr, communes, partial="partiel")

    if chosen.key == "2015":
        table, vintages, match_report = _qpv_2015(region, all_communes)
    else:
        table, vintages, match_report = _qpv_2024(region, all_communes)

    communes = communes.assign(
        zrr=zrr_mapped["zone"].to_numpy(), zrr_rule=zrr_mapped["rule"].to_numpy(),
        frr=frr_mapped["zone"].to_numpy(), frr_rule=frr_mapped["rule"].to_numpy(),
    )
    communes = communes.merge(_qpv_per_commune(table), on="code", how="left")
    communes["qpv_count"] = communes["qpv_count"].fillna(0).astype(int)
    return Territories(communes, table, zrr_cons, frr_cons, vintages, match_report, chosen)


def _qpv_2015(region: Region, all_communes: pd.DataFrame) -> tuple[pd.DataFrame, tuple[int, ...], str]:
    """2015 list: Insee DEMO files, host communes matched by name; population = latest DEMO (RP 2018)."""
    years = qpv.available_vintages("DEMO")
    first, latest = qpv.read_vintage("DEMO", years[0]), qpv.read_vintage("DEMO", years[-1])
    latest = latest[latest["dep"].isin(region.dep_codes)]
    matches, match_report = qpv.match_communes(latest, all_communes, cog.read_former_communes(), qpv.read_exceptions())
    table = matches.merge(first[["code", "POP_MUN"]].rename(columns={"POP_MUN": "pop_first"}), on="code", how="left")
    table = table.merge(latest[["code", "POP_MUN"]].rename(columns={"POP_MUN": "pop_latest"}), on="code", how="left")
    table["population"] = table["pop_latest"]
    return table, (years[0], years[-1]), match_report.summary()


def _qpv_2024(region: Region, all_communes: pd.DataFrame) -> tuple[pd.DataFrame, tuple[int, ...], str]:
    """2024 list: ANCT list with Insee population (RP 2020), host communes by code (arrondissements
    and delegated communes carried to the commune that holds them)."""
    rows, _ = qpv2024.read_table()
    rows = rows[rows["dep"].isin(region.dep_codes)]
    table = qpv2024.quarters(rows)
    current, match_report = qpv2024.to_current_communes(rows, all_communes, cog.read_former_communes())
    hosts = current.groupby("code")["commune"].agg(lambda c: "|".join(dict.fromkeys(c)))
    table["communes"] = table["code"].map(hosts).fillna("")
    table = table[["code", "name", "dep", "communes", "commune_names", "population"]]
    shared = int(rows["code"].value_counts().gt(1).sum())
    note = f"{shared} quartiers s'étendent sur plusieurs communes : leur population est comptée une fois."
    return table, (), f"{match_report.summary()} {note}"


def _qpv_per_commune(table: pd.DataFrame) -> pd.DataFrame:
    """One row per host commune: number of QPV, their names, their population (whole quartiers)."""
    exploded = table.assign(commune=table["communes"].str.split("|")).explode("commune")
    exploded = exploded[exploded["commune"].fillna("").ne("")]
    return exploded.groupby("commune").agg(
        qpv_count=("code", "size"),
        qpv_names=("name", lambda n: " ; ".join(n)),
        qpv_population=("population", "sum"),
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
    qpv_dep = table.groupby("dep").agg(qpv_count=("code", "size"), qpv_population=("population", "sum"))
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
    from lib.core.fmt import fr_int, fr_pct

    lines = []
    for row in group.itertuples():
        shared = " (quartier sur plusieurs communes)" if "|" in row.communes else ""
        lines.append(
            f"{row.name}{shared} : {fr_int(row.population)} hab., {fr_int(row.job_seekers)} DE ABC, "
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
