"""Parcours et résultats: the pact's flagship rates by public and pathway type, the QPV share of the
entrants, the plan against what was realised, the abandonment motifs and the Baromètre."""
from __future__ import annotations

from typing import Any

import pandas as pd

from lib.datasets.in_use import Datasets
from lib.indicators.pathways import INDICATOR_LABELS
from lib.render.tables import Table
from lib.sources.records import LABELS, PATHWAYS  # noqa: F401  (PATHWAYS: the page's choices)

PATHWAY_LABELS = LABELS["pathway_type"]  # the filters' choices: PATHWAYS, INDICATOR_LABELS (heatmap: all but access)
HEAT_INDICATORS = [i for i in INDICATOR_LABELS if i != "access"]

BAROMETRE_LABELS = {"code": "Code", "departement": "Département"}
RATE_FORMATS = {"numerator": "int", "denominator": "int", "rate": "pct_fraction", "ci_low": "pct_fraction",
                "ci_high": "pct_fraction"}
RATE_LABELS = {"indicateur": "Indicateur", "public_label": "Public", "numerator": "Numérateur",
               "denominator": "Dénominateur", "rate": "Taux", "ci_low": "IC bas", "ci_high": "IC haut", "statut": "Statut"}
RATE_COLUMNS = ["indicateur", "public_label", "numerator", "denominator", "rate", "ci_low", "ci_high", "statut"]
QPV_SHARE_COLUMNS = ["year", "numerator", "denominator", "rate"]
QPV_SHARE_FORMATS = {"numerator": "int", "denominator": "int", "rate": "pct_fraction"}
QPV_SHARE_LABELS = {"year": "Année", "numerator": "Entrants QPV", "denominator": "Entrants", "rate": "Part"}
REASON_FORMATS = {"abandons": "int", "part": "pct_fraction"}
REASON_LABELS = {"motif": "Motif", "abandons": "Abandons", "part": "Part"}
# the Baromètre's tables by department: (key in pathway_references, heading, table name, CSV file's word)
BAROMETRE_TABLES = (
    ("apprentices", "Contrats d'apprentissage par département (nombre annuel)",
     "Contrats d'apprentissage par département (nombre annuel)", "apprentissage"),
    ("siae", "Bénéficiaires de l'insertion par l'activité économique (SIAE) — moyenne des effectifs mensuels",
     "Bénéficiaires de l'insertion par l'activité économique (SIAE), moyenne des effectifs mensuels", "siae"))
MOTIFS_NOTE = ("La première ligne est imprimée « Auvergne-Rhône-Alpes » et la dernière « Total général » ; leurs chiffres "
               "diffèrent et le Pacte ne dit pas pourquoi : les deux sont reproduites telles quelles.")
RATES_NOTE = ("Barres : taux ; trait noir : intervalle de confiance à 95 % (Wilson) ; barre pâle : effectif fragile "
              "(dénominateur < 60) ; « s » : secret (dénominateur < 20), ni taux ni numérateur affichés. Repères, chacun sur "
              "sa ligne avec sa valeur : rouge et losange = région (chiffre du Pacte), vert et carré = national ; trait plein "
              "et symbole plein = même définition, tirets et symbole creux = définition proche (autre cohorte, autre "
              "mesure). Le 57 % national (sortants 2015) et le « +3 points » du Pacte (moyenne nationale 2017 à 48 %) ne "
              "mesurent pas la même chose : voir Sources et méthodologie. ")
PATHWAY_NOTE = ("Les repères nationaux (carrés verts creux, valeur au-dessus) viennent des publications citées dans le "
                "fichier des références ; ils mesurent l'accès à un emploi d'un mois ou plus dans les 6 mois pour les "
                "sortants de 2018 : définition proche mais pas identique. ")


def yearly_formats(table: pd.DataFrame) -> dict:
    """A Baromètre table's year columns as whole numbers (« 2 944 », not « 2944.000000 »; means rounded, whole in the CSV)."""
    return {c: "int" for c in table.columns if c not in ("code", "departement")}


