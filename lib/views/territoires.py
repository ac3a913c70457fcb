"""Territoires prioritaires: QPV, ZRR and FRR coverage per department and per commune, the QPV
population beside the published figures, and the Insee indicators of the 2015 list's quarters."""
from __future__ import annotations

from typing import Any

import pandas as pd

from lib.core.fmt import FORMATTERS, fr_int, fr_pct
from lib.datasets.in_use import Datasets
from lib.render.tables import Table
from lib.views import common

COMMUNE_LABELS = {"code": "Code", "commune": "Commune", "dep": "Dép.", "population": "Population", "zrr_2017": "ZRR 2017",
                  "frr_2025": "FRR 2025", "qpv": "QPV", "quartiers": "Quartiers"}
ZONINGS = {"FRR 2025": "frr", "ZRR 2017": "zrr"}


def zoning_source(zoning: str) -> str:
    """The catalogue key of the rural zoning ``zoning`` (``frr`` or ``zrr``)."""
    return "frr_2025_dgcl" if zoning == "frr" else "zrr_2017_2021_anct"


def coverage_tables(ds: Datasets, qpv_list: str = "2024") -> dict[str, Any]:
    """Department coverage, communes and zoning classes with the QPV of ``qpv_list`` (2024 or 2015)."""
    from lib.indicators import coverage

    terr = common.territories(ds, qpv_list)
    communes = coverage.commune_table(terr)
    table = common.coverage_table(ds, qpv_list)
    tables: dict[str, Any] = {"coverage": table, "communes": communes.assign(qpv_list=qpv_list),
                              "communes_shown": Table(communes, {"population": "int"}, COMMUNE_LABELS)}
    short, census = coverage.QPV_LISTS[qpv_list].short, coverage.QPV_LISTS[qpv_list].census
    for zoning in ("zrr", "frr"):
        breakdown = coverage.zoning_breakdown(terr, zoning)
        tables[zoning] = breakdown
        tables[f"{zoning}_pivot"] = breakdown.pivot_table(index="dep", columns="classe", values="communes",
                                                          fill_value=0).reset_index()
        name = zoning.upper()  # the department table beside the map, for this zoning
        # the zoning chosen on the page first: at 1366 px the last columns scroll out of sight
        labels = {"dep": "Code", "dep_name": "Département", f"{zoning}_share": f"Part en {name}",
                  f"{zoning}_communes": f"Communes {name}", "qpv_share": "Part en QPV", "qpv_count": f"QPV ({short})",
                  "qpv_population": f"Population en QPV (RP {census})"}
        shown = table.assign(**{f"{zoning}_share": table[f"{zoning}_population"] / table["population"]})[list(labels)]
        tables[f"{zoning}_shown"] = Table(shown, {"qpv_count": "int", "qpv_population": "int",
                                                  "qpv_share": "pct_fraction", f"{zoning}_communes": "int",
                                                  f"{zoning}_share": "pct_fraction"}, labels)
    return tables


def coverage_map_choices(choice: str, qpv_list: str = "2024") -> dict[str, str]:
    from lib.indicators.coverage import QPV_LISTS

    return {"population_zonage": f"Part de la population en {choice[:3]}",
            "population_qpv": f"Part de la population en QPV ({QPV_LISTS[qpv_list].short})"}


def coverage_map(ds: Datasets, choice: str, map_choice: str, qpv_list: str = "2024"):
    """Department map of the priority-territories page for a zoning (``FRR 2025``…), indicator and QPV list."""
    from lib.datasets import geometry
    from lib.render import maps

    zoning, short = ZONINGS[choice], choice[:3]
    indicator = coverage_map_choices(choice, qpv_list)[map_choice]
    table = common.coverage_table(ds, qpv_list)
    share_col = "qpv_share" if map_choice == "population_qpv" else f"{zoning}_share"
    deps_table = table[table["dep"].ne("TOTAL")].assign(
        zrr_share=lambda t: t["zrr_population"] / t["population"], frr_share=lambda t: t["frr_population"] / t["population"])
    deps = ds.departements().merge(deps_table.rename(columns={"dep": "code"}), on="code")
    deps["pct"] = deps[share_col] * 100
    deps["pct_txt"] = deps["pct"].map(FORMATTERS["pct"])
    deps["label"] = deps["code"] + " – " + deps["dep_name"]
    fmap = maps.choropleth(
        geometry.to_geojson(deps, ["label", "pct", "pct_txt"]), maps.bounds_of(deps), "pct",
        maps.equal_classes(deps["pct"], "%", decimals=0), "QPV" if "QPV" in indicator else short,
        ["label", "pct_txt"], ["Département", indicator],
    )
    maps.describe(fmap, common.extremes_sentence(f"{indicator} par département", deps, "label", "pct", FORMATTERS["pct"]))
    return maps.MapView(fmap, "coverage_map", 470, [])


