"""Tests of the project catalogue: the real files, tiny in-memory data, and bad input files."""

from __future__ import annotations

import csv
import hashlib
import io
import math
import shutil
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
import shapely
from geopandas.testing import assert_geodataframe_equal
from shapely.geometry import LineString, MultiPoint, Point, box

from geo.core import paths
from geo.core.catalogue import (
    CRS,
    KINDS,
    PROJECT_COLUMNS,
    STATUSES,
    WAYPOINT_COLUMNS,
    load_projects,
    load_waypoints,
)
from geo.core.errors import DataError
from geo.core.plan import load_plan
from geo.core.project_geometry import project_lengths_km, project_regions, project_regions_list

DATA = paths.DEFAULT_DATA_DIR
PROJECTS_CSV = DATA / paths.PROJECTS_FILE
WAYPOINTS_CSV = DATA / paths.WAYPOINTS_FILE

# The measures whose projects, routes, zones and parks the catalogue must cover (the issue).
CATALOGUE_MEASURES = {2, 3, 7, 8, 9, 16, 17, 18, 23}

# Measure 七's 14 railway and expressway projects: id -> (kind, the plan's stage words).
MEASURE_7_TRANSPORT = {
    "ganshen_hsr": ("high_speed_rail", "开工建设"),
    "anjiu_hsr": ("high_speed_rail", "开工建设"),
    "xingquan_rail": ("railway", "开工建设"),
    "ruimei_rail": ("railway", "开展前期工作"),
    "wujiu_pdl": ("high_speed_rail", "加快建设"),
    "jiujingqu_rail": ("railway", "加快建设"),
    "haoji_rail": ("railway", "加快建设"),
    "changjinghuang_hsr": ("high_speed_rail", "积极推进"),
    "jiwu_rail": ("railway", "积极推进"),
    "xingyongchengan_rail": ("railway", "积极推进"),
    "changgan_hsr": ("high_speed_rail", "积极推进"),
    "changyuejiu_rail": ("railway", "积极推进"),
    "ningdu_longchuan_expy": ("expressway", "加快推进建设"),
    "xiuping_expy": ("expressway", "加快推进建设"),
}


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def real_regions() -> dict[str, gpd.GeoDataFrame]:
    from geo.core.boundaries import load_regions

    return {level: load_regions(level) for level in ("province", "city", "county")}


@pytest.fixture(scope="module")
def catalogue(real_regions) -> gpd.GeoDataFrame:
    return load_projects(regions=real_regions)


@pytest.fixture(scope="module")
def by_id(catalogue) -> dict[str, dict]:
    return {row["id"]: row for row in catalogue.to_dict("records")}


@pytest.fixture(scope="module")
def plan():
    return load_plan(DATA / paths.PLAN_FILE)


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _write_rows(path: Path, rows: list[dict[str, str]], columns) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _pieces_in_order(stage: str, quote: str, max_pieces: int = 3, min_len: int = 2) -> bool:
    """True if ``stage`` is at most ``max_pieces`` verbatim runs of ``quote``, in order.

    The plan often splits its stage words around the project names ("开展瑞金至梅州铁路前期工作"
    gives 开展 + 前期工作); each run must be at least ``min_len`` characters.
    """
    if stage in quote:
        return True
    if max_pieces == 1:
        return False
    for cut in range(min_len, len(stage) - min_len + 1):
        head = stage[:cut]
        at = quote.find(head)
        while at >= 0:
            if _pieces_in_order(stage[cut:], quote[at + cut :], max_pieces - 1, min_len):
                return True
            at = quote.find(head, at + 1)
    return False


# --------------------------------------------------------------------------- the real files


def test_catalogue_rows_and_ids(catalogue):
    assert len(catalogue) >= 38
    assert catalogue["id"].is_unique
    assert catalogue.crs == CRS
    assert list(catalogue.columns[: len(PROJECT_COLUMNS)]) == list(PROJECT_COLUMNS)
    assert set(catalogue["kind"]) <= set(KINDS)
    assert set(catalogue["status"]) <= set(STATUSES)


