"""Byte budgets and "pan and zoom never rerun", for every page, deterministically (no timings).

The map payload is the st_folium component's JSON arguments exactly as the server sends them
(``geo.render.perf.map_payloads``); the benchmark (``python -m benchmarks``) reports the same figure
beside a naive build, and the timings that CI cannot assert.
"""

from __future__ import annotations

import json

import pytest
from apptest_support import open_page
from branca.element import MacroElement

import geo.app.ui
from geo.core import paths
from geo.render import perf

pytestmark = pytest.mark.usefixtures("apptest_navigation_mode")

PAGES = list(geo.app.ui.PAGES)
PAGE_IDS = [p.url_path or "overview" for p in PAGES]
# What st_folium may return without rerunning on pan/zoom: never the view itself.
VIEW_KEYS = {"center", "zoom", "bounds"}


def _maps(at) -> list[perf.MapPayload]:
    return perf.map_payloads(at)


def _apply_filter(at, page) -> None:
    key, value = perf.FILTER_CHANGES[page.url_path]
    widget = at.get_by_key(key)
    assert widget is not None, f"{page.path}: no widget with key {key!r}"
    assert widget.value != value, f"{page.path}: the filter value is already the default"
    widget.set_value(value).run()
    assert not at.exception, [e.value for e in at.exception]


def test_every_page_has_a_filter_change():
    missing = [p.path for p in PAGES if p.url_path not in perf.FILTER_CHANGES]
    assert not missing, f"add these pages to geo.render.perf.FILTER_CHANGES: {missing}"


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_map_bytes_within_budget(page):
    at = open_page(page.path)
    default = _maps(at)
    for payload in default:
        assert payload.size.raw <= perf.MAP_BUDGET_BYTES, (page.path, payload.size)
    if page.url_path not in perf.FILTER_CHANGES:
        pytest.fail(f"{page.path} has no entry in geo.render.perf.FILTER_CHANGES")
    _apply_filter(at, page)
    changed = _maps(at)
    assert len(changed) == len(default)
    for payload in changed:
        assert payload.size.raw <= perf.MAP_BUDGET_BYTES, (page.path, "filtered", payload.size)
    if default:  # the benchmark times "filter → map redrawn": the filter must change the map
        assert [p.json_args for p in changed] != [p.json_args for p in default]


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_pan_and_zoom_do_not_rerun(page):
    """The map component gets a key, a height and returned objects that exclude the view, so
    Leaflet's moveend never changes the component's value (measured 0 reruns in the browser
    benchmark). Read from what is sent, kept map or not."""
    at = open_page(page.path)
    for payload in _maps(at):
        sent = json.loads(payload.json_args)
        assert isinstance(sent.get("key"), str) and sent["key"], sent.keys()
        assert isinstance(sent.get("height"), int) and sent["height"] > 0, sent.get("height")
        returned = sent.get("returned_objects")
        assert returned and not VIEW_KEYS & set(returned), returned
        assert sent.get("return_on_hover") is False, sent.get("return_on_hover")
        assert not VIEW_KEYS & set(sent["default"]), sent["default"]


def _forget_kept_maps() -> None:
    """Drop what the app's dataset keeps (rendered maps among it), so the next run renders."""
    root = paths.data_dir()
    geo.app.ui._cached_dataset(str(root), geo.app.ui._data_stamp(root))._memo.clear()


@pytest.mark.parametrize("page", PAGES, ids=PAGE_IDS)
def test_render_fixes_change_nothing_sent(page, monkeypatch):
    """geo.render.perf's faster folium rendering sends byte-identical maps, and a kept map is
    the one a fresh rendering sends."""
    assert perf.render_fixes_installed()
    fast = [p.json_args for p in _maps(open_page(page.path))]
    _forget_kept_maps()
    assert [p.json_args for p in _maps(open_page(page.path))] == fast
    _forget_kept_maps()
    monkeypatch.setattr(MacroElement, "render", perf.ORIGINAL_MACRO_RENDER)
    monkeypatch.setattr(perf.folium.map.Popup, "render", perf.ORIGINAL_POPUP_RENDER)
    monkeypatch.setattr(perf.folium.features.GeoJsonDetail, "render", perf.ORIGINAL_DETAIL_RENDER)
    monkeypatch.setattr(
        perf.folium.features.GeoJson, "_get_self_bounds", perf.ORIGINAL_GEOJSON_BOUNDS
    )
    assert not perf.render_fixes_installed()
    assert [p.json_args for p in _maps(open_page(page.path))] == fast


def _render_tip(text: str) -> str:
    import folium

    m = folium.Map(tiles=None)
    folium.GeoJson(
        {
            "type": "FeatureCollection",
            "features": [
                {
                    "type": "Feature",
                    "properties": {"tip": text},
                    "geometry": {"type": "Point", "coordinates": [114.0, 27.0]},
                }
            ],
        },
        tooltip=folium.GeoJsonTooltip(["tip"]),
    ).add_to(m)
    return m.get_root().render()


