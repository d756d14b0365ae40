"""The project catalogue: every project, route, zone and park the plan names, on the map.

Two reviewed files are the source of truth (see ``data/``):

- ``projects.csv``: one row per project or zone, with the plan's own name and stage words for
  it, its status today (with date, source and confidence carried from the fact sheet), a
  reported length where the facts give one, and how it is located (``geometry_kind``,
  ``precision``, ``area_adcodes`` or ``unmapped_reason``).
- ``waypoints.csv``: the ordered waypoints of each project, in WGS84. A waypoint whose
  coordinates the facts do not know has empty ``lat``/``lon``; it is kept in the file (it is a
  fact that the station exists) and skipped when the geometry is built.

Nothing derived is stored: this module reads and checks the two files; the geometry, the
geodesic length and the provinces, cities and counties a project crosses (a spatial join on the
boundaries) are built by :mod:`geo.core.project_geometry` when the catalogue is loaded.

Controlled vocabularies
-----------------------
``kind`` — see :data:`KINDS`. ``type_detail`` keeps the fact sheet's own wording.

``status`` — the state today, normalised from the fact sheet's status string (kept verbatim in
``status_detail``); see :data:`STATUSES`. The mapping used for the 2016 plan's projects::

    open                                         -> open
    operating                                    -> operating
    completed                                    -> completed
    approved; designated <date>                  -> approved
    under construction                           -> under_construction
    planned (not started | pre-feasibility |
             not under construction ...)         -> planned
    open (Jiangxi section); partly operating;
    partly built; Jiangxi component unknown      -> partly_built
    not built (...)                              -> not_built
    not approved (...); plan not approved as of  -> not_approved
    signed                                       -> signed
    unknown; planned/unknown; planned; outcome
    unknown; plan compilation to start ...;
    outcome unknown                              -> unknown

A status whose outcome the facts mark unknown is ``unknown``, whatever the 2016 intention
was; an unknown status has no date. ``status_date`` is the facts' date for the status (or, where
the facts give none, the date written in the status string itself, e.g. "designated 2016-06");
``opened_date`` repeats it only when the status is open/operating/completed *and* that date is
the opening, first run or completion (not, e.g., a relaunch or a planned date).
``confidence`` is the lowest confidence among the facts backing the status.

``geometry_kind`` — ``line`` (a LineString through the located waypoints in ``seq`` order),
``point`` (a Point, or a MultiPoint where the facts give several host places), ``area`` (the
union of the boundary polygons listed in ``area_adcodes``) or ``none`` (nothing to locate;
``unmapped_reason`` says why). ``precision`` says in one sentence how precise the location is.

All geometries are WGS84 longitude/latitude (EPSG:4326).
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Collection, Mapping
from datetime import date
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from geo.core.constants import CRS, LEVELS, OPEN_STATUSES
from geo.core.errors import DataError
from geo.core.paths import PROJECTS_FILE, WAYPOINTS_FILE, data_path
from geo.core.project_geometry import build_geometries, project_lengths_km, project_region_lists
from geo.core.tables import LINE, read_table, split_list

__all__ = [
    "CONFIDENCES",
    "CRS",
    "GEOMETRY_KINDS",
    "KINDS",
    "LEVELS",
    "OPENED_STATUSES",
    "PROJECT_COLUMNS",
    "STATUSES",
    "WAYPOINT_COLUMNS",
    "load_projects",
    "load_waypoints",
]


KINDS: dict[str, str] = {
    "high_speed_rail": "high-speed or passenger-dedicated railway (250-350 km/h)",
    "railway": "conventional or fast conventional railway, incl. heavy-haul",
    "expressway": "expressway (高速公路)",
    "gas_pipeline": "natural-gas pipeline",
    "power_line": "electric power transmission line",
    "freight_route": "scheduled freight train service (route, not a new line)",
    "airport": "airport works",
    "new_area": "state-level new area (国家级新区)",
    "bonded_zone": "comprehensive bonded zone (综合保税区)",
    "free_trade_zone": "pilot free trade zone (自由贸易试验区), existing or proposed",
    "industrial_park": "industrial park (产业园, 工业园)",
    "cooperation_zone": "inter-provincial cooperation zone (合作示范区, 合作试验区)",
    "demonstration_zone": "national demonstration zone or site (示范区, 示范地)",
    "eco_belt": "ecological economic belt (生态经济带)",
    "info_pilot": "information-infrastructure pilot (试点)",
    "trade_policy": "trade agreement or policy (not a place)",
}
"""The ``kind`` vocabulary: code -> meaning."""

STATUSES: dict[str, str] = {
    "open": "line or road open to traffic",
    "operating": "service or zone operating",
    "completed": "works completed and in use",
    "approved": "approved or designated by the competent authority",
    "under_construction": "under construction",
    "planned": "in an adopted plan, construction not started",
    "partly_built": "part built or in use; the rest not built or not known",
    "not_built": "not built (abandoned or superseded)",
    "not_approved": "applied for or proposed, not approved",
    "signed": "agreement signed",
    "unknown": "no reliable public information on the outcome",
}
"""The ``status`` vocabulary: code -> meaning (the state today, see the module docstring)."""

OPENED_STATUSES = frozenset(OPEN_STATUSES)
"""Statuses for which ``opened_date`` may be given."""

CONFIDENCES = ("high", "medium", "low", "unknown")
GEOMETRY_KINDS = ("line", "point", "area", "none")

PROJECT_COLUMNS = (
    "id",
    "name_plan",
    "label_zh",
    "name_zh",
    "name_en",
    "kind",
    "type_detail",
    "type_detail_zh",
    "measures",
    "plan_stage",
    "plan_quote",
    "status",
    "status_detail",
    "status_detail_zh",
    "status_date",
    "opened_date",
    "status_source",
    "confidence",
    "status_note",
    "status_note_zh",
    "reported_length_km",
    "length_note",
    "length_note_zh",
    "length_source",
    "length_confidence",
    "geometry_kind",
    "precision",
    "precision_zh",
    "area_adcodes",
    "unmapped_reason",
    "unmapped_reason_zh",
)
"""Columns ``projects.csv`` must have (in this order in the output)."""

WAYPOINT_COLUMNS = (
    "project_id",
    "seq",
    "name",
    "located_in",
    "lat",
    "lon",
    "coord_basis",
    "coord_basis_zh",
    "coord_confidence",
    "coord_source",
    "note",
    "note_zh",
)
"""Columns ``waypoints.csv`` must have (in this order in the output)."""

MEASURE_RANGE = range(1, 29)
_ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
_ADCODE_RE = re.compile(r"^\d{6}$")
_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_REQUIRED = (
    "name_plan",
    "name_zh",
    "kind",
    "measures",
    "plan_stage",
    "plan_quote",
    "status",
    "confidence",
    "geometry_kind",
)
"""Project columns that may not be empty."""

Fail = Callable[[str], DataError]
"""Makes the DataError of a problem in one row (the message names file and row)."""


# --------------------------------------------------------------------------- loading


def load_projects(
    root: Path | None = None, *, regions: Mapping[str, gpd.GeoDataFrame] | None = None
) -> gpd.GeoDataFrame:
    """Load and validate the project catalogue; build each geometry and its derived columns.

    Parameters
    ----------
    root : Path, optional
        Data directory (default: :func:`geo.core.paths.data_dir`). Reads ``projects.csv`` and
        ``waypoints.csv`` there, and (unless ``regions`` is given) the boundaries there.
    regions : mapping of str to GeoDataFrame, optional
        Boundaries by level (``"province"``, ``"city"``, ``"county"``), each with a unique
        ``adcode`` column and ``geometry`` in EPSG:4326, as from
        ``geo.core.boundaries.load_regions(level, root)``, which is called when this is omitted.
        Pass them when they are loaded already; a subset of levels limits ``regions`` below.

    Returns
    -------
    geopandas.GeoDataFrame
        One row per project in file order, EPSG:4326, with the columns of
        :data:`PROJECT_COLUMNS` (``measures`` a tuple of int, ``area_adcodes`` a tuple of str,
        ``reported_length_km`` a float, NaN if none; the rest strings, empty where the file
        is empty), plus ``_line`` (the project's row in ``projects.csv``, header = row 1),
        ``geometry`` (None when ``geometry_kind`` is ``none``), and the derived
        ``length_km`` (:func:`geo.core.project_geometry.project_lengths_km`) and ``regions``
        (list of the adcodes of every province, city and county crossed,
        :func:`geo.core.project_geometry.project_regions_list`) and ``regions_indicative`` (those
        only long straight legs cross: drawn, not counted).

    Raises
    ------
    DataError
        Naming the file, the row (header = row 1) and the problem: a missing or truncated file,
        a missing column, a duplicate id, a value outside its vocabulary, a measure number
        outside 1-28, a malformed date, a coordinate out of range, a waypoint of an unknown
        project, an adcode not in the boundaries, too few located waypoints for a line.
    ValueError
        If the boundaries are not in EPSG:4326.
    """
    projects, waypoints, files = _read_catalogue(root)
    if regions is None:
        from geo.core.boundaries import load_regions  # imported here: only needed with the data

        regions = {level: load_regions(level, root=root) for level in LEVELS}
    geometries = build_geometries(projects, waypoints, files[0], regions)
    out = pd.DataFrame(
        {
            **{col: projects[col] for col in PROJECT_COLUMNS},
            "measures": projects["measures"].map(lambda c: tuple(int(m) for m in split_list(c))),
            "area_adcodes": projects["area_adcodes"].map(lambda c: tuple(split_list(c))),
            "reported_length_km": projects["reported_length_km"].map(
                lambda c: float(c) if c else math.nan
            ),
            LINE: projects[LINE],
        }
    ).reset_index(drop=True)
    gdf = gpd.GeoDataFrame(out, geometry=gpd.GeoSeries(geometries, crs=CRS), crs=CRS)
    crossed, indicative = project_region_lists(gdf, regions)
    return gdf.assign(
        length_km=project_lengths_km(gdf), regions=crossed, regions_indicative=indicative
    )


def load_waypoints(root: Path | None = None) -> gpd.GeoDataFrame:
    """Load and validate the waypoints, as points (None where the facts give no coordinates).

    Parameters
    ----------
    root : Path, optional
        Data directory (default: :func:`geo.core.paths.data_dir`).

    Returns
    -------
    geopandas.GeoDataFrame
        One row per waypoint, sorted by ``project_id`` in catalogue order and ``seq``;
        the columns of :data:`WAYPOINT_COLUMNS` (``seq`` int, ``lat``/``lon`` float, NaN when
        unknown) plus a Point ``geometry`` in EPSG:4326.

    Raises
    ------
    DataError
        As :func:`load_projects` (both files are validated together).
    """
    projects, waypoints, _ = _read_catalogue(root)
    order = {pid: i for i, pid in enumerate(projects["id"])}
    wp = waypoints.assign(_order=waypoints["project_id"].map(order))
    wp = wp.sort_values(["_order", "seq"], kind="stable").reset_index(drop=True)
    geoms = [
        None if math.isnan(lat) else Point(lon, lat)
        for lat, lon in zip(wp["lat"], wp["lon"], strict=True)
    ]
    return gpd.GeoDataFrame(
        wp[list(WAYPOINT_COLUMNS)], geometry=gpd.GeoSeries(geoms, crs=CRS), crs=CRS
    )


def _read_catalogue(root: Path | None) -> tuple[pd.DataFrame, pd.DataFrame, tuple[Path, Path]]:
    """Read and validate both files; return them (waypoints typed) and their paths."""
    p_path = data_path(PROJECTS_FILE, root)
    w_path = data_path(WAYPOINTS_FILE, root)
    projects = read_table(p_path, PROJECT_COLUMNS, key="id")
    waypoints = read_table(w_path, WAYPOINT_COLUMNS)
    if projects.empty:
        raise DataError(f"{p_path}: no project rows")
    for rec in projects.to_dict("records"):
        _check_project(p_path, rec)
    waypoints = _check_waypoints(w_path, waypoints, set(projects["id"]), p_path)
    return projects, waypoints, (p_path, w_path)


def _check_project(path: Path, row: dict[str, str]) -> None:
    """Raise DataError naming the file and row for the first problem in one project row."""
    line = row[LINE]

    def fail(problem: str) -> DataError:
        return DataError(f"{path}, row {line}: {problem}")

    pid = row["id"]
    if not _ID_RE.match(pid):
        raise fail(f"id {pid!r} must be lower-case letters, digits and _")
    for col in _REQUIRED:
        if not row[col]:
            raise fail(f"empty {col} (project {pid})")
    _check_vocab(fail, row, "kind", KINDS)
    _check_vocab(fail, row, "status", STATUSES)
    _check_vocab(fail, row, "confidence", CONFIDENCES)
    _check_vocab(fail, row, "geometry_kind", GEOMETRY_KINDS)
    if row["length_confidence"]:
        _check_vocab(fail, row, "length_confidence", CONFIDENCES)
    _check_measures(fail, row)
    _check_dates(fail, row)
    _check_length(fail, row)
    _check_location(fail, row)


def _check_vocab(fail: Fail, row: Mapping[str, str], col: str, allowed: Collection[str]) -> None:
    if row[col] not in allowed:
        raise fail(f"{col} {row[col]!r} is not one of {', '.join(allowed)}")


def _check_measures(fail: Fail, row: Mapping[str, str]) -> None:
    """Measure numbers 1-28, each once, one plan stage and one quote naming the project each."""
    pid = row["id"]
    numbers: list[int] = []
    for item in split_list(row["measures"]):
        if not (item.isascii() and item.isdigit()) or int(item) not in MEASURE_RANGE:
            raise fail(f"measure {item!r} is not a measure number 1-28 (project {pid})")
        numbers.append(int(item))
    if len(set(numbers)) != len(numbers):
        raise fail(f"measure listed twice in {row['measures']!r} (project {pid})")
    stages = split_list(row["plan_stage"])
    quotes = split_list(row["plan_quote"])
    if not len(stages) == len(quotes) == len(numbers):
        raise fail(
            f"plan_stage ({len(stages)}) and plan_quote ({len(quotes)}) need one ';'-separated "
            f"entry per measure ({len(numbers)}) (project {pid})"
        )
    for quote in quotes:
        if row["name_plan"] not in quote:
            raise fail(f"name_plan {row['name_plan']!r} does not occur in plan_quote {quote!r}")


def _check_dates(fail: Fail, row: Mapping[str, str]) -> None:
    """Valid dates; none for an unknown status; an opening date only for an opened status."""
    pid = row["id"]
    for col in ("status_date", "opened_date"):
        if row[col] and not _valid_date(row[col]):
            raise fail(f"{col} {row[col]!r} is not a date YYYY, YYYY-MM or YYYY-MM-DD")
    if row["status"] == "unknown" and (row["status_date"] or row["opened_date"]):
        raise fail(f"status is unknown but a date is given (project {pid})")
    if row["opened_date"]:
        if row["status"] not in OPENED_STATUSES:
            raise fail(f"opened_date given but status is {row['status']!r} (project {pid})")
        if row["opened_date"] != row["status_date"]:
            raise fail(
                f"opened_date {row['opened_date']} differs from status_date "
                f"{row['status_date']} (project {pid})"
            )


def _check_length(fail: Fail, row: Mapping[str, str]) -> None:
    """A reported length is a positive number with a source."""
    if not row["reported_length_km"]:
        return
    try:
        length = float(row["reported_length_km"])
    except ValueError:
        raise fail(f"reported_length_km {row['reported_length_km']!r} is not a number") from None
    if not (math.isfinite(length) and length > 0):
        raise fail(f"reported_length_km {row['reported_length_km']!r} must be positive")
    if not row["length_source"]:
        raise fail(f"reported_length_km given without length_source (project {row['id']})")


def _check_location(fail: Fail, row: Mapping[str, str]) -> None:
    """Area adcodes exactly for areas; a reason when unmapped, a precision sentence otherwise."""
    pid = row["id"]
    kind = row["geometry_kind"]
    adcodes = split_list(row["area_adcodes"])
    for code in adcodes:
        if not _ADCODE_RE.match(code):
            raise fail(f"area_adcodes {code!r} is not a 6-digit adcode (project {pid})")
    if kind == "area" and not adcodes:
        raise fail(f"geometry_kind area needs area_adcodes (project {pid})")
    if kind != "area" and adcodes:
        raise fail(f"area_adcodes given but geometry_kind is {kind!r} (project {pid})")
    if kind == "none" and not row["unmapped_reason"]:
        raise fail(f"geometry_kind none needs an unmapped_reason (project {pid})")
    if kind != "none" and not row["precision"]:
        raise fail(f"geometry_kind {kind} needs a precision sentence (project {pid})")


def _valid_date(text: str) -> bool:
    match = _DATE_RE.match(text)
    if not match:
        return False
    year, month, day = (int(g) if g else 1 for g in match.groups())
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _check_waypoints(
    path: Path, waypoints: pd.DataFrame, project_ids: set[str], projects_path: Path
) -> pd.DataFrame:
    """Validate the waypoint rows; return a copy with ``seq`` int and ``lat``/``lon`` float."""
    seqs: list[int] = []
    lats: list[float] = []
    lons: list[float] = []
    seen: dict[tuple[str, int], int] = {}
    for rec in waypoints.to_dict("records"):
        line = rec[LINE]

        def fail(problem: str, line: int = line) -> DataError:
            return DataError(f"{path}, row {line}: {problem}")

        pid = rec["project_id"]
        if pid not in project_ids:
            raise fail(f"project_id {pid!r} is not an id in {projects_path.name}")
        if not rec["seq"].isdigit() or int(rec["seq"]) < 1:
            raise fail(f"seq {rec['seq']!r} must be a whole number from 1")
        seq = int(rec["seq"])
        if (pid, seq) in seen:
            raise fail(f"duplicate seq {seq} for project {pid} (first at row {seen[pid, seq]})")
        seen[pid, seq] = line
        if not rec["name"]:
            raise fail("empty name")
        if rec["coord_confidence"] not in CONFIDENCES:
            raise fail(
                f"coord_confidence {rec['coord_confidence']!r} is not one of "
                f"{', '.join(CONFIDENCES)}"
            )
        lat_s, lon_s = rec["lat"], rec["lon"]
        if bool(lat_s) != bool(lon_s):
            raise fail("lat and lon must both be given or both be empty")
        if lat_s:
            try:
                lat, lon = float(lat_s), float(lon_s)
            except ValueError:
                raise fail(f"lat/lon {lat_s!r}, {lon_s!r} are not numbers") from None
            if not (math.isfinite(lat) and -90 <= lat <= 90):
                raise fail(f"lat {lat_s} is out of range -90..90")
            if not (math.isfinite(lon) and -180 <= lon <= 180):
                raise fail(f"lon {lon_s} is out of range -180..180")
        else:
            lat = lon = math.nan
        seqs.append(seq)
        lats.append(lat)
        lons.append(lon)
    return waypoints.assign(
        seq=pd.Series(seqs, index=waypoints.index, dtype="int64"),
        lat=pd.Series(lats, index=waypoints.index, dtype="float64"),
        lon=pd.Series(lons, index=waypoints.index, dtype="float64"),
    )
