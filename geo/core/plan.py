"""Parse the plan text into sections and numbered measures.

The plan is the source of truth for the measures: nothing here is typed in by hand. The parser
expects the structure of the 2016 plan (a preamble, section headings ``一、…`` to ``十、…``,
measures ``(一)…`` to ``(二十八)…`` numbered consecutively across sections, each ending with
a ``(责任单位:…)`` clause) and fails loudly, naming the file and line, when the text departs
from it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from geo.core.errors import DataError

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

_OPEN = "[((]"
_CLOSE = "[))]"
SECTION_RE = re.compile(r"^([一二三四五六七八九十]+)、\s*(\S.*?)\s*$")
MEASURE_RE = re.compile(rf"^{_OPEN}([一二三四五六七八九十]+){_CLOSE}\s*(.*)$")
UNITS_RE = re.compile(rf"{_OPEN}\s*责任单位\s*[::]\s*(.*?)\s*{_CLOSE}\s*$")
# The government suffixes that a list of places can share ("南昌市、九江市政府").
SHARED_SUFFIXES = ("人民政府", "政府")
PLACE_ENDINGS = ("市", "县", "区")


@dataclass(frozen=True)
class Section:
    """A numbered section (一 … 十) of the plan."""

    number: int
    heading: str
    line: int
    intro: str = ""


@dataclass(frozen=True)
class Measure:
    """A numbered measure ((一) … (二十八)) with its body and responsible units."""

    number: int
    section: int
    title: str
    text: str
    units: tuple[str, ...]
    units_raw: str
    line: int


@dataclass(frozen=True)
class Plan:
    """The parsed plan: its preamble, sections and measures."""

    preamble: str
    sections: tuple[Section, ...]
    measures: tuple[Measure, ...]
    source: str = ""
    section_by_number: dict[int, Section] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "section_by_number", {s.number: s for s in self.sections})

    def measure(self, number: int) -> Measure:
        """Return the measure with this number; ``KeyError`` if there is none."""
        for m in self.measures:
            if m.number == number:
                return m
        raise KeyError(number)


def cn_numeral(text: str) -> int:
    """Convert a Chinese numeral from 一 to 九十九 into an int.

    Parameters
    ----------
    text : str
        The numeral, e.g. ``"七"``, ``"十六"``, ``"二十八"``.

    Returns
    -------
    int
    """
    if not text or any(ch not in CN_DIGITS and ch != "十" for ch in text):
        raise ValueError(f"not a Chinese numeral: {text!r}")
    if "十" not in text:
        if len(text) != 1:
            raise ValueError(f"not a Chinese numeral: {text!r}")
        return CN_DIGITS[text]
    tens, _, ones = text.partition("十")
    if len(tens) > 1 or len(ones) > 1 or "十" in ones:
        raise ValueError(f"not a Chinese numeral: {text!r}")
    return (CN_DIGITS[tens] if tens else 1) * 10 + (CN_DIGITS[ones] if ones else 0)


def to_cn_numeral(number: int) -> str:
    """Inverse of :func:`cn_numeral` for 1 … 99."""
    if not 1 <= number <= 99:
        raise ValueError(f"out of range: {number}")
    digits = {v: k for k, v in CN_DIGITS.items()}
    tens, ones = divmod(number, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else digits[tens] + "十")
    return head + (digits[ones] if ones else "")


def expand_units(raw: str) -> list[str]:
    """Split a 责任单位 clause into a clean list, expanding the shared-suffix shorthand.

    ``"萍乡市、新余市政府,省发改委"`` becomes ``["萍乡市政府", "新余市政府", "省发改委"]``: within
    a group separated by ``、``, place names ending in 市/县/区 take the government suffix of the
    group's last item. ``和`` joins two units, as in ``"有关设区市政府和省直部门"``.

    Parameters
    ----------
    raw : str
        The text between ``责任单位:`` and the closing parenthesis.

    Returns
    -------
    list of str
        Units in the order written, without duplicates.
    """
    units: list[str] = []
    for group in re.split(r"[,,;;]", raw):
        items = [i.strip() for i in re.split(r"[、]|和", group) if i.strip()]
        if not items:
            continue
        suffix = next((s for s in SHARED_SUFFIXES if items[-1].endswith(s)), "")
        for item in items:
            if suffix and not item.endswith(suffix) and item.endswith(PLACE_ENDINGS):
                item += suffix
            if item not in units:
                units.append(item)
    return units


def parse_plan(text: str, source: str = "<plan>") -> Plan:
    """Parse the plan text.

    Parameters
    ----------
    text : str
        The whole plan, one paragraph per line.
    source : str
        The file name used in error messages.

    Returns
    -------
    Plan

    Raises
    ------
    DataError
        Naming ``source`` and the line, when a section or measure number is skipped or repeated,
        a measure has no 责任单位 clause or no title, or no measure is found.
    """
    preamble: list[str] = []
    sections: list[Section] = []
    measures: list[Measure] = []
    section_intro: list[str] = []

    def close_section_intro() -> None:
        if sections and section_intro:
            last = sections[-1]
            sections[-1] = Section(last.number, last.heading, last.line, "".join(section_intro))
        section_intro.clear()

    for lineno, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        if m := SECTION_RE.match(line):
            close_section_intro()
            sections.append(_parse_section(m, lineno, len(sections) + 1, source))
        elif m := MEASURE_RE.match(line):
            if not sections:
                raise _fail(source, lineno, "a measure appears before the first section heading")
            measures.append(
                _parse_measure(m, lineno, len(measures) + 1, sections[-1].number, source)
            )
        elif UNITS_RE.search(line) or line.startswith(("(责任单位", "(责任单位")):
            raise _fail(source, lineno, "a 责任单位 clause outside a numbered measure")
        elif not sections:
            preamble.append(line)
        elif sections[-1].number in {ms.section for ms in measures}:
            raise _fail(
                source,
                lineno,
                "unexpected text after a measure (not a section heading or a numbered measure)",
            )
        else:
            section_intro.append(line)
    close_section_intro()
    if not measures:
        raise DataError(f"{source}: no numbered measures found")
    return Plan(
        preamble="\n".join(preamble),
        sections=tuple(sections),
        measures=tuple(measures),
        source=source,
    )


def _fail(source: str, lineno: int, problem: str) -> DataError:
    return DataError(f"{source}, line {lineno}: {problem}")


def _parse_section(m: re.Match[str], lineno: int, expected: int, source: str) -> Section:
    """The section of a heading line; ``expected`` is the number it must have."""
    number = cn_numeral(m.group(1))
    if number != expected:
        raise _fail(
            source,
            lineno,
            f"section {m.group(1)} found where section {to_cn_numeral(expected)} was expected",
        )
    return Section(number, m.group(2), lineno)


def _parse_measure(
    m: re.Match[str], lineno: int, expected: int, section: int, source: str
) -> Measure:
    """The measure of a numbered line in ``section``; ``expected`` is the number it must have."""
    number = cn_numeral(m.group(1))
    if number != expected:
        raise _fail(
            source,
            lineno,
            f"measure ({m.group(1)}) found where measure ({to_cn_numeral(expected)}) was expected",
        )
    body = m.group(2).strip()
    units_match = UNITS_RE.search(body)
    if not units_match:
        raise _fail(source, lineno, f"measure ({m.group(1)}) has no (责任单位:…) clause at its end")
    units = expand_units(units_match.group(1))
    if not units:
        raise _fail(source, lineno, f"measure ({m.group(1)}) has an empty 责任单位 clause")
    body = body[: units_match.start()].strip()
    title, stop, _ = body.partition("。")
    if not stop or not title.strip():
        raise _fail(source, lineno, f"measure ({m.group(1)}) has no title ending in 。")
    return Measure(
        number=number,
        section=section,
        title=title.strip(),
        text=body,
        units=tuple(units),
        units_raw=units_match.group(1),
        line=lineno,
    )


def load_plan(path: Path) -> Plan:
    """Read and parse the plan file at ``path`` (UTF-8).

    Raises
    ------
    DataError
        If the file is missing, not UTF-8, or not structured as expected.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise DataError(f"{path}: file not found") from None
    except UnicodeDecodeError as exc:
        raise DataError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    return parse_plan(text, source=str(path))


