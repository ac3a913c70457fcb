"""Diaporama CREFOP: an editable PowerPoint of one department (:func:`department_deck`) or of the region
(:func:`region_deck`), assembled from the views the pages and ``python -m lib export …`` use (same figures,
computed once through ``ds.memo``); each slide answers one question in its title and carries in its speaker
notes the findings the dashboard writes, then the sources and vintages. A part that cannot be computed (no
entries for the department, a quarter the workbook lacks) becomes a slide saying why."""
from __future__ import annotations

import pandas as pd

from lib.core.errors import DataError
from lib.core.fmt import fr_int, fr_num, fr_pct
from lib.datasets.in_use import Datasets
from lib.render.deck import Chart, Picture, Slide, build_deck, check_template

THRESHOLD_KM = 30.0
QPV_LIST = "2024"
SITES = 5
OFFER_DEMO = "Données de démonstration — offre de formation fictive : distances, zones blanches et sites non réels."
RECORDS_DEMO = "Données de démonstration — entrées en formation fictives : taux et réalisations non réels."
PUBLIC_INDICATORS = {"employment_6m": "Retour à l'emploi à 6 mois", "certification": "Certification",
                     "abandonment": "Abandon", "access": "Accès à la formation"}
CHART_INDICATORS = ("employment_6m", "certification")


def department_deck(ds: Datasets, dep: str, quarter: str | None = None, template: bytes | None = None,
                    template_name: str = "modèle") -> bytes:
    """The department's CREFOP deck (``.pptx`` bytes); ``quarter`` ``YYYY-Tn`` (default: the workbook's
    latest); ``template`` a ``.pptx``'s bytes whose masters and layouts are used (:class:`DataError` if unusable)."""
    if dep not in ds.region.dep_codes:
        raise DataError(f"Département {dep} : pas un département de la région {ds.region.name} "
                        f"({', '.join(ds.region.dep_codes)}).")
    check_template(template, template_name)
    return build_deck(department_slides(ds, dep, quarter), template, template_name)


def region_deck(ds: Datasets, quarter: str | None = None, template: bytes | None = None,
                template_name: str = "modèle") -> bytes:
    """The region's CREFOP deck (``.pptx`` bytes), same arguments as :func:`department_deck`."""
    check_template(template, template_name)
    return build_deck(region_slides(ds, quarter), template, template_name)


# --- shared pieces ---------------------------------------------------------------------------

def _quarter(ds: Datasets, quarter: str | None) -> tuple[str, str]:
    """(quarter shown, why it is not the one asked or ``""``)."""
    from lib.indicators import unemployment as unemp
    from lib.views.common import region_unemployment

    quarters = unemp.quarters(region_unemployment(ds))
    if not quarters:
        return "", "Le fichier Insee en usage n'a aucun trimestre pour la région."
    if quarter is None or quarter in quarters:
        return quarter or quarters[-1], ""
    return quarters[-1], (f"Le fichier Insee en usage n'a pas le trimestre {quarter} (il couvre {quarters[0]} à "
                          f"{quarters[-1]}) : le chômage est donné au {unemp.quarter_label(quarters[-1])}.")


def _sources(ds: Datasets, *keys: str, kinds: tuple[str, ...] = ()) -> list[str]:
    """Source lines of catalog datasets and of files in use, as the pages write them."""
    catalog = ds.catalog()
    lines = [f"{ds.source_line('unemployment')} Fichier « {ds.file_in_use('unemployment').name} »."
             if key == "chomage_localise_insee" else catalog[key].caption for key in keys if key in catalog]
    return lines + [ds.source_line(kind) for kind in kinds]


def _dates(ds: Datasets, quarter: str) -> list[str]:
    from lib.indicators import unemployment as unemp
    from lib.indicators.offer import period_phrase
    from lib.views.common import offer_period

    observed = ds.records()[1].meta.get("as_of")
    return [f"Chômage au {unemp.quarter_label(quarter)} ({ds.file_in_use('unemployment').name})",
            "Entrées en formation observées au " + (f"{observed:%d/%m/%Y}" if observed is not None else "–")
            + (" (démonstration)" if ds.records()[4] else ""),
            f"Offre de formation : sessions {period_phrase(offer_period())}" + (" (démonstration)" if ds.offer()[3] else "")]


