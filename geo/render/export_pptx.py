"""A view as a PowerPoint deck for a meeting (python-pptx, 16:9).

Slides: a title slide; the overview map of the view; one slide per plan section that names
places or projects (its map, and its measures as short bullets with their responsible units);
the project status table (name, kind, status, date, confidence; continued over as many slides
as it needs); the sources. Maps are pictures drawn by :mod:`geo.render.export_png` without a title;
every other text is an editable text box or table.

Fonts. Each run names "Microsoft YaHei" both as its Latin font (``a:latin``) and as its East
Asian font (``a:ea``), and the theme's Chinese script fonts (``a:font script="Hans"``) are set
to it too. Microsoft YaHei ships with every Windows since Vista, where most of the users edit
and present, and covers Chinese and Latin, so one font gives one look. Without it (macOS,
Linux), PowerPoint and LibreOffice substitute a font that has the glyphs: Keynote and PowerPoint
for Mac use PingFang SC; LibreOffice on a Debian server falls back to Noto Sans CJK SC
(fonts-noto-cjk), which is how the slides were checked. No text is ever baked into an image
except the map's own labels and legend.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlsplit

import geopandas as gpd
from lxml import etree
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.presentation import Presentation as PresentationType
from pptx.slide import Slide
from pptx.table import _Cell
from pptx.text.text import TextFrame, _Run
from pptx.util import Emu, Inches, Pt

from geo.analysis.views import (
    Selection,
    View,
    sections_with_content,
    view_layers,
    view_selection,
    with_measures,
)
from geo.core.dataset import Dataset
from geo.core.geometry import has_geometry
from geo.core.i18n import t, term
from geo.present import records
from geo.present.labels import project_name, section_heading
from geo.present.sources import source_lines
from geo.render.export_png import render_map
from geo.render.png.canvas import ImageOptions
from geo.render.png.text import status_as_of

FONT = "Microsoft YaHei"
SLIDE_W, SLIDE_H = Inches(13.333), Inches(7.5)
MAP_DPI = 160
TABLE_ROWS = 13  # project rows per status slide, at most
TABLE_HEIGHT = 5.3  # inches a status table may fill (header included)
TABLE_WIDTHS = (5.0, 2.2, 2.1, 1.7, 1.4)  # inches: project, kind, status, date, confidence
DARK = RGBColor(0x22, 0x22, 0x22)
GREY = RGBColor(0x66, 0x66, 0x66)
ACCENT = RGBColor(0x08, 0x51, 0x9C)
WHITE = RGBColor(0xFF, 0xFF, 0xFF)


def set_run_font(
    run: _Run, size: float, *, bold: bool = False, colour: RGBColor = DARK, lang: str = "zh"
) -> None:
    """Size, weight, colour, language and CJK-capable font (Latin and East Asian) of a run.

    The language tags (``lang``, ``altLang``) make renderers that substitute the font pick a
    Simplified Chinese face for the Chinese characters (LibreOffice otherwise takes the
    Japanese face of Noto Sans CJK); ``charset="-122"`` (GB2312) says the same to PowerPoint.
    """
    font = run.font
    font.size = Pt(size)
    font.bold = bold
    font.color.rgb = colour
    font.name = FONT  # a:latin
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "zh-CN" if lang == "zh" else "en-GB")
    rpr.set("altLang", "en-GB" if lang == "zh" else "zh-CN")
    for tag in ("a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is None:
            element = etree.SubElement(rpr, qn(tag))
        element.set("typeface", FONT)
        if tag == "a:ea":
            element.set("charset", "-122")
    # schema order inside a:rPr: ln, fill, effects, highlight, uLnTx, uLn, uFillTx, uFill,
    # latin, ea, cs, sym, hlinkClick …: move latin/ea/cs after the fill python-pptx wrote.
    for tag in ("a:latin", "a:ea", "a:cs"):
        element = rpr.find(qn(tag))
        if element is not None:
            rpr.remove(element)
            rpr.append(element)


def _theme_fonts(prs: PresentationType) -> None:
    """Make the theme's East Asian and Chinese script fonts Microsoft YaHei (all masters)."""
    for master in prs.slide_masters:
        for rel in master.part.rels.values():
            if not rel.reltype.endswith("/theme"):
                continue
            part = rel.target_part
            root = etree.fromstring(part.blob)
            for scheme in root.iter(qn("a:majorFont"), qn("a:minorFont")):
                for child in scheme:
                    if child.tag in (qn("a:ea"),) or (
                        child.tag == qn("a:font") and child.get("script") in ("Hans", "Hant")
                    ):
                        child.set("typeface", FONT)
            part._blob = etree.tostring(
                root, xml_declaration=True, encoding="UTF-8", standalone=True
            )


