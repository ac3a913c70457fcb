"""Is a bundled edition still the latest? Each producer's usual publication cycle, stated once.

A dataset older than its producer's cycle is not wrong, but the user must be told that a newer
edition probably exists and where to load it. Only cycles the producer states are listed here:
Insee publishes localised unemployment rates every quarter, about 75 days after the quarter ends.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Cycle:
    dataset: str     # catalog key
    rhythm: str      # French: "trimestrielle"
    lag_days: int    # publication delay after the end of the period
    update_path: str  # French: where the user loads a newer edition


CYCLES = {
    "chomage_localise_insee": Cycle(
        "chomage_localise_insee", "trimestrielle", 75,
        "page Données (ou Chômage localisé, barre latérale « Autre édition du fichier Insee ») avec le fichier "
        "sl_etc_AAAATn.xls téléchargé sur insee.fr ; pour tout un déploiement, le placer dans le dossier PRIC_DATA_DIR"),
}


@dataclass(frozen=True)
class Staleness:
    dataset: str
    edition: str     # "2025-T3"
    expected: str    # latest quarter that should be published by ``today``
    behind: int      # quarters
    message: str     # French, for the page


def _quarter_end(quarter: str) -> date:
    year, q = int(quarter[:4]), int(quarter[-1])
    return date(year + (q == 4), 1 if q == 4 else 3 * q + 1, 1) - timedelta(days=1)


def expected_quarter(today: date, lag_days: int) -> str:
    """The latest quarter whose publication date (end of quarter + ``lag_days``) is not after ``today``."""
    year, q = today.year, (today.month - 1) // 3 + 1
    while True:
        quarter = f"{year}-T{q}"
        if _quarter_end(quarter) + timedelta(days=lag_days) <= today:
            return quarter
        year, q = (year - 1, 4) if q == 1 else (year, q - 1)


def quarterly_staleness(dataset: str, edition: str, today: date | None = None) -> Staleness | None:
    """``None`` when ``edition`` (``YYYY-Tn``) is the latest one expected by ``today``; else what to say."""
    from lib.indicators.unemployment import quarter_label

    cycle = CYCLES[dataset]
    today = today or date.today()
    expected = expected_quarter(today, cycle.lag_days)
    behind = (int(expected[:4]) * 4 + int(expected[-1])) - (int(edition[:4]) * 4 + int(edition[-1]))
    if behind <= 0:
        return None
    message = (f"Édition du {quarter_label(edition)} : une édition plus récente existe probablement "
               f"(publication {cycle.rhythm}, environ {cycle.lag_days} jours après la fin du trimestre ; au "
               f"{today.day:02d}/{today.month:02d}/{today.year}, le {quarter_label(expected)} devrait être publié, "
               f"{behind} trimestre{'s' if behind > 1 else ''} de plus). Pour la charger : {cycle.update_path}.")
    return Staleness(dataset, edition, expected, behind, message)
