"""AppTest: the partners, units and data pages, in both languages: pickers, deep links, downloads.

Downloads are read back from AppTest's media store (the bytes a browser would receive), deferred
ones by calling the registered callable.
"""

from __future__ import annotations

import io
import json
import re

import pandas as pd
import pyarrow as pa
import pytest
from apptest_support import open_page, texts
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage

from geo.core import paths

pytestmark = pytest.mark.usefixtures("apptest_navigation_mode")
PARTNERS = "pages/partners.py"
UNITS = "pages/units.py"
DATA = "pages/data.py"
BUDGET = 300_000  # bytes of map script per page's default view (team brief)


def frames(at) -> list[pd.DataFrame]:
    return [df.value for df in at.dataframe]


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def chart_data(at) -> pd.DataFrame:
    """The one bar chart's data as sent to the browser: (label, value) rows."""
    (chart,) = at.get("vega_lite_chart")
    table = pa.ipc.open_stream(chart.proto.datasets[0].data.data).read_all().to_pandas()
    return table[["index -- streamlit-generated", "value -- streamlit-generated"]]


def map_script(at) -> str:
    """The st_folium component's arguments as sent to the browser (JSON text)."""
    components = [
        c
        for c in at.get("component_instance")
        if c.proto.component_name == "streamlit_folium.st_folium"
    ]
    assert len(components) == 1
    return components[0].proto.json_args


def map_counts(at) -> dict[str, int]:
    """adcode → the count in the region's tooltip, read from the map sent to the browser."""
    script = json.loads(map_script(at))["script"]
    found = re.findall(r'"adcode": "(\d{6})", "tip": "[^"]*?: (\d+)"', script)
    return {code: int(n) for code, n in found}


# --- 伙伴 Partners -------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_partners_first_load_summary_and_chart(lang):
    at = open_page(PARTNERS, lang=lang)
    summary = frames(at)[0]
    assert len(summary) == 10
    names = summary.iloc[:, 0].tolist()
    gd = summary.iloc[names.index("广东" if lang == "zh" else "Guangdong")]
    assert gd.iloc[1:5].tolist() == [14, 7, 4, 3]  # links, specific, corridors, others
    assert ("赣深客专" if lang == "zh" else "Ganzhou–Shenzhen high-speed railway") in gd.iloc[6]
    hainan = summary.iloc[names.index("海南" if lang == "zh" else "Hainan")]
    assert hainan.iloc[1:5].tolist() == [0, 0, 0, 0] and hainan.iloc[5] == 8
    chart = chart_data(at)  # the link strength: one bar per partner and kind of link
    assert len(chart) == 30
    assert chart.iloc[0].tolist() == ["广东" if lang == "zh" else "Guangdong", 7]
    assert not at.metric  # no partner picked: no detail
    assert ("伙伴" if lang == "zh" else "Partners") in texts(at)


def test_picking_a_partner_shows_its_projects_and_measures():
    at = open_page(PARTNERS)
    at.sidebar.selectbox(key="partners_partner").set_value("440000").run()
    assert list(metrics(at).values()) == ["14", "7", "4", "3"]
    projects, specific, whole = frames(at)[:3]
    assert projects.iloc[:, 0].tolist()[:2] == ["赣深客专", "瑞金至梅州铁路"]
    assert "吉安(深圳)工业园" in projects.iloc[:, 0].tolist()
    assert specific.iloc[:, 0].tolist() == [
        "(二)",
        "(六)",
        "(九)",
        "(十四)",
        "(十六)",
        "(十九)",
        "(二十一)",
    ]
    assert whole.iloc[:, 0].tolist() == [
        "(一)",
        "(四)",
        "(十一)",
        "(二十二)",
        "(二十七)",
        "(二十八)",
    ]
    assert at.query_params["partner"] == "440000"
    assert "江西 ↔ 广东省" in texts(at)

    at.sidebar.selectbox(key="partners_partner").set_value("810000").run()
    assert list(metrics(at).values()) == ["6", "5", "0", "1"]
    projects, specific = frames(at)[:2]
    assert projects.iloc[:, 0].tolist() == ["赣港产业合作园区"]
    assert specific.iloc[:, 0].tolist() == ["(一)", "(十九)", "(二十三)", "(二十四)", "(二十五)"]


def test_partner_deep_link_in_english_zooms_and_lists_titles(ds):
    # 四川: the 白鹤滩 dam point is on its side of the 金沙江 at every level (issue 11).
    at = open_page(PARTNERS, {"partner": "510000"}, lang="en")
    assert at.sidebar.selectbox(key="partners_partner").value == "510000"
    projects, whole = frames(at)[:2]
    baihetan = ds.projects.set_index("id").at["baihetan_to_jiangxi", "name_en"]
    assert projects.iloc[:, 0].tolist() == [baihetan]
    assert projects.iloc[0, 1] == "other project"
    assert "Jiangxi ↔ Sichuan" in texts(at)
    assert [t.value for t in at.text] == ["None"]  # no measure names Sichuan specifically
    assert whole.iloc[0, 1] == "Foster advanced industrial clusters"
    picked = json.loads(map_script(at))["script"]
    default = json.loads(map_script(open_page(PARTNERS, lang="en")))["script"]
    assert len(picked) < len(default)  # zoomed to Jiangxi + Sichuan, its projects only


