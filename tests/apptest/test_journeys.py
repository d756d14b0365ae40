"""Journeys through the pages under AppTest: a filter set by a link survives any number of
language switches, the Chinese page shows no English from the data and the English page no
Chinese outside names, and search works in both languages."""

from __future__ import annotations

import re

import pytest
from apptest_support import open_page, texts

from geo.render.perf import map_payloads

pytestmark = pytest.mark.usefixtures("apptest_navigation_mode")

# page, link parameters, the widget key each parameter sets and the value it must keep
JOURNEYS = [
    ("pages/measures.py", {"region": "360700", "section": "4"}, {"measures_region": "360700"}),
    (
        "pages/projects.py",
        {"kind": "high_speed_rail", "region": "360700"},
        {"projects_kinds": ["high_speed_rail"], "projects_region": "360700"},
    ),
    ("pages/region.py", {"region": "360733"}, {"region_l3": "360733"}),
    ("pages/partners.py", {"partner": "440000"}, {"partners_partner": "440000"}),
    ("pages/units.py", {"unit": "省商务厅"}, {"units_unit": "省商务厅"}),
    ("pages/briefing.py", {"view": "hkmacau"}, {"briefing_view": "hkmacau"}),
    ("pages/data.py", {"table": "projects"}, {"data_table": "projects"}),
    ("pages/overview.py", {"basemap": "osm"}, {"basemap": "osm"}),
]
MAP_PAGES = {
    "pages/measures.py",
    "pages/projects.py",
    "pages/region.py",
    "pages/partners.py",
    "pages/units.py",
    "pages/overview.py",
}


def widget_value(at, key):
    try:
        return at.session_state[key]
    except KeyError:
        return None


@pytest.mark.parametrize(("page", "params", "widgets"), JOURNEYS, ids=lambda v: str(v)[:24])
def test_language_switched_four_times_keeps_filters_and_map(page, params, widgets):
    at = open_page(page, params)
    for lang in ("en", "zh", "en", "zh"):
        at.radio(key="lang").set_value(lang).run()
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]
        for key, value in widgets.items():
            assert widget_value(at, key) == value, (lang, key)
        for name, value in params.items():
            assert at.query_params.get(name) == [value] or at.query_params.get(name) == value
        assert (at.query_params.get("lang") in (["en"], "en")) == (lang == "en")
        if page in MAP_PAGES:
            assert map_payloads(at), f"no map on {page} after switching to {lang}"


# Latin words that may stand in a Chinese page: names of formats, tools and sources.
ALLOWED_LATIN = {
    "geojson",
    "csv",
    "png",
    "pptx",
    "html",
    "osm",
    "openstreetmap",
    "carto",
    "wgs84",
    "gcj",
    "amap",
    "cnmaps",
    "data",
    "leaflet",
    "tianditu",
    "key",
    "mit",
    "bsd",
    "noto",
    "utf",
    "bom",
    "excel",
    "powerpoint",
    "km",
    "wgs",
    "adcode",
    "streamlit",
    "secrets",
    "python",
    "geo",
    "validate",
    "tianditu_key",
    "pprd",
    "shp",
    "zenodo",
    "doi",
    "ppt",
    "app",
    "url",
    "http",
    "https",
    "www",
    "com",
    "cn",
    "org",
    "a4",
    "dpi",
    "id",
    "json",
    "sar",
    "sars",
}
WIDGETS = ("selectbox", "multiselect", "radio", "slider", "toggle", "text_input", "button")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’]+(?:-[A-Za-z]+)*")
URL = re.compile(r"https?://\S+")
MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
CJK = re.compile(r"[\u4e00-\u9fff]+")


def page_text(at, page: str) -> str:
    parts = [texts(at)]
    # The data page previews the files as they download (ids, sources as cited): not checked.
    for frame in at.dataframe if page != "pages/data.py" else ():
        table = frame.value
        parts.append(" ".join(map(str, table.columns)))
        parts.append(" ".join(str(v) for v in table.to_numpy().ravel()))
    parts += [e.label for e in at.expander]
    # What a picker shows while nothing is chosen (without a placeholder, Streamlit's frontend
    # writes its own English one), and every widget's label (but the language switch's:
    # "语言 / Language" names itself in both).
    parts += [e.proto.placeholder or "Choose an option" for e in at.selectbox if e.value is None]
    parts += [e.proto.placeholder or "Choose options" for e in at.multiselect if not e.value]
    parts += [e.label for kind in WIDGETS for e in at.get(kind) if e.key != "lang"]
    text = MD_LINK.sub(r"\1", "\n".join(parts))  # a markdown link's target is an address
    return URL.sub(" ", text)


@pytest.mark.parametrize(("page", "params", "widgets"), JOURNEYS, ids=lambda v: str(v)[:24])
def test_chinese_page_shows_no_english_from_the_data(page, params, widgets, ds):
    at = open_page(page, params)
    words = {w.lower() for w in LATIN_WORD.findall(page_text(at, page)) if len(w) > 2}
    english_names = {w.lower() for p in ds.gazetteer for w in LATIN_WORD.findall(p.name_en)}
    stray = sorted(words - ALLOWED_LATIN - english_names)
    assert not stray, f"English on the Chinese {page}: {stray[:30]}"


@pytest.mark.parametrize(
    ("query", "numbers"),
    [
        ("railway", {7, 16}),
        ("Hong Kong", {23, 25}),
        ("Macao", {23, 25}),
        ("Ganzhou", {3, 7, 16, 18}),
        ("港澳", {23, 25}),
        ("ecological", {14, 20}),
    ],
)
def test_search_in_both_languages(query, numbers):
    english = open_page("pages/measures.py", {"q": query}, lang="en")
    found = {int(e.label.split(".")[0]) for e in english.expander}
    assert numbers <= found, (query, sorted(found))
    assert f"Showing {len(found)} of 28" in texts(english)
    chinese = open_page("pages/measures.py", {"q": query})
    assert len(chinese.expander) == len(found)  # the same measures, whatever the interface
    assert f"显示 {len(found)} / 共 28" in texts(chinese)


def test_search_without_match_says_so_and_offers_a_way_back():
    at = open_page("pages/measures.py", {"q": "xyzzy"}, lang="en")
    assert any("No measure matches" in i.value for i in at.info)
    at.button(key="measures_clear").click().run()
    assert "Showing 28 of 28" in texts(at)


def names_shown_in_both(ds) -> set[str]:
    """Chinese an English page may show: place, region and project names (beside their English
    names), and the plan's own words where a page quotes it."""
    names = {p.name for p in ds.gazetteer}
    names |= {n for p in ds.gazetteer for n in CJK.findall(p.name_en)}  # Yushan Mountains (雩山)
    names |= set(ds.region_table["name_zh"]) | set(ds.region_table["short_zh"].dropna())
    for column in ("name_plan", "label_zh", "name_zh", "plan_quote"):
        names |= set(ds.projects[column].dropna())
    return {n for n in names if n}


@pytest.mark.parametrize(("page", "params", "widgets"), JOURNEYS, ids=lambda v: str(v)[:24])
def test_english_page_shows_no_chinese_outside_names(page, params, widgets, ds):
    at = open_page(page, params, lang="en")
    text = page_text(at, page)
    for name in sorted(names_shown_in_both(ds), key=len, reverse=True):
        text = text.replace(name, " ")
    stray = sorted(set(CJK.findall(text)) - {"中文"})  # the language switch names itself
    assert not stray, f"Chinese on the English {page}: {stray[:30]}"
