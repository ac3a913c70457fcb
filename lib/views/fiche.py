"""Fiche département: one department on one screen (figures, findings, rates, static map, national
comparison) and what its PDF and images are made of (:func:`sheet_export`, for the page, the command
line or a slide deck alike)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from lib.datasets.in_use import Datasets
from lib.render.tables import Table
from lib.views.common import coverage_table, department_map_png, department_rates, map_note, offer_period, white_summary
from lib.views.comparer import compare_summary


def department_sheet(ds: Datasets, dep: str, qpv_list: str = "2024", period: tuple[str, str] | None = None) -> dict:
    """Figures, findings and series of one department's sheet (QPV shares on ``qpv_list``; white
    zones on the sessions running in ``period``, by default the Zones blanches page's)."""
    period = period or offer_period()
    return ds.memo("department_sheet", (dep, qpv_list, period), lambda: _department_sheet(ds, dep, qpv_list, period))


def _department_sheet(ds: Datasets, dep: str, qpv_list: str, period: tuple[str, str]) -> dict:
    from lib.indicators import sheet
    from lib.indicators import unemployment as unemp
    from lib.indicators.coverage import QPV_LISTS
    from lib.indicators.offer import period_phrase
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM
    from lib.views.common import region_unemployment

    region = ds.region
    tidy = region_unemployment(ds)
    offer_demo = ds.offer()[3]
    records, records_report, denominators, _, records_demo = ds.records()
    rates = department_rates(ds, dep)
    # records may cover some departments only: the page says so instead of drawing charts of nothing
    record_deps = records["dep"].astype(str)
    entries = int(record_deps.eq(dep).sum())
    covered = sorted(set(record_deps) & set(region.dep_codes))
    # the sheet's rates pool every year of entry (Parcours shows one year): said beside every rate
    years = sorted(int(y) for y in records.loc[record_deps.eq(dep), "year"].dropna().unique())
    observed_on = records_report.meta.get("as_of")
    rates_scope = sheet.rates_scope(years, observed_on)
    figures = sheet.build_figures(region, dep, tidy, coverage_table(ds, qpv_list),
                                  white_summary(ds, DEFAULT_THRESHOLD_KM, period), rates,
                                  DEFAULT_THRESHOLD_KM, offer_demo, records_demo, QPV_LISTS[qpv_list].short,
                                  period_phrase(period), rates_scope=rates_scope,
                                  latest=(unemp.quarters(ds.unemployment()[0]) or [None])[-1])
    start = unemp.shift_quarter(figures.quarter, 4 * 8)
    return {"figures": figures, "findings": sheet.findings(region, figures), "rates": rates,
            "series": sheet.unemployment_series(tidy, region, dep, start), "offer_demo": offer_demo,
            "records_demo": records_demo, "entries": entries, "covered_deps": covered,
            "access_reason": sheet.access_unavailable(dep, denominators), "rates_scope": rates_scope,
            "access_scope": sheet.rates_scope(years, None)}


