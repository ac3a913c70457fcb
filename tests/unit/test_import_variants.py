"""Importers never lie: every legitimate variant of a clean file gives the same figures, and every
hostile one is refused with a French message or read with a warning that names what was set aside.

The clean file is a sample of the demonstration records (whole persons kept); each variant is
written the way real exports write it, and the test compares the *rates*, not only "no error".
"""
from __future__ import annotations

import codecs
import io
import subprocess
import sys
import zipfile

import numpy as np
import pandas as pd
import pytest

from lib.core.config import DEMO, ROOT
from lib.core.errors import DataError
from lib.indicators.rates import access_gaps, compute_rates
from lib.sources.denominators import read_denominators
from lib.sources.records import ABANDON_REASONS, LABELS, read_records, restrict_to_region

BY = ["year", "dep", "public"]


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    """About 1 500 demonstration records as the documented CSV layout writes them (text cells)."""
    records = pd.read_parquet(DEMO / "records_demo_84.parquet")
    rng = np.random.default_rng(11)
    persons = rng.choice(records["person_id"].unique(), size=1400, replace=False)
    sample = records[records["person_id"].isin(persons)].reset_index(drop=True)
    return sample.astype(str).replace({"nan": "", "None": ""})


@pytest.fixture(scope="module")
def denominators() -> bytes:
    return (DEMO / "denominators_demo_84.csv").read_bytes()


def _rates(source: bytes, filename: str, denominators: bytes | None = None) -> pd.DataFrame:
    records, _ = read_records(source, filename)
    dens = read_denominators(denominators, "den.csv")[0] if denominators else None
    return compute_rates(records, dens, by=BY)


@pytest.fixture(scope="module")
def reference(clean, denominators) -> pd.DataFrame:
    return _rates(clean.to_csv(index=False).encode(), "propre.csv", denominators)


