"""The scale bar and the north arrow of the print map.

The scale bar is computed geodesically (WGS84 ellipsoid) at the map's centre; the north arrow
points to true north where it stands.
"""

from __future__ import annotations

import math

from matplotlib.patches import FancyArrow, Rectangle
from matplotlib.transforms import Bbox
from pyproj import CRS, Geod, Transformer

from geo.core.i18n import t
from geo.render.png.canvas import HALO, TEXT_COLOUR, WGS84, Canvas

_GEOD = Geod(ellps="WGS84")
INK = "#222222"


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


def draw_scale_bar(c: Canvas, lang: str) -> Bbox:
    """Draw the scale bar in the lower left; returns its bounding box (display pixels)."""
    ax, extent = c.ax, c.layers.extent
    x0, y0, x1, y1 = c.limits
    lon = (extent[0] + extent[2]) / 2
    lat = (extent[1] + extent[3]) / 2
    map_width_km = (x1 - x0) / 1000.0
    km = nice_length(map_width_km * 0.22)
    length = scale_bar_length(c.crs, lon, lat, km)
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
                facecolor=INK if i % 2 == 0 else "white",
                edgecolor=INK,
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
                fontproperties=c.regular,
                fontsize=c.sizes.legend * 0.85,
                color=TEXT_COLOUR,
                zorder=31,
                path_effects=HALO,
            )
        )
    return Bbox.union(
        [text.get_window_extent(c.renderer) for text in texts]
        + [ax.transData.transform_bbox(Bbox.from_bounds(bx, by, length, height))]
    )


def _north_at(crs: CRS, x: float, y: float) -> float:
    """Radians clockwise from the map's up to true north at (x, y) of ``crs``."""
    lon, lat = Transformer.from_crs(crs, WGS84, always_xy=True).transform(x, y)
    nx, ny = Transformer.from_crs(WGS84, crs, always_xy=True).transform(lon, lat + 0.2)
    return math.atan2(nx - x, ny - y)


def draw_north_arrow(c: Canvas) -> Bbox:
    """Draw a north arrow pointing to true north where it stands; returns its box (pixels).

    It stands in the upper right; on a map so wide that the meridians there lean more than
    10° (a map of all China), it moves to the top of the central meridian, where north is up.
    """
    x0, y0, x1, y1 = c.limits
    y = y0 + (y1 - y0) * 0.865
    x = x0 + (x1 - x0) * 0.955
    angle = _north_at(c.crs, x, y)
    if abs(math.degrees(angle)) > 10:
        x = 0.0  # the projection's central meridian (lon_0) is the map's vertical x = 0
        angle = _north_at(c.crs, x, y)
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
        facecolor=INK,
        edgecolor="white",
        linewidth=0.8,
        zorder=30,
    )
    c.ax.add_patch(arrow)
    text = c.ax.text(
        x + dx * 0.62,
        y + dy * 0.62,
        "N",
        ha="center",
        va="bottom",
        fontproperties=c.bold,
        fontsize=c.sizes.legend_title * 1.15,
        fontweight="bold",
        color=INK,
        zorder=31,
        path_effects=HALO,
    )
    return Bbox.union([arrow.get_window_extent(c.renderer), text.get_window_extent(c.renderer)])
