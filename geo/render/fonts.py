"""Finding a font that draws Chinese, and proving it covers the text before anything is drawn.

Matplotlib silently draws an empty box ("tofu") for every character its font lacks. A map for a
meeting with boxes for place names is worse than no map, so the exports look a CJK font up by
family name among the fonts matplotlib knows (it scans the system font folders on Linux, Windows
and macOS), check that font's character map against every character they will draw, and stop
with :class:`MissingFontError` when no font covers it.

Families are tried in :data:`CJK_FAMILIES` order: Debian's ``fonts-noto-cjk`` first (servers),
then what Windows (Microsoft YaHei, SimHei) and macOS (PingFang SC, Heiti, Hiragino Sans GB)
users have.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from fontTools.ttLib import TTFont
from matplotlib import font_manager

CJK_FAMILIES = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "Microsoft YaHei",
    "SimHei",
    "PingFang SC",
    "Heiti SC",
    "STHeiti",
    "Hiragino Sans GB",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
)
# Characters every export draws; a font lacking them is not a CJK font for our purpose.
PROBE_TEXT = "泛珠三角区域合作示意图南海诸岛江西省赣州市图例比例尺公里0123456789 km"
INSTALL_HINT = (
    "On Debian/Ubuntu: apt-get install fonts-noto-cjk (then delete matplotlib's "
    "font cache, ~/.cache/matplotlib). On Windows, Microsoft YaHei or SimHei; on "
    "macOS, PingFang SC or Heiti SC are used when present."
)


class MissingFontError(RuntimeError):
    """No installed font covers the Chinese text an export must draw."""


@dataclass(frozen=True)
class CJKFont:
    """A font face able to draw the export's text.

    ``family`` is what matplotlib text properties name; ``path`` and ``index`` (the face inside
    a ``.ttc`` collection) are the file matplotlib resolves that family to. ``bold_path`` and
    ``bold_index`` are the bold face, or the regular one when the family has no bold.
    """

    family: str
    path: str
    index: int
    bold_path: str
    bold_index: int


def font_entries() -> list[font_manager.FontEntry]:
    """The fonts matplotlib knows (patched to an empty list in tests of the missing-font path)."""
    return list(font_manager.fontManager.ttflist)


@lru_cache(maxsize=32)
def font_charset(path: str, index: int = 0) -> frozenset[int]:
    """Code points the font face at ``path`` (face ``index`` of a collection) maps to glyphs."""
    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        cmap = font.getBestCmap() or {}
        return frozenset(cmap)
    finally:
        font.close()


def missing_characters(text: str, path: str, index: int = 0) -> list[str]:
    """Characters of ``text`` (whitespace and controls aside) the font face cannot draw."""
    charset = font_charset(path, index)
    return sorted(
        {ch for ch in text if ch.isprintable() and not ch.isspace() and ord(ch) not in charset}
    )


def _entry_index(entry: font_manager.FontEntry) -> int:
    return int(getattr(entry, "index", 0) or 0)


def _weight(entry: font_manager.FontEntry) -> int:
    weight = entry.weight
    if isinstance(weight, str):
        weight = font_manager.weight_dict.get(weight, 400)
    return int(weight)


def find_cjk_font(
    text: str = "",
    families: Iterable[str] = CJK_FAMILIES,
    entries: Callable[[], list[font_manager.FontEntry]] | None = None,
) -> CJKFont:
    """The first installed family of ``families`` whose regular face covers ``text``.

    Parameters
    ----------
    text : str
        Everything the caller will draw; checked character by character against the font's
        cmap (together with :data:`PROBE_TEXT`).
    families : iterable of str
        Family names in order of preference.
    entries : callable, optional
        Returns the candidate font entries (default :func:`font_entries`).

    Returns
    -------
    CJKFont

    Raises
    ------
    MissingFontError
        If no family is installed, or none covers every character; the message names the
        families tried, the characters missing and how to install a font.
    """
    wanted = PROBE_TEXT + text
    by_family: dict[str, list[font_manager.FontEntry]] = {}
    for entry in (entries or font_entries)():
        by_family.setdefault(entry.name.casefold(), []).append(entry)
    tried: list[str] = []
    for family in families:
        faces = [
            e
            for e in by_family.get(family.casefold(), [])
            if e.style == "normal"
            and str(e.fname).lower().endswith((".ttf", ".otf", ".ttc", ".otc"))
        ]
        if not faces:
            continue
        regular = min(faces, key=lambda e: abs(_weight(e) - 400))
        missing = missing_characters(wanted, regular.fname, _entry_index(regular))
        if missing:
            tried.append(f"{family} (lacks {''.join(missing[:20])})")
            continue
        bold = max(faces, key=_weight)
        if _weight(bold) < 600 or missing_characters(wanted, bold.fname, _entry_index(bold)):
            bold = regular
        return CJKFont(
            family=regular.name,
            path=regular.fname,
            index=_entry_index(regular),
            bold_path=bold.fname,
            bold_index=_entry_index(bold),
        )
    found = "; ".join(tried) if tried else "none of them is installed"
    raise MissingFontError(
        "No font that draws Chinese text was found, so the map is not drawn (it would show "
        f"empty boxes). Tried: {', '.join(families)} — {found}. {INSTALL_HINT}"
    )


def check_text_covered(font: CJKFont, texts: Iterable[str], bold_texts: Iterable[str] = ()) -> None:
    """Raise :class:`MissingFontError` if ``font`` cannot draw a character of ``texts``."""
    problems = []
    for label, path, index, chunk in (
        ("regular", font.path, font.index, texts),
        ("bold", font.bold_path, font.bold_index, bold_texts),
    ):
        missing = missing_characters("".join(chunk), path, index)
        if missing:
            problems.append(f"{label} face lacks {''.join(missing[:30])}")
    if problems:
        raise MissingFontError(
            f"The font {font.family} ({font.path}) cannot draw every "
            f"character of this map: {'; '.join(problems)}. {INSTALL_HINT}"
        )