def test_catalogue_covers_the_measures(catalogue):
    named = {m for ms in catalogue["measures"] for m in ms}
    assert named == CATALOGUE_MEASURES
    names = set(catalogue["name_plan"])
    for required in ("赣江新区", "南昌综合保税区", "赣州黄金机场改扩建工程"):
        assert required in names
    kinds_of = catalogue.groupby("kind")["id"].agg(set)
    assert len(kinds_of["gas_pipeline"]) + len(kinds_of["power_line"]) == 3  # measure 八
    assert kinds_of["freight_route"] == {
        "gan_ou_ya_rail_freight",
        "ganzhou_shenzhen_sea_rail",
        "ganzhou_xiamen_sea_rail",
        "xinyu_ningbo_sea_rail",
    }


def test_measure_7_transport_projects(by_id):
    for pid, (kind, stage) in MEASURE_7_TRANSPORT.items():
        row = by_id[pid]
        assert 7 in row["measures"], pid
        assert (row["kind"], row["plan_stage"]) == (kind, stage), pid
        assert row["geometry_kind"] == "line", pid


def test_plan_names_stages_and_quotes_are_in_the_text(catalogue, plan):
    for row in catalogue.to_dict("records"):
        stages = row["plan_stage"].split(";")
        quotes = row["plan_quote"].split(";")
        for number, stage, quote in zip(row["measures"], stages, quotes, strict=True):
            text = plan.measure(number).text
            assert row["name_plan"] in text, (row["id"], number)
            assert quote in text, (row["id"], number, quote)
            assert row["name_plan"] in quote, row["id"]
            assert _pieces_in_order(stage, quote), (row["id"], stage, quote)


def test_stage_spot_checks_against_the_text(by_id, plan):
    text7 = plan.measure(7).text
    assert "力争今年年内开工建设赣深客专" in text7
    assert by_id["ganshen_hsr"]["plan_quote"].startswith("力争今年年内开工建设")
    assert "开展瑞金至梅州铁路前期工作" in text7
    assert "加快武九客专、九景衢铁路、蒙华铁路煤运通道等项目建设" in text7
    assert "积极推进南昌至景德镇至黄山" in text7
    assert by_id["ganjiang_new_area"]["measures"] == (7, 17)
    assert by_id["ganjiang_new_area"]["plan_stage"] == "规划建设;为先导"
    assert by_id["sinopec_xinjiang_cng_pipeline"]["plan_stage"] == "开工建设"
    assert by_id["wegp_jiangxi"]["plan_stage"] == "加快建成"


def test_unknown_stays_unknown(catalogue, by_id):
    for pid in ("xinyu_ningbo_sea_rail", "jian_shenzhen_park"):
        row = by_id[pid]
        assert row["status"] == "unknown"
        assert row["status_date"] == "" and row["opened_date"] == ""
    unknown = catalogue[catalogue["status"] == "unknown"]
    assert (unknown["status_date"] == "").all() and (unknown["opened_date"] == "").all()
    # The facts' own word "unknown" is never turned into something known.
    said_unknown = catalogue[catalogue["status_detail"] == "unknown"]
    assert (said_unknown["status"] == "unknown").all()
    assert len(said_unknown) >= 6


def test_status_carries_source_and_confidence(catalogue, by_id):
    for row in catalogue.to_dict("records"):
        assert row["confidence"] in ("high", "medium", "low", "unknown")
        if row["confidence"] != "unknown":
            assert row["status_source"], row["id"]
        if row["opened_date"]:
            assert row["status"] in ("open", "operating", "completed")
            assert row["opened_date"] == row["status_date"]
    ganshen = by_id["ganshen_hsr"]
    assert (ganshen["status"], ganshen["opened_date"], ganshen["confidence"]) == (
        "open",
        "2021-12-10",
        "high",
    )
    # A relaunch or a planned date is not an opening.
    assert by_id["ganzhou_xiamen_sea_rail"]["opened_date"] == ""
    assert by_id["nanchang_cbz"]["opened_date"] == ""
    assert by_id["baihetan_to_jiangxi"]["status"] == "not_built"


