"""The constants every layer shares: levels, link kinds, the 9+2 and the adcodes pages name.

Each lives here once. A rule written twice drifts, and users see both versions.
"""

from __future__ import annotations

CRS = "EPSG:4326"  # every stored and joined geometry: WGS84 longitude, latitude
LEVELS = ("province", "city", "county")
# How a measure touches a region: its text names it, its text names it inside a project's name
# (吉安 in 吉安(深圳)工业园), a responsible unit is its government, or a project it names
# crosses it.
LINK_KINDS = ("text", "name", "unit", "project")
# Project colouring on every map and export.
COLOUR_BY = ("kind", "status")
# Statuses that mean the project was in use by its status date.
OPEN_STATUSES = ("open", "operating", "completed")

JIANGXI = "360000"
HAINAN = "460000"
CHONGQING = "500000"
TAIWAN = "710000"
# The ten partners, in the plan's order of the 9+2 (福建 … 云南, then 香港, 澳门).
PARTNERS = (
    "350000",
    "430000",
    "440000",
    "450000",
    "460000",
    "510000",
    "520000",
    "530000",
    "810000",
    "820000",
)
# The 9+2 in adcode order: Jiangxi and its ten partners.
PPRD_ADCODES = tuple(sorted((JIANGXI, *PARTNERS)))
# The provinces beyond the 9+2 that the plan's projects reach most (浙皖闽赣, 九景衢, 武九 …).
REACH = ("330000", "340000", "420000")
# What city-level maps draw: the 9+2, the provinces the projects reach, and 重庆 and 台湾 so the
# view has no holes (both are single city-level units).
MAP_AREA = PPRD_ADCODES + REACH + (CHONGQING, TAIWAN)
# Share of a view's width added on the east of a map, where its legends sit.
LEGEND_ROOM = 0.35
