"""What a view returns, turned once into what Streamlit sends: altair charts into Vega-Lite
specifications (data already Arrow-encoded), folium maps into the map component's arguments
(HTML and Leaflet script rendered), tables into Arrow bytes with their French display strings."""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lib.render.maps import MapView
from lib.render.tables import Table, styled


def present(value: Any) -> Any:
    """``value`` with every chart, map and table in it made ready to send (dicts, lists and tuples walked)."""
    import altair as alt

    if isinstance(value, alt.TopLevelMixin):
        return chart_spec(value)
    if isinstance(value, MapView):
        return map_component(value.fmap, value.key, value.height, value.returned_objects)
    if isinstance(value, Table):
        return prepare_table(value.frame, value.formats, value.labels, value.short)
    if isinstance(value, dict):
        return {k: present(v) for k, v in value.items()}
    if isinstance(value, list):
        return [present(v) for v in value]
    if isinstance(value, tuple) and not hasattr(value, "_fields"):
        return tuple(present(v) for v in value)
    return value


def hashable(value: Any) -> Any:
    """A memo key for ``value``: data frames by content."""
    return _hashable(value)


def chart_spec(chart) -> dict:
    """The Vega-Lite specification Streamlit makes of an altair chart (datasets as Arrow bytes).

    ``st.vega_lite_chart(spec)`` then draws exactly what ``st.altair_chart(chart)`` draws, without
    altair's schema validation and data conversion on every run.
    """
    from streamlit.elements.vega_charts import _convert_altair_to_vega_lite_spec

    from lib.render.charts import narrow_subtitles

    return narrow_subtitles(hide_marks_from_aria(_convert_altair_to_vega_lite_spec(chart)))


def hide_marks_from_aria(spec: dict) -> dict:
    """Every mark of ``spec`` with ``aria: false``: a chart is one image named by its ``description``
    (its title and takeaway); Vega would otherwise expose each mark container as an unnamed image
    (axe ``svg-img-alt``) and describe each mark in English. The table beside the chart is the full
    alternative."""
    def walk(node: object) -> None:
        if isinstance(node, dict):
            mark = node.get("mark")
            if isinstance(mark, str):
                node["mark"] = {"type": mark, "aria": False}
            elif isinstance(mark, dict):
                mark["aria"] = False
                for overlay in ("point", "line"):  # a line's points, an area's line: marks of their own
                    if mark.get(overlay) is True:
                        mark[overlay] = {"aria": False}
                    elif isinstance(mark.get(overlay), dict):
                        mark[overlay]["aria"] = False
            for key in ("layer", "hconcat", "vconcat", "concat"):
                for child in node.get(key, []) or []:
                    walk(child)
            if isinstance(node.get("spec"), dict):
                walk(node["spec"])

    walk(spec)
    return spec


def map_component(fmap, key: str, height: int, returned_objects: list[str] | None = None,
                  use_container_width: bool = True) -> dict:
    """The arguments ``st_folium`` sends for ``fmap`` (rendered HTML, Leaflet script, assets).

    Rendering a folium map takes 0,05-0,5 s; done once per view, each run only sends the
    strings. Mirrors ``streamlit_folium.st_folium`` (pinned version) for the options we use;
    ``tests/unit/test_views.py`` checks both give the same component.
    """
    import folium
    import streamlit_folium as sf

    width = None if use_container_width else 500
    fmap.get_root().render()
    fmap.render()
    html = sf._get_html(fmap)
    header = sf._get_header(fmap)
    leaflet = sf._get_map_string(fmap)
    m_id = sf.get_full_id(fmap)
    try:
        (south, west), (north, east) = fmap.get_bounds()
        bounds = {"_southWest": {"lat": south, "lng": west}, "_northEast": {"lat": north, "lng": east}}
    except (AttributeError, TypeError, ValueError):
        bounds = {"_southWest": {"lat": None, "lng": None}, "_northEast": {"lat": None, "lng": None}}
    defaults = {"last_clicked": None, "last_object_clicked": None, "last_object_clicked_count": None,
                "last_object_clicked_tooltip": None, "last_object_clicked_popup": None, "all_drawings": None,
                "last_active_drawing": None, "bounds": bounds, "zoom": fmap.options.get("zoom"),
                "last_circle_radius": None, "last_circle_polygon": None, "selected_layers": None,
                "selected_tags": None, "last_geocoder_result": None}
    defaults = {k: v for k, v in defaults.items() if returned_objects is None or k in returned_objects}

    def walk(element):
        if isinstance(element, folium.elements.JSCSSMixin):
            yield element
        for child in getattr(element, "_children", {}).values():
            yield from walk(child)

    css_links, js_links = [], []
    for element in walk(fmap):
        css_links.extend(href for _, href in getattr(element, "default_css", []))
        js_links.extend(src for _, src in getattr(element, "default_js", []))
    return dict(script=leaflet, header=header, html=html, id=m_id, key=sf.generate_js_hash(leaflet, key, False),
                height=height, width=width, returned_objects=returned_objects, default=defaults, zoom=None,
                center=None, feature_group=None, return_on_hover=False, layer_control=None, pixelated=False,
                css_links=list(dict.fromkeys(css_links)), js_links=list(dict.fromkeys(js_links)),
                wrap_longitude=False)


def _hashable(value: Any) -> Any:
    if isinstance(value, pd.DataFrame):
        hashed = pd.util.hash_pandas_object(value, index=True).to_numpy().tobytes()
        return ("frame", tuple(map(str, value.columns)), tuple(map(str, value.dtypes)),
                hashlib.sha256(hashed).hexdigest())
    if isinstance(value, (list, tuple)):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((k, _hashable(v)) for k, v in value.items()))
    return value


@dataclass(frozen=True)
class PreparedTable:
    """A table ready to draw: its data and its French display strings, both as Streamlit sends them.
    Made by a view (:func:`prepare_table`) for large tables, so a page run sends bytes only."""

    data: bytes  # Arrow IPC of the table, columns labelled
    styler: bytes  # serialised styler part of Streamlit's ArrowData (display strings)
    short: tuple[tuple[str, str], ...] = ()  # (column label, shorter header drawn by the grid), see show_table


def prepare_table(frame: pd.DataFrame, formats: dict[str, str], labels: dict[str, str] | None = None,
                  short: dict[str, str] | None = None) -> PreparedTable:
    from streamlit import dataframe_util

    data = dataframe_util.convert_pandas_df_to_arrow_bytes(frame.rename(columns=labels or {}))
    return PreparedTable(data, _styler_proto(frame, formats, labels), tuple((short or {}).items()))


def _styler_proto(frame: pd.DataFrame, formats: dict[str, str], labels: dict[str, str] | None) -> bytes:
    """What ``st.dataframe`` makes of the Styler (uuid, display strings, styles), serialised."""
    from streamlit.elements.lib.pandas_styler_utils import marshall_styler
    from streamlit.proto.ArrowData_pb2 import ArrowData

    proto = ArrowData()
    marshall_styler(proto, styled(frame, formats, labels), "")
    return proto.styler.SerializeToString()

