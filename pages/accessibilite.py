"""Page Déclaration d'accessibilité: the statement a public service publishes (RGAA 4.1, State's model)."""
from lib.app.entry import through_app

through_app()
import streamlit as st

from lib.app import a11y, data
from lib.app.tables import show_table
from lib.core.config import accessibility_contact
from lib.views import sources as view

region = data.region()
audit = a11y.AUDIT

st.title("Déclaration d'accessibilité")
st.markdown(
    f"Les services de l'État en région et la Région {region.name} s'engagent à rendre leurs services numériques "
    "accessibles, conformément à l'article 47 de la loi n° 2005-102 du 11 février 2005."
)
st.markdown(
    "Cette déclaration d'accessibilité s'applique au **tableau de bord de pilotage du Pacte régional d'investissement "
    f"dans les compétences (PRIC) — {region.name}**, toutes ses pages comprises (liste ci-dessous)."
)

st.header("État de conformité")
st.markdown(
    f"Le tableau de bord PRIC est **{a11y.CONFORMANCE}** avec le référentiel général d'amélioration de l'accessibilité "
    "(RGAA), version 4.1. Aucun audit complet des 106 critères du RGAA n'a encore été réalisé ; en l'absence de "
    "résultats d'audit en cours de validité, le RGAA impose la mention « non conforme ». Les mesures faites, les "
    "non-conformités connues et leurs solutions de contournement sont données ci-dessous."
)

st.markdown(
    "**Schéma pluriannuel de mise en accessibilité** : il relève de l'organisme responsable du service (services de "
    "l'État en région et Région) ; il n'est pas encore publié avec ce tableau de bord et son lien sera ajouté ici. "
    "Voir les [obligations d'accessibilité des services publics numériques]"
    "(https://accessibilite.numerique.gouv.fr/obligations/) (schéma pluriannuel, plans d'action annuels, déclaration)."
)

st.header("Résultats des tests")
passing, tested = a11y.criteria_count()
st.markdown(view.hand_audit_sentence(a11y.HAND_AUDIT, passing, tested))
st.subheader("Critères non respectés lors de l'audit manuel et leur état")
show_table(view.criteria_table(a11y.CRITERIA), name="Critères non respectés lors de l'audit manuel : état après corrections")
st.subheader("Tests automatiques")
st.markdown(
    f"Moteur **axe-core {audit['engine']}** (règles WCAG 2.1 A et AA et bonnes pratiques), dans Chromium sans "
    f"interface à {audit['viewport']}, le {audit['date']}, sur chaque page dans son état par défaut, ainsi qu'avec un "
    "fichier importé et en mode présentation. Nombre d'éléments en défaut, par gravité :"
)
rows, formats = view.axe_table(audit["pages"])
show_table(rows, formats, name="Éléments en défaut selon axe-core, par page et par gravité")
st.markdown(
    "Ce que les tests du projet vérifient, et seulement cela :\n"
    "- sur chaque page : langue déclarée en français, titre propre à la page, aucune erreur critique ou grave "
    "d'axe-core ;\n"
    "- après un changement de page, le focus est placé sur le titre principal de la nouvelle page ;\n"
    "- chaque graphique a un nom et une description d'une phrase (titre et constat), chaque carte un texte alternatif ;\n"
    "- contrastes calculés : textes des légendes, des graphiques et de la barre latérale ≥ 4,5:1, marques des "
    "graphiques, séries, piste de l'interrupteur et contour du focus ≥ 3:1 ; palettes simulées pour la protanopie, "
    "la deutéranopie et la tritanopie ;\n"
    "- parcours au clavier de la page Chômage localisé (ordre et contour visible sur chaque commande atteinte) ; "
    "contour visible et non rogné sur l'interrupteur, un tableau et des boutons radio ; Échap ferme une infobulle de "
    "carte ;\n"
    "- tableau accessible de la page Chômage localisé : chaque texte dessiné par la grille s'y retrouve, toutes ses "
    "lignes et colonnes, un titre ;\n"
    "- à 320 px, les graphiques de Chômage localisé, Parcours, Fiche département et Diagnostic : titres et légendes "
    "dans leur cadre et entiers, marques visibles (sauf les graphiques listés plus bas) ; texte à 200 % et espacements "
    "du texte sur Chômage localisé : aucun libellé coupé ;\n"
    "- fiche PDF : langue, titre, métadonnées XMP, titres balisés, chaque bloc de texte balisé, texte de "
    "remplacement des images."
)
st.markdown(
    "Ce qui **n'est pas** vérifié : la restitution par un lecteur d'écran (NVDA, JAWS, VoiceOver), les contrastes "
    "sur toutes les pages dans tous leurs états (seules les couleurs définies par le tableau de bord sont calculées), "
    "le parcours au clavier des autres pages, le texte agrandi et l'affichage à 320 px des pages non citées, les "
    "69 critères du RGAA non testés."
)

