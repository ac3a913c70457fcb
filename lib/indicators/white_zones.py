"""Training white zones: communes with no matching session within reach.

Reference point of a commune: its point on surface (``geo/communes_<region>.parquet``,
``lon, lat``), borrowed from a neighbour for the few communes without polygon. Distance:
great-circle (haversine) distance in km to the nearest session place that matches the
filters, whatever its region (places beyond the border count). A commune is *white* when
that distance exceeds the threshold (default 30 km) or when no session matches at all.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.neighbors import BallTree

EARTH_RADIUS_KM = 6371.0088
DEFAULT_THRESHOLD_KM = 30.0
COMMUNE_COLUMNS = ["code", "name", "dep", "population", "nearest_km", "sessions_within", "white"]
SUMMARY_COLUMNS = ["dep", "dep_name", "communes", "population", "white_communes", "white_population", "white_share"]


OPEN_END = "9999-12"  # a period with no end


@dataclass(frozen=True)
class OfferFilter:
    """Which sessions count: NSF codes or groups (prefixes), certifying only, active in a period."""

    nsf: tuple[str, ...] = ()
    certifying_only: bool = False
    period: tuple[str, str] | None = None  # ("YYYY-MM", "YYYY-MM"), inclusive

    def apply(self, offer: pd.DataFrame) -> pd.DataFrame:
        keep = self._matching(offer)
        if self.period:
            keep &= period_classes(offer, self.period).eq("retenue")
        return offer[keep]

    def _matching(self, offer: pd.DataFrame) -> pd.Series:
        """Located sessions of the chosen domains and certification, whatever their dates."""
        keep = offer["lat"].notna() & offer["lon"].notna()
        if self.nsf:
            prefixes = tuple(self.nsf)
            keep &= offer["nsf"].map(lambda codes: any(c.startswith(prefixes) for c in codes.split("|") if c))
        if self.certifying_only:
            keep &= offer["certifying"].astype(bool)
        return keep

    def period_counts(self, offer: pd.DataFrame) -> dict[str, int]:
        """Sessions × places matching the other filters, by their place in the period
        (see :func:`period_classes`); ``retenue`` is ``len(self.apply(offer))``."""
        matching = offer[self._matching(offer)]
        classes = period_classes(matching, self.period) if self.period else pd.Series("retenue", index=matching.index)
        counts = {name: int(n) for name, n in classes.value_counts().items()}
        counts = {name: counts.get(name, 0) for name in PERIOD_CLASSES}
        ends = matching["end_month"].eq("") if "end_month" in matching else pd.Series(False, index=matching.index)
        counts["fin inconnue"] = int((classes.eq("retenue") & ends).sum())  # kept as running: said
        return counts


PERIOD_CLASSES = ["retenue", "terminée avant", "commencée après", "dates illisibles", "sans date de début"]


def period_classes(offer: pd.DataFrame, period: tuple[str, str]) -> pd.Series:
    """Each session against a period: ``retenue`` when it overlaps it, ``terminée avant``,
    ``commencée après``, ``dates illisibles`` (a date written but unreadable: never counted as
    running), ``sans date de début``. An unknown end (LHEO's 99999999) counts as running on."""
    start, end = period
    out = pd.Series("retenue", index=offer.index, dtype=object)
    out[offer["start_month"].gt(end)] = "commencée après"
    out[offer["end_month"].ne("") & offer["end_month"].lt(start)] = "terminée avant"
    out[offer["start_month"].eq("")] = "sans date de début"
    if "date_issue" in offer:
        out[offer["date_issue"].eq("date illisible").to_numpy()] = "dates illisibles"
    return out


def default_period(today: pd.Timestamp | None = None) -> tuple[str, str]:
    """The period counted unless another is chosen, on the page and on the command line alike:
    the sessions running this month or later (those already over are not the offer)."""
    today = pd.Timestamp.today() if today is None else today
    return f"{today:%Y-%m}", OPEN_END


def period_options(months: list[str], today: pd.Timestamp | None = None) -> list[str]:
    """The page's choice of months: the offer's, the current month (the default start) and the open end."""
    return sorted(set(months) | {default_period(today)[0]}) + [OPEN_END]


def cli_period(date_from: str | None, date_to: str | None, today: pd.Timestamp | None = None) -> tuple[str, str]:
    """The command line's period: :func:`default_period` for what is not given."""
    default_start, default_end = default_period(today)
    start = date_from or default_start
    end = date_to or default_end
    if end < start:
        from lib.core.errors import DataError

        raise DataError(f"--to {end} est antérieur à --from {start}.")
    return start, end


def nearest_sessions(communes: pd.DataFrame, sessions: pd.DataFrame, threshold_km: float) -> pd.DataFrame:
    """Per commune: distance (km) to the nearest session place and sessions within the threshold.

    ``communes``: ``code, name, dep, population, lon, lat``; ``sessions``: ``lon, lat``
    (one row per session × place). Uses a haversine BallTree (scikit-learn).
    """
    out = communes[["code", "name", "dep", "population"]].copy()
    if sessions.empty:
        out["nearest_km"] = np.inf
        out["sessions_within"] = 0
    else:
        tree = BallTree(np.radians(sessions[["lat", "lon"]].to_numpy(dtype=float)), metric="haversine")
        points = np.radians(communes[["lat", "lon"]].to_numpy(dtype=float))
        distance, _ = tree.query(points, k=1)
        out["nearest_km"] = (distance[:, 0] * EARTH_RADIUS_KM).round(2)
        out["sessions_within"] = tree.query_radius(points, r=threshold_km / EARTH_RADIUS_KM, count_only=True)
    out["white"] = out["nearest_km"] > threshold_km
    return out[COMMUNE_COLUMNS].reset_index(drop=True)


def outside_region_text(offer: pd.DataFrame, region_name: str) -> str | None:
    """The sentence a reader needs when no session place of the offer lies in the region (an offer of
    another region): every commune is then white for want of this region's offer, not for want of
    training. ``None`` when some place is in the region, or when the offer does not say (no ``in_region``)."""
    from lib.core.fmt import fr_int

    if "in_region" not in offer:
        return None
    located = offer["lat"].notna() & offer["lon"].notna()
    if not located.any() or offer["in_region"].astype(bool).any():
        return None
    communes = offer.loc[located, "commune"].fillna("").astype(str)
    deps = communes.str[:2].where(~communes.str.startswith("97"), communes.str[:3])
    deps = [d for d in deps[deps.str.fullmatch(r"\d\d|2[AB]|97\d")].value_counts().index[:5]]
    where = f" (départements {', '.join(deps)})" if deps else ""
    return (f"Aucun lieu de session de l'offre n'est dans la région {region_name} : ses {fr_int(int(located.sum()))} "
            f"session(s) × lieu(x) localisée(s) sont toutes hors de la région{where}. Ce n'est sans doute pas l'offre de "
            "la région : toutes ses communes paraissent en zone blanche faute d'offre importée, pas faute de formation. "
            "Importez l'export LHEO de la région (page Données, ou --offer en ligne de commande).")


def department_summary(result: pd.DataFrame, departements: pd.DataFrame, region_name: str) -> pd.DataFrame:
    """Per department and ``TOTAL``: white communes, inhabitants in white zones and their share."""
    per_dep = result.assign(white_pop=result["population"].where(result["white"], 0)).groupby("dep").agg(
        communes=("code", "size"), population=("population", "sum"),
        white_communes=("white", "sum"), white_population=("white_pop", "sum"),
    )
    table = departements.rename(columns={"code": "dep", "name": "dep_name"}).set_index("dep").join(per_dep).reset_index()
    total = table.drop(columns=["dep", "dep_name"]).sum()
    table = pd.concat([table, pd.DataFrame([{"dep": "TOTAL", "dep_name": region_name, **total}])], ignore_index=True)
    ints = ["communes", "population", "white_communes", "white_population"]
    table[ints] = table[ints].astype("int64")
    table["white_share"] = table["white_population"] / table["population"]
    return table[SUMMARY_COLUMNS]


# A sequential ramp (ColorBrewer YlOrRd): darker = farther, so colour-blind readers read the order by
# lightness; white zones are also hatched on the maps (not colour alone).
DISTANCE_CLASSES = [(0, 10, "#ffffb2", "moins de 10 km"), (10, 20, "#fecc5c", "10 à 20 km"),
                    (20, None, "#fd8d3c", "20 km au seuil")]
WHITE_COLOR = "#b10026"


def distance_color(km: float, threshold_km: float) -> str:
    """Pale yellow near a session, orange approaching the threshold, dark red beyond it (white zone, hatched)."""
    if km is None or km > threshold_km:
        return WHITE_COLOR
    if km < 10:
        return DISTANCE_CLASSES[0][2]
    if km < 20:
        return DISTANCE_CLASSES[1][2]
    return DISTANCE_CLASSES[2][2]


def distance_legend(threshold_km: float) -> list[tuple[str, str]]:
    from lib.core.fmt import fr_num

    limit = fr_num(threshold_km, 0)
    items = [(c, label) for low, _, c, label in DISTANCE_CLASSES if low < threshold_km]
    items[-1] = (items[-1][0], f"{fr_num(DISTANCE_CLASSES[len(items) - 1][0], 0)} à {limit} km")
    return [*items, (WHITE_COLOR, f"zone blanche : plus de {limit} km")]
