"""A view as an interactive folium map: for the briefing page, and as one offline HTML file.

The map is :func:`geo.render.maps.build_regions_map` of the view's layers
(:func:`geo.analysis.views.view_layers`, display-simplified geometry), with the same labels the
PNG carries (placed without collisions for a screen-sized map,
:func:`geo.render.label_layout.map_labels`). The standalone file inlines Leaflet
(:func:`geo.render.webassets.render_standalone_html`): it opens from an e-mail attachment with no
network and no server.
"""

from __future__ import annotations

import json

import folium
import geopandas as gpd
import shapely
from branca.element import MacroElement
from folium.template import Template

from geo.analysis import display, filters
from geo.analysis.views import View, ViewLayers, view_layers
from geo.core.constants import JIANGXI
from geo.core.dataset import Dataset
from geo.core.geometry import has_geometry
from geo.core.i18n import t, term
from geo.render.label_layout import map_labels
from geo.render.legends import legend_html, project_legend_items
from geo.render.map_frame import MapOptions, add_overlay
from geo.render.map_layers import Choropleth, MapLayers, ProjectLayer
from geo.render.maps import build_regions_map
from geo.render.safe import esc
from geo.render.styles import HIGHLIGHT, project_colour, project_shape
from geo.render.webassets import DEFAULT_STATIC_BASE_URL, render_standalone_html

_FONT = "'Noto Sans CJK SC','Microsoft YaHei','PingFang SC',sans-serif"
LABEL_STYLE = {
    "province": f"font:700 15px {_FONT};color:#666",
    "region": f"font:13px {_FONT};color:#222",
    "project": f"font:12px {_FONT};color:#333",
}
_HALO = "text-shadow:0 0 2px #fff,0 0 2px #fff,0 0 3px #fff"


class _Labels(MacroElement):
    """Text labels as one compact script: a list of (lat, lon, escaped text, anchor, kind) in
    order of importance, and a loop making non-interactive ``L.divIcon`` markers (a folium
    Marker per label costs about 1 KB of script each). After every zoom, a label that would
    overlap one before it in the list is hidden, so the labels never collide whatever the
    size of the map or its zoom."""

    _template = Template("""
        {% macro script(this, kwargs) %}
        (function() {
            var map = {{ this._parent.get_name() }};
            var styles = {{ this.styles|tojson }};
            var shifts = {"center": "-50%", "left": "0", "right": "-100%"};
            var group = L.layerGroup();
            var markers = {{ this.items|tojson }}.map(function(item) {
                var html = '<div style="position:absolute;white-space:nowrap;transform:'
                    + 'translate(' + (shifts[item[3]] || "-50%") + ',-50%);'
                    + (styles[item[4]] || styles.region) + '">' + item[2] + '</div>';
                return L.marker([item[0], item[1]], {
                    icon: L.divIcon({html: html, className: "pprd-label", iconSize: [0, 0]}),
                    interactive: false, keyboard: false
                }).addTo(group);
            });
            function declutter() {
                var placed = [];
                markers.forEach(function(marker) {
                    var box = marker.getElement() && marker.getElement().firstChild;
                    if (!box) { return; }
                    box.style.visibility = "visible";
                    var r = box.getBoundingClientRect();
                    var hit = placed.some(function(p) {
                        return r.left < p.right + 2 && r.right > p.left - 2
                            && r.top < p.bottom + 1 && r.bottom > p.top - 1;
                    });
                    if (hit) { box.style.visibility = "hidden"; } else { placed.push(r); }
                });
            }
            group.addTo(map);
            map.on("zoomend resize", declutter);
            setTimeout(declutter, 0);
        })();
        {% endmacro %}
    """)

    def __init__(self, items: list[list[object]]) -> None:
        super().__init__()
        self._name = "Labels"
        self.items = items
        self.styles = {kind: f"{style};{_HALO}" for kind, style in LABEL_STYLE.items()}


