"""Rows that a column the reader does not use splits in parts: understood, or asked about — never dropped.

A table of counts keyed by (year, department, public) often holds several rows per key, told apart by a
column the reader has no field for. Keeping the first row of each key (« ligne en double ») would give a
wrong figure shown as fine, so every such column is classified (issue 26):

- a **period** (quarter ``T1``, ``2021-T3``, ``1er trimestre``; month ``2021-03``, ``03/2021``, ``mars``;
  a date; or a header saying trimestre, mois, période): the count is a stock observed at each period, and
  the year's figure is the **average** of its periods (as Dares and France Travail give a year's job
  seekers as the average of quarterly stocks), rounded to a whole person; keys with fewer periods than
  others are said;
- a **breakdown** (sex ``F``/``M``/Femmes/Hommes, an age band; or a header saying sexe, genre, tranche,
  âge): parts of one whole, **added up**; where a key has an « Ensemble » / « Total » row, that row is
  the whole and its parts are set aside (counted);
- **anything else** that takes several values within one key (a second public, a source…), once the
  periods and breakdowns are taken into account, is asked about: the file is refused with the column,
  its values and the way out (a comment that differs between a key's quarter rows splits nothing more).

Rows of one key left after that are identical (read once, « ligne en double » with their lines) or
contradict each other (every one set aside with its lines: no row is chosen over another).
"""
from __future__ import annotations

import re

import numpy as np
import pandas as pd

from lib.core.errors import DataError, ImportReport
from lib.core.fmt import fr_int
from lib.core.text import normalise

PERIOD_WORDS = {"trimestre", "trim", "trimestriel", "quarter", "mois", "month", "periode", "semestre"}
BREAKDOWN_WORDS = {"sexe", "sex", "genre", "tranche", "tranches", "age", "ages", "classe"}
TOTAL_WORDS = {"ensemble", "total", "tous", "toutes", "tout", "total general", "tous ages", "tous sexes",
               "annee", "annuel", "annuelle", "moyenne annuelle", "moyenne", "year"}
MONTHS = {"janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre",
          "novembre", "decembre", "janv", "fevr", "avr", "juil", "sept", "oct", "nov", "dec"}
PERIOD_VALUE = re.compile(
    r"^(t[1-4]|[1-4]t|q[1-4]|[1-4](er|e|eme)? trimestre|trimestre [1-4]|s[12]|"
    r"\d{4} (t|q)[1-4]|(t|q)[1-4] \d{4}|\d{4} \d{1,2}|\d{1,2} \d{4}|\d{4} \d{2} \d{2}|\d{1,2} \d{1,2} \d{4}|"
    r"\d{6})$")
SEX_VALUES = {"f", "m", "h", "femme", "femmes", "homme", "hommes", "feminin", "masculin"}
AGE_VALUE = re.compile(r"(\bans?\b|^\d{1,2} \d{1,2}$|^moins de|^plus de|\bet plus\b)")


def kind_of(header: str, values: pd.Series) -> str:
    """``period`` | ``breakdown`` | ``unknown``: what a column splitting one key's rows means."""
    words = set(normalise(header).split())
    texts = [normalise(v) for v in values.unique() if str(v).strip()]
    texts = [t for t in texts if t not in TOTAL_WORDS]
    if words & PERIOD_WORDS or (texts and all(PERIOD_VALUE.match(t) or t in MONTHS for t in texts)):
        return "period"
    if words & BREAKDOWN_WORDS or (texts and (all(t in SEX_VALUES for t in texts) or all(AGE_VALUE.search(t)
                                                                                          for t in texts))):
        return "breakdown"
    return "unknown"


def collapse_parts(frame: pd.DataFrame, others: pd.DataFrame | None, key: list[str], value: str,
                   report: ImportReport, filename: str, same_key: str, key_label: str) -> pd.DataFrame:
    """One row per ``key``: the columns of ``others`` that split a key's rows are understood (periods
    averaged, breakdowns added up) or the file is refused; ``frame`` has ``key``, ``value`` and ``line``.
    Returns the rows kept and reports what was merged and what was set aside."""
    others = pd.DataFrame(index=frame.index) if others is None else others.loc[frame.index]
    kinds = {c: kind_of(c, others[c]) for c in _varying(frame[key], others)}
    known = [c for c, kind in kinds.items() if kind != "unknown"]
    # A column the known parts already explain (a comment per quarter row) splits nothing more: ignored.
    unknown = _varying(pd.concat([frame[key], others[known]], axis=1), others.drop(columns=known))
    if unknown:
        column = unknown[0]
        shown = ", ".join(f"« {v} »" for v in list(dict.fromkeys(others[column]))[:6])
        raise DataError(
            f"« {filename} » : la colonne « {column} » distingue plusieurs lignes d'{same_key} (valeurs : {shown}) et le "
            "tableau de bord ne sait pas s'il faut les additionner, en faire la moyenne ou en choisir une. Gardez une "
            f"ligne par ({key_label}) "
            "(ou filtrez le fichier sur la valeur voulue de cette colonne), puis importez-le de nouveau.")
    parts = frame.assign(**{f"_part_{c}": others[c].str.strip() for c in known})
    columns = {c: f"_part_{c}" for c in known}
    for column in sorted(known, key=lambda c: kinds[c] == "period"):  # breakdowns first
        rest = [columns[c] for c in known if c != column and columns[c] in parts]
        parts = _merge(parts, key + rest, columns[column], value, kinds[column], column, report)  # the column goes
    return _repeated_keys(parts, key, value, report, same_key, key_label)


