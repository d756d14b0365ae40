"""What the projects page shows: option lists, the project table, the unmapped list, one project.

Pure functions of a :class:`geo.core.dataset.Dataset` (no Streamlit). Tables come back with their
column headers in the chosen language, ready for ``st.dataframe`` (which never renders markup).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.analysis import filters
from geo.core.constants import LEVELS
from geo.core.dataset import Dataset
from geo.core.geometry import has_geometry, is_drawable
from geo.core.i18n import t, term
from geo.present.formats import PageLink, fmt_number, is_blank, localized, project_link
from geo.present.labels import measure_label, project_name, region_path_label, stage_label
from geo.present.sources import source_lines, sources_text

# Every field of a project the detail view lists, in order, with its i18n label key.
DETAIL_FIELDS = (
    ("id", "field_id"),
    ("name_plan", "field_name_plan"),
    ("name_zh", "field_name_zh"),
    ("name_en", "field_name_en"),
    ("kind", "kind"),
    ("type_detail", "field_type_detail"),
    ("plan_stage", "plan_stage"),
    ("plan_quote", "field_plan_quote"),
    ("status", "status"),
    ("status_detail", "field_status_detail"),
    ("status_date", "status_date"),
    ("opened_date", "field_opened_date"),
    ("status_source", "source"),
    ("confidence", "confidence"),
    ("status_note", "field_status_note"),
    ("reported_length_km", "reported_length_km"),
    ("length_note", "field_length_note"),
    ("length_source", "field_length_source"),
    ("length_confidence", "field_length_confidence"),
    ("length_km", "length_km"),
    ("geometry_kind", "field_geometry_kind"),
    ("precision", "precision"),
    ("unmapped_reason", "unmapped_reason"),
)
_VOCAB_FIELDS = {
    "kind": "kind",
    "status": "status",
    "confidence": "confidence",
    "length_confidence": "confidence",
    "geometry_kind": "geometry_kind",
    "plan_stage": "plan_stage",
}
# Prose the data carries in both languages (``field`` in English, ``field_zh`` in Chinese).
_TEXT_FIELDS = frozenset(
    {"type_detail", "status_detail", "status_note", "length_note", "precision", "unmapped_reason"}
)
_SOURCE_FIELDS = frozenset({"status_source", "length_source"})
_NUMBER_FIELDS = frozenset({"reported_length_km", "length_km"})


def year_range(today: date | None = None) -> range:
    """The years the year slider offers: 2016 (the plan) to the current year, inclusive."""
    last = (today or date.today()).year
    return range(filters.FIRST_YEAR, max(last, filters.FIRST_YEAR) + 1)


def region_filter_options(ds: Dataset) -> list[str]:
    """Adcodes the "region crossed" filter offers: every province, and every city and county
    some project crosses; sorted by adcode, so each province is followed by its cities and
    counties."""
    crossed = set(ds.project_regions["adcode"])
    provinces = set(ds.regions["province"]["adcode"])
    return sorted(provinces | (crossed & set(ds.region_table.index)))


def region_filter_labels(ds: Dataset, lang: str) -> dict[str, str]:
    """adcode → ``江西省 › 赣州市`` for every :func:`region_filter_options` choice (cached)."""
    return ds.memo(
        ("project_view_region_labels", lang),
        lambda: {c: region_path_label(ds, c, lang) for c in region_filter_options(ds)},
    )


def measure_options(ds: Dataset) -> list[int]:
    """The measures that name at least one project (the measure filter's options)."""
    return sorted(set(int(n) for n in ds.measure_projects["measure"]))


def kind_options(ds: Dataset) -> list[str]:
    """Project kinds in the catalogue, most frequent first."""
    return ds.projects["kind"].value_counts().index.tolist()


def status_options(ds: Dataset) -> list[str]:
    """Project statuses in the catalogue, most frequent first."""
    return ds.projects["status"].value_counts().index.tolist()


def field_text(row: dict[str, object], column: str, lang: str) -> str:
    """One catalogue field of a project as the detail view shows it in ``lang`` (``""`` if
    empty): vocabularies translated, prose in the language, sources as label · publisher ·
    date, numbers as written."""
    value = row.get(column)
    if is_blank(value):
        return ""
    if column in _NUMBER_FIELDS:
        return fmt_number(value, 0 if column == "length_km" else None)
    if column in _TEXT_FIELDS:
        return localized(row, column, lang)
    if column in _SOURCE_FIELDS:
        return sources_text(value, lang)
    if column == "plan_stage":
        return stage_label(str(value), lang)
    if column in _VOCAB_FIELDS:
        return term(_VOCAB_FIELDS[column], str(value), lang)
    return str(value)


def projects_table(ds: Dataset, frame: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """The filtered projects as the page lists them, headers in ``lang``.

    Columns: name, kind, status, status date, plan stage (the plan's own words), measures,
    reported length, length derived from the waypoints, confidence, and whether it is on the map.
    """
    rows = []
    for row in frame.to_dict("records"):
        geom = row["geometry"]
        rows.append(
            {
                t("field_name", lang): project_name(row, lang),
                t("kind", lang): term("kind", row["kind"], lang),
                t("status", lang): term("status", row["status"], lang),
                t("status_date", lang): row["status_date"],
                t("plan_stage", lang): stage_label(row["plan_stage"], lang),
                t("measures", lang): ", ".join(measure_label(n, lang) for n in row["measures"]),
                t("reported_length_km", lang): fmt_number(row["reported_length_km"]),
                t("length_km", lang): fmt_number(row["length_km"], 0),
                t("confidence", lang): term("confidence", row["confidence"], lang),
                t("on_map", lang): t("yes", lang) if is_drawable(geom) else t("no", lang),
            }
        )
    columns = [
        t(k, lang)
        for k in (
            "field_name",
            "kind",
            "status",
            "status_date",
            "plan_stage",
            "measures",
            "reported_length_km",
            "length_km",
            "confidence",
            "on_map",
        )
    ]
    return pd.DataFrame(rows, columns=columns)


def unmapped_table(ds: Dataset, frame: gpd.GeoDataFrame, lang: str) -> pd.DataFrame:
    """The projects of ``frame`` that are not on the map, each with the catalogue's reason."""
    rows = [
        {
            t("field_name", lang): project_name(row, lang),
            t("kind", lang): term("kind", row["kind"], lang),
            t("status", lang): term("status", row["status"], lang),
            t("unmapped_reason", lang): localized(row, "unmapped_reason", lang)
            or t("no_reason", lang),
        }
        for row in frame[~has_geometry(frame)].to_dict("records")
    ]
    return pd.DataFrame(
        rows, columns=[t(k, lang) for k in ("field_name", "kind", "status", "unmapped_reason")]
    )


def _project_row(ds: Dataset, project_id: str) -> dict[str, Any]:
    """The catalogue row of ``project_id`` as a dict; ``KeyError`` if there is none."""
    match = ds.projects[ds.projects["id"] == project_id]
    if match.empty:
        raise KeyError(project_id)
    return match.iloc[0].to_dict()


def project_detail(ds: Dataset, project_id: str, lang: str) -> dict[str, object]:
    """Everything the page says about one project.

    Returns
    -------
    dict
        ``name`` (display name), ``fields`` (DataFrame: field, value — every catalogue field,
        empty ones left out), ``waypoints`` (DataFrame: the located and unlocated waypoints with
        their coordinate basis and confidence), ``measures`` (DataFrame: number and title of each
        measure naming it), ``regions`` (level → list of region names crossed) and
        ``indicative`` (provinces only its long straight legs reach: drawn, not counted).

    Raises
    ------
    KeyError
        If ``project_id`` is not in the catalogue.
    """
    row = _project_row(ds, project_id)
    fields = []
    for column, key in DETAIL_FIELDS:
        value = field_text(row, column, lang)
        if value:
            fields.append({t("field", lang): t(key, lang), t("value", lang): value})
    wp = ds.waypoints
    wp = wp[wp["project_id"] == project_id]
    waypoints = pd.DataFrame(
        {
            "#": wp["seq"].to_numpy(),
            t("field_name", lang): wp["name"].to_numpy(),
            t("located_in", lang): wp["located_in"].to_numpy(),
            t("coordinates", lang): [
                t("not_located", lang) if math.isnan(lat) else f"{lat:.3f}, {lon:.3f}"
                for lat, lon in zip(wp["lat"], wp["lon"], strict=True)
            ],
            t("coord_basis", lang): [
                localized(r, "coord_basis", lang) or r["coord_basis"] for r in wp.to_dict("records")
            ],
            t("confidence", lang): [term("confidence", c, lang) for c in wp["coord_confidence"]],
        }
    )
    measures = pd.DataFrame(
        [
            {
                t("measure", lang): measure_label(n, lang),
                t("title", lang): ds.measure_title(n, lang),
            }
            for n in row["measures"]
        ],
        columns=[t("measure", lang), t("title", lang)],
    )
    table = ds.region_table
    crossed = [c for c in row["regions"] if c in table.index]
    regions = {
        level: [ds.region_name(c, lang) for c in sorted(crossed) if table.at[c, "level"] == level]
        for level in LEVELS
    }
    indicative = [
        ds.region_name(c, lang)
        for c in row.get("regions_indicative", [])
        if c in table.index and table.at[c, "level"] == "province"
    ]
    return {
        "name": project_name(row, lang),
        "fields": pd.DataFrame(fields),
        "waypoints": waypoints,
        "measures": measures,
        "regions": regions,
        "indicative": indicative,
    }


# What the card beside a map says about a clicked project, in order.
CARD_FIELDS = (
    ("kind", "kind"),
    ("status", "status"),
    ("status_date", "status_date"),
    ("opened_date", "field_opened_date"),
    ("status_detail", "field_status_detail"),
    ("reported_length_km", "reported_length_km"),
    ("length_km", "length_km"),
    ("length_note", "field_length_note"),
    ("precision", "precision"),
    ("confidence", "confidence"),
)


@dataclass(frozen=True)
class ProjectCard:
    """The short account of one project shown beside a map (see :func:`project_card`)."""

    name: str
    rows: list[tuple[str, str]]  # (label, text), empty fields left out
    sources: list[tuple[str, str | None]]  # (label · publisher · date, url)
    link: PageLink  # the projects page, opening it in full


def project_card(ds: Dataset, project_id: str, lang: str) -> ProjectCard:
    """The short account of one project shown beside a map when it is clicked: kind, status,
    dates, status detail, lengths, precision, confidence and sources, in ``lang``.

    Raises
    ------
    KeyError
        If ``project_id`` is not in the catalogue.
    """
    row = _project_row(ds, project_id)
    rows = [(t(key, lang), field_text(row, column, lang)) for column, key in CARD_FIELDS]
    return ProjectCard(
        name=project_name(row, lang),
        rows=[(label, text) for label, text in rows if text],
        sources=source_lines(row["status_source"], lang),
        link=project_link(t("full_details", lang), project_id, lang),
    )


@dataclass(frozen=True)
class ProjectFilters:
    """The projects page's facets (an empty one passes all). The lists chosen are kept as
    tuples, so that equal choices make equal, hashable filters (a key of the page's map)."""

    kinds: Sequence[str] = ()
    statuses: Sequence[str] = ()
    stages: Sequence[str] = ()
    measures: Sequence[int] = ()
    region: str | None = None
    year: int | None = None
    open_only: bool = False

    def __post_init__(self) -> None:
        for name in ("kinds", "statuses", "stages", "measures"):
            object.__setattr__(self, name, tuple(getattr(self, name)))


@dataclass(frozen=True)
class ProjectsView:
    """What the projects page draws and counts for a choice of facets."""

    shown: gpd.GeoDataFrame  # every project passing the facets
    on_map: gpd.GeoDataFrame  # those with a geometry
    not_yet: set[str]  # ids not yet open by the end of the year chosen (drawn faded)
    faded: int  # how many of ``on_map`` are faded
    hidden: int  # how many "open only" hides


def _passing(
    ds: Dataset, chosen: ProjectFilters, year: int | None, open_only: bool
) -> gpd.GeoDataFrame:
    return filters.filter_projects(
        ds,
        kinds=chosen.kinds,
        statuses=chosen.statuses,
        stages=chosen.stages,
        measures=chosen.measures,
        region=chosen.region,
        year=year,
        open_only=open_only,
    )


def projects_view(ds: Dataset, chosen: ProjectFilters) -> ProjectsView:
    """Filter the catalogue once for the page (and once without "open only" to say how many
    that hides)."""
    shown = _passing(ds, chosen, chosen.year, chosen.open_only)
    hidden = len(_passing(ds, chosen, None, False)) - len(shown) if chosen.open_only else 0
    on_map = shown[has_geometry(shown)]
    last_year = chosen.year if chosen.year is not None else year_range()[-1]
    not_yet = set(filters.not_open_in(ds, last_year))
    return ProjectsView(
        shown=shown,
        on_map=on_map,
        not_yet=not_yet,
        faded=int(on_map["id"].isin(not_yet).sum()),
        hidden=hidden,
    )
