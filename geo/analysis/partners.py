"""Jiangxi and its ten 9+2 partners: the measures, corridors and projects that link them.

A partner is linked to Jiangxi in four ways, kept apart because they mean different things:

- ``text``: a measure's text names the partner or a place in it (深圳 → 广东, 南岭 → 湖南, 广东,
  广西, 港澳 → 香港, 澳门). The match is by text, through the gazetteer, lifted to provinces.
- ``whole``: a measure names a group covering the whole 9+2 (泛珠三角区域). That touches every
  partner alike, so it is not a specific link and is counted apart.
- ``corridor``: a project whose geometry crosses both Jiangxi and the partner (赣深客专 → 广东).
- ``project``: another project of the plan tied to the partner but not crossing Jiangxi: its
  geometry lies in the partner (白鹤滩水电入赣工程 → 云南), or its plan name names the partner
  (赣港产业合作园区 → 香港, 吉安(深圳)工业园 → 广东). Names in project names count only for
  administrative places and groups of whole provinces (赣港, 赣闽 …): a project named after a
  city group or a natural feature (原中央苏区, 东江) is located by its own geometry instead.

Pure functions of a :class:`geo.core.dataset.Dataset`; results are cached on the dataset.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from geo.core.constants import JIANGXI, PARTNERS
from geo.core.dataset import Dataset
from geo.core.gazetteer import ADMIN_KINDS, Place, find_places

PARTNER_LINKS = ("text", "whole", "corridor", "project")
LINK_COLUMNS = ["partner", "link", "measure", "project_id", "via"]
# One row of partner_links: partner, link, measure (text, whole), project_id (others), via.
_Row = tuple[str, str, int | None, str | None, str]
# The link-strength chart: specific measures (the choropleth's orange), corridors, other projects
LINK_STRENGTH_COLOURS = ("#fc8d59", "#2171b5", "#9ecae1")
SUMMARY_COLUMNS = [
    "partner",
    "name_zh",
    "name_en",
    "specific_measures",
    "whole_measures",
    "corridors",
    "other_projects",
    "links",
    "measures",
    "projects",
]


def _province_of(ds: Dataset) -> dict[str, str]:
    """adcode (any level) → its province adcode."""
    anc = ds.ancestors
    provinces = anc[anc["ancestor_level"] == "province"]
    return dict(zip(provinces["adcode"], provinces["ancestor"], strict=True))


def _partners_of(place: Place, province_of: dict[str, str]) -> set[str]:
    return {province_of[a] for a in place.adcodes if a in province_of} & set(PARTNERS)


def whole_region_names(ds: Dataset) -> set[str]:
    """Gazetteer names that cover every partner (泛珠三角区域, 泛珠三角): the whole 9+2."""
    province_of = _province_of(ds)
    return {p.name for p in ds.gazetteer if _partners_of(p, province_of) == set(PARTNERS)}


def _measure_rows(ds: Dataset) -> list[_Row]:
    province_of = _province_of(ds)
    whole = whole_region_names(ds)
    by_name = {p.name: p for p in ds.gazetteer}
    found: dict[tuple[str, str, int], list[str]] = {}
    for number, name in (
        ds.place_links[["measure", "name"]].drop_duplicates().itertuples(index=False)
    ):
        link = "whole" if name in whole else "text"
        for partner in _partners_of(by_name[name], province_of):
            found.setdefault((partner, link, int(number)), []).append(name)
    return [
        (partner, link, number, None, "、".join(names))
        for (partner, link, number), names in found.items()
    ]


def _named_partners(name_plan: str, ds: Dataset, province_of: dict[str, str]) -> dict[str, str]:
    """Partners a project's plan name names (admin places, groups of whole provinces)."""
    named: dict[str, str] = {}
    for mention in find_places(name_plan, ds.gazetteer):
        place = mention.place
        provinces_only = place.kind == "group" and all(a.endswith("0000") for a in place.adcodes)
        if place.kind in ADMIN_KINDS or provinces_only:
            for partner in _partners_of(place, province_of):
                named.setdefault(partner, place.name)
    return named


def _project_rows(ds: Dataset) -> list[_Row]:
    province_of = _province_of(ds)
    whole = whole_region_names(ds)
    rows: list[_Row] = []
    for pid, name_plan, regions in ds.projects[["id", "name_plan", "regions"]].itertuples(
        index=False
    ):
        crossed = set(regions)
        named = _named_partners(name_plan, ds, province_of)
        for partner in PARTNERS:
            if partner in crossed and JIANGXI in crossed:
                rows.append((partner, "corridor", None, pid, pid))
            elif partner in crossed:
                rows.append((partner, "project", None, pid, pid))
            elif partner in named and named[partner] not in whole:
                rows.append((partner, "project", None, pid, named[partner]))
    return rows


def partner_links(ds: Dataset) -> pd.DataFrame:
    """Every link between Jiangxi and a partner, one row per (partner, link, measure or project).

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    pandas.DataFrame
        Columns ``partner`` (province adcode), ``link`` (one of :data:`PARTNER_LINKS`),
        ``measure`` (Int64; set for ``text`` and ``whole``), ``project_id`` (set for
        ``corridor`` and ``project``) and ``via``: the names as written in the measure, the
        project id for a geometric link, or the name in the project's name. Sorted by partner
        (in :data:`PARTNERS` order), link, measure, project.
    """
    return ds.memo(("partners", "links"), lambda: _partner_links(ds))


