"""Unit tests of geo.present.project_view, geo.present.region_view and the project map layer and
legend, on the real dataset and on small in-memory frames."""

from __future__ import annotations

from datetime import date

import folium
import geopandas as gpd
import pytest
from shapely.geometry import LineString, MultiPoint, Point, box

from geo.analysis import filters, hierarchy
from geo.app import ui
from geo.present import labels, project_view, region_view
from geo.render import maps

# --- project_view --------------------------------------------------------------------------


def test_year_range_runs_from_the_plan_to_this_year():
    assert project_view.year_range(date(2026, 11, 26)) == range(2016, 2027)
    assert project_view.year_range(date(2030, 1, 1))[-1] == 2030
    assert project_view.year_range(date(2010, 1, 1)) == range(2016, 2017)


def test_list_parser_accepts_known_items_only():
    parse = ui.parse_list(["open", "planned"])
    assert parse("open,planned,open") == ["open", "planned"]
    assert parse(" planned ") == ["planned"]
    for junk in ("open,spaceship", "", ",", "<b>open</b>"):
        with pytest.raises(ValueError):
            parse(junk)
    numbers = ui.parse_list([7, 16], int)
    assert numbers("16,7") == [16, 7]
    with pytest.raises(ValueError):
        numbers("seven")
    assert ui.dump_list([7, 16]) == "7,16" and ui.dump_list([]) is None


@pytest.mark.parametrize(
    ("raw", "value"), [("1", True), ("true", True), ("0", False), ("FALSE", False)]
)
def test_parse_flag(raw, value):
    assert ui.parse_flag(raw) is value


def test_parse_flag_rejects_junk():
    with pytest.raises(ValueError):
        ui.parse_flag("maybe")


def test_region_filter_options_are_provinces_and_what_projects_cross(ds):
    options = project_view.region_filter_options(ds)
    assert options == sorted(options)
    assert set(ds.regions["province"]["adcode"]) <= set(options)
    assert {"360700", "440300", "360732"} <= set(options)  # 赣州, 深圳 (赣深客专), 兴国 (兴泉)
    assert "110101" not in options  # a Beijing district no project crosses
    labels = project_view.region_filter_labels(ds, "en")
    assert labels["360732"] == "Jiangxi › Ganzhou › Xingguo"


def test_measure_kind_and_status_options(ds):
    assert project_view.measure_options(ds) == [2, 3, 7, 8, 9, 16, 17, 18, 23]
    assert project_view.kind_options(ds)[0] == "railway"
    assert set(project_view.status_options(ds)) == set(ds.projects["status"])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_projects_table_and_unmapped_table_cover_every_project(ds, lang):
    listed = project_view.projects_table(ds, ds.projects, lang)
    unmapped = project_view.unmapped_table(ds, ds.projects, lang)
    assert len(listed) == 38 and len(unmapped) == 4
    on_map = listed.iloc[:, -1]
    assert (on_map == ("否" if lang == "zh" else "no")).sum() == len(unmapped)
    assert unmapped.iloc[:, -1].str.len().min() > 10  # each with its reason
    row = listed.iloc[0]
    assert row.iloc[0] == ("赣深客专" if lang == "zh" else "Ganzhou–Shenzhen high-speed railway")
    assert row.iloc[5] == ("(七)" if lang == "zh" else "7")
    # reported length as the source gives it, derived length rounded, both with separators
    assert (
        row.iloc[6] == "436.37"
        and row.iloc[7] == f"{ds.projects.set_index('id').at['ganshen_hsr', 'length_km']:,.0f}"
    )


def test_project_names_use_the_chinese_label(ds):
    names = labels.project_names(ds, "zh")
    assert names["ganzhou_xiamen_sea_rail"] == "赣州至厦门铁海联运班列"  # not just 赣州至厦门
    assert list(names) == list(ds.projects["id"])


