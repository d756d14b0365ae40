"""A view as a print-ready map image: title, legend, scale bar, north arrow, source, 南海诸岛 inset.

Drawn server-side with matplotlib's Agg canvas (no pyplot, no global state, safe in Streamlit's
threads) from the display-simplified regions of :mod:`geo.analysis.display` and the projects of the view
(:func:`geo.analysis.views.view_layers`), so the image shows what the page map shows.

The map is drawn in a Lambert conformal conic projection centred on the view (standard parallels
at 1/6 and 5/6 of its latitude span): shapes and north are true at the centre, and the scale
varies by about 1% across a 9+2 map. The scale bar is computed geodesically (WGS84 ellipsoid) at
the map's centre; the north arrow points to true north where it stands.

Every character drawn is checked against the font's character map before the image is written
(:mod:`geo.render.fonts`); without a font that covers it, :class:`geo.render.fonts.MissingFontError` is raised
and nothing is drawn.
"""

from __future__ import annotations

import datetime as dt
import functools
import io
import math
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import font_manager, patheffects, rc_context
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.patches import FancyArrow, Patch, Rectangle
from matplotlib.text import Text
from matplotlib.transforms import Bbox
from pyproj import CRS, Geod, Transformer

from geo.analysis.views import View, ViewLayers, view_layers
from geo.core.constants import HAINAN, JIANGXI, PPRD_ADCODES, TAIWAN
from geo.core.dataset import Dataset
from geo.core.i18n import t, term
from geo.render import fonts, maps

WGS84 = "EPSG:4326"
NAMED_PROVINCES = (*PPRD_ADCODES, TAIWAN)
# name -> (width px, height px, dpi). "slide": 16:9 at 1920 px; "a4": A4 landscape at 300 dpi.
SIZES = {"slide": (1920, 1080, 144), "a4": (3508, 2480, 300)}
# The South China Sea box of the inset (west, south, east, north), degrees.
INSET_BOX = (106.0, 2.8, 123.2, 24.6)
CONTEXT_FILL = "#ecebe6"
REGION_EDGE = "#a3a3a3"
PROVINCE_EDGE = "#5f5f5f"
DASHLINE_COLOUR = "#3a6fb0"
TEXT_COLOUR = "#222222"
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]
_GEOD = Geod(ellps="WGS84")


@dataclass(frozen=True)
class MapImage:
    """A rendered map: the PNG bytes, its size, the font used and every text drawn."""

    png: bytes
    width: int
    height: int
    font: fonts.CJKFont
    texts: tuple[str, ...]
    inset: bool
    labels: tuple[str, ...]
    font_files: frozenset[tuple[str, int]] = frozenset()