def _partner_links(ds: Dataset) -> pd.DataFrame:
    frame = pd.DataFrame(_measure_rows(ds) + _project_rows(ds), columns=LINK_COLUMNS)
    frame["measure"] = frame["measure"].astype("Int64")
    frame["project_id"] = (
        frame["project_id"].astype(object).where(frame["project_id"].notna(), None)
    )
    order = {code: i for i, code in enumerate(PARTNERS)}
    kinds = {k: i for i, k in enumerate(PARTNER_LINKS)}
    project_order = {pid: i for i, pid in enumerate(ds.projects["id"])}
    frame = frame.assign(
        _p=frame["partner"].map(order),
        _k=frame["link"].map(kinds),
        _j=frame["project_id"].map(project_order),
    )
    return (
        frame.sort_values(["_p", "_k", "measure", "_j"], kind="stable")
        .drop(columns=["_p", "_k", "_j"])
        .reset_index(drop=True)
    )


def partner_summary(ds: Dataset) -> pd.DataFrame:
    """Counts of links per partner.

    Returns
    -------
    pandas.DataFrame
        One row per partner in :data:`PARTNERS` order, indexed by adcode, columns
        ``partner, name_zh, name_en`` (the short name and English name),
        ``specific_measures`` (distinct measures naming the partner or a place in it),
        ``whole_measures`` (measures naming only the whole 9+2 for it), ``corridors``
        (projects crossing Jiangxi and the partner), ``other_projects``, ``links``
        (specific measures + corridors + other projects: what the map shades), and
        ``measures`` / ``projects`` (tuples: the specific measures; corridors then others).
    """
    # the page asks three times per rerun; the data never changes
    return ds.memo(("partners", "summary"), lambda: _partner_summary(ds))


def _partner_summary(ds: Dataset) -> pd.DataFrame:
    links = partner_links(ds)
    table = ds.region_table
    rows = []
    for code in PARTNERS:
        mine = links[links["partner"] == code]
        specific = sorted(set(mine.loc[mine["link"] == "text", "measure"].astype(int)))
        whole = sorted(
            set(mine.loc[mine["link"] == "whole", "measure"].astype(int)) - set(specific)
        )
        corridors = list(dict.fromkeys(mine.loc[mine["link"] == "corridor", "project_id"]))
        others = list(dict.fromkeys(mine.loc[mine["link"] == "project", "project_id"]))
        rows.append(
            {
                "partner": code,
                "name_zh": str(table.at[code, "short_zh"]),
                "name_en": str(table.at[code, "name_en"]),
                "specific_measures": len(specific),
                "whole_measures": len(whole),
                "corridors": len(corridors),
                "other_projects": len(others),
                "links": len(specific) + len(corridors) + len(others),
                "measures": tuple(specific),
                "projects": tuple(corridors + others),
            }
        )
    return pd.DataFrame(rows, columns=SUMMARY_COLUMNS).set_index("partner", drop=False)


def partner_projects(
    ds: Dataset, partner: str | None = None, links: tuple[str, ...] = ("corridor", "project")
) -> gpd.GeoDataFrame:
    """The projects linking Jiangxi to ``partner`` (or to any partner), catalogue order.

    Parameters
    ----------
    partner : str, optional
        A partner's adcode; None for every partner.
    links : tuple of str
        Which project links: ``corridor`` (crossing both), ``project`` (others).

    Returns
    -------
    geopandas.GeoDataFrame
        Rows of ``ds.projects`` (EPSG:4326) with an extra column ``link``.
    """
    frame = partner_links(ds)
    frame = frame[frame["link"].isin(set(links))]
    if partner is not None:
        frame = frame[frame["partner"] == partner]
    link_of = dict(zip(frame["project_id"], frame["link"], strict=False))
    chosen = ds.projects[ds.projects["id"].isin(set(link_of))]
    return chosen.assign(link=chosen["id"].map(link_of))


def partner_measures(ds: Dataset, partner: str) -> pd.DataFrame:
    """The measures linked to ``partner`` by text, with how.

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, link, via`` (``link`` is ``text`` or ``whole``; a measure naming the
        partner specifically is listed once, as ``text``), in plan order.
    """
    frame = partner_links(ds)
    frame = frame[(frame["partner"] == partner) & frame["link"].isin(["text", "whole"])]
    # partner_links sorts text before whole, so the first row of a measure is its best link
    frame = frame.drop_duplicates("measure", keep="first").sort_values("measure", kind="stable")
    return frame[["measure", "link", "via"]].astype({"measure": int}).reset_index(drop=True)


def partner_options(ds: Dataset) -> list[str]:
    """The partners' adcodes that are in the dataset's boundaries (normally all ten)."""
    known = set(ds.regions["province"]["adcode"])
    return [code for code in PARTNERS if code in known]