def _xlsx(frame: pd.DataFrame, **sheets: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, extra in sheets.items():
            extra.to_excel(writer, sheet_name=name, index=False)
        frame.to_excel(writer, sheet_name="Entrees", index=False)
    return buffer.getvalue()


def _parquet(frame: pd.DataFrame) -> bytes:
    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def _with_dates(frame: pd.DataFrame, fmt: str) -> pd.DataFrame:
    out = frame.copy()
    for column in ("entry_date", "exit_date"):
        dates = pd.to_datetime(out[column], errors="coerce")
        out[column] = dates.dt.strftime(fmt).fillna("")
    return out


def _flags(frame: pd.DataFrame, yes: str, no: str) -> pd.DataFrame:
    out = frame.copy()
    for column in ["qpv", "zrr_frr", "rqth", "rsa", "single_parent", "registered_job_seeker", "certified",
                   "employed_6m", "employed_12m"]:
        out[column] = out[column].replace({"1": yes, "0": no})
    return out


def _labels(frame: pd.DataFrame) -> pd.DataFrame:
    """Codes replaced by the French labels the dashboard shows, in another case and without accents."""
    out = frame.copy()
    out["abandon_reason"] = out["abandon_reason"].map(lambda c: ABANDON_REASONS.get(c, c))
    out["outcome"] = out["outcome"].map(LABELS["outcome"])
    out["pathway_type"] = out["pathway_type"].map(LABELS["pathway_type"]).str.upper()
    out["education_level"] = out["education_level"].map(LABELS["education_level"])
    out.loc[out.index[::2], "abandon_reason"] = out.loc[out.index[::2], "abandon_reason"].str.lower().str.replace("é", "e")
    return out


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    """What a database export holds: real dates, float 0/1/NaN columns, nulls for empty cells."""
    out = frame.replace({"": None})
    for column in ("entry_date", "exit_date"):
        out[column] = pd.to_datetime(out[column])
    for column in ["qpv", "zrr_frr", "rqth", "rsa", "single_parent", "registered_job_seeker", "certified",
                   "employed_6m", "employed_12m", "age"]:
        out[column] = pd.to_numeric(out[column]).astype(float)
    return out


VARIANTS = {
    "virgule": lambda f: f.to_csv(index=False).encode(),
    "excel_francais_cp1252": lambda f: f.assign(age=f["age"] + ",0").to_csv(index=False, sep=";").encode("cp1252"),
    "tabulation": lambda f: f.to_csv(index=False, sep="\t").encode(),
    "utf8_bom": lambda f: codecs.BOM_UTF8 + f.to_csv(index=False, sep=";").encode(),
    "utf16": lambda f: f.to_csv(index=False, sep="\t").encode("utf-16"),
    "dates_francaises": lambda f: _with_dates(f, "%d/%m/%Y").to_csv(index=False, sep=";").encode(),
    "dates_avec_heure": lambda f: _with_dates(f, "%Y-%m-%d %H:%M:%S").to_csv(index=False).encode(),
    "oui_non": lambda f: _flags(f, "oui", "non").to_csv(index=False).encode(),
    "true_false": lambda f: _flags(f, "TRUE", "FALSE").to_csv(index=False).encode(),
    "o_n": lambda f: _flags(f, "O", "N").to_csv(index=False).encode(),
    "vrai_faux": lambda f: _flags(f, "Vrai", "Faux").to_csv(index=False).encode(),
    "entetes_majuscules_espaces": lambda f: f.rename(columns=lambda c: f"  {c.upper()} ").to_csv(index=False).encode(),
    "entetes_francais": lambda f: f.rename(columns={"entry_date": "Date d'entrée", "exit_date": "Date de sortie",
                                                     "age": "Âge", "sex": "Sexe", "axis": "Axe"}).to_csv(index=False).encode(),
    "ligne_de_titre": lambda f: b"Extraction des entrees en formation - region 84\n" + f.to_csv(index=False).encode(),
    "colonnes_melangees_et_en_plus": lambda f: f[f.columns[::-1]].assign(commentaire="x").to_csv(index=False).encode(),
    "libelles_au_lieu_des_codes": lambda f: _labels(f).to_csv(index=False, sep=";").encode("utf-8"),
    "xlsx_cellules_texte_2e_feuille": lambda f: _xlsx(f, Notes=pd.DataFrame({"note": ["extraction du 31/03/2023"]})),
    "xlsx_cellules_dates_et_nombres": lambda f: _xlsx(_typed(f)),
    "parquet_flottants_et_nuls": lambda f: _parquet(_typed(f)),
    "parquet_texte_nuls": lambda f: _parquet(f.replace({"": None})),
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
def test_every_legitimate_variant_gives_the_same_rates(variant, clean, denominators, reference):
    data = VARIANTS[variant](clean)
    name = "entrees.xlsx" if data[:2] == b"PK" else "entrees.parquet" if data[:4] == b"PAR1" else "entrees.csv"
    rates = _rates(data, name, denominators)
    pd.testing.assert_frame_equal(rates, reference)


def test_the_clean_sample_has_abandons_with_motifs(reference):
    abandonment = reference[reference["indicator"].eq("abandonment") & reference["public"].eq("ensemble")]
    assert abandonment["numerator"].fillna(0).sum() > 20  # the comparison is not vacuous


def test_variant_extension_does_not_matter(clean):
    """A real workbook named .csv and a CSV named .xlsx are read by content."""
    workbook = _xlsx(clean)
    records, _ = read_records(workbook, "entrees.csv")
    assert len(records) == len(clean)
    records, _ = read_records(clean.to_csv(index=False).encode(), "entrees.xlsx")
    assert len(records) == len(clean)


def test_abandon_without_exit_date_is_still_an_abandon(clean, reference):
    frame = clean.copy()
    frame.loc[frame["outcome"].eq("abandon"), "exit_date"] = ""
    records, report = read_records(frame.to_csv(index=False).encode(), "entrees.csv")
    rates = compute_rates(records, None, by=BY)
    ours = rates[rates["indicator"].eq("abandonment")].reset_index(drop=True)
    theirs = reference[reference["indicator"].eq("abandonment")].reset_index(drop=True)
    pd.testing.assert_frame_equal(ours, theirs)
    assert any("sans date de sortie" in note for note in report.notes)


def test_unknown_motif_is_kept_and_reported(clean, reference):
    frame = clean.copy()
    first = frame.index[frame["outcome"].eq("abandon")][0]
    frame.loc[first, "abandon_reason"] = "Déménagement lointain"
    records, report = read_records(frame.to_csv(index=False).encode(), "entrees.csv")
    assert len(records) == len(clean) and report.rows_rejected == 0
    assert (records["abandon_reason"] == "non_reconnu").sum() == 1
    assert any("motif non reconnu" in w for w in report.warnings)
    rates = compute_rates(records, None, by=BY)
    pd.testing.assert_frame_equal(rates, reference[reference["indicator"].ne("access")].reset_index(drop=True))


def test_a_date_in_2091_is_rejected_with_its_line_and_moves_nothing(clean, reference):
    frame = clean.copy()
    frame.loc[5, "entry_date"] = "2091-03-01"
    records, report = read_records(frame.to_csv(index=False).encode(), "entrees.csv")
    reason = next(r for r in report.rejected if "postérieure à la date d'observation" in r)
    assert report.lines[reason] == [7]  # header is line 1, row 5 is line 7
    assert report.meta["as_of"] == pd.Timestamp("2023-03-31")
    rates = compute_rates(records, None, by=["year"])
    expected = compute_rates(read_records(clean.drop(index=5).to_csv(index=False).encode(), "e.csv")[0], None, by=["year"])
    pd.testing.assert_frame_equal(rates, expected)


def test_explicit_observation_date_rejects_later_rows(clean):
    records, report = read_records(clean.to_csv(index=False).encode(), "entrees.csv", as_of="2022-12-31")
    assert report.meta["as_of"] == pd.Timestamp("2022-12-31")
    assert records["entry_date"].max() <= pd.Timestamp("2022-12-31")
    assert any("postérieure" in reason for reason in report.rejected)


def test_rows_of_another_region_are_counted_apart(clean, reference):
    extra = clean.head(40).copy()
    extra["entry_id"] = "X" + extra["entry_id"]
    extra["residence_commune"] = "75056"
    records, report = read_records(pd.concat([clean, extra]).to_csv(index=False).encode(), "entrees.csv")
    records = restrict_to_region(records, sorted(set(clean["residence_commune"].str[:2])) + ["15", "43"], report)
    assert report.excluded and "40 entrées hors région exclues (départements 75)" in report.summary()
    rates = compute_rates(records, None, by=BY)
    pd.testing.assert_frame_equal(rates, reference[reference["indicator"].ne("access")].reset_index(drop=True))


def test_statuses_of_recent_exits_count_and_are_listed(clean):
    frame = clean.copy()
    recent = frame.index[frame["exit_date"].ge("2023-01-01") & frame["outcome"].ne("en_cours")]
    frame.loc[recent, "employed_6m"] = "1"
    records, report = read_records(frame.to_csv(index=False).encode(), "entrees.csv")
    assert any("6 mois" in w and "sorties de moins de 6 mois" in w for w in report.warnings)
    rates = compute_rates(records, None, by=[]).set_index("indicator")
    known = records["employed_6m"].notna() & records["outcome"].isin(["terminee", "abandon"])
    assert rates.loc["employment_6m", "denominator"] == known.sum()


# --- hostile or broken files: a French refusal or a warning, never a traceback -------------------


def test_ragged_row_is_set_aside_with_its_line(clean):
    text = clean.head(30).to_csv(index=False)
    lines = text.splitlines()
    lines[4] += ",en trop"
    records, report = read_records("\n".join(lines).encode(), "entrees.csv")
    assert len(records) == 29
    reason = next(r for r in report.rejected if "nombre de champs" in r)
    assert report.lines[reason] == [5]


def test_unclosed_quote_is_refused_naming_the_line(clean):
    text = clean.head(30).to_csv(index=False).splitlines()
    text[3] = text[3].replace(",", ',"', 1)
    with pytest.raises(DataError, match="ligne 4 : guillemet ouvert jamais fermé"):
        read_records("\n".join(text).encode(), "entrees.csv")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"entry_id,person_id,entry_date,exit_date,residence_commune\n", "ne contient que l'en-tête"),
        (b"", "est vide"),
        (b"\x00\x01\x02\x03\xff\xfe\xfd" * 50, "n'est pas un fichier texte lisible|ne ressemble pas"),
        (b"a,b,c\n1,2,3\n", "ne ressemble pas à un fichier d'entrées"),
        (b"PK\x03\x04garbage", "archive zip|abîmé"),
    ],
)
def test_broken_files_get_a_french_message(content, message):
    with pytest.raises(DataError, match=message):
        read_records(content, "entrees.csv")


