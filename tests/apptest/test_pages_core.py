"""AppTest: the overview and measures pages, in both languages, filters and deep links."""

import pytest
from apptest_support import open_page, texts

pytestmark = pytest.mark.usefixtures("apptest_navigation_mode")
MEASURES = "pages/measures.py"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_headline_figures(lang):
    at = open_page(lang=lang)
    values = {m.label: m.value for m in at.metric}
    assert list(values.values())[:3] == ["28", "38", "10"]
    if lang == "en":
        assert "Measures" in values and "Pan-PRD Cooperation Map" in texts(at)
    else:
        assert "措施" in values and "泛珠合作地图" in texts(at)


def expander_titles(at):
    """Expander labels as shown (markdown escapes removed)."""
    return [e.label.replace("\\", "") for e in at.expander]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_measures_lists_all_28(lang):
    at = open_page(MEASURES, lang=lang)
    titles = expander_titles(at)
    assert len(titles) == 28
    assert titles[6] == (
        "(七) 建设综合立体交通运输体系"
        if lang == "zh"
        else "7. An integrated multi-modal transport system"
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_measure_lists_its_places_and_projects(lang):
    at = open_page(MEASURES, lang=lang)
    tables = {
        i: [m.value for m in e.markdown if m.value.startswith("| ")]
        for i, e in enumerate(at.expander)
    }
    rail = (
        "| 赣深客专 | 高速铁路 | 已开通 | 开工建设 |"
        if lang == "zh"
        else r"| Ganzhou–Shenzhen high\-speed railway | High\-speed rail | Open | "
        r"start construction |"
    )
    # (七) names places only inside its projects' names (瑞金至梅州铁路 …): they are listed too
    assert rail in tables[6][1].splitlines()
    named = (
        "| 梅州 | 地市级 | 地级市 | 项目名称中提及 |"
        if lang == "zh"
        else "named in a project's name"
    )
    assert named in tables[6][0]
    places = [line for i in tables for table in tables[i] for line in table.splitlines()]
    jiangxi = "| 我省 | 省级 | " if lang == "zh" else r"| Jiangxi \(our province\) | Province | "
    assert jiangxi in "\n".join(places)


def test_section_filter_narrows_the_list():
    at = open_page(MEASURES)
    at.sidebar.multiselect(key="measures_sections").set_value([4]).run()
    assert [t.split()[0] for t in expander_titles(at)] == ["(七)", "(八)", "(九)"]
    assert at.query_params["section"] == "4"


def test_unit_filter():
    at = open_page(MEASURES)
    at.sidebar.multiselect(key="measures_units").set_value(["南昌海关"]).run()
    assert [t.split()[0] for t in expander_titles(at)] == ["(六)", "(十六)", "(十八)"]


def test_region_filter_and_free_text():
    at = open_page(MEASURES)
    at.sidebar.selectbox(key="measures_region").set_value("360700").run()
    ganzhou = [t.split()[0] for t in expander_titles(at)]
    assert {"(二)", "(三)", "(七)", "(九)", "(十六)", "(二十)", "(二十二)"} <= set(ganzhou)
    assert "(四)" not in ganzhou
    at.sidebar.text_input(key="measures_query").set_value("铁路").run()
    assert [t.split()[0] for t in expander_titles(at)] == ["(七)", "(十六)"]


def test_deep_link_restores_filters():
    at = open_page(
        MEASURES,
        {"section": "8", "region": "360000", "level": "city", "measure": "21", "q": "生态"},
    )
    assert at.sidebar.radio(key="measures_level").value == "city"
    assert at.sidebar.multiselect(key="measures_sections").value == [8]
    titles = expander_titles(at)
    assert titles and all(
        t.split()[0] in {"(十九)", "(二十)", "(二十一)", "(二十二)"} for t in titles
    )
    opened = [e for e in at.expander if e.label.startswith("(二十一)")]
    assert opened and opened[0].proto.expanded


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("section", "99"),
        ("region", "<script>"),
        ("level", "planet"),
        ("measure", "x"),
        ("unit", "不存在的单位"),
        ("lang", "fr"),
    ],
)
def test_junk_parameters_are_ignored_with_a_note(name, value):
    at = open_page(MEASURES, {name: value})
    assert len(expander_titles(at)) == 28
    assert any(name in str(i.value) for i in at.info), [i.value for i in at.info]


def test_tianditu_without_a_key_falls_back_with_a_message(monkeypatch):
    monkeypatch.delenv("TIANDITU_KEY", raising=False)
    at = open_page(MEASURES, {"basemap": "tianditu"})
    assert at.sidebar.selectbox(key="basemap").value == "tianditu"
    assert any("TIANDITU_KEY" in str(i.value) for i in at.info)
    assert len(expander_titles(at)) == 28


def test_basemap_choice_is_kept_in_the_link():
    at = open_page(MEASURES)
    at.sidebar.selectbox(key="basemap").set_value("gaode").run()
    assert at.query_params["basemap"] == "gaode"
    at = open_page(MEASURES, {"basemap": "mars"})
    assert at.sidebar.selectbox(key="basemap").value == "none"
    assert any("basemap" in str(i.value) for i in at.info)
