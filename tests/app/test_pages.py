"""Every page through streamlit.testing's AppTest: it loads, its main elements exist."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT

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
    # The 2024 list by default: 145 quarters, 462 972 inhabitants (RP 2020), beside the published 462 970.
    total = coverage_table.iloc[-1]
    assert total["QPV (liste 2024)"] == 145 and total["Population en QPV (RP 2020)"] == 462972
    assert [m.value for m in app.metric][:3] == ["462\u202f970 hab.", "462\u202f972 hab.", "411\u202f130 hab."]
    assert len(app.get("component_instance")) == 2  # department map and commune map
    before = app.dataframe[0].value.columns.tolist()
    app.segmented_control(key="zoning").set_value("ZRR 2017").run()
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
    assert summary.iloc[-1, 0] == "Total Auvergne-Rhône-Alpes"


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
    # no English « Select all » in the lists (an empty list already means all)
    assert app.multiselect and all(m.proto.select_all == 0 for m in app.multiselect)


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
    assert len(epci) > 100 and {"EPCI", "Besoin", "Offre (démo)"} <= set(epci.columns)
    # Inputs from demonstration files are marked, and so are the scores and the verdict resting on them.
    assert {"DE infra-bac (démo)", "À portée (démo)", "Accès (démo)", "Sous-doté (démo)", "Chômage (%)",
            "QPV 2024"} <= set(ranking.columns)
    assert any("20\u202f% des pondérations du besoin et 100\u202f% de celles de l'offre" in c.value for c in app.caption)
    before = list(ranking["Département"])
    app.select_slider(key="dg_unemployment").set_value(0.0).run()
    app.select_slider(key="dg_frr_share").set_value(5.0).run()
    assert list(app.dataframe[0].value["Département"]) != before
    assert app.query_params["w_frr_share"] == ["5.0"] or app.query_params["w_frr_share"] == "5.0"


def test_a_page_is_found_as_it_was_left_after_visiting_another(app):
    app.switch_page("pages/parcours.py").run()
    app.selectbox(key="pr_year").set_value(2020).run()
    app.multiselect(key="pr_deps").set_value(["69", "38"]).run()
    app.selectbox(key="pr_heat").set_value("employment_12m").run()
    app.switch_page("pages/zones_blanches.py").run()
    app.switch_page("pages/parcours.py").run()
    assert not app.exception
    assert app.selectbox(key="pr_year").value == 2020
    assert app.multiselect(key="pr_deps").value == ["69", "38"]
    assert app.selectbox(key="pr_heat").value == "employment_12m"


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
    assert any("stSidebar" in h.proto.body and "display: none" in h.proto.body for h in app.get("html"))
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
    from tests.conftest import FIXTURES

    edition = FIXTURES / "unemployment" / "insee_complet.xlsx"
    app.switch_page("pages/chomage.py").run()
    app.file_uploader(key="unemployment_upload").set_value((edition.name, edition.read_bytes(), "application/vnd.ms-excel")).run()
    assert not app.exception and not app.error
    assert "insee_complet.xlsx" in " ".join(c.value for c in app.sidebar.caption)
    app.switch_page("pages/accueil.py").run()
    # The imported edition has a "Région" sheet: the home page now shows the regional rate (6,8 %).
    regional = next(m for m in app.metric if m.label == "Taux de chômage régional")
    assert regional.value == "6,8\u202f%"


def test_a_bad_edition_gets_a_french_message_and_the_bundled_file(app):
    from tests.conftest import FIXTURES

    app.switch_page("pages/chomage.py").run()
    bad = (FIXTURES / "unemployment" / "sans_feuille.xlsx").read_bytes()
    app.file_uploader(key="unemployment_upload").set_value(("sans_feuille.xlsx", bad, "application/vnd.ms-excel")).run()
    assert not app.exception
    assert "ni feuille « Département »" in app.error[0].value
    assert len(app.dataframe[0].value) == 12  # the bundled file is shown instead


def _qpv_metric(at) -> tuple[str, str]:
    metric = next(m for m in at.metric if m.label.startswith("Population en QPV"))
    return metric.label, metric.value


def test_qpv_list_switch_is_remembered_across_pages_and_in_the_url(app):
    app.switch_page("pages/territoires.py").run()
    assert app.segmented_control(key="qpv_list").value == "2024"
    assert app.query_params["qpv"] in ("2024", ["2024"])
    app.segmented_control(key="qpv_list").set_value("2015").run()
    assert not app.exception and not app.error
    total = app.dataframe[0].value.iloc[-1]
    assert total["QPV (liste 2015)"] == 140 and total["Population en QPV (RP 2018)"] == 403543
    # The pact's figure (2015 list) beside the Insee files of the same list.
    assert [m.value for m in app.metric][:3] == ["411\u202f130 hab.", "411\u202f430 hab.", "403\u202f543 hab."]
    assert app.query_params["qpv"] in ("2015", ["2015"])
    # The department sheet follows and says which list it uses.
    app.switch_page("pages/fiche_departement.py").run()
    app.selectbox(key="fd_dep").set_value("69").run()
    assert _qpv_metric(app) == ("Population en QPV (liste 2015)", "9,0\u202f%")  # 172 035 / 1 914 661
    assert any("liste 2015" in c.value for c in app.caption)
    assert app.query_params["qpv"] in ("2015", ["2015"])
    app.switch_page("pages/diagnostic.py").run()
    assert any("liste 2015" in c.value for c in app.caption)
    assert "QPV 2015" in app.dataframe[0].value.columns
    app.switch_page("pages/territoires.py").run()
    assert app.segmented_control(key="qpv_list").value == "2015"


def test_department_sheet_with_both_lists():
    shares = {}
    for key in ("2024", "2015"):
        at = AppTest.from_file(APP, default_timeout=120)
        at.query_params["qpv"] = key
        at.query_params["dep"] = "69"
        at.run()
        at.switch_page("pages/fiche_departement.py").run()
        assert not at.exception and not at.error
        assert at.title[0].value == "Fiche département — Rhône (69)"
        shares[key] = _qpv_metric(at)
        findings = next(m.value for m in at.markdown if m.value.startswith("- Le taux de chômage"))
        assert f"quartier prioritaire (liste {key})" in findings
    # Rhône: 193 601 inhabitants in 48 quarters (2024, RP 2020) and 172 035 in 43 (2015, RP 2018), on 1 914 661.
    assert shares == {"2024": ("Population en QPV (liste 2024)", "10,1\u202f%"),
                      "2015": ("Population en QPV (liste 2015)", "9,0\u202f%")}


@pytest.fixture
def media(monkeypatch):
    """The files of every download button, recorded from AppTest's in-memory media storage."""
    import streamlit.testing.v1.app_test as app_test
    from streamlit.runtime.media_file_manager import MediaFileManager
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stores: list[MemoryMediaFileStorage] = []
    managers: list[MediaFileManager] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            stores.append(self)

    class RecordingManager(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            managers.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)
    monkeypatch.setattr(app_test, "MediaFileManager", RecordingManager)

    def files(at: AppTest) -> dict[str, bytes]:
        """Every file offered; a deferred one (the CSV tables) is generated as a click would."""
        out = {}
        for button in at.get("download_button"):
            url = button.proto.url
            if button.proto.deferred_file_id:
                url = managers[-1].execute_deferred(button.proto.deferred_file_id)
            name = url.rsplit("/", 1)[-1]
            if name:
                out[button.proto.label + " " + name] = stores[-1].get_file(name.split(".")[0]).content
        return out
    return files


