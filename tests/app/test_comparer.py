"""Page Comparer through AppTest: figures of the department, its peers, the France map and table."""
from __future__ import annotations

import io

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.core.config import DEMO, ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def page() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page("pages/comparer.py").run()
    assert not at.exception and not at.error
    return at


def test_department_beside_region_france_and_peers(page):
    assert page.title[0].value == "Comparer les territoires"
    assert page.selectbox(key="cp_dep").value == "01"
    page.selectbox(key="cp_dep").set_value("03").run()
    assert not page.exception
    assert page.multiselect(key="cp_peers").value == ["24", "18", "61", "81", "70"]  # the 5 nearest
    cards = {m.label: m for m in page.metric}
    assert cards["Taux de chômage"].value == "8,0\u202f%"
    assert cards["Taux de chômage"].delta == "25e sur 100 départements"
    # a rank is no change: neither arrow nor colour (issue 19: « ↑ 89e sur 100 départements »)
    for card in page.metric:
        assert card.proto.direction == card.proto.MetricDirection.NONE and card.proto.color == card.proto.MetricColor.GRAY
        assert "−0,0" not in card.proto.help and "-0,0" not in card.proto.help
    assert cards["Part de la population en QPV"].value == "3,9\u202f%"
    side = page.dataframe[0].value
    assert list(side["Territoire"][:4]) == ["03 – Allier", "Auvergne-Rhône-Alpes", "France hors Mayotte",
                                            "Médiane des 5 pairs"]
    assert side["Population"].iloc[0] == 333_298 and side["Population"].iloc[2] == 68_094_280
    assert side["Taux de chômage"].iloc[3] == 7.3  # median of 7,4 7,3 7,3 8,2 6,9
    assert side["Taux de chômage"].iloc[1:3].isna().all()  # no « Région » sheet: never an average
    peers = page.dataframe[1].value
    assert list(peers["Département"]) == ["24 – Dordogne", "18 – Cher", "61 – Orne", "81 – Tarn", "70 – Haute-Saône"]
    assert peers["Pourquoi ce pair"].iloc[0].startswith("proche par la densité")
    gaps = page.dataframe[2].value
    assert gaps.set_index("Indicateur").loc["Taux de chômage", "Médiane des pairs"] == "7,3\u202f%"
    # France map beside the table of the 101 departments, the chosen one marked
    assert len(page.get("component_instance")) == 1
    france = page.dataframe[4].value  # after the pathway rates (dataframe 3)
    assert len(france) == 101
    assert france.set_index("Territoire").loc["03 – Allier", "Repère"] == "département choisi"
    assert france.set_index("Territoire").loc["03 – Allier", "Rang"] == 25
    assert france.set_index("Territoire").loc["24 – Dordogne", "Repère"] == "pair"


def test_user_edits_peers_and_region_view(page):
    assert page.multiselect(key="cp_peers").value == ["74", "73", "35", "29", "44"]  # Ain's nearest
    page.multiselect(key="cp_peers").set_value(["74", "24", "69"]).run()
    assert not page.exception
    side = page.dataframe[0].value  # peers by distance; those the user added said so
    assert list(side["Territoire"][3:]) == ["Médiane des 3 pairs", "74 – Haute-Savoie", "69 – Rhône", "24 – Dordogne"]
    assert list(side["Rôle"][4:]) == ["pair", "pair ajouté", "pair ajouté"]
    page.radio(key="cp_level").set_value("region").run()
    page.selectbox(key="cp_indicator").set_value("qpv_share").run()
    assert not page.exception
    regions = page.dataframe[4].value
    assert len(regions) == 18
    ours = regions.set_index("Territoire").loc["Région 84 – Auvergne-Rhône-Alpes"]
    assert ours["Repère"] == "votre région" and ours["Valeur"] == pytest.approx(462_972 / 8_205_557)
    assert page.query_params["niveau"] == "region" and page.query_params["pairs"] == "74,24,69"


