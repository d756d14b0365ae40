"""The layers of the folium page maps: regions (clickable, optionally a choropleth), grey
context, Jiangxi on the partners map, projects and the South China Sea dash line.

What a map shows is given as small frozen dataclasses (:class:`MapLayers`, :class:`Choropleth`,
:class:`ProjectLayer`); how it is drawn as :class:`geo.render.map_frame.MapOptions`. Text from
the data reaches the browser only through :func:`esc` (tooltips and popups are HTML). Geometry
is expected in WGS84 (EPSG:4326).
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import folium
import geopandas as gpd
from branca.element import MacroElement
from folium.template import Template

from geo.core.constants import COLOUR_BY
from geo.core.geometry import has_geometry
from geo.core.i18n import t, term
from geo.present.formats import fmt_number, is_blank
from geo.present.labels import project_name
from geo.present.project_view import field_text
from geo.present.sources import source_lines
from geo.render.legends import LegendItem, project_legend_items
from geo.render.map_frame import MapOptions, to_display
from geo.render.perf import frame_geojson
from geo.render.safe import esc
from geo.render.styles import (
    DASHLINE_COLOUR,
    EMPTY_FILL,
    HIGHLIGHT,
    HOME_FILL,
    HOME_OUTLINE,
    OUTLINE,
    count_colour,
    project_colour,
    project_shape,
)

REGION_FILL = "#f4f1ea"  # regions without counts
CONTEXT_STYLE = {"color": "#999", "weight": 0.8, "fillColor": "#eeeeee", "fillOpacity": 0.5}
# areas under lines under sites
_SHAPE_ORDER = {"fill": 0, "line": 1, "dotted": 1, "point": 2}
# The popups' look, sent once per map (not with each of them: bytes).
POPUP_CLASS = "pprd-popup"
POPUP_CSS = (
    f".{POPUP_CLASS}{{max-width:320px;font-size:12px}}"
    f".{POPUP_CLASS} th{{text-align:left;padding-right:6px;vertical-align:top}}"
    f".{POPUP_CLASS} td{{overflow-wrap:anywhere}}"
)


class _PopupStyle(MacroElement):
    """The popups' stylesheet in the map's header."""

    _template = Template(
        "{% macro header(this, kwargs) %}<style>" + POPUP_CSS + "</style>{% endmacro %}"
    )

    def __init__(self) -> None:
        super().__init__()
        self._name = "PopupStyle"


# Fields a popup shows through field_text (prose in the language, vocabularies translated).
_POPUP_TEXT = (
    "type_detail",
    "plan_stage",
    "status_detail",
    "opened_date",
    "confidence",
    "precision",
)


@dataclass(frozen=True)
class Choropleth:
    """Regions shaded by a number each.

    Attributes
    ----------
    counts : mapping
        adcode → number (of measures, of links …); regions not in it count 0.
    label : str, optional
        What is counted, in tooltips and as the legend's title (default: measures).
    title : str, optional
        The legend's title, when it says more than ``label``.
    notes : sequence of str
        Lines under the legend.
    """

    counts: Mapping[str, float]
    label: str | None = None
    title: str | None = None
    notes: Sequence[str] = ()


@dataclass(frozen=True)
class ProjectLayer:
    """Projects drawn over the regions.

    Attributes
    ----------
    projects : GeoDataFrame
        Rows of the catalogue (EPSG:4326); rows without geometry are skipped.
    colour_by : {"kind", "status"}
    not_yet : collection of str
        Ids drawn dashed and faded (e.g. not yet open in the chosen year).
    selected : str, optional
        The id drawn heavier.
    popups : bool
        Each project with its popup (the HTML export; page maps select on click instead).
    """

    projects: gpd.GeoDataFrame
    colour_by: str = "kind"
    not_yet: Collection[str] = ()
    selected: str | None = None
    popups: bool = False


@dataclass(frozen=True)
class MapLayers:
    """What a page map shows.

    Attributes
    ----------
    regions : GeoDataFrame
        The clickable regions (one level), EPSG:4326, columns ``adcode, name_zh, name_en,
        province_adcode``.
    context : GeoDataFrame, optional
        Outlines drawn underneath (e.g. the provinces around), not clickable.
    choropleth : Choropleth, optional
        Colours the regions by a count, with its legend.
    projects : ProjectLayer, optional
        Projects drawn over the regions, with their legend.
    selected : str, optional
        The adcode of the region outlined.
    dashline : GeoDataFrame, optional
        The South China Sea dash line; added (with the 示意图 note) when Hainan is shown.
    bounds : [[south, west], [north, east]], optional
        What must be in view (default: the regions).
    """

    regions: gpd.GeoDataFrame
    context: gpd.GeoDataFrame | None = None
    choropleth: Choropleth | None = None
    projects: ProjectLayer | None = None
    selected: str | None = None
    dashline: gpd.GeoDataFrame | None = None
    bounds: Sequence[Sequence[float]] | None = None


def clip_to_view(
    frame: gpd.GeoDataFrame, view: Sequence[Sequence[float]], margin: float = 0.5
) -> gpd.GeoDataFrame:
    """The parts of ``frame`` inside ``view`` grown by ``margin`` of its size on every side.

    For context outlines: what lies far outside the view only costs bytes. Empty results are
    dropped. ``view`` is [[south, west], [north, east]] in degrees (WGS84).
    """
    (south, west), (north, east) = view
    dx, dy = (east - west) * margin, (north - south) * margin
    clipped = frame.geometry.clip_by_rect(west - dx, south - dy, east + dx, north + dy)
    keep = ~clipped.is_empty
    return frame[keep].set_geometry(clipped[keep])


def add_context(m: folium.Map, context: gpd.GeoDataFrame, options: MapOptions) -> None:
    """Grey outlines under the regions (the provinces around), not clickable."""
    frame = to_display(context, options.basemap)
    folium.GeoJson(
        frame_geojson(frame[["geometry"]]),
        name=t("regions", options.lang),
        interactive=False,
        style_function=lambda _f: dict(CONTEXT_STYLE),
    ).add_to(m)


def _region_tips(frame: gpd.GeoDataFrame, choropleth: Choropleth | None, lang: str) -> list[str]:
    name_col = "name_en" if lang == "en" else "name_zh"
    tips = []
    for code, label in zip(frame["adcode"], frame[name_col], strict=True):
        tip = f"<b>{esc(label)}</b>"
        if choropleth is not None:
            what = choropleth.label or t("n_measures", lang)
            tip += f"<br>{esc(what)}: {int(choropleth.counts.get(code, 0))}"
        tips.append(tip)
    return tips


def add_regions(m: folium.Map, layers: MapLayers, name: str, options: MapOptions) -> None:
    """Add ``layers.regions`` as one clickable layer, coloured by ``layers.choropleth`` if any.

    Each feature carries only ``adcode`` and an escaped ``tip`` (name, and the count) so the
    payload stays small; a click returns the feature, whose ``adcode`` the page reads. The
    ``layers.selected`` region is outlined.
    """
    if layers.regions.empty:
        return
    frame = to_display(layers.regions, options.basemap)
    shaded = layers.choropleth
    fill = {
        code: count_colour(shaded.counts.get(code, 0)) if shaded is not None else REGION_FILL
        for code in frame["adcode"]
    }
    data = gpd.GeoDataFrame(
        {"adcode": frame["adcode"].to_numpy(), "tip": _region_tips(frame, shaded, options.lang)},
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    selected = layers.selected

    def style(feature: dict[str, Any]) -> dict[str, object]:
        code = feature["properties"]["adcode"]
        on = code == selected
        return {
            "fillColor": fill.get(code, EMPTY_FILL),
            "color": HIGHLIGHT if on else OUTLINE,
            "weight": 3.0 if on else 1.0,
            "fillOpacity": 0.85 if shaded is not None else 0.6,
            "opacity": 1,
        }

    folium.GeoJson(
        frame_geojson(data),
        name=name,
        style_function=style,
        highlight_function=lambda _f: {"weight": 3, "color": HIGHLIGHT},
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False, sticky=False),
        zoom_on_click=False,
    ).add_to(m)


def add_home(m: folium.Map, home: gpd.GeoDataFrame, options: MapOptions) -> str:
    """Jiangxi (``home``) in its own colour with a name tooltip; returns its name(s) joined."""
    frame = to_display(home, options.basemap)
    name_col = "name_en" if options.lang == "en" else "name_zh"
    label = " / ".join(str(n) for n in frame[name_col])
    data = gpd.GeoDataFrame(
        {
            "adcode": frame["adcode"].to_numpy(),
            "tip": [f"<b>{esc(n)}</b>" for n in frame[name_col]],
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    # Leaflet's layer control sets layer names as HTML: a name from the data is escaped.
    folium.GeoJson(
        frame_geojson(data),
        name=esc(label),
        style_function=lambda _f: {
            "color": HOME_OUTLINE,
            "weight": 2,
            "fillColor": HOME_FILL,
            "fillOpacity": 0.9,
        },
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False, sticky=False),
        zoom_on_click=False,
    ).add_to(m)
    return label


def add_casing(m: folium.Map, projects: gpd.GeoDataFrame, options: MapOptions) -> None:
    """A white casing under the project lines: it keeps them legible on the darkest classes."""
    lines = to_display(
        projects[projects.geom_type.isin(["LineString", "MultiLineString"])], options.basemap
    )
    if lines.empty:
        return
    folium.GeoJson(
        frame_geojson(lines[["geometry"]]),
        name=t("projects", options.lang),
        interactive=False,
        control=False,
        style_function=lambda _f: {"color": "#ffffff", "weight": 7, "opacity": 0.85},
    ).add_to(m)


def add_dashline(m: folium.Map, dashline: gpd.GeoDataFrame, options: MapOptions) -> None:
    """The South China Sea dash line as its own layer, with no interaction."""
    if dashline.empty:
        return
    frame = to_display(dashline, options.basemap)
    folium.GeoJson(
        frame_geojson(frame[["geometry"]]),
        name=t("dashline", options.lang),
        show=True,
        style_function=lambda _f: {"color": DASHLINE_COLOUR, "weight": 1.6},
        interactive=False,
    ).add_to(m)


def project_year(row: Mapping[str, Any]) -> str:
    """The year a project's tooltip gives: its opening year, else its status date's year."""
    for column in ("opened_date", "status_date"):
        value = row.get(column)
        if not is_blank(value) and str(value)[:4].isdigit():
            return str(value)[:4]
    return ""


def project_tip_html(row: Mapping[str, Any], lang: str) -> str:
    """A project's tooltip: its name, then its status and year, in ``lang`` (escaped)."""
    status = term("status", str(row["status"]), lang)
    year = project_year(row)
    second = f"{status} · {year}" if year else status
    return f"<b>{esc(project_name(row, lang))}</b><br>{esc(second)}"


