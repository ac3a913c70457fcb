"""Issue 19 through AppTest: the Fiche département's employment rates say which entries they pool and
the date their outcomes were observed on — chart subtitle, finding, PDF and PNG (source and date)."""
from __future__ import annotations

import io
import json

import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT

APP = str(ROOT / "app.py")
SCOPE = "entrées 2019-2022, situation observée au 31/03/2023"  # the demonstration records: 2019-2022, 31/03/2023


def test_sheet_employment_rates_carry_years_and_observation_date(monkeypatch):
    import streamlit.testing.v1.app_test as app_test
    from pypdf import PdfReader
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

    stores: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            stores.append(self)

    from lib.render import export

    drawn: list[dict] = []  # the charts made into PNG, as Vega-Lite specs
    original = export.chart_png

    def recording_png(chart, *args, **kwargs):
        drawn.append(chart.to_dict())
        return original(chart, *args, **kwargs)

    st.cache_data.clear()
    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)
    monkeypatch.setattr(export, "chart_png", recording_png)
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/fiche_departement.py").run()
    at.selectbox(key="fd_dep").set_value("69").run()
    assert not at.exception
    specs = [json.loads(c.proto.spec) for c in at.get("vega_lite_chart")]
    employment = next(s for s in specs if "Retour à l'emploi à 6 mois" in json.dumps(s, ensure_ascii=False))
    assert f"par public — {SCOPE}" in _subtitle(employment)
    findings = " ".join(m.value for m in at.markdown)
    assert "points à celui de l'ensemble (" in findings and f"({SCOPE}) — données de démonstration." in findings

    at.button(key="fd_export").click().run()
    assert not at.exception
    urls = {b.proto.url.rsplit("/", 1)[-1].split(".")[0]: b.proto.label for b in at.get("download_button")
            if b.proto.url}  # the deck's button is built when clicked (deferred): no file yet
    files = {label: stores[-1].get_file(name).content for name, label in urls.items()}
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(files["PDF (1 page)"])).pages)
    assert SCOPE in " ".join(text.split())
    assert files["Graphique emploi (PNG)"][:8] == b"\x89PNG\r\n\x1a\n"
    # the PNG leaves the page: its subtitle carries the entries, the observation date and the source
    png_spec = next(spec for spec in drawn if "Retour à l'emploi à 6 mois" in json.dumps(spec, ensure_ascii=False))
    assert f"par public — {SCOPE} — données de démonstration — Entrées en formation : données de démonstration" \
        in _subtitle(png_spec)


def _subtitle(spec: dict) -> str:
    """The subtitle's wide lines joined (wrapped lines rejoined with a space)."""
    title = spec.get("title") or next(layer["title"] for layer in spec.get("layer", []) if "title" in layer)
    lines = title["subtitle"]
    if isinstance(lines, dict):  # the narrow/wide signal: its wide branch
        lines = json.loads(lines["signal"].rsplit(" : ", 1)[1])
    return " ".join(lines if isinstance(lines, list) else [lines])


def test_rates_scope_words():
    import datetime as dt

    from lib.indicators import sheet

    assert sheet.rates_scope([2019, 2020, 2022], dt.date(2023, 3, 31)) == SCOPE
    assert sheet.rates_scope([2022], None) == "entrées 2022" and sheet.rates_scope([], None) == ""