def _content(ds: Datasets, dep: str, qpv_list: str, period: tuple[str, str] | None) -> dict[str, Any]:
    """What the page and the export both say of the department: cards, chart arguments, the static map
    and its text, the sentence for a department without entries, the national comparison."""
    from lib.core.fmt import fr_int, fr_pct, fr_points
    from lib.indicators import unemployment as unemp
    from lib.indicators.coverage import QPV_LISTS
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM

    region, sheet = ds.region, department_sheet(ds, dep, qpv_list, period)
    figures, rates, qpv = sheet["figures"], sheet["rates"], QPV_LISTS[qpv_list]
    offer_demo, records_demo = sheet["offer_demo"], sheet["records_demo"]
    quarter = unemp.quarter_label(figures.quarter)
    # (label, value, detail, demonstration?)
    cards = [
        ("Taux de chômage", fr_pct(figures.unemployment),
         f"{quarter} — non disponible : {figures.unemployment_missing}" if figures.unemployment_missing else quarter, False),
        ("Évolution sur un an", fr_points(figures.unemployment_change), "même trimestre, année précédente", False),
        (f"Population en QPV ({qpv.short})", fr_pct(figures.qpv_share * 100),
         f"région : {fr_pct(figures.region_qpv_share * 100)} ; RP {qpv.census}", False),
        ("Population en FRR", fr_pct(figures.frr_share * 100), f"région : {fr_pct(figures.region_frr_share * 100)}", False),
        ("Habitants en zone blanche", fr_int(figures.white_population), fr_pct(figures.white_share * 100), offer_demo),
    ]
    # the rates pool every year of entry of the department (Parcours shows one year): entries and observation date said
    rates_scope, access_scope = sheet["rates_scope"], sheet["access_scope"]
    demo = " — données de démonstration" if records_demo else ""
    employment = rates[rates["indicator"].eq("employment_6m")]
    employment_args = (employment, "public_label", "Public", "Retour à l'emploi à 6 mois",
                       "par public" + (f" — {rates_scope}" if rates_scope else "") + demo)
    access_args = (rates[rates["indicator"].eq("access")], "public_label", "Public", "Taux d'accès à la formation",
                   "par public" + (f" — {access_scope}" if access_scope else "") + demo)
    map_alt = (f"Carte des communes {region.dep_of(dep)} selon la distance à la session de formation la plus proche : "
               f"{fr_int(figures.white_population)} habitants en zone blanche (hachurée, plus de "
               f"{fr_int(DEFAULT_THRESHOLD_KM)} km), soit {fr_pct(figures.white_share * 100)} ; quartiers prioritaires "
               f"({qpv.short}) en violet" + (" ; offre de démonstration, distances fictives" if offer_demo else "") + ".")
    records_file = ds.file_in_use("records")
    origin = {"importe": "fichier importé", "configure": "fichier configuré, dossier PRIC_DATA_DIR",
              "demo": "données de démonstration"}.get(records_file.status, records_file.status_label)
    covered = ", ".join(region.dep_label(code) for code in sheet["covered_deps"])
    no_entries = (f"Accès et retour à l'emploi : aucune entrée importée pour ce département dans « {records_file.name} » "
                  f"({origin}). " + (f"Les entrées du fichier couvrent : {covered}." if covered else
                                     "Le fichier n'a aucune entrée dans la région."))
    # The department in France: rank and gap to its nearest peers (page Comparer), on the sheet and in its PDF
    comparison = compare_summary(ds, dep, figures.quarter, qpv_list)
    return {"sheet": sheet, "quarter": quarter, "cards": cards, "qpv": qpv,
            "unemployment_args": (sheet["series"], f"Taux de chômage {region.dep_of(dep)}", ds.source_line("unemployment")),
            "employment_args": employment_args, "access_args": access_args,
            "map_png": department_map_png(ds, dep, DEFAULT_THRESHOLD_KM, qpv_list, map_note(offer_demo)),
            "map_alt": map_alt, "no_entries": no_entries, "comparison": comparison,
            "comparison_note": ("Rang parmi les départements de France (1er : la valeur la plus élevée) ; écart à la "
                                f"médiane des pairs en points ; chômage au {unemp.quarter_label(comparison['quarter'])}.")}


def sheet_page(ds: Datasets, dep: str, qpv_list: str = "2024", period: tuple[str, str] | None = None) -> dict[str, Any]:
    """Everything the page draws for one department, ready to lay out: banner and caption, cards,
    findings, the unemployment chart, the rate charts (or why each is missing), the static map, the
    national comparison and the link to the page Comparer."""
    from lib.core.fmt import fr_int
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM
    from lib.render import charts

    content = _content(ds, dep, qpv_list, period)
    sheet, qpv, comparison = content["sheet"], content["qpv"], content["comparison"]
    figures, offer_demo, records_demo = sheet["figures"], sheet["offer_demo"], sheet["records_demo"]
    demos = [part for part, demo in (("zones blanches", offer_demo), ("accès et retour à l'emploi", records_demo)) if demo]
    rate_panels = []  # (chart, None) or (None, why there is none); no panel at all without entries
    for what, args, reason in (
            ("Retour à l'emploi à 6 mois", content["employment_args"],
             "aucune sortie dont la situation à 6 mois est connue pour ce département"),
            ("Taux d'accès à la formation", content["access_args"], sheet["access_reason"])):
        rate_panels.append((None, f"{what} : non disponible — {reason}.") if args[0].empty
                           else (charts.rate_bars(*args), None))
    return {
        "quarter": figures.quarter, "cards": content["cards"], "rate_panels": rate_panels if sheet["entries"] else [],
        "banner": "Données de démonstration — " + " ; ".join(demos) if demos else None,
        "caption": (f"Région {ds.region.name} — chômage au {content['quarter']} ; zones blanches au seuil de "
                    f"{fr_int(DEFAULT_THRESHOLD_KM)} km (sessions {figures.offer_period}, comme sur la page Zones "
                    f"blanches) ; quartiers prioritaires : {qpv.short} ({qpv.label.split('(')[1].rstrip(')')}, population "
                    f"RP {qpv.census}), à changer sur la page Territoires prioritaires"
                    # said only when something on the sheet is demonstration data
                    + (" ; les éléments marqués « démonstration » reposent sur des données fictives." if demos else ".")),
        "outside": _offer_outside(ds),  # an offer of another region: its white zones are no finding
        "findings": "\n".join(f"- {f.text}" + (" :orange-badge[démonstration]" if f.demo else "") for f in sheet["findings"]),
        "unemployment_chart": charts.unemployment_lines(*content["unemployment_args"]),
        "no_entries": None if sheet["entries"] else content["no_entries"],
        "map_png": content["map_png"], "map_alt": content["map_alt"],
        "map_caption": ("Offre de démonstration. " if offer_demo else "") + ds.catalog()["geo"].caption,
        "peers_line": comparison["peers_line"], "comparison": Table(comparison["table"]),
        "comparison_note": content["comparison_note"],
        "compare_link": {"dep": dep, "qpv": qpv_list, "pairs": ",".join(comparison["peers"])},
        "objectives": _objectives(ds, dep),
    }