def read_denominators(content: bytes, name: str):
    """Read an imported denominators file as the records will (a French :class:`DataError` when it cannot be used)."""
    from lib.sources.denominators import read_denominators as read

    return read(content, name)


def records_years(ds: Datasets) -> list[int]:
    records = ds.records()[0]
    return [int(y) for y in sorted(records["year"].unique())]


def access_gap_messages(ds: Datasets) -> list[str]:
    """French sentences naming where access is not computed (missing denominators)."""
    from lib.indicators.rates import access_gaps

    records, _, denominators, _, _ = ds.records()
    return access_gaps(records, denominators)


def pathway_scope(ds: Datasets, year: int | None, deps: tuple[str, ...], covered: tuple[str, ...] | None = None) -> str:
    """The filters in words, under every chart of the page (« 2023 · 01, 69 », « toutes années · Région »);
    the region's name only when the records (``covered``: the region's departments with entries) cover all
    its departments, else « 2022 · 3 départements sur 12 (38, 69, 73) »."""
    from lib.indicators import pathways as pw

    region = ds.region
    covered = tuple(region.dep_codes) if covered is None else covered
    return f"{'toutes années' if year is None else year} · {pw.coverage_label(covered, region.dep_codes, region.name, deps)}"


def covered_sentence(ds: Datasets, covered: list[str] | tuple[str, ...]) -> str:
    """Which departments the records in use cover, named (« Les entrées du fichier en usage couvrent 3
    départements sur 12 : 38 – Isère, 69 – Rhône, 73 – Savoie. »)."""
    region = ds.region
    if not covered:
        return "Le fichier d'entrées en usage n'a aucune entrée dans les départements de la région."
    count, total = len(covered), len(region.dep_codes)
    named = ", ".join(region.dep_label(dep) for dep in covered)
    if count == total:
        return f"Les entrées du fichier en usage couvrent les {total} départements de la région."
    return (f"Les entrées du fichier en usage couvrent {count} département{'s' if count > 1 else ''} sur {total} : "
            f"{named}.")


def _empty_message(entries: int, ongoing: int, no_entry: str) -> str:
    """Why no rate is drawn: no entry (with the departments the file covers), or entries all ongoing."""
    from lib.core.fmt import fr_int

    if not entries:  # which departments the file covers, so that the user knows where to look
        return no_entry
    if ongoing == entries:
        return (f"{fr_int(entries)} entrée(s) correspondent à ces filtres, toutes encore en cours : aucune sortie, donc "
                "aucun taux (abandon, certification, emploi) à calculer pour l'instant.")
    return f"{fr_int(entries)} entrée(s) correspondent à ces filtres, mais aucun taux n'est calculable."