def _text_box(slide: Slide, left: float, top: float, width: float, height: float) -> TextFrame:
    box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
    frame = box.text_frame
    frame.word_wrap = True
    for side in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, side, Inches(0.04))
    return frame


@dataclass
class _Deck:
    """A deck being built: the presentation, what it shows, and its text helpers in ``lang``."""

    prs: PresentationType
    ds: Dataset
    view: View
    lang: str
    today: dt.date
    total: int = 0
    maps: dict[tuple[int, ...], bytes] = field(default_factory=dict)

    def slide(self) -> Slide:
        """A new blank slide at the end."""
        return self.prs.slides.add_slide(self.prs.slide_layouts[6])

    def para(
        self,
        frame: TextFrame,
        text: str,
        size: float,
        *,
        bold: bool = False,
        colour: RGBColor = DARK,
        first: bool = False,
        space_before: float = 0,
        align: PP_ALIGN | None = None,
    ) -> None:
        """A paragraph of one run (the frame's first paragraph if ``first``)."""
        para = frame.paragraphs[0] if first else frame.add_paragraph()
        para.level = 0
        if space_before:
            para.space_before = Pt(space_before)
        if align is not None:
            para.alignment = align
        run = para.add_run()
        run.text = text
        set_run_font(run, size, bold=bold, colour=colour, lang=self.lang)

    def bullet(
        self,
        frame: TextFrame,
        text: str,
        size: float,
        *,
        first: bool = False,
        colour: RGBColor = DARK,
        bold: bool = False,
        space_before: float = 0,
    ) -> None:
        """A paragraph with a real bullet (a:buChar), hanging indent."""
        self.para(
            frame, text, size, bold=bold, colour=colour, first=first, space_before=space_before
        )
        ppr = frame.paragraphs[-1]._p.get_or_add_pPr()
        ppr.set("marL", str(Emu(Inches(0.22))))
        ppr.set("indent", str(-Emu(Inches(0.22))))
        font = etree.SubElement(ppr, qn("a:buFont"))
        font.set("typeface", "Arial")
        char = etree.SubElement(ppr, qn("a:buChar"))
        char.set("char", "•")

    def note(self, frame: TextFrame, text: str, size: float, inches: float = 0.22) -> None:
        """A grey paragraph indented under a bullet."""
        self.para(frame, text, size, colour=GREY)
        _indent(frame, inches)

    def title(self, slide: Slide, text: str, subtitle: str) -> None:
        """The slide's title (smaller when long) and its grey subtitle."""
        frame = _text_box(slide, 0.45, 0.25, 12.4, 0.75)
        frame.vertical_anchor = MSO_ANCHOR.TOP
        self.para(frame, text, 26 if len(text) <= 34 else 22, bold=True, first=True)
        if subtitle:
            frame = _text_box(slide, 0.45, 0.92, 12.4, 0.35)
            self.para(frame, subtitle, 13, colour=GREY, first=True)

    def footer(self, slide: Slide, number: int) -> None:
        """The app's name and 示意图 (left), the slide's number of the total (right)."""
        lang = self.lang
        frame = _text_box(slide, 0.45, 7.08, 10.0, 0.3)
        line = f"{t('app_title', lang)} · {t('export_schematic', lang)}"
        self.para(frame, line, 9, colour=GREY, first=True)
        frame = _text_box(slide, 11.6, 7.08, 1.3, 0.3)
        number_text = f"{number} / {self.total}"
        self.para(frame, number_text, 9, colour=GREY, first=True, align=PP_ALIGN.RIGHT)

    def section_map(self, numbers: Sequence[int]) -> bytes:
        """The map of the measures ``numbers`` (drawn once per set of measures)."""
        key = tuple(numbers)
        if key not in self.maps:
            narrowed = _section_view(self.ds, self.view, numbers)
            size = ImageOptions(int(8.3 * MAP_DPI), int(5.6 * MAP_DPI), MAP_DPI, False, scale=0.78)
            self.maps[key] = render_map(self.ds, narrowed, self.lang, size, self.today).png
        return self.maps[key]


def _indent(frame: TextFrame, inches: float) -> None:
    """Indent the frame's last paragraph (notes under a bullet)."""
    frame.paragraphs[-1]._p.get_or_add_pPr().set("marL", str(Emu(Inches(inches))))