def test_waypoints_keep_unknown_coordinates_empty():
    rows = _read_rows(WAYPOINTS_CSV)
    tianxin = [r for r in rows if r["project_id"] == "ruimei_rail" and r["name"] == "天心站"]
    assert len(tianxin) == 1 and tianxin[0]["lat"] == "" and tianxin[0]["lon"] == ""
    wp = load_waypoints()
    assert list(wp.columns[: len(WAYPOINT_COLUMNS)]) == list(WAYPOINT_COLUMNS)
    assert wp.geometry.isna().sum() == sum(1 for r in rows if not r["lat"])


def test_geometries_follow_geometry_kind(catalogue, by_id):
    expected = {
        "line": {"LineString"},
        "point": {"Point", "MultiPoint"},
        "area": {"Polygon", "MultiPolygon"},
    }
    for row in catalogue.to_dict("records"):
        geom = row["geometry"]
        if row["geometry_kind"] == "none":
            assert geom is None and row["unmapped_reason"], row["id"]
        else:
            assert geom.geom_type in expected[row["geometry_kind"]], row["id"]
            assert geom.is_valid and row["precision"], row["id"]
    # The line runs through the located waypoints in order, ending where the route ends.
    ganshen = by_id["ganshen_hsr"]["geometry"]
    assert ganshen.coords[0] == (114.935, 25.831)
    assert ganshen.coords[-1] == (114.029, 22.609)


# Derived lengths run straight between town centres, so they differ from the reported route
# lengths: shorter where the line curves, longer where the stations sit off the town centres
# and the straight legs zigzag (九景衢: 都昌→鄱阳→景德镇; 昌景黄: 进贤北 is north of 进贤).
# Routes whose reported figure measures something other than the line drawn (the length note
# says so): a freight service's rail distance, a pipeline phase drawn with its whole route.
LENGTH_NOT_COMPARABLE = {
    "sinopec_xinjiang_cng_pipeline": "830 km is the phase-1 trunk 潜江—韶关; the drawing is whole",
    "gan_ou_ya_rail_freight": "a train service over 6,370 km of track, drawn through its nodes",
}
ROADS_AND_RAILWAYS = ("high_speed_rail", "railway", "expressway")


def test_derived_lengths_are_near_the_official_ones(catalogue):
    """Issue 11: every railway and expressway with an official length is drawn within ±15%."""
    lengths = project_lengths_km(catalogue)
    checked = []
    for row, derived in zip(catalogue.to_dict("records"), lengths, strict=True):
        reported = row["reported_length_km"]
        if math.isnan(derived) or math.isnan(reported) or row["id"] in LENGTH_NOT_COMPARABLE:
            continue
        if row["kind"] in ROADS_AND_RAILWAYS:
            assert abs(derived / reported - 1) <= 0.15, (row["id"], derived, reported)
            checked.append(row["id"])
    assert len(checked) >= 9, checked
    assert (lengths.notna() == (catalogue.geom_type == "LineString")).all()
    pd.testing.assert_series_equal(catalogue["length_km"], lengths)


def test_crossings(catalogue, real_regions):
    crossed = project_regions(catalogue, real_regions)
    regions_of = crossed.groupby("project_id")["adcode"].agg(set)
    assert {"360000", "440000", "360700", "440300"} <= regions_of["ganshen_hsr"]
    assert "350000" in regions_of["xingquan_rail"]
    assert set(crossed["level"]) == {"province", "city", "county"}
    assert not crossed.duplicated(["project_id", "level", "adcode"]).any()
    # 东莞 has no counties: the boundaries list it at city and county level, the list once.
    dongguan = crossed[(crossed["project_id"] == "ganshen_hsr") & (crossed["adcode"] == "441900")]
    assert set(dongguan["level"]) == {"city", "county"}
    lists = project_regions_list(catalogue, real_regions)
    assert lists.map(lambda codes: len(codes) == len(set(codes))).all()
    assert lists.tolist() == catalogue["regions"].tolist()
    # Regions a project crosses nest: each county's city and each city's province is there too.
    # One hierarchy: crossings are joined at county level and rolled up, so every counted
    # crossing's parent is counted too (白鹤滩, a point on the 川滇 border river, included).
    for level, parent in (("county", "city_adcode"), ("city", "province_adcode")):
        frame = real_regions[level].set_index("adcode")
        rows = crossed[(crossed["level"] == level) & ~crossed["indicative"].astype(bool)]
        for row in rows.itertuples():
            assert frame.at[row.adcode, parent] in set(
                lists[catalogue["id"] == row.project_id].item()
            )


