"""Uploads through the pages (AppTest): a broken file shows the French message and the page still
works on the bundled data; a real-looking file is used with its import report."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import DEMO, ROOT

APP = str(ROOT / "app.py")


@pytest.fixture
def app() -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    return at


def _page(app: AppTest, page: str) -> AppTest:
    app.switch_page(page).run()
    assert not app.exception
    return app


def test_broken_records_upload_shows_a_french_message_and_the_page_still_works(app):
    _page(app, "pages/parcours.py")
    app.file_uploader(key="records_upload").set_value(
        ("entrees.csv", b'entry_id,person_id,entry_date,exit_date,residence_commune,outcome\nE1,"P1,2021-01-01\n', "text/csv")).run()
    assert not app.exception
    messages = " ".join(e.value for e in app.error)
    assert "guillemet ouvert jamais fermé" in messages and "entrees.csv" in messages
    assert any("démonstration" in w.value for w in app.warning)  # the demonstration data are shown instead, and said
    assert len(app.get("vega_lite_chart")) > 3


def test_french_excel_records_upload_is_used_with_its_report(app):
    records = pd.read_parquet(DEMO / "records_demo_84.parquet").head(3000)
    records = records.astype(str).replace({"nan": ""})
    records["entry_date"] = pd.to_datetime(records["entry_date"]).dt.strftime("%d/%m/%Y")
    data = records.to_csv(index=False, sep=";").encode("cp1252")
    _page(app, "pages/parcours.py")
    app.file_uploader(key="records_upload").set_value(("Extraction entrées.csv", data, "text/csv")).run()
    assert not app.exception and not app.error
    assert not any("Données de démonstration" in w.value for w in app.warning)
    captions = " ".join(c.value for c in app.sidebar.caption)
    assert "3 000 lignes lues, 3 000 conservées, 0 rejetées" in captions.replace("\u202f", " ")
    assert "Date d'observation" in captions


def test_broken_offer_upload_shows_a_french_message(app):
    _page(app, "pages/zones_blanches.py")
    app.file_uploader(key="offer_upload").set_value(("offre.zip", b"PK\x03\x04 pas une archive", "application/zip")).run()
    assert not app.exception
    assert any("archive zip illisible" in e.value for e in app.error)
    assert any("Offre de démonstration" in w.value for w in app.warning)
    assert app.metric[0].label == "Communes en zone blanche"


def test_changing_the_observation_date_reads_the_records_again(app):
    import datetime as dt

    from lib.core.config import ROOT as root

    data = (root / "tests" / "fixtures" / "records" / "small_records.csv").read_bytes()
    _page(app, "pages/parcours.py")
    app.file_uploader(key="records_upload").set_value(("small_records.csv", data, "text/csv")).run()
    assert not app.exception and not app.error
    # the field shows the date in use (the file's latest plausible date), not a blank « DD/MM/YYYY »
    default = app.date_input(key="records_as_of").value
    assert default is not None and f"Date d'observation : {default:%d/%m/%Y}" in " ".join(c.value for c in app.sidebar.caption)
    app.date_input(key="records_as_of").set_value(dt.date(2023, 6, 30)).run()
    assert not app.exception and not app.error
    captions = " ".join(c.value for c in app.sidebar.caption)
    assert "Date d'observation : 30/06/2023" in captions
    app.date_input(key="records_as_of").set_value(dt.date(2022, 3, 31)).run()
    assert not app.exception
    captions = " ".join(c.value for c in app.sidebar.caption)
    assert "Date d'observation : 31/03/2022" in captions and "30/06/2023" not in captions
    assert any("31/03/2022" in str(c.value) for c in app.caption)  # the pathway charts say it too
