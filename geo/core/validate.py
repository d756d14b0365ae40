"""Check the whole dataset and list every problem, each naming its file and row."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import geopandas as gpd
import pandas as pd

from geo.core import paths
from geo.core.boundaries import load_dashline, load_regions
from geo.core.catalogue import load_projects
from geo.core.constants import LEVELS
from geo.core.dataset import _read_meta, check_references, load_dataset
from geo.core.errors import DataError
from geo.core.fidelity import fidelity_problems
from geo.core.gazetteer import Place, find_places, load_gazetteer
from geo.core.geometry import is_drawable
from geo.core.plan import Plan, load_measure_texts_en, load_plan, load_plan_titles_en
from geo.core.units import load_units

T = TypeVar("T")


def _attempt(problems: list[str], func: Callable[..., T], *args: Any) -> T | None:
    try:
        return func(*args)
    except DataError as exc:
        problems.append(str(exc))
    except Exception as exc:  # an unexpected failure is still reported, never a traceback
        problems.append(f"{getattr(func, '__qualname__', func)}: {type(exc).__name__}: {exc}")
    return None


def validate(root: Path | None = None) -> tuple[list[str], list[str]]:
    """Validate the dataset in ``root``.

    Checks each file on its own (structure, columns, ids unique, values in range, geometry valid,
    CRS set, waypoints located or deliberately unlocated) and then every reference between files
    (adcodes, units, measures, project names in the text).

    Parameters
    ----------
    root : Path, optional
        The data directory (default :func:`geo.core.paths.data_dir`).

    Returns
    -------
    (problems, notes) : tuple of list of str
        ``problems`` make the dataset invalid; ``notes`` are things a reviewer should see (names
        in the text that look like places but are not in the gazetteer, unlocated waypoints).
    """
    root = root or paths.data_dir()
    if not root.is_dir():  # one clear line rather than every file "not found"
        return [f"{root}: data directory not found (see --data-dir or ${paths.DATA_DIR_ENV})"], []
    problems: list[str] = []
    notes: list[str] = []
    _attempt(problems, _read_meta, root)
    plan = _attempt(problems, load_plan, paths.data_path(paths.PLAN_FILE, root))
    if plan is not None:
        _attempt(problems, load_plan_titles_en, plan, root)
        _attempt(problems, load_measure_texts_en, plan, root)
    gazetteer = _attempt(problems, load_gazetteer, root)
    units = _attempt(problems, load_units, root)
    regions = {level: _attempt(problems, load_regions, level, root) for level in LEVELS}
    _attempt(problems, load_dashline, root)
    projects = None
    if all(f is not None for f in regions.values()):
        projects = _attempt(problems, lambda: load_projects(root, regions=regions))
    else:
        problems.append(
            f"{paths.data_path(paths.PROJECTS_FILE, root)}: not checked "
            "(the boundaries did not load)"
        )
    for level, frame in regions.items():
        if frame is None:
            continue
        path = paths.data_path(paths.BOUNDARY_FILES[level], root)
        if frame.crs is None or frame.crs.to_epsg() != 4326:
            problems.append(f"{path}: CRS is {frame.crs}, expected EPSG:4326")
        invalid = frame.index[~frame.geometry.is_valid].tolist()
        for i in invalid:
            problems.append(f"{path}, feature {i}: invalid geometry ({frame.at[i, 'adcode']})")
    if projects is not None:
        proj_path = paths.data_path(paths.PROJECTS_FILE, root)
        for row in projects.to_dict("records"):
            geom = row["geometry"]
            if geom is not None and not geom.is_valid:
                problems.append(f"{proj_path}, row {row['_line']}: {row['id']}: invalid geometry")
            if not is_drawable(geom) and not row.get("unmapped_reason"):
                problems.append(
                    f"{proj_path}, row {row['_line']}: {row['id']}: no geometry "
                    "and no unmapped_reason"
                )
        notes.extend(_unlocated_waypoints(root))
    # projects load only when every level of boundaries did
    if plan is not None and gazetteer is not None and units is not None and projects is not None:
        problems.extend(check_references(plan, gazetteer, units, regions, projects, root))
        notes.extend(audit_unlisted_names(plan, gazetteer, regions, projects))
        if not problems:  # the joins are only checked on a dataset that loads
            problems.extend(fidelity_problems(load_dataset(root)))
    return problems, notes


def _unlocated_waypoints(root: Path) -> list[str]:
    from geo.core.tables import LINE, read_table

    path = paths.data_path(paths.WAYPOINTS_FILE, root)
    frame = read_table(path, ("project_id", "name", "lat", "lon"))
    return [
        f"{path}, row {row[LINE]}: {row['project_id']}: waypoint {row['name']!r} has no "
        "coordinates in the sources (kept, not drawn)"
        for row in frame.to_dict("records")
        if not row["lat"] or not row["lon"]
    ]


def audit_unlisted_names(
    plan: Plan,
    gazetteer: Sequence[Place],
    regions: Mapping[str, gpd.GeoDataFrame],
    projects: pd.DataFrame,
) -> list[str]:
    """Region names written in a measure's text that the gazetteer does not cover.

    Looks for the short names (two characters or more) of every province and city, and of the
    counties of Jiangxi, outside project names and outside the places already found.
    """
    known = pd.concat(
        [
            regions["province"][["short_zh"]],
            regions["city"][["short_zh"]],
            regions["county"].loc[regions["county"]["province_adcode"] == "360000", ["short_zh"]],
        ]
    )
    candidates = {n for n in known["short_zh"] if isinstance(n, str) and len(n) >= 2}
    found = []
    masks = list(projects["name_plan"]) + [p.name for p in gazetteer]
    for m in plan.measures:
        hits = find_places(m.text, [_bare(n) for n in candidates], masks)
        for hit in hits:
            found.append(
                f"measure {m.number}: {hit.name!r} looks like a region name but is "
                "not in the gazetteer"
            )
    return found


def _bare(name: str) -> Place:
    return Place(name, "county", (), "", "", "", "")
