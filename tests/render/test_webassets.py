"""geo.render.webassets: the map loads only the vendored Leaflet; the standalone export loads
nothing (opened in Chromium: ``tests/browser/test_browser_webassets.py``)."""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path

import branca.colormap
import folium
import folium.folium
import folium.plugins
import folium.template
import pytest
import streamlit_folium
from sample_map import CITY, POLYGON, build_map
from streamlit import config as st_config

from geo.core.paths import REPO_DIR
from geo.render import webassets
from geo.render.webassets import (
    LEAFLET_DIR,
    LEAFLET_VERSION,
    UnvendoredAssetError,
    collect_asset_links,
    find_unvendored_assets,
    localise_map_assets,
    render_standalone_html,
    static_base_url,
)

LOCAL_JS = "/app/static/leaflet/leaflet.js"
LOCAL_CSS = "/app/static/leaflet/leaflet.css"
# http(s) strings the inlined Leaflet must keep: the SVG namespace its code passes to
# createElementNS, and its home page (licence comment, attribution link). Neither is fetched.
INERT_HTTP_STRINGS = {"http://www.w3.org/2000/svg", "https://leafletjs.com"}


def linked_urls(document: str) -> list[str]:
    """URLs of <script src> and <link href> in an HTML document."""
    return re.findall(r'<script[^>]*\ssrc="([^"]*)"', document) + re.findall(
        r'<link[^>]*\shref="([^"]*)"', document
    )


# --- the vendored copy ---------------------------------------------------------------------


def test_vendored_leaflet_matches_the_leaflet_folium_is_written_for() -> None:
    folium_leaflet = dict(folium.folium._default_js)["leaflet"]
    folium_version = re.search(r"leaflet@(\d+\.\d+)\.\d+/", folium_leaflet).group(1)
    assert LEAFLET_VERSION.rsplit(".", 1)[0] == folium_version
    assert f"Leaflet {LEAFLET_VERSION}," in (LEAFLET_DIR / "leaflet.js").read_text()[:200]


def test_static_holds_leaflet_only() -> None:
    # Everything in static/ is served publicly: only what the map needs. The note on where the
    # files come from lives in geo/static_assets.md.
    static = REPO_DIR / "static"
    files = {p.relative_to(static).as_posix() for p in static.rglob("*") if p.is_file()}
    assert (REPO_DIR / "geo" / "static_assets.md").is_file()
    assert files == {
        "leaflet/LICENSE",
        "leaflet/leaflet.css",
        "leaflet/leaflet.js",
        *(
            f"leaflet/images/{name}.png"
            for name in ("layers", "layers-2x", "marker-icon", "marker-icon-2x", "marker-shadow")
        ),
    }
    assert "BSD 2-Clause" in (LEAFLET_DIR / "LICENSE").read_text()


# --- localise_map_assets -------------------------------------------------------------------


def test_folium_defaults_would_load_from_cdns() -> None:
    js, css = collect_asset_links(build_map())
    assert any("jquery" in url for url in js)
    assert all(url.startswith("https://") for url in [*js, *css])


def test_localised_map_links_only_the_vendored_leaflet() -> None:
    m = localise_map_assets(build_map())
    assert collect_asset_links(m) == ([LOCAL_JS], [LOCAL_CSS])
    assert sorted(linked_urls(m.get_root().render())) == sorted([LOCAL_JS, LOCAL_CSS])


def test_st_folium_is_given_only_local_links(monkeypatch: pytest.MonkeyPatch) -> None:
    sent: dict = {}
    monkeypatch.setattr(streamlit_folium, "_component_func", lambda **kwargs: sent.update(kwargs))
    m = localise_map_assets(build_map())
    streamlit_folium.st_folium(
        m, key="test_map", height=400, returned_objects=["last_object_clicked"]
    )
    assert sent["js_links"] == [LOCAL_JS]
    assert sent["css_links"] == [LOCAL_CSS]
    script = sent["script"]
    # The $ stand-in is defined right after the map and before the popup that calls it.
    assert script.index("window.$ = function") < script.index("= $(`")
    assert "L.circleMarker(" in script
    assert "L.control.layers(" in script
    assert json.dumps(CITY)[1:-1] in script  # the GeoJSON travels in the script


