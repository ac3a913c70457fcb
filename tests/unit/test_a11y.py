"""Accessibility measured without a browser: contrasts (WCAG 2.1), palettes under simulated colour
blindness, every chart's description, every map's text alternative, the PDF's language and tags."""
from __future__ import annotations

import io
import json
import re

import pandas as pd
import pytest

from lib.app import a11y
from lib.app.present import chart_spec
from lib.indicators import white_zones as wz
from lib.render import charts

REGION = "84"
WHITE, SIDEBAR = "#ffffff", "#f0f2f6"


def test_contrast_formula_matches_wcag_examples():
    assert a11y.contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert a11y.contrast("#767676", "#ffffff") == pytest.approx(4.54, abs=0.01)  # the usual 4.5:1 grey
    assert a11y.contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


@pytest.mark.parametrize("color", [a11y.CAPTION_COLOR, a11y.LINK_COLOR, charts.SUBTITLE_COLOR, "#b34000", "#1f4d3f",
                                   charts.TEXT_COLOR])
def test_text_colours_reach_4_5_on_page_and_sidebar(color):
    assert a11y.contrast(color, WHITE) >= 4.5
    assert a11y.contrast(color, SIDEBAR) >= 4.5


@pytest.mark.parametrize("color", [*charts.REFERENCE_COLORS.values(), *charts.PLAN_COLORS, "#000091", wz.WHITE_COLOR,
                                   a11y.FOCUS_COLOR, *charts.SERIES_COLORS, charts.GUIDE_COLOR, a11y.SWITCH_TRACK])
def test_chart_marks_and_focus_reach_3_on_white(color):
    assert a11y.contrast(color, WHITE) >= 3.0


def test_charts_override_streamlit_theme_colours():
    """Streamlit's theme draws chart text in #808495 (3,72:1) and its second series in #83c9ff (1,79:1):
    every chart's config sets its own (RGAA 3.2, 3.3)."""
    config = charts.unemployment_lines(
        pd.DataFrame({"date": pd.to_datetime(["2025-01-01", "2025-04-01"]), "quarter": ["2025-T1", "2025-T2"],
                      "serie": ["01 – Ain", "01 – Ain"], "rate": [5.6, 5.7], "level": ["departement"] * 2}),
        "Taux", "Source").to_dict()["config"]
    assert config["axis"]["labelColor"] == config["axis"]["titleColor"] == charts.TEXT_COLOR
    assert config["legend"]["labelColor"] == config["legend"]["titleColor"] == charts.TEXT_COLOR
    assert config["range"]["category"] == charts.SERIES_COLORS and "#83c9ff" not in charts.SERIES_COLORS
    assert a11y.contrast("#808495", WHITE) == pytest.approx(3.72, abs=0.01)  # what the theme gave


def test_switch_track_reaches_3_on_the_sidebar():
    assert a11y.contrast(a11y.SWITCH_TRACK, SIDEBAR) >= 3.0


def test_accessible_table_gives_the_displayed_strings_and_a_name():
    from streamlit import dataframe_util

    from lib.app.present import _styler_proto
    from lib.app.tables import ACCESSIBLE_ROWS, accessible_table

    frame = pd.DataFrame({"code": ["01", "03"], "taux": [5.7, None], "part": [0.0220065, 0.5], "n": [1234567, 2]})
    labels = {"code": "Code", "taux": "Taux", "part": "Part", "n": "Nombre"}
    data = dataframe_util.convert_pandas_df_to_arrow_bytes(frame.rename(columns=labels))
    html = accessible_table(data, _styler_proto(frame, {"taux": "pct", "part": "pct_fraction", "n": "int"},
                                                            labels), "Tableau — essai")
    assert "<caption>Tableau — essai</caption>" in html
    cells = re.findall(r"<t[dh][^>]*>([^<]*)</t[dh]>", html)
    assert cells == ["Code", "Taux", "Part", "Nombre", "01", "5,7\u202f%", "2,2\u202f%", "1\u202f234\u202f567",
                     "03", "–", "50,0\u202f%", "2"]
    many = pd.DataFrame({"n": range(ACCESSIBLE_ROWS + 10)})
    html = accessible_table(dataframe_util.convert_pandas_df_to_arrow_bytes(many),
                                  _styler_proto(many, {"n": "int"}, None), "Grand")
    assert html.count("<tr>") == ACCESSIBLE_ROWS + 1 and "500 premières lignes sur 510" in html


def test_every_page_has_its_own_title():
    assert a11y.page_title("Chômage localisé") == "Chômage localisé — PRIC"


