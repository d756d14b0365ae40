"""The joined dataset: plan, gazetteer, units, boundaries and projects, loaded and linked once.

:func:`load_dataset` is what the app (through its cache) and the CLI call. It reads every file of
the data directory, checks the references between them and builds the link tables of
:mod:`geo.core.links`. A bad file raises :class:`geo.core.errors.DataError` naming the file and row.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

from geo.core import links, paths
from geo.core.boundaries import load_dashline, load_regions
from geo.core.catalogue import load_projects, load_waypoints
from geo.core.constants import LEVELS
from geo.core.errors import DataError
from geo.core.gazetteer import Place, load_gazetteer
from geo.core.memo import Memo
from geo.core.plan import (
    Plan,
    load_measure_texts_en,
    load_plan,
    load_plan_titles_en,
    to_cn_numeral,
)
from geo.core.units import load_units

T = TypeVar("T")


@dataclass(frozen=True)
class Dataset:
    """Everything the pages show, joined. Treat as read-only."""

    root: Path
    meta: dict[str, Any]
    plan: Plan
    titles_en: dict[tuple[str, int], str]
    texts_en: dict[int, str]
    gazetteer: tuple[Place, ...]
    units: pd.DataFrame
    regions: dict[str, gpd.GeoDataFrame]
    dashline: gpd.GeoDataFrame
    projects: gpd.GeoDataFrame
    place_links: pd.DataFrame
    measure_projects: pd.DataFrame
    project_regions: pd.DataFrame
    region_links: pd.DataFrame
    ancestors: pd.DataFrame
    # Derived values (see memo). init=False: a dataclasses.replace() copy starts with its own.
    _memo: Memo = field(default_factory=Memo, init=False, compare=False, repr=False)

    @cached_property
    def region_table(self) -> pd.DataFrame:
        """All regions of all levels without geometry, indexed by adcode.

        A few adcodes exist at two levels (香港 810000 is a province and a city; 东莞 441900 a city
        and its own county): the highest level is kept.
        """
        frames = [pd.DataFrame(self.regions[level].drop(columns="geometry")) for level in LEVELS]
        table = pd.concat(frames, ignore_index=True).drop_duplicates("adcode", keep="first")
        return table.set_index("adcode", drop=False)

    @cached_property
    def _region_names(self) -> dict[str, dict[str, str]]:
        """adcode → name, per language: pages format thousands of options on every rerun, and a
        dict lookup is ~100× faster than ``DataFrame.at``."""
        table = self.region_table
        # English: the label that tells apart units sharing a name (Fuzhou (Jiangxi)), if any
        english = table["label_en"] if "label_en" in table.columns else table["name_en"]
        english = english.where(english.notna() & (english != ""), table["name_en"])
        return {
            "zh": dict(zip(table["adcode"], table["name_zh"].astype(str), strict=True)),
            "en": dict(zip(table["adcode"], english.astype(str), strict=True)),
        }

    def region_name(self, adcode: str, lang: str = "zh") -> str:
        """The region's name in ``lang`` (``zh`` or ``en``; in English told apart from others of
        the same name, ``Fuzhou (Jiangxi)``), or the adcode if unknown."""
        return self._region_names["en" if lang == "en" else "zh"].get(adcode, adcode)

    def measure_title(self, number: int, lang: str = "zh") -> str:
        """The measure's title in ``lang``."""
        if lang == "en":
            return self.titles_en[("measure", number)]
        return self.plan.measure(number).title

    def measure_text(self, number: int, lang: str = "zh") -> str:
        """The measure's text after its title in ``lang`` (English: our unofficial
        translation); the Chinese is the plan's text with its title."""
        if lang == "en":
            return self.texts_en[number]
        return self.plan.measure(number).text

    def section_title(self, number: int, lang: str = "zh") -> str:
        """The section's heading in ``lang``."""
        if lang == "en":
            return self.titles_en[("section", number)]
        return self.plan.section_by_number[number].heading

    def unit_name(self, name_zh: str, lang: str = "zh") -> str:
        """A responsible unit's name in ``lang``."""
        if lang != "en":
            return name_zh
        return self._unit_names_en.get(name_zh, name_zh)

    def memo(self, key: tuple[Hashable, ...], build: Callable[[], T]) -> T:
        """``build()`` once per dataset and ``key``; every call returns its own copy.

        For what pages derive on every rerun from data that never changes. See
        :mod:`geo.core.memo`: bounded (least recently used dropped), thread-safe (two sessions
        asking for a missing key wait for one build).

        Parameters
        ----------
        key : tuple
            ``(namespace, *parts)``: a non-empty ``str`` naming what is cached, then plain
            values (str, int, float, bool, None, tuples of these, frozen dataclasses of these);
            anything else raises ``TypeError``.
        build : callable
            Makes the value: a DataFrame, GeoDataFrame, Series, list, dict, tuple, set,
            dataclass, str, bytes or number (or containers of these).

        Returns
        -------
        object
            A private copy of the value (:func:`geo.core.memo.private_copy`): the caller may
            change it; callers need not copy it again.
        """
        return self._memo.get(key, build)

    @cached_property
    def waypoints(self) -> gpd.GeoDataFrame:
        """The projects' waypoints (``waypoints.csv``), read on first use."""
        return load_waypoints(self.root)

    @cached_property
    def _unit_names_en(self) -> dict[str, str]:
        """Unit name → English name (the first row of a name, as a lookup in order would)."""
        names: dict[str, str] = {}
        for zh, en in zip(self.units["name_zh"], self.units["name_en"], strict=True):
            names.setdefault(zh, str(en))
        return names


