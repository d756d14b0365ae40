"""Briefing exports, each opened as a reader would: views, fonts, PNG, PPTX, HTML, CSV, GeoJSON
and the ``export`` command (the briefing page itself: ``tests/apptest/test_pages_briefing.py``)."""

from __future__ import annotations

import csv
import io
import json
import math
import re

import pytest
from PIL import Image
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pyproj import Geod, Transformer

from geo.__main__ import main
from geo.analysis import views
from geo.render import exports, fonts
from geo.render.export_html import export_html, view_map
from geo.render.export_png import SIZES, export_png, render_map
from geo.render.export_pptx import FONT, export_pptx
from geo.render.png.canvas import ImageOptions, lcc_crs
from geo.render.png.furniture import nice_length, scale_bar_length

SMALL = ImageOptions(960, 540, 72)  # a slide's layout at half the pixels
# http(s) strings the inlined Leaflet keeps (SVG namespace, its home page): never fetched.
INERT_HTTP = {"http://www.w3.org/2000/svg", "https://leafletjs.com"}
BUDGET = 300_000


# --- Views -----------------------------------------------------------------------------------


def test_views_are_named_by_ascii_slugs_with_both_titles():
    names = views.view_names()
    assert len(names) == len(set(names)) == 18
    assert names[:7] == [
        "overview",
        "transport",
        "energy",
        "industry",
        "opening",
        "ecology",
        "hkmacau",
    ]
    for view in views.VIEWS:
        assert re.fullmatch(r"[a-z0-9-]+", view.name)
        assert view.title_zh and view.title_en and view.title_zh != view.title_en


def test_one_view_per_jiangxi_city_named_as_in_the_boundaries(ds):
    cities = ds.regions["city"]
    jiangxi = cities[cities["province_adcode"] == "360000"]
    assert {f"city-{code}" for code in jiangxi["adcode"]} == {
        n for n in views.view_names() if n.startswith("city-")
    }
    for code, zh, _en in views.JIANGXI_CITIES:
        assert views.get_view(f"city-{code}").title_zh.startswith(zh)
        assert ds.region_name(code) == zh


def test_unknown_view_names_the_known_ones():
    with pytest.raises(KeyError, match="transport"):
        views.get_view("nope")


def test_selection_reuses_the_filters(ds):
    transport = views.view_selection(ds, views.get_view("transport"))
    assert transport.measures == [7]
    assert set(transport.projects["kind"]) <= set(views.TRANSPORT_KINDS)
    assert {"ganshen_hsr", "xingquan_rail", "jiujingqu_rail"} <= set(transport.projects["id"])
    assert "ganjiang_new_area" not in set(transport.projects["id"])  # a new area, not transport
    ganzhou = views.view_selection(ds, views.get_view("city-360700"))
    assert {2, 3, 7, 9, 16, 21} <= set(ganzhou.measures)
    assert all("360700" in regions for regions in ganzhou.projects["regions"])


def test_view_from_filters_is_the_view_i_have_now(ds):
    view = views.view_from_filters(ds, sections=[8], region="360700", kinds=["eco_belt"])
    assert view.name == "current" and view.extent == "focus"
    assert "推进生态文明建设" in view.title_zh and "赣州市" in view.title_zh
    assert "Ganzhou" in view.title_en
    assert views.view_selection(ds, view).measures == [19, 20, 21, 22]
    assert views.view_from_key(views.view_key(view)) == view


# --- Fonts -----------------------------------------------------------------------------------


def test_a_cjk_font_is_found_and_covers_the_text():
    font = fonts.find_cjk_font("赣州市 南海诸岛 示意图")
    assert font.family in fonts.CJK_FAMILIES
    assert fonts.missing_characters("赣州市南海诸岛示意图公里", font.path, font.index) == []


def test_no_font_stops_with_a_clear_message(monkeypatch, ds):
    with pytest.raises(fonts.MissingFontError, match="fonts-noto-cjk"):
        fonts.find_cjk_font("赣州", entries=lambda: [])
    monkeypatch.setattr(fonts, "font_entries", lambda: [])
    with pytest.raises(fonts.MissingFontError, match="Noto Sans CJK SC"):
        render_map(ds, views.get_view("transport"), "zh", SMALL)


def test_a_character_the_font_lacks_is_refused():
    font = fonts.find_cjk_font()
    with pytest.raises(fonts.MissingFontError, match="\U0001f004"):
        fonts.check_text_covered(font, ["赣州 \U0001f004"])


# --- PNG -------------------------------------------------------------------------------------


def _covered(image) -> None:
    """Every character drawn is in the cmap of the font file its text resolves to."""
    allowed = {(image.font.path, image.font.index), (image.font.bold_path, image.font.bold_index)}
    assert image.font_files and image.font_files <= allowed, image.font_files
    for path, index in image.font_files:
        assert fonts.missing_characters("".join(image.texts), path, index) == []


