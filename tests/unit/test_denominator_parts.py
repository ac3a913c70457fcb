"""Denominators split by a column the reader has no field for: a quarter, a month, a sex (issue 26).

Keeping the first row of each (year, department, public) read a quarterly file's first quarter as the
year (access 169/1900 instead of 169/2000) under a silent « ligne en double »."""
from __future__ import annotations

import io

import pandas as pd
import pytest

from lib.core.errors import DataError
from lib.sources.denominators import read_denominators


def _csv(header: str, rows: list[str]) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def _seekers(tidy: pd.DataFrame) -> dict[tuple[str, str], int]:
    return {(row.dep, row.public): int(row.job_seekers) for row in tidy.itertuples()}


def test_quarters_are_averaged_not_the_first_kept():
    rows = [f"2021;01;ensemble;T{q};{v}" for q, v in zip(range(1, 5), [1900, 2000, 2050, 2050])]
    tidy, report = read_denominators(_csv("annee;departement;public;trimestre;demandeurs_emploi", rows), "de.csv")
    assert _seekers(tidy) == {("01", "ensemble"): 2000}
    assert report.rows_read == 4 and report.rows_kept == 1 and report.rows_rejected == 0
    assert report.excluded["ligne(s) regroupée(s) par « trimestre » (moyenne)"] == 3
    assert any("moyenne de ses périodes (4 par année)" in w for w in report.warnings)


def test_months_in_a_workbook_are_averaged_and_missing_months_said():
    frame = pd.DataFrame({"year": [2021] * 14, "dep": ["01"] * 12 + ["03"] * 2, "public": "ensemble",
                          "mois": [f"2021-{m:02d}" for m in range(1, 13)] + ["2021-01", "2021-02"],
                          "job_seekers": [100] * 6 + [112] * 6 + [40, 42]})
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False)
    tidy, report = read_denominators(buffer.getvalue(), "de.xlsx")
    assert _seekers(tidy) == {("01", "ensemble"): 106, ("03", "ensemble"): 41}
    assert any("1 clé(s) n'ont que 2 période(s) sur 12" in w for w in report.warnings)


def test_sexes_are_added_up_and_an_ensemble_row_wins():
    rows = ["2021;01;ensemble;F;1000", "2021;01;ensemble;M;1000",
            "2021;03;ensemble;Ensemble;900", "2021;03;ensemble;Femmes;400", "2021;03;ensemble;Hommes;510"]
    tidy, report = read_denominators(_csv("year;dep;public;sexe;job_seekers", rows), "de.csv")
    assert _seekers(tidy) == {("01", "ensemble"): 2000, ("03", "ensemble"): 900}
    assert report.rows_read == 5 and report.rows_kept == 2
    assert sum(report.excluded.values()) == 3


def test_a_column_that_splits_a_key_for_no_known_reason_is_asked_about():
    rows = ["2021;01;ensemble;France Travail;1000", "2021;01;ensemble;Cap emploi;100"]
    with pytest.raises(DataError, match="la colonne « source » distingue plusieurs lignes.*« France Travail »"):
        read_denominators(_csv("year;dep;public;source;job_seekers", rows), "de.csv")


def test_a_comment_per_quarter_row_splits_nothing_more():
    rows = [f"2021;01;ensemble;T{q};vu le {q}/04;{v}" for q, v in zip(range(1, 5), [10, 20, 30, 40])]
    tidy, _ = read_denominators(_csv("year;dep;public;trimestre;commentaire;job_seekers", rows), "de.csv")
    assert _seekers(tidy) == {("01", "ensemble"): 25}


def test_rows_of_one_key_that_disagree_are_all_set_aside_never_the_first_kept():
    rows = ["2021;01;ensemble;1000", "2021;01;ensemble;1100", "2021;03;ensemble;5", "2021;03;ensemble;5",
            "2021;07;ensemble;8"]
    tidy, report = read_denominators(_csv("year;dep;public;job_seekers", rows), "de.csv")
    assert _seekers(tidy) == {("03", "ensemble"): 5, ("07", "ensemble"): 8}
    assert report.lines["effectifs différents pour une même année, un même département et un même public "
                        "(aucune ligne choisie)"] == [2, 3]
    assert report.lines["ligne en double (année, département, public), lue une fois"] == [5]
    assert report.rows_read == report.rows_kept + report.rows_rejected


def test_a_file_without_the_header_is_not_told_to_use_a_column_editor_it_has_not():
    """Only the records card has a column editor (issue 26)."""
    with pytest.raises(DataError) as refused:
        read_denominators(b"a;b;c\n1;2;3\n", "x.csv")
    assert "associez" not in str(refused.value) and "son en-tête doit nommer ces colonnes" in str(refused.value)