def load_plan_titles_en(plan: Plan, root: Path | None = None) -> dict[tuple[str, int], str]:
    """Read the English section headings and measure titles, checked against the plan.

    Parameters
    ----------
    plan : Plan
        The parsed plan; every section and measure must have exactly one English title whose
        ``title_zh`` matches the parsed heading or title.
    root : Path, optional
        The data directory.

    Returns
    -------
    dict
        ``{("section", n): title_en, ("measure", n): title_en}``.

    Raises
    ------
    DataError
        Naming the file and row of a title that does not match the plan, or naming what is missing.
    """
    from geo.core import paths
    from geo.core.tables import LINE, read_table

    path = paths.data_path(paths.PLAN_EN_FILE, root)
    frame = read_table(path, ("kind", "number", "title_zh", "title_en"))
    expected = {("section", s.number): s.heading for s in plan.sections}
    expected.update({("measure", m.number): m.title for m in plan.measures})
    titles: dict[tuple[str, int], str] = {}
    for row in frame.to_dict("records"):
        where = f"{path}, row {row[LINE]}"
        try:
            key = (row["kind"], int(row["number"]))
        except ValueError:
            raise DataError(f"{where}: number {row['number']!r} is not an integer") from None
        if key not in expected:
            raise DataError(f"{where}: the plan has no {key[0]} {key[1]}")
        if key in titles:
            raise DataError(f"{where}: duplicate {key[0]} {key[1]}")
        if row["title_zh"] != expected[key]:
            raise DataError(
                f"{where}: title_zh {row['title_zh']!r} does not match the plan's {expected[key]!r}"
            )
        if not row["title_en"]:
            raise DataError(f"{where}: empty title_en")
        titles[key] = row["title_en"]
    missing = sorted(set(expected) - set(titles))
    if missing:
        raise DataError(
            f"{path}: no English title for " + ", ".join(f"{k} {n}" for k, n in missing)
        )
    return titles


def load_measure_texts_en(plan: Plan, root: Path | None = None) -> dict[int, str]:
    """Read our (unofficial) English translation of every measure's text, without its title.

    Raises
    ------
    DataError
        Naming the file and row of a number the plan does not have, a duplicate or an empty
        text, or naming the measures that have no translation.
    """
    from geo.core import paths
    from geo.core.tables import LINE, read_table

    path = paths.data_path(paths.MEASURES_EN_FILE, root)
    frame = read_table(path, ("number", "text_en"))
    numbers = {m.number for m in plan.measures}
    texts: dict[int, str] = {}
    for row in frame.to_dict("records"):
        where = f"{path}, row {row[LINE]}"
        try:
            number = int(row["number"])
        except ValueError:
            raise DataError(f"{where}: number {row['number']!r} is not an integer") from None
        if number not in numbers:
            raise DataError(f"{where}: the plan has no measure {number}")
        if number in texts:
            raise DataError(f"{where}: duplicate measure {number}")
        if not row["text_en"].strip():
            raise DataError(f"{where}: empty text_en")
        texts[number] = row["text_en"].strip()
    missing = sorted(numbers - set(texts))
    if missing:
        raise DataError(f"{path}: no English text for measure(s) {', '.join(map(str, missing))}")
    return texts