def test_partner_map_draws_corridors_and_shades_partners():
    at = open_page(PARTNERS)
    counts = map_counts(at)
    assert counts["440000"] == 14 and counts["460000"] == 0 and len(counts) == 10
    script = json.loads(map_script(at))["script"]
    assert json.dumps("江西省")[1:-1] in script  # Jiangxi's own tooltip and legend row
    assert len(script.encode()) <= BUDGET


@pytest.mark.parametrize("value", ["360000", "<script>", "99"])
def test_partner_junk_parameter_gives_a_note(value):
    at = open_page(PARTNERS, {"partner": value})
    assert any("partner" in str(i.value) for i in at.info)
    assert at.sidebar.selectbox(key="partners_partner").value is None
    assert len(frames(at)[0]) == 10 and not at.metric


# --- 单位 Units ----------------------------------------------------------------------------------


def test_units_first_load_lists_every_unit(ds):
    at = open_page(UNITS)
    assert at.sidebar.selectbox(key="units_unit").value == "省发改委"
    assert metrics(at)[("牵头措施数")] == "18"
    led, everyone = frames(at)
    assert len(led) == 18
    assert len(everyone) == len(ds.units) == 42
    assert everyone.iloc[:, 2].tolist() == sorted(everyone.iloc[:, 2], reverse=True)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_picking_a_unit_lists_its_measures(lang):
    at = open_page(UNITS, lang=lang)
    at.sidebar.selectbox(key="units_unit").set_value("南昌海关").run()
    led = frames(at)[0]
    assert led.iloc[:, 0].tolist() == ["(六)", "(十六)", "(十八)"]
    if lang == "en":
        assert led.iloc[0, 1] == "Integrated customs clearance"
        assert "Measures led by Nanchang Customs (3)" in texts(at)
    else:
        assert led.iloc[0, 1] == "构建大通关体制"
        assert "南昌海关 牵头的措施(3 项)" in texts(at)
    assert at.query_params["unit"] == "南昌海关"
    counts = map_counts(at)
    # 深圳, 厦门: named in (六), crossed by (十六)'s sea-rail routes; 南昌: (十六), (十八)
    assert [counts[c] for c in ("440300", "350200", "360100")] == [2, 2, 2]


def test_unit_link_kinds_change_the_map():
    at = open_page(UNITS, {"unit": "南昌海关"})
    everything = map_counts(at)
    at.sidebar.multiselect(key="units_links").set_value(["text"]).run()
    text_only = map_counts(at)
    assert at.query_params["links"] == "text"
    assert sum(text_only.values()) < sum(everything.values())
    # by text only 深圳 and 厦门 (measure 6) remain, and 香港, 澳门 (city-level units too) from
    # 泛珠三角区域 in measure 16; 南昌 came by unit (南昌市政府) and by projects
    assert {c: n for c, n in text_only.items() if n} == {
        "440300": 1,
        "350200": 1,
        "810000": 1,
        "820000": 1,
    }


def test_unit_deep_link_restores_unit_and_links():
    at = open_page(UNITS, {"unit": "赣州市政府", "links": "text,unit"}, lang="en")
    assert at.sidebar.selectbox(key="units_unit").value == "赣州市政府"
    assert at.sidebar.multiselect(key="units_links").value == ["text", "unit"]
    values = metrics(at)
    assert values["Measures led"] == "2" and values["Its city"] == "Ganzhou"
    assert map_counts(at)["360700"] == 2


@pytest.mark.parametrize(("name", "value"), [("unit", "不存在的单位"), ("links", "planet")])
def test_unit_junk_parameters_give_a_note(name, value):
    at = open_page(UNITS, {name: value})
    assert any(name in str(i.value) for i in at.info)
    assert at.sidebar.selectbox(key="units_unit").value == "省发改委"
    assert len(frames(at)[0]) == 18


@pytest.mark.parametrize("params", [{}, {"unit": "南昌海关"}, {"lang": "en"}])
def test_units_map_within_budget(params):
    # the 9+2 + 浙皖鄂 cities are most of it (about 280 KB with compact coordinates)
    at = open_page(UNITS, {k: v for k, v in params.items() if k != "lang"}, params.get("lang"))
    assert len(map_script(at).encode()) <= BUDGET


# --- 数据 Data -----------------------------------------------------------------------------------


@pytest.fixture
def media(monkeypatch):
    """Every file the run stores for download: {file_name: bytes}, deferred ones as callables."""
    stored: dict[str, object] = {}
    original = MemoryMediaFileStorage.load_and_get_id
    original_deferred = MediaFileManager.add_deferred

    def load_and_get_id(self, path_or_data, mimetype, kind, filename=None):
        stored[filename] = path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    def add_deferred(self, data_callable, mimetype, coordinates, file_name=None, **kwargs):
        stored[file_name] = data_callable
        return original_deferred(self, data_callable, mimetype, coordinates, file_name, **kwargs)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", load_and_get_id)
    monkeypatch.setattr(MediaFileManager, "add_deferred", add_deferred)
    return stored