st.header("Contenus non accessibles")
st.subheader("Non-conformités connues et solutions de contournement")
for problem, workaround in a11y.KNOWN_ISSUES:
    st.markdown(f"- **{problem}** — *Contournement :* {workaround}")
st.subheader("Dérogations pour charge disproportionnée")
st.markdown("Aucune.")
st.subheader("Contenus non soumis à l'obligation d'accessibilité")
st.markdown("Aucun.")

st.header("Établissement de cette déclaration")
st.markdown(f"Cette déclaration a été établie le {audit['date']}. Elle est mise à jour à chaque nouvelle mesure.")
st.subheader("Technologies utilisées pour la réalisation du service")
st.markdown("HTML5, CSS, JavaScript, WAI-ARIA, SVG (graphiques Vega-Lite), Canvas (cartes Leaflet), PDF (fiche département).")
st.subheader("Environnement de test")
st.markdown(
    f"{audit['browser']}, Debian, fenêtre de {audit['viewport']}, clavier seul pour le parcours. Aucune restitution par "
    "un lecteur d'écran (NVDA, JAWS, VoiceOver) n'a encore été vérifiée : elle fera partie de l'audit complet."
)
st.subheader("Outils pour évaluer l'accessibilité")
st.markdown(
    f"- axe-core {audit['engine']} (Deque Systems, MPL-2.0), injecté dans chaque page par les tests du projet "
    "(`tests/browser/test_rgaa.py`, commande de mesure `python -m tests.browser.a11y`) ;\n"
    "- calcul des rapports de contraste selon WCAG 2.1 et simulation des daltonismes (Machado et al., 2009) "
    "(`tests/unit/test_a11y.py`) ;\n"
    "- Selenium et chromedriver pour le parcours au clavier."
)
st.subheader("Pages du site ayant fait l'objet de la vérification de conformité")
st.markdown("\n".join(f"- {page}" for page in audit["pages"]))

st.header("Retour d'information et contact")
contact = accessibility_contact()
st.markdown(
    "Si vous n'arrivez pas à accéder à un contenu ou à un service, vous pouvez contacter le responsable du tableau de "
    "bord pour être orienté vers une alternative accessible ou obtenir le contenu sous une autre forme (tableaux CSV, "
    "fiche imprimée, commentaire oral des cartes et graphiques)."
)
if contact:
    link = contact if contact.startswith(("http://", "https://", "mailto:")) else f"mailto:{contact}"
    st.markdown(f"- Contact : [{contact.removeprefix('mailto:')}]({link})")
else:
    st.markdown("- Contact : l'équipe d'animation du PRIC (services de l'État en région et Région). L'exploitant du "
                "service renseigne ici son adresse (variable `PRIC_ACCESSIBILITY_CONTACT`).")

st.header("Voies de recours")
st.markdown(
    "Cette procédure est à utiliser dans le cas suivant : vous avez signalé au responsable du tableau de bord un défaut "
    "d'accessibilité qui vous empêche d'accéder à un contenu ou à un des services, et vous n'avez pas obtenu de réponse "
    "satisfaisante. Vous pouvez :\n"
    "- écrire un message au [Défenseur des droits](https://formulaire.defenseurdesdroits.fr/) ;\n"
    "- contacter [le délégué du Défenseur des droits dans votre région](https://www.defenseurdesdroits.fr/saisir/delegues) ;\n"
    "- envoyer un courrier par la poste (gratuit, ne pas mettre de timbre) : Défenseur des droits, Libre réponse 71120, "
    "75342 Paris CEDEX 07."
)
