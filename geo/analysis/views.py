"""Named map views for briefings: what a map shows (filters) and where it looks (extent).

A :class:`View` is a reusable recipe: which sections, measures and project kinds, a region to
focus on, the level of the choropleth, what colours the projects and the extent. The briefing
page steps through :data:`VIEWS` like slides; :func:`view_from_filters` makes "the view I have
now" from a page's filters. :func:`view_selection` and :func:`view_layers` turn a view into the
measures, projects and geometry that every export (PNG, deck, HTML, data) draws, so they all show
the same thing.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Sequence
from dataclasses import asdict, dataclass, field, replace

import geopandas as gpd
import pandas as pd
import shapely

from geo.analysis import display, filters
from geo.core.constants import COLOUR_BY, HAINAN, JIANGXI, LEVELS
from geo.core.dataset import Dataset
from geo.core.geometry import has_geometry
from geo.core.i18n import term
from geo.core.plan import to_cn_numeral

# (west, south, east, north) in degrees, WGS84.
Extent = tuple[float, float, float, float]
# Named extents. "pprd": the 9+2 mainland and Hainan Island (the South China Sea islands go in
# the inset), with about half a degree to spare on every side (the 9+2 span 97.35–120.72 E,
# 18.14–34.31 N). "china": the mainland and Hainan Island. "auto" and "focus" are computed.
EXTENTS: dict[str, Extent] = {
    "pprd": (96.85, 17.6, 121.2, 34.8),
    "china": (73.4, 17.6, 135.2, 53.6),
}
# "auto" extents never reach beyond the 9+2 and its neighbours: a railway or pipeline running on
# to Xinjiang leaves the map at its edge instead of shrinking Jiangxi to a dot.
AUTO_LIMIT: Extent = (97.3, 17.6, 123.0, 35.0)
TRANSPORT_KINDS = ("high_speed_rail", "railway", "expressway", "airport", "freight_route")
ENERGY_KINDS = ("gas_pipeline", "power_line")
# Jiangxi's 11 cities (adcode, zh, en); checked against the boundaries by the tests.
JIANGXI_CITIES = (
    ("360100", "南昌市", "Nanchang"),
    ("360200", "景德镇市", "Jingdezhen"),
    ("360300", "萍乡市", "Pingxiang"),
    ("360400", "九江市", "Jiujiang"),
    ("360500", "新余市", "Xinyu"),
    ("360600", "鹰潭市", "Yingtan"),
    ("360700", "赣州市", "Ganzhou"),
    ("360800", "吉安市", "Ji'an"),
    ("360900", "宜春市", "Yichun"),
    ("361000", "抚州市", "Fuzhou (Jiangxi)"),
    ("361100", "上饶市", "Shangrao"),
)
CURRENT = "current"


@dataclass(frozen=True)
class View:
    """A named, reusable map view.

    Parameters
    ----------
    name : str
        ASCII slug (``transport``, ``city-360700`` …), used in URLs and on the command line.
    title_zh, title_en : str
        The map's title.
    sections, measures : tuple of int
        Keep measures of these sections / with these numbers (empty: all).
    kinds : tuple of str
        Keep projects of these kinds (empty: all kinds the measures name).
    region : str, optional
        Focus adcode: only measures and projects touching it; outlined on the map.
    level : {"province", "city", "county"}
        Level of the choropleth of measure counts.
    colour_by : {"kind", "status"}
        What colours the projects.
    extent : str or (west, south, east, north)
        ``"pprd"``, ``"china"``, ``"auto"`` (fit to what is drawn, within :data:`AUTO_LIMIT`),
        ``"focus"`` (the region and its surroundings) or a box in degrees.
    """

    name: str
    title_zh: str
    title_en: str
    sections: tuple[int, ...] = ()
    measures: tuple[int, ...] = ()
    kinds: tuple[str, ...] = ()
    region: str | None = None
    level: str = "city"
    colour_by: str = "kind"
    extent: str | Extent = "auto"
    subtitle_zh: str = ""
    subtitle_en: str = ""

    def __post_init__(self) -> None:
        if self.level not in LEVELS:
            raise ValueError(f"level must be one of {LEVELS}, got {self.level!r}")
        if self.colour_by not in COLOUR_BY:
            raise ValueError(f"colour_by must be one of {COLOUR_BY}, got {self.colour_by!r}")
        if isinstance(self.extent, str) and self.extent not in (*EXTENTS, "auto", "focus"):
            raise ValueError(f"unknown extent {self.extent!r}")

    def title(self, lang: str) -> str:
        """The title in ``lang``."""
        return self.title_en if lang == "en" else self.title_zh

    def subtitle(self, lang: str) -> str:
        """The subtitle in ``lang`` (may be empty)."""
        return self.subtitle_en if lang == "en" else self.subtitle_zh


def _city_view(adcode: str, zh: str, en: str) -> View:
    return View(
        name=f"city-{adcode}",
        title_zh=f"{zh}:方案涉及的措施与项目",
        title_en=f"{en}: the plan's measures and projects",
        region=adcode,
        level="county",
        colour_by="kind",
        extent="focus",
        subtitle_zh="按县(市、区)计涉及措施数;项目按类型着色",
        subtitle_en="Measures touching each county; projects coloured by kind",
    )


VIEWS: tuple[View, ...] = (
    View(
        "overview",
        "泛珠三角区域合作:江西实施方案全景",
        "Jiangxi's Pan-PRD plan at a glance",
        level="city",
        colour_by="status",
        extent="pprd",
        subtitle_zh="按地市计涉及措施数;项目按现状着色",
        subtitle_en="Measures touching each city; projects coloured by status today",
    ),
    View(
        "transport",
        "交通互联:铁路、公路与航空通道",
        "Transport links: rail, road and air",
        measures=(7,),
        kinds=TRANSPORT_KINDS,
        level="city",
        colour_by="status",
        subtitle_zh="措施(七)建设综合立体交通运输体系;项目按现状着色",
        subtitle_en="Measure 7, an integrated multi-modal transport system; "
        "projects coloured by status",
    ),
    View(
        "energy",
        "能源通道:入赣油气与电力",
        "Energy corridors into Jiangxi",
        measures=(8,),
        kinds=ENERGY_KINDS,
        level="province",
        colour_by="status",
        extent="china",
        subtitle_zh="措施(八)畅通能源大通道;项目按现状着色",
        subtitle_en="Measure 8, open energy corridors; projects coloured by status",
    ),
    View(
        "industry",
        "产业合作:园区与承接产业转移",
        "Industrial cooperation: parks and transfer",
        sections=(2,),
        level="city",
        colour_by="kind",
        subtitle_zh="第二部分 推动产业协同发展",
        subtitle_en="Section 2, coordinated industry",
    ),
    View(
        "opening",
        "对外开放:班列、口岸与自贸区",
        "Opening up: freight trains, ports, FTZs",
        sections=(7,),
        level="province",
        colour_by="kind",
        extent="china",
        subtitle_zh="第七部分 培育对外开放新优势",
        subtitle_en="Section 7, opening up",
    ),
    View(
        "ecology",
        "生态共保:流域与生态屏障",
        "Shared ecological protection",
        sections=(8,),
        level="city",
        colour_by="kind",
        subtitle_zh="第八部分 推进生态文明建设",
        subtitle_en="Section 8, ecological civilisation",
    ),
    View(
        "hkmacau",
        "港澳合作:江西与香港、澳门",
        "Cooperation with Hong Kong and Macau",
        sections=(9,),
        level="province",
        colour_by="kind",
        subtitle_zh="第九部分 深化与港澳合作",
        subtitle_en="Section 9, Hong Kong and Macau",
    ),
    *(_city_view(code, zh, en) for code, zh, en in JIANGXI_CITIES),
)
_BY_NAME = {v.name: v for v in VIEWS}


def view_names() -> list[str]:
    """The names of the named views, in presentation order."""
    return [v.name for v in VIEWS]


def get_view(name: str) -> View:
    """The named view ``name``.

    Raises
    ------
    KeyError
        With the list of known names, for an unknown name.
    """
    try:
        return _BY_NAME[name]
    except KeyError:
        raise KeyError(f"unknown view {name!r}; known views: {', '.join(_BY_NAME)}") from None


def view_from_filters(
    ds: Dataset,
    *,
    sections: Collection[int] = (),
    measures: Collection[int] = (),
    kinds: Collection[str] = (),
    region: str | None = None,
    level: str = "city",
    colour_by: str = "kind",
) -> View:
    """ "The view I have now": a view named ``current`` made from a page's filters.

    The title says what is filtered (sections, region, kinds), in both languages.
    """
    parts_zh: list[str] = []
    parts_en: list[str] = []
    if sections:
        parts_zh.append("、".join(ds.section_title(s, "zh") for s in sorted(sections)))
        parts_en.append("; ".join(ds.section_title(s, "en") for s in sorted(sections)))
    if measures:
        parts_zh.append("措施" + "".join(f"({to_cn_numeral(n)})" for n in sorted(measures)))
        parts_en.append("measures " + ", ".join(str(n) for n in sorted(measures)))
    if region:
        parts_zh.append(ds.region_name(region, "zh"))
        parts_en.append(ds.region_name(region, "en"))
    if kinds:
        parts_zh.append("、".join(term("kind", k, "zh") for k in kinds))
        parts_en.append(", ".join(term("kind", k, "en") for k in kinds))
    title_zh = "当前视图:" + (" · ".join(parts_zh) or "全部措施与项目")
    title_en = "Current view: " + (" · ".join(parts_en) or "all measures and projects")
    return View(
        CURRENT,
        title_zh,
        title_en,
        sections=tuple(sorted(sections)),
        measures=tuple(sorted(measures)),
        kinds=tuple(kinds),
        region=region or None,
        level=level,
        colour_by=colour_by,
        extent="focus" if region else "auto",
    )


def view_key(view: View) -> str:
    """The view as a plain string (JSON), e.g. a cache key; :func:`view_from_key` reverses it."""
    return json.dumps(asdict(view), ensure_ascii=False, sort_keys=True)


def view_from_key(key: str) -> View:
    """The view :func:`view_key` wrote."""
    fields = json.loads(key)
    for name in ("sections", "measures", "kinds"):
        fields[name] = tuple(fields[name])
    if isinstance(fields["extent"], list):
        fields["extent"] = tuple(fields["extent"])
    return View(**fields)


def with_measures(view: View, numbers: Sequence[int], title_zh: str, title_en: str) -> View:
    """A copy of ``view`` narrowed to ``numbers`` (e.g. one section's measures, for a slide)."""
    return replace(view, measures=tuple(numbers), title_zh=title_zh, title_en=title_en)


@dataclass(frozen=True)
class Selection:
    """What a view selects: measure numbers (plan order) and project rows."""

    measures: list[int]
    projects: gpd.GeoDataFrame = field(repr=False)


def view_selection(ds: Dataset, view: View) -> Selection:
    """The measures and projects ``view`` selects (through :mod:`geo.analysis.filters`).

    Projects are those the selected measures name, of the view's kinds, crossing its region.
    """
    numbers = filters.filter_measures(ds, sections=view.sections, region=view.region)
    if view.measures:
        wanted = set(view.measures)
        numbers = [n for n in numbers if n in wanted]
    if numbers:
        projects = filters.filter_projects(
            ds, kinds=view.kinds, measures=numbers, region=view.region
        )
    else:
        projects = ds.projects.iloc[0:0]
    return Selection(measures=numbers, projects=projects)


@dataclass(frozen=True)
class ViewLayers:
    """Everything a map of a view draws, in WGS84.

    ``regions`` are the choropleth regions (display-simplified, at the view's level) with
    ``counts`` (adcode → measures); ``context`` the province outlines; ``projects`` the selected
    projects that have geometry; ``extent`` the box to show; ``focus`` the outlined region.
    """

    view: View
    selection: Selection
    regions: gpd.GeoDataFrame = field(repr=False)
    context: gpd.GeoDataFrame = field(repr=False)
    counts: pd.Series = field(repr=False)
    projects: gpd.GeoDataFrame = field(repr=False)
    extent: Extent
    focus: str | None


def _clip(box: Extent, limit: Extent) -> Extent:
    return (
        max(box[0], limit[0]),
        max(box[1], limit[1]),
        min(box[2], limit[2]),
        min(box[3], limit[3]),
    )


def _pad(box: Extent, fraction: float, minimum: float = 0.0) -> Extent:
    dx = max((box[2] - box[0]) * fraction, minimum)
    dy = max((box[3] - box[1]) * fraction, minimum)
    return (box[0] - dx, box[1] - dy, box[2] + dx, box[3] + dy)


def _union(boxes: Sequence[Sequence[float]]) -> Extent:
    return (
        min(b[0] for b in boxes),
        min(b[1] for b in boxes),
        max(b[2] for b in boxes),
        max(b[3] for b in boxes),
    )


def _region_bounds(ds: Dataset, adcode: str) -> Extent:
    level = filters.level_of(ds, adcode)
    if level is None:
        raise KeyError(f"unknown region {adcode!r}")
    frame = ds.regions[level]
    geom = frame.loc[frame["adcode"] == adcode].geometry.iloc[0]
    # Hainan's bounds reach the Spratlys; the map shows the island, the inset the rest.
    if adcode == HAINAN or (level != "province" and geom.bounds[1] < EXTENTS["pprd"][1]):
        geom = shapely.clip_by_rect(geom, -180, EXTENTS["pprd"][1], 180, 90)
    return tuple(float(v) for v in geom.bounds)  # type: ignore[return-value]


def view_extent(ds: Dataset, view: View, counts: pd.Series, projects: gpd.GeoDataFrame) -> Extent:
    """The box (west, south, east, north) a view shows, in degrees."""
    if not isinstance(view.extent, str):
        return tuple(float(v) for v in view.extent)  # type: ignore[return-value]
    if view.extent in EXTENTS:
        return EXTENTS[view.extent]
    if view.extent == "focus" and view.region:
        return _pad(_region_bounds(ds, view.region), 0.12, 0.15)
    boxes = [_region_bounds(ds, view.region or JIANGXI)]
    for code in counts[counts > 0].index:
        if filters.level_of(ds, code) is not None:
            boxes.append(_region_bounds(ds, code))
    if not projects.empty:
        boxes.append(tuple(projects.total_bounds))
    # a margin of 8% (at least half a degree): what a view is about never touches the frame,
    # nor hides under the scale bar in its corner (Hong Kong and Macao on the 港澳 view)
    return _clip(_pad(_union(boxes), 0.08, 0.5), AUTO_LIMIT)


def _intersecting(frame: gpd.GeoDataFrame, box: Extent) -> gpd.GeoDataFrame:
    return frame[frame.intersects(shapely.box(*box))]


def view_layers(ds: Dataset, view: View) -> ViewLayers:
    """The regions, counts, projects and extent of ``view`` (cached on the dataset; a copy).

    Regions are the display-simplified geometry of :mod:`geo.analysis.display`; choropleth
    regions are those at the view's level inside the extent (county views: the focus province's
    counties).
    """
    return ds.memo(("view_layers", view), lambda: _view_layers(ds, view))


def _view_layers(ds: Dataset, view: View) -> ViewLayers:
    selection = view_selection(ds, view)
    counts = filters.measure_counts(ds, view.level, selection.measures)
    mapped = selection.projects[has_geometry(selection.projects)]
    extent = view_extent(ds, view, counts, mapped)
    look = _pad(extent, 0.6)  # what an axes of another aspect ratio may also show
    if view.level == "county":
        regions = display.regions_for_level(ds, "county", view.region or JIANGXI)
    else:
        regions = _intersecting(display.display_regions(ds, view.level), look)
    context = display.display_regions(ds, "province")
    return ViewLayers(
        view=view,
        selection=selection,
        regions=regions,
        context=context,
        counts=counts.reindex(regions["adcode"])
        .fillna(0)
        .astype(int)
        .set_axis(regions["adcode"].to_numpy()),
        projects=mapped,
        extent=extent,
        focus=view.region,
    )


def sections_with_content(ds: Dataset, numbers: Sequence[int]) -> list[tuple[int, list[int]]]:
    """Sections (plan order) among ``numbers``' measures that name places or projects.

    Returns (section number, its measures among ``numbers``) pairs.
    """
    named = set(ds.place_links["measure"]) | set(ds.measure_projects["measure"])
    result = []
    for section in ds.plan.sections:
        ms = [
            m.number
            for m in ds.plan.measures
            if m.section == section.number and m.number in set(numbers)
        ]
        if ms and any(n in named for n in ms):
            result.append((section.number, ms))
    return result
