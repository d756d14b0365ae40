"""AppTest: the projects and region pages, both languages, every filter, deep links, budgets.

The map is checked through what ``st_folium`` sends to the browser: the component's JSON
arguments (``script`` is the map's JavaScript), so a count of drawn features or a legend row is
an assertion on the real payload.
"""

import json
import time

import pytest
from apptest_support import open_page, texts

from geo.render.safe import md

pytestmark = pytest.mark.usefixtures("apptest_navigation_mode")
PROJECTS = "pages/projects.py"
REGION = "pages/region.py"
PAYLOAD_BUDGET = 300_000  # bytes of map payload for a page's default view (PRODUCT.md budget)


def map_payload(at) -> str:
    """The JSON arguments st_folium hands to its component: what goes over the wire."""
    (component,) = at.get("component_instance")
    return component.proto.json_args


def map_script(at) -> str:
    return json.loads(map_payload(at))["script"]


def table(at, index=0):
    return at.dataframe[index].value


def md_tables(at) -> list[str]:
    """The markdown tables on the page (the region page lists measures as linked tables)."""
    return [m.value for m in at.markdown if m.value.startswith("|")]


def frames_with(at, text: str) -> list:
    """The dataframes shown with ``text`` in some cell."""
    return [
        d.value
        for d in at.dataframe
        if d.value.astype(str).apply(lambda col: col.str.contains(text, regex=False)).any().any()
    ]


def captions(at) -> str:
    return "\n".join(c.value for c in at.caption)


# --- Projects ------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_projects_default_view(lang):
    at = open_page(PROJECTS, lang=lang)
    assert at.title[0].value == ("项目" if lang == "zh" else "Projects")
    listed, unmapped = table(at, 0), table(at, 1)
    assert len(listed) == 38 and len(unmapped) == 4
    if lang == "zh":
        assert "显示 38 / 共 38 个项目(上图 34,未上图 4)" in captions(at)
        assert listed.columns[:3].tolist() == ["名称", "类型", "现状"]
        assert "赣深客专" in set(listed["名称"])
        assert "2026年底的网络" in captions(at) or "年底的网络" in captions(at)
    else:
        assert "Showing 38 of 38 projects (34 on the map, 4 not mapped)" in captions(at)
        assert listed.columns[:3].tolist() == ["Name", "Kind", "Status"]
        assert "Ganzhou–Shenzhen high-speed railway" in set(listed["Name"])
        assert "High-speed rail" in set(listed["Kind"])
    # never silently dropped: every unmapped project has its reason
    reason = unmapped.columns[-1]
    assert unmapped[reason].str.len().min() > 10
    script = map_script(at)
    assert "pointToLayer" in script  # sites drawn as circles
    assert all(f'"{pid}"' in script for pid in ("nanchang_cbz", "jiangxi_ftz", "ganshen_hsr"))
    if lang == "zh":
        assert "图上 14 个已开通或运营;虚线、半透明的 20 个当时尚未开通" in captions(at)
    else:
        assert "14 on the map open or operating; 20 dashed and faded" in captions(at)


@pytest.mark.parametrize(
    ("key", "value", "rows"),
    [
        ("projects_kinds", ["high_speed_rail"], 5),
        ("projects_statuses", ["open"], 8),
        ("projects_stages", ["积极推进"], 6),
        ("projects_measures", [16], 5),
    ],
)
def test_each_sidebar_filter_narrows_the_table(key, value, rows):
    at = open_page(PROJECTS)
    at.sidebar.multiselect(key=key).set_value(value).run()
    assert len(table(at)) == rows
    assert f"显示 {rows} / 共 38" in captions(at)


def test_region_filter_and_its_map_click_path():
    at = open_page(PROJECTS)
    at.sidebar.selectbox(key="projects_region").set_value("440000").run()
    assert len(table(at)) == 6
    assert at.query_params["region"] == "440000"
    # a map click runs select_region, which sets the same key: the same result
    at = open_page(PROJECTS)
    at.session_state["projects_region"] = "360700"
    at.run()
    assert len(table(at)) == 14


