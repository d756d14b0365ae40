"""A view as a print-ready map image: title, legend, scale bar, north arrow, source, 南海诸岛 inset.

Drawn server-side with matplotlib's Agg canvas (no pyplot, no global state, safe in Streamlit's
threads) from the display-simplified regions of :mod:`geo.analysis.display` and the projects of
the view (:func:`geo.analysis.views.view_layers`), so the image shows what the page map shows.

The map is drawn in a Lambert conformal conic projection centred on the view (standard parallels
at 1/6 and 5/6 of its latitude span): shapes and north are true at the centre, and the scale
varies by about 1% across a 9+2 map. The scale bar is computed geodesically (WGS84 ellipsoid) at
the map's centre; the north arrow points to true north where it stands. The pieces are in
:mod:`geo.render.png`; the labels are placed by :mod:`geo.render.label_layout`.

Every character drawn is checked against the font's character map before the image is written
(:mod:`geo.render.fonts`); without a font that covers it,
:class:`geo.render.fonts.MissingFontError` is raised and nothing is drawn.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass

from matplotlib.transforms import Bbox

from geo.analysis.views import View
from geo.core.dataset import Dataset
from geo.core.i18n import t
from geo.render import fonts
from geo.render.label_layout import Labeller, label_map
from geo.render.png.canvas import Canvas, ImageOptions, literal_text, make_canvas
from geo.render.png.furniture import draw_north_arrow, draw_scale_bar
from geo.render.png.inset import draw_inset, shows_whole_hainan
from geo.render.png.layers import draw_map, marker_boxes
from geo.render.png.legend import draw_inside_legend, draw_legend_panel, legend_sections
from geo.render.png.text import draw_footer, draw_title, drawn_texts

# name -> (width px, height px, dpi). "slide": 16:9 at 1920 px; "a4": A4 landscape at 300 dpi.
SIZES = {"slide": (1920, 1080, 144), "a4": (3508, 2480, 300)}


@dataclass(frozen=True)
class MapImage:
    """A rendered map: the PNG bytes, its size, the font used and every text drawn."""

    png: bytes
    width: int
    height: int
    font: fonts.CJKFont
    texts: tuple[str, ...]
    inset: bool
    labels: tuple[str, ...]
    font_files: frozenset[tuple[str, int]] = frozenset()


def _legend_notes(c: Canvas, lang: str) -> list[str]:
    """The notes under the legend: how measures are counted, where projects stand, and how
    many selected projects have no geometry to draw."""
    layers = c.layers
    notes = [t("count_note", lang)]
    if not layers.projects.empty:
        notes.append(t("legend_location_note", lang))
    unmapped = len(layers.selection.projects) - len(layers.projects)
    if unmapped:
        notes.append(t("unmapped_note", lang, n=unmapped))
    return notes


def _draw_furniture(
    c: Canvas, ds: Dataset, lang: str, options: ImageOptions
) -> tuple[list[Bbox], bool]:
    """Scale bar, north arrow, inset and legend; returns the boxes labels must keep off and
    whether the inset was drawn."""
    dash_in_main = draw_map(c, ds)
    blocked = [draw_scale_bar(c, lang), draw_north_arrow(c)]
    inset = shows_whole_hainan(ds, c.crs, c.limits)
    if inset:
        blocked.append(draw_inset(c, ds, lang).get_window_extent(c.renderer))
    focus = c.layers.focus
    focus_name = ds.region_name(focus, lang) if focus else ""
    sections = legend_sections(c, lang, dash_in_main or inset, focus_name)
    if options.legend == "right":
        draw_legend_panel(c, sections, _legend_notes(c, lang))
    else:
        blocked.append(draw_inside_legend(c, sections))
    return blocked, inset


@literal_text
def render_map(
    ds: Dataset,
    view: View,
    lang: str = "zh",
    options: ImageOptions | None = None,
    today: dt.date | None = None,
) -> MapImage:
    """Draw ``view`` as a PNG of ``options.width`` × ``options.height`` pixels.

    Parameters
    ----------
    ds : Dataset
    view : View
    lang : {"zh", "en"}
    options : ImageOptions, optional
        Size, resolution, title, legend placement, labels, text scale (default: a 1920×1080
        slide with a title and the legend on the right).
    today : date, optional
        The date printed as the map's making (default: today).

    Returns
    -------
    MapImage

    Raises
    ------
    geo.render.fonts.MissingFontError
        If no installed font covers every character to be drawn.
    """
    options = options or ImageOptions()
    if options.legend not in ("right", "inside"):
        raise ValueError(f"legend must be 'right' or 'inside', got {options.legend!r}")
    c = make_canvas(ds, view, lang, options)
    blocked, inset = _draw_furniture(c, ds, lang, options)
    labelled: list[str] = []
    if options.labels:
        labeller = Labeller(c, lang, blocked, soft=marker_boxes(c))
        label_map(labeller, ds)
        labelled = [text for _, _, text, *_ in labeller.placed_labels]
    if options.title:
        draw_title(c, view, lang)
    draw_footer(c, ds, lang, today or dt.date.today())
    texts, bold_texts, files = drawn_texts(c)
    fonts.check_text_covered(c.font, texts, bold_texts)
    buffer = io.BytesIO()
    c.fig.savefig(buffer, format="png", dpi=options.dpi, facecolor="white")
    return MapImage(
        png=buffer.getvalue(),
        width=options.width,
        height=options.height,
        font=c.font,
        texts=tuple(texts + bold_texts),
        inset=inset,
        labels=tuple(labelled),
        font_files=frozenset(files),
    )


def export_png(ds: Dataset, view: View, lang: str = "zh", size: str = "slide") -> bytes:
    """The view as PNG bytes at a named size (``slide``: 1920×1080; ``a4``: 3508×2480, 300 dpi).

    Raises
    ------
    KeyError
        For an unknown size.
    geo.render.fonts.MissingFontError
        Without a font that draws the map's Chinese text.
    """
    if size not in SIZES:
        raise KeyError(f"unknown size {size!r}; one of {', '.join(SIZES)}")
    width, height, dpi = SIZES[size]
    return render_map(ds, view, lang, ImageOptions(width, height, dpi)).png
