"""Shared test settings: fixtures folder, and the region forced to the default."""
from __future__ import annotations

import os
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
os.environ.setdefault("PRIC_REGION", "84")
