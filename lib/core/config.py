"""The few settings of the dashboard, read in one place.

The region is the only territorial setting: every page and export derives its
departments, names and files from it. Set ``PRIC_REGION`` to change it.
"""
from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
RAW = DATA / "raw"
REFERENCE = DATA / "reference"
DEMO = DATA / "demo"
CACHE = DATA / "cache"
GEO = ROOT / "geo"
STATIC = ROOT / "static"

DEFAULT_REGION = "84"

# Small-cell rules (France Travail practice): below SECRECY the cell is hidden,
# below FRAGILE the rate is shown with its interval and flagged as fragile.
SECRECY_THRESHOLD = int(os.environ.get("PRIC_SECRECY_THRESHOLD", "20"))
FRAGILE_THRESHOLD = int(os.environ.get("PRIC_FRAGILE_THRESHOLD", "60"))


def region_code() -> str:
    """Insee code of the region the dashboard shows (``PRIC_REGION``, default 84)."""
    code = os.environ.get("PRIC_REGION", DEFAULT_REGION).strip()
    return code.zfill(2) if code.isdigit() else code


def accessibility_contact() -> str:
    """Where users report an accessibility problem (``PRIC_ACCESSIBILITY_CONTACT``: an e-mail
    address or a form's URL), shown in the accessibility statement; empty when not configured."""
    return os.environ.get("PRIC_ACCESSIBILITY_CONTACT", "").strip()
