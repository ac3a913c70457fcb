"""Command line for analysts and checks: ``python -m lib export <table> [options]``.

Each table the dashboard shows can be printed as CSV (UTF-8, comma) on stdout.
Errors are printed in French on stderr with exit code 2, never as a traceback.
"""
from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from lib.core.config import region_code
from lib.core.errors import DataError
from lib.datasets import territory, workspace

EXPORTS: dict[str, Callable[[argparse.Namespace], pd.DataFrame]] = {}


def export(name: str):
    """Register a table builder for ``python -m lib export <name>``."""
    def register(builder: Callable[[argparse.Namespace], pd.DataFrame]):
        EXPORTS[name] = builder
        return builder
    return register


@export("unemployment")
def _unemployment(args: argparse.Namespace) -> pd.DataFrame:
    """The region's series, from the same views as the page Chômage localisé."""
    from lib.views import chomage, common

    ds = _datasets(args, unemployment=args.input)
    report = chomage.unemployment_report(ds)  # the region's missing departments named, as on the page
    _say(report.full_text())  # with the region's missing series said (the same sentence as the CSV's last column)
    return chomage.with_note(common.region_unemployment(ds), chomage.region_series_note(ds))


@export("coverage")
def _coverage(args: argparse.Namespace) -> pd.DataFrame:
    """Coverage per department, from the same views as the page Territoires prioritaires."""
    from lib.indicators import coverage
    from lib.views import common

    ds = _datasets(args)
    territories = common.territories(ds, args.qpv_list)
    chosen = territories.qpv_list
    print(f"QPV : {chosen.short}, population des quartiers RP {chosen.census} ; population des communes : "
          f"{coverage.POPULATION_LABEL}. {territories.match_report}", file=sys.stderr)
    return common.coverage_table(ds, args.qpv_list)


@export("white-zones")
def _white_zones(args: argparse.Namespace) -> pd.DataFrame:
    """Distances per commune, from the same views as the page Zones blanches de formation."""
    from lib.indicators import offer, white_zones
    from lib.views import common

    ds = _datasets(args, offer=args.offer)
    sessions, report, _, is_demo = ds.offer()
    _say(report.full_text() + (" (offre de démonstration)" if is_demo else ""))
    period = white_zones.cli_period(args.date_from, args.date_to)  # the page's default period when not given
    nsf = tuple(c.strip() for c in (args.nsf or "").split(",") if c.strip())
    offer_filter = white_zones.OfferFilter(nsf, args.certifying, period)
    _say(offer.period_note(offer_filter.period_counts(sessions), period) + " Autre période : --from AAAA-MM --to AAAA-MM.")
    if offer_filter.apply(sessions).empty:
        _say("Attention : " + offer.NO_SESSION_TEXT[0].lower() + offer.NO_SESSION_TEXT[1:])
    outside = white_zones.outside_region_text(sessions, ds.region.name)
    if outside:
        _say("Attention : " + outside)
    table = common.white_zones(ds, nsf, args.certifying, period, args.threshold_km).copy()
    table["white"] = table["white"].map({True: "true", False: "false"})
    return table