def test_plan_bars_differ_from_each_other():
    assert a11y.contrast(*charts.PLAN_COLORS) >= 3.0


def _ramp(stops: list[str], t: float) -> str:
    """The colour Vega interpolates at ``t`` along ``stops`` (linear RGB between neighbours, as d3)."""
    position = t * (len(stops) - 1)
    low = min(int(position), len(stops) - 2)
    frac = position - low
    a, b = ([int(c.lstrip("#")[i:i + 2], 16) for i in (0, 2, 4)] for c in (stops[low], stops[low + 1]))
    return "#" + "".join(f"{round(x + (y - x) * frac):02x}" for x, y in zip(a, b))


@pytest.mark.parametrize("stops,white_from", [(charts.BLUES, charts.BLUES_WHITE_FROM),
                                              (charts.ORANGES, charts.ORANGES_WHITE_FROM)])
def test_heatmap_cell_text_reaches_4_5_everywhere(stops, white_from):
    for step in range(101):
        t = step / 100
        cell = _ramp(stops, t)
        text = "#ffffff" if t >= white_from else "#000000"
        assert a11y.contrast(text, cell) >= 4.5, (t, cell, text)


def test_distance_palette_reads_by_lightness_and_survives_colour_blindness():
    colors = [c for _, _, c, _ in wz.DISTANCE_CLASSES] + [wz.WHITE_COLOR]
    # Darker = farther: the order reads without hue.
    lightness = [a11y.luminance(c) for c in colors]
    assert lightness == sorted(lightness, reverse=True)
    for kind in a11y.CVD_MATRICES:
        seen = [a11y.simulate(c, kind) for c in colors]
        for first, second in zip(seen, seen[1:]):
            assert a11y.delta_e(first, second) >= 10, (kind, first, second)


def test_reference_marks_and_plan_bars_stay_apart_for_colour_blind_readers():
    for kind in a11y.CVD_MATRICES:
        plan = [a11y.simulate(c, kind) for c in charts.PLAN_COLORS]
        assert a11y.delta_e(*plan) >= 20, kind
    # Region and national marks look alike to some readers: they also differ by symbol and label.
    assert set(charts.REFERENCE_SHAPES.values()) == {"diamond", "square"}


def test_white_zones_are_hatched_on_the_map_and_in_its_legend():
    geojson = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.8, 45.7]}, "properties": {"km": 50}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [4.9, 45.8]}, "properties": {"km": 5}}]}
    from lib.render import maps

    fmap = maps.polygons(geojson, [[45, 4], [46, 5]], lambda p: wz.distance_color(p["km"], 30), "Distance",
                         wz.distance_legend(30), ["km"], ["km"], canvas=True, hatched=frozenset({wz.WHITE_COLOR}))
    html = fmap.get_root().render()
    assert f'["{wz.WHITE_COLOR}","<b>50<\\/b>",1]' in html  # the white zone carries the hatch flag
    assert f'["{wz.DISTANCE_CLASSES[0][2]}","<b>5<\\/b>"]' in html
    assert f"repeating-linear-gradient(135deg,{wz.WHITE_COLOR}" in html  # its legend swatch


# ---------------------------------------------------------------------------------------------
# Every chart: an accessible name and a one-sentence description (title and takeaway)

def _rates(category: str, values: list[tuple[str, float | None, str]]) -> pd.DataFrame:
    return pd.DataFrame({category: [v[0] for v in values], "rate": [v[1] for v in values],
                         "ci_low": [None if v[1] is None else v[1] - 0.05 for v in values],
                         "ci_high": [None if v[1] is None else v[1] + 0.05 for v in values],
                         "status": [v[2] for v in values], "statut": [v[2] for v in values],
                         "numerator": [10] * len(values), "denominator": [100] * len(values)})


