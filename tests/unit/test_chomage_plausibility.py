"""Plausibility of the Insee workbook (lib.sources.chomage.check_plausibility) and the choice of its
sheets: another series in Insee's layout is refused, a few implausible cells are set aside and named,
an analyst's own sheets are passed over. The CLI refuses or warns with the same words."""
from __future__ import annotations

import pandas as pd
import pytest

from lib import cli
from lib.core.errors import DataError
from lib.sources import chomage
from lib.sources.chomage import read_unemployment
from tests.conftest import FIXTURES
from tests.fixtures.make_unemployment_fixtures import DEPS, REGIONS, insee_rows, workbook_bytes

# The 12 departments of Auvergne-Rhône-Alpes, five quarters ending at their published T3 2025 rate.
ARA_T3_2025 = {"01": 5.7, "03": 8.0, "07": 7.7, "15": 4.6, "26": 7.9, "38": 6.3,
               "42": 7.9, "43": 5.6, "63": 6.7, "69": 7.0, "73": 5.6, "74": 5.7}
ARA = [[code, f"DEP {code}", rate - 0.2, rate - 0.1, rate - 0.1, rate, rate] for code, rate in ARA_T3_2025.items()]
NB = "\u202f"


def _read(rows: list[list], sheet: str = "Département", **layout) -> tuple[pd.DataFrame, object]:
    return read_unemployment(workbook_bytes((sheet, insee_rows(rows, **layout))), "insee.xlsx")


def _rate(tidy: pd.DataFrame, code: str, quarter: str = "2025-T3") -> float:
    return tidy.query("code == @code and quarter == @quarter")["rate"].item()


# --- Another series in Insee's layout is refused --------------------------------------------------

def test_job_seekers_in_thousands_are_refused_naming_a_value():
    # DEFM cat. A in thousands (Rhône 93,3, Isère 45,0, Ain 19,8): under the Insee title, so only the values tell.
    thousands = [[code, name, 93.3, 93.0, 92.8, 93.1, 93.3] if code == "69" else
                 [code, name, *(v * 6 for v in values)] for code, name, *values in ARA]
    with pytest.raises(DataError) as err:
        _read(thousands)
    message = str(err.value)
    assert "hors de l'intervalle plausible d'un taux de chômage localisé (plus de 1 % et au plus 40 %)" in message
    assert "DEP 01 2024-T3 : 33 " not in message  # 33,0 % is in range: not given as an example
    assert "DEP 03 2024-T3 : 46,8 (feuille « Département », ligne 6)" in message
    assert "fichier refusé" in message and "insee.fr/fr/statistiques/2012804" in message


def test_counts_are_refused_as_counts():
    counts = [[code, name, *(round(v * 6000) for v in values)] for code, name, *values in ARA]
    with pytest.raises(DataError, match="ressemblent à des effectifs") as err:
        _read(counts)
    assert f"DEP 01 2024-T3 : 33{NB}000 (feuille « Département », ligne 5)" in str(err.value)


def test_counts_written_as_text_are_refused_too():
    counts = [[code, name, *(f"{round(v * 6000):,}".replace(",", " ") for v in values)] for code, name, *values in ARA]
    with pytest.raises(DataError, match="ressemblent à des effectifs"):
        _read(counts)


@pytest.mark.parametrize(
    ("title", "series"),
    [("Demandeurs d'emploi en fin de mois (catégorie A), données CVS", "demandeurs d'emploi"),
     ("Taux d'emploi des 15-64 ans par département", "taux d'emploi"),
     ("Nombre de chômeurs au sens du BIT", "nombre de chômeurs"),
     ("DEFM cat. A — en milliers", "demandeurs d'emploi")],
)
def test_a_title_naming_another_series_is_refused_naming_it(title, series):
    # Values in the range of a rate: only the title tells it is another series.
    with pytest.raises(DataError) as err:
        _read(ARA, title=[title])
    assert str(err.value).startswith(f"« insee.xlsx », feuille « Département » : « {title} » désigne une autre "
                                     f"série ({series}) que le taux de chômage localisé : fichier refusé.")


def test_a_header_cell_naming_another_series_is_refused():
    rows = insee_rows(ARA)
    rows[3] = [*rows[3], "Nombre de chômeurs"]
    with pytest.raises(DataError, match=r"« Nombre de chômeurs » désigne une autre série \(nombre de chômeurs\)"):
        read_unemployment(workbook_bytes(("Département", rows)), "insee.xlsx")


def test_insee_titles_are_not_taken_for_another_series():
    tidy, _ = _read(ARA, title=["Estimations de taux de chômage localisé : comparaisons départementales", "(en%)"])
    assert _rate(tidy, "69") == 7.0


def test_fractions_with_one_percentage_are_refused():
    # The former rule (all <= 1) missed a fraction file with one value typed in %: the range catches it.
    fractions = [[code, name, *(round(v / 100, 4) for v in values)] for code, name, *values in ARA]
    fractions[0][-1] = 5.7
    with pytest.raises(DataError, match="59 valeurs sur 60 sont hors de l'intervalle plausible"):
        _read(fractions)


def test_all_fractions_keep_their_own_message():
    fractions = [[code, name, *(round(v / 100, 4) for v in values)] for code, name, *values in ARA]
    with pytest.raises(DataError, match=r"semblent écrits en fraction \(0,075\)"):
        _read(fractions)


# --- A few implausible cells are set aside and named ----------------------------------------------

def test_a_few_typos_are_set_aside_and_named():
    rows = [list(row) for row in ARA]
    rows[1][6] = 93.3  # Allier T3 2025 typed 93,3 instead of 8,0
    rows[5][2] = 0     # Isère T3 2024 typed 0
    tidy, report = _read(rows)
    assert len(tidy) == 58 and report.rows_kept == 12
    assert tidy.query("code == '03' and quarter == '2025-T3'").empty  # not shown as 93,3 %
    assert _rate(tidy, "03", "2025-T2") == 8.0 and _rate(tidy, "38") == 6.3
    assert report.warnings == [
        "2 valeurs hors de l'intervalle plausible d'un taux de chômage localisé (plus de 1 % et au plus 40 %) mises "
        "de côté : DEP 03 2025-T3 : 93,3 (feuille « Département », ligne 6) ; DEP 38 2024-T3 : 0 (feuille "
        "« Département », ligne 10)"]


def test_a_row_without_any_plausible_value_is_rejected_with_its_line():
    rows = [list(row) for row in ARA]
    rows[11][2:] = [0, 0, 0, 0, 0]  # Haute-Savoie: five zeros, 5 of 60 values
    tidy, report = _read(rows)
    assert "74" not in set(tidy["code"]) and len(tidy) == 55
    assert report.rows_kept == 11 and report.rejected["aucune valeur plausible"] == 1
    assert report.lines["aucune valeur plausible"] == [16]
    assert "aucune valeur plausible (1, ligne 16)" in report.summary()


def test_six_implausible_cells_are_too_many():
    rows = [list(row) for row in ARA]
    for row in rows[:6]:
        row[6] = 93.3
    with pytest.raises(DataError, match="6 valeurs sur 60 sont hors"):
        _read(rows)


@pytest.mark.parametrize(("value", "kept"), [(27.5, True), (40, True), (40.1, False), (1.1, True), (1, False),
                                              (-2.0, False)])
def test_bounds(value, kept):
    rows = [list(row) for row in ARA]
    rows[0][6] = value
    tidy, report = _read(rows)
    assert (tidy.query("code == '01' and quarter == '2025-T3'")["rate"].tolist() == [value]) is kept
    assert bool(report.warnings) is not kept


def test_rates_written_as_french_text_are_read():
    rows = [list(row) for row in ARA]
    rows[0][6] = "5,7 %"
    rows[1][6] = "8,0"
    tidy, report = _read(rows)
    assert _rate(tidy, "01") == 5.7 and _rate(tidy, "03") == 8.0 and not report.warnings


def test_unreadable_cells_are_set_aside_and_named():
    rows = [list(row) for row in ARA]
    rows[2][6] = "n.d."
    tidy, report = _read(rows)
    assert tidy.query("code == '07' and quarter == '2025-T3'").empty and len(tidy) == 59
    assert report.rows_kept == 12 and report.rows_rejected == 2  # the two footnotes only
    assert report.warnings == ["1 valeur non numérique mise de côté : DEP 07 2025-T3 : « n.d. » (feuille "
                               "« Département », ligne 7)"]


def test_bounds_are_documented_and_cover_the_real_file():
    real, _ = read_unemployment(FIXTURES.parent.parent / "data" / "raw" / "chomage_localise_insee" / "sl_etc_2025T3.xls")
    assert real["rate"].max() == 27.5 and real["rate"].min() == 3.7
    assert chomage.RATE_MIN < real["rate"].min() and real["rate"].max() < chomage.RATE_MAX


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


# --- The CLI refuses or warns with the reader's words ---------------------------------------------

def test_cli_refuses_another_series(tmp_path, capsys):
    path = tmp_path / "defm.xlsx"
    path.write_bytes(workbook_bytes(("Département", insee_rows(ARA, title=["Demandeurs d'emploi en fin de mois"]))))
    assert cli.main(["export", "unemployment", "--input", str(path), "--region", "84"]) == 2
    out = capsys.readouterr()
    assert out.out == ""
    assert out.err.strip() == ("Erreur : « defm.xlsx », feuille « Département » : « Demandeurs d'emploi en fin de mois » "
                               "désigne une autre série (demandeurs d'emploi) que le taux de chômage localisé : fichier "
                               f"refusé. Utilisez {chomage.INSEE_FILE}.")


def test_cli_warns_like_the_pages(tmp_path, capsys):
    rows = [list(row) for row in ARA]
    rows[1][6] = 93.3
    path = tmp_path / "insee.xlsx"
    path.write_bytes(workbook_bytes(("Département", insee_rows(rows))))
    assert cli.main(["export", "unemployment", "--input", str(path), "--region", "84"]) == 0
    out = capsys.readouterr()
    _, report = read_unemployment(path)
    assert report.warnings[0] in out.err and "DEP 03 2025-T3 : 93,3 (feuille « Département », ligne 6)" in out.err
    exported = pd.read_csv(__import__("io").StringIO(out.out), dtype={"code": str})
    assert exported.query("code == '03' and quarter == '2025-T3'").empty
    assert exported.query("code == '69' and quarter == '2025-T3'")["rate"].item() == 7.0
