"""Every department of the region on the Fiche département and the Diagnostic, with records that
cover a few departments only: imported in the session (a), or in a configured folder PRIC_DATA_DIR
beside denominators, an offer and an Insee workbook that lacks most departments (b). Each page
draws, and shows the department's figures, never a figure of nothing or an invented one."""
from __future__ import annotations

import json

import pandas as pd
import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from lib.core.config import DEMO, ROOT
from lib.core.fmt import fr_pct
from lib.datasets.territory import region
from lib.datasets.workspace import BUNDLED_UNEMPLOYMENT
from lib.indicators import unemployment as unemp
from lib.sources import chomage
from tests.conftest import FIXTURES, zipped

APP = str(ROOT / "app.py")
DEPS = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]
COVERED = ["38", "69", "73"]  # the only departments of the records
INSEE_FIXTURE = FIXTURES / "unemployment" / "insee_complet.xlsx"  # T3 2024 … T3 2025, three departments only


def _records_csv() -> bytes:
    records = pd.read_parquet(DEMO / "records_demo_84.parquet")
    records = records[records["residence_commune"].str[:2].isin(COVERED)]
    return records.groupby(records["residence_commune"].str[:2]).head(800).to_csv(index=False, sep=";").encode()


def _offer_zip() -> bytes:
    return zipped({"offre.xml": (DEMO / "offre_demo_84.xml").read_bytes().replace(b"(d\xc3\xa9monstration)", b"")})


def _unemployment_cards(path) -> dict[str, str]:
    """What the card « Taux de chômage » must read for each department: the workbook's latest quarter."""
    tidy, _ = chomage.read_unemployment(path.read_bytes(), path.name)
    table = unemp.department_table(tidy, region("84"), unemp.quarters(tidy)[-1]).set_index("code")
    return {dep: fr_pct(None if pd.isna(table.loc[dep, "taux"]) else float(table.loc[dep, "taux"])) for dep in DEPS}


def _texts(elements) -> str:
    return " ".join(e.value for e in elements)


def _draw_every_sheet(at: AppTest, cards: dict[str, str], origin: str, access: str | None) -> None:
    """The Fiche for each department: no exception, the workbook's unemployment rate on its card, the
    rates charts for a covered department, « aucune entrée importée » and the covered ones otherwise."""
    at.switch_page("pages/fiche_departement.py").run()
    for dep in DEPS:
        at.selectbox(key="fd_dep").set_value(dep).run()
        assert not at.exception, (dep, [e.value for e in at.exception])
        assert not at.error, dep
        card = next(m for m in at.metric if m.label == "Taux de chômage")
        assert card.value == cards[dep], (dep, card.value)
        infos = _texts(at.info)
        charts = len(at.get("vega_lite_chart"))
        if dep in COVERED:
            assert "aucune entrée importée" not in infos, dep
            if access is None:  # without denominators: said, no chart of nothing
                assert "Taux d'accès à la formation : non disponible — aucun fichier de dénominateurs en usage." in infos
                assert charts == 2, dep  # unemployment, return to employment
            else:
                assert "Taux d'accès à la formation : non disponible" not in infos
                assert charts == 3, dep  # and access
        else:
            assert (f"aucune entrée importée pour ce département dans « extraction.csv » ({origin}). "
                    "Les entrées du fichier couvrent : 38 – Isère, 69 – Rhône, 73 – Savoie.") in infos, (dep, infos)
            assert charts == 1, dep  # the unemployment series only


