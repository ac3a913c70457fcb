"""Charts and map of one objective of the pact (page Objectifs du pacte): the bullet chart (baseline, expected
today, realised with its 95 % interval, target), the trajectory over the years, and the departments'
contributions to a regional gap on a diverging map."""
from __future__ import annotations

import math

import altair as alt
import numpy as np
import pandas as pd

from lib.core.fmt import fr_int, fr_pct, fr_signed
from lib.render.charts import PCT_LABEL, _finish

REALISED_COLOR = "#000091"
PATH_COLOR = "#6a6a6a"
TARGET_COLOR = "#c9191e"
BULLET_COLORS = {"Valeur initiale": "#929292", "Attendu aujourd'hui": "#6a6af4", "Réalisé": REALISED_COLOR,
                 "Cible": TARGET_COLOR}
# ColorBrewer RdBu, 5 classes (behind: red; ahead: blue), readable by most colour-blind readers
DIVERGING = ["#ca0020", "#f4a582", "#f7f7f7", "#92c5de", "#0571b0"]


def amount(value: object, rate: bool) -> str:
    """A rate as « 55,4 % », a count as « 23 454 »; missing « – »."""
    return fr_pct(value, fraction=True) if rate else fr_int(value)


def _x_axis(rate: bool, title: str) -> alt.Axis:
    if rate:
        return alt.Axis(format=".0%", labelExpr=PCT_LABEL, title=title)
    return alt.Axis(format=",d", title=title)


def bullet(values: dict[str, float | None], ci: tuple[float | None, float | None], rate: bool, title: str,
           subtitle: str | list[str]) -> alt.Chart:
    """One horizontal bar per mark (« Valeur initiale », « Attendu aujourd'hui », « Réalisé », « Cible »), each
    labelled with its value, the realised bar with its 95 % interval, and the target drawn as a vertical rule
    across the bars. A missing value is labelled « non disponible » (no bar)."""
    rows = [{"repere": name, "value": values.get(name), "label": amount(values.get(name), rate)
             if values.get(name) is not None and not pd.isna(values.get(name)) else "non disponible"}
            for name in BULLET_COLORS]
    frame = pd.DataFrame(rows)
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    low, high = ci
    if rate and low is not None and not pd.isna(low):
        frame.loc[frame["repere"].eq("Réalisé"), "label"] += f" (IC 95 % : {fr_pct(low, fraction=True)} – " \
                                                            f"{fr_pct(high, fraction=True)})"
    top = max([v for v in [*frame["value"].dropna(), high] if v is not None and not pd.isna(v)] or [1.0])
    domain = [0, min(1.0, top * 1.35) if rate else top * 1.35]
    order = list(BULLET_COLORS)
    y = alt.Y("repere:N", sort=order, title=None)
    x_scale = alt.Scale(domain=domain)
    bars = alt.Chart(frame).mark_bar(height=22).encode(
        x=alt.X("value:Q", scale=x_scale, axis=_x_axis(rate, "Taux" if rate else "Entrées en formation")), y=y,
        color=alt.Color("repere:N", scale=alt.Scale(domain=order, range=list(BULLET_COLORS.values())), legend=None),
        tooltip=[alt.Tooltip("repere:N", title="Repère"), alt.Tooltip("label:N", title="Valeur")])
    at = frame["value"].fillna(0)
    if high is not None and not pd.isna(high):  # the realised value's label beyond its interval's right end
        at = at.where(frame["repere"].ne("Réalisé"), max(float(high), float(at[frame["repere"].eq("Réalisé")].iloc[0])))
    text = alt.Chart(frame.assign(at=at)).mark_text(align="left", dx=6, fontSize=12,
                                                                          color="#161616").encode(
        x=alt.X("at:Q", scale=x_scale), y=y, text="label:N")
    layers = [bars]
    if low is not None and not pd.isna(low):
        interval = pd.DataFrame({"repere": ["Réalisé"], "low": [low], "high": [high]})
        # plain rule and ticks, not Vega-Lite's composite errorbar: its sub-marks escape aria: false (axe svg-img-alt)
        whisker = alt.Chart(interval)
        layers.append(whisker.mark_rule(color="#161616", strokeWidth=2).encode(
            x=alt.X("low:Q", scale=x_scale, title=None), x2="high:Q", y=y))
        for end in ("low", "high"):
            layers.append(whisker.mark_tick(color="#161616", thickness=2, orient="vertical").encode(
                x=alt.X(f"{end}:Q", scale=x_scale, title=None), y=y))
    target = values.get("Cible")
    if target is not None and not pd.isna(target):
        layers.append(alt.Chart(pd.DataFrame({"value": [target]})).mark_rule(color=TARGET_COLOR, strokeWidth=2,
                                                                              strokeDash=[6, 3]).encode(
            x=alt.X("value:Q", scale=x_scale)))
    layers.append(text)
    takeaway = ", ".join(f"{row.repere.lower()} {row.label}" for row in frame.itertuples())
    return _finish(alt.layer(*layers), title, subtitle, height=320, takeaway=takeaway)