@export("where-to-act")
def _where_to_act(args: argparse.Namespace) -> pd.DataFrame:
    """Where to open ``--k`` sites (maximal covering location, spopt + CBC), on the white-zones offer and filters."""
    import time

    from lib.core.fmt import fr_int, fr_num
    from lib.datasets import geometry, offer_in_use
    from lib.indicators import offer, white_zones
    from lib.indicators import where_to_act as wta

    if args.k is None:
        raise DataError(f"--k : nombre de sites à proposer attendu (1 à {wta.K_MAX}).")
    started = time.perf_counter()
    region = territory.region(args.region)
    chosen = _chosen("offer", args.offer, region.code)
    upload = None if chosen.is_demo else _read(chosen.path)
    sessions, report, _, is_demo = offer_in_use.load_offer(region.code, upload, chosen.name)
    _say(report.full_text() + (" (offre de démonstration)" if is_demo else ""))
    outside = white_zones.outside_region_text(sessions, region.name)
    if outside:  # every commune white for want of this region's offer: no site proposed as if normal
        raise DataError(outside.replace("Importez", "Aucun site proposé. Importez"))
    period = white_zones.cli_period(args.date_from, args.date_to)  # as white-zones: the page's default period
    nsf = tuple(c.strip() for c in (args.nsf or "").split(",") if c.strip())
    offer_filter = white_zones.OfferFilter(nsf, args.certifying, period)
    _say(offer.period_note(offer_filter.period_counts(sessions), period) + " Autre période : --from AAAA-MM --to AAAA-MM.")
    sessions = offer_filter.apply(sessions)
    if sessions.empty:
        _say("Attention : " + offer.NO_SESSION_TEXT[0].lower() + offer.NO_SESSION_TEXT[1:])
    communes = geometry.communes(region.code)[["code", "name", "dep", "population", "lon", "lat"]].reset_index(drop=True)
    white = white_zones.nearest_sessions(communes, sessions, args.threshold_km)["white"].to_numpy()
    weight, how = wta.weights_for(args.weight, communes, *_where_to_act_weights(args, region))
    site_dep = "" if args.dep is None else args.dep.strip().upper().zfill(2)  # « sites dans le département »
    if site_dep and site_dep not in territory.region(args.region).dep_codes:
        raise DataError(f"--dep : {site_dep} n'est pas un département de la région {args.region}.")
    problem = wta.build(communes, white, weight, args.threshold_km, args.min_population or 0, site_dep)
    no_site = wta.candidates_text(problem)
    if no_site:
        raise DataError(("--min-population : " if "habitants (la plus" in no_site else "") + no_site)
    solution = wta.solve(problem, args.k)
    table = wta.ranking(problem, solution.sites)
    _say(f"Pondération : {how} ; en zone blanche (plus de {fr_num(args.threshold_km, 0)} km) : "
         f"{fr_int(problem.white_weight)}.")
    _say(f"Solveur : {wta.SOLVER} ; solution {solution.status} ; {solution.candidates} site(s) candidat(s) et "
         f"{solution.demand_points} point(s) de demande dans le modèle ; résolu en {fr_num(solution.seconds)} s "
         f"(total {fr_num(time.perf_counter() - started)} s). Distances à vol d'oiseau, pas en temps de trajet.")
    if len(table) < args.k:
        _say(f"{len(table)} site(s) suffisent à couvrir tout ce qui peut l'être au seuil choisi.")
    if is_demo:
        _say("Attention : offre de démonstration (données fictives), ne pas citer.")
    return table.assign(donnees="démonstration" if is_demo else "réelles")


def _where_to_act_weights(args: argparse.Namespace, region) -> tuple:
    """(territories, job seekers per department) for the weight asked, else ``(None, None)``."""
    if args.weight in ("qpv", "frr"):
        from lib.indicators import coverage

        return coverage.build(region).communes, None
    if args.weight == "job_seekers":
        from lib.indicators import where_to_act as wta
        from lib.sources.denominators import read_denominators, restrict_denominators

        den_file = _chosen("denominators", args.denominators, region.code) if args.denominators else \
            workspace.configured("denominators", workspace.current_scan())
        if den_file is None or den_file.is_demo:
            raise DataError("--weight job_seekers : aucun fichier de dénominateurs (--denominators FICHIER) ; "
                            "les dénominateurs de démonstration ne servent pas ici.")
        denominators, den_report = read_denominators(_read(den_file.path), den_file.name)
        denominators = restrict_denominators(denominators, region.dep_codes, den_report)
        _say(den_report.full_text())
        return None, wta.job_seekers_by_department(denominators)
    return None, None


@export("objectives")
def _objectives(args: argparse.Namespace) -> pd.DataFrame:
    """Each objective computed: realised, interval, expected today, progress and status (page Objectifs du pacte)."""
    from lib.views import objectifs

    ds = _datasets(args, True, objectives=args.objectives, records=args.records, denominators=args.denominators,
                   offer=args.offer)
    status = objectifs.objectives_status(ds, args.as_of)
    report = status["report"]
    _say(report.full_text())
    for line in status["set_aside"]:
        _say(f"Objectif écarté — {line}.")
    _say(f"Objectifs : {status['source']} ; valeurs attendues au {status['as_of']:%d/%m/%Y} (--as-of AAAA-MM-JJ).")
    demo = objectifs.demo_sentence(status)
    if demo:
        _say("Attention : " + demo)
    table = status["table"]
    for row in table[table["status"].eq("non_calculable")].itertuples():
        _say(f"{row.objective_id} non calculable : {row.reason.rstrip('.')}.")
    return objectifs.export_table(status)


