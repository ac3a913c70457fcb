"""Views of the pathway indicators for the page *Parcours et résultats* (filters, references).

Rates themselves are computed in :mod:`lib.indicators.rates`; this module filters the records,
labels the results in French and lines up the reference figures (pact 2017, national
benchmarks, national 15 % QPV target) that the charts draw beside them.
"""
from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from lib.indicators.rates import compute_rates
from lib.sources.records import LABELS, MOTIF_LABELS

INDICATOR_LABELS = {"access": "Taux d'accès", "abandonment": "Taux d'abandon", "certification": "Taux de certification",
                    "employment_6m": "Retour à l'emploi à 6 mois", "employment_12m": "Retour à l'emploi à 12 mois"}
STATUS_LABELS = {"ok": "", "fragile": "fragile (effectif < seuil)", "suppressed": "s (secret, effectif < 20)",
                 "incoherent": "incohérent (numérateur > dénominateur)",
                 "unknown": "non calculé (trop de valeurs inconnues)"}
# National benchmark rows (benchmarks file: indicator, breakdown) drawn as reference marks.
PATHWAY_BENCHMARKS = {
    "prealable_recrutement": ("taux_acces_emploi_1mois_plus", "type formation: préalable au recrutement (AFPR/POEI)"),
    "certifiant": ("taux_acces_emploi_1mois_plus", "type formation: certifiante / professionnalisante / création d'entreprise"),
    "professionnalisant": ("taux_acces_emploi_1mois_plus", "type formation: certifiante / professionnalisante / création d'entreprise"),
    "preparatoire": ("taux_acces_emploi_1mois_plus", "type formation: premier niveau (remise à niveau, savoirs de base, remobilisation, aide au projet, pré-qualification)"),
}
INDICATOR_BENCHMARKS = {
    "abandonment": ("taux_abandon_formation", "stagiaires demandeurs d'emploi"),
    "employment_6m": ("taux_acces_emploi_6mois_apres_formation", "ensemble sortants formation prescrite Pole emploi"),
}


@dataclass(frozen=True)
class Selection:
    """The page's filters; empty tuples mean "all"."""

    year: int | None = None
    deps: tuple[str, ...] = ()
    pathways: tuple[str, ...] = ()
    axes: tuple[str, ...] = ()

    def apply(self, records: pd.DataFrame) -> pd.DataFrame:
        keep = pd.Series(True, index=records.index)
        if self.deps:
            keep &= records["dep"].isin(self.deps)
        if self.pathways:
            keep &= records["pathway_type"].isin(self.pathways)
        if self.axes:
            keep &= records["axis"].isin(self.axes)
        return records[keep]

    def denominators(self, denominators: pd.DataFrame | None) -> pd.DataFrame | None:
        if denominators is None or not self.deps:
            return denominators
        return denominators[denominators["dep"].isin(self.deps)]


def departments_covered(records: pd.DataFrame, region_deps: list[str] | tuple[str, ...]) -> list[str]:
    """The region's departments with at least one entry in the records, in the region's order."""
    present = set(records["dep"].astype(str)) if "dep" in records else set()
    return [dep for dep in region_deps if dep in present]


def coverage_label(covered: list[str] | tuple[str, ...], region_deps: list[str] | tuple[str, ...], region_name: str,
                   chosen: tuple[str, ...] = ()) -> str:
    """What the figures cover, in words: the region's name only when the records have entries in every
    department of the region; else « 3 départements sur 12 (38, 69, 73) ». With departments chosen,
    those chosen, the ones without any entry said (« 38, 01 (sans entrée : 01) »). Records covering
    some departments must never be labelled as the whole region (issue 19)."""
    if chosen:
        missing = [dep for dep in chosen if dep not in covered]
        if len(missing) == len(chosen):
            return ", ".join(chosen) + " (aucune entrée dans le fichier)"
        return ", ".join(chosen) + (f" (sans entrée : {', '.join(missing)})" if missing else "")
    if set(region_deps) <= set(covered):
        return region_name
    if not covered:
        return f"aucun des {len(region_deps)} départements de la région"
    count = len(covered)
    return f"{count} département{'s' if count > 1 else ''} sur {len(region_deps)} ({', '.join(covered)})"


