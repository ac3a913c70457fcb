"""LHEO session places: coordinates outside France set aside, missing ones located by commune or postcode."""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.core.errors import ImportReport

# Where a session place can be (lat_min, lat_max, lon_min, lon_max): metropolitan France with
# Corsica, and the overseas departments.
FRANCE_BOXES = {
    "metropole": (41.2, 51.2, -5.3, 9.7), "guadeloupe": (15.8, 16.55, -61.85, -60.95),
    "martinique": (14.35, 14.9, -61.25, -60.8), "guyane": (2.1, 5.8, -54.6, -51.6),
    "reunion": (-21.4, -20.85, 55.2, 55.85), "mayotte": (-13.05, -12.6, 44.95, 45.35),
}



def coordinate_issues(lat: pd.Series, lon: pd.Series) -> pd.Series:
    """Why given coordinates cannot be a place in France: ``""`` when they can."""
    lat = pd.to_numeric(lat, errors="coerce")
    lon = pd.to_numeric(lon, errors="coerce")

    def in_france(y: pd.Series, x: pd.Series) -> pd.Series:
        inside = pd.Series(False, index=y.index)
        for lat_min, lat_max, lon_min, lon_max in FRANCE_BOXES.values():
            inside |= y.between(lat_min, lat_max) & x.between(lon_min, lon_max)
        return inside

    given = lat.notna() & lon.notna()
    issue = pd.Series("", index=lat.index, dtype=object)
    issue[given & ~in_france(lat, lon)] = "hors de France"
    issue[given & ~in_france(lat, lon) & in_france(lon, lat)] = "latitude et longitude inversées"
    issue[given & ((lat.abs() > 180) | (lon.abs() > 180))] = "en mètres (Lambert-93 ?) au lieu de degrés"
    issue[given & lat.eq(0) & lon.eq(0)] = "nulles (0, 0)"
    return issue


def _set_aside_coordinates(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Coordinates that cannot be in France are dropped (the place is then located by its commune
    or postcode, see :func:`locate`), with a count per cause."""
    issue = coordinate_issues(frame["lat"], frame["lon"]) if len(frame) else pd.Series([], dtype=object)
    frame["coord_issue"] = issue.to_numpy() if len(frame) else []
    bad = issue.ne("")
    if bad.any():
        frame.loc[bad.to_numpy(), ["lat", "lon"]] = np.nan
        causes = ", ".join(f"{n} {cause}" for cause, n in issue[bad].value_counts().items())
        report.warn(f"coordonnées écartées pour {int(bad.sum())} session(s) × lieu(x) ({causes}) : lieux localisés par "
                    "leur commune ou leur code postal")
    return frame



def locate(frame: pd.DataFrame, points: pd.DataFrame, postcodes: dict[str, str]) -> tuple[pd.DataFrame, pd.Series]:
    """Fill missing coordinates from the commune code, else the postcode.

    ``points``: ``code, lon, lat`` reference points of communes; ``postcodes``: postcode ->
    commune code (the most populous commune of that postcode). Adds ``located_by``:
    ``coordonnees`` | ``commune`` | ``code_postal`` | ``non_localise``; returns the frame and
    the count of each method.
    """
    frame = frame.copy()
    by_code = points.set_index("code")[["lon", "lat"]]
    has_coords = frame["lat"].notna() & frame["lon"].notna()
    method = pd.Series("non_localise", index=frame.index, dtype=str)
    method[has_coords] = "coordonnees"
    by_commune = ~has_coords & frame["commune"].isin(by_code.index)
    frame.loc[by_commune, ["lon", "lat"]] = by_code.loc[frame.loc[by_commune, "commune"]].to_numpy()
    method[by_commune] = "commune"
    remaining = ~has_coords & ~by_commune
    via_postcode = frame.loc[remaining, "postcode"].map(postcodes)
    ok = via_postcode.notna() & via_postcode.isin(by_code.index)
    rows = via_postcode[ok]
    frame.loc[rows.index, ["lon", "lat"]] = by_code.loc[rows].to_numpy()
    frame.loc[rows.index, "commune"] = rows
    method[rows.index] = "code_postal"
    frame["located_by"] = method
    return frame, method.value_counts()