@export("deck")
def _deck(args: argparse.Namespace) -> None:
    """Diaporama CREFOP (PowerPoint) of a department or of the region, written to ``--out`` (nothing on stdout)."""
    from lib.views import deck

    if (args.dep is None) == (not args.region_wide):
        raise DataError("deck : --dep CODE (un département) ou --region-wide (toute la région) est attendu, pas les deux.")
    if args.out is None or args.out.suffix.lower() != ".pptx":
        raise DataError("deck : --out FICHIER.pptx est attendu (le diaporama est écrit dans ce fichier).")
    ds = _datasets(args, True, unemployment=args.input, objectives=args.objectives, records=args.records,
                   denominators=args.denominators, offer=args.offer)
    if args.quarter is not None and not re.fullmatch(r"\d{4}-T[1-4]", args.quarter):
        raise DataError(f"--quarter : trimestre attendu au format AAAA-Tn, pas « {args.quarter} ».")
    if args.template is not None and not args.template.is_file():
        raise DataError(f"--template : fichier introuvable « {args.template} ».")
    chosen = args.template or (ds.scan.template if ds.scan is not None else None)  # else the folder's template, if any
    template = None if chosen is None else chosen.read_bytes()
    name = chosen.name if chosen else "modèle"
    if chosen is not None and args.template is None:
        _say(f"Modèle PowerPoint du dossier {workspace.SETTING} : « {chosen.name} ».")
    dep = None if args.dep is None else args.dep.strip().upper().zfill(2)
    content = (deck.department_deck(ds, dep, args.quarter, template, name) if dep else
               deck.region_deck(ds, args.quarter, template, name))
    demo = [what for what, there in (("offre de formation", ds.offer()[3]), ("entrées en formation", ds.records()[4]))
            if there]
    if demo:
        _say(f"Attention : données de démonstration ({', '.join(demo)}) — dites-le en présentant (c'est écrit sur les "
             "diapositives concernées et dans leurs notes).")
    args.out.write_bytes(content)
    _say(f"Diaporama écrit : {args.out} ({len(content) // 1024} Ko).")
    return None


@export("rates")
def _rates(args: argparse.Namespace) -> pd.DataFrame:
    from lib.core.fmt import fr_int
    from lib.datasets.records_in_use import read_records_files
    from lib.indicators.rates import BY_KEYS, access_gaps, compute_rates, incoherent_cells, unknown_cells
    from lib.sources.denominators import read_denominators, restrict_denominators
    from lib.sources.records import records_mapping, restrict_to_region

    by = [k.strip() for k in (args.by or "").split(",") if k.strip()]
    unknown = [k for k in by if k not in BY_KEYS]
    if unknown:
        raise DataError(f"--by : clé(s) inconnue(s) : {', '.join(unknown)} (possibles : {', '.join(BY_KEYS)}).")
    region = territory.region(args.region)
    mapping = records_mapping(args.mapping) if args.mapping else None
    chosen = _chosen("records", args.records, region.code)
    records, report = read_records_files([(_read(path), path.name) for path in chosen.paths], as_of=args.as_of,
                                         mapping=mapping)  # several configured files: read together
    records = restrict_to_region(records, region.dep_codes, report)
    _say(report.full_text())
    if args.year is not None and not records["year"].eq(args.year).any():  # an empty table is no answer: say why
        years = ", ".join(str(int(y)) for y in sorted(records["year"].dropna().unique())) or "aucune"
        _say(f"Aucune entrée en {args.year} dans « {chosen.name} » : le tableau est vide. "
             f"Années présentes : {years} (--year AAAA).")
    denominators = None
    # Never demonstration denominators beside real records: without a file, access is not computed.
    den_file = _chosen("denominators", args.denominators, region.code) if args.denominators or chosen.is_demo else \
        workspace.configured("denominators", workspace.current_scan())
    if den_file is not None:
        denominators, den_report = read_denominators(_read(den_file.path), den_file.name)
        denominators = restrict_denominators(denominators, region.dep_codes, den_report)
        _say(den_report.full_text())
        for message in access_gaps(records if args.year is None else records[records["year"].eq(args.year)], denominators):
            _say(message)
    table = compute_rates(records, denominators, by=by, year=args.year)
    scope = records if args.year is None else records[records["year"].eq(args.year)]
    if table.empty and len(scope) and scope["outcome"].astype(str).eq("en_cours").all():  # the page says it too
        _say(f"{fr_int(len(scope))} entrée(s), toutes encore en cours : aucune sortie, donc aucun taux (abandon, "
             "certification, emploi) à calculer pour l'instant ; le tableau est vide.")
    for message in incoherent_cells(table) + unknown_cells(table):
        _say(message)
    return table[[k for k in BY_KEYS if k in by] + ["indicator", "numerator", "denominator", "rate", "ci_low", "ci_high", "status"]]


