"""The geometry that goes to the browser: each level simplified for the zoom it is shown at.

The shipped boundaries (``data/boundaries``) are one nested coverage simplified at 700 m, for
spatial joins and for maps up to about zoom 7; ``counties_fine.geojson`` has the counties of
Jiangxi and the six provinces around it at 150 m, for maps closer in. A map of the 9+2 at zoom
5–6 shows about 2–3 km per pixel, so sending either as it is would waste most of the bytes.
Here each level is simplified again as a coverage (shared borders stay shared), parts too small
to see are dropped (islets; the dash-line layer marks the South China Sea) and coordinates are
rounded to what the zoom can show.

Two ways to ask:

* **By zoom** (``zoom=`` the zoom the map opens at, :func:`view_zoom`): the tolerance is
  :data:`PIXEL_TOLERANCE` of a pixel at that zoom, in Web Mercator metres, and the decimals
  are what a quarter of a pixel needs (:func:`zoom_params`). From :data:`FINE_MIN_ZOOM` on,
  inside :data:`geo.core.boundaries.FINE_PROVINCES`, counties come from the fine file and
  cities and provinces are dissolved from them, so the levels still nest. Measured against
  the full-resolution source (``geo/build/deviation.py``, ``tests/unit/test_display_deviation.py``),
  what is drawn stays within 2 px of it.
* **Without a zoom**: the fixed :data:`DISPLAY` settings of each level, for the maps that
  draw a level at one known scale (their byte budgets were measured with these).

Results are cached on the dataset.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence

import geopandas as gpd
import numpy as np
import shapely

from geo.core.boundaries import FINE_PROVINCES, load_fine_counties
from geo.core.constants import JIANGXI, MAP_AREA
from geo.core.dataset import Dataset

# level -> (tolerance in degrees, decimals kept); see the module docstring.
DISPLAY = {
    "province": (0.04, 2),  # all of China or the 9+2 at zoom 4–6 (≈ 2.5–6 km per pixel)
    "city": (0.03, 2),  # the 9+2's cities at zoom 5–7
    "county": (0.006, 3),  # one province's counties at zoom 7–9 (≈ 0.3–1.2 km per pixel)
}

PIXEL_TOLERANCE = 0.6
"""Simplification tolerance for a known zoom, in pixels (Visvalingam-Whyatt, as the square
root of the triangle area removed). With the shipped data it keeps the drawn outline within
2 px of the source (measured: about 1.3–1.9 px at most)."""

FINE_MIN_ZOOM = 8.0
"""From this zoom on, maps inside :data:`FINE_PROVINCES` draw the fine counties: the 700 m
coverage strays up to about 3 px from the source at zoom 8, the 150 m one about 1.5 px."""

MAP_HEIGHT_PX = 560
"""Height of the app's maps (``geo.app.ui.MAP_HEIGHT``; the app layer is above this one)."""
MAP_WIDTH_PX = 1400
"""Widest the app's maps get (wide layout). A map opens at its highest zoom there, so a
geometry simplified for that zoom is fine enough on every narrower screen."""
ZOOM_SNAP = 0.25
"""Leaflet's ``zoomSnap`` in the app's maps (``geo.render.maps``)."""

_TILE_PX = 256
_WEB_MERCATOR_M_PER_PX_Z0 = 156543.03392804097


def pixel_metres(zoom: float) -> float:
    """Web Mercator metres per screen pixel at ``zoom`` (ground metres: times cos latitude)."""
    return _WEB_MERCATOR_M_PER_PX_Z0 / 2.0**zoom


def _mercator_y(lat: float) -> float:
    """Latitude → y in 256-px tile pixels at zoom 0 (0 at the top)."""
    rad = math.radians(max(min(lat, 85.0511), -85.0511))
    return (1.0 - math.log(math.tan(rad) + 1.0 / math.cos(rad)) / math.pi) / 2.0 * _TILE_PX


