"""Labels that collide with nothing: which names a map of a view can carry, and where.

Used by the print map (:mod:`geo.render.export_png`) and, laid out at screen size, by the
interactive map (:func:`map_labels`, for :mod:`geo.render.export_html`). Labels are placed in
order of importance (provinces, the focus's regions, projects, regions with measures, the
rest), each at the first of a few candidate positions where its box overlaps nothing placed
before and stays inside the map.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import geopandas as gpd
import numpy as np
import shapely
from matplotlib.transforms import Bbox
from pyproj import Transformer

from geo.analysis import display
from geo.analysis.views import View
from geo.core.constants import JIANGXI, PPRD_ADCODES, TAIWAN
from geo.core.dataset import Dataset
from geo.present.labels import project_name
from geo.render.png.canvas import (
    HALO,
    TEXT_COLOUR,
    WGS84,
    Canvas,
    ImageOptions,
    literal_text,
    make_canvas,
)
from geo.render.png.layers import marker_boxes
from geo.render.styles import darker, project_colour

NAMED_PROVINCES = (*PPRD_ADCODES, TAIWAN)
# Jiangxi's key cities (南昌, 赣州, 九江): labelled on every map that shows them.
KEY_CITIES = ("360100", "360700", "360400")
MapLabel = tuple[float, float, str, str, str]  # x or lon, y or lat, text, ha, kind
# Where a region's label may move from its label point, in steps (about a line of text).
_NUDGES = (
    (0, 1),
    (0, -1),
    (1.5, 0),
    (-1.5, 0),
    (1.2, 1),
    (-1.2, 1),
    (1.2, -1),
    (-1.2, -1),
    (0, 2),
    (0, -2),
)


class Labeller:
    """Places text on a canvas's map where it collides with nothing placed before."""

    def __init__(
        self, c: Canvas, lang: str, blocked: Iterable[Bbox] = (), soft: Iterable[Bbox] = ()
    ) -> None:
        self.c = c
        self.lang = lang
        # ``blocked`` (furniture) is never covered; ``soft`` (project markers) only by a label
        # that must be drawn (a key city), whose halo keeps it legible over a marker.
        self.soft = list(soft)
        self.placed: list[Bbox] = list(blocked) + self.soft
        self.area = c.ax.get_window_extent(c.renderer)
        x0, _, x1, _ = c.limits
        # map units per typographic point: a step given in points becomes map units
        self.units_per_point = (x1 - x0) / self.area.width * c.fig.dpi / 72
        self.px_per_unit = self.area.width / (x1 - x0)
        self.placed_labels: list[MapLabel] = []

    def place(
        self,
        x: float,
        y: float,
        text: str,
        *,
        pad: float = 3.0,
        kind: str = "region",
        must: bool = False,
        **kwargs: Any,
    ) -> bool:
        """Draw ``text`` at (x, y) with Matplotlib ``kwargs`` if it fits; whether it did.

        With ``must``, project markers do not stop it (other labels and furniture do).
        """
        artist = self.c.ax.text(x, y, text, **kwargs)
        box = artist.get_window_extent(self.c.renderer).expanded(1.0, 1.0)
        box = Bbox.from_extents(box.x0 - pad, box.y0 - pad, box.x1 + pad, box.y1 + pad)
        inside = (
            box.x0 >= self.area.x0
            and box.x1 <= self.area.x1
            and box.y0 >= self.area.y0
            and box.y1 <= self.area.y1
        )
        soft = {id(b) for b in self.soft} if must else set()
        others = (other for other in self.placed if id(other) not in soft)
        if not inside or any(box.overlaps(other) for other in others):
            artist.remove()
            return False
        self.placed.append(box)
        self.placed_labels.append((x, y, text, str(kwargs.get("ha", "center")), kind))
        return True

    def clip(self, geom: shapely.Geometry) -> shapely.Geometry:
        """The part of ``geom`` inside the map."""
        return shapely.clip_by_rect(geom, *self.c.limits)


def _label_name(row: Mapping[str, Any], lang: str) -> str:
    if lang == "en":
        return str(row["name_en"])
    return str(row.get("short_zh") or row["name_zh"])


def _project_label(row: Mapping[str, Any], lang: str) -> str:
    if lang == "en":
        # a trailing gloss goes ("Haoji railway (…)"); a name with brackets inside stays whole
        return re.sub(r"\s*\([^()]*\)$", "", str(row["name_en"])) or str(row["name_en"])
    return project_name(row, lang)


def _label_anchor(geom: shapely.Geometry) -> shapely.Point:
    """The representative point of the largest part (labels stay off small islands)."""
    parts = shapely.get_parts(geom)
    largest = parts[int(np.argmax(shapely.area(parts)))] if len(parts) > 1 else geom
    return largest.representative_point()


def _anchors(geom: shapely.Geometry, step: float) -> list[tuple[float, float]]:
    """Where a region's label may go: its label point, then nudged around it, still inside."""
    point = _label_anchor(geom)
    found = [(point.x, point.y)]
    for dx, dy in _NUDGES:
        x, y = point.x + dx * step, point.y + dy * step
        if geom.contains(shapely.Point(x, y)):
            found.append((x, y))
    return found


