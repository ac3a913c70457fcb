"""Files an analyst may bring that are not plain tables (issue 19): each is read right and says how,
or refused with one French sentence naming its real format; never a traceback, never a guess."""
from __future__ import annotations

import io
import struct

import pandas as pd
import pytest

from lib.core.errors import DataError
from lib.sources.denominators import read_denominators
from lib.sources.mapping import file_headers
from lib.sources.opener_formats import sniff_format
from lib.sources.records import read_records
from tests.conftest import FIXTURES, zipped

SMALL = FIXTURES / "records" / "small_records.csv"


def protected_xlsx() -> bytes:
    """A compound file (OLE) shaped like Office's encrypted xlsx: a header then one directory sector
    naming « EncryptionInfo » and « EncryptedPackage » (what Excel writes with a password)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHH", header, 0x1A, 0x3E, 0x3, 0xFFFE)  # version, byte order
    struct.pack_into("<H", header, 0x1E, 9)  # 512-byte sectors
    struct.pack_into("<I", header, 0x30, 0)  # first directory sector
    directory = bytearray()
    for name in ("Root Entry", "EncryptionInfo", "EncryptedPackage"):
        entry = bytearray(128)
        encoded = name.encode("utf-16-le")
        entry[:len(encoded)] = encoded
        struct.pack_into("<H", entry, 64, len(encoded) + 2)
        directory += entry
    return bytes(header + directory.ljust(512, b"\0") + b"\x00" * 1024)



def test_a_password_protected_xlsx_is_named_so_not_a_damaged_xls():
    data = protected_xlsx()
    assert sniff_format(data) == "encrypted"
    for read in (lambda: read_records(data, "entrees.xlsx"), lambda: read_denominators(data, "de.xlsx"),
                 lambda: file_headers(data, "entrees.xlsx")):
        with pytest.raises(DataError, match="classeur protégé par un mot de passe") as err:
            read()
        assert "xls" not in str(err.value).replace("entrees.xlsx", "").replace("de.xlsx", "")


def test_a_real_xls_is_still_an_xls(tmp_path):
    # The bundled Insee workbook is an .xls: its directory names a « Workbook » stream.
    from lib.datasets.workspace import BUNDLED_UNEMPLOYMENT

    assert sniff_format(BUNDLED_UNEMPLOYMENT.read_bytes()) == "xls"


def test_a_zipped_csv_is_read_and_said():
    data = zipped({"export/entrees.csv": SMALL.read_bytes()})
    records, report = read_records(data, "entrees.zip", as_of="2024-06-30")
    plain, plain_report = read_records(SMALL, as_of="2024-06-30")
    assert len(records) == len(plain) == 9 and report.rows_read == 10 and report.rows_rejected == 1
    assert records["entry_id"].tolist() == plain["entry_id"].tolist()
    assert "Fichier lu dans l'archive « entrees.zip » : « entrees.csv »." in report.full_text()
    assert file_headers(data, "entrees.zip")[:3] == ["entry_id", "person_id", "entry_date"]


def test_a_zip_of_several_files_or_of_nothing_is_refused_with_what_it_holds():
    data = zipped({"a.csv": SMALL.read_bytes(), "b.csv": SMALL.read_bytes()})
    with pytest.raises(DataError, match=r"archive zip : décompressez-la.*2 fichiers : « a\.csv », « b\.csv »"):
        read_records(data, "deux.zip")
    with pytest.raises(DataError, match="archive zip"):
        file_headers(data, "deux.zip")
    with pytest.raises(DataError, match="archive zip illisible"):
        read_records(b"PK\x03\x04 pas une archive" + b"\0" * 100, "cassé.zip")


def test_a_truncated_parquet_is_refused_in_french(tmp_path):
    path = tmp_path / "entrees.parquet"
    pd.read_csv(SMALL, dtype=str).to_parquet(path)
    data = path.read_bytes()[: len(path.read_bytes()) // 2]
    with pytest.raises(DataError, match="fichier parquet incomplet ou endommagé"):
        read_records(data, "entrees.parquet")
    with pytest.raises(DataError, match="fichier parquet incomplet ou endommagé"):
        file_headers(data, "entrees.parquet")


def test_a_truncated_xlsx_names_its_real_format(tmp_path):
    path = tmp_path / "entrees.xlsx"
    pd.read_csv(SMALL, dtype=str).to_excel(path, index=False)
    data = path.read_bytes()[:2000]
    with pytest.raises(DataError, match=r"classeur Excel \.xlsx illisible \(incomplet ou endommagé\)"):
        read_records(data, "entrees.xls")
    with pytest.raises(DataError, match="classeur illisible"):
        file_headers(data, "entrees.xls")


def test_an_xlsx_named_xls_is_read_as_what_it_is(tmp_path):
    path = tmp_path / "entrees.xlsx"
    pd.read_csv(SMALL, dtype=str, keep_default_na=False).to_excel(path, index=False)
    records, report = read_records(path.read_bytes(), "entrees.xls", as_of="2024-06-30")
    assert len(records) == 9 and report.rows_rejected == 1


def html_export(frame: pd.DataFrame, tables: int = 1) -> bytes:
    table = frame.to_html(index=False)
    return ("<html><head><meta charset='utf-8'><title>Export</title></head><body>"
            + table * tables + "</body></html>").encode("utf-8")


def test_a_web_page_saved_as_xls_is_read_when_it_holds_one_table():
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    data = html_export(frame)
    assert sniff_format(data) == "html"
    records, report = read_records(data, "export.xls", as_of="2024-06-30")
    plain, _ = read_records(SMALL, as_of="2024-06-30")
    assert len(records) == 9 and report.rows_rejected == 1 and report.lines["dates incohérentes (sortie avant entrée)"] == [9]
    # the codes stay text: « 01053 » keeps its zero (pandas.read_html would have made it 1053)
    assert records["commune"].tolist() == plain["commune"].tolist()
    assert "page HTML enregistrée sous .xls" in report.full_text()
    assert file_headers(data, "export.xls")[:2] == ["entry_id", "person_id"]


def test_a_web_page_with_several_tables_or_an_xml_spreadsheet_is_refused():
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    with pytest.raises(DataError, match="page HTML enregistrée sous .xls.*2 tableaux"):
        read_records(html_export(frame, 2), "export.xls")
    xmlss = (b'<?xml version="1.0"?>\n<?mso-application progid="Excel.Sheet"?>\n<Workbook '
             b'xmlns="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet><Table><Row><Cell><Data>a</Data></Cell>'
             b"</Row></Table></Worksheet></Workbook>")
    with pytest.raises(DataError, match="XML Excel 2003"):
        read_records(xmlss, "export.xls")


def test_denominators_in_a_zip_are_read_too():
    data = zipped({"de.csv": (FIXTURES / "records" / "denominators.csv").read_bytes()})
    tidy, report = read_denominators(data, "de.zip")
    plain, _ = read_denominators(FIXTURES / "records" / "denominators.csv")
    assert tidy.equals(plain)
    assert "Fichier lu dans l'archive" in report.full_text()


def test_a_configured_folder_recognises_a_zipped_table_and_names_a_protected_workbook(tmp_path):
    from lib.datasets.workspace import scan_folder

    (tmp_path / "entrees.zip").write_bytes(zipped({"entrees.csv": SMALL.read_bytes()}))
    (tmp_path / "secret.xlsx").write_bytes(protected_xlsx())
    scan = scan_folder(tmp_path)
    assert scan.used == {"records": tmp_path / "entrees.zip"}
    assert scan.set_aside == [("secret.xlsx", "classeur Excel protégé par un mot de passe")]


# --- two columns for one field: asked, never guessed ---------------------------------------------------


def two_communes(first: str, second: str, training: str = "69123") -> pd.DataFrame:
    """The small records with a training-place commune (Lyon) beside the residence (Ain, Allier)."""
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    frame.insert(4, first, training)
    return frame.rename(columns={"residence_commune": second})


@pytest.mark.parametrize("training, residence", [
    ("Commune du lieu de formation", "Commune de résidence"),
    ("code_commune_formation", "commune_residence"),
    ("Code commune formation", "Code commune de domicile"),
])
def test_the_column_saying_residence_is_the_residence(training, residence):
    data = two_communes(training, residence).to_csv(index=False).encode()
    records, report = read_records(data, "entrees.csv", as_of="2024-06-30")
    assert len(records) == 9 and report.rows_rejected == 1
    assert sorted(records["dep"].astype(str).unique()) == ["01", "03"]  # nobody moved to the Rhône (69)
    assert records["commune"].value_counts().to_dict() == {"01053": 7, "01004": 1, "03185": 1}


@pytest.mark.parametrize("suffix", ["csv", "xlsx", "parquet"])
def test_two_commune_columns_neither_saying_residence_are_asked(tmp_path, suffix):
    from lib.core.errors import AmbiguousColumns

    frame = two_communes("Commune du lieu de formation", "Code commune")
    path = tmp_path / f"entrees.{suffix}"
    {"csv": lambda: frame.to_csv(path, index=False), "xlsx": lambda: frame.to_excel(path, index=False),
     "parquet": lambda: frame.to_parquet(path)}[suffix]()
    with pytest.raises(AmbiguousColumns) as err:
        read_records(path)
    assert err.value.choices == {"residence_commune": ["Commune du lieu de formation", "Code commune"]}
    message = str(err.value)
    assert "« Commune du lieu de formation », « Code commune »" in message and "commune de résidence" in message
    assert "--mapping" in message and "page Données" in message


def test_the_users_choice_settles_the_field():
    from lib.sources.mapping import Mapping

    data = two_communes("Commune du lieu de formation", "Code commune").to_csv(index=False).encode()
    records, _ = read_records(data, "entrees.csv", as_of="2024-06-30", mapping=Mapping({"Code commune": "residence_commune"}))
    assert sorted(records["dep"].astype(str).unique()) == ["01", "03"] and len(records) == 9
    wrong, _ = read_records(data, "entrees.csv", as_of="2024-06-30",
                            mapping=Mapping({"Commune du lieu de formation": "residence_commune"}))
    assert wrong["dep"].astype(str).unique().tolist() == ["69"]  # what the user said, not a guess


def test_a_commune_name_beside_its_code_is_no_ambiguity():
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False).rename(columns={"residence_commune": "Code commune"})
    frame.insert(5, "Libellé commune", "Bourg")
    records, _ = read_records(frame.to_csv(index=False).encode(), "entrees.csv", as_of="2024-06-30")
    assert sorted(records["dep"].astype(str).unique()) == ["01", "03"]


def test_the_mapping_suggestion_guesses_nothing_for_an_ambiguous_field():
    from lib.sources.mapping import suggest_columns
    from lib.sources.records import COLUMNS

    headers = ["id_entree", "id_personne", "date_entree", "issue", "Commune du lieu de formation", "Code commune"]
    guess = suggest_columns(headers, COLUMNS)
    assert guess == {"id_entree": "entry_id", "id_personne": "person_id", "date_entree": "entry_date", "issue": "outcome"}
    # a training-place commune is no « niveau de formation » either
    assert "Commune du lieu de formation" not in suggest_columns(headers[:5] + ["Commune de résidence"], COLUMNS)


def test_the_command_line_refuses_an_ambiguous_file_and_takes_a_mapping(tmp_path):
    import subprocess
    import sys

    from lib.core.config import ROOT

    path = tmp_path / "entrees.csv"
    two_communes("Commune du lieu de formation", "Code commune", training="01004").to_csv(path, index=False)
    run = subprocess.run([sys.executable, "-m", "lib", "export", "rates", "--records", str(path), "--by", "dep",
                          "--as-of", "2024-06-30"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert "« Commune du lieu de formation », « Code commune »" in run.stderr and "--mapping" in run.stderr
    profile = tmp_path / "profil.json"
    profile.write_text('{"format": "pric-mapping/1", "columns": {"Code commune": "residence_commune"}}', encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "lib", "export", "rates", "--records", str(path), "--mapping", str(profile),
                          "--by", "dep", "--as-of", "2024-06-30"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    rates = pd.read_csv(io.StringIO(run.stdout), dtype={"dep": str})
    assert sorted(rates["dep"].unique()) == ["01", "03"]


def test_a_configured_records_file_with_two_commune_columns_is_still_recognised(tmp_path):
    from lib.datasets.workspace import configured, scan_folder

    two_communes("Commune du lieu de formation", "Code commune").to_csv(tmp_path / "entrees.csv", index=False)
    two_communes("Commune du lieu de formation", "Code commune").to_excel(tmp_path / "entrees.xlsx", index=False)
    scan = scan_folder(tmp_path)
    assert set(scan.used) == {"records"} and not scan.set_aside  # both recognised; read together (issue 26)
    assert len(configured("records", scan).paths) == 2


# --- workbooks whose rows span several sheets: all read, or the sheets not read named ---------------------


def demo_rows(count: int) -> pd.DataFrame:
    from lib.core.config import DEMO

    frame = pd.read_parquet(DEMO / "records_demo_84.parquet").head(count)
    for column in ("entry_date", "exit_date"):
        frame[column] = pd.to_datetime(frame[column]).dt.strftime("%Y-%m-%d").fillna("")
    return frame.astype(str).replace({"nan": "", "None": "", "<NA>": ""})


def workbook(path, sheets: dict[str, pd.DataFrame]) -> None:
    with pd.ExcelWriter(path) as writer:
        for name, frame in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=False)


def test_records_on_two_sheets_with_one_header_are_all_read(tmp_path):
    rows = demo_rows(210)
    path = tmp_path / "entrees.xlsx"
    workbook(path, {"2023": rows.iloc[:120], "2024": rows.iloc[120:]})
    records, report = read_records(path, as_of="2024-12-31")
    (tmp_path / "entrees.csv").write_text(rows.to_csv(index=False), encoding="utf-8")
    single, single_report = read_records(tmp_path / "entrees.csv", as_of="2024-12-31")
    assert report.rows_read == 210 and report.rows_kept == single_report.rows_kept
    assert records["entry_id"].tolist() == single["entry_id"].tolist()
    assert "Feuilles lues (même en-tête) : « 2023 » (120 lignes), « 2024 » (90 lignes)" in report.full_text()


def test_a_row_set_aside_on_the_second_sheet_is_named_with_its_sheet(tmp_path):
    rows = demo_rows(30)
    second = rows.iloc[20:].copy()
    second.iloc[3, second.columns.get_loc("entry_id")] = rows.iloc[0]["entry_id"]  # repeated from sheet 2023
    path = tmp_path / "entrees.xlsx"
    workbook(path, {"2023": rows.iloc[:20], "2024": second})
    records, report = read_records(path, as_of="2024-12-31")
    assert report.rows_read == 30 and report.rows_rejected == 1
    assert "Identifiant de l'entrée (entry_id) en double (1, feuille « 2024 », ligne 5)" in report.summary()
    assert report.as_table().loc[0, "numeros_de_ligne"] == "2024:5"
    assert records["line"].max() > 0 and len(records) == 29


def test_a_sheet_with_another_header_is_named_as_not_read(tmp_path):
    rows = demo_rows(50)
    path = tmp_path / "entrees.xlsx"
    notes = pd.DataFrame({"Source": ["Extraction Agora du 02/01/2025"]})
    workbook(path, {"Lisez-moi": notes, "2023": rows.iloc[:30], "2024": rows.iloc[30:].drop(columns=["axis", "nsf"])})
    records, report = read_records(path, as_of="2024-12-31")
    assert report.rows_read == 30 and len(records) == report.rows_kept
    warning = " ".join(report.warnings)
    assert ("feuille « 2024 » non lue : son en-tête diffère de celui de « 2023 » (sans Axe du Pacte (axis), "
            "Domaine de formation NSF (nsf))") in warning
    assert "Feuille sans en-tête de données, non lue : « Lisez-moi »." in report.notes
    assert "Feuille lue : « 2023 »." in report.notes


def test_denominators_on_two_sheets_are_all_read(tmp_path):
    den = pd.read_csv(FIXTURES / "records" / "denominators.csv", dtype=str)
    path = tmp_path / "de.xlsx"
    workbook(path, {"2021": den.iloc[:3], "suite": den.iloc[3:]})
    tidy, report = read_denominators(path)
    plain, _ = read_denominators(FIXTURES / "records" / "denominators.csv")
    assert tidy.equals(plain) and report.rows_read == len(den)
    assert "Feuilles lues (même en-tête)" in report.full_text()


def test_the_columns_to_map_come_from_the_data_sheet_not_a_readme(tmp_path):
    path = tmp_path / "entrees.xlsx"
    workbook(path, {"Lisez-moi": pd.DataFrame({"Source": ["Agora"], "Date": ["02/01/2025"]}), "Données": demo_rows(5)})
    assert file_headers(path.read_bytes(), "entrees.xlsx")[:3] == ["entry_id", "person_id", "entry_date"]
