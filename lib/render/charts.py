"""Altair charts with French labels, the data's date in the title and a source line."""
from __future__ import annotations

import re

import altair as alt
import pandas as pd

from lib.core.fmt import fr_int, fr_num, fr_pct

FONT = "Marianne, Arial, sans-serif"
SUBTITLE_COLOR = "#555555"  # 7.5:1 on white

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


def describe(title: str, takeaway: str) -> str:
    """The chart's accessible description: its title and its takeaway, one sentence (RGAA 1.3)."""
    takeaway = takeaway.strip().rstrip(".")
    return f"{title.rstrip('.')} : {takeaway}." if takeaway else f"{title.rstrip('.')}."


def _finish(chart: alt.Chart, title: str, subtitle: str | list[str], height: int = 320, legend: str = "bottom",
            takeaway: str = "", plot: bool = False) -> alt.Chart:
    """Title with the data's scope/date as subtitle (one line per item of a list), French locale.
    ``height`` is the whole chart's (Streamlit fits title, axes and legend inside it), or with ``plot``
    the plotting area's: the chart fits the container's width only (``fit-x``) and grows downwards by
    its title, axes and legend, so a long title or a legend never squashes the plot (at 1366 px a
    four-line title and a two-entry legend left the Fiche's unemployment chart 15 px of plot).

    ``description`` (title and ``takeaway``) is the chart's accessible name; the marks and guides
    leave the accessibility tree (``aria: false``: Vega would describe each mark, in English): the
    table beside each chart is the full text alternative."""
    lines = wrap_subtitle(subtitle if isinstance(subtitle, list) else [subtitle])
    narrow = [part for line in lines for part in wrap_words(line, NARROW_CHARS)]
    if plot:
        chart = chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))
    return themed(
        chart.properties(title=alt.TitleParams(narrow_text([title], wrap_words(title, NARROW_TITLE_CHARS)), subtitle=lines,
                                               anchor="start"),
                         height=height, description=describe(title, takeaway), usermeta={NARROW_SUBTITLE: narrow}),
        legend)


# Text of every chart at ≥ 4,5:1 on white (Streamlit's theme draws axes and legends in #808495, 3,72:1; RGAA 3.2),
# guides at ≥ 3:1, and series in colours ≥ 3:1 (Streamlit's second series is #83c9ff, 1,79:1; RGAA 3.3).
TEXT_COLOR = "#3a3a3a"  # 11,4:1 on white
GUIDE_COLOR = "#6a6a6a"  # 5,4:1 on white
SERIES_COLORS = ["#0063cb", "#c9191e", "#18753c", "#7d4e5b", "#b34000", "#5e2a2b", "#3a3a3a", "#6a6af4"]
# Below this container width (px) titles, subtitles, legends and category labels take their narrow form
# (reflow at 320 px, RGAA 10.11): titles and subtitles on more lines, legend in one column, labels shortened.
NARROW_PX = 520
NARROW_CHARS = 40
NARROW_TITLE_CHARS = 28
NARROW_SUBTITLE = "pric_narrow_subtitle"  # usermeta: the narrow subtitle, made a signal by lib.app.present.chart_spec
NARROW = f"containerSize()[0] < {NARROW_PX}"
# A legend label on lines of at most 24 characters in a narrow container (cut between words), whole otherwise.
NARROW_LABEL = NARROW + r" ? split(trim(replace(datum.label, regexp('(.{1,24})(\\s+|$)', 'g'), '$1\n')), '\n') : datum.label"


def themed(chart, legend: str = "bottom"):
    """French locale, font, readable colours and the narrow-screen forms (see the constants above)."""
    return (
        chart.configure(locale=FR_LOCALE, font=FONT, aria=False)
        .configure_axis(labelFontSize=12, titleFontSize=12, labelColor=TEXT_COLOR, titleColor=TEXT_COLOR,
                        domainColor=GUIDE_COLOR, tickColor=GUIDE_COLOR)
        .configure_axisY(labelLimit=alt.ExprRef(f"{NARROW} ? max(70, containerSize()[0] * 0.36) : 260"))
        .configure_legend(labelFontSize=12, titleFontSize=12, orient=legend,
                          columns=alt.ExprRef(f"{NARROW} ? 1 : 4") if legend == "bottom" else 1,
                          labelLimit=260,
                          gradientLength=alt.ExprRef(f"{NARROW} ? max(80, containerSize()[0] - 200) : 200"),
                          labelColor=TEXT_COLOR, titleColor=TEXT_COLOR)
        .configure_header(labelColor=TEXT_COLOR, titleColor=TEXT_COLOR)
        .configure_range(category=SERIES_COLORS)
        .configure_title(fontSize=15, subtitleFontSize=12, subtitleColor=SUBTITLE_COLOR, color="#161616")
    )


def wrap_words(text: str, width: int) -> list[str]:
    """``text`` on lines of at most ``width`` characters, cut between words."""
    out, current = [], ""
    for word in text.split():
        if current and len(current) + 1 + len(word) > width:
            out.append(current)
            current = word
        else:
            current = f"{current} {word}".strip()
    return out + ([current] if current else [])


