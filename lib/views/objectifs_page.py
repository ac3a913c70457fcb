"""Page Objectifs du pacte, presentation: the table of objectives as shown (French labels, rates « 55,4 % »,
counts « 23 454 », status text and symbol), one objective's bullet and trajectory charts, why a regional gap
(departments' contributions as a table and a map, each public's own gap), a department's objectives for the Fiche,
and the objectives editor's columns and check (the figures themselves: :mod:`lib.views.objectifs`)."""
from __future__ import annotations

from typing import Any

import pandas as pd

from lib.core.fmt import fr_int, fr_pct, fr_signed
from lib.datasets.in_use import Datasets
from lib.render.objective_charts import amount
from lib.render.tables import Table
from lib.views import objectifs as core

# What the steering team reads first (status, realised, expected, target) before what it already knows.
COLUMNS = {"objective_id": "Objectif", "statut": "Statut", "realise": "Réalisé (IC 95 %)",
           "attendu": "Attendu aujourd'hui", "cible": "Cible", "avancement": "Avancement", "indicateur": "Indicateur",
           "territoire": "Territoire", "perimetre": "Public · parcours · axe", "annee": "Année",
           "initiale": "Valeur initiale", "commentaire": "Commentaire"}
EDITOR_LABELS = {"objective_id": "Identifiant", "indicator": "Indicateur (code)", "scope": "Territoire (code)",
                 "public": "Public (vide = tous)", "pathway_type": "Type de parcours (vide = tous)",
                 "axis": "Axe (vide = les deux)", "year": "Année", "baseline": "Valeur initiale",
                 "baseline_year": "Année initiale", "target": "Cible", "comment": "Commentaire"}


def _labels():
    from lib.indicators.objectives import STATUS_LABELS
    from lib.sources.objectives import INDICATOR_LABELS, RATES, labels

    return STATUS_LABELS, INDICATOR_LABELS, RATES, labels


def _realised_text(row, rate: bool) -> str:
    if row.status == "non_calculable":
        return f"non calculable : {row.reason}" if row.reason else "non calculable"
    text = amount(row.realised, rate)
    if rate and not pd.isna(row.ci_low):
        text += f" ({fr_pct(row.ci_low, fraction=True)} – {fr_pct(row.ci_high, fraction=True)})"
    return text


def shown_table(ds: Datasets, table: pd.DataFrame) -> pd.DataFrame:
    """The objectives as the page shows them, one row each (French strings)."""
    status_labels, indicator_labels, rates, labels = _labels()
    rows = []
    for row in table.itertuples(index=False):
        rate = row.indicator in rates
        scope = ds.region.name if row.scope == ds.region.code else ds.region.dep_name(row.scope)
        rows.append({
            "objective_id": row.objective_id, "indicateur": indicator_labels.get(row.indicator, row.indicator),
            "territoire": f"{scope} ({row.scope})", "perimetre": labels(row.public, row.pathway_type, row.axis),
            "annee": str(int(row.year)),
            "initiale": "–" if pd.isna(row.baseline) else f"{amount(row.baseline, rate)} ({int(row.baseline_year)})",
            "cible": amount(row.target, rate), "realise": _realised_text(row, rate),
            "attendu": amount(row.expected_now, rate),
            "avancement": "–" if pd.isna(row.progress) else fr_pct(row.progress, 0, fraction=True),
            "statut": status_labels.get(row.status, row.status), "commentaire": row.comment or ""})
    return pd.DataFrame(rows, columns=list(COLUMNS))


def default_objective(table: pd.DataFrame) -> str | None:
    """The first objective behind its trajectory (« en retard », else « incertain »), else the first."""
    for status in ("en_retard", "incertain"):
        behind = table[table["status"].eq(status)]
        if len(behind):
            return str(behind["objective_id"].iloc[0])
    return str(table["objective_id"].iloc[0]) if len(table) else None


