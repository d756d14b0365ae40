"""Map builders: folium maps of regions, measures and projects, ready for ``st_folium``.

Every builder returns a new :class:`folium.Map` whose default view needs no tile server (the
boundaries are the base map) and whose scripts come from the app (:mod:`geo.render.webassets`). Text
from the data reaches the browser only through :func:`esc` (tooltips and popups are HTML).
Geometry is expected in WGS84 (EPSG:4326); for the Gaode basemap, and only for it, overlays are
shifted to GCJ-02 here.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement
from folium.template import Template

from geo.core.constants import COLOUR_BY, LEGEND_ROOM
from geo.core.crs import geometry_wgs84_to_gcj02
from geo.core.geometry import fit_bounds, has_geometry, shows_hainan
from geo.core.i18n import t, term
from geo.render.perf import frame_geojson
from geo.render.safe import esc
from geo.render.webassets import DEFAULT_STATIC_BASE_URL, localise_map_assets

WGS84 = "EPSG:4326"

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

BASEMAPS = ("none", "osm", "carto", "tianditu", "gaode")
_TILES = {
    "osm": ("https://tile.openstreetmap.org/{z}/{x}/{y}.png", "© OpenStreetMap contributors"),
    "carto": (
        "https://{s}.basemaps.cartocdn.com/light_all/{z}/{x}/{y}{r}.png",
        "© OpenStreetMap contributors © CARTO",
    ),
    "tianditu": (
        "https://t{s}.tianditu.gov.cn/vec_w/wmts?SERVICE=WMTS&REQUEST=GetTile"
        "&VERSION=1.0.0&LAYER=vec&STYLE=default&TILEMATRIXSET=w&FORMAT=tiles"
        "&TILEMATRIX={z}&TILEROW={y}&TILECOL={x}&tk={key}",
        "© 天地图",
    ),
    "gaode": (
        "https://webrd0{s}.is.autonavi.com/appmaptile?lang=zh_cn&size=1&scale=1"
        "&style=8&x={x}&y={y}&z={z}",
        "© 高德地图",
    ),
}


@dataclass(frozen=True)
class LegendItem:
    """One legend row: a colour, a label and how it is drawn (fill, line, dashed, point)."""

    colour: str
    label: str
    shape: str = "fill"


class _Overlay(MacroElement):
    """A fixed HTML box on the map (legend, note); its markup is built escaped by the caller."""

    _template = Template("""
        {% macro html(this, kwargs) %}{% endmacro %}
        {% macro script(this, kwargs) %}
        (function() {
            var box = L.control({position: {{ this.position|tojson }}});
            box.onAdd = function() {
                var div = L.DomUtil.create('div', 'pprd-overlay');
                div.innerHTML = {{ this.markup|tojson }};
                L.DomEvent.disableClickPropagation(div);
                return div;
            };
            box.addTo({{ this._parent.get_name() }});
        })();
        {% endmacro %}
    """)

    def __init__(self, markup: str, position: str = "bottomright") -> None:
        super().__init__()
        self._name = "Overlay"
        self.markup = markup
        self.position = position


class _Attribution(MacroElement):
    """Sets the attribution line (plain text, escaped here) with no tile layer needed."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.setPrefix(false);
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
    """)

    def __init__(self, text: str) -> None:
        super().__init__()
        self._name = "Attribution"
        self.text = esc(text)


def count_colour(n: float) -> str:
    """The choropleth colour for ``n`` measures (white for none)."""
    if not n or n <= 0:
        return EMPTY_FILL
    for bound, colour in zip(COUNT_BINS, COUNT_COLOURS, strict=True):
        if n <= bound:
            return colour
    return COUNT_COLOURS[-1]


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


LEGEND_ONE_COLUMN = 8  # legends with more rows are set in two columns


def legend_html(title: str, items: Sequence[LegendItem], notes: Iterable[str] = ()) -> str:
    """Legend markup; every label and note is escaped."""
    rows = []
    for item in items:
        colour = esc(item.colour)
        if item.shape == "point":
            swatch = (
                f'<span style="display:inline-block;width:12px;height:12px;'
                f'border-radius:6px;background:{colour};border:1px solid #333"></span>'
            )
        elif item.shape in ("line", "dashed", "dotted"):
            style = item.shape if item.shape != "line" else "solid"
            swatch = (
                f'<span style="display:inline-block;width:22px;height:0;'
                f'border-top:4px {style} {colour};vertical-align:middle"></span>'
            )
        else:
            swatch = (
                f'<span style="display:inline-block;width:16px;height:12px;'
                f'background:{colour};border:1px solid #777"></span>'
            )
        rows.append(
            f'<div style="margin:2px 0;break-inside:avoid">{swatch} {esc(item.label)}</div>'
        )
    extra = "".join(
        f'<div style="margin-top:4px;color:#444;max-width:230px">{esc(n)}</div>' for n in notes
    )
    if len(rows) > LEGEND_ONE_COLUMN:  # a long legend in two columns covers less of the map
        rows = [f'<div style="column-count:2;column-gap:10px;width:300px">{"".join(rows)}</div>']
    return (
        '<div style="background:rgba(255,255,255,.92);padding:4px 7px;border-radius:4px;'
        "font:11px/1.3 'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif;"
        f'box-shadow:0 1px 4px rgba(0,0,0,.3)"><b>{esc(title)}</b>{"".join(rows)}{extra}'
        "</div>"
    )


def _to_display(gdf: gpd.GeoDataFrame, basemap: str) -> gpd.GeoDataFrame:
    """Geometry as it must be drawn on ``basemap`` (GCJ-02 for Gaode, WGS84 otherwise)."""
    if gdf.crs is not None and gdf.crs.to_string() != WGS84:
        raise ValueError(f"expected {WGS84}, got {gdf.crs}")
    if basemap != "gaode" or gdf.empty:
        return gdf
    shifted = gdf.copy()
    shifted["geometry"] = geometry_wgs84_to_gcj02(gdf.geometry.values)
    return shifted


def new_map(
    bounds: Sequence[Sequence[float]],
    lang: str,
    basemap: str = "none",
    tianditu_key: str | None = None,
) -> folium.Map:
    """An empty map fitted to ``bounds`` ([[south, west], [north, east]]) with attribution.

    Parameters
    ----------
    bounds : [[south, west], [north, east]] in degrees (WGS84)
    lang : {"zh", "en"}
    basemap : one of :data:`BASEMAPS`
        ``none`` (default) needs no tile server. ``tianditu`` needs ``tianditu_key``.
    """
    if basemap not in BASEMAPS:
        raise ValueError(f"basemap must be one of {BASEMAPS}, got {basemap!r}")
    m = folium.Map(
        location=[(bounds[0][0] + bounds[1][0]) / 2, (bounds[0][1] + bounds[1][1]) / 2],
        tiles=None,
        zoom_start=5,
        control_scale=True,
        prefer_canvas=False,
        zoom_snap=0.25,
    )
    if basemap != "none":
        url, attr = _TILES[basemap]
        if basemap == "tianditu":
            if not tianditu_key:
                raise ValueError("the Tianditu basemap needs a key")
            url = url.replace("{key}", tianditu_key)
        subdomains = (
            "01234567" if basemap == "tianditu" else ("1234" if basemap == "gaode" else "abc")
        )
        folium.TileLayer(
            url, attr=attr, name=t(f"basemap_{basemap}", lang), subdomains=subdomains, max_zoom=18
        ).add_to(m)
    m.fit_bounds(bounds)
    m.add_child(_Attribution(t("attribution", lang)))
    return m


def finish_map(
    m: folium.Map, base_url: str = DEFAULT_STATIC_BASE_URL, layer_control: bool = True
) -> folium.Map:
    """Add the layer control and point the map's assets at the app (call last)."""
    if layer_control:
        folium.LayerControl(collapsed=True).add_to(m)
    has_tiles = any(isinstance(c, folium.TileLayer) for c in m._children.values())
    return localise_map_assets(m, base_url, allow_tile_layers=has_tiles)


