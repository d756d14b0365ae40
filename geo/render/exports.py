"""Every export of a view, by format name: what the briefing page's buttons and the CLI call.

``export_view(ds, view, fmt, lang)`` returns the finished bytes, a file name and a MIME type;
nothing is written here, so a caller can write atomically or hand the bytes to a download
button. Formats: ``png`` (slide, 1920×1080), ``png-a4`` (A4 landscape, 300 dpi), ``pptx``,
``html`` (offline interactive map), ``csv`` (measures and projects, UTF-8 with BOM) and
``geojson``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from geo.analysis.views import View, view_selection
from geo.core.dataset import Dataset
from geo.core.i18n import t, term
from geo.core.plan import to_cn_numeral
from geo.present import records
from geo.present.formats import is_blank, localized
from geo.present.labels import project_name
from geo.present.sources import source_lines

FORMATS = ("png", "png-a4", "pptx", "html", "csv", "geojson")
MIME = {
    "png": "image/png",
    "png-a4": "image/png",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "html": "text/html",
    "csv": "text/csv",
    "geojson": "application/geo+json",
}
EXTENSIONS = {
    "png": "png",
    "png-a4": "png",
    "pptx": "pptx",
    "html": "html",
    "csv": "csv",
    "geojson": "geojson",
}
CSV_COLUMNS = [
    "record",
    "id",
    "number_zh",
    "section",
    "section_title",
    "title",
    "units",
    "places",
    "kind",
    "status",
    "status_date",
    "opened_date",
    "confidence",
    "measures",
    "projects",
    "reported_length_km",
    "length_km",
    "precision",
    "status_source",
    "text",
]


@dataclass(frozen=True)
class ExportFile:
    """Finished export: the bytes, a file name and a MIME type."""

    data: bytes
    filename: str
    mime: str


def csv_cell(value: object) -> str:
    """A value as the CSV writes it: whole numbers without a decimal point (``2``, ``1176``),
    other numbers as they are (``436.37``), nothing as an empty cell."""
    if is_blank(value):
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, np.integer, np.floating)):
        number = float(value)
        return str(int(number)) if number.is_integer() else repr(number)
    return str(value)


def _sources_cell(cell: object, lang: str) -> str:
    """A source cell in ``lang``: ``label · publisher · date url`` items joined by ``" | "``."""
    return " | ".join(f"{text} {url}" if url else text for text, url in source_lines(cell, lang))


def _measure_row(rec: dict[str, Any], lang: str) -> dict[str, object]:
    en = lang == "en"
    return {
        "record": "measure",
        "id": rec["number"],
        "number_zh": "" if en else rec["number_zh"],
        "section": rec["section"],
        "section_title": rec["section_title_en" if en else "section_title"],
        "title": rec["title_en" if en else "title"],
        "units": ";".join(rec["units_en" if en else "units"]),
        "places": ";".join(p["name_en" if en else "name"] or p["name"] for p in rec["places"]),
        "projects": ";".join(rec["projects"]),
        "text": rec["text_en" if en else "text"],  # English: our unofficial translation
    }


def _project_row(row: dict[str, Any], lang: str) -> dict[str, object]:
    return {
        "record": "project",
        "id": row["id"],
        "title": project_name(row, lang),
        "kind": term("kind", str(row["kind"]), lang),
        "status": term("status", str(row["status"]), lang),
        "status_date": row["status_date"],
        "opened_date": row["opened_date"],
        "confidence": term("confidence", str(row["confidence"]), lang),
        "measures": ";".join(
            str(n) if lang == "en" else f"({to_cn_numeral(n)})" for n in row["measures"]
        ),
        "reported_length_km": row.get("reported_length_km"),
        "length_km": None if is_blank(row.get("length_km")) else round(float(row["length_km"])),
        "precision": localized(row, "precision", lang),
        "status_source": _sources_cell(row["status_source"], lang),
    }


def data_table(ds: Dataset, view: View, lang: str = "zh") -> pd.DataFrame:
    """The view's measures then its projects as one flat table of text (``record`` says which).

    Titles, names, kinds, statuses, precision and sources are in ``lang`` (prose from the
    catalogue's ``_zh`` twins in Chinese); lists are joined with ``;``; whole numbers are
    written without a decimal point (:func:`csv_cell`). Measure rows carry the plan's full text
    of the measure (Chinese, the plan's own words); project rows the status, its dates,
    sources, confidence and the reported and derived lengths (km).
    """
    selection = view_selection(ds, view)
    rows: list[dict[str, object]] = [
        _measure_row(rec, lang) for rec in records.measure_records(ds, selection.measures)
    ]
    rows += [_project_row(row, lang) for row in selection.projects.to_dict("records")]
    return pd.DataFrame(rows, columns=CSV_COLUMNS).map(csv_cell)


def export_csv(ds: Dataset, view: View, lang: str = "zh") -> bytes:
    """:func:`data_table` as CSV bytes, UTF-8 with a BOM so Excel shows Chinese."""
    return records.csv_bytes(data_table(ds, view, lang))


def export_geojson(ds: Dataset, view: View, lang: str = "zh") -> bytes:
    """The view's projects (with geometry; unmapped ones null) and measures (null geometry).

    A FeatureCollection in WGS84 (RFC 7946). Every feature's properties carry
    ``feature_type`` (``project`` or ``measure``) and ``label`` (its name in ``lang``); the
    collection carries the view's ``name`` and ``title`` as foreign members.
    """
    selection = view_selection(ds, view)
    collection = records.project_features(ds, selection.projects["id"])
    labels = {row["id"]: project_name(row, lang) for row in selection.projects.to_dict("records")}
    features = []
    for feature in collection["features"]:
        props = {
            "feature_type": "project",
            "label": labels.get(feature["id"], ""),
            **feature["properties"],
        }
        features.append({**feature, "properties": props})
    for rec in records.measure_records(ds, selection.measures):
        props = {
            "feature_type": "measure",
            "label": (
                f"{rec['number']}. {rec['title_en']}"
                if lang == "en"
                else f"{rec['number_zh']} {rec['title']}"
            ),
            "number": rec["number"],
            "section": rec["section"],
            "title": rec["title"],
            "title_en": rec["title_en"],
            "units": rec["units"],
            "places": [p["name"] for p in rec["places"]],
            "projects": rec["projects"],
            "regions": rec["regions"],
        }
        features.append(
            {
                "type": "Feature",
                "id": f"measure-{rec['number']}",
                "properties": props,
                "geometry": None,
            }
        )
    document = {
        "type": "FeatureCollection",
        "name": view.name,
        "title": view.title(lang),
        "features": features,
    }
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def export_view(ds: Dataset, view: View, fmt: str, lang: str = "zh") -> ExportFile:
    """Make the export ``fmt`` of ``view`` in ``lang``.

    Raises
    ------
    ValueError
        For an unknown format or language.
    geo.render.fonts.MissingFontError
        For png, png-a4 and pptx when no font draws the Chinese text.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
    if lang not in ("zh", "en"):
        raise ValueError(f"unknown language {lang!r}; zh or en")
    if fmt in ("png", "png-a4"):
        from geo.render.export_png import export_png

        data = export_png(ds, view, lang, size="a4" if fmt == "png-a4" else "slide")
    elif fmt == "pptx":
        from geo.render.export_pptx import export_pptx

        data = export_pptx(ds, view, lang)
    elif fmt == "html":
        from geo.render.export_html import export_html

        data = export_html(ds, view, lang)
    elif fmt == "csv":
        data = export_csv(ds, view, lang)
    else:
        data = export_geojson(ds, view, lang)
    suffix = "-a4" if fmt == "png-a4" else ""
    return ExportFile(data, f"{export_stem(view, lang)}{suffix}.{EXTENSIONS[fmt]}", MIME[fmt])


def export_stem(view: View, lang: str) -> str:
    """``pprd-briefing-transport-zh``: an ASCII file name stem for a view's exports."""
    return f"pprd-briefing-{view.name}-{lang}"


def format_label(fmt: str, lang: str) -> str:
    """The button label of a format in ``lang``."""
    key = {
        "png": "export_png",
        "png-a4": "export_png_a4",
        "pptx": "export_pptx",
        "html": "export_html",
        "csv": "export_csv",
        "geojson": "export_geojson",
    }[fmt]
    return t(key, lang)
