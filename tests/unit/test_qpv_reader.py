"""Insee QPV files: French numbers, secrecy kept missing, BOM, trailing columns, bad input."""
from __future__ import annotations

import math

import pandas as pd
import pytest

from lib.core.errors import DataError
from lib.sources import cog, qpv
from tests.conftest import FIXTURES

ARA = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]
# SOURCE.md check values: QPV per department and RP 2013 population (DEMO_2017).
PER_DEP_2017 = {"01": (9, 20353), "03": (6, 14380), "07": (5, 7149), "15": (1, 1218), "26": (12, 31912),
                "38": (26, 66658), "42": (19, 49838), "43": (2, 2493), "63": (7, 21516), "69": (43, 172233),
                "73": (4, 12181), "74": (6, 11499)}


def test_french_numbers_and_bom():
    demo, report = qpv.read_qpv_file(qpv.SOURCE_DIR / "DEMO_2022.csv")
    row = demo.set_index("code").loc["QP001001"]
    assert row["POP_MUN"] == 6490.0 and row["TX_F"] == 55.3  # "6 490", "55,3"
    assert row["LIB_COM"] == "Bourg-en-Bresse"
    assert list(demo.columns[:3]) == ["code", "name", "dep"]  # BOM stripped from CODGEO
    assert not any(c.startswith("Unnamed") for c in demo.columns)  # trailing ';' columns dropped
    assert report.rows_read == 1400 and report.rows_kept == 1400


def test_secret_cells_stay_missing_never_zero():
    ipro, _ = qpv.read_qpv_file(qpv.SOURCE_DIR / "IPRO_2022.csv")
    row = ipro.set_index("code").loc["QP066009"]
    assert math.isnan(row["TX_TOT_EMPL"]) and math.isnan(row["ABC"])
    assert ipro.set_index("code").loc["QP006009", "ABC"] == 114.0


def test_total_row_is_reported_not_kept():
    demo, report = qpv.read_qpv_file(qpv.SOURCE_DIR / "DEMO_2017.csv")
    assert "Ensemble" not in set(demo["code"])
    assert report.rejected["ligne de total « Ensemble »"] == 1 and report.rows_kept == 1345


def test_ara_counts_and_populations_match_source():
    first = qpv.read_vintage("DEMO", 2017)
    last = qpv.read_vintage("DEMO", 2022)
    first, last = first[first["dep"].isin(ARA)], last[last["dep"].isin(ARA)]
    assert len(first) == len(last) == 140
    assert first["POP_MUN"].sum() == 411430 and last["POP_MUN"].sum() == 403543
    per_dep = first.groupby("dep").agg(n=("code", "size"), pop=("POP_MUN", "sum"))
    assert {d: (int(r["n"]), int(r["pop"])) for d, r in per_dep.iterrows()} == PER_DEP_2017


def test_department_of_code():
    assert qpv.qpv_dep("QP069035") == "69"
    assert qpv.qpv_dep("QP02A001") == "2A"
    assert qpv.qpv_dep("QP971001") == "971"


def test_commune_matching_agrees_with_the_derived_list():
    last = qpv.read_vintage("DEMO", 2022)
    last = last[last["dep"].isin(ARA)]
    matches, report = qpv.match_communes(last, cog.read_communes(), cog.read_former_communes(), qpv.read_exceptions())
    assert report.rows_kept == 140 and report.rows_rejected == 0
    derived = pd.read_csv(qpv.SOURCE_DIR / "ara_qpv_2015_list_derived.csv", dtype=str)
    # The derived list keeps Lyon arrondissements; at commune level they are Lyon (69123).
    expected = derived["communes_insee_cog2026"].str.split("|").map(
        lambda codes: "|".join(dict.fromkeys("69123" if c.startswith("6938") else c for c in codes)))
    assert dict(zip(matches["code"], matches["communes"])) == dict(zip(derived["code_qp"], expected))
    assert matches.set_index("code").loc["QP069013", "communes"] == "69142|69149"  # La Mulatière, Oullins (merged)


def test_unknown_commune_is_reported_not_dropped():
    fake = pd.DataFrame({"code": ["QP069999"], "name": ["Test"], "dep": ["69"], "LIB_COM": ["Lyon, Atlantis"]})
    matches, report = qpv.match_communes(fake, cog.read_communes(), cog.read_former_communes(), qpv.read_exceptions())
    assert matches["communes"].item() == "69123"
    assert report.rejected["commune introuvable : Atlantis (69)"] == 1


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("DEMO_2022_virgules.csv", "séparateur « ; » attendu"),
        ("DEMO_2022_autre_source.csv", "colonne\\(s\\) absente\\(s\\) : CODGEO"),
        ("IPRO_2022_sans_ABC.csv", "colonne\\(s\\) absente\\(s\\) : ABC"),
        ("REVN_2022_vide.csv", "est vide"),
    ],
)
def test_bad_files_get_a_french_message(name, message):
    with pytest.raises(DataError, match=message):
        qpv.read_qpv_file(FIXTURES / "qpv" / name)


def test_file_name_decides_the_layout():
    with pytest.raises(DataError, match="DEMO_<année>"):
        qpv.read_qpv_file(b"CODGEO;LIBGEO\n", "quartiers.csv")


def test_population_vintage_beside_an_indicator_year():
    assert qpv.vintage_for("DEMO", 2019) == 2017 and qpv.vintage_for("DEMO", 2022) == 2022
    assert qpv.vintage_for("DEMO", 2015) == 2017  # earlier than every file: the earliest