def _picture(slide: Slide, png: bytes, left: float, top: float, width: float) -> None:
    slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(top), width=Inches(width))


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _source_line(source: object, lang: str) -> str:
    """A project's status source, short, in ``lang``: its first source as label · publisher ·
    date (:func:`geo.present.sources.source_lines`) and the site it is on."""
    lines = source_lines(source, lang)
    if not lines:
        return "—"
    text, url = lines[0]
    site = urlsplit(url).netloc.removeprefix("www.") if url else ""
    return f"{text} ({site})" if site else text


def _section_view(ds: Dataset, view: View, numbers: Sequence[int]) -> View:
    """The view of a section's measures: zoomed to what they touch, at province level when
    they name whole provinces only (the 9+2, 我省), which colours no city."""
    narrowed = with_measures(view, numbers, view.title_zh, view.title_en)
    if view.extent == "pprd":  # a section's map: zoomed to what the section touches
        narrowed = replace(narrowed, extent="auto")
    if not narrowed.region and narrowed.level != "province":
        counts = view_layers(ds, narrowed).counts
        if (counts > 0).sum() < 3:
            narrowed = replace(narrowed, level="province")
    return narrowed


def _new_presentation(view: View, lang: str) -> PresentationType:
    """An empty 16:9 presentation with the deck's fonts, title and language."""
    prs = Presentation()
    prs.slide_width, prs.slide_height = SLIDE_W, SLIDE_H
    _theme_fonts(prs)
    prs.core_properties.title = view.title(lang)
    prs.core_properties.language = "zh-CN" if lang == "zh" else "en-GB"
    return prs


def _title_slide(deck: _Deck, selection: Selection) -> None:
    """1. The title on a blue band, what the deck covers, when it was made."""
    view, lang = deck.view, deck.lang
    slide = deck.slide()
    band = slide.shapes.add_shape(MSO_SHAPE.RECTANGLE, Emu(0), Inches(2.2), SLIDE_W, Inches(2.6))
    band.fill.solid()
    band.fill.fore_color.rgb = ACCENT
    band.line.fill.background()
    frame = _text_box(slide, 0.8, 2.45, 11.8, 1.3)
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    size = 36 if len(view.title(lang)) <= 30 else 30
    deck.para(frame, view.title(lang), size, bold=True, colour=WHITE, first=True)
    frame = _text_box(slide, 0.8, 3.75, 11.8, 0.9)
    deck.para(frame, t("deck_subtitle", lang), 18, colour=WHITE, first=True)
    if view.subtitle(lang):
        deck.para(frame, view.subtitle(lang), 14, colour=WHITE)
    frame = _text_box(slide, 0.8, 5.3, 11.8, 1.2)
    projects = selection.projects
    mapped = int(has_geometry(projects).sum())
    counts = t(
        "briefing_selection", lang, m=len(selection.measures), p=len(projects), mapped=mapped
    )
    deck.para(frame, counts, 16, first=True)
    made = t("deck_made", lang, date=deck.today.isoformat())
    deck.para(frame, made, 12, colour=GREY, space_before=6)
    deck.para(frame, t("export_schematic", lang), 12, colour=GREY)


def _overview_slide(deck: _Deck) -> None:
    """2. The map of the whole view."""
    slide = deck.slide()
    deck.title(slide, deck.view.title(deck.lang), t("deck_overview", deck.lang))
    size = ImageOptions(int(12.45 * MAP_DPI), int(5.6 * MAP_DPI), MAP_DPI, False, scale=0.8)
    image = render_map(deck.ds, deck.view, deck.lang, size, deck.today)
    _picture(slide, image.png, 0.45, 1.32, 12.45)
    deck.footer(slide, 2)


def _measure_bullets(deck: _Deck, frame: TextFrame, recs: list[dict[str, Any]]) -> None:
    """Up to six measures: number and title, units, how many places and projects."""
    lang = deck.lang
    shown = recs[:6]
    size = 15 if len(shown) <= 3 else 13
    for i, rec in enumerate(shown):
        title = rec["title_en"] if lang == "en" else rec["title"]
        numbered = rec["number_zh"] if lang == "zh" else f"{rec['number']}."
        space = 0 if i == 0 else 8
        deck.bullet(frame, f"{numbered} {title}", size, bold=True, first=i == 0, space_before=space)
        units = rec["units_en"] if lang == "en" else rec["units"]
        joiner = "; " if lang == "en" else "、"
        deck.note(
            frame,
            f"{t('units', lang)}: {_short(joiner.join(units), 90)}"
            if lang == "en"
            else f"{t('units', lang)}:{_short(joiner.join(units), 48)}",
            size - 3.5,
        )
        places, named = len(rec["places"]), len(rec["projects"])
        if places or named:
            line = t("deck_places_projects", lang, places=places, projects=named)
            deck.note(frame, line, size - 3.5)
    if len(recs) > len(shown):
        more = t("deck_more_measures", lang, n=len(recs) - len(shown))
        deck.para(frame, more, 11, colour=GREY, space_before=6)


