"""What the region page shows: a region's place in the hierarchy, the layers of its map, and
every measure, responsible unit and project touching it, kept apart by how they touch it.

How a measure touches a region (the ``how`` of :func:`measure_links`), most precise first:

- ``named``: its text names the region itself (赣州 → 赣州市);
- ``group`` / ``feature``: its text names a group of regions or a natural feature whose extent
  the gazetteer ties to this region (苏区, 南岭 → 赣州市);
- ``own_unit``: the region's own government is one of its responsible units;
- ``crosses``: a project it names crosses the region (by geometry);
- ``inside``: any of the above, but for a smaller region inside this one (东江 → 寻乌县 → 赣州市);
- ``larger``: only through a larger region containing this one (我省 → 江西省 ⊃ 赣州市). Links
  are never pushed down the hierarchy (:mod:`geo.analysis.joins`), so these are listed apart and not
  counted as touching.

Pure functions of a :class:`geo.core.dataset.Dataset` (no Streamlit); all geometry is EPSG:4326.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.analysis import display
from geo.analysis.hierarchy import region_path
from geo.core import constants
from geo.core.constants import JIANGXI, LEGEND_ROOM, LINK_KINDS, MAP_AREA
from geo.core.dataset import Dataset
from geo.core.geometry import fit_bounds
from geo.core.i18n import t
from geo.present.formats import measure_link
from geo.present.labels import measure_label, project_name

DEFAULT_REGION = JIANGXI
MAP_PROVINCES = MAP_AREA
LINK_COLUMNS = ["measure", "link", "via", "how", "where"]
# The page's tables of measures and the link kinds each lists: a place named inside a
# project's name is a text mention too (its precision column says so).
TABLE_LINKS = {"text": ("text", "name"), "unit": ("unit",), "project": ("project",)}


# --- The hierarchy -------------------------------------------------------------------------


def child_codes(ds: Dataset, adcode: str) -> list[str]:
    """The regions one level down (a province's cities, a city's counties; 香港's districts)."""
    table = ds.region_table
    return sorted(table.index[table["parent_adcode"] == adcode])


def province_options(ds: Dataset) -> list[str]:
    """Every province: the 9+2 first, then 浙江, 安徽, 湖北, then the rest by adcode."""
    first = [c for c in MAP_PROVINCES if c in ds.region_table.index]
    rest = sorted(set(ds.regions["province"]["adcode"]) - set(first))
    return first + rest


def level_name(ds: Dataset, adcode: str, lang: str) -> str:
    """``地市级`` / ``City`` …: the level of a region, in ``lang``."""
    return t(f"level_{ds.region_table.at[adcode, 'level']}", lang)


# --- The map -------------------------------------------------------------------------------


@dataclass(frozen=True)
class RegionLayers:
    """What the region map draws: clickable regions over grey context, fitted to ``focus``."""

    clickable: gpd.GeoDataFrame
    context: gpd.GeoDataFrame
    focus: gpd.GeoDataFrame
    selected: str | None


def display_of(ds: Dataset, codes: Sequence[str], zoom: float | None = None) -> gpd.GeoDataFrame:
    """Display geometry (:mod:`geo.analysis.display`) of the regions ``codes``, levels mixed,
    simplified for ``zoom`` (the fixed per-level settings when ``None``).

    Returns a GeoDataFrame (EPSG:4326) in adcode order; unknown codes are left out.
    """
    table = ds.region_table
    wanted = [c for c in dict.fromkeys(codes) if c in table.index]
    parts = []
    for level, rows in table.loc[wanted].groupby("level", sort=False):
        if level == "province":
            provinces = tuple(sorted(set(MAP_PROVINCES) | set(rows.index)))
        else:
            provinces = tuple(sorted(set(rows["province_adcode"])))
        frame = display.display_regions(ds, str(level), provinces, zoom=zoom)
        parts.append(frame[frame["adcode"].isin(set(rows.index))])
    if not parts:
        return ds.regions["province"].iloc[0:0]
    merged = pd.concat(parts, ignore_index=True).sort_values("adcode", ignore_index=True)
    return gpd.GeoDataFrame(merged, geometry="geometry", crs=parts[0].crs)


def region_layers(ds: Dataset, adcode: str) -> RegionLayers:
    """The layers of the map of ``adcode``.

    Its sub-regions one level down are clickable (a click goes there); a region with none (a
    county, 东莞市) shows its siblings instead, itself outlined as selected. Underneath, as grey
    context: the provinces around (for a province) or the province's cities (below that).
    """
    path = region_path(ds, adcode)
    children = child_codes(ds, adcode)
    selected = None if children else adcode
    if children:
        shown = children
    elif len(path) > 1:
        shown = child_codes(ds, path[-2])
    else:
        shown = [c for c in MAP_PROVINCES if c in ds.region_table.index] + [adcode]
    # The region and the regions clicked on are drawn for the zoom the map opens at (a county
    # page at zoom 9-10 needs finer outlines than the 9+2 at zoom 5); the grey context keeps
    # the fixed settings, which keeps the map within its byte budget.
    if len(path) == 1:
        context = display_of(ds, [*MAP_PROVINCES, adcode])
    else:
        context = display_of(ds, child_codes(ds, path[0]))
    first = RegionLayers(display_of(ds, shown), context, display_of(ds, [adcode]), selected)
    zoom = display.view_zoom(region_bounds(first))
    return RegionLayers(
        clickable=display_of(ds, shown, zoom),
        context=context,
        focus=display_of(ds, [adcode], zoom),
        selected=selected,
    )


def region_bounds(layers: RegionLayers) -> list[list[float]]:
    """[[south, west], [north, east]] to fit the map to the region (WGS84), with room on the
    east for the legend so that it does not cover the region."""
    (south, west), (north, east) = fit_bounds(
        layers.focus if not layers.focus.empty else layers.clickable
    )
    # and a little at the bottom, where the scale and the attribution line sit
    return [[south - (north - south) * 0.04, west], [north, east + (east - west) * LEGEND_ROOM]]


# --- Measures ------------------------------------------------------------------------------


def _descendants(ds: Dataset, adcode: str) -> pd.DataFrame:
    """``adcode`` and every region inside it, one row each (column ``adcode``)."""
    anc = ds.ancestors
    # 香港's districts list 810000 both as their province and as their city: drop the repeat.
    return anc.loc[anc["ancestor"] == adcode, ["adcode"]].drop_duplicates(ignore_index=True)


def _strict_ancestors(ds: Dataset, adcode: str) -> list[str]:
    anc = ds.ancestors
    rows = anc[(anc["adcode"] == adcode) & (anc["ancestor"] != adcode)]
    return list(dict.fromkeys(rows["ancestor"]))


def measure_links(ds: Dataset, adcode: str) -> pd.DataFrame:
    """How each measure touches region ``adcode``: one row per (measure, link, via, how).

    Returns
    -------
    pandas.DataFrame
        Columns ``measure, link (text|unit|project), via`` (place name, unit name or project
        id), ``how`` (see the module docstring) and ``where``: the adcodes actually linked
        (the smaller regions for ``inside``, the larger one for ``larger``, else ``adcode``).
        Sorted by measure, then link kind. Cached on the dataset per region (a copy is
        returned).
    """
    return ds.memo(
        ("region_view", "measure_links", adcode), lambda: _measure_links(ds, adcode)
    ).copy()


def _measure_links(ds: Dataset, adcode: str) -> pd.DataFrame:
    kinds = {p.name: p.kind for p in ds.gazetteer}
    inner = ds.region_links.merge(
        _descendants(ds, adcode), on="adcode", how="inner", validate="many_to_one"
    )
    rows = []
    for (measure, link, via), group in inner.groupby(["measure", "link", "via"], sort=False):
        if (group["adcode"] == adcode).any():
            if link == "name":
                how = "in_project_name"
            elif link == "text":
                how = {"group": "group", "feature": "feature"}.get(kinds.get(via, ""), "named")
            else:
                how = "own_unit" if link == "unit" else "crosses"
            where = (adcode,)
        else:
            how = "crosses" if link == "project" else "inside"
            where = tuple(sorted(set(group["adcode"])))
        rows.append((int(measure), link, via, how, where))
    touching = {r[0] for r in rows}
    ancestors = _strict_ancestors(ds, adcode)
    outer = ds.region_links[
        ds.region_links["adcode"].isin(set(ancestors))
        & ds.region_links["link"].isin({"text", "name", "unit"})
        & ~ds.region_links["measure"].isin(touching)
    ]
    for (measure, link, via), group in outer.groupby(["measure", "link", "via"], sort=False):
        rows.append((int(measure), link, via, "larger", tuple(sorted(set(group["adcode"])))))
    frame = pd.DataFrame(rows, columns=LINK_COLUMNS)
    order = {k: i for i, k in enumerate(LINK_KINDS)}
    return frame.sort_values(
        ["measure", "link"],
        key=lambda s: s.map(order) if s.name == "link" else s,
        ignore_index=True,
    )


def touching_measures(links: pd.DataFrame) -> list[int]:
    """The measures that touch the region (any link but ``larger``), in plan order."""
    return sorted(set(links.loc[links["how"] != "larger", "measure"]))


def _via_label(ds: Dataset, link: str, via: str, lang: str) -> str:
    if link == "unit":
        return ds.unit_name(via, lang)
    if link == "project":
        match = ds.projects[ds.projects["id"] == via]
        return project_name(match.iloc[0].to_dict(), lang) if len(match) else via
    if lang == "en":
        names = {p.name: p.name_en for p in ds.gazetteer}
        return f"{via} ({names[via]})" if via in names and names[via] != via else via
    return via


def how_label(ds: Dataset, how: str, where: Sequence[str], lang: str) -> str:
    """The precision note of one link, e.g. "through a smaller region inside it: 寻乌县"."""
    if how in ("inside", "larger"):
        names = ", ".join(ds.region_name(c, lang) for c in where)
        return t(f"how_{how}", lang, regions=names)
    return t(f"how_{how}", lang)


def measure_link_tables(ds: Dataset, adcode: str, lang: str) -> dict[str, pd.DataFrame]:
    """The measures touching ``adcode`` as display tables, one per way of touching.

    Returns
    -------
    dict
        ``text``, ``unit``, ``project`` and ``larger`` (only through a larger region) → a
        DataFrame with headers in ``lang``: measure, title, via (what links it), precision.
        Rows of one measure and one precision are merged, their vias joined. Cached on the
        dataset per (region, language); copies are returned.
    """
    tables = ds.memo(
        ("region_view", "measure_link_tables", adcode, lang),
        lambda: _measure_link_tables(ds, adcode, lang),
    )
    return {name: table.copy() for name, table in tables.items()}


def _measure_link_tables(ds: Dataset, adcode: str, lang: str) -> dict[str, pd.DataFrame]:
    links = measure_links(ds, adcode)
    columns = [t("measure", lang), t("title", lang), t("via", lang), t("precision", lang)]
    tables = {}
    for key in (*TABLE_LINKS, "larger"):
        subset = (
            links[links["how"] == "larger"]
            if key == "larger"
            else links[links["link"].isin(TABLE_LINKS[key]) & (links["how"] != "larger")]
        )
        rows = []
        for (measure, how), group in subset.groupby(["measure", "how"], sort=False):
            where = tuple(sorted({c for w in group["where"] for c in w}))
            rows.append(
                {
                    columns[0]: measure_link(measure_label(int(measure), lang), int(measure), lang),
                    columns[1]: ds.measure_title(int(measure), lang),
                    columns[2]: "; ".join(
                        dict.fromkeys(
                            _via_label(ds, link, via, lang)
                            for link, via in zip(group["link"], group["via"], strict=True)
                        )
                    ),
                    columns[3]: how_label(ds, str(how), where, lang),
                }
            )
        tables[key] = pd.DataFrame(rows, columns=columns)
    return tables


# --- Units ---------------------------------------------------------------------------------


def region_units(ds: Dataset, adcode: str, lang: str) -> pd.DataFrame:
    """The responsible units tied to ``adcode``: its own government, those of regions inside
    it, the government of a larger region containing it, and "有关设区市政府" (the plan does not
    say which cities) for Jiangxi and its cities and counties.

    Returns a display DataFrame (headers in ``lang``): unit, region, relation, measures led.
    """
    inside = set(_descendants(ds, adcode)["adcode"])
    above = set(_strict_ancestors(ds, adcode))
    in_jiangxi = adcode == constants.JIANGXI or constants.JIANGXI in above
    rows = []
    for unit in ds.units.to_dict("records"):
        code = unit["adcode"]
        if code and code == adcode:
            relation = "unit_own"
        elif code and code in inside:
            relation = "unit_inside"
        elif code and code in above:
            relation = "unit_larger"
        elif unit["kind"] == "city_government_group" and in_jiangxi:
            relation = "unit_group"
        else:
            continue
        led = [m.number for m in ds.plan.measures if unit["name_zh"] in m.units]
        rows.append(
            {
                t("unit", lang): ds.unit_name(unit["name_zh"], lang),
                t("region", lang): ds.region_name(code, lang) if code else "—",
                t("relation", lang): t(relation, lang),
                t("leads", lang): ", ".join(measure_label(n, lang) for n in led),
            }
        )
    return pd.DataFrame(rows, columns=[t(k, lang) for k in ("unit", "region", "relation", "leads")])
