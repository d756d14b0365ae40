"""Values as people write them: numbers with thousands separators, "—" for nothing, and
the text of a data field in the interface language."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

EMPTY = "—"


def is_blank(value: object) -> bool:
    """Whether a cell holds nothing (None, NaN, an empty or blank string)."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return isinstance(value, str) and not value.strip()


def fmt_number(value: object, decimals: int | None = None) -> str:
    """``1176.0`` → ``"1,176"``, ``436.37`` → ``"436.37"``, nothing → ``"—"``.

    With ``decimals`` the value is rounded to that many places; otherwise an integral value is
    written without decimals and any other value as given.
    """
    if is_blank(value):
        return EMPTY
    number = float(value)  # type: ignore[arg-type]
    if decimals is not None:
        return f"{number:,.{decimals}f}"
    if number.is_integer():
        return f"{int(number):,}"
    return f"{number:,}"


def fmt_text(value: object) -> str:
    """A text cell as shown: the text, or ``"—"`` for nothing."""
    return EMPTY if is_blank(value) else str(value)


def localized(row: Mapping[str, object], field: str, lang: str) -> str:
    """The text of ``field`` in ``lang``: ``field_zh`` for Chinese (the data carries both), the
    field itself for English; ``""`` when the row has none."""
    value = row.get(f"{field}_zh") if lang == "zh" else row.get(field)
    return "" if is_blank(value) else str(value)


@dataclass(frozen=True)
class Marked:
    """A list of names with some of them highlighted (a unit among a measure's units).

    ``str()`` gives the plain text; renderers that can (markdown tables) set the highlighted
    names in bold.
    """

    parts: tuple[tuple[str, bool], ...]
    sep: str

    def __str__(self) -> str:
        return self.sep.join(text for text, _ in self.parts)


@dataclass(frozen=True)
class PageLink:
    """A link to another page of the app: its text and a relative address built from codes
    (``measures?measure=7&lang=en``), never from data text."""

    text: str
    href: str

    def __str__(self) -> str:
        return self.text


def measure_link(text: str, number: int, lang: str) -> PageLink:
    """A link opening measure ``number`` on the measures page, in ``lang``."""
    suffix = "&lang=en" if lang == "en" else ""
    return PageLink(text, f"measures?measure={int(number)}{suffix}")


def project_link(text: str, project_id: str, lang: str) -> PageLink:
    """A link opening project ``project_id`` on the projects page, in ``lang``."""
    suffix = "&lang=en" if lang == "en" else ""
    return PageLink(text, f"projects?project={project_id}{suffix}")
