"""End to end in headless Chromium: the projects and region pages load cleanly, draw their maps
from the app alone, and a click on a region in the map changes what the page shows."""

from __future__ import annotations

import time

import pytest
from browser_support import (
    ERROR_BOX,
    ST_FOLIUM_IFRAME,
    collect_console_errors,
    record_requests,
    record_timing,
    save_screenshot,
    wait_for_map,
)
from playwright.sync_api import Page, expect

pytestmark = pytest.mark.browser
REGION_FILL = "#f4f1ea"  # maps.add_regions' fill for regions without counts


def open_app_page(page: Page, url: str) -> int:
    page.goto(url)
    drawn = wait_for_map(page)
    expect(page.locator(ERROR_BOX)).to_have_count(0)
    return drawn


def region_point(page: Page, lat: float, lng: float) -> tuple[float, float]:
    """Page coordinates of a point of the map near (lat, lng) where a region polygon (not a
    project line or site) is on top, found by probing around it in the map's iframe."""
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    box = page.locator(ST_FOLIUM_IFRAME).first.bounding_box()
    hit = frame.locator("body").evaluate(
        """(body, [lat, lng, fill]) => {
            const map = window.map_div;
            const p = map.latLngToContainerPoint([lat, lng]);
            const rect = map.getContainer().getBoundingClientRect();
            for (let r = 0; r < 60; r += 4) {
                for (let a = 0; a < 360; a += 30) {
                    const x = rect.left + p.x + r * Math.cos(a * Math.PI / 180);
                    const y = rect.top + p.y + r * Math.sin(a * Math.PI / 180);
                    const el = document.elementFromPoint(x, y);
                    if (el && el.tagName === 'path' && el.getAttribute('fill') === fill) {
                        return [x, y];
                    }
                }
            }
            return null;
        }""",
        [lat, lng, REGION_FILL],
    )
    assert hit, f"no region polygon found near {lat}, {lng}"
    return box["x"] + hit[0], box["y"] + hit[1]


def test_projects_page_loads_draws_and_a_region_click_filters(
    page: Page, app_url: str, request
) -> None:
    requests = record_requests(page, app_url)
    errors = collect_console_errors(page)
    started = time.perf_counter()
    drawn = open_app_page(page, f"{app_url}/projects")
    record_timing("map_draw.projects.first_load", time.perf_counter() - started)
    assert drawn > 30  # 14 provinces and the projects' lines and areas (sites are circles too)
    expect(page.get_by_text("显示 38 / 共 38 个项目")).to_be_visible()
    legend = page.frame_locator(ST_FOLIUM_IFRAME).first.locator(".pprd-overlay").first
    expect(legend).to_contain_text("高速铁路")
    expect(legend).to_contain_text("虚线/半透明")
    save_screenshot(page, f"{request.node.name}_default")

    started = time.perf_counter()
    # Yunnan, away from every line; no project is in it since the 白鹤滩 dam point lies in
    # 宁南县 (四川) at every level
    x, y = region_point(page, 25.0, 101.6)
    page.mouse.click(x, y)
    expect(page.get_by_text("显示 0 / 共 38 个项目")).to_be_visible()
    record_timing("rerun.projects.region_click", time.perf_counter() - started)
    expect(page.get_by_role("combobox", name="经过区域")).to_have_value("云南省")
    assert "region=530000" in page.url
    wait_for_map(page)
    save_screenshot(page, f"{request.node.name}_yunnan")
    expect(page.locator(ERROR_BOX)).to_have_count(0)
    requests.assert_all_local()
    assert not [e for e in errors if "_stcore" not in e], errors


def test_projects_page_in_english_with_a_deep_link(page: Page, app_url: str, request) -> None:
    requests = record_requests(page, app_url)
    open_app_page(page, f"{app_url}/projects?lang=en&colour=status&year=2018&kind=spaceship")
    expect(page.get_by_text("The link parameter kind=spaceship is not valid")).to_be_visible()
    expect(page.get_by_text("The network at the end of 2018")).to_be_visible()
    legend = page.frame_locator(ST_FOLIUM_IFRAME).first.locator(".pprd-overlay").first
    expect(legend).to_contain_text("Open / Operating")
    save_screenshot(page, request.node.name)
    requests.assert_all_local()


def test_region_page_loads_and_a_click_on_a_city_goes_there(
    page: Page, app_url: str, request
) -> None:
    requests = record_requests(page, app_url)
    errors = collect_console_errors(page)
    drawn = open_app_page(page, f"{app_url}/region")
    assert drawn >= 11  # Jiangxi's 11 cities at least
    expect(page.get_by_role("heading", name="江西省")).to_be_visible()
    save_screenshot(page, f"{request.node.name}_jiangxi")

    started = time.perf_counter()
    x, y = region_point(page, 27.75, 116.75)  # 抚州市
    page.mouse.click(x, y)
    expect(page.get_by_role("heading", name="抚州市")).to_be_visible()
    record_timing("rerun.region.city_click", time.perf_counter() - started)
    assert "region=361000" in page.url
    wait_for_map(page)
    expect(page.locator(ERROR_BOX)).to_have_count(0)
    save_screenshot(page, f"{request.node.name}_fuzhou")

    page.get_by_role("button", name="江西省").click()  # the breadcrumb back up
    expect(page.get_by_role("heading", name="江西省")).to_be_visible()
    requests.assert_all_local()
    assert not [e for e in errors if "_stcore" not in e], errors


def test_region_page_in_english(page: Page, app_url: str, request) -> None:
    requests = record_requests(page, app_url)
    open_app_page(page, f"{app_url}/region?region=360700&lang=en")
    expect(page.get_by_role("heading", name="Ganzhou")).to_be_visible()
    expect(page.get_by_text("By text")).to_be_visible()
    save_screenshot(page, request.node.name)
    requests.assert_all_local()
