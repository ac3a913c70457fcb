"""Folium maps that draw offline.

Folium and streamlit-folium load Leaflet, jQuery and Bootstrap from public CDNs by
default; offline or on a filtered administration network no polygon draws. This
module points folium's defaults at the copies that :mod:`lib.static_assets` makes from
the XStatic packages (served by Streamlit at ``/app/static/vendor``). No tile
layer: the region's own polygons are the background. Legends are drawn by a small
Leaflet control of our own (branca's colormap would pull d3 from a CDN).
"""
from __future__ import annotations

from dataclasses import dataclass

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import MacroElement, Template

from lib.static_assets import URL_PREFIX

# Our maps use plain Leaflet only (GeoJSON, circle markers, tooltips, our own legend), so
# the page loads just Leaflet; jQuery, Bootstrap and Font Awesome are served too (see
# lib.static_assets) for plugins that need them: add them with ``with_bootstrap()``.
MAP_JS = [("leaflet", f"{URL_PREFIX}/leaflet/leaflet.js")]
MAP_CSS = [("leaflet_css", f"{URL_PREFIX}/leaflet/leaflet.css")]
BOOTSTRAP_JS = [
    ("jquery", f"{URL_PREFIX}/jquery/jquery.min.js"),
    ("bootstrap", f"{URL_PREFIX}/bootstrap/js/bootstrap.bundle.min.js"),
]
BOOTSTRAP_CSS = [
    ("bootstrap_css", f"{URL_PREFIX}/bootstrap/css/bootstrap.min.css"),
    ("fontawesome_css", f"{URL_PREFIX}/fontawesome/css/all.min.css"),
]
CLUSTER_JS = [("markerclusterjs", f"{URL_PREFIX}/markercluster/leaflet.markercluster.js")]
CLUSTER_CSS = [
    ("markerclustercss", f"{URL_PREFIX}/markercluster/MarkerCluster.css"),
    ("markerclusterdefaultcss", f"{URL_PREFIX}/markercluster/MarkerCluster.Default.css"),
]

# ColorBrewer YlOrRd, 5 classes: readable in print and for most colour-blind readers.
SEQUENTIAL = ["#ffffb2", "#fecc5c", "#fd8d3c", "#f03b20", "#bd0026"]
NO_DATA = "#d9d9d9"


def use_local_assets() -> None:
    """Point folium's default JS/CSS at the app's own static files."""
    folium.Map.default_js = MAP_JS
    folium.Map.default_css = MAP_CSS
    folium.plugins.MarkerCluster.default_js = CLUSTER_JS
    folium.plugins.MarkerCluster.default_css = CLUSTER_CSS


use_local_assets()


def with_bootstrap(fmap: folium.Map) -> folium.Map:
    """Add jQuery, Bootstrap and Font Awesome (local copies) to one map, for icon markers."""
    fmap.default_js = [*MAP_JS, *BOOTSTRAP_JS]
    fmap.default_css = [*MAP_CSS, *BOOTSTRAP_CSS]
    return fmap


@dataclass(frozen=True)
class Classes:
    """Class breaks of a choropleth and their colours; ``labels`` are French."""

    breaks: list[float]
    colors: list[str]
    unit: str
    decimals: int = 1

    def color(self, value: float | None) -> str:
        if value is None or pd.isna(value):
            return NO_DATA
        index = int(np.searchsorted(self.breaks[1:-1], value, side="right"))
        return self.colors[index]

    @property
    def labels(self) -> list[str]:
        from lib.fmt import fr_num

        edges = [fr_num(b, self.decimals) for b in self.breaks]
        return [f"{edges[i]} – {edges[i + 1]}" for i in range(len(self.colors))]


def equal_classes(values: pd.Series, unit: str, n: int = 5, decimals: int = 1) -> Classes:
    """Equal-interval classes between the rounded min and max (stable and easy to read aloud)."""
    clean = values.dropna().astype(float)
    step = 10 ** -decimals
    low = np.floor(clean.min() / step) * step if len(clean) else 0.0
    high = np.ceil(clean.max() / step) * step if len(clean) else 1.0
    if high <= low:
        high = low + step * n
    breaks = list(np.round(np.linspace(low, high, n + 1), decimals + 1))
    return Classes(breaks=breaks, colors=SEQUENTIAL[:n], unit=unit, decimals=decimals)


class Legend(MacroElement):
    """A Leaflet control (bottom right) listing classes with their colours and the unit."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var legend = L.control({position: 'bottomright'});
            legend.onAdd = function () {
                var div = L.DomUtil.create('div', 'pric-legend');
                div.style.cssText = 'background:#fff;padding:6px 8px;border:1px solid #999;'
                    + 'border-radius:4px;font:12px/1.4 sans-serif;color:#222';
                div.innerHTML = {{ this.html|tojson }};
                return div;
            };
            legend.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
        """
    )

    def __init__(self, title: str, items: list[tuple[str, str]]):
        super().__init__()
        self._name = "Legend"
        rows = "".join(
            f'<div><span style="display:inline-block;width:14px;height:14px;background:{color};'
            f'border:1px solid #777;margin-right:6px;vertical-align:middle"></span>{label}</div>'
            for color, label in items
        )
        self.html = f"<b>{title}</b>{rows}"


def base_map(bounds: list[list[float]], canvas: bool = False) -> folium.Map:
    """An empty map without tile layer, fitted to ``[[south, west], [north, east]]``.

    ``canvas`` draws polygons on a canvas (faster for thousands of communes); SVG otherwise.
    """
    fmap = folium.Map(tiles=None, control_scale=True, zoom_snap=0.25, prefer_canvas=canvas)
    # Room on the right for the legend so it never hides a department.
    fmap.fit_bounds(bounds, padding_top_left=(10, 10), padding_bottom_right=(150, 10))
    return fmap


def choropleth(
    geojson: dict,
    bounds: list[list[float]],
    value_key: str,
    classes: Classes,
    legend_title: str,
    tooltip_fields: list[str],
    tooltip_aliases: list[str],
) -> folium.Map:
    """Polygons coloured by ``properties[value_key]`` with a tooltip and a legend."""
    for feature in geojson["features"]:
        feature["properties"]["_fill"] = classes.color(feature["properties"].get(value_key))
    fmap = base_map(bounds)
    folium.GeoJson(
        geojson,
        name=legend_title,
        style_function=lambda f: {
            "fillColor": f["properties"]["_fill"],
            "color": "#444",
            "weight": 1,
            "fillOpacity": 0.85,
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000"},
        tooltip=folium.GeoJsonTooltip(fields=tooltip_fields, aliases=tooltip_aliases, localize=False, sticky=True),
    ).add_to(fmap)
    items = list(zip(classes.colors, classes.labels))
    if any(f["properties"]["_fill"] == NO_DATA for f in geojson["features"]):
        items.append((NO_DATA, "non disponible"))
    Legend(f"{legend_title} ({classes.unit})", items).add_to(fmap)
    return fmap


def bounds_of(frame) -> list[list[float]]:
    west, south, east, north = frame.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def payload_bytes(fmap: folium.Map) -> int:
    """Size of the map's rendered HTML/JS, what the browser receives for it."""
    return len(fmap.get_root().render().encode("utf-8"))
