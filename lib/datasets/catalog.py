"""Catalogue of the datasets in ``data/``: each folder's ``SOURCE.md`` front matter.

Every dataset folder carries a ``SOURCE.md`` that starts with a block of
``key: value`` lines between ``---`` (title, producer, vintage, licence, url,
used_for). This module reads them so the methodology page and every caption
quote the same provenance.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from lib.core.config import DATA, GEO

FIELDS = ("title", "short", "producer", "vintage", "licence", "url", "used_for", "region")


@dataclass(frozen=True)
class Dataset:
    key: str
    folder: Path
    title: str
    short: str
    producer: str
    vintage: str
    licence: str
    url: str
    used_for: str
    region: str = ""  # set when the dataset describes one region only (e.g. a regional pact)

    def covers(self, region: str) -> bool:
        return not self.region or self.region == region

    @property
    def caption(self) -> str:
        """Short provenance line for a chart or map: ``Source : Insee, chômage localisé, T3 2025.``"""
        return f"Source : {self.short or self.producer + ', ' + self.vintage}."


def _front_matter(path: Path) -> dict[str, str]:
    lines = path.read_text(encoding="utf-8").splitlines()
    if not lines or lines[0].strip() != "---":
        return {}
    meta: dict[str, str] = {}
    for line in lines[1:]:
        if line.strip() == "---":
            break
        key, _, value = line.partition(":")
        meta[key.strip()] = value.strip()
    return meta


def datasets() -> dict[str, Dataset]:
    """All documented datasets, keyed by folder name (e.g. ``chomage_localise_insee``)."""
    found: dict[str, Dataset] = {}
    for source in sorted([*DATA.glob("*/*/SOURCE.md"), *GEO.glob("SOURCE.md")]):
        meta = _front_matter(source)
        if not meta:
            continue
        key = source.parent.name
        found[key] = Dataset(key, source.parent, **{f: meta.get(f, "") for f in FIELDS})
    return found


def dataset(key: str) -> Dataset:
    return datasets()[key]