@export("compare")
def _compare(args: argparse.Namespace) -> pd.DataFrame:
    """Every department or region of France, from the same views as the page Comparer."""
    from lib.indicators import compare
    from lib.indicators.coverage import qpv_list
    from lib.views import comparer

    if args.level is None:
        raise DataError("compare : --level departement ou --level region est attendu.")
    ds = _datasets(args, unemployment=args.input)
    tidy, report = ds.unemployment()
    _say(report.full_text())
    quarter = compare.check_quarter(tidy, args.quarter)
    listed = qpv_list(args.qpv_list)
    table = comparer.compare_table(ds, quarter, listed.key)
    rows = compare.level_rows(table, args.level)[compare.COLUMNS]
    absent = rows.loc[rows["unemployment_rate"].isna(), "code"].tolist()
    _say(f"Trimestre {quarter} ; QPV : {listed.short}, population RP {listed.census} ; population : population "
         f"légale 2023 (COG 2026) ; {compare.FRANCE_CODE} = {compare.FRANCE_NAME}. Taux de chômage non disponible "
         f"dans le fichier pour : {', '.join(absent) or 'aucun'} (jamais une moyenne calculée).")
    return rows


def _datasets(args: argparse.Namespace, records_read: bool = False, **given: Path | None):
    """The datasets in use for the command: the files given on the command line (as a page's imports),
    else the configured folder's (PRIC_DATA_DIR), else the bundled ones — each origin said on stderr.
    ``records_read``: given records are read at ``--as-of`` with ``--mapping``, as the page Données reads them."""
    from lib.datasets.in_use import Datasets
    from lib.sources.records import records_mapping

    files = {kind: (_read(path), path.name) for kind, path in given.items() if path is not None}
    scan = workspace.current_scan()
    _say_scan(scan)
    if records_read:
        mapping = records_mapping(args.mapping) if args.mapping else None
        ds = Datasets(args.region, scan, files, args.as_of if args.records else None, mapping)
    else:
        ds = Datasets(args.region, scan, files)
    for kind in given:
        if kind not in files:
            _say_origin(ds.default_file(kind))
    return ds


def _say_scan(scan: workspace.FolderScan | None) -> None:
    """The configured folder's error, and every file it holds that is passed over (with why) or read with others."""
    if scan is None:
        return
    if scan.error:
        _say(scan.error)
    for line in scan.lines():
        if line.startswith("Fichier non utilisé") or any(f"{workspace.KIND_LABELS[k]} :" in line for k in scan.why):
            _say(f"{workspace.SETTING} — {line}")


def _say_origin(chosen: workspace.FileInUse) -> None:
    origin = {"configure": f"fichier configuré ({workspace.SETTING})", "fourni": "fichier fourni avec le tableau de bord",
              "demo": "données de démonstration fournies"}[chosen.status]
    _say(f"{workspace.KIND_LABELS[chosen.kind]} : {origin} « {chosen.name} ».")


def _chosen(kind: str, given: Path | None, region: str) -> workspace.FileInUse:
    """The file given on the command line, else the configured one (PRIC_DATA_DIR), else the bundled
    one — said on stderr unless given."""
    if given is not None:
        return workspace.FileInUse(kind, "importe", given.name, str(given), given)
    scan = workspace.current_scan()
    _say_scan(scan)
    chosen = workspace.default_file(kind, region, scan)
    _say_origin(chosen)
    return chosen


