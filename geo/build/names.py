"""English names the builder does not derive from pinyin, and the labels that tell apart units
sharing an English name.

Two things live here:

* :func:`read_name_table` reads ``geo/build/names_en.csv``: one row per unit whose English
  name is not the pinyin of its Chinese name (Hong Kong's districts, Macau's parishes, the
  conventional names of minority-language places: Ordos, Kashgar, Shigatse, Shangri-La …),
  each with the page it comes from.
* :func:`english_labels` gives every unit a ``label_en``: its ``name_en`` where no other unit
  has that name, else the name told apart by type and parent (抚州市 "Fuzhou (Jiangxi)",
  安远县 "Anyuan County (Ganzhou)", 南昌县 "Nanchang County").
"""

from __future__ import annotations

import csv
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from geo.core.errors import DataError

__all__ = [
    "NAME_TABLE",
    "NameRow",
    "english_labels",
    "read_name_table",
    "unit_type",
]

NAME_TABLE = Path(__file__).with_name("names_en.csv")
"""The name table: ``adcode, name_zh, name_en, source``."""

_COLUMNS = ("adcode", "name_zh", "name_en", "source")


@dataclass(frozen=True)
class NameRow:
    """One row of the name table: the unit (adcode and the Chinese name it must have), its
    English name, and the page that gives that name (or why it is ours)."""

    adcode: str
    name_zh: str
    name_en: str
    source: str


