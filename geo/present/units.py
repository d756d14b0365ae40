"""The units page's tables in a language: every responsible unit, and one unit's measures."""

from __future__ import annotations

import pandas as pd

from geo.analysis.units import unit_measures, unit_summary
from geo.core.dataset import Dataset
from geo.core.i18n import t, term
from geo.present.formats import Marked
from geo.present.labels import measure_label, section_heading


def unit_table(ds: Dataset, lang: str) -> pd.DataFrame:
    """:func:`unit_summary` as the page shows it: headers, names and kinds in ``lang``."""
    summary = unit_summary(ds)
    sep = "; " if lang == "en" else "、"
    by_name = {p.name: p.name_en for p in ds.gazetteer}
    return pd.DataFrame(
        {
            t("unit", lang): [ds.unit_name(u, lang) for u in summary["name_zh"]],
            t("unit_kind", lang): [term("unit_kind", k, lang) for k in summary["kind"]],
            t("n_led", lang): summary["n_measures"].to_numpy(),
            t("measures", lang): [", ".join(map(str, ns)) for ns in summary["measures"]],
            t("sections", lang): [", ".join(map(str, ss)) for ss in summary["sections"]],
            t("own_city", lang): [ds.region_name(c, lang) if c else "" for c in summary["adcode"]],
            t("n_cities", lang): summary["n_cities"].to_numpy(),
            t("places_named", lang): [
                sep.join(by_name.get(p, p) if lang == "en" else p for p in ps)
                for ps in summary["places"]
            ],
        }
    )


def unit_measures_table(ds: Dataset, unit: str, lang: str) -> pd.DataFrame:
    """The measures ``unit`` is responsible for: number, title, section, every responsible
    unit of the measure (``unit`` marked, :class:`Marked`) and where ``unit`` stands in the
    plan's list (listing order: the plan names no lead unit)."""
    rows = []
    for n in unit_measures(ds, unit):
        m = ds.plan.measure(n)
        parts = tuple((ds.unit_name(u, lang), u == unit) for u in m.units)
        rows.append(
            {
                t("measure", lang): measure_label(n, lang),
                t("title", lang): ds.measure_title(n, lang),
                t("section", lang): section_heading(ds, m.section, lang),
                t("units", lang): Marked(parts, "; " if lang == "en" else "、"),
                t("listing_order", lang): f"{m.units.index(unit) + 1} / {len(m.units)}",
            }
        )
    keys = ("measure", "title", "section", "units", "listing_order")
    return pd.DataFrame(rows, columns=[t(k, lang) for k in keys])
