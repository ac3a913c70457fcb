"""The data workspace: files recognised by content, the configured folder (PRIC_DATA_DIR) used by
the CLI, and column/code mapping profiles."""
from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

from lib.core.config import DEMO, ROOT
from lib.core.errors import DataError
from lib.datasets import workspace
from lib.sources.mapping import Mapping, suggest_columns
from lib.sources.records import COLUMNS, read_records, records_mapping
from tests.conftest import FIXTURES

SMALL = FIXTURES / "records" / "small_records.csv"


@pytest.fixture(scope="module")
def exports(tmp_path_factory) -> Path:
    """A deployment folder of real-looking exports whose names say nothing of what they are."""
    folder = tmp_path_factory.mktemp("exports")
    (folder / "classeur.xlsx").write_bytes(workspace.BUNDLED_UNEMPLOYMENT.read_bytes())  # an .xls named .xlsx
    records = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    (folder / "extraction_2023-03.txt").write_bytes(records.to_csv(index=False, sep=";").encode("cp1252"))
    (folder / "de.csv").write_bytes((FIXTURES / "records" / "denominators.csv").read_bytes())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("offre.xml", (DEMO / "offre_demo_84.xml").read_bytes())
    (folder / "carif.zip").write_bytes(buffer.getvalue())
    (folder / "lisez-moi.txt").write_text("Exports du mois", encoding="utf-8")
    return folder


def test_files_are_recognised_by_content(exports):
    scan = workspace.scan_folder(exports)
    assert {kind: path.name for kind, path in scan.used.items()} == {
        "unemployment": "classeur.xlsx", "records": "extraction_2023-03.txt", "denominators": "de.csv", "offer": "carif.zip"}
    assert scan.set_aside == [("lisez-moi.txt", "en-tête non reconnu (ni entrées en formation, ni dénominateurs, ni objectifs)")]


def test_a_missing_folder_is_said_and_the_bundled_files_are_used(tmp_path):
    scan = workspace.scan_folder(tmp_path / "absent")
    assert "n'existe pas" in scan.error
    assert workspace.default_file("offer", "84", scan).status == "demo"


def test_setting_read_from_secrets_file(tmp_path, monkeypatch):
    monkeypatch.delenv(workspace.SETTING, raising=False)
    secrets = tmp_path / "secrets.toml"
    secrets.write_text('PRIC_DATA_DIR = "/srv/pric/exports"\n', encoding="utf-8")
    assert workspace.configured_dir(secrets) == Path("/srv/pric/exports")
    monkeypatch.setenv(workspace.SETTING, str(tmp_path))
    assert workspace.configured_dir(secrets) == tmp_path


def _cli(*args: str, data_dir: Path | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != workspace.SETTING}
    if data_dir:
        env[workspace.SETTING] = str(data_dir)
    return subprocess.run([sys.executable, "-m", "lib", "export", *args], cwd=ROOT, capture_output=True, text=True,
                          timeout=180, env=env)


def test_cli_uses_the_configured_files(exports):
    configured = _cli("rates", "--by", "year,dep,public", data_dir=exports)
    explicit = _cli("rates", "--by", "year,dep,public", "--records", str(exports / "extraction_2023-03.txt"),
                    "--denominators", str(exports / "de.csv"))
    assert configured.returncode == 0 and configured.stdout == explicit.stdout
    assert "fichier configuré (PRIC_DATA_DIR) « extraction_2023-03.txt »" in configured.stderr
    assert "démonstration" not in configured.stderr
    unemployment = _cli("unemployment", data_dir=exports)
    assert "« classeur.xlsx »" in unemployment.stderr and unemployment.returncode == 0


def test_cli_without_configuration_says_it_uses_the_bundled_files():
    result = _cli("rates", "--by", "year")
    assert result.returncode == 0 and "données de démonstration fournies « records_demo_84.parquet »" in result.stderr


def test_real_records_never_get_demonstration_denominators():
    result = _cli("rates", "--by", "year", "--records", str(SMALL))
    table = pd.read_csv(io.StringIO(result.stdout))
    assert "access" not in set(table["indicator"])
    assert "denominators_demo" not in result.stderr


# --- mapping profiles -------------------------------------------------------------------------