def add_labels(m: folium.Map, labels: list[tuple[float, float, str, str, str]]) -> None:
    """Add non-interactive text labels ((lon, lat, text, ha, kind)); texts are escaped here."""
    items = [
        [round(lat, 4), round(lon, 4), esc(text), ha, kind] for lon, lat, text, ha, kind in labels
    ]
    m.add_child(_Labels(items))


def add_projects_light(
    m: folium.Map, projects: gpd.GeoDataFrame, lang: str, colour_by: str
) -> None:
    """Projects with name tooltips and no popups (the page's budget).

    Drawn like :func:`geo.render.map_layers.add_projects`: routes as lines (freight services
    dotted) and zones as areas in one GeoJSON layer, sites as circles; coloured by
    ``colour_by``; the legend is :func:`geo.render.legends.project_legend_items`.
    """
    mapped = projects[has_geometry(projects)]
    if mapped.empty:
        return
    group = folium.FeatureGroup(name=t("projects", lang))
    features = []
    for row in mapped.to_dict("records"):
        name = row["name_en"] if lang == "en" else (row.get("label_zh") or row["name_plan"])
        tip = f"<b>{esc(name)}</b><br>{esc(term('status', str(row['status']), lang))}"
        colour = project_colour(row, colour_by)
        shape = project_shape(row)
        if shape == "point":
            for part in shapely.get_parts(row["geometry"]):
                folium.CircleMarker(
                    [part.y, part.x],
                    radius=6,
                    color="#222",
                    weight=1,
                    fill=True,
                    fill_color=colour,
                    fill_opacity=0.95,
                    tooltip=tip,
                ).add_to(group)
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": row["geometry"].__geo_interface__,
                "properties": {"tip": tip, "colour": colour, "shape": shape},
            }
        )

    def style(feature: dict) -> dict:
        props = feature["properties"]
        return {
            "color": props["colour"],
            "fillColor": props["colour"],
            "opacity": 0.95,
            "weight": 4 if props["shape"] != "fill" else 2,
            "fillOpacity": 0.3,
            "dashArray": "1 7" if props["shape"] == "dotted" else None,
        }

    if features:
        folium.GeoJson(
            {"type": "FeatureCollection", "features": features},
            style_function=style,
            tooltip=folium.GeoJsonTooltip(["tip"], labels=False, sticky=False),
            highlight_function=lambda _f: {"weight": 6},
        ).add_to(group)
    group.add_to(m)


def _near_regions(
    ds: Dataset, view: View, layers: ViewLayers
) -> tuple[gpd.GeoDataFrame, gpd.GeoDataFrame | None]:
    """The regions and context outlines worth sending: those near the view's extent.

    At city level only the cities with measures or in Jiangxi are sent (the others are the
    same white as the province underneath); at province level the regions are the
    provinces, and no context is needed.
    """
    west, south, east, north = layers.extent
    dx, dy = (east - west) * 0.1, (north - south) * 0.1
    near = shapely.box(west - dx, south - dy, east + dx, north + dy)
    regions = layers.regions[layers.regions.intersects(near)]
    if view.level == "city":
        counted = regions["adcode"].map(lambda code: layers.counts.get(code, 0) > 0)
        regions = regions[counted | (regions["province_adcode"] == JIANGXI)]
    if view.level == "province":
        return regions, None
    # Context outlines cut to the neighbourhood: what lies far outside only costs bytes.
    clipped = layers.context.geometry.clip_by_rect(*near.bounds)
    return regions, layers.context[~clipped.is_empty].set_geometry(clipped[~clipped.is_empty])


def _add_focus_outline(
    m: folium.Map, ds: Dataset, view: View, layers: ViewLayers, lang: str
) -> None:
    """Outline the focus when it is not one of the regions drawn (a city over its counties)."""
    if not layers.focus or view.level == filters.level_of(ds, layers.focus):
        return
    level = filters.level_of(ds, layers.focus) or "city"
    shape = display.display_regions(ds, level)
    shape = shape[shape["adcode"] == layers.focus]
    folium.GeoJson(
        json.loads(shape[["geometry"]].to_json(drop_id=True)),
        name=ds.region_name(layers.focus, lang),
        interactive=False,
        style_function=lambda _f: {"color": HIGHLIGHT, "weight": 3, "fill": False},
    ).add_to(m)