def test_project_detail_lists_fields_waypoints_measures_regions(ds):
    detail = project_view.project_detail(ds, "ruimei_rail", "en")
    fields = dict(zip(detail["fields"]["Field"], detail["fields"]["Value"], strict=True))
    assert fields["ID"] == "ruimei_rail" and fields["Status"] == "Under construction"
    assert "天心" in fields["Location precision"]
    assert "Why not mapped" not in fields  # empty fields are left out
    waypoints = detail["waypoints"]
    assert "no coordinates (left out)" in set(waypoints["Coordinates (lat, lon)"])
    assert detail["measures"].values.tolist() == [
        ["7", "An integrated multi-modal transport system"]
    ]
    assert detail["regions"]["province"] == ["Jiangxi", "Guangdong"]
    assert "Meizhou" in detail["regions"]["city"]
    with pytest.raises(KeyError):
        project_view.project_detail(ds, "no_such_project", "en")


def test_unmapped_project_detail_says_why(ds):
    detail = project_view.project_detail(ds, "ganggang_park", "zh")
    fields = dict(zip(detail["fields"]["字段"], detail["fields"]["内容"], strict=True))
    assert fields["未上图原因"].startswith("位置不详")  # the Chinese interface is Chinese
    english = project_view.project_detail(ds, "ganggang_park", "en")["fields"]
    assert dict(zip(english["Field"], english["Value"], strict=True))["Why not mapped"].startswith(
        "No location known"
    )
    assert detail["waypoints"].empty
    assert detail["regions"] == {"province": [], "city": [], "county": []}


# --- filters: the year -----------------------------------------------------------------------


def test_open_projects_without_an_opening_date_count_from_their_status_date(ds):
    years = filters.opened_year(ds)
    assert years["ganzhou_xiamen_sea_rail"] == 2018  # operating, first runs undated
    assert years["wujiu_pdl"] == 2017
    assert years.isna().sum() == 24  # not open today: never counted as open
    assert "ganzhou_xiamen_sea_rail" in filters.not_open_in(ds, 2017)
    assert "ganzhou_xiamen_sea_rail" not in filters.not_open_in(ds, 2018)


# --- region_view ---------------------------------------------------------------------------


def test_region_path_and_children(ds):
    assert hierarchy.region_path(ds, "360732") == ["360000", "360700", "360732"]
    assert hierarchy.region_path(ds, "810001") == ["810000", "810001"]  # 香港: no cities
    assert hierarchy.region_path(ds, "360000") == ["360000"]
    with pytest.raises(KeyError):
        hierarchy.region_path(ds, "999999")
    assert len(region_view.child_codes(ds, "360000")) == 11
    assert len(region_view.child_codes(ds, "810000")) == 18
    assert region_view.child_codes(ds, "441900") == []  # 东莞: no counties
    assert labels.region_path_label(ds, "360732", "zh") == "江西省 › 赣州市 › 兴国县"
    assert region_view.province_options(ds)[:2] == ["350000", "360000"]
    assert len(region_view.province_options(ds)) == 34


def test_region_layers_show_the_next_level_down_or_the_siblings(ds):
    province = region_view.region_layers(ds, "360000")
    assert len(province.clickable) == 11 and province.selected is None
    assert set(province.clickable["level"]) == {"city"}
    assert "440000" in set(province.context["adcode"])
    county = region_view.region_layers(ds, "360732")
    assert county.selected == "360732"
    assert len(county.clickable) == 18 and set(county.clickable["level"]) == {"county"}
    assert len(county.context) == 11  # Jiangxi's cities, grey
    dongguan = region_view.region_layers(ds, "441900")
    assert dongguan.selected == "441900" and "440300" in set(dongguan.clickable["adcode"])
    for layers in (province, county, dongguan):
        assert layers.clickable.crs.to_string() == "EPSG:4326"


def test_region_bounds_hold_the_region_and_room_for_the_legend(ds):
    layers = region_view.region_layers(ds, "360700")
    (south, west), (north, east) = region_view.region_bounds(layers)
    minx, miny, maxx, maxy = layers.focus.total_bounds
    assert south < miny and west <= minx and north >= maxy
    assert east > maxx + (maxx - minx) * 0.3


