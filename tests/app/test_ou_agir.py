"""Page Où ouvrir des sessions ? through AppTest: proposal, figures, what-if, weights, demonstration."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT


def _number(text: str) -> int:
    return int(text.replace("\u202f", "").replace("\xa0", ""))


@pytest.fixture(scope="module")
def page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    at.switch_page("pages/ou_agir.py").run()
    assert not at.exception and not at.error
    return at


def test_proposal_figures_add_up(page):
    assert page.title[0].value == "Où ouvrir des sessions ?"
    assert any("démonstration" in w.value.lower() for w in page.warning)  # demonstration offer banner
    metrics = {m.label: m.value for m in page.metric}
    today = _number(metrics["En zone blanche aujourd'hui (habitants)"])
    after = _number(metrics["Après les 5 sites proposés"])
    table = page.dataframe[0].value
    assert len(table) == 5 and table["Rang"].tolist() == [1, 2, 3, 4, 5]
    gained = table["Apport (habitants)"]
    assert gained.sum() == today - after == table["Cumul"].iloc[-1]
    assert table["Reste en zone blanche"].iloc[-1] == after
    assert gained.is_monotonic_decreasing
    captions = " ".join(c.value for c in page.caption)
    assert "vol d'oiseau" in captions and "pas en temps de trajet" in captions
    assert "Solution optimale" in captions and "données de démonstration" in captions
    # Job seekers: no denominators imported, the option is not offered and the caption says why.
    assert "job_seekers" not in page.radio(key="wa_weight").options
    assert "Demandeurs d'emploi (estimation) : indisponible" in captions
    assert len(page.get("component_instance")) == 1  # the map


def test_what_if_removing_a_site_raises_the_white_population(page):
    metrics = {m.label: m.value for m in page.metric}
    proposed_after = _number(metrics["Après les 5 sites proposés"])
    first_gain = page.dataframe[0].value["Apport (habitants)"].iloc[0]
    sites = page.multiselect[1]
    kept = sites.value[1:]
    sites.set_value(kept).run()
    assert not page.exception
    metrics = {m.label: m.value for m in page.metric}
    mine = _number(metrics["Après vos 4 sites"])
    assert mine > proposed_after and mine - proposed_after <= first_gain
    assert len(page.dataframe[0].value) == 4
    sites = page.multiselect[1]
    sites.set_value(kept[:0] + sites.value + ["69123"]).run()  # add Lyon: within reach already, adds nothing new there
    assert not page.exception


def test_k_and_weight_change_the_proposal(page):
    page.slider(key="wa_k").set_value(2).run()
    assert not page.exception
    assert len(page.dataframe[0].value) == 2
    page.radio(key="wa_weight").set_value("frr").run()
    assert not page.exception
    labels = [m.label for m in page.metric]
    assert "En zone blanche aujourd'hui (habitants des communes FRR)" in labels or page.success