def _series_chart(tidy: pd.DataFrame, end: str) -> Chart:
    """The series as a native line chart: categories the quarters « T3 2025 », one series per territory."""
    tidy = tidy[tidy["quarter"].le(end)]
    quarters = sorted(tidy["quarter"].unique())
    labels = [f"T{q[-1]} {q[:4]}" for q in quarters]
    series = []
    for name, rows in tidy.groupby("serie", sort=False):
        by = dict(zip(rows["quarter"], rows["rate"]))
        series.append((str(name), [None if by.get(q) is None else round(float(by[q]), 4) for q in quarters]))
    return Chart("line", labels, series)


def _unemployment_series(ds: Datasets, deps: list[str], quarter: str) -> tuple[pd.DataFrame, str]:
    """The departments' series with the region's and France's when the workbook has them, else the median
    of the region's departments (as the Fiche); and the sentence saying which series are missing."""
    from lib.indicators import unemployment as unemp
    from lib.views.chomage import region_series_note
    from lib.views.common import region_unemployment

    tidy = region_unemployment(ds)
    start = unemp.shift_quarter(quarter, 4 * 8)
    series = unemp.series(tidy, ds.region, deps, start)
    if not series["level"].eq("region").any():
        regional = tidy[tidy["level"].eq("departement") & tidy["code"].isin(ds.region.dep_codes) & tidy["quarter"].ge(start)]
        median = regional.groupby("quarter", as_index=False)["rate"].median()
        median = median.assign(serie="Médiane des départements de la région", level="region", date=None)
        series = pd.concat([series, median[series.columns]], ignore_index=True)
    return series, region_series_note(ds)


def _departments_map(ds: Datasets, quarter: str, dep: str | None) -> tuple[bytes, str]:
    """The region's departments coloured by their unemployment rate (the static renderer of the Fiche's
    map), the department presented outlined; and its alternative text."""
    from lib.indicators import unemployment as unemp
    from lib.render import export, maps
    from lib.views.common import extremes_sentence, region_unemployment

    def draw() -> tuple[bytes, str]:
        table = unemp.department_table(region_unemployment(ds), ds.region, quarter)
        classes = maps.equal_classes(table["taux"], unit="%")
        colors = table.set_index("code")["taux"].map(classes.color)
        legend = [(c, f"{label} %") for c, label in zip(classes.colors, classes.labels)]
        label = unemp.quarter_label(quarter)
        png = export.department_map_png(ds.departements(), colors, legend, [dep] if dep else None,
                                        title=f"Taux de chômage par département, {label}",
                                        highlight_label=ds.region.dep_label(dep) if dep else "")
        alt = extremes_sentence(f"Carte des départements de la région {ds.region.name} selon leur taux de chômage au "
                                f"{label}" + (f", {ds.region.dep_label(dep)} entouré en violet" if dep else ""),
                                table, "departement", "taux", fr_pct).replace(
            "le tableau à côté de la carte donne chaque valeur", "les notes donnent chaque valeur")
        return png, alt

    return ds.memo("deck_departments_map", (quarter, dep), draw)


def _rate_text(row) -> str:
    """« 51,4 % [48,1 – 54,6] », « s » under the secrecy threshold, or why there is no rate."""
    status = row["status"]
    if status == "suppressed":
        return "s"
    if status in ("unknown", "incoherent") or pd.isna(row["rate"]):
        return "non calculé"
    text = f"{fr_pct(row['rate'], fraction=True)} [{fr_num(row['ci_low'] * 100)} – {fr_num(row['ci_high'] * 100)}]"
    return text + (" (fragile)" if status == "fragile" else "")


def _chart_value(row) -> float | None:
    """A rate as drawn: none for a cell under secrecy or not computed (the bar is absent, never a 0)."""
    return None if row["status"] not in ("ok", "fragile") or pd.isna(row["rate"]) else float(row["rate"]) * 100


