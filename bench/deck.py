"""Diaporama CREFOP: time the department deck (not a test).

    python -m bench.deck            # department 63 and the region, Auvergne-Rhône-Alpes, bundled data

Warm (as from a page, views already memoised by a first build): the department deck built twice in one
process, the second timed; cold: ``python -m lib export deck --dep 63 --out …`` as a fresh process.
Budgets (issue 28): department deck ≤ 5 s warm, ≤ 15 s cold.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path


def warm(dep: str = "63") -> None:
    from lib.datasets import workspace
    from lib.datasets.in_use import Datasets
    from lib.views import deck

    ds = Datasets("84", workspace.current_scan())
    started = time.perf_counter()
    deck.department_deck(ds, dep)
    first = time.perf_counter() - started
    started = time.perf_counter()
    content = deck.department_deck(ds, dep)
    second = time.perf_counter() - started
    started = time.perf_counter()
    deck.region_deck(ds)
    region_first = time.perf_counter() - started
    started = time.perf_counter()
    deck.region_deck(ds)
    region_second = time.perf_counter() - started
    print(f"department {dep}: first build in-process {first:.2f} s, warm (second) {second:.2f} s, "
          f"{len(content) // 1024} KB")
    print(f"region: first build after the department's {region_first:.2f} s, warm {region_second:.2f} s")


def cold(args: list[str], label: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "deck.pptx"
        started = time.perf_counter()
        subprocess.run([sys.executable, "-m", "lib", "export", "deck", *args, "--out", str(out)], check=True,
                       capture_output=True)
        print(f"{label} cold (CLI process): {time.perf_counter() - started:.2f} s")


if __name__ == "__main__":
    warm()
    cold(["--dep", "63"], "department 63")
    cold(["--region-wide"], "region")
