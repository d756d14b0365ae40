"""The test harness itself: a live ``streamlit run`` with a localised st_folium map in Chromium
(the AppTest fixture for ``st.navigation`` apps: ``tests/apptest/test_apptest_harness.py``).

The mini app below is the pattern for the real pages: build the folium map, localise it, hand it
to ``st_folium`` with a key, a height and a minimal ``returned_objects``.
"""

from __future__ import annotations

import re
import shutil
import time
import urllib.request
from pathlib import Path

import pytest
from browser_support import (
    ST_FOLIUM_IFRAME,
    collect_console_errors,
    is_local_url,
    record_requests,
    record_timing,
    require_chromium,
    save_screenshot,
    wait_for_map,
)
from playwright.sync_api import Page
from server_support import REPO_DIR, StreamlitServer

MINI_APP = """\
import os

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.render.webassets import localise_map_assets, static_base_url

CITY = {
    "type": "FeatureCollection",
    "features": [{
        "type": "Feature",
        "properties": {"name": "赣州市"},
        "geometry": {
            "type": "Polygon",
            "coordinates": [[[114.0, 25.0], [116.0, 25.0], [116.0, 27.0], [114.0, 27.0],
                             [114.0, 25.0]]],
        },
    }],
}

m = folium.Map(location=[26.0, 115.0], zoom_start=7, tiles=None)
folium.GeoJson(CITY, name="cities", tooltip=folium.GeoJsonTooltip(["name"])).add_to(m)
if os.environ.get("MINI_APP_LOCALISE", "1") == "1":  # "0": folium's CDN defaults, for a test
    localise_map_assets(m, static_base_url(st.get_option("server.baseUrlPath")))
state = st_folium(m, key="mini_map", height=400, returned_objects=["last_object_clicked"])
clicked = state["last_object_clicked"]
st.write(f"clicked: {clicked['lat']:.1f}, {clicked['lng']:.1f}" if clicked else "clicked: none")
"""


@pytest.fixture(scope="session")
def mini_app(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The mini app in a temp folder, with the repo's static/ and .streamlit/config.toml."""
    folder = tmp_path_factory.mktemp("mini_app")
    (folder / "mini_map.py").write_text(MINI_APP, encoding="utf-8")
    # The whole folder is linked: Streamlit resolves symlinks and refuses files whose real
    # path falls outside the real static/ root.
    (folder / "static").symlink_to(REPO_DIR / "static", target_is_directory=True)
    (folder / ".streamlit").mkdir()
    shutil.copy(REPO_DIR / ".streamlit" / "config.toml", folder / ".streamlit" / "config.toml")
    return folder / "mini_map.py"


@pytest.fixture(scope="session")
def mini_server(streamlit_server_factory, mini_app: Path) -> StreamlitServer:
    server = streamlit_server_factory(mini_app)
    record_timing("streamlit_start.mini_app", server.startup_seconds)
    return server


@pytest.mark.browser
def test_map_draws_from_local_assets_and_a_click_reaches_the_script(
    page: Page, mini_server: StreamlitServer, request: pytest.FixtureRequest
) -> None:
    requests = record_requests(page, mini_server.url)
    errors = collect_console_errors(page)
    started = time.perf_counter()
    page.goto(f"{mini_server.url}/")
    assert wait_for_map(page) == 1
    record_timing("map_draw.mini_app.first_load", time.perf_counter() - started)
    page.get_by_text("clicked: none").wait_for()

    page.frame_locator(ST_FOLIUM_IFRAME).locator("path.leaflet-interactive").first.click()
    page.get_by_text("clicked: 26.0, 115.0").wait_for()  # the polygon's centre, via a rerun

    save_screenshot(page, request.node.name)
    started = time.perf_counter()
    page.reload()
    assert wait_for_map(page) == 1
    record_timing("map_draw.mini_app.reload", time.perf_counter() - started)
    requests.assert_all_local()
    leaflet = [url for url in requests.urls if "/app/static/leaflet/" in url]
    assert {url.rsplit("/", 1)[-1] for url in leaflet} >= {"leaflet.js", "leaflet.css"}
    assert errors == []


@pytest.mark.browser
def test_request_log_catches_a_map_that_loads_from_a_cdn(
    page: Page, streamlit_server_factory, mini_app: Path
) -> None:
    """Without localise_map_assets the map asks the CDNs (blocked here) and stays blank."""
    server = streamlit_server_factory(mini_app, env={"MINI_APP_LOCALISE": "0"})
    requests = record_requests(page, server.url)
    cdn_leaflet = re.compile(r"^https://cdn\.jsdelivr\.net/npm/leaflet@[\d.]+/dist/leaflet\.js$")
    # st_folium loads scripts one by one and gives up at the first that fails, so once
    # Leaflet's has failed the map can never draw.
    with page.expect_event("requestfailed", lambda r: bool(cdn_leaflet.match(r.url))):
        page.goto(f"{server.url}/")
    assert not all(is_local_url(url, server.url) for url in requests.urls)
    with pytest.raises(AssertionError, match="left"):
        requests.assert_all_local()
    assert page.frame_locator(ST_FOLIUM_IFRAME).locator(".leaflet-container").count() == 0


@pytest.mark.browser
def test_map_draws_under_a_base_url_path(
    page: Page, streamlit_server_factory, mini_app: Path, request: pytest.FixtureRequest
) -> None:
    server = streamlit_server_factory(mini_app, base_url_path="pprd")
    assert server.url.endswith("/pprd")
    requests = record_requests(page, server.url)
    errors = collect_console_errors(page)
    page.goto(f"{server.url}/")
    assert wait_for_map(page) == 1
    save_screenshot(page, request.node.name)
    requests.assert_all_local()
    assert any(url.endswith("/pprd/app/static/leaflet/leaflet.js") for url in requests.urls)
    assert errors == []


def test_static_files_are_served_with_types_the_browser_will_run(
    mini_server: StreamlitServer,
) -> None:
    # Streamlit sends X-Content-Type-Options: nosniff, so a wrong type would block the file.
    expected = {
        "leaflet/leaflet.js": ("javascript",),
        "leaflet/leaflet.css": ("text/css",),
        "leaflet/images/layers.png": ("image/png",),
    }
    for path, types in expected.items():
        with urllib.request.urlopen(f"{mini_server.url}/app/static/{path}") as response:
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert any(t in response.headers["Content-Type"] for t in types), path


def test_missing_chromium_fails_with_a_clear_message(monkeypatch: pytest.MonkeyPatch) -> None:
    import browser_support

    monkeypatch.setattr(browser_support, "CHROMIUM_PATH", Path("/nonexistent/chromium"))
    with pytest.raises(FileNotFoundError, match="chromium package"):
        require_chromium()