def _section_slide(deck: _Deck, number: int, section: int, numbers: Sequence[int]) -> None:
    """3. A plan section: its map, and its measures as bullets."""
    slide = deck.slide()
    deck.title(slide, section_heading(deck.ds, section, deck.lang), deck.view.title(deck.lang))
    _picture(slide, deck.section_map(numbers), 0.35, 1.32, 8.3)
    frame = _text_box(slide, 8.85, 1.4, 4.1, 5.55)
    frame.vertical_anchor = MSO_ANCHOR.TOP
    _measure_bullets(deck, frame, records.measure_records(deck.ds, numbers))
    deck.footer(slide, number)


def _status_slides(
    deck: _Deck, projects: gpd.GeoDataFrame, pages: list[list[int]], number: int
) -> None:
    """4. The project status table over ``len(pages)`` slides (``pages``: row positions of each,
    from :func:`table_pages`), numbered from ``number``."""
    lang = deck.lang
    for page, positions in enumerate(pages):
        slide = deck.slide()
        count = len(pages)
        suffix = " " + t("deck_continued", lang, i=page + 1, n=count) if count > 1 else ""
        deck.title(slide, t("deck_status", lang) + suffix, deck.view.title(lang))
        rows = projects.iloc[positions]
        if rows.empty:
            frame = _text_box(slide, 0.45, 1.5, 12.4, 0.6)
            deck.para(frame, t("deck_no_projects", lang), 16, first=True)
        else:
            _status_table(slide, rows.to_dict("records"), lang)
        deck.footer(slide, number + page)


def _project_sources(deck: _Deck, frame: TextFrame, projects: gpd.GeoDataFrame) -> None:
    """The status source of each project (up to 12), short, with its confidence."""
    lang = deck.lang
    listed = projects.to_dict("records")[:12]
    for row in listed:
        deck.note(
            frame,
            f"{project_name(row, lang)}: {_source_line(row['status_source'], lang)}"
            f" ({term('confidence', str(row['confidence']), lang)})",
            11,
            0.4,
        )
    if len(projects) > len(listed):
        deck.note(frame, t("deck_more_sources", lang, n=len(projects) - len(listed)), 11, 0.4)


def _sources_slide(deck: _Deck, projects: gpd.GeoDataFrame) -> None:
    """5. The sources: the plan, the boundaries, the project statuses (the last slide)."""
    ds, lang = deck.ds, deck.lang
    slide = deck.slide()
    deck.title(slide, t("deck_sources", lang), "")
    frame = _text_box(slide, 0.45, 1.3, 12.4, 5.7)
    meta = ds.meta
    plan_title = meta["title_en"] if lang == "en" else meta["title_zh"]
    plan = (
        f"{t('src_plan', lang)}: {plan_title} ({meta['date']})"
        if lang == "en"
        else f"{t('src_plan', lang)}:{plan_title}({meta['date']})"
    )
    deck.bullet(frame, plan, 14, first=True)
    deck.note(frame, t("src_plan_note", lang), 11)
    deck.bullet(frame, t("boundary_source", lang), 14, space_before=8)
    deck.note(frame, t("src_boundaries_note", lang), 11)
    status = t("export_status_source", lang, date=status_as_of(ds))
    deck.bullet(frame, status, 14, space_before=8)
    deck.note(frame, t("src_projects_note", lang), 11)
    _project_sources(deck, frame, projects)
    made = t("export_schematic", lang) + " · " + t("deck_made", lang, date=deck.today.isoformat())
    deck.bullet(frame, made, 12, space_before=8, colour=GREY)
    deck.footer(slide, deck.total)


def build_deck(
    ds: Dataset, view: View, lang: str = "zh", today: dt.date | None = None
) -> PresentationType:
    """The deck of ``view`` as a python-pptx Presentation (see the module docstring).

    Raises
    ------
    geo.render.fonts.MissingFontError
        When the maps cannot be drawn for want of a Chinese font.
    """
    selection = view_selection(ds, view)
    sections = sections_with_content(ds, selection.measures)
    prs = _new_presentation(view, lang)
    projects = selection.projects
    pages = table_pages([project_name(r, lang) for r in projects.to_dict("records")], lang)
    deck = _Deck(prs, ds, view, lang, today or dt.date.today())
    deck.total = 2 + len(sections) + len(pages) + 1
    _title_slide(deck, selection)
    _overview_slide(deck)
    for number, (section, numbers) in enumerate(sections, start=3):
        _section_slide(deck, number, section, numbers)
    _status_slides(deck, projects, pages, 3 + len(sections))
    _sources_slide(deck, projects)
    return prs


