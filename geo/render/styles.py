"""Colours and symbols shared by every map drawn: the folium page maps, the PNG and the deck.

One home for each: a project's colour (by kind or by status), how it is drawn (point, line,
dotted line, area), the choropleth classes, and the colours of outlines, the focus and the
South China Sea dash line.
"""

from __future__ import annotations

from collections.abc import Mapping

import shapely

KIND_COLOURS = {
    "high_speed_rail": "#d62728",
    "railway": "#9467bd",
    "expressway": "#ff7f0e",
    "gas_pipeline": "#17becf",
    "power_line": "#bcbd22",
    "freight_route": "#8c564b",
    "airport": "#1f77b4",
    "new_area": "#e377c2",
    "bonded_zone": "#7f7f7f",
    "free_trade_zone": "#393b79",
    "industrial_park": "#2ca02c",
    "demonstration_zone": "#e6ab02",  # mustard: told apart from cooperation_zone in print
    "cooperation_zone": "#8c6d31",
    "eco_belt": "#01665e",  # dark teal: told apart from industrial_park green
    "info_pilot": "#6b6ecf",
    "trade_policy": "#843c39",
}
STATUS_COLOURS = {
    "open": "#1a9850",
    "operating": "#1a9850",
    "completed": "#1a9850",
    "partly_built": "#a6d96a",
    "under_construction": "#fdae61",
    "approved": "#74add1",
    "planned": "#4575b4",
    "signed": "#74add1",
    "not_built": "#636363",
    "not_approved": "#636363",
    "unknown": "#bdbdbd",
}
# Upper bounds (inclusive) of the choropleth classes and their colours (ColorBrewer OrRd 5).
COUNT_BINS = (1, 2, 4, 8, 10_000)
COUNT_COLOURS = ("#fef0d9", "#fdcc8a", "#fc8d59", "#e34a33", "#b30000")
EMPTY_FILL = "#ffffff"
OUTLINE = "#555555"
HIGHLIGHT = "#08519c"
DASHLINE_COLOUR = "#3a6fb0"
HOME_FILL = "#9ecae1"  # Jiangxi on the partners map: blue, apart from the OrRd choropleth
HOME_OUTLINE = "#08306b"
LEGEND_GREY = "#555555"  # legend rows for symbols, not colours (freight services dotted)


def count_colour(n: float) -> str:
    """The choropleth colour for ``n`` measures (white for none)."""
    if not n or n <= 0:
        return EMPTY_FILL
    for bound, colour in zip(COUNT_BINS, COUNT_COLOURS, strict=True):
        if n <= bound:
            return colour
    return COUNT_COLOURS[-1]


def project_colour(row: Mapping[str, object], colour_by: str) -> str:
    """The colour of a project drawn by ``kind`` or by ``status``."""
    if colour_by == "status":
        return STATUS_COLOURS.get(str(row["status"]), STATUS_COLOURS["unknown"])
    return KIND_COLOURS.get(str(row["kind"]), "#333333")


def project_shape(row: Mapping[str, object]) -> str:
    """How a project is drawn: ``point`` (Point, MultiPoint), ``fill`` (areas), ``dotted``
    (freight services, which run on existing lines) or ``line`` (routes)."""
    geom = row["geometry"]
    if not isinstance(geom, shapely.Geometry):
        raise TypeError(f"project {row.get('id')!r} has no geometry")
    kind = str(geom.geom_type)
    if kind in ("Point", "MultiPoint"):
        return "point"
    if kind.endswith("Polygon"):
        return "fill"
    return "dotted" if row.get("kind") == "freight_route" else "line"


def darker(colour: str, factor: float = 0.7) -> str:
    """``colour`` (``#rrggbb``) with each channel scaled by ``factor`` (label text on a map)."""
    value = colour.lstrip("#")
    rgb = [int(value[i : i + 2], 16) for i in (0, 2, 4)]
    return "#" + "".join(f"{int(c * factor):02x}" for c in rgb)