def _all_charts() -> dict[str, tuple[str, object]]:
    rates = _rates("public_label", [("Jeunes", 0.52, "ok"), ("Femmes", 0.61, "fragile"), ("QPV", None, "suppressed")])
    refs = pd.DataFrame({"value": [0.57, 0.48], "row": ["national|2015", "Pacte|2017"], "scope": ["national", "region"],
                         "definition": ["close", "same"], "source": ["a", "b"]})
    cross = _rates("parcours", [("Qualifiant", 0.5, "ok"), ("Préqualifiant", 0.3, "ok")]).assign(public_label=["Jeunes", "QPV"])
    series = pd.DataFrame({"serie": ["01 – Ain", "01 – Ain", "Région"], "level": ["departement", "departement", "region"],
                           "quarter": ["2025-T2", "2025-T3", "2025-T3"],
                           "date": pd.to_datetime(["2025-04-01", "2025-07-01", "2025-07-01"]), "rate": [5.5, 5.7, 7.1]})
    plan = pd.DataFrame({"year": [2019, 2020], "axis": [1, 1], "prevus": [100, 120], "realises": [90, 130]})
    motifs = pd.DataFrame({"motif": ["Santé", "Emploi"], "bac": [10, 40], "infra": [35, 20]})
    annual = pd.DataFrame({"year": [2021, 2022], "value": [1000, 1200], "cumulative": [True, False],
                           "as_of": pd.to_datetime(["2021-12-31", "2022-12-31"])})
    scatter = pd.DataFrame({"label": ["01 Ain", "03 Allier", "15 Cantal"], "need": [0.2, 0.9, 0.5],
                            "offer": [0.8, 0.1, 0.5], "rank": [3, 1, 2], "under_served": [False, True, False]})
    return {
        "unemployment_lines": ("Taux de chômage", charts.unemployment_lines(series, "Taux de chômage", "Insee")),
        "rate_bars": ("Accès", charts.rate_bars(rates, "public_label", "Public", "Accès", "2024", refs)),
        "rate_heatmap": ("Emploi", charts.rate_heatmap(cross, "parcours", "Parcours", "public_label", "Public", "Emploi", "2024")),
        "gauge": ("Part QPV", charts.gauge(0.17, 0.15, "Part QPV", "2024")),
        "plan_vs_realised_bars": ("Parcours", charts.plan_vs_realised_bars(plan, "Parcours", "Pacte")),
        "motif_heatmap": ("Abandons", charts.motif_heatmap(motifs, {"bac": "Bac", "infra": "Infra"}, "Abandons", "Pacte")),
        "annual_bars": ("Entrées", charts.annual_bars(annual, "Entrées", "Entrées", "Baromètre")),
        "need_offer_scatter": ("Besoin et offre", charts.need_offer_scatter(scatter, "Besoin et offre", "2025")),
    }


def _marks(spec: dict):
    if isinstance(spec, dict):
        if "mark" in spec:
            yield spec["mark"]
        for key in ("layer", "hconcat", "vconcat", "concat"):
            for child in spec.get(key, []):
                yield from _marks(child)
        if isinstance(spec.get("spec"), dict):
            yield from _marks(spec["spec"])


def test_every_chart_builder_is_covered():
    import inspect

    builders = {name for name, fn in inspect.getmembers(charts, inspect.isfunction)
                if fn.__module__ == charts.__name__ and not name.startswith("_")
                and inspect.signature(fn).return_annotation in ("alt.Chart",)}
    assert builders <= set(_all_charts()), builders - set(_all_charts())


@pytest.mark.parametrize("name", list(_all_charts()))
def test_every_chart_has_a_description_and_marks_out_of_the_aria_tree(name):
    title, chart = _all_charts()[name]
    spec = chart_spec(chart)
    description = spec.get("description", "")
    assert description.startswith(title) and description.endswith(".") and len(description) > len(title) + 5, description
    assert description.count(". ") == 0, description  # one sentence
    assert spec["config"]["aria"] is False
    for mark in _marks(spec):
        assert isinstance(mark, dict) and mark["aria"] is False, mark


def test_descriptions_say_the_takeaway():
    charts_ = _all_charts()
    assert "le plus élevé Femmes 61,0\u202f%" in chart_spec(charts_["rate_bars"][1])["description"]
    assert "1 en secret statistique" in chart_spec(charts_["rate_bars"][1])["description"]
    assert "1 départements sous-dotés sur 3" in chart_spec(charts_["need_offer_scatter"][1])["description"]
    assert "17,0\u202f%, pour un objectif de 15\u202f%" in chart_spec(charts_["gauge"][1])["description"]


# ---------------------------------------------------------------------------------------------
# Every map: a text alternative saying what it maps and its key figure

def _label(args: dict) -> str:
    found = re.search(r"box\.setAttribute\('aria-label', (\".*?\")\);", args["script"])
    assert found, "la carte n'a pas de texte alternatif"
    return json.loads(found.group(1))