def add_overlay(m: folium.Map, markup: str, position: str = "bottomright") -> None:
    """Add a fixed box (legend, note) whose markup the caller has escaped."""
    m.add_child(_Overlay(markup, position))


def add_regions(
    m: folium.Map,
    regions: gpd.GeoDataFrame,
    name: str,
    lang: str,
    *,
    counts: Mapping[str, float] | None = None,
    selected: str | None = None,
    highlight: Iterable[str] = (),
    show_names: bool = True,
    basemap: str = "none",
    weight: float = 1.0,
    count_label: str | None = None,
) -> None:
    """Add a layer of region polygons, clickable, optionally coloured by ``counts``.

    Each feature carries only ``adcode`` and an escaped ``tip`` (name, and the count) so the
    payload stays small; a click returns the feature, whose ``adcode`` the page reads.
    """
    if regions.empty:
        return
    chosen = set(highlight)
    frame = _to_display(regions, basemap)
    name_col = "name_en" if lang == "en" else "name_zh"
    tips = []
    for code, label in zip(frame["adcode"], frame[name_col], strict=True):
        tip = f"<b>{esc(label)}</b>"
        if counts is not None:
            tip += f"<br>{esc(count_label or t('n_measures', lang))}: {int(counts.get(code, 0))}"
        tips.append(tip)
    fill = {
        code: (
            count_colour(counts.get(code, 0))
            if counts is not None
            else ("#fde0c5" if code in chosen else "#f4f1ea")
        )
        for code in frame["adcode"]
    }
    data = gpd.GeoDataFrame(
        {"adcode": frame["adcode"].to_numpy(), "tip": tips},
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    sel = selected

    def style(feature: dict) -> dict:
        code = feature["properties"]["adcode"]
        on = code == sel
        return {
            "fillColor": fill.get(code, EMPTY_FILL),
            "color": HIGHLIGHT if on else OUTLINE,
            "weight": weight * (3 if on else 1),
            "fillOpacity": 0.85 if counts is not None else 0.6,
            "opacity": 1,
        }

    folium.GeoJson(
        frame_geojson(data),
        name=name,
        style_function=style,
        highlight_function=lambda _f: {"weight": 3, "color": HIGHLIGHT},
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False, sticky=False) if show_names else None,
        zoom_on_click=False,
    ).add_to(m)


