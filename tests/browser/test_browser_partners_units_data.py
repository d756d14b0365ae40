"""End to end in headless Chromium: the partners, units and data pages.

Each page loads without an error box, from the app's own server only; the maps draw; a click on
the partners map picks a partner; a CSV downloads with its BOM. Screenshots go to
tests/artifacts/ (the viewport is made tall first: Streamlit scrolls inside the page, so a
"full page" shot would stop at the window).
"""

import io
from urllib.parse import quote

import pandas as pd
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

pytestmark = pytest.mark.browser
DOWNLOAD = '[data-testid="stDownloadButton"]'


def open_app(page, app_url, path):
    errors = collect_console_errors(page)
    log = record_requests(page, app_url)
    page.goto(app_url + path)
    return errors, log


def shoot(page, name, height=2600):
    page.set_viewport_size({"width": 1280, "height": height})
    page.wait_for_timeout(700)  # Leaflet repaints after the resize; no condition to wait on
    save_screenshot(page, name)


def check_clean(page, errors, log):
    assert page.locator(ERROR_BOX).count() == 0
    log.assert_all_local()
    assert app_errors(errors) == []


def test_partners_default_view(page, app_url, request):
    errors, log = open_app(page, app_url, "/partners")
    # 10 partners + Jiangxi (regions) + corridor lines
    assert wait_for_map(page) > 11
    page.get_by_text("联系强度").wait_for()
    # st.dataframe draws on a canvas; its cells are in the DOM for accessibility, hidden
    page.get_by_text("赣深客专;瑞金至梅州铁路", exact=False).first.wait_for(state="attached")
    shoot(page, request.node.name)
    check_clean(page, errors, log)


def test_partners_click_on_the_map_picks_a_partner(page, app_url, request):
    errors, log = open_app(page, app_url, "/partners")
    wait_for_map(page)
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    # partners are drawn first, in adcode order: 福建 350000, 湖南 430000, 广东 440000 …
    frame.locator("path.leaflet-interactive").nth(1).click(force=True)
    page.get_by_text("江西 ↔ 湖南省").wait_for(timeout=20_000)
    assert "partner=430000" in page.url
    assert wait_for_map(page) > 2  # redrawn, zoomed to Jiangxi and Hunan
    page.get_by_text("长沙至赣州").first.wait_for(state="attached")
    shoot(page, request.node.name)
    check_clean(page, errors, log)


def test_partners_english_deep_link(page, app_url, request):
    errors, log = open_app(page, app_url, "/partners?lang=en&partner=810000")
    assert wait_for_map(page) > 2
    page.get_by_text("Jiangxi ↔ Hong Kong").wait_for()
    page.get_by_text("Link strength").wait_for()
    shoot(page, request.node.name)
    check_clean(page, errors, log)


def test_units_default_and_picked(page, app_url, request):
    errors, log = open_app(page, app_url, "/units")
    assert wait_for_map(page) > 150  # the cities of the 9+2 and 浙皖鄂
    page.get_by_text("省发改委 作为责任单位的措施(18 项)").wait_for()
    shoot(page, request.node.name + "_default")
    page.goto(app_url + "/units?unit=" + quote("南昌海关"))
    assert wait_for_map(page) > 150
    page.get_by_text("南昌海关 作为责任单位的措施(3 项)").wait_for()
    page.get_by_text("构建大通关体制").first.wait_for(state="attached")
    shoot(page, request.node.name + "_picked")
    check_clean(page, errors, log)


def test_units_english(page, app_url, request):
    errors, log = open_app(page, app_url, "/units?lang=en&unit=" + quote("赣州市政府"))
    assert wait_for_map(page) > 150
    page.get_by_text("Measures Ganzhou Municipal Government is responsible for (2)").wait_for()
    shoot(page, request.node.name)
    check_clean(page, errors, log)


def test_data_page_downloads_a_csv_excel_can_read(page, app_url, request):
    errors, log = open_app(page, app_url, "/data?table=projects")
    page.get_by_text("未发现问题").wait_for()
    page.locator(DOWNLOAD).nth(7).wait_for()
    assert page.locator(DOWNLOAD).count() == 2 + 2 * 3  # CSV, GeoJSON, 3 levels × 2
    with page.expect_download() as info:
        page.locator(DOWNLOAD).filter(has_text="下载 CSV").click()
    download = info.value
    assert download.suggested_filename == "pprd_projects.csv"
    data = download.path().read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    table = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    assert len(table) == 38 and table.loc[0, "name_plan"] == "赣深客专"
    shoot(page, request.node.name, height=3600)
    check_clean(page, errors, log)


def test_data_page_english(page, app_url, request):
    errors, log = open_app(page, app_url, "/data?lang=en")
    page.get_by_text("No problems: every file and every reference between them").wait_for()
    page.locator(DOWNLOAD).nth(6).wait_for()
    assert page.locator(DOWNLOAD).count() == 1 + 2 * 3
    page.get_by_text("Full file (7.8 MB)").wait_for()
    page.get_by_text("Simplified: Jiangxi's counties; full file: all of China").wait_for()
    shoot(page, request.node.name, height=3600)
    check_clean(page, errors, log)


def test_partner_map_tooltips_work_on_every_feature(page, app_url):
    """Hover every drawn feature of Guangdong's view, sites of a MultiPoint included."""
    errors, log = open_app(page, app_url, "/partners?partner=440000")
    n = wait_for_map(page)
    frame = page.frame_locator(ST_FOLIUM_IFRAME).first
    paths = frame.locator("path.leaflet-interactive")
    tips = []
    for i in range(11, n):  # after the 10 partners and Jiangxi: the projects
        # an event on the path itself (a hover at its centre may land on another feature)
        paths.nth(i).dispatch_event("mouseover")
        tips.append(" ".join(frame.locator(".leaflet-tooltip").all_inner_texts()))
        paths.nth(i).dispatch_event("mouseout")
    names = [tip.split("\n")[0] for tip in tips]  # the tooltip: name, then status · year
    assert names.count("广东、福建自由贸易试验区") >= 2  # one circle per host city
    assert "赣深客专" in names and "" not in names
    assert any(" · 20" in tip for tip in tips)
    check_clean(page, errors, log)
