"""The text around the print map (title, subtitle, sources and date), text measured and wrapped
to a width, and the inventory of every text drawn (for the font check)."""

from __future__ import annotations

import datetime as dt

from matplotlib import font_manager
from matplotlib.font_manager import FontProperties
from matplotlib.text import Text

from geo.analysis.views import View
from geo.core.dataset import Dataset
from geo.core.i18n import t
from geo.render.png.canvas import TEXT_COLOUR, Canvas

FOOTER_GREY = "#444444"
_BOLD_WEIGHTS = ("bold", "heavy", "extra bold", "black", "semibold", "demibold")


def status_as_of(ds: Dataset) -> str:
    """The latest status date in the catalogue (YYYY-MM-DD, or YYYY-MM)."""
    dates = [d for d in ds.projects["status_date"].astype(str) if d[:4].isdigit()]
    return max(dates) if dates else ""


def text_width(c: Canvas, text: str, font: FontProperties, size: float) -> float:
    """The width in pixels of ``text`` set in ``font`` at ``size`` points."""
    probe = c.fig.text(0, 0, text, fontproperties=font, fontsize=size)
    width = float(probe.get_window_extent(c.renderer).width)
    probe.remove()
    return width


def wrap(
    c: Canvas,
    text: str,
    font: FontProperties,
    size: float,
    width_px: float,
    separators: str = " ·;;,,",
) -> list[str]:
    """Break ``text`` into lines no wider than ``width_px`` (at separators, else anywhere)."""
    lines: list[str] = []
    rest = text
    while rest and text_width(c, rest, font, size) > width_px:
        cut = len(rest)
        while cut > 1 and text_width(c, rest[:cut], font, size) > width_px:
            cut -= 1
        soft = max((rest.rfind(s, 0, cut) for s in separators), default=-1)
        if soft > cut * 0.5:
            cut = soft + 1
        lines.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        lines.append(rest)
    return lines


def draw_title(c: Canvas, view: View, lang: str) -> None:
    """The view's title and subtitle above the map, left-aligned with it."""
    left = c.margins[0]
    k, fig_h_in = c.sizes.k, c.inches[1]
    c.fig.text(
        left,
        1 - 0.12 * k / fig_h_in,
        view.title(lang),
        ha="left",
        va="top",
        fontproperties=c.bold,
        fontsize=c.sizes.title,
        color=TEXT_COLOUR,
    )
    sub = view.subtitle(lang)
    if sub:
        c.fig.text(
            left,
            1 - 0.62 * k / fig_h_in,
            sub,
            ha="left",
            va="top",
            fontproperties=c.regular,
            fontsize=c.sizes.subtitle,
            color="#555555",
        )


def draw_footer(c: Canvas, ds: Dataset, lang: str, today: dt.date) -> list[str]:
    """Source and date (left), 示意图 note (right), under the map; returns the lines drawn."""
    left, bottom = c.margins[0], c.margins[1]
    font, size = c.regular, c.sizes.footer
    fig_px = c.fig.get_window_extent(c.renderer)
    boundary, plan = t("boundary_source", lang), t("export_plan_source", lang, date=ds.meta["date"])
    status = t("export_status_source", lang, date=status_as_of(ds))
    right_text = [t("export_schematic", lang), t("export_made", lang, date=today.isoformat())]
    right_width = max(text_width(c, s, font, size) for s in right_text)
    width = fig_px.width * (1 - left) - right_width - fig_px.width * left * 3
    sources = f"{plan};{status}" if lang == "zh" else f"{plan}; {status}"
    lines = wrap(c, boundary, font, size, width) + wrap(c, sources, font, size, width)
    y_top = bottom - 0.1 * c.sizes.k / (fig_px.height / c.fig.dpi)
    for x, text, ha in (
        (left, "\n".join(lines[:3]), "left"),
        (1 - left * 0.8, "\n".join(right_text), "right"),
    ):
        c.fig.text(
            x,
            y_top,
            text,
            ha=ha,
            va="top",
            fontproperties=font,
            fontsize=size,
            color=FOOTER_GREY,
            linespacing=1.35,
        )
    return lines + right_text


def drawn_texts(c: Canvas) -> tuple[list[str], list[str], set[tuple[str, int]]]:
    """Every non-empty text of the figure (regular, bold) and the font files they resolve to."""
    texts: list[str] = []
    bold_texts: list[str] = []
    files: set[tuple[str, int]] = set()
    for artist in c.fig.findobj(Text):
        if not isinstance(artist, Text):
            continue
        value = artist.get_text()
        if not value or not artist.get_visible():
            continue
        weight = artist.get_fontweight()
        is_bold = weight in _BOLD_WEIGHTS or (isinstance(weight, (int, float)) and weight >= 600)
        (bold_texts if is_bold else texts).append(value)
        found = font_manager.findfont(artist.get_fontproperties(), fallback_to_default=False)
        files.add((str(found), int(getattr(found, "face_index", 0) or 0)))
    return texts, bold_texts, files
