"""What a presenter meets at 1366 px (issue 28): the Fiche's unemployment chart keeps a plot and one legend,
its PNG fills its width, the PDF's captions stay apart, Parcours' reference rows and public labels fit."""
from __future__ import annotations

import io
import re

import pandas as pd
import pytest
import vl_convert
from fpdf import FPDF
from PIL import Image
from pypdf import PdfReader

from lib.core.config import RAW, REFERENCE
from lib.indicators import pathways as pw
from lib.render import charts, export

PUBLICS = ["Ensemble", "Infra-bac (niveau < IV)", "Moins de 26 ans", "Résidents QPV", "Résidents ZRR/FRR",
           "Personnes handicapées (RQTH)", "Allocataires du RSA", "Parents isolés"]


def _series() -> pd.DataFrame:
    dates = pd.date_range("2017-07-01", "2025-07-01", freq="QS")
    rows = []
    for serie, level, base in (("63 – Puy-de-Dôme", "departement", 7.0),
                               ("Médiane des départements de la région", "region", 6.8)):
        rows += [{"date": d, "quarter": f"{d.year}-T{(d.month - 1) // 3 + 1}", "serie": serie, "level": level,
                  "rate": base + (i % 5) / 10} for i, d in enumerate(dates)]
    return pd.DataFrame(rows)


def _legends(spec: dict) -> list[dict]:
    return vl_convert.vegalite_to_vega(spec)["legends"]


def test_unemployment_chart_keeps_its_plot_and_one_legend():
    chart = charts.unemployment_lines(_series(), "Taux de chômage du Puy-de-Dôme",
                                      "Source : Insee, taux de chômage localisés (CVS), édition T3 2025.")
    spec = chart.to_dict()
    # the height is the plot's: the title's lines, the axes and the legend come on top of it (fit-x)
    assert spec["autosize"] == {"type": "fit-x", "contains": "padding"}
    assert spec["height"] >= 200
    legends = _legends(spec)  # as vl-convert draws it (PNG, PDF): one legend, colour and symbol together
    assert len(legends) == 1 and {"fill", "shape"} <= set(legends[0])
    # as the browser gets it (lib.app.present.chart_spec: narrow labels added to every legend)
    assert len(_legends(charts.narrow_subtitles(chart.to_dict()))) == 1


def test_unemployment_png_fills_its_width():
    chart = charts.unemployment_lines(_series(), "Taux de chômage du Puy-de-Dôme", "Source : Insee.")
    from lib.views.fiche import EXPORT_CHART_WIDTH

    image = Image.open(io.BytesIO(export.chart_png(chart.properties(width=EXPORT_CHART_WIDTH), scale=1))).convert("L")
    assert image.width >= 1.5 * image.height  # wide like its third of the PDF, not a square and a blank half
    right = image.crop((int(image.width * 0.8), int(image.height * 0.2), image.width, int(image.height * 0.7)))
    assert min(right.getdata()) < 128  # lines drawn in the right fifth


def _png(width: int, height: int) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(buffer, format="PNG")
    return buffer.getvalue()


CAPTIONS = ["Taux de chômage (Insee, CVS)",
            "Retour à l'emploi à 6 mois (entrées 2019-2022, situation observée au 31/03/2023) — démonstration",
            "Distance à la session la plus proche — offre de démonstration"]


def _caption_boxes(pdf: bytes) -> list[tuple[str, float, float, float]]:
    """(text, x0, x1, y) of every 6.5 pt text run of the page: the captions (and the sources line)."""
    measure = FPDF(unit="pt")
    measure.add_font("DejaVu", "", str(export.FONT_DIR / "DejaVuSans.ttf"))
    measure.set_font("DejaVu", "", 6.5)
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        if text.strip() and abs(font_size * tm[0] - 6.5) < 0.01:
            runs.append((text.strip(), tm[4], tm[4] + measure.get_string_width(text.strip()), tm[5]))

    PdfReader(io.BytesIO(pdf)).pages[0].extract_text(visitor_text=visit)
    return runs


def test_pdf_captions_never_overwrite_each_other():
    pdf = export.sheet_pdf("Fiche département — Puy-de-Dôme (63)", "Région", [("Taux", "6,7 %")], ["Un constat."],
                           [(_png(1200, 700), CAPTIONS[0]), (_png(800, 700), CAPTIONS[1]), (_png(700, 700), CAPTIONS[2])],
                           ["Insee"])
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert ")Distance" not in text.replace("\n", "")
    runs = [run for run in _caption_boxes(pdf) if not run[0].startswith("Sources")]
    assert runs
    words = " ".join(run[0] for run in runs)
    for caption in CAPTIONS:  # every word of every caption printed
        assert all(word in words for word in caption.split())
    for index, (_, x0, x1, y) in enumerate(runs):
        for _, other0, other1, other_y in runs[index + 1:]:
            same_line = abs(y - other_y) < 6.5
            assert not (same_line and x0 < other1 and other0 < x1), runs


