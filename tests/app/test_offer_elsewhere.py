"""An offer with no place in the region, through the pages (AppTest): Zones blanches says it above its
figures and Où ouvrir proposes no site (issue 26); the places are said in words, not codes."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT


def _brest_offer() -> bytes:
    places = ["<lieu-de-formation><coordonnees><adresse><code-INSEE-commune>29019</code-INSEE-commune>"
              "<codepostal>29200</codepostal><geolocalisation><latitude>48.39</latitude><longitude>-4.49</longitude>"
              "</geolocalisation></adresse></coordonnees></lieu-de-formation>",
              "<lieu-de-formation><coordonnees><adresse><code-INSEE-commune>29232</code-INSEE-commune>"
              "</adresse></coordonnees></lieu-de-formation>"]
    body = "".join(f"<formation numero='F{i}'><intitule-formation>Soudage</intitule-formation><certifiante>1</certifiante>"
                   f"<action numero='A{i}'>{where}<session><periode><debut>20270105</debut><fin>20270630</fin></periode>"
                   "</session></action></formation>" for i, where in enumerate(places))
    return f"<?xml version='1.0'?><lheo xmlns='http://www.lheo.org/2.2'><offres>{body}</offres></lheo>".encode()


@pytest.fixture(scope="module")
def app() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/zones_blanches.py").run()
    at.file_uploader(key="offer_upload").set_value(("bretagne.xml", _brest_offer(), "text/xml")).run()
    assert not at.exception
    return at


def test_white_zones_say_the_offer_is_from_elsewhere(app):
    errors = [e.value for e in app.error]
    assert any(e.startswith("Aucun lieu de session de l'offre n'est dans la région Auvergne-Rhône-Alpes : ses 1 session(s)")
               and "(départements 29)" in e for e in errors)
    from lib.datasets import geometry

    metrics = {m.label: m.value for m in app.metric}  # the figure stays, under the sentence that explains it
    assert metrics["Communes en zone blanche"].replace("\u202f", "") == str(len(geometry.communes("84")))
    captions = " ".join(c.value for c in app.sidebar.caption)
    assert "Lieux des sessions : 1 localisée par ses coordonnées, 1 non localisée." in captions
    assert "coordonnees" not in captions and "non_localise" not in captions


def test_where_to_act_proposes_no_site(app):
    app.switch_page("pages/ou_agir.py").run()
    assert not app.exception
    assert any(e.value.startswith("Aucun lieu de session de l'offre n'est dans la région") for e in app.error)
    assert not app.dataframe and not app.metric  # no proposal shown as if normal


@pytest.mark.parametrize("page", ["pages/fiche_departement.py", "pages/diagnostic.py"])
def test_the_sheet_and_the_diagnosis_say_it_too(app, page):
    """Their white-zone figures come from the same offer: the sentence comes first there as well."""
    app.switch_page(page).run()
    assert not app.exception
    assert any(e.value.startswith("Aucun lieu de session de l'offre n'est dans la région") for e in app.error)
