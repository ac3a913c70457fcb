"""Department sheet findings on fixed inputs, the PDF export, and the diagnosis scores."""
from __future__ import annotations

import io

import pandas as pd
import pytest
from pypdf import PdfReader

from lib.datasets.territory import region
from lib.indicators import diagnosis, sheet
from lib.render import export


@pytest.fixture(scope="module")
def ara():
    return region("84")


def _figures(**changes) -> sheet.SheetFigures:
    base = dict(dep="03", quarter="2025-T3", unemployment=8.0, unemployment_change=0.1, reference_rate=6.9,
                reference_label="celui de la région", qpv_share=0.040, region_qpv_share=0.049, frr_share=0.671,
                region_frr_share=0.147, white_population=18075, white_share=0.054, threshold_km=30.0,
                rates=pd.DataFrame({"public": ["ensemble", "qpv", "rsa"], "indicator": ["employment_6m"] * 3,
                                    "rate": [0.51, 0.44, 0.49], "status": ["ok", "ok", "suppressed"]}),
                offer_is_demo=True, records_are_demo=True)
    base.update(changes)
    return sheet.SheetFigures(**base)


def test_findings_quote_their_figures(ara):
    found = sheet.findings(ara, _figures())
    texts = [f.text for f in found]
    assert texts[0] == ("Le taux de chômage de l'Allier (8,0\u202f%) dépasse de 1,1 point celui de la région "
                        "(6,9\u202f%) au 3e trimestre 2025.")
    assert texts[1] == "En un an, ce taux a augmenté de 0,1 point."
    assert texts[2].startswith("4,0\u202f% des habitants vivent dans un quartier prioritaire (liste 2024), contre 4,9\u202f%")
    assert texts[3] == ("18\u202f075 habitants (5,4\u202f%) vivent à plus de 30 km de toute session de formation "
                        "(offre de démonstration).")
    # The suppressed RSA cell is never used; QPV residents are 7 points below the whole.
    assert texts[4].startswith("Le retour à l'emploi à 6 mois des résidents des quartiers prioritaires (44,0\u202f%) "
                               "est inférieur de 7,0 points")
    assert [f.demo for f in found] == [False, False, False, True, True]
    assert 3 <= len(found) <= 5


def test_findings_wording_below_reference_and_stable(ara):
    found = sheet.findings(ara, _figures(dep="15", unemployment=4.6, reference_rate=6.5, unemployment_change=0.0,
                                         white_population=0, white_share=0.0, offer_is_demo=False))
    assert "Le taux de chômage du Cantal (4,6\u202f%) est inférieur de 1,9 point à celui de la région" in found[0].text
    assert found[1].text == "En un an, ce taux est stable."
    assert found[3].text == "Aucun habitant ne vit à plus de 30 km de toute session de formation."


def test_reference_falls_back_to_the_departments_median(ara):
    tidy = pd.DataFrame({"level": "departement", "code": ara.dep_codes, "name": ara.dep_codes, "quarter": "2025-T3",
                         "rate": [5.0 + i for i in range(12)]})
    rate, label = sheet.unemployment_reference(tidy, ara, "2025-T3")
    assert rate == pytest.approx(10.5) and label == "la médiane des départements de la région"


def test_department_articles(ara):
    assert [ara.dep_of(c) for c in ("01", "15", "26", "69")] == ["de l'Ain", "du Cantal", "de la Drôme", "du Rhône"]
    assert region("53").dep_of("35") == "d'Ille-et-Vilaine" and region("53").dep_of("22") == "des Côtes-d'Armor"


def test_pdf_is_one_page_with_title_and_figures():
    png = export.chart_png(__import__("altair").Chart(pd.DataFrame({"x": [1, 2], "y": [3, 4]})).mark_bar().encode(x="x:O", y="y:Q"))
    pdf = export.sheet_pdf("Fiche département — Allier (03)", "Région Auvergne-Rhône-Alpes",
                           [("Taux de chômage", "8,0\u202f%"), ("Habitants en zone blanche", "18\u202f075")],
                           ["Le taux de chômage de l'Allier (8,0\u202f%) dépasse de 1,1 point celui de la région."],
                           [(png, "Graphique"), (png, "Carte")], ["Insee"], "Données de démonstration")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = reader.pages[0].extract_text()
    assert "Fiche département — Allier (03)" in text and "8,0" in text and "18" in text and "Constats" in text
    assert png[:8] == b"\x89PNG\r\n\x1a\n"