def test_ganjiang_new_area_covers_its_four_districts(by_id, real_regions):
    districts = {"360111", "360112", "360425", "360482"}
    counties = real_regions["county"].set_index("adcode")
    assert districts <= set(counties.index)
    assert set(counties.loc[sorted(districts), "name_zh"]) == {
        "青山湖区",
        "新建区",
        "永修县",
        "共青城市",
    }
    row = by_id["ganjiang_new_area"]
    area = row["geometry"]
    for code in districts:
        assert area.covers(counties.at[code, "geometry"])
    crossed = set(row["regions"])
    assert crossed & set(counties.index) == districts  # not the neighbours it only touches
    assert {"360000", "360100", "360400"} <= crossed


def test_unmapped_projects_say_why(catalogue):
    unmapped = catalogue[catalogue["geometry_kind"] == "none"]
    assert set(unmapped["id"]) >= {"china_asean_fta_upgrade"}
    assert unmapped["unmapped_reason"].str.len().gt(10).all()
    assert unmapped["regions"].map(len).eq(0).all()


# --------------------------------------------------------------------------- tiny data


def _project(pid: str, geometry_kind: str = "line", **extra: str) -> dict[str, str]:
    row = dict.fromkeys(PROJECT_COLUMNS, "")
    row.update(
        id=pid,
        name_plan="甲乙铁路",
        label_zh="甲乙铁路",
        name_zh="甲乙铁路",
        kind="railway",
        measures="7",
        plan_stage="开工建设",
        plan_quote="开工建设甲乙铁路",
        status="open",
        status_date="2020-01-02",
        opened_date="2020-01-02",
        status_source="test",
        confidence="high",
        geometry_kind=geometry_kind,
        precision="test precision",
    )
    row.update(extra)
    return row


def _waypoint(pid: str, seq: int, lat, lon, **extra) -> dict[str, str]:
    row = dict.fromkeys(WAYPOINT_COLUMNS, "")
    row.update(
        project_id=pid,
        seq=str(seq),
        name=f"{pid}-{seq}",
        coord_basis="test",
        coord_confidence="medium",
        lat="" if lat is None else str(lat),
        lon="" if lon is None else str(lon),
    )
    row.update(extra)
    return row


@pytest.fixture()
def tiny_regions() -> dict[str, gpd.GeoDataFrame]:
    """Two provinces side by side, each one city, each city two counties."""

    def frame(rows):
        return gpd.GeoDataFrame(
            [{"adcode": a, "name_zh": n} for a, n, _ in rows],
            geometry=[g for _, _, g in rows],
            crs=CRS,
        )

    return {
        "province": frame(
            [("100000", "西省", box(0, 0, 2, 2)), ("200000", "东省", box(2, 0, 4, 2))]
        ),
        "city": frame([("100100", "西市", box(0, 0, 2, 2)), ("200100", "东市", box(2, 0, 4, 2))]),
        "county": frame(
            [
                ("100101", "西一县", box(0, 0, 1, 2)),
                ("100102", "西二县", box(1, 0, 2, 2)),
                ("200101", "东一县", box(2, 0, 3, 2)),
                ("200102", "东二县", box(3, 0, 4, 2)),
            ]
        ),
    }


@pytest.fixture()
def tiny_root(tmp_path: Path) -> Path:
    projects = [
        _project("line_a"),
        _project("site_b", "point", kind="airport"),
        _project("multi_c", "point", kind="industrial_park"),
        _project("zone_d", "area", kind="new_area", area_adcodes="100101;100102"),
        _project(
            "policy_e",
            "none",
            kind="trade_policy",
            status="signed",
            opened_date="",
            precision="",
            unmapped_reason="a policy, not a place",
        ),
        _project(
            "unknown_f",
            "none",
            status="unknown",
            status_date="",
            opened_date="",
            confidence="low",
            unmapped_reason="no location known",
        ),
    ]
    waypoints = [
        # Out of order in the file on purpose: the line follows seq.
        _waypoint("line_a", 3, 1.5, 3.5),
        _waypoint("line_a", 1, 1.5, 0.5),
        _waypoint("line_a", 2, None, None),
        _waypoint("line_a", 4, 1.5, 3.9),
        _waypoint("site_b", 1, 0.5, 2.5),
        _waypoint("multi_c", 1, 0.5, 0.5),
        _waypoint("multi_c", 2, 0.5, 3.5),
        _waypoint("zone_d", 1, 1.0, 1.0),
    ]
    _write_rows(tmp_path / paths.PROJECTS_FILE, projects, PROJECT_COLUMNS)
    _write_rows(tmp_path / paths.WAYPOINTS_FILE, waypoints, WAYPOINT_COLUMNS)
    return tmp_path