@pytest.mark.parametrize("page, expected", [
    ("parcours", "démonstration"), ("zones_blanches", "démonstration"), ("diagnostic", "démonstration"),
    ("territoires", "réelles"), ("chomage", "réelles"),
])
def test_every_csv_download_says_whether_its_data_are_demonstration(media, page, expected):
    import io

    import pandas as pd

    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(f"pages/{page}.py").run()
    assert not at.exception
    csvs = {k: v for k, v in media(at).items() if k.endswith(".csv")}
    assert csvs, page
    flags = {}
    for name, content in csvs.items():
        table = pd.read_csv(io.BytesIO(content), dtype=str)
        assert table.columns[-1] == "donnees", name
        flags[name] = set(table["donnees"])
    if expected == "démonstration":
        # Every view built on records or on the offer says so; the pact's and the Baromètre's tables are real.
        demo = {n for n, v in flags.items() if v == {"démonstration"}}
        real = {n for n, v in flags.items() if v == {"réelles"}}
        assert demo and demo | real == set(flags)
        assert not any("taux_" in n or "zones_blanches" in n or "diagnostic_" in n for n in real), real
    else:
        assert all(v == {"réelles"} for v in flags.values()), flags


def test_sheet_exports_carry_the_demonstration_mention(app, media):
    import io

    from pypdf import PdfReader

    app.switch_page("pages/fiche_departement.py").run()
    card = next(c.value for c in app.caption if "démonstration" in c.value and "%" in c.value)
    assert "offre de démonstration" in card
    app.button(key="fd_export").click().run()
    files = media(app)
    pdf = next(v for k, v in files.items() if k.endswith(".pdf"))
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Habitants en zone blanche" in text and "offre de démonstration" in text


@pytest.mark.parametrize("page", ["chomage", "sources", "fiche_departement"])
def test_old_insee_edition_is_said_plainly(app, page):
    app.switch_page(f"pages/{page}.py").run()
    assert not app.exception
    notices = [i.value for i in app.info if "une édition plus récente existe probablement" in i.value]
    assert notices and "3e trimestre 2025" in notices[0] and "Autre édition du fichier Insee" in notices[0]


def test_pathways_motif_table_and_reference_rows(app):
    app.switch_page("pages/parcours.py").run()
    import json

    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in app.get("vega_lite_chart")]
    motif = next(s for s in specs if "Abandons par motif" in s)
    assert "Total général" in motif and "Retour à l'emploi" in motif and "(10 lignes)" in motif
    employment = next(s for s in specs if "Retour à l'emploi à 6 mois" in s and "Pacte ARA 2019" in s)
    assert "National, 2017 (selon le Pacte)" in employment and "définition proche" in employment