def test_pathway_rates_of_the_department_beside_its_region_demo(page):
    """Demonstration records (the bundled ones): the department's rates beside the region's, same
    entries and observation date, « (démo) » on the columns and a banner."""
    page.selectbox(key="cp_dep").set_value("03").run()
    assert "Parcours : Allier et sa région" in [h.value for h in page.header]
    rates = page.dataframe[3].value.set_index("Indicateur")
    assert list(rates.columns) == ["Département (démo)", "Effectif (dép.)", "Région (démo)", "Effectif (région)",
                                   "Écart (points)"]
    # abandons / exits: 463 / 4 275 in the Allier, 11 077 / 104 542 in the region (tests/unit/test_compare.py)
    assert rates.loc["Taux d'abandon", "Département (démo)"].startswith("10,8\u202f% [")
    assert rates.loc["Taux d'abandon", "Effectif (dép.)"] == "4\u202f275"
    assert rates.loc["Taux d'abandon", "Région (démo)"].startswith("10,6\u202f% [")
    assert rates.loc["Taux d'abandon", "Écart (points)"] == "+0,2\u202fpt"
    assert rates.loc["Taux d'accès", "Département (démo)"].startswith("12,1\u202f% [")  # demo denominators
    assert any("taux de parcours du département et de la région" in w.value for w in page.warning)
    assert any("sorties observées au 31/03/2023" in c.value for c in page.caption)


@pytest.fixture
def fresh_server(monkeypatch):
    """No background warm-up beside the test (2 cores), caches emptied before and after."""
    from lib.app import warm

    monkeypatch.setattr(warm, "warm_up", lambda code: True)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield monkeypatch
    st.cache_data.clear()
    st.cache_resource.clear()


def test_pathway_rates_from_imported_records_honour_fragile_and_secret(fresh_server):
    """Imported records (no denominators): 30 entries in the Allier, 800 in the Isère. The Allier's
    rates are fragile or secret, access is « non disponible » with the reason, nothing says démo."""
    records = pd.read_parquet(DEMO / "records_demo_84.parquet")
    dep = records["residence_commune"].str[:2]
    chosen = pd.concat([records[dep.eq("03")].head(30), records[dep.eq("38")].head(800)])
    data = chosen.to_csv(index=False, sep=";").encode()
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_records").set_value(("extraction.csv", data, "text/csv")).run()
    assert not at.exception and not at.error
    at.switch_page("pages/comparer.py").run()
    at.selectbox(key="cp_dep").set_value("03").run()
    assert not at.exception and not at.error
    rates = at.dataframe[3].value.set_index("Indicateur")
    # real data: no « démo »; « Région » is the 2 departments of the file, said (issue 19)
    assert list(rates.columns)[:3] == ["Département", "Effectif (dép.)", "Région (2 départements du fichier)"]
    rates = rates.rename(columns={"Région (2 départements du fichier)": "Région"})
    allier = chosen[dep.loc[chosen.index].eq("03")]
    exits = allier["outcome"].isin(["terminee", "abandon"]).sum()
    abandons = allier["outcome"].eq("abandon").sum()
    assert exits == 30 and rates.loc["Taux d'abandon", "Effectif (dép.)"] == "30"
    assert rates.loc["Taux d'abandon", "Département"].startswith(
        f"{abandons / exits * 100:.1f}".replace(".", ",") + "\u202f% [") and \
        rates.loc["Taux d'abandon", "Département"].endswith("(fragile)")
    assert rates.loc["Taux de certification", "Département"] == "s (effectif < seuil de secret)"
    assert rates.loc["Taux d'abandon", "Effectif (région)"] == "830"
    assert rates.loc["Taux d'accès", "Département"] == "non disponible (aucun fichier de dénominateurs en usage)"
    assert rates.loc["Taux d'accès", "Région"] == "non disponible (aucun fichier de dénominateurs en usage)"
    assert not any("taux de parcours" in w.value for w in at.warning)
    assert any("fichier importé « extraction.csv »" in c.value for c in at.caption)


