"""Sources as a reader wants them: a label, a publisher and a date, linked where there is a URL.

The catalogue's source cells (``status_source``, ``length_source`` in ``projects.csv``) keep the
fact sheet's wording: groups separated by ``" | "``, each optionally led by the fact it supports
(``opening_date: …``), holding items separated by ``"; "``; an item is a URL or a text, with an
optional note in parentheses at its end naming the publisher and date
(``http://… (中国新闻网 2021-12-10)``). Separators inside parentheses belong to the note. Nothing
here changes a source: it is only split into the parts a page or an export shows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from geo.core.i18n import VOCAB, t, term

_KEY = re.compile(r"^([a-z0-9_]+): ")
_URL = re.compile(r"^https?://\S+$")
_DATE = re.compile(r"~?(?<![\d/.-])\d{4}(?:-\d{2}){0,2}(?![\d/.])")
# Words the fact sheet's notes use about a copy of a report, and what they are in Chinese.
_DESCRIPTORS = {
    # whole phrases of the fact sheet's notes first, then single words
    "12 expressways opened": "12条高速公路通车",
    "context Jan": "据上下文为1月",
    "report of 11-21 mobilisation": "11月21日开工动员报道",
    "read via mirror": "经镜像阅读",
    "text of": "全文:",
    "Xinhua": "新华社",
    "release copy": "通稿转载",
    "official reply": "官方答复",
    "encyclopedia entry": "百科条目",
    "copy": "转载",
    "post": "帖子",
    "article": "文章",
    "report": "报道",
    "reply": "答复",
    "mirror": "镜像",
    "via": "经",
}


@dataclass(frozen=True)
class SourceItem:
    """One source: the fact it supports (a key), a URL or a text, and its note's parts."""

    fact: str | None
    url: str | None
    text: str | None
    publisher: str
    date: str


def _split_outside_parentheses(text: str, sep: str) -> list[str]:
    parts, depth, start, i = [], 0, 0, 0
    while i < len(text):
        if depth == 0 and text.startswith(sep, i):
            parts.append(text[start:i])
            i += len(sep)
            start = i
            continue
        depth += {"(": 1, ")": -1}.get(text[i], 0)
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]


def _trailing_note(item: str) -> tuple[str, str]:
    """``("http://…", "中国新闻网 2021-12-10")`` from ``"http://… (中国新闻网 2021-12-10)"``."""
    if not item.endswith(")"):
        return item, ""
    depth = 0
    for j in range(len(item) - 1, -1, -1):
        depth += {")": 1, "(": -1}.get(item[j], 0)
        if depth == 0:
            return (item[:j].strip(), item[j + 1 : -1].strip()) if j > 0 else (item, "")
    return item, ""


def _publisher_and_date(note: str) -> tuple[str, str]:
    if "〔" in note:  # a document number such as 国函〔2016〕96号 is not a date
        return note, ""
    found = _DATE.search(note)
    if not found:
        return note.strip(" ,"), ""
    publisher = (note[: found.start()] + note[found.end() :]).strip(" ,")
    return publisher, found.group(0)


def parse_sources(cell: object) -> list[SourceItem]:
    """Every source of a catalogue source cell, in order (empty for an empty cell)."""
    if not isinstance(cell, str) or not cell.strip():
        return []
    items = []
    for group in _split_outside_parentheses(cell, " | "):
        key = _KEY.match(group)
        fact, rest = (key.group(1), group[key.end() :]) if key else (None, group)
        for raw in _split_outside_parentheses(rest, "; "):
            head, note = (raw, "") if raw in VOCAB["source_text"] else _trailing_note(raw)
            url = head if _URL.match(head) else None
            publisher, date = _publisher_and_date(note)
            items.append(SourceItem(fact, url, None if url else head, publisher, date))
    return items


def _in_chinese(text: str) -> str:
    for word, zh in _DESCRIPTORS.items():
        text = re.sub(rf"\b{re.escape(word)}\b", zh, text)
    return text


def source_line(item: SourceItem, lang: str) -> tuple[str, str | None]:
    """``("开通日期 · 中国新闻网 · 2021-12-10", url)``: what a reader sees, and where it links.

    The label is the fact the source supports (``source_fact`` vocabulary; "来源"/"Source"
    when none); a text source (``not found``, ``general knowledge``) is shown in ``lang``.
    """
    label = term("source_fact", item.fact, lang) if item.fact else t("source", lang)
    parts = [label]
    if item.text:
        text = term("source_text", item.text, lang)
        parts.append(_in_chinese(text) if lang == "zh" else text)
    publisher = _in_chinese(item.publisher) if lang == "zh" else item.publisher
    parts.extend(p for p in (publisher, item.date) if p)
    return " · ".join(parts), item.url


def source_lines(cell: object, lang: str) -> list[tuple[str, str | None]]:
    """:func:`source_line` of every source of ``cell``, a URL cited twice shown once."""
    seen: set[str] = set()
    lines = []
    for item in parse_sources(cell):
        if item.url and item.url in seen:
            continue
        seen.add(item.url or "")
        lines.append(source_line(item, lang))
    return lines


def sources_text(cell: object, lang: str) -> str:
    """The sources of ``cell`` as plain text, one per line: ``label · publisher · date <url>``."""
    return "\n".join(f"{text} {url}" if url else text for text, url in source_lines(cell, lang))
