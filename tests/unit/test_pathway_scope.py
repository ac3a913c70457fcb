"""Issue 19: what pathway figures cover, in words — never the region's name for some of its departments."""
from __future__ import annotations

import pandas as pd

from lib.indicators import pathways as pw

REGION = ["01", "03", "07", "15", "26", "38", "42", "43", "63", "69", "73", "74"]


def test_coverage_label_names_the_departments_when_some_are_missing():
    assert pw.coverage_label(["38", "69", "73"], REGION, "Auvergne-Rhône-Alpes") == "3 départements sur 12 (38, 69, 73)"
    assert pw.coverage_label(["38"], REGION, "Auvergne-Rhône-Alpes") == "1 département sur 12 (38)"
    assert pw.coverage_label(REGION, REGION, "Auvergne-Rhône-Alpes") == "Auvergne-Rhône-Alpes"
    assert pw.coverage_label([], REGION, "Auvergne-Rhône-Alpes") == "aucun des 12 départements de la région"
    # departments chosen on the page: those, the ones without entries said
    assert pw.coverage_label(["38", "69"], REGION, "ARA", ("38", "01")) == "38, 01 (sans entrée : 01)"
    assert pw.coverage_label(["38", "69"], REGION, "ARA", ("01",)) == "01 (aucune entrée dans le fichier)"
    assert pw.coverage_label(["38", "69"], REGION, "ARA", ("69", "38")) == "69, 38"


def test_departments_covered_in_the_region_order_and_only_the_region():
    records = pd.DataFrame({"dep": ["73", "38", "75", "69", "38"]})
    assert pw.departments_covered(records, REGION) == ["38", "69", "73"]
    assert pw.partial_coverage(["38", "69", "73"], REGION) and not pw.partial_coverage(REGION, REGION)