def add_dashline(
    m: folium.Map, dashline: gpd.GeoDataFrame, lang: str, basemap: str = "none", show: bool = True
) -> None:
    """The South China Sea dash line as its own layer, with no interaction."""
    if dashline.empty:
        return
    frame = _to_display(dashline, basemap)
    folium.GeoJson(
        frame_geojson(frame[["geometry"]]),
        name=t("dashline", lang),
        show=show,
        style_function=lambda _f: {"color": "#3a6fb0", "weight": 1.6},
        interactive=False,
    ).add_to(m)


def project_popup_html(row: Mapping[str, object], lang: str) -> str:
    """A project's popup: name, kind, status with date, source, confidence, length, precision."""
    name = row["name_en"] if lang == "en" else (row.get("label_zh") or row["name_plan"])
    length = row.get("length_km")
    length_txt = "" if length is None or pd.isna(length) else f"{float(length):,.0f}"
    reported = row.get("reported_length_km")
    lines = [
        (t("kind", lang), term("kind", str(row["kind"]), lang)),
        (
            t("status", lang),
            f"{term('status', str(row['status']), lang)}"
            + (f" ({row['status_date']})" if row.get("status_date") else ""),
        ),
        (t("field_name_plan", lang), row["name_plan"] if row["name_plan"] != name else ""),
        (t("plan_stage", lang), row.get("plan_stage", "")),
        (t("source", lang), row.get("status_source", "")),
        (t("confidence", lang), term("confidence", str(row.get("confidence", "")), lang)),
        (t("length_km", lang), length_txt),
        (
            t("reported_length_km", lang),
            "" if reported is None or pd.isna(reported) or reported == "" else reported,
        ),
        (t("precision", lang), row.get("precision", "")),
    ]
    body = "".join(
        f"<tr><th style='text-align:left;padding-right:6px;vertical-align:top'>"
        f"{esc(k)}</th><td style='overflow-wrap:anywhere'>{esc(v)}</td></tr>"
        for k, v in lines
        if v not in ("", None)
    )
    subtitle = row.get("name_zh") if row.get("name_zh") != name else ""
    return (
        f"<div style='max-width:320px;font-size:12px'><b>{esc(name)}</b>"
        + (f"<br><span style='color:#555'>{esc(subtitle)}</span>" if subtitle else "")
        + f"<table>{body}</table></div>"
    )


def project_colour(row: Mapping[str, object], colour_by: str) -> str:
    """The colour of a project drawn by ``kind`` or by ``status``."""
    if colour_by == "status":
        return STATUS_COLOURS.get(str(row["status"]), STATUS_COLOURS["unknown"])
    return KIND_COLOURS.get(str(row["kind"]), "#333333")


