"""The clean demonstration files and the path from a file to its figures, per source.

Each ``*_figures`` function reads a file the way the CLI (``python -m lib export``) and the pages do
(reader, restriction to the region, indicators) and returns the figure tables plus the import
reports: what :func:`tests.metamorphic.oracle.assert_same_or_said` compares.
"""
from __future__ import annotations

import functools
import re

import numpy as np
import pandas as pd

from lib.core.config import DEMO, RAW
from lib.datasets import territory
from lib.indicators import unemployment
from lib.indicators.pathways import Selection, abandon_reasons
from lib.indicators.rates import compute_rates
from lib.sources import chomage, lheo
from lib.sources.denominators import read_denominators, restrict_denominators
from lib.sources.records import read_records, restrict_to_region
from tests.metamorphic.grid import Grid
from tests.metamorphic.oracle import Clean, Reading

REGION = "84"
SAMPLE_PER_DEPARTMENT = 25
LHEO_FORMATIONS = 120


@functools.cache
def region():
    return territory.region(REGION)


# --- records and denominators -----------------------------------------------------------------


@functools.cache
def records_sample() -> pd.DataFrame:
    """300 demonstration records, 25 per department spread evenly over the file (every year), as the
    documented CSV layout writes them (text cells, empty for unknown)."""
    records = pd.read_parquet(DEMO / f"records_demo_{REGION}.parquet")
    dep = records["residence_commune"].str[:2]
    picked = []
    for _, rows in records.groupby(dep, sort=True):
        picked += list(rows.index[np.linspace(0, len(rows) - 1, SAMPLE_PER_DEPARTMENT).astype(int)])
    sample = records.loc[sorted(picked)].reset_index(drop=True)
    return sample.astype(str).replace({"nan": "", "None": "", "<NA>": ""})


def records_grid() -> Grid:
    return Grid.from_frame(records_sample())


@functools.cache
def clean_denominators() -> pd.DataFrame:
    table, report = read_denominators(DEMO / f"denominators_demo_{REGION}.csv")
    return restrict_denominators(table, region().dep_codes, report)


def denominators_grid() -> Grid:
    frame = pd.read_csv(DEMO / f"denominators_demo_{REGION}.csv", dtype=str, keep_default_na=False)
    return Grid.from_frame(frame)


def record_figures(data: bytes, filename: str) -> Reading:
    """``export rates`` for the records (by year, department and public; access with the clean
    denominators by year and public), by pathway type and axis, and the abandonment motifs and
    profile the page shows."""
    records, report = read_records(data, filename)
    records = restrict_to_region(records, region().dep_codes, report)
    profile = records.assign(sex=records["sex"].astype(str), education_level=records["education_level"].astype(str),
                             dep=records["dep"].astype(str))
    figures = {
        "rates": compute_rates(records, None, by=["year", "dep", "public"]),
        # Access by year and public (by department too would double the cost of an example).
        "access": compute_rates(records, clean_denominators(), by=["year", "public"]).query("indicator == 'access'")
                                                                                    .reset_index(drop=True),
        "by_pathway": compute_rates(records, None, by=["pathway_type", "axis"]),
        # Sorted by motif: the page orders motifs by count, ties in file order (not a figure).
        "motifs": abandon_reasons(records, Selection()).sort_values("motif", ignore_index=True),
        "profile": profile.groupby(["year", "dep", "sex", "education_level"]).size().rename("entries").reset_index(),
        "communes": profile.groupby("commune").size().rename("entries").reset_index(),
    }
    return figures, [report]


@functools.cache
def clean_records_table() -> pd.DataFrame:
    from tests.metamorphic.grid import to_csv

    records, report = read_records(to_csv(records_grid()), "propre.csv")
    return restrict_to_region(records, region().dep_codes, report)


def denominator_figures(data: bytes, filename: str) -> Reading:
    """The denominators as read (sorted) and the access rates they give with the clean records."""
    table, report = read_denominators(data, filename)
    table = restrict_denominators(table, region().dep_codes, report)
    rates = compute_rates(clean_records_table(), table, by=["year", "dep", "public"])
    return {"denominators": table.sort_values(["year", "dep", "public"], ignore_index=True),
            "access": rates[rates["indicator"].eq("access")].reset_index(drop=True)}, [report]


# --- Insee workbook ---------------------------------------------------------------------------

INSEE = RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"
INSEE_QUARTERS = 10


@functools.cache
def insee_rows() -> tuple[tuple, ...]:
    """The Insee sheet (title rows, header, departments, footnotes) cut to its last quarters, so a
    workbook is written in milliseconds; cells as Insee gives them (codes text, rates numbers)."""
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(INSEE)).get_sheet_by_name("Département").to_python(skip_empty_area=False)
    width = len(rows[3])
    keep = [0, 1, *range(width - INSEE_QUARTERS, width)]
    return tuple(tuple(row[i] if i < len(row) else "" for i in keep) for row in rows)


def unemployment_figures(data: bytes, filename: str) -> Reading:
    """``export unemployment``: the region's rows (departments, region, France), sorted."""
    tidy, report = chomage.read_unemployment(data, filename)
    unemployment.check_region(tidy, region(), report)
    table = unemployment.for_region(tidy, region())
    return {"unemployment": table.sort_values(["level", "code", "quarter"], ignore_index=True)}, [report]


# --- LHEO offer -------------------------------------------------------------------------------


@functools.cache
def lheo_clean() -> bytes:
    """The demonstration offer cut to its first formations (same prolog and root)."""
    text = (DEMO / f"offre_demo_{REGION}.xml").read_text(encoding="utf-8")
    head, body = text.split("<offres>", 1)
    formations = re.findall(r"<formation .*?</formation>", body, flags=re.S)[:LHEO_FORMATIONS]
    return (head + "<offres>" + "".join(formations) + "</offres></lheo>").encode("utf-8")


@functools.cache
def formacodes() -> dict[str, list[str]]:
    return lheo.formacode_to_nsf()


def offer_figures(data: bytes, filename: str) -> Reading:
    """Every session × place the offer gives (what the white zones and maps are computed from),
    in a canonical order."""
    frame, report = lheo.read_lheo(data, filename, formacodes=formacodes())
    frame = frame.sort_values(list(frame.columns), ignore_index=True)
    return {"sessions": frame}, [report]


def clean_of(reading: Reading) -> Clean:
    figures, reports = reading
    return Clean(figures, tuple(reports))
