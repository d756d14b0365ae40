"""What a map costs: the bytes each map sends to the browser, and fixes to folium's rendering.

Budget: a page's default view sends at most :data:`MAP_BUDGET_BYTES` of map JSON (the
``st_folium`` component's arguments: Leaflet script, HTML, header). :func:`map_payloads` reads
them from a Streamlit ``AppTest`` run, exactly as the server serialises them; the tests assert
the budget and ``benchmarks/`` reports the same figure beside a naive build.

The fixes (:func:`install_render_fixes`, called by :mod:`geo.app.ui` before any map is drawn) remove
pure-Python hot spots that every ``st_folium`` call hits, without changing what is sent:

* ``branca.element.MacroElement.render`` wraps each rendered macro in ``Element(text)``, which
  compiles the *output* as a new Jinja template. For a layer carrying 200 KB of GeoJSON that
  lexing costs tens of milliseconds, twice per ``st_folium`` call (it renders the figure, then
  the map again). The replacement adds the text as is. It is also safer: text that happens to
  contain ``{{ … }}`` (a place name, say) is no longer evaluated as a Jinja expression.
  ``folium.Popup.render`` does the same with each popup, and ``GeoJsonDetail.render``
  (tooltips, popups of a GeoJson layer) also compiles a constant style template every time.
* ``folium.GeoJson._get_self_bounds`` walks every coordinate in Python (``st_folium`` asks for
  the map's bounds on every call, even when they are not returned). The replacement takes the
  same minimum and maximum with numpy.

All are checked against the originals in ``tests/apptest/test_payload_budget.py`` (same script, same
HTML, same bounds for every page's map).

One more, which does change the bytes (not the values): :func:`install_compact_coordinates`
makes folium write GeoJSON coordinates without the space ``json.dumps`` puts after each comma,
about 10% of every map payload.
"""

from __future__ import annotations

import gzip
import json
import re
import threading
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import folium.features
import folium.map
import folium.template
import geopandas as gpd
import numpy as np
import shapely
from branca.element import Element, Figure, MacroElement

__all__ = [
    "FILTER_CHANGES",
    "FOLIUM_JINJA_ENV",
    "GEOMETRY_CACHE_SIZE",
    "MAP_BUDGET_BYTES",
    "ORIGINAL_DETAIL_RENDER",
    "ORIGINAL_DUMPS_FUNCTION",
    "ORIGINAL_GEOJSON_BOUNDS",
    "ORIGINAL_MACRO_RENDER",
    "ORIGINAL_POPUP_RENDER",
    "MapPayload",
    "PayloadSize",
    "compact_coordinates_installed",
    "dumps_compact_coordinates",
    "frame_geojson",
    "geojson_bounds",
    "install_compact_coordinates",
    "install_render_fixes",
    "map_payloads",
    "payload_size",
    "render_fixes_installed",
    "uninstall_compact_coordinates",
    "uninstall_render_fixes",
]

MAP_BUDGET_BYTES = 300_000  # raw bytes of map JSON for a page's default view (300 KB)
ST_FOLIUM_COMPONENT = "streamlit_folium.st_folium"

# One filter change per page (URL path → widget key, new value): what the payload-budget test
# and the benchmark exercise besides the default view. The overview has no filter of its own:
# its input is the language switch. A new page must add its entry (the test fails until then).
FILTER_CHANGES: dict[str, tuple[str, object]] = {
    "": ("lang", "en"),
    "measures": ("measures_level", "city"),
    "projects": ("projects_colour", "status"),
    "region": ("region_l1", "440000"),
    "partners": ("partners_partner", "440000"),
    "units": ("units_unit", "省商务厅"),
    "briefing": ("briefing_view", "transport"),
    "data": ("data_table", "projects"),
}

ORIGINAL_MACRO_RENDER = MacroElement.render
ORIGINAL_GEOJSON_BOUNDS = folium.features.GeoJson._get_self_bounds
ORIGINAL_POPUP_RENDER = folium.map.Popup.render
ORIGINAL_DETAIL_RENDER = folium.features.GeoJsonDetail.render


@dataclass(frozen=True)
class PayloadSize:
    """Size of a payload in bytes: as is (UTF-8) and gzip-compressed (level 6, like deflate)."""

    raw: int
    gzip: int


@dataclass(frozen=True)
class MapPayload:
    """One map as sent to the browser: its component arguments (JSON) and their size."""

    json_args: str
    size: PayloadSize


def payload_size(data: str | bytes) -> PayloadSize:
    """Bytes of ``data`` (UTF-8 for text) raw and gzip-compressed.

    The gzip figure approximates the wire: Streamlit's websocket uses permessage-deflate.
    """
    raw = data.encode("utf-8") if isinstance(data, str) else bytes(data)
    return PayloadSize(len(raw), len(gzip.compress(raw, compresslevel=6, mtime=0)))


