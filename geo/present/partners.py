"""The partners page's tables in a language: links per partner, one partner's projects and
measures. Projects are named as on the map (:func:`geo.present.labels.project_name`)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from geo.analysis import display
from geo.analysis.partners import (
    partner_measures,
    partner_options,
    partner_projects,
    partner_summary,
)
from geo.core.constants import JIANGXI
from geo.core.dataset import Dataset
from geo.core.geometry import fit_bounds
from geo.core.i18n import t, term
from geo.present.labels import measure_label, place_as_written, project_name


def partner_table(ds: Dataset, lang: str) -> pd.DataFrame:
    """The summary per partner with headers in ``lang``: counts and the projects by name."""
    summary = partner_summary(ds)
    names = {r["id"]: project_name(r, lang) for r in ds.projects.to_dict("records")}
    sep = "; " if lang == "en" else ";"
    return pd.DataFrame(
        {
            t("partner", lang): summary["name_en" if lang == "en" else "name_zh"].to_numpy(),
            t("n_links", lang): summary["links"].to_numpy(),
            t("specific_measures", lang): summary["specific_measures"].to_numpy(),
            t("corridor_projects", lang): summary["corridors"].to_numpy(),
            t("other_projects", lang): summary["other_projects"].to_numpy(),
            t("whole_measures", lang): summary["whole_measures"].to_numpy(),
            t("projects", lang): [sep.join(names[p] for p in ps) for ps in summary["projects"]],
            t("measures", lang): [", ".join(str(n) for n in ns) for ns in summary["measures"]],
        }
    )


def link_strength(ds: Dataset, lang: str) -> pd.DataFrame:
    """Specific measures, corridors and other projects per partner, by name, most links first."""
    summary = partner_summary(ds)
    frame = pd.DataFrame(
        {
            t("specific_measures", lang): summary["specific_measures"].to_numpy(),
            t("corridor_projects", lang): summary["corridors"].to_numpy(),
            t("other_projects", lang): summary["other_projects"].to_numpy(),
        },
        index=summary["name_en" if lang == "en" else "name_zh"].to_numpy(),
    )
    order = (-summary["links"]).argsort(kind="stable")
    return frame.iloc[order]


def partner_projects_table(ds: Dataset, partner: str, lang: str) -> pd.DataFrame:
    """The corridors and other projects of ``partner``: name, link, kind, status (in ``lang``)."""
    rows = []
    for r in partner_projects(ds, partner).to_dict("records"):
        rows.append(
            {
                t("projects", lang): project_name(r, lang),
                t("link", lang): term("partner_link", r["link"], lang),
                t("kind", lang): term("kind", r["kind"], lang),
                t("status", lang): term("status", r["status"], lang),
                t("status_date", lang): r["status_date"],
                t("confidence", lang): term("confidence", r["confidence"], lang),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            t(k, lang) for k in ("projects", "link", "kind", "status", "status_date", "confidence")
        ],
    )


def partner_measures_table(
    ds: Dataset, partner: str, lang: str, link: str = "text"
) -> pd.DataFrame:
    """The measures linking ``partner`` by ``link`` (``text`` or ``whole``), titles in ``lang``."""
    frame = partner_measures(ds, partner)
    frame = frame[frame["link"] == link]
    rows = [
        {
            t("measure", lang): measure_label(n, lang),
            t("title", lang): ds.measure_title(n, lang),
            t("section", lang): ds.section_title(ds.plan.measure(n).section, lang),
            t("named_as", lang): place_as_written(ds, via, lang),
        }
        for n, via in zip(frame["measure"], frame["via"], strict=True)
    ]
    return pd.DataFrame(
        rows, columns=[t(k, lang) for k in ("measure", "title", "section", "named_as")]
    )


@dataclass(frozen=True)
class PartnerMapFrames:
    """What the partners map draws (display geometry, EPSG:4326)."""

    partners: gpd.GeoDataFrame  # the ten partners, clickable
    around: gpd.GeoDataFrame  # the other provinces, grey
    home: gpd.GeoDataFrame  # Jiangxi
    projects: gpd.GeoDataFrame  # corridors (and, for one partner, its other projects)
    focus: list[list[float]] | None  # Jiangxi and the partner, or None for the whole view


def partner_map_frames(ds: Dataset, partner: str | None) -> PartnerMapFrames:
    """The layers of the partners map, for all partners or one."""
    options = partner_options(ds)
    provinces = display.display_regions(ds, "province")
    focus = None
    if partner is not None:
        focus = fit_bounds(display.display_regions(ds, "province", (JIANGXI, partner)))
    links = ("corridor",) if partner is None else ("corridor", "project")
    return PartnerMapFrames(
        partners=provinces[provinces["adcode"].isin(options)],
        around=provinces[~provinces["adcode"].isin([*options, JIANGXI])],
        home=display.display_regions(ds, "province", (JIANGXI,)),
        projects=partner_projects(ds, partner, links),
        focus=focus,
    )
