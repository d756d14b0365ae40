"""Legends: which rows a map's legend has, and the legend box of the folium page maps.

The rows are worked out once (:func:`project_groups`, :func:`count_legend`) and drawn twice: as
HTML here (:func:`legend_html`, every label escaped) and as Matplotlib handles by
:mod:`geo.render.png.legend`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import geopandas as gpd

from geo.core.geometry import has_geometry
from geo.core.i18n import t, term
from geo.render.safe import esc
from geo.render.styles import (
    COUNT_BINS,
    COUNT_COLOURS,
    EMPTY_FILL,
    LEGEND_GREY,
    project_colour,
    project_shape,
)

LEGEND_ONE_COLUMN = 8  # legends with more rows are set in two columns
NOT_YET_GREY = "#777777"


@dataclass(frozen=True)
class LegendItem:
    """One legend row: a colour, a label and how it is drawn (fill, line, dashed, point)."""

    colour: str
    label: str
    shape: str = "fill"


@dataclass(frozen=True)
class ProjectGroup:
    """The projects drawn in one colour: their labels (kinds or statuses) and shapes."""

    colour: str
    labels: tuple[str, ...]
    shapes: frozenset[str]


def count_legend(lang: str) -> list[LegendItem]:
    """Legend rows for the choropleth classes."""
    labels, low = [], 1
    for bound in COUNT_BINS:
        labels.append(
            str(low) if bound == low else (f"{low}+" if bound >= 10_000 else f"{low}–{bound}")
        )
        low = bound + 1
    items = [LegendItem(EMPTY_FILL, f"0 ({t('no_data', lang)})")]
    return items + [LegendItem(c, label) for c, label in zip(COUNT_COLOURS, labels, strict=True)]


def project_groups(projects: gpd.GeoDataFrame, lang: str, colour_by: str) -> list[ProjectGroup]:
    """The projects drawn, grouped by colour in order of first appearance.

    Statuses sharing a colour (open, operating, completed) share a group; each group keeps
    its labels in ``lang`` in order of appearance and the set of shapes drawn in it.
    ``projects`` must have geometry on every row.
    """
    by_colour: dict[str, tuple[list[str], set[str]]] = {}
    for row in projects.to_dict("records"):
        labels, shapes = by_colour.setdefault(project_colour(row, colour_by), ([], set()))
        label = term(colour_by, str(row[colour_by]), lang)
        if label not in labels:
            labels.append(label)
        shapes.add(project_shape(row))
    return [
        ProjectGroup(colour, tuple(labels), frozenset(shapes))
        for colour, (labels, shapes) in by_colour.items()
    ]


def project_legend_items(
    projects: gpd.GeoDataFrame, lang: str, colour_by: str = "kind", not_yet: Iterable[str] = ()
) -> list[LegendItem]:
    """The legend of the projects drawn: every colour, then every symbol that needs saying.

    One row per colour used (statuses sharing a colour, e.g. open/operating/completed, share a
    row), drawn as the projects of that colour are (a plain swatch when they differ); then, in
    grey, a dotted line for freight services when colouring by status, and a dashed line for
    the ``not_yet`` projects among those drawn (not open in the chosen year).

    Parameters
    ----------
    projects : GeoDataFrame
        The projects drawn (rows without geometry are ignored).
    colour_by : {"kind", "status"}
    not_yet : iterable of str
        Ids drawn dashed and faded.
    """
    mapped = projects[has_geometry(projects)]
    items = [
        LegendItem(
            group.colour,
            " / ".join(group.labels),
            next(iter(group.shapes)) if len(group.shapes) == 1 else "fill",
        )
        for group in project_groups(mapped, lang, colour_by)
    ]
    if colour_by == "status" and (mapped["kind"] == "freight_route").any():
        items.append(LegendItem(LEGEND_GREY, term("kind", "freight_route", lang), "dotted"))
    if mapped["id"].isin(set(not_yet)).any():
        items.append(LegendItem(NOT_YET_GREY, t("legend_not_yet", lang), "dashed"))
    return items


def _swatch(item: LegendItem) -> str:
    colour = esc(item.colour)
    if item.shape == "point":
        return (
            f'<span style="display:inline-block;width:12px;height:12px;'
            f'border-radius:6px;background:{colour};border:1px solid #333"></span>'
        )
    if item.shape in ("line", "dashed", "dotted"):
        style = item.shape if item.shape != "line" else "solid"
        return (
            f'<span style="display:inline-block;width:22px;height:0;'
            f'border-top:4px {style} {colour};vertical-align:middle"></span>'
        )
    return (
        f'<span style="display:inline-block;width:16px;height:12px;'
        f'background:{colour};border:1px solid #777"></span>'
    )


def legend_html(title: str, items: Sequence[LegendItem], notes: Iterable[str] = ()) -> str:
    """Legend markup; every label and note is escaped."""
    rows = [
        f'<div style="margin:2px 0;break-inside:avoid">{_swatch(item)} {esc(item.label)}</div>'
        for item in items
    ]
    extra = "".join(
        f'<div style="margin-top:4px;color:#444;max-width:230px">{esc(n)}</div>' for n in notes
    )
    if len(rows) > LEGEND_ONE_COLUMN:  # a long legend in two columns covers less of the map
        rows = [f'<div style="column-count:2;column-gap:10px;width:300px">{"".join(rows)}</div>']
    # A <details> box: a click on its title folds it away; maps narrower than a phone's
    # landscape width start with it folded (see geo.render.map_frame's overlay script).
    return (
        '<details class="pprd-legend" open style="background:rgba(255,255,255,.92);'
        "padding:4px 7px;border-radius:4px;"
        "font:11px/1.3 'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;"
        'box-shadow:0 1px 4px rgba(0,0,0,.3)">'
        f'<summary style="cursor:pointer"><b>{esc(title)}</b></summary>{"".join(rows)}{extra}'
        "</details>"
    )


def schematic_note(lang: str) -> str:
    """The 示意图 note with the data source, escaped, for the map corner."""
    return legend_html(t("schematic", lang), [], [t("schematic_note", lang)])
