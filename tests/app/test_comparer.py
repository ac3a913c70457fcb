"""Page Comparer through AppTest: figures of the department, its peers, the France map and table."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.config import ROOT

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
    france = page.dataframe[3].value
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
    page.segmented_control(key="cp_level").set_value("region").run()
    page.selectbox(key="cp_indicator").set_value("qpv_share").run()
    assert not page.exception
    regions = page.dataframe[3].value
    assert len(regions) == 18
    ours = regions.set_index("Territoire").loc["84 – Auvergne-Rhône-Alpes"]
    assert ours["Repère"] == "votre région" and ours["Valeur"] == pytest.approx(462_972 / 8_205_557)
    assert page.query_params["niveau"] == "region" and page.query_params["pairs"] == "74,24,69"
