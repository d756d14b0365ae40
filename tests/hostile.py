"""A hostile copy of the dataset: every free-text field carries script, markup or odd Unicode.

:func:`make_hostile_copy` copies ``data/`` and rewrites the text fields that reach the browser
(names, measure titles and text, units, sources, notes, precision sentences, boundary names)
with the strings of :data:`PAYLOADS`, while keeping the dataset *valid*: the fields that are
cross-checked (a unit named in the plan and in ``units.csv``, a measure title in the plan and in
``plan_en.csv``) are rewritten consistently in every file, and the ones that are matched
against the plan text (gazetteer names, project ``name_plan``) are left alone. Every page then
renders hostile text, and a test can check it shows literally and never runs.

Run ``python tests/hostile.py DIR`` to write a copy to ``DIR`` (then
``PPRD_DATA_DIR=DIR streamlit run app.py``).
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_DIR / "data"

LONG = "很长的名字" * 1000  # 5,000 characters
PAYLOADS: tuple[str, ...] = (
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
    "javascript:alert(1)",
    "[click](javascript:alert(1))",
    "`${alert(1)}`",
    "\u202eRTL",
    "zero\u200bwidth\u200djoiner\u200c",
    "emoji 🗺️👨‍👩‍👧🇨🇳",
    LONG,
    "{{7*7}}",
    "%s%n",
    "\\x41\\u0041",
    "# heading",
    "**bold**",
    ":red[x]",
    "$\\LaTeX$",
    "<a href=javascript:alert(1)>link</a>",
    "'-alert(1)-'",
    "<style>*{display:none}</style>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<b onmouseover=alert(1)>hover</b>",
    '=HYPERLINK("http://example.invalid","x")',
    "@SUM(1+1)",
    "+1+1",
    "-1+1",
    "ctl\x0b\x07char",
)
# The payloads a browser test looks for as literal text (short, distinctive, no odd Unicode).
VISIBLE_MARKERS = (
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(1)>',
    "</script><script>alert(1)</script>",
    "[click](javascript:alert(1))",
    "**bold**",
    ":red[x]",
    "$\\LaTeX$",
    "{{7*7}}",
    "<b onmouseover=alert(1)>hover</b>",
    '=HYPERLINK("http://example.invalid","x")',
    "@SUM(1+1)",
    "+1+1",
    "-1+1",
    "ctl\x0b\x07char",
)

# Payloads that may go into the plan text and a unit's name: no character the plan parser
# reads as structure (。 ends a title; 、,; and 和 split units; a line break ends a paragraph).
_PLAN_UNSAFE = set("。、,,;;和\n\r")


def plan_payloads(payloads: tuple[str, ...] = PAYLOADS) -> tuple[str, ...]:
    return tuple(p for p in payloads if not (_PLAN_UNSAFE & set(p)) and p != LONG)


def list_payloads(payloads: tuple[str, ...] = PAYLOADS) -> tuple[str, ...]:
    """Without ';', which separates the entries of a list cell (plan_stage, plan_quote)."""
    return tuple(p for p in payloads if ";" not in p)


# Boundaries renamed (adcode → level file): Jiangxi and Guangdong, two Jiangxi cities, a county.
HOSTILE_REGIONS = {
    "360000": "province", "440000": "province",
    "360700": "city", "360100": "city",
    "360702": "county",
}  # fmt: skip
# Units renamed in units.csv and in the plan's 责任单位 clauses.
HOSTILE_UNITS = ("省能源局", "省旅发委", "省外侨办")
# Measures whose title (plan text and plan_en.csv) and body get payloads.
HOSTILE_MEASURES = (1, 7, 8, 16, 28)
HOSTILE_SECTIONS = (2, 4)


def _payloads(pool: tuple[str, ...], start: int) -> Iterator[str]:
    i = start
    while True:
        yield pool[i % len(pool)]
        i += 1


def _mix(original: str, payload: str, i: int) -> str:
    """The payload before the original on even rows (line-start markdown), after it on odd."""
    if not original:
        return payload
    return f"{payload} {original}" if i % 2 == 0 else f"{original} {payload}"


def _rewrite_csv(path: Path, rewrite: Callable[[int, dict[str, str]], dict[str, str]]) -> None:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh)
        fields = list(reader.fieldnames or [])
        rows = [rewrite(i, dict(row)) for i, row in enumerate(reader)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")


def _rewrite_fields(
    fields: tuple[str, ...], pool: tuple[str, ...], keep_empty: bool = True
) -> Callable[[int, dict[str, str]], dict[str, str]]:
    def rewrite(i: int, row: dict[str, str]) -> dict[str, str]:
        for j, col in enumerate(fields):
            if keep_empty and not row[col]:
                continue  # empty means "not applicable" for some fields (unmapped_reason)
            row[col] = _mix(row[col], pool[(i + 3 * j) % len(pool)], i + j)
        return row

    return rewrite


def _hostile_plan(root: Path, payloads: tuple[str, ...]) -> dict[str, str]:
    """Payloads into section headings, measure titles and bodies and unit names; returns the
    old → new title map for ``plan_en.csv``."""
    from geo.core.plan import MEASURE_RE, SECTION_RE, cn_numeral

    plan_path = root / "plan" / "jiangxi_pprd_plan_2016.txt"
    pool = _payloads(plan_payloads(payloads), 0)
    renamed: dict[str, str] = {}
    lines = plan_path.read_text(encoding="utf-8").splitlines()
    for k, line in enumerate(lines):
        if (m := SECTION_RE.match(line)) and cn_numeral(m.group(1)) in HOSTILE_SECTIONS:
            new = f"{m.group(2)} {next(pool)}"
            renamed[m.group(2)] = new
            lines[k] = f"{m.group(1)}、{new}"
        elif (m := MEASURE_RE.match(line)) and cn_numeral(m.group(1)) in HOSTILE_MEASURES:
            body = m.group(2)
            title, _, rest = body.partition("。")
            new = f"{title} {next(pool)}"
            renamed[title] = new
            clause = rest.rfind("(责任单位")
            rest = f"{rest[:clause]}{next(pool)}。{next(pool)}。 {rest[clause:]}"
            lines[k] = line[: m.start(2)] + f"{new}。{rest}"
    units = dict(zip(HOSTILE_UNITS, _payloads(plan_payloads(payloads), 5), strict=False))
    for k, line in enumerate(lines):
        # Only inside 责任单位 clauses: a unit may be written in a measure's text too.
        clause = line.rfind("(责任单位")
        if clause >= 0:
            tail = line[clause:]
            for unit, payload in units.items():
                tail = tail.replace(unit, unit + payload)
            lines[k] = line[:clause] + tail
    renamed.update({unit: unit + payload for unit, payload in units.items()})
    text = "\n".join(lines) + "\n"
    plan_path.chmod(0o644)
    plan_path.write_text(text, encoding="utf-8")
    return renamed


def _hostile_boundaries(root: Path, payloads: tuple[str, ...]) -> None:
    files = {"province": "provinces", "city": "cities", "county": "counties"}
    pool = _payloads(payloads, 0)
    for level, name in files.items():
        codes = {c for c, lv in HOSTILE_REGIONS.items() if lv == level}
        path = root / "boundaries" / f"{name}.geojson"
        doc = json.loads(path.read_text(encoding="utf-8"))
        for i, feature in enumerate(doc["features"]):
            props = feature["properties"]
            if props["adcode"] in codes:
                props["name_zh"] = _mix(props["name_zh"], next(pool), i)
                props["name_en"] = _mix(props["name_en"], next(pool), i + 1)
        path.chmod(0o644)
        path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")


def make_hostile_copy(
    dest: Path, source: Path = DATA_DIR, payloads: tuple[str, ...] = PAYLOADS
) -> Path:
    """Copy the dataset in ``source`` to ``dest`` and fill its text fields with payloads.

    Parameters
    ----------
    dest : Path
        A directory that does not exist yet (created).
    source : Path
        The dataset to copy (default: the repo's ``data/``; it is only read).
    payloads : tuple of str
        The strings written into the text fields (default :data:`PAYLOADS`).

    Returns
    -------
    Path
        ``dest``, a valid dataset (``python -m geo validate --data-dir dest`` passes).
    """
    shutil.copytree(source, dest)
    renamed = _hostile_plan(dest, payloads)

    def units_row(i: int, row: dict[str, str]) -> dict[str, str]:
        row["name_zh"] = renamed.get(row["name_zh"], row["name_zh"])
        row["name_en"] = _mix(row["name_en"], payloads[i % len(payloads)], i)
        return row

    _rewrite_csv(dest / "units.csv", units_row)

    def plan_en_row(i: int, row: dict[str, str]) -> dict[str, str]:
        if row["title_zh"] in renamed:
            row["title_zh"] = renamed[row["title_zh"]]
        row["title_en"] = _mix(row["title_en"], payloads[(i + 7) % len(payloads)], i)
        return row

    _rewrite_csv(dest / "plan" / "plan_en.csv", plan_en_row)
    _rewrite_csv(dest / "plan" / "measures_en.csv", _rewrite_fields(("text_en",), payloads))
    _rewrite_csv(
        dest / "gazetteer.csv",
        _rewrite_fields(("name_en", "precision", "precision_zh", "source", "source_zh"), payloads),
    )
    project_text = _rewrite_fields(
        (
            "label_zh",
            "name_zh",
            "name_en",
            "type_detail",
            "type_detail_zh",
            "status_detail",
            "status_detail_zh",
            "status_source",
            "status_note",
            "status_note_zh",
            "precision",
            "precision_zh",
            "unmapped_reason",
            "unmapped_reason_zh",
            "length_note",
            "length_note_zh",
            "length_source",
        ),
        payloads,
    )

    def projects_row(i: int, row: dict[str, str]) -> dict[str, str]:
        row = project_text(i, row)
        stages = [s for s in row["plan_stage"].split(";") if s.strip()]
        quotes = [q for q in row["plan_quote"].split(";") if q.strip()]
        pool = list_payloads(payloads)
        row["plan_stage"] = ";".join(
            _mix(s.strip(), pool[(i + k) % len(pool)], i + k) for k, s in enumerate(stages)
        )
        row["plan_quote"] = ";".join(
            f"{q.strip()} {pool[(i + k + 2) % len(pool)]}" for k, q in enumerate(quotes)
        )
        # prose that a spreadsheet would run as a formula, in both languages' twins
        formula = "=SUM(1,2)"
        for col in ("precision", "precision_zh"):
            if i % 3 == 0 and row[col]:
                row[col] = f"{formula} {row[col]}"
        return row

    _rewrite_csv(dest / "projects.csv", projects_row)
    _rewrite_csv(
        dest / "waypoints.csv",
        _rewrite_fields(("name", "located_in", "coord_basis", "coord_source", "note"), payloads),
    )
    meta_path = dest / "plan" / "plan_meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    for k, key in enumerate(("title_zh", "title_en", "implements", "note")):
        meta[key] = _mix(meta[key], payloads[k % len(payloads)], k)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2), encoding="utf-8")
    _hostile_boundaries(dest, payloads)
    return dest


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python tests/hostile.py DEST_DIR")
    print(make_hostile_copy(Path(sys.argv[1])))