def commune_zoning_map(ds: Datasets, zoning: str, title: str, qpv_list: str = "2024"):
    """The commune map of ``zoning`` with the QPV of ``qpv_list`` (2024 contours or 2015 host communes),
    described in one sentence."""
    from lib.indicators.coverage import QPV_LISTS
    from lib.render import maps

    fmap = common.commune_zoning_map(ds, zoning, title, qpv_list)  # a copy: adding to it is safe
    total = common.coverage_table(ds, qpv_list).set_index("dep").loc["TOTAL"]
    qpv = ("en contour" if qpv_list == "2024" else "en cercle sur leur commune")
    maps.describe(fmap, f"Communes classées {title} et quartiers prioritaires ({QPV_LISTS[qpv_list].short}, {qpv}) : "
                        f"{fr_int(total[f'{zoning}_communes'])} communes classées sur {fr_int(total['communes'])}, "
                        f"{fr_int(total['qpv_count'])} quartiers ; le tableau des communes donne le détail.")
    return maps.MapView(fmap, "communes_map", 560, [])


def qpv_evolution(ds: Datasets, start: int, end: int, deps: tuple[str, ...]) -> dict[str, Any]:
    """Insee indicators of the quarters between two vintages: the 2015 list (the files' own), whatever
    list the page shows."""
    from lib.indicators import coverage

    terr = common.territories(ds, "2015")
    qpv_codes = list(terr.qpv.loc[terr.qpv["dep"].isin(deps or ds.region.dep_codes), "code"])
    revn = ds.qpv_file("REVN", ds.qpv_vintages("REVN")[-1])

    def at(year: int) -> pd.DataFrame:
        return coverage.qpv_indicators(ds.qpv_file("IPRO", year), ds.qpv_file("DEMO", ds.qpv_vintage_for("DEMO", year)),
                                       revn, qpv_codes)

    first, last = at(start), at(end)
    evolution = coverage.qpv_evolution(first, last).merge(
        last[["code", "population", "employment_rate", "poverty_rate"]], on="code")
    evolution = evolution.merge(terr.qpv[["code", "commune_names"]], on="code")
    labels = {"code": "Code", "name": "Quartier", "dep": "Dép.", "commune_names": "Communes", "population": "Population",
              "job_seekers_debut": f"DE ABC {start}", "job_seekers_fin": f"DE ABC {end}",
              "job_seekers_change": "Évolution DE ABC", "below_cap_share_debut": f"Infra CAP-BEP {start}",
              "below_cap_share_fin": f"Infra CAP-BEP {end}", "below_cap_share_change": "Évolution infra CAP-BEP",
              "employment_rate": f"Taux d'emploi {end}", "poverty_rate": f"Taux de pauvreté ({ds.qpv_vintages('REVN')[-1]})"}
    shown = Table(evolution[list(labels)], {
        "population": "int", "job_seekers_debut": "int", "job_seekers_fin": "int", "job_seekers_change": "int",
        "below_cap_share_debut": "pct_fraction", "below_cap_share_fin": "pct_fraction",
        "below_cap_share_change": "points_fraction", "employment_rate": "pct", "poverty_rate": "pct"}, labels)
    return {"table": evolution, "shown": shown}


# --- the page's sentences ----------------------------------------------------------------------