def _add_light_projects(m: folium.Map, layers: ViewLayers, view: View, lang: str) -> None:
    """The projects without popups, and their legend (top right)."""
    add_projects_light(m, layers.projects, lang, view.colour_by)
    title = t("kind", lang) if view.colour_by == "kind" else t("status", lang)
    add_overlay(
        m,
        legend_html(
            title,
            project_legend_items(layers.projects, lang, view.colour_by),
            [t("legend_location_note", lang)],
        ),
        "topright",
    )


def view_map(
    ds: Dataset,
    view: View,
    lang: str = "zh",
    *,
    static_url: str = DEFAULT_STATIC_BASE_URL,
    labels: bool = True,
    popups: bool = True,
    label_size: tuple[int, int] = (2000, 1000),
) -> folium.Map:
    """The interactive map of ``view``: choropleth, projects, legends, labels, dash line.

    To keep within the browser budget, the regions sent are those near the view's extent
    and, at city level, only those with measures or in Jiangxi (the others are the same white
    as the province underneath). The map opens fitted to the extent.
    """
    layers = view_layers(ds, view)
    west, south, east, north = layers.extent
    regions, context = _near_regions(ds, view, layers)
    # Popups cite each project's sources as text; without the scheme a citation is still
    # readable but no longer a URL (the file references nothing outside itself).
    cited = layers.selection.projects.assign(
        status_source=layers.selection.projects["status_source"]
        .astype(str)
        .str.replace(r"https?://", "", regex=True)
    )
    title = f"{t('n_measures', lang)} · {t(f'level_{view.level}', lang)}"
    m = build_regions_map(
        MapLayers(
            regions,
            context=context,
            choropleth=Choropleth({k: float(v) for k, v in layers.counts.items()}, title=title),
            projects=ProjectLayer(cited, view.colour_by, popups=True) if popups else None,
            selected=view.region,
            dashline=ds.dashline,
            bounds=[[south, west], [north, east]],
        ),
        MapOptions(lang, static_url=static_url),
    )
    _add_focus_outline(m, ds, view, layers, lang)
    if not popups and not layers.projects.empty:
        _add_light_projects(m, layers, view, lang)
    if labels:
        add_labels(m, map_labels(ds, view, lang, *label_size))
    _layer_control_last(m)
    return m


def _layer_control_last(m: folium.Map) -> None:
    """Move the layer control after the layers added since :func:`geo.render.map_frame.finish_map`.

    Its script names every overlay; placed before a layer's own script it would hand Leaflet
    an undefined layer (``setZIndex`` of undefined), and every script after it would not run.
    """
    for name, child in list(m._children.items()):
        if isinstance(child, folium.LayerControl):
            del m._children[name]
            m._children[name] = child


def export_html(ds: Dataset, view: View, lang: str = "zh") -> bytes:
    """The view as one self-contained, offline HTML file (UTF-8 bytes).

    The title and subtitle sit in a box at the top of the map; the legends, the 示意图 note
    and the attribution are the page map's.
    """
    m = view_map(ds, view, lang)
    title = (
        f'<div style="background:rgba(255,255,255,.94);padding:8px 12px;'
        f"border-radius:4px;box-shadow:0 1px 4px rgba(0,0,0,.3);font-family:{_FONT};"
        f'max-width:560px"><div style="font-size:20px;font-weight:700">'
        f'{esc(view.title(lang))}</div><div style="font-size:13px;color:#555">'
        f'{esc(view.subtitle(lang))}</div><div style="font-size:11px;color:#777">'
        f"{esc(t('export_schematic', lang))}</div></div>"
    )
    add_overlay(m, title, "topright")
    return render_standalone_html(m, title=view.title(lang)).encode("utf-8")