def _pathway_slides(ds: Datasets, rates: pd.DataFrame, where: str, scope: str, empty: str | None) -> list[Slide]:
    """Results by public: a native bar chart (secret cells absent) and the table with the 95 % intervals."""
    demo = RECORDS_DEMO if ds.records()[4] else ""
    method = ("Taux " + (f"({scope})" if scope else "sur toutes les entrées du fichier") + " ; intervalle de confiance à 95 % (Wilson) entre "
              "crochets ; « s » : effectif inférieur à 20, taux masqué (secret) ; « fragile » : moins de 60.")
    notes = [method, *_sources(ds, kinds=("records", "denominators"))]
    title = f"Quels résultats pour les publics prioritaires {where} ?"
    if empty or rates.empty:
        return [Slide(title, notes, [empty or "Aucun taux calculable sur les entrées en usage."], demo=demo)]
    publics = list(dict.fromkeys(rates["public_label"]))
    by = {(r["indicator"], r["public_label"]): r for _, r in rates.iterrows()}
    series = [(PUBLIC_INDICATORS[ind], [_chart_value(by[(ind, p)]) if (ind, p) in by else None for p in publics])
              for ind in CHART_INDICATORS if rates["indicator"].eq(ind).any()]
    shown = [ind for ind in PUBLIC_INDICATORS if rates["indicator"].eq(ind).any()]
    table = [["Public", *[PUBLIC_INDICATORS[i] for i in shown]]]
    table += [[p, *[_rate_text(by[(i, p)]) if (i, p) in by else "–" for i in shown]] for p in publics]
    secret = sum(r["status"] == "suppressed" for r in by.values())
    chart_note = ("Barres absentes : taux sous le secret statistique (« s » dans le tableau) ou non calculé. "
                  if secret else "")
    return [Slide(title, [chart_note + method, *notes[1:]], chart=Chart("bar", publics, series, labels=True),
                  caption=f"En % ; {scope}." if scope else "En %.", demo=demo),
            Slide(f"{title[:-2]} — taux et intervalles", notes, table=table, demo=demo)]


def _objectives_slide(ds: Datasets, scope: str, where: str) -> Slide:
    from lib.views import objectifs
    from lib.views.objectifs_page import shown_table

    status = objectifs.objectives_status(ds)
    table = status["table"]
    mine = table[table["scope"].eq(scope)]
    demo = RECORDS_DEMO if status["records_demo"] else ""
    notes = [f"Objectifs : {status['source']} ; valeur attendue au {status['as_of']:%d/%m/%Y} (date d'observation "
             "des entrées), sur la trajectoire droite de la valeur initiale à la cible ; statut « incertain » : en "
             "retard mais l'intervalle de confiance contient la valeur attendue.", status["records_line"],
             *[f"{r.objective_id} : {r.reason}" for r in mine.itertuples() if r.reason]]
    title = f"Où en sont les objectifs du pacte {where} ?"
    if mine.empty:
        return Slide(title, notes, [f"Aucun objectif du pacte n'a ce territoire pour périmètre dans les objectifs en "
                                    f"usage ({status['source']}) ; ceux de la région sont dans le diaporama régional "
                                    "et sur la page Objectifs du pacte."], demo=demo)
    shown = shown_table(ds, mine)
    columns = {"objective_id": "Objectif", "indicateur": "Indicateur", "perimetre": "Public · parcours · axe",
               "annee": "Année", "cible": "Cible", "realise": "Réalisé (IC 95 %)", "attendu": "Attendu",
               "statut": "Statut"}
    rows = [list(columns.values())] + shown[list(columns)].astype(str).values.tolist()
    return Slide(title, notes, table=rows, demo=demo)