def _sources_html(cell: object, lang: str) -> str:
    """The sources of a catalogue cell as lines ``label · publisher · date``, linked."""
    lines = []
    for text, url in source_lines(cell, lang):
        if url:
            lines.append(f"<a href='{esc(url)}' target='_blank' rel='noopener'>{esc(text)}</a>")
        else:
            lines.append(esc(text))
    return "<br>".join(lines)


def _popup_rows(row: Mapping[str, Any], lang: str, name: str) -> list[tuple[str, str]]:
    """(label, escaped HTML) rows of a popup; empty values are left out by the caller."""
    status = term("status", str(row["status"]), lang)
    date = row.get("status_date")
    plan_name = str(row["name_plan"])
    record = dict(row)
    text = {c: esc(field_text(record, c, lang)) for c in _POPUP_TEXT}
    return [
        (t("kind", lang), esc(term("kind", str(row["kind"]), lang))),
        (t("field_type_detail", lang), text["type_detail"]),
        (t("field_name_plan", lang), esc(plan_name) if plan_name not in (name, "") else ""),
        (t("plan_stage", lang), text["plan_stage"]),
        (t("status", lang), esc(status + (f" ({date})" if not is_blank(date) else ""))),
        (t("field_status_detail", lang), text["status_detail"]),
        (t("field_opened_date", lang), text["opened_date"]),
        (t("source", lang), _sources_html(row.get("status_source"), lang)),
        (t("confidence", lang), text["confidence"]),
        (t("precision", lang), text["precision"]),
        (t("reported_length_km", lang), esc(fmt_number(row.get("reported_length_km")))),
        (t("length_km", lang), esc(fmt_number(row.get("length_km"), 0))),
    ]