def test_diagnosis_scores_and_quadrant():
    table = pd.DataFrame({"dep": ["A", "B", "C", "D"], "dep_name": list("ABCD"),
                          "unemployment": [10, 5, 8, 6], "below_level_iv": [0.6, 0.4, 0.5, 0.45],
                          "qpv_share": [0.08, 0.01, 0.05, 0.02], "frr_share": [0.5, 0.1, 0.3, 0.2],
                          "reach_share": [0.80, 1.0, 0.95, 0.99], "access_rate": [0.08, 0.13, 0.10, 0.12]})
    scored = diagnosis.scores(table, diagnosis.DEFAULT_WEIGHTS).set_index("dep")
    assert scored.loc["A", "need"] == pytest.approx(1.0) and scored.loc["A", "offer"] == pytest.approx(0.0)
    assert scored.loc["A", "rank"] == 1 and bool(scored.loc["A", "under_served"])
    assert not scored.loc["B", "under_served"] and scored.loc["B", "need"] == pytest.approx(0.0)
    # A zero weight removes an indicator from its score.
    only_unemployment = diagnosis.scores(table, {**{k: 0 for k in diagnosis.DEFAULT_WEIGHTS}, "unemployment": 1,
                                                  "access_rate": 1}).set_index("dep")
    assert only_unemployment.loc["C", "need"] == pytest.approx(0.6)


def test_epci_indicators_split_straddling_quartiers_and_drop_small_regional_parts():
    communes = pd.DataFrame({"code": ["1", "2", "3", "4"], "dep": ["01"] * 4, "population": [1000, 1000, 500, 100],
                             "epci": ["E1", "E2", "E2", "E3"], "frr": ["nc", "socle", "nc", "socle"]})
    qpv = pd.DataFrame({"code": ["Q1", "Q2"], "communes": ["1|2", "3"], "population": [200.0, 50.0]})
    white = pd.DataFrame({"code": ["1", "2", "3", "4"], "white": [False, False, True, True]})
    names = pd.DataFrame({"code": ["E1", "E2", "E3"], "name": ["Un", "Deux", "Trois"],
                          "population": pd.array([1000, 1500, 1000], dtype="Int64")})
    table = diagnosis.epci_indicators(communes, qpv, white, names).set_index("code")
    assert table.loc["E1", "qpv_share"] == pytest.approx(100 / 1000)  # Q1 split between E1 and E2
    assert table.loc["E2", "qpv_share"] == pytest.approx((100 + 50) / 1500)
    assert table.loc["E2", "frr_share"] == pytest.approx(1000 / 1500)
    assert table.loc["E2", "reach_share"] == pytest.approx(1000 / 1500)
    assert table.loc["E3", "in_region_share"] == pytest.approx(0.1)
    ranked = diagnosis.epci_scores(table.reset_index(), diagnosis.DEFAULT_WEIGHTS)
    assert set(ranked["code"]) == {"E1", "E2"}  # E3 has 10 % of its population in the region


def test_demo_weight_shares():
    demo = diagnosis.demo_inputs(records_demo=True, offer_demo=True)
    assert demo == {"below_level_iv", "access_rate", "reach_share"}
    shares = diagnosis.demo_weight_shares(diagnosis.DEFAULT_WEIGHTS, demo)
    assert shares == {"need": pytest.approx(1 / 5), "offer": 1.0}
    assert diagnosis.demo_weight_shares(diagnosis.DEFAULT_WEIGHTS, diagnosis.demo_inputs(False, False)) == {"need": 0, "offer": 0}
    epci = diagnosis.demo_weight_shares(diagnosis.DEFAULT_WEIGHTS, demo, diagnosis.EPCI_NEED, diagnosis.EPCI_OFFER)
    assert epci == {"need": 0, "offer": 1.0}


