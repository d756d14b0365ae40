"""The gazetteer: entries, matching, name collisions and errors."""

import shutil

import pytest

from geo.core import paths
from geo.core.errors import DataError
from geo.core.gazetteer import find_places, load_gazetteer
from geo.core.units import load_units


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(paths.DEFAULT_DATA_DIR)


def names(text, gazetteer, masks=()):
    return [(m.name, m.place.kind) for m in find_places(text, gazetteer, masks)]


def test_every_kind_is_present(gazetteer):
    kinds = {p.kind for p in gazetteer}
    assert kinds == {"province", "city", "county", "group", "feature", "foreign", "vague"}


def test_groups_resolve_to_their_members(gazetteer):
    by_name = {p.name: p for p in gazetteer}
    assert set(by_name["港澳"].adcodes) == {"810000", "820000"}
    assert len(by_name["泛珠三角区域"].adcodes) == 11
    assert by_name["赣南"].adcodes == ("360700",)
    assert set(by_name["浙皖闽赣"].adcodes) == {"330000", "340000", "350000", "360000"}
    assert {"360700", "360800", "361000", "441400", "350800"} <= set(
        by_name["赣闽粤原中央苏区"].adcodes
    )
    assert by_name["东江源"].adcodes == ("360734", "360726", "360728")
    assert by_name["东盟"].kind == "foreign" and by_name["东盟"].adcodes == ()


def test_range_versus_city_wuyishan(gazetteer):
    assert names("争取武夷山脉核心区域县", gazetteer) == [("武夷山脉", "feature")]
    assert names("到武夷山旅游", gazetteer) == [("武夷山", "county")]


def test_river_versus_new_area_ganjiang(gazetteer):
    assert names("赣江两岸", gazetteer) == [("赣江", "feature")]
    # 赣江新区 is a project: masked, so neither 赣江 nor anything inside it is a place.
    assert names("以赣江新区为先导", gazetteer, masks=["赣江新区"]) == []


def test_city_versus_customs_unit_nanchang(gazetteer):
    # Unit names are not searched (they are not in the measure text), but the city is found
    # in the text and a unit-like phrase does not produce a second, different place.
    assert names("支持南昌、景德镇等城市", gazetteer) == [("南昌", "city"), ("景德镇", "city")]
    units = load_units(paths.DEFAULT_DATA_DIR)
    customs = units[units["name_zh"] == "南昌海关"].iloc[0]
    assert customs["kind"] == "central_agency" and customs["adcode"] == ""
    nanchang_gov = units[units["name_zh"] == "南昌市政府"].iloc[0]
    assert nanchang_gov["adcode"] == "360100"


def test_names_inside_project_names_feed_the_project(gazetteer):
    text = "力争今年年内开工建设赣深客专、兴泉铁路,加强与深圳合作"
    assert names(text, gazetteer, masks=["赣深客专", "兴泉铁路"]) == [("深圳", "city")]
    text = "积极推进吉安至武夷山、长沙至赣州等铁路项目"
    assert names(text, gazetteer, masks=["吉安至武夷山", "长沙至赣州"]) == []


def test_longest_match_wins(gazetteer):
    assert names("赣港澳青少年交流", gazetteer) == [("赣港澳", "group")]
    assert names("赣闽粤原中央苏区的信息基础设施", gazetteer) == [("赣闽粤原中央苏区", "group")]
    assert names("东江源流域生态补偿", gazetteer) == [("东江源", "feature")]


def test_repeated_mentions_are_all_found(gazetteer):
    found = find_places("赣州至深圳、赣州至厦门", gazetteer)
    assert [(m.name, m.start) for m in found] == [
        ("赣州", 0),
        ("深圳", 3),
        ("赣州", 6),
        ("厦门", 9),
    ]


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ("港澳,group,810000;820000", "港澳,region,810000;820000", "unknown kind 'region'"),
        ("深圳,city,440300", "深圳,city,44030", "malformed adcode(s) 44030"),
        ("深圳,city,440300", "深圳,city,440300;440100", "needs exactly one adcode"),
        ("东盟,foreign,", "东盟,foreign,100000", "takes no adcodes"),
        ("赣南,group,360700", "赣南,group,", "needs the adcodes it covers"),
        ("厦门,city,350200", "深圳,city,350200", "duplicate name '深圳'"),
    ],
)
def test_bad_gazetteer_rows_name_file_and_row(tmp_path, old, new, words):
    src = paths.data_path(paths.GAZETTEER_FILE, paths.DEFAULT_DATA_DIR)
    text = src.read_text(encoding="utf-8")
    assert old in text
    line = next(i for i, row in enumerate(text.splitlines(), start=1) if row.startswith(old))
    (tmp_path / paths.GAZETTEER_FILE).write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_gazetteer(tmp_path)
    assert f"gazetteer.csv, row {line}:" in str(err.value)
    assert words in str(err.value)


def test_truncated_and_missing_column(tmp_path):
    src = paths.data_path(paths.GAZETTEER_FILE, paths.DEFAULT_DATA_DIR)
    text = src.read_text(encoding="utf-8")
    cut = text[: text.index("深圳,city") + len("深圳,city,44")]
    (tmp_path / "gazetteer.csv").write_text(cut, encoding="utf-8")
    with pytest.raises(DataError, match=r"gazetteer.csv, row \d+: 3 fields where the header has 9"):
        load_gazetteer(tmp_path)
    (tmp_path / "gazetteer.csv").write_text(text.replace("adcodes", "codes", 1), encoding="utf-8")
    with pytest.raises(DataError, match=r"missing column\(s\) adcodes"):
        load_gazetteer(tmp_path)


def test_failed_load_changes_nothing(tmp_path):
    src = paths.data_path(paths.GAZETTEER_FILE, paths.DEFAULT_DATA_DIR)
    shutil.copy(src, tmp_path / "gazetteer.csv")
    broken = src.read_bytes().replace(b"feature", b"featur", 1)
    (tmp_path / "gazetteer.csv").write_bytes(broken)
    with pytest.raises(DataError):
        load_gazetteer(tmp_path)
    assert (tmp_path / "gazetteer.csv").read_bytes() == broken
