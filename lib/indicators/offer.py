"""The training offer used by the white-zones views: real upload or demonstration file."""
from __future__ import annotations

import pandas as pd


def place_markers(sessions: pd.DataFrame) -> pd.DataFrame:
    """One marker per place (rounded coordinates): ``lat, lon, tooltip`` with its session count."""
    from lib.core.fmt import fr_int

    grouped = sessions.assign(lat=sessions["lat"].round(4), lon=sessions["lon"].round(4)).groupby(["lat", "lon"]).agg(
        sessions=("action_id", "size"), organisme=("organisme", "first"), titles=("title", lambda t: t.iloc[0]),
    ).reset_index()
    grouped["tooltip"] = [
        f"{org or 'Organisme non renseigné'} — {fr_int(n)} session{'s' if n > 1 else ''} (ex. : {title})"
        for org, n, title in zip(grouped["organisme"], grouped["sessions"], grouped["titles"])
    ]
    return grouped


NO_SESSION_TEXT = "Aucune session ne correspond aux filtres : toute la région apparaît en zone blanche."


def month_label(month: str) -> str:
    """``2026-12`` -> ``12/2026``; the open end -> ``sans fin``."""
    from lib.indicators.white_zones import OPEN_END

    return "sans fin" if month == OPEN_END else f"{month[5:]}/{month[:4]}"


def period_note(counts: dict[str, int], period: tuple[str, str] | None) -> str:
    """What the period kept and set aside, in French, for the page and the command line alike."""
    from lib.core.fmt import fr_int
    from lib.indicators.white_zones import OPEN_END

    if period is None:
        text = "Toutes les sessions, quelles que soient leurs dates"
    elif period[1] == OPEN_END:
        text = f"Sessions en cours ou à venir à partir de {month_label(period[0])} (sans fin)"
    else:
        text = f"Sessions actives entre {month_label(period[0])} et {month_label(period[1])}"
    text += f" : {fr_int(counts['retenue'])} session(s) × lieu(x) retenue(s)"
    if counts.get("fin inconnue"):
        text += f", dont {fr_int(counts['fin inconnue'])} sans date de fin, comptée(s) comme en cours"
    aside = [f"{fr_int(counts[key])} {label}" for key, label in [
        ("terminée avant", "terminée(s) avant la période"), ("commencée après", "commençant après la période"),
        ("dates illisibles", "aux dates illisibles"), ("sans date de début", "sans date de début")] if counts.get(key)]
    if aside:
        text += " ; non comptées : " + ", ".join(aside)
    return text + "."


def period_phrase(period: tuple[str, str] | None) -> str:
    """Which sessions a white-zone figure counts, to follow « toute session de formation »."""
    from lib.indicators.white_zones import OPEN_END

    if period is None:
        return "quelles que soient ses dates"
    if period[1] == OPEN_END:
        return f"en cours ou à venir à partir de {month_label(period[0])}"
    return f"active entre {month_label(period[0])} et {month_label(period[1])}"