def test_year_slider_and_open_only():
    at = open_page(PROJECTS)
    at.sidebar.slider(key="projects_year").set_value(2017).run()
    assert len(table(at)) == 38  # the year alone fades, it does not hide
    assert "2017年底的网络:图上 7 个已开通或运营;虚线、半透明的 27 个" in captions(at)
    at.sidebar.toggle(key="projects_open_only").set_value(True).run()
    assert len(table(at)) == 7
    assert "只显示当时已开通或运营的 7 个,其余 31 个已隐藏" in captions(at)
    assert at.query_params["year"] == "2017" and at.query_params["open"] == "1"
    at.sidebar.slider(key="projects_year").set_value(2016).run()
    assert len(table(at)) == 3


def test_colour_by_status_changes_the_legend():
    at = open_page(PROJECTS, lang="en")
    assert "High-speed rail" in map_script(at)
    at.sidebar.radio(key="projects_colour").set_value("status").run()
    script = map_script(at)
    assert "Open / Operating / Completed" in script  # one row per colour
    assert at.query_params["colour"] == "status"


def test_rerun_after_a_filter_is_fast():
    at = open_page(PROJECTS)
    at.sidebar.multiselect(key="projects_kinds").set_value(["railway"])
    started = time.perf_counter()
    at.run()
    elapsed = time.perf_counter() - started
    assert len(table(at)) == 7
    assert elapsed < 2.0, elapsed  # AppTest overhead included; the live figure is lower


def test_deep_link_restores_every_filter_and_the_selection():
    at = open_page(
        PROJECTS,
        {
            "project": "ganshen_hsr",
            "kind": "high_speed_rail,railway",
            "status": "open",
            "year": "2020",
            "region": "440000",
            "measure": "7",
            "colour": "status",
        },
        lang="en",
    )
    assert at.sidebar.multiselect(key="projects_kinds").value == ["high_speed_rail", "railway"]
    assert at.sidebar.slider(key="projects_year").value == 2020
    assert at.sidebar.radio(key="projects_colour").value == "status"
    assert at.sidebar.selectbox(key="projects_region").value == "440000"
    assert at.selectbox(key="projects_selected").value == "ganshen_hsr"
    assert set(table(at)["Name"]) == {"Ganzhou–Shenzhen high-speed railway"}
    assert not [i for i in at.info if "ignored" in str(i.value)]
    # the detail: all fields, waypoints, measures (with titles), regions by level
    assert md("Ganzhou–Shenzhen high-speed railway") in [s.value for s in at.subheader]
    fields = at.table[0].value
    assert {"ID", "Plan text", "Source", "Location precision"} <= set(fields.index)
    waypoints = table(at, 1)
    assert len(waypoints) == 14 and waypoints.iloc[0, 1] == "赣州西站"
    measures = at.table[1].value
    # st.table renders cells as markdown: data text reaches it escaped (geo.render.safe.md_table)
    assert measures.iloc[0, 0] == md("An integrated multi-modal transport system")
    crossed = "\n".join(t.value for t in at.text)
    assert "Province (2): Jiangxi, Guangdong" in crossed and "Shenzhen" in crossed
    assert '"weight": 6' in map_script(at)  # the selected line drawn heavier


def test_selecting_a_project_shows_it_even_when_filtered_out():
    at = open_page(PROJECTS, {"project": "ganggang_park", "kind": "railway"})
    assert md("赣港产业合作园区") in [s.value for s in at.subheader]
    assert "所选项目不在当前筛选结果中" in captions(at)


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("project", "nope"),
        ("kind", "spaceship"),
        ("status", "open,<b>x</b>"),
        ("year", "1999"),
        ("region", "<script>"),
        ("measure", "99"),
        ("colour", "rainbow"),
        ("open", "maybe"),
        ("stage", "%00"),
    ],
)
def test_projects_junk_parameters_are_ignored_with_a_note(name, value):
    at = open_page(PROJECTS, {name: value})
    assert len(table(at)) == 38
    assert any(name in str(i.value) for i in at.info), [i.value for i in at.info]


