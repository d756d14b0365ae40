"""AppTest: the briefing page, stepping through the named views, link parameters, downloads."""

from __future__ import annotations

import pytest
from apptest_support import open_page, texts

from geo.analysis import views
from geo.render.safe import md

BRIEFING = "pages/briefing.py"


@pytest.mark.usefixtures("apptest_navigation_mode")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_briefing_steps_through_views(lang):
    at = open_page(BRIEFING, lang=lang)
    first, second = views.VIEWS[0], views.VIEWS[1]
    assert at.title[0].value == md(first.title(lang))  # titles reach st.title escaped
    assert ("第 1 / 18 页" if lang == "zh" else "Slide 1 of 18") in texts(at)
    at.button(key="briefing_next").click().run()
    assert at.title[0].value == md(second.title(lang))
    assert at.query_params["view"] == [second.name] or at.query_params["view"] == second.name
    at.button(key="briefing_prev").click().run()
    at.button(key="briefing_prev").click().run()
    assert at.title[0].value == md(views.VIEWS[-1].title(lang))


@pytest.mark.usefixtures("apptest_navigation_mode")
def test_briefing_view_param_restores_and_exports():
    at = open_page(BRIEFING, {"view": "city-360700"})
    assert at.title[0].value == md("赣州市:方案涉及的措施与项目")
    assert at.sidebar.selectbox(key="briefing_view").value == "city-360700"
    assert not at.get("download_button")
    at.button(key="briefing_prepare_csv").click().run()
    downloads = at.get("download_button")
    assert [d.proto.label for d in downloads] == ["数据表(CSV)"]


@pytest.mark.usefixtures("apptest_navigation_mode")
def test_briefing_current_view_from_link_filters():
    at = open_page(BRIEFING, {"view": "current", "section": "8", "region": "360700"}, lang="en")
    assert at.title[0].value.startswith(md("Current view: Ecological civilisation"))
    assert "Ganzhou" in at.title[0].value


@pytest.mark.usefixtures("apptest_navigation_mode")
def test_briefing_junk_view_is_ignored_with_a_note():
    at = open_page(BRIEFING, {"view": "<script>"})
    assert at.title[0].value == md(views.VIEWS[0].title_zh)
    assert any("view" in str(i.value) for i in at.info)
