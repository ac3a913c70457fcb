"""Tables on screen: the grid with French display strings computed once, its columns sized to their
text, and an accessible HTML table beside it for screen readers."""
from __future__ import annotations

import hashlib
import math
from html import escape

import pandas as pd
import streamlit as st

from lib.app.data import in_session
from lib.app.present import PreparedTable, _styler_proto

MIN_COLUMN_PX, MAX_COLUMN_PX = 50, 480  # the grid's minimum; beyond the maximum a long text is cut (whole in the CSV)


def show_table(frame: pd.DataFrame | PreparedTable, formats: dict[str, str] | None = None,
               labels: dict[str, str] | None = None, *, hide_index: bool | None = True,
               width: str | int = "stretch", height: str | int = "auto", placeholder: str | None = "–",
               name: str = "Tableau", fit: bool = True, short: dict[str, str] | None = None,
               widths: dict[str, int] | None = None, row_height: int | None = None, pin: str | None = None,
               column_config: dict[str, dict] | None = None) -> None:
    """``st.dataframe(ui.styled(frame, formats, labels), ...)``: the same element (numbers kept for
    sorting, French display strings beside them), with the display strings computed once per
    table content instead of on every run (pandas' Styler took a fifth of the server's time under
    load). Keyed by the table's Arrow bytes; tables drawn from a session's imports are memoised in that session.
    A :class:`PreparedTable` (from a view) is sent as it is. ``tests/unit/test_views.py`` checks
    the element equals ``st.dataframe``'s. With ``fit`` each column is as wide as its longest displayed
    string or its header (:func:`column_widths`): the grid's own sizing clipped some (« départeme »).
    Grid headers do not wrap: ``short`` maps a column label to a shorter header drawn by the grid, the full
    label becoming its tooltip (the accessible table and the CSV keep the full label); ``widths`` sets
    some columns' pixels (a long text in a given width, with ``row_height`` above 64 px so it wraps); ``pin`` keeps
    a (label) column in view when a table wider than the page scrolls sideways; ``column_config`` adds
    Streamlit column configurations (``{"Lien": st.column_config.LinkColumn("Lien")}``)."""
    from streamlit import dataframe_util
    from streamlit.elements.lib.column_config_utils import INDEX_IDENTIFIER, marshall_column_config, update_column_config
    from streamlit.elements.lib.layout_utils import LayoutConfig
    from streamlit.proto.Dataframe_pb2 import Dataframe as DataframeProto

    if isinstance(frame, PreparedTable):
        data, styler = frame.data, frame.styler
        short = {**dict(frame.short), **(short or {})}
    else:
        formats = formats or {}
        data = dataframe_util.convert_pandas_df_to_arrow_bytes(frame.rename(columns=labels or {}))
        key = ("table", hashlib.sha256(data).hexdigest(), tuple(sorted(formats.items())),
               tuple(sorted((labels or {}).items())))
        compute = lambda: _styler_proto(frame, formats, labels)  # noqa: E731
        styler = in_session("table-styler", key, compute, entries=512)

    # The grid is drawn on a canvas that screen readers read in raw values (« 5.7 » for « 5,7 % »), a few
    # columns only: an HTML table of the displayed strings, named ``name``, is placed just before it for
    # them (not drawn; lib/app/a11y.py hides the canvas's own table from them).
    html_key = ("sr-table", hashlib.sha256(data + styler).hexdigest(), name, placeholder)
    html = in_session("table-html", html_key, lambda: accessible_table(data, styler, name, placeholder or ""), entries=512)
    st.html(html)
    proto = DataframeProto()
    proto.arrow_data.data = data
    proto.arrow_data.styler.ParseFromString(styler)
    if placeholder is not None:  # the grid writes « None » in an empty cell whatever its display string
        proto.placeholder = placeholder
    proto.editing_mode = DataframeProto.EditingMode.READ_ONLY
    config: dict = {}
    if row_height is not None:
        proto.row_height = row_height
    short = short or {}
    fitted: dict[str, int] = {}
    if fit:
        width_key = ("table-widths", hashlib.sha256(data + styler).hexdigest(), tuple(sorted(short.items())))
        compute_widths = lambda: column_widths(data, styler, short)  # noqa: E731
        fitted = in_session("table-widths", width_key, compute_widths, entries=512)
    for column in {**fitted, **short, **(widths or {}), **({pin: 0} if pin else {})}:
        settings = {"label": short.get(column), "width": (widths or {}).get(column, fitted.get(column)),
                    "help": column if column in short else None, "pinned": True if column == pin else None}
        update_column_config(config, column, {k: v for k, v in settings.items() if v is not None})
    for column, settings in (column_config or {}).items():
        update_column_config(config, column, {k: v for k, v in settings.items() if v is not None})
    if hide_index is not None:  # after the columns, as st.dataframe orders them
        update_column_config(config, INDEX_IDENTIFIER, {"hidden": hide_index})
    marshall_column_config(proto, config)
    st._main._enqueue("dataframe", proto, layout_config=LayoutConfig(width=width, height=None if height == "auto" else height))