def test_empty_commune_without_dep_rejects_rows_with_a_reason(clean):
    frame = clean.head(20).copy()
    frame["residence_commune"] = ""
    with pytest.raises(DataError, match="lieu de résidence absent"):
        read_records(frame.to_csv(index=False).encode(), "entrees.csv")
    frame.loc[frame.index[10:], "residence_commune"] = clean["residence_commune"].iloc[10:20].to_numpy()
    records, report = read_records(frame.to_csv(index=False).encode(), "entrees.csv")
    assert len(records) == 10 and report.rejected["lieu de résidence absent (ni commune ni département)"] == 10


# --- access ------------------------------------------------------------------------------------


def test_access_counts_a_person_whose_second_entry_qualifies():
    text = (
        b"entry_id,person_id,entry_date,exit_date,residence_commune,age,sex,education_level,qpv,zrr_frr,rqth,rsa,"
        b"single_parent,registered_job_seeker,pathway_type,axis,nsf,outcome,abandon_reason,certified,employed_6m,employed_12m\n"
        # P1's first entry of 2021 is not of a registered job seeker, the second is: P1 counts once.
        b"E1,P1,2021-01-10,2021-02-10,69123,30,F,4,0,0,0,0,0,0,preparatoire,1,,terminee,,,,\n"
        b"E2,P1,2021-06-01,2021-09-01,69123,30,F,4,0,0,0,0,0,1,certifiant,1,,terminee,,1,,\n"
        # P2 is a registered job seeker twice: counts once.
        b"E3,P2,2021-02-01,2021-03-01,69123,40,M,3,0,0,0,0,0,1,preparatoire,1,,terminee,,,,\n"
        b"E4,P2,2021-05-01,2021-06-01,69123,40,M,3,0,0,0,0,0,1,preparatoire,1,,terminee,,,,\n"
        # P3 never registered: not counted.
        b"E5,P3,2021-02-01,2021-03-01,69123,50,M,3,0,0,0,0,0,0,preparatoire,1,,terminee,,,,\n"
    )
    records, _ = read_records(text, "e.csv")
    dens = pd.DataFrame({"year": [2021], "dep": ["69"], "public": ["ensemble"], "job_seekers": [100]})
    access = compute_rates(records, dens, by=["year", "dep"], secrecy=1, fragile=1)
    cell = access[access["indicator"].eq("access")].iloc[0]
    assert (cell["numerator"], cell["denominator"]) == (2, 100)


