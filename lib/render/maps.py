"""Folium maps that draw offline.

Folium and streamlit-folium load Leaflet, jQuery and Bootstrap from public CDNs by
default; offline or on a filtered administration network no polygon draws. This
module points folium's defaults at the copies that :mod:`lib.render.static_assets` makes from
the XStatic packages (served by Streamlit at ``/app/static/vendor``). No tile
layer: the region's own polygons are the background. Legends are drawn by a small
Leaflet control of our own (branca's colormap would pull d3 from a CDN).
"""
from __future__ import annotations

import html
import json
from collections.abc import Callable
from dataclasses import dataclass

import folium
import folium.plugins
import numpy as np
import pandas as pd
from branca.element import MacroElement, Template

from lib.render.static_assets import URL_PREFIX, publish_json

# Our maps use plain Leaflet only (GeoJSON, circle markers, tooltips, our own legend), so
# the page loads just Leaflet; jQuery, Bootstrap and Font Awesome are served too (see
# lib.render.static_assets, under /app/static/vendor) for a plugin that would need them.
MAP_JS = [("leaflet", f"{URL_PREFIX}/leaflet/leaflet.js")]
MAP_CSS = [("leaflet_css", f"{URL_PREFIX}/leaflet/leaflet.css")]
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
    for cluster in (folium.plugins.MarkerCluster, folium.plugins.FastMarkerCluster):
        cluster.default_js = CLUSTER_JS
        cluster.default_css = CLUSTER_CSS


use_local_assets()


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
        from lib.core.fmt import fr_num

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

    def __init__(self, title: str, items: list[tuple[str, str]], hatched: frozenset[str] = frozenset()):
        super().__init__()
        self._name = "Legend"
        rows = "".join(
            f'<div><span style="display:inline-block;width:14px;height:14px;background:{_swatch(color, hatched)};'
            f'border:1px solid #777;margin-right:6px;vertical-align:middle"></span>{label}</div>'
            for color, label in items
        )
        self.html = f"<b>{title}</b>{rows}"


def _swatch(color: str, hatched: frozenset[str]) -> str:
    """A legend swatch's CSS background: plain, or hatched with white like the map's polygons."""
    return f"repeating-linear-gradient(135deg,{color} 0 3px,#fff 3px 4.5px)" if color in hatched else color


class Describe(MacroElement):
    """The map's text alternative: the Leaflet container (focusable, moved with the arrow keys and
    zoomed with + and −) gets ``role="region"`` and an ``aria-label`` saying what it maps and the key
    figure; the frame around it takes the same name (``lib/app/a11y.py`` and here, same origin)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var box = {{ this._parent.get_name() }}.getContainer();
            box.setAttribute('role', 'region');
            box.setAttribute('aria-roledescription', 'carte');
            box.setAttribute('aria-label', {{ this.label|tojson }});
            document.documentElement.lang = 'fr';
            var names = {'.leaflet-control-zoom-in': 'Zoom avant', '.leaflet-control-zoom-out': 'Zoom arrière'};
            Object.keys(names).forEach(function (selector) {
                var button = box.querySelector(selector);
                if (button) { button.title = names[selector]; button.setAttribute('aria-label', names[selector]); }
            });
            if (!document.getElementById('pric-focus')) {  // focus visible inside the map's frame too
                var style = document.createElement('style');
                style.id = 'pric-focus';
                style.textContent = ':focus-visible{outline:3px solid #0a76f6 !important;outline-offset:-3px}';
                document.head.appendChild(style);
            }
            // Escape closes the tooltips and popups opened by focus or hover (RGAA 10.13).
            var map = {{ this._parent.get_name() }};
            document.addEventListener('keydown', function (event) {
                if (event.key !== 'Escape') { return; }
                map.eachLayer(function (layer) { if (layer.closeTooltip) { layer.closeTooltip(); } });
                map.closePopup();
            });
            // A cluster's button is named after what it groups, not its number alone.
            function nameClusters() {
                box.querySelectorAll('.leaflet-marker-icon [data-pric-label]').forEach(function (inner) {
                    var icon = inner.parentElement;
                    if (icon.getAttribute('aria-label') !== inner.dataset.pricLabel) {
                        icon.setAttribute('aria-label', inner.dataset.pricLabel);
                    }
                });
            }
            new MutationObserver(nameClusters).observe(box, {subtree: true, childList: true});
            nameClusters();
            document.title = {{ this.label|tojson }};
            try { if (window.frameElement) { window.frameElement.title = 'Carte : ' + {{ this.label|tojson }}; } } catch (e) {}
        })();
        {% endmacro %}
        """
    )

    def __init__(self, label: str):
        super().__init__()
        self._name = "Describe"
        self.label = label