def test_localise_sets_links_per_map_not_on_the_folium_class() -> None:
    class_js, class_css = list(folium.Map.default_js), list(folium.Map.default_css)
    m = localise_map_assets(build_map())
    assert m.default_js is not folium.Map.default_js
    assert (folium.Map.default_js, folium.Map.default_css) == (class_js, class_css)
    assert collect_asset_links(build_map())[0] == [url for _, url in class_js]


def test_localise_follows_the_base_url_path() -> None:
    assert static_base_url() == "/app/static"
    assert static_base_url("pprd") == static_base_url("/pprd/") == "/pprd/app/static"
    m = localise_map_assets(build_map(), static_base_url("pprd"))
    assert collect_asset_links(m) == (
        ["/pprd/app/static/leaflet/leaflet.js"],
        ["/pprd/app/static/leaflet/leaflet.css"],
    )


def test_localise_is_idempotent_and_clears_cdn_links_of_an_earlier_render() -> None:
    m = build_map()
    m.get_root().render()  # leaves folium's CDN links in the figure header
    localise_map_assets(localise_map_assets(m))
    document = m.get_root().render()
    assert sorted(linked_urls(document)) == sorted([LOCAL_JS, LOCAL_CSS])
    assert document.count("window.$ = function") == 1


def test_localise_keeps_a_hand_written_legend() -> None:
    m = build_map()
    legend = folium.MacroElement()
    legend._template = folium.template.Template(
        "{% macro html(this, kwargs) %}<div id='legend'>图例</div>{% endmacro %}"
    )
    m.get_root().add_child(legend)
    assert "<div id='legend'>图例</div>" in localise_map_assets(m).get_root().render()


def _tile_map() -> folium.Map:
    return folium.Map()  # OpenStreetMap tiles by default


def _icon_map() -> folium.Map:
    m = folium.Map(tiles=None)
    folium.Marker([26, 115], icon=folium.Icon(color="red")).add_to(m)
    return m


def _colormap_map() -> folium.Map:
    m = folium.Map(tiles=None)
    branca.colormap.LinearColormap(["white", "red"], vmin=0, vmax=1).add_to(m)
    return m


def _plugin_map() -> folium.Map:
    m = folium.Map(tiles=None)
    folium.plugins.Fullscreen().add_to(m)
    return m


def _keep_in_front_map() -> folium.Map:
    m = build_map()
    points = next(c for c in m._children.values() if isinstance(c, folium.FeatureGroup))
    m.keep_in_front(points)
    return m


def _remote_icon_map() -> folium.Map:
    m = folium.Map(tiles=None)
    icon = folium.features.CustomIcon("https://example.org/pin.png", icon_size=(10, 10))
    folium.Marker([26, 115], icon=icon).add_to(m)
    return m


def _linked_geojson_map(tmp_path: Path) -> folium.Map:
    path = tmp_path / "cities.geojson"
    path.write_text(json.dumps(POLYGON), encoding="utf-8")
    m = folium.Map(tiles=None)
    folium.GeoJson(str(path), embed=False).add_to(m)
    return m


