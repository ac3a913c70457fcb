"""Rural zonings: ZRR 2017 (ANCT, COG 2021) and France Ruralités Revitalisation 2025 (DGCL, COG 2025).

Tidy schema of both readers: ``code, name, zone`` where ``zone`` is a short class code:

- ZRR: ``C`` classée, ``P`` partiellement classée, ``NC`` non classée;
- FRR: ``socle``, ``plus`` (FRR+), ``beneficiaire``, ``beneficiaire_partiel``, ``partiel``
  (classée FRR partiellement), ``nc`` (non classée).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from lib.core.config import RAW
from lib.core.errors import DataError, ImportReport
from lib.core.text import insee_code, normalise
from lib.sources.tabular import decode, load_bytes, read_text_table

ZRR_FILE = RAW / "zrr_2017_2021_anct" / "diffusion-zonages-zrr-cog2021.csv"
FRR_FILE = RAW / "frr_2025_dgcl" / "liste-communes-FRR-juillet2025.csv"

ZRR_LABELS = {"C": "Classée en ZRR", "P": "Partiellement classée en ZRR", "NC": "Non classée"}
FRR_LABELS = {
    "socle": "FRR socle",
    "plus": "FRR+",
    "beneficiaire": "FRR bénéficiaire",
    "beneficiaire_partiel": "FRR bénéficiaire partiellement",
    "partiel": "Classée FRR partiellement",
    "nc": "Non classée",
}
FRR_FROM_TEXT = {normalise(label): code for code, label in FRR_LABELS.items()}
FRR_CLASSED = ["socle", "plus", "beneficiaire", "beneficiaire_partiel", "partiel"]


def _commune_codes(values: pd.Series, report: ImportReport) -> pd.Series:
    codes = values.map(lambda v: insee_code(v, 5))
    report.reject("code commune invalide", int(codes.isna().sum()))
    return codes


def read_zrr(source: str | Path | bytes = ZRR_FILE, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    filename = filename or Path(str(source)).name
    text = decode(load_bytes(source, filename), filename)
    raw = read_text_table(text, filename, ",", ["CODGEO", "LIBGEO", "ZRR_SIMP"], "le fichier ANCT des ZRR",
                          skip_until="CODGEO")
    report = ImportReport(source=f"Zonage ZRR ({filename})")
    raw = raw[raw["CODGEO"].ne("")]
    report.rows_read = len(raw)
    zone = raw["ZRR_SIMP"].str.split(" - ").str[0].str.strip().str.upper()
    unknown = ~zone.isin(ZRR_LABELS)
    report.reject("classement ZRR inconnu", int(unknown.sum()))
    codes = _commune_codes(raw["CODGEO"], report)
    keep = ~unknown & codes.notna()
    tidy = pd.DataFrame({"code": codes[keep], "name": raw.loc[keep, "LIBGEO"], "zone": zone[keep]}).reset_index(drop=True)
    report.rows_kept = len(tidy)
    return tidy, report


def read_frr(source: str | Path | bytes = FRR_FILE, filename: str | None = None) -> tuple[pd.DataFrame, ImportReport]:
    filename = filename or Path(str(source)).name
    text = decode(load_bytes(source, filename), filename)
    raw = read_text_table(text, filename, ";", ["Code_insee", "Commune"], "la liste DGCL des communes FRR")
    class_column = next((c for c in raw.columns if normalise(c).startswith("classement")), None)
    if class_column is None:
        raise DataError(f"« {filename} » : colonne « Classement FRR… » absente.")
    report = ImportReport(source=f"Classement FRR ({filename})")
    raw = raw[raw["Code_insee"].ne("")]
    report.rows_read = len(raw)
    zone = raw[class_column].map(lambda v: FRR_FROM_TEXT.get(normalise(v)))
    report.reject("classement FRR inconnu", int(zone.isna().sum()))
    codes = _commune_codes(raw["Code_insee"], report)
    keep = zone.notna() & codes.notna()
    tidy = pd.DataFrame({"code": codes[keep], "name": raw.loc[keep, "Commune"], "zone": zone[keep]}).reset_index(drop=True)
    report.rows_kept = len(tidy)
    return tidy, report