def add_projects(
    m: folium.Map,
    projects: gpd.GeoDataFrame,
    lang: str,
    *,
    colour_by: str = "kind",
    not_yet: Iterable[str] = (),
    selected: str | None = None,
    basemap: str = "none",
) -> list[LegendItem]:
    """Draw projects: routes as lines, sites as circle markers, zones as areas.

    Parameters
    ----------
    projects : GeoDataFrame
        Rows of the catalogue (EPSG:4326); rows without geometry are skipped.
    colour_by : {"kind", "status"}
    not_yet : iterable of str
        Ids drawn dashed and faded (e.g. not yet open in the chosen year).
    selected : str, optional
        Id drawn heavier.

    Returns
    -------
    list of LegendItem
        One row per colour used, for the legend.
    """
    if colour_by not in COLOUR_BY:
        raise ValueError(f"colour_by must be 'kind' or 'status', got {colour_by!r}")
    faded = set(not_yet)
    mapped = projects[has_geometry(projects)]
    frame = _to_display(mapped, basemap)
    # One GeoJson layer for all projects (not one layer, popup and tooltip each): folium
    # compiles a template per element, which made a page rerun several times slower.
    features, styles = [], {}
    order = {"fill": 0, "line": 1, "dotted": 1, "point": 2}  # areas under lines under sites
    rows = sorted(
        frame.to_dict("records"), key=lambda r: (r["id"] == selected, order[project_shape(r)])
    )
    for row in rows:
        colour = project_colour(row, colour_by)
        shape = project_shape(row)
        dim = row["id"] in faded
        heavy = row["id"] == selected
        label = row["name_en"] if lang == "en" else (row.get("label_zh") or row["name_plan"])
        if shape == "point":  # a MultiPoint (several host places): one circle per place
            styles[row["id"]] = {
                "radius": 9 if heavy else 6,
                "color": HIGHLIGHT if heavy else "#222",
                "weight": 3 if heavy else 1,
                "fillColor": colour,
                "fillOpacity": 0.35 if dim else 0.95,
                "opacity": 0.5 if dim else 1,
            }
        else:
            styles[row["id"]] = {
                "color": colour,
                "weight": 6 if heavy else (4 if shape != "fill" else 2),
                "opacity": 0.45 if dim else 0.95,
                "fillColor": colour,
                "fillOpacity": 0.25,
                "dashArray": "6 6" if dim else ("1 7" if shape == "dotted" else None),
            }
        # A MultiPoint goes as one feature per place (ids id#1, id#2 … after the first; folium
        # needs unique ids): Leaflet draws a MultiPoint as a group of markers that carry no
        # ``feature``, so their tooltip and popup would fail.
        geom = row["geometry"]
        parts = list(geom.geoms) if geom.geom_type == "MultiPoint" else [geom]
        properties = {"tip": esc(label), "popup": project_popup_html(row, lang)}
        for i, part in enumerate(parts):
            fid = row["id"] if i == 0 else f"{row['id']}#{i}"
            styles[fid] = styles[row["id"]]
            features.append(
                {
                    "type": "Feature",
                    "id": fid,
                    "properties": properties,
                    "geometry": part.__geo_interface__,
                }
            )
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
            popup=folium.GeoJsonPopup(["popup"], labels=False, max_width=340),
            zoom_on_click=False,
        ).add_to(m)
    return project_legend_items(frame, lang, colour_by)


def project_shape(row: Mapping[str, object]) -> str:
    """How a project is drawn: ``point`` (Point, MultiPoint), ``fill`` (areas), ``dotted``
    (freight services, which run on existing lines) or ``line`` (routes)."""
    geom = row["geometry"]
    kind = geom.geom_type  # type: ignore[union-attr]
    if kind in ("Point", "MultiPoint"):
        return "point"
    if kind.endswith("Polygon"):
        return "fill"
    return "dotted" if row.get("kind") == "freight_route" else "line"


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
    by_colour: dict[str, tuple[list[str], set[str]]] = {}
    for row in mapped.to_dict("records"):
        labels, shapes = by_colour.setdefault(project_colour(row, colour_by), ([], set()))
        label = term(colour_by, str(row[colour_by]), lang)
        if label not in labels:
            labels.append(label)
        shapes.add(project_shape(row))
    items = [
        LegendItem(colour, " / ".join(labels), next(iter(shapes)) if len(shapes) == 1 else "fill")
        for colour, (labels, shapes) in by_colour.items()
    ]
    if colour_by == "status" and (mapped["kind"] == "freight_route").any():
        items.append(LegendItem("#555555", term("kind", "freight_route", lang), "dotted"))
    if mapped["id"].isin(set(not_yet)).any():
        items.append(LegendItem("#777777", t("legend_not_yet", lang), "dashed"))
    return items