def _table_size(lang: str) -> float:
    """The point size of the status table's body text in ``lang``."""
    return 12 if lang == "zh" else 11


def name_lines(name: str, lang: str) -> int:
    """How many lines ``name`` takes in the status table's name column (an estimate: a Chinese
    character is an em wide, a Latin one about half)."""
    ems = sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in name)
    per_line = (TABLE_WIDTHS[0] * 72 - 10) / _table_size(lang)  # ems in the column
    return max(1, math.ceil(ems / per_line))


def _row_height(lines: int, lang: str) -> float:
    """Inches of a table row of ``lines`` lines of body text."""
    return 0.1 + lines * _table_size(lang) * 1.25 / 72


def table_pages(names: Sequence[str], lang: str) -> list[list[int]]:
    """The status table's rows (positions) on each slide: every name whole (wrapped, never
    cut), each slide's table within :data:`TABLE_HEIGHT` and :data:`TABLE_ROWS`, and the rows
    spread evenly (7 + 7, not 13 + 1). One empty page when there are no rows."""
    heights = [_row_height(name_lines(n, lang), lang) for n in names]
    room = TABLE_HEIGHT - _row_height(1, lang)  # under the header
    count = max(1, math.ceil(sum(heights) / room), math.ceil(len(names) / TABLE_ROWS))
    while True:
        # the smallest page height that fits the rows on ``count`` pages, in steps
        target = sum(heights) / count
        while target <= room + 1e-9:
            pages = _fill_pages(heights, target)
            if len(pages) <= count:
                return pages
            target += 0.05
        count += 1


def _fill_pages(heights: Sequence[float], target: float) -> list[list[int]]:
    """Rows (positions) filled in order onto pages of at most ``target`` inches and
    :data:`TABLE_ROWS` rows (a page takes at least one row)."""
    pages: list[list[int]] = [[]]
    used = 0.0
    for i, height in enumerate(heights):
        if pages[-1] and (used + height > target + 1e-9 or len(pages[-1]) >= TABLE_ROWS):
            pages.append([])
            used = 0.0
        pages[-1].append(i)
        used += height
    return pages


def _status_table(slide: Slide, rows: list[dict], lang: str) -> None:
    """The status table of ``rows``: full project names (wrapped), kind, status, date,
    confidence."""
    headers = [
        t("field_project", lang),
        t("kind", lang),
        t("status", lang),
        t("field_date", lang),
        t("confidence", lang),
    ]
    names = [project_name(row, lang) for row in rows]
    heights = [_row_height(1, lang)] + [_row_height(name_lines(n, lang), lang) for n in names]
    shape = slide.shapes.add_table(
        len(rows) + 1,
        len(headers),
        Inches(0.45),
        Inches(1.4),
        Inches(sum(TABLE_WIDTHS)),
        Inches(sum(heights)),
    )
    table = shape.table
    for i, width in enumerate(TABLE_WIDTHS):
        table.columns[i].width = Inches(width)
    for i, height in enumerate(heights):
        table.rows[i].height = Inches(height)
    for j, header in enumerate(headers):
        _cell(table.cell(0, j), header, 13, bold=True, colour=WHITE, lang=lang)
    for i, (row, name) in enumerate(zip(rows, names, strict=True), start=1):
        values = [
            name,
            term("kind", str(row["kind"]), lang),
            term("status", str(row["status"]), lang),
            str(row["status_date"] or "—"),
            term("confidence", str(row["confidence"]), lang),
        ]
        for j, value in enumerate(values):
            _cell(table.cell(i, j), value, _table_size(lang), lang=lang)


def _cell(
    cell: _Cell,
    text: str,
    size: float,
    *,
    bold: bool = False,
    colour: RGBColor = DARK,
    lang: str = "zh",
) -> None:
    frame = cell.text_frame
    frame.word_wrap = True
    para = frame.paragraphs[0]
    run = para.add_run()
    run.text = text
    set_run_font(run, size, bold=bold, colour=colour, lang=lang)
    cell.margin_top = cell.margin_bottom = Inches(0.03)


def export_pptx(ds: Dataset, view: View, lang: str = "zh", today: dt.date | None = None) -> bytes:
    """The deck of ``view`` as .pptx bytes (see :func:`build_deck`)."""
    buffer = io.BytesIO()
    build_deck(ds, view, lang, today).save(buffer)
    return buffer.getvalue()
