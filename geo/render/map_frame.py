"""The folium map itself: an empty map with its attribution and optional tiles, fixed boxes on
it (legends, notes), and the last step that points its scripts at the app.

The default view needs no tile server (the boundaries are the base map). Geometry is expected
in WGS84 (EPSG:4326); for the Gaode basemap, and only for it, overlays are shifted to GCJ-02
(:func:`to_display`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
from branca.element import MacroElement
from folium.template import Template

from geo.core.crs import geometry_wgs84_to_gcj02
from geo.core.i18n import t
from geo.render.safe import esc
from geo.render.webassets import DEFAULT_STATIC_BASE_URL, localise_map_assets

WGS84 = "EPSG:4326"
BASEMAPS = ("none", "osm", "carto", "tianditu", "gaode")
_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "carto": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "© OpenStreetMap contributors © CARTO",
    ),
    "tianditu": (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
        "&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "© 天地图",
    ),
    "gaode": (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1"
        "&style=8&x={x}&y={y}&z={z}",
        "© 高德地图",
    ),
}
_SUBDOMAINS = {"tianditu": "01234567", "gaode": "1234"}


@dataclass(frozen=True)
class MapOptions:
    """How a page map is drawn, apart from what it shows.

    Attributes
    ----------
    lang : {"zh", "en"}
    basemap : one of :data:`BASEMAPS`
        ``none`` (default) needs no tile server; ``tianditu`` needs ``tianditu_key``.
    tianditu_key : str, optional
    static_url : str
        Where the app serves Leaflet and the other scripts (:mod:`geo.render.webassets`).
    legend_position : str
        The Leaflet corner of the legends (``topleft`` where the south-east is busy).
    """

    lang: str = "zh"
    basemap: str = "none"
    tianditu_key: str | None = None
    static_url: str = DEFAULT_STATIC_BASE_URL
    legend_position: str = "bottomright"


class _Overlay(MacroElement):
    """A fixed HTML box on the map (legend, note); its markup is built escaped by the caller."""

    _template = Template("""
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var box = L.control({position: {{ this.position|tojson }}});
            box.onAdd = function() {
                var div = L.DomUtil.create('div', 'pprd-overlay');
                div.innerHTML = {{ this.markup|tojson }};
                var map = {{ this._parent.get_name() }};
                function fold(width) {
                    if (width < {{ this.narrow }}) {
                        div.querySelectorAll('details').forEach(function(d) { d.open = false; });
                    }
                }
                if (map.getSize().x > 0) {
                    fold(map.getSize().x);
                } else {  // not laid out yet (see _Fit): decide at the first real size
                    map.on('resize', function later(e) {
                        if (e.newSize.x > 0) { map.off('resize', later); fold(e.newSize.x); }
                    });
                }
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            box.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, markup: str, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Overlay"
        self.markup = markup
        self.position = position
        self.narrow = NARROW_PX


# Maps narrower than this (a phone, a map beside a card) start with their legends folded.
NARROW_PX = 700
# The frame's own style: no focus rectangle on a clicked shape (the selection is drawn
# instead), and an attribution that wraps within the right part of the bottom edge instead of
# running over the scale bar at the bottom left.
FRAME_CSS = """
.leaflet-interactive:focus { outline: none; }
.leaflet-control-attribution { max-width: calc(100% - 130px); white-space: normal;
  font-size: 10px; line-height: 1.3; }
.pprd-legend summary { list-style-position: inside; }
"""


class _Frame(MacroElement):
    """The frame's style and a metric-only scale bar (Leaflet's own shows miles too)."""

    _template = Template("""
        {% macro header(this, kwargs) %}<style>{{ this.css }}</style>{% endmacro %}
        {% macro script(this, kwargs) %}
        L.control.scale({imperial: false, position: 'bottomleft'})
            .addTo({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(self) -> None:
        super().__init__()
        self._name = "Frame"
        self.css = FRAME_CSS


class _Attribution(MacroElement):
    """Sets the attribution line (plain text, escaped here) with no tile layer needed."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = esc(text)


class _Fit(MacroElement):
    """Fits the map to ``bounds`` with room at the edges, once the map has the room.

    Leaflet's ``fitBounds`` with padding gives a NaN zoom, and throws "Invalid LatLng object:
    (NaN, NaN)", when the map is smaller than its padding: an iframe that Streamlit has not
    yet laid out is 0 px wide. Such a map keeps the centre and zoom it was made with and is
    fitted on its first resize to a usable size.
    """

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function(map) {
            var tl = {{ this.top_left|tojson }}, br = {{ this.bottom_right|tojson }};
            function fit() {
                var size = map.getSize();
                if (size.x <= tl[0] + br[0] || size.y <= tl[1] + br[1]) { return false; }
                map.fitBounds({{ this.bounds|tojson }},
                              {paddingTopLeft: tl, paddingBottomRight: br});
                return true;
            }
            if (!fit()) {
                map.on('resize', function later() { if (fit()) { map.off('resize', later); } });
            }
        })({{ this._parent.get_name() }});
        {% endmacro %}
    """)

    def __init__(
        self,
        bounds: Sequence[Sequence[float]],
        top_left: tuple[int, int],
        bottom_right: tuple[int, int],
    ) -> None:
        super().__init__()
        self._name = "Fit"
        self.bounds = [[float(v) for v in corner] for corner in bounds]
        self.top_left = top_left
        self.bottom_right = bottom_right


def to_display(gdf: gpd.GeoDataFrame, basemap: str) -> gpd.GeoDataFrame:
    """Geometry as it must be drawn on ``basemap`` (GCJ-02 for Gaode, WGS84 otherwise).

    Raises
    ------
    ValueError
        If ``gdf`` is not in WGS84.
    """
    if gdf.crs is not None and gdf.crs.to_string() != WGS84:
        raise ValueError(f"expected {WGS84}, got {gdf.crs}")
    if basemap != "gaode" or gdf.empty:
        return gdf
    shifted = gdf.copy()
    shifted["geometry"] = geometry_wgs84_to_gcj02(gdf.geometry.values)
    return shifted


def new_map(
    bounds: Sequence[Sequence[float]],
    lang: str,
    basemap: str = "none",
    tianditu_key: str | None = None,
) -> folium.Map:
    """An empty map fitted to ``bounds`` ([[south, west], [north, east]]) with attribution.

    Parameters
    ----------
    bounds : [[south, west], [north, east]] in degrees (WGS84)
    lang : {"zh", "en"}
    basemap : one of :data:`BASEMAPS`
        ``none`` (default) needs no tile server. ``tianditu`` needs ``tianditu_key``.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap must be one of {BASEMAPS}, got {basemap!r}")
    m = folium.Map(
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        tiles=None,
        zoom_start=5,
        control_scale=False,  # metric only: see _Frame
        prefer_canvas=False,
        zoom_snap=0.25,
    )
    if basemap != "none":
        url, attr = _TILES[basemap]
        if basemap == "tianditu":
            if not tianditu_key:
                raise ValueError("the Tianditu basemap needs a key")
            url = url.replace("{key}", tianditu_key)
        folium.TileLayer(
            url,
            attr=attr,
            name=t(f"basemap_{basemap}", lang),
            subdomains=_SUBDOMAINS.get(basemap, "abc"),
            max_zoom=18,
        ).add_to(m)
    # room at the bottom for the scale bar and attribution, so the region is wholly in view
    m.add_child(_Fit(bounds, top_left=(12, 12), bottom_right=(12, 40)))
    m.add_child(_Frame())
    m.add_child(_Attribution(t("attribution", lang)))
    return m


def finish_map(
    m: folium.Map, base_url: str = DEFAULT_STATIC_BASE_URL, layer_control: bool = True
) -> folium.Map:
    """Add the layer control and point the map's assets at the app (call last)."""
    if layer_control:
        folium.LayerControl(collapsed=True).add_to(m)
    has_tiles = any(isinstance(c, folium.TileLayer) for c in m._children.values())
    return localise_map_assets(m, base_url, allow_tile_layers=has_tiles)


def add_overlay(m: folium.Map, markup: str, position: str = "bottomright") -> None:
    """Add a fixed box (legend, note) whose markup the caller has escaped."""
    m.add_child(_Overlay(markup, position))
