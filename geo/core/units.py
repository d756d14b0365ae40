"""The responsible units (责任单位): their English names, kinds and, for governments, regions."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from geo.core import paths
from geo.core.errors import DataError
from geo.core.tables import LINE, read_table

UNIT_KINDS = (
    "provincial_department",
    "department_group",
    "central_agency",
    "state_enterprise",
    "mass_organisation",
    "city_government",
    "city_government_group",
)
COLUMNS = ("name_zh", "name_en", "kind", "adcode")


def load_units(root: Path | None = None) -> pd.DataFrame:
    """Read and check ``units.csv``.

    Parameters
    ----------
    root : Path, optional
        The data directory (default :func:`geo.core.paths.data_dir`).

    Returns
    -------
    pandas.DataFrame
        Columns ``name_zh, name_en, kind, adcode`` (``adcode`` empty unless the unit is a city
        government) and ``_line``.

    Raises
    ------
    DataError
        Naming file and row: unknown kind, malformed adcode, a city government without an adcode.
    """
    path = paths.data_path(paths.UNITS_FILE, root)
    frame = read_table(path, COLUMNS, key="name_zh")
    for row in frame.to_dict("records"):
        where = f"{path}, row {row[LINE]}"
        if row["kind"] not in UNIT_KINDS:
            raise DataError(
                f"{where}: unknown kind {row['kind']!r} (expected one of {', '.join(UNIT_KINDS)})"
            )
        code = row["adcode"]
        if code and not (len(code) == 6 and code.isdigit()):
            raise DataError(f"{where}: malformed adcode {code!r} (6 digits expected)")
        if row["kind"] == "city_government" and not code:
            raise DataError(f"{where}: a city government needs its city's adcode")
        if not row["name_en"]:
            raise DataError(f"{where}: empty name_en")
    return frame
