"""Reference marks that explain themselves, the pact's motif table as printed, editions said stale."""
from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from lib.core.config import RAW, REFERENCE
from lib.indicators import pathways as pw
from lib.indicators.freshness import expected_quarter, quarterly_staleness
from lib.render import charts

# The pact's "Région / Motifs" table (seed 003, section 5), its ten rows as printed.
SEED_MOTIFS = [
    ("Auvergne-Rhône-Alpes", [41, 29, 7, 6, 5, 4, 4, 2, 2, 100]),
    ("Abandon du projet de formation", [46, 30, 6, 6, 3, 5, 2, 2, 1, 100]),
    ("Absence ou abandon non justifié par le demandeur d'emploi", [33, 34, 8, 6, 7, 2, 6, 2, 1, 100]),
    ("Arrêt maladie / Congé maternité ou paternité", [43, 36, 5, 6, 2, 2, 3, 2, 2, 100]),
    ("Autres", [44, 29, 6, 5, 3, 4, 3, 3, 3, 100]),
    ("Création / Reprise d'entreprise", [33, 11, 22, 11, 0, 0, 11, 0, 11, 100]),
    ("Raison matérielle (mobilité, déménagement, finances)", [38, 27, 5, 6, 6, 7, 8, 0, 3, 100]),
    ("Retenu(e) sur autre formation", [32, 28, 7, 13, 7, 4, 4, 3, 3, 100]),
    ("Retour à l'emploi", [37, 27, 7, 7, 8, 4, 6, 3, 2, 100]),
    ("Total général", [40, 32, 6, 6, 6, 3, 4, 1, 2, 100]),
]


def test_motif_table_equals_the_seed():
    table = pw.pact_motifs(pd.read_csv(REFERENCE / "pact_ara_2019" / "abandon_motifs.csv", dtype=str))
    assert list(table["motif"]) == [m for m, _ in SEED_MOTIFS]
    values = table[[*pw.QUALIFICATIONS, "total"]].to_numpy().tolist()
    assert values == [v for _, v in SEED_MOTIFS]
    # Each printed row sums to its total, within the rounding of the printed percentages.
    assert all(abs(sum(v[:-1]) - 100) <= 2 for v in values)


@pytest.fixture(scope="module")
def marks():
    return pw.benchmark_marks(pd.read_csv(RAW / "benchmarks_publications" / "national_training_benchmarks.csv", dtype=str))


@pytest.fixture(scope="module")
def pact():
    return pd.read_csv(REFERENCE / "pact_ara_2019" / "indicateurs_2017.csv", dtype=str, keep_default_na=False)


def test_employment_references_are_labelled_and_of_distinct_nature(marks, pact):
    refs = pw.reference_marks("employment_6m", pact, marks["indicator"]).set_index("value")
    assert list(refs.index) == [0.51, 0.48, 0.57]
    # The pact's region figure; the national average its sentence implies (51 - 3); the 2015 national benchmark.
    assert (refs.loc[0.51, "scope"], refs.loc[0.51, "definition"]) == ("region", "same")
    assert (refs.loc[0.48, "scope"], refs.loc[0.48, "definition"]) == ("national", "same")
    assert (refs.loc[0.57, "scope"], refs.loc[0.57, "definition"]) == ("national", "close")
    assert refs.loc[0.51, "row"].startswith("Région, 2017 (Pacte ARA 2019)")
    assert refs.loc[0.57, "row"] == "National, sortants 2015 (Pôle emploi)|accès à l'emploi en 6 mois — définition proche"
    assert "+3 pts" in refs.loc[0.48, "source"]
    twelve = pw.reference_marks("employment_12m", pact, marks["indicator"])
    assert list(twelve["value"]) == [0.52, 0.56]


def test_chart_draws_each_reference_with_its_own_label_and_style(marks, pact):
    data = pd.DataFrame({"public_label": ["Ensemble", "Résidents QPV"], "rate": [0.5, 0.45], "ci_low": [0.48, 0.4],
                         "ci_high": [0.52, 0.5], "status": ["ok", "ok"], "statut": ["", ""], "numerator": [50, 45],
                         "denominator": [100, 100]})
    refs = pw.reference_marks("employment_6m", pact, marks["indicator"])
    spec = charts.rate_bars(data, "public_label", "Public", "Retour à l'emploi à 6 mois", "2020", refs).to_dict()
    layers = spec["layer"]
    texts = [layer for layer in layers if layer["mark"]["type"] == "text" and layer["encoding"]["text"]["field"] == "value_txt"]
    assert texts  # every value written beside its mark, no hover needed
    rows = layers[0]["encoding"]["y"]["scale"]["domain"]
    assert rows[:2] == ["Ensemble", "Résidents QPV"] and len(rows) == 5  # one labelled row per reference
    rules = next(layer for layer in layers if layer["mark"]["type"] == "rule" and "strokeDash" in layer["encoding"])
    assert rules["encoding"]["strokeDash"]["scale"]["range"] == [[1, 0], [6, 3]]  # same vs close definition
    values = {d["value"]: d for d in spec["datasets"][rules["data"]["name"]]}
    assert values[0.51]["color"] != values[0.57]["color"] == values[0.48]["color"]  # region vs national
    subtitle = " ".join(spec["title"]["subtitle"])
    assert "rouge, losange : région (Pacte)" in subtitle and "vert, carré : national" in subtitle
    # no line Vega would cut with « … » on a half-width chart
    assert all(len(line) <= charts.SUBTITLE_CHARS + 2 for line in spec["title"]["subtitle"])
    # Whose figure is also said by the symbol (not colour alone): diamond for the region, square national.
    points = next(layer for layer in layers if layer["mark"]["type"] == "point")
    assert points["encoding"]["shape"]["scale"] == {"domain": ["region", "national"], "range": ["diamond", "square"]}


def test_pathway_references_have_a_legend_row(marks):
    pathway = marks["pathway"]
    assert pathway["value"].dropna().tolist() == [0.69, 0.56, 0.56, 0.35]
    legend = pathway[pathway["parcours"].isna()]
    assert legend["row"].tolist() == ["National, sortants 2018 (évaluation du PIC)|emploi d'un mois ou plus en 6 mois "
                                      "— définition proche"]


def test_expected_quarter_follows_insee_calendar():
    assert expected_quarter(date(2026, 12, 3), 75) == "2026-T2"   # T3 2026 due mid-December
    assert expected_quarter(date(2026, 12, 14), 75) == "2026-T3"
    assert expected_quarter(date(2026, 1, 5), 75) == "2025-T3"


def test_bundled_edition_is_said_stale_with_the_way_to_update():
    stale = quarterly_staleness("chomage_localise_insee", "2025-T3", date(2026, 12, 3))
    assert stale.behind == 3 and stale.expected == "2026-T2"
    assert "une édition plus récente existe probablement" in stale.message
    assert "page Données" in stale.message and "Chômage localisé" in stale.message and "PRIC_DATA_DIR" in stale.message
    assert quarterly_staleness("chomage_localise_insee", "2025-T3", date(2025, 12, 20)) is None
