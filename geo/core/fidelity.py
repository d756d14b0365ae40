"""Checks that the joined dataset says what its sources say (``python -m geo validate``).

- Every place a measure's text names, also inside a project's name, reaches the measure
  (natural features inside a project's name excepted: 赣江 in 赣江新区).
- One hierarchy: every project's counted regions are closed upward (a county's city and
  province are listed with it) and downward (a listed province or city that has smaller units
  has one of them listed too).
- No crossing without a fact: every region a line is counted as crossing holds one of its
  waypoints or meets one of its legs no longer than the indicative limit.
- Planned is not done: an opening or in-service date is never in the future nor backed only
  by a planned date; every reported length cites a source that gives it.

Each problem names the file and row (or the measure) it is about.
"""

from __future__ import annotations

import itertools
import re
from datetime import date

import shapely
from pyproj import Geod
from shapely.geometry import LineString, Point

from geo.core.constants import LEVELS, OPEN_STATUSES
from geo.core.dataset import Dataset
from geo.core.gazetteer import find_places
from geo.core.plan import to_cn_numeral
from geo.core.project_geometry import INDICATIVE_LEG_KM

_GEOD = Geod(ellps="WGS84")
_FACT_KEY = re.compile(r"(?:^|\| )([a-z0-9_]+): ")
_NO_SOURCE = ("not found", "general knowledge", "projects_facts.json")


def fidelity_problems(ds: Dataset, today: date | None = None) -> list[str]:
    """Every problem of the four checks above, in that order (empty when all hold)."""
    return [
        *places_reach_measures(ds),
        *hierarchy_problems(ds),
        *crossings_without_fact(ds),
        *planned_not_done(ds, today or date.today()),
    ]


def places_reach_measures(ds: Dataset) -> list[str]:
    """Places written in a measure's text (project names included) that it is not linked to."""
    linked = ds.region_links[ds.region_links["link"].isin({"text", "name"})]
    by_measure = linked.groupby("measure")["adcode"].agg(set).to_dict()
    names = [n for n in ds.projects["name_plan"] if n]
    problems = []
    for m in ds.plan.measures:
        have = by_measure.get(m.number, set())
        spans = [(i, i + len(n)) for n in names for i in _occurrences(m.text, n)]
        for mention in find_places(m.text, ds.gazetteer):
            inside = any(a <= mention.start and mention.end <= b for a, b in spans)
            if inside and mention.place.kind == "feature":
                continue  # 赣江 in 赣江新区 describes the project, not a place of the measure
            missing = [c for c in mention.place.adcodes if c not in have]
            if missing:
                problems.append(
                    f"measure ({to_cn_numeral(m.number)}): {mention.name} is written in its "
                    f"text but the measure is not linked to {', '.join(missing)}"
                )
    return problems


def _occurrences(text: str, phrase: str) -> list[int]:
    found, start = [], text.find(phrase)
    while start != -1:
        found.append(start)
        start = text.find(phrase, start + 1)
    return found


def hierarchy_problems(ds: Dataset) -> list[str]:
    """Projects whose counted regions are not closed up and down the hierarchy."""
    table = ds.region_table
    has_children = set(table["parent_adcode"].dropna())
    problems = []
    for row in ds.projects.to_dict("records"):
        codes = set(row["regions"])
        for code in codes:
            if code not in table.index:
                continue
            for up in ("city_adcode", "province_adcode"):
                parent = table.at[code, up]
                if isinstance(parent, str) and parent and parent != code and parent not in codes:
                    problems.append(
                        f"projects.csv, row {row['_line']}: {row['id']} crosses {code} but not "
                        f"its {up.split('_')[0]} {parent}"
                    )
            if code in has_children and not any(
                table.at[c, "parent_adcode"] == code for c in codes if c in table.index
            ):
                problems.append(
                    f"projects.csv, row {row['_line']}: {row['id']} crosses {code} but none "
                    "of the regions inside it"
                )
    return problems


def crossings_without_fact(ds: Dataset) -> list[str]:
    """Counted crossings of lines that neither hold a waypoint nor meet a short leg."""
    problems = []
    for row in ds.projects.to_dict("records"):
        geom = row["geometry"]
        if geom is None or geom.geom_type not in ("LineString", "MultiLineString"):
            continue
        located = _located(geom)
        for level in LEVELS:
            frame = ds.regions[level]
            listed = frame[frame["adcode"].isin(set(row["regions"]))]
            for code, shape in zip(listed["adcode"], listed.geometry, strict=True):
                if not shapely.intersects(shape, located):
                    problems.append(
                        f"projects.csv, row {row['_line']}: {row['id']} is counted as crossing "
                        f"{code}, which only its long straight legs (> {INDICATIVE_LEG_KM:.0f} "
                        "km, known by their ends) reach"
                    )
    return problems


def _located(geom: shapely.Geometry) -> shapely.Geometry:
    lines = [geom] if geom.geom_type == "LineString" else list(geom.geoms)
    parts: list[shapely.Geometry] = []
    for line in lines:
        coords = list(line.coords)
        parts.extend(Point(c) for c in coords)
        for a, b in itertools.pairwise(coords):
            if _GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0 <= INDICATIVE_LEG_KM:
                parts.append(LineString([a, b]))
    return shapely.union_all(parts)


def planned_not_done(ds: Dataset, today: date) -> list[str]:
    """Openings dated in the future or backed only by planned dates; unsourced lengths."""
    problems = []
    for row in ds.projects.to_dict("records"):
        where = f"projects.csv, row {row['_line']}: {row['id']}"
        if row["status"] in OPEN_STATUSES:
            for column in ("opened_date", "status_date"):
                value = str(row[column] or "")
                if value and value > today.isoformat():
                    problems.append(f"{where}: {column} {value} is in the future")
            facts = _FACT_KEY.findall(str(row["status_source"]))
            if facts and all("planned" in f for f in facts):
                problems.append(f"{where}: its {row['status']} status rests on planned dates only")
        length = row["reported_length_km"]
        if isinstance(length, float) and length == length:
            source = str(row["length_source"] or "")
            if "http" not in source or any(s in source for s in _NO_SOURCE[2:]):
                problems.append(f"{where}: reported length {length:g} km cites no source giving it")
    return problems


__all__ = [
    "crossings_without_fact",
    "fidelity_problems",
    "hierarchy_problems",
    "places_reach_measures",
    "planned_not_done",
]