def read_csv(data: bytes) -> pd.DataFrame:
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs for Chinese
    return pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_first_load_measures_table_and_csv(media, lang):
    at = open_page(DATA, lang=lang)
    table = frames(at)[0]
    assert len(table) == 28
    csv = read_csv(media["pprd_measures.csv"])
    assert len(csv) == 28 and csv.loc[6, "title"] == "建设综合立体交通运输体系"
    assert ("28 行" if lang == "zh" else "28 rows") in texts(at)
    labels = [b.proto.label for b in at.get("download_button")]
    assert len(labels) == 1 + 2 * 3  # CSV; light and full boundaries per level
    assert ("下载 CSV" if lang == "zh" else "Download CSV") in labels


def file_rows(ds, name: str) -> int:
    """The number of data rows of a CSV file of the dataset, read straight from the file."""
    return len(pd.read_csv(paths.data_path(name, ds.root), dtype=str, keep_default_na=False))


# Each table's rows, counted from the files or the link tables, not by geo.present.records.
TABLE_ROWS = {
    "places": lambda ds: len(ds.place_links.drop_duplicates(["measure", "name"])),
    "projects": lambda ds: file_rows(ds, "projects.csv"),
    "waypoints": lambda ds: file_rows(ds, "waypoints.csv"),
    "units": lambda ds: file_rows(ds, "units.csv"),
    "gazetteer": lambda ds: file_rows(ds, "gazetteer.csv"),
    "region_links": lambda ds: len(ds.region_links),
}


@pytest.mark.parametrize("name", TABLE_ROWS)
def test_data_table_picker_changes_rows_and_download(media, ds, name):
    expected = TABLE_ROWS[name](ds)
    at = open_page(DATA)
    shown_first = len(frames(at)[0])
    assert shown_first == len(ds.plan.measures) != expected  # so the change can be seen
    at.radio(key="data_table").set_value(name).run()
    assert len(frames(at)[0]) == expected
    assert len(read_csv(media[f"pprd_{name}.csv"])) == expected
    assert at.query_params["table"] == name


def test_data_projects_geojson_download(media):
    at = open_page(DATA, {"table": "projects"})
    assert at.radio(key="data_table").value == "projects"
    collection = json.loads(media["pprd_projects.geojson"])
    assert len(collection["features"]) == 38
    ganshen = next(f for f in collection["features"] if f["id"] == "ganshen_hsr")
    assert ganshen["geometry"]["type"] == "LineString"


def test_data_boundary_downloads_light_and_full(media, ds):
    open_page(DATA)
    light = json.loads(media["pprd_province_display.geojson"])
    assert len(light["features"]) == 34
    jx_counties = json.loads(media["pprd_county_display.geojson"])
    assert {f["properties"]["province_adcode"] for f in jx_counties["features"]} == {"360000"}
    full = media["provinces.geojson"]
    assert callable(full)  # deferred: read only when clicked
    data = full()
    assert len(data) == (ds.root / "boundaries" / "provinces.geojson").stat().st_size
    assert len(media["pprd_province_display.geojson"]) < len(data)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_data_quality_report_and_sources(lang):
    at = open_page(DATA, lang=lang)
    shown = texts(at)
    assert [s.value for s in at.success] == [
        "未发现问题:所有文件及其相互引用均有效。"
        if lang == "zh"
        else "No problems: every file and every reference between them is valid."
    ]
    assert (
        "现状不明的项目(10 个)" if lang == "zh" else "Projects whose status is unknown (10)"
    ) in shown
    by_table = {tuple(df.columns): df for df in frames(at)}
    unknown = next(df for cols, df in by_table.items() if cols[0] == "id" and len(df) == 10)
    assert "ganggang_park" in unknown["id"].tolist()
    sources = next(df for df in frames(at) if "BSD-2-Clause" in df.iloc[:, 2].tolist())
    assert sources.iloc[:, 2].tolist()[0].startswith("MIT")
    assert "BSD-2-Clause" in sources.iloc[:, 2].tolist()
    assert "10.5281/zenodo.4167299" in sources.iloc[0, 1]
    assert (
        "方案原文:江西省深化泛珠三角区域合作实施方案(2016-09-14)"
        if lang == "zh"
        else "The plan: Jiangxi Province Implementation Plan for Deepening Pan-Pearl River Delta "
        "Regional Cooperation (2016-09-14)"
    ) in [x.value for x in at.text]
    notes = at.code[-1].value
    assert "waypoints.csv, row" in notes and "/work/" not in notes


@pytest.mark.parametrize("value", ["planet", "<b>x</b>"])
def test_data_junk_table_parameter_gives_a_note(value):
    at = open_page(DATA, {"table": value})
    assert any("table" in str(i.value) for i in at.info)
    assert at.radio(key="data_table").value == "measures"
    assert len(frames(at)[0]) == 28
