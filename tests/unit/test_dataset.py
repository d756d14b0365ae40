"""The joined dataset on the shipped data: links by text, unit and geometry; filters."""

from geo.analysis import filters
from geo.analysis.joins import measures_touching


def links(ds, measure, kind):
    frame = ds.region_links
    return set(frame.loc[(frame["measure"] == measure) & (frame["link"] == kind), "adcode"])


def test_text_links(ds):
    assert {"360100", "360200", "360700", "360500"} == links(ds, 20, "text")
    assert {"440300", "350200", "360000"} == links(ds, 6, "text")  # 深圳 厦门 我省
    assert {"810000", "820000", "360000"} <= links(ds, 25, "text")  # 赣港澳
    # 东江源 → the three source counties
    assert {"360734", "360726", "360728"} <= links(ds, 22, "text")


def test_unit_links_are_a_separate_kind(ds):
    assert links(ds, 2, "unit") == {"360300", "360500", "360700", "360900", "360800", "361000"}
    assert links(ds, 18, "unit") == {"360100", "360400"}
    assert links(ds, 1, "unit") == set()
    assert "360300" not in links(ds, 2, "text")  # 萍乡 is only a responsible unit


def test_project_links_by_geometry(ds):
    m7 = links(ds, 7, "project")
    assert {"360000", "440000", "350000", "430000", "340000", "420000", "330000"} <= m7
    assert {"440300", "441400"} <= m7  # 深圳 (赣深), 梅州 (瑞梅)
    assert "650000" in links(ds, 8, "project")  # 煤制气 pipeline from 新疆


def test_project_names_do_not_leak_into_places(ds):
    places = ds.place_links
    m7 = set(places.loc[places["measure"] == 7, "name"])
    assert not {"赣州", "深圳", "武夷山", "吉安"} & m7
    m17 = set(places.loc[places["measure"] == 17, "name"])
    assert "赣江" not in m17


def test_measure_project_table(ds):
    mp = ds.measure_projects
    assert set(mp.loc[mp["measure"] == 17, "project_id"]) >= {
        "ganjiang_new_area",
        "jiangxi_ftz",
        "guangdong_fujian_ftz",
    }
    assert set(mp["measure"]) == {2, 3, 7, 8, 9, 16, 17, 18, 23}


def test_measures_touching_a_county_include_lifted_links(ds):
    ruijin = measures_touching(ds.region_links, ds.ancestors, "360781")
    assert {7, 8} <= set(ruijin["measure"])  # 瑞梅铁路 (7) and the WEGP pipeline (8)
    assert 9 not in set(ruijin["measure"])  # the 苏区 pilot is only tied to whole cities
    ganzhou = measures_touching(ds.region_links, ds.ancestors, "360700")
    assert set(ganzhou.loc[ganzhou["link"] == "unit", "measure"]) == {2, 9}


def test_filters(ds):
    assert filters.filter_measures(ds, sections=[9]) == [23, 24, 25]
    assert filters.filter_measures(ds, units=["团省委"]) == [25]
    assert filters.filter_measures(ds, query="铁路 赣州") == [7, 16]
    assert filters.filter_measures(ds, query="railway") == []  # English titles only
    hk = filters.filter_measures(ds, region="810000", link_kinds=["text"])
    assert hk == [1, 4, 11, 16, 19, 22, 23, 24, 25, 27, 28]  # 泛珠三角区域 names HK too
    open_2019 = filters.filter_projects(ds, year=2019, open_only=True)
    assert {"wujiu_pdl", "jiujingqu_rail", "haoji_rail"} <= set(open_2019["id"])
    assert "ganshen_hsr" not in set(open_2019["id"])
    assert "ganshen_hsr" in set(filters.filter_projects(ds, year=2021, open_only=True)["id"])
    rail = filters.filter_projects(ds, kinds=["high_speed_rail"], region="440000")
    assert set(rail["id"]) == {"ganshen_hsr"}
