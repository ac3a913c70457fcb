"""Reading the training offer in use: an imported or configured LHEO file, else the region's demonstration offer."""
from __future__ import annotations

import pandas as pd

from lib.core.config import DEMO
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
    points = geometry.places(region)[["code", "lon", "lat"]]
    located, counts = lheo.locate(frame, points, cog.postcode_to_commune(cog.read_communes()))
    unlocated = int(counts.get("non_localise", 0))
    if unlocated:
        report.reject("lieu non localisable (ni coordonnées, ni commune, ni code postal connus)", unlocated)
    return located, report, {k: int(v) for k, v in counts.items()}, is_demo