def _project_anchors(geom: shapely.Geometry, offset: float) -> list[tuple[float, float, str]]:
    """Candidate label positions: along a line (middle first), or beside a point or area."""
    if geom.geom_type in ("Point", "MultiPoint"):
        point = shapely.get_parts(geom)[0]
        return [
            (point.x + offset, point.y, "left"),
            (point.x - offset, point.y, "right"),
            (point.x + offset, point.y + offset * 1.6, "left"),
            (point.x + offset, point.y - offset * 1.6, "left"),
        ]
    if geom.geom_type.endswith("Polygon"):
        point = geom.representative_point()
        return [(point.x, point.y, "center")]
    line = (
        max(shapely.get_parts(geom), key=lambda g: g.length)
        if geom.geom_type.startswith("Multi") or geom.geom_type == "GeometryCollection"
        else geom
    )
    anchors = []
    for fraction in (0.5, 0.35, 0.65, 0.2, 0.8):
        point = line.interpolate(fraction, normalized=True)
        anchors.append((point.x + offset, point.y, "left"))
    return anchors


def _place_region_label(
    labeller: Labeller, row: Mapping[str, Any], must: bool = False, strong: bool = False
) -> bool:
    """Label a region at its label point or nudged around it, inside it; whether it was.

    ``must``: project markers do not stop it, and where nothing inside is free it goes just
    beside the region (a small city on a map of China); ``strong``: in bold (a city among
    counties).
    """
    geom = labeller.clip(row["geometry"])
    if geom.is_empty:
        return False
    sizes = labeller.c.sizes
    step = labeller.units_per_point * sizes.label * 1.5
    anchors = [(x, y, "center") for x, y in _anchors(geom, step)]
    if must:
        anchors += _beside(geom, step)
    for x, y, ha in anchors:
        if labeller.place(
            x,
            y,
            _label_name(row, labeller.lang),
            ha=ha,
            va="center",
            fontproperties=labeller.c.bold if strong else labeller.c.regular,
            fontsize=sizes.label,
            color=TEXT_COLOUR,
            zorder=19,
            path_effects=HALO,
            must=must,
        ):
            return True
    return False


def _label_provinces(labeller: Labeller, ds: Dataset) -> set[str]:
    """Province names (grey, larger); on a map of one city, only the neighbouring provinces.

    The 9+2 (and Taiwan, a province on every Chinese map) are named however small. Returns the
    adcodes named.
    """
    c = labeller.c
    layers = c.layers
    home = (
        str(ds.region_table.at[layers.focus, "province_adcode"])
        if layers.focus and layers.view.extent == "focus"
        else None
    )
    named: set[str] = set()
    for row in c.context.to_dict("records"):
        if row["adcode"] == home:
            continue
        geom = labeller.clip(row["geometry"])
        small = geom.area * labeller.px_per_unit**2 < 4000
        if geom.is_empty or (small and row["adcode"] not in NAMED_PROVINCES):
            continue
        step = labeller.units_per_point * c.sizes.province_label * 1.6
        # a small region (Hong Kong, Macao) is named beside its shape, which stays visible
        anchors = (
            _beside(geom, step) if small else [(x, y, "center") for x, y in _anchors(geom, step)]
        )
        for x, y, ha in anchors:
            if labeller.place(
                x,
                y,
                _label_name(row, labeller.lang),
                ha=ha,
                va="center",
                fontproperties=c.bold,
                fontsize=c.sizes.province_label,
                kind="province",
                color="#6b6b6b",
                zorder=20,
                path_effects=HALO,
            ):
                named.add(row["adcode"])
                break
    return named


def _beside(geom: shapely.Geometry, step: float) -> list[tuple[float, float, str]]:
    """Label positions just outside a small shape: right, left, below, above."""
    x0, y0, x1, y1 = geom.bounds
    xm, ym = (x0 + x1) / 2, (y0 + y1) / 2
    gap = step * 0.35
    return [
        (x1 + gap, ym, "left"),
        (x0 - gap, ym, "right"),
        (xm, y0 - step * 0.6, "center"),
        (xm, y1 + step * 0.6, "center"),
        (x1 + gap, y0 - step * 0.5, "left"),
        (x0 - gap, y0 - step * 0.5, "right"),
    ]


def _label_projects(labeller: Labeller) -> None:
    """Projects (≤ 30), at the middle of what is visible of each line, else nearby."""
    c = labeller.c
    if c.projects.empty or len(c.projects) > 30:
        return
    x0, _, x1, _ = c.limits
    for row in c.projects.to_dict("records"):
        geom = labeller.clip(row["geometry"])
        if geom.is_empty:
            continue
        colour = project_colour(row, c.layers.view.colour_by)
        text = _project_label(row, labeller.lang)
        for px, py, ha in _project_anchors(geom, (x1 - x0) * 0.012):
            if labeller.place(
                px,
                py,
                text,
                ha=ha,
                va="center",
                fontproperties=c.regular,
                fontsize=c.sizes.project_label,
                color=darker(colour),
                kind="project",
                zorder=21,
                path_effects=HALO,
            ):
                break