def _walk_tree(node: Any) -> Iterator[Any]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _walk_tree(child)


def map_payloads(at: Any) -> list[MapPayload]:
    """Every ``st_folium`` map in a Streamlit ``AppTest`` run, in page order, with its size.

    Parameters
    ----------
    at : streamlit.testing.v1.AppTest
        After ``run()``. (Duck-typed: this module does not import Streamlit.)

    Returns
    -------
    list of MapPayload
        The component's JSON arguments exactly as the server sends them to the browser.
    """
    found = []
    for node in _walk_tree(at._tree):
        proto = getattr(node, "proto", None)
        if getattr(node, "type", None) != "component_instance" or proto is None:
            continue
        if getattr(proto, "component_name", "") != ST_FOLIUM_COMPONENT:
            continue
        found.append(MapPayload(proto.json_args, payload_size(proto.json_args)))
    return found


def _as_jinja_would(text: str) -> str:
    """``text`` as Jinja returns a template source without tags: newlines normalised, one
    trailing newline dropped (``keep_trailing_newline=False``)."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text[:-1] if text.endswith("\n") else text


class _RenderedText(Element):
    """Text already rendered by a macro, kept as is (not compiled as a Jinja template)."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "RenderedText"
        self.text = text

    def render(self, **kwargs: object) -> str:
        return self.text


def _macro_render(self: MacroElement, **kwargs: object) -> None:
    """``MacroElement.render`` (branca 0.8) without re-compiling each macro's output."""
    figure = self.get_root()
    if not isinstance(figure, Figure):  # branca asserts this; keep its error type
        raise AssertionError("You cannot render this Element if it is not in a Figure.")
    macros = self._template.module.__dict__
    for part, target in (
        ("header", figure.header),
        ("html", figure.html),
        ("script", figure.script),
    ):
        macro = macros.get(part)
        if macro is not None:
            target.add_child(
                _RenderedText(_as_jinja_would(str(macro(self, kwargs)))), name=self.get_name()
            )
    for element in self._children.values():
        element.render(**kwargs)


def _popup_render(self: folium.map.Popup, **kwargs: object) -> None:
    """``folium.Popup.render`` (folium 0.20) without re-compiling its output."""
    for child in self._children.values():
        child.render(**kwargs)
    figure = self.get_root()
    if not isinstance(figure, Figure):
        raise AssertionError("You cannot render this Element if it is not in a Figure.")
    text = _as_jinja_would(str(self._template.render(this=self, kwargs=kwargs)))
    figure.script.add_child(_RenderedText(text), name=self.get_name())


# GeoJsonDetail.render (folium 0.20) compiles this constant template on every call.
_DETAIL_STYLE = folium.template.Template("""
                    <style>
                        .{{ this.class_name }} {
                            {{ this.style }}
                        }
                       .{{ this.class_name }} table{
                            margin: auto;
                        }
                        .{{ this.class_name }} tr{
                            text-align: left;
                        }
                        .{{ this.class_name }} th{
                            padding: 2px; padding-right: 8px;
                        }
                    </style>
            """)


def _detail_render(self: folium.features.GeoJsonDetail, **kwargs: object) -> None:
    """``GeoJsonDetail.render`` (tooltips and popups of a GeoJson layer, folium 0.20) with its
    style template compiled once and its output not re-compiled."""
    figure = self.get_root()
    if isinstance(self._parent, folium.GeoJson):
        features = self._parent.data["features"]
        keys = tuple(features[0]["properties"].keys() if features else [])
        self.warn_for_geometry_collections()
    elif isinstance(self._parent, folium.TopoJson):
        obj_name = self._parent.object_path.split(".")[-1]
        keys = tuple(self._parent.data["objects"][obj_name]["geometries"][0]["properties"].keys())
    else:
        raise TypeError(
            f"You cannot add a {self._name} to anything other than a GeoJson or TopoJson object."
        )
    keys = tuple(x for x in keys if x not in ("style", "highlight"))
    for value in self.fields:
        if value not in keys:
            raise AssertionError(
                f"The field {value} is not available in the data. Choose from: {keys}."
            )
    if not isinstance(figure, Figure):  # folium fails here too (no header)
        raise AssertionError("You cannot render this Element if it is not in a Figure.")
    figure.header.add_child(
        _RenderedText(_as_jinja_would(_DETAIL_STYLE.render(this=self))),
        name=self.get_name() + "tablestyle",
    )
    MacroElement.render(self, **kwargs)


