"""The responsible units (责任单位): their English names, kinds and, for governments, regions."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from geo import paths
from geo.errors import DataError
from geo.i18n import t, term
from geo.joins import links_at_level
from geo.plan import to_cn_numeral
from geo.tables import LINE, read_table

if TYPE_CHECKING:  # geo.dataset imports this module
    from geo.dataset import Dataset

UNIT_KINDS = ("provincial_department", "department_group", "central_agency", "state_enterprise",
              "mass_organisation", "city_government", "city_government_group")
COLUMNS = ("name_zh", "name_en", "kind", "adcode")


def load_units(root: Path | None = None) -> pd.DataFrame:
    """Read and check ``units.csv``.

    Parameters
    ----------
    root : Path, optional
        The data directory (default :func:`geo.paths.data_dir`).

    Returns
    -------
    pandas.DataFrame
        Columns ``name_zh, name_en, kind, adcode`` (``adcode`` empty unless the unit is a city
        government) and ``_line``.

    Raises
    ------
    DataError
        Naming file and row: unknown kind, malformed adcode, a city government without an adcode.
    """
    path = paths.data_path(paths.UNITS_FILE, root)
    frame = read_table(path, COLUMNS, key="name_zh")
    for row in frame.to_dict("records"):
        where = f"{path}, row {row[LINE]}"
        if row["kind"] not in UNIT_KINDS:
            raise DataError(f"{where}: unknown kind {row['kind']!r} "
                            f"(expected one of {', '.join(UNIT_KINDS)})")
        code = row["adcode"]
        if code and not (len(code) == 6 and code.isdigit()):
            raise DataError(f"{where}: malformed adcode {code!r} (6 digits expected)")
        if row["kind"] == "city_government" and not code:
            raise DataError(f"{where}: a city government needs its city's adcode")
        if not row["name_en"]:
            raise DataError(f"{where}: empty name_en")
    return frame


# --- Who leads what, and where ---------------------------------------------------------------

SUMMARY_COLUMNS = ["name_zh", "name_en", "kind", "adcode", "n_measures", "measures", "sections",
                   "places", "n_cities"]


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
    return ds.memo(("units", "summary"), lambda: _unit_summary(ds)).copy()


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
            ["measure", "start"])["name"]
        rows.append({
            "name_zh": unit,
            "name_en": str(info.at[unit, "name_en"]) if unit in info.index else unit,
            "kind": str(info.at[unit, "kind"]) if unit in info.index else "",
            "adcode": str(info.at[unit, "adcode"]) if unit in info.index else "",
            "n_measures": len(numbers),
            "measures": tuple(numbers),
            "sections": tuple(sorted({ds.plan.measure(n).section for n in numbers})),
            "places": tuple(dict.fromkeys(places)),
            "n_cities": int(city_links.loc[city_links["measure"].isin(numbers),
                                           "adcode"].nunique()),
        })
    frame = pd.DataFrame(rows, columns=SUMMARY_COLUMNS)
    frame = frame.sort_values("n_measures", ascending=False, kind="stable")
    return frame.set_index("name_zh", drop=False)


def unit_table(ds: Dataset, lang: str) -> pd.DataFrame:
    """:func:`unit_summary` as the page shows it: headers, names and kinds in ``lang``."""
    summary = unit_summary(ds)
    sep = "; " if lang == "en" else "、"
    by_name = {p.name: p.name_en for p in ds.gazetteer}
    return pd.DataFrame({
        t("unit", lang): [ds.unit_name(u, lang) for u in summary["name_zh"]],
        t("unit_kind", lang): [term("unit_kind", k, lang) for k in summary["kind"]],
        t("n_led", lang): summary["n_measures"].to_numpy(),
        t("measures", lang): [", ".join(map(str, ns)) for ns in summary["measures"]],
        t("sections", lang): [", ".join(map(str, ss)) for ss in summary["sections"]],
        t("own_city", lang): [ds.region_name(c, lang) if c else "" for c in summary["adcode"]],
        t("n_cities", lang): summary["n_cities"].to_numpy(),
        t("places_named", lang): [sep.join(by_name.get(p, p) if lang == "en" else p
                                           for p in ps) for ps in summary["places"]],
    })


def unit_measures_table(ds: Dataset, unit: str, lang: str) -> pd.DataFrame:
    """The measures ``unit`` leads: number, title and section in ``lang``, co-leading units."""
    rows = []
    for n in unit_measures(ds, unit):
        m = ds.plan.measure(n)
        others = [ds.unit_name(u, lang) for u in m.units if u != unit]
        rows.append({t("measure", lang): f"({to_cn_numeral(n)})",
                     t("title", lang): ds.measure_title(n, lang),
                     t("section", lang): f"{m.section}. {ds.section_title(m.section, lang)}",
                     t("units", lang): ("; " if lang == "en" else "、").join(others)})
    return pd.DataFrame(rows, columns=[t(k, lang) for k in ("measure", "title", "section",
                                                            "units")])
