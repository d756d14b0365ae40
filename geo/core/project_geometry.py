"""Where the catalogue's projects are: geometry from waypoints, geodesic lengths, regions crossed.

:func:`build_geometries` turns the checked rows of ``projects.csv`` and ``waypoints.csv`` (see
:mod:`geo.core.catalogue`) into one geometry per project; :func:`project_lengths_km` measures the
lines on the WGS84 ellipsoid; :func:`project_regions` joins the geometries to the boundaries.
Nothing here is stored in the data files: it is all derived when the catalogue is loaded.

All geometries are WGS84 longitude/latitude (EPSG:4326).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import pandas as pd
import shapely
from pyproj import Geod
from shapely.geometry import LineString, MultiPoint, Point
from shapely.geometry.base import BaseGeometry

from geo.core.constants import CRS, LEVELS
from geo.core.errors import DataError
from geo.core.geometry import has_geometry
from geo.core.tables import LINE, split_list

__all__ = [
    "build_geometries",
    "check_crs",
    "project_lengths_km",
    "project_region_lists",
    "project_regions",
    "project_regions_list",
]

REGION_COLUMNS = ["project_id", "level", "adcode", "name_zh", "indicative"]
"""Columns of :func:`project_regions`."""

_GEOD = Geod(ellps="WGS84")


# --------------------------------------------------------------------------- geometry


def build_geometries(
    projects: pd.DataFrame,
    waypoints: pd.DataFrame,
    path: Path,
    regions: Mapping[str, gpd.GeoDataFrame],
) -> list[BaseGeometry | None]:
    """Build each project's geometry from its ``geometry_kind``, waypoints and area adcodes.

    Parameters
    ----------
    projects : pandas.DataFrame
        Checked rows of ``projects.csv`` (strings, with ``_line``).
    waypoints : pandas.DataFrame
        Checked waypoints with ``project_id``, ``seq`` (int) and ``lat``/``lon`` (float, NaN
        where unknown), WGS84.
    path : Path
        ``projects.csv``, for error messages.
    regions : mapping of str to GeoDataFrame
        Boundaries by level with ``adcode``, in EPSG:4326.

    Returns
    -------
    list
        One geometry per project, in ``projects`` order: a LineString through the located
        waypoints (``line``), a Point or MultiPoint (``point``), the union of the area's
        polygons (``area``), or None (``none``).

    Raises
    ------
    DataError
        Naming the file and row: too few located waypoints for a line or point, an area
        adcode not found in the boundaries.
    ValueError
        If the boundaries are not in EPSG:4326.
    """
    located = waypoints.dropna(subset=["lat", "lon"]).sort_values(["project_id", "seq"])
    coords = {
        pid: list(zip(grp["lon"], grp["lat"], strict=True))
        for pid, grp in located.groupby("project_id", sort=False)
    }
    wanted = {code for cell in projects["area_adcodes"] for code in split_list(cell)}
    polygons = _region_polygons(wanted, regions) if wanted else {}
    return [
        _project_geometry(rec, coords.get(rec["id"], []), polygons, path)
        for rec in projects.to_dict("records")
    ]


def _project_geometry(
    rec: Mapping[str, object],
    pts: list[tuple[float, float]],
    polygons: Mapping[str, BaseGeometry],
    path: Path,
) -> BaseGeometry | None:
    """The geometry of one project row; ``pts`` are its located waypoints in ``seq`` order."""
    pid, kind, line = rec["id"], rec["geometry_kind"], rec[LINE]
    if kind == "line":
        if len({*pts}) < 2:
            raise DataError(
                f"{path}, row {line}: geometry_kind line needs at least 2 distinct located "
                f"waypoints; {pid} has {len(pts)}"
            )
        return LineString(pts)
    if kind == "point":
        if not pts:
            raise DataError(
                f"{path}, row {line}: geometry_kind point needs a located waypoint; {pid} has none"
            )
        return Point(pts[0]) if len(pts) == 1 else MultiPoint(pts)
    if kind == "area":
        codes = split_list(str(rec["area_adcodes"]))
        unknown = [c for c in codes if c not in polygons]
        if unknown:
            raise DataError(
                f"{path}, row {line}: area_adcodes {', '.join(unknown)} not "
                f"found in the boundaries (project {pid})"
            )
        return shapely.union_all([polygons[c] for c in codes])
    return None


def _region_polygons(
    codes: set[str], regions: Mapping[str, gpd.GeoDataFrame]
) -> dict[str, BaseGeometry]:
    """Return the boundary polygon of each adcode found (county, then city, then province)."""
    found: dict[str, BaseGeometry] = {}
    for level in ("county", "city", "province"):
        missing = codes - found.keys()
        if not missing or level not in regions:
            continue
        frame = regions[level]
        check_crs(frame, level)
        hits = frame[frame["adcode"].isin(missing)]
        found.update(zip(hits["adcode"], hits.geometry, strict=True))
    return found


def check_crs(frame: gpd.GeoDataFrame, what: str, crs: str = CRS) -> None:
    """Raise ValueError unless ``frame`` is in ``crs`` (default EPSG:4326).

    Parameters
    ----------
    frame : geopandas.GeoDataFrame
        The frame to check.
    what : str
        What it holds, for the message (``"county"``, ``"project"``).
    crs : str
        The CRS expected.
    """
    if frame.crs is None or not frame.crs.equals(crs):
        raise ValueError(f"{what} boundaries are in {frame.crs}, expected {crs}")


# --------------------------------------------------------------------------- derived


def project_lengths_km(gdf: gpd.GeoDataFrame) -> pd.Series:
    """Return the geodesic length of each line geometry, in km.

    Parameters
    ----------
    gdf : geopandas.GeoDataFrame
        Projects in EPSG:4326 (as from :func:`geo.core.catalogue.load_projects`).

    Returns
    -------
    pandas.Series
        ``length_km`` on the WGS84 ellipsoid (``pyproj.Geod``) between consecutive vertices,
        indexed like ``gdf``; NaN for points, areas and missing geometries.

    Raises
    ------
    ValueError
        If ``gdf`` is not in EPSG:4326.
    """
    check_crs(gdf, "project")

    def length(geom: BaseGeometry | None) -> float:
        if geom is None or geom.is_empty or geom.geom_type not in ("LineString", "MultiLineString"):
            return math.nan
        return float(_GEOD.geometry_length(geom)) / 1000.0

    return pd.Series(
        [length(g) for g in gdf.geometry], index=gdf.index, name="length_km", dtype="float64"
    )


def project_regions(
    projects: gpd.GeoDataFrame, regions: Mapping[str, gpd.GeoDataFrame]
) -> pd.DataFrame:
    """Return every province, city and county each project's geometry crosses.

    The join is made once, at the finest level there is (counties), and rolled up to cities
    and provinces through the counties' parents; units with no smaller units below them (a
    city-level unit without counties) are joined at their own level. So a project crosses a
    province exactly when it crosses one of its cities or counties.

    A line or area counts as crossing a region when their interiors meet; merely touching its
    border (an area's neighbour, a line ending on a border) does not count. A point counts
    for every region it falls in or on. Lines that leave China cross only what they cross.

    A straight leg longer than :data:`INDICATIVE_LEG_KM` between two waypoints is a route known
    only by its ends (赣欧 from 西安 to 阿拉山口): a region that only such legs cross, holding no
    waypoint, is an *indicative* crossing (``indicative`` True).

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Projects with ``id`` and ``geometry`` (as from
        :func:`geo.core.catalogue.load_projects`).
    regions : mapping of str to GeoDataFrame
        Boundaries keyed by level (``"province"``, ``"city"``, ``"county"``; any subset), each
        with a unique ``adcode`` column, optionally ``name_zh``, ``city_adcode`` and
        ``province_adcode``, in the CRS of ``projects``.

    Returns
    -------
    pandas.DataFrame
        Long table with columns ``project_id``, ``level``, ``adcode``, ``name_zh``,
        ``indicative``: one row per (project, region) pair, sorted by catalogue order, level
        (province, city, county) and adcode. Projects without geometry have no rows.

    Raises
    ------
    ValueError
        For an unknown level, a missing or duplicate ``adcode``, or a CRS that differs from the
        projects' CRS (checked before any join).
    """
    for level, frame in regions.items():
        _check_join_regions(projects, level, frame)
    mapped = projects.loc[has_geometry(projects), ["id", "geometry"]].reset_index(drop=True)
    located = mapped.assign(geometry=[_located_part(g) for g in mapped.geometry])
    parts = _rolled_up_crossings(mapped, located, regions)
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype=str) for c in REGION_COLUMNS})
    out = pd.concat(parts, ignore_index=True).drop_duplicates(["project_id", "level", "adcode"])
    order = {pid: i for i, pid in enumerate(projects["id"])}
    out = out.assign(
        _p=out["project_id"].map(order), _l=out["level"].map({lv: i for i, lv in enumerate(LEVELS)})
    )
    out = out.sort_values(["_p", "_l", "adcode"], kind="stable")
    return out.drop(columns=["_p", "_l"]).reset_index(drop=True)[REGION_COLUMNS]


INDICATIVE_LEG_KM = 150.0
"""A straight leg longer than this (about two prefecture seats apart) is known only by its ends."""


def _located_part(geom: BaseGeometry) -> BaseGeometry:
    """The part of a project's geometry that stands on its waypoints: every vertex, and the
    legs of a line no longer than :data:`INDICATIVE_LEG_KM`. Points and areas are all located."""
    lines = [geom] if geom.geom_type == "LineString" else getattr(geom, "geoms", [])
    if geom.geom_type not in ("LineString", "MultiLineString"):
        return geom
    pieces: list[BaseGeometry] = []
    for line in lines:
        coords = list(line.coords)
        pieces.extend(Point(c) for c in coords)
        for a, b in itertools.pairwise(coords):
            if _GEOD.inv(a[0], a[1], b[0], b[1])[2] / 1000.0 <= INDICATIVE_LEG_KM:
                pieces.append(LineString([a, b]))
    return shapely.union_all(pieces)


def _rolled_up_crossings(
    mapped: gpd.GeoDataFrame, located: gpd.GeoDataFrame, regions: Mapping[str, gpd.GeoDataFrame]
) -> list[pd.DataFrame]:
    """Crossings at the finest level, rolled up; each level's units with no smaller units
    below them joined directly."""
    parts: list[pd.DataFrame] = []
    finer: pd.DataFrame | None = None
    with_children: set[str] = set()  # units that smaller units of a finer level name as parent
    for level in reversed(LEVELS):
        if level not in regions:
            continue
        frame = regions[level]
        own = frame[~frame["adcode"].astype(str).isin(with_children)]
        for up in ("city", "province"):
            if f"{up}_adcode" in frame.columns:
                children = frame[frame["adcode"] != frame[f"{up}_adcode"]]
                with_children |= set(children[f"{up}_adcode"].dropna().astype(str))
        direct = _level_crossings(mapped, located, level, own)
        rolled = _roll_up(finer, level, frame)
        crossings = pd.concat([c for c in (direct, rolled) if not c.empty], ignore_index=True)
        if crossings.empty:
            continue
        parents = frame.set_index(frame["adcode"].astype(str))
        for up in ("city", "province"):
            column = f"{up}_adcode"
            crossings["_parent_" + up] = (
                crossings["adcode"].map(parents[column]) if column in parents else None
            )
        parts.append(crossings[REGION_COLUMNS])
        finer = crossings if finer is None else pd.concat([finer, crossings], ignore_index=True)
    return parts


def _roll_up(finer: pd.DataFrame | None, level: str, frame: gpd.GeoDataFrame) -> pd.DataFrame:
    """The ``level`` regions containing the finer crossings: indicative only when every finer
    crossing inside it is indicative."""
    if finer is None or finer.empty:
        return pd.DataFrame(columns=REGION_COLUMNS)
    known = frame.set_index(frame["adcode"].astype(str))
    up = finer.dropna(subset=["_parent_" + level])
    up = up[up["_parent_" + level].isin(known.index) & (up["_parent_" + level] != up["adcode"])]
    grouped = up.groupby(["project_id", "_parent_" + level], sort=False)["indicative"].all()
    names = known["name_zh"] if "name_zh" in known else pd.Series("", known.index)
    return pd.DataFrame(
        {
            "project_id": [pid for pid, _ in grouped.index],
            "level": level,
            "adcode": [code for _, code in grouped.index],
            "name_zh": [str(names.get(code, "")) for _, code in grouped.index],
            "indicative": grouped.to_numpy(dtype=bool),
        }
    )


def _check_join_regions(projects: gpd.GeoDataFrame, level: str, frame: gpd.GeoDataFrame) -> None:
    """Raise ValueError unless ``frame`` can be joined to ``projects`` as ``level`` regions."""
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    if projects.crs is None or frame.crs is None or not frame.crs.equals(projects.crs):
        raise ValueError(
            f"CRS mismatch: projects in {projects.crs}, {level} boundaries in {frame.crs}"
        )
    if "adcode" not in frame.columns:
        raise ValueError(f"{level} boundaries have no adcode column")
    dup = frame["adcode"][frame["adcode"].duplicated()]
    if not dup.empty:
        raise ValueError(f"{level} boundaries repeat adcode(s) {', '.join(map(str, dup))}")


def _level_crossings(
    mapped: gpd.GeoDataFrame, located: gpd.GeoDataFrame, level: str, frame: gpd.GeoDataFrame
) -> pd.DataFrame:
    """The (project, region) pairs of one level where the project crosses the region, each
    marked indicative when only the project's long straight legs cross it."""
    full = _crossing_pairs(mapped, frame)
    if full.empty:
        return pd.DataFrame(columns=REGION_COLUMNS)
    sure = _crossing_pairs(located, frame)
    sure_pairs = set(zip(sure["project_id"], sure["adcode"], strict=True))
    return full.assign(
        level=level,
        indicative=[
            (pid, code) not in sure_pairs
            for pid, code in zip(full["project_id"], full["adcode"], strict=True)
        ],
    )[REGION_COLUMNS]


def _crossing_pairs(mapped: gpd.GeoDataFrame, frame: gpd.GeoDataFrame) -> pd.DataFrame:
    names = frame["name_zh"] if "name_zh" in frame.columns else pd.Series("", frame.index)
    right = gpd.GeoDataFrame(
        {
            "adcode": frame["adcode"].astype(str).to_numpy(),
            "name_zh": names.astype(str).to_numpy(),
        },
        geometry=frame.geometry.to_numpy(),
        crs=frame.crs,
    )
    joined = gpd.sjoin(mapped, right, how="inner", predicate="intersects")
    if joined.empty:
        return pd.DataFrame(columns=["project_id", "adcode", "name_zh"])
    proj_geoms = joined.geometry.values
    region_geoms = right.geometry.values[joined["index_right"].to_numpy()]
    types = shapely.get_type_id(proj_geoms)
    is_point = (types == shapely.GeometryType.POINT) | (types == shapely.GeometryType.MULTIPOINT)
    is_point |= types == shapely.GeometryType.GEOMETRYCOLLECTION
    joined = joined[is_point | ~shapely.touches(proj_geoms, region_geoms)]
    return pd.DataFrame(
        {
            "project_id": joined["id"].to_numpy(),
            "adcode": joined["adcode"].to_numpy(),
            "name_zh": joined["name_zh"].to_numpy(),
        }
    )


def project_regions_list(
    projects: gpd.GeoDataFrame, regions: Mapping[str, gpd.GeoDataFrame]
) -> pd.Series:
    """Return, per project, the adcodes of every province, city and county it crosses.

    Parameters
    ----------
    projects : geopandas.GeoDataFrame
        Projects with ``id`` and ``geometry`` (as from
        :func:`geo.core.catalogue.load_projects`).
    regions : mapping of str to GeoDataFrame
        As for :func:`project_regions`.

    Returns
    -------
    pandas.Series
        ``regions``, indexed like ``projects``: a list of adcodes per project, provinces first,
        then cities, then counties, each sorted, each adcode once (a city-level unit that
        the boundaries repeat at county level appears once); empty for unmapped projects.
    """
    long = project_regions(projects, regions)
    return _lists(projects, long[~long["indicative"].astype(bool)], "regions")


def project_region_lists(
    projects: gpd.GeoDataFrame, regions: Mapping[str, gpd.GeoDataFrame]
) -> tuple[pd.Series, pd.Series]:
    """:func:`project_regions_list` (``regions``) and, like it, the regions only a project's
    long straight legs cross (``regions_indicative``: drawn, not counted as crossed), from one
    join."""
    long = project_regions(projects, regions)
    indicative = long["indicative"].astype(bool)
    return (
        _lists(projects, long[~indicative], "regions"),
        _lists(projects, long[indicative], "regions_indicative"),
    )


def _lists(projects: gpd.GeoDataFrame, long: pd.DataFrame, name: str) -> pd.Series:
    # A city-level unit without counties (东莞, 潜江) is listed at both levels with one adcode.
    by_project = (
        long.groupby("project_id", sort=False)["adcode"]
        .agg(lambda codes: list(dict.fromkeys(codes)))
        .to_dict()
    )
    return pd.Series(
        [list(by_project.get(pid, [])) for pid in projects["id"]],
        index=projects.index,
        name=name,
        dtype=object,
    )
