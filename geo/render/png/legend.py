"""The print map's legend: a section per thing coloured (measures per region, projects by kind
or status, the other symbols), drawn as a panel right of the map or as a box inside it.

The rows are those of the page maps (:mod:`geo.render.legends`), drawn as Matplotlib handles.
"""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.axes import Axes
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.transforms import Bbox

from geo.core.i18n import t, term
from geo.render.legends import count_legend, project_groups
from geo.render.png.canvas import CONTEXT_FILL, PROVINCE_EDGE, REGION_EDGE, Canvas
from geo.render.png.text import wrap
from geo.render.styles import DASHLINE_COLOUR, HIGHLIGHT, LEGEND_GREY, count_colour

Row = tuple[Artist, str]
Section = tuple[str, list[Row]]
_SHRINK = (1.0, 0.9, 0.8, 0.7)  # a legend too tall for its panel is drawn again smaller


def _titled(name: str, detail: str, lang: str) -> str:
    return f"{name}:{detail}" if lang == "zh" else f"{name}: {detail}"


def legend_handle(colour: str, shapes: frozenset[str]) -> Artist:
    """The legend symbol of projects drawn in ``colour`` as ``shapes``."""
    if shapes == {"point"}:
        return Line2D(
            [],
            [],
            linestyle="none",
            marker="o",
            markersize=8,
            markerfacecolor=colour,
            markeredgecolor="#222222",
        )
    if shapes == {"fill"}:
        return Patch(facecolor="none", hatch="///", edgecolor=colour, linewidth=1.5)
    return Line2D(
        [],
        [],
        color=colour,
        linewidth=2.6,
        linestyle=(0, (1, 1.6)) if shapes == {"dotted"} else "-",
        marker="o" if "point" in shapes else None,
        markersize=7,
        markerfacecolor=colour,
        markeredgecolor="#222222",
    )


def _count_section(c: Canvas, lang: str) -> Section:
    layers = c.layers
    present = {count_colour(float(n)) for n in layers.counts}
    rows: list[Row] = [
        (Patch(facecolor=item.colour, edgecolor=REGION_EDGE, linewidth=0.6), item.label)
        for item in count_legend(lang)
        if item.colour in present
    ]
    level = t(f"level_{layers.view.level}", lang)
    title = (
        f"{t('n_measures', lang)}({level})"
        if lang == "zh"
        else f"{t('n_measures', lang)} ({level.lower()})"
    )
    return title, rows


def _project_section(c: Canvas, lang: str) -> Section:
    projects, colour_by = c.layers.projects, c.layers.view.colour_by
    rows: list[Row] = [
        (legend_handle(group.colour, group.shapes), " / ".join(group.labels))
        for group in project_groups(projects, lang, colour_by)
    ]
    if colour_by == "status" and (projects["kind"] == "freight_route").any():
        rows.append(
            (legend_handle(LEGEND_GREY, frozenset({"dotted"})), term("kind", "freight_route", lang))
        )
    title = t("kind", lang) if colour_by == "kind" else t("status", lang)
    return _titled(t("projects", lang), title, lang), rows


def _other_section(c: Canvas, lang: str, dashline: bool, focus_name: str) -> Section:
    rows: list[Row] = [
        (Line2D([], [], color=PROVINCE_EDGE, linewidth=1.2), t("province_border", lang))
    ]
    # the grey of provinces without choropleth regions (a county map's neighbours)
    drawn_provinces = set(c.regions["province_adcode"])
    if c.layers.view.level == "county" and bool((~c.context["adcode"].isin(drawn_provinces)).any()):
        rows.append(
            (
                Patch(facecolor=CONTEXT_FILL, edgecolor=PROVINCE_EDGE, linewidth=0.6),
                t("context_regions", lang),
            )
        )
    if c.layers.focus:
        rows.append(
            (
                Patch(facecolor="none", edgecolor=HIGHLIGHT, linewidth=2.2),
                _titled(t("focus_region", lang), focus_name, lang),
            )
        )
    if dashline:
        dash = Line2D([], [], color=DASHLINE_COLOUR, linewidth=1.4, linestyle=(0, (4, 2)))
        rows.append((dash, t("dashline", lang)))
    return t("legend_other", lang), rows


def legend_sections(c: Canvas, lang: str, dashline: bool, focus_name: str) -> list[Section]:
    """Legend sections: (title, [(handle, label)]), for every colour and symbol drawn.

    ``dashline``: the dash line is drawn (on the map or in the inset); ``focus_name``: the
    name of the outlined region, if any.
    """
    sections = [_count_section(c, lang)]
    if not c.layers.projects.empty:
        sections.append(_project_section(c, lang))
    sections.append(_other_section(c, lang, dashline, focus_name))
    return sections


def _panel_y(box: Bbox, panel_box: Bbox, gap: float) -> float:
    """The panel's axes fraction just below ``box``, less ``gap``."""
    return float((box.y0 - panel_box.y0) / panel_box.height - gap)


def _stack_sections(
    c: Canvas, panel: Axes, sections: list[Section], scale: float
) -> tuple[list[Artist], list[str], float]:
    panel_box = panel.get_window_extent(c.renderer)
    title_font = c.bold.copy()
    title_font.set_size(c.sizes.legend_title * scale)
    item_font = c.regular.copy()
    item_font.set_size(c.sizes.legend * scale)
    y = 1.0
    drawn: list[str] = []
    artists: list[Artist] = []
    for title, rows in sections:
        if not rows:
            continue
        labels = [
            wrap(c, label, c.regular, c.sizes.legend * scale, panel_box.width * 0.78)
            for _, label in rows
        ]
        legend = panel.legend(
            [h for h, _ in rows],
            ["\n".join(lines) for lines in labels],
            title=title,
            loc="upper left",
            bbox_to_anchor=(0.0, y),
            frameon=False,
            prop=item_font,
            title_fontproperties=title_font,
            alignment="left",
            handlelength=2.2,
            handleheight=1.0,
            borderaxespad=0.0,
            labelspacing=0.45 * scale,
        )
        panel.add_artist(legend)
        artists.append(legend)
        drawn.append(title)
        drawn.extend(label for _, label in rows)
        y = _panel_y(legend.get_window_extent(c.renderer), panel_box, 0.03 * scale)
    return artists, drawn, y


def _stack_legend(
    c: Canvas, panel: Axes, sections: list[Section], notes: list[str], scale: float
) -> tuple[list[Artist], list[str], float]:
    """The sections, then the notes, top down at ``scale``; returns what was drawn and the
    panel fraction where it ends (below 0: it did not fit)."""
    artists, drawn, y = _stack_sections(c, panel, sections, scale)
    panel_box = panel.get_window_extent(c.renderer)
    note_size = c.sizes.legend * 0.82 * scale
    for note in notes:
        lines = wrap(c, note, c.regular, note_size, panel_box.width * 0.98)
        text = panel.text(
            0.0,
            y,
            "\n".join(lines),
            transform=panel.transAxes,
            ha="left",
            va="top",
            fontproperties=c.regular,
            fontsize=note_size,
            color="#555555",
        )
        artists.append(text)
        y = _panel_y(text.get_window_extent(c.renderer), panel_box, 0.02 * scale)
        drawn.append(note)
    return artists, drawn, y


def draw_legend_panel(c: Canvas, sections: list[Section], notes: list[str]) -> list[str]:
    """Stack one legend per section in a panel right of the map, then the notes, top down.

    When it all does not fit the panel's height, it is drawn again smaller (down to 70%).
    Returns the titles, labels and notes drawn.
    """
    _, bottom, top, right, right_panel = c.margins
    gutter = 0.12 * c.sizes.k / c.inches[0]
    panel = c.fig.add_axes(
        (1 - right - right_panel + gutter, bottom, right_panel - gutter, 1 - top - bottom)
    )
    panel.set_axis_off()
    drawn: list[str] = []
    for scale in _SHRINK:
        artists, drawn, bottom_y = _stack_legend(c, panel, sections, notes, scale)
        if bottom_y >= 0 or scale == _SHRINK[-1]:
            return drawn
        for artist in artists:
            artist.remove()
    return drawn


def draw_inside_legend(c: Canvas, sections: list[Section]) -> Bbox:
    """One compact legend box in the map's upper left (for narrow slide maps)."""
    handles: list[Artist] = []
    labels: list[str] = []
    for title, rows in sections:
        if not rows:
            continue
        handles.append(Patch(facecolor="none", edgecolor="none"))
        labels.append(title)
        for handle, label in rows:
            handles.append(handle)
            labels.append(label)
    item_font = c.regular.copy()
    item_font.set_size(c.sizes.legend * 0.9)
    legend = c.ax.legend(
        handles,
        labels,
        loc="upper left",
        prop=item_font,
        frameon=True,
        framealpha=0.92,
        edgecolor="#999999",
        handlelength=2.0,
        borderpad=0.6,
        labelspacing=0.35,
    )
    titles = {title for title, _ in sections}
    for text in legend.get_texts():
        if text.get_text() in titles:
            text.set_fontproperties(c.bold)
            text.set_fontsize(c.sizes.legend * 0.95)
    legend.set_zorder(40)
    return legend.get_window_extent(c.renderer)