def test_rendered_text_is_not_evaluated_as_jinja(monkeypatch):
    """The fixed render keeps data text as is; branca's evaluates ``{{ … }}`` found in it."""
    assert '"tip": "{{ 7 * 7 }}"' in _render_tip("{{ 7 * 7 }}")
    monkeypatch.setattr(MacroElement, "render", perf.ORIGINAL_MACRO_RENDER)
    assert '"tip": "49"' in _render_tip("{{ 7 * 7 }}")


def test_geojson_bounds_match_folium():
    from folium.utilities import get_bounds

    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {},
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        [[[113.5, 24.25], [116.0, 24.0], [115.0, 29.75], [113.5, 24.25]]],
                        [[[110.1, 18.2], [111.0, 18.4], [110.5, 20.0], [110.1, 18.2]]],
                    ],
                },
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "LineString", "coordinates": [[117.0, 25.0], [118.5, 26.0]]},
            },
            {
                "type": "Feature",
                "properties": {},
                "geometry": {"type": "Point", "coordinates": [119.25, 30.5]},
            },
            {"type": "Feature", "properties": {}, "geometry": None},
        ],
    }
    assert perf.geojson_bounds(data) == get_bounds(data, lonlat=True)
    assert perf.geojson_bounds(data) == [[18.2, 110.1], [30.5, 119.25]]
    empty = {"type": "FeatureCollection", "features": []}
    assert perf.geojson_bounds(empty) == get_bounds(empty, lonlat=True)


def test_compact_coordinates_same_values_fewer_bytes():
    from folium.template import Template
    from jinja2.utils import htmlsafe_json_dumps

    assert perf.compact_coordinates_installed()
    data = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"tip": "<b>赣州</b>", "counts": [1, 2]},
                "geometry": {
                    "type": "Polygon",
                    "coordinates": [[[114.93, 25.83], [115.5, 26.0], [114.93, 25.83]]],
                },
            },
            {
                "type": "Feature",
                "properties": {"nested": {"type": "Point", "coordinates": [1, 2]}},
                "geometry": {
                    "type": "GeometryCollection",
                    "geometries": [
                        {"type": "LineString", "coordinates": [[110.0, 20.5], [111.25, 21.0]]}
                    ],
                },
            },
        ],
    }
    text = Template("{{ data|tojson }}").render(data=data)
    assert json.loads(text) == data
    assert "[[[114.93,25.83],[115.5,26.0],[114.93,25.83]]]" in text
    assert "[[110.0,20.5],[111.25,21.0]]" in text
    assert '"counts": [1, 2]' in text  # properties keep json.dumps's usual form
    assert "\\u003cb\\u003e" in text  # still HTML-safe
    plain = str(htmlsafe_json_dumps(data, dumps=json.dumps, sort_keys=True))
    # 9 spaces fewer: 5 in the polygon, 3 in the line, 1 in the point among the properties
    assert json.loads(plain) == data and len(text) == len(plain) - 9


def test_frame_geojson_is_to_json_with_cached_geometry(monkeypatch):
    import geopandas as gpd
    from shapely.geometry import LineString, Point, box

    frame = gpd.GeoDataFrame(
        {
            "adcode": ["1", "2", "3", "4"],
            "tip": ["<b>a</b>", None, "c", "d"],
            "n": [1.5, float("nan"), 3.0, 4.0],
            "ids": [("x", "y"), (), ("z",), ()],
        },
        geometry=[
            box(113.25, 23.5, 114.0, 24.125),
            LineString([(110.1, 20.2), (111.3, 21.4)]),
            None,
            Point(115.0, 27.0).buffer(0.5).difference(Point(115.0, 27.0)),
        ],
        crs="EPSG:4326",
    )
    expected = json.loads(frame.to_json(drop_id=True))
    assert perf.frame_geojson(frame) == expected
    again = perf.frame_geojson(frame)
    assert again == expected
    assert again["features"][0]["geometry"] is perf.frame_geojson(frame)["features"][0]["geometry"]
    monkeypatch.setattr(perf, "GEOMETRY_CACHE_SIZE", 2)
    many = gpd.GeoDataFrame(geometry=[box(i, i, i + 1, i + 1) for i in range(5)], crs="EPSG:4326")
    assert perf.frame_geojson(many) == json.loads(many.to_json(drop_id=True))
    assert len(perf._by_geometry) <= 2 and len(perf._by_coordinates) <= 2


@pytest.mark.parametrize("level", ["province", "city", "county"])
def test_frame_geojson_on_the_display_geometry(ds, level):
    from geo.analysis import display

    frame = display.regions_for_level(ds, level)
    assert perf.frame_geojson(frame) == json.loads(frame.to_json(drop_id=True))


def test_payload_size_counts_utf8_and_gzip():
    size = perf.payload_size("江西" * 1000)
    assert size.raw == 6000
    assert 0 < size.gzip < 200
