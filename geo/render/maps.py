"""Map builders: folium maps of regions, measures and projects, ready for ``st_folium``.

A builder takes what the map shows (:class:`MapLayers`, with an optional :class:`Choropleth`
and :class:`ProjectLayer`) and how it is drawn (:class:`MapOptions`: language, basemap, where
the scripts are served, the legends' corner), and returns a new :class:`folium.Map` whose
default view needs no tile server (the boundaries are the base map) and whose scripts come
from the app (:mod:`geo.render.webassets`). The pieces live in :mod:`geo.render.map_frame`
(the map, overlays), :mod:`geo.render.map_layers` (the layers), :mod:`geo.render.legends` and
:mod:`geo.render.styles`. Geometry is expected in WGS84 (EPSG:4326).
"""

from __future__ import annotations

import folium
import geopandas as gpd
import pandas as pd

from geo.core.constants import LEGEND_ROOM
from geo.core.geometry import fit_bounds, shows_hainan
from geo.core.i18n import t
from geo.render.legends import (
    LegendItem,
    count_legend,
    legend_html,
    project_legend_items,
    schematic_note,
)
from geo.render.map_frame import BASEMAPS, MapOptions, add_overlay, finish_map, new_map
from geo.render.map_layers import (
    Choropleth,
    MapLayers,
    ProjectLayer,
    add_casing,
    add_context,
    add_dashline,
    add_home,
    add_projects,
    add_regions,
    clip_to_view,
    project_popup_html,
)
from geo.render.styles import HOME_FILL

__all__ = [
    "BASEMAPS",
    "Choropleth",
    "LegendItem",
    "MapLayers",
    "MapOptions",
    "ProjectLayer",
    "add_projects",
    "build_partners_map",
    "build_regions_map",
    "clip_to_view",
    "legend_html",
    "new_map",
    "project_legend_items",
    "project_popup_html",
]


def _count_title(choropleth: Choropleth, lang: str) -> str:
    return choropleth.title or choropleth.label or t("n_measures", lang)


def _projects_title(layer: ProjectLayer, lang: str) -> str:
    return t("kind", lang) if layer.colour_by == "kind" else t("status", lang)


def _add_projects(m: folium.Map, layer: ProjectLayer, options: MapOptions) -> list[LegendItem]:
    return add_projects(
        m,
        layer.projects,
        options.lang,
        colour_by=layer.colour_by,
        not_yet=layer.not_yet,
        selected=layer.selected,
        basemap=options.basemap,
        popups=layer.popups,
    )


def _add_dashline_if_shown(
    m: folium.Map, dashline: gpd.GeoDataFrame | None, shown: bool, options: MapOptions
) -> None:
    """The dash line and the 示意图 note, when the map shows Hainan."""
    if dashline is not None and shown:
        add_dashline(m, dashline, options)
        add_overlay(m, schematic_note(options.lang), "bottomleft")


def build_regions_map(layers: MapLayers, options: MapOptions | None = None) -> folium.Map:
    """The map every page draws: clickable regions, optional context, projects and legends.

    Parameters
    ----------
    layers : MapLayers
        What the map shows (see :class:`MapLayers`); fitted to ``layers.bounds``, else to the
        regions. A choropleth and the projects each get a legend in
        ``options.legend_position``; the dash line is added when Hainan is shown.
    options : MapOptions, optional
        Language, basemap, where the scripts are served (default: Chinese, no basemap).
    """
    options = options or MapOptions()
    lang = options.lang
    m = new_map(
        layers.bounds or fit_bounds(layers.regions), lang, options.basemap, options.tianditu_key
    )
    if layers.context is not None and not layers.context.empty:
        add_context(m, layers.context, options)
    add_regions(m, layers, t("regions", lang), options)
    legends: list[str] = []
    if layers.choropleth is not None:
        legends.append(
            legend_html(
                _count_title(layers.choropleth, lang), count_legend(lang), layers.choropleth.notes
            )
        )
    shown = layers.projects
    if shown is not None and not shown.projects.empty:
        _add_projects(m, shown, options)
        items = project_legend_items(shown.projects, lang, shown.colour_by, shown.not_yet)
        legends.append(
            legend_html(_projects_title(shown, lang), items, [t("legend_location_note", lang)])
        )
    whole = layers.context if layers.context is not None else layers.regions
    hainan = shows_hainan(whole) or shows_hainan(layers.regions)
    _add_dashline_if_shown(m, layers.dashline, hainan, options)
    if legends:
        add_overlay(m, "".join(legends), options.legend_position)
    return finish_map(m, options.static_url)


def build_partners_map(
    layers: MapLayers, home: gpd.GeoDataFrame, options: MapOptions | None = None
) -> folium.Map:
    """Jiangxi and its partners: partners shaded by a count, Jiangxi apart, corridors on top.

    Parameters
    ----------
    layers : MapLayers
        ``regions``: the partner provinces (clickable), EPSG:4326, columns ``adcode, name_zh,
        name_en``; ``choropleth`` (required): partner adcode → number of links, its ``label``
        naming them in tooltips and legend, its ``notes`` under the legend; ``projects``:
        corridors and projects (legend top right); ``context``: provinces around (not
        clickable), clipped to the view; ``bounds``: what must be in view (default: Jiangxi
        and all partners). The view adds :data:`LEGEND_ROOM` on the east (the sea), where the
        legends sit.
    home : GeoDataFrame
        Jiangxi, drawn in its own colour with its own legend row (not a choropleth class).
    options : MapOptions, optional

    Raises
    ------
    ValueError
        Without ``layers.choropleth``.
    """
    if layers.choropleth is None:
        raise ValueError("the partners map needs a choropleth of links per partner")
    options = options or MapOptions()
    lang = options.lang
    (south, west), (north, east) = layers.bounds or fit_bounds(pd.concat([layers.regions, home]))
    # room on the east for the legends and at the bottom for the 示意图 note and the scale
    view = [[south - (north - south) * 0.08, west], [north, east + (east - west) * LEGEND_ROOM]]
    m = new_map(view, lang, options.basemap, options.tianditu_key)
    if layers.context is not None and not layers.context.empty:
        add_context(m, clip_to_view(layers.context, view), options)
    add_regions(m, layers, t("partners", lang), options)
    home_label = add_home(m, home, options)
    shown = layers.projects
    if shown is not None and not shown.projects.empty:
        add_casing(m, shown.projects, options)
        items = _add_projects(m, shown, options)
        if items:
            add_overlay(m, legend_html(_projects_title(shown, lang), items), "topright")
    _add_dashline_if_shown(m, layers.dashline, shows_hainan(layers.regions), options)
    rows = [LegendItem(HOME_FILL, home_label), *count_legend(lang)]
    title = _count_title(layers.choropleth, lang)
    add_overlay(m, legend_html(title, rows, layers.choropleth.notes), options.legend_position)
    return finish_map(m, options.static_url)
