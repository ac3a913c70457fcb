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
    territories = coverage.build(region, args.qpv_list)
    chosen = territories.qpv_list
    print(f"QPV : {chosen.short}, population des quartiers RP {chosen.census} ; population des communes : "
          f"{coverage.POPULATION_LABEL}. {territories.match_report}", file=sys.stderr)
    return coverage.department_coverage(region, territories)


@export("white-zones")
def _white_zones(args: argparse.Namespace) -> pd.DataFrame:
    from lib import geometry
    from lib.indicators import offer, white_zones

    region = territory.region(args.region)
    if args.offer and not args.offer.exists():
        raise DataError(f"Fichier introuvable : {args.offer}.")
    upload = args.offer.read_bytes() if args.offer else None
    sessions, report, located, is_demo = offer.load_offer(region.code, upload, args.offer.name if args.offer else None)
    print(report.summary() + (" (offre de démonstration)" if is_demo else ""), file=sys.stderr)
    nsf = tuple(c.strip() for c in (args.nsf or "").split(",") if c.strip())
    chosen = white_zones.OfferFilter(nsf, args.certifying, None).apply(sessions)
    communes = geometry.communes(region.code)[["code", "name", "dep", "population", "lon", "lat"]]
    table = white_zones.nearest_sessions(communes, chosen, args.threshold_km)
    table["white"] = table["white"].map({True: "true", False: "false"})
    return table


@export("rates")
def _rates(args: argparse.Namespace) -> pd.DataFrame:
    from lib.indicators.rates import BY_KEYS, compute_rates
    from lib.sources.records import read_denominators, read_records

    if not args.records:
        raise DataError("--records FICHIER est obligatoire pour la table rates.")
    by = [k.strip() for k in (args.by or "").split(",") if k.strip()]
    unknown = [k for k in by if k not in BY_KEYS]
    if unknown:
        raise DataError(f"--by : clé(s) inconnue(s) : {', '.join(unknown)} (possibles : {', '.join(BY_KEYS)}).")
    for path in filter(None, [args.records, args.denominators]):
        if not path.exists():
            raise DataError(f"Fichier introuvable : {path}.")
    records, report = read_records(args.records.read_bytes(), args.records.name)
    print(report.summary() + (" " + " ".join(report.notes) if report.notes else ""), file=sys.stderr)
    denominators = None
    if args.denominators:
        denominators, den_report = read_denominators(args.denominators.read_bytes(), args.denominators.name)
        print(den_report.summary(), file=sys.stderr)
    table = compute_rates(records, denominators, by=by, year=args.year)
    return table[[k for k in BY_KEYS if k in by] + ["indicator", "numerator", "denominator", "rate", "ci_low", "ci_high", "status"]]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m lib", description="Tableaux du tableau de bord PRIC en CSV.")
    commands = parser.add_subparsers(dest="command", required=True)
    exp = commands.add_parser("export", help="imprime un tableau en CSV sur la sortie standard")
    exp.add_argument("table", choices=sorted(EXPORTS) or None)
    exp.add_argument("--region", default=None, help="code Insee de la région (défaut : PRIC_REGION ou 84)")
    exp.add_argument("--qpv-list", choices=["2024", "2015"], default="2024",
                     help="coverage : liste des QPV, 2024 (en vigueur, population RP 2020) ou 2015 (période du Pacte, RP 2018)")
    exp.add_argument("--input", type=Path, help="fichier source à utiliser à la place du fichier fourni")
    exp.add_argument("--offer", type=Path, help="white-zones : export LHEO (XML ou zip) au lieu de l'offre de démonstration")
    exp.add_argument("--threshold-km", type=float, default=30.0, help="white-zones : seuil en km (défaut 30)")
    exp.add_argument("--nsf", help="white-zones : codes ou groupes NSF séparés par des virgules (ex. 331,33)")
    exp.add_argument("--certifying", action="store_true", help="white-zones : sessions certifiantes seulement")
    exp.add_argument("--records", type=Path, help="rates : entrées en formation (CSV, XLSX ou parquet)")
    exp.add_argument("--denominators", type=Path, help="rates : dénominateurs de l'accès (CSV)")
    exp.add_argument("--by", help="rates : clés séparées par des virgules parmi year, dep, public, pathway_type, axis")
    exp.add_argument("--year", type=int, help="rates : année d'entrée")
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