def _ranked_regions(labeller: Labeller) -> gpd.GeoDataFrame:
    """The regions in view, the focus's (else Jiangxi's) first, then by measures and size."""
    c = labeller.c
    layers = c.layers
    focus = layers.focus or JIANGXI
    frame = c.regions.assign(_count=[int(layers.counts.get(a, 0)) for a in c.regions["adcode"]])
    frame = frame.assign(_area=frame.geometry.area)
    frame = frame[frame.intersects(shapely.box(*c.limits))]
    inside = (
        (frame["adcode"] == focus)
        | (frame["city_adcode"] == focus)
        | (frame["province_adcode"] == focus)
    )
    return frame.assign(_focus=inside).sort_values(["_focus", "_count", "_area"], ascending=False)


def jiangxi_cities(labeller: Labeller, ds: Dataset) -> gpd.GeoDataFrame:
    """Jiangxi's prefecture cities that reach into the map (display geometry, the map's CRS)."""
    c = labeller.c
    if c.layers.view.level == "city":
        frame = c.regions
    else:
        frame = display.display_regions(ds, "city").to_crs(c.crs)
    frame = frame[frame["province_adcode"] == JIANGXI]
    return frame[frame.intersects(shapely.box(*c.limits))]


def _label_cities(
    labeller: Labeller, cities: gpd.GeoDataFrame, *, must: bool = False, strong: bool = False
) -> set[str]:
    """Label ``cities`` (key ones: ``must``, markers give way); the adcodes labelled."""
    named = set()
    for row in cities.to_dict("records"):
        if _place_region_label(labeller, row, strong=strong) or (
            must and _place_region_label(labeller, row, must=True, strong=strong)
        ):
            named.add(str(row["adcode"]))
    return named


def label_map(labeller: Labeller, ds: Dataset) -> None:
    """Labels in order of importance; each only where it collides with nothing placed.

    Wherever Jiangxi is in view its key cities (南昌, 赣州, 九江 and the focus city) come
    first, before the provinces; then the focus's regions, Jiangxi's other cities, projects,
    Jiangxi's regions and the regions with measures.
    """
    layers = labeller.c.layers
    frame = _ranked_regions(labeller)
    cities = jiangxi_cities(labeller, ds)
    key = cities["adcode"].isin({*KEY_CITIES, layers.focus})
    strong = layers.view.level == "county"
    named = _label_cities(labeller, cities[key], must=True, strong=strong)
    named |= _label_provinces(labeller, ds)
    frame = frame[~frame["adcode"].isin(named)]  # each name once
    # The regions inside the view's focus (a city's counties) before anything else.
    if layers.focus:
        for row in frame[frame["_focus"]].to_dict("records"):
            _place_region_label(labeller, row)
    named |= _label_cities(labeller, cities[~key], strong=strong)
    frame = frame[~frame["adcode"].isin(named)]
    _label_projects(labeller)
    # Regions with measures first (most first), then the rest by size.
    if layers.view.level == "province" and layers.view.extent == "china":
        return
    if not layers.focus:  # Jiangxi's own regions, then the others
        for row in frame[frame["_focus"]].to_dict("records"):
            _place_region_label(labeller, row)
    for row in frame[~frame["_focus"]].to_dict("records"):
        visible = shapely.area(labeller.clip(row["geometry"])) * labeller.px_per_unit**2
        if row["_count"] > 0 or (visible >= 1800 and layers.view.level == "county"):
            _place_region_label(labeller, row)


@literal_text
def map_labels(
    ds: Dataset, view: View, lang: str = "zh", width: int = 1400, height: int = 700
) -> list[MapLabel]:
    """The labels a map of ``width`` × ``height`` screen pixels can carry without collisions.

    For the web map: the same choice and placement as the PNG, laid out at screen size.
    Returns (lon, lat, text, horizontal alignment, kind) with kind ``province``, ``region``
    or ``project``. Cached on the dataset.
    """
    labels: list[MapLabel] = ds.memo(
        ("map_labels", view, lang, width, height),
        lambda: _map_labels(ds, view, lang, width, height),
    )
    return labels


def _map_labels(ds: Dataset, view: View, lang: str, width: int, height: int) -> list[MapLabel]:
    options = ImageOptions(width, height, 96, title=False, legend="inside", scale=0.95)
    c = make_canvas(ds, view, lang, options)
    c.fig.subplots_adjust()
    c.ax.set_position((0, 0, 1, 1))
    c.ax.set_xlim(c.limits[0], c.limits[2])
    c.ax.set_ylim(c.limits[1], c.limits[3])
    labeller = Labeller(c, lang, soft=marker_boxes(c))
    label_map(labeller, ds)
    to_geo = Transformer.from_crs(c.crs, WGS84, always_xy=True)
    result = []
    for x, y, text, ha, kind in labeller.placed_labels:
        lon, lat = to_geo.transform(x, y)
        result.append((float(lon), float(lat), text, ha, kind))
    return result
