"""The floor: the least any Streamlit + st_folium page can cost on this machine.

One tiny map (a single square), no data, nothing else on the page; a radio switches between two
squares, so "filter change → map redrawn" is the bare cost of st_folium remounting its iframe.
The benchmark times it like a page of ours: what is left above this line is our app's doing.
Leaflet comes from ``static/`` (``benchmarks/static`` links to it), as in our app.
"""

import folium
import streamlit as st
from streamlit_folium import st_folium

from geo.render.webassets import localise_map_assets

st.set_page_config(page_title="floor", layout="wide")
with st.sidebar:
    where = st.radio("Square", ["south", "north"], key="floor_square")
south = 24.0 if where == "south" else 28.0
m = folium.Map(location=[south + 1, 115], zoom_start=6, tiles=None)
square = [[114, south], [116, south], [116, south + 2], [114, south + 2], [114, south]]
folium.GeoJson(
    {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "properties": {"name": where},
                "geometry": {"type": "Polygon", "coordinates": [square]},
            }
        ],
    },
    tooltip=folium.GeoJsonTooltip(["name"]),
).add_to(m)
localise_map_assets(m)
st_folium(m, key="floor_map", height=560, returned_objects=["last_active_drawing"])
