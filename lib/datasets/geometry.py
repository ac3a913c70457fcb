"""Geometry of the region: commune and department polygons and reference points.

Files are built by ``scripts/build_geo.py`` (see ``geo/SOURCE.md``). Schemas:

- communes: ``code, name, dep, population, epci, geometry_source, point_from, lon, lat, geometry``
- communes_display: ``code, geometry``, simplified further for the region-wide commune map
- departements: ``code, name, region, geometry``
- places: ``code, name, dep, region, population, lon, lat, in_region`` (no geometry)
"""
from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from lib.core.config import GEO
from lib.core.errors import DataError


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


def communes_display(region: str) -> gpd.GeoDataFrame:
    """Communes simplified for a region-wide map (lighter; same codes as :func:`communes`)."""
    return gpd.read_parquet(_path("communes_display", region))


def departements(region: str) -> gpd.GeoDataFrame:
    return gpd.read_parquet(_path("departements", region))


def places(region: str) -> pd.DataFrame:
    """Reference points of the region's communes and of the neighbouring departments' communes."""
    return pd.read_parquet(_path("places", region))


def build_report(region: str) -> dict:
    """What the geometry build did (communes without polygon, neighbours, tolerances)."""
    path = GEO / f"report_{region}.json"
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def to_geojson(frame: gpd.GeoDataFrame, properties: list[str], decimals: int = 5) -> dict:
    """A compact GeoJSON dict of the given columns (features without polygon dropped).

    Coordinates are rounded to ``decimals`` (4 ≈ 10 m, 5 ≈ 1 m) so the JSON stays small.
    """
    drawn = frame[frame.geometry.notna()][[*properties, "geometry"]].copy()
    drawn["geometry"] = shapely.transform(drawn.geometry.to_numpy(), lambda xy: np.round(xy, decimals))
    return json.loads(drawn.to_json(drop_id=True, to_wgs84=True))


def simplified(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """Polygons simplified at ``tolerance_m`` metres (in Lambert-93), back in WGS84, for display."""
    out = frame.copy()
    out["geometry"] = frame.to_crs("EPSG:2154").simplify(tolerance_m, preserve_topology=True).to_crs("EPSG:4326").to_numpy()
    return out
