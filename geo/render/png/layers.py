"""What the print map draws inside its frame: the grey provinces, the choropleth regions, the
province borders, the focus outline, the dash line and the projects (areas hatched, lines on
a white casing, sites as circles)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib import patheffects
from matplotlib.axes import Axes
from matplotlib.transforms import Bbox

from geo.core.dataset import Dataset
from geo.render.png.canvas import (
    CONTEXT_FILL,
    PROVINCE_EDGE,
    REGION_EDGE,
    Canvas,
    Sizes,
    draw_frame,
)
from geo.render.styles import (
    DASHLINE_COLOUR,
    HIGHLIGHT,
    count_colour,
    project_colour,
    project_shape,
)


def focus_frame(ds: Dataset, adcode: str) -> gpd.GeoDataFrame:
    """The region ``adcode`` alone, at its own level (WGS84)."""
    level = str(ds.region_table.at[adcode, "level"])
    frame = ds.regions[level]
    return frame[frame["adcode"] == adcode]


def _finish_axes(ax: Axes, limits: tuple[float, float, float, float]) -> None:
    ax.set_xlim(limits[0], limits[2])
    ax.set_ylim(limits[1], limits[3])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.set_xlabel("")
    ax.set_ylabel("")
    for spine in ax.spines.values():
        spine.set_edgecolor("#444444")
        spine.set_linewidth(0.9)


def draw_map(c: Canvas, ds: Dataset) -> bool:
    """Draw the map's layers, bottom up; returns whether the dash line is in view."""
    ax, k, layers = c.ax, c.sizes.k, c.layers
    draw_frame(c.context, ax, facecolor=CONTEXT_FILL, edgecolor="none", linewidth=0)
    fills = [count_colour(float(layers.counts.get(code, 0))) for code in c.regions["adcode"]]
    draw_frame(c.regions, ax, color=fills, edgecolor=REGION_EDGE, linewidth=0.35 * k)
    draw_frame(c.context, ax, facecolor="none", edgecolor=PROVINCE_EDGE, linewidth=0.9 * k)
    if layers.focus:
        focus = focus_frame(ds, layers.focus).to_crs(c.crs)
        draw_frame(focus, ax, facecolor="none", edgecolor=HIGHLIGHT, linewidth=2.4 * k, zorder=6)
    dash = ds.dashline.to_crs(c.crs)
    dash_in_main = bool(dash.intersects(shapely.box(*c.limits)).any())
    if dash_in_main:
        draw_frame(dash, ax, color=DASHLINE_COLOUR, linewidth=1.1 * k, zorder=5)
    draw_projects(ax, c.projects, layers.view.colour_by, c.sizes)
    _finish_axes(ax, c.limits)
    return dash_in_main


def _draw_area(ax: Axes, row: Mapping[str, Any], colour: str, sizes: Sizes) -> None:
    # hatched, not filled: a tint over the choropleth would read as another class
    gpd.GeoSeries([row["geometry"]]).plot(
        ax=ax,
        facecolor="none",
        hatch="///",
        edgecolor=colour,
        linewidth=1.6 * sizes.k,
        zorder=7,
    )


def _draw_line(ax: Axes, row: Mapping[str, Any], colour: str, sizes: Sizes) -> None:
    dotted = project_shape(row) == "dotted"
    casing = [
        patheffects.Stroke(linewidth=sizes.line + 2.2 * sizes.k, foreground="white"),
        patheffects.Normal(),
    ]
    for part in shapely.get_parts(row["geometry"]):
        xs, ys = np.asarray(part.coords).T[:2]
        ax.plot(
            xs,
            ys,
            color=colour,
            linewidth=sizes.line,
            linestyle=(0, (1.0, 1.4)) if dotted else "-",
            solid_capstyle="round",
            dash_capstyle="round",
            zorder=8,
            path_effects=casing,
        )


def _draw_sites(ax: Axes, row: Mapping[str, Any], colour: str, sizes: Sizes) -> None:
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


def draw_projects(ax: Axes, projects: gpd.GeoDataFrame, colour_by: str, sizes: Sizes) -> None:
    """Areas, then lines (white casing under each), then points on top."""
    if projects.empty:
        return
    rows = projects.to_dict("records")
    for shapes, draw in (
        (("fill",), _draw_area),
        (("line", "dotted"), _draw_line),
        (("point",), _draw_sites),
    ):
        for row in rows:
            if project_shape(row) in shapes:
                draw(ax, row, project_colour(row, colour_by), sizes)


def marker_boxes(c: Canvas) -> list[Bbox]:
    """Pixel boxes of the project markers, which labels must not cover."""
    radius = c.sizes.marker / 2 * c.fig.dpi / 72 + 1
    boxes = []
    for row in c.projects.to_dict("records") if not c.projects.empty else []:
        if project_shape(row) != "point":
            continue
        for part in shapely.get_parts(row["geometry"]):
            x, y = c.ax.transData.transform((part.x, part.y))
            boxes.append(Bbox.from_extents(x - radius, y - radius, x + radius, y + radius))
    return boxes
