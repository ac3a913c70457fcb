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
                 "incoherent": "incohérent (numérateur > dénominateur)"}
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
    chosen = selection.apply(records)
    if chosen.empty:
        return pd.DataFrame()
    return labelled(compute_rates(chosen, selection.denominators(denominators), by=by, year=selection.year))


def qpv_share(records: pd.DataFrame, selection: Selection) -> pd.DataFrame:
    """Share of entrants living in a QPV, per year: ``year, numerator, denominator`` (rates done by finalize)."""
    chosen = selection.apply(records)
    if selection.year:
        chosen = chosen[chosen["year"].eq(selection.year)]
    grouped = chosen.groupby("year").agg(numerator=("qpv", "sum"), denominator=("qpv", "size")).reset_index()
    return grouped


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


def benchmark_marks(benchmarks: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Reference marks per indicator and per pathway type, each with its publication."""
    def pick(indicator: str, breakdown: str) -> pd.Series | None:
        rows = benchmarks[benchmarks["indicator"].eq(indicator) & benchmarks["breakdown"].eq(breakdown)]
        return rows.iloc[0] if len(rows) else None

    by_indicator = []
    for code, key in INDICATOR_BENCHMARKS.items():
        row = pick(*key)
        if row is not None:
            by_indicator.append({"indicator": code, "value": float(row["value"]) / 100,
                                 "label": f"Réf. nationale {row['reference_period']}", "source": row["source_publication"],
                                 "url": row["source_url"]})
    by_pathway = []
    for code, key in PATHWAY_BENCHMARKS.items():
        row = pick(*key)
        if row is not None:
            by_pathway.append({"pathway_type": code, "parcours": LABELS["pathway_type"][code],
                               "value": float(row["value"]) / 100, "label": f"Réf. nationale {row['reference_period']}",
                               "source": row["source_publication"], "url": row["source_url"]})
    return {"indicator": pd.DataFrame(by_indicator), "pathway": pd.DataFrame(by_pathway)}


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