def project_popup_html(row: Mapping[str, Any], lang: str) -> str:
    """A project's popup in ``lang``: name, kind and type, plan name and stage, status with its
    detail and dates, sources (label · publisher · date, linked), confidence, precision, and
    reported and derived length (``"—"`` for none).

    Prose comes from the catalogue's ``<field>_zh`` twins in Chinese (via
    :func:`geo.present.project_view.field_text`), so a Chinese popup carries no English from
    the data and an English one no Chinese except names. Every value is escaped.
    """
    name = project_name(row, lang)
    body = "".join(
        f"<tr><th>{esc(k)}</th><td>{v}</td></tr>" for k, v in _popup_rows(row, lang, name) if v
    )
    subtitle = row.get("name_zh") if row.get("name_zh") != name else ""
    return (
        f"<div class='{POPUP_CLASS}'><b>{esc(name)}</b>"
        + (f"<br><span style='color:#555'>{esc(subtitle)}</span>" if subtitle else "")
        + f"<table>{body}</table></div>"
    )


def _project_style(colour: str, shape: str, dim: bool, heavy: bool) -> dict[str, object]:
    if shape == "point":
        return {
            "radius": 9 if heavy else 6,
            "color": HIGHLIGHT if heavy else "#222",
            "weight": 3 if heavy else 1,
            "fillColor": colour,
            "fillOpacity": 0.35 if dim else 0.95,
            "opacity": 0.5 if dim else 1,
        }
    return {
        "color": colour,
        "weight": 6 if heavy else (4 if shape != "fill" else 2),
        "opacity": 0.45 if dim else 0.95,
        "fillColor": colour,
        "fillOpacity": 0.25,
        "dashArray": "6 6" if dim else ("1 7" if shape == "dotted" else None),
    }