def read_name_table(path: Path = NAME_TABLE) -> dict[str, NameRow]:
    """Read the English name table.

    Parameters
    ----------
    path : pathlib.Path, default NAME_TABLE

    Returns
    -------
    dict
        Adcode → :class:`NameRow`.

    Raises
    ------
    DataError
        The file is missing, lacks a column, or a row has an empty field, a bad adcode or a
        repeated adcode.
    """
    try:
        with path.open(encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
    except OSError as exc:
        raise DataError(f"{path}: cannot read ({exc})") from None
    if rows and set(_COLUMNS) - set(rows[0]):
        raise DataError(f"{path}: columns must be {', '.join(_COLUMNS)}")
    table: dict[str, NameRow] = {}
    for line, row in enumerate(rows, start=2):
        values = {col: (row.get(col) or "").strip() for col in _COLUMNS}
        if not all(values.values()):
            raise DataError(f"{path}, line {line}: empty field")
        if not re.fullmatch(r"[1-9]\d{5}", values["adcode"]):
            raise DataError(f"{path}, line {line}: adcode {values['adcode']!r}")
        if values["adcode"] in table:
            raise DataError(f"{path}, line {line}: adcode {values['adcode']} repeats")
        table[values["adcode"]] = NameRow(**values)
    return table


_TYPES = (
    ("自治旗", "Banner"),
    ("旗", "Banner"),
    ("自治县", "County"),
    ("县", "County"),
    ("区", "District"),
    ("市", "City"),
    ("自治州", "Prefecture"),
    ("地区", "Prefecture"),
    ("盟", "League"),
)


def unit_type(name_zh: str) -> str:
    """The English word for a unit's type, from the suffix of its Chinese name.

    Parameters
    ----------
    name_zh : str
        Official name (瑞昌市, 安远县, 抚州市, 海南藏族自治州).

    Returns
    -------
    str
        ``City``, ``County``, ``District``, ``Banner``, ``Prefecture`` or ``League``; ``""``
        for anything else (特别行政区, 林区 …).
    """
    for suffix, word in _TYPES:
        if name_zh.endswith(suffix):
            return word
    return ""


@dataclass(frozen=True)
class _Unit:
    level: str
    adcode: str
    name_zh: str
    short_zh: str
    name_en: str
    province_adcode: str
    city_adcode: str | None


def _typed(unit: _Unit) -> str:
    """``name_en`` with the unit's type word, unless the name already says it: its short name
    kept the suffix (魏县 Weixian, 城区 Chengqu) or it ends with the word (Tumed Left Banner)."""
    word = unit_type(unit.name_zh)
    name = unit.name_en
    if not word or name.endswith(word) or unit.short_zh == unit.name_zh:
        return name
    return f"{name} {word}"


def _bare(label: str) -> str:
    """A label as a parent in parentheses: "Fuzhou (Jiangxi)" → "Fuzhou, Jiangxi"."""
    return label.replace(" (", ", ").rstrip(")") if label.endswith(")") else label


def _city_labels(cities: list[_Unit], province_en: Mapping[str, str]) -> dict[str, str]:
    """Labels of the city level (see :func:`english_labels`)."""
    per_province = Counter(u.province_adcode for u in cities)
    by_name = Counter(u.name_en for u in cities)
    labels = {}
    for u in cities:
        own = province_en[u.province_adcode]
        if u.name_en == own and per_province[u.province_adcode] == 1:
            labels[u.adcode] = u.name_en  # a municipality: the province itself (Beijing)
        elif u.name_en == own:
            labels[u.adcode] = f"{u.name_en} {unit_type(u.name_zh) or 'City'}"  # Jilin City
        elif u.name_en in province_en.values():
            labels[u.adcode] = f"{_typed(u)} ({own})"  # Hainan Prefecture (Qinghai)
        elif by_name[u.name_en] > 1:
            labels[u.adcode] = f"{u.name_en} ({own})"  # Fuzhou (Jiangxi)
        else:
            labels[u.adcode] = u.name_en
    return labels


def _county_labels(
    counties: list[_Unit], taken: Iterable[str], city_labels: Mapping[str, str]
) -> dict[str, str]:
    """Labels of the county level (see :func:`english_labels`)."""
    distinct = [u for u in counties if u.adcode != u.city_adcode]
    by_name = Counter(u.name_en for u in distinct)
    taken = set(taken)
    city_name = {u.city_adcode: u.name_en for u in counties if u.adcode == u.city_adcode}
    labels = {}
    for u in counties:
        if u.adcode == u.city_adcode:  # 东莞, 仙桃 …: the city itself
            labels[u.adcode] = city_labels[u.adcode]
        elif by_name[u.name_en] > 1 or u.name_en in taken:
            parent = city_labels.get(u.city_adcode or "", "")
            same = (
                parent.split(" (")[0] == u.name_en
                or city_name.get(u.city_adcode or "") == u.name_en
            )
            labels[u.adcode] = _typed(u) if same or not parent else f"{_typed(u)} ({_bare(parent)})"
        else:
            labels[u.adcode] = u.name_en
    return labels


def english_labels(units: Iterable[object]) -> dict[tuple[str, str], str]:
    """Give every unit a display label that no other unit of China has.

    The rules, by level:

    * **province**: its English name.
    * **city**: a municipality (the only city of its province, named like it) keeps the
      name; a city named like its own province gets its type (吉林市 "Jilin City"); one named
      like another province gets its type and province (海南藏族自治州 "Hainan Prefecture
      (Qinghai)"); one whose name another city shares gets its province (抚州市 "Fuzhou
      (Jiangxi)", 福州市 "Fuzhou (Fujian)"); any other city keeps its name.
    * **county**: one whose English name another county, a city or a province shares gets
      its type and parent city (安源区 "Anyuan District (Pingxiang)", 安远县 "Anyuan County
      (Ganzhou)", 黎川县 "Lichuan County (Fuzhou, Jiangxi)"), or only its type where the
      parent has the same name (南昌县 "Nanchang County"); names that already say their type
      (Weixian, Chengqu, Tumed Left Banner) are not repeated. A county-level row that is its
      city (东莞, 仙桃) has the city's label. Any other county keeps its name.
    * Labels still equal after that get the province added.

    Parameters
    ----------
    units : iterable
        Objects with ``level, adcode, name_zh, short_zh, name_en, province_adcode,
        city_adcode`` (:class:`geo.build.build_boundaries.AdminUnit`).

    Returns
    -------
    dict
        ``(level, adcode)`` → label.

    Raises
    ------
    DataError
        If two units of a level would still share a label.
    """
    fields = _Unit.__dataclass_fields__
    rows = [_Unit(**{name: getattr(u, name) for name in fields}) for u in units]
    by_level: dict[str, list[_Unit]] = defaultdict(list)
    for u in rows:
        by_level[u.level].append(u)
    province_en = {u.adcode: u.name_en for u in by_level["province"]}
    city = _city_labels(by_level["city"], province_en)
    taken = {*province_en.values(), *(u.name_en for u in by_level["city"])}
    county = _county_labels(by_level["county"], taken, city)
    labels = {("province", code): name for code, name in province_en.items()}
    labels |= {("city", code): label for code, label in city.items()}
    labels |= {("county", code): label for code, label in county.items()}
    return _unique(labels, {u.adcode: u for u in rows}, province_en)


def _unique(
    labels: dict[tuple[str, str], str],
    unit_of: Mapping[str, _Unit],
    province_en: Mapping[str, str],
) -> dict[tuple[str, str], str]:
    """Add the province to labels that two units of a level (not the same unit) share."""
    out = dict(labels)
    for _ in range(2):
        owners: dict[tuple[str, str], set[str]] = defaultdict(set)
        for (level, code), label in out.items():
            owners[(level, label)].add(code)
        clashes = {key: codes for key, codes in owners.items() if len(codes) > 1}
        if not clashes:
            return out
        for (level, label), codes in clashes.items():
            for code in codes:
                province = province_en[unit_of[code].province_adcode]
                inner = label[:-1] + f", {province})" if label.endswith(")") else label
                out[(level, code)] = inner if inner != label else f"{label} ({province})"
    raise DataError(f"English labels still shared: {sorted(clashes)[:5]}")