def view_zoom(
    bounds: Sequence[Sequence[float]],
    width_px: float = MAP_WIDTH_PX,
    height_px: float = MAP_HEIGHT_PX,
    snap: float = ZOOM_SNAP,
) -> float:
    """The zoom a Leaflet map of ``width_px`` × ``height_px`` opens at when fitted to ``bounds``.

    As Leaflet's ``fitBounds`` without padding: the largest zoom, rounded down to ``snap``,
    at which the bounds fit.

    Parameters
    ----------
    bounds : [[south, west], [north, east]]
        WGS84 degrees, as :func:`geo.core.geometry.fit_bounds` returns them.
    width_px, height_px : float
        Map size in CSS pixels (default: the app's widest map).
    snap : float, default ZOOM_SNAP

    Returns
    -------
    float
        The zoom (never above 18).
    """
    (south, west), (north, east) = bounds
    dx = max((east - west) / 360.0 * _TILE_PX, 1e-9)
    dy = max(_mercator_y(south) - _mercator_y(north), 1e-9)
    zoom = math.log2(min(width_px / dx, height_px / dy))
    return min(math.floor(zoom / snap) * snap, 18.0)


def zoom_params(zoom: float) -> tuple[float, int]:
    """Simplification tolerance (Web Mercator metres) and decimals for a map at ``zoom``.

    Parameters
    ----------
    zoom : float

    Returns
    -------
    (float, int)
        :data:`PIXEL_TOLERANCE` pixels in metres, and the fewest decimals whose rounding
        error (half a unit) is at most a quarter of a pixel (in longitude).
    """
    pixel_degrees = 360.0 / (_TILE_PX * 2.0**zoom)
    decimals = max(math.ceil(math.log10(2.0 / pixel_degrees)), 0)
    return PIXEL_TOLERANCE * pixel_metres(zoom), decimals


def _drop_small_parts(geoms: np.ndarray, min_area: float) -> list[shapely.Geometry]:
    """Each geometry without its parts under ``min_area`` (its largest part is always kept)."""
    kept = []
    for geom in geoms:
        parts = shapely.get_parts(geom)
        areas = shapely.area(parts)
        big = parts[areas >= min_area]
        if len(big) == 0:
            big = parts[[int(np.argmax(areas))]]
        kept.append(big[0] if len(big) == 1 else shapely.multipolygons(big))
    return kept


def simplify_for_display(
    frame: gpd.GeoDataFrame, tolerance: float, decimals: int
) -> gpd.GeoDataFrame:
    """Simplify polygons as a coverage, drop parts below ``tolerance²`` and round coordinates.

    Parameters
    ----------
    frame : GeoDataFrame
        Polygons forming a coverage (no overlaps), EPSG:4326.
    tolerance : float
        In degrees.
    decimals : int
        Decimal places kept.

    Returns
    -------
    GeoDataFrame
        A new frame, same columns and index.
    """
    if frame.empty:
        return frame.copy()
    geoms = shapely.coverage_simplify(frame.geometry.to_numpy(), tolerance)
    kept = _drop_small_parts(geoms, tolerance * tolerance)
    rounded = shapely.set_precision(np.array(kept, dtype=object), 10.0**-decimals, mode="pointwise")
    return frame.set_geometry(gpd.GeoSeries(rounded, index=frame.index, crs=frame.crs))


def simplify_for_zoom(frame: gpd.GeoDataFrame, zoom: float) -> gpd.GeoDataFrame:
    """Simplify polygons as a coverage for a map at ``zoom`` (:func:`zoom_params`).

    The tolerance is applied in Web Mercator metres, so it is the same number of pixels
    everywhere on the map; parts smaller than a pixel are dropped (the largest part of each
    geometry is always kept) and coordinates are rounded to a quarter of a pixel.

    Parameters
    ----------
    frame : GeoDataFrame
        Polygons forming a coverage (no overlaps), EPSG:4326.
    zoom : float

    Returns
    -------
    GeoDataFrame
        A new frame, same columns and index, EPSG:4326.
    """
    if frame.empty:
        return frame.copy()
    tolerance, decimals = zoom_params(zoom)
    merc = frame.geometry.to_crs(3857).to_numpy()
    simplified = shapely.coverage_simplify(merc, tolerance)
    kept = gpd.GeoSeries(
        _drop_small_parts(simplified, pixel_metres(zoom) ** 2), index=frame.index, crs=3857
    ).to_crs(frame.crs)
    rounded = shapely.set_precision(kept.to_numpy(), 10.0**-decimals, mode="pointwise")
    return frame.set_geometry(gpd.GeoSeries(rounded, index=frame.index, crs=frame.crs))


