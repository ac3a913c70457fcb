"""The « Carte (PNG) » buttons under the maps (Chômage, Territoires, Zones blanches, Comparer's France map,
Où ouvrir) and « Fiche région (PDF) » on Accueil (AppTest): shown on a page run, their files named after
the region (or department) and the period; built only when clicked (the views are tested in
tests/unit/test_map_pngs.py)."""
from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT

pytestmark = pytest.mark.xdist_group("map_downloads")

# page -> (labels expected, part of a file name expected)
PAGES = {
    "pages/chomage.py": (["Carte (PNG)"], "carte_chomage_84_"),
    "pages/territoires.py": (["Carte (PNG)", "Carte (PNG)"], "carte_communes_frr_84_qpv2024"),
    "pages/zones_blanches.py": (["Carte (PNG)"], "carte_zones_blanches_84_30km_"),
    "pages/comparer.py": (["Carte (PNG)"], "carte_france_unemployment_rate_departement_"),
    "pages/ou_agir.py": (["Carte (PNG)"], "carte_ou_ouvrir_84_30km_"),
}


DEFERRED: dict[str, object] = {}  # file name -> the callable a click would run, as the page registered it


@pytest.fixture(scope="module")
def app():
    from streamlit.runtime.media_file_manager import MediaFileManager

    register = MediaFileManager.add_deferred

    def recording(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        DEFERRED[file_name] = data_callable
        return register(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(MediaFileManager, "add_deferred", recording)
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=240)
        at.run()
        assert not at.exception
        yield at
    DEFERRED.clear()  # the callables hold the session's datasets: not kept to the interpreter's exit


def _buttons(at: AppTest) -> list:
    return list(at.get("download_button"))


def test_home_offers_the_region_sheet(app):
    labels = [b.proto.label for b in _buttons(app)]
    assert "Fiche région (PDF)" in labels and "Diaporama CREFOP (PowerPoint)" in labels
    sheet = next(b for b in _buttons(app) if b.proto.label == "Fiche région (PDF)")
    assert "sources et dates" in sheet.proto.help
    assert sheet.proto.HasField("deferred_file_id")  # built when clicked, not on the page's run
    names = [name for name in DEFERRED if name and name.startswith("fiche_region_84_")]
    assert names and names[0].endswith(".pdf")


@pytest.mark.parametrize("page", list(PAGES))
def test_every_map_has_its_png_button(app, page):
    app.switch_page(page).run()
    assert not app.exception and not app.error
    maps = [b for b in _buttons(app) if b.proto.label == "Carte (PNG)"]
    labels, name = PAGES[page]
    assert len(maps) == len(labels)
    assert all(b.proto.help.startswith("Image de la carte") for b in maps)  # what the map shows, said
    assert all(b.proto.HasField("deferred_file_id") for b in maps)  # drawn when clicked, never on a page run
    assert any(file.startswith(name) and file.endswith(".png") for file in DEFERRED if file), sorted(filter(None, DEFERRED))


def test_a_click_gives_the_png(app):
    """What a click on Chômage's button runs: the map of the quarter shown, a PNG."""
    app.switch_page("pages/chomage.py").run()
    quarter = app.select_slider(key="ch_quarter").value
    png = DEFERRED[f"carte_chomage_84_{quarter}.png"]()
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