# --- Page maps -------------------------------------------------------------------------------


def schematic_note(lang: str) -> str:
    """The 示意图 note with the data source, escaped, for the map corner."""
    return legend_html(t("schematic", lang), [], [t("schematic_note", lang)])


def build_regions_map(
    regions: gpd.GeoDataFrame,
    lang: str,
    *,
    context: gpd.GeoDataFrame | None = None,
    counts: Mapping[str, float] | None = None,
    selected: str | None = None,
    highlight: Iterable[str] = (),
    dashline: gpd.GeoDataFrame | None = None,
    projects: gpd.GeoDataFrame | None = None,
    colour_by: str = "kind",
    not_yet: Iterable[str] = (),
    selected_project: str | None = None,
    legend_title: str | None = None,
    bounds: list[list[float]] | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    static_url: str = DEFAULT_STATIC_BASE_URL,
    count_label: str | None = None,
    legend_position: str = "bottomright",
) -> folium.Map:
    """The map every page draws: clickable regions, optional context, projects and legends.

    Parameters
    ----------
    regions : GeoDataFrame
        The clickable regions (one level), EPSG:4326, columns ``adcode, name_zh, name_en,
        province_adcode``.
    context : GeoDataFrame, optional
        Outlines drawn underneath (e.g. the provinces around), not clickable.
    counts : mapping, optional
        adcode → number of measures; colours the regions as a choropleth with its legend.
    dashline : GeoDataFrame, optional
        The South China Sea dash line; added (with the 示意图 note) when Hainan is shown.
    projects : GeoDataFrame, optional
        Projects drawn over the regions, coloured by ``colour_by``, with a legend.
    legend_position : str
        The Leaflet corner of the legends (``topleft`` where the south-east is busy).
    """
    view = bounds or fit_bounds(regions)
    m = new_map(view, lang, basemap, tianditu_key)
    if context is not None and not context.empty:
        frame = _to_display(context, basemap)
        folium.GeoJson(
            frame_geojson(frame[["geometry"]]),
            name=t("regions", lang),
            interactive=False,
            style_function=lambda _f: {
                "color": "#999",
                "weight": 0.8,
                "fillColor": "#eeeeee",
                "fillOpacity": 0.5,
            },
        ).add_to(m)
    add_regions(
        m,
        regions,
        t("regions", lang),
        lang,
        counts=counts,
        selected=selected,
        highlight=highlight,
        basemap=basemap,
        count_label=count_label,
    )
    legends: list[str] = []
    if counts is not None:
        legends.append(
            legend_html(legend_title or count_label or t("n_measures", lang), count_legend(lang))
        )
    if projects is not None and not projects.empty:
        add_projects(
            m,
            projects,
            lang,
            colour_by=colour_by,
            not_yet=not_yet,
            selected=selected_project,
            basemap=basemap,
        )
        title = t("kind", lang) if colour_by == "kind" else t("status", lang)
        legends.append(
            legend_html(
                title,
                project_legend_items(projects, lang, colour_by, not_yet),
                [t("legend_location_note", lang)],
            )
        )
    whole = context if context is not None else regions
    if dashline is not None and (shows_hainan(whole) or shows_hainan(regions)):
        add_dashline(m, dashline, lang, basemap)
        add_overlay(m, schematic_note(lang), "bottomleft")
    if legends:
        add_overlay(m, "".join(legends), legend_position)
    return finish_map(m, static_url)


HOME_FILL = "#9ecae1"  # Jiangxi on the partners map: blue, apart from the OrRd choropleth
HOME_OUTLINE = "#08306b"


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