def test_tiny_geometries(tiny_root, tiny_regions):
    gdf = load_projects(tiny_root, regions=tiny_regions)
    geoms = dict(zip(gdf["id"], gdf.geometry, strict=True))
    assert geoms["line_a"].equals(LineString([(0.5, 1.5), (3.5, 1.5), (3.9, 1.5)]))
    assert geoms["site_b"].equals(Point(2.5, 0.5))
    assert geoms["multi_c"].equals(MultiPoint([(0.5, 0.5), (3.5, 0.5)]))
    assert shapely.normalize(geoms["zone_d"]).equals(shapely.normalize(box(0, 0, 2, 2)))
    assert geoms["policy_e"] is None and geoms["unknown_f"] is None
    assert gdf.crs == CRS
    assert gdf.loc[gdf["id"] == "zone_d", "area_adcodes"].item() == ("100101", "100102")
    assert gdf.loc[gdf["id"] == "line_a", "measures"].item() == (7,)
    assert gdf["_line"].tolist() == [2, 3, 4, 5, 6, 7]


def test_tiny_lengths(tiny_root, tiny_regions):
    gdf = load_projects(tiny_root, regions=tiny_regions)
    lengths = project_lengths_km(gdf)
    # 3.4 degrees of longitude at latitude 1.5 on WGS84 is about 378.3 km.
    assert lengths.iloc[0] == pytest.approx(378.3, abs=0.5)
    assert lengths.iloc[1:].isna().all()
    equator = gpd.GeoDataFrame(geometry=[LineString([(0, 0), (1, 0)])], crs=CRS)
    assert project_lengths_km(equator).item() == pytest.approx(111.319, abs=0.001)
    with pytest.raises(ValueError, match="EPSG:4326"):
        project_lengths_km(equator.to_crs(3857))


def test_tiny_regions_crossed(tiny_root, tiny_regions):
    gdf = load_projects(tiny_root, regions=tiny_regions)
    before = gdf.copy()
    crossed = project_regions(gdf, tiny_regions)
    assert list(crossed.columns) == ["project_id", "level", "adcode", "name_zh", "indicative"]
    got = crossed.groupby("project_id")["adcode"].agg(list).to_dict()
    assert got["line_a"] == [
        "100000",
        "200000",
        "100100",
        "200100",
        "100101",
        "100102",
        "200101",
        "200102",
    ]
    assert got["site_b"] == ["200000", "200100", "200101"]
    assert got["multi_c"] == ["100000", "200000", "100100", "200100", "100101", "200102"]
    # The area touches 东省 along x = 2 but does not cross it.
    assert got["zone_d"] == ["100000", "100100", "100101", "100102"]
    assert "policy_e" not in got
    lists = project_regions_list(gdf, tiny_regions)
    assert lists.tolist() == gdf["regions"].tolist()
    assert lists[gdf["id"] == "policy_e"].item() == []
    assert_geodataframe_equal(gdf, before)  # inputs not mutated


def test_project_regions_checks_crs_and_keys(tiny_root, tiny_regions):
    gdf = load_projects(tiny_root, regions=tiny_regions)
    with pytest.raises(ValueError, match="CRS mismatch"):
        project_regions(gdf, {"county": tiny_regions["county"].to_crs(3857)})
    twice = pd.concat([tiny_regions["city"], tiny_regions["city"]], ignore_index=True)
    with pytest.raises(ValueError, match="repeat adcode"):
        project_regions(gdf, {"city": twice})
    with pytest.raises(ValueError, match="unknown level"):
        project_regions(gdf, {"town": tiny_regions["city"]})