def lcc_crs(extent: Sequence[float]) -> CRS:
    """A Lambert conformal conic CRS centred on ``extent`` (west, south, east, north)."""
    west, south, east, north = extent
    span = north - south
    lat1, lat2 = south + span / 6, north - span / 6
    if abs(lat2 - lat1) < 0.5:
        lat1, lat2 = lat1 - 0.5, lat2 + 0.5
    return CRS.from_proj4(
        f"+proj=lcc +lat_0={(south + north) / 2:.4f} "
        f"+lon_0={(west + east) / 2:.4f} +lat_1={lat1:.4f} +lat_2={lat2:.4f} "
        "+x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    )


def nice_length(km: float) -> float:
    """The largest 1, 2 or 5 × 10ⁿ not above ``km``."""
    if km <= 0:
        raise ValueError("length must be positive")
    power = 10 ** math.floor(math.log10(km))
    return max(m * power for m in (1, 2, 5) if m * power <= km)


def scale_bar_length(crs: CRS, lon: float, lat: float, km: float) -> float:
    """Map units (metres of ``crs``) spanned by ``km`` measured geodesically east of lon/lat."""
    lon2, lat2, _ = _GEOD.fwd(lon, lat, 90.0, km * 1000.0)
    to_map = Transformer.from_crs(WGS84, crs, always_xy=True)
    x1, y1 = to_map.transform(lon, lat)
    x2, y2 = to_map.transform(lon2, lat2)
    return float(math.hypot(x2 - x1, y2 - y1))


def _label_name(row: dict, lang: str) -> str:
    if lang == "en":
        return str(row["name_en"])
    return str(row.get("short_zh") or row["name_zh"])


def _project_label(row: dict, lang: str) -> str:
    if lang == "en":
        return str(row["name_en"]).split(" (")[0]
    return str(row.get("label_zh") or row["name_plan"])


class _Sizes:
    """Font sizes and line widths in points, scaled to the figure (1.0 for a 16:9 slide)."""

    def __init__(self, height_in: float, width_in: float, scale: float | None = None) -> None:
        self.k = scale if scale else max(0.6, min(height_in / 7.5, width_in / 13.33))
        k = self.k
        self.title = 24 * k
        self.subtitle = 13 * k
        self.label = 10.5 * k
        self.province_label = 12.5 * k
        self.project_label = 9.5 * k
        self.legend = 11 * k
        self.legend_title = 12 * k
        self.footer = 8.5 * k
        self.line = 2.6 * k
        self.marker = 7.5 * k


class _Labeller:
    """Places text where it collides with nothing placed before (simple box checks)."""

    def __init__(self, fig: Figure, ax: Axes, blocked: Iterable[Bbox] = ()) -> None:
        self.fig = fig
        self.ax = ax
        self.renderer = fig.canvas.get_renderer()
        self.placed: list[Bbox] = list(blocked)
        self.area = ax.get_window_extent(self.renderer)
        x0, x1 = ax.get_xlim()
        # map units per typographic point: a step given in points becomes map units
        self.units_per_point = (x1 - x0) / self.area.width * fig.dpi / 72
        self.placed_labels: list[tuple[str, float, float, str, str]] = []

    def block(self, box: Bbox) -> None:
        self.placed.append(box)

    def place(
        self,
        x: float,
        y: float,
        text: str,
        *,
        pad: float = 3.0,
        kind: str = "region",
        **kwargs: object,
    ) -> bool:
        artist = self.ax.text(x, y, text, **kwargs)
        box = artist.get_window_extent(self.renderer).expanded(1.0, 1.0)
        box = Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
        inside = (
            box.x0 >= self.area.x0
            and box.x1 <= self.area.x1
            and box.y0 >= self.area.y0
            and box.y1 <= self.area.y1
        )
        if not inside or any(box.overlaps(other) for other in self.placed):
            artist.remove()
            return False
        self.placed.append(box)
        self.placed_labels.append((text, x, y, str(kwargs.get("ha", "center")), kind))
        return True


def _fit_limits(bounds: Sequence[float], ax_w: float, ax_h: float) -> tuple[float, ...]:
    """Grow (x0, y0, x1, y1) so its aspect matches the axes' (ax_w × ax_h pixels)."""
    x0, y0, x1, y1 = bounds
    w, h = x1 - x0, y1 - y0
    target = ax_w / ax_h
    if w / h < target:
        grow = (h * target - w) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = (w / target - h) / 2
        y0, y1 = y0 - grow, y1 + grow
    return x0, y0, x1, y1


def _projected_box(extent: Sequence[float], crs: CRS) -> tuple[float, float, float, float]:
    box = shapely.segmentize(shapely.box(*extent), 0.25)
    projected = gpd.GeoSeries([box], crs=WGS84).to_crs(crs)
    return tuple(float(v) for v in projected.total_bounds)  # type: ignore[return-value]


def _hainan_island(ds: Dataset) -> shapely.Geometry:
    frame = ds.regions["province"]
    geom = frame.loc[frame["adcode"] == HAINAN].geometry.iloc[0]
    parts = shapely.get_parts(geom)
    return parts[int(np.argmax(shapely.area(parts)))]


def shows_whole_hainan(ds: Dataset, crs: CRS, limits: Sequence[float]) -> bool:
    """Whether the visible map (``limits`` in ``crs``) contains all of Hainan Island."""
    island = gpd.GeoSeries([_hainan_island(ds)], crs=WGS84).to_crs(crs).iloc[0]
    return bool(shapely.box(*limits).contains(island))


def _draw_frame(gdf: gpd.GeoDataFrame, ax: Axes, **kwargs: object) -> None:
    if not gdf.empty:
        gdf.plot(ax=ax, **kwargs)


def _legend_rows(
    layers: ViewLayers,
    lang: str,
    inset: bool,
    dash_in_main: bool,
    focus_name: str,
    others_visible: bool,
) -> list[tuple[str, list[tuple[object, str]]]]:
    """Legend sections: (title, [(handle, label)]), for every colour and symbol drawn."""
    sections: list[tuple[str, list[tuple[object, str]]]] = []
    present = {maps.count_colour(float(n)) for n in layers.counts}
    count_rows = [
        (Patch(facecolor=item.colour, edgecolor=REGION_EDGE, linewidth=0.6), item.label)
        for item in maps.count_legend(lang)
        if item.colour in present
    ]
    level = t(f"level_{layers.view.level}", lang)
    sections.append(
        (
            f"{t('n_measures', lang)}({level})"
            if lang == "zh"
            else f"{t('n_measures', lang)} ({level.lower()})",
            count_rows,
        )
    )
    if not layers.projects.empty:
        by_colour: dict[str, tuple[list[str], set[str]]] = {}
        for row in layers.projects.to_dict("records"):
            colour = maps.project_colour(row, layers.view.colour_by)
            labels, shapes = by_colour.setdefault(colour, ([], set()))
            label = term(layers.view.colour_by, str(row[layers.view.colour_by]), lang)
            if label not in labels:
                labels.append(label)
            shapes.add(maps.project_shape(row))
        rows: list[tuple[object, str]] = []
        for colour, (labels, shapes) in by_colour.items():
            rows.append((_legend_handle(colour, shapes), " / ".join(labels)))
        if layers.view.colour_by == "status" and (layers.projects["kind"] == "freight_route").any():
            rows.append(
                (_legend_handle("#555555", {"dotted"}), term("kind", "freight_route", lang))
            )
        title = t("kind", lang) if layers.view.colour_by == "kind" else t("status", lang)
        sections.append(
            (
                f"{t('projects', lang)}:{title}"
                if lang == "zh"
                else f"{t('projects', lang)}: {title}",
                rows,
            )
        )
    other: list[tuple[object, str]] = [
        (Line2D([], [], color=PROVINCE_EDGE, linewidth=1.2), t("province_border", lang))
    ]
    if others_visible:
        other.append(
            (
                Patch(facecolor=CONTEXT_FILL, edgecolor=PROVINCE_EDGE, linewidth=0.6),
                t("context_regions", lang),
            )
        )
    if layers.focus:
        other.append(
            (
                Patch(facecolor="none", edgecolor=maps.HIGHLIGHT, linewidth=2.2),
                f"{t('focus_region', lang)}:{focus_name}"
                if lang == "zh"
                else f"{t('focus_region', lang)}: {focus_name}",
            )
        )
    if dash_in_main or inset:
        other.append(
            (
                Line2D([], [], color=DASHLINE_COLOUR, linewidth=1.4, linestyle=(0, (4, 2))),
                t("dashline", lang),
            )
        )
    sections.append((t("legend_other", lang), other))
    return sections


def _legend_handle(colour: str, shapes: set[str]) -> object:
    if shapes == {"point"}:
        return Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=8,
            markerfacecolor=colour,
            markeredgecolor="#222222",
        )
    if shapes == {"fill"}:
        return Patch(facecolor="none", hatch="///", edgecolor=colour, linewidth=1.5)
    style = (0, (1, 1.6)) if shapes == {"dotted"} else "-"
    marker = "o" if "point" in shapes else None
    return Line2D(
        [],
        [],
        color=colour,
        linewidth=2.6,
        linestyle=style,
        marker=marker,
        markersize=7,
        markerfacecolor=colour,
        markeredgecolor="#222222",
    )


