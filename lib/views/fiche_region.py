"""Fiche région: the whole region on one page (PDF), beside the department's (:mod:`lib.views.fiche`):
unemployment (the region's rate, or the median of its departments said as such), priority territories,
white zones, entries in training and their rates, the objectives' statuses, findings, the departments'
map and the white zones' map, sources with their dates. Same :class:`lib.views.fiche.SheetExport` shape,
drawn by ``lib.render.export.sheet_pdf``."""
from __future__ import annotations

import pandas as pd

from lib.core.fmt import fr_int, fr_pct, fr_points
from lib.datasets.in_use import Datasets
from lib.views.common import coverage_table, offer_period, region_unemployment, white_summary
from lib.views.fiche import SheetExport, SheetImage

RATE_INDICATORS = {"employment_6m": "retour à l'emploi à 6 mois", "certification": "certification",
                   "abandonment": "abandon"}


def region_unemployment_figure(ds: Datasets, quarter: str) -> tuple[float | None, float | None, str]:
    """The region's rate at ``quarter`` and its change over a year, and what it is: the region's own row of
    the Insee workbook, else the median of its departments (said: never presented as the region's rate)."""
    from lib.indicators import unemployment as unemp

    tidy = region_unemployment(ds)
    before = unemp.shift_quarter(quarter, 4)
    own = tidy[tidy["level"].eq("region") & tidy["code"].eq(ds.region.code)].set_index("quarter")["rate"]
    if quarter in own.index:
        return float(own[quarter]), (float(own[quarter] - own[before]) if before in own.index else None), "de la région"
    deps = tidy[tidy["level"].eq("departement") & tidy["code"].isin(ds.region.dep_codes)]
    median = deps.groupby("quarter")["rate"].median()
    if quarter not in median.index:
        return None, None, "non disponible"
    change = float(median[quarter] - median[before]) if before in median.index else None
    return float(median[quarter]), change, "médiane des départements, faute de ligne régionale dans le fichier Insee"


def _region_rates(ds: Datasets) -> pd.DataFrame:
    from lib.indicators import pathways as pw

    def compute() -> pd.DataFrame:
        records, _, denominators, _, _ = ds.records()
        return pw.rates_by(records, denominators, pw.Selection(deps=tuple(ds.region.dep_codes)), [])

    return ds.memo("region_sheet_rates", (), compute, entries=2)


def _rate_text(rates: pd.DataFrame, indicator: str) -> str:
    row = rates[rates["indicator"].eq(indicator)]
    if row.empty:
        return "non disponible"
    row = row.iloc[0]
    if row["status"] != "ok" or pd.isna(row["rate"]):
        return "non diffusé (secret ou effectif trop faible)"
    return f"{fr_pct(row['rate'] * 100)} ({fr_int(row['numerator'])} sur {fr_int(row['denominator'])})"


def region_sheet_export(ds: Datasets, qpv_list: str = "2024", period: tuple[str, str] | None = None) -> SheetExport:
    """What the region's one-page PDF shows (same shape as the department's :func:`lib.views.fiche.sheet_export`)."""
    period = period or offer_period()
    return ds.memo("region_sheet_export", (qpv_list, period), lambda: _region_sheet(ds, qpv_list, period), entries=2,
                   announce="Préparation de la fiche région…")