def trajectory(frame: pd.DataFrame, path: pd.DataFrame, target: tuple[int, float], rate: bool, title: str,
               subtitle: str | list[str]) -> alt.Chart:
    """The realised value per year (``year, realised, ci_low, ci_high``) with its intervals, the straight path
    (``path``: ``year, value``, dashed) and the target (a diamond labelled « cible »)."""
    realised = frame.dropna(subset=["realised"]).assign(
        serie="Réalisé", label=lambda f: f["realised"].map(lambda v: amount(v, rate)))
    path = path.assign(serie="Trajectoire attendue (droite)", label=path["value"].map(lambda v: amount(v, rate)))
    aim = pd.DataFrame({"year": [target[0]], "value": [target[1]], "serie": ["Cible"],
                        "label": [f"cible {amount(target[1], rate)}"]})
    values = [*realised["realised"], *realised["ci_high"].dropna(), *path["value"], target[1]]
    top = max([float(v) for v in values if v is not None and not pd.isna(v)] or [1.0])
    y_scale = alt.Scale(domain=[0, min(1.0, top * 1.2) if rate else top * 1.2])
    years = sorted({*realised["year"].astype(int), *path["year"].astype(int), int(target[0])})
    x = alt.X("year:Q", title="Année", scale=alt.Scale(domain=[years[0] - 0.3, years[-1] + 0.3]),
              axis=alt.Axis(format="d", values=years, tickMinStep=1))
    y_axis = _x_axis(rate, "Taux" if rate else "Entrées en formation")
    series = ["Réalisé", "Trajectoire attendue (droite)", "Cible"]
    color = alt.Color("serie:N", title=None, scale=alt.Scale(domain=series, range=[REALISED_COLOR, PATH_COLOR,
                                                                                   TARGET_COLOR]))
    dash = alt.StrokeDash("serie:N", scale=alt.Scale(domain=series, range=[[1, 0], [6, 4], [1, 0]]), legend=None)
    tooltip = [alt.Tooltip("serie:N", title="Série"), alt.Tooltip("year:Q", title="Année", format="d"),
               alt.Tooltip("label:N", title="Valeur")]
    layers = [alt.Chart(path).mark_line(strokeWidth=2).encode(x=x, y=alt.Y("value:Q", scale=y_scale, axis=y_axis),
                                                                 color=color, strokeDash=dash, tooltip=tooltip)]
    if not realised.empty:
        line = alt.Chart(realised).encode(x=x, y=alt.Y("realised:Q", scale=y_scale, axis=y_axis), color=color,
                                          tooltip=tooltip)
        layers += [line.mark_line().encode(strokeDash=dash), line.mark_point(size=60, filled=True)]  # no overlay
        ci = realised.dropna(subset=["ci_low"])
        if not ci.empty:
            layers.append(alt.Chart(ci).mark_rule(color=REALISED_COLOR).encode(
                x=x, y=alt.Y("ci_low:Q", scale=y_scale, title=None), y2="ci_high:Q"))
    layers.append(alt.Chart(aim).mark_point(shape="diamond", size=160, filled=True).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale), color=color, tooltip=tooltip))
    layers.append(alt.Chart(aim).mark_text(dy=-14, fontSize=12, color=TARGET_COLOR).encode(
        x=x, y=alt.Y("value:Q", scale=y_scale), text="label:N"))
    last = realised.iloc[-1] if len(realised) else None
    takeaway = (f"{amount(last['realised'], rate)} en {int(last['year'])}" if last is not None else "aucune valeur "
                "réalisée") + f", cible {amount(target[1], rate)} en {int(target[0])}"
    return _finish(alt.layer(*layers), title, subtitle, height=400, takeaway=takeaway)


def diverging_classes(values: pd.Series, unit: str, decimals: int):
    """Five classes symmetric around 0 (behind / slightly behind / about on track / slightly ahead / ahead)."""
    from lib.render.maps import Classes

    clean = values.dropna().astype(float)
    reach = float(clean.abs().max()) if len(clean) else 1.0
    step = 10 ** -decimals
    reach = max(step * 5, math.ceil(reach / step) * step)
    breaks = list(np.round([-reach, -0.6 * reach, -0.2 * reach, 0.2 * reach, 0.6 * reach, reach], decimals + 1))
    return Classes(breaks=breaks, colors=DIVERGING, unit=unit, decimals=decimals)


def contribution_map(geojson: dict, bounds: list[list[float]], value_key: str, unit: str, decimals: int,
                     legend_title: str, description: str):
    """The departments coloured by their contribution to the regional gap (diverging classes, the secret ones
    grey « secret (s) »), a legend with its unit, and the tooltip (department, realised, contribution)."""
    from lib.render import maps

    values = pd.Series([f["properties"].get(value_key) for f in geojson["features"]], dtype="float64")
    classes = diverging_classes(values, unit, decimals)
    items = [(color, label) for color, label in zip(classes.colors, _signed(classes))]
    if values.isna().any():
        items.append((maps.NO_DATA, "secret (s) ou non disponible"))
    fmap = maps.polygons(geojson, bounds, lambda p: classes.color(p.get(value_key)), f"{legend_title} ({unit})", items,
                         ["departement", "realise_txt", "contribution_txt"],
                         ["Département", "Réalisé", "Contribution à l'écart"])
    return maps.describe(fmap, description)


def _signed(classes) -> list[str]:
    """Class labels with their meaning: « −0,4 – −0,2 (en retard) »."""
    words = ["en retard", "un peu en retard", "proche de la trajectoire", "un peu en avance", "en avance"]
    # maps.Classes writes « -0,4 »: a typographic minus, as the tables (fr_signed) write it
    return [f"{label} ({word})".replace("-", "−") for label, word in zip(classes.labels, words)]


def points(value: float) -> str:
    """A rate's contribution in points: « −0,20 »."""
    return fr_signed(value * 100, 2)
