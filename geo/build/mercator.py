"""Web Mercator (EPSG:3857): the plane web maps draw in, where a tolerance is a screen distance.

A screen pixel at zoom ``z`` is :data:`WEB_MERCATOR_M_PER_PX_Z0` / 2^z Web Mercator metres,
everywhere on the map (ground metres: that times cos latitude).
"""

from __future__ import annotations

import numpy as np
import shapely

__all__ = ["WEB_MERCATOR_M_PER_PX_Z0", "from_mercator", "pixel_size_m", "to_mercator"]

WEB_MERCATOR_M_PER_PX_Z0 = 156543.03392804097
"""Web Mercator metres per 256-px tile pixel at zoom 0 (halves with every zoom level)."""


def pixel_size_m(zoom: float) -> float:
    """Return the size of one screen pixel at web-map ``zoom``, in Web Mercator metres.

    Parameters
    ----------
    zoom : float
        Leaflet/OSM zoom level (256-px tiles).

    Returns
    -------
    float
        Metres in EPSG:3857; true ground size is this times cos(latitude).
    """
    return WEB_MERCATOR_M_PER_PX_Z0 / 2.0**zoom


def to_mercator(geoms: np.ndarray) -> np.ndarray:
    """WGS84 geometries (an array) → the same in Web Mercator metres (new objects)."""
    from pyproj import Transformer

    fwd = Transformer.from_crs("EPSG:4326", "EPSG:3857", always_xy=True)
    return shapely.transform(geoms, lambda c: np.column_stack(fwd.transform(c[:, 0], c[:, 1])))


def from_mercator(geoms: np.ndarray) -> np.ndarray:
    """Web Mercator geometries (an array) → WGS84 degrees (new objects)."""
    from pyproj import Transformer

    inv = Transformer.from_crs("EPSG:3857", "EPSG:4326", always_xy=True)
    return shapely.transform(geoms, lambda c: np.column_stack(inv.transform(c[:, 0], c[:, 1])))
