"""Reading the dataset's CSV tables with errors that name the file and row."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from geo.core.errors import DataError

LINE = "_line"


def read_table(path: Path, required: Iterable[str], key: str | None = None) -> pd.DataFrame:
    """Read a UTF-8 CSV as strings, checking its columns, its shape and a unique key.

    Parameters
    ----------
    path : Path
        The CSV file.
    required : iterable of str
        Columns that must be present.
    key : str, optional
        A column whose values must be non-empty and unique.

    Returns
    -------
    pandas.DataFrame
        All values as ``str``; empty cells as ``""``; plus the column ``_line``, the line of
        each row in the file (header = line 1), for error messages.

    Raises
    ------
    DataError
        Naming the file (and the row, where there is one) for a missing file, bad encoding,
        a row with too many or too few fields (e.g. a truncated file), a missing column, or an
        empty or duplicate key.
    """
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        hint = " (truncated?)" if exc.start >= len(raw) - 3 else ""
        raise DataError(
            f"{path}, row {line}: not UTF-8 ({exc.reason} at byte {exc.start}){hint}"
        ) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        rows = [(reader.line_num, row) for row in reader]
    except csv.Error as exc:
        raise DataError(f"{path}, line {reader.line_num}: {exc}") from None
    if not rows or not any(rows[0][1]):
        raise DataError(f"{path}: empty file (no header row)")
    header = [h.strip() for h in rows[0][1]]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(
            f"{path}: missing column(s) {', '.join(missing)}; found {', '.join(header)}"
        )
    body: list[list[str]] = []
    lines: list[int] = []
    for lineno, row in rows[1:]:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise DataError(
                f"{path}, row {lineno}: {len(row)} fields where the header has "
                f"{len(header)} (truncated or misquoted row?)"
            )
        body.append([cell.strip() for cell in row])
        lines.append(lineno)
    frame = pd.DataFrame(body, columns=header, dtype=str)
    frame[LINE] = pd.Series(lines, dtype="int64")
    if key is not None:
        seen: dict[str, int] = {}
        for value, lineno in zip(frame[key], frame[LINE], strict=True):
            if not value:
                raise DataError(f"{path}, row {lineno}: empty {key}")
            if value in seen:
                raise DataError(
                    f"{path}, row {lineno}: duplicate {key} {value!r} (first at row {seen[value]})"
                )
            seen[value] = lineno
    return frame


def split_list(cell: str) -> list[str]:
    """Split a ``;``-separated cell into its non-empty, stripped items."""
    return [item.strip() for item in cell.split(";") if item.strip()]