def _position_lists(coords: Any) -> Iterator[Any]:
    """The innermost lists of positions of a GeoJSON ``coordinates`` value."""
    if not coords:
        return
    if isinstance(coords[0], (int, float)):
        yield [coords]
    elif isinstance(coords[0][0], (int, float)):
        yield coords
    else:
        for part in coords:
            yield from _position_lists(part)


def geojson_bounds(data: dict) -> list[list[float | None]]:
    """[[south, west], [north, east]] of a GeoJSON object, as folium computes it, with numpy.

    Parameters
    ----------
    data : dict
        A FeatureCollection, Feature or geometry (lon/lat positions, EPSG:4326).

    Returns
    -------
    list
        ``[[lat_min, lon_min], [lat_max, lon_max]]``; ``None`` entries when there is no
        position.
    """
    if "features" in data:
        coords = [f["geometry"]["coordinates"] for f in data["features"] if f["geometry"]]
    elif "geometry" in data:
        coords = data["geometry"]["coordinates"] if data["geometry"] else []
    elif "geometries" in data and data["geometries"] and "coordinates" in data["geometries"][0]:
        coords = data["geometries"][0]["coordinates"]
    else:
        coords = data.get("coordinates", [])
    arrays = [np.asarray(p, dtype=float)[:, :2] for c in coords for p in _position_lists(c)]
    arrays = [a for a in arrays if len(a)]
    if not arrays:
        return [[None, None], [None, None]]
    points = np.concatenate(arrays)
    (west, south), (east, north) = points.min(axis=0), points.max(axis=0)
    return [[float(south), float(west)], [float(north), float(east)]]


def _geojson_self_bounds(self: folium.GeoJson) -> list[list[float | None]]:
    return geojson_bounds(self.data)


def _set_methods(methods: Iterable[tuple[type, str, Callable[..., Any]]]) -> None:
    """Set each class's method ``name`` (a monkeypatch mypy need not be told about)."""
    for owner, name, method in methods:
        setattr(owner, name, method)


def install_render_fixes() -> None:
    """Replace the folium/branca hot spots described in the module docstring (idempotent)."""
    _set_methods(
        [
            (MacroElement, "render", _macro_render),
            (folium.map.Popup, "render", _popup_render),
            (folium.features.GeoJsonDetail, "render", _detail_render),
            (folium.features.GeoJson, "_get_self_bounds", _geojson_self_bounds),
        ]
    )


_GEOMETRY_TYPES = frozenset(
    {"Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"}
)
# The Jinja environment every folium template shares (``|tojson`` reads its policies).
FOLIUM_JINJA_ENV = folium.features.GeoJson._template.environment
ORIGINAL_DUMPS_FUNCTION = FOLIUM_JINJA_ENV.policies.get("json.dumps_function")


_MARKER = f"@coords-{uuid.uuid4().hex}-"  # cannot occur in data by chance
_MARKER_RE = re.compile(f'"{re.escape(_MARKER)}(\\d+)"')