def qpv_list_notes(ds: Datasets, qpv_list: str, choice: str) -> dict[str, Any]:
    """What the page writes about the QPV list chosen and the rural zoning ``choice``: the banner, the
    extra words of the department table's and the commune map's source lines, and the commune map's sources."""
    from lib.indicators import coverage

    terr = common.territories(ds, qpv_list)
    chosen = coverage.QPV_LISTS[qpv_list]
    count = fr_int(len(terr.qpv))
    banner = f"**Quartiers prioritaires : {chosen.short}** — " + (
        f"liste en vigueur depuis le 1er janvier 2024, {count} quartiers dans la région, population du "
        f"recensement {chosen.census}." if qpv_list == "2024" else
        f"liste de la période du Pacte 2019-2022 (remplacée au 1er janvier 2024), {count} quartiers "
        f"dans la région, population du recensement {chosen.census} (fichier Insee {terr.qpv_vintages[-1]}).")
    table_extra = (f"Population des QPV : recensement {chosen.census}"
                   + (f" (fichier Insee {terr.qpv_vintages[-1]})" if terr.qpv_vintages else "")
                   + f" ; population des communes et des départements : {coverage.POPULATION_LABEL}, "
                     f"fichier COG 2026. {choice[:3]} : commune classée, même partiellement.")
    source = zoning_source(ZONINGS[choice])
    if qpv_list == "2024":
        map_sources = (source, "qpv_2024", "geo")
        map_extra = ("Quartiers : contours de la liste 2024, simplifiés, issus d'une copie du fichier de l'ANCT ; "
                     "population RP 2020 (Insee) au survol.")
    else:
        map_sources = (source, "qpv_2015_insee_indicators", "geo")
        map_extra = (f"Liste 2015 : contours non fournis, cercles sur les communes hôtes ; indicateurs des "
                     f"quartiers : fichier IPRO {ds.qpv_vintages('IPRO')[-1]}.")
    return {"banner": banner, "table_sources": (chosen.dataset, source, "decoupage_admin_etalab"),
            "table_extra": table_extra, "map_sources": map_sources, "map_extra": map_extra}


def qpv_population_check(ds: Datasets, qpv_list: str) -> dict[str, Any] | None:
    """The region's QPV population beside the published figures (the 2024 list: Insee's publication and
    the pact; the 2015 list: the pact and Insee's files), when the region has them; else ``None``."""
    catalog = ds.catalog()
    reference = ds.reference_table("pact_ara_2019", "qpv.csv").set_index("indicator")
    pact_population = fr_int(int(reference.loc["qpv_population", "value"]))
    total = common.coverage_table(ds, qpv_list).set_index("dep").loc["TOTAL"]
    if qpv_list == "2024" and catalog["insee_ara_qpv_2024"].covers(ds.code):
        published = ds.reference_table("insee_ara_qpv_2024", "qpv.csv").set_index("indicator")
        published_population = fr_int(int(published.loc["qpv_population", "value"]))
        published_share = fr_pct(float(published.loc["qpv_share", "value"]))
        computed_share = fr_pct(total["qpv_share"], fraction=True)
        return {
            "header": "Population des QPV : la liste 2024, le chiffre publié et le calcul",
            "metrics": [
                ("Publié (Insee, RP 2020)", f"{published_population} hab.",
                 f"{published.loc['qpv_count', 'value']} quartiers ; {published_share} des habitants"),
                ("Calcul, liste 2024 (RP 2020)", f"{fr_int(total['qpv_population'])} hab.",
                 f"{fr_int(total['qpv_count'])} quartiers ; {computed_share} de la population légale 2023"),
                ("Pacte, liste 2015 (atlas CGET 2017)", f"{pact_population} hab.",
                 f"{reference.loc['qpv_count', 'value']} quartiers")],
            "text": (
                "Le calcul somme la population de chaque quartier une seule fois (un quartier sur deux communes n'est pas "
                f"compté deux fois) : {fr_int(total['qpv_population'])} habitants, que la publication arrondit à "
                f"{published_population}. La part publiée ({published_share}) rapporte cette population à celle de la "
                "région au même recensement (2020) ; le tableau de bord la rapporte à la population légale la plus récente "
                f"(millésime 2023), d'où {computed_share}. Le chiffre du Pacte porte sur l'ancienne liste (2015) : "
                "choisir « 2015 » pour le comparer à son calcul."),
            "sources": ("insee_ara_qpv_2024", "qpv_2024", "pact_ara_2019"),
        }
    if qpv_list == "2015" and catalog["pact_ara_2019"].covers(ds.code):
        terr = common.territories(ds, qpv_list)
        first, latest = terr.qpv_vintages[0], terr.qpv_vintages[1]
        return {
            "header": "Population des QPV : le chiffre du Pacte et le calcul",
            "metrics": [
                ("Pacte (atlas CGET 2017)", f"{pact_population} hab.", f"{reference.loc['qpv_count', 'value']} quartiers"),
                (f"Fichier Insee {first} (RP {first - 4})", f"{fr_int(terr.qpv['pop_first'].sum())} hab.",
                 f"{len(terr.qpv)} quartiers"),
                (f"Fichier Insee {latest} (RP {latest - 4})", f"{fr_int(total['qpv_population'])} hab.",
                 f"{fr_pct(total['qpv_share'], fraction=True)} de la population légale 2023")],
            "text": (
                "Les trois chiffres portent sur les mêmes 140 quartiers (liste 2015). Le Pacte cite l'atlas du CGET de "
                "2017, établi sur le recensement de 2013 avec les contours de quartiers de l'époque ; le fichier Insee "
                "2017, sur le même recensement, compte 300 habitants de plus (411 430), écart qui tient aux révisions "
                "de contours et au carroyage utilisés par Insee pour ses diffusions. Le fichier 2022 repose sur le "
                "recensement de 2018 : la population des quartiers a baissé de 2 %. La part est rapportée ici à la "
                "population légale la plus récente."),
            "sources": ("pact_ara_2019", "qpv_2015_insee_indicators"),
        }
    return None


