"""Accueil: the region's key figures."""
from __future__ import annotations

from lib.datasets.in_use import Datasets
from lib.views.common import region_unemployment


def home_figures(ds: Datasets) -> list:
    from lib.indicators.summary import key_figures

    return key_figures(ds.region, ds.communes(), region_unemployment(ds))