def _varying(keys: pd.DataFrame, others: pd.DataFrame) -> list[str]:
    """The columns taking several values within at least one key."""
    repeated = keys.duplicated(keep=False)
    if not repeated.any() or others.empty:
        return []
    grouped = others[repeated.to_numpy()].apply(lambda c: c.str.strip()).groupby(
        [keys.loc[repeated, k] for k in keys.columns], sort=False)
    counts = grouped.nunique()
    return [c for c in others.columns if counts[c].gt(1).any()]


def _merge(parts: pd.DataFrame, group: list[str], column: str, value: str, kind: str, header: str,
           report: ImportReport) -> pd.DataFrame:
    """One row per ``group``: its total row where it has one, else its parts added up (a breakdown) or
    averaged (periods)."""
    total = parts[column].map(lambda v: normalise(v) in TOTAL_WORDS)
    has_total = total.groupby([parts[g] for g in group], sort=False).transform("any")
    detail = has_total & ~total
    if detail.any():
        report.exclude(f"ligne(s) de détail par « {header} » écartée(s) : la ligne « {parts.loc[total, column].iloc[0]} » "
                       "de la même clé retenue", int(detail.sum()))
    parts = parts[~detail]
    grouped = parts.groupby(group, sort=False, dropna=False)
    merged = grouped.agg(**{value: (value, "sum" if kind == "breakdown" else "mean"), "line": ("line", "min"),
                            "_n": (value, "size")}).reset_index()
    if kind == "period":
        merged[value] = merged[value].round()
    many = int((merged["_n"] > 1).sum())
    if many:
        report.exclude(f"ligne(s) regroupée(s) par « {header} » ({'somme' if kind == 'breakdown' else 'moyenne'})",
                       int(len(parts) - len(merged)))
        _say_merge(merged, kind, header, report)
    return merged.drop(columns=["_n"])


def _say_merge(merged: pd.DataFrame, kind: str, header: str, report: ImportReport) -> None:
    counts = merged["_n"]
    if kind == "breakdown":
        report.warn(f"effectifs donnés par « {header} » : les lignes d'une même clé sont additionnées "
                    f"({fr_int(int(counts.max()))} parties au plus)")
        return
    usual = int(counts.max())
    report.warn(f"effectifs donnés par « {header} » (un stock à chaque période) : l'effectif de l'année est la moyenne "
                f"de ses périodes ({fr_int(usual)} par année), arrondie à la personne")
    fewer = merged[counts < usual]
    if len(fewer):
        report.warn(f"{fr_int(len(fewer))} clé(s) n'ont que {', '.join(sorted({fr_int(int(n)) for n in fewer['_n']}))} "
                    f"période(s) sur {fr_int(usual)} : moyenne des périodes présentes")


def _repeated_keys(parts: pd.DataFrame, key: list[str], value: str, report: ImportReport, same_key: str,
                   key_label: str) -> pd.DataFrame:
    """Rows still sharing a key: identical ones read once, differing ones all set aside."""
    repeated = parts.duplicated(key, keep=False)
    if not repeated.any():
        return parts
    values = parts[value].groupby([parts[k] for k in key], sort=False).transform("nunique")
    conflict = repeated & values.gt(1)
    if conflict.any():
        report.reject(f"effectifs différents pour {same_key} (aucune ligne choisie)", int(conflict.sum()),
                      parts.loc[conflict, "line"].astype(np.int64).tolist())
    copies = repeated & ~conflict & parts.duplicated(key)
    if copies.any():
        report.reject(f"ligne en double ({key_label}), lue une fois",
                      int(copies.sum()), parts.loc[copies, "line"].astype(np.int64).tolist())
    return parts[~conflict & ~copies]
