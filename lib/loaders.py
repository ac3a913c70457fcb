"""Cached loaders between ``lib`` and the pages (the only module that imports streamlit).

Everything here is a thin ``st.cache_data`` / ``st.cache_resource`` wrapper around a
plain function of ``lib``, so the pages stay thin and the CLI can call the same code
without Streamlit.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd
import streamlit as st

from lib import territory
from lib.cache import cached_table
from lib.catalog import Dataset, datasets
from lib.config import RAW, REFERENCE, region_code
from lib.errors import ImportReport
from lib.sources import chomage, cog

if TYPE_CHECKING:  # geopandas is imported lazily: the home page does not need it
    import geopandas as gpd

UNEMPLOYMENT_FILE = RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"


@st.cache_data(show_spinner=False)
def region(code: str | None = None) -> territory.Region:
    return territory.region(code or region_code())


@st.cache_data(show_spinner="Lecture du fichier Insee…")
def unemployment(upload: bytes | None = None, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """The tidy unemployment table: the uploaded edition if any, else the bundled file."""
    if upload is not None:
        return chomage.read_unemployment(upload, filename)
    return chomage.read_unemployment(UNEMPLOYMENT_FILE)


@st.cache_data(show_spinner=False)
def unemployment_reference() -> pd.DataFrame:
    return pd.read_csv(REFERENCE / "pact_ara_2019" / "unemployment_4t2018.csv", dtype={"code": str, "level": str})


@st.cache_resource(show_spinner="Chargement des contours…")
def departements(code: str) -> gpd.GeoDataFrame:
    from lib import geometry

    return geometry.departements(code)


@st.cache_resource(show_spinner="Chargement des contours…")
def commune_polygons(code: str) -> gpd.GeoDataFrame:
    from lib import geometry

    return geometry.communes(code)


@st.cache_data(show_spinner="Lecture des communes…")
def communes() -> pd.DataFrame:
    """COG 2026 communes of France (tidy table of :func:`lib.sources.cog.read_communes`)."""
    return cached_table("cog_communes", [cog.SOURCE_DIR / "communes.json", cog.SOURCE_DIR / "epci.json"], cog.read_communes)


@st.cache_resource(show_spinner=False)
def warm_up(code: str) -> bool:
    """Import the map stack and load the region's polygons once per server, in the background,
    so the first visit of a map page does not pay for it."""
    import threading

    def work() -> None:
        from lib import geometry, maps  # noqa: F401  (imports are the point)

        geometry.departements(code)

    threading.Thread(target=work, daemon=True).start()
    return True


@st.cache_data(show_spinner=False)
def catalog() -> dict[str, Dataset]:
    return datasets()