@pytest.fixture(scope="module")
def employment_refs():
    marks = pw.benchmark_marks(pd.read_csv(RAW / "benchmarks_publications" / "national_training_benchmarks.csv", dtype=str))
    pact = pd.read_csv(REFERENCE / "pact_ara_2019" / "indicateurs_2017.csv", dtype=str, keep_default_na=False)
    return pw.reference_marks("employment_6m", pact, marks["indicator"])


def _rates(labels: list[str]) -> pd.DataFrame:
    return pd.DataFrame({"public_label": labels, "rate": 0.5, "ci_low": 0.45, "ci_high": 0.55, "status": "ok",
                         "statut": "", "numerator": 50, "denominator": 100})


def _shown_lines(label: str, narrow: bool) -> list[str]:
    """The lines Vega draws of a category label (charts.CATEGORY_LABEL, in Python)."""
    if "|" in label:
        return label.split("|")
    if narrow:
        return re.sub(rf"(.{{1,{charts.WRAP_CHARS}}})(\s+|$)", r"\1\n", label).strip().split("\n")
    return [label]


def test_reference_rows_each_have_room_for_their_lines(employment_refs):
    spec = charts.rate_bars(_rates(PUBLICS), "public_label", "Public", "Retour à l'emploi à 6 mois", "2022",
                            employment_refs).to_dict()
    rows = spec["layer"][0]["encoding"]["y"]["scale"]["domain"]
    assert len(rows) == len(set(rows)) == len(PUBLICS) + len(employment_refs)  # a row (a position) each
    assert spec["autosize"]["type"] == "fit-x"
    tallest = max(len(_shown_lines(row, narrow)) for row in rows for narrow in (True, False))
    assert tallest >= 2
    # each row at least as high as the tallest label, so no two labels overlap (they did at about 20 px a row)
    assert spec["height"] / len(rows) >= tallest * charts.LABEL_LINE_PX
    axis = spec["layer"][0]["encoding"]["y"]["axis"]
    assert axis["labelLineHeight"] == charts.LABEL_LINE_PX and axis["labelExpr"] == charts.CATEGORY_LABEL


def _text_px(text: str) -> float:
    """Width (px) of 12 px text in DejaVu Sans, wider than the Arial/Liberation Sans the browser uses."""
    from PIL import ImageFont

    return ImageFont.truetype(str(export.FONT_DIR / "DejaVuSans.ttf"), 12).getlength(text)


@pytest.mark.parametrize("container", [271, 445, 906])  # the Fiche's column, Parcours' half, Parcours' width at 1366 px
def test_public_labels_are_never_cut(employment_refs, container):
    spec = charts.rate_bars(_rates(PUBLICS), "public_label", "Public", "Retour à l'emploi à 6 mois", "2022",
                            employment_refs).to_dict()
    narrow = container < charts.NARROW_PX
    limit = max(150, container * 0.5) if narrow else 300
    assert spec["layer"][0]["encoding"]["y"]["axis"]["labelLimit"] == {"expr": charts.CATEGORY_LABEL_LIMIT}
    assert charts.CATEGORY_LABEL_LIMIT == f"{charts.NARROW} ? max(150, containerSize()[0] * 0.5) : 300"
    for public in PUBLICS:
        for line in _shown_lines(public, narrow):
            assert _text_px(line) <= limit, (public, line, limit)
    if container >= 445:  # the reference rows' own lines fit too where Parcours draws them
        for row in spec["layer"][0]["encoding"]["y"]["scale"]["domain"][len(PUBLICS):]:
            for line in _shown_lines(row, narrow):
                assert _text_px(line) * 0.92 <= limit, (row, line, limit)  # Liberation Sans ≈ 0.9 × DejaVu


def test_the_gauge_ring_turns_around_the_needles_origin_and_the_value_stays_clear():
    """Issue 28: « objectif 15 % » was drawn over « 14,9 % » and the ring ran into the title (ring centred on the view,
    needle on the data's origin)."""
    from lib.render import charts

    spec = charts.gauge(0.149, 0.15, "Part des entrants résidant en QPV", "2022").to_dict()
    arc = next(layer for layer in spec["layer"] if (layer.get("mark", {}).get("type") if isinstance(layer.get("mark"), dict)
                                                    else layer.get("mark")) == "arc")
    assert arc["encoding"]["x"]["scale"]["domain"] == [-140, 140] and arc["encoding"]["y"]["scale"]["domain"] == [-20, 140]
    needle = next(layer for layer in spec["layer"] if (layer.get("mark", {}).get("type") if isinstance(layer.get("mark"), dict)
                                                       else layer.get("mark")) == "line")
    rows = spec["datasets"][needle["data"]["name"]]
    assert min(abs(r["y"]) for r in rows) > 40  # starts outside the ring's hollow, where the value is written