def _scale_bar(
    ax: Axes,
    crs: CRS,
    extent: Sequence[float],
    limits: Sequence[float],
    sizes: _Sizes,
    font: FontProperties,
    lang: str,
) -> Bbox:
    """Draw the scale bar in the lower left; returns its bounding box (display pixels)."""
    x0, y0, x1, y1 = limits
    lon = (extent[0] + extent[2]) / 2
    lat = (extent[1] + extent[3]) / 2
    map_width_km = (x1 - x0) / 1000.0
    km = nice_length(map_width_km * 0.22)
    length = scale_bar_length(crs, lon, lat, km)
    height = (y1 - y0) * 0.008
    bx = x0 + (x1 - x0) * 0.03
    by = y0 + (y1 - y0) * 0.045
    segments = 4 if km / nice_length(km / 4) == 4 else 2
    step = length / segments
    for i in range(segments):
        ax.add_patch(
            Rectangle(
                (bx + i * step, by),
                step,
                height,
                facecolor="#222222" if i % 2 == 0 else "white",
                edgecolor="#222222",
                linewidth=0.8,
                zorder=30,
            )
        )
    unit = t("scale_km", lang)
    texts = []
    for i in (0, segments // 2, segments):
        value = km * i / segments
        label = f"{value:g}" + (f" {unit}" if i == segments else "")
        texts.append(
            ax.text(
                bx + i * step,
                by + height * 1.9,
                label,
                ha="center",
                va="bottom",
                fontproperties=font,
                fontsize=sizes.legend * 0.85,
                color=TEXT_COLOUR,
                zorder=31,
                path_effects=HALO,
            )
        )
    renderer = ax.figure.canvas.get_renderer()
    box = Bbox.union(
        [t_.get_window_extent(renderer) for t_ in texts]
        + [ax.transData.transform_bbox(Bbox.from_bounds(bx, by, length, height))]
    )
    return box


def _north_arrow(
    ax: Axes, crs: CRS, limits: Sequence[float], sizes: _Sizes, font: FontProperties
) -> Bbox:
    """Draw a north arrow pointing to true north where it stands.

    It stands in the upper right; on a map so wide that the meridians there lean more than
    10° (a map of all China), it moves to the top of the central meridian, where north is up.
    """
    x0, y0, x1, y1 = limits
    to_geo = Transformer.from_crs(crs, WGS84, always_xy=True)
    to_map = Transformer.from_crs(WGS84, crs, always_xy=True)

    def north_at(x: float, y: float) -> float:
        lon, lat = to_geo.transform(x, y)
        nx, ny = to_map.transform(lon, lat + 0.2)
        return math.atan2(nx - x, ny - y)  # radians clockwise from the map's up

    y = y0 + (y1 - y0) * 0.865
    x = x0 + (x1 - x0) * 0.955
    angle = north_at(x, y)
    if abs(math.degrees(angle)) > 10:
        x = 0.0  # the projection's central meridian (lon_0) is the map's vertical x = 0
        angle = north_at(x, y)
    length = (y1 - y0) * 0.075
    dx, dy = length * math.sin(angle), length * math.cos(angle)
    arrow = FancyArrow(
        x - dx / 2,
        y - dy / 2,
        dx,
        dy,
        width=length * 0.12,
        head_width=length * 0.42,
        head_length=length * 0.45,
        length_includes_head=True,
        facecolor="#222222",
        edgecolor="white",
        linewidth=0.8,
        zorder=30,
    )
    ax.add_patch(arrow)
    text = ax.text(
        x + dx * 0.62,
        y + dy * 0.62,
        "N",
        ha="center",
        va="bottom",
        fontproperties=font,
        fontsize=sizes.legend_title * 1.15,
        fontweight="bold",
        color="#222222",
        zorder=31,
        path_effects=HALO,
    )
    renderer = ax.figure.canvas.get_renderer()
    return Bbox.union([arrow.get_window_extent(renderer), text.get_window_extent(renderer)])


def _inset(
    fig: Figure, ax: Axes, ds: Dataset, sizes: _Sizes, font: FontProperties, lang: str
) -> Axes:
    """The 南海诸岛 inset in the map's lower-right corner: the dash line and Hainan's islands."""
    crs = lcc_crs(INSET_BOX)
    box = _projected_box(INSET_BOX, crs)
    aspect = (box[2] - box[0]) / (box[3] - box[1])
    pos = ax.get_position()
    fig_w, fig_h = fig.get_size_inches()
    height = pos.height * 0.36
    width = height * aspect * fig_h / fig_w
    if width > pos.width * 0.22:  # a tall, narrow map: keep the inset off the land
        width = pos.width * 0.22
        height = width / aspect * fig_w / fig_h
    inset = fig.add_axes(
        (pos.x1 - width - pos.width * 0.006, pos.y0 + pos.height * 0.008, width, height)
    )
    inset.set_facecolor("white")
    clip = shapely.box(*INSET_BOX)
    provinces = ds.regions["province"]
    near = provinces[provinces.intersects(clip)]
    mainland = near[near["adcode"] != HAINAN].to_crs(crs)
    _draw_frame(mainland, inset, facecolor=CONTEXT_FILL, edgecolor=REGION_EDGE, linewidth=0.4)
    hainan = provinces[provinces["adcode"] == HAINAN].to_crs(crs)
    _draw_frame(hainan, inset, facecolor="#f3d9b1", edgecolor="#7a5c2e", linewidth=0.5)
    _draw_frame(ds.dashline.to_crs(crs), inset, color=DASHLINE_COLOUR, linewidth=1.1)
    inset.set_xlim(box[0], box[2])
    inset.set_ylim(box[1], box[3])
    inset.set_aspect("equal")
    inset.set_xticks([])
    inset.set_yticks([])
    inset.set_xlabel("")
    inset.set_ylabel("")
    for spine in inset.spines.values():
        spine.set_edgecolor("#333333")
        spine.set_linewidth(1.0)
    x, y = Transformer.from_crs(WGS84, crs, always_xy=True).transform(116.2, 12.8)
    name = t("south_china_sea_islands", lang)
    if lang == "en":
        name = name.replace(" Sea ", " Sea\n")
    inset.text(
        x,
        y,
        name,
        ha="center",
        va="center",
        linespacing=1.1,
        fontproperties=font,
        fontsize=sizes.label * 0.95,
        color=TEXT_COLOUR,
        path_effects=HALO,
    )
    return inset


def _wrap(
    fig: Figure,
    text: str,
    font: FontProperties,
    size: float,
    width_px: float,
    separators: str = " ·;;,,",
) -> list[str]:
    """Break ``text`` into lines no wider than ``width_px`` (at separators, else anywhere)."""
    renderer = fig.canvas.get_renderer()

    def width(s: str) -> float:
        probe = fig.text(0, 0, s, fontproperties=font, fontsize=size)
        w = probe.get_window_extent(renderer).width
        probe.remove()
        return w

    lines: list[str] = []
    rest = text
    while rest and width(rest) > width_px:
        cut = len(rest)
        while cut > 1 and width(rest[:cut]) > width_px:
            cut -= 1
        soft = max((rest.rfind(c, 0, cut) for c in separators), default=-1)
        if soft > cut * 0.5:
            cut = soft + 1
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        lines.append(rest)
    return lines


def status_as_of(ds: Dataset) -> str:
    """The latest status date in the catalogue (YYYY-MM-DD, or YYYY-MM)."""
    dates = [d for d in ds.projects["status_date"].astype(str) if d[:4].isdigit()]
    return max(dates) if dates else ""


@dataclass
class _Canvas:
    """A figure laid out for a view: the map axes at their final limits, in a view's LCC."""

    fig: Figure
    ax: Axes
    crs: CRS
    limits: tuple[float, ...]
    layers: ViewLayers
    sizes: _Sizes
    font: fonts.CJKFont
    regular: FontProperties
    bold: FontProperties
    context: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    margins: tuple[float, float, float, float, float]  # left, bottom, top, right, panel


def _canvas(
    ds: Dataset,
    view: View,
    lang: str,
    width: int,
    height: int,
    dpi: int,
    title: bool,
    legend: str,
    scale: float | None,
) -> _Canvas:
    layers = view_layers(ds, view)
    # The title's characters must be covered only where the title is drawn (not on deck slides,
    # nor for the web map's label layout, whose text the browser draws).
    font_choice = fonts.find_cjk_font(view.title(lang) + view.subtitle(lang) if title else "")
    regular = FontProperties(family=font_choice.family)
    bold = FontProperties(family=font_choice.family, weight="bold")
    fig = Figure(figsize=(width / dpi, height / dpi), dpi=dpi, facecolor="white")
    canvas = FigureCanvasAgg(fig)
    # geopandas' plot() ends with canvas.draw_idle(), which on Agg is a full draw: one per
    # layer. Nothing here needs it (text sizes are measured with the renderer directly).
    canvas.draw_idle = lambda *args, **kwargs: None  # type: ignore[method-assign]
    fig_w_in, fig_h_in = width / dpi, height / dpi
    sizes = _Sizes(fig_h_in, fig_w_in, scale)
    k = sizes.k
    top = (0.95 * k if title else 0.12 * k) / fig_h_in
    bottom = 0.62 * k / fig_h_in
    left = 0.22 * k / fig_w_in
    right_panel = (3.25 * k / fig_w_in) if legend == "right" else 0.0
    right = 0.18 * k / fig_w_in
    ax = fig.add_axes((left, bottom, 1 - left - right - right_panel, 1 - top - bottom))
    crs = lcc_crs(layers.extent)
    ax_px = ax.get_window_extent(fig.canvas.get_renderer())
    limits = _fit_limits(_projected_box(layers.extent, crs), ax_px.width, ax_px.height)
    look = gpd.GeoSeries([shapely.box(*limits)], crs=crs).to_crs(WGS84).iloc[0].envelope
    ax.set_xlim(limits[0], limits[2])
    ax.set_ylim(limits[1], limits[3])
    ax.set_aspect("equal", adjustable="box")
    projects = layers.projects.to_crs(crs) if not layers.projects.empty else layers.projects
    return _Canvas(
        fig=fig,
        ax=ax,
        crs=crs,
        limits=limits,
        layers=layers,
        sizes=sizes,
        font=font_choice,
        regular=regular,
        bold=bold,
        context=layers.context[layers.context.intersects(look)].to_crs(crs),
        regions=layers.regions.to_crs(crs),
        projects=projects,
        margins=(left, bottom, top, right, right_panel),
    )


_F = TypeVar("_F", bound=Callable[..., object])


def _literal_text(func: _F) -> _F:
    """Run ``func`` with Matplotlib's mathtext off: it reads ``$...$`` in any text as TeX, so a
    ``$`` in a name would be drawn as math or stop the export with a parse error."""

    @functools.wraps(func)
    def literal(*args: object, **kwargs: object) -> object:
        with rc_context({"text.parse_math": False}):
            return func(*args, **kwargs)

    return literal  # type: ignore[return-value]


@_literal_text
def render_map(
    ds: Dataset,
    view: View,
    lang: str = "zh",
    *,
    width: int = 1920,
    height: int = 1080,
    dpi: int = 144,
    title: bool = True,
    legend: str = "right",
    labels: bool = True,
    scale: float | None = None,
    today: dt.date | None = None,
) -> MapImage:
    """Draw ``view`` as a PNG of ``width`` × ``height`` pixels.

    Parameters
    ----------
    ds : Dataset
    view : View
    lang : {"zh", "en"}
    width, height, dpi : int
        Pixel size and resolution (point sizes scale with the figure's size in inches).
    title : bool
        Draw the title and subtitle (off for deck slides, whose title is editable text).
    legend : {"right", "inside"}
        A legend panel right of the map, or a box inside the map's upper left.
    labels : bool
        Label regions and projects.
    scale : float, optional
        Text and line size factor (default: from the figure's size, 1.0 for a 16:9 slide).

    Returns
    -------
    MapImage

    Raises
    ------
    geo.render.fonts.MissingFontError
        If no installed font covers every character to be drawn.
    """
    if legend not in ("right", "inside"):
        raise ValueError(f"legend must be 'right' or 'inside', got {legend!r}")
    c = _canvas(ds, view, lang, width, height, dpi, title, legend, scale)
    fig, ax, crs, limits, layers, sizes = c.fig, c.ax, c.crs, c.limits, c.layers, c.sizes
    regular, bold = c.regular, c.bold
    left, bottom, top, right, right_panel = c.margins
    fig_w_in, fig_h_in = width / dpi, height / dpi
    k = sizes.k
    _draw_frame(c.context, ax, facecolor=CONTEXT_FILL, edgecolor="none", linewidth=0)
    fills = [maps.count_colour(float(layers.counts.get(code, 0))) for code in c.regions["adcode"]]
    _draw_frame(c.regions, ax, color=fills, edgecolor=REGION_EDGE, linewidth=0.35 * k)
    _draw_frame(c.context, ax, facecolor="none", edgecolor=PROVINCE_EDGE, linewidth=0.9 * k)
    if layers.focus:
        focus = _focus_frame(ds, layers.focus).to_crs(crs)
        _draw_frame(
            focus, ax, facecolor="none", edgecolor=maps.HIGHLIGHT, linewidth=2.4 * k, zorder=6
        )
    dash = ds.dashline.to_crs(crs)
    dash_in_main = bool(dash.intersects(shapely.box(*limits)).any())
    if dash_in_main:
        _draw_frame(dash, ax, color=DASHLINE_COLOUR, linewidth=1.1 * k, zorder=5)
    _draw_projects(ax, c.projects, view.colour_by, sizes)
    ax.set_xlim(limits[0], limits[2])
    ax.set_ylim(limits[1], limits[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#444444")
        spine.set_linewidth(0.9)

    renderer = fig.canvas.get_renderer()
    blocked = [
        _scale_bar(ax, crs, layers.extent, limits, sizes, regular, lang),
        _north_arrow(ax, crs, limits, sizes, bold),
    ]
    inset = shows_whole_hainan(ds, crs, limits)
    if inset:
        inset_ax = _inset(fig, ax, ds, sizes, regular, lang)
        blocked.append(inset_ax.get_window_extent(renderer))
    unmapped = len(layers.selection.projects) - len(layers.projects)
    focus_name = ds.region_name(layers.focus, lang) if layers.focus else ""
    # the grey of provinces without choropleth regions (a county map's neighbours)
    drawn_provinces = set(c.regions["province_adcode"])
    others_visible = layers.view.level == "county" and bool(
        (~c.context["adcode"].isin(drawn_provinces)).any()
    )
    sections = _legend_rows(layers, lang, inset, dash_in_main, focus_name, others_visible)
    notes = [t("count_note", lang)]
    if not layers.projects.empty:
        notes.append(t("legend_location_note", lang))
    if unmapped:
        notes.append(t("unmapped_note", lang, n=unmapped))
    if legend == "right":
        panel = fig.add_axes(
            (
                1 - right - right_panel + 0.12 * k / fig_w_in,
                bottom,
                right_panel - 0.12 * k / fig_w_in,
                1 - top - bottom,
            )
        )
        panel.set_axis_off()
        _draw_legend(fig, panel, sections, notes, sizes, regular, bold)
    else:
        blocked.append(_draw_inside_legend(fig, ax, sections, sizes, regular, bold))

    labelled: list[str] = []
    if labels:
        labeller = _Labeller(fig, ax, blocked + _marker_boxes(ax, c.projects, sizes))
        _label_map(labeller, c, ds, lang)
        labelled = [text for text, *_ in labeller.placed_labels]

    if title:
        fig.text(
            left,
            1 - 0.12 * k / fig_h_in,
            view.title(lang),
            ha="left",
            va="top",
            fontproperties=bold,
            fontsize=sizes.title,
            color=TEXT_COLOUR,
        )
        sub = view.subtitle(lang)
        if sub:
            fig.text(
                left,
                1 - 0.62 * k / fig_h_in,
                sub,
                ha="left",
                va="top",
                fontproperties=regular,
                fontsize=sizes.subtitle,
                color="#555555",
            )
    _footer(ds, fig, lang, sizes, regular, left, bottom, today or dt.date.today())
    texts, bold_texts, files = _drawn_texts(fig)
    fonts.check_text_covered(c.font, texts, bold_texts)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return MapImage(
        png=buffer.getvalue(),
        width=width,
        height=height,
        font=c.font,
        texts=tuple(texts + bold_texts),
        inset=inset,
        labels=tuple(labelled),
        font_files=frozenset(files),
    )


def _drawn_texts(fig: Figure) -> tuple[list[str], list[str], set[tuple[str, int]]]:
    """Every non-empty text of the figure (regular, bold) and the font files they resolve to."""
    texts: list[str] = []
    bold_texts: list[str] = []
    files: set[tuple[str, int]] = set()
    for artist in fig.findobj(Text):
        value = artist.get_text()
        if not value or not artist.get_visible():
            continue
        weight = artist.get_fontweight()
        is_bold = weight in ("bold", "heavy", "extra bold", "black", "semibold", "demibold") or (
            isinstance(weight, (int, float)) and weight >= 600
        )
        (bold_texts if is_bold else texts).append(value)
        found = font_manager.findfont(artist.get_fontproperties(), fallback_to_default=False)
        files.add((str(found), int(getattr(found, "face_index", 0) or 0)))
    return texts, bold_texts, files


@_literal_text
def map_labels(
    ds: Dataset, view: View, lang: str = "zh", width: int = 1400, height: int = 700
) -> list[tuple[float, float, str, str, str]]:
    """The labels a map of ``width`` × ``height`` screen pixels can carry without collisions.

    For the web map: the same choice and placement as the PNG, laid out at screen size.
    Returns (lon, lat, text, horizontal alignment, kind) with kind ``province``, ``region``
    or ``project``. Cached on the dataset.
    """
    return ds.memo(
        ("map_labels", view, lang, width, height),
        lambda: _map_labels(ds, view, lang, width, height),
    )


def _map_labels(
    ds: Dataset, view: View, lang: str, width: int, height: int
) -> list[tuple[float, float, str, str, str]]:
    c = _canvas(ds, view, lang, width, height, 96, False, "inside", 0.95)
    c.fig.subplots_adjust()
    c.ax.set_position((0, 0, 1, 1))
    c.ax.set_xlim(c.limits[0], c.limits[2])
    c.ax.set_ylim(c.limits[1], c.limits[3])
    labeller = _Labeller(c.fig, c.ax, _marker_boxes(c.ax, c.projects, c.sizes))
    _label_map(labeller, c, ds, lang)
    to_geo = Transformer.from_crs(c.crs, WGS84, always_xy=True)
    result = []
    for text, x, y, ha, kind in labeller.placed_labels:
        lon, lat = to_geo.transform(x, y)
        result.append((float(lon), float(lat), text, ha, kind))
    return result


def _focus_frame(ds: Dataset, adcode: str) -> gpd.GeoDataFrame:
    table = ds.region_table
    level = str(table.at[adcode, "level"])
    frame = ds.regions[level]
    return frame[frame["adcode"] == adcode]


def _draw_projects(ax: Axes, projects: gpd.GeoDataFrame, colour_by: str, sizes: _Sizes) -> None:
    """Areas, then lines (white casing under each), then points on top."""
    if projects.empty:
        return
    rows = projects.to_dict("records")
    for row in rows:
        if maps.project_shape(row) == "fill":
            colour = maps.project_colour(row, colour_by)
            # hatched, not filled: a tint over the choropleth would read as another class
            gpd.GeoSeries([row["geometry"]]).plot(
                ax=ax,
                facecolor="none",
                hatch="///",
                edgecolor=colour,
                linewidth=1.6 * sizes.k,
                zorder=7,
            )
    for row in rows:
        shape = maps.project_shape(row)
        if shape not in ("line", "dotted"):
            continue
        colour = maps.project_colour(row, colour_by)
        for part in shapely.get_parts(row["geometry"]):
            xs, ys = np.asarray(part.coords).T[:2]
            style = (0, (1.0, 1.4)) if shape == "dotted" else "-"
            ax.plot(
                xs,
                ys,
                color=colour,
                linewidth=sizes.line,
                linestyle=style,
                solid_capstyle="round",
                dash_capstyle="round",
                zorder=8,
                path_effects=[
                    patheffects.Stroke(linewidth=sizes.line + 2.2 * sizes.k, foreground="white"),
                    patheffects.Normal(),
                ],
            )
    for row in rows:
        if maps.project_shape(row) != "point":
            continue
        colour = maps.project_colour(row, colour_by)
        for part in shapely.get_parts(row["geometry"]):
            ax.plot(
                part.x,
                part.y,
                linestyle="none",
                marker="o",
                markersize=sizes.marker,
                markerfacecolor=colour,
                markeredgecolor="#222222",
                markeredgewidth=0.9 * sizes.k,
                zorder=9,
            )


def _label_map(labeller: _Labeller, c: _Canvas, ds: Dataset, lang: str) -> None:
    """Labels in order of importance; each only where it collides with nothing placed."""
    layers, context, regions, projects = c.layers, c.context, c.regions, c.projects
    sizes, regular, bold = c.sizes, c.regular, c.bold
    x0, y0, x1, y1 = c.limits
    view_box = shapely.box(x0, y0, x1, y1)
    px_per_unit = labeller.area.width / (x1 - x0)
    # Province names (grey, larger); on a map of one city, only the neighbouring provinces.
    home = (
        str(ds.region_table.at[layers.focus, "province_adcode"])
        if layers.focus and layers.view.extent == "focus"
        else None
    )
    # Without a focus, Jiangxi's own regions (the plan's province) are labelled first.
    focus = layers.focus or JIANGXI
    frame = regions.assign(_count=[int(layers.counts.get(c, 0)) for c in regions["adcode"]])
    frame = frame.assign(_area=frame.geometry.area)
    frame = frame[frame.intersects(view_box)]
    inside = (
        (frame["adcode"] == focus)
        | (frame["city_adcode"] == focus)
        | (frame["province_adcode"] == focus)
    )
    frame = frame.assign(_focus=inside).sort_values(["_focus", "_count", "_area"], ascending=False)
    named: set[str] = set()
    for row in context.to_dict("records"):
        if row["adcode"] == home:
            continue
        geom = shapely.clip_by_rect(row["geometry"], x0, y0, x1, y1)
        # the 9+2 (and Taiwan, a province on every Chinese map) are named however small
        small = geom.area * px_per_unit**2 < 4000
        if geom.is_empty or (small and row["adcode"] not in NAMED_PROVINCES):
            continue
        step = labeller.units_per_point * sizes.province_label * 1.6
        for x, y in _anchors(geom, step):
            if labeller.place(
                x,
                y,
                _label_name(row, lang),
                ha="center",
                va="center",
                fontproperties=bold,
                fontsize=sizes.province_label,
                kind="province",
                color="#6b6b6b",
                zorder=20,
                path_effects=HALO,
            ):
                named.add(row["adcode"])
                break
    frame = frame[~frame["adcode"].isin(named)]  # a province map: each name once
    # The regions inside the view's focus (a city's counties) before anything else.
    if layers.focus:
        for row in frame[frame["_focus"]].to_dict("records"):
            _place_region_label(labeller, row, x0, y0, x1, y1, lang, sizes, regular)
    # Projects (≤ 30), at the middle of what is visible of each line, else nearby.
    if not projects.empty and len(projects) <= 30:
        for row in projects.to_dict("records"):
            geom = shapely.clip_by_rect(row["geometry"], x0, y0, x1, y1)
            if geom.is_empty:
                continue
            colour = maps.project_colour(row, layers.view.colour_by)
            text = _project_label(row, lang)
            for px, py, ha in _project_anchors(geom, (x1 - x0) * 0.012):
                if labeller.place(
                    px,
                    py,
                    text,
                    ha=ha,
                    va="center",
                    fontproperties=regular,
                    fontsize=sizes.project_label,
                    color=_darker(colour),
                    kind="project",
                    zorder=21,
                    path_effects=HALO,
                ):
                    break
    # Regions with measures first (most first), then the rest by size.
    if layers.view.level == "province" and layers.view.extent == "china":
        return
    if not layers.focus:  # Jiangxi's own regions, then the others
        for row in frame[frame["_focus"]].to_dict("records"):
            _place_region_label(labeller, row, x0, y0, x1, y1, lang, sizes, regular)
    for row in frame[~frame["_focus"]].to_dict("records"):
        big_enough = (
            shapely.area(shapely.clip_by_rect(row["geometry"], x0, y0, x1, y1)) * px_per_unit**2
            >= 1800
        )
        if row["_count"] > 0 or (big_enough and layers.view.level == "county"):
            _place_region_label(labeller, row, x0, y0, x1, y1, lang, sizes, regular)


def _place_region_label(
    labeller: _Labeller,
    row: dict,
    x0: float,
    y0: float,
    x1: float,
    y1: float,
    lang: str,
    sizes: _Sizes,
    regular: FontProperties,
) -> None:
    geom = shapely.clip_by_rect(row["geometry"], x0, y0, x1, y1)
    if geom.is_empty:
        return
    step = labeller.units_per_point * sizes.label * 1.5
    for x, y in _anchors(geom, step):
        if labeller.place(
            x,
            y,
            _label_name(row, lang),
            ha="center",
            va="center",
            fontproperties=regular,
            fontsize=sizes.label,
            color=TEXT_COLOUR,
            zorder=19,
            path_effects=HALO,
        ):
            return


def _anchors(geom: shapely.Geometry, step: float) -> list[tuple[float, float]]:
    """Where a region's label may go: its label point, then nudged around it, still inside."""
    point = _label_anchor(geom)
    found = [(point.x, point.y)]
    for dx, dy in (
        (0, 1),
        (0, -1),
        (1.5, 0),
        (-1.5, 0),
        (1.2, 1),
        (-1.2, 1),
        (1.2, -1),
        (-1.2, -1),
        (0, 2),
        (0, -2),
    ):
        x, y = point.x + dx * step, point.y + dy * step
        if geom.contains(shapely.Point(x, y)):
            found.append((x, y))
    return found


def _marker_boxes(ax: Axes, projects: gpd.GeoDataFrame, sizes: _Sizes) -> list[Bbox]:
    """Pixel boxes of the project markers, which labels must not cover."""
    radius = sizes.marker / 2 * ax.figure.dpi / 72 + 1
    boxes = []
    for row in projects.to_dict("records") if not projects.empty else []:
        if maps.project_shape(row) != "point":
            continue
        for part in shapely.get_parts(row["geometry"]):
            x, y = ax.transData.transform((part.x, part.y))
            boxes.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))
    return boxes


def _label_anchor(geom: shapely.Geometry) -> shapely.Point:
    """The representative point of the largest part (labels stay off small islands)."""
    parts = shapely.get_parts(geom)
    largest = parts[int(np.argmax(shapely.area(parts)))] if len(parts) > 1 else geom
    return largest.representative_point()


def _project_anchors(geom: shapely.Geometry, offset: float) -> list[tuple[float, float, str]]:
    """Candidate label positions: along a line (middle first), or beside a point or area."""
    if geom.geom_type in ("Point", "MultiPoint"):
        point = shapely.get_parts(geom)[0]
        return [
            (point.x + offset, point.y, "left"),
            (point.x - offset, point.y, "right"),
            (point.x + offset, point.y + offset * 1.6, "left"),
            (point.x + offset, point.y - offset * 1.6, "left"),
        ]
    if geom.geom_type.endswith("Polygon"):
        point = geom.representative_point()
        return [(point.x, point.y, "center")]
    line = (
        max(shapely.get_parts(geom), key=lambda g: g.length)
        if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection"
        else geom
    )
    anchors = []
    for fraction in (0.5, 0.35, 0.65, 0.2, 0.8):
        point = line.interpolate(fraction, normalized=True)
        anchors.append((point.x + offset, point.y, "left"))
    return anchors


def _darker(colour: str, factor: float = 0.7) -> str:
    value = colour.lstrip("#")
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{int(c * factor):02x}" for c in rgb)


def _draw_legend(
    fig: Figure,
    panel: Axes,
    sections: list[tuple[str, list[tuple[object, str]]]],
    notes: list[str],
    sizes: _Sizes,
    regular: FontProperties,
    bold: FontProperties,
) -> list[str]:
    """Stack one legend per section in ``panel``, then the notes, top down.

    When it all does not fit the panel's height, it is drawn again smaller (down to 70%).
    """
    drawn: list[str] = []
    for scale in (1.0, 0.9, 0.8, 0.7):
        artists, drawn, bottom = _stack_legend(
            fig, panel, sections, notes, sizes, regular, bold, scale
        )
        if bottom >= 0 or scale == 0.7:
            return drawn
        for artist in artists:
            artist.remove()
    return drawn


def _stack_legend(
    fig: Figure,
    panel: Axes,
    sections: list[tuple[str, list[tuple[object, str]]]],
    notes: list[str],
    sizes: _Sizes,
    regular: FontProperties,
    bold: FontProperties,
    scale: float,
) -> tuple[list, list[str], float]:
    renderer = fig.canvas.get_renderer()
    panel_box = panel.get_window_extent(renderer)
    y = 1.0
    drawn: list[str] = []
    artists: list = []
    title_font = bold.copy()
    title_font.set_size(sizes.legend_title * scale)
    item_font = regular.copy()
    item_font.set_size(sizes.legend * scale)
    for title, rows in sections:
        if not rows:
            continue
        labels = [
            _wrap(fig, label, regular, sizes.legend * scale, panel_box.width * 0.78)
            for _, label in rows
        ]
        legend = panel.legend(
            [h for h, _ in rows],
            ["\n".join(lines) for lines in labels],
            title=title,
            loc="upper left",
            bbox_to_anchor=(0.0, y),
            frameon=False,
            prop=item_font,
            title_fontproperties=title_font,
            alignment="left",
            handlelength=2.2,
            handleheight=1.0,
            borderaxespad=0.0,
            labelspacing=0.45 * scale,
        )
        panel.add_artist(legend)
        artists.append(legend)
        drawn.append(title)
        drawn.extend(label for _, label in rows)
        box = legend.get_window_extent(renderer)
        y = (box.y0 - panel_box.y0) / panel_box.height - 0.03 * scale
    note_size = sizes.legend * 0.82 * scale
    for note in notes:
        lines = _wrap(fig, note, regular, note_size, panel_box.width * 0.98)
        text = panel.text(
            0.0,
            y,
            "\n".join(lines),
            transform=panel.transAxes,
            ha="left",
            va="top",
            fontproperties=regular,
            fontsize=note_size,
            color="#555555",
        )
        artists.append(text)
        box = text.get_window_extent(renderer)
        y = (box.y0 - panel_box.y0) / panel_box.height - 0.02 * scale
        drawn.append(note)
    return artists, drawn, y


def _draw_inside_legend(
    fig: Figure,
    ax: Axes,
    sections: list[tuple[str, list[tuple[object, str]]]],
    sizes: _Sizes,
    regular: FontProperties,
    bold: FontProperties,
) -> Bbox:
    """One compact legend box in the map's upper left (for narrow slide maps)."""
    handles: list[object] = []
    labels: list[str] = []
    for title, rows in sections:
        if not rows:
            continue
        handles.append(Patch(facecolor="none", edgecolor="none"))
        labels.append(title)
        for handle, label in rows:
            handles.append(handle)
            labels.append(label)
    item_font = regular.copy()
    item_font.set_size(sizes.legend * 0.9)
    legend = ax.legend(
        handles,
        labels,
        loc="upper left",
        prop=item_font,
        frameon=True,
        framealpha=0.92,
        edgecolor="#999999",
        handlelength=2.0,
        borderpad=0.6,
        labelspacing=0.35,
    )
    titles = {title for title, _ in sections}
    for text in legend.get_texts():
        if text.get_text() in titles:
            text.set_fontproperties(bold)
            text.set_fontsize(sizes.legend * 0.95)
    legend.set_zorder(40)
    return legend.get_window_extent(fig.canvas.get_renderer())


def _footer(
    ds: Dataset,
    fig: Figure,
    lang: str,
    sizes: _Sizes,
    font: FontProperties,
    left: float,
    bottom: float,
    today: dt.date,
) -> list[str]:
    """Source and date (left), 示意图 note (right), under the map."""
    renderer = fig.canvas.get_renderer()
    fig_px = fig.get_window_extent(renderer)
    boundary, plan = t("boundary_source", lang), t("export_plan_source", lang, date=ds.meta["date"])
    status = t("export_status_source", lang, date=status_as_of(ds))
    right_text = [t("export_schematic", lang), t("export_made", lang, date=today.isoformat())]
    right_width = max(_text_width(fig, s, font, sizes.footer) for s in right_text)
    width = fig_px.width * (1 - left) - right_width - fig_px.width * left * 3
    lines = _wrap(fig, boundary, font, sizes.footer, width) + _wrap(
        fig, f"{plan};{status}" if lang == "zh" else f"{plan}; {status}", font, sizes.footer, width
    )
    y_top = bottom - 0.1 * sizes.k / (fig_px.height / fig.dpi)
    fig.text(
        left,
        y_top,
        "\n".join(lines[:3]),
        ha="left",
        va="top",
        fontproperties=font,
        fontsize=sizes.footer,
        color="#444444",
        linespacing=1.35,
    )
    fig.text(
        1 - left * 0.8,
        y_top,
        "\n".join(right_text),
        ha="right",
        va="top",
        fontproperties=font,
        fontsize=sizes.footer,
        color="#444444",
        linespacing=1.35,
    )
    return lines + right_text


def _text_width(fig: Figure, text: str, font: FontProperties, size: float) -> float:
    probe = fig.text(0, 0, text, fontproperties=font, fontsize=size)
    width = probe.get_window_extent(fig.canvas.get_renderer()).width
    probe.remove()
    return width


def export_png(ds: Dataset, view: View, lang: str = "zh", size: str = "slide") -> bytes:
    """The view as PNG bytes at a named size (``slide``: 1920×1080; ``a4``: 3508×2480, 300 dpi).

    Raises
    ------
    KeyError
        For an unknown size.
    geo.render.fonts.MissingFontError
        Without a font that draws the map's Chinese text.
    """
    if size not in SIZES:
        raise KeyError(f"unknown size {size!r}; one of {', '.join(SIZES)}")
    width, height, dpi = SIZES[size]
    return render_map(ds, view, lang, width=width, height=height, dpi=dpi).png