def pathway_page(ds: Datasets, year: int | None, deps: tuple[str, ...], pathways: tuple[str, ...],
                 axes: tuple[str, ...], source_line: str) -> dict[str, Any]:
    """Everything the page *Parcours et résultats* draws for one selection, ready to lay out:
    rates by public (table, warnings, one chart per indicator), employment by pathway type
    (a chart, or the sentence saying no exit is observable), the QPV share (gauge or the
    reason it is not computed) and the plan compared with what was realised."""
    from lib.core.fmt import fr_pct
    from lib.indicators import pathways as pw
    from lib.indicators.rates import finalize, incoherent_cells, unknown_cells
    from lib.render import charts

    records, report, denominators, _, is_demo = ds.records()
    chosen = pw.Selection(year=year, deps=deps, pathways=pathways, axes=axes)
    region = ds.region
    covered = pw.departments_covered(records, region.dep_codes)  # records may cover some departments only
    scope = pathway_scope(ds, year, deps, tuple(covered))
    demo = " — données de démonstration" if is_demo else ""
    observed_on = report.meta.get("as_of")
    observed = f" — sorties observées au {observed_on:%d/%m/%Y}" if observed_on else ""
    marks = pw.benchmark_marks(ds.benchmarks())
    pact = ds.catalog()["pact_ara_2019"]
    pact_2017 = ds.reference_table("pact_ara_2019", "indicateurs_2017.csv") if pact.covers(ds.code) else pd.DataFrame()

    by_public = pw.rates_by(records, denominators, chosen, ["public"])
    if by_public.empty:  # no entry, or entries none of which gives a rate (all ongoing): said apart
        entries = chosen.apply(records)
        entries = entries[entries["year"].eq(year)] if year else entries
        no_entry = f"Aucune entrée ne correspond à ces filtres ({scope}). " + covered_sentence(ds, covered)
        ongoing = int(entries["outcome"].eq("en_cours").sum())
        return {"empty": True, "scope": scope, "is_demo": is_demo, "entries": len(entries), "ongoing": ongoing,
                "no_entry": no_entry, "message": _empty_message(len(entries), ongoing, no_entry)}
    public_charts = []
    for indicator in [i for i in pw.INDICATOR_LABELS if i in set(by_public["indicator"])]:
        data = by_public[by_public["indicator"].eq(indicator)]
        subtitle = scope + (observed if indicator.startswith("employment") else "") + demo
        public_charts.append(charts.rate_bars(
            data, "public_label", "Public", pw.INDICATOR_LABELS[indicator], subtitle,
            pw.reference_marks(indicator, pact_2017, marks["indicator"])))

    by_pathway = pw.rates_by(records, denominators, chosen, ["pathway_type"])
    pathway_charts = []  # (chart, None) or (None, the sentence saying why there is no chart)
    for indicator in ("employment_6m", "employment_12m"):
        data = by_pathway[by_pathway["indicator"].eq(indicator)]
        if data.empty:
            pathway_charts.append((None, f"{pw.INDICATOR_LABELS[indicator]} : aucune sortie observable avec ces filtres."))
            continue
        subtitle = f"{scope} — sorties observées au {observed_on:%d/%m/%Y}{demo}" if observed_on else scope + demo
        pathway_charts.append((charts.rate_bars(
            data, "parcours", "Type de parcours", pw.INDICATOR_LABELS[indicator], subtitle,
            marks["pathway"] if indicator == "employment_6m" else None), None))

    cross = pw.rates_by(records, denominators, chosen, ["public", "pathway_type"])
    heat = {}  # indicator -> (its public × pathway-type table, heatmap): the page's selectbox picks one
    for indicator in [i for i in pw.INDICATOR_LABELS if i != "access"]:
        table = cross[cross["indicator"].eq(indicator)]
        heat[indicator] = (table, charts.rate_heatmap(
            table, "parcours", "Type de parcours", "public_label", "Public", pw.INDICATOR_LABELS[indicator],
            f"{scope} — * fragile, s secret"))

    shares = finalize(pw.qpv_share(records, chosen))
    total = finalize(pd.DataFrame({"numerator": [int(shares["numerator"].sum())],
                                   "denominator": [int(shares["denominator"].sum())],
                                   "unknown": [int(shares["unknown"].sum())]}))
    target = float(ds.reference_table("cadre_national", "objectifs.csv").set_index("indicator")
                   .loc["qpv_share_of_entrants", "value_pct"]) / 100
    gauge, no_gauge = None, None
    if pd.isna(total["rate"].iloc[0]):  # secret (fewer than 20 entrants) or incoherent: no gauge, said so
        no_gauge = (f"Part des entrants résidant en QPV non calculée avec ces filtres ({scope}) : "
                    f"{pw.STATUS_LABELS[total['status'].iloc[0]]}. Objectif national {fr_pct(target * 100, 0)}.")
    else:
        gauge = charts.gauge(float(total["rate"].iloc[0]), target, "Part des entrants résidant en QPV",
                             f"{scope} — objectif national {fr_pct(target * 100, 0)} (cadre des PRIC)")

    return {"empty": False, "scope": scope, "is_demo": is_demo, "observed_on": observed_on,
            "by_public": by_public, "rates_table": by_public[RATE_COLUMNS],
            "warnings": incoherent_cells(by_public) + unknown_cells(by_public), "public_charts": public_charts,
            "by_pathway": by_pathway, "pathway_charts": pathway_charts,
            "heat": heat, "qpv_shares": shares, "gauge": gauge,
            "qpv_table": Table(shares[QPV_SHARE_COLUMNS], QPV_SHARE_FORMATS, QPV_SHARE_LABELS),
            "observed_caption": f"Date d'observation des sorties (extraction) : {observed_on:%d/%m/%Y}. "
            if observed_on is not None else "",
            "no_gauge": no_gauge, "reasons": pw.abandon_reasons(records, chosen),
            "plan": _plan(ds, records, covered, source_line),
            "no_plan": f"Le seul plan de parcours disponible ({pact.short}) ne couvre pas cette région."}