def fine_counties(ds: Dataset) -> gpd.GeoDataFrame | None:
    """The fine counties of the dataset (``counties_fine.geojson``), or None if it has none."""
    return ds.memo(("display", "fine_counties"), lambda: load_fine_counties(ds.root))


def _dissolve(counties: gpd.GeoDataFrame, parents: gpd.GeoDataFrame, key: str) -> gpd.GeoDataFrame:
    """``parents`` with each geometry replaced by the union of its ``counties``."""
    geoms = counties.geometry.to_numpy()
    keys = counties[key].to_numpy()
    merged = [shapely.coverage_union_all(geoms[keys == code]) for code in parents["adcode"]]
    return parents.set_geometry(gpd.GeoSeries(merged, index=parents.index, crs=parents.crs))


def _source_frame(
    ds: Dataset, level: str, provinces: Collection[str] | None, zoom: float | None
) -> gpd.GeoDataFrame:
    """The regions of ``level`` inside ``provinces``, from the fine counties where the zoom
    asks for them and they cover every province asked for, else from the shipped level."""
    frame = ds.regions[level]
    if provinces is not None:
        column = "adcode" if level == "province" else "province_adcode"
        frame = frame[frame[column].isin(set(provinces))]
    fine = fine_counties(ds) if zoom is not None and zoom >= FINE_MIN_ZOOM else None
    if fine is None or provinces is None or not set(provinces) <= set(FINE_PROVINCES):
        return frame
    counties = fine[fine["province_adcode"].isin(set(provinces))]
    if level == "county":
        return counties
    key = "province_adcode" if level == "province" else "city_adcode"
    return _dissolve(counties, frame, key)


def display_regions(
    ds: Dataset,
    level: str,
    provinces: Collection[str] | None = None,
    zoom: float | None = None,
) -> gpd.GeoDataFrame:
    """The regions of ``level`` (optionally only inside ``provinces``) simplified for display.

    Parameters
    ----------
    ds : Dataset
    level : {"province", "city", "county"}
    provinces : collection of str, optional
        Province adcodes: only the regions inside them (for ``province``: those provinces).
    zoom : float, optional
        The zoom the map opens at (:func:`view_zoom`). Without it, the fixed :data:`DISPLAY`
        settings of the level.

    Returns
    -------
    GeoDataFrame
        Cached on the dataset per (level, provinces, zoom snapped to :data:`ZOOM_SNAP`); each
        call gets its own copy (:meth:`geo.core.dataset.Dataset.memo`).
    """
    snapped = None if zoom is None else math.floor(zoom / ZOOM_SNAP) * ZOOM_SNAP

    def build() -> gpd.GeoDataFrame:
        frame = _source_frame(ds, level, provinces, snapped)
        if snapped is None:
            return simplify_for_display(frame, *DISPLAY[level])
        return simplify_for_zoom(frame, snapped)

    key = tuple(sorted(provinces)) if provinces is not None else None
    return ds.memo(("display", level, key, snapped), build)


def regions_for_level(ds: Dataset, level: str, focus: str | None = None) -> gpd.GeoDataFrame:
    """What a choropleth at ``level`` draws.

    Provinces: all 34 (the projects reach far beyond the 9+2). Cities: those of
    :data:`MAP_AREA`. Counties: those of one province, the one containing ``focus`` (an adcode)
    or Jiangxi.
    """
    if level == "province":
        return display_regions(ds, "province")
    if level == "city":
        return display_regions(ds, "city", MAP_AREA)
    province = JIANGXI
    if focus and focus in ds.region_table.index:
        row = ds.region_table.loc[focus]
        province = focus if row["level"] == "province" else row["province_adcode"]
    return display_regions(ds, "county", (province,))


__all__ = [
    "DISPLAY",
    "FINE_MIN_ZOOM",
    "MAP_HEIGHT_PX",
    "MAP_WIDTH_PX",
    "PIXEL_TOLERANCE",
    "ZOOM_SNAP",
    "display_regions",
    "fine_counties",
    "pixel_metres",
    "regions_for_level",
    "simplify_for_display",
    "simplify_for_zoom",
    "view_zoom",
    "zoom_params",
]
