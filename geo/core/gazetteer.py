"""The gazetteer: every place the plan names, and what it means on the map.

Each entry of ``data/gazetteer.csv`` is a name as it is written in the plan with a kind that is
also its precision level:

- ``province``, ``city``, ``county``: one administrative unit (6-digit adcode);
- ``group``: a named set of units (港澳, 泛珠三角区域, 赣南, 赣闽粤原中央苏区 …);
- ``feature``: a natural feature (鄱阳湖, 东江, 武夷山脉 …) tied to the units it lies in;
- ``foreign``: a place outside China, kept but not mapped;
- ``vague``: a place with no defined extent (东部沿海地区), kept but not mapped.

Names are matched longest first, so 武夷山脉 (the range) wins over 武夷山 (the city) and 赣江新区
over 赣江. Spans of project names (赣深客专, 吉安至武夷山 …) are masked: names inside a project
name feed the project, not the measure's place list.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from geo.core import paths
from geo.core.errors import DataError
from geo.core.tables import LINE, read_table, split_list

KINDS = ("province", "city", "county", "group", "feature", "foreign", "vague")
ADMIN_KINDS = ("province", "city", "county")
UNMAPPED_KINDS = ("foreign", "vague")
COLUMNS = (
    "name",
    "kind",
    "adcodes",
    "name_en",
    "precision",
    "precision_zh",
    "confidence",
    "source",
    "source_zh",
)


@dataclass(frozen=True)
class Place:
    """A gazetteer entry."""

    name: str
    kind: str
    adcodes: tuple[str, ...]
    name_en: str
    precision: str
    confidence: str
    source: str
    precision_zh: str = ""
    source_zh: str = ""


@dataclass(frozen=True)
class PlaceMention:
    """A place found in a text: the entry and where it was written."""

    place: Place
    start: int
    end: int

    @property
    def name(self) -> str:
        """The name as written in the text."""
        return self.place.name


def load_gazetteer(root: Path | None = None) -> tuple[Place, ...]:
    """Read and check ``gazetteer.csv``.

    Parameters
    ----------
    root : Path, optional
        The data directory (default :func:`geo.core.paths.data_dir`).

    Returns
    -------
    tuple of Place

    Raises
    ------
    DataError
        Naming the file and row of an unknown kind, a malformed adcode, an admin entry without
        exactly one adcode, a group or feature without adcodes, or an unmapped entry with some.
    """
    path = paths.data_path(paths.GAZETTEER_FILE, root)
    frame = read_table(path, COLUMNS, key="name")
    places = []
    for row in frame.to_dict("records"):
        where = f"{path}, row {row[LINE]}"
        kind = row["kind"]
        if kind not in KINDS:
            raise DataError(f"{where}: unknown kind {kind!r} (expected one of {', '.join(KINDS)})")
        adcodes = tuple(split_list(row["adcodes"]))
        bad = [a for a in adcodes if not (len(a) == 6 and a.isdigit())]
        if bad:
            raise DataError(f"{where}: malformed adcode(s) {', '.join(bad)} (6 digits expected)")
        if kind in ADMIN_KINDS and len(adcodes) != 1:
            raise DataError(f"{where}: a {kind} needs exactly one adcode, found {len(adcodes)}")
        if kind in ("group", "feature") and not adcodes:
            raise DataError(f"{where}: a {kind} needs the adcodes it covers")
        if kind in UNMAPPED_KINDS and adcodes:
            raise DataError(f"{where}: a {kind} place is not mapped and takes no adcodes")
        places.append(
            Place(
                row["name"],
                kind,
                adcodes,
                row["name_en"],
                row["precision"],
                row["confidence"],
                row["source"],
                row["precision_zh"],
                row["source_zh"],
            )
        )
    return tuple(places)


def find_places(
    text: str, gazetteer: Sequence[Place], masks: Iterable[str] = ()
) -> list[PlaceMention]:
    """Find every gazetteer place written in ``text``, longest name first.

    Parameters
    ----------
    text : str
        A measure's text.
    gazetteer : sequence of Place
        The entries to look for.
    masks : iterable of str
        Phrases (project names) whose characters are not searched: the places inside them
        belong to the project.

    Returns
    -------
    list of PlaceMention
        In order of position; overlapping matches are resolved in favour of the longer name.
    """
    taken = [False] * len(text)
    for phrase in sorted({m for m in masks if m}, key=len, reverse=True):
        start = text.find(phrase)
        while start != -1:
            for i in range(start, start + len(phrase)):
                taken[i] = True
            start = text.find(phrase, start + len(phrase))
    mentions = []
    for place in sorted(gazetteer, key=lambda p: len(p.name), reverse=True):
        start = text.find(place.name)
        while start != -1:
            end = start + len(place.name)
            if not any(taken[start:end]):
                for i in range(start, end):
                    taken[i] = True
                mentions.append(PlaceMention(place, start, end))
            start = text.find(place.name, start + 1)
    return sorted(mentions, key=lambda m: m.start)