@pytest.fixture
def fresh_server(monkeypatch):
    """Caches emptied before and after: the configured folder is read once per server. No background
    warm-up: it would compute every page's default views beside the test on a 2-core machine."""
    from lib.app import warm

    monkeypatch.setattr(warm, "warm_up", lambda code: True)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield monkeypatch
    monkeypatch.delenv("PRIC_DATA_DIR", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()


def test_imported_records_of_three_departments(fresh_server):
    fresh_server.delenv("PRIC_DATA_DIR", raising=False)
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    at.switch_page("pages/donnees.py").run()
    at.file_uploader(key="donnees_records").set_value(("extraction.csv", _records_csv(), "text/csv")).run()
    assert not at.exception and not at.error
    cards = _unemployment_cards(BUNDLED_UNEMPLOYMENT)
    assert cards["01"] == "5,7\u202f%" and cards["03"] == "8,0\u202f%"
    _draw_every_sheet(at, cards, "fichier importé", access=None)
    # the offer is still the demonstration one: the sheet says what « démonstration » means
    assert "reposent sur des données fictives" in _texts(at.caption)

    at.switch_page("pages/diagnostic.py").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value.set_index("Département")
    assert len(table) == 12
    rates = dict(zip(table.index.str[:2], table["Chômage (%)"]))
    assert {dep: fr_pct(rate) for dep, rate in rates.items()} == cards
    # no denominators: access is out of every score (all unknown, none invented), and said
    assert table["Accès"].isna().all()
    infos = _texts(at.info)
    assert "Taux d'accès à la formation : non disponible — aucun fichier de dénominateurs en usage" in infos
    offer = table["Offre (démo)"]
    reach = table["À portée (démo)"]
    assert offer.to_numpy() == pytest.approx(((reach - reach.min()) / (reach.max() - reach.min())).to_numpy())
    captions = _texts(at.caption)
    assert "fichiers importés" not in captions
    # issue 19: no file named for figures that are not shown, and no year for an access rate that is not there
    assert ("Part des DE infra-bac et accès — non disponibles (aucun fichier de dénominateurs en usage). "
            "Part à portée d'une session") in captions
    assert "extraction.csv" not in captions
    scatter = next(json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("vega_lite_chart")
                   if "Besoin et offre" in json.dumps(json.loads(c.proto.spec), ensure_ascii=False))
    assert "accès non disponible" in scatter and "accès 20" not in scatter
    assert "Part à portée d'une session — Offre de formation (LHEO) : données de démonstration" in captions


def test_configured_folder_with_records_of_three_departments(tmp_path, fresh_server):
    (tmp_path / "extraction.csv").write_bytes(_records_csv())
    (tmp_path / "de.csv").write_bytes((DEMO / "denominators_demo_84.csv").read_bytes())
    (tmp_path / "offre_carif.zip").write_bytes(_offer_zip())
    (tmp_path / "insee_complet.xlsx").write_bytes(INSEE_FIXTURE.read_bytes())
    fresh_server.setenv("PRIC_DATA_DIR", str(tmp_path))
    at = AppTest.from_file(APP, default_timeout=150)
    at.run()
    assert not at.exception
    cards = _unemployment_cards(INSEE_FIXTURE)
    assert cards["01"] == "5,7\u202f%" and cards["03"] == "8,0\u202f%" and cards["38"] == "–"
    _draw_every_sheet(at, cards, "fichier configuré, dossier PRIC_DATA_DIR", access="configured")
    # nothing on the sheet is demonstration: no sentence about fictitious data
    assert "fictives" not in _texts(at.caption) and "démonstration" not in _texts(at.warning).lower()

    at.switch_page("pages/diagnostic.py").run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    table.index = table["Département"].str[:2]
    assert len(table) == 12
    assert {dep: fr_pct(None if pd.isna(v) else v) for dep, v in table["Chômage (%)"].items()} == cards
    # access is known where the records are; elsewhere it is missing, left out of the score and said
    assert table.loc[COVERED, "Accès"].notna().all() and table.drop(index=COVERED)["Accès"].isna().all()
    warnings = _texts(at.warning)
    assert ("Taux d'accès à la formation manquant pour Ain (01), Allier (03), Ardèche (07), Cantal (15), Drôme (26), "
            "Loire (42), Haute-Loire (43), Puy-de-Dôme (63), Haute-Savoie (74) : score partiel") in warnings
    assert "Taux de chômage manquant pour " in warnings
    # an uncovered department's offer is its reach alone (rescaled over the region), no invented access
    reach = table["À portée"]
    alone = (reach - reach.min()) / (reach.max() - reach.min())
    for dep in set(DEPS) - set(COVERED):
        assert table.loc[dep, "Offre"] == pytest.approx(alone[dep]), dep
        assert "Taux d'accès à la formation" in table.loc[dep, "Score partiel : manque"]
    assert (table.loc[COVERED, "Score partiel : manque"].eq("")
            | ~table.loc[COVERED, "Score partiel : manque"].str.contains("accès")).all()
    captions = _texts(at.caption)
    assert "fichiers importés" not in captions and "données de démonstration (générateur" not in captions
    assert "Source : fichier configuré « extraction.csv » (Entrées en formation, dossier PRIC_DATA_DIR)." in captions
    assert "fichier configuré « offre_carif.zip »" in captions

    at.switch_page("pages/sources.py").run()
    assert not at.exception
    text = _texts(at.markdown)
    assert "Source : fichier configuré « insee_complet.xlsx » (Taux de chômage localisés (Insee), dossier PRIC_DATA_DIR)." in text
    assert "L'édition fournie décrite ici n'est pas utilisée." in text
    catalog = at.dataframe[0].value.set_index("Jeu de données")
    assert "fourni, non utilisé ; en usage : « insee_complet.xlsx » (3e trimestre 2025)" in catalog.loc[
        "Taux de chômage localisés", "Millésime"]