@pytest.mark.parametrize(
    ("make_map", "named"),
    [
        (lambda _: _tile_map(), "TileLayer"),
        (lambda _: _icon_map(), "folium.map.Icon"),
        (lambda _: _colormap_map(), "LinearColormap"),
        (lambda _: _plugin_map(), "Fullscreen"),
        (lambda _: _keep_in_front_map(), "keep_in_front"),
        (lambda _: _remote_icon_map(), "CustomIcon"),
        (_linked_geojson_map, "embed=False"),
    ],
    ids=["tiles", "icon", "colormap", "plugin", "keep_in_front", "remote_icon", "geojson_link"],
)
def test_an_element_needing_an_unvendored_asset_raises_and_is_named(
    make_map, named: str, tmp_path: Path
) -> None:
    m = make_map(tmp_path)
    with pytest.raises(UnvendoredAssetError, match=re.escape(named)):
        localise_map_assets(m)
    assert "default_js" not in vars(m)  # refused before anything was changed
    with pytest.raises(UnvendoredAssetError, match=re.escape(named)):
        render_standalone_html(m)


def test_tile_layers_pass_when_allowed() -> None:
    assert find_unvendored_assets(_tile_map(), allow_tile_layers=True) == []
    m = localise_map_assets(_tile_map(), allow_tile_layers=True)
    assert collect_asset_links(m) == ([LOCAL_JS], [LOCAL_CSS])


# --- render_standalone_html ----------------------------------------------------------------


@pytest.fixture(params=["localised", "plain"])
def standalone(request: pytest.FixtureRequest) -> str:
    m = build_map()
    if request.param == "localised":
        localise_map_assets(m)
    return render_standalone_html(m, title="泛珠合作地图 <测试>")


def test_standalone_links_nothing(standalone: str) -> None:
    assert linked_urls(standalone) == []
    assert "<link" not in standalone
    assert "/app/static" not in standalone
    assert "//cdn" not in standalone
    assert "sourceMappingURL" not in standalone
    assert re.findall(r"url\(\s*(?!['\"]?(?:data:|#))", standalone) == []
    assert "@import" not in standalone
    assert set(re.findall(r"https?://[^\s\"'<>)\\]*", standalone)) <= INERT_HTTP_STRINGS


def test_standalone_inlines_leaflet_and_its_images(standalone: str) -> None:
    leaflet_js = (LEAFLET_DIR / "leaflet.js").read_text()
    assert leaflet_js[:2000] in standalone
    assert ".leaflet-control-layers-toggle" in standalone  # the CSS
    assert standalone.count("data:image/png;base64,") >= 5  # layers x2, marker, marker-2x, shadow
    assert "window.$ = function" in standalone


def test_standalone_carries_the_features_and_title(standalone: str) -> None:
    assert json.dumps(CITY)[1:-1] in standalone
    assert re.search(r"\[114\.0, ?25\.0\]", standalone)  # compact or spaced JSON
    assert "L.circleMarker(" in standalone
    assert "<title>泛珠合作地图 &lt;测试&gt;</title>" in standalone


def test_standalone_refuses_a_document_that_still_links_out() -> None:
    m = build_map()
    m.get_root().html.add_child(folium.Element('<img src="https://example.org/logo.png">'))
    with pytest.raises(UnvendoredAssetError, match=r"example\.org"):
        render_standalone_html(m)


# --- .streamlit/config.toml ----------------------------------------------------------------


def test_streamlit_config_is_fit_for_a_shared_server() -> None:
    config = tomllib.loads((REPO_DIR / ".streamlit" / "config.toml").read_text())
    options = st_config.get_config_options()
    for section, values in config.items():
        for key in values:
            assert f"{section}.{key}" in options, f"unknown option {section}.{key}"
    server, client = config["server"], config["client"]
    assert server["enableStaticServing"] is True
    assert server["enableXsrfProtection"] is True
    assert server.get("enableCORS", True) is True
    assert server["headless"] is True and server["runOnSave"] is False
    assert server["maxUploadSize"] <= 10
    assert client["showErrorDetails"] == "none"
    assert client["toolbarMode"] == "minimal"
    assert config["browser"]["gatherUsageStats"] is False
    assert "font" not in config.get("theme", {})  # a font URL would be fetched from outside


def test_module_is_free_of_streamlit() -> None:
    source = Path(webassets.__file__).read_text()
    assert not re.search(r"^\s*(import|from)\s+streamlit\b", source, re.MULTILINE)
