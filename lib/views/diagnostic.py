"""Diagnostic territorial: need against offer per department and per EPCI, weights chosen on the page;
the columns, scores and verdicts resting on demonstration files marked « (démo) »."""
from __future__ import annotations

from lib.datasets.in_use import Datasets
from lib.render.tables import Table
from lib.views.common import coverage_table, epci_table, offer_period, region_unemployment, white_summary

DEMO_TAG = " (démo)"
SCORED_FORMATS = {"need": "num2", "offer": "num2", "unemployment": "num1", "below_level_iv": "pct_fraction",
                  "qpv_share": "pct_fraction", "frr_share": "pct_fraction", "reach_share": "pct_fraction",
                  "access_rate": "pct_fraction"}
EPCI_FORMATS = {"population": "int", "need": "num2", "offer": "num2", "qpv_share": "pct_fraction",
                "frr_share": "pct_fraction", "reach_share": "pct_fraction"}


def diagnosis_inputs(ds: Datasets, qpv_list: str = "2024", period: tuple[str, str] | None = None) -> dict:
    """Raw indicators of the diagnosis (weights apply on the page), and what they rest on; white
    zones on the sessions running in ``period`` (by default the Zones blanches page's)."""
    from lib.indicators import diagnosis
    from lib.indicators import pathways as pw
    from lib.indicators import unemployment as unemp
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM, outside_region_text

    period = period or offer_period()

    def compute() -> dict:
        tidy = region_unemployment(ds)
        latest = unemp.quarters(tidy)[-1]
        records, _, denominators, _, records_demo = ds.records()
        offer_demo = ds.offer()[3]
        year = int(records["year"].max())
        access = pw.rates_by(records, denominators, pw.Selection(year=year), ["dep"])
        access = access[access["indicator"].eq("access")].assign(public="ensemble")
        raw = diagnosis.indicators(unemp.department_table(tidy, ds.region, latest), coverage_table(ds, qpv_list),
                                   white_summary(ds, DEFAULT_THRESHOLD_KM, period), denominators, access)
        return {"raw": raw, "latest": latest, "year": year, "records_demo": records_demo, "offer_demo": offer_demo,
                "demo": diagnosis.demo_inputs(records_demo, offer_demo),
                "unavailable": diagnosis.unavailable(raw, denominators), "period": period,
                "epci": epci_table(ds, DEFAULT_THRESHOLD_KM, qpv_list, period),
                "outside": outside_region_text(ds.offer()[0], ds.region.name)}  # an offer of another region

    return ds.memo("diagnosis_inputs", (qpv_list, period), compute, entries=8)


def diagnosis_scores(ds: Datasets, weights: tuple[tuple[str, float], ...], qpv_list: str = "2024",
                     period: tuple[str, str] | None = None) -> dict:
    """Scores of the departments and EPCI for ``weights``, with their chart, labelled tables and the
    sentences saying which columns rest on demonstration data."""
    from lib.core.fmt import fr_pct
    from lib.indicators import diagnosis
    from lib.indicators import unemployment as unemp
    from lib.indicators.coverage import QPV_LISTS
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM
    from lib.render import charts

    inputs = diagnosis_inputs(ds, qpv_list, period)
    chosen, demo = dict(weights), inputs["demo"]
    scored = diagnosis.scores(inputs["raw"], chosen)
    # a score resting on fewer indicators than the others' says so wherever the department is named
    scored["label"] = scored["dep"] + " " + scored["dep_name"] + scored["partial"].ne("").map({True: " (partiel)",
                                                                                                False: ""})
    names = dict(zip(scored["dep"], scored["dep_name"]))
    epci = diagnosis.epci_scores(inputs["epci"], chosen)
    shares = diagnosis.demo_weight_shares(chosen, demo)
    epci_shares = diagnosis.demo_weight_shares(chosen, demo, diagnosis.EPCI_NEED, diagnosis.EPCI_OFFER)
    subtitle = (f"Chômage {unemp.quarter_label(inputs['latest'])} ; QPV ({QPV_LISTS[qpv_list].short}), FRR ; zones "
                f"blanches à {int(DEFAULT_THRESHOLD_KM)} km ; "
                f"{diagnosis.access_words(inputs['year'], inputs['unavailable'])}"
                + (f" — offre à {fr_pct(shares['offer'] * 100, 0)} sur données de "
                   "démonstration" if demo else ""))
    labels = tagged({"rank": "Rang", "label": "Département", "need": "Besoin", "offer": "Offre", "under_served": "Sous-doté",
                     "unemployment": "Chômage (%)", "below_level_iv": "DE infra-bac", "qpv_share": f"QPV {qpv_list}",
                     "frr_share": "FRR", "reach_share": "À portée", "access_rate": "Accès",
                     "partial": "Score partiel : manque"}, shares, demo)
    epci_labels = tagged({"rank": "Rang", "epci_name": "EPCI", "dep": "Dép.", "population": "Population", "need": "Besoin",
                          "offer": "Offre", "under_served": "Sous-doté", "qpv_share": f"QPV {qpv_list}", "frr_share": "FRR",
                          "reach_share": "À portée"}, epci_shares, demo)
    epci_demo = demo & {"reach_share"}
    return {"scored": scored, "epci": epci, "partial": diagnosis.partial_sentences(scored, names),
            "chart": charts.need_offer_scatter(scored.dropna(subset=["need", "offer"]),
                                               "Besoin et offre de formation par département", subtitle),
            "table": Table(scored[list(labels)], SCORED_FORMATS, labels),
            "epci_table": Table(epci[list(epci_labels)], EPCI_FORMATS, epci_labels),
            "sentence": demo_sentence(shares, {"below_level_iv": "DE infra-bac", "reach_share": "à portée",
                                               "access_rate": "accès"}, demo),
            "epci_sentence": demo_sentence(epci_shares, {"reach_share": "à portée"}, demo),
            "csv": scored.drop(columns=[c for c in scored.columns if c.endswith("_norm")]).assign(
                qpv_list=qpv_list, donnees_demonstration=", ".join(sorted(demo))),
            "epci_csv": epci.drop(columns=[c for c in epci.columns if c.endswith("_norm")]).assign(
                qpv_list=qpv_list, donnees_demonstration=", ".join(sorted(epci_demo))),
            "epci_demo": bool(epci_demo)}