# --- the maps as images (PNG) ----------------------------------------------------------------------

def coverage_map_png(ds: Datasets, choice: str, map_choice: str, qpv_list: str = "2024") -> bytes:
    """The department map of :func:`coverage_map` as a PNG: title, shares written on each department,
    legend (%), sources and their vintages."""
    from datetime import date

    def draw() -> bytes:
        from lib.indicators.coverage import POPULATION_LABEL, QPV_LISTS
        from lib.render import export, maps
        from lib.views.chomage import map_footer

        zoning = ZONINGS[choice]
        indicator = coverage_map_choices(choice, qpv_list)[map_choice]
        table = common.coverage_table(ds, qpv_list)
        table = table[table["dep"].ne("TOTAL")].set_index("dep")
        qpv = map_choice == "population_qpv"
        pct = (table["qpv_share"] if qpv else table[f"{zoning}_population"] / table["population"]) * 100
        classes = maps.equal_classes(pct, "%", decimals=0)
        legend = [(c, f"{label} %") for c, label in zip(classes.colors, classes.labels)]
        chosen = QPV_LISTS[qpv_list]
        what = (f"quartiers prioritaires, {chosen.short} (population RP {chosen.census})" if qpv else
                f"communes classées {choice}, même partiellement")
        notes = qpv_list_notes(ds, qpv_list, choice)
        catalog = ds.catalog()
        return export.annotated_map_png(
            ds.departements(), pct.map(classes.color), legend, title=f"{indicator} par département",
            subtitle=f"Région {ds.region.name} ({ds.region.code}) — part de la population vivant en {what} ; "
                     f"population : {POPULATION_LABEL}.",
            legend_title="Part de la population (%)",
            source=map_footer(*(catalog[key].caption for key in notes["table_sources"] if key in catalog),
                              catalog["geo"].caption),
            labels=pct.index.to_series() + "\n" + pct.map(FORMATTERS["pct"]))

    return ds.memo("coverage_map_png", (choice, map_choice, qpv_list, date.today()), draw, entries=8,
                   announce="Dessin de la carte…")


def commune_map_png(ds: Datasets, zoning: str, title: str, qpv_list: str = "2024") -> bytes:
    """The commune map of :func:`commune_zoning_map` as a PNG: communes by class of ``zoning``, the QPV
    of ``qpv_list`` (2024 contours, or the host communes of the 2015 list outlined), legend, sources."""
    from datetime import date

    def draw() -> bytes:
        from lib.indicators import coverage
        from lib.render import export
        from lib.views.chomage import map_footer

        terr = common.territories(ds, qpv_list)
        zones = terr.communes.set_index("code")[zoning]
        colors = zones.map(coverage.ZONE_COLORS[zoning])
        legend = coverage.zone_legend(zoning, set(zones.dropna()))
        chosen = coverage.QPV_LISTS[qpv_list]
        outlines = [(ds.departements(), "#222", 1.0, "")]
        quarters = None
        if qpv_list == "2024":
            from lib.sources import qpv2024

            quarters = qpv2024.read_contours(ds.region.dep_codes)
        else:
            hosts = ds.commune_polygons()
            hosts = hosts[hosts["code"].isin(terr.communes.query("qpv_count > 0")["code"])]
            outlines.append((hosts, coverage.QPV_COLOR, 1.2, "commune avec un QPV (liste 2015)"))
        notes = qpv_list_notes(ds, qpv_list, title)
        catalog = ds.catalog()
        return export.annotated_map_png(
            ds.commune_polygons(), colors, legend, title=f"Communes classées {title} et quartiers prioritaires",
            subtitle=f"Région {ds.region.name} ({ds.region.code}) — {title} : commune classée, même partiellement ; "
                     f"quartiers prioritaires : {chosen.short}.",
            legend_title=f"Classement {title}", outlines=outlines, quarters=quarters,
            source=map_footer(*(catalog[key].caption for key in notes["map_sources"] if key in catalog)))

    return ds.memo("commune_map_png", (zoning, title, qpv_list, date.today()), draw, entries=4,
                   announce="Dessin de la carte des communes…")
