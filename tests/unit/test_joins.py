"""Joins on tiny in-memory tables: links (geo.core.links), lifting and counting (analysis)."""

import pandas as pd
import pytest

from geo.analysis import joins
from geo.core import links as link_tables
from geo.core.gazetteer import Place
from geo.core.plan import Measure


def measure(number, text, units=("省发改委",), section=2):
    return Measure(number, section, text[:4], text, tuple(units), "", number)


PLACES = (
    Place("赣州", "city", ("360700",), "Ganzhou", "", "high", ""),
    Place("瑞金", "county", ("360781",), "Ruijin", "", "high", ""),
    Place("港澳", "group", ("810000", "820000"), "HK and Macau", "", "high", ""),
    Place("东盟", "foreign", (), "ASEAN", "", "high", ""),
)
REGIONS = pd.DataFrame(
    {
        "adcode": ["360000", "360700", "360781", "360100", "810000", "820000", "440000", "440300"],
        "level": ["province", "city", "county", "city", "province", "province", "province", "city"],
        "province_adcode": ["", "360000", "360000", "360000", "", "", "", "440000"],
        "city_adcode": ["", "360700", "360700", "360100", "", "", "", "440300"],
    }
)
UNITS = pd.DataFrame({"name_zh": ["省发改委", "南昌市政府"], "adcode": ["", "360100"]})


@pytest.fixture
def links():
    measures = [
        measure(1, "支持赣州、瑞金与港澳合作,拓展东盟"),
        measure(2, "推进赣深客专建设", units=("省发改委", "南昌市政府")),
    ]
    places = link_tables.measure_place_links(measures, PLACES, masks=["赣深客专"])
    units = link_tables.measure_unit_links(measures, UNITS)
    projects = link_tables.measure_project_links(
        pd.DataFrame({"id": ["ganshen"], "measures": [(2,)]})
    )
    crossings = pd.DataFrame(
        {"project_id": ["ganshen"] * 3, "adcode": ["360000", "360700", "440300"]}
    )
    return places, link_tables.measure_region_links(places, units, projects, crossings)


def test_place_links_expand_groups_and_keep_unmapped(links):
    places, _ = links
    assert places[places["measure"] == 1]["name"].tolist() == [
        "赣州",
        "瑞金",
        "港澳",
        "港澳",
        "东盟",
    ]
    assert places.loc[places["name"] == "东盟", "adcode"].tolist() == [""]
    assert (places["measure"] == 2).sum() == 0  # 赣 in 赣深客专 is masked


def test_region_links_have_three_kinds(links):
    _, region_links = links
    by_kind = region_links.groupby("link")["adcode"].apply(set).to_dict()
    assert by_kind["text"] == {"360700", "360781", "810000", "820000"}
    assert by_kind["unit"] == {"360100"}
    assert by_kind["project"] == {"360000", "360700", "440300"}
    assert "" not in set(region_links["adcode"])


def test_unknown_unit_raises():
    with pytest.raises(KeyError, match="省外侨办"):
        link_tables.measure_unit_links([measure(3, "文本", units=("省外侨办",))], UNITS)


def test_lifting_goes_up_not_down(links):
    _, region_links = links
    ancestors = link_tables.region_ancestors(REGIONS)
    prov = joins.count_measures(region_links, ancestors, "province")
    assert prov["360000"] == 2  # 瑞金 (county) and 赣州 lift to 江西; project 2 crosses it
    assert prov["810000"] == 1 and prov["440000"] == 1
    county = joins.count_measures(region_links, ancestors, "county")
    assert county.to_dict() == {"360781": 1}  # naming 赣州 does not touch each of its counties
    city = joins.count_measures(region_links, ancestors, "city", link_kinds=["text"])
    assert city.to_dict() == {"360700": 1}
    city_all = joins.count_measures(region_links, ancestors, "city")
    assert city_all.to_dict() == {"360700": 2, "360100": 1, "440300": 1}


def test_count_restricted_to_measures_and_bad_inputs(links):
    _, region_links = links
    ancestors = link_tables.region_ancestors(REGIONS)
    assert joins.count_measures(region_links, ancestors, "city", measures=[1]).to_dict() == {
        "360700": 1
    }
    with pytest.raises(ValueError, match="unknown link kind"):
        joins.count_measures(region_links, ancestors, "city", link_kinds=["rumour"])
    with pytest.raises(ValueError, match="level must be one of"):
        joins.links_at_level(region_links, ancestors, "village")


def test_measures_touching_a_region(links):
    _, region_links = links
    ancestors = link_tables.region_ancestors(REGIONS)
    jx = joins.measures_touching(region_links, ancestors, "360000")
    assert set(jx["measure"]) == {1, 2}
    assert not jx.loc[jx["via"] == "瑞金", "direct"].any()
    assert joins.measures_touching(region_links, ancestors, "999999").empty


def test_measure_project_links_sorted():
    frame = link_tables.measure_project_links(
        pd.DataFrame({"id": ["b", "a"], "measures": [(7, 17), (7,)]})
    )
    assert frame.values.tolist() == [[7, "a"], [7, "b"], [17, "b"]]
