"""A stand-alone map file (``geo.render.webassets.render_standalone_html``) opened in Chromium
from disk: it draws, its popups work, and it asks for nothing but itself."""

from __future__ import annotations

from pathlib import Path

import pytest
from browser_support import save_screenshot
from playwright.sync_api import Page
from sample_map import build_map

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