def _region_sheet(ds: Datasets, qpv_list: str, period: tuple[str, str]) -> SheetExport:
    from lib.indicators import unemployment as unemp
    from lib.indicators.coverage import QPV_LISTS
    from lib.indicators.objectives import STATUS_LABELS, STATUSES
    from lib.indicators.offer import period_phrase
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM
    from lib.views.chomage import unemployment_map_png
    from lib.views.objectifs import objectives_status
    from lib.views.zones_blanches import white_zone_map_png

    region, qpv = ds.region, QPV_LISTS[qpv_list]
    quarter = unemp.quarters(region_unemployment(ds))[-1]
    label = unemp.quarter_label(quarter)
    rate, change, what = region_unemployment_figure(ds, quarter)
    deps = unemp.department_table(region_unemployment(ds), region, quarter)
    cov = coverage_table(ds, qpv_list).set_index("dep")
    total = cov.loc["TOTAL"]
    white = white_summary(ds, DEFAULT_THRESHOLD_KM, period).set_index("dep")
    offer_demo = ds.offer()[3]
    records, report, _, _, records_demo = ds.records()
    in_region = records[records["dep"].astype(str).isin(region.dep_codes)]
    observed = report.meta.get("as_of")
    observed_text = f"{observed:%d/%m/%Y}" if observed is not None else "date non renseignée"
    years = sorted(int(y) for y in in_region["year"].dropna().unique())
    span = (f"{years[0]}-{years[-1]}" if len(years) > 1 else str(years[0])) if years else "aucune"
    rates = _region_rates(ds)
    status = objectives_status(ds)
    counts = status["table"]["status"].value_counts()
    statuses = " ; ".join(f"{STATUS_LABELS[s].split(' ', 1)[1].lower()} : {fr_int(counts[s])}"
                          for s in STATUSES if counts.get(s, 0))
    short = f"T{quarter[-1]} {quarter[:4]}"
    figures = [
        (f"Chômage {short}" + (", médiane des dép." if what.startswith("médiane") else ""), fr_pct(rate), ""),
        ("Évolution sur un an", fr_points(change), ""),
        (f"Population en QPV ({qpv.short})", fr_pct(total.qpv_share * 100), ""),
        ("Population en FRR", fr_pct(total.frr_population / total.population * 100), ""),
        ("Habitants en zone blanche", fr_int(white.loc["TOTAL", "white_population"]),
         "offre de démonstration" if offer_demo else ""),
        (f"Entrées en formation ({span})", fr_int(len(in_region)), "démonstration" if records_demo else ""),
        ("Objectifs du pacte atteints", f"{fr_int(counts.get('atteint', 0))} / {fr_int(len(status['table']))}",
         "démonstration" if records_demo else ""),
    ]
    shown = deps.dropna(subset=["taux"]).sort_values("taux")
    findings = []
    if rate is not None:
        findings.append(f"Chômage au {label} : {fr_pct(rate)} ({what})"
                        + (f", {fr_points(change)} en un an" if change is not None else "")
                        + (f" ; de {fr_pct(shown.iloc[0]['taux'])} ({shown.iloc[0]['departement']}) à "
                           f"{fr_pct(shown.iloc[-1]['taux'])} ({shown.iloc[-1]['departement']}) selon le département."
                           if len(shown) else "."))
    deps_cov = cov.drop(index="TOTAL")
    top_qpv = deps_cov.sort_values("qpv_share").iloc[-1]
    findings.append(f"{fr_int(total.qpv_population)} habitants vivent dans les {fr_int(total.qpv_count)} quartiers "
                    f"prioritaires de la région ({qpv.short}, RP {qpv.census}), soit {fr_pct(total.qpv_share * 100)} ; "
                    f"la part la plus forte : {top_qpv.dep_name} ({fr_pct(top_qpv.qpv_share * 100)}). "
                    f"{fr_int(total.frr_communes)} communes classées FRR sur {fr_int(total.communes)} ; "
                    f"{fr_pct(total.zrr_population / total.population * 100)} des habitants en commune ZRR (2017).")
    white_deps = white.drop(index="TOTAL").sort_values("white_population", ascending=False)
    most = white_deps.iloc[0] if len(white_deps) and white_deps.iloc[0]["white_population"] > 0 else None
    findings.append(f"{fr_int(white.loc['TOTAL', 'white_population'])} habitants ({fr_pct(white.loc['TOTAL', 'white_share'] * 100)}) "
                    f"vivent à plus de {fr_int(DEFAULT_THRESHOLD_KM)} km de toute session de formation {period_phrase(period)}"
                    + (f", dont {fr_int(most['white_population'])} dans le département {most['dep_name']}" if most is not None else "")
                    + (" (offre de démonstration)." if offer_demo else "."))
    findings.append(f"{fr_int(len(in_region))} entrées en formation ({span}, sorties observées au {observed_text}) : "
                    + " ; ".join(f"{name} {_rate_text(rates, key)}" for key, name in RATE_INDICATORS.items())
                    + (" (données de démonstration)." if records_demo else "."))
    findings.append(f"Objectifs du pacte ({status['source']}, au {status['as_of']:%d/%m/%Y}) : {statuses}."
                    + (" Réalisations calculées sur des entrées de démonstration." if records_demo else ""))
    lines = []
    for row in deps.itertuples():
        c = cov.loc[row.code]
        lines.append(f"{region.dep_label(row.code)} : chômage {fr_pct(row.taux)} ; QPV {fr_pct(c.qpv_share * 100)} ; "
                     f"FRR {fr_pct(c.frr_population / c.population * 100)} ; zone blanche "
                     f"{fr_int(white.loc[row.code, 'white_population']) if row.code in white.index else '–'} hab.")
    pairs = [" · ".join(lines[i:i + 2]) for i in range(0, len(lines), 2)]
    images = [SheetImage("unemployment_map", unemployment_map_png(ds, quarter, framed=False), f"Taux de chômage par département, {label}",
                         f"Carte des départements de la région {region.name} selon leur taux de chômage au {label}."),
              SheetImage("white_map", white_zone_map_png(ds, (), False, period, int(DEFAULT_THRESHOLD_KM), framed=False),
                         "Distance à la session la plus proche" + (" — offre de démonstration" if offer_demo else ""),
                         f"Carte des communes de la région {region.name} selon la distance à la session de formation la "
                         f"plus proche ; zones blanches hachurées" + (" ; offre de démonstration" if offer_demo else "") + ".")]
    catalog = ds.catalog()
    sources = [f"{ds.source_line('unemployment')} Fichier « {ds.file_in_use('unemployment').name} »."]
    sources += [catalog[key].caption for key in (qpv.dataset, "frr_2025_dgcl", "zrr_2017_2021_anct", "geo") if key in catalog]
    sources += [ds.source_line(kind) for kind in ("offer", "records")]  # the objectives' file: named in its finding
    demo = [part for part, on in (("offre de formation", offer_demo), ("entrées en formation", records_demo)) if on]
    return SheetExport(
        f"Fiche région — {region.name} ({region.code})",
        f"Chômage au {label} · entrées observées au {observed_text} · offre : sessions {period_phrase(period)} · "
        "préparé avec le tableau de bord PRIC",
        figures, findings, images, [source.removeprefix("Source : ") for source in sources],
        ("Données de démonstration : " + " et ".join(demo) + " (mentionnées)." if demo else ""),
        [("Par département", pairs)])


def region_sheet_pdf(ds: Datasets, qpv_list: str = "2024", period: tuple[str, str] | None = None) -> bytes:
    """The region's one-page PDF (``lib.render.export.sheet_pdf`` of :func:`region_sheet_export`)."""
    from lib.render import export

    sheet = region_sheet_export(ds, qpv_list, period)
    return export.sheet_pdf(sheet.title, sheet.subtitle, sheet.figures, sheet.findings,
                            [(image.content, image.title, image.alt) for image in sheet.images], sheet.sources,
                            sheet.warning, sheet.sections)