def _project_features(
    row: Mapping[str, Any], lang: str, popups: bool = False
) -> list[dict[str, object]]:
    """A project as GeoJSON features: one, or one per place of a MultiPoint (with its popup's
    HTML when ``popups``).

    The places of a MultiPoint go as features ``id``, ``id#1``, ``id#2`` … (folium needs
    unique ids): Leaflet draws a MultiPoint as a group of markers that carry no ``feature``,
    so their tooltip and popup would fail.
    """
    geom = row["geometry"]
    parts = list(geom.geoms) if geom.geom_type == "MultiPoint" else [geom]
    # ``pid``: the project a click selects (Leaflet's toGeoJSON keeps properties, not ids)
    properties = {"tip": project_tip_html(row, lang), "pid": str(row["id"])}
    if popups:
        properties["popup"] = project_popup_html(row, lang)
    return [
        {
            "type": "Feature",
            "id": row["id"] if i == 0 else f"{row['id']}#{i}",
            "properties": properties,
            "geometry": part.__geo_interface__,
        }
        for i, part in enumerate(parts)
    ]


def add_projects(
    m: folium.Map,
    projects: gpd.GeoDataFrame,
    lang: str,
    *,
    colour_by: str = "kind",
    not_yet: Collection[str] = (),
    selected: str | None = None,
    basemap: str = "none",
    popups: bool = False,
) -> list[LegendItem]:
    """Draw projects: routes as lines, sites as circle markers, zones as areas.

    Parameters
    ----------
    projects : GeoDataFrame
        Rows of the catalogue (EPSG:4326); rows without geometry are skipped.
    colour_by : {"kind", "status"}
    not_yet : collection of str
        Ids drawn dashed and faded (e.g. not yet open in the chosen year).
    selected : str, optional
        Id drawn heavier.
    popups : bool
        Give each project its popup (:func:`project_popup_html`): for a map with no page
        beside it (the HTML export). Page maps have none: a click there selects the project.

    Returns
    -------
    list of LegendItem
        One row per colour used, for the legend.
    """
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be 'kind' or 'status', got {colour_by!r}")
    faded = set(not_yet)
    frame = to_display(projects[has_geometry(projects)], basemap)
    # One GeoJson layer for all projects (not one layer, popup and tooltip each): folium
    # compiles a template per element, which made a page rerun several times slower.
    features: list[dict[str, object]] = []
    styles: dict[str, dict[str, object]] = {}
    rows = sorted(
        frame.to_dict("records"),
        key=lambda r: (r["id"] == selected, _SHAPE_ORDER[project_shape(r)]),
    )
    for row in rows:
        style = _project_style(
            project_colour(row, colour_by),
            project_shape(row),
            dim=row["id"] in faded,
            heavy=row["id"] == selected,
        )
        for feature in _project_features(row, lang, popups):
            styles[str(feature["id"])] = style
            features.append(feature)
    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            name=t("projects", lang),
            style_function=lambda f: styles[f["id"]],
            highlight_function=lambda f: (
                {"weight": 7} if "radius" not in styles[f["id"]] else {"weight": 3}
            ),
            marker=folium.CircleMarker(radius=6, fill=True),
            tooltip=folium.GeoJsonTooltip(["tip"], labels=False, sticky=False),
            # No popup on a page map: a click selects the project and the page shows it beside
            # the map (a popup would stop the click before the map reports which feature it was
            # on). The HTML export, with no page beside it, asks for them.
            popup=(folium.GeoJsonPopup(["popup"], labels=False, max_width=340) if popups else None),
            zoom_on_click=False,
        ).add_to(m)
        if popups:
            _PopupStyle().add_to(m)
    return project_legend_items(frame, lang, colour_by)
