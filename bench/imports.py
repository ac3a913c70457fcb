"""Import benchmarks (not tests): big and hostile inputs, timed as whole processes.

    python -m bench.imports make                 # writes the inputs under artifacts/bench/
    python -m bench.imports records FILE         # read one records file, print the report
    python -m bench.imports offer FILE           # read one LHEO file (XML or zip)

Time them as whole processes (elapsed time and « Maximum resident set size »), a few runs each, e.g.::

    /usr/bin/time -v python -m bench.imports records artifacts/bench/records_1m.csv
    /usr/bin/time -v python -m bench.imports offer artifacts/bench/offre_100mo.xml
    /usr/bin/time -v python -m lib export white-zones --offer artifacts/bench/bombe.zip

Budgets (issue "Importers that never lie"): 1 000 000 records ≤ 10 s and ≤ 1,5 GB; a 100 MB
LHEO ≤ 20 s; an archive bomb refused ≤ 5 s and ≤ 300 MB.
"""
from __future__ import annotations

import sys
import zipfile

import pandas as pd

from lib.core.config import DEMO, ROOT

OUT = ROOT / "artifacts" / "bench"


def make() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    records = pd.read_parquet(DEMO / "records_demo_84.parquet")
    copies = []
    for copy in range(10):  # 1 090 890 records, distinct ids per copy
        part = records.copy()
        part["entry_id"] += f"-{copy}"
        part["person_id"] += f"-{copy}"
        copies.append(part)
    big = pd.concat(copies, ignore_index=True)
    big.to_csv(OUT / "records_1m.csv", index=False)
    big.to_parquet(OUT / "records_1m.parquet", index=False)
    # A French Excel export of the same records: ';', cp1252, dates dd/mm/yyyy.
    french = big.assign(entry_date=pd.to_datetime(big["entry_date"]).dt.strftime("%d/%m/%Y"))
    french.to_csv(OUT / "records_1m_excel.csv", index=False, sep=";", encoding="cp1252")
    xml = (DEMO / "offre_demo_84.xml").read_text(encoding="utf-8")
    head, body = xml.split("<offres>", 1)
    body, tail = body.rsplit("</offres>", 1)
    repeat = max(1, int(100e6 // len(body.encode())))
    (OUT / "offre_100mo.xml").write_text(head + "<offres>" + body * repeat + "</offres>" + tail, encoding="utf-8")
    with zipfile.ZipFile(OUT / "bombe.zip", "w", zipfile.ZIP_DEFLATED) as archive, archive.open("offre.xml", "w") as member:
        member.write(b"<?xml version='1.0'?><lheo xmlns='http://www.lheo.org/2.2'><offres>")
        chunk = b"<!-- " + b"x" * (1024**2 - 10) + b" -->"
        for _ in range(1200):  # 1,2 GB of XML in a few MB of zip
            member.write(chunk)
        member.write(b"</offres></lheo>")
    for path in sorted(OUT.iterdir()):
        print(f"{path.name:<24} {path.stat().st_size / 1e6:10.1f} Mo")


def main(argv: list[str]) -> int:
    if argv[:1] == ["make"]:
        make()
        return 0
    if len(argv) == 2 and argv[0] == "records":
        from lib.sources.records import read_records

        records, report = read_records(argv[1])
        print(report.full_text(), f"({len(records)} lignes en mémoire)")
        return 0
    if len(argv) == 2 and argv[0] == "offer":
        from lib.sources.lheo import read_lheo

        offer, report = read_lheo(argv[1])
        print(report.full_text(), f"({len(offer)} sessions × lieux)")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
