"""Diaporama CREFOP (issue 28): the decks of department 63 and of the region, read back with python-pptx —
a title in every slide's title placeholder, alternative text on every picture, speaker notes naming the
sources, the line chart's data = ``export unemployment``'s, the bar chart's = the rates' (secrecy kept), tables
in French format, demonstration said; a bad template gives a French message."""
from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys

import pandas as pd
import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE, PP_PLACEHOLDER

from lib.core.config import ROOT
from lib.core.errors import DataError
from lib.datasets import workspace
from lib.datasets.in_use import Datasets
from lib.render.deck import Chart, Slide, build_deck
from lib.views import deck

TITLES = (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE)


@pytest.fixture(scope="module")
def ds() -> Datasets:
    return Datasets("84", workspace.current_scan())


@pytest.fixture(scope="module")
def dep_deck(ds):
    return Presentation(io.BytesIO(deck.department_deck(ds, "63")))


@pytest.fixture(scope="module")
def region_deck(ds):
    return Presentation(io.BytesIO(deck.region_deck(ds)))


@pytest.fixture(scope="module")
def cli_deck(tmp_path_factory):
    out = tmp_path_factory.mktemp("deck") / "crefop_63.pptx"
    run = subprocess.run([sys.executable, "-m", "lib", "export", "deck", "--dep", "63", "--out", str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=180)
    return run, out


def _decks(dep_deck, region_deck):
    return {"63": dep_deck, "région": region_deck}


def _charts(prs):
    return [(slide, shape.chart) for slide in prs.slides for shape in slide.shapes if shape.has_chart]


def _texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_every_slide_has_its_title_in_the_title_placeholder_and_notes(dep_deck, region_deck):
    for name, prs in _decks(dep_deck, region_deck).items():
        assert len(prs.slides) >= 10, name
        assert prs.slide_width > prs.slide_height  # 16:9
        for slide in prs.slides:
            title = slide.shapes.title
            assert title is not None and title.placeholder_format.type in TITLES
            assert title.text_frame.text.strip(), name
            assert slide.shapes[0].shape_id == title.shape_id  # read first
            notes = slide.notes_slide.notes_text_frame.text
            assert len(notes) > 40, (name, title.text_frame.text)
            assert any(word in notes for word in ("Source", "Insee", "démonstration", "Objectifs :")), title.text


def test_notes_name_the_sources_and_the_insee_file(ds, dep_deck):
    name = ds.file_in_use("unemployment").name
    slide = next(s for s in dep_deck.slides if "chômage" in s.shapes.title.text_frame.text)
    notes = slide.notes_slide.notes_text_frame.text
    assert name in notes and "Insee" in notes
    last = dep_deck.slides[len(dep_deck.slides) - 1].notes_slide.notes_text_frame.text
    for source in ("Insee", "ANCT", "DGCL", "IGN"):
        assert source in last


def test_every_picture_has_an_alternative_text_saying_what_it_shows(dep_deck, region_deck):
    count = 0
    for prs in (dep_deck, region_deck):
        for slide in prs.slides:
            for shape in slide.shapes:
                if shape.shape_type == MSO_SHAPE_TYPE.PICTURE:
                    alt = shape._element.nvPicPr.cNvPr.get("descr")
                    assert alt and len(alt) > 60 and alt.startswith("Carte"), alt
                    count += 1
    assert count >= 4  # unemployment and white zones, in both decks


def _export_unemployment() -> pd.DataFrame:
    from lib import cli

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(["export", "unemployment"]) == 0
    return pd.read_csv(io.StringIO(out.getvalue()), dtype={"code": str})


def test_line_chart_data_are_the_export_values(dep_deck):
    export = _export_unemployment()
    mine = export[export["level"].eq("departement") & export["code"].eq("63")].set_index("quarter")["rate"]
    slide, chart = next((s, c) for s, c in _charts(dep_deck) if "chômage" in s.shapes.title.text_frame.text)
    assert chart.chart_type is not None and "LINE" in str(chart.chart_type)
    categories = list(chart.plots[0].categories)
    assert categories[-1] == "T3 2025" and all(re.fullmatch(r"T[1-4] \d{4}", c) for c in categories)
    series = {s.name: list(s.values) for s in chart.plots[0].series}
    values = series["63 – Puy-de-Dôme"]
    quarters = [f"{c[-4:]}-T{c[1]}" for c in categories]
    assert values == pytest.approx([mine[q] for q in quarters])
    assert len(series) >= 2  # against the region (or the median of its departments when the workbook has none)


def test_bar_chart_values_are_the_rates_with_secrecy(ds, dep_deck):
    from lib.views.common import department_rates

    rates = department_rates(ds, "63")
    slide, chart = next((s, c) for s, c in _charts(dep_deck) if "publics" in s.shapes.title.text_frame.text)
    assert "BAR" in str(chart.chart_type)
    publics = list(chart.plots[0].categories)
    drawn = {s.name: list(s.values) for s in chart.plots[0].series}
    employment = rates[rates["indicator"].eq("employment_6m")].set_index("public_label")
    for public, value in zip(publics, drawn["Retour à l'emploi à 6 mois"]):
        row = employment.loc[public]
        if row["status"] in ("ok", "fragile"):
            assert value == pytest.approx(row["rate"] * 100)
        else:
            assert value is None


def test_a_suppressed_cell_stays_s_and_draws_no_bar(ds):
    rates = pd.DataFrame([
        {"public": "ensemble", "indicator": "employment_6m", "numerator": 40, "denominator": 80, "rate": 0.5,
         "ci_low": 0.39, "ci_high": 0.61, "status": "ok", "public_label": "Ensemble"},
        {"public": "qpv", "indicator": "employment_6m", "numerator": None, "denominator": 12, "rate": None,
         "ci_low": None, "ci_high": None, "status": "suppressed", "public_label": "Résidents QPV"}])
    chart_slide, table_slide = deck._pathway_slides(ds, rates, "du Puy-de-Dôme", "entrées 2022", None)
    assert chart_slide.chart.series[0][1] == [pytest.approx(50.0), None]
    assert table_slide.table[1][1] == "50,0\u202f% [39,0 – 61,0]"
    assert table_slide.table[2][1] == "s"


def test_tables_are_in_french_format(dep_deck, region_deck):
    cells = [cell.text for prs in (dep_deck, region_deck) for slide in prs.slides for shape in slide.shapes
             if shape.has_table for row in list(shape.table.rows)[1:] for cell in row.cells]  # under the header
    assert len(cells) > 200
    assert not [c for c in cells if re.search(r"\d\.\d", c)]  # no decimal point
    assert not [c for c in cells if re.fullmatch(r"\d{4,}", c) and not re.fullmatch(r"20\d\d", c)]  # thousands spaced
    percents = [c for c in cells if "%" in c]
    assert percents and all(re.search(r"\d,\d\u202f%", c) for c in percents), percents[:5]
    populations = [c for c in cells if re.fullmatch(r"\d{1,3}(\u202f\d{3})+", c)]
    assert populations  # e.g. « 1 481 », « 462 972 »


def test_demonstration_is_said_on_the_slide_and_in_the_notes(dep_deck):
    said = [s for s in dep_deck.slides if any(t.startswith("Données de démonstration") for t in _texts(s))]
    assert len(said) >= 4  # cover, figures, white zones, where to open, pathways, …
    for slide in said:
        assert "Données de démonstration" in slide.notes_slide.notes_text_frame.text


def test_a_quarter_the_workbook_lacks_is_said_not_a_failure(ds):
    slides = deck.department_slides(ds, "63", "2031-T1")
    assert any("n'a pas le trimestre 2031-T1" in line for line in slides[0].lines)


def test_a_department_outside_the_region_is_refused(ds):
    with pytest.raises(DataError, match="pas un département de la région"):
        deck.department_deck(ds, "75")


def test_bad_templates_give_a_french_message():
    slides = [Slide("Titre", ["note"], ["ligne"])]
    with pytest.raises(DataError, match="n'est pas un fichier PowerPoint lisible"):
        build_deck(slides, b"ceci n'est pas un pptx", "prefecture.pptx")
    prs = Presentation()
    for layout in prs.slide_layouts:
        for ph in list(layout.placeholders):
            if ph.placeholder_format.type in TITLES:
                ph._element.getparent().remove(ph._element)
    buffer = io.BytesIO()
    prs.save(buffer)
    with pytest.raises(DataError, match="aucune disposition avec un espace réservé de titre"):
        build_deck(slides, buffer.getvalue(), "sans_titre.pptx")


def test_a_template_gives_its_layouts_and_loses_its_slides():
    prs = Presentation()
    old = prs.slides.add_slide(prs.slide_layouts[0])
    old.shapes.title.text = "Diapositive du modèle"
    buffer = io.BytesIO()
    prs.save(buffer)
    slides = [Slide("Quel chômage ?", ["Source : Insee."], chart=Chart("line", ["T1 2025", "T2 2025"], [("63", [6.5, 6.6])])),
              Slide("Que retenir ?", ["Source : Insee."], ["a", "b"])]
    built = Presentation(io.BytesIO(build_deck(slides, buffer.getvalue(), "prefecture.pptx")))
    titles = [s.shapes.title.text_frame.text for s in built.slides]
    assert titles == ["Quel chômage ?", "Que retenir ?"]
    assert all(s.slide_layout.name == "Title Only" for s in built.slides)


def test_cli_writes_the_deck_and_prints_nothing(cli_deck, dep_deck):
    run, out = cli_deck
    assert run.returncode == 0, run.stderr
    assert run.stdout == ""
    assert "démonstration" in run.stderr
    prs = Presentation(str(out))
    assert [s.shapes.title.text_frame.text for s in prs.slides] == [s.shapes.title.text_frame.text for s in dep_deck.slides]


def test_cli_refuses_a_bad_template(tmp_path):
    bad = tmp_path / "modele.pptx"
    bad.write_bytes(b"pas un zip")
    run = subprocess.run([sys.executable, "-m", "lib", "export", "deck", "--region-wide", "--out", str(tmp_path / "x.pptx"),
                          "--template", str(bad)], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "n'est pas un fichier PowerPoint lisible" in run.stderr
    assert not (tmp_path / "x.pptx").exists()
