"""What each responsible unit is responsible for, and where: pure functions of a dataset."""

from __future__ import annotations

import pandas as pd

from geo.analysis.joins import links_at_level
from geo.core.dataset import Dataset

SUMMARY_COLUMNS = [
    "name_zh",
    "name_en",
    "kind",
    "adcode",
    "n_measures",
    "measures",
    "sections",
    "places",
    "n_cities",
]


def unit_measures(ds: Dataset, unit: str) -> list[int]:
    """The measures ``unit`` (a ``name_zh``) is responsible for, in plan order."""
    return [m.number for m in ds.plan.measures if unit in m.units]


def unit_summary(ds: Dataset) -> pd.DataFrame:
    """Every responsible unit with what it leads and where.

    Units come from the unit table and from the measures (the dataset checks that every unit a
    measure names is in the table, so the two agree).

    Parameters
    ----------
    ds : Dataset

    Returns
    -------
    pandas.DataFrame
        One row per unit, most measures first (ties in unit-table order), indexed by
        ``name_zh``. Columns ``name_zh, name_en, kind, adcode`` (a city government's city, else
        empty), ``n_measures``, ``measures`` and ``sections`` (tuples of int), ``places`` (the
        names its measures' text writes, in order of first mention) and ``n_cities`` (how many
        cities its measures touch by text, unit or project, links lifted up the hierarchy).
    """
    return ds.memo(("units", "summary"), lambda: _unit_summary(ds))


def _unit_summary(ds: Dataset) -> pd.DataFrame:
    names = list(ds.units["name_zh"])
    for m in ds.plan.measures:
        names.extend(u for u in m.units if u not in names)
    info = ds.units.set_index("name_zh")
    city_links = links_at_level(ds.region_links, ds.ancestors, "city")
    rows = []
    for unit in names:
        numbers = unit_measures(ds, unit)
        places = ds.place_links[ds.place_links["measure"].isin(numbers)].sort_values(
            ["measure", "start"]
        )["name"]
        rows.append(
            {
                "name_zh": unit,
                "name_en": str(info.at[unit, "name_en"]) if unit in info.index else unit,
                "kind": str(info.at[unit, "kind"]) if unit in info.index else "",
                "adcode": str(info.at[unit, "adcode"]) if unit in info.index else "",
                "n_measures": len(numbers),
                "measures": tuple(numbers),
                "sections": tuple(sorted({ds.plan.measure(n).section for n in numbers})),
                "places": tuple(dict.fromkeys(places)),
                "n_cities": int(
                    city_links.loc[city_links["measure"].isin(numbers), "adcode"].nunique()
                ),
            }
        )
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    frame = frame.sort_values("n_measures", ascending=False, kind="stable")
    return frame.set_index("name_zh", drop=False)
