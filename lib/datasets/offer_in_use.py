"""Reading the training offer in use: an imported or configured LHEO file, else the region's demonstration offer."""
from __future__ import annotations

import pandas as pd

from lib.core.config import DEMO, GEO
from lib.core.errors import DataError, ImportReport
from lib.datasets import geometry
from lib.sources import cog, lheo


def demo_offer_path(region: str):
    return DEMO / f"offre_demo_{region}.xml"


def load_offer(region: str, upload: bytes | None = None, filename: str | None = None
               ) -> tuple[pd.DataFrame, ImportReport, dict[str, int], bool]:
    """Read and locate an offer. ``is_demo`` is True for the bundled demonstration offer."""
    if upload is not None:
        frame, report = lheo.read_lheo(upload, filename)
        is_demo = False
    else:
        path = demo_offer_path(region)
        if not path.exists():
            raise DataError(
                f"Offre de démonstration absente pour la région {region} : "
                f"python -m scripts.make_demo_offer --region {region}"
            )
        frame, report = lheo.read_lheo(path)
        is_demo = True
    places = geometry.places(region)
    located, counts = lheo.locate(frame, places[["code", "lon", "lat"]], cog.postcode_to_commune(cog.read_communes()),
                                  report, department_circles())
    unlocated = int(counts.get("non_localise", 0))
    if unlocated:
        report.reject("lieu non localisable (ni coordonnées, ni commune, ni code postal connus)", unlocated)
    located["in_region"] = in_region(located, places)
    outside = int((located["lat"].notna() & ~located["in_region"]).sum())
    if outside:
        report.notes.append(f"{outside} session(s) × lieu(x) hors de la région : comptée(s) pour les communes de la "
                            "région à portée.")
    return located, report, {k: int(v) for k, v in counts.items()}, is_demo


# A located place is in the region when its nearest commune reference point is a commune of the region and
# lies within this distance (a commune's point is a few km from any of its places; farther, the place is
# beyond the region's and its neighbours' communes loaded here).
IN_REGION_KM = 20.0


def in_region(offer: pd.DataFrame, places: pd.DataFrame) -> pd.Series:
    """Whether each located session place lies in the region (``places``: the region's and its neighbours'
    commune points, ``in_region``): by its commune code when it is one of the region's, else by the nearest
    commune point (within :data:`IN_REGION_KM`)."""
    import numpy as np
    from sklearn.neighbors import BallTree

    from lib.sources.lheo_places import EARTH_RADIUS_KM

    result = offer["commune"].isin(set(places.loc[places["in_region"], "code"]))
    located = offer["lat"].notna() & offer["lon"].notna() & ~result
    if located.any() and len(places):
        tree = BallTree(np.radians(places[["lat", "lon"]].to_numpy(dtype=float)), metric="haversine")
        distance, index = tree.query(np.radians(offer.loc[located, ["lat", "lon"]].to_numpy(dtype=float)), k=1)
        near = distance[:, 0] * EARTH_RADIUS_KM <= IN_REGION_KM
        result[located] = near & places["in_region"].to_numpy(bool)[index[:, 0]]
    return result & offer["lat"].notna()


def department_circles() -> pd.DataFrame:
    """Per department of France (code as index): a centre and the radius (km) of a circle holding it whole,
    from ``geo/france_departements.parquet`` (overseas departments drawn as insets there are left out)."""
    import geopandas as gpd
    import numpy as np
    import shapely

    from lib.sources.lheo_places import EARTH_RADIUS_KM

    path = GEO / "france_departements.parquet"
    if not path.exists():
        return pd.DataFrame(columns=["lon", "lat", "radius_km"])
    departments = gpd.read_parquet(path)
    departments = departments[~departments["inset"].astype(bool)] if "inset" in departments else departments
    rows = {}
    for code, shape in zip(departments["code"], departments.geometry):
        centre = shape.centroid
        edge = shapely.get_coordinates(shape)
        lat1, lon1, lat2, lon2 = np.radians(centre.y), np.radians(centre.x), np.radians(edge[:, 1]), np.radians(edge[:, 0])
        h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        rows[str(code)] = {"lon": centre.x, "lat": centre.y,
                           "radius_km": float(2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1))).max())}
    return pd.DataFrame.from_dict(rows, orient="index")
