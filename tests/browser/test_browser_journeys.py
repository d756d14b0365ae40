"""Journeys in a real browser: a filter set by a link survives four language switches on every
page (Streamlit keeps option *labels* in the browser, so this fails where AppTest cannot), at
laptop and phone size; the switched page's link opens the same view in a fresh browser."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from browser_support import (
    ERROR_BOX,
    ST_FOLIUM_IFRAME,
    app_errors,
    collect_console_errors,
    save_screenshot,
    wait_for_map,
)

pytestmark = pytest.mark.browser

TITLES = {
    "measures": ("措施", "Measures"),
    "projects": ("项目", "Projects"),
    "region": ("会昌县", "Huichang"),
    "partners": ("伙伴", "Partners"),
    "units": ("单位", "Units"),
    "briefing": ("汇报", "Briefing"),
    "data": ("数据", "Data"),
    "": ("泛珠合作地图", "Pan-PRD"),
}
JOURNEYS = [
    ("measures", "region=360700&section=4&level=city"),
    ("projects", "kind=high_speed_rail&region=360700"),
    ("region", "region=360733"),
    ("partners", "partner=440000"),
    ("units", "unit=省商务厅"),
    ("briefing", "view=hkmacau"),
    ("data", "table=projects"),
    ("", ""),  # the overview has no filters: the map and the language must follow
]
NO_MAP = {"briefing", "data"}


def settled(page) -> None:
    """Wait until Streamlit has finished the run (no stale elements, no running status)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=stStatusWidget]')"
        " && !document.querySelector('[data-stale=true]')",
        timeout=60_000,
    )


def query(page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(page.url).query).items()}


def switch_language(page, label: str) -> None:
    page.locator("[data-testid=stSidebar] [data-testid=stRadio] label").filter(
        has_text=label
    ).first.click()
    page.wait_for_timeout(300)
    settled(page)


@pytest.mark.parametrize(("path", "params"), JOURNEYS, ids=[p or "overview" for p, _ in JOURNEYS])
def test_language_switched_four_times_keeps_filters(page, app_url, path, params, request):
    errors = collect_console_errors(page)
    page.goto(f"{app_url}/{path}?{params}")
    page.get_by_text(TITLES[path][0]).first.wait_for()
    settled(page)
    wanted = dict(kv.split("=") for kv in params.split("&") if kv)
    for step, (label, lang) in enumerate((("English", "en"), ("中文", "zh")) * 2, start=1):
        switch_language(page, label)
        page.get_by_text(TITLES[path][lang == "en"]).first.wait_for()
        page.wait_for_url(lambda url, en=lang == "en": ("lang=en" in url) == en)
        got = query(page)
        for name, value in wanted.items():
            assert got.get(name) == value, (step, name, page.url)
        assert (got.get("lang") == "en") == (lang == "en"), page.url
        assert page.locator(ERROR_BOX).count() == 0, step
        if path not in NO_MAP:
            assert wait_for_map(page) > 0
    save_screenshot(page, request.node.name, full_page=False)
    # the link as it stands opens the same view in a fresh browser, in the other language
    context = page.context.browser.new_context(viewport={"width": 390, "height": 844})
    fresh = context.new_page()
    link = page.url  # as the Chinese page left it: codes only, no language
    assert "lang=" not in link
    fresh.goto(link + ("&" if "?" in link else "?") + "lang=en")
    fresh.get_by_text(TITLES[path][1]).first.wait_for()
    settled(fresh)
    for name, value in wanted.items():
        assert query(fresh).get(name) == value, (name, fresh.url)
    if path not in NO_MAP:
        assert (
            fresh.frame_locator(ST_FOLIUM_IFRAME)
            .first.locator("path.leaflet-interactive")
            .first.wait_for(state="attached")
            is None
        )
    save_screenshot(fresh, request.node.name + "_phone_en", full_page=False)
    assert fresh.locator(ERROR_BOX).count() == 0
    context.close()
    assert app_errors(errors) == []


FIRE_CLICK = """(pid) => {
  for (const id in window.map._layers) {
    const layer = window.map._layers[id];
    const props = layer.feature && layer.feature.properties;
    if (props && props.pid === pid) {
      const at = layer.getLatLng ? layer.getLatLng() : layer.getBounds().getCenter();
      layer.fire('click', {latlng: at, originalEvent: new MouseEvent('click')}, true);
      return true;
    }
  }
  return false;
}"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_clicking_a_project_shows_it_beside_the_map(page, app_url, lang, request):
    """Leaflet's click on the project's own layer (as a mouse click fires it, bubbling to its
    layer group) selects the project: the link carries its id and the card beside the map
    shows status, dates, source and precision in the interface language."""
    suffix = "?lang=en" if lang == "en" else ""
    page.goto(f"{app_url}/projects{suffix}")
    wait_for_map(page)
    settled(page)
    frame = next(f for f in page.frames if "streamlit_folium" in f.url)
    assert frame.evaluate(FIRE_CLICK, "xingquan_rail")
    page.wait_for_url(lambda url: "project=xingquan_rail" in url, timeout=30_000)
    settled(page)
    name = "兴泉铁路" if lang == "zh" else "Xingguo–Quanzhou railway"
    page.get_by_role("heading", name=name).first.wait_for()
    card = page.locator("[data-testid=stMain]").inner_text()
    for label in (
        ("现状", "开通日期", "位置精度", "来源")
        if lang == "zh"
        else ("Status", "Opening date", "Location precision", "Source")
    ):
        assert label in card, (label, card[:300])
    assert page.locator(ERROR_BOX).count() == 0
    save_screenshot(page, request.node.name, full_page=False)
