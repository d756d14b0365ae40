"""Where the dataset lives.

The data directory defaults to ``data/`` beside this package; the environment variable
``PPRD_DATA_DIR`` points the whole app and CLI at another copy (a hostile test copy, a newer
dataset) without code changes.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parents[2]
DEFAULT_DATA_DIR = REPO_DIR / "data"
DATA_DIR_ENV = "PPRD_DATA_DIR"

PLAN_FILE = "plan/jiangxi_pprd_plan_2016.txt"
PLAN_META_FILE = "plan/plan_meta.json"
GAZETTEER_FILE = "gazetteer.csv"
UNITS_FILE = "units.csv"
PLAN_EN_FILE = "plan/plan_en.csv"
MEASURES_EN_FILE = "plan/measures_en.csv"
PROJECTS_FILE = "projects.csv"
WAYPOINTS_FILE = "waypoints.csv"
BOUNDARY_FILES = {
    "province": "boundaries/provinces.geojson",
    "city": "boundaries/cities.geojson",
    "county": "boundaries/counties.geojson",
}
DASHLINE_FILE = "boundaries/south_china_sea_dashline.geojson"


def data_dir() -> Path:
    """Return the active data directory (``$PPRD_DATA_DIR`` or the repo's ``data/``)."""
    override = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(override).expanduser().resolve() if override else DEFAULT_DATA_DIR


def data_path(relative: str, root: Path | None = None) -> Path:
    """Return the path of a dataset file under ``root`` (default: :func:`data_dir`)."""
    return (root or data_dir()) / relative
