"""End to end in headless Chromium: the briefing page, its exports, the offline HTML file."""

from pathlib import Path

import pytest
from browser_support import (
    ERROR_BOX,
    ST_FOLIUM_IFRAME,
    app_errors,
    collect_console_errors,
    record_requests,
    save_screenshot,
    wait_for_map,
)

from geo.analysis import views
from geo.render.export_html import export_html

pytestmark = pytest.mark.browser
NOT_RUNNING = """() => document.querySelector('[data-testid="stApp"]')
    ?.getAttribute('data-test-script-state') === 'notRunning'"""


def test_briefing_presents_steps_and_downloads(page, app_url, request, tmp_path):
    errors = collect_console_errors(page)
    log = record_requests(page, app_url)
    page.goto(app_url + "/briefing?view=transport")
    page.get_by_role("heading", name="交通互联:铁路、公路与航空通道").wait_for()
    assert wait_for_map(page) > 20
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    frame.locator(".pprd-label").first.wait_for(state="attached")  # 0×0 icon, text inside
    assert frame.locator(".pprd-label").count() >= 20  # the labels the PNG carries
    assert frame.get_by_text("赣州", exact=True).count() == 1
    page.wait_for_timeout(500)  # let Leaflet finish painting before the screenshot
    save_screenshot(page, request.node.name + "_transport")
    page.get_by_role("button", name="下一页").click()
    page.get_by_role("heading", name="能源通道:入赣油气与电力").wait_for()
    page.wait_for_function("() => location.search.includes('view=energy')")
    # let the run for the new view finish before preparing its export
    page.wait_for_function(NOT_RUNNING)
    page.get_by_role("button", name="数据表(CSV)").click()  # prepare
    page.locator('[data-testid="stDownloadButton"]').first.wait_for()
    page.wait_for_function(NOT_RUNNING)
    download_button = page.locator('[data-testid="stDownloadButton"] button')
    assert download_button.count() == 1, download_button.all_inner_texts()  # the CSV only
    with page.expect_download() as download:
        download_button.click()
    path = tmp_path / "data.csv"
    download.value.save_as(path)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    assert download.value.suggested_filename == "pprd-briefing-energy-zh.csv"
    assert page.locator(ERROR_BOX).count() == 0
    log.assert_all_local()
    assert app_errors(errors) == []


def test_exported_html_draws_offline(page, ds, tmp_path: Path, request):
    path = tmp_path / "briefing.html"
    path.write_bytes(export_html(ds, views.get_view("city-360700"), "en"))
    requested: list[str] = []
    page.on("request", lambda r: requested.append(r.url))
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(path.as_uri())
    paths = page.locator("path.leaflet-interactive")
    paths.first.wait_for(state="attached")
    assert paths.count() > 50  # the counties around Ganzhou and the projects
    page.get_by_text("Ganzhou: the plan's measures and projects").wait_for()
    assert page.locator(".pprd-label").count() > 10
    page.wait_for_timeout(300)
    save_screenshot(page, request.node.name)
    assert set(requested) <= {path.as_uri()} and errors == []
