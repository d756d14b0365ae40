"""Small geometry rules every layer shares: what counts as drawable, and the bounds to fit.

All geometry is WGS84 (EPSG:4326), longitude first; bounds are returned in Leaflet's order,
``[[south, west], [north, east]]``.
"""

from __future__ import annotations

from collections.abc import Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from geo.core.constants import HAINAN

# Fit views to the mainland and Hainan Island, not the South China Sea islands.
FIT_SOUTH = 17.5
# What a map shows when it has nothing to fit: the 9+2 mainland.
DEFAULT_BOUNDS = [[18.0, 97.0], [33.0, 122.0]]


def has_geometry(frame: gpd.GeoDataFrame | gpd.GeoSeries) -> pd.Series:
    """Which rows have a geometry to draw (neither missing nor empty)."""
    geoms = frame.geometry if isinstance(frame, gpd.GeoDataFrame) else frame
    return geoms.notna() & ~geoms.is_empty


def is_drawable(geom: shapely.Geometry | None) -> bool:
    """Whether one geometry can be drawn (neither missing nor empty)."""
    return geom is not None and not geom.is_empty


def frame_bounds(frames: Iterable[gpd.GeoDataFrame]) -> list[list[float]]:
    """``[[south, west], [north, east]]`` covering every non-empty frame (the 9+2 if none)."""
    boxes = [f.total_bounds for f in frames if len(f) and has_geometry(f).any()]
    if not boxes:
        return [list(corner) for corner in DEFAULT_BOUNDS]
    arr = np.array(boxes)
    return [
        [float(arr[:, 1].min()), float(arr[:, 0].min())],
        [float(arr[:, 3].max()), float(arr[:, 2].max())],
    ]


def fit_bounds(frame: gpd.GeoDataFrame) -> list[list[float]]:
    """Bounds to fit a view to; areas reaching the South China Sea islands are cut at 17.5°N."""
    (south, west), (north, east) = frame_bounds([frame])
    if south < FIT_SOUTH < north:
        south = FIT_SOUTH
    return [[south, west], [north, east]]


def shows_hainan(frame: gpd.GeoDataFrame) -> bool:
    """Whether the regions drawn include all of Hainan (then the dash line and 示意图 apply)."""
    return bool(
        (frame["adcode"] == HAINAN).any() or (frame["province_adcode"] == HAINAN).sum() >= 10
    )
