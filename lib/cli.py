"""Command line for analysts and checks: ``python -m lib export <table> [options]``.

Each table the dashboard shows can be printed as CSV (UTF-8, comma) on stdout.
Errors are printed in French on stderr with exit code 2, never as a traceback.
"""
from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lib import territory
from lib.config import RAW, region_code
from lib.errors import DataError

EXPORTS: dict[str, Callable[[argparse.Namespace], pd.DataFrame]] = {}


def export(name: str):
    """Register a table builder for ``python -m lib export <name>``."""
    def register(builder: Callable[[argparse.Namespace], pd.DataFrame]):
        EXPORTS[name] = builder
        return builder
    return register


@export("unemployment")
def _unemployment(args: argparse.Namespace) -> pd.DataFrame:
    region = territory.region(args.region)
    from lib.indicators import unemployment
    from lib.sources.chomage import read_unemployment

    source = args.input or RAW / "chomage_localise_insee" / "sl_etc_2025T3.xls"
    tidy, report = read_unemployment(source)
    print(report.summary(), file=sys.stderr)
    return unemployment.for_region(tidy, region)


@export("coverage")
def _coverage(args: argparse.Namespace) -> pd.DataFrame:
    from lib.indicators import coverage

    region = territory.region(args.region)
    territories = coverage.build(region)
    print(territories.match_report, file=sys.stderr)
    return coverage.department_coverage(region, territories)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib", description="Tableaux du tableau de bord PRIC en CSV.")
    commands = parser.add_subparsers(dest="command", required=True)
    exp = commands.add_parser("export", help="imprime un tableau en CSV sur la sortie standard")
    exp.add_argument("table", choices=sorted(EXPORTS) or None)
    exp.add_argument("--region", default=None, help="code Insee de la région (défaut : PRIC_REGION ou 84)")
    exp.add_argument("--input", type=Path, help="fichier source à utiliser à la place du fichier fourni")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.region = (args.region or region_code()).zfill(2)
    try:
        table = EXPORTS[args.table](args)
    except DataError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    try:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
    return 0
