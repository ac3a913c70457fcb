"""Classes of records files that used to give a wrong figure shown as fine (issue 19, records reader).

Each test writes a variant of a sample of the demonstration records (or denominators) and asserts the
figures: the same rates as the clean file, or a rate not computed and said why — never a wrong one.
"""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from lib.core.config import DEMO, ROOT
from lib.indicators import pathways as pw
from lib.indicators.rates import UNKNOWN_TOLERANCE, compute_rates, finalize, unknown_cells
from lib.sources import values
from lib.sources.denominators import read_denominators
from lib.sources.records import read_records

BY = ["year", "dep", "public"]


@pytest.fixture(scope="module")
def clean() -> pd.DataFrame:
    """About 3 000 demonstration records as the documented CSV layout writes them (whole persons kept)."""
    records = pd.read_parquet(DEMO / "records_demo_84.parquet")
    rng = np.random.default_rng(19)
    persons = rng.choice(records["person_id"].unique(), size=3000, replace=False)
    sample = records[records["person_id"].isin(persons)].reset_index(drop=True)
    return sample.astype(str).replace({"nan": "", "None": ""})


@pytest.fixture(scope="module")
def denominators() -> pd.DataFrame:
    return read_denominators(DEMO / "denominators_demo_84.csv")[0]


def _read(frame: pd.DataFrame, **kwargs):
    return read_records(frame.to_csv(index=False, sep=";").encode(), "entrees.csv", **kwargs)


@pytest.fixture(scope="module")
def reference(clean, denominators) -> pd.DataFrame:
    return compute_rates(_read(clean)[0], denominators, by=BY, secrecy=1, fragile=1)


# --- 1. Unknown is never « non » -------------------------------------------------------------------

@pytest.mark.parametrize(("written", "expected"), [
    (["Inscrit", "Non inscrit", ""], [1, 0, None]),
    (["Oui, inscrit", "Non inscrite"], [1, 0]),
    (["Demandeur d'emploi", "Non demandeur"], [1, 0]),
    (["QPV", "Hors QPV"], [1, 0]),
    (["Résident QPV", "Hors QPV"], [1, 0]),
    (["Bénéficiaire du RSA", "Non bénéficiaire"], [1, 0]),
    (["En emploi", "Sans emploi"], [1, 0]),
    (["N'est pas inscrit", "INSCRIT"], [0, 1]),
    (["Oui", "Non", "Non renseigné", "NSP", "Inconnu"], [1, 0, None, None, None]),  # unknown, not « non »
])
def test_flag_labels_split_into_a_form_and_its_negation_are_read(written, expected):
    parsed, invalid = values.flags(pd.Series(written))
    assert [None if pd.isna(v) else int(v) for v in parsed] == expected
    assert not invalid.any()


@pytest.mark.parametrize("written", [
    ["Inscrit", "Radié"],                                 # no negation: two different things
    ["Inscrit", "Non concerné"],                          # the negation is not of the same label
    ["Bénéficiaire du RSA", "Bénéficiaire de l'ASS"],     # two positive labels: a category, not a flag
    ["RSA socle", "RSA activité", "Non"],
    ["Bénéficiaire du RSA", ""],                          # one form only: the empty cells could be « non » or unknown
    ["1", "0", "Échec"],                                  # a lone label beside 1/0 is not read as « oui »
])
def test_flag_labels_that_do_not_split_cleanly_are_unknown_not_no(written):
    parsed, invalid = values.flags(pd.Series(written))
    labels = [w.lower() not in ("non", "", "1", "0") for w in written]
    assert parsed[labels].isna().all() and invalid[labels].all()


