"""The training offer used by the white-zones views: real upload or demonstration file."""
from __future__ import annotations

import pandas as pd

from lib import geometry
from lib.config import DEMO
from lib.errors import DataError, ImportReport
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
    points = geometry.places(region)[["code", "lon", "lat"]]
    located, counts = lheo.locate(frame, points, cog.postcode_to_commune(cog.read_communes()))
    unlocated = int(counts.get("non_localise", 0))
    if unlocated:
        report.reject("lieu non localisable (ni coordonnées, ni commune, ni code postal connus)", unlocated)
    return located, report, {k: int(v) for k, v in counts.items()}, is_demo


def place_markers(sessions: pd.DataFrame) -> pd.DataFrame:
    """One marker per place (rounded coordinates): ``lat, lon, tooltip`` with its session count."""
    from lib.fmt import fr_int

    grouped = sessions.assign(lat=sessions["lat"].round(4), lon=sessions["lon"].round(4)).groupby(["lat", "lon"]).agg(
        sessions=("action_id", "size"), organisme=("organisme", "first"), titles=("title", lambda t: t.iloc[0]),
    ).reset_index()
    grouped["tooltip"] = [
        f"{org or 'Organisme non renseigné'} — {fr_int(n)} session{'s' if n > 1 else ''} (ex. : {title})"
        for org, n, title in zip(grouped["organisme"], grouped["sessions"], grouped["titles"])
    ]
    return grouped
