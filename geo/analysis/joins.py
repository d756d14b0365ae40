"""Queries over the dataset's link tables: links lifted up the hierarchy, counts per region,
the measures touching one region.

The link tables themselves are built once, when the dataset is loaded (:mod:`geo.core.links`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from geo.core.constants import LEVELS, LINK_KINDS


def links_at_level(links: pd.DataFrame, ancestors: pd.DataFrame, level: str) -> pd.DataFrame:
    """Lift measure × region links to one level of the hierarchy.

    A link to a county also touches its city and province; a link to a province does not
    touch each of its cities (the plan did not say so), so links are lifted up, never pushed down.

    Parameters
    ----------
    links : pandas.DataFrame
        Columns ``measure, adcode, link, via`` (any levels).
    ancestors : pandas.DataFrame
        From :func:`region_ancestors`.
    level : {"province", "city", "county"}

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, adcode, link, via, direct``: ``adcode`` is at ``level``; ``direct`` is
        True where the link names that region itself rather than a region inside it.
    """
    if level not in LEVELS:
        raise ValueError(f"level must be one of {LEVELS}, got {level!r}")
    at_level = ancestors[ancestors["ancestor_level"] == level]
    lifted = links.merge(at_level, on="adcode", how="inner", validate="many_to_many")
    lifted = lifted.assign(direct=lifted["adcode"] == lifted["ancestor"])
    lifted = lifted.drop(columns=["adcode", "ancestor_level"]).rename(
        columns={"ancestor": "adcode"}
    )
    return lifted[["measure", "adcode", "link", "via", "direct"]].drop_duplicates(ignore_index=True)


def count_measures(
    links: pd.DataFrame,
    ancestors: pd.DataFrame,
    level: str,
    link_kinds: Iterable[str] = LINK_KINDS,
    measures: Iterable[int] | None = None,
) -> pd.Series:
    """How many distinct measures touch each region at ``level``.

    Parameters
    ----------
    links, ancestors : pandas.DataFrame
        As for :func:`links_at_level`.
    level : str
    link_kinds : iterable of str
        Which kinds of link count (default all).
    measures : iterable of int, optional
        Restrict to these measures (e.g. the filtered ones).

    Returns
    -------
    pandas.Series
        Indexed by adcode, the number of measures; regions with none are absent.
    """
    kinds = set(link_kinds)
    unknown = kinds - set(LINK_KINDS)
    if unknown:
        raise ValueError(f"unknown link kind(s): {sorted(unknown)}")
    subset = links[links["link"].isin(kinds)]
    if measures is not None:
        subset = subset[subset["measure"].isin(set(measures))]
    lifted = links_at_level(subset, ancestors, level)
    return lifted.groupby("adcode")["measure"].nunique().rename("measures")


def measures_touching(
    links: pd.DataFrame,
    ancestors: pd.DataFrame,
    adcode: str,
    link_kinds: Iterable[str] = LINK_KINDS,
) -> pd.DataFrame:
    """The links of every measure that touches region ``adcode`` (or a region inside it).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, adcode, link, via, direct``, ``adcode`` equal to the argument.
    """
    level_of = ancestors.loc[ancestors["adcode"] == ancestors["ancestor"]]
    match = level_of.loc[level_of["adcode"] == adcode, "ancestor_level"]
    if match.empty:
        return pd.DataFrame(columns=["measure", "adcode", "link", "via", "direct"])
    subset = links[links["link"].isin(set(link_kinds))]
    lifted = links_at_level(subset, ancestors, match.iloc[0])
    return lifted[lifted["adcode"] == adcode].reset_index(drop=True)
