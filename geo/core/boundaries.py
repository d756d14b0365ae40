"""Load the administrative boundaries (``data/boundaries/``), checking them as they come in.

The files are built by :mod:`geo.build.build_boundaries` from Amap data (see
``data/boundaries/SOURCE.md``): RFC 7946 GeoJSON in WGS84. Each level is a polygon
coverage; cities are exactly the union of their counties.

Region columns (:data:`REGION_COLUMNS`), all text, nulls as missing values:

``adcode``
    Six-digit code, unique within a level (not across levels: 重庆 500000, 台湾 710000,
    香港 810000 and 澳门 820000 are province and city; the 34 cities without counties,
    e.g. 东莞 441900 or 仙桃 429004, are also listed as counties with their own code).
``name_zh``, ``short_zh``, ``name_en``
    Official name (江西省, 黔西南布依族苗族自治州), short name (江西, 黔西南) and English
    name (Jiangxi, Qianxinan; cities and counties without a suffix).
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
    "REGION_COLUMNS",
    "check_hierarchy",
    "load_dashline",
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
DASHLINE_COLUMNS = ("name_zh", "name_en")

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
        Columns :data:`REGION_COLUMNS` plus ``geometry`` ((Multi)Polygons), CRS EPSG:4326,
        sorted by adcode, index 0..n-1. A new frame on every call.

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
    path = paths.data_path(paths.BOUNDARY_FILES[level], root)
    gdf = _read(path, REGION_COLUMNS)
    _check_rows(gdf, path, level)
    _check_geometry(gdf, path, _POLYGONAL)
    gdf = gdf[[*REGION_COLUMNS, "geometry"]].astype({col: "str" for col in REGION_COLUMNS})
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


def check_hierarchy(regions: Mapping[str, gpd.GeoDataFrame]) -> list[str]:
    """List the parent links that do not resolve between the three levels.

    Parameters
    ----------
    regions : mapping
        ``{"province": ..., "city": ..., "county": ...}`` as from :func:`load_regions`.

    Returns
    -------
    list of str
        One message per problem (empty when every city's province and every county's city
        and province exist, and ``parent_adcode`` is the level above); nothing is raised.
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
    return problems


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
    for col in ("name_zh", "short_zh", "name_en"):
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