def describe(fmap: folium.Map, label: str) -> folium.Map:
    """Give ``fmap`` its text alternative (what it maps and the key figure, one sentence)."""
    Describe(label).add_to(fmap)
    return fmap


class FitBounds(MacroElement):
    """Fit the map to its bounds once the frame has its final size, and again on resize.

    streamlit-folium sizes its iframe after Leaflet starts, so a fit done at creation
    leaves the region in a corner. Room is kept on the right for the legend.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var bounds = {{ this.bounds|tojson }};
            function refit() {
                map.invalidateSize();
                map.fitBounds(bounds, {paddingTopLeft: [10, 10], paddingBottomRight: [{{ this.right }}, 10]});
            }
            refit();
            // The frame gets its final size later: refit whenever the map's container changes size.
            var last = '';
            new ResizeObserver(function () {
                var size = map.getContainer().clientWidth + 'x' + map.getContainer().clientHeight;
                if (size !== last) { last = size; refit(); }
            }).observe(map.getContainer());
        })();
        {% endmacro %}
        """
    )

    def __init__(self, bounds: list[list[float]], right: int):
        super().__init__()
        self._name = "FitBounds"
        self.bounds = bounds
        self.right = right


def base_map(bounds: list[list[float]], canvas: bool = False, legend_room: int = 130) -> folium.Map:
    """An empty map without tile layer, fitted to ``[[south, west], [north, east]]``.

    ``canvas`` draws polygons on a canvas (faster for thousands of communes); SVG otherwise.
    """
    center = [(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2]
    # maxZoom must be set without a tile layer (marker clusters refuse a map without it).
    fmap = folium.Map(location=center, zoom_start=7, tiles=None, zoom_snap=0.25, prefer_canvas=canvas)
    fmap.options.update(minZoom=5, maxZoom=15)
    MetricScale().add_to(fmap)
    FitBounds(bounds, legend_room).add_to(fmap)
    return fmap


class MetricScale(MacroElement):
    """Leaflet's scale bar in kilometres only (folium's ``control_scale`` adds miles)."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false}).addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)


class CompactGeoJson(MacroElement):
    """A GeoJSON layer written as compact JSON; each feature's fill colour and tooltip HTML come
    from ``styles[key] = [fill, tip]``.

    folium's ``GeoJson`` writes a JavaScript ``case`` per feature for its style function and
    pretty-printed JSON: for 4 000 communes that doubles the payload. With ``url`` the
    geometry (features carrying only their key ``k``) is fetched from a static file the
    browser caches, and only the styles travel with the page.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function() {
            var styles = {{ this.styles }};
            var none = [{{ this.no_data|tojson }}, ""];
            var canvas = !!{{ this._parent.get_name() }}.options.preferCanvas;
            var hatches = {};
            // A third element 1 in a style: the polygon is hatched with white (canvas maps), so its
            // meaning (e.g. a white zone) does not rest on its colour alone.
            function fill(s) {
                if (!s[2] || !canvas) { return s[0]; }
                if (!hatches[s[0]]) {
                    var tile = document.createElement('canvas');
                    tile.width = tile.height = 8;
                    var g = tile.getContext('2d');
                    g.fillStyle = s[0]; g.fillRect(0, 0, 8, 8);
                    g.strokeStyle = '#ffffff'; g.lineWidth = 1.5; g.beginPath();
                    g.moveTo(-2, 2); g.lineTo(2, -2); g.moveTo(0, 8); g.lineTo(8, 0); g.moveTo(6, 10); g.lineTo(10, 6);
                    g.stroke();
                    hatches[s[0]] = g.createPattern(tile, 'repeat');
                }
                return hatches[s[0]];
            }
            var layer = L.geoJson(null, {
                style: function (f) {
                    return {fillColor: fill(styles[f.properties.k] || none), color: {{ this.line_color|tojson }},
                            weight: {{ this.line_weight }}, fillOpacity: {{ this.fill_opacity }}};
                },
                onEachFeature: function (f, l) {
                    var tip = (styles[f.properties.k] || none)[1];
                    if (tip) { l.bindTooltip(tip, {sticky: true}); }
                    l.on('mouseover', function () { l.setStyle({weight: 3, color: '#000'}); });
                    l.on('mouseout', function () { layer.resetStyle(l); });
                    // SVG maps: each polygon is reached with Tab; it is named after its tooltip, and the
                    // tooltip opens on focus as on hover (canvas maps draw no element to focus).
                    if (tip && !canvas) {
                        l.on('add', function () {
                            var path = l.getElement && l.getElement();
                            if (!path) { return; }
                            var text = document.createElement('div');
                            text.innerHTML = tip.replace(/<br>/g, ' ; ');
                            path.setAttribute('aria-label', text.textContent);
                            path.setAttribute('role', 'img');
                            path.addEventListener('focus', function () { l.setStyle({weight: 3, color: '#000'}); l.openTooltip(); });
                            path.addEventListener('blur', function () { layer.resetStyle(l); l.closeTooltip(); });
                        });
                    }
                }
            }).addTo({{ this._parent.get_name() }});
            function get(url) { return fetch(url).then(function (r) { return r.json(); }); }
            var loading = Promise.all([
                {% if this.url %}get({{ this.url|tojson }}){% else %}Promise.resolve({{ this.data }}){% endif %},
                {% if this.styles_url %}get({{ this.styles_url|tojson }}){% else %}Promise.resolve(null){% endif %}
            ]);
            // Files download in parallel, but layers are filled in the order they were declared, so an
            // overlay (QPV contours) is always drawn over the base layer (communes) on the shared canvas.
            var map = {{ this._parent.get_name() }};
            map._pricChain = (map._pricChain || Promise.resolve()).then(function () { return loading; }).then(function (loaded) {
                if (loaded[1]) { styles = loaded[1]; }
                layer.addData(loaded[0]);
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, features: list[dict], styles: dict[str, list[str]], line_color: str = "#555",
                 line_weight: float = 1.0, publish_as: str | None = None, publish_styles: bool = False,
                 fill_opacity: float = 0.85):
        super().__init__()
        self.fill_opacity = fill_opacity
        self._name = "CompactGeoJson"
        collection = _compact({"type": "FeatureCollection", "features": features})
        if publish_as:  # heavy geometry: a static file the browser fetches once and caches
            self.url = publish_json(publish_as, collection)
            self.data = "null"
        else:
            self.url = None
            self.data = _script_safe(collection)
        # Styles and tooltips of a map that does not change with filters travel as a file too,
        # which keeps the page's message (and streamlit-folium's work on it) small.
        self.styles_url = publish_json(f"{publish_as}-styles", _compact(styles)) if publish_as and publish_styles else None
        self.styles = "{}" if self.styles_url else _script_safe(_compact(styles))
        self.line_color = line_color
        self.line_weight = line_weight
        self.no_data = NO_DATA


def _compact(value: object) -> str:
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False)


def _script_safe(text: str) -> str:
    """JSON placed inside a <script>: "</" escaped so a name can never close the element."""
    return text.replace("</", "<\\/")


def tooltip_html(properties: dict, fields: list[str], aliases: list[str]) -> str:
    """The first field in bold as a title, then ``alias : value`` lines; values HTML-escaped."""
    values = [html.escape(str(properties.get(field, "–"))) for field in fields]
    lines = [f"<b>{values[0]}</b>"] + [f"{html.escape(a)} : {v}" for a, v in zip(aliases[1:], values[1:])]
    return "<br>".join(lines)


def polygons(
    geojson: dict,
    bounds: list[list[float]],
    fill: Callable[[dict], str],
    legend_title: str,
    legend_items: list[tuple[str, str]],
    tooltip_fields: list[str],
    tooltip_aliases: list[str],
    canvas: bool = False,
    line_weight: float = 1.0,
    publish_as: str | None = None,
    publish_styles: bool = False,
    hatched: frozenset[str] = frozenset(),
) -> folium.Map:
    """Polygons filled by ``fill(properties)``, with a tooltip and a legend; polygons whose colour is
    in ``hatched`` are also hatched (canvas maps) and so is their legend swatch.

    Features keep only a key ``k`` (their index); colours and tooltips travel beside them.
    With ``publish_as`` the geometry is written once to a static JSON file that the map
    fetches, so changing a filter only sends new colours.
    """
    features, styles = _keyed(geojson, fill, tooltip_fields, tooltip_aliases, hatched)
    fmap = base_map(bounds, canvas=canvas)
    CompactGeoJson(features, styles, line_weight=line_weight, publish_as=publish_as,
                   publish_styles=publish_styles).add_to(fmap)
    Legend(legend_title, legend_items, frozenset(hatched) if canvas else frozenset()).add_to(fmap)
    return fmap


def _keyed(geojson: dict, fill: Callable[[dict], str], tooltip_fields: list[str], tooltip_aliases: list[str],
           hatched: frozenset[str] = frozenset()) -> tuple[list[dict], dict[str, list]]:
    """Features reduced to a key ``k`` and, beside them, each key's fill colour and tooltip."""
    features, styles = [], {}
    for index, feature in enumerate(geojson["features"]):
        key = str(index)
        features.append({"type": "Feature", "geometry": feature["geometry"], "properties": {"k": key}})
        color = fill(feature["properties"])
        styles[key] = [color, tooltip_html(feature["properties"], tooltip_fields, tooltip_aliases)] + ([1] if color in hatched else [])
    return features, styles


def overlay_polygons(fmap: folium.Map, geojson: dict, fill: Callable[[dict], str], tooltip_fields: list[str],
                     tooltip_aliases: list[str], line_color: str = "#222", line_weight: float = 1.5,
                     fill_opacity: float = 0.6, publish_as: str | None = None) -> folium.Map:
    """A second polygon layer drawn over the first (e.g. QPV contours over communes), with its own
    tooltips; published like the commune layer when ``publish_as`` is given."""
    features, styles = _keyed(geojson, fill, tooltip_fields, tooltip_aliases)
    CompactGeoJson(features, styles, line_color=line_color, line_weight=line_weight, publish_as=publish_as,
                   publish_styles=bool(publish_as), fill_opacity=fill_opacity).add_to(fmap)
    return fmap


def outlines(fmap: folium.Map, geojson: dict, color: str = "#222", weight: float = 1.5) -> folium.Map:
    """Unfilled boundaries (e.g. departments over communes), not interactive."""
    folium.GeoJson(geojson, style_function=lambda f: {"color": color, "weight": weight, "fill": False},
                   interactive=False, control=False).add_to(fmap)
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
    """Polygons coloured by ``properties[value_key]`` in classes, with a tooltip and a legend."""
    values = [f["properties"].get(value_key) for f in geojson["features"]]
    items = list(zip(classes.colors, classes.labels))
    if any(v is None or pd.isna(v) for v in values):
        items.append((NO_DATA, "non disponible"))
    return polygons(geojson, bounds, lambda p: classes.color(p.get(value_key)), f"{legend_title} ({classes.unit})",
                    items, tooltip_fields, tooltip_aliases)


def add_circles(fmap: folium.Map, points: pd.DataFrame, color: str, legend: str | None = None) -> folium.Map:
    """Circle markers from ``lat, lon, radius`` (pixels) and ``tooltip`` (HTML) columns."""
    group = folium.FeatureGroup(name=legend or "points")
    for row in points.itertuples():
        folium.CircleMarker(
            location=[row.lat, row.lon], radius=float(row.radius), color="#222", weight=1,
            fill=True, fill_color=color, fill_opacity=0.8, tooltip=folium.Tooltip(row.tooltip, sticky=True),
        ).add_to(group)
    group.add_to(fmap)
    return fmap


# Each row: [lat, lon, tooltip]; a small circle rather than an image icon (no asset to load).
_CIRCLE_CALLBACK = """
function (row) {
    var marker = L.circleMarker(new L.LatLng(row[0], row[1]),
        {radius: 5, color: '#08306b', weight: 1, fillColor: '#2171b5', fillOpacity: 0.9});
    marker.bindTooltip(row[2]);
    return marker;
}
"""


# Clusters in the markers' blue, so they never read as the map's green/yellow/red classes.
_CLUSTER_ICON = """
function (cluster) {
    var n = cluster.getChildCount();
    var size = n < 10 ? 26 : (n < 100 ? 32 : 40);
    // The number alone (« 19 ») named the button: its name says what is grouped (lib/maps.Describe applies it).
    return L.divIcon({html: '<div data-pric-label="' + n + ' sessions regroupées, zoomer pour les voir" '
        + 'style="width:' + size + 'px;height:' + size + 'px;border-radius:50%;'
        + 'background:rgba(33,113,181,0.85);color:#fff;font:bold 11px sans-serif;line-height:' + size + 'px;'
        + 'text-align:center;box-shadow:0 0 0 2px #fff" aria-hidden="true">' + n + '</div>', className: '',
        iconSize: [size, size]});
}
"""


def add_clustered_points(fmap: folium.Map, points: pd.DataFrame, name: str) -> folium.Map:
    """Clustered circle markers from ``lat, lon, tooltip`` (one JS array, not one element each)."""
    data = points[["lat", "lon", "tooltip"]].to_numpy().tolist()
    folium.plugins.FastMarkerCluster(data, callback=_CIRCLE_CALLBACK, name=name, icon_create_function=_CLUSTER_ICON,
                                     options={"maxClusterRadius": 50, "disableClusteringAtZoom": 11}).add_to(fmap)
    return fmap


def bounds_of(frame) -> list[list[float]]:
    west, south, east, north = frame.total_bounds
    return [[float(south), float(west)], [float(north), float(east)]]


def payload_bytes(fmap: folium.Map) -> int:
    """What the browser receives for a map: its rendered HTML/JS plus any published layer."""
    from lib.core.config import STATIC

    size = len(fmap.get_root().render().encode("utf-8"))
    for child in fmap._children.values():
        for url in (getattr(child, "url", None), getattr(child, "styles_url", None)):
            if url:
                size += (STATIC / url.split("/app/static/", 1)[1]).stat().st_size
    return size


@dataclass(frozen=True)
class MapView:
    """A map a view hands to the page: the folium map and how the page's component shows it (``key``,
    ``height`` in px, what it sends back); rendered once into the component's arguments (``lib.app.present``)."""

    fmap: folium.Map
    key: str
    height: int
    returned_objects: list[str] | None = None