def _read(path: Path) -> bytes:
    from lib.sources.opener import open_bytes

    return open_bytes(path, path.name)


def _say(message: str) -> None:
    print(message, file=sys.stderr)


def _threshold(text: str) -> float:
    try:
        value = float(text.replace(",", "."))
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre attendu, pas « {text} »") from None
    if not 1 <= value <= 200:
        raise argparse.ArgumentTypeError(f"seuil hors de l'intervalle 1 à 200 km : {text}")
    return value


def _sites(text: str) -> int:
    if not re.fullmatch(r"\d{1,3}", text.strip()) or not 1 <= int(text) <= 20:
        raise argparse.ArgumentTypeError(f"nombre de sites entier de 1 à 20 attendu, pas « {text} »")
    return int(text)


def _count(text: str) -> int:
    if not re.fullmatch(r"\d{1,9}", text.strip()):
        raise argparse.ArgumentTypeError(f"nombre entier positif attendu, pas « {text} »")
    return int(text)


def _month(text: str) -> str:
    if not re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", text.strip()):
        raise argparse.ArgumentTypeError(f"mois attendu au format AAAA-MM, pas « {text} »")
    return text.strip()


def _date(text: str) -> pd.Timestamp:
    stamp = pd.to_datetime(text.strip(), format="%Y-%m-%d", errors="coerce")
    if pd.isna(stamp):
        raise argparse.ArgumentTypeError(f"date attendue au format AAAA-MM-JJ, pas « {text} »")
    return stamp


def _year(text: str) -> int:
    if not re.fullmatch(r"\d{4}", text.strip()):
        raise argparse.ArgumentTypeError(f"année attendue (AAAA), pas « {text} »")
    return int(text)