def _where_to_act_slide(ds: Datasets, dep: str | None) -> Slide:
    from lib.views.common import offer_period
    from lib.views.ou_agir import where_to_act_view

    demo = OFFER_DEMO if ds.offer()[3] else ""
    title = "Où ouvrir des sessions pour sortir le plus d'habitants des zones blanches ?"
    notes = [f"Sites proposés par un solveur d'optimisation (couverture maximale) parmi les communes de la région : "
             f"chaque site met à moins de {fr_int(THRESHOLD_KM)} km (à vol d'oiseau) les habitants des zones blanches "
             "voisines ; gains comptés pour toute la région, dans l'ordre où le solveur les ajoute. Page Où ouvrir des "
             "sessions ? pour d'autres seuils, filtres et pondérations.", *_sources(ds, "geo", kinds=("offer",))]
    view = where_to_act_view(ds, (), False, offer_period(), int(THRESHOLD_KM), SITES, "population", 0)
    stop = view["outside"] or view["no_site"]
    if stop:
        return Slide(title, notes, [stop], demo=demo)
    ranking = view["ranking"]
    rows = [["Rang", "Commune", "Département", "Habitants sortis de zone blanche", "Cumul", "Restent en zone blanche"]]
    rows += [[str(r.rank), f"{r.name} ({r.code})", ds.region.dep_label(r.dep), fr_int(r.population_gained),
              fr_int(r.cumulative_gained), fr_int(r.white_population_after)] for r in ranking.itertuples()]
    lines = []
    if dep is not None:
        inside = int(ranking["dep"].eq(dep).sum())
        lines = [f"{inside} des {len(ranking)} sites proposés pour la région sont dans le département {ds.region.dep_of(dep)}."]
    return Slide(title, notes, lines, table=rows, demo=demo)


def _method_slide(ds: Datasets, sources: list[str], demo: str) -> Slide:
    lines = [source.removeprefix("Source : ") for source in sources]
    notes = ["Méthode : taux de chômage localisés CVS (Insee) ; zones blanches : communes à plus de "
             f"{fr_int(THRESHOLD_KM)} km à vol d'oiseau de toute session de formation en cours ou à venir ; taux des "
             "parcours avec intervalle de confiance à 95 % (Wilson), secret sous 20 entrées ; pairs : les départements "
             "les plus proches sur le chômage, la part en QPV, la part en FRR et la densité. Détail : page Sources et "
             "méthodologie du tableau de bord.", *sources]
    return Slide("D'où viennent ces chiffres ?", notes, lines, demo=demo)


def _demo_all(ds: Datasets) -> str:
    parts = [what for what, demo in (("offre de formation", ds.offer()[3]), ("entrées en formation", ds.records()[4]))
             if demo]
    return ("Données de démonstration — " + " et ".join(parts) + " fictives (mentionnées sur chaque diapositive).") \
        if parts else ""


# --- the department ----------------------------------------------------------------------------