def narrow_text(wide: list[str], narrow: list[str]) -> alt.ExprRef:
    """A title that takes its ``narrow`` lines in a narrow container, its ``wide`` ones otherwise."""
    import json

    return alt.ExprRef(f"{NARROW} ? {json.dumps(narrow, ensure_ascii=False)} : {json.dumps(wide, ensure_ascii=False)}")


def narrow_subtitles(spec: dict) -> dict:
    """The subtitle as a signal choosing its narrow lines in a narrow container (Vega-Lite accepts no
    expression there, Vega does): applied to the spec sent to the browser (lib/lib.app.present.chart_spec)."""
    import json

    def legends(node: object) -> None:
        # Every legend's labels on several lines in a narrow container (Vega-Lite's legend config has no
        # labelExpr: set on each legend).
        if isinstance(node, dict):
            for channel in ("color", "fill", "stroke", "shape", "size", "opacity", "strokeDash"):
                encoding = (node.get("encoding") or {}).get(channel)
                if isinstance(encoding, dict) and "field" in encoding and encoding.get("legend", {}) is not None:
                    legend = encoding.setdefault("legend", {})
                    legend.setdefault("labelExpr", NARROW_LABEL)
            for key in ("layer", "hconcat", "vconcat", "concat"):
                for child in node.get(key, []) or []:
                    legends(child)
            if isinstance(node.get("spec"), dict):
                legends(node["spec"])

    def walk(node: dict) -> None:
        legends(node)
        narrow = (node.get("usermeta") or {}).pop(NARROW_SUBTITLE, None)
        title = node.get("title")
        if narrow is not None and isinstance(title, dict) and title.get("subtitle"):
            wide = title["subtitle"] if isinstance(title["subtitle"], list) else [title["subtitle"]]
            title["subtitle"] = {"signal": f"{NARROW} ? {json.dumps(narrow, ensure_ascii=False)} : "
                                           f"{json.dumps(wide, ensure_ascii=False)}"}
        if node.get("usermeta") == {}:
            node.pop("usermeta")

    walk(spec)
    return spec


SUBTITLE_CHARS = 66  # what a half-width chart shows at 1366 px (12 px font) before Vega cuts the line with « … »


def wrap_subtitle(lines: list[str], width: int = SUBTITLE_CHARS) -> list[str]:
    """Subtitle lines cut at their own separators (« — », « ; », « · ») so that none is longer than
    ``width``: Vega truncates a long line with « … », which hid the data's date or the words
    « données de démonstration » at the end of a half-width chart's subtitle."""
    out: list[str] = []
    for line in lines:
        if not line:
            continue
        pieces = [p for p in re.split(r"(?<= —)\s|(?<= ;)\s|\s(?=— )", line) if p]
        current = ""
        for piece in pieces:
            candidate = f"{current} {piece}".strip() if current else piece
            if len(current) >= 16 and len(candidate) > width:  # a short head (« Repères — ») stays with what follows
                out.append(current.strip())
                current = piece
            else:
                current = candidate
        if current.strip():
            out.append(current.strip())
    return out


UNEMPLOYMENT_PLOT_HEIGHT = 230  # px of plot, whatever the title's and the legend's lines


