"""A stand-alone map file (``geo.render.webassets.render_standalone_html``) opened in Chromium
from disk: it draws, its popups work, and it asks for nothing but itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import save_screenshot
from playwright.sync_api import Page
from sample_map import build_map

from geo.render.legends import LegendItem, legend_html
from geo.render.map_frame import add_overlay, new_map
from geo.render.webassets import render_standalone_html


@pytest.mark.browser
def test_standalone_file_draws_offline_in_chromium(page: Page, tmp_path: Path, request) -> None:
    path = tmp_path / "map.html"
    path.write_text(render_standalone_html(build_map()), encoding="utf-8")
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    paths = page.locator("path.leaflet-interactive")
    paths.first.wait_for(state="attached")
    assert paths.count() == 3  # the polygon and two CircleMarkers
    # The CircleMarker popup is built with folium's $(`...`): the stand-in must work.
    page.locator("path.leaflet-interactive").nth(1).click()
    page.locator(".leaflet-popup-content").get_by_text("项目").wait_for()
    assert page.locator(".leaflet-control-layers-toggle").count() == 1
    save_screenshot(page, request.node.name)
    assert set(requested) <= {path.as_uri()} and errors == []


@pytest.mark.browser
@pytest.mark.parametrize(("width", "legend_open"), [(800, True), (390, False)])
def test_map_made_before_it_has_a_size_is_fitted_once_it_has_one(
    page: Page, tmp_path: Path, width: int, legend_open: bool
):
    """Streamlit can create the map's iframe before laying it out (0 px wide, as on a language
    switch): Leaflet's padded fitBounds then threw "Invalid LatLng object: (NaN, NaN)" and left
    the map unusable, and every legend was folded as if on a phone. The map must wait for its
    size, then show the whole bounds, its legends folded only if it is narrow."""
    south, west, north, east = 24.5, 113.5, 30.1, 118.5
    m = new_map([[south, west], [north, east]], "zh")
    add_overlay(m, legend_html("图例", [LegendItem("#ff0000", "一项")]))
    (tmp_path / "map.html").write_text(render_standalone_html(m), encoding="utf-8")
    host = tmp_path / "host.html"
    host.write_text('<iframe id="f" src="map.html" style="width:0;height:0;border:0"></iframe>')
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(host.as_uri())
    page.frame_locator("#f").locator("details.pprd-legend").wait_for(state="attached")
    page.evaluate(
        "(w) => Object.assign(document.getElementById('f').style, {width: w, height: '600px'})",
        f"{width}px",
    )
    inner = page.frames[1]
    name = inner.evaluate("() => Object.keys(window).find(k => k.startsWith('map_'))")
    inner.wait_for_function(f"() => {name}.getSize().x === {width}")
    inner.wait_for_function(f"() => {name}.getZoom() > 5")  # made at zoom 5, then fitted
    view = inner.evaluate(f"() => {name}.getBounds().toBBoxString()")
    v_west, v_south, v_east, v_north = map(float, view.split(","))
    assert v_west <= west and v_south <= south and v_east >= east and v_north >= north
    assert inner.evaluate("() => document.querySelector('details.pprd-legend').open") is legend_open
    assert errors == []