def links_of(links, measure, link):
    rows = links[(links["measure"] == measure) & (links["link"] == link)]
    return {
        (via, how, where)
        for via, how, where in zip(rows["via"], rows["how"], rows["where"], strict=True)
    }


def test_measure_links_say_how_precisely_a_measure_touches_ganzhou(ds):
    links = region_view.measure_links(ds, "360700")
    assert links_of(links, 20, "text") == {("赣州", "named", ("360700",))}
    assert ("南岭", "feature", ("360700",)) in links_of(links, 21, "text")
    assert ("赣闽粤原中央苏区", "group", ("360700",)) in links_of(links, 9, "text")
    assert links_of(links, 19, "text") == {("东江", "inside", ("360726", "360728", "360734"))}
    assert links_of(links, 2, "unit") == {("赣州市政府", "own_unit", ("360700",))}
    assert ("ganshen_hsr", "crosses", ("360700",)) in links_of(links, 7, "project")
    assert links_of(links, 6, "text") == {("我省", "larger", ("360000",))}
    larger = set(links.loc[links["how"] == "larger", "measure"])
    assert not larger & set(region_view.touching_measures(links))
    assert region_view.touching_measures(links) == [2, 3, 7, 8, 9, 14, 16, 18, 19, 20, 21, 22]


def test_measure_links_of_a_province_never_push_down(ds):
    links = region_view.measure_links(ds, "360000")
    assert links[links["how"] == "larger"].empty  # nothing above a province
    inside = links[links["how"] == "inside"]
    assert {"360700", "360100"} <= {c for w in inside["where"] for c in w}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_measure_link_tables(ds, lang):
    tables = region_view.measure_link_tables(ds, "360700", lang)
    assert set(tables) == {"text", "unit", "project", "larger"}
    # every measure whose text names 赣州, also inside a project's name: (三) 赣州全国加工贸易
    # 转移示范地, (七) 长沙至赣州(铁路), (十六) 赣州至深圳铁海联运班列, (十八) 赣州黄金机场
    numbers = {str(c) for c in tables["text"].iloc[:, 0]}
    assert {labels.measure_label(n, lang) for n in (3, 7, 16, 18, 20)} <= numbers
    assert len(numbers) == 10
    text = tables["text"]
    assert all(c.href.startswith("measures?measure=") for c in text.iloc[:, 0])  # opens it
    how = dict(zip(map(str, text.iloc[:, 0]), text.iloc[:, -1], strict=False))
    if lang == "zh":
        assert how["(二十)"] == "直接点名该区域"
        assert how["(十九)"] == "经由下辖区域:安远县, 定南县, 寻乌县"
    else:
        assert how["20"] == "names this region"
        assert "Ganzhou (Ganzhou)" not in set(text.iloc[:, 2])  # no echo of identical names
        assert any("(Dongjiang" in v or "(East River" in v for v in text.iloc[:, 2])


def test_region_units(ds):
    jiangxi = region_view.region_units(ds, "360000", "zh")
    assert len(jiangxi) == 9  # 8 city governments inside, and the unnamed "有关设区市政府"
    assert (jiangxi["关系"] == "下辖区域政府").sum() == 8
    ganzhou = region_view.region_units(ds, "360700", "en")
    assert ganzhou.iloc[0].tolist() == [
        "Ganzhou Municipal Government",
        "Ganzhou",
        "this region's government",
        "2, 9",
    ]
    county = region_view.region_units(ds, "360732", "zh")
    assert county.iloc[0]["关系"] == "上级区域政府"
    assert region_view.region_units(ds, "440000", "zh").empty


# --- the project layer and its legend --------------------------------------------------------