def unemployment_lines(data: pd.DataFrame, title: str, source: str) -> alt.Chart:
    """One line per series (departments, region, France); reference series dashed. One legend: the
    points carry colour and symbol together (a line mark takes no shape: with both channels on the
    line, vl-convert drew a second, black legend of the symbols in the PNG and the PDF)."""
    data = data.assign(reference=data["level"].ne("departement"))
    x = alt.X("date:T", title="Trimestre", axis=alt.Axis(format="%Y", tickCount="year"))
    y = alt.Y("rate:Q", title="Taux de chômage (%)", scale=alt.Scale(zero=False))
    tooltip = [alt.Tooltip("serie:N", title="Série"), alt.Tooltip("quarter:N", title="Trimestre"),
               alt.Tooltip("rate:Q", title="Taux (%)", format=".1f")]
    # One line layer per series, its colour and dash fixed (no channel, no legend): a line colour channel
    # beside the points' colour and symbol made a second legend (PNG, PDF, and the browser's narrow form).
    series = sorted(data["serie"].astype(str).unique())
    palette = dict(zip(series, SERIES_COLORS * (1 + len(series) // len(SERIES_COLORS))))
    lines = []
    for serie in series:
        part = data[data["serie"].astype(str).eq(serie)]
        lines.append(alt.Chart(part).mark_line(color=palette[serie], strokeDash=[6, 3] if part["reference"].all() else [1, 0])
                     .encode(x=x, y=y, tooltip=tooltip))
    points = alt.Chart(data).mark_point(size=30, filled=True, opacity=1).encode(
        x=x, y=y, color=alt.Color("serie:N", title="Série", scale=alt.Scale(domain=series, range=list(palette.values()))),
        shape=alt.Shape("serie:N", title="Série", scale=alt.Scale(domain=series)),  # not colour alone
        tooltip=tooltip)
    chart = alt.layer(*lines, points)
    last = data[data["date"].eq(data["date"].max())].sort_values("rate", ascending=False)
    takeaway = ""
    if len(last):
        quarter = str(last["quarter"].iloc[0])
        takeaway = (f"au dernier trimestre ({quarter}), " + ", ".join(
            f"{serie} {fr_pct(rate)}" for serie, rate in zip(last["serie"], last["rate"])))
    return _finish(chart, title, source, height=UNEMPLOYMENT_PLOT_HEIGHT, takeaway=takeaway, plot=True)


# Sequential ramps (light to dark, readable by colour-blind readers); cell text is white from
# ``*_WHITE_FROM`` of the ramp on (black before): ≥ 4.5:1 everywhere (tests/unit/test_a11y.py).
BLUES = ["#cfe1f2", "#bed8ec", "#a8cee5", "#8fc1de", "#74b2d7", "#5ba3cf", "#4592c6", "#3181bd", "#206fb2", "#125ca4",
         "#0a4a90"]
BLUES_WHITE_FROM = 0.75
ORANGES = ["#fff5eb", "#fee6ce", "#fdd0a2", "#fdae6b", "#fd8d3c", "#f16913", "#d94801", "#a63603", "#7f2704"]
ORANGES_WHITE_FROM = 0.77


def _white_text_test(field: str, values: pd.Series, start: float) -> str:
    low, high = float(values.min()), float(values.max())
    return f"datum.{field} >= {low + start * (high - low) if high > low else high + 1}"


PCT_LABEL = "replace(format(datum.value, '.0%'), '%', '\u202f%')"


def _percent_axis(title: str) -> alt.Axis:
    """A 0–100 % axis with French labels (``10 %``)."""
    return alt.Axis(format=".0%", labelExpr=PCT_LABEL, title=title)


# Reference marks: colour says whose figure (region/pact vs national), the line or symbol says whether it
# measures the same thing as the bars (solid, filled) or something close (dashed, hollow).
REFERENCE_COLORS = {"region": "#c9191e", "national": "#00695c"}
REFERENCE_DASH = {"same": [1, 0], "close": [6, 3]}
REFERENCE_PREFIX = {"region": "région ", "national": "nat. "}
# ... and the symbol says whose figure too, so the meaning never rests on colour alone (red and green
# look alike to many colour-blind readers): diamond = region/pact, square = national.
REFERENCE_SHAPES = {"region": "diamond", "national": "square"}


def _reference_shape() -> alt.Shape:
    return alt.Shape("scope:N", scale=alt.Scale(domain=list(REFERENCE_SHAPES), range=list(REFERENCE_SHAPES.values())),
                     legend=None)


def _reference_layers(references: pd.DataFrame, category: str, sort: list[str], x_scale: alt.Scale) -> list:
    """Rules (or per-category symbols) for each reference, a row of its own with its visible label
    (``row``: what, year, source; ``|`` breaks the line) and its value written beside its symbol."""
    refs = references.assign(value_txt=[fr_pct(v, 0, fraction=True) for v in references["value"]],
                             color=references["scope"].map(REFERENCE_COLORS),
                             filled=references["definition"].eq("same"))
    tooltip = [alt.Tooltip("row:N", title="Repère"), alt.Tooltip("value:Q", format=".0%", title="Valeur"),
               alt.Tooltip("source:N", title="Source")]
    y_row = alt.Y("row:N", sort=sort, scale=alt.Scale(domain=sort))
    layers = []
    if category in refs:  # one value per category: a symbol on each bar's row, its value above it
        per_row = refs[refs[category].notna()]
        layers.append(alt.Chart(per_row).mark_point(size=150, strokeWidth=2.5, opacity=1).encode(shape=_reference_shape(),
            y=alt.Y(f"{category}:N", sort=sort, scale=alt.Scale(domain=sort)), x=alt.X("value:Q", scale=x_scale),
            color=alt.Color("color:N", scale=None), fill=alt.condition("datum.filled", alt.Fill("color:N", scale=None), alt.value("white")),
            tooltip=tooltip))
        # The value at the right end of the row (never over a bar's dark blue).
        per_row = per_row.assign(at=x_scale.domain[1], value_txt=per_row["scope"].map(REFERENCE_PREFIX) + per_row["value_txt"])
        layers.append(alt.Chart(per_row).mark_text(align="right", dx=-2, fontSize=12, fontWeight="bold").encode(
            y=alt.Y(f"{category}:N", sort=sort, scale=alt.Scale(domain=sort)), x=alt.X("at:Q", scale=x_scale),
            text="value_txt:N", color=alt.Color("color:N", scale=None)))
        legend_rows = refs[refs[category].isna()]
        if len(legend_rows):  # the row that says what the symbols are: its symbol at the start of the row
            low, high = x_scale.domain
            legend_rows = legend_rows.assign(at=low + 0.02 * (high - low))
            layers.append(alt.Chart(legend_rows).mark_point(size=150, strokeWidth=2.5, opacity=1).encode(shape=_reference_shape(),
                y=y_row, x=alt.X("at:Q", scale=x_scale), color=alt.Color("color:N", scale=None),
                fill=alt.condition("datum.filled", alt.Fill("color:N", scale=None), alt.value("white")), tooltip=tooltip))
        return layers
    layers.append(alt.Chart(refs).mark_rule(strokeWidth=2.5).encode(
        x=alt.X("value:Q", scale=x_scale), color=alt.Color("color:N", scale=None),
        strokeDash=alt.StrokeDash("definition:N", scale=alt.Scale(domain=list(REFERENCE_DASH),
                                                                  range=list(REFERENCE_DASH.values())), legend=None),
        tooltip=tooltip))
    layers.append(alt.Chart(refs).mark_point(size=170, strokeWidth=2.5, opacity=1).encode(shape=_reference_shape(),
        y=y_row, x=alt.X("value:Q", scale=x_scale), color=alt.Color("color:N", scale=None),
        fill=alt.condition("datum.filled", alt.Fill("color:N", scale=None), alt.value("white")), tooltip=tooltip))
    layers.append(alt.Chart(refs).mark_text(align="left", dx=10, fontSize=12, fontWeight="bold").encode(
        y=y_row, x=alt.X("value:Q", scale=x_scale), text="value_txt:N", color=alt.Color("color:N", scale=None)))
    return layers


def reference_key(references: pd.DataFrame | None) -> str:
    """One French sentence saying what the reference marks' colours and lines mean (for the subtitle)."""
    if references is None or not len(references):
        return ""
    parts = []
    if references["scope"].eq("region").any():
        parts.append("rouge, losange : région (Pacte)")
    if references["scope"].eq("national").any():
        parts.append("vert, carré : national")
    parts.append("plein : même définition ; creux ou tirets : définition proche")
    return "Repères — " + " ; ".join(parts)


# Category labels (publics, pathway types, reference rows): a label with « | » on one line per part (a reference
# row: what, year, source | what it measures); another label whole, or in a narrow container on lines of at most
# WRAP_CHARS characters cut between words (« Personnes handicapées (RQTH) » was cut to « Personnes han… »).
WRAP_CHARS = 22
LABEL_LINE_PX = 14
CATEGORY_LABEL = (f"indexof(datum.label, '|') >= 0 ? split(datum.label, '|') : {NARROW} ? "
                  rf"split(trim(replace(datum.label, regexp('(.{{1,{WRAP_CHARS}}})(\\s+|$)', 'g'), '$1\n')), '\n') : datum.label")
# What a label line may take (px) before Vega cuts it with « … »: ≥ 22 characters of 12 px text in a narrow container.
CATEGORY_LABEL_LIMIT = f"{NARROW} ? max(150, containerSize()[0] * 0.5) : 300"
# A reference row's « — même indicateur » / « — définition proche »: said by its symbol (filled or hollow), its
# line (solid or dashed) and the subtitle's key; left out of the row so that the row's two lines fit.
DEFINITION_SUFFIX = r" — (même indicateur|définition proche)$"


def label_lines(label: str, width: int = WRAP_CHARS) -> int:
    """How many lines ``label`` takes on the axis at most (in a narrow container)."""
    return label.count("|") + 1 if "|" in label else len(wrap_words(label, width)) or 1


def category_rows_height(labels: list[str]) -> int:
    """The plot's height (px) giving every row the height of the tallest label: two reference rows of two
    lines each were drawn over each other in rows of about 20 px."""
    lines = max((label_lines(str(label)) for label in labels), default=1)
    return len(labels) * max(26, LABEL_LINE_PX * lines + 6)


def rate_bars(data: pd.DataFrame, category: str, category_title: str, title: str, subtitle: str,
              references: pd.DataFrame | None = None, height: int | None = None) -> alt.Chart:
    """Horizontal bars of a rate by category with 95 % intervals; fragile cells paler and said
    so, suppressed cells written "s" (never drawn as 0); optional reference marks.

    ``data``: ``category, rate, ci_low, ci_high, status, statut, numerator, denominator``.
    ``references``: ``value, row, scope`` (``region``/``national``), ``definition`` (``same``/``close``),
    ``source``; without ``category`` each is a vertical line with a labelled row of its own; with
    ``category`` each is a symbol on that category's bar, and rows whose category is empty label them.
    """
    data = data.assign(opacity=data["status"].map({"ok": 1.0, "fragile": 0.45}).fillna(0.0),
                       shown=data["rate"].fillna(0),
                       mark=data["status"].map({"suppressed": "s", "incoherent": "!", "fragile": "fragile",
                                                 "unknown": "?"}).fillna(""))
    has_refs = references is not None and len(references) > 0
    if has_refs:
        references = references.assign(row=references["row"].str.replace(DEFINITION_SUFFIX, "", regex=True))
    ref_rows = list(dict.fromkeys(references["row"].dropna())) if has_refs else []
    sort = list(data[category]) + ref_rows
    top = max(float(data["ci_high"].max() or 0), float(references["value"].max()) if has_refs else 0)
    domain = [0, 1] if top > 0.6 else [0, max(0.05, round(top * 1.25, 2))]
    x_scale = alt.Scale(domain=domain)
    y_axis = alt.Axis(labelLimit=alt.ExprRef(CATEGORY_LABEL_LIMIT), labelOverlap=False, labelFontSize=12,
                      labelLineHeight=LABEL_LINE_PX, labelExpr=CATEGORY_LABEL)
    base = alt.Chart(data).encode(y=alt.Y(f"{category}:N", title=None, sort=sort, axis=y_axis,
                                          scale=alt.Scale(domain=sort)))
    tooltip = [alt.Tooltip(f"{category}:N", title=category_title), alt.Tooltip("rate:Q", title="Taux", format=".1%"),
               alt.Tooltip("ci_low:Q", title="IC 95 % bas", format=".1%"), alt.Tooltip("ci_high:Q", title="IC 95 % haut", format=".1%"),
               alt.Tooltip("numerator:Q", title="Numérateur", format=",d"), alt.Tooltip("denominator:Q", title="Dénominateur", format=",d"),
               alt.Tooltip("statut:N", title="Statut")]
    x = alt.X("shown:Q", axis=_percent_axis(None), scale=x_scale)
    bars = base.mark_bar(color="#000091", height={"band": 0.7}, stroke="#000091", strokeWidth=1.5).encode(
        x=x, opacity=alt.Opacity("opacity:Q", legend=None, scale=None), tooltip=tooltip,
        strokeDash=alt.condition("datum.status == 'fragile'", alt.value([4, 2]), alt.value([1, 0])))
    errors = base.mark_rule(color="#222", strokeWidth=1.5).encode(x="ci_low:Q", x2="ci_high:Q", tooltip=tooltip)
    marks = base.mark_text(align="left", dx=6, fontSize=12, fontWeight="bold", color="#b34000").encode(
        x=alt.X("ci_high:Q"), text="mark:N", tooltip=tooltip)
    secret = base.transform_filter("datum.rate == null").mark_text(align="left", dx=4, fontSize=13, fontWeight="bold",
                                                                    color="#b34000").encode(x=alt.datum(0), text="mark:N")
    layers = [bars, errors, marks, secret]
    subtitles = [subtitle]
    if has_refs:
        layers += _reference_layers(references, category, sort, x_scale)
        subtitles.append(reference_key(references))
    return _finish(alt.layer(*layers), title, subtitles, height or category_rows_height(sort), plot=True,
                   takeaway=_rates_takeaway(data, category, references if has_refs else None))


def _label(value: object) -> str:
    return str(value).replace("|", " ")


def _rates_takeaway(data: pd.DataFrame, category: str, references: pd.DataFrame | None) -> str:
    """Highest and lowest shown rate, cells kept secret or fragile, reference marks: one sentence."""
    shown = data[data["rate"].notna()].sort_values("rate", ascending=False)
    parts = []
    if len(shown) == 1:
        parts.append(f"{_label(shown[category].iloc[0])} {fr_pct(shown['rate'].iloc[0], fraction=True)}")
    elif len(shown):
        parts.append(f"le plus élevé {_label(shown[category].iloc[0])} {fr_pct(shown['rate'].iloc[0], fraction=True)}, "
                     f"le plus bas {_label(shown[category].iloc[-1])} {fr_pct(shown['rate'].iloc[-1], fraction=True)}")
    secret = int(data["status"].eq("suppressed").sum())
    fragile = int(data["status"].eq("fragile").sum())
    if secret:
        parts.append(f"{secret} en secret statistique")
    if fragile:
        parts.append(f"{fragile} à effectif fragile")
    if unknown := int(data["status"].eq("unknown").sum()):
        parts.append(f"{unknown} non calculé(s), trop de valeurs inconnues (?)")
    if references is not None and len(references):
        parts.append("repères : " + ", ".join(f"{_label(row)} {fr_pct(value, 0, fraction=True)}" for row, value in
                                             zip(references["row"].fillna(references.get(category, "")), references["value"])))
    return " ; ".join(parts)


def rate_heatmap(data: pd.DataFrame, x: str, x_title: str, y: str, y_title: str, title: str, subtitle: str) -> alt.Chart:
    """Rate by two categories; suppressed cells grey with "s", fragile cells marked with "*"."""
    import textwrap

    data = data.assign(text=[("s" if s == "suppressed" else ("!" if s == "incoherent" else ("?" if s == "unknown" else
                              f"{r:.0%}".replace("%", " %") + ("*" if s == "fragile" else ""))))
                             for r, s in zip(data["rate"], data["status"])],
                       # Column labels on several lines, so that every column keeps its label at 1366 px.
                       x_label=data[x].map(lambda label: textwrap.fill(str(label), 14, break_long_words=False).replace("\n", "|")))
    base = alt.Chart(data).encode(x=alt.X("x_label:N", title=x_title,
                                          axis=alt.Axis(labelAngle=0, labelLimit=200, labelOverlap=False,
                                                        labelExpr="split(datum.label, '|')")),
                                  y=alt.Y(f"{y}:N", title=y_title, axis=alt.Axis(labelLimit=200)))
    tooltip = [alt.Tooltip(f"{y}:N", title=y_title), alt.Tooltip(f"{x}:N", title=x_title),
               alt.Tooltip("rate:Q", format=".1%", title="Taux"), alt.Tooltip("denominator:Q", format=",d", title="Dénominateur"),
               alt.Tooltip("statut:N", title="Statut")]
    rates = data["rate"].dropna()
    domain = [float(rates.min()), float(rates.max())] if len(rates) else [0.0, 1.0]
    rect = base.mark_rect().encode(color=alt.Color("rate:Q", title="Taux", scale=alt.Scale(range=BLUES, domain=domain),
                                                   legend=alt.Legend(format=".0%", labelExpr=PCT_LABEL)), tooltip=tooltip)
    grey = base.transform_filter("datum.rate == null").mark_rect(color="#d9d9d9").encode(tooltip=tooltip)
    text = base.mark_text(fontSize=12).encode(text="text:N", color=alt.condition(
        _white_text_test("rate", rates if len(rates) else pd.Series([0.0]), BLUES_WHITE_FROM), alt.value("white"), alt.value("black")))
    rows = data[y].nunique()
    shown = data[data["rate"].notna()].sort_values("rate")
    takeaway = ""
    if len(shown):
        low, high = shown.iloc[0], shown.iloc[-1]
        takeaway = (f"de {fr_pct(low['rate'], fraction=True)} ({_label(low[y])}, {_label(low[x])}) à "
                    f"{fr_pct(high['rate'], fraction=True)} ({_label(high[y])}, {_label(high[x])})")
    secret = int(data["status"].eq("suppressed").sum())
    if secret:
        takeaway += f" ; {secret} cellules en secret statistique"
    return _finish(alt.layer(rect, grey, text), title, subtitle, height=34 * rows + 170, legend="bottom", takeaway=takeaway)


def gauge(share: float, target: float, title: str, subtitle: str) -> alt.Chart:
    """A half-circle gauge of ``share`` (0–1) with the ``target`` needle."""
    import math

    scale_max = max(0.3, math.ceil(max(share, target) * 1.5 * 10) / 10)
    arcs = pd.DataFrame({"part": ["valeur", "reste"], "value": [share, scale_max - share], "color": ["#000091", "#e5e5e5"],
                         "x": [0, 0], "y": [0, 0]})
    xs = alt.X("x:Q", scale=alt.Scale(domain=[-140, 140]), axis=None)
    ys = alt.Y("y:Q", scale=alt.Scale(domain=[-20, 140]), axis=None)
    # The half ring centred on the data's origin, where the needle turns (centred on the view, it ran into the title
    # and the needle crossed the value)
    pie = alt.Chart(arcs).mark_arc(innerRadius=70, outerRadius=110).encode(
        x=xs, y=ys,
        theta=alt.Theta("value:Q", stack=True, scale=alt.Scale(domain=[0, scale_max], range=[-math.pi / 2, math.pi / 2])),
        color=alt.Color("color:N", scale=None), order=alt.Order("part:N", sort="descending"),
        tooltip=[alt.Tooltip("value:Q", format=".1%", title="Part")])
    angle = -math.pi / 2 + math.pi * target / scale_max
    # the needle across the ring only: the value written in the ring's hollow stays clear
    needle = pd.DataFrame({"x": [62 * math.sin(angle), 115 * math.sin(angle)], "y": [62 * math.cos(angle), 115 * math.cos(angle)]})
    label = pd.DataFrame({"text": [f"{share:.1%}".replace(".", ",").replace("%", " %")], "x": [0], "y": [10]})
    target_label = pd.DataFrame({"text": [f"objectif {target:.0%}".replace("%", " %")],
                                 "x": [128 * math.sin(angle)], "y": [128 * math.cos(angle)]})
    line = alt.Chart(needle).mark_line(color="#e1000f", strokeWidth=3).encode(x=xs, y=ys)
    value = alt.Chart(label).mark_text(fontSize=26, fontWeight="bold", color="#000091").encode(x=xs, y=ys, text="text:N")
    target_text = alt.Chart(target_label).mark_text(fontSize=12, color="#e1000f").encode(x=xs, y=ys, text="text:N")
    takeaway = f"{fr_pct(share, fraction=True)}, pour un objectif de {fr_pct(target, 0, fraction=True)}"
    return _finish(alt.layer(pie, line, value, target_text).properties(width=300), title, subtitle, height=180,
                   takeaway=takeaway)


PLAN_COLORS = ["#7b7bf5", "#000091"]  # ≥ 3:1 on white and against each other


def plan_vs_realised_bars(data: pd.DataFrame, title: str, subtitle: str) -> alt.Chart:
    """Planned vs realised parcours per year, side by side, one panel per axis."""
    long = data.melt(id_vars=["year", "axis"], value_vars=["prevus", "realises"], var_name="serie", value_name="parcours")
    long["serie"] = long["serie"].map({"prevus": "Prévus (Pacte)", "realises": "Réalisés (données)"})
    long["axe"] = "Axe " + long["axis"].astype(str)
    chart = alt.Chart(long).mark_bar().encode(
        x=alt.X("year:O", title="Année"), xOffset="serie:N", y=alt.Y("parcours:Q", title="Parcours", axis=alt.Axis(format=",d")),
        color=alt.Color("serie:N", title=None, scale=alt.Scale(range=PLAN_COLORS)),
        column=alt.Column("axe:N", title=None),
        tooltip=["axe:N", "year:O", "serie:N", alt.Tooltip("parcours:Q", format=",d")],
    ).properties(width=220, height=220)
    years = sorted(data["year"].unique())
    takeaway = (f"{fr_int(data['realises'].sum())} parcours réalisés pour {fr_int(data['prevus'].sum())} prévus"
                + (f", de {years[0]} à {years[-1]}" if years else ""))
    return themed(chart.properties(title=alt.TitleParams(title, subtitle=[subtitle], anchor="start"),
                                   description=describe(title, takeaway)))


def motif_heatmap(table: pd.DataFrame, columns: dict[str, str], title: str, subtitle: str) -> alt.Chart:
    """The pact's abandonment motifs × qualification table, as printed (shares in %)."""
    long = table.melt(id_vars=["motif"], value_vars=list(columns), var_name="qualification", value_name="part")
    long["qualification"] = long["qualification"].map(columns)
    base = alt.Chart(long).encode(x=alt.X("qualification:N", title=None, sort=list(columns.values()),
                                          axis=alt.Axis(labelAngle=-25, labelLimit=220, labelOverlap=False)),
                                  y=alt.Y("motif:N", title=None, sort=list(table["motif"]), axis=alt.Axis(labelLimit=340)))
    rect = base.mark_rect().encode(color=alt.Color("part:Q", title="% des abandons", scale=alt.Scale(range=ORANGES, domain=[float(long["part"].min()), float(long["part"].max())])),
                                   tooltip=["motif:N", "qualification:N", alt.Tooltip("part:Q", title="%")])
    text = base.mark_text(fontSize=11).encode(text=alt.Text("part:Q", format="d"),
                                              color=alt.condition(_white_text_test("part", long["part"], ORANGES_WHITE_FROM),
                                                                  alt.value("white"), alt.value("black")))
    top = long.sort_values("part", ascending=False).iloc[0] if len(long) else None
    takeaway = "" if top is None else (f"part la plus forte : {top['motif']}, {top['qualification']} "
                                       f"({fr_num(top['part'], 0)} %)")
    return _finish(alt.layer(rect, text), title, subtitle, height=34 * table["motif"].nunique() + 210, legend="bottom",
                   takeaway=takeaway)


def annual_bars(data: pd.DataFrame, value_title: str, title: str, subtitle: str) -> alt.Chart:
    """Annual values; bars of years given as a cumul at year end are hatched by opacity and said so."""
    data = data.assign(nature=data["cumulative"].map({True: "cumul de l'année (dernière valeur)", False: "valeur annuelle"}))
    chart = alt.Chart(data).mark_bar(color="#000091").encode(
        x=alt.X("year:O", title="Année"), y=alt.Y("value:Q", title=value_title, axis=alt.Axis(format=",d")),
        opacity=alt.Opacity("nature:N", title=None, scale=alt.Scale(range=[0.6, 1.0])),
        tooltip=[alt.Tooltip("year:O", title="Année"), alt.Tooltip("value:Q", format=",d", title=value_title),
                 alt.Tooltip("nature:N", title="Nature"), alt.Tooltip("as_of:T", title="Date de la valeur", format="%d/%m/%Y")])
    ordered = data.sort_values("year")
    takeaway = "" if ordered.empty else (
        f"{fr_int(ordered['value'].iloc[0])} en {ordered['year'].iloc[0]}, {fr_int(ordered['value'].iloc[-1])} en "
        f"{ordered['year'].iloc[-1]}")
    # The cumulative years are also labelled above their bar (not only paler).
    cumul = alt.Chart(data[data["cumulative"].astype(bool)]).mark_text(dy=-6, fontSize=11, color="#333333").encode(
        x="year:O", y="value:Q", text=alt.value("cumul"))
    return _finish(alt.layer(chart, cumul), title, subtitle, height=260, takeaway=takeaway)


def _spread_labels(data: pd.DataFrame, min_gap: float = 0.035, char: float = 0.017) -> pd.DataFrame:
    """Each label to the right of its point, else to its left, else nudged up: a label never covers
    another label nor another department's point (``char``: width of a character in axis units)."""
    data = data.sort_values("offer").assign(label_y=lambda t: t["offer"].astype(float))
    points = list(zip(data["need"].astype(float), data["offer"].astype(float)))
    boxes: list[tuple[float, float, float]] = []  # x_start, x_end, y of placed labels

    def free(x0: float, x1: float, y: float, own: tuple[float, float]) -> bool:
        hits_label = any(x0 < bx1 and bx0 < x1 and abs(y - by) < min_gap for bx0, bx1, by in boxes)
        hits_point = any(p != own and x0 - 0.01 < p[0] < x1 + 0.01 and abs(y - p[1]) < min_gap for p in points)
        return not (hits_label or hits_point)

    heights, sides = [], []
    for (x, y), label in zip(points, data["label"].astype(str)):
        width = 0.03 + char * len(label)
        for lift in range(12):
            height = y + lift * min_gap
            spans = {"right": (x + 0.015, x + 0.015 + width), "left": (x - 0.015 - width, x - 0.015)}
            side = next((s for s, (a, b) in spans.items() if free(a, b, height, (x, y))), None)
            if side:
                break
        side = side or "right"
        boxes.append((*spans[side], height))
        heights.append(height)
        sides.append(side)
    return data.assign(label_y=heights, label_side=sides)


def need_offer_scatter(data: pd.DataFrame, title: str, subtitle: str) -> alt.Chart:
    """Need (x) against offer (y) per department, median lines, the under-served quadrant shaded."""
    need_median, offer_median = float(data["need"].median()), float(data["offer"].median())
    quadrant = pd.DataFrame({"x": [need_median], "x2": [1.05], "y": [-0.05], "y2": [offer_median]})
    shade = alt.Chart(quadrant).mark_rect(color="#fde0dd", opacity=0.7).encode(
        x=alt.X("x:Q", scale=alt.Scale(domain=[-0.05, 1.05])), x2="x2:Q",
        y=alt.Y("y:Q", scale=alt.Scale(domain=[-0.05, 1.05])), y2="y2:Q")
    label = alt.Chart(pd.DataFrame({"x": [1.0], "y": [0.0], "t": ["territoires sous-dotés"]})).mark_text(
        align="right", baseline="bottom", color="#b30000", fontSize=12, fontWeight="bold").encode(x="x:Q", y="y:Q", text="t:N")
    rules = alt.Chart(pd.DataFrame({"x": [need_median]})).mark_rule(strokeDash=[4, 4], color="#888").encode(x="x:Q")
    rules_y = alt.Chart(pd.DataFrame({"y": [offer_median]})).mark_rule(strokeDash=[4, 4], color="#888").encode(y="y:Q")
    tooltip = [alt.Tooltip("label:N", title="Département"), alt.Tooltip("need:Q", format=".2f", title="Besoin"),
               alt.Tooltip("offer:Q", format=".2f", title="Offre"), alt.Tooltip("rank:Q", title="Rang")]
    points = alt.Chart(data).mark_point(size=160, opacity=0.9, filled=True).encode(
        x=alt.X("need:Q", title="Score de besoin (0 = le plus faible de la région, 1 = le plus fort)"),
        y=alt.Y("offer:Q", title="Score d'offre"),
        color=alt.Color("under_served:N", title=None, scale=alt.Scale(domain=[True, False], range=["#e1000f", "#000091"]),
                        legend=alt.Legend(labelExpr="datum.label == 'true' ? 'sous-doté' : 'autre'")),
        shape=alt.Shape("under_served:N", title=None, scale=alt.Scale(domain=[True, False], range=["triangle-up", "circle"]),
                        legend=alt.Legend(labelExpr="datum.label == 'true' ? 'sous-doté' : 'autre'")), tooltip=tooltip)
    placed = _spread_labels(data)
    right = alt.Chart(placed[placed["label_side"].eq("right")]).mark_text(dx=9, align="left", fontSize=12).encode(
        x="need:Q", y="label_y:Q", text="label:N")
    left = alt.Chart(placed[placed["label_side"].eq("left")]).mark_text(dx=-9, align="right", fontSize=12).encode(
        x="need:Q", y="label_y:Q", text="label:N")
    lifted = placed[placed["label_y"].ne(placed["offer"].astype(float))]  # a thin leader to a lifted label
    leaders = alt.Chart(lifted).mark_rule(color="#666", strokeWidth=0.8).encode(x="need:Q", y="offer:Q", y2="label_y:Q")
    under = data[data["under_served"].astype(bool)]
    takeaway = (f"{len(under)} départements sous-dotés sur {len(data)} (besoin au-dessus de la médiane, offre en dessous)"
                + (" : " + ", ".join(map(str, under["label"])) if len(under) else ""))
    return _finish(alt.layer(shade, label, rules, rules_y, leaders, points, right, left), title, subtitle, height=460,
                   takeaway=takeaway)
