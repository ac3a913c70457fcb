"""Insee commune codes as files write them: a lost leading zero restored, municipal arrondissements read as their city.

Shared by the readers whose files name communes (the records' residence, the LHEO offer's places), so that
both accept the same codes and say the same thing about what they changed.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

# Municipal arrondissements (first, last code) and their city: Lyon, Marseille, Paris.
ARRONDISSEMENTS = {"69123": (69381, 69389), "13055": (13201, 13216), "75056": (75101, 75120)}


def restore_leading_zero(codes: pd.Series) -> tuple[pd.Series, int]:
    """A code of four digits (``3190``, a spreadsheet's number) is the five-digit Insee code that lost its
    leading zero (``03190``: departments 01 to 09); ``1053.0`` as well. Returns the codes and how many were
    completed."""
    codes = codes.fillna("").astype(str).str.strip().str.upper().str.replace(r"\.0$", "", regex=True)
    short = codes.str.fullmatch(r"\d{4}")
    return codes.where(~short, "0" + codes), int(short.sum())


def city_of_arrondissement(codes: pd.Series) -> tuple[pd.Series, int, str]:
    """Lyon, Marseille and Paris arrondissements (69381–69389, 13201–13216, 75101–75120) read as their city
    (69123, 13055, 75056). Returns the codes, how many were mapped and one of them as written (for the note)."""
    number = pd.to_numeric(codes.where(codes.str.fullmatch(r"\d{5}"), ""), errors="coerce")
    city = pd.Series(np.nan, index=codes.index, dtype=object)
    for code, (first, last) in ARRONDISSEMENTS.items():
        city = city.mask(number.between(first, last), code)
    mapped = city.notna()
    if not mapped.any():
        return codes, 0, ""
    return city.fillna(codes), int(mapped.sum()), str(codes[mapped].iloc[0])


def leading_zero_note(count: int, what: str = "codes commune") -> str:
    """The records reader's wording, shared: « 3 codes commune complétés d'un zéro initial (ex. 1053 → 01053). »"""
    return f"{count} {what} complétés d'un zéro initial (ex. 1053 → 01053)."


def arrondissement_note(count: int, example: str) -> str:
    return (f"{count} code(s) d'arrondissement municipal (ex. {example}) rapporté(s) à leur commune (Lyon 69123, "
            "Marseille 13055, Paris 75056).")
