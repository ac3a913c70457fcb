"""Geometry of the region: commune and department polygons and reference points.

Files are built by ``scripts/build_geo.py`` (see ``geo/SOURCE.md``). Schemas:

- communes: ``code, name, dep, population, epci, geometry_source, point_from, lon, lat, geometry``
- departements: ``code, name, region, geometry``
- places: ``code, name, dep, region, population, lon, lat, in_region`` (no geometry)
"""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd

from lib.config import GEO
from lib.errors import DataError


def _path(kind: str, region: str) -> Path:
    path = GEO / f"{kind}_{region}.parquet"
    if not path.exists():
        raise DataError(
            f"Les contours de la région {region} ne sont pas construits ({path.name} absent). "
            f"Lancez : python -m scripts.build_geo --region {region}"
        )
    return path


def communes(region: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(_path("communes", region))


def departements(region: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(_path("departements", region))


def places(region: str) -> pd.DataFrame:
    """Reference points of the region's communes and of the neighbouring departments' communes."""
    return pd.read_parquet(_path("places", region))


def build_report(region: str) -> dict:
    """What the geometry build did (communes without polygon, neighbours, tolerances)."""
    path = GEO / f"report_{region}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def to_geojson(frame: gpd.GeoDataFrame, properties: list[str]) -> dict:
    """A compact GeoJSON dict of the given columns (features without polygon dropped)."""
    drawn = frame[frame.geometry.notna()][[*properties, "geometry"]]
    return json.loads(drawn.to_json(drop_id=True, to_wgs84=True))