def department_slides(ds: Datasets, dep: str, quarter: str | None = None) -> list[Slide]:
    """The department deck's slides (plain inputs of :func:`lib.render.deck.build_deck`)."""
    from lib.indicators import unemployment as unemp
    from lib.views import fiche
    from lib.views.common import coverage_table, department_rates, region_unemployment, white_summary
    from lib.views.comparer import compare_department, compare_summary, compare_table

    region, name = ds.region, ds.region.dep_name(dep)
    shown_quarter, quarter_note = _quarter(ds, quarter)
    export = fiche.sheet_export(ds, dep, QPV_LIST)
    sheet = fiche.department_sheet(ds, dep, QPV_LIST)
    findings = [f.text for f in sheet["findings"]]
    offer_demo = sheet["offer_demo"]
    all_sources = _sources(ds, "chomage_localise_insee", "qpv_2024", "frr_2025_dgcl", "zrr_2017_2021_anct", "geo",
                           kinds=("offer", "records", "denominators", "objectives"))
    demo = _demo_all(ds)
    slides = [Slide(f"{name} ({dep}) : où en est le pacte ?", [*findings, *all_sources],
                    [f"Région {region.name} — diaporama CREFOP", *_dates(ds, shown_quarter)]
                    + ([quarter_note] if quarter_note else []), demo=demo, cover=True)]
    # the territory in figures: the Fiche's cards; its findings
    # The Fiche's figures are at the workbook's latest quarter, whatever quarter the deck's charts show: each
    # unemployment figure says its quarter, never read as the title slide's
    at = f"au {unemp.quarter_label(sheet['figures'].quarter)}"
    cards = [["Indicateur", "Valeur", "Précision"]] + [
        [label, value, (f"{detail} ({at})" if detail else at) if label.startswith(("Taux de chômage", "Évolution")) else detail]
        for label, value, detail in export.figures]
    slides.append(Slide(f"Que retenir {region.dep_of(dep)} en chiffres ?", [*findings, *export.sources], findings[:3],
                        table=cards, demo=OFFER_DEMO if offer_demo else ""))
    # unemployment: the series against the region (or the departments' median) and France, the map
    series, series_note = _unemployment_series(ds, [dep], shown_quarter)
    png, alt = _departments_map(ds, shown_quarter, dep)
    table = unemp.department_table(region_unemployment(ds), region, shown_quarter)
    values = "; ".join(f"{r.departement} {fr_pct(r.taux)}" for r in table.itertuples())
    unemployment_findings = [f for f in findings if "chômage" in f or "En un an" in f]
    slides.append(Slide(f"Comment évolue le chômage {region.dep_of(dep)} ?",
                        [*unemployment_findings, *([series_note] if series_note else []), *([quarter_note] if quarter_note else []),
                         f"Carte : {values}.", *_sources(ds, "chomage_localise_insee", "geo")],
                        chart=_series_chart(series, shown_quarter), picture=Picture(png, alt),
                        caption="Taux de chômage localisé (%, CVS), Insee." + (f" {series_note}" if series_note else "")))
    # priority territories
    cov = coverage_table(ds, QPV_LIST).set_index("dep")
    row, total = cov.loc[dep], cov.loc["TOTAL"]
    territories = [["Zonage", "Communes ou quartiers", "Habitants", "Part de la population", "Région"],
                   ["Quartiers prioritaires (QPV, liste 2024)", f"{fr_int(row.qpv_count)} quartiers", fr_int(row.qpv_population),
                    fr_pct(row.qpv_share, fraction=True), fr_pct(total.qpv_share, fraction=True)],
                   ["France Ruralités Revitalisation (FRR)", f"{fr_int(row.frr_communes)} communes", fr_int(row.frr_population),
                    fr_pct(row.frr_population / row.population, fraction=True),
                    fr_pct(total.frr_population / total.population, fraction=True)],
                   ["Zones de revitalisation rurale (ZRR)", f"{fr_int(row.zrr_communes)} communes", fr_int(row.zrr_population),
                    fr_pct(row.zrr_population / row.population, fraction=True),
                    fr_pct(total.zrr_population / total.population, fraction=True)]]
    slides.append(Slide(f"Combien d'habitants vivent en territoire prioritaire {region.dep_of(dep)} ?",
                        [f for f in findings if "quartier prioritaire" in f]
                        + [f"Population : {fr_int(row.population)} habitants (population légale 2023).",
                           *_sources(ds, "qpv_2024", "frr_2025_dgcl", "zrr_2017_2021_anct", "geo")],
                        table=territories))
    # white zones: the Fiche's map and the department's figures
    picture = next(image for image in export.images if image.name == "map")
    white = white_summary(ds, THRESHOLD_KM).set_index("dep")
    w, region_white = white.loc[dep], white.sum(numeric_only=True)
    white_rows = [["", "Département", "Région"],
                  ["Communes en zone blanche", fr_int(w.white_communes), fr_int(region_white.white_communes)],
                  ["Habitants en zone blanche", fr_int(w.white_population), fr_int(region_white.white_population)],
                  ["Part des habitants", fr_pct(w.white_share, fraction=True),
                   fr_pct(region_white.white_population / region_white.population, fraction=True)]]
    slides.append(Slide(f"Où la formation est-elle à plus de {fr_int(THRESHOLD_KM)} km {region.dep_of(dep)} ?",
                        [f for f in findings if "session de formation" in f] + [picture.alt]
                        + _sources(ds, "geo", kinds=("offer",)),
                        picture=Picture(export_png(picture.content), picture.alt), table=white_rows,
                        demo=OFFER_DEMO if offer_demo else ""))
    slides.append(_where_to_act_slide(ds, dep))
    # pathways by public
    rates = department_rates(ds, dep)
    empty = None if sheet["entries"] else next(line for line in export.findings if line.startswith("Accès et retour"))
    slides += _pathway_slides(ds, rates, region.dep_of(dep), sheet["rates_scope"], empty)
    # peers
    slides += _peer_slides(ds, dep, shown_quarter, quarter_note, compare_department, compare_summary, compare_table)
    slides.append(_objectives_slide(ds, dep, region.dep_of(dep)))
    slides.append(_method_slide(ds, all_sources, demo))
    return slides


