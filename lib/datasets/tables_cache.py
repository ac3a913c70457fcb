"""Processed tables cached as parquet in ``data/cache``, rebuilt when missing or stale.

A cached table is rebuilt automatically when it is absent or older than any of the raw
files it was built from, so editing or replacing a raw file never shows stale figures.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

import pandas as pd

from lib.core.config import CACHE


def cached_table(name: str, sources: Iterable[Path], build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    path = CACHE / f"{name}.parquet"
    newest_source = max((Path(s).stat().st_mtime for s in sources), default=0.0)
    if path.exists() and path.stat().st_mtime >= newest_source:
        return pd.read_parquet(path)
    table = build()
    try:
        CACHE.mkdir(parents=True, exist_ok=True)
        table.to_parquet(path, index=False)
    except OSError:
        pass  # a read-only checkout still works, just without the cache
    return table