def _read_meta(root: Path) -> dict[str, Any]:
    path = paths.data_path(paths.PLAN_META_FILE, root)
    try:
        meta = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError(f"{path}: invalid JSON ({exc})") from None
    if not isinstance(meta, dict):
        raise DataError(f"{path}: not a JSON object")
    missing = [k for k in ("title_zh", "title_en", "date") if not meta.get(k)]
    if missing:
        raise DataError(f"{path}: missing key(s) {', '.join(missing)}")
    return meta


def check_references(
    plan: Plan,
    gazetteer: tuple[Place, ...],
    units: pd.DataFrame,
    regions: dict[str, gpd.GeoDataFrame],
    projects: pd.DataFrame,
    root: Path,
) -> list[str]:
    """Every cross-file reference that does not resolve, as messages naming file and row.

    Checks: gazetteer and unit adcodes exist in the boundaries; every unit a measure names is in
    the unit table; every measure a project names exists; each project's plan name is written
    in the text of a measure that names it.
    """
    problems: list[str] = []
    known = set().union(*(set(g["adcode"]) for g in regions.values()))
    gaz_path = paths.data_path(paths.GAZETTEER_FILE, root)
    gaz_lines = _lines_by_key(gaz_path, "name")
    for place in gazetteer:
        for code in place.adcodes:
            if code not in known:
                problems.append(
                    f"{gaz_path}, row {gaz_lines.get(place.name, '?')}: "
                    f"{place.name}: unknown adcode {code}"
                )
    units_path = paths.data_path(paths.UNITS_FILE, root)
    for row in units.to_dict("records"):
        if row["adcode"] and row["adcode"] not in known:
            problems.append(
                f"{units_path}, row {row['_line']}: {row['name_zh']}: "
                f"unknown adcode {row['adcode']}"
            )
    unit_names = set(units["name_zh"])
    plan_path = paths.data_path(paths.PLAN_FILE, root)
    for m in plan.measures:
        for unit in m.units:
            if unit not in unit_names:
                problems.append(
                    f"{plan_path}, line {m.line}: measure {m.number} names unit "
                    f"{unit!r}, which is not in {units_path}"
                )
    numbers = {m.number: m for m in plan.measures}
    proj_path = paths.data_path(paths.PROJECTS_FILE, root)
    for row in projects.to_dict("records"):
        where = f"{proj_path}, row {row.get('_line', '?')}: {row['id']}"
        for n in row["measures"]:
            if n not in numbers:
                problems.append(f"{where}: measure {n} does not exist in the plan")
        texts = [numbers[n].text for n in row["measures"] if n in numbers]
        if texts and not any(row["name_plan"] in t for t in texts):
            problems.append(
                f"{where}: name_plan {row['name_plan']!r} is not written in "
                f"measure(s) {', '.join(to_cn_numeral(n) for n in row['measures'])}"
            )
    return problems


def _lines_by_key(path: Path, key: str) -> dict[str, int]:
    from geo.core.tables import LINE, read_table

    frame = read_table(path, (key,))
    return dict(zip(frame[key], frame[LINE], strict=True))


def load_dataset(root: Path | None = None) -> Dataset:
    """Load and join the whole dataset.

    Parameters
    ----------
    root : Path, optional
        The data directory (default :func:`geo.core.paths.data_dir`, i.e. ``$PPRD_DATA_DIR`` or
        ``data/``).

    Returns
    -------
    Dataset

    Raises
    ------
    DataError
        The first problem found, naming the file and row; :func:`geo.core.validate.validate` lists
        them all.
    """
    root = root or paths.data_dir()
    meta = _read_meta(root)
    plan = load_plan(paths.data_path(paths.PLAN_FILE, root))
    titles_en = load_plan_titles_en(plan, root)
    texts_en = load_measure_texts_en(plan, root)
    gazetteer = load_gazetteer(root)
    units = load_units(root)
    regions = {level: load_regions(level, root) for level in LEVELS}
    dashline = load_dashline(root)
    projects = load_projects(root, regions=regions)
    problems = check_references(plan, gazetteer, units, regions, projects, root)
    if problems:
        raise DataError(
            problems[0]
            + (
                f" (and {len(problems) - 1} more problem(s): run `python -m geo validate`)"
                if len(problems) > 1
                else ""
            )
        )
    crossings = (
        projects[["id", "regions"]]
        .explode("regions")
        .dropna()
        .rename(columns={"id": "project_id", "regions": "adcode"})
        .reset_index(drop=True)
    )
    place_links = links.measure_place_links(plan.measures, gazetteer, projects["name_plan"])
    unit_links = links.measure_unit_links(plan.measures, units)
    measure_projects = links.measure_project_links(projects)
    region_links = links.measure_region_links(place_links, unit_links, measure_projects, crossings)
    all_regions = pd.concat(
        [pd.DataFrame(g.drop(columns="geometry")) for g in regions.values()], ignore_index=True
    )
    return Dataset(
        root=root,
        meta=meta,
        plan=plan,
        titles_en=titles_en,
        texts_en=texts_en,
        gazetteer=gazetteer,
        units=units,
        regions=regions,
        dashline=dashline,
        projects=projects,
        place_links=place_links,
        measure_projects=measure_projects,
        project_regions=crossings,
        region_links=region_links,
        ancestors=links.region_ancestors(all_regions),
    )
