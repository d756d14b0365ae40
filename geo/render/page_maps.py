"""Each page's map, built from the dataset and plain arguments only.

Every function here takes the dataset, then what the page's filters chose (codes, numbers,
tuples, frozen dataclasses) and :class:`MapOptions`, and returns a new :class:`folium.Map`.
Nothing else goes in, so the map is a function of those arguments: the app keeps each map
rendered once per (function, arguments) and sends the kept one on later runs
(:func:`geo.app.ui.page_map`), which spares most of a page visit's work.
"""

from __future__ import annotations

import folium

from geo.analysis import display, filters, units
from geo.analysis.partners import partner_summary
from geo.analysis.views import View
from geo.core import constants, geometry
from geo.core.dataset import Dataset
from geo.core.i18n import t
from geo.present import partners as partner_frames
from geo.present import project_view, region_view
from geo.render.export_html import view_map
from geo.render.map_frame import MapOptions
from geo.render.map_layers import Choropleth, MapLayers, ProjectLayer
from geo.render.maps import build_partners_map, build_regions_map


def overview(ds: Dataset, options: MapOptions) -> folium.Map:
    """The 9+2 provinces around Jiangxi's cities, coloured by the measures touching each."""
    provinces = display.display_regions(ds, "province", (*constants.PPRD_ADCODES, constants.TAIWAN))
    cities = display.display_regions(ds, "city", (constants.JIANGXI,))
    counts = filters.measure_counts(ds, "city", [m.number for m in ds.plan.measures])
    return build_regions_map(
        MapLayers(
            cities,
            context=provinces,
            choropleth=Choropleth(counts.to_dict()),
            dashline=ds.dashline,
            bounds=geometry.fit_bounds(provinces),
        ),
        options,
    )


def measures(
    ds: Dataset,
    level: str,
    numbers: tuple[int, ...],
    kinds: tuple[str, ...],
    region: str | None,
    options: MapOptions,
) -> folium.Map:
    """The regions of ``level``, coloured by how many of the measures ``numbers`` touch each
    through the link ``kinds``; ``region`` outlined."""
    counts = filters.measure_counts(ds, level, list(numbers), list(kinds))
    return build_regions_map(
        MapLayers(
            display.regions_for_level(ds, level, region),
            choropleth=Choropleth(counts.to_dict()),
            selected=region,
            dashline=ds.dashline,
        ),
        options,
    )


def projects(
    ds: Dataset,
    chosen: project_view.ProjectFilters,
    colour_by: str,
    selected: str | None,
    options: MapOptions,
) -> folium.Map:
    """The projects passing ``chosen`` over the provinces, coloured by ``colour_by``; those
    not open by the year chosen faded; ``selected`` highlighted."""
    view = project_view.projects_view(ds, chosen)
    background = display.display_regions(ds, "province", constants.MAP_AREA)
    return build_regions_map(
        MapLayers(
            background,
            projects=ProjectLayer(view.on_map, colour_by, view.not_yet, selected),
            selected=chosen.region,
            dashline=ds.dashline,
            bounds=geometry.fit_bounds(background),
        ),
        options,
    )


def region(ds: Dataset, code: str, options: MapOptions) -> folium.Map:
    """Region ``code`` with its parts (clickable), its surroundings and the projects crossing
    it."""
    layers = region_view.region_layers(ds, code)
    return build_regions_map(
        MapLayers(
            layers.clickable,
            context=layers.context,
            projects=ProjectLayer(filters.filter_projects(ds, region=code)),
            selected=layers.selected,
            dashline=ds.dashline,
            bounds=region_view.region_bounds(layers),
        ),
        options,
    )


def partners(ds: Dataset, partner: str | None, options: MapOptions) -> folium.Map:
    """The 9+2 partners coloured by their links with Jiangxi, with the corridors (and, for one
    ``partner``, its projects too)."""
    frames = partner_frames.partner_map_frames(ds, partner)
    return build_partners_map(
        MapLayers(
            frames.partners,
            context=frames.around,
            choropleth=Choropleth(
                partner_summary(ds)["links"].to_dict(),
                label=t("n_links", options.lang),
                notes=[t("partner_links_note", options.lang)],
            ),
            projects=ProjectLayer(frames.projects),
            selected=partner,
            dashline=ds.dashline,
            bounds=frames.focus,
        ),
        frames.home,
        options,
    )


def unit_reach(ds: Dataset, unit: str, kinds: tuple[str, ...], options: MapOptions) -> folium.Map:
    """The cities of the 9+2 coloured by how many of ``unit``'s measures touch each through the
    link ``kinds``; the unit's own city outlined."""
    counts = filters.measure_counts(ds, "city", units.unit_measures(ds, unit), list(kinds))
    cities = display.display_regions(ds, "city", constants.MAP_AREA)
    # Taiwan (a map of China shows it) and Chongqing (else a hole amid the 9+2) as context
    around = display.display_regions(ds, "province", (constants.CHONGQING, constants.TAIWAN))
    home = units.unit_summary(ds).at[unit, "adcode"]
    return build_regions_map(
        MapLayers(
            cities,
            context=around,
            choropleth=Choropleth(
                counts.to_dict(),
                label=t("measures", options.lang),
                title=t("unit_count_label", options.lang),
            ),
            selected=home or None,
            dashline=ds.dashline,
        ),
        options,
    )


def briefing(ds: Dataset, view: View, options: MapOptions) -> folium.Map:
    """The briefing view ``view`` as the page shows it (no popups: a click selects)."""
    return view_map(ds, view, options.lang, static_url=options.static_url, popups=False)