def _labelled(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    pairs = {"registered_job_seeker": ("Oui, inscrit", "Non inscrite"), "qpv": ("QPV", "Hors QPV"),
             "zrr_frr": ("Résident ZRR/FRR", "Non résident"), "rqth": ("Bénéficiaire RQTH", "Non bénéficiaire"),
             "rsa": ("Bénéficiaire du RSA", "Non bénéficiaire"), "single_parent": ("Parent isolé", "Pas parent isolé"),
             "certified": ("Certifié", "Non certifié"), "employed_6m": ("En emploi", "Sans emploi"),
             "employed_12m": ("En emploi", "Pas en emploi")}
    for column, (yes, no) in pairs.items():
        out[column] = out[column].replace({"1": yes, "0": no})
    return out


def test_flags_written_as_labels_give_the_clean_file_s_rates(clean, denominators, reference):
    records, report = _read(_labelled(clean))
    assert not report.warnings
    rates = compute_rates(records, denominators, by=BY, secrecy=1, fragile=1)
    pd.testing.assert_frame_equal(rates, reference)
    access = rates[rates["indicator"].eq("access") & rates["public"].eq("ensemble")]
    assert (access["rate"] > 0).all() and access["status"].eq("ok").all()  # the comparison is not vacuous


def test_unreadable_registration_is_unknown_access_not_zero(clean, denominators, reference):
    frame = clean.copy()
    frame["registered_job_seeker"] = frame["registered_job_seeker"].map({"1": "Inscrit", "0": "Radié"})
    records, report = _read(frame)
    assert records["registered_job_seeker"].isna().all()
    assert any("illisible" in w and "registered_job_seeker" in w for w in report.warnings)
    rates = compute_rates(records, denominators, by=BY, secrecy=1, fragile=1)
    access = rates[rates["indicator"].eq("access")]
    # Every cell with an entrant of the public is unknown; the others are true zeros (nobody could count).
    assert access["status"].eq("unknown").sum() > 0.9 * len(access)
    computed = access[access["status"].ne("unknown")]
    assert computed["numerator"].eq(0).all()
    assert records.merge(computed[computed["public"].eq("ensemble")], on=["year", "dep"]).empty
    # The other rates do not depend on registration: unchanged.
    others = rates[rates["indicator"].ne("access")].reset_index(drop=True)
    pd.testing.assert_frame_equal(others, reference[reference["indicator"].ne("access")].reset_index(drop=True))
    assert unknown_cells(rates) and "non calculé" in unknown_cells(rates)[0]


def test_a_public_flag_blank_for_a_tenth_hides_that_public_s_rates_only(clean, denominators, reference):
    frame = clean.copy()
    frame.loc[frame.index[::5], "qpv"] = ""
    records, report = _read(frame)
    assert any("vide(s)" in w and "« Résident QPV (qpv) »" in w for w in report.warnings)
    rates = compute_rates(records, denominators, by=["year", "public"], secrecy=1, fragile=1)
    qpv = rates[rates["public"].eq("qpv")]
    assert qpv["status"].eq("unknown").all() and qpv["rate"].isna().all()
    whole = rates[rates["public"].ne("qpv")].reset_index(drop=True)
    expected = compute_rates(_read(clean)[0], denominators, by=["year", "public"], secrecy=1, fragile=1)
    pd.testing.assert_frame_equal(whole, expected[expected["public"].ne("qpv")].reset_index(drop=True))


def test_a_few_unknowns_below_the_tolerance_leave_the_rate_computed_on_the_known(clean, denominators):
    frame = clean.copy()
    frame.loc[frame.index[:3], "registered_job_seeker"] = ""
    records, _ = _read(frame)
    rates = compute_rates(records, denominators, by=[], secrecy=1, fragile=1)
    access = rates[rates["indicator"].eq("access")].iloc[0]
    assert access["status"] == "ok" and access["rate"] > 0


def test_tolerance_is_on_the_share_of_what_the_rate_could_count():
    # Access: 100 known persons, 5 unknown of 105 possible (4,8 %) -> computed; 6 of 106 (5,7 %) -> not.
    cells = finalize(pd.DataFrame({"indicator": ["access", "access"], "numerator": [100, 100],
                                   "denominator": [1000, 1000], "unknown": [5, 6]}))
    assert cells["status"].tolist() == ["ok", "unknown"] and UNKNOWN_TOLERANCE == 0.05
    assert cells.loc[0, "rate"] == pytest.approx(0.1) and pd.isna(cells.loc[1, "rate"])
    # A rate among exits: the unknowns could enter its denominator.
    cells = finalize(pd.DataFrame({"indicator": ["abandonment"] * 2, "numerator": [10, 10], "denominator": [95, 94],
                                   "unknown": [5, 6]}))
    assert cells["status"].tolist() == ["ok", "unknown"]
    # A cell emptied by unknowns is said unknown, not secret; a small one stays secret.
    cells = finalize(pd.DataFrame({"indicator": ["abandonment"] * 2, "numerator": [0, 0], "denominator": [0, 0],
                                   "unknown": [40, 5]}))
    assert cells["status"].tolist() == ["unknown", "suppressed"]


def test_certification_with_unknown_pathway_types_is_not_computed(clean, denominators):
    frame = clean.copy()
    frame["pathway_type"] = frame["pathway_type"].replace({"certifiant": "Parcours de type C"})
    records, _ = _read(frame)
    rates = compute_rates(records, None, by=["year"], secrecy=1, fragile=1)
    certification = rates[rates["indicator"].eq("certification")]
    assert len(certification) and certification["status"].eq("unknown").all()


def test_qpv_share_leaves_unknowns_out_and_says_when_too_many(clean):
    frame = clean.copy()
    records, _ = _read(frame)
    known = finalize(pw.qpv_share(records, pw.Selection()))
    frame.loc[frame.index[::4], "qpv"] = ""
    records, _ = _read(frame)
    shares = pw.qpv_share(records, pw.Selection())
    assert shares["unknown"].sum() == len(frame.index[::4])
    assert (shares["denominator"] + shares["unknown"]).tolist() == (known["denominator"]).tolist()
    assert finalize(shares)["status"].eq("unknown").all()
    assert (known["status"] != "unknown").all() and known["rate"].gt(0).all()


def test_cli_prints_the_labelled_file_s_access_and_refuses_to_guess(tmp_path, clean):
    def run(frame: pd.DataFrame) -> tuple[pd.DataFrame, str]:
        path = tmp_path / "entrees.csv"
        frame.to_csv(path, index=False, sep=";")
        done = subprocess.run([sys.executable, "-m", "lib", "export", "rates", "--records", str(path), "--denominators",
                               str(DEMO / "denominators_demo_84.csv"), "--by", "dep"], capture_output=True, text=True,
                              cwd=ROOT, check=True)
        import io
        table = pd.read_csv(io.StringIO(done.stdout), dtype={"dep": str})
        return table[table["indicator"].eq("access")].reset_index(drop=True), done.stderr

    clean_access, _ = run(clean)
    labelled_access, _ = run(_labelled(clean))
    pd.testing.assert_frame_equal(labelled_access, clean_access)
    blank = clean.copy()
    blank.loc[blank.index[::8], "registered_job_seeker"] = ""
    access, stderr = run(blank)
    assert access["status"].eq("unknown").all() and access["rate"].isna().all()
    assert "taux non calculé" in stderr and "jamais comptée comme « non »" in stderr


# --- 2. Ambiguous numbers ------------------------------------------------------------------------

def _den_text(transform) -> bytes:
    frame = pd.read_csv(DEMO / "denominators_demo_84.csv", dtype=str)
    frame["job_seekers"] = frame["job_seekers"].map(transform)
    return frame.to_csv(index=False, sep=";").encode()


def _dotted(value: str) -> str:
    return f"{int(value):,}".replace(",", ".")


def test_thousands_written_with_a_dot_give_the_same_access(clean, denominators, reference):
    dotted, report = read_denominators(_den_text(_dotted), "den.csv")
    assert dotted["job_seekers"].tolist() == denominators["job_seekers"].tolist()
    assert (dotted["job_seekers"] >= 1000).any()  # not vacuous: « 14.322 » was in the file
    rates = compute_rates(_read(clean)[0], dotted, by=BY, secrecy=1, fragile=1)
    pd.testing.assert_frame_equal(rates, reference)


def test_a_lone_2_000_in_a_count_column_is_two_thousand():
    # Only one row is written with a separator: the rest are whole numbers, so 2 000, not 2.
    frame = pd.read_csv(DEMO / "denominators_demo_84.csv", dtype=str)
    first = frame.index[frame["job_seekers"].astype(int).between(1000, 9999)][0]
    frame.loc[first, "job_seekers"] = _dotted(frame.loc[first, "job_seekers"])
    assert frame.loc[first, "job_seekers"].count(".") == 1
    read, _ = read_denominators(frame.to_csv(index=False).encode(), "den.csv")
    assert read["job_seekers"].tolist() == pd.read_csv(DEMO / "denominators_demo_84.csv")["job_seekers"].tolist()


@pytest.mark.parametrize(("cells", "expected"), [
    (["14 322", "2.000", "8036"], [14322, 2000, 8036]),
    (["14.322", "1.234.567", "2.000"], [14322, 1234567, 2000]),
    (["1,500", "800"], [1500, 800]),
    (["14322.000", "2.000"], [14322, 2]),     # three decimals everywhere: the dot marks decimals
    (["14322.0", "25,0", "8036"], [14322, 25, 8036]),
])
def test_counts_are_read_as_their_column_writes_them(cells, expected):
    parsed, invalid = values.numbers(pd.Series(cells), count=True)
    assert parsed.tolist() == expected and not invalid.any()


def test_a_count_column_that_cannot_tell_is_refused_with_the_line():
    from lib.core.errors import DataError
    body = b"year;dep;public;job_seekers\n2021;01;ensemble;14322.0\n2021;03;ensemble;2.000\n2021;07;ensemble;8036\n"
    with pytest.raises(DataError, match=r"Demandeurs d.emploi \(job_seekers\), « 2\.000 » \(ligne\(s\) 3\) peut se lire 2 ou 2 000"):
        read_denominators(body, "den.csv")


def test_decimals_outside_counts_still_read():
    parsed, _ = values.numbers(pd.Series(["25,0", "14 322", "14322.0", "3.5", "1 234,5"]))
    assert parsed.tolist() == [25.0, 14322.0, 14322.0, 3.5, 1234.5]


# --- 3. Legitimate files read ----------------------------------------------------------------------

def test_lyon_arrondissements_are_the_city_and_give_the_same_rates(clean, denominators, reference):
    frame = clean.copy()
    lyon = frame.index[frame["residence_commune"].eq("69123")]
    assert len(lyon) > 20
    frame.loc[lyon, "residence_commune"] = [f"6938{1 + i % 9}" for i in range(len(lyon))]
    records, report = _read(frame)
    assert report.rows_rejected == 0 and any("arrondissement" in note for note in report.notes)
    assert set(records.loc[records["entry_id"].isin(clean.loc[lyon, "entry_id"]), "commune"]) == {"69123"}
    pd.testing.assert_frame_equal(compute_rates(records, denominators, by=BY, secrecy=1, fragile=1), reference)


def test_paris_and_marseille_arrondissements_are_their_city():
    rows = "\n".join(f"E{i},P{i},2021-01-0{i},,{code},terminee" for i, code in enumerate(["75115", "13208", "69389"], 1))
    records, report = read_records(f"entry_id,person_id,entry_date,exit_date,residence_commune,outcome\n{rows}\n".encode(),
                                   "e.csv")
    assert records["commune"].tolist() == ["75056", "13055", "69123"]
    assert records["dep"].astype(str).tolist() == ["75", "13", "69"]


def test_rhone_and_metropole_de_lyon_departments_read_as_69(clean, denominators):
    frame = clean.assign(dep=clean["residence_commune"].str[:2]).drop(columns="residence_commune")
    expected = compute_rates(_read(frame)[0], denominators, by=BY, secrecy=1, fragile=1)
    rhone = frame.index[frame["dep"].eq("69")]
    frame.loc[rhone[::2], "dep"] = "69D"
    frame.loc[rhone[1::2], "dep"] = "69M"
    records, report = _read(frame)
    assert report.rows_rejected == 0 and records["dep"].astype(str).eq("69").sum() == len(rhone)
    pd.testing.assert_frame_equal(compute_rates(records, denominators, by=BY, secrecy=1, fragile=1), expected)


def test_ongoing_entries_with_a_planned_end_after_the_observation_date_are_kept(clean, denominators, reference):
    frame = clean.copy()
    ongoing = frame.index[frame["outcome"].eq("en_cours")]
    assert len(ongoing) > 20
    planned = pd.to_datetime(frame.loc[ongoing, "entry_date"]) + pd.DateOffset(months=14)
    frame.loc[ongoing, "exit_date"] = planned.dt.strftime("%Y-%m-%d")
    assert (planned > pd.Timestamp("2023-03-31")).sum() > 10
    records, report = _read(frame)
    clean_records, clean_report = _read(clean)
    assert report.rows_rejected == 0 and len(records) == len(clean)
    assert report.meta["as_of"] == clean_report.meta["as_of"] == pd.Timestamp("2023-03-31")  # planned ends say nothing
    assert any("date de fin prévue" in note for note in report.notes)
    assert records.loc[records["outcome"].eq("en_cours"), "exit_date"].isna().all()
    pd.testing.assert_frame_equal(compute_rates(records, denominators, by=BY, secrecy=1, fragile=1), reference)
    # A finished entry whose exit is after the observation date is still refused, with its line.
    frame.loc[frame.index[0], ["outcome", "exit_date"]] = ["terminee", "2024-01-01"]
    _, report = _read(frame, as_of="2023-03-31")
    assert any("sortie postérieure" in reason for reason in report.rejected)


# --- 4. One row per person and per month -------------------------------------------------------------

def _monthly(frame: pd.DataFrame, with_month: bool = True) -> pd.DataFrame:
    """Each entry repeated once per month from entry to exit: ongoing rows without results, then the
    entry's row as it stands; shuffled, as an export sorted by month then person would be."""
    rows = []
    for _, row in frame.iterrows():
        start = pd.Timestamp(row["entry_date"])
        end = pd.Timestamp(row["exit_date"]) if row["exit_date"] else start + pd.DateOffset(months=2)
        months = pd.period_range(start, max(end, start), freq="M")
        for month in months[:-1]:
            rows.append({**row, "outcome": "En cours", "exit_date": "", "certified": "", "employed_6m": "",
                         "employed_12m": "", "abandon_reason": "", "mois": str(month)})
        rows.append({**row, "mois": str(months[-1])})
    out = pd.DataFrame(rows).sample(frac=1, random_state=3).reset_index(drop=True)
    return out if with_month else out.drop(columns="mois")


@pytest.fixture(scope="module")
def small_clean(clean) -> pd.DataFrame:
    return clean[clean["entry_date"].lt("2020-07-01")].head(600).reset_index(drop=True)


def test_person_month_rows_collapse_to_each_entry_s_last_state(small_clean):
    monthly = _monthly(small_clean)
    assert len(monthly) > 2 * len(small_clean)
    records, report = _read(monthly, as_of="2023-03-31")
    expected, _ = _read(small_clean, as_of="2023-03-31")
    assert len(records) == len(small_clean) and report.rows_rejected == 0
    merged = len(monthly) - len(small_clean)
    assert report.excluded["ligne(s) regroupée(s) (une ligne par entrée et par mois)"] == merged
    assert any("une ligne par entrée et par mois" in w and "ordre de la colonne des mois" in w for w in report.warnings)
    assert report.rows_read == report.rows_kept + report.rows_rejected + merged
    rates = compute_rates(records, None, by=["year", "public"], secrecy=1, fragile=1)
    pd.testing.assert_frame_equal(rates, compute_rates(expected, None, by=["year", "public"], secrecy=1, fragile=1))
    exits = rates[rates["indicator"].eq("abandonment") & rates["public"].eq("ensemble")]
    assert exits["denominator"].sum() > 400  # the outcomes were not lost with the first (ongoing) rows


def test_repeated_entries_without_a_month_column_order_ongoing_before_finished(small_clean):
    records, report = _read(_monthly(small_clean, with_month=False), as_of="2023-03-31")
    expected, _ = _read(small_clean, as_of="2023-03-31")
    assert len(records) == len(small_clean)
    assert any("en cours avant terminée" in w for w in report.warnings)
    pd.testing.assert_frame_equal(compute_rates(records, None, by=["year"], secrecy=1, fragile=1),
                                  compute_rates(expected, None, by=["year"], secrecy=1, fragile=1))


def test_contradictory_monthly_states_are_rejected_with_their_lines_not_resolved(small_clean):
    monthly = _monthly(small_clean).sort_values(["entry_id", "mois"]).reset_index(drop=True)
    finished = monthly.index[monthly["outcome"].eq("terminee")][0]
    entry = monthly.loc[finished, "entry_id"]
    later = monthly.loc[finished].copy()
    later["mois"] = str(pd.Period(later["mois"], freq="M") + 1)
    later["outcome"] = "en_cours"  # finished, then ongoing again
    monthly = pd.concat([monthly, later.to_frame().T], ignore_index=True)
    records, report = _read(monthly, as_of="2023-03-31")
    reason = next(r for r in report.rejected if "états contradictoires" in r)
    lines = monthly.index[monthly["entry_id"].eq(entry)] + 2
    assert sorted(report.lines[reason]) == sorted(lines.tolist())
    assert entry not in set(records["entry_id"]) and len(records) == len(small_clean) - 1


def test_unreadable_results_make_the_rate_unknown_not_higher(clean):
    # « Échec » is no « 0 » the reader can be sure of: left out, it would raise the certification rate.
    frame = clean.copy()
    frame["certified"] = frame["certified"].replace({"0": "Échec"})
    records, report = _read(frame)
    assert records["certified"].isin([0.0]).sum() == 0 and records["unreadable_certified"].sum() > 20
    assert any("illisible" in w and "certified" in w for w in report.warnings)
    rates = compute_rates(records, None, by=["year"], secrecy=1, fragile=1)
    certification = rates[rates["indicator"].eq("certification")]
    assert len(certification) and certification["status"].eq("unknown").all() and certification["rate"].isna().all()
    # Employment does not depend on it: unchanged.
    expected = compute_rates(_read(clean)[0], None, by=["year"], secrecy=1, fragile=1)
    employment = rates[rates["indicator"].str.startswith("employment")].reset_index(drop=True)
    pd.testing.assert_frame_equal(employment, expected[expected["indicator"].str.startswith("employment")]
                                  .reset_index(drop=True))


def test_an_ambiguous_age_is_unknown_and_reported(clean):
    frame = clean.copy()
    frame.loc[frame.index[:2], "age"] = ["25.000", "3.5"]  # a decimal elsewhere: « 25.000 » reads 25
    records, _ = _read(frame)
    assert records["age"].iloc[0] == 25
    frame.loc[frame.index[1], "age"] = "30"
    frame.loc[frame.index[2], "age"] = "1.234.567"  # thousands elsewhere, decimals nowhere: 25 or 25 000
    frame.loc[frame.index[3], "age"] = "2.5"
    records, report = _read(frame)
    assert pd.isna(records["age"].iloc[0]) and any("age" in w for w in report.warnings)