def objectives_page(ds: Datasets, as_of: pd.Timestamp | None = None) -> dict[str, Any]:
    """What the page shows above the choice of an objective: banner, caption, set-aside lines, the table, the
    CSV, the choices and the default one."""
    status = core.objectives_status(ds, as_of)
    table = status["table"]
    _, indicator_labels, _, _ = _labels()
    when = status["as_of"].strftime("%d/%m/%Y")
    counts = table["status"].value_counts()
    status_labels = _labels()[0]
    summary = ", ".join(f"{fr_int(counts[s])} {status_labels[s].lower()}" for s in status_labels if s in counts)
    return {
        "banner": core.demo_sentence(status), "records_demo": status["records_demo"], "as_of": status["as_of"],
        "caption": (f"Objectifs : {status['source']} — {fr_int(len(table))} objectifs ({summary}). Valeur attendue au "
                    f"{when} (date d'observation des entrées, modifiable ci-dessous). {status['records_line']}"),
        "set_aside": status["set_aside"], "notes": list(status["report"].notes),
        "table": Table(shown_table(ds, table), labels=COLUMNS),
        "export": core.export_table(status),
        "choices": {str(r.objective_id): f"{r.objective_id} — {indicator_labels.get(r.indicator, r.indicator)}, "
                    f"{r.scope}, {int(r.year)}" for r in table.itertuples()},
        "default": default_objective(table),
    }


def objective_detail(ds: Datasets, objective_id: str, as_of: pd.Timestamp | None = None) -> dict[str, Any]:
    """One objective: its bullet chart, its trajectory, and for a regional objective why the gap."""
    from lib.render import objective_charts as oc

    status = core.objectives_status(ds, as_of)
    table = status["table"]
    row = next(table[table["objective_id"].eq(objective_id)].itertuples(index=False))
    _, indicator_labels, rates, labels = _labels()
    rate = row.indicator in rates
    when = status["as_of"].strftime("%d/%m/%Y")
    what = f"{indicator_labels.get(row.indicator, row.indicator)} — {labels(row.public, row.pathway_type, row.axis)}"
    place = ds.region.name if row.scope == ds.region.code else ds.region.dep_name(row.scope)
    demo = " — données de démonstration" if status["records_demo"] else ""
    subtitle = [f"{place} ({row.scope}), objectif {int(row.year)} ; attendu au {when}{demo}", status["records_line"]]
    values = {"Valeur initiale": row.baseline, "Attendu aujourd'hui": row.expected_now, "Réalisé": row.realised,
              "Cible": row.target}
    bullet = oc.bullet(values, (row.ci_low, row.ci_high), rate, f"{row.objective_id} : {what}", subtitle)
    years = core.trajectory(ds, objective_id)
    if pd.isna(row.baseline):
        path = years.dropna(subset=["expected"]).rename(columns={"expected": "value"})[["year", "value"]]
    else:  # the straight path from the baseline (end of its year) to the target (end of the objective's year)
        path = pd.DataFrame({"year": [int(row.baseline_year), int(row.year)], "value": [row.baseline, row.target]})
    trajectory = oc.trajectory(years, path, (int(row.year), float(row.target)), rate,
                               f"Trajectoire : {what}", [f"{place} ({row.scope}), réalisé par année d'entrée{demo}",
                                                         status["records_line"]])
    why = _why(ds, row, status["as_of"], rate, what) if row.scope == ds.region.code else None
    return {"bullet": bullet, "trajectory": trajectory, "why": why, "regional": row.scope == ds.region.code,
            "status": _labels()[0].get(row.status), "reason": row.reason}


