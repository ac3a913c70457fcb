"""Public files a user imported, kept on the server under a token the page's address carries (issue 28).

An Insee workbook, a LHEO offer or the pact's objectives are public: kept here (``data/cache/kept_uploads``), a
reload or a shared link finds them again. Training-entry records and their denominators are never kept: they are
the region's extraction, personal or close to it, and live in the session only. Tokens are digests of the file;
the folder keeps the :data:`KEEP` most recent files (older ones are said missing when a link asks for them).
"""
from __future__ import annotations

import json
import os
import time
from pathlib import Path

from lib.core.config import ROOT
from lib.datasets.workspace import digest

PUBLIC_KINDS = ("unemployment", "offer", "objectives")
FOLDER = ROOT / "data" / "cache" / "kept_uploads"
KEEP = 60


def keep(kind: str, data: bytes, name: str, folder: Path = FOLDER) -> str | None:
    """The token of ``data`` (written once; by rename, so a reader never sees half a file); ``None`` for a kind
    that is never kept."""
    if kind not in PUBLIC_KINDS:
        return None
    token = digest(data, name)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{token}.bin"
    if not target.exists():
        part = folder / f".{token}.{os.getpid()}.part"
        part.write_bytes(data)
        (folder / f"{token}.json").write_text(json.dumps({"kind": kind, "name": name, "kept": time.time()}))
        os.replace(part, target)
        _prune(folder)
    else:
        os.utime(target)  # used again: kept longer
    return token


def load(token: str, folder: Path = FOLDER) -> tuple[str, bytes, str] | None:
    """``(kind, data, name)`` of a kept file, ``None`` when the server no longer has it (or the token is not one)."""
    if not token.isalnum():
        return None
    try:
        meta = json.loads((folder / f"{token}.json").read_text())
        data = (folder / f"{token}.bin").read_bytes()
    except (OSError, ValueError):
        return None
    return (meta["kind"], data, meta["name"]) if meta.get("kind") in PUBLIC_KINDS else None


def _prune(folder: Path) -> None:
    kept = sorted(folder.glob("*.bin"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in kept[KEEP:]:
        old.unlink(missing_ok=True)
        old.with_suffix(".json").unlink(missing_ok=True)
