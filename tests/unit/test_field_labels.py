"""French field names in the records reader's messages, the LHEO archive and duplicate counts, and
the screen helpers of the page Données (user test of the page Données)."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.app import ui
from lib.core.errors import DataError, ImportReport
from lib.sources import lheo
from lib.sources.denominators import DENOMINATOR_COLUMNS
from lib.sources.records import COLUMNS, FIELD_NAMES, field_label, read_records
from tests.conftest import FIXTURES, zipped
from tests.unit.test_offer_classes import _formation, _offer, _session

SMALL = FIXTURES / "records" / "small_records.csv"


def _small() -> pd.DataFrame:
    return pd.read_csv(SMALL, dtype=str, keep_default_na=False)


def test_every_field_has_a_french_name_shown_with_its_code():
    assert set(COLUMNS) | set(DENOMINATOR_COLUMNS) <= set(FIELD_NAMES)
    assert field_label("entry_id") == "Identifiant de l'entrée (entry_id)"
    assert field_label("registered_job_seeker") == "Inscrit comme demandeur d'emploi (registered_job_seeker)"
    assert field_label("employed_6m") == "En emploi à 6 mois (employed_6m)"


def test_a_missing_required_column_is_named_in_french():
    data = _small().drop(columns=["outcome"]).to_csv(index=False).encode()
    with pytest.raises(DataError) as err:
        read_records(data, "entrees.csv")
    message = str(err.value)
    assert "colonne(s) obligatoire(s) absente(s) : Issue de la formation (outcome)." in message
    assert "Colonnes reconnues : Identifiant de l'entrée (entry_id), Identifiant de la personne (person_id)" in message
    assert "Inscrit comme demandeur d'emploi (registered_job_seeker)" in message


def test_an_absent_optional_column_and_an_unreadable_value_are_named_in_french():
    frame = _small().drop(columns=["nsf"])
    frame.loc[0, "age"] = "cent"
    _, report = read_records(frame.to_csv(index=False).encode(), "entrees.csv", as_of="2024-12-31")
    warnings = " ".join(report.warnings)
    assert "colonne(s) absente(s) : Domaine de formation NSF (nsf) — valeurs inconnues" in warnings
    assert "1 valeur(s) illisible(s) pour « Âge (age), 14 à 80 ans »" in warnings


def test_repeated_entry_ids_are_rejected_in_french():
    frame = _small()
    frame.loc[1, "entry_id"] = frame.loc[0, "entry_id"]
    frame.loc[1, "person_id"] = "P99"
    _, report = read_records(frame.to_csv(index=False).encode(), "entrees.csv", as_of="2024-12-31")
    assert report.rejected["Identifiant de l'entrée (entry_id) en double"] == 1


def test_the_arrondissement_example_is_one_of_the_file():
    frame = _small()
    frame.loc[0, "residence_commune"] = "69383"
    _, report = read_records(frame.to_csv(index=False).encode(), "entrees.csv", as_of="2024-12-31")
    note = next(n for n in report.notes if "arrondissement" in n)
    assert note.startswith("1 code(s) d'arrondissement municipal (ex. 69383) rapporté(s)")
    assert "69381" not in note
    assert sum(n.startswith("Date d'observation") for n in report.notes) == 1


def test_merged_sessions_are_counted_with_a_thousands_space():
    same = _formation("F1", [_session("20260105", "20260630")])
    _, report = lheo.read_lheo(_offer(*[same] * 1001), "offre.xml")
    assert report.rows_read == 1001
    assert report.warnings[0].startswith("1\u202f000 session(s) × lieu(x) en double fusionnée(s)")


def test_three_identical_xml_files_are_read_once_and_said():
    offer = _offer(_formation("F1", [_session("20260105", "20260630")]))
    frame, report = lheo.read_lheo(zipped({"a.xml": offer, "b.xml": offer, "c.xml": offer}), "export.zip")
    assert len(frame) == 1 and report.rows_read == 1 and not report.warnings
    assert "3 fichiers XML identiques dans l'archive (« a.xml », « b.xml », « c.xml ») : lus une fois." in report.notes


def test_month_label_is_french():
    assert ui.month_label("2024-09") == "09/2024"
    assert ui.month_label("2027-02") == "02/2027"


def test_the_report_shows_french_headers_but_the_csv_keeps_its_columns():
    report = ImportReport(source="x")
    report.reject("Identifiant de l'entrée (entry_id) vide", 2, [3, 5])
    report.warn("colonne(s) absente(s) : Domaine de formation NSF (nsf)")
    assert list(report.as_table().columns) == ["type", "motif", "lignes", "numeros_de_ligne"]  # the CSV contract
    shown = ui.report_table(report)
    assert list(shown.columns) == ["Type", "Motif", "Lignes", "Numéros de ligne"]
    assert shown.loc[0, "Numéros de ligne"] == "3 5"


def test_the_upload_chip_sizes_are_rewritten_in_french_units(tmp_path):
    """Streamlit writes a chosen file's size « 0.5MB »: lib/a11y's script rewrites it « 0,5 Mo »."""
    import shutil
    import subprocess

    from lib.app import a11y

    node = shutil.which("node")
    if node is None:
        pytest.skip("node absent")
    script = a11y.script()
    start = script.index("const frSize")
    end = script.index(";", script.index("fromCharCode"))
    probe = tmp_path / "size.js"
    probe.write_text(script[start:end + 1] + '\nfor (const x of ["0.5MB", "70.2KB", "12KB", "export.csv, 1.25MB"]) '
                     "console.log(frSize(x));\n", encoding="utf-8")
    out = subprocess.run([node, str(probe)], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out == ["0,5\u00a0Mo", "70,2\u00a0Ko", "12\u00a0Ko", "export.csv, 1,25\u00a0Mo"]
