"""A small folium map like the pages' (a polygon with tooltip and popup, CircleMarkers, a layer
control), for the render tests of ``geo.render.webassets`` and their check in Chromium."""

from __future__ import annotations

import folium

CITY = "赣州市"
POLYGON = {
    "type": "FeatureCollection",
    "features": [
        {
            "type": "Feature",
            "properties": {"name": CITY},
            "geometry": {
                "type": "Polygon",
                "coordinates": [
                    [[114.0, 25.0], [116.0, 25.0], [116.0, 27.0], [114.0, 27.0], [114.0, 25.0]]
                ],
            },
        }
    ],
}


def build_map() -> folium.Map:
    """A map like the pages': GeoJson with tooltip and popup, CircleMarkers, LayerControl."""
    m = folium.Map(location=[26.0, 115.0], zoom_start=7, tiles=None)
    folium.GeoJson(
        POLYGON,
        name="cities",
        tooltip=folium.GeoJsonTooltip(["name"]),
        popup=folium.GeoJsonPopup(["name"]),
    ).add_to(m)
    points = folium.FeatureGroup(name="projects").add_to(m)
    folium.CircleMarker(
        [27.5, 115.0], radius=8, fill=True, popup="项目 <b>A</b>", tooltip="A"
    ).add_to(points)
    folium.CircleMarker([24.5, 113.5], radius=8, fill=True, tooltip="B").add_to(points)
    folium.LayerControl(collapsed=False).add_to(m)
    return m