def _set_aside(obj: Any, found: list[Any], marker: str) -> Any:
    """``obj`` with every GeoJSON geometry's coordinates replaced by a numbered marker."""
    if isinstance(obj, dict):
        if obj.get("type") in _GEOMETRY_TYPES and "coordinates" in obj:
            found.append(obj["coordinates"])
            return {**obj, "coordinates": f"{marker}{len(found) - 1}"}
        return {key: _set_aside(value, found, marker) for key, value in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [_set_aside(value, found, marker) for value in obj]
    return obj


def dumps_compact_coordinates(obj: Any, **kwargs: Any) -> str:
    """``json.dumps(obj, **kwargs)``, but GeoJSON coordinates without spaces.

    Coordinates are most of a map's bytes, and ``json.dumps`` puts a space after every comma:
    ``[113.25, 23.12]`` becomes ``[113.25,23.12]`` (about 10% of a page's map payload). The
    rest (properties, styles) keeps its usual form. Same JSON value. Geometries made by
    :func:`frame_geojson` are written once and reused from its cache.
    """
    if not isinstance(obj, (dict, list, tuple)):  # most |tojson calls: ids, names, numbers
        return json.dumps(obj, **kwargs)
    found: list[Any] = []
    text = json.dumps(_set_aside(obj, found, _MARKER), **kwargs)
    if not found:
        return text
    return _MARKER_RE.sub(lambda m: _coordinates_text(found[int(m.group(1))]), text)


# --- GeoJSON of a frame, each geometry converted once ----------------------------------------


class _CachedGeometry:
    """A geometry (kept alive, so its id stays its own), its GeoJSON and compact text."""

    __slots__ = ("geojson", "geometry", "text")

    def __init__(self, geometry: shapely.Geometry, geojson: dict) -> None:
        self.geometry = geometry
        self.geojson = geojson
        self.text: str | None = None


# Geometries; every page's display levels fit (~3,500). Each costs about 22 KB of GeoJSON lists
# (measured over 300 new region views), so the bound caps the cache near 90 MB: views nobody
# opened before add about 10 geometries each, and the maps of views already opened are kept
# rendered (geo.app.ui.map_widget) and need no GeoJSON again.
GEOMETRY_CACHE_SIZE = 4_000
_by_geometry: OrderedDict[int, _CachedGeometry] = OrderedDict()
_by_coordinates: dict[int, _CachedGeometry] = {}
_cache_lock = threading.Lock()


def _geometry_geojson(geometry: shapely.Geometry) -> dict:
    """The geometry as GeoJSON (lists, as ``json.loads`` gives them), converted once."""
    with _cache_lock:
        entry = _by_geometry.get(id(geometry))
        if entry is not None and entry.geometry is geometry:
            _by_geometry.move_to_end(id(geometry))
            return entry.geojson
    geojson = json.loads(json.dumps(shapely.geometry.mapping(geometry)))
    entry = _CachedGeometry(geometry, geojson)
    with _cache_lock:
        _by_geometry[id(geometry)] = entry
        _by_coordinates[id(geojson["coordinates"])] = entry
        while len(_by_geometry) > GEOMETRY_CACHE_SIZE:
            _, old = _by_geometry.popitem(last=False)
            _by_coordinates.pop(id(old.geojson["coordinates"]), None)
    return geojson


def _coordinates_text(coordinates: Any) -> str:
    with _cache_lock:
        entry = _by_coordinates.get(id(coordinates))
        if entry is not None and entry.geojson["coordinates"] is coordinates:
            if entry.text is None:
                entry.text = json.dumps(coordinates, separators=(",", ":"))
            return entry.text
    return json.dumps(coordinates, separators=(",", ":"))


def frame_geojson(frame: gpd.GeoDataFrame) -> dict:
    """``json.loads(frame.to_json(drop_id=True))``, with each geometry converted only once.

    Pages redraw the same display geometry on every rerun; converting it to GeoJSON (and
    writing it out again for the browser) was a third of a rerun. Geometries are cached by
    identity (:data:`GEOMETRY_CACHE_SIZE`, least recently used dropped); properties are
    converted by geopandas each time, exactly as ``to_json`` does.

    Parameters
    ----------
    frame : GeoDataFrame
        EPSG:4326. Not modified.

    Returns
    -------
    dict
        A FeatureCollection. Its geometry dicts are shared between calls: do not modify them.
    """
    name = frame.geometry.name
    blank = gpd.GeoDataFrame(
        frame.drop(columns=name),
        geometry=gpd.GeoSeries([None] * len(frame), index=frame.index),
        crs=frame.crs,
    )
    collection = json.loads(blank.to_json(drop_id=True))
    for feature, geometry in zip(collection["features"], frame.geometry, strict=True):
        if geometry is not None and not geometry.is_empty:
            feature["geometry"] = _geometry_geojson(geometry)
    return collection


def install_compact_coordinates() -> None:
    """Make folium's ``|tojson`` write GeoJSON coordinates without spaces (idempotent)."""
    FOLIUM_JINJA_ENV.policies["json.dumps_function"] = dumps_compact_coordinates


def uninstall_compact_coordinates() -> None:
    """Back to ``json.dumps`` as configured by folium."""
    FOLIUM_JINJA_ENV.policies["json.dumps_function"] = ORIGINAL_DUMPS_FUNCTION


def compact_coordinates_installed() -> bool:
    """Whether :func:`install_compact_coordinates` is in effect."""
    dumps: Callable[..., str] | None = FOLIUM_JINJA_ENV.policies.get("json.dumps_function")
    return dumps is dumps_compact_coordinates


def uninstall_render_fixes() -> None:
    """Put folium's and branca's own methods back (for comparisons and the naive baseline)."""
    _set_methods(
        [
            (MacroElement, "render", ORIGINAL_MACRO_RENDER),
            (folium.map.Popup, "render", ORIGINAL_POPUP_RENDER),
            (folium.features.GeoJsonDetail, "render", ORIGINAL_DETAIL_RENDER),
            (folium.features.GeoJson, "_get_self_bounds", ORIGINAL_GEOJSON_BOUNDS),
        ]
    )


def render_fixes_installed() -> bool:
    """Whether :func:`install_render_fixes` is in effect."""
    return (
        MacroElement.render is _macro_render
        and folium.map.Popup.render is _popup_render
        and folium.features.GeoJsonDetail.render is _detail_render
        and folium.features.GeoJson._get_self_bounds is _geojson_self_bounds
    )