def test_a_mapping_profile_imports_a_differently_written_export(tmp_path):
    frame = pd.read_csv(SMALL, dtype=str, keep_default_na=False)
    clean, _ = read_records(SMALL)
    renamed = frame.rename(columns={"entry_date": "Début de stage", "person_id": "Identifiant DE", "outcome": "Situation"})
    renamed["Situation"] = renamed["Situation"].replace({"abandon": "Sortie anticipée", "terminee": "Fin normale"})
    with pytest.raises(DataError, match="obligatoire"):
        read_records(renamed.to_csv(index=False).encode(), "export.csv")
    guess = suggest_columns(list(renamed.columns), COLUMNS)
    assert guess["Identifiant DE"] == "person_id"
    profile = Mapping({"Début de stage": "entry_date", "Identifiant DE": "person_id", "Situation": "outcome"},
                      {"outcome": {"Sortie anticipée": "abandon", "Fin normale": "terminee"}})
    path = tmp_path / "profil.json"
    path.write_bytes(profile.to_json())
    mapped, _ = read_records(renamed.to_csv(index=False).encode(), "export.csv", mapping=records_mapping(path))
    pd.testing.assert_frame_equal(mapped.drop(columns="line"), clean.drop(columns="line"))
    export = tmp_path / "export.csv"
    export.write_bytes(renamed.to_csv(index=False).encode())
    result = _cli("rates", "--by", "year", "--records", str(export), "--mapping", str(path))
    expected = _cli("rates", "--by", "year", "--records", str(SMALL))
    assert result.returncode == 0 and result.stdout == expected.stdout


@pytest.mark.parametrize(("content", "message"), [
    (b"{}", "format pric-mapping/1"),
    (b'{"format": "pric-mapping/1", "columns": {"x": "inconnu"}}', "champ\\(s\\) inconnu\\(s\\) : inconnu"),
    (b'{"format": "pric-mapping/1", "codes": {"outcome": {"x": "fini"}}}', "code\\(s\\) inconnu\\(s\\) pour outcome"),
    (b"pas du json", "JSON attendu"),
])
def test_bad_profiles_are_refused_in_french(content, message):
    with pytest.raises(DataError, match=message):
        records_mapping(content)


def test_insee_layout_counts_only_on_a_sheet_the_insee_reader_reads():
    """A configured folder recognises the Insee workbook by its layout on a « Département » or « Région »
    sheet only: the same header on an analyst's « Notes » sheet is no Insee workbook (the reader would
    refuse it after the folder had chosen it)."""
    import io

    from openpyxl import Workbook

    from lib.datasets.workspace import recognise

    def workbook(sheet: str) -> bytes:
        book = Workbook()
        book.active.title = sheet
        book.active.append(["Code", "Libellé", "T1_2024", "T2_2024"])
        book.active.append(["01", "Ain", 5.1, 5.2])
        buffer = io.BytesIO()
        book.save(buffer)
        return buffer.getvalue()

    assert recognise(workbook("Département"), "insee.xlsx")[0] == "unemployment"
    assert recognise(workbook("Notes"), "notes.xlsx")[0] is None


def test_an_objectives_file_in_the_folder_is_recognised_and_used(tmp_path):
    """The pact's objectives are a source like the others (issue 27): recognised by their columns."""
    (tmp_path / "objectifs_2024.csv").write_text("objective_id;indicator;scope;year;target;comment\n"
                                                 "QPV-2022;qpv_share;84;2022;0,2;cible régionale\n")
    scan = workspace.scan_folder(tmp_path)
    assert scan.used["objectives"].name == "objectifs_2024.csv"
    from lib.datasets.in_use import Datasets

    objectives, _, source = Datasets("84", scan).objectives()
    assert objectives["target"].tolist() == [0.2] and source == "fichier configuré « objectifs_2024.csv »"


def test_a_powerpoint_template_in_the_folder_is_the_decks_not_an_offer(tmp_path):
    """A .pptx is a zip of XML files: it was taken for an LHEO offer (issue 28)."""
    from pptx import Presentation

    Presentation().save(tmp_path / "modele_prefecture.pptx")
    scan = workspace.scan_folder(tmp_path)
    assert scan.template is not None and scan.template.name == "modele_prefecture.pptx"
    assert "offer" not in scan.used
    assert "Modèle du diaporama CREFOP : « modele_prefecture.pptx »." in scan.lines()