def test_projects_default_payload_within_budget():
    at = open_page(PROJECTS)
    size = len(map_payload(at).encode())
    assert 50_000 < size <= PAYLOAD_BUDGET, size


# --- Region --------------------------------------------------------------------------------


def metrics(at) -> list[str]:
    return [m.value for m in at.metric]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_region_default_is_jiangxi(lang):
    at = open_page(REGION, lang=lang)
    assert at.title[0].value == ("江西省" if lang == "zh" else "Jiangxi")
    assert metrics(at) == ["25", "31", "9", "0"]
    assert at.sidebar.selectbox(key="region_l1").value == "360000"
    assert at.sidebar.selectbox(key="region_l2").value is None
    body = texts(at)
    assert ("文本提及" if lang == "zh" else "By text") in body
    # 22 measures name Jiangxi or a place in it in their text, 2 more only inside project names
    assert ("24 项措施" if lang == "zh" else "24 measure(s)") in body
    script = map_script(at)
    assert script.count('"adcode"') == 11  # Jiangxi's cities, clickable
    by_text = md_tables(at)[0]  # markdown: each measure links to its text
    assert ("直接点名该区域" if lang == "zh" else "names this region") in by_text
    assert "(measures?measure=" in by_text


def test_region_deep_link_to_a_city_with_breadcrumb_back_up():
    at = open_page(REGION, {"region": "360700"})
    assert at.title[0].value == "赣州市"
    assert metrics(at) == ["12", "14", "2", "13"]
    assert map_script(at).count('"adcode"') == 18  # its counties
    assert [b.label for b in at.button] == ["江西省"]
    (units,) = frames_with(at, "本区域政府")
    assert units.iloc[0].tolist() == ["赣州市政府", "赣州市", "本区域政府", "(二), (九)"]
    at.button[0].click().run()
    assert at.title[0].value == "江西省"
    assert at.sidebar.selectbox(key="region_l2").value is None
    assert "region" not in at.query_params  # back to the default


def test_region_pickers_go_down_and_reset_when_the_province_changes():
    at = open_page(REGION)
    at.sidebar.selectbox(key="region_l2").set_value("360700").run()
    assert at.title[0].value == "赣州市"
    at.sidebar.selectbox(key="region_l3").set_value("360732").run()
    assert at.title[0].value == "兴国县"
    assert [b.label for b in at.button] == ["江西省", "赣州市"]
    assert at.query_params["region"] == "360732"
    larger = next(t for t in md_tables(at) if "仅经上级区域" in t)
    assert larger.count("\n") > 10  # measures touching it only through 赣州市 or 江西省
    assert "赣州市" in larger
    at.sidebar.selectbox(key="region_l1").set_value("440000").run()
    assert at.title[0].value == "广东省"
    assert at.sidebar.selectbox(key="region_l2").value is None


def test_region_click_on_a_sub_region_goes_there():
    at = open_page(REGION, lang="en")
    at.session_state["region_map"] = {"last_active_drawing": {"properties": {"adcode": "360100"}}}
    # what map_widget's on_change does with that value:
    at.session_state["region_code"] = "360100"
    at.session_state["region_l2"] = "360100"
    at.run()
    assert at.title[0].value == "Nanchang"


def test_region_hong_kong_has_districts_one_level_down():
    at = open_page(REGION, {"region": "810000"}, lang="en")
    assert at.title[0].value == "Hong Kong"
    assert at.sidebar.selectbox(key="region_l2").label == "County"
    assert map_script(at).count('"adcode"') == 18


@pytest.mark.parametrize("value", ["999999", "<img src=x onerror=alert(1)>", ""])
def test_region_junk_parameter_gives_a_note(value):
    at = open_page(REGION, {"region": value})
    assert at.title[0].value == "江西省"
    if value:
        assert any("region" in str(i.value) for i in at.info), [i.value for i in at.info]


def test_region_default_payload_within_budget():
    at = open_page(REGION)
    size = len(map_payload(at).encode())
    assert 50_000 < size <= PAYLOAD_BUDGET, size
