"""The 南海诸岛 inset of the print map: the South China Sea dash line and Hainan's islands, drawn
in the lower-right corner whenever the map shows all of Hainan Island."""

from __future__ import annotations

from collections.abc import Sequence

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.axes import Axes
from pyproj import CRS, Transformer

from geo.core.constants import HAINAN
from geo.core.dataset import Dataset
from geo.core.i18n import t
from geo.render.png.canvas import (
    CONTEXT_FILL,
    HALO,
    REGION_EDGE,
    TEXT_COLOUR,
    WGS84,
    Canvas,
    draw_frame,
    lcc_crs,
    projected_box,
)
from geo.render.styles import DASHLINE_COLOUR

# The South China Sea box of the inset (west, south, east, north), degrees.
INSET_BOX = (106.0, 2.8, 123.2, 24.6)


def _hainan_island(ds: Dataset) -> shapely.Geometry:
    frame = ds.regions["province"]
    geom = frame.loc[frame["adcode"] == HAINAN].geometry.iloc[0]
    parts = shapely.get_parts(geom)
    return parts[int(np.argmax(shapely.area(parts)))]


def shows_whole_hainan(ds: Dataset, crs: CRS, limits: Sequence[float]) -> bool:
    """Whether the visible map (``limits`` in ``crs``) contains all of Hainan Island."""
    island = gpd.GeoSeries([_hainan_island(ds)], crs=WGS84).to_crs(crs).iloc[0]
    return bool(shapely.box(*limits).contains(island))


def _inset_axes(c: Canvas, aspect: float) -> Axes:
    """Axes in the map's lower-right corner for an inset of ``aspect`` (width / height)."""
    pos = c.ax.get_position()
    fig_w, fig_h = c.inches
    height = pos.height * 0.36
    width = height * aspect * fig_h / fig_w
    if width > pos.width * 0.22:  # a tall, narrow map: keep the inset off the land
        width = pos.width * 0.22
        height = width / aspect * fig_w / fig_h
    return c.fig.add_axes(
        (pos.x1 - width - pos.width * 0.006, pos.y0 + pos.height * 0.008, width, height)
    )


def draw_inset(c: Canvas, ds: Dataset, lang: str) -> Axes:
    """The 南海诸岛 inset in the map's lower-right corner: the dash line and Hainan's islands."""
    crs = lcc_crs(INSET_BOX)
    box = projected_box(INSET_BOX, crs)
    inset = _inset_axes(c, (box[2] - box[0]) / (box[3] - box[1]))
    inset.set_facecolor("white")
    provinces = ds.regions["province"]
    near = provinces[provinces.intersects(shapely.box(*INSET_BOX))]
    mainland = near[near["adcode"] != HAINAN].to_crs(crs)
    draw_frame(mainland, inset, facecolor=CONTEXT_FILL, edgecolor=REGION_EDGE, linewidth=0.4)
    hainan = provinces[provinces["adcode"] == HAINAN].to_crs(crs)
    draw_frame(hainan, inset, facecolor="#f3d9b1", edgecolor="#7a5c2e", linewidth=0.5)
    draw_frame(ds.dashline.to_crs(crs), inset, color=DASHLINE_COLOUR, linewidth=1.1)
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
        fontproperties=c.regular,
        fontsize=c.sizes.label * 0.95,
        color=TEXT_COLOUR,
        path_effects=HALO,
    )
    return inset
