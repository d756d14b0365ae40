"""Load the administrative boundaries (``data/boundaries/``), checking them as they come in.

The files are built by :mod:`geo.build.build_boundaries` from Amap data (see
``data/boundaries/SOURCE.md``): RFC 7946 GeoJSON in WGS84. Each level is a polygon
coverage, and the levels nest: every province is exactly the union of its cities and every city
of its counties (:func:`check_nesting`). ``counties_fine.geojson`` (:func:`load_fine_counties`)
has the counties of :data:`FINE_PROVINCES` again at a finer tolerance, for maps at county zoom.

Region columns (:data:`REGION_COLUMNS`), all text, nulls as missing values:

``adcode``
    Six-digit code, unique within a level (not across levels: 重庆 500000, 台湾 710000,
    香港 810000 and 澳门 820000 are province and city; the 34 cities without counties,
    e.g. 东莞 441900 or 仙桃 429004, are also listed as counties with their own code).
``name_zh``, ``short_zh``, ``name_en``
    Official name (江西省, 黔西南布依族苗族自治州), short name (江西, 黔西南) and English
    name (Jiangxi, Qianxinan; cities and counties without a suffix).
``label_en`` (optional in the files: :data:`OPTIONAL_REGION_COLUMNS`)
    The English name to show: ``name_en`` where that is unambiguous, else told apart by type
    and parent (抚州市 "Fuzhou (Jiangxi)", 安远县 "Anyuan County (Ganzhou)", 南昌县
    "Nanchang County"). Files without it load with ``label_en = name_en``.
``level``
    ``province``, ``city`` or ``county``.
``province_adcode``, ``city_adcode``, ``parent_adcode``
    The province (itself for a province); the city (missing for a province, itself for a
    city); the parent one level up (missing for a province, the province of a city, the
    city of a county).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from geo.core import paths
from geo.core.constants import CRS
from geo.core.errors import DataError

__all__ = [
    "DASHLINE_COLUMNS",
    "FINE_COUNTY_FILE",
    "FINE_PROVINCES",
    "NESTING_TOLERANCE_DEG2",
    "OPTIONAL_REGION_COLUMNS",
    "REGION_COLUMNS",
    "check_hierarchy",
    "check_nesting",
    "load_dashline",
    "load_fine_counties",
    "load_regions",
]

REGION_COLUMNS = (
    "adcode",
    "name_zh",
    "short_zh",
    "name_en",
    "level",
    "province_adcode",
    "city_adcode",
    "parent_adcode",
)
OPTIONAL_REGION_COLUMNS = ("label_en",)
"""Columns added after the first release: a file without them still loads (see above)."""
DASHLINE_COLUMNS = ("name_zh", "name_en")

FINE_COUNTY_FILE = "boundaries/counties_fine.geojson"
"""Counties of :data:`FINE_PROVINCES` at a finer tolerance, for maps at county zoom."""
FINE_PROVINCES = ("330000", "340000", "350000", "360000", "420000", "430000", "440000")
"""Jiangxi and the six provinces around it: the provinces :data:`FINE_COUNTY_FILE` covers."""

NESTING_TOLERANCE_DEG2 = 1e-9
"""Largest area (square degrees, about 10 m²) by which a parent may differ from the union of
its children, or a child reach into another parent, before :func:`check_nesting` reports it."""

_ADCODE = re.compile(r"[1-9]\d{5}")
_POLYGONAL = ("Polygon", "MultiPolygon")
_LINEAR = ("LineString", "MultiLineString")


def load_regions(level: str, root: Path | None = None) -> gpd.GeoDataFrame:
    """Load one level of administrative regions.

    Parameters
    ----------
    level : {"province", "city", "county"}
    root : pathlib.Path, optional
        Data directory (default :func:`geo.core.paths.data_dir`); the file is
        ``geo.core.paths.BOUNDARY_FILES[level]`` under it.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns :data:`REGION_COLUMNS`, :data:`OPTIONAL_REGION_COLUMNS` and ``geometry``
        ((Multi)Polygons), CRS EPSG:4326, sorted by adcode, index 0..n-1. A new frame on
        every call.

    Raises
    ------
    ValueError
        If ``level`` is not a known level.
    DataError
        If the file is missing or unreadable, lacks a column, is not in WGS84, or has a
        bad row (adcode not six digits or repeated, wrong level, empty name, missing or
        invalid geometry). The message names the file, the feature index and the problem.
    """
    if level not in paths.BOUNDARY_FILES:
        raise ValueError(f"level must be one of {tuple(paths.BOUNDARY_FILES)}, got {level!r}")
    return _load_region_file(paths.data_path(paths.BOUNDARY_FILES[level], root), level)


def load_fine_counties(root: Path | None = None) -> gpd.GeoDataFrame | None:
    """Load the finer county boundaries of :data:`FINE_PROVINCES`, if the data has them.

    Parameters
    ----------
    root : pathlib.Path, optional
        Data directory (default :func:`geo.core.paths.data_dir`); the file is
        :data:`FINE_COUNTY_FILE` under it.

    Returns
    -------
    geopandas.GeoDataFrame or None
        As :func:`load_regions` ``("county")``, for the counties of :data:`FINE_PROVINCES`
        only; None if the file does not exist (older data).

    Raises
    ------
    DataError
        If the file exists but is unreadable or has a bad row (as :func:`load_regions`).
    """
    path = paths.data_path(FINE_COUNTY_FILE, root)
    if not path.is_file():
        return None
    return _load_region_file(path, "county")


def _load_region_file(path: Path, level: str) -> gpd.GeoDataFrame:
    gdf = _read(path, REGION_COLUMNS)
    for col in OPTIONAL_REGION_COLUMNS:  # label_en is the only one: it defaults to name_en
        if col not in gdf.columns:
            gdf[col] = gdf["name_en"]
    _check_rows(gdf, path, level)
    _check_geometry(gdf, path, _POLYGONAL)
    columns = [*REGION_COLUMNS, *OPTIONAL_REGION_COLUMNS]
    gdf = gdf[[*columns, "geometry"]].astype({col: "str" for col in columns})
    return gdf.sort_values("adcode", ignore_index=True)


def load_dashline(root: Path | None = None) -> gpd.GeoDataFrame:
    """Load the South China Sea dashed line (南海断续线), drawn as its own layer.

    Parameters
    ----------
    root : pathlib.Path, optional
        Data directory (default :func:`geo.core.paths.data_dir`); the file is
        ``geo.core.paths.DASHLINE_FILE`` under it.

    Returns
    -------
    geopandas.GeoDataFrame
        Columns ``name_zh, name_en, geometry`` ((Multi)LineStrings), CRS EPSG:4326.

    Raises
    ------
    DataError
        If the file is missing or unreadable, lacks a column, is not in WGS84, or a feature
        has no line geometry.
    """
    path = paths.data_path(paths.DASHLINE_FILE, root)
    gdf = _read(path, DASHLINE_COLUMNS)
    _check_geometry(gdf, path, _LINEAR)
    return gdf[[*DASHLINE_COLUMNS, "geometry"]].astype({col: "str" for col in DASHLINE_COLUMNS})


def check_hierarchy(regions: Mapping[str, gpd.GeoDataFrame], geometry: bool = True) -> list[str]:
    """List the parent links that do not resolve between the three levels, and where a
    parent's geometry is not exactly its children's.

    Parameters
    ----------
    regions : mapping
        ``{"province": ..., "city": ..., "county": ...}`` as from :func:`load_regions`.
    geometry : bool, default True
        Also run :func:`check_nesting` (a few seconds on the full data).

    Returns
    -------
    list of str
        One message per problem (empty when every city's province and every county's city
        and province exist, ``parent_adcode`` is the level above, and the levels nest); nothing
        is raised.
    """
    problems = []
    provinces = set(regions["province"]["adcode"])
    cities = regions["city"].set_index("adcode")
    for level, frame in regions.items():
        for row in frame.itertuples(index=False):
            where = f"{level} {row.adcode} {row.name_zh}"
            if row.province_adcode not in provinces:
                problems.append(f"{where}: province {row.province_adcode} not found")
            if level == "city" and row.parent_adcode != row.province_adcode:
                problems.append(f"{where}: parent {row.parent_adcode} is not its province")
            if level == "county":
                if row.city_adcode not in cities.index:
                    problems.append(f"{where}: city {row.city_adcode} not found")
                elif cities.at[row.city_adcode, "province_adcode"] != row.province_adcode:
                    problems.append(f"{where}: city {row.city_adcode} is in another province")
                if row.parent_adcode != row.city_adcode:
                    problems.append(f"{where}: parent {row.parent_adcode} is not its city")
    if geometry and not problems:
        problems.extend(check_nesting(regions))
    return problems


def check_nesting(
    regions: Mapping[str, gpd.GeoDataFrame], tolerance: float = NESTING_TOLERANCE_DEG2
) -> list[str]:
    """List where the levels do not nest: a province that is not exactly the union of its
    cities, a city not exactly the union of its counties, or a child reaching into a parent
    other than its own.

    Parameters
    ----------
    regions : mapping
        ``{"province": ..., "city": ..., "county": ...}`` as from :func:`load_regions`, with
        resolving parent codes (:func:`check_hierarchy`).
    tolerance : float, default NESTING_TOLERANCE_DEG2
        Largest area, in square degrees, of the symmetric difference between a parent and the
        union of its children, and of a child's overlap with another parent.

    Returns
    -------
    list of str
        One message per problem, empty when the boundaries nest exactly.
    """
    problems = []
    for parent_level, child_level, key in (
        ("province", "city", "province_adcode"),
        ("city", "county", "city_adcode"),
    ):
        parents, children = regions[parent_level], regions[child_level]
        parent_codes = parents["adcode"].to_numpy()
        parent_geoms = parents.geometry.to_numpy()
        child_geoms = children.geometry.to_numpy()
        child_keys = children[key].to_numpy()
        for code, geom in zip(parent_codes, parent_geoms, strict=True):
            members = child_geoms[child_keys == code]
            if len(members) == 0:
                problems.append(f"{parent_level} {code}: no {child_level} inside")
                continue
            diff = _area_apart(geom, members)
            if diff > tolerance:
                problems.append(
                    f"{parent_level} {code} differs from the union of its {child_level} "
                    f"units by {diff:.3g} square degrees"
                )
        child_index, parent_index = shapely.STRtree(parent_geoms).query(
            child_geoms, predicate="intersects"
        )
        # Neighbours across a parent's border touch it; only the others can overlap it.
        foreign = parent_codes[parent_index] != child_keys[child_index]
        child_index, parent_index = child_index[foreign], parent_index[foreign]
        inside = ~shapely.touches(child_geoms[child_index], parent_geoms[parent_index])
        child_index, parent_index = child_index[inside], parent_index[inside]
        overlap = shapely.area(
            shapely.intersection(child_geoms[child_index], parent_geoms[parent_index])
        )
        for i, j, area in zip(child_index, parent_index, overlap, strict=True):
            if area > tolerance:
                problems.append(
                    f"{child_level} {children['adcode'].iat[i]} reaches into {parent_level} "
                    f"{parent_codes[j]} (not its own) by {area:.3g} square degrees"
                )
    return problems


def _area_apart(geom: shapely.Geometry, members: np.ndarray) -> float:
    """Area of the symmetric difference between ``geom`` and the union of ``members``.

    Zero at once when the union is ``geom`` vertex for vertex (a dissolved coverage); else
    measured (the members are united with :func:`shapely.union_all`, which needs no coverage).
    """
    union = shapely.coverage_union_all(members)
    same = [shapely.normalize(shapely.multipolygons(shapely.get_parts(g))) for g in (union, geom)]
    if shapely.is_valid(union) and shapely.equals_exact(*same, tolerance=0.0):
        return 0.0
    return float(shapely.area(shapely.symmetric_difference(geom, shapely.union_all(members))))


def _read(path: Path, columns: tuple[str, ...]) -> gpd.GeoDataFrame:
    if not path.is_file():
        raise DataError(f"{path}: file not found")
    try:
        gdf = pyogrio.read_dataframe(path)
    except Exception as exc:  # pyogrio raises several types for one cause: bad GeoJSON
        raise DataError(f"{path}: not readable as GeoJSON ({exc})") from None
    if gdf.crs is None:
        raise DataError(f"{path}: no CRS (expected {CRS})")
    if not gdf.crs.equals(CRS, ignore_axis_order=True):
        raise DataError(f"{path}: CRS is {gdf.crs.to_string()}, expected {CRS}")
    if gdf.empty:
        raise DataError(f"{path}: no features")
    missing = [col for col in columns if col not in gdf.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}")
    return gdf.set_crs(CRS, allow_override=True)


def _check_rows(gdf: gpd.GeoDataFrame, path: Path, level: str) -> None:
    def fail(i: int, problem: str) -> DataError:
        code = gdf["adcode"].iat[i]
        return DataError(f"{path}: feature {i} (adcode {str(code)!r}): {problem}")

    nullable = {"city_adcode", "parent_adcode"} if level == "province" else set()
    for col in ("adcode", "province_adcode", "city_adcode", "parent_adcode"):
        if pd.api.types.is_numeric_dtype(gdf[col]) and not gdf[col].isna().all():
            # GDAL types a column by its values: one number makes them all numbers.
            raise DataError(f"{path}: column {col} holds numbers, expected six-digit text codes")
        for i, value in enumerate(gdf[col]):
            if col in nullable and _missing(value):
                continue
            if not isinstance(value, str) or not _ADCODE.fullmatch(value):
                raise fail(i, f"{col} {value!r} is not a six-digit code")
    for col in ("name_zh", "short_zh", "name_en", "label_en"):
        for i, value in enumerate(gdf[col]):
            if not isinstance(value, str) or not value.strip():
                raise fail(i, f"{col} is empty")
    for i, value in enumerate(gdf["level"]):
        if value != level:
            raise fail(i, f"level is {value!r}, expected {level!r}")
    repeated = gdf["adcode"].duplicated(keep="first")
    if repeated.any():
        i = int(np.flatnonzero(repeated.to_numpy())[0])
        first = int(np.flatnonzero((gdf["adcode"] == gdf["adcode"].iat[i]).to_numpy())[0])
        raise fail(i, f"adcode repeats feature {first}")


def _check_geometry(gdf: gpd.GeoDataFrame, path: Path, kinds: tuple[str, ...]) -> None:
    geoms = gdf.geometry.to_numpy()
    allowed = [shapely.GeometryType[kind.upper()].value for kind in kinds]
    checks = (
        (shapely.is_missing(geoms) | shapely.is_empty(geoms), lambda g: "no geometry"),
        (
            ~np.isin(shapely.get_type_id(geoms), allowed),
            lambda g: f"{g.geom_type} geometry, expected {' or '.join(kinds)}",
        ),
        (~shapely.is_valid(geoms), lambda g: f"invalid geometry ({shapely.is_valid_reason(g)})"),
    )
    for bad, problem in checks:
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            label = f" (adcode {gdf['adcode'].iat[i]!r})" if "adcode" in gdf.columns else ""
            raise DataError(f"{path}: feature {i}{label}: {problem(geoms[i])}")


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA
