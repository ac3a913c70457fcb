"""Issue 26, Insee workbook: the same table as .ods or as a CSV saved by a spreadsheet gives the same
figures as the .xlsx; « Code région | Libellé région » is a header; former regions' codes and « 20 CORSE »
are set aside, counted and said."""
from __future__ import annotations

import pytest

from lib.core.errors import DataError
from lib.sources import chomage
from lib.sources.chomage import read_unemployment
from tests.fixtures.make_unemployment_fixtures import DEPS, REGIONS, insee_rows, workbook_bytes
from tests.fixtures.ods_writer import ods_bytes

SHEETS = (("Département", insee_rows(DEPS)), ("Région", insee_rows(REGIONS)))


def _csv(rows: list[list], separator: str = ";", decimal: str = ",", encoding: str = "cp1252") -> bytes:
    def cell(value) -> str:
        return f"{value}".replace(".", decimal) if isinstance(value, float) else str(value)
    return "\r\n".join(separator.join(cell(c) for c in row) for row in rows).encode(encoding)


@pytest.fixture(scope="module")
def xlsx():
    return read_unemployment(workbook_bytes(*SHEETS), "sl_etc.xlsx")[0]


def test_ods_gives_the_xlsx_figures(xlsx):
    tidy, report = read_unemployment(ods_bytes(*SHEETS), "sl_etc.ods")
    assert tidy.equals(xlsx)
    assert tidy.query("level == 'region' and code == '84' and quarter == '2025-T3'")["rate"].item() == 6.8
    assert report.rows_kept == 7


@pytest.mark.parametrize("separator, decimal, encoding", [(";", ",", "cp1252"), (";", ",", "utf-8-sig"),
                                                          ("\t", ",", "utf-8"), (",", ".", "utf-8")])
def test_csv_saved_by_a_spreadsheet_gives_the_xlsx_figures(xlsx, separator, decimal, encoding):
    tidy, report = read_unemployment(_csv(insee_rows(DEPS), separator, decimal, encoding), "sl_etc.csv")
    departments = xlsx[xlsx["level"].eq("departement")].reset_index(drop=True)
    assert tidy.equals(departments)
    assert dict(zip(tidy.query("quarter == '2025-T3'")["code"], tidy.query("quarter == '2025-T3'")["rate"])) == {
        "01": 5.7, "03": 8.0, "2A": 6.3}
    assert "Fichier CSV lu comme la feuille « Département » du fichier Insee." in report.notes


def test_csv_of_the_region_sheet_is_read_as_regions():
    tidy, _ = read_unemployment(_csv(insee_rows(REGIONS)), "regions.csv")
    assert sorted(set(zip(tidy["level"], tidy["code"]))) == [("france", "FM"), ("france", "FR"), ("region", "84"),
                                                             ("region", "93")]


def test_csv_with_comma_separator_and_decimal_commas_is_refused_with_the_way_out():
    with pytest.raises(DataError, match="téléchargez le fichier .xls d'Insee"):
        read_unemployment(_csv(insee_rows(DEPS), ",", ","), "sl_etc.csv")


def test_a_csv_of_another_shape_is_refused_with_the_way_out():
    with pytest.raises(DataError, match="téléchargez le fichier .xls d'Insee") as err:
        read_unemployment(b"code;libelle;taux\n01;Ain;5,7\n", "taux.csv")
    assert "vérifiez qu'il s'agit bien" not in str(err.value)


def test_header_naming_the_level_is_read(xlsx):
    regions = insee_rows(REGIONS)
    regions[3] = ["Code région", "Libellé région", *regions[3][2:]]
    deps = insee_rows(DEPS)
    deps[3] = ["Code département", "Libellé du département", *deps[3][2:]]
    tidy, _ = read_unemployment(workbook_bytes(("Département", deps), ("Région", regions)), "x.xlsx")
    assert tidy.equals(xlsx)


def test_former_regions_and_old_corsica_are_set_aside_counted_and_said():
    regions = [["82", "RHONE-ALPES", 6.4, 6.5, 6.6, 6.6, 6.7], ["83", "AUVERGNE", 7.1, 7.2, 7.3, 7.3, 7.4], *REGIONS[1:]]
    deps = [*DEPS, ["20", "CORSE", 6.0, 6.1, 6.1, 6.2, 6.3]]
    tidy, report = read_unemployment(workbook_bytes(("Département", insee_rows(deps)), ("Région", insee_rows(regions))),
                                     "old.xlsx")
    assert sorted(tidy.loc[tidy["level"].eq("region"), "code"].unique()) == ["93"]  # 82 and 83 are no current region
    assert sorted(tidy.loc[tidy["level"].eq("departement"), "code"].unique()) == ["01", "03", "2A"]  # no « 20 »
    assert report.excluded[chomage.FORMER_REGION_REASON] == 2
    assert report.excluded[chomage.OLD_CORSICA_REASON] == 1
    assert report.meta["former_regions"] == ["82 Rhône-Alpes", "83 Auvergne"]
    text = report.full_text()
    assert "2 anciennes régions (codes d'avant la réforme de 2016) mises de côté : 82 Rhône-Alpes, 83 Auvergne" in text
    assert "ligne « 20 Corse » mise de côté : 20 est l'ancien code de la Corse" in text
    assert report.meta["levels"] == ["departement", "region"]