def test_waypoints_table(tiny_root):
    wp = load_waypoints(tiny_root)
    line = wp[wp["project_id"] == "line_a"]
    assert line["seq"].tolist() == [1, 2, 3, 4]
    assert line.geometry.isna().tolist() == [False, True, False, False]
    assert math.isnan(line["lat"].iloc[1])


# --------------------------------------------------------------------------- bad files


@pytest.fixture()
def real_copy(tmp_path: Path) -> Path:
    shutil.copy(PROJECTS_CSV, tmp_path / paths.PROJECTS_FILE)
    shutil.copy(WAYPOINTS_CSV, tmp_path / paths.WAYPOINTS_FILE)
    return tmp_path


@pytest.fixture()
def fake_regions() -> dict[str, gpd.GeoDataFrame]:
    """Stand-in county boundaries for the four districts of 赣江新区 (shapes do not matter)."""
    codes = ["360111", "360112", "360425", "360482"]
    return {
        "county": gpd.GeoDataFrame(
            {"adcode": codes}, geometry=[box(115 + i, 28, 116 + i, 29) for i in range(4)], crs=CRS
        )
    }


def _digest(root: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(root.glob("*.csv"))}


def _expect_error(root: Path, regions, file_name: str, row: int | None, match: str) -> str:
    before = _digest(root)
    with pytest.raises(DataError) as info:
        load_projects(root, regions=regions)
    message = str(info.value)
    assert str(root / file_name) in message, message
    if row is not None:
        assert f"row {row}:" in message, message
    assert match in message, message
    assert _digest(root) == before  # the input files are left byte-identical
    return message


def test_real_copy_loads(real_copy, fake_regions):
    assert len(load_projects(real_copy, regions=fake_regions)) >= 38