def partial_coverage(covered: list[str] | tuple[str, ...], region_deps: list[str] | tuple[str, ...]) -> bool:
    """Whether the records miss some of the region's departments (their « région » is only part of it)."""
    return not set(region_deps) <= set(covered)


def labelled(rates: pd.DataFrame) -> pd.DataFrame:
    """French labels beside the codes (codes kept for exports)."""
    out = rates.copy()
    out["indicateur"] = out["indicator"].map(INDICATOR_LABELS)
    if "public" in out:
        out["public_label"] = out["public"].map(LABELS["publics"])
    if "pathway_type" in out:
        out["parcours"] = out["pathway_type"].map(LABELS["pathway_type"])
    out["statut"] = out["status"].map(STATUS_LABELS)
    return out


def rates_by(records: pd.DataFrame, denominators: pd.DataFrame | None, selection: Selection, by: list[str]) -> pd.DataFrame:
    """Rates of the selection by ``by``; a selection without any entry (records covering other
    departments) gives no row but the same columns, which the pages filter on."""
    chosen = selection.apply(records)
    return labelled(compute_rates(chosen, selection.denominators(denominators), by=by, year=selection.year))


def qpv_share(records: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Share of entrants living in a QPV, per year: ``year, numerator, denominator, unknown`` (rates done by
    finalize). Entrants whose QPV flag is unknown are out of the denominator and counted in ``unknown``:
    counted as « hors QPV » they would lower the share (finalize says ``unknown`` when they are too many)."""
    chosen = selection.apply(records)
    if selection.year:
        chosen = chosen[chosen["year"].eq(selection.year)]
    grouped = chosen.groupby("year").agg(numerator=("qpv", "sum"), denominator=("qpv", "count"),
                                         unknown=("qpv", lambda flags: int(flags.isna().sum()))).reset_index()
    return grouped.astype({"numerator": "int64"})


def plan_vs_realised(records: pd.DataFrame, plan: pd.DataFrame) -> pd.DataFrame:
    """Planned parcours (pact) and entries in the records, per year and axis."""
    realised = records.groupby(["year", "axis"], observed=True).size().rename("realises").reset_index()
    realised["axis"] = realised["axis"].astype(str)
    merged = plan.assign(axis=plan["axis"].astype(str)).rename(columns={"parcours": "prevus"}).merge(
        realised, on=["year", "axis"], how="outer").fillna({"prevus": 0, "realises": 0})
    merged["ecart"] = merged["realises"] - merged["prevus"]
    return merged[["year", "axis", "prevus", "realises", "ecart"]].sort_values(["year", "axis"], ignore_index=True)


def abandon_reasons(records: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Distribution of abandonment motifs in the records: ``motif, abandons, part``."""
    chosen = selection.apply(records)
    if selection.year:
        chosen = chosen[chosen["year"].eq(selection.year)]
    abandons = chosen[chosen["outcome"].eq("abandon")]
    counts = abandons["abandon_reason"].astype(str).replace("", "non renseigné").value_counts()
    table = counts.rename_axis("code").reset_index(name="abandons")
    table["motif"] = table["code"].map(MOTIF_LABELS).fillna(table["code"])
    table["part"] = table["abandons"] / table["abandons"].sum() if len(table) else []
    return table[["motif", "abandons", "part"]]


# What each national benchmark measures, in French, and why it is only close to the bars' definition.
BENCHMARK_WORDING = {
    "taux_acces_emploi_6mois_apres_formation": ("accès à l'emploi en 6 mois", "Pôle emploi"),
    "taux_abandon_formation": ("abandon avant la fin", "Dares"),
    "taux_acces_emploi_1mois_plus": ("emploi d'un mois ou plus en 6 mois", "évaluation du PIC"),
}


def benchmark_marks(benchmarks: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """National reference marks per indicator and per pathway type, each with its publication.

    Columns: ``value`` (fraction), ``row`` (the visible label: who, year, source | what it measures and
    whether the definition matches), ``scope`` = ``national``, ``definition`` = ``close`` (none of these
    publications computes exactly the dashboard's rate), ``source``, ``url``; per pathway also
    ``pathway_type`` and ``parcours``, plus one legend row (empty ``parcours``) saying what the symbols are."""
    def pick(indicator: str, breakdown: str) -> pd.Series | None:
        rows = benchmarks[benchmarks["indicator"].eq(indicator) & benchmarks["breakdown"].eq(breakdown)]
        return rows.iloc[0] if len(rows) else None

    def row_label(row: pd.Series) -> str:
        what, who = BENCHMARK_WORDING.get(row["indicator"], (row["breakdown"], row["source_publication"][:40]))
        return f"National, {row['reference_period']} ({who})|{what} — définition proche"

    by_indicator = []
    for code, key in INDICATOR_BENCHMARKS.items():
        row = pick(*key)
        if row is not None:
            by_indicator.append({"indicator": code, "value": float(row["value"]) / 100, "row": row_label(row),
                                 "scope": "national", "definition": "close", "source": row["source_publication"],
                                 "url": row["source_url"]})
    by_pathway = []
    for code, key in PATHWAY_BENCHMARKS.items():
        row = pick(*key)
        if row is not None:
            by_pathway.append({"pathway_type": code, "parcours": LABELS["pathway_type"][code],
                               "value": float(row["value"]) / 100, "row": None, "scope": "national",
                               "definition": "close", "source": row["source_publication"], "url": row["source_url"]})
    pathway = pd.DataFrame(by_pathway)
    if len(pathway):
        first = benchmarks[benchmarks["indicator"].eq("taux_acces_emploi_1mois_plus")].iloc[0]
        pathway = pd.concat([pathway, pd.DataFrame([{
            "pathway_type": None, "parcours": None, "value": None, "row": row_label(first), "scope": "national",
            "definition": "close", "source": first["source_publication"], "url": first["source_url"]}])],
            ignore_index=True)
    return {"indicator": pd.DataFrame(by_indicator), "pathway": pathway}


def reference_marks(indicator: str, pact_2017: pd.DataFrame, national: pd.DataFrame) -> pd.DataFrame | None:
    """Every reference drawn beside one indicator's bars, each labelled (value, what, year, source):

    - the pact's regional figure for 2017 (region, same definition: the indicator the pact steers);
    - the national average the pact's own sentence implies (« +3 pts par rapport à la moyenne
      nationale » -> 48 %; national, same definition);
    - a published national benchmark (national, close definition: other cohort, other measure).
    """
    rows = []
    if len(pact_2017) and indicator in set(pact_2017["indicator"]):
        pact = pact_2017.set_index("indicator").loc[indicator]
        period = pact["reference_period"]
        rows.append({"value": float(pact["value_pct"]) / 100, "scope": "region", "definition": "same",
                     "row": f"Région, {period} (Pacte ARA 2019)|chiffre cité par le Pacte — même indicateur",
                     "source": "Pacte ARA 2019"})
        implied = pact.get("national_pct_implied", "")
        if implied not in ("", None) and not pd.isna(implied):
            rows.append({"value": float(implied) / 100, "scope": "national", "definition": "same",
                         "row": f"National, {period} (selon le Pacte)|moyenne comparée par le Pacte — même indicateur",
                         "source": "Pacte ARA 2019 : " + pact["quoted_text"]})
    if len(national) and indicator in set(national["indicator"]):
        bench = national.set_index("indicator").loc[indicator]
        rows.append({"value": float(bench["value"]), "scope": "national", "definition": "close", "row": bench["row"],
                     "source": bench["source"]})
    return pd.DataFrame(rows) if rows else None


QUALIFICATIONS = {"employe_qualifie": "Employé qualifié", "employe_non_qualifie": "Employé non qualifié",
                  "ouvrier_qualifie_p1_p2": "Ouvrier qualifié (P1, P2)", "manoeuvre": "Manœuvre",
                  "ouvrier_specialise": "Ouvrier spécialisé", "technicien_dessinateur": "Technicien dessinateur",
                  "cadre": "Cadre", "agent_de_maitrise": "Agent de maîtrise",
                  "ouvrier_qualifie_p3_p4_ohq": "Ouvrier qualifié (P3, P4, OHQ)"}


def pact_motifs(table: pd.DataFrame) -> pd.DataFrame:
    """The pact's motif × qualification table with integer shares (as printed)."""
    table = table.copy()
    table[[*QUALIFICATIONS, "total"]] = table[[*QUALIFICATIONS, "total"]].astype(int)
    return table