def test_denominators_of_one_year_give_access_for_that_year_only(clean, denominators, reference):
    one_year = pd.read_csv(io.BytesIO(denominators), dtype=str).query("year == '2021'")
    records, _ = read_records(clean.to_csv(index=False).encode(), "e.csv")
    dens, _ = read_denominators(one_year.to_csv(index=False).encode(), "den.csv")
    rates = compute_rates(records, dens, by=BY)
    access = rates[rates["indicator"].eq("access")]
    assert set(access["year"]) == {2021}
    expected = reference[reference["indicator"].eq("access") & reference["year"].eq(2021)]
    pd.testing.assert_frame_equal(access.reset_index(drop=True), expected.reset_index(drop=True))
    # Summed over years, only 2021's entrants are divided by 2021's job seekers (not four years by one).
    overall = compute_rates(records, dens, by=["dep", "public"]).query("indicator == 'access'")
    by_year = expected[expected["public"].eq("ensemble")].set_index("dep")
    ensemble = overall[overall["public"].eq("ensemble")].set_index("dep")
    assert (ensemble["numerator"] == by_year["numerator"]).all()
    messages = " ".join(access_gaps(records, dens))
    assert "Dénominateurs absents pour 2019, 2020, 2022" in messages


def test_denominators_written_the_french_way_give_the_same_access(clean, denominators, reference):
    frame = pd.read_csv(io.BytesIO(denominators), dtype=str)
    frame["job_seekers"] = frame["job_seekers"].map(lambda v: f"{int(v):,}".replace(",", "\u00a0"))
    frame["public"] = frame["public"].map(LABELS["publics"])
    data = frame.rename(columns={"year": "Année", "dep": "Département"}).to_csv(index=False, sep=";").encode("cp1252")
    rates = _rates(clean.to_csv(index=False).encode(), "e.csv", data)
    pd.testing.assert_frame_equal(rates, reference)


