"""The page Objectifs du pacte (AppTest, issue 27): the bundled pact's 19 objectives with their statuses, an
objective's gap explained by the departments (summing to the region's) and by publics, an objectives file with a
bad line (uploaded on Données, or applied from the editor) naming the line, and the Fiche's objectives section."""
from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from lib.core.config import ROOT
from lib.views import objectifs_page

APP = str(ROOT / "app.py")
PAGE = "pages/objectifs.py"


def _open(page: str = PAGE, at: AppTest | None = None) -> AppTest:
    if at is None:
        at = AppTest.from_file(APP, default_timeout=300)
        at.run()
    at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


@pytest.fixture(scope="module")
def page() -> AppTest:
    return _open()


def _objectives(at: AppTest) -> pd.DataFrame:
    return at.dataframe[0].value


def test_bundled_pact_gives_19_objectives_with_their_status(page):
    table = _objectives(page)
    assert len(table) == 19
    assert list(table.columns[:5]) == ["Objectif", "Statut", "Réalisé (IC 95 %)", "Attendu aujourd'hui", "Cible"]
    row = table.set_index("Objectif").loc["QPV-2021"]
    assert row["Statut"] == "≈ Incertain"
    assert row["Indicateur"] == "Part des entrants résidant en QPV"
    assert row["Territoire"] == "Auvergne-Rhône-Alpes (84)"
    assert row["Cible"] == "15,0\u202f%" and row["Réalisé (IC 95 %)"].startswith("14,8\u202f% (")
    assert table.set_index("Objectif").loc["PARCOURS-2019", "Cible"] == "23\u202f454"
    assert table.set_index("Objectif").loc["EMPLOYMENT_6M-2022", "Statut"] == "✖ En retard"
    captions = " ".join(c.value for c in page.caption)
    assert "Pacte Auvergne-Rhône-Alpes 2019-2022 — 19 objectifs" in captions
    assert "attendue au 31/03/2023" in captions
    # demonstration records make demonstration achievements, said
    assert any("Réalisations calculées sur les entrées de démonstration" in w.value for w in page.warning)
    assert page.date_input(key="ob_as_of").value.isoformat() == "2023-03-31"


def test_default_objective_is_the_first_behind_and_its_gap_is_explained(page):
    assert page.selectbox(key="ob_objective").value == "EMPLOYMENT_6M-2022"
    markdown = " ".join(m.value for m in page.markdown)
    assert "Statut : **✖ En retard**" in markdown
    assert "Écart à la trajectoire : −2,9 pt" in markdown and "Rhône" in markdown
    departments = page.dataframe[1].value
    assert len(departments) == 13 and departments["Département"].iloc[-1].startswith("Total de la région")
    publics = page.dataframe[2].value
    assert "Résidents QPV" in set(publics["Public"])
    assert any("ne s'additionnent pas" in c.value for c in page.caption)
    assert len(page.get("vega_lite_chart")) == 2  # the bullet chart and the trajectory


def test_choosing_an_objective_and_a_date(page):
    page.selectbox(key="ob_objective").set_value("QPV-2021").run()
    assert not page.exception
    assert "Statut : **≈ Incertain**" in " ".join(m.value for m in page.markdown)
    page.date_input(key="ob_as_of").set_value(pd.Timestamp("2021-06-30").date()).run()
    assert not page.exception
    assert "attendue au 30/06/2021" in " ".join(c.value for c in page.caption)


BAD_FILE = ("objective_id;indicator;scope;year;target;comment\n"
            "A;qpv_share;84;2021;0,15;cible régionale\n"
            "B;taux_magique;84;2021;0,5;\n"
            "C;entries;01;2021;2000;commentaire local de l'Ain\n").encode()


def test_objectives_file_with_a_bad_line_on_donnees_names_it():
    at = _open("pages/donnees.py")
    at.file_uploader(key="donnees_objectives").set_value(("mes_objectifs.csv", BAD_FILE, "text/csv")).run()
    assert not at.exception
    _open(PAGE, at)
    table = _objectives(at)
    assert list(table["Objectif"]) == ["A", "C"]
    warnings = " ".join(w.value for w in at.warning)
    assert "1 objectif(s) mis de côté" in warnings and "ligne 3 : indicateur inconnu" in warnings
    assert "fichier importé « mes_objectifs.csv »" in " ".join(c.value for c in at.caption)
    assert table.set_index("Objectif").loc["C", "Commentaire"] == "commentaire local de l'Ain"
    # the Fiche of the Ain lists its objective
    _open("pages/fiche_departement.py", at)
    fiche = [d.value for d in at.dataframe if "Objectif" in d.value.columns]
    assert len(fiche) == 1 and list(fiche[0]["Objectif"]) == ["C"]


def test_the_editor_refuses_a_bad_line_and_names_it(monkeypatch):
    original = objectifs_page.editor_frame

    def with_a_bad_line(ds):
        frame = original(ds)
        frame.loc[2, "indicator"] = "taux_magique"
        return frame

    monkeypatch.setattr(objectifs_page, "editor_frame", with_a_bad_line)
    at = _open()
    at.button(key="ob_apply").click().run()
    assert not at.exception
    errors = " ".join(e.value for e in at.error)
    assert "Objectifs non appliqués : 1 ligne(s) refusée(s)" in errors
    assert "ligne 3 du tableau (ligne 4 du fichier) : indicateur inconnu" in errors
    assert len(_objectives(at)) == 19  # nothing applied


def test_the_editor_applies_valid_objectives_for_the_session():
    at = _open()
    at.button(key="ob_apply").click().run()
    assert not at.exception and not at.error
    assert any("Objectifs appliqués pour la session (19 lignes" in s.value for s in at.success)
    assert len(_objectives(at)) == 19
    assert "fichier importé « objectifs.csv »" in " ".join(c.value for c in at.caption)


def test_the_fiche_says_when_the_department_has_no_objective(page):
    _open("pages/fiche_departement.py", page)
    assert any("Aucun objectif du pacte n'a pour territoire Ain (01)" in i.value for i in page.info)
