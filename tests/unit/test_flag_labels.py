"""Flags written as labels, as the README promises (issue 26): a label and its negation, or one form only
when it names the field (« Inscrit » for every entry); anything else unknown, never « non »."""
from __future__ import annotations

import pandas as pd
import pytest

from lib.sources import values
from lib.sources.records import FLAG_WORDS, read_records


@pytest.mark.parametrize(("cells", "field", "read"), [
    (["Inscrit", "Non inscrit", "Inscrite"], "registered_job_seeker", [1, 0, 1]),
    (["QPV", "Hors QPV"], "qpv", [1, 0]),
    (["Inscrit", "Inscrit", ""], "registered_job_seeker", [1, 1, None]),
    (["Hors QPV", "Hors QPV"], "qpv", [0, 0]),
    (["Inscrit", "Non inscrit", "Non renseigné"], "registered_job_seeker", [1, 0, None]),
    (["Paris", "Paris"], "qpv", [None, None]),
    (["Inscrit cat. A", "Inscrit cat. B", "Non inscrit"], "registered_job_seeker", [None, None, None]),
])
def test_flag_labels_are_read_or_unknown_never_no(cells, field, read):
    parsed, _ = values.flags(pd.Series(cells), FLAG_WORDS[field])
    assert [None if pd.isna(v) else int(v) for v in parsed] == read


def test_a_records_file_of_registered_job_seekers_only_counts_them_registered():
    header = "entry_id,person_id,entry_date,exit_date,residence_commune,outcome,registered_job_seeker,qpv"
    rows = [f"E{i},P{i},2023-0{i}-01,,01053,en_cours,Inscrit,{'QPV' if i % 2 else 'Hors QPV'}" for i in range(1, 6)]
    records, report = read_records(("\n".join([header, *rows]) + "\n").encode(), "e.csv", as_of="2024-01-01")
    assert records["registered_job_seeker"].tolist() == [1.0] * 5
    assert records["qpv"].tolist() == [1.0, 0.0, 1.0, 0.0, 1.0]
    assert not any("Inscrit comme demandeur" in w for w in report.warnings)


def test_a_place_column_passed_over_is_named():
    """Two commune columns, one saying « résidence »: read, and the other named as not read (README)."""
    csv = (b"entry_id,person_id,entry_date,commune_formation,commune_residence,outcome\n"
           b"E1,P1,2023-01-01,69123,01053,en_cours\n")
    records, report = read_records(csv, "e.csv", as_of="2024-01-01")
    assert records["commune"].tolist() == ["01053"]
    assert "Colonne « commune_residence » lue comme la commune de résidence ; non lue : « commune_formation »." in report.notes