def test_pdf_keeps_the_mention_beside_its_figure():
    pdf = export.sheet_pdf("Fiche", "Région", [("Taux de chômage", "8,0 %"),
                                              ("Habitants en zone blanche", "18 075", "offre de démonstration")],
                           ["Un constat."], [], ["Insee"])
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    assert "Habitants en zone blanche" in text and "offre de démonstration" in text
    assert text.index("18 075") < text.index("offre de démonstration")


def test_no_finding_on_a_fragile_rate_or_a_gap_inside_the_interval(ara):
    def rates(rows):
        return pd.DataFrame(rows, columns=["indicator", "public", "rate", "ci_low", "ci_high", "status"])

    whole = ("employment_6m", "ensemble", 0.58, 0.56, 0.60, "ok")
    fragile = ("employment_6m", "parent_isole", 0.714, 0.50, 0.86, "fragile")  # 15 of 21 exits
    overlapping = ("employment_6m", "qpv", 0.55, 0.50, 0.60, "ok")  # interval contains 58 %
    robust = ("employment_6m", "rsa", 0.44, 0.40, 0.48, "ok")
    for rows in ([whole, fragile], [whole, fragile, overlapping]):
        texts = [f.text for f in sheet.findings(ara, _figures(rates=rates(rows)))]
        assert not any("retour à l'emploi" in t for t in texts), texts
    texts = [f.text for f in sheet.findings(ara, _figures(rates=rates([whole, fragile, overlapping, robust])))]
    assert any("allocataires du RSA (44,0\u202f%) est inférieur de 14,0 points" in t for t in texts), texts


def test_a_department_without_entries_gets_rate_columns_and_no_rate_finding(ara):
    """Records covering other departments only: rates_by gives no row but the rate columns (the
    page filters on ``indicator``); the sheet writes no sentence on rates."""
    from lib.indicators import pathways as pw
    from lib.sources.records import read_records
    from tests.conftest import FIXTURES

    records, _ = read_records(FIXTURES / "records" / "small_records.csv")
    absent = next(code for code in ara.dep_codes if code not in set(records["dep"]))
    rates = pw.rates_by(records, None, pw.Selection(deps=(absent,)), ["public"])
    assert list(rates.columns) == ["public", "indicator", "numerator", "denominator", "rate", "ci_low", "ci_high",
                                   "status", "indicateur", "public_label", "statut"] and rates.empty
    assert rates[rates["indicator"].eq("employment_6m")].empty
    found = sheet.findings(ara, _figures(rates=rates))
    assert len(found) == 4 and not any("retour à l'emploi" in f.text for f in found)
    # a department with entries has the same columns, and rows
    present = sorted(set(records["dep"]) & set(ara.dep_codes))[0]
    kept = pw.rates_by(records, None, pw.Selection(deps=(present,)), ["public"])
    assert list(kept.columns) == list(rates.columns) and not kept.empty


def test_why_a_department_has_no_access_rate():
    den = pd.DataFrame({"year": [2023], "dep": ["38"], "public": ["ensemble"], "job_seekers": [1000]})
    assert sheet.access_unavailable("01", None) == "aucun fichier de dénominateurs en usage"
    assert sheet.access_unavailable("01", den) == "les dénominateurs en usage ne couvrent pas ce département"
    assert sheet.access_unavailable("38", den).startswith("aucune année commune")


def test_a_missing_indicator_is_left_out_of_the_score_never_filled():
    """Access known for two departments only (records covering them): the others' offer is their
    reach alone, not reach and an invented middle access (the old ``fillna(0.5)``)."""
    table = pd.DataFrame({"dep": ["A", "B", "C", "D"], "dep_name": list("ABCD"),
                          "unemployment": [10, 5, 8, 6], "below_level_iv": [0.6, 0.4, 0.5, 0.45],
                          "qpv_share": [0.08, 0.01, 0.05, 0.02], "frr_share": [0.5, 0.1, 0.3, 0.2],
                          "reach_share": [0.80, 1.0, 0.90, 0.85], "access_rate": [float("nan"), 0.13, 0.10, float("nan")]})
    scored = diagnosis.scores(table, diagnosis.DEFAULT_WEIGHTS).set_index("dep")
    # A: reach 0 (lowest), no access -> offer 0 (was (0 + 0,5) / 2 = 0,25)
    assert scored.loc["A", "offer"] == pytest.approx(0.0)
    assert scored.loc["D", "offer"] == pytest.approx(0.25)  # reach (0,85 - 0,80) / 0,20, alone
    # B: reach 1, access 1 (highest); C: reach 0,5, access 0 -> (0,5 + 0) / 2
    assert scored.loc["B", "offer"] == pytest.approx(1.0) and scored.loc["C", "offer"] == pytest.approx(0.25)
    assert scored.loc["A", "partial"] == "Taux d'accès à la formation" and scored.loc["B", "partial"] == ""
    sentences = diagnosis.partial_sentences(scored.reset_index(), {"A": "Aaa", "D": "Ddd"})
    assert sentences == ["Taux d'accès à la formation manquant pour Aaa (A), Ddd (D) : score partiel, calculé sur "
                         "les autres indicateurs (pondérations ramenées à celles disponibles), jamais sur une valeur "
                         "inventée."]
    # A zero weight on access: nobody is partial
    assert diagnosis.scores(table, {**diagnosis.DEFAULT_WEIGHTS, "access_rate": 0})["partial"].eq("").all()


