"""Shared test settings: fixtures folder, the region forced to the default, and a zip writer."""
from __future__ import annotations

import io
import os
import zipfile
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"
os.environ.setdefault("PRIC_REGION", "84")


def zipped(files: dict[str, bytes]) -> bytes:
    """A zip archive (deflated) holding ``files`` (name -> content), written in memory."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()