def test_error_truncated_projects(real_copy, fake_regions):
    path = real_copy / paths.PROJECTS_FILE
    text = path.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    cut = "".join(lines[:10]) + lines[10][: len(lines[10]) // 3]  # stops inside row 11
    path.write_text(cut, encoding="utf-8")
    _expect_error(real_copy, fake_regions, paths.PROJECTS_FILE, 11, "fields")


def test_error_truncated_waypoints(real_copy, fake_regions):
    path = real_copy / paths.WAYPOINTS_FILE
    data = path.read_bytes()
    # Cut mid-row, on a character boundary (a cut inside a UTF-8 sequence is reported by
    # geo.core.tables as "not UTF-8", naming the file and byte).
    text = data[: len(data) // 2].decode("utf-8", errors="ignore")
    path.write_text(text, encoding="utf-8")
    cut_rows = text.count("\n") + 1
    _expect_error(real_copy, fake_regions, paths.WAYPOINTS_FILE, cut_rows, "fields")
    inside_char = next(i for i in range(len(data) // 2, len(data)) if 0x80 <= data[i] < 0xC0)
    path.write_bytes(data[:inside_char])
    _expect_error(real_copy, fake_regions, paths.WAYPOINTS_FILE, None, "UTF-8")


def test_error_missing_column(real_copy, fake_regions):
    path = real_copy / paths.PROJECTS_FILE
    rows = _read_rows(path)
    columns = [c for c in PROJECT_COLUMNS if c != "status"]
    _write_rows(path, [{c: r[c] for c in columns} for r in rows], columns)
    _expect_error(real_copy, fake_regions, paths.PROJECTS_FILE, None, "missing column(s) status")


def test_error_duplicate_id(real_copy, fake_regions):
    path = real_copy / paths.PROJECTS_FILE
    rows = _read_rows(path)
    rows[3]["id"] = rows[0]["id"]  # data row 4 = spreadsheet row 5
    _write_rows(path, rows, PROJECT_COLUMNS)
    _expect_error(real_copy, fake_regions, paths.PROJECTS_FILE, 5, "duplicate id 'ganshen_hsr'")


def test_error_unknown_adcode(real_copy, fake_regions):
    path = real_copy / paths.PROJECTS_FILE
    rows = _read_rows(path)
    i = next(i for i, r in enumerate(rows) if r["id"] == "ganjiang_new_area")
    rows[i]["area_adcodes"] = "360111;369999"
    _write_rows(path, rows, PROJECT_COLUMNS)
    _expect_error(real_copy, fake_regions, paths.PROJECTS_FILE, i + 2, "369999")


def test_error_waypoint_of_unknown_project(real_copy, fake_regions):
    path = real_copy / paths.WAYPOINTS_FILE
    rows = _read_rows(path)
    rows[6]["project_id"] = "no_such_project"
    _write_rows(path, rows, WAYPOINT_COLUMNS)
    _expect_error(real_copy, fake_regions, paths.WAYPOINTS_FILE, 8, "'no_such_project'")


@pytest.mark.parametrize("bad", ["29", "0", "seven", "7;7"])
def test_error_bad_measure_number(real_copy, fake_regions, bad):
    path = real_copy / paths.PROJECTS_FILE
    rows = _read_rows(path)
    rows[2]["measures"] = bad
    _write_rows(path, rows, PROJECT_COLUMNS)
    _expect_error(real_copy, fake_regions, paths.PROJECTS_FILE, 4, "measure")


@pytest.mark.parametrize(("col", "value"), [("lat", "95.2"), ("lon", "-181"), ("lat", "north")])
def test_error_coordinate_out_of_range(real_copy, fake_regions, col, value):
    path = real_copy / paths.WAYPOINTS_FILE
    rows = _read_rows(path)
    rows[19][col] = value
    _write_rows(path, rows, WAYPOINT_COLUMNS)
    _expect_error(real_copy, fake_regions, paths.WAYPOINTS_FILE, 21, value)


@pytest.mark.parametrize(
    ("col", "value", "match"),
    [
        ("status", "finished", "status 'finished'"),
        ("kind", "canal", "kind 'canal'"),
        ("status_date", "2021-13-01", "status_date"),
        ("opened_date", "2020-01-01", "opened_date"),
        ("geometry_kind", "none", "unmapped_reason"),
    ],
)
def test_error_bad_values(real_copy, fake_regions, col, value, match):
    path = real_copy / paths.PROJECTS_FILE
    rows = _read_rows(path)
    i = next(i for i, r in enumerate(rows) if r["id"] == "ruimei_rail")
    rows[i][col] = value
    _write_rows(path, rows, PROJECT_COLUMNS)
    _expect_error(real_copy, fake_regions, paths.PROJECTS_FILE, i + 2, match)


def test_error_unknown_status_with_a_date(real_copy, fake_regions):
    path = real_copy / paths.PROJECTS_FILE
    rows = _read_rows(path)
    i = next(i for i, r in enumerate(rows) if r["id"] == "xinyu_ningbo_sea_rail")
    rows[i]["status_date"] = "2017-04-05"
    _write_rows(path, rows, PROJECT_COLUMNS)
    _expect_error(real_copy, fake_regions, paths.PROJECTS_FILE, i + 2, "unknown")


def test_error_line_without_enough_waypoints(real_copy, fake_regions):
    path = real_copy / paths.WAYPOINTS_FILE
    rows = [r for r in _read_rows(path) if r["project_id"] != "xiuping_expy" or r["seq"] == "1"]
    _write_rows(path, rows, WAYPOINT_COLUMNS)
    projects = _read_rows(real_copy / paths.PROJECTS_FILE)
    i = next(i for i, r in enumerate(projects) if r["id"] == "xiuping_expy")
    _expect_error(real_copy, fake_regions, paths.PROJECTS_FILE, i + 2, "at least 2")


def test_error_missing_file(tmp_path, fake_regions):
    with pytest.raises(DataError, match=r"projects\.csv: file not found"):
        load_projects(tmp_path, regions=fake_regions)


def test_csv_is_plain_utf8():
    for path in (PROJECTS_CSV, WAYPOINTS_CSV):
        raw = path.read_bytes()
        assert not raw.startswith(b"\xef\xbb\xbf")
        header = next(csv.reader(io.StringIO(raw.decode("utf-8"))))
        assert header == list(PROJECT_COLUMNS if path == PROJECTS_CSV else WAYPOINT_COLUMNS)