def export_png(content) -> bytes:
    """PNG bytes of a sheet image (already PNG, or an altair chart)."""
    if isinstance(content, bytes):
        return content
    from lib.render.export import chart_png

    return chart_png(content)


def _peer_slides(ds: Datasets, dep: str, quarter: str, quarter_note: str, compare_department, compare_summary,
                 compare_table) -> list[Slide]:
    from lib.views.comparer import COMPARE_LABELS

    summary = compare_summary(ds, dep, quarter, QPV_LIST)
    notes = [summary["peers_line"], *summary["lines"], *([quarter_note] if quarter_note else []),
             "Rang parmi les départements de France (1er : la valeur la plus élevée).",
             *_sources(ds, "chomage_localise_insee", "qpv_2024", "frr_2025_dgcl", "zrr_2017_2021_anct", "geo")]
    title = f"Quels départements de France ressemblent le plus {_to(ds, dep)} ?"
    if not summary["peers"]:
        return [Slide(title, notes, [summary["peers_line"]])]
    view = compare_department(ds, dep, summary["quarter"], QPV_LIST, tuple(summary["peers"]))
    table = compare_table(ds, summary["quarter"], QPV_LIST)
    deps = table[table["level"].eq("departement")].set_index("code")
    codes = [dep, *summary["peers"]]
    labels = [f"{c} – {deps.at[c, 'name']}" for c in codes]
    chart = Chart("bar", labels, [(COMPARE_LABELS["unemployment_rate"], [deps.at[c, "unemployment_rate"] for c in codes]),
                                  ("Part de la population en QPV", [deps.at[c, "qpv_share"] * 100 for c in codes]),
                                  ("Part de la population en FRR", [deps.at[c, "frr_share"] * 100 for c in codes])],
                  labels=False)
    peers = view["peer_rows"]
    reasons = [["Pair", "Région", "Pourquoi ce pair"]] + [[f"{r.code} – {r.name}", str(r.region_name), r.pourquoi]
                                                          for r in peers.itertuples()]
    position = [list(summary["table"].columns[:5])] + summary["table"].iloc[:, :5].astype(str).values.tolist()
    return [Slide(title, notes, chart=chart, table=reasons),
            Slide(f"Quel rang {ds.region.dep_of(dep)} parmi les départements de France ?", notes, table=position)]


def _to(ds: Datasets, dep: str) -> str:
    """« au Puy-de-Dôme », « à l'Ain », « à la Drôme » (from « du / de l' / de la »)."""
    of = ds.region.dep_of(dep)
    return "au " + of[3:] if of.startswith("du ") else "aux " + of[4:] if of.startswith("des ") else "à " + of[3:]


# --- the region ----------------------------------------------------------------------------------