def tagged(labels: dict[str, str], shares: dict[str, float], demo: set[str]) -> dict[str, str]:
    """Column labels with « (démo) » on demonstration inputs and on the scores and verdict resting on them."""
    out = {}
    for key, label in labels.items():
        rests_on_demo = (key in demo or (key == "need" and shares["need"] > 0) or (key == "offer" and shares["offer"] > 0)
                         or (key == "under_served" and (shares["need"] > 0 or shares["offer"] > 0)))
        out[key] = label + (DEMO_TAG if rests_on_demo else "")
    return out


def demo_sentence(shares: dict[str, float], names: dict[str, str], demo: set[str]) -> str:
    from lib.core.fmt import fr_pct

    if not demo:
        return "Aucune donnée de démonstration dans ces scores."
    listed = ", ".join(names[k] for k in names if k in demo)
    return (f"Colonnes marquées « (démo) » : données de démonstration ({listed}). Elles portent "
            f"{fr_pct(shares['need'] * 100, 0)} des pondérations du besoin et {fr_pct(shares['offer'] * 100, 0)} de celles "
            "de l'offre : le verdict « sous-doté » en dépend d'autant et ne doit pas être cité.")


def qpv_caption(qpv_list: str) -> str:
    """Which list of priority neighbourhoods the diagnosis counts, and where to change it."""
    from lib.indicators.coverage import QPV_LISTS

    chosen = QPV_LISTS[qpv_list]
    return (f"Quartiers prioritaires : {chosen.short} ({chosen.label.split('(')[1].rstrip(')')}), population RP "
            f"{chosen.census} — à changer sur la page Territoires prioritaires.")


def method_text(period: tuple[str, str] | None) -> str:
    """How the scores are made (under the tables)."""
    from lib.indicators.offer import period_phrase
    from lib.indicators.white_zones import DEFAULT_THRESHOLD_KM

    return (
        "**Méthode.** Chaque indicateur est ramené entre 0 (département le plus bas de la région) et 1 (le plus haut), puis "
        "moyenné selon les pondérations ci-dessus. *Besoin* : taux de chômage localisé, part des demandeurs d'emploi de niveau "
        "infra-bac, part de la population en QPV, part en ZRR/FRR. *Offre* : part des habitants à moins de "
        f"{int(DEFAULT_THRESHOLD_KM)} km d'une session de formation {period_phrase(period)} (la période par défaut de la "
        "page Zones blanches), taux d'accès à la formation. Un département est "
        "« sous-doté » quand son besoin dépasse la médiane régionale et que son offre est en dessous. Un indicateur absent "
        "pour un département n'est jamais remplacé par une valeur inventée : son score est la moyenne des indicateurs qu'il a, "
        "pondérations ramenées à celles-ci, et il est marqué « partiel ». Les scores classent les "
        "départements entre eux ; ils ne se comparent ni d'une région à l'autre ni d'une année à l'autre. Par EPCI, seuls les "
        "indicateurs disponibles à cette échelle entrent dans les scores ; la population d'un quartier à cheval sur deux "
        "EPCI est partagée à parts égales."
    )
