"""The link tables built when the dataset is loaded: measures to places, units, projects, regions.

All functions are pure: they take tables and return new tables. The long "link" tables have one
row per (measure, adcode, link kind, via) so that a page can filter by how a measure touches a
region:

- ``text``: the measure's text names the place (or a group or feature covering the region);
- ``unit``: a responsible unit is that region's government (萍乡市政府 → 萍乡市);
- ``project``: a project the measure names crosses the region (by geometry).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import pandas as pd

from geo.core.gazetteer import Place, PlaceMention, find_places
from geo.core.plan import Measure

PLACE_LINK_COLUMNS = ["measure", "name", "kind", "adcode", "start", "end", "project"]
REGION_LINK_COLUMNS = ["measure", "adcode", "link", "via"]


def measure_place_links(
    measures: Sequence[Measure], gazetteer: Sequence[Place], masks: Iterable[str] = ()
) -> pd.DataFrame:
    """Every place each measure's text names, one row per (mention, adcode).

    Parameters
    ----------
    measures : sequence of Measure
    gazetteer : sequence of Place
    masks : iterable of str
        Project names as written in the plan. Places written inside them are the measure's too,
        kept apart: their ``project`` is the project name they are written in.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, name, kind, adcode, start, end, project`` (``project`` empty for a
        place the text names outside any project name). Groups and features give one row per
        adcode they cover; foreign and vague places one row with an empty adcode.
    """
    masks = sorted({m for m in masks if m}, key=len, reverse=True)
    rows = []
    for m in measures:
        mentions = [(mention, "") for mention in find_places(m.text, gazetteer, masks)]
        mentions += _inside_project_names(m.text, gazetteer, masks)
        for mention, project in sorted(mentions, key=lambda x: x[0].start):
            for adcode in mention.place.adcodes or ("",):
                rows.append(
                    (
                        m.number,
                        mention.name,
                        mention.place.kind,
                        adcode,
                        mention.start,
                        mention.end,
                        project,
                    )
                )
    return pd.DataFrame(rows, columns=PLACE_LINK_COLUMNS)


def _inside_project_names(
    text: str, gazetteer: Sequence[Place], masks: Sequence[str]
) -> list[tuple[PlaceMention, str]]:
    """Places written inside the project names of ``text`` (吉安 and 深圳 in 吉安(深圳)工业园),
    with their position in ``text`` and the project name. ``masks`` longest first; a project
    name inside a longer one counts once. Natural features in a name (赣江 in 赣江新区, 东江 in
    东江生态经济带) describe the project, whose own location says where it is: they are not
    taken as places."""
    taken = [False] * len(text)
    found = []
    for phrase in masks:
        start = text.find(phrase)
        while start != -1:
            end = start + len(phrase)
            if not any(taken[start:end]):
                taken[start:end] = [True] * len(phrase)
                for inner in find_places(phrase, gazetteer):
                    if inner.place.kind == "feature":  # 赣江新区 is not on the whole 赣江
                        continue
                    moved = PlaceMention(inner.place, start + inner.start, start + inner.end)
                    found.append((moved, phrase))
            start = text.find(phrase, end)
    return found


def measure_unit_links(measures: Sequence[Measure], units: pd.DataFrame) -> pd.DataFrame:
    """Measures linked to regions through their responsible city governments.

    Parameters
    ----------
    measures : sequence of Measure
    units : pandas.DataFrame
        The unit table, columns ``name_zh`` and ``adcode`` (empty for non-territorial units).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, adcode, link, via`` with ``link == "unit"`` and ``via`` the unit name.

    Raises
    ------
    KeyError
        If a measure names a unit that is not in ``units``.
    """
    adcode_of = dict(zip(units["name_zh"], units["adcode"], strict=True))
    rows = []
    for m in measures:
        for unit in m.units:
            if unit not in adcode_of:
                raise KeyError(f"measure {m.number}: unit {unit!r} is not in the unit table")
            if adcode_of[unit]:
                rows.append((m.number, adcode_of[unit], "unit", unit))
    return pd.DataFrame(rows, columns=REGION_LINK_COLUMNS)


def measure_project_links(projects: pd.DataFrame) -> pd.DataFrame:
    """The measure × project table from the catalogue's ``measures`` lists.

    Parameters
    ----------
    projects : pandas.DataFrame
        Columns ``id`` and ``measures`` (a list of ints per project).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, project_id``, sorted.
    """
    rows = [
        (int(n), pid)
        for pid, ns in zip(projects["id"], projects["measures"], strict=True)
        for n in ns
    ]
    frame = pd.DataFrame(rows, columns=["measure", "project_id"])
    return frame.sort_values(["measure", "project_id"], ignore_index=True)


def measure_region_links(
    place_links: pd.DataFrame,
    unit_links: pd.DataFrame,
    measure_projects: pd.DataFrame,
    project_regions: pd.DataFrame,
) -> pd.DataFrame:
    """Combine text, unit and project links into one measure × region table.

    Parameters
    ----------
    place_links : pandas.DataFrame
        From :func:`measure_place_links`.
    unit_links : pandas.DataFrame
        From :func:`measure_unit_links`.
    measure_projects : pandas.DataFrame
        From :func:`measure_project_links`.
    project_regions : pandas.DataFrame
        Columns ``project_id, adcode`` (every region a project's geometry crosses).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, adcode, link, via``, without duplicates. Unmapped places are dropped.
    """
    named = place_links.loc[place_links["adcode"] != "", ["measure", "adcode", "name", "project"]]
    text = named.assign(link=named["project"].map(lambda p: "name" if p else "text"))
    text = text.rename(columns={"name": "via"})
    via_project = measure_projects.merge(
        project_regions[["project_id", "adcode"]],
        on="project_id",
        how="inner",
        validate="many_to_many",
    )
    via_project = via_project.rename(columns={"project_id": "via"}).assign(link="project")
    frames = [f[REGION_LINK_COLUMNS] for f in (text, unit_links, via_project) if len(f)]
    if not frames:
        return pd.DataFrame(columns=REGION_LINK_COLUMNS)
    links = pd.concat(frames, ignore_index=True).drop_duplicates(ignore_index=True)
    links["measure"] = links["measure"].astype("int64")
    return links.sort_values(["measure", "link", "adcode", "via"], ignore_index=True)


def region_ancestors(regions: pd.DataFrame) -> pd.DataFrame:
    """Each region with itself and its ancestors, one row per (adcode, ancestor).

    Parameters
    ----------
    regions : pandas.DataFrame
        All levels together; columns ``adcode, level, province_adcode, city_adcode``.

    Returns
    -------
    pandas.DataFrame
        Columns ``adcode, ancestor, ancestor_level``.
    """
    rows = []
    for adcode, level, prov, city in regions[
        ["adcode", "level", "province_adcode", "city_adcode"]
    ].itertuples(index=False):
        rows.append((adcode, adcode, level))
        if level in ("city", "county") and prov and prov != adcode:
            rows.append((adcode, prov, "province"))
        if level == "county" and city and city != adcode:
            rows.append((adcode, city, "city"))
    return pd.DataFrame(rows, columns=["adcode", "ancestor", "ancestor_level"]).drop_duplicates(
        ignore_index=True
    )