def test_an_indicator_no_department_has_weighs_nothing():
    """No denominators: access is NaN everywhere; it is out of every offer score (it weighed 0,5 each)."""
    table = pd.DataFrame({"dep": ["A", "B", "C"], "dep_name": list("ABC"), "unemployment": [10, 5, 8],
                          "qpv_share": [0.08, 0.01, 0.05], "frr_share": [0.5, 0.1, 0.3],
                          "reach_share": [0.80, 1.0, 0.90], "access_rate": [float("nan")] * 3})
    scored = diagnosis.scores(table, diagnosis.DEFAULT_WEIGHTS).set_index("dep")
    assert scored["offer"].to_dict() == pytest.approx({"A": 0.0, "B": 1.0, "C": 0.5})
    assert scored["partial"].eq("").all()  # every department on the same indicators: no partial score
    assert scored["access_rate_norm"].isna().all()
    assert diagnosis.unavailable(table, None) == {"below_level_iv": "aucun fichier de dénominateurs en usage",
                                                  "access_rate": "aucun fichier de dénominateurs en usage"}


def test_cli_rates_says_when_the_year_has_no_entry(capsys, monkeypatch):
    """``--year`` without any entry that year: an empty table, and stderr says so and which years exist."""
    from lib import cli
    from tests.conftest import FIXTURES

    monkeypatch.delenv("PRIC_DATA_DIR", raising=False)
    small = FIXTURES / "records" / "small_records.csv"
    assert cli.main(["export", "rates", "--records", str(small), "--by", "dep", "--year", "2031"]) == 0
    out, err = capsys.readouterr()
    assert out.strip().splitlines() == ["dep,indicator,numerator,denominator,rate,ci_low,ci_high,status"]
    assert "Aucune entrée en 2031 dans « small_records.csv » : le tableau est vide. Années présentes : 2021, 2022, 2023 (--year AAAA)." in err
    assert cli.main(["export", "rates", "--records", str(small), "--by", "dep", "--year", "2023"]) == 0
    out, err = capsys.readouterr()
    assert "Aucune entrée" not in err and len(out.strip().splitlines()) > 1


def test_diagnosis_sources_never_name_a_file_for_figures_not_shown():
    """Issue 19: « accès 2022 » and the records file named while access is « non disponible »."""
    from lib.indicators import diagnosis

    none = "aucun fichier de dénominateurs en usage"
    records, dens = "Source : fichier importé « x.csv » (Entrées en formation).", "Dénominateurs : aucun fichier en usage."
    assert diagnosis.access_words(2022, {}) == "accès 2022"
    assert diagnosis.access_words(2022, {"access_rate": none}) == "accès non disponible"
    both = diagnosis.records_sources({"below_level_iv": none, "access_rate": none}, records, dens)
    assert both == f"Part des DE infra-bac et accès — non disponibles ({none})."
    assert diagnosis.records_sources({}, records, dens) == f"Part des DE infra-bac et accès — {records} {dens}"
    access_only = diagnosis.records_sources({"access_rate": "années sans entrées"}, records, dens)
    assert access_only == f"Part des DE infra-bac — {dens} Accès — non disponible (années sans entrées)."
