"""LHEO session places: commune codes completed, coordinates outside France or far from their commune set aside,
missing ones located by commune or postcode.

Rules (README, « Importer les fichiers d'un analyste »), each counted in the report:

- A commune code of four digits lost its leading zero (``3190`` → ``03190``) and is completed; a municipal
  arrondissement (``69383``, Lyon 3e) is read as its city (``69123``), as the records reader does
  (:mod:`lib.sources.communes`); postcodes of four digits are completed alike.
- Coordinates that cannot be in France (outside its boxes, swapped, in metres, 0/0) are set aside.
- Coordinates more than :data:`FAR_KM` (100 km) from their commune's reference point are set aside and the
  place is located by its commune: no metropolitan commune spans more than about 45 km (Arles, the largest,
  759 km²), so such a point is not in that commune whatever point of it a geocoder chose; the 100 km leave
  room for a place geocoded at its postcode's main town. A commune of a department far from the region
  (whose reference point is not loaded) is checked against its department: coordinates more than 100 km
  beyond the circle that holds the whole department (its centre and its farthest edge) are set aside alike.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from lib.core.errors import ImportReport
from lib.core.fmt import fr_int
from lib.sources.communes import arrondissement_note, city_of_arrondissement, leading_zero_note, restore_leading_zero

# Where a session place can be (lat_min, lat_max, lon_min, lon_max): metropolitan France with
# Corsica, and the overseas departments.
FRANCE_BOXES = {
    "metropole": (41.2, 51.2, -5.3, 9.7), "guadeloupe": (15.8, 16.55, -61.85, -60.95),
    "martinique": (14.35, 14.9, -61.25, -60.8), "guyane": (2.1, 5.8, -54.6, -51.6),
    "reunion": (-21.4, -20.85, 55.2, 55.85), "mayotte": (-13.05, -12.6, 44.95, 45.35),
}

FAR_KM = 100.0
FAR_ISSUE = f"à plus de {FAR_KM:.0f} km de leur commune"
EARTH_RADIUS_KM = 6371.0088
# What ``located_by`` codes mean in a sentence (« 5 localisées par leurs coordonnées, 1 non localisée »).
LOCATED_WORDS = {"coordonnees": ("localisée(s) par leurs coordonnées", "localisée par ses coordonnées"),
                 "commune": ("localisée(s) par leur code commune", "localisée par son code commune"),
                 "code_postal": ("localisée(s) par leur code postal", "localisée par son code postal"),
                 "non_localise": ("non localisée(s)", "non localisée")}


def located_text(counts: dict[str, int]) -> str:
    """« 5 localisées par leurs coordonnées, 1 non localisée » from :func:`locate`'s counts (never its codes)."""
    parts = []
    for key, (many, one) in LOCATED_WORDS.items():
        n = int(counts.get(key, 0))
        if n:
            parts.append(f"{fr_int(n)} {one if n == 1 else many.replace('(s)', 's')}")
    return ", ".join(parts) or "aucun lieu"


def _normalize_communes(frame: pd.DataFrame, report: ImportReport) -> pd.DataFrame:
    """Commune codes and postcodes that lost their leading zero completed, arrondissements read as their
    city — said in the report's notes with the records reader's wording."""
    if frame.empty:
        return frame
    commune, padded = restore_leading_zero(frame["commune"])
    commune, mapped, example = city_of_arrondissement(commune)
    postcode, padded_postcodes = restore_leading_zero(frame["postcode"])
    frame["commune"], frame["postcode"] = commune.to_numpy(), postcode.to_numpy()
    if padded:
        report.notes.append("Lieux de formation : " + leading_zero_note(padded))
    if padded_postcodes:
        report.notes.append("Lieux de formation : " + leading_zero_note(padded_postcodes, "codes postaux")
                            .replace("1053 → 01053", "1000 → 01000"))
    if mapped:
        report.notes.append("Lieux de formation : " + arrondissement_note(mapped, example))
    return frame


def _haversine_km(lat1, lon1, lat2, lon2) -> np.ndarray:
    lat1, lon1, lat2, lon2 = (np.radians(np.asarray(v, dtype=float)) for v in (lat1, lon1, lat2, lon2))
    h = np.sin((lat2 - lat1) / 2) ** 2 + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0, 1)))


def _far_from_commune(frame: pd.DataFrame, by_code: pd.DataFrame, departments: pd.DataFrame | None) -> pd.Series:
    """Distance (km) by which given coordinates miss their commune (its reference point, else the circle
    holding its department); NaN where it cannot be told."""
    miss = pd.Series(np.nan, index=frame.index, dtype=float)
    has = frame["lat"].notna() & frame["lon"].notna() & frame["commune"].ne("")
    known = has & frame["commune"].isin(by_code.index)
    if known.any():
        ref = by_code.loc[frame.loc[known, "commune"]]
        miss[known] = _haversine_km(frame.loc[known, "lat"], frame.loc[known, "lon"], ref["lat"], ref["lon"])
    if departments is not None and len(departments):
        other = has & ~known
        dep = frame["commune"].str[:2].where(~frame["commune"].str.startswith("97"), frame["commune"].str[:3])
        other &= dep.isin(departments.index)
        if other.any():
            ref = departments.loc[dep[other]]
            km = _haversine_km(frame.loc[other, "lat"], frame.loc[other, "lon"], ref["lat"], ref["lon"])
            miss[other] = km - ref["radius_km"].to_numpy()
    return miss


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



def locate(frame: pd.DataFrame, points: pd.DataFrame, postcodes: dict[str, str], report: ImportReport | None = None,
           departments: pd.DataFrame | None = None) -> tuple[pd.DataFrame, pd.Series]:
    """Fill missing coordinates from the commune code, else the postcode.

    ``points``: ``code, lon, lat`` reference points of communes; ``postcodes``: postcode ->
    commune code (the most populous commune of that postcode); ``departments`` (optional): indexed by
    department code, ``lon, lat, radius_km`` (a circle holding the department). Coordinates more than
    :data:`FAR_KM` from their commune are set aside first (``coord_issue``, counted in ``report``). Adds
    ``located_by``: ``coordonnees`` | ``commune`` | ``code_postal`` | ``non_localise`` (in words:
    :func:`located_text`); returns the frame and the count of each method.
    """
    frame = frame.copy()
    by_code = points.drop_duplicates("code").set_index("code")[["lon", "lat"]]
    miss = _far_from_commune(frame, by_code, departments)
    far = miss.gt(FAR_KM)
    if far.any():
        shown = frame.loc[far, ["commune"]].assign(km=miss[far]).drop_duplicates("commune").head(3)
        examples = ", ".join(f"commune {c} à {fr_int(km)} km" for c, km in shown.itertuples(index=False))
        frame.loc[far, ["lat", "lon"]] = np.nan
        if "coord_issue" in frame:
            frame.loc[far, "coord_issue"] = FAR_ISSUE
        if report is not None:
            report.warn(f"coordonnées écartées pour {fr_int(int(far.sum()))} session(s) × lieu(x) {FAR_ISSUE} (ex. "
                        f"{examples}) : lieux localisés par leur commune")
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