def build_partners_map(
    partners: gpd.GeoDataFrame,
    home: gpd.GeoDataFrame,
    lang: str,
    *,
    counts: Mapping[str, float],
    count_label: str,
    notes: Iterable[str] = (),
    selected: str | None = None,
    projects: gpd.GeoDataFrame | None = None,
    context: gpd.GeoDataFrame | None = None,
    dashline: gpd.GeoDataFrame | None = None,
    bounds: list[list[float]] | None = None,
    basemap: str = "none",
    tianditu_key: str | None = None,
    static_url: str = DEFAULT_STATIC_BASE_URL,
) -> folium.Map:
    """Jiangxi and its partners: partners shaded by ``counts``, Jiangxi apart, corridors on top.

    Parameters
    ----------
    partners : GeoDataFrame
        The partner provinces (clickable), EPSG:4326, columns ``adcode, name_zh, name_en``.
    home : GeoDataFrame
        Jiangxi, drawn in its own colour with its own legend row (not a choropleth class).
    counts : mapping
        Partner adcode → number of links; ``count_label`` names them in tooltips and legend,
        ``notes`` explain them under the legend.
    selected : str, optional
        The partner outlined.
    projects : GeoDataFrame, optional
        Corridors and projects, coloured by kind (legend, top right).
    context : GeoDataFrame, optional
        Provinces around (not clickable), clipped to the view.
    bounds : [[south, west], [north, east]], optional
        What must be in view; default: Jiangxi and all partners. The view adds
        :data:`LEGEND_ROOM` on the east (the sea), where the legends sit.
    """
    (south, west), (north, east) = bounds or fit_bounds(pd.concat([partners, home]))
    # room on the east for the legends and at the bottom for the 示意图 note and the scale
    view = [[south - (north - south) * 0.08, west], [north, east + (east - west) * LEGEND_ROOM]]
    m = new_map(view, lang, basemap, tianditu_key)
    if context is not None and not context.empty:
        frame = _to_display(clip_to_view(context, view), basemap)
        folium.GeoJson(
            frame_geojson(frame[["geometry"]]),
            name=t("regions", lang),
            interactive=False,
            style_function=lambda _f: {
                "color": "#999",
                "weight": 0.8,
                "fillColor": "#eeeeee",
                "fillOpacity": 0.5,
            },
        ).add_to(m)
    add_regions(
        m,
        partners,
        t("partners", lang),
        lang,
        counts=counts,
        selected=selected,
        basemap=basemap,
        count_label=count_label,
    )
    home_frame = _to_display(home, basemap)
    name_col = "name_en" if lang == "en" else "name_zh"
    home_label = " / ".join(str(n) for n in home_frame[name_col])
    home_data = gpd.GeoDataFrame(
        {
            "adcode": home_frame["adcode"].to_numpy(),
            "tip": [f"<b>{esc(n)}</b>" for n in home_frame[name_col]],
        },
        geometry=home_frame.geometry.to_numpy(),
        crs=home_frame.crs,
    )
    # Leaflet's layer control sets layer names as HTML: a name from the data is escaped.
    folium.GeoJson(
        frame_geojson(home_data),
        name=esc(home_label),
        style_function=lambda _f: {
            "color": HOME_OUTLINE,
            "weight": 2,
            "fillColor": HOME_FILL,
            "fillOpacity": 0.9,
        },
        tooltip=folium.GeoJsonTooltip(["tip"], labels=False, sticky=False),
        zoom_on_click=False,
    ).add_to(m)
    if projects is not None and not projects.empty:
        lines = _to_display(
            projects[projects.geom_type.isin(["LineString", "MultiLineString"])], basemap
        )
        if not lines.empty:  # a white casing keeps the lines legible on the darkest classes
            folium.GeoJson(
                frame_geojson(lines[["geometry"]]),
                name=t("projects", lang),
                interactive=False,
                control=False,
                style_function=lambda _f: {"color": "#ffffff", "weight": 7, "opacity": 0.85},
            ).add_to(m)
        items = add_projects(m, projects, lang, colour_by="kind", basemap=basemap)
        if items:
            add_overlay(m, legend_html(t("kind", lang), items), "topright")
    if dashline is not None and shows_hainan(partners):
        add_dashline(m, dashline, lang, basemap)
        add_overlay(m, schematic_note(lang), "bottomleft")
    add_overlay(
        m,
        legend_html(count_label, [LegendItem(HOME_FILL, home_label), *count_legend(lang)], notes),
        "bottomright",
    )
    return finish_map(m, static_url)
