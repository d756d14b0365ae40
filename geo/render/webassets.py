"""Serve the map's JavaScript and CSS from the app itself: no CDN.

folium links Leaflet, jQuery, Bootstrap, Font Awesome and awesome-markers from CDNs, and
streamlit-folium's ``st_folium`` injects every ``default_js``/``default_css`` URL it finds in the
element tree (plus d3 for a branca colormap) into its iframe, one after the other: one URL that
does not load and the map stays blank. This module points a map at the Leaflet copy vendored in
``static/leaflet/`` (served by Streamlit at ``/app/static/...``), drops folium's other defaults,
and refuses maps that need something we do not vendor. It also writes a map as one
self-contained HTML file with Leaflet inlined, for e-mail.

The only place core folium needs jQuery without declaring it is ``folium.Popup``, which builds
its content with ``$(`<div ...>...</div>`)[0]``; a five-line stand-in for that one use is added
to the map (see ``DOLLAR_SHIM_JS``). Everything else that needs jQuery, Bootstrap,
awesome-markers, d3 or a remote URL raises :class:`UnvendoredAssetError`, naming the element.

Why the map is changed in place: folium elements cannot be copied safely. ``copy.deepcopy``
goes through ``Element.__getstate__``, which drops a template set on the instance, so a
hand-written ``MacroElement`` legend silently disappears from the copy.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from pathlib import Path

import branca.colormap
import folium
import folium.features
import folium.folium
import folium.plugins
import folium.raster_layers
from branca.element import CssLink, Element, Figure, JavascriptLink, MacroElement
from folium.elements import JSCSSMixin
from folium.template import Template

from geo.core.paths import REPO_DIR

__all__ = [
    "DEFAULT_STATIC_BASE_URL",
    "DOLLAR_SHIM_JS",
    "LEAFLET_CSS_PATH",
    "LEAFLET_DIR",
    "LEAFLET_JS_PATH",
    "LEAFLET_VERSION",
    "UnvendoredAssetError",
    "collect_asset_links",
    "find_unvendored_assets",
    "localise_map_assets",
    "render_standalone_html",
    "static_base_url",
]

LEAFLET_VERSION = "1.9.4"
STATIC_DIR = REPO_DIR / "static"
LEAFLET_DIR = STATIC_DIR / "leaflet"
# Where Streamlit serves ``static/`` when ``server.enableStaticServing`` is on.
DEFAULT_STATIC_BASE_URL = "/app/static"
# Paths relative to the static base URL; the names are the ones folium.Map uses.
LEAFLET_JS_PATH = "leaflet/leaflet.js"
LEAFLET_CSS_PATH = "leaflet/leaflet.css"
_LEAFLET_JS_NAME = "leaflet"
_LEAFLET_CSS_NAME = "leaflet_css"

# folium.Map's default bundle: everything but Leaflet is dropped. Icon (awesome-markers) and the
# few jQuery users are refused by find_unvendored_assets, so nothing left needs these.
_FOLIUM_DEFAULT_URLS = frozenset(
    url for _, url in [*folium.folium._default_js, *folium.folium._default_css]
)
_FOLIUM_LEAFLET_URLS = {
    url: kind
    for kind, links in (("js", folium.folium._default_js), ("css", folium.folium._default_css))
    for name, url in links
    if name in (_LEAFLET_JS_NAME, _LEAFLET_CSS_NAME)
}


def _leaflet_kind(url: str) -> str | None:
    """``"js"``/``"css"`` if ``url`` is Leaflet's script/stylesheet (ours or folium's CDN)."""
    if url.endswith("/" + LEAFLET_JS_PATH):
        return "js"
    if url.endswith("/" + LEAFLET_CSS_PATH):
        return "css"
    return _FOLIUM_LEAFLET_URLS.get(url)


_SHIM_NAME = "webassets_dollar_shim"
DOLLAR_SHIM_JS = """\
(function () {
    // folium.Popup builds its content with $(`<div ...>...</div>`)[0] and nothing else
    // in core folium calls jQuery; stand in for that one use instead of shipping jQuery.
    if (typeof window.$ !== "undefined") { return; }
    window.$ = function (markup) {
        if (typeof markup !== "string") {
            throw new TypeError("$ here only parses HTML strings: jQuery is not vendored");
        }
        var box = document.createElement("div");
        box.innerHTML = markup.trim();
        return [box.firstElementChild];
    };
})();
"""


class UnvendoredAssetError(ValueError):
    """A map element needs a script, stylesheet, image or server that the app does not serve."""


class _DollarShim(MacroElement):
    """Script element carrying :data:`DOLLAR_SHIM_JS` (st_folium runs only script macros)."""

    _template = Template("{% macro script(this, kwargs) %}" + DOLLAR_SHIM_JS + "{% endmacro %}")

    def __init__(self) -> None:
        super().__init__()
        self._name = "DollarShim"


def static_base_url(base_url_path: str = "") -> str:
    """Return the URL prefix under which Streamlit serves the app's ``static/`` folder.

    Parameters
    ----------
    base_url_path : str, default ""
        Streamlit's ``server.baseUrlPath`` (``st.get_option("server.baseUrlPath")``), with or
        without slashes, e.g. ``"pprd"`` or ``"/pprd/"``.

    Returns
    -------
    str
        ``"/app/static"``, or ``"/pprd/app/static"`` under a base path; no trailing slash.
    """
    prefix = base_url_path.strip().strip("/")
    return f"/{prefix}{DEFAULT_STATIC_BASE_URL}" if prefix else DEFAULT_STATIC_BASE_URL


def _walk(element: Element) -> Iterator[Element]:
    """Yield ``element`` and all its descendants, depth first, in child order."""
    yield element
    for child in element._children.values():
        yield from _walk(child)


def _describe(element: Element) -> str:
    return f"{type(element).__module__}.{type(element).__qualname__} {element.get_name()!r}"


def _is_inline_url(url: object) -> bool:
    return isinstance(url, str) and url.startswith("data:")


def find_unvendored_assets(m: folium.Map, *, allow_tile_layers: bool = False) -> list[str]:
    """List what the map's elements need from outside the app, one line per problem.

    Checks the map and everything attached to its figure: declared ``default_js`` and
    ``default_css`` (other than folium.Map's own bundle), branca colormaps (d3), awesome-markers
    icons, jQuery users other than ``folium.Popup``, link elements in the figure header, and
    remote images, videos and tile servers.

    Parameters
    ----------
    m : folium.Map
        The map to inspect. Not modified.
    allow_tile_layers : bool, default False
        Accept ``TileLayer``/``WmsTileLayer`` (a tile server). The default view needs none: the
        boundaries are the base map.

    Returns
    -------
    list of str
        Empty when the vendored Leaflet is all the map needs.
    """
    problems: list[str] = []
    root = m.get_root()
    for element in _walk(root):
        what = _describe(element)
        if isinstance(element, JSCSSMixin) and not isinstance(element, folium.Map):
            for name, url in [*element.default_js, *element.default_css]:
                problems.append(f"{what} needs {name!r} from {url}")
        if isinstance(element, folium.Map) and element.objects_to_stay_in_front:
            problems.append(
                f"{what}: keep_in_front needs jQuery ($(document).ready); "
                "order layers with folium.map.CustomPane instead"
            )
        if isinstance(element, branca.colormap.ColorMap):
            problems.append(f"{what}: a branca colormap legend needs d3; write the legend as HTML")
        if isinstance(element, folium.features.CustomIcon):
            for key in ("icon_url", "shadow_url"):
                image = element.options.get(key)
                if image is not None and not _is_inline_url(image):
                    problems.append(f"{what} loads {key} {image}; pass the image as data")
        elif isinstance(element, folium.Icon):
            problems.append(f"{what} needs awesome-markers and an icon font; use CircleMarker")
        if isinstance(element, (folium.features.Vega, folium.features.VegaLite)):
            problems.append(f"{what} needs Vega from a CDN")
        if isinstance(element, folium.GeoJson) and not element.embed:
            problems.append(f"{what}: GeoJson(embed=False) fetches its data with jQuery's $.ajax")
        tile_layer = (folium.TileLayer, folium.raster_layers.WmsTileLayer)
        if isinstance(element, tile_layer) and not allow_tile_layers:
            server = getattr(element, "tiles", None) or getattr(element, "url", "")
            problems.append(f"{what} needs the tile server {server}; use tiles=None")
        if isinstance(element, folium.raster_layers.ImageOverlay) and not _is_inline_url(
            element.url
        ):
            problems.append(f"{what} loads the image {element.url}")
        if isinstance(element, folium.raster_layers.VideoOverlay):
            problems.append(f"{what} loads the video {element.video_url}")
        if isinstance(element, folium.plugins.FloatImage) and not _is_inline_url(element.image):
            problems.append(f"{what} loads the image {element.image}")
        if isinstance(element, folium.plugins.ScrollZoomToggler):
            problems.append(f"{what} loads its button image from a CDN")
    if isinstance(root, Figure):
        for element in root.header._children.values():
            url = getattr(element, "url", "")
            is_link = isinstance(element, (JavascriptLink, CssLink))
            if is_link and url not in _FOLIUM_DEFAULT_URLS and _leaflet_kind(url) is None:
                problems.append(f"figure header links {url}")
    return problems


def _raise_if_unvendored(m: folium.Map, *, allow_tile_layers: bool) -> None:
    problems = find_unvendored_assets(m, allow_tile_layers=allow_tile_layers)
    if problems:
        raise UnvendoredAssetError(
            "the map needs assets that static/ does not serve:\n  " + "\n  ".join(problems)
        )


def localise_map_assets(
    m: folium.Map,
    base_url: str = DEFAULT_STATIC_BASE_URL,
    *,
    allow_tile_layers: bool = False,
) -> folium.Map:
    """Point the map at the vendored Leaflet and drop folium's other CDN assets, in place.

    Sets ``default_js``/``default_css`` on the map *instance* (folium keeps them as lists on the
    class, shared by every map), so ``st_folium`` and ``Figure.render`` ask only for
    ``{base_url}/leaflet/leaflet.js`` and ``.../leaflet.css``; removes CDN links a previous
    render left in the figure header; adds the stand-in for ``folium.Popup``'s one use of jQuery.
    Idempotent. Call it after all layers are added, just before ``st_folium``.

    Parameters
    ----------
    m : folium.Map
        The map, with its layers. Modified in place (folium elements cannot be deep-copied
        without losing instance templates such as a hand-written legend).
    base_url : str, default "/app/static"
        URL prefix of the app's ``static/`` folder; under a ``server.baseUrlPath`` pass
        ``static_base_url(st.get_option("server.baseUrlPath"))``.
    allow_tile_layers : bool, default False
        Accept tile layers (they need a tile server; the default view must not).

    Returns
    -------
    folium.Map
        ``m`` itself, for chaining.

    Raises
    ------
    UnvendoredAssetError
        If any element needs a script, stylesheet, image or server that ``static/`` does not
        provide; the message names every such element. The map is left unchanged then.
    """
    _raise_if_unvendored(m, allow_tile_layers=allow_tile_layers)
    base = base_url.rstrip("/")
    m.default_js = [(_LEAFLET_JS_NAME, f"{base}/{LEAFLET_JS_PATH}")]
    m.default_css = [(_LEAFLET_CSS_NAME, f"{base}/{LEAFLET_CSS_PATH}")]
    root = m.get_root()
    if not isinstance(root, Figure):  # folium puts every Map in a Figure
        raise TypeError("the map is not in a branca Figure")
    header = root.header
    header._children = type(header._children)(
        (name, child)
        for name, child in header._children.items()
        if not isinstance(child, (JavascriptLink, CssLink))
    )
    m.add_child(_DollarShim(), name=_SHIM_NAME, index=0)
    return m


def collect_asset_links(m: folium.Map) -> tuple[list[str], list[str]]:
    """Return the script and stylesheet URLs ``st_folium`` will inject for this map.

    Mirrors the walk in ``streamlit_folium.st_folium`` (0.27): every ``JSCSSMixin`` under the
    map contributes its ``default_js``/``default_css``; a branca colormap adds two d3 URLs.

    Parameters
    ----------
    m : folium.Map
        The map. Not modified.

    Returns
    -------
    tuple of (list of str, list of str)
        JavaScript URLs in load order, then CSS URLs, each without duplicates.
    """
    js: list[str] = []
    css: list[str] = []
    for element in _walk(m):
        if isinstance(element, branca.colormap.ColorMap):
            js[:0] = [
                "https://d3js.org/d3.v4.min.js",
                "https://cdnjs.cloudflare.com/ajax/libs/d3/3.5.5/d3.min.js",
            ]
        if isinstance(element, JSCSSMixin):
            js.extend(url for _, url in element.default_js)
            css.extend(url for _, url in element.default_css)
    return list(dict.fromkeys(js)), list(dict.fromkeys(css))


_CSS_URL = re.compile(r"url\(\s*(['\"]?)(?P<path>[^'\")]+)\1\s*\)")
_CSS_COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
_SOURCE_MAP = re.compile(r"^\s*//# sourceMappingURL=.*$", re.MULTILINE)
_LINK_TAG = re.compile(
    r'<script src="(?P<js>[^"]*)"></script>|<link rel="stylesheet" href="(?P<css>[^"]*)"/>'
)
# Resource references a browser would fetch: src/srcset attributes, <link>, CSS url()/@import.
_FETCHING_REFERENCE = re.compile(
    r"""<[a-z][^<>]*\s(?:src|srcset|poster|data)\s*=\s*\\?["']?(?!data:|blob:|\#)[^\s"'\\>]+"""
    r"""|<link\b[^>]*>"""
    r"""|(?<![\w$.])url\(\s*\\?["']?(?!data:|\#)[^)"'\\]+"""
    r"""|@import\b""",
    re.IGNORECASE,
)


def _data_uri(path: Path, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(path.read_bytes()).decode('ascii')}"


def _inline_leaflet_css() -> str:
    """Leaflet's CSS with its ``images/`` references turned into data: URIs."""

    def to_data_uri(match: re.Match[str]) -> str:
        path = match.group("path")
        if path.startswith("#"):  # url(#default#VML): an old-IE behaviour, fetches nothing
            return match.group(0)
        return f'url("{_data_uri(LEAFLET_DIR / path, "image/png")}")'

    css = (LEAFLET_DIR / "leaflet.css").read_text(encoding="utf-8")
    css = _CSS_COMMENT.sub("", css)  # its comments cite bug-tracker URLs; no licence text there
    css = _CSS_URL.sub(to_data_uri, css)
    if "</style" in css.lower():
        raise ValueError("leaflet.css contains '</style' and cannot be inlined")
    return css


def _inline_leaflet_js() -> str:
    """Leaflet's JS, the stand-in for jQuery, and default marker icons as data: URIs."""
    js = _SOURCE_MAP.sub("", (LEAFLET_DIR / "leaflet.js").read_text(encoding="utf-8"))
    images = LEAFLET_DIR / "images"
    # Leaflet finds marker images by reading the CSS URL of .leaflet-default-icon-path and
    # stripping the file name, which does not work with a data: URI: set them outright.
    icons = (
        "L.Icon.Default.imagePath = '';\n"
        "L.Icon.Default.mergeOptions({"
        f"iconUrl: '{_data_uri(images / 'marker-icon.png', 'image/png')}', "
        f"iconRetinaUrl: '{_data_uri(images / 'marker-icon-2x.png', 'image/png')}', "
        f"shadowUrl: '{_data_uri(images / 'marker-shadow.png', 'image/png')}'}});\n"
    )
    bundle = f"{js}\n{icons}{DOLLAR_SHIM_JS}"
    if "</script" in bundle.lower():
        raise ValueError("leaflet.js contains '</script' and cannot be inlined")
    return bundle


def render_standalone_html(m: folium.Map, *, title: str | None = None) -> str:
    """Render the map as one self-contained HTML file, Leaflet inlined, for e-mail.

    The result loads nothing: Leaflet's JS and CSS sit in ``<script>``/``<style>`` elements, the
    CSS images and default marker icons are ``data:`` URIs, and folium's other CDN links are
    dropped. It works the same whether or not :func:`localise_map_assets` was applied.

    Parameters
    ----------
    m : folium.Map
        The map. Rendered (folium adds the rendered pieces to the figure), not otherwise changed.
    title : str, optional
        Document title, e.g. the map's caption; HTML-escaped.

    Returns
    -------
    str
        The HTML document.

    Raises
    ------
    UnvendoredAssetError
        If an element needs something beyond Leaflet (tile layers included), or the rendered
        document still references an external resource.
    """
    _raise_if_unvendored(m, allow_tile_layers=False)
    document = m.get_root().render()

    seen: set[str] = set()

    def inline(match: re.Match[str]) -> str:
        url = match.group("js") or match.group("css")
        kind = _leaflet_kind(url)
        if kind is not None and kind not in seen:
            seen.add(kind)
            if kind == "js":
                return f"<script>\n{_inline_leaflet_js()}\n</script>"
            return f"<style>\n{_inline_leaflet_css()}\n</style>"
        if kind is not None or url in _FOLIUM_DEFAULT_URLS:
            return ""
        raise UnvendoredAssetError(f"the rendered map links {url}")

    document = _LINK_TAG.sub(inline, document)
    if seen != {"js", "css"}:
        raise UnvendoredAssetError("the rendered map does not link Leaflet's JS and CSS")
    if title is not None:
        document = re.sub(r"<title>.*?</title>", "", document, flags=re.DOTALL)
        document = document.replace("<head>", f"<head>\n<title>{html.escape(title)}</title>", 1)
    leftovers = [m.group(0) for m in _FETCHING_REFERENCE.finditer(document)]
    if leftovers:
        raise UnvendoredAssetError(f"the standalone map still references {leftovers[:5]}")
    return document