def _plan(ds: Datasets, records: pd.DataFrame, covered: list[str], source_line: str) -> dict | None:
    """The pact's planned pathways beside the realised ones (its chart, table, warning and the caption
    on the pact's own totals); ``None`` when the pact does not cover the region."""
    from lib.core.fmt import fr_int
    from lib.indicators import pathways as pw
    from lib.render import charts

    if not ds.catalog()["pact_ara_2019"].covers(ds.code):
        return None
    region = ds.region
    planned = ds.reference_table("pact_ara_2019", "plan_parcours.csv").astype({"year": int, "parcours": int})
    compared = pw.plan_vs_realised(records, planned)
    # the plan is the whole region's: realised entries of some departments only are no realisation rate
    partial = pw.partial_coverage(covered, region.dep_codes)
    realised = pw.coverage_label(covered, region.dep_codes, region.name)
    totals = ds.reference_table("pact_ara_2019", "plan_totaux.csv").set_index("year")
    return {"table": compared, "chart": charts.plan_vs_realised_bars(
        compared, "Parcours par axe", "Prévus : Pacte 2019-2022" + (" (toute la région)" if partial else "")
        + f" ; réalisés : {realised} — " + source_line),
        "warning": (f"Les parcours réalisés ne viennent que de {realised} : le plan du Pacte porte sur les "
                    f"{len(region.dep_codes)} départements de la région. L'écart entre prévus et réalisés ne "
                    "mesure donc pas la réalisation du plan." if partial else None),
        "caption": (f"Le Pacte prévoit {fr_int(int(totals.loc['total', 'parcours']))} parcours et "
                    f"{fr_int(int(totals.loc['total', 'budget_meur']))} M€ ; la somme de ses quatre années fait "
                    f"{fr_int(planned['parcours'].sum())} parcours (écart d'une unité dans le texte du Pacte).")}


def pathway_references(ds: Datasets) -> dict[str, Any]:
    """What the page shows whatever the filters: the pact's abandonment motifs and the Baromètre."""
    from lib.indicators import pathways as pw
    from lib.render import charts
    from lib.sources import barometre as barometre_source

    motifs = pw.pact_motifs(ds.reference_table("pact_ara_2019", "abandon_motifs.csv"))
    out: dict[str, Any] = {"motifs": motifs, "motif_chart": charts.motif_heatmap(
        motifs, pw.QUALIFICATIONS, "Abandons par motif et qualification (en % de chaque motif)",
        f"Tableau du Pacte ARA 2019, reproduit tel quel ({len(motifs)} lignes)")}
    region = ds.region
    barometre = ds.barometre()
    names = dict(zip(region.departements["code"], region.departements["name"]))
    pic = barometre[barometre["indicator_id"].eq("nb-formation-pic") & barometre["level"].eq("region")]
    out["entries"] = None
    if len(pic):
        yearly = barometre_source.annual(pic)
        out["entries"] = {"table": yearly, "chart": charts.annual_bars(
            yearly, "Entrées", "Entrées en formation des publics éloignés de l'emploi",
            "Région ; 2021-2022 publiés en cumul depuis janvier : valeur au 31 décembre")}
    apprentices = barometre[barometre["indicator_id"].eq("nombre-contrats-apprentissage")]
    siae = barometre[barometre["indicator_id"].eq("nb-beneficiaires-siae")]
    out["apprentices"] = barometre_source.yearly_by_department(apprentices, names) if len(apprentices) else None
    out["siae"] = barometre_source.yearly_by_department(siae, names, how="mean") if len(siae) else None
    return out
