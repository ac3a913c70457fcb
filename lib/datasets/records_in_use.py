"""Reading the records in use: an imported or configured file (or several configured files read
together), else the region's demonstration files.

Several records files (a deployment folder holding one extraction per year) are read each with its own
observation date, then put together (:func:`read_records_files`): one report whose rejections, exclusions
and warnings name their file. An ``entry_id`` found in two files is handled so that no entry is dropped
or counted twice:

- same entry (same ``person_id`` and ``entry_date``): one entry seen by two extractions, kept once with
  the state of the file observed last (latest observation date, then the file listed first), counted;
- another entry under the same id (ids restarting in each extraction): both kept, the later files' ids
  qualified by their file name (« b.csv:123 »), counted and said.
"""
from __future__ import annotations

import pandas as pd

from lib.core.config import DEMO
from lib.core.errors import DataError, ImportReport
from lib.datasets import territory
from lib.sources import records as records_source
from lib.sources.denominators import read_denominators, restrict_denominators

SAME_ENTRY = "entrée(s) présente(s) dans deux fichiers, gardée(s) une fois (état du fichier observé le plus tard)"


def load_records(region: str, upload: bytes | None = None, filename: str | None = None,
                 den_upload: bytes | None = None, den_filename: str | None = None, as_of: pd.Timestamp | None = None,
                 mapping=None, more: list[tuple[bytes, str]] | None = None,
                 ) -> tuple[pd.DataFrame, ImportReport, pd.DataFrame | None, ImportReport | None, bool]:
    """``(records, report, denominators, denominators_report, is_demo)``, restricted to the region
    (rows of other departments are counted apart in the reports). ``more``: other records files read
    together with ``upload`` (:func:`read_records_files`).

    With uploaded records, denominators come from the upload only (never the demonstration
    ones, which would mix real and invented figures); without, access is not computed.
    """
    deps = territory.region(region).dep_codes
    if upload is not None:
        records, report = read_records_files([(upload, filename), *(more or [])], as_of=as_of, mapping=mapping)
        records = records_source.restrict_to_region(records, deps, report)
        if den_upload is not None:
            denominators, den_report = read_denominators(den_upload, den_filename)
            denominators = restrict_denominators(denominators, deps, den_report)
        else:
            denominators, den_report = None, None
        return records, report, denominators, den_report, False
    path = DEMO / f"records_demo_{region}.parquet"
    if not path.exists():
        raise DataError(f"Données de démonstration absentes pour la région {region} : "
                        f"python -m scripts.make_demo_records --region {region}")
    records, report = records_source.read_records(path)
    denominators, den_report = read_denominators(DEMO / f"denominators_demo_{region}.csv")
    return records, report, denominators, den_report, True


def read_records_files(files: list[tuple[bytes, str]], as_of: pd.Timestamp | None = None,
                       mapping=None) -> tuple[pd.DataFrame, ImportReport]:
    """One records file read by :func:`lib.sources.records.read_records`; several read each with its own
    observation date (``as_of`` when given) and put together (see the module's docstring)."""
    if len(files) == 1:
        return records_source.read_records(files[0][0], files[0][1], as_of=as_of, mapping=mapping)
    parts = [(name, *records_source.read_records(data, name, as_of=as_of, mapping=mapping)) for data, name in files]
    report = _combined_report(parts)
    observed = [(part[2].meta.get("as_of") or pd.Timestamp.min, -i) for i, part in enumerate(parts)]
    order = sorted(range(len(parts)), key=lambda i: observed[i], reverse=True)  # observed last first
    frames = [parts[i][1].assign(_file=i) for i in order]
    _align_categories(frames)
    combined = pd.concat(frames, ignore_index=True)
    first = combined.groupby("entry_id", sort=False)["_file"].transform("first")
    same = combined.groupby(["entry_id", "person_id", "entry_date"], sort=False, dropna=False)["_file"].transform("first")
    twice = combined["_file"].ne(same)  # the same entry in a file observed earlier
    report.exclude(SAME_ENTRY, int(twice.sum()))
    combined = combined[~twice].copy()
    other = combined["_file"].ne(first.loc[combined.index])  # the id is another file's entry
    if other.any():
        names = combined.loc[other, "_file"].map(lambda i: parts[i][0])
        combined.loc[other, "entry_id"] = names + ":" + combined.loc[other, "entry_id"].astype(str)
        report.warn(f"{int(other.sum())} identifiant(s) d'entrée déjà utilisé(s) par une autre entrée d'un autre fichier "
                    "(autre personne ou autre date d'entrée) : les deux entrées sont gardées, l'identifiant qualifié par "
                    "le nom du fichier (« fichier:identifiant »)")
    combined["person_key"] = pd.factorize(combined["person_id"])[0].astype("int64")
    report.rows_kept = len(combined)
    return combined.drop(columns="_file").reset_index(drop=True), report


def _align_categories(frames: list[pd.DataFrame]) -> None:
    """The same categories for a coded column in every file (else the concatenation loses the codes)."""
    for column in frames[0].columns:
        if not any(isinstance(f[column].dtype, pd.CategoricalDtype) for f in frames if column in f):
            continue
        categories: list = []
        for frame in frames:
            values = frame[column].cat.categories if isinstance(frame[column].dtype, pd.CategoricalDtype) \
                else frame[column].dropna().unique()
            categories += [c for c in values if c not in categories]
        for frame in frames:
            frame[column] = frame[column].astype(pd.CategoricalDtype(categories))


def _combined_report(parts: list[tuple[str, pd.DataFrame, ImportReport]]) -> ImportReport:
    """The reports of several files as one, each reason and warning naming its file."""
    names = [name for name, _, _ in parts]
    report = ImportReport(source=f"Entrées en formation ({' + '.join(names)})")
    for name, _, one in parts:
        report.rows_read += one.rows_read
        for reason, count in one.rejected.items():
            report.reject(f"{reason} (« {name} »)", count, one.lines.get(reason))
        for reason, count in one.excluded.items():
            report.exclude(f"{reason} (« {name} »)", count)
        for warning in one.warnings:
            report.warn(f"« {name} » : {warning}")
        report.notes += [f"« {name} » : {note}" for note in one.notes]  # its observation date among them
    latest = max((one.meta["as_of"] for _, _, one in parts if one.meta.get("as_of") is not None), default=None)
    report.meta = {**parts[-1][2].meta, "as_of": latest, "files": names}
    report.notes.insert(0, f"{len(parts)} fichiers d'entrées lus ensemble : {', '.join(f'« {n} »' for n in names)} ; "
                           "chaque entrée suivie à la date d'observation de son fichier (date affichée : la plus récente).")
    return report
