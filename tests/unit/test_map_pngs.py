"""Every page's map as a PNG (Chômage, Territoires, Zones blanches, Comparer's France map, Où ouvrir): a
real PNG, wide enough to read, drawn by the views the pages' « Carte (PNG) » buttons call; and the region's
one-page sheet (PDF): its text names the region, the data's dates and the sources."""
from __future__ import annotations

import io
import struct

import pytest

from lib.datasets.in_use import Datasets

pytestmark = pytest.mark.xdist_group("map_pngs")


@pytest.fixture(scope="module")
def ds() -> Datasets:
    return Datasets("84")


def _size(png: bytes) -> tuple[int, int]:
    """Width and height read in the PNG's header (IHDR)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert png[12:16] == b"IHDR"
    return struct.unpack(">II", png[16:24])


def _readable(png: bytes) -> None:
    width, height = _size(png)
    assert width >= 600 and height >= 400, (width, height)


def test_unemployment_map_png(ds):
    from lib.views import chomage

    quarter = chomage.unemployment_quarters(ds)[-1]
    _readable(chomage.unemployment_map_png(ds, quarter))
    framed, bare = _size(chomage.unemployment_map_png(ds, quarter)), _size(chomage.unemployment_map_png(ds, quarter, False))
    assert bare[1] < framed[1]  # without title and source lines: the sheet's image


@pytest.mark.parametrize("choice,map_choice,qpv_list", [("FRR 2025", "population_zonage", "2024"),
                                                        ("ZRR 2017", "population_qpv", "2015")])
def test_coverage_map_png(ds, choice, map_choice, qpv_list):
    from lib.views import territoires

    _readable(territoires.coverage_map_png(ds, choice, map_choice, qpv_list))


def test_commune_map_png(ds):
    from lib.views import territoires

    _readable(territoires.commune_map_png(ds, "frr", "FRR 2025", "2024"))


def test_white_zone_map_png(ds):
    from lib.views import zones_blanches
    from lib.views.common import offer_period

    _readable(zones_blanches.white_zone_map_png(ds, (), False, offer_period(), 30))
    assert zones_blanches.offer_filters_phrase(ds, ("22",), True, None).startswith("sessions certifiantes")


@pytest.mark.parametrize("level,indicator", [("departement", "unemployment_rate"), ("region", "density")])
def test_compare_map_png(ds, level, indicator):
    from lib.views import comparer

    quarter = comparer.compare_quarters(ds)[-1]
    _readable(comparer.compare_map_png(ds, level, indicator, quarter, "2024", "63", ("03", "15")))


def test_where_to_act_map_png(ds):
    from lib.views import ou_agir
    from lib.views.common import offer_period

    state = ((), False, offer_period(), 30)
    sites = tuple(ou_agir.where_to_act_view(ds, *state, 3, "population", 0)["ranking"]["code"])
    _readable(ou_agir.where_to_act_map_png(ds, *state, "population", 0, sites))
    _readable(ou_agir.where_to_act_map_png(ds, *state, "population", 0, ()))  # no site: the white zones alone
    # the page's map with every site removed from the what-if list: the white zones alone, nothing gained
    # (the map crashed on an empty argmax before its reach was shared with the PNG)
    empty = ou_agir.where_to_act_map(ds, *state, "population", 0, ())
    assert empty["gained"] == 0 and empty["ranking"].empty


def test_region_sheet_pdf(ds):
    from pypdf import PdfReader

    from lib.indicators import unemployment as unemp
    from lib.views import fiche_region
    from lib.views.common import region_unemployment

    reader = PdfReader(io.BytesIO(fiche_region.region_sheet_pdf(ds)))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Fiche région — Auvergne-Rhône-Alpes (84)" in text
    assert reader.metadata.title == "Fiche région — Auvergne-Rhône-Alpes (84)"
    quarter = unemp.quarters(region_unemployment(ds))[-1]
    assert f"Chômage au {unemp.quarter_label(quarter)}" in text
    observed = ds.records()[1].meta["as_of"]
    assert f"entrées observées au {observed:%d/%m/%Y}" in text
    assert "Objectifs du pacte" in text and "atteint" in text
    for source in ("Sources : Insee, taux de chômage localisés", ds.file_in_use("unemployment").name, "ANCT",
                   "DGCL", "IGN ADMIN EXPRESS", "Offre de formation (LHEO)"):
        assert source in text, source
    # the bundled workbook has no regional row: the median of the departments, said as such
    assert "médiane des départements" in text
    # demonstration data said (the bundled offer and records are)
    assert "Données de démonstration" in text
    for code in ds.region.dep_codes:
        assert ds.region.dep_label(code) in text


def test_region_unemployment_figure_uses_the_region_row(ds, monkeypatch):
    """A workbook with the region's own row: its rate, never the departments' median."""
    import pandas as pd

    from lib.views import fiche_region

    tidy = pd.DataFrame({"level": ["region", "region", "departement"], "code": ["84", "84", "63"],
                         "quarter": ["2024-T3", "2025-T3", "2025-T3"], "rate": [6.0, 6.4, 9.0]})
    monkeypatch.setattr(fiche_region, "region_unemployment", lambda _ds: tidy)
    assert fiche_region.region_unemployment_figure(ds, "2025-T3") == (6.4, pytest.approx(0.4), "de la région")
