"""Choice of the Insee workbook's sheets: by name and layout, an analyst's own sheets passed over."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.errors import DataError
from lib.sources.chomage import read_unemployment
from tests.fixtures.make_unemployment_fixtures import DEPS, REGIONS, insee_rows, workbook_bytes


def _rate(tidy: pd.DataFrame, code: str, quarter: str = "2025-T3") -> float:
    return tidy.query("code == @code and quarter == @quarter")["rate"].item()


# --- The Insee sheet is chosen by name and layout -------------------------------------------------

NOTES = [["Mes notes"], [], ["À vérifier avec la Dreets"], ["Rhône en hausse ?"]]
ANALYSIS = [["Département", "Taux", "Commentaire"], ["Ain", 5.7, "stable"], ["Allier", 8.0, "baisse"]]


def _reference() -> pd.DataFrame:
    return read_unemployment(workbook_bytes(("Département", insee_rows(DEPS))), "insee.xlsx")[0]


@pytest.mark.parametrize("before", [
    [("Notes", NOTES)],
    [("Mon analyse", ANALYSIS)],
    [("Départements (mes notes)", ANALYSIS), ("Dépenses", [["Code", "Libellé", "Montant"]])],
    [("Département", [["Code", "Libellé", "Commentaire"], ["01", "AIN", "stable"]])],
])
def test_analyst_sheets_before_the_insee_sheet_are_passed_over(before):
    data = workbook_bytes(*before, ("Département", insee_rows(DEPS)))
    tidy, report = read_unemployment(data, "insee.xlsx")
    pd.testing.assert_frame_equal(tidy, _reference())
    assert _rate(tidy, "03") == 8.0 and report.rows_kept == 3


def test_a_sheet_named_like_insee_but_not_in_its_layout_is_said():
    data = workbook_bytes(("Départements (mes notes)", ANALYSIS), ("Département", insee_rows(DEPS)),
                          ("Région", insee_rows(REGIONS)))
    tidy, report = read_unemployment(data, "insee.xlsx")
    assert _rate(tidy, "84") == 6.8 and _rate(tidy, "01") == 5.7
    assert "Feuille « Départements (mes notes) » non lue : pas de ligne « Code | Libellé | T1_1982 … »" in report.full_text()


def test_no_sheet_in_the_insee_layout_names_the_sheets_seen():
    data = workbook_bytes(("Notes", NOTES), ("Département", ANALYSIS))
    with pytest.raises(DataError) as err:
        read_unemployment(data, "mon_classeur.xlsx")
    assert "ligne d'en-tête introuvable dans les feuilles « Département »" in str(err.value)
    assert "(feuilles trouvées : « Notes », « Département »)" in str(err.value)


def test_no_sheet_named_like_insee_names_the_sheets_seen():
    data = workbook_bytes(("Notes", NOTES), ("Mon analyse", ANALYSIS))
    with pytest.raises(DataError, match=r"ni feuille « Département » ni feuille « Région » \(feuilles trouvées : "
                                        r"« Notes », « Mon analyse »\)"):
        read_unemployment(data, "mon_classeur.xlsx")