def _objectives(ds: Datasets, dep: str) -> dict[str, Any]:
    """The department's objectives of the pact (page Objectifs du pacte's columns), or why there is none."""
    from lib.views.objectifs_page import department_objectives

    return department_objectives(ds, dep)


EXPORT_CHART_WIDTH = 620  # px (whole chart, ``fit-x``) of the unemployment chart's PNG and of its third of the PDF


@dataclass(frozen=True)
class SheetImage:
    """An image of the sheet: ``content`` a chart (altair, made a PNG by ``export.chart_png``) or PNG bytes."""

    name: str  # "unemployment", "employment", "map"
    content: Any
    title: str
    alt: str


@dataclass(frozen=True)
class SheetExport:
    """The plain inputs of ``lib.render.export.sheet_pdf`` for one department (images still charts
    where they are charts) and of the images offered beside it."""

    title: str
    subtitle: str
    figures: list[tuple[str, str, str]]
    findings: list[str]
    images: list[SheetImage]
    sources: list[str]
    warning: str
    sections: list[tuple[str, list[str]]]


def sheet_export(ds: Datasets, dep: str, qpv_list: str = "2024", period: tuple[str, str] | None = None) -> SheetExport:
    """What the sheet's one-page PDF shows: figures, findings (with why rates are missing), the
    unemployment and employment charts (the latter's subtitle carrying its source: the PNG leaves the
    page), the static map, sources, the demonstration warning and the national comparison."""
    from lib.render import charts

    content = _content(ds, dep, qpv_list, period)
    sheet, comparison = content["sheet"], content["comparison"]
    offer_demo, records_demo, rates_scope = sheet["offer_demo"], sheet["records_demo"], sheet["rates_scope"]
    # wide enough for its legend on one row, as wide as its third of the PDF's width is high (no blank half)
    unemployment = charts.unemployment_lines(*content["unemployment_args"]).properties(width=EXPORT_CHART_WIDTH)
    images = [SheetImage("unemployment", unemployment, "Taux de chômage (Insee, CVS)",
                         unemployment.to_dict()["description"])]  # what the chart shows, series named from the data
    employment_args = content["employment_args"]
    if not employment_args[0].empty:  # no chart of nothing: without 6-month outcomes, the PDF says why instead
        png_args = (*employment_args[:4], f"{employment_args[4]} — {ds.source_line('records')}")
        images.append(SheetImage(
            "employment", charts.rate_bars(*png_args), "Retour à l'emploi à 6 mois"
            + (f" ({rates_scope})" if rates_scope else "") + (" — démonstration" if records_demo else ""),
            "Retour à l'emploi à 6 mois par public" + (f", {rates_scope}" if rates_scope else "")
            + (" (données de démonstration)" if records_demo else "") + "."))
    images.append(SheetImage("map", content["map_png"], "Distance à la session la plus proche"
                             + (" — offre de démonstration" if offer_demo else ""), content["map_alt"]))
    catalog = ds.catalog()
    keys = ("chomage_localise_insee", content["qpv"].dataset, "frr_2025_dgcl", "geo")
    sources = [(ds.source_line("unemployment") if key == "chomage_localise_insee" else catalog[key].caption)
               for key in keys if key in catalog]
    sources += [ds.source_line(kind) for kind in ("offer", "records")]
    region = ds.region
    return SheetExport(
        f"Fiche département — {region.dep_name(dep)} ({dep})",
        f"Région {region.name} · chômage au {content['quarter']} · préparé avec le tableau de bord PRIC",
        [(label, value, "offre de démonstration" if demo else "") for label, value, _, demo in content["cards"]],
        [f.text for f in sheet["findings"]] + ([] if sheet["entries"] else [content["no_entries"]])
        + [text for text in [_offer_outside(ds)] if text],
        images, [source.removeprefix("Source : ") for source in sources],
        "Certains éléments reposent sur des données de démonstration (mentionnés)." if offer_demo or records_demo else "",
        [("Comparaison nationale", [comparison["peers_line"], *comparison["lines"], content["comparison_note"]])])


def _offer_outside(ds: Datasets) -> str | None:
    from lib.indicators.white_zones import outside_region_text

    return outside_region_text(ds.offer()[0], ds.region.name)


def pdf_images(export: SheetExport, pngs: dict[str, bytes]) -> list[tuple[bytes, str, str]]:
    """``export.images`` as ``sheet_pdf`` takes them, ``pngs`` giving each image's PNG by name."""
    return [(pngs[image.name], image.title, image.alt) for image in export.images]
