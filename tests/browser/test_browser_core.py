"""End to end in headless Chromium: overview and measures, clicks, language, deep links."""

import re

import pytest
from browser_support import (
    ERROR_BOX,
    ST_FOLIUM_IFRAME,
    app_errors,
    collect_console_errors,
    record_requests,
    record_timing,
    save_screenshot,
    wait_for_map,
)

pytestmark = pytest.mark.browser


def open_app(page, url):
    errors = collect_console_errors(page)
    log = record_requests(page, url.split("/", 3)[0] + "//" + url.split("/", 3)[2])
    page.goto(url)
    return errors, log


def captions(page):
    return " ".join(page.locator('[data-testid="stCaptionContainer"]').all_inner_texts())


def test_overview_draws_the_map_offline(page, app_url, request):
    errors, log = open_app(page, app_url + "/")
    assert wait_for_map(page) >= 11  # Jiangxi's 11 cities at least
    page.get_by_text("泛珠合作地图").first.wait_for()
    assert page.locator(ERROR_BOX).count() == 0
    save_screenshot(page, request.node.name)
    log.assert_all_local()
    assert app_errors(errors) == []


def test_measures_click_a_region_selects_it(page, app_url, request):
    errors, log = open_app(page, app_url + "/measures?level=province")
    assert wait_for_map(page) == 34
    page.get_by_text("显示 28 / 共 28").wait_for()
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    # Province polygons are drawn in adcode order: 11 北京 … 36 江西 is the 14th.
    frame.locator("path.leaflet-interactive").nth(13).click(force=True)
    page.wait_for_function(
        "() => !document.body.innerText.includes('显示 28 / 共 28')", timeout=20_000
    )
    shown = int(re.search(r"显示 (\d+) / 共 28", captions(page)).group(1))
    assert 0 < shown <= 28
    assert "region=360000" in page.url
    assert wait_for_map(page) == 34  # redrawn, with the selection outlined
    page.wait_for_timeout(500)  # let Leaflet finish painting before the screenshot
    save_screenshot(page, request.node.name)
    assert page.locator(ERROR_BOX).count() == 0
    log.assert_all_local()
    assert app_errors(errors) == []


def test_language_switch_changes_labels(page, app_url, request):
    open_app(page, app_url + "/measures")
    wait_for_map(page)
    page.get_by_text("全文检索").wait_for()
    page.get_by_text("English", exact=True).click()
    page.get_by_text("Search the text").wait_for()
    page.get_by_text("An integrated multi-modal transport system").wait_for()
    assert page.get_by_text("全文检索").count() == 0
    assert "lang=en" in page.url
    save_screenshot(page, request.node.name)


def test_deep_link_restores_the_view_on_first_load(page, app_url, request):
    start = page.evaluate("() => performance.now()")
    errors, _ = open_app(page, app_url + "/measures?lang=en&section=4&level=city&measure=7")
    wait_for_map(page)
    record_timing("deep_link_to_map_s", (page.evaluate("() => performance.now()") - start) / 1e3)
    page.get_by_text("Showing 3 of 28").wait_for()
    page.get_by_text("Linked by").wait_for()  # the English frame ran, not a bare page
    # measure 7 opened, in English (our unofficial translation)
    assert page.get_by_text("Strive to start construction within this year").count() == 1
    save_screenshot(page, request.node.name)
    assert app_errors(errors) == []


def test_junk_link_shows_a_note_not_an_error(page, app_url):
    open_app(page, app_url + "/measures?region=%3Cscript%3Ealert(1)%3C/script%3E&section=99")
    wait_for_map(page)
    page.get_by_text("无效,已忽略").first.wait_for()
    assert page.locator(ERROR_BOX).count() == 0