def test_slide_png_full_size_with_every_map_element(ds):
    data = export_png(ds, views.get_view("overview"), "zh")
    assert Image.open(io.BytesIO(data)).size == (1920, 1080)
    image = render_map(ds, views.get_view("overview"), "zh")
    drawn = "\n".join(image.texts)
    assert image.inset  # the whole of Hainan is shown: 南海诸岛 inset
    for expected in (
        "泛珠三角区域合作:江西实施方案全景",  # title
        "涉及措施数",
        "项目:现状",
        "已开通 / 运营中 / 已建成",  # legend
        "公里",  # scale bar
        "N",  # north arrow
        "南海诸岛",
        "南海断续线",
        "示意图",
        "边界:高德地图数据",
        "截至 2025-12-31",
    ):  # source and date
        assert expected in drawn, expected
    assert "赣州" in image.labels and "江西" in image.labels
    _covered(image)


def test_a4_png_is_300_dpi_landscape(ds):
    data = export_png(ds, views.get_view("hkmacau"), "en", size="a4")
    picture = Image.open(io.BytesIO(data))
    assert picture.size == (3508, 2480) == SIZES["a4"][:2]
    assert [round(v) for v in picture.info["dpi"]] == [300, 300]


@pytest.mark.parametrize("name", views.view_names())
def test_every_named_view_draws(ds, name):
    view = views.get_view(name)
    image = render_map(ds, view, "zh", SMALL)
    assert Image.open(io.BytesIO(image.png)).size == (960, 540)
    assert view.title_zh in image.texts
    assert image.inset == (view.extent in ("pprd", "china"))
    assert image.labels
    _covered(image)


def test_english_png_and_focus_legend(ds):
    image = render_map(ds, views.get_view("city-360700"), "en", SMALL)
    drawn = "\n".join(image.texts)
    assert "Ganzhou: the plan's measures and projects" in drawn
    assert "Focus: Ganzhou" in drawn and "Schematic map" in drawn and "km" in drawn
    assert {"Ruijin", "Xingguo"} & set(image.labels)
    assert not image.inset
    _covered(image)


def test_scale_bar_is_geodesic():
    assert [nice_length(v) for v in (7, 130, 480, 1999)] == [5, 100, 200, 1000]
    crs = lcc_crs((97.3, 17.6, 120.6, 34.4))
    length = scale_bar_length(crs, 109.0, 26.0, 200)
    to_geo = Transformer.from_crs(crs, "EPSG:4326", always_xy=True)
    x, y = Transformer.from_crs("EPSG:4326", crs, always_xy=True).transform(109.0, 26.0)
    lon2, lat2 = to_geo.transform(x + length, y)
    _, _, metres = Geod(ellps="WGS84").inv(109.0, 26.0, lon2, lat2)
    assert math.isclose(metres, 200_000, rel_tol=0.005)


# --- PPTX ------------------------------------------------------------------------------------


def _slide_texts(slide) -> list[str]:
    return [shape.text_frame.text for shape in slide.shapes if shape.has_text_frame]


def test_deck_slides_titles_pictures_table_and_fonts(ds):
    view = views.get_view("transport")
    prs = Presentation(io.BytesIO(export_pptx(ds, view, "zh")))
    slides = list(prs.slides)
    # title, overview map, one section (四), status table (14 projects: 2 slides), sources
    assert len(slides) == 6
    assert math.isclose(prs.slide_width / prs.slide_height, 16 / 9, rel_tol=0.01)
    assert view.title_zh in _slide_texts(slides[0])
    assert _slide_texts(slides[1])[0] == view.title_zh
    assert _slide_texts(slides[2])[0] == "四、加快基础设施互联互通"
    assert _slide_texts(slides[3])[0] == "项目现状 (1/2)"
    assert _slide_texts(slides[5])[0] == "资料来源与说明"
    for i in (1, 2):
        pictures = [s for s in slides[i].shapes if s.shape_type == MSO_SHAPE_TYPE.PICTURE]
        assert len(pictures) == 1
        assert Image.open(io.BytesIO(pictures[0].image.blob)).size[0] >= 1300
    bullets = "\n".join(_slide_texts(slides[2]))
    assert "(七) 建设综合立体交通运输体系" in bullets and "责任单位:省发改委" in bullets
    table = next(s for s in slides[3].shapes if s.has_table).table
    assert [c.text for c in table.rows[0].cells] == ["项目", "类型", "现状", "日期", "可信度"]
    assert [c.text for c in table.rows[1].cells] == [
        "赣深客专",
        "高速铁路",
        "已开通",
        "2021-12-10",
        "高",
    ]
    rows = sum(len(next(s for s in slides[i].shapes if s.has_table).table.rows) - 1 for i in (3, 4))
    assert rows == 14
    # every run names a CJK-capable font for Latin and East Asian text
    for slide in slides:
        for r_pr in slide._element.iter(
            "{http://schemas.openxmlformats.org/drawingml/2006/main}rPr"
        ):
            tags = {child.tag.split("}")[1]: child.get("typeface") for child in r_pr}
            assert tags.get("latin") == FONT and tags.get("ea") == FONT, tags


