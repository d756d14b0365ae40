"""A Matplotlib figure laid out for a view: the map axes in the view's Lambert conformal conic
projection, fitted to its extent, with the sizes of text and lines for the figure's size.

Drawn with the Agg canvas (no pyplot, no global state, safe in Streamlit's threads).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ParamSpec, TypeVar

import geopandas as gpd
import shapely
from matplotlib import patheffects, rc_context
from matplotlib.axes import Axes
from matplotlib.backend_bases import RendererBase
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from pyproj import CRS

from geo.analysis.views import View, ViewLayers, view_layers
from geo.core.dataset import Dataset
from geo.render import fonts

WGS84 = "EPSG:4326"
CONTEXT_FILL = "#ecebe6"
REGION_EDGE = "#a3a3a3"
PROVINCE_EDGE = "#5f5f5f"
TEXT_COLOUR = "#222222"
HALO = [patheffects.withStroke(linewidth=2.6, foreground="white")]
Limits = tuple[float, float, float, float]  # x0, y0, x1, y1 in the map's CRS (metres)

_P = ParamSpec("_P")
_R = TypeVar("_R")


@dataclass(frozen=True)
class ImageOptions:
    """How a map image is drawn.

    Attributes
    ----------
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
    """

    width: int = 1920
    height: int = 1080
    dpi: int = 144
    title: bool = True
    legend: str = "right"
    labels: bool = True
    scale: float | None = None


class Sizes:
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


class _QuietCanvas(FigureCanvasAgg):
    """The Agg canvas without ``draw_idle``.

    geopandas' plot() ends with canvas.draw_idle(), which on Agg is a full draw: one per
    layer. Nothing here needs it (text sizes are measured with the renderer directly).
    """

    def draw_idle(self, *args: Any, **kwargs: Any) -> None:
        return None


@dataclass
class Canvas:
    """A figure laid out for a view: the map axes at their final limits, in a view's LCC."""

    fig: Figure
    ax: Axes
    renderer: RendererBase
    crs: CRS
    limits: Limits
    layers: ViewLayers
    sizes: Sizes
    font: fonts.CJKFont
    regular: FontProperties
    bold: FontProperties
    context: gpd.GeoDataFrame
    regions: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    margins: tuple[float, float, float, float, float]  # left, bottom, top, right, panel

    @property
    def inches(self) -> tuple[float, float]:
        """The figure's width and height in inches."""
        width, height = self.fig.get_size_inches()
        return float(width), float(height)


def lcc_crs(extent: Sequence[float]) -> CRS:
    """A Lambert conformal conic CRS centred on ``extent`` (west, south, east, north).

    The standard parallels sit at 1/6 and 5/6 of its latitude span: shapes and north are true
    at the centre, and the scale varies by about 1% across a 9+2 map.
    """
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


def fit_limits(bounds: Limits, ax_w: float, ax_h: float) -> Limits:
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


def projected_box(extent: Sequence[float], crs: CRS) -> Limits:
    """The bounds in ``crs`` of the box ``extent`` (west, south, east, north, degrees)."""
    box = shapely.segmentize(shapely.box(*extent), 0.25)
    x0, y0, x1, y1 = gpd.GeoSeries([box], crs=WGS84).to_crs(crs).total_bounds
    return float(x0), float(y0), float(x1), float(y1)


def draw_frame(gdf: gpd.GeoDataFrame, ax: Axes, **kwargs: Any) -> None:
    """Plot ``gdf`` on ``ax`` with Matplotlib keywords, unless it is empty."""
    if not gdf.empty:
        gdf.plot(ax=ax, **kwargs)


def _margins(options: ImageOptions, sizes: Sizes) -> tuple[float, float, float, float, float]:
    """Left, bottom, top, right and legend panel widths as fractions of the figure."""
    fig_w_in, fig_h_in = options.width / options.dpi, options.height / options.dpi
    k = sizes.k
    top = (0.95 * k if options.title else 0.12 * k) / fig_h_in
    bottom = 0.62 * k / fig_h_in
    left = 0.22 * k / fig_w_in
    right_panel = (3.25 * k / fig_w_in) if options.legend == "right" else 0.0
    right = 0.18 * k / fig_w_in
    return left, bottom, top, right, right_panel


def make_canvas(ds: Dataset, view: View, lang: str, options: ImageOptions) -> Canvas:
    """The figure of ``view`` at ``options``' size, its map axes fitted to the view's extent.

    Raises
    ------
    geo.render.fonts.MissingFontError
        Without a font that draws the title (when ``options.title``).
    """
    layers = view_layers(ds, view)
    # The title's characters must be covered only where the title is drawn (not on deck slides,
    # nor for the web map's label layout, whose text the browser draws).
    text = view.title(lang) + view.subtitle(lang) if options.title else ""
    font_choice = fonts.find_cjk_font(text)
    dpi = options.dpi
    fig = Figure(figsize=(options.width / dpi, options.height / dpi), dpi=dpi, facecolor="white")
    renderer = _QuietCanvas(fig).get_renderer()
    sizes = Sizes(options.height / dpi, options.width / dpi, options.scale)
    margins = left, bottom, top, right, right_panel = _margins(options, sizes)
    ax = fig.add_axes((left, bottom, 1 - left - right - right_panel, 1 - top - bottom))
    crs = lcc_crs(layers.extent)
    ax_px = ax.get_window_extent(renderer)
    limits = fit_limits(projected_box(layers.extent, crs), ax_px.width, ax_px.height)
    look = gpd.GeoSeries([shapely.box(*limits)], crs=crs).to_crs(WGS84).iloc[0].envelope
    ax.set_xlim(limits[0], limits[2])
    ax.set_ylim(limits[1], limits[3])
    ax.set_aspect("equal", adjustable="box")
    projects = layers.projects.to_crs(crs) if not layers.projects.empty else layers.projects
    return Canvas(
        fig=fig,
        ax=ax,
        renderer=renderer,
        crs=crs,
        limits=limits,
        layers=layers,
        sizes=sizes,
        font=font_choice,
        regular=FontProperties(family=font_choice.family),
        bold=FontProperties(family=font_choice.family, weight="bold"),
        context=layers.context[layers.context.intersects(look)].to_crs(crs),
        regions=layers.regions.to_crs(crs),
        projects=projects,
        margins=margins,
    )


def literal_text(func: Callable[_P, _R]) -> Callable[_P, _R]:
    """Run ``func`` with Matplotlib's mathtext off: it reads ``$...$`` in any text as TeX, so a
    ``$`` in a name would be drawn as math or stop the export with a parse error."""

    @functools.wraps(func)
    def literal(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        with rc_context({"text.parse_math": False}):
            return func(*args, **kwargs)

    return literal
