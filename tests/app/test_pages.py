"""Every page through streamlit.testing's AppTest: it loads, its main elements exist."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.config import ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    at.run()
    assert not at.exception
    return at


def test_home_key_figures(app):
    labels = [m.label for m in app.metric]
    assert "Population" in labels and "Taux de chômage le plus élevé" in labels
    population = next(m for m in app.metric if m.label == "Population")
    assert population.value == "8\u202f205\u202f557"


def test_unemployment_page_quarter_changes_table(app):
    app.switch_page("pages/chomage.py").run()
    assert not app.exception and not app.error
    assert app.title[0].value == "Chômage localisé"
    first = app.dataframe[0].value.copy()
    assert len(first) == 12
    app.select_slider[0].set_value("2018-T4").run()
    second = app.dataframe[0].value
    assert not first.equals(second)
    # The map component (streamlit-folium) and the altair chart are on the page.
    assert len(app.get("component_instance")) == 1
    assert len(app.get("vega_lite_chart")) == 1


def test_sources_page_lists_every_dataset(app):
    app.switch_page("pages/sources.py").run()
    assert not app.exception
    catalog = app.dataframe[0].value
    assert {"Producteur", "Millésime", "Licence"} <= set(catalog.columns)
    assert len(catalog) >= 4


def test_territories_page(app):
    app.switch_page("pages/territoires.py").run()
    assert not app.exception and not app.error
    coverage_table = app.dataframe[0].value
    assert coverage_table.iloc[-1, 0] == "TOTAL" and len(coverage_table) == 13
    assert [m.value for m in app.metric][:1] == ["411\u202f130 hab."]  # the pact's figure beside the computed ones
    assert len(app.get("component_instance")) == 2  # department map and commune map
    before = app.dataframe[0].value.columns.tolist()
    app.segmented_control[0].set_value("ZRR 2017").run()
    assert not app.exception
    after = app.dataframe[0].value.columns.tolist()
    assert "Communes ZRR" in after and before != after


def test_white_zones_page(app):
    app.switch_page("pages/zones_blanches.py").run()
    assert not app.exception and not app.error
    assert any("Offre de démonstration" in w.value for w in app.warning)  # visible label, not a footnote
    white = next(m for m in app.metric if m.label == "Communes en zone blanche")
    before = white.value
    app.slider[0].set_value(10).run()
    after = next(m for m in app.metric if m.label == "Communes en zone blanche").value
    assert int(after.replace("\u202f", "")) > int(before.replace("\u202f", ""))
    summary = app.dataframe[0].value
    assert summary.iloc[-1, 0] == "TOTAL"


def test_pathways_page(app):
    app.switch_page("pages/parcours.py").run()
    assert not app.exception and not app.error
    assert any("Données de démonstration" in w.value for w in app.warning)
    charts_before = len(app.get("vega_lite_chart"))
    assert charts_before >= 8
    app.selectbox(key="pr_year").set_value(2020).run()
    assert not app.exception
    app.multiselect(key="pr_deps").set_value(["15"]).run()  # a small department: fragile and secret cells
    assert not app.exception and len(app.get("vega_lite_chart")) >= 6


def test_department_sheet_page(app):
    app.switch_page("pages/fiche_departement.py").run()
    assert not app.exception and not app.error
    assert app.title[0].value == "Fiche département — Ain (01)"
    assert [m.label for m in app.metric][:2] == ["Taux de chômage", "Évolution sur un an"]
    assert len(app.get("vega_lite_chart")) >= 2 and len(app.get("image")) == 1  # charts and the static map
    app.selectbox(key="fd_dep").set_value("03").run()
    assert app.title[0].value == "Fiche département — Allier (03)"
    findings = next(m.value for m in app.markdown if m.value.startswith("- Le taux de chômage"))
    assert "de l'Allier (8,0\u202f%)" in findings
    app.button(key="fd_export").click().run()
    assert not app.exception and len(app.get("download_button")) >= 4


def test_diagnosis_page(app):
    app.switch_page("pages/diagnostic.py").run()
    assert not app.exception and not app.error
    ranking = app.dataframe[0].value
    assert len(ranking) == 12 and list(ranking["Rang"])[0] == 1
    epci = app.dataframe[1].value
    assert len(epci) > 100 and {"EPCI", "Besoin", "Offre"} <= set(epci.columns)
    before = list(ranking["Département"])
    app.slider(key="dg_unemployment").set_value(0.0).run()
    app.slider(key="dg_frr_share").set_value(5.0).run()
    assert list(app.dataframe[0].value["Département"]) != before
    assert app.query_params["w_frr_share"] == ["5.0"] or app.query_params["w_frr_share"] == "5.0"


def test_url_round_trip_restores_filters():
    first = AppTest.from_file(APP, default_timeout=120)
    first.run()
    first.switch_page("pages/parcours.py").run()
    first.selectbox(key="pr_year").set_value(2020).run()
    first.multiselect(key="pr_deps").set_value(["15", "43"]).run()
    params = {k: (v[0] if isinstance(v, list) else v) for k, v in first.query_params.items()}
    assert params["year"] == "2020" and params["deps"] == "15,43"
    second = AppTest.from_file(APP, default_timeout=120)
    for key, value in params.items():
        second.query_params[key] = value
    second.run()
    second.switch_page("pages/parcours.py").run()
    assert second.selectbox(key="pr_year").value == 2020
    assert second.multiselect(key="pr_deps").value == ["15", "43"]


def test_department_follows_the_user_across_pages(app):
    app.switch_page("pages/fiche_departement.py").run()
    app.selectbox(key="fd_dep").set_value("63").run()
    app.switch_page("pages/chomage.py").run()
    assert app.multiselect(key="ch_deps").value == ["63"]


def test_presentation_mode_hides_controls(app):
    app.switch_page("pages/fiche_departement.py").run()
    app.sidebar.toggle(key="presentation").set_value(True).run()
    assert not app.exception
    assert any("display: none" in h.proto.body for h in app.get("html"))
    assert app.button(key="presentation_exit")


@pytest.mark.parametrize("code", ["76", "53"])
def test_another_region_end_to_end(monkeypatch, code):
    monkeypatch.setenv("PRIC_REGION", code)
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    assert not at.exception
    name = {"76": "Occitanie", "53": "Bretagne"}[code]
    assert name in at.title[0].value
    for page in ("chomage", "territoires", "zones_blanches", "parcours", "fiche_departement", "diagnostic", "sources"):
        at.switch_page(f"pages/{page}.py").run()
        assert not at.exception, (page, at.exception)
        assert not at.error, (page, [e.value for e in at.error])
    at.switch_page("pages/territoires.py").run()
    assert at.dataframe[0].value.iloc[-1, 1] == name  # the TOTAL row names the region


def test_an_imported_edition_is_used_on_every_page(app):
    from lib.loaders import UPLOAD_KEY
    from tests.conftest import FIXTURES

    edition = FIXTURES / "unemployment" / "insee_complet.xlsx"
    app.session_state[UPLOAD_KEY] = (edition.read_bytes(), edition.name)
    app.switch_page("pages/chomage.py").run()
    assert not app.exception and not app.error
    assert "insee_complet.xlsx" in " ".join(c.value for c in app.sidebar.caption)
    app.switch_page("pages/accueil.py").run()
    # The imported edition has a "Région" sheet: the home page now shows the regional rate (6,8 %).
    regional = next(m for m in app.metric if m.label == "Taux de chômage régional")
    assert regional.value == "6,8\u202f%"


def test_a_bad_edition_gets_a_french_message_and_the_bundled_file(app):
    from lib.loaders import UPLOAD_KEY
    from tests.conftest import FIXTURES

    app.session_state[UPLOAD_KEY] = ((FIXTURES / "unemployment" / "sans_feuille.xlsx").read_bytes(), "sans_feuille.xlsx")
    app.switch_page("pages/chomage.py").run()
    assert not app.exception
    assert "ni feuille « Département »" in app.error[0].value
    assert len(app.dataframe[0].value) == 12  # the bundled file is shown instead