def tiny_projects(**overrides) -> gpd.GeoDataFrame:
    rows = [
        {
            "id": "a_line",
            "kind": "high_speed_rail",
            "status": "open",
            "geometry": LineString([(114, 26), (115, 27)]),
        },
        {"id": "b_site", "kind": "airport", "status": "operating", "geometry": Point(115, 26)},
        {
            "id": "c_sites",
            "kind": "free_trade_zone",
            "status": "planned",
            "geometry": MultiPoint([(113, 23), (119, 26)]),
        },
        {
            "id": "d_freight",
            "kind": "freight_route",
            "status": "operating",
            "geometry": LineString([(114, 25), (118, 24)]),
        },
        {
            "id": "e_zone",
            "kind": "new_area",
            "status": "approved",
            "geometry": box(115.5, 28.5, 116, 29),
        },
        {"id": "f_none", "kind": "trade_policy", "status": "signed", "geometry": None},
    ]
    base = {
        "name_plan": "计划名",
        "label_zh": "",
        "name_zh": "中文名",
        "name_en": "Name",
        "status_date": "",
        "plan_stage": "",
        "status_source": "",
        "confidence": "high",
        "length_km": None,
        "reported_length_km": None,
        "precision": "",
    }
    return gpd.GeoDataFrame(
        [{**base, **r, **overrides} for r in rows], geometry="geometry", crs="EPSG:4326"
    )


def test_legend_by_kind_draws_each_colour_as_it_is_drawn():
    items = maps.project_legend_items(tiny_projects(), "en", "kind")
    shapes = {i.label: i.shape for i in items}
    assert shapes == {
        "High-speed rail": "line",
        "Airport": "point",
        "Pilot free trade zone": "point",
        "Freight route": "dotted",
        "National new area": "fill",
    }


def test_legend_by_status_merges_shared_colours_and_explains_symbols():
    items = maps.project_legend_items(tiny_projects(), "en", "status", not_yet={"c_sites"})
    labels = [i.label for i in items]
    assert "Open / Operating" in labels  # one colour, one row
    assert len({i.colour for i in items[:-2]}) == len(items) - 2
    assert items[-2].shape == "dotted" and items[-2].label == "Freight route"
    assert items[-1].shape == "dashed" and "not open" in items[-1].label
    no_fade = maps.project_legend_items(tiny_projects(), "en", "status", not_yet={"f_none"})
    assert not any(i.shape == "dashed" for i in no_fade)  # only for projects drawn


def test_add_projects_one_layer_escaped_selected_on_top():
    hostile = "<img src=x onerror=alert(1)>`${x}`"
    frame = tiny_projects(name_en=hostile)
    m = folium.Map(tiles=None)
    maps.add_projects(m, frame, "en", not_yet={"a_line"}, selected="b_site")
    layers = [c for c in m._children.values() if isinstance(c, folium.GeoJson)]
    assert len(layers) == 1
    layer = layers[0]
    features = layer.data["features"]
    ids = [f["id"] for f in features]
    assert ids[-1] == "b_site"  # the selected one drawn last
    assert ids[0] == "e_zone"  # areas under lines and sites
    # the one without geometry is not drawn (the page lists it); every host place is drawn
    assert {i.split("#")[0] for i in ids} == {"a_line", "b_site", "c_sites", "d_freight", "e_zone"}
    places = sum(
        len(f["geometry"]["coordinates"]) if f["geometry"]["type"] == "MultiPoint" else 1
        for f in features
        if "Point" in f["geometry"]["type"]
    )
    assert places == 3
    styles = {f["id"]: layer.style_function(f) for f in features}
    assert styles["a_line"]["dashArray"] == "6 6" and styles["a_line"]["opacity"] < 0.5
    assert styles["d_freight"]["dashArray"] == "1 7"  # a service: dotted, not faded
    assert styles["b_site"]["radius"] == 9  # the selected site drawn larger
    assert styles["e_zone"]["dashArray"] is None
    html = m.get_root().render()
    # data text reaches the page only escaped (inside the GeoJSON, JSON-encoded on top)
    assert "<img" not in html and "\\u0026lt;img src=x" in html
    assert "${x}" not in html


def test_legend_html_sets_long_legends_in_two_columns():
    short = maps.legend_html("t", [maps.LegendItem("#000", str(i)) for i in range(8)])
    long = maps.legend_html("t", [maps.LegendItem("#000", str(i)) for i in range(9)])
    assert "column-count" not in short and "column-count:2" in long