def test_every_map_has_a_text_alternative():
    from lib.app import data
    from lib.app.present import present
    from lib.datasets.in_use import Datasets
    from lib.views import chomage, territoires, zones_blanches

    ds = Datasets(REGION)
    quarter = data.run_view(ds, chomage.unemployment_quarters)[-1]
    _, unemployment = data.run_view(ds, chomage.unemployment_table_and_map, quarter)
    assert re.match(r"Taux de chômage par département, 3e trimestre 2025 : de \d+,\d\u202f% \(\w+\) à ", _label(unemployment))
    coverage = present(territoires.coverage_map(ds, "FRR 2025", "population_zonage", "2024"))
    assert _label(coverage).startswith("Part de la population en FRR par département : de ")
    communes = present(territoires.commune_zoning_map(ds, "frr", "FRR 2025", "2024"))
    assert re.search(r"communes classées sur 4\u202f025, 145 quartiers", _label(communes)), _label(communes)
    months = data.run_view(ds, zones_blanches.offer_months)
    white = data.run_view(ds, zones_blanches.white_zone_view, (), False, (months[0], months[-1]), 30)
    assert re.search(r": [\d\u202f]+ communes en zone blanche \(hachurées, à plus de 30 km\), [\d\u202f]+ habitants",
                     _label(white["map"])), _label(white["map"])
    assert data.region(REGION).code == REGION


def test_sheet_pdf_declares_language_title_and_tags():
    import matplotlib.pyplot as plt
    import pypdf

    from lib.render import export

    figure = plt.figure(figsize=(1, 1))
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    plt.close(figure)
    pdf = export.sheet_pdf("Fiche département — Allier (03)", "Région", [("Taux", "8,0 %")], ["Un constat."],
                           [(buffer.getvalue(), "Carte", "Carte des communes de l'Allier : 1 234 habitants en zone blanche.")],
                           ["Insee"])
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "fr-FR"
    assert reader.metadata.title == "Fiche département — Allier (03)"
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"])
    assert bool(root["/MarkInfo"]["/Marked"])
    kinds = {}

    def walk(node):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                kinds[node["/S"]] = node
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids]:
                if kid is not None and not isinstance(kid, int):
                    walk(kid)
    walk(root["/StructTreeRoot"])
    assert kinds["/H1"]["/T"] == "Fiche département — Allier (03)"
    assert kinds["/Figure"]["/Alt"].startswith("Carte des communes de l'Allier")
    assert len(reader.pages) == 1
    # Every text block is tagged (was 42 of 44 untagged): no text shown outside marked content.
    from pypdf.generic import ContentStream

    depth, untagged, tagged = 0, 0, 0
    for _operands, operator in ContentStream(reader.pages[0].get_contents(), reader).operations:
        if operator in (b"BDC", b"BMC"):
            depth += 1
        elif operator == b"EMC":
            depth -= 1
        elif operator in (b"Tj", b"TJ", b"'", b'"'):
            untagged += depth == 0
            tagged += depth > 0
    assert untagged == 0 and tagged >= 6, (untagged, tagged)
    roles = []

    def roles_of(node):
        node = node.get_object()
        if isinstance(node, dict):
            if "/S" in node:
                roles.append(node["/S"])
            kids = node.get("/K")
            for kid in kids if isinstance(kids, list) else [kids]:
                if kid is not None and not isinstance(kid, int):
                    roles_of(kid)
    roles_of(root["/StructTreeRoot"])
    assert roles.count("/H1") == 1 and roles.count("/H2") == 1 and roles.count("/Caption") == 1
    assert roles.count("/P") == 4  # subtitle, the figure box, the finding, the sources
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert "<dc:language><rdf:Bag><rdf:li>fr-FR</rdf:li>" in xmp and "Fiche département — Allier (03)</rdf:li>" in xmp
    assert "pdfuaid" not in xmp  # not claimed: not checked against PDF/UA


def test_statement_figures_cover_every_page_of_the_navigation():
    from lib.core.config import ROOT
    from tests.browser.a11y import PAGES

    navigation = re.findall(r'st\.Page\([^)]*?title="([^"]+)"', (ROOT / "app.py").read_text())
    assert [title for _, _, title in PAGES] == navigation  # the measure covers the whole navigation
    assert set(navigation) <= set(a11y.AUDIT["pages"])
    for _before, after in a11y.AUDIT["pages"].values():
        assert after[:2] == (0, 0)  # no critical or serious violation left (tests/browser/test_rgaa.py)


def test_no_alert_starts_with_its_icon_name():
    """A material icon is text (« error », « info ») that a reader of the alert's text meets first (issue 26):
    alerts carry their words only."""
    import ast
    from pathlib import Path

    root = Path(__file__).parents[2]
    found = []
    for path in [*(root / "lib" / "app").glob("*.py"), *(root / "pages").glob("*.py"), root / "app.py"]:
        for node in ast.walk(ast.parse(path.read_bytes())):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr in ("error", "warning", "info", "success")  # st.x or a placeholder's .x
                    and any(k.arg == "icon" for k in node.keywords)):
                found.append(f"{path.name}:{node.lineno}")
    assert not found, found