def _why(ds: Datasets, row, as_of: pd.Timestamp, rate: bool, what: str) -> dict[str, Any] | None:
    from lib.datasets import geometry
    from lib.render import maps
    from lib.render import objective_charts as oc

    found = core.gaps(ds, row.objective_id, as_of)
    frame = found.get("departments")
    if frame is None:
        return None
    contrib = (lambda v: f"{oc.points(v)} pt") if rate else (lambda v: fr_signed(v, 0))
    shown = pd.DataFrame({
        "Département": frame["departement"] + " (" + frame["dep"] + ")",
        "Réalisé": [("s" if s else amount(v, rate)) for v, s in zip(frame["realised"], frame["secret"])],
        "Numérateur": [("s" if s else fr_int(v)) for v, s in zip(frame["numerator"], frame["secret"])],
        "Dénominateur": [("s" if s else fr_int(v)) if rate else "–" for v, s in zip(frame["denominator"], frame["secret"])],
        "Contribution à l'écart": [("s" if s else contrib(v)) for v, s in zip(frame["contribution"], frame["secret"])],
    })
    total = pd.DataFrame([{"Département": "Total de la région (secrets compris)", "Réalisé": "", "Numérateur": "",
                           "Dénominateur": "", "Contribution à l'écart": contrib(found["gap"])}])
    shown = pd.concat([shown, total], ignore_index=True)
    if not rate:  # a count: the realised value is the number of entries
        shown = shown.drop(columns=["Numérateur", "Dénominateur"])
    deps = ds.departements().merge(frame.assign(code=frame["dep"]), on="code")
    scale = 100 if rate else 1
    deps = deps.assign(value=[None if s else v * scale for v, s in zip(deps["contribution"], deps["secret"])],
                       realise_txt=[("s" if s else amount(v, rate)) for v, s in zip(deps["realised"], deps["secret"])],
                       contribution_txt=[("s" if s else contrib(v)) for v, s in zip(deps["contribution"], deps["secret"])])
    fmap = oc.contribution_map(geometry.to_geojson(deps, ["code", "departement", "value", "realise_txt",
                                                          "contribution_txt"]),
                               maps.bounds_of(deps), "value", "points" if rate else "entrées", 1 if rate else 0,
                               "Contribution à l'écart", f"Contribution des départements à l'écart de {row.objective_id}"
                               f" ({what}) à la trajectoire. {found['sentence']}")
    publics = found.get("publics")
    if publics is not None:
        publics = pd.DataFrame({"Public": publics["libelle"], "Réalisé": publics["realised"].map(lambda v: amount(v, rate)),
                                "Écart à la valeur attendue": [f"{oc.points(g)} pt" if g is not None and not pd.isna(g)
                                                               else (r or "–") for g, r in zip(publics["gap"],
                                                                                                publics["reason"])]})
    return {"departments": Table(shown), "map": maps.MapView(fmap, "objective_map", 430, []),
            "sentence": found["sentence"], "publics": None if publics is None else Table(publics),
            "reference": amount(found["reference"], rate)}


def department_objectives(ds: Datasets, dep: str, as_of: pd.Timestamp | None = None) -> dict[str, Any]:
    """The objectives whose scope is ``dep`` (same columns as the page), or the sentence saying there is none."""
    status = core.objectives_status(ds, as_of)
    table = status["table"]
    mine = table[table["scope"].eq(dep)]
    if mine.empty:
        return {"table": None, "banner": None,
                "none": (f"Aucun objectif du pacte n'a pour territoire {ds.region.dep_name(dep)} ({dep}) dans les "
                         f"objectifs en usage ({status['source']}) : ceux de la région sont sur la page Objectifs du pacte, où "
                         "l'on peut aussi ajouter des objectifs départementaux.")}
    return {"table": Table(shown_table(ds, mine), labels=COLUMNS), "none": None, "banner": core.demo_sentence(status),
            "caption": f"Objectifs : {status['source']} ; attendu au {status['as_of'].strftime('%d/%m/%Y')}."}


# --- the editor ----------------------------------------------------------------------------------

def editor_frame(ds: Datasets) -> pd.DataFrame:
    """The objectives in use, as the editor shows them (codes, years as whole numbers)."""
    from lib.sources.objectives import OUTPUT

    frame = ds.objectives()[0][OUTPUT].copy()
    for column in ("year", "baseline_year"):
        frame[column] = frame[column].astype("Int64")
    return frame.reset_index(drop=True)


def objectives_file(frame: pd.DataFrame) -> bytes:
    """The edited objectives as the file the reader reads back (CSV ``;``)."""
    from lib.sources.objectives import as_file

    return as_file(frame)


def check_objectives(ds: Datasets, content: bytes, name: str = "objectifs.csv") -> dict[str, Any]:
    """The edited file read back with the objectives reader: ``error`` (nothing valid, a missing column) or
    ``set_aside`` (each bad line with its reason: the editor's row n is the file's line n + 1, under its
    header), ``kept`` the number of objectives read."""
    from lib.core.errors import DataError
    from lib.sources.objectives import read_objectives

    try:
        frame, report = read_objectives(content, ds.region.code, list(ds.region.dep_codes), name)
    except DataError as err:
        return {"error": str(err), "set_aside": [], "kept": 0}
    lines = [f"ligne {line - 1} du tableau (ligne {line} du fichier) : {reason}"
             for reason, found in report.lines.items() for line in found]
    return {"error": None, "set_aside": lines, "kept": len(frame)}