def region_slides(ds: Datasets, quarter: str | None = None) -> list[Slide]:
    """The regional deck's slides: the same questions, one row per department."""
    from lib.indicators import pathways as pw
    from lib.indicators import unemployment as unemp
    from lib.views.common import coverage_table, region_unemployment, white_summary

    region = ds.region
    shown_quarter, quarter_note = _quarter(ds, quarter)
    all_sources = _sources(ds, "chomage_localise_insee", "qpv_2024", "frr_2025_dgcl", "zrr_2017_2021_anct", "geo",
                           kinds=("offer", "records", "denominators", "objectives"))
    demo = _demo_all(ds)
    slides = [Slide(f"{region.name} : où en est le pacte ?", all_sources,
                    ["Diaporama CREFOP — toute la région", *_dates(ds, shown_quarter)]
                    + ([quarter_note] if quarter_note else []), demo=demo, cover=True)]
    # the departments in figures
    rates = unemp.department_table(region_unemployment(ds), region, shown_quarter).set_index("code")
    cov = coverage_table(ds, QPV_LIST).set_index("dep")
    white = white_summary(ds, THRESHOLD_KM).set_index("dep")
    rows = [["Département", "Chômage", "Évolution sur un an", "Part en QPV", "Part en FRR", "Habitants en zone blanche"]]
    for code in region.dep_codes:
        c = cov.loc[code]
        rows.append([region.dep_label(code), fr_pct(rates["taux"].get(code)), _points(rates["evolution_1an"].get(code)),
                     fr_pct(c.qpv_share, fraction=True), fr_pct(c.frr_population / c.population, fraction=True),
                     fr_int(white.loc[code, "white_population"]) if code in white.index else "–"])
    total = cov.loc["TOTAL"]
    rows.append([f"Région {region.name}", "–", "–", fr_pct(total.qpv_share, fraction=True),
                 fr_pct(total.frr_population / total.population, fraction=True), fr_int(white["white_population"].sum())])
    slides.append(Slide(f"Que retenir des départements {_of_region(region.name)} en chiffres ?",
                        [f"Chômage au {unemp.quarter_label(shown_quarter)} ; « – » : pas de valeur régionale dans le "
                         "fichier Insee en usage (jamais une moyenne des départements).", *all_sources], table=rows,
                        demo=OFFER_DEMO if ds.offer()[3] else ""))
    # unemployment
    series, series_note = _unemployment_series(ds, [], shown_quarter)
    png, alt = _departments_map(ds, shown_quarter, None)
    values = "; ".join(f"{r.departement} {fr_pct(r.taux)}" for r in rates.reset_index().itertuples())
    slides.append(Slide(f"Comment évolue le chômage {_of_region(region.name)} ?",
                        [*([series_note] if series_note else []), *([quarter_note] if quarter_note else []),
                         f"Carte : {values}.", *_sources(ds, "chomage_localise_insee", "geo")],
                        chart=_series_chart(series, shown_quarter), picture=Picture(png, alt),
                        caption="Taux de chômage localisé (%, CVS), Insee." + (f" {series_note}" if series_note else "")))
    # priority territories
    territories = [["Département", "QPV", "Habitants en QPV", "Part en QPV", "Communes FRR", "Part en FRR", "Part en ZRR"]]
    for code in [*region.dep_codes, "TOTAL"]:
        c = cov.loc[code]
        territories.append([region.dep_label(code) if code != "TOTAL" else f"Région {region.name}", fr_int(c.qpv_count),
                            fr_int(c.qpv_population), fr_pct(c.qpv_share, fraction=True), fr_int(c.frr_communes),
                            fr_pct(c.frr_population / c.population, fraction=True),
                            fr_pct(c.zrr_population / c.population, fraction=True)])
    slides.append(Slide("Combien d'habitants vivent en territoire prioritaire, département par département ?",
                        ["QPV de la liste 2024 (population RP 2020) ; FRR : toute classe ; ZRR : communes classées en "
                         "tout ou partie ; population légale 2023.",
                         *_sources(ds, "qpv_2024", "frr_2025_dgcl", "zrr_2017_2021_anct", "geo")], table=territories))
    # white zones
    offer_demo = OFFER_DEMO if ds.offer()[3] else ""
    map_png, map_alt = _region_white_map(ds)
    white_rows = [["Département", "Communes en zone blanche", "Habitants", "Part"]]
    white_rows += [[region.dep_label(code), fr_int(w.white_communes), fr_int(w.white_population),
                    fr_pct(w.white_share, fraction=True)] for code, w in white.iterrows()]
    slides.append(Slide(f"Où la formation est-elle à plus de {fr_int(THRESHOLD_KM)} km ?",
                        [map_alt, *_sources(ds, "geo", kinds=("offer",))], picture=Picture(map_png, map_alt),
                        table=white_rows, demo=offer_demo))
    slides.append(_where_to_act_slide(ds, None))
    # pathways of the region's entries
    records, report, denominators, _, _ = ds.records()
    region_rates = ds.memo("deck_region_rates", (), lambda: pw.rates_by(
        records, denominators, pw.Selection(deps=tuple(region.dep_codes)), ["public"]))
    years = sorted(int(y) for y in records["year"].dropna().unique())
    from lib.indicators.sheet import rates_scope

    slides += _pathway_slides(ds, region_rates, "de la région", rates_scope(years, report.meta.get("as_of")),
                              None if len(records) else "Aucune entrée en formation dans la région dans le fichier en usage.")
    slides += _region_rank_slides(ds, shown_quarter, quarter_note)
    slides.append(_objectives_slide(ds, region.code, "de la région"))
    slides.append(_method_slide(ds, all_sources, demo))
    return slides


