"""The geometry that goes to the browser: each level simplified for the zoom it is shown at.

The shipped boundaries (``data/boundaries``) are accurate to about a kilometre, for spatial joins.
A map of the 9+2 region at web zoom 5–6 shows about 2–3 km per pixel, so sending them as they are
would waste most of the bytes. Here each level is simplified again as a coverage (shared borders
stay shared), parts smaller than the tolerance squared are dropped (islets invisible at that
zoom; the dash-line layer marks the South China Sea) and coordinates are rounded to what the
zoom can show. Results are cached on the dataset.
"""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import numpy as np
import shapely

from geo.core.constants import JIANGXI, MAP_AREA
from geo.core.dataset import Dataset

# level -> (tolerance in degrees, decimals kept); see the module docstring.
DISPLAY = {
    "province": (0.04, 2),  # all of China or the 9+2 at zoom 4–6 (≈ 2.5–6 km per pixel)
    "city": (0.03, 2),  # the 9+2's cities at zoom 5–7
    "county": (0.006, 3),  # one province's counties at zoom 7–9 (≈ 0.3–1.2 km per pixel)
}


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
    kept = []
    for geom in geoms:
        parts = shapely.get_parts(geom)
        areas = shapely.area(parts)
        big = parts[areas >= tolerance * tolerance]
        if len(big) == 0:
            big = parts[[int(np.argmax(areas))]]
        kept.append(big[0] if len(big) == 1 else shapely.multipolygons(big))
    rounded = shapely.set_precision(np.array(kept, dtype=object), 10.0**-decimals, mode="pointwise")
    return frame.set_geometry(gpd.GeoSeries(rounded, index=frame.index, crs=frame.crs))


def display_regions(
    ds: Dataset, level: str, provinces: Collection[str] | None = None
) -> gpd.GeoDataFrame:
    """The regions of ``level`` (optionally only inside ``provinces``) simplified for display.

    Cached on the dataset per (level, provinces).
    """

    def build() -> gpd.GeoDataFrame:
        frame = ds.regions[level]
        if provinces is not None:
            column = "adcode" if level == "province" else "province_adcode"
            frame = frame[frame[column].isin(set(provinces))]
        return simplify_for_display(frame, *DISPLAY[level])

    return ds.memo(
        ("display", level, tuple(sorted(provinces)) if provinces is not None else None), build
    )


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