# --- command line -------------------------------------------------------------------------------


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lib", "export", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=120)


def test_cli_gives_the_same_rates_for_an_xlsx_and_refuses_in_french(tmp_path, clean):
    csv_path, xlsx_path = tmp_path / "entrees.csv", tmp_path / "entrees.xlsx"
    clean.to_csv(csv_path, index=False)
    xlsx_path.write_bytes(_xlsx(_typed(clean)))
    first, second = _cli("rates", "--records", str(csv_path), "--by", "year"), _cli("rates", "--records", str(xlsx_path), "--by", "year")
    assert first.returncode == 0 and first.stdout == second.stdout
    assert "Date d'observation : 31/03/2023" in first.stderr
    for args, message in [(["white-zones", "--threshold-km", "-5"], "seuil hors de l'intervalle 1 à 200"),
                          (["rates", "--records"], "une valeur est attendue"),
                          (["rates", "--inconnu"], "argument(s) non reconnu(s)"),
                          (["rates", "--records", str(csv_path), "--as-of", "31/03/2023"], "AAAA-MM-JJ")]:
        result = _cli(*args)
        assert result.returncode == 2 and message in result.stderr and "Traceback" not in result.stderr
        assert "error:" not in result.stderr and "usage:" not in result.stderr


def test_cli_never_prints_a_traceback_on_a_broken_file(tmp_path):
    broken = tmp_path / "entrees.csv"
    broken.write_bytes(b'entry_id,person_id,entry_date,exit_date,residence_commune,outcome\nE1,"P1,2021-01-01\n')
    result = _cli("rates", "--records", str(broken), "--by", "year")
    assert result.returncode == 2 and "guillemet" in result.stderr and "Traceback" not in result.stderr


def test_zip_of_one_records_file_is_read_and_said_of_two_refused_with_a_hint(clean):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("entrees.csv", clean.head(5).to_csv(index=False))
    records, report = read_records(buffer.getvalue(), "entrees.zip")
    assert len(records) == 5 and "Fichier lu dans l'archive « entrees.zip » : « entrees.csv »." in report.notes
    with zipfile.ZipFile(buffer, "a") as archive:
        archive.writestr("autres.csv", clean.head(5).to_csv(index=False))
    with pytest.raises(DataError, match="décompressez-la"):
        read_records(buffer.getvalue(), "entrees.zip")