def test_department_sheet_gives_the_comparison_and_its_pdf_too(fresh_server):
    """Fiche département: section « Comparaison nationale » (rank, gap to the peers' median, peers
    named), a link to Comparer for the department, the same lines in the PDF. Back on Comparer from the
    sheet, the department and its own peers follow."""
    import streamlit.testing.v1.app_test as app_test
    from pypdf import PdfReader
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stores: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            stores.append(self)

    fresh_server.setattr(app_test, "MemoryMediaFileStorage", Recording)
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/comparer.py").run()  # Ain and its peers first
    assert at.multiselect(key="cp_peers").value == ["74", "73", "35", "29", "44"]
    at.switch_page("pages/fiche_departement.py").run()
    at.selectbox(key="fd_dep").set_value("03").run()
    assert not at.exception and "Comparaison nationale" in [h.value for h in at.header]
    table = next(d.value for d in at.dataframe if "Rang en France" in d.value.columns).set_index("Indicateur")
    assert table.loc["Taux de chômage", "Rang en France"] == "25e sur 100 départements"
    assert table.loc["Taux de chômage", "Médiane des pairs"] == "7,3\u202f%"
    assert table.loc["Taux de chômage", "Écart à la médiane"] == "+0,7\u202fpt"
    assert table.loc["Part de la population en FRR", "Rang en France"] == "20e sur 101 départements"
    peers = "24 Dordogne, 18 Cher, 61 Orne, 81 Tarn, 70 Haute-Saône"
    assert any(peers in c.value for c in at.caption)
    link = next(link.proto for link in at.get("page_link") if link.proto.label.startswith("Comparer Allier (03)"))
    assert link.page == "comparer" and link.query_string == "dep=03&qpv=2024&pairs=24%2C18%2C61%2C81%2C70"

    at.button(key="fd_export").click().run()
    assert not at.exception
    name = next(b.proto.url.rsplit("/", 1)[-1] for b in at.get("download_button") if b.proto.url.endswith(".pdf"))
    pdf = stores[-1].get_file(name.split(".")[0]).content
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)
    assert len(PdfReader(io.BytesIO(pdf)).pages) == 1
    assert "Comparaison nationale" in text and peers in text
    assert "Taux de chômage : 8,0\u202f%, 25e sur 100 départements ; médiane des pairs 7,3\u202f%, écart +0,7\u202fpt." \
        in text
    assert "Part de la population en ZRR : 60,4\u202f%, 19e sur 101 départements" in text

    at.switch_page("pages/comparer.py").run()  # from the menu, no link: the sheet's department, its peers
    assert not at.exception
    assert at.selectbox(key="cp_dep").value == "03"
    assert at.multiselect(key="cp_peers").value == ["24", "18", "61", "81", "70"]


def test_warm_up_computes_what_the_first_visit_draws(fresh_server):
    """After the background warm-up's Comparer steps, the page's first visit (default state) and the
    Fiche's comparison compute nothing national again: every view is a cache hit."""
    from types import SimpleNamespace

    from lib.app import data, warm
    from lib.indicators import compare

    done: list[str] = []

    def step(name, fn):
        value = fn()
        done.append(name)
        return value

    ds = data.shared_datasets("84")
    warm._warm_compare(ds, "01", {"figures": SimpleNamespace(quarter="2025-T3")}, "2024", step,
                       lambda fn, *args: data.run_view(ds, fn, *args))
    assert done == ["comparer trimestres", "fiche comparaison", "comparer pairs", "comparer noms",
                    "comparer département", "comparer parcours", "comparer carte", "comparer séries"]
    calls: list[str] = []
    for name in ("national_table", "pathway_rates", "peers", "build_base"):
        original = getattr(compare, name)
        fresh_server.setattr(compare, name, lambda *a, _n=name, _f=original, **k: calls.append(_n) or _f(*a, **k))
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/comparer.py").run()
    assert not at.exception and at.selectbox(key="cp_dep").value == "01"
    at.switch_page("pages/fiche_departement.py").run()
    assert not at.exception and "Comparaison nationale" in [h.value for h in at.header]
    assert calls == []
