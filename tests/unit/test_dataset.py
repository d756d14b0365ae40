"""The joined dataset on the shipped data: links by text, unit and geometry; filters; the memo."""

import dataclasses
import math
import threading
import time

import pandas as pd
import pytest

from geo.analysis import filters, partners, views
from geo.analysis.joins import measures_touching
from geo.core.memo import Memo, check_key


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


def test_places_inside_project_names_are_linked_as_their_own_kind(ds):
    places = ds.place_links
    m7 = places[places["measure"] == 7]
    inside = m7[m7["project"] != ""]
    assert {"赣州", "武夷山", "吉安", "兴义", "郴州"} <= set(inside["name"])
    assert "吉安至武夷山" in set(inside.loc[inside["name"] == "武夷山", "project"])
    m2 = links(ds, 2, "name")
    assert {"350000", "430000", "440300", "360800"} <= m2  # 赣闽, 赣湘, 吉安(深圳)工业园
    assert not links(ds, 2, "name") & links(ds, 2, "text") - {"360000", "440000"}
    m17 = set(places.loc[places["measure"] == 17, "name"])
    assert "赣江" not in m17  # 赣江新区: a feature in a name is not a place of the measure


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
    assert filters.filter_measures(ds, query="railway") == [7, 16]  # English text searched
    hk = filters.filter_measures(ds, region="810000", link_kinds=["text"])
    assert hk == [1, 4, 11, 16, 19, 22, 23, 24, 25, 27, 28]  # 泛珠三角区域 names HK too
    open_2019 = filters.filter_projects(ds, year=2019, open_only=True)
    assert {"wujiu_pdl", "jiujingqu_rail", "haoji_rail"} <= set(open_2019["id"])
    assert "ganshen_hsr" not in set(open_2019["id"])
    assert "ganshen_hsr" in set(filters.filter_projects(ds, year=2021, open_only=True)["id"])
    rail = filters.filter_projects(ds, kinds=["high_speed_rail"], region="440000")
    assert set(rail["id"]) == {"ganshen_hsr"}


# --- the memo (geo.core.memo, Dataset.memo) ------------------------------------------------------


def test_two_threads_asking_for_one_key_build_it_once():
    memo, calls = Memo(), []
    start = threading.Barrier(8)
    results = []

    def build():
        calls.append(1)
        time.sleep(0.2)  # the others arrive while the first builds
        return {"value": [1, 2]}

    def ask():
        start.wait(timeout=10)
        results.append(memo.get(("thing", "one"), build))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert len(calls) == 1
    assert results == [{"value": [1, 2]}] * 8
    assert len({id(r) for r in results}) == 8  # each caller its own copy


def test_different_keys_build_at_the_same_time():
    memo = Memo()
    both_building = threading.Barrier(2)  # broken (timeout) if one build waited for the other
    errors = []

    def ask(name):
        try:
            memo.get(("thing", name), lambda: both_building.wait(timeout=5))
        except threading.BrokenBarrierError as exc:
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(n,)) for n in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    assert errors == []


def test_least_recently_used_value_is_dropped():
    memo, built = Memo(max_entries=2), []

    def get(name):
        return memo.get(("k", name), lambda: built.append(name) or name)

    assert [get("a"), get("b"), get("a"), get("c")] == ["a", "b", "a", "c"]
    assert len(memo) == 2 and ("k", "a") in memo and ("k", "b") not in memo
    get("b")
    assert built == ["a", "b", "c", "b"]  # b was built again, a never was
    with pytest.raises(ValueError):
        Memo(max_entries=0)


def test_changing_a_returned_value_does_not_change_the_next():
    memo = Memo()
    frame = pd.DataFrame({"a": [1, 2]})
    value = {"frame": frame, "rows": [{"x": 1}], "pair": ([1], "s"), "data": b"bytes"}
    first = memo.get(("v",), lambda: value)
    first["frame"].loc[0, "a"] = 99
    first["rows"][0]["x"] = 2
    first["pair"][0].append(2)
    first["new"] = 1
    second = memo.get(("v",), lambda: pytest.fail("built twice"))
    assert second["frame"]["a"].tolist() == [1, 2]
    assert second["rows"] == [{"x": 1}] and second["pair"] == ([1], "s") and "new" not in second
    assert frame["a"].tolist() == [1, 2]  # nor the value the builder returned


def test_a_failed_build_stores_nothing():
    memo = Memo()
    with pytest.raises(ZeroDivisionError):
        memo.get(("k",), lambda: 1 / 0)
    assert ("k",) not in memo
    assert memo.get(("k",), lambda: 3) == 3
    with pytest.raises(TypeError, match="cannot be a"):
        memo.get(("lock",), threading.Lock)  # not a kind of value it knows how to copy
    assert ("lock",) not in memo
    with pytest.raises(RuntimeError, match="being built"):
        memo.get(("self",), lambda: memo.get(("self",), lambda: 1))


@pytest.mark.parametrize(
    "key",
    [
        "name",
        ("",),
        (),
        (1, "a"),
        ("name", ["a"]),
        ("name", {"a": 1}),
        ("name", pd.DataFrame()),
        ("name", (1, [2])),
        ("name", math.nan),
        ("name", object()),
    ],
    ids=repr,
)
def test_keys_are_plain_values_only(key):
    with pytest.raises(TypeError, match="memo key"):
        check_key(key)
    with pytest.raises(TypeError, match="memo key"):
        Memo().get(key, lambda: 1)


def test_plain_keys_pass():
    view = views.get_view("transport")
    for key in [("a",), ("a", "360000", "en"), ("a", 1, 2.5, None, True), ("a", view, (1, (2,)))]:
        assert check_key(key) is key


def test_dataset_memo_hands_out_copies(ds):
    layers = views.view_layers(ds, views.get_view("transport"))
    layers.regions.loc[layers.regions.index[0], "adcode"] = "x"
    layers.selection.measures.append(99)
    again = views.view_layers(ds, views.get_view("transport"))
    assert "x" not in set(again.regions["adcode"]) and 99 not in again.selection.measures
    # geometries are shared, not copied: the renderer caches their GeoJSON by identity
    assert again.regions.geometry.iloc[1] is layers.regions.geometry.iloc[1]
    summary = partners.partner_summary(ds)
    summary["links"] = 0
    assert partners.partner_summary(ds)["links"].sum() > 0


def test_a_dataset_copy_has_its_own_memo(ds):
    ds.memo(("test", "own"), lambda: 1)
    copy = dataclasses.replace(ds)
    assert copy.memo(("test", "own"), lambda: 2) == 2
    assert ds.memo(("test", "own"), lambda: 3) == 1
