"""Escaping text that comes from data files, for each place it becomes markup.

Names, measure texts, units, sources and notes are data, never markup: HTML (tooltips, popups,
legends, exported HTML) goes through :func:`esc`; Streamlit markdown (labels, captions, expander
titles) through :func:`md`.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd

from geo.present.formats import Marked, PageLink

# folium puts tooltip and popup HTML inside a JavaScript template literal, where ``${...}``
# would run and a stray backslash escape is a syntax error that blanks the map.
_JS_TEMPLATE_SAFE = str.maketrans({"`": "&#96;", "$": "&#36;", "\\": "&#92;"})
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()<>#+\-.!|~:$=])")
# Bidirectional embeddings, overrides and isolates (LRE RLE PDF LRO RLO, LRI RLI FSI PDI). A name
# holding an unclosed override (U+202E) would reverse the interface text after it on the same
# line ("Trojan Source"). Such a value is shown inside an isolate (FSI ... PDI), which ends every
# embedding and override opened within it; its own PDIs are dropped so it cannot leave early.
_BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")
_FSI, _PDI = "\u2068", "\u2069"


def isolate_bidi(text: str) -> str:
    """``text`` unchanged, or wrapped in a Unicode isolate if it holds bidi controls."""
    if not _BIDI_CONTROLS.search(text):
        return text
    return _FSI + text.replace(_PDI, "") + _PDI


def esc(value: object) -> str:
    """Escape a data value for HTML; ``None``/NaN become an empty string.

    Escapes ``& < > " '`` and also the backtick, ``$`` and the backslash (see above); a value
    with bidi controls is isolated (:func:`isolate_bidi`).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(isolate_bidi(str(value)), quote=True).translate(_JS_TEMPLATE_SAFE)


def md(value: object) -> str:
    """Escape a data value for Streamlit markdown so it shows literally.

    Every markdown-special character is backslash-escaped (links, emphasis, headings, code,
    tables, LaTeX ``$``, directives ``:color[...]``); newlines become spaces so a label stays on
    one line; HTML is shown as text (Streamlit never renders it without ``unsafe_allow_html``);
    a value with bidi controls is isolated (:func:`isolate_bidi`).
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    text = isolate_bidi(" ".join(str(value).splitlines()))
    return _MD_SPECIAL.sub(r"\\\1", text)


# A web address in a table cell: kept as a link. Only http(s), no spaces, quotes or angle
# brackets, trailing punctuation left outside.
_URL = re.compile(r"https?://[^\s<>\"'`]+[^\s<>\"'`.,;:!?)\]]")


# A link to a page of the app: a page path and a query of codes, nothing else.
_PAGE_HREF = re.compile(r"[a-z]+(\?[a-z]+=[0-9A-Za-z_]+(&[a-z]+=[0-9A-Za-z_]+)*)?")


def md_cell(value: object) -> str:
    """Escape a data value for a markdown table cell, keeping its http(s) addresses as links.

    The text around the addresses goes through :func:`md`; each address becomes a markdown
    autolink (``<https://...>``), which can only ever be an http(s) link.
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, PageLink):
        if not _PAGE_HREF.fullmatch(value.href):
            raise ValueError(f"not a page address: {value.href!r}")
        return f"[{md(value.text)}]({value.href})"
    if isinstance(value, Marked):
        return value.sep.join(f"**{md_cell(x)}**" if on else md_cell(x) for x, on in value.parts)
    text, parts, start = str(value), [], 0
    for match in _URL.finditer(text):
        parts += [md(text[start : match.start()]), f"<{match.group(0)}>"]
        start = match.end()
    return "".join([*parts, md(text[start:])])


def md_rows(rows: Sequence[Mapping[str, object]]) -> str:
    """A markdown table of ``rows`` (the first row's keys are the header), every header and cell
    through :func:`md_cell`: a cheap table for ``st.markdown`` where a dataframe widget would
    cost a conversion to Arrow on every rerun."""
    if not rows:
        return ""
    header = list(rows[0])
    lines = ["| " + " | ".join(md_cell(h) for h in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(md_cell(row.get(h)) for h in header) + " |" for row in rows]
    return "\n".join(lines)


def md_table(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` for ``st.table``, which renders text cells and the index as
    markdown: every text cell and index label through :func:`md_cell`."""

    def cell(value: object) -> object:
        return md_cell(value) if isinstance(value, (str, Marked, PageLink)) else value

    safe = frame.map(cell)
    safe.index = safe.index.map(cell)
    return safe
