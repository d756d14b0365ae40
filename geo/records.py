"""The dataset as plain records: JSON, GeoJSON and CSV, for the CLI, the data page and exports."""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from typing import Any

import geopandas as gpd
import pandas as pd

from geo.dataset import Dataset
from geo.plan import to_cn_numeral

PROJECT_PROPERTIES = ["id", "name_plan", "name_zh", "name_en", "kind", "measures", "plan_stage",
                      "status", "status_detail", "status_date", "opened_date", "status_source",
                      "confidence", "precision", "length_km", "reported_length_km", "regions"]


def place_records(ds: Dataset, number: int) -> list[dict[str, Any]]:
    """The places a measure's text names, one record per place, in order of first mention."""
    links = ds.place_links[ds.place_links["measure"] == number]
    by_name = {p.name: p for p in ds.gazetteer}
    records = []
    for name in dict.fromkeys(links["name"]):
        place = by_name[name]
        single = place.kind in ("province", "city", "county")
        records.append({"name": name, "level": place.kind,
                        "adcode": place.adcodes[0] if single else None,
                        "adcodes": list(place.adcodes), "name_en": place.name_en,
                        "precision": place.precision, "confidence": place.confidence})
    return records


def measure_records(ds: Dataset, numbers: Iterable[int] | None = None) -> list[dict[str, Any]]:
    """One JSON-ready record per measure (all, or ``numbers`` in plan order).

    Keys: ``number, number_zh, section, section_title, section_title_en, title, title_en, text,
    units, units_en, places, projects, regions`` (``regions`` maps each link kind to adcodes).
    """
    wanted = None if numbers is None else set(numbers)
    records = []
    for m in ds.plan.measures:
        if wanted is not None and m.number not in wanted:
            continue
        links = ds.region_links[ds.region_links["measure"] == m.number]
        records.append({
            "number": m.number,
            "number_zh": f"({to_cn_numeral(m.number)})",
            "section": m.section,
            "section_title": ds.section_title(m.section, "zh"),
            "section_title_en": ds.section_title(m.section, "en"),
            "title": m.title,
            "title_en": ds.measure_title(m.number, "en"),
            "text": m.text,
            "units": list(m.units),
            "units_en": [ds.unit_name(u, "en") for u in m.units],
            "places": place_records(ds, m.number),
            "projects": ds.measure_projects.loc[ds.measure_projects["measure"] == m.number,
                                                "project_id"].tolist(),
            "regions": {kind: sorted(set(links.loc[links["link"] == kind, "adcode"]))
                        for kind in ("text", "unit", "project")},
        })
    return records


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
        features.append({"type": "Feature", "id": row["id"], "properties": props,
                         "geometry": None if geom is None or geom.is_empty
                         else geom.__geo_interface__})
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
        rows.append({**{k: r[k] for k in ("number", "section", "section_title", "title",
                                          "title_en", "text")},
                     "units": ";".join(r["units"]),
                     "places": ";".join(p["name"] for p in r["places"]),
                     "projects": ";".join(r["projects"])})
    return pd.DataFrame(rows)


def regions_geojson(regions: gpd.GeoDataFrame) -> str:
    """A level of boundaries as GeoJSON text (RFC 7946, WGS84)."""
    return regions.to_json(drop_id=True, ensure_ascii=False)


def dumps(obj: Any) -> str:
    """JSON text, UTF-8 characters kept, for CLI output and downloads."""
    return json.dumps(obj, ensure_ascii=False, indent=1)


CSV_ENCODING = "utf-8-sig"  # UTF-8 with a BOM: Excel then reads Chinese correctly


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """A table as CSV bytes, UTF-8 with a BOM (Excel opens Chinese), no index, ``\\n`` lines."""
    return frame.to_csv(index=False, lineterminator="\n").encode(CSV_ENCODING)
