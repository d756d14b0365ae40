"""Broken copies of the dataset, one problem each, with what a reader must be told about it.

Each :class:`BrokenCase` breaks a copy of ``data/`` in one way (a missing file, truncated or
invalid GeoJSON, a CSV without a column, a duplicate id, an unknown adcode, a project naming a
measure that does not exist) and says which file, which row (where there is one) and which words
the message must contain. ``tests/apptest/test_broken_data.py`` checks ``python -m geo validate``
and the app against them, ``tests/browser/test_browser_broken_data.py`` the page in Chromium; the
original ``data/`` is only read.
"""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_DIR / "data"


def _writable(path: Path) -> Path:
    path.chmod(0o644)  # the plan and the boundaries are read-only in the repo
    return path


def _replace_line(path: Path, lineno: int, new: str) -> None:
    lines = _writable(path).read_text(encoding="utf-8").splitlines(keepends=True)
    lines[lineno - 1] = new if new.endswith("\n") else new + "\n"
    path.write_text("".join(lines), encoding="utf-8")


def _line_of(path: Path, prefix: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return i
    raise LookupError(f"{prefix!r} not in {path}")


def _drop_column(path: Path, column: str) -> None:
    import csv
    import io

    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    k = rows[0].index(column)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([r[:k] + r[k + 1 :] for r in rows])
    _writable(path).write_text(out.getvalue(), encoding="utf-8")


def missing_file(root: Path) -> None:
    (root / "units.csv").unlink()


def missing_boundary_file(root: Path) -> None:
    (root / "boundaries" / "cities.geojson").unlink()


def truncated_geojson(root: Path) -> None:
    path = _writable(root / "boundaries" / "provinces.geojson")
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def invalid_geojson(root: Path) -> None:
    _writable(root / "boundaries" / "counties.geojson").write_text(
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "properties": ',
        encoding="utf-8",
    )


def not_geojson(root: Path) -> None:
    _writable(root / "boundaries" / "provinces.geojson").write_text(
        "adcode,name\n360000,江西\n", encoding="utf-8"
    )


def csv_missing_column(root: Path) -> None:
    _drop_column(root / "gazetteer.csv", "adcodes")


def duplicate_id(root: Path) -> None:
    path = root / "projects.csv"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    second = next(i for i, line in enumerate(lines) if line.startswith("anjiu_hsr,"))
    lines[second] = "ganshen_hsr," + lines[second].split(",", 1)[1]
    _writable(path).write_text("".join(lines), encoding="utf-8")


def unknown_adcode(root: Path) -> None:
    path = root / "gazetteer.csv"
    lineno = _line_of(path, "福建,")
    _replace_line(
        path,
        lineno,
        path.read_text(encoding="utf-8").splitlines()[lineno - 1].replace("350000", "359999", 1),
    )


def project_unknown_measure(root: Path) -> None:
    path = root / "projects.csv"
    lineno = _line_of(path, "ganshen_hsr,")
    lines = path.read_text(encoding="utf-8").splitlines()
    header = next(csv.reader([lines[0]]))
    cells = next(csv.reader([lines[lineno - 1]]))
    cells[header.index("measures")] = "99"
    out = io.StringIO()
    csv.writer(out, lineterminator="").writerow(cells)
    _replace_line(path, lineno, out.getvalue())


def truncated_csv(root: Path) -> None:
    path = _writable(root / "waypoints.csv")
    data = path.read_text(encoding="utf-8")
    path.write_text(data[: len(data) // 2].rsplit(",", 2)[0], encoding="utf-8")


def plan_meta_invalid(root: Path) -> None:
    _writable(root / "plan" / "plan_meta.json").write_text('{"title_zh": ', encoding="utf-8")


def not_utf8(root: Path) -> None:
    path = root / "units.csv"
    _writable(path).write_bytes(path.read_text(encoding="utf-8").encode("gb18030"))


@dataclass(frozen=True)
class BrokenCase:
    """One way to break the dataset and what the message about it must say."""

    name: str
    breaks: Callable[[Path], None]
    file: str  # the file named, relative to the data directory
    words: tuple[str, ...]  # words of the problem the message must contain
    row: int | None = None  # the row named, where the problem has one

    def make(self, dest: Path, source: Path = DATA_DIR) -> Path:
        """A copy of ``source`` at ``dest`` broken this way."""
        shutil.copytree(source, dest)
        self.breaks(dest)
        return dest


def _row_of(file: str, prefix: str) -> int:
    return _line_of(DATA_DIR / file, prefix)


CASES = (
    BrokenCase("missing_file", missing_file, "units.csv", ("file not found",)),
    BrokenCase(
        "missing_boundary_file",
        missing_boundary_file,
        "boundaries/cities.geojson",
        ("file not found",),
    ),
    BrokenCase(
        "truncated_geojson",
        truncated_geojson,
        "boundaries/provinces.geojson",
        ("not readable as GeoJSON",),
    ),
    BrokenCase(
        "invalid_geojson",
        invalid_geojson,
        "boundaries/counties.geojson",
        ("not readable as GeoJSON",),
    ),
    BrokenCase("not_geojson", not_geojson, "boundaries/provinces.geojson", ("GeoJSON",)),
    BrokenCase(
        "csv_missing_column", csv_missing_column, "gazetteer.csv", ("missing column", "adcodes")
    ),
    BrokenCase(
        "duplicate_id",
        duplicate_id,
        "projects.csv",
        ("duplicate id", "ganshen_hsr"),
        row=_row_of("projects.csv", "anjiu_hsr,"),
    ),
    BrokenCase(
        "unknown_adcode",
        unknown_adcode,
        "gazetteer.csv",
        ("unknown adcode", "359999"),
        row=_row_of("gazetteer.csv", "福建,"),
    ),
    BrokenCase(
        "project_unknown_measure",
        project_unknown_measure,
        "projects.csv",
        ("measure", "99"),
        row=_row_of("projects.csv", "ganshen_hsr,"),
    ),
    BrokenCase("truncated_csv", truncated_csv, "waypoints.csv", ("fields",)),
    BrokenCase("plan_meta_invalid", plan_meta_invalid, "plan/plan_meta.json", ("invalid JSON",)),
    BrokenCase("not_utf8", not_utf8, "units.csv", ("not UTF-8",)),
)


def tree_digest(root: Path) -> str:
    """One hash over every file's path, mode and bytes under ``root``."""
    digest = hashlib.sha256()
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(path.relative_to(root).as_posix().encode())
        digest.update(oct(path.stat().st_mode).encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


def assert_names(message: str, case: BrokenCase) -> None:
    """``message`` names the case's file, its problem's words and its row (where it has one)."""
    assert case.file in message, (case.name, message)
    for word in case.words:
        assert word in message, (case.name, word, message)
    if case.row is not None:
        assert f"row {case.row}" in message, (case.name, message)