def _points(value) -> str:
    from lib.core.fmt import fr_points

    return fr_points(value)


def _of_region(name: str) -> str:
    """« de la région Auvergne-Rhône-Alpes »."""
    return f"de la région {name}"


def _region_white_map(ds: Datasets) -> tuple[bytes, str]:
    """The region's communes by distance to the nearest session (the Fiche's static renderer, whole region)."""
    from lib.indicators import white_zones as wz
    from lib.render import export
    from lib.views.common import all_sessions_distances, map_note, offer_period

    def draw() -> tuple[bytes, str]:
        distances = all_sessions_distances(ds, THRESHOLD_KM, offer_period())
        colors = distances.set_index("code")["nearest_km"].map(lambda km: wz.distance_color(km, THRESHOLD_KM))
        png = export.department_map_png(ds.commune_polygons(), colors, wz.distance_legend(THRESHOLD_KM),
                                        title="Distance à la session de formation la plus proche",
                                        note=map_note(ds.offer()[3]))
        white = distances[distances["white"]]
        alt = (f"Carte des communes de la région {ds.region.name} selon la distance à la session de formation la plus "
               f"proche : {fr_int(len(white))} communes en zone blanche (hachurées, plus de {fr_int(THRESHOLD_KM)} km)"
               + (" ; offre de démonstration, distances fictives" if ds.offer()[3] else "")
               + ". Le tableau à côté donne chaque département.")
        return png, alt

    return ds.memo("deck_region_white_map", (offer_period(),), draw)


def _region_rank_slides(ds: Datasets, quarter: str, quarter_note: str) -> list[Slide]:
    """Where the region's departments stand in France: a native chart of their rates and their ranks."""
    from lib.indicators import compare
    from lib.views.comparer import compare_quarters, compare_table

    quarters = compare_quarters(ds)
    chosen = quarter if quarter in quarters else quarters[-1]
    table = compare_table(ds, chosen, QPV_LIST)
    deps = table[table["level"].eq("departement")].set_index("code")
    codes = [c for c in ds.region.dep_codes if c in deps.index]
    median = deps["unemployment_rate"].median()
    chart = Chart("bar", [ds.region.dep_label(c) for c in codes] + ["Médiane des départements de France"],
                  [("Taux de chômage", [deps.at[c, "unemployment_rate"] for c in codes] + [median])], labels=True)
    rows = [["Département", "Chômage (rang)", "Part en QPV (rang)", "Part en FRR (rang)"]]
    for c in codes:
        cells = []
        for column, fmt in (("unemployment_rate", fr_pct), ("qpv_share", lambda v: fr_pct(v, fraction=True)),
                            ("frr_share", lambda v: fr_pct(v, fraction=True))):
            place = compare.rank(table, c, column)
            cells.append(f"{fmt(deps.at[c, column])} ({place[0]}e/{place[1]})" if place else "non disponible")
        rows.append([ds.region.dep_label(c), *cells])
    notes = ["Rang parmi les départements de France (1er : la valeur la plus élevée) ; médiane des départements de "
             f"France (hors Mayotte) au même trimestre ({chosen}).", *([quarter_note] if quarter_note else []),
             *_sources(ds, "chomage_localise_insee", "qpv_2024", "frr_2025_dgcl", "geo")]
    title = f"Où se situent les départements {_of_region(ds.region.name)} en France ?"
    return [Slide(title, notes, chart=chart), Slide(f"{title[:-2]} — rangs", notes, table=rows)]
