"""The Insee unemployment reader on the real bundled file and on fixture layouts."""
from __future__ import annotations

import pytest

from lib.core.config import RAW
from lib.core.errors import DataError
from lib.sources.chomage import parse_quarter, read_unemployment
from tests.conftest import FIXTURES

REAL = RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"
UNEMP = FIXTURES / "unemployment"

# Insee values for T3 2025, as published in the bundled file (see its SOURCE.md).
T3_2025 = {"01": 5.7, "03": 8.0, "07": 7.7, "15": 4.6, "26": 7.9, "38": 6.3,
           "42": 7.9, "43": 5.6, "63": 6.7, "69": 7.0, "73": 5.6, "74": 5.7}


def test_real_file_values_for_ara_t3_2025():
    tidy, report = read_unemployment(REAL)
    latest = tidy[tidy["quarter"].eq("2025-T3") & tidy["code"].isin(T3_2025)]
    assert dict(zip(latest["code"], latest["rate"])) == T3_2025
    assert report.rows_kept == 100 and report.rows_rejected == 3  # 3 footnote rows


def test_real_file_schema_and_string_codes():
    tidy, _ = read_unemployment(REAL)
    assert list(tidy.columns) == ["level", "code", "name", "quarter", "rate"]
    assert set(tidy["level"]) == {"departement"}
    assert {"01", "2A", "2B", "974"} <= set(tidy["code"])
    assert tidy["quarter"].min() == "1982-T1" and tidy["quarter"].max() == "2025-T3"
    assert tidy["quarter"].str.fullmatch(r"\d{4}-T[1-4]").all()
    # Overseas departments are estimated from 2014 only: no invented values before.
    assert tidy.loc[tidy["code"].eq("971"), "quarter"].min() == "2014-T1"


def test_real_file_2018_t4_differs_from_pact_by_revisions_only():
    tidy, _ = read_unemployment(REAL)
    q4 = tidy[tidy["quarter"].eq("2018-T4")].set_index("code")["rate"]
    assert q4["01"] == 6.2 and q4["03"] == 9.1 and q4["74"] == 6.3  # file values, not the pact's


def test_full_insee_layout_reads_region_and_france_rows():
    tidy, report = read_unemployment(UNEMP / "insee_complet.xlsx")
    levels = tidy.groupby("level")["code"].unique().map(sorted).to_dict()
    assert levels == {"departement": ["01", "03", "2A"], "france": ["FM", "FR"], "region": ["84", "93"]}
    assert tidy.query("level == 'region' and code == '84' and quarter == '2025-T3'")["rate"].item() == 6.8
    assert report.rows_kept == 7


def test_shifted_header_is_found_by_content():
    tidy, _ = read_unemployment(UNEMP / "entete_decale.xlsx")
    assert sorted(tidy["code"].unique()) == ["01", "03", "2A"]


def test_codes_that_lost_leading_zero_are_restored():
    tidy, _ = read_unemployment(UNEMP / "codes_sans_zero.xlsx")
    assert sorted(tidy["code"].unique()) == ["01", "03", "2A"]


def test_upload_as_bytes():
    tidy, report = read_unemployment((UNEMP / "insee_complet.xlsx").read_bytes(), "import.xlsx")
    assert "import.xlsx" in report.summary() and len(tidy) == 35


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("sans_feuille.xlsx", "ni feuille « Département » ni feuille « Région »"),
        ("sans_entete.xlsx", "ligne d'en-tête introuvable"),
        ("vide.xlsx", "est vide"),
        ("pas_un_classeur.xls", "téléchargez le fichier .xls d'Insee"),  # a CSV without quarters
    ],
)
def test_bad_files_get_a_french_message(name, message):
    with pytest.raises(DataError, match=message):
        read_unemployment(UNEMP / name)


def test_missing_file():
    with pytest.raises(DataError, match="introuvable"):
        read_unemployment(UNEMP / "absent.xlsx")


@pytest.mark.parametrize(
    ("label", "expected"),
    [("T3_2025", "2025-T3"), ("T1 1982", "1982-T1"), ("2018-T4", "2018-T4"), ("Libellé", None), ("T5_2020", None)],
)
def test_parse_quarter(label, expected):
    assert parse_quarter(label) == expected


def test_both_frances_are_named_in_the_series_and_the_pages_csv():
    """Chômage compared with France métropolitaine and Comparer with France hors Mayotte, unnamed (issue 28): both
    series are drawn and named when the workbook has both, and the page's CSV carries them as the CLI does."""
    import pandas as pd

    from lib.datasets import territory
    from lib.indicators import unemployment as unemp

    rows = [("departement", "01", "Ain", 6.0), ("region", "84", "Auvergne-Rhône-Alpes", 7.0),
            ("france", "FM", "France métropolitaine", 7.2), ("france", "FR", "France hors Mayotte", 7.4)]
    tidy = pd.DataFrame([{"level": lv, "code": c, "name": n, "quarter": q, "rate": r + d}
                         for lv, c, n, r in rows for q, d in (("2020-T4", 0.5), ("2021-T4", 0.0))])
    series = unemp.series(tidy, territory.region("84"), ["01"], "2021-T4")
    assert set(series["serie"]) == {"01 – Ain", "Auvergne-Rhône-Alpes", "France métropolitaine", "France hors Mayotte"}