def build_parser() -> argparse.ArgumentParser:
    french_argparse()
    parser = argparse.ArgumentParser(prog="python -m lib", description="Tableaux du tableau de bord PRIC en CSV.")
    commands = parser.add_subparsers(dest="commande", required=True, metavar="export")
    exp = commands.add_parser("export", help="imprime un tableau en CSV sur la sortie standard")
    exp.add_argument("table", choices=sorted(EXPORTS) or None, metavar="TABLE", help=", ".join(sorted(EXPORTS)))
    exp.add_argument("--region", default=None, metavar="CODE", help="code Insee de la région (défaut : PRIC_REGION ou 84)")
    exp.add_argument("--qpv-list", choices=["2024", "2015"], default="2024", metavar="2024|2015",
                     help="coverage : liste des QPV, 2024 (en vigueur, population RP 2020) ou 2015 (période du Pacte, RP 2018)")
    exp.add_argument("--input", type=Path, metavar="FICHIER", help="fichier source à utiliser à la place du fichier fourni")
    exp.add_argument("--offer", type=Path, metavar="FICHIER", help="white-zones : export LHEO (XML ou zip) au lieu de l'offre de démonstration")
    exp.add_argument("--threshold-km", type=_threshold, metavar="KM", default=30.0, help="white-zones : seuil en km, 1 à 200 (défaut 30)")
    exp.add_argument("--from", dest="date_from", type=_month, metavar="AAAA-MM", help="white-zones : sessions actives à partir de AAAA-MM "
                     "(défaut : le mois en cours)")
    exp.add_argument("--to", dest="date_to", type=_month, metavar="AAAA-MM", help="white-zones : sessions actives jusqu'à AAAA-MM (défaut : sans fin)")
    exp.add_argument("--nsf", metavar="CODES", help="white-zones : codes ou groupes NSF séparés par des virgules (ex. 331,33)")
    exp.add_argument("--certifying", action="store_true", help="white-zones : sessions certifiantes seulement")
    exp.add_argument("--objectives", type=Path, metavar="FICHIER", help="objectives : fichier des objectifs du pacte "
                     "(CSV, XLSX, ODS ; défaut : le pacte de la région, sinon la cible nationale de 15 %% QPV)")
    exp.add_argument("--records", type=Path, metavar="FICHIER", help="rates : entrées en formation (CSV, XLSX, XLS ou parquet)")
    exp.add_argument("--denominators", type=Path, metavar="FICHIER", help="rates : dénominateurs de l'accès (CSV, XLSX ou parquet)")
    exp.add_argument("--as-of", dest="as_of", type=_date, metavar="AAAA-MM-JJ", help="rates : date d'observation (extraction) AAAA-MM-JJ ; "
                     "défaut : la dernière date plausible du fichier")
    exp.add_argument("--mapping", type=Path, metavar="FICHIER", help="rates : profil d'association des colonnes et "
                     "des codes (JSON, page Données)")
    exp.add_argument("--by", metavar="CLES", help="rates : clés séparées par des virgules parmi year, dep, public, pathway_type, axis")
    exp.add_argument("--year", type=_year, metavar="AAAA", help="rates : année d'entrée")
    exp.add_argument("--k", type=_sites, metavar="K", help="where-to-act : nombre de sites de formation à proposer, 1 à 20")
    exp.add_argument("--min-population", dest="min_population", type=_count, metavar="N", default=0,
                     help="where-to-act : sites candidats parmi les communes d'au moins N habitants (défaut 0)")
    exp.add_argument("--weight", choices=["population", "qpv", "frr", "job_seekers"], default="population",
                     metavar="population|qpv|frr|job_seekers", help="where-to-act : pondération de la demande (défaut "
                     "population ; job_seekers demande --denominators)")
    exp.add_argument("--level", choices=["departement", "region"], metavar="departement|region",
                     help="compare : une ligne par département ou par région de France, puis la France")
    exp.add_argument("--quarter", metavar="AAAA-Tn", help="compare, deck : trimestre du taux de chômage (défaut : le dernier)")
    exp.add_argument("--dep", metavar="CODE", help="deck : diaporama CREFOP de ce département de la région ; where-to-act : sites cherchés dans ce "
                     "département (ce qu'ils apportent compté dans toute la région)")
    exp.add_argument("--region-wide", dest="region_wide", action="store_true", help="deck : diaporama CREFOP de toute la région")
    exp.add_argument("--out", type=Path, metavar="FICHIER.pptx", help="deck : fichier PowerPoint à écrire (rien sur la sortie standard)")
    exp.add_argument("--template", type=Path, metavar="FICHIER.pptx", help="deck : modèle PowerPoint de la préfecture "
                     "(ses masques et dispositions ; défaut : mise en page sobre intégrée)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    args.region = (args.region or region_code()).zfill(2)
    try:
        table = EXPORTS[args.table](args)
    except DataError as err:
        print(f"Erreur : {err}", file=sys.stderr)
        return 2
    except MemoryError:
        print("Erreur : mémoire insuffisante pour lire ce fichier ; découpez-le.", file=sys.stderr)
        return 2
    except Exception as err:  # a bug must still reach the user in French, without a traceback
        print(f"Erreur inattendue ({type(err).__name__}) : le fichier n'a pas pu être traité. "
              "Signalez-la avec le fichier et la commande.", file=sys.stderr)
        return 3
    if table is None:  # deck: written to --out, nothing on stdout
        return 0
    try:
        table.to_csv(sys.stdout, index=False, lineterminator="\n")
    except BrokenPipeError:  # e.g. piped into `head`
        sys.stderr.close()
    return 0


ARGPARSE_FRENCH = {
    "usage: ": "usage : ",
    "options": "options",
    "positional arguments": "arguments",
    "show this help message and exit": "affiche cette aide et quitte",
    "unrecognized arguments: %s": "argument(s) non reconnu(s) : %s",
    "the following arguments are required: %s": "argument(s) obligatoire(s) manquant(s) : %s",
    "expected one argument": "une valeur est attendue",
    "invalid choice: %(value)r (choose from %(choices)s)": "choix invalide : %(value)r (possibles : %(choices)s)",
    "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
    "invalid %(type)s value: %(value)r": "valeur invalide : %(value)r",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "ambiguous option: %(option)s could match %(matches)s": "option ambiguë : %(option)s peut désigner %(matches)s",
    "not allowed with argument %s": "incompatible avec l'argument %s",
    "ignored explicit argument %r": "valeur ignorée : %r",
}


def french_argparse() -> None:
    """argparse looks its messages up through ``argparse._`` (gettext): answer in French."""
    argparse._ = lambda message: ARGPARSE_FRENCH.get(message, message)
