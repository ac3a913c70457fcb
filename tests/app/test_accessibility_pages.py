"""Every page through AppTest: each chart it draws has a description, each image an alt, the
language script and the accessibility statement's footer are there."""
from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from lib.app import a11y
from lib.core.config import ROOT

APP = str(ROOT / "app.py")
PAGES = ["pages/accueil.py", "pages/donnees.py", "pages/chomage.py", "pages/territoires.py", "pages/zones_blanches.py",
         "pages/parcours.py", "pages/fiche_departement.py", "pages/diagnostic.py", "pages/sources.py",
         "pages/accessibilite.py"]


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


@pytest.mark.parametrize("page", PAGES)
def test_page_charts_images_language_and_footer(app, page):
    app.switch_page(page).run()
    assert not app.exception
    for chart in app.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        title = spec["title"]["text"] if isinstance(spec.get("title"), dict) else spec.get("title", "")
        if isinstance(title, dict):  # narrow ? [lines] : [lines] (lib/charts.narrow_text): the wide title
            title = " ".join(json.loads(title["expr"].rsplit(" : ", 1)[1]))
        assert spec.get("description", "").startswith(str(title).rstrip(".")), spec.get("description")
    for image_list in app.get("image"):
        for image in image_list.proto.imgs:
            assert image.HasField("alt") and len(image.alt) > 40, f"{page} : image sans texte alternatif"
    scripts = [h.proto.body for h in app.get("html") if "documentElement.lang" in h.proto.body]
    assert scripts and h_allows_js(app), "le script qui déclare la langue française manque"
    links = [link for link in app.get("page_link") if link.proto.page.endswith("accessibilite.py")
             or "accessibilite" in link.proto.page]
    assert any("Accessibilité : non conforme" in link.proto.label for link in links), f"{page} : pied de page absent"


def h_allows_js(app: AppTest) -> bool:
    return any(h.proto.unsafe_allow_javascript for h in app.get("html") if "documentElement.lang" in h.proto.body)


def test_statement_page_has_the_model_sections(app):
    app.switch_page("pages/accessibilite.py").run()
    assert not app.exception
    headings = [h.value for h in app.header]
    assert headings == ["État de conformité", "Résultats des tests", "Contenus non accessibles",
                        "Établissement de cette déclaration", "Retour d'information et contact", "Voies de recours"]
    text = " ".join(m.value for m in app.markdown)
    assert "Défenseur des droits" in text and "Libre réponse 71120" in text
    assert "non conforme" in text and "RGAA" in text and a11y.AUDIT["date"] in text
    assert "Contournement" in text
    # It says what is tested and what is not, with the criteria count, and no blanket claim (issue 22).
    passing, tested = a11y.criteria_count()
    assert f"{passing} critères sur {tested} testés sont respectés" in text and "n'est pas** vérifié" in text
    assert "Schéma pluriannuel" in text and "accessibilite.numerique.gouv.fr" in text
    assert "focus visible sur chaque commande" not in text  # the old claim, everywhere, untested
    tables = [h for h in app.get("html") if "pric-sr-table" in h.proto.body]
    assert any("<td>10.11</td><td>Pas de défilement horizontal à 320 px</td><td>non conforme</td>" in t.proto.body
               for t in tables)


def _grid_equivalents(app: AppTest) -> list[tuple[list[str], str]]:
    """Per grid of the page, its column names and the caption of the accessible table holding them."""
    import re
    from html import unescape

    tables = [h.proto.body for h in app.get("html") if "pric-sr-table" in h.proto.body]
    found = []
    for grid in app.dataframe:
        columns = [str(c) for c in grid.value.columns]
        head = "".join(f'<th scope="col">{c}</th>' for c in columns)
        match = next((t for t in tables if head in unescape(t)), None)
        caption = re.search(r"<caption>(.*?)</caption>", match).group(1) if match else ""
        found.append((columns, unescape(caption)))
    return found


@pytest.mark.parametrize("page, grids", [("pages/sources.py", 5), ("pages/comparer.py", 5)])
def test_every_grid_has_its_named_accessible_table(app, page, grids):
    """RGAA 5.4 and 7.1: each grid (a canvas) has its HTML table with the displayed strings and a caption."""
    app.switch_page(page).run()
    assert not app.exception
    found = _grid_equivalents(app)
    assert len(found) >= grids
    for columns, caption in found:
        assert caption and caption != "Tableau", f"{page} : tableau {columns} sans titre propre"


def test_comparer_and_donnees_headings_are_headings(app):
    """RGAA 9.1: the map's and the table's titles on Comparer are h3 under their h2, no bold text."""
    app.switch_page("pages/comparer.py").run()
    subheaders = [h.value for h in app.subheader]
    assert any(s.startswith("Taux de chômage par département") for s in subheaders)
    assert "Tableau — rang 1 : la valeur la plus élevée" in subheaders
    assert not any(m.value.startswith("**Tableau") for m in app.markdown)