def test_english_deck_of_a_city(ds):
    view = views.get_view("city-360700")
    selection = views.view_selection(ds, view)
    sections = views.sections_with_content(ds, selection.measures)
    prs = Presentation(io.BytesIO(export_pptx(ds, view, "en")))
    slides = list(prs.slides)
    assert len(slides) == 2 + len(sections) + math.ceil(len(selection.projects) / 13) + 1
    titles = [_slide_texts(s)[0] for s in slides]
    assert titles[2] == "Section 2: Coordinated industrial development"
    assert titles[-1] == "Sources and notes"
    maps = [
        s
        for s in slides[2 : 2 + len(sections)]
        if any(sh.shape_type == MSO_SHAPE_TYPE.PICTURE for sh in s.shapes)
    ]
    assert len(maps) == len(sections)


# --- HTML ------------------------------------------------------------------------------------


def test_standalone_html_is_offline_and_carries_the_features(ds):
    document = export_html(ds, views.get_view("transport"), "zh").decode("utf-8")
    assert set(re.findall(r"https?://[^\s\"'<>)\\]*", document)) <= INERT_HTTP
    remote = re.findall(r"""(?:src|href)\s*=\s*\\?["']?((?:https?:)?//[^"'\s>]*)""", document)
    assert set(remote) <= INERT_HTTP, remote  # Leaflet's own (disabled) attribution link
    assert not re.search(r"@import|url\(\s*['\"]?(?:https?:)?//", document)
    for name in ("赣深客专", "兴泉铁路", "赣州市", "交通互联:铁路、公路与航空通道", "示意图"):
        # folium writes feature data as JSON with \uXXXX escapes; the browser reads either
        assert name in document or json.dumps(name)[1:-1] in document, name
    assert "<script>" in document and "L.map(" in document


def test_page_map_of_every_view_within_budget(ds):
    for view in views.VIEWS:
        size = len(view_map(ds, view, "zh", popups=False).get_root().render().encode())
        assert size <= BUDGET, (view.name, size)


# --- Data ------------------------------------------------------------------------------------


def test_csv_opens_with_bom_and_holds_the_view(ds):
    data = exports.export_csv(ds, views.get_view("transport"), "zh")
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    measures = [r for r in rows if r["record"] == "measure"]
    projects = [r for r in rows if r["record"] == "project"]
    assert [r["id"] for r in measures] == ["7"]
    assert measures[0]["title"] == "建设综合立体交通运输体系"
    selection = views.view_selection(ds, views.get_view("transport"))
    assert [r["id"] for r in projects] == list(selection.projects["id"])
    ganshen = next(r for r in projects if r["id"] == "ganshen_hsr")
    assert (ganshen["title"], ganshen["status"], ganshen["status_date"]) == (
        "赣深客专",
        "已开通",
        "2021-12-10",
    )


def test_geojson_holds_projects_and_measures(ds):
    document = json.loads(exports.export_geojson(ds, views.get_view("transport"), "en"))
    assert document["type"] == "FeatureCollection" and document["name"] == "transport"
    projects = [f for f in document["features"] if f["properties"]["feature_type"] == "project"]
    measures = [f for f in document["features"] if f["properties"]["feature_type"] == "measure"]
    assert len(projects) == 14 and len(measures) == 1 and measures[0]["geometry"] is None
    ganshen = next(f for f in projects if f["id"] == "ganshen_hsr")
    assert ganshen["geometry"]["type"] == "LineString"
    assert ganshen["properties"]["label"] == "Ganzhou–Shenzhen high-speed railway"
    lon, lat = ganshen["geometry"]["coordinates"][0]
    assert 113 < lon < 116 and 22 < lat < 26


# --- Command line ----------------------------------------------------------------------------


def test_cli_list_names_first(capsys):
    assert main(["export", "--list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[0] for line in lines] == views.view_names()


def test_cli_writes_the_file(tmp_path, capsys):
    out = tmp_path / "transport.csv"
    assert main(["export", "--view", "transport", "--format", "csv", "--out", str(out)]) == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "wrote" in capsys.readouterr().out
    assert [p.name for p in tmp_path.iterdir()] == ["transport.csv"]  # no temp file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--view", "nope", "--format", "png"], "unknown view 'nope'"),
        (["--view", "transport", "--format", "pdf"], "unknown format 'pdf'"),
        (["--view", "transport", "--format", "csv", "--size", "a4"], "--size a4"),
    ],
)
def test_cli_refuses_and_writes_nothing(tmp_path, capsys, args, message):
    out = tmp_path / "keep.bin"
    out.write_bytes(b"old")
    assert main(["export", *args, "--out", str(out)]) != 0
    assert message in capsys.readouterr().err
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep.bin"]


def test_cli_without_a_font_writes_nothing(tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(fonts, "font_entries", lambda: [])
    out = tmp_path / "map.png"
    assert main(["export", "--view", "transport", "--format", "png", "--out", str(out)]) == 1
    assert "fonts-noto-cjk" in capsys.readouterr().err
    assert not out.exists() and list(tmp_path.iterdir()) == []
