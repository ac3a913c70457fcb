"""Issue 19 through AppTest: records covering some departments of the region only are never labelled
as the whole region (Parcours, Comparer), and a department without entries says which ones the file covers."""
from __future__ import annotations

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import DEMO, ROOT

APP = str(ROOT / "app.py")
SCOPE = "2022 · 3 départements sur 12 (38, 69, 73)"


@pytest.fixture(scope="module")
def three_departments() -> bytes:
    """Entries 2021-2022 of Isère, Rhône and Savoie only (demonstration records, a CSV like an analyst's)."""
    records = pd.read_parquet(DEMO / "records_demo_84.parquet")
    records = records[records["residence_commune"].str[:2].isin(["38", "69", "73"])
                      & records["entry_date"].str[:4].isin(["2021", "2022"])]
    return records.sample(1500, random_state=19).to_csv(index=False).encode()


def _app(page: str, data: bytes) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    at.run()
    at.switch_page("pages/parcours.py").run()
    at.file_uploader(key="records_upload").set_value(("entrees_38_69_73.csv", data, "text/csv")).run()
    assert not at.exception
    if page != "pages/parcours.py":
        at.switch_page(page).run()
        assert not at.exception
    return at


def test_parcours_names_the_departments_the_records_cover(three_departments):
    at = _app("pages/parcours.py", three_departments)
    assert at.selectbox(key="pr_year").value == 2022
    specs = [json.dumps(json.loads(c.proto.spec), ensure_ascii=False) for c in at.get("vega_lite_chart")]
    rate_charts = [s for s in specs if "Retour à l'emploi à 6 mois" in s or "Taux d'abandon" in s]
    assert rate_charts and all(SCOPE in s for s in rate_charts)
    assert not any("2022 · Auvergne-Rhône-Alpes" in s for s in specs)
    subheaders = [s.value for s in at.subheader]
    assert f"Motifs dans les données — {SCOPE}" in subheaders
    # the pact's plan is the whole region's: said beside the realised entries of three departments
    warnings = " ".join(w.value for w in at.warning)
    assert ("Les parcours réalisés ne viennent que de 3 départements sur 12 (38, 69, 73) : le plan du Pacte porte "
            "sur les 12 départements de la région.") in warnings
    plan = next(s for s in specs if "Parcours par axe" in s)
    assert "Prévus : Pacte 2019-2022 (toute la région) ; réalisés : 3 départements sur 12 (38, 69, 73)" in plan


def test_parcours_for_a_department_without_entries_says_what_the_file_covers(three_departments):
    at = _app("pages/parcours.py", three_departments)
    at.multiselect(key="pr_deps").set_value(["01"]).run()
    assert not at.exception
    infos = " ".join(i.value for i in at.info)
    assert "Aucune entrée ne correspond à ces filtres (2022 · 01 (aucune entrée dans le fichier))." in infos
    assert ("Les entrées du fichier en usage couvrent 3 départements sur 12 : 38 – Isère, 69 – Rhône, 73 – Savoie."
            in infos)
    # what does not rest on the records is still drawn, and the link to this view
    headers = [h.value for h in at.header]
    assert "Baromètre de l'action publique" in headers and "Motifs d'abandon" in headers
    assert any(e.label == "Partager cette vue" for e in at.expander)
    assert any("deps=01" in c.value for c in at.code)


def test_comparer_labels_the_region_column_with_its_coverage(three_departments):
    at = _app("pages/comparer.py", three_departments)
    at.selectbox(key="cp_dep").set_value("38").run()
    assert not at.exception
    table = next(d.value for d in at.dataframe if "Indicateur" in d.value and "Effectif (région)" in d.value)
    assert "Région (3 départements du fichier)" in table.columns and "Région" not in table.columns
    captions = " ".join(c.value for c in at.caption)
    assert "Région : 3 départements sur 12 (38, 69, 73), les seuls départements de la région présents" in captions
