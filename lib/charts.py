"""Altair charts with French labels, the data's date in the title and a source line."""
from __future__ import annotations

import altair as alt
import pandas as pd

FONT = "Marianne, Arial, sans-serif"

# French number and time formats inside Vega-Lite (decimal comma, narrow-space thousands).
FR_LOCALE = {
    "number": {"decimal": ",", "thousands": "\u202f", "grouping": [3], "currency": ["", "\u00a0€"]},
    "time": {
        "dateTime": "%A %e %B %Y à %X",
        "date": "%d/%m/%Y",
        "time": "%H:%M:%S",
        "periods": ["AM", "PM"],
        "days": ["dimanche", "lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi"],
        "shortDays": ["dim.", "lun.", "mar.", "mer.", "jeu.", "ven.", "sam."],
        "months": ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août",
                   "septembre", "octobre", "novembre", "décembre"],
        "shortMonths": ["janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août",
                        "sept.", "oct.", "nov.", "déc."],
    },
}


def _finish(chart: alt.Chart, title: str, subtitle: str, height: int = 320) -> alt.Chart:
    return (
        chart.properties(title=alt.TitleParams(title, subtitle=[subtitle], anchor="start"), height=height)
        .configure(locale=FR_LOCALE, font=FONT)
        .configure_axis(labelFontSize=12, titleFontSize=12)
        .configure_legend(labelFontSize=12, titleFontSize=12, orient="bottom", columns=4, labelLimit=260)
        .configure_title(fontSize=15, subtitleFontSize=12, subtitleColor="#555")
    )


def unemployment_lines(data: pd.DataFrame, title: str, source: str) -> alt.Chart:
    """One line per series (departments, region, France); reference series dashed."""
    data = data.assign(reference=data["level"].ne("departement"))
    chart = (
        alt.Chart(data)
        .mark_line(point=alt.OverlayMarkDef(size=18))
        .encode(
            x=alt.X("date:T", title="Trimestre", axis=alt.Axis(format="%Y", tickCount="year")),
            y=alt.Y("rate:Q", title="Taux de chômage (%)", scale=alt.Scale(zero=False)),
            color=alt.Color("serie:N", title="Série"),
            strokeDash=alt.StrokeDash(
                "reference:N", legend=None, scale=alt.Scale(domain=[False, True], range=[[1, 0], [6, 3]])
            ),
            tooltip=[
                alt.Tooltip("serie:N", title="Série"),
                alt.Tooltip("quarter:N", title="Trimestre"),
                alt.Tooltip("rate:Q", title="Taux (%)", format=".1f"),
            ],
        )
    )
    return _finish(chart, title, source)
