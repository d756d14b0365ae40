"""Filters behind the pages: which measures, projects and regions a choice of facets selects.

Pure functions on a :class:`geo.core.dataset.Dataset`; the pages only read widgets and call these.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable

import geopandas as gpd
import pandas as pd

from geo.analysis.joins import count_measures, measures_touching
from geo.analysis.search import search_measures
from geo.core.constants import LINK_KINDS, OPEN_STATUSES
from geo.core.dataset import Dataset

FIRST_YEAR = 2016


def section_options(ds: Dataset) -> list[int]:
    """The sections that hold measures (the section filter's options), in plan order."""
    with_measures = {m.section for m in ds.plan.measures}
    return [s.number for s in ds.plan.sections if s.number in with_measures]


def filter_measures(
    ds: Dataset,
    *,
    sections: Collection[int] = (),
    units: Collection[str] = (),
    region: str | None = None,
    query: str = "",
    link_kinds: Iterable[str] = LINK_KINDS,
) -> list[int]:
    """Numbers of the measures that pass every facet (an empty facet passes all).

    Parameters
    ----------
    sections : collection of int
        Keep measures in these sections.
    units : collection of str
        Keep measures led by any of these responsible units.
    region : str, optional
        Keep measures touching this adcode (or a region inside it) by ``link_kinds``.
    query : str
        Keep measures matching it, in Chinese or English (:mod:`geo.analysis.search`).
    """
    found = set(search_measures(ds, query))
    touching = None
    if region:
        touching = set(
            measures_touching(ds.region_links, ds.ancestors, region, link_kinds)["measure"]
        )
    kept = []
    for m in ds.plan.measures:
        if sections and m.section not in sections:
            continue
        if units and not set(m.units) & set(units):
            continue
        if touching is not None and m.number not in touching:
            continue
        if m.number not in found:
            continue
        kept.append(m.number)
    return kept


def measure_counts(
    ds: Dataset, level: str, measures: Iterable[int], link_kinds: Iterable[str] = LINK_KINDS
) -> pd.Series:
    """How many of ``measures`` touch each region at ``level`` (adcode → count)."""
    return count_measures(ds.region_links, ds.ancestors, level, link_kinds, measures)


def opened_year(ds: Dataset) -> pd.Series:
    """The year by which each project was open (or operating), NaN where it is not open today.

    The opening date's year; for a project open today whose opening is not dated (赣州至厦门
    班列: earlier one-way runs undated), the year of its status date, by which it was running.
    """
    frame = ds.projects
    dates = frame["opened_date"].where(frame["opened_date"] != "", frame["status_date"])
    dates = dates.where(frame["status"].isin(OPEN_STATUSES), "")
    years = pd.to_numeric(dates.str[:4], errors="coerce")
    return pd.Series(years.to_numpy(), index=ds.projects["id"].to_numpy(), name="opened_year")


def not_open_in(ds: Dataset, year: int) -> set[str]:
    """Ids of projects not yet open or operating by the end of ``year``."""
    years = opened_year(ds)
    return set(years.index[~(years <= year)])


def filter_projects(
    ds: Dataset,
    *,
    kinds: Collection[str] = (),
    statuses: Collection[str] = (),
    stages: Collection[str] = (),
    measures: Collection[int] = (),
    region: str | None = None,
    year: int | None = None,
    open_only: bool = False,
) -> gpd.GeoDataFrame:
    """The projects that pass every facet (an empty facet passes all).

    Parameters
    ----------
    kinds, statuses, stages : collections of str
        Keep projects of these kinds, statuses today, and plan stage words.
    measures : collection of int
        Keep projects named by any of these measures.
    region : str, optional
        Keep projects whose geometry crosses this adcode.
    year : int, optional
        With ``open_only``, keep only what was open by the end of that year.
    """
    frame = ds.projects
    keep = pd.Series(True, index=frame.index)
    if kinds:
        keep &= frame["kind"].isin(set(kinds))
    if statuses:
        keep &= frame["status"].isin(set(statuses))
    if stages:
        keep &= frame["plan_stage"].map(lambda s: bool(set(split_stages(s)) & set(stages)))
    if measures:
        wanted = set(measures)
        keep &= frame["measures"].map(lambda ns: bool(set(ns) & wanted))
    if region:
        keep &= frame["regions"].map(lambda codes: region in codes)
    if year is not None and open_only:
        keep &= ~frame["id"].isin(not_open_in(ds, year))
    return frame[keep]


def split_stages(cell: str) -> list[str]:
    """The plan stage words of a project (a cell may hold several, ``;``-separated)."""
    return [s.strip() for s in str(cell).split(";") if s.strip()]


def stage_options(ds: Dataset) -> list[str]:
    """Every plan stage phrase used, most frequent first."""
    counts = pd.Series([s for cell in ds.projects["plan_stage"] for s in split_stages(cell)])
    return [str(stage) for stage in counts.value_counts().index]


def level_of(ds: Dataset, adcode: str) -> str | None:
    """The level of an adcode in the dataset, or None if it is unknown."""
    table = ds.region_table
    return str(table.at[adcode, "level"]) if adcode in table.index else None