# Advance widths (px) of the grid's font, Source Sans at 14 px, measured in Chromium's canvas (measureText),
# grouped by width. A character not listed counts as wide as « O ».
_GLYPH_PX = {1.7: "\u202f", 2.8: " \xa0", 3.4: "i|îï", 3.5: "',.:;j’", 3.6: "l", 3.7: "IÎÏ", 4.0: "!", 4.1: "f",
             4.2: "()[]{}", 4.4: "-", 4.6: "°", 4.7: "t", 4.9: "/\\r", 5.9: "*?sz", 6.0: '"«»', 6.2: "x", 6.4: "cç",
             6.5: "vyÿ", 6.7: "JY–", 6.8: "L", 6.9: "Fekèéêë", 7.0: "#$+0123456789<=>^_~€−", 7.1: "agàâä", 7.2: "VX",
             7.4: "EÈÉÊË", 7.5: "STZ", 7.6: "A`houÀÂÄôöùûü", 7.7: "bn", 7.8: "dpq", 7.9: "P", 8.0: "CRÇ", 8.1: "K",
             8.2: "B", 8.5: "&", 8.6: "DG", 9.0: "UÙÛÜ", 9.1: "HN", 9.3: "OQÔÖ", 10.1: "w", 10.2: "M", 10.9: "æ",
             11.0: "W", 11.2: "—", 11.5: "%Æ", 11.6: "m", 11.7: "œ", 11.9: "@Œ", 13.3: "…"}


_CHAR_PX = {char: px for px, chars in _GLYPH_PX.items() for char in chars}


CELL_PADDING_PX = 8 * 2 + 6  # the grid's padding either side of a cell, and a margin for rounding and the font's hinting


def text_px(text: str) -> float:
    """Width in pixels of ``text`` in the grid's font."""
    return sum(_CHAR_PX.get(char, 9.3) for char in text)


def column_widths(data: bytes, styler: bytes, short: dict[str, str] | None = None) -> dict[str, int]:
    """Per column of a grid, the pixels its header (``short``'s when given) and longest displayed string need."""
    from streamlit import dataframe_util
    from streamlit.proto.ArrowData_pb2 import ArrowData

    raw = dataframe_util.convert_arrow_bytes_to_pandas_df(data)
    proto = ArrowData()
    proto.styler.ParseFromString(styler)
    shown = (dataframe_util.convert_arrow_bytes_to_pandas_df(proto.styler.display_values)
             if proto.styler.display_values else raw.astype(str))
    widths = {}
    for j, column in enumerate(raw.columns):
        missing = raw.iloc[:, j].isna().to_numpy()
        texts = {str(v) for v, m in zip(shown.iloc[:, j], missing) if not m} | {(short or {}).get(str(column), str(column))}
        widest = max(text_px(t) for t in texts)
        widths[str(column)] = int(min(MAX_COLUMN_PX, max(MIN_COLUMN_PX, math.ceil(widest + CELL_PADDING_PX))))
    return widths


ACCESSIBLE_ROWS = 500  # rows of a grid's accessible table; beyond, its caption says so and points to the CSV


def accessible_table(data: bytes, styler: bytes, name: str, placeholder: str = "–") -> str:
    """The HTML table screen readers get for a grid: caption ``name``, the grid's column names and, cell
    by cell, the strings the grid displays (the styler's display values; an empty cell is
    ``placeholder``, as in the grid). Up to :data:`ACCESSIBLE_ROWS` rows, the caption saying so."""
    from streamlit import dataframe_util
    from streamlit.proto.ArrowData_pb2 import ArrowData

    raw = dataframe_util.convert_arrow_bytes_to_pandas_df(data)
    proto = ArrowData()
    proto.styler.ParseFromString(styler)
    shown = (dataframe_util.convert_arrow_bytes_to_pandas_df(proto.styler.display_values)
             if proto.styler.display_values else raw.astype(str))
    rows = len(raw)
    caption = escape(name)
    if rows > ACCESSIBLE_ROWS:
        from lib.core.fmt import fr_int

        caption += (f" ({fr_int(ACCESSIBLE_ROWS)} premières lignes sur {fr_int(rows)} ; "
                    "toutes dans le fichier CSV du tableau)")
    head = "".join(f'<th scope="col">{escape(str(c))}</th>' for c in raw.columns)
    body = []
    for i in range(min(rows, ACCESSIBLE_ROWS)):
        cells = []
        for j in range(raw.shape[1]):
            value = raw.iat[i, j]
            missing = value is None or (not isinstance(value, (list, tuple, dict)) and bool(pd.isna(value)))
            text = placeholder if missing else str(shown.iat[i, j])
            cells.append(f"<td>{escape(text)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return (f'<table class="pric-sr-only pric-sr-table"><caption>{caption}</caption><thead><tr>{head}</tr></thead>'
            f'<tbody>{"".join(body)}</tbody></table>')

