"""Hostile data in a real browser: every page on a dataset whose texts are script and markup.

The app runs on :func:`hostile.make_hostile_copy` (``PPRD_DATA_DIR``). Each page is opened in
headless Chromium, every tooltip and popup of its map is opened, and the test fails if a dialog
opens (every payload calls ``alert``), if the app logs an error, if an injected element exists
(``img[src=x]``, an ``on…`` attribute, a ``javascript:`` link, rendered markdown or LaTeX) in
the page or in the map's iframe, or if the hostile text is not shown literally.
"""

from __future__ import annotations

import csv
import io
import json
import re
import time
import unicodedata
from pathlib import Path
from urllib.parse import quote

import pytest
from browser_support import (
    ERROR_BOX,
    ST_FOLIUM_IFRAME,
    app_errors,
    collect_console_errors,
    record_requests,
    save_screenshot,
    wait_for_map,
)
from hostile import HOSTILE_MEASURES, HOSTILE_REGIONS, HOSTILE_UNITS, PAYLOADS, make_hostile_copy
from playwright.sync_api import Browser, Frame, Page
from pptx import Presentation
from server_support import REPO_DIR

from geo.__main__ import main
from geo.analysis import views
from geo.app import ui
from geo.core.dataset import Dataset, load_dataset
from geo.present import records
from geo.present.project_view import field_text
from geo.present.sources import source_lines
from geo.render import exports
from geo.render.fonts import find_cjk_font, missing_characters

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# Elements or attributes that only exist if data text was parsed as markup.
INJECTED_JS = r"""
(root) => {
  const found = [];
  const sel = 'img[src="x"], svg[onload], [onerror], [onload], [onmouseover], '
            + 'a[href^="javascript:" i], iframe[src^="javascript:" i], .katex, .katex-display';
  for (const el of root.querySelectorAll(sel)) found.push(el.outerHTML.slice(0, 120));
  for (const el of root.querySelectorAll('script')) {
    if (el.textContent.trim() === 'alert(1)') found.push('script: ' + el.outerHTML);
  }
  for (const el of root.querySelectorAll('style')) {
    if (el.textContent.includes('*{display:none}')) found.push('style: ' + el.outerHTML);
  }
  for (const el of root.querySelectorAll('strong, b, em')) {
    if (el.textContent.trim() === 'bold') found.push('markdown bold: ' + el.outerHTML);
  }
  for (const el of root.querySelectorAll('code')) {  // st.code blocks (pre) show text as is
    if (el.textContent.includes('alert(1)') && !el.closest('pre')) {
      const where = el.closest('[data-testid]');
      found.push('markdown code in ' + (where && where.getAttribute('data-testid')) + ': '
                 + el.outerHTML.slice(0, 200));
    }
  }
  for (const el of root.querySelectorAll('a')) {
    if (el.textContent.trim() === 'click') found.push('markdown link: ' + el.outerHTML);
  }
  for (const el of root.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    if (/^heading\b/.test(el.textContent.trim())) found.push('markdown heading: ' + el.outerHTML);
  }
  return found;
}
"""
# The text of every text node that is not inside a script or style (what a reader sees).
TEXT_JS = r"""
(root) => {
  const skip = new Set(['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE']);
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const parts = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!skip.has(n.parentElement && n.parentElement.tagName)) parts.push(n.nodeValue);
  }
  return parts.join('');
}
"""
# Open every tooltip and popup of the st_folium map in turn, collecting their text.
OPEN_ALL_JS = r"""
() => {
  // st_folium names the map map_div (window.map); a standalone export, map_<id>.
  const m = window.map || window.map_div
            || Object.values(window).find(v => window.L && v instanceof window.L.Map);
  if (!m) return null;
  const texts = [];
  const read = () => {
    for (const el of m.getContainer().querySelectorAll('.leaflet-tooltip, .leaflet-popup')) {
      texts.push(el.innerText);
    }
  };
  const targets = [];
  m.eachLayer(layer => {
    const subs = layer.getLayers ? layer.getLayers() : [layer];
    if (layer.getTooltip && layer.getTooltip()) subs.forEach(s => targets.push([layer, s, 't']));
    if (layer.getPopup && layer.getPopup()) subs.forEach(s => targets.push([layer, s, 'p']));
  });
  for (const [layer, sub, kind] of targets) {
    // What a hover (tooltip) or a click (popup) on ``sub`` does, without the click reaching
    // st_folium (which would rerun the page).
    const overlay = kind === 't' ? layer.getTooltip() : layer.getPopup();
    try {
      const at = sub.getBounds ? sub.getBounds().getCenter() : sub.getLatLng();
      overlay._source = sub;
      if (overlay._prepareOpen(at)) { overlay.openOn(m); read(); overlay.close(); }
    } catch (e) { texts.push('OPEN FAILED: ' + e); }
  }
  // The layer control's names (collapsed, but in the DOM).
  for (const el of m.getContainer().querySelectorAll('.leaflet-control-layers')) {
    texts.push(el.textContent);
  }
  return {opened: targets.length, texts};
}
"""


@pytest.fixture(scope="module")
def hostile_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_hostile_copy(tmp_path_factory.mktemp("hostile") / "data")


@pytest.fixture(scope="module")
def hostile_ds(hostile_dir: Path) -> Dataset:
    return load_dataset(hostile_dir)


@pytest.fixture(scope="module")
def hostile_url(streamlit_server_factory, hostile_dir: Path) -> str:
    server = streamlit_server_factory(
        REPO_DIR / "app.py", cwd=REPO_DIR, env={"PPRD_DATA_DIR": str(hostile_dir)}
    )
    return server.url


def wait_for_app_idle(page: Page, timeout: float = 60.0, quiet_ms: int = 700) -> None:
    """Wait until the app has run to the end and its page has stopped changing.

    Streamlit marks its root ``data-test-script-state="notRunning"`` between runs, but a page
    may rerun right after (a deep link, the frame), so the page must also stay the same (same
    state, same number of elements and characters) for ``quiet_ms``.
    """
    page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for(timeout=timeout * 1000)
    probe = """() => [document.querySelector('[data-testid="stApp"]')
                        ?.getAttribute('data-test-script-state'),
                      document.getElementsByTagName('*').length,
                      document.body.innerText.length]"""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        now = page.evaluate(probe)
        if now == last and now[0] == "notRunning":
            return
        last = now
        page.wait_for_timeout(quiet_ms)  # the quiet period being checked, not a blind wait
    raise TimeoutError(f"the app did not settle in {timeout} s (last state {last})")


def norm(text: str) -> str:
    """Whitespace collapsed (the browser wraps and joins text nodes), NFC."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def existing_pages() -> list[ui.PageSpec]:
    return list(ui.PAGES)


def hostile_unit(ds: Dataset) -> str:
    return next(u for u in ds.units["name_zh"] if u.startswith(HOSTILE_UNITS[0]))


# A city government whose city has a hostile name (shown as a metric on the units page).
CITY_UNIT = "南昌市政府"


def page_query(page: ui.PageSpec, ds: Dataset, lang: str) -> dict[str, str]:
    """Deep-link parameters that open each known page's detail on hostile records."""
    return {
        "measures": {"measure": str(HOSTILE_MEASURES[1])},
        "projects": {"project": "ganshen_hsr"},
        "region": {"region": "360700"},
        "partners": {"partner": "440000"},
        "units": {"unit": hostile_unit(ds) if lang == "zh" else CITY_UNIT},
        "briefing": BRIEFING_QUERY,
    }.get(page.url_path, {})


# "The view I have now" on the briefing page: its title names hostile sections and a region.
BRIEFING_QUERY = {"view": "current", "section": "2,4", "region": "360700"}


def current_view(ds: Dataset) -> views.View:
    return views.view_from_filters(ds, sections=[2, 4], region="360700")


def expected_literals(page: ui.PageSpec, ds: Dataset, lang: str) -> list[str]:
    """Hostile texts each known page must show as text (a new page: none required here, but
    the generic checks below still apply)."""
    en = lang == "en"
    region = lambda code: ds.region_name(code, lang)  # noqa: E731
    project = ds.projects.set_index("id").loc["ganshen_hsr"]
    return {
        "": [region("360700"), region("360100")],  # city tooltips on the overview map
        "measures": [ds.measure_title(n, lang) for n in HOSTILE_MEASURES]
        + [ds.measure_text(HOSTILE_MEASURES[1], lang)],
        "projects": [
            project["name_en"] if en else project["label_zh"],
            # the details in the interface language: sources as label · publisher · date
            *(text for text, _ in source_lines(project["status_source"], lang)),
            field_text(project.to_dict(), "precision", lang),
        ],
        "region": [region("360700"), region("360000")],
        "partners": [region("440000"), region("360000")],
        "units": [ds.unit_name(hostile_unit(ds), lang)] if not en else [region("360100")],
        "data": [ds.meta["title_en"] if en else ds.meta["title_zh"]],
        "briefing": [current_view(ds).title(lang)],
    }.get(page.url_path, [])


def inspect_frame(frame: Frame) -> tuple[list[str], str]:
    """Injected elements and the reader's text of one frame."""
    return (
        frame.evaluate(f"() => ({INJECTED_JS})(document)"),
        frame.evaluate(f"() => ({TEXT_JS})(document.body)"),
    )


def map_frames(page: Page) -> list[Frame]:
    handles = page.locator(ST_FOLIUM_IFRAME).element_handles()
    return [h.content_frame() for h in handles if h.content_frame() is not None]


def visit(page: Page, url: str, expects_map: bool) -> tuple[list[str], list[str], str, int]:
    """Open ``url``, open every tooltip/popup; return dialogs, injected elements, text, maps."""
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(url)
    wait_for_app_idle(page)
    boxes = page.locator(ERROR_BOX)
    assert boxes.count() == 0, f"error on {url}: {boxes.all_inner_texts()}"
    if expects_map:
        wait_for_map(page)
        # A real hover over a few features, then every tooltip and popup by script.
        paths = page.frame_locator(ST_FOLIUM_IFRAME).first.locator("path.leaflet-interactive")
        for i in range(min(3, paths.count())):
            paths.nth(i).hover(force=True)
    injected: list[str] = []
    texts: list[str] = []
    for frame in map_frames(page):
        result = frame.evaluate(OPEN_ALL_JS)
        assert result is not None, "no Leaflet map (window.map) in the map iframe"
        assert result["opened"] > 0, "the map has no tooltip or popup to open"
        assert not [t for t in result["texts"] if t.startswith("OPEN FAILED")], result["texts"]
        texts.extend(result["texts"])
        found, text = inspect_frame(frame)
        injected += [f"map iframe: {f}" for f in found]
        texts.append(text)
    page.wait_for_timeout(300)  # let an injected <img onerror> fire, if there were one
    found, text = inspect_frame(page.main_frame)
    injected += found
    texts.append(text)
    return dialogs, injected, norm(" ".join(texts)), len(map_frames(page))


def url_for(base: str, page: ui.PageSpec, query: dict[str, str], lang: str) -> str:
    params = {**query, **({"lang": lang} if lang != "zh" else {})}
    qs = "&".join(f"{k}={quote(v, safe='')}" for k, v in params.items())
    return f"{base}/{page.url_path}" + (f"?{qs}" if qs else "")


PAGE_LANGS = [(p, lang) for p in existing_pages() for lang in ("zh", "en")]


@pytest.mark.parametrize(
    ("spec", "lang"),
    PAGE_LANGS,
    ids=[f"{p.url_path or 'overview'}-{lang}" for p, lang in PAGE_LANGS],
)
def test_hostile_text_is_shown_literally_and_never_runs(
    page: Page, hostile_url: str, hostile_ds: Dataset, spec: ui.PageSpec, lang: str, request
) -> None:
    errors = collect_console_errors(page)
    requests = record_requests(page, hostile_url)
    source = (REPO_DIR / spec.path).read_text(encoding="utf-8")
    expects_map = "map_widget(" in source or "map_with_project_card(" in source
    url = url_for(hostile_url, spec, page_query(spec, hostile_ds, lang), lang)
    dialogs, injected, text, maps = visit(page, url, expects_map)
    save_screenshot(page, request.node.name)

    assert dialogs == [], f"script from the data ran on {url}: {dialogs}"
    assert injected == [], f"data text became markup on {url}: {injected}"
    assert page.locator(ERROR_BOX).count() == 0
    assert app_errors(errors) == []
    requests.assert_all_local()
    assert not expects_map or maps >= 1
    # Some hostile text is on every page, shown as text with its payload intact.
    assert any(p in text for p in map(norm, PAYLOADS)), f"no hostile text shown on {url}"
    missing = [s[:80] for s in expected_literals(spec, hostile_ds, lang) if norm(s) not in text]
    assert missing == [], f"not shown literally on {url}: {missing}"


def test_hostile_copy_covers_every_kind_of_field(hostile_ds: Dataset) -> None:
    """The copy really is hostile where the pages look (guards the generator)."""
    ds = hostile_ds
    joined = " ".join(
        [
            *ds.units["name_en"],
            *ds.units["name_zh"],
            *(ds.measure_title(n) for n in HOSTILE_MEASURES),
            *(ds.measure_title(n, "en") for n in HOSTILE_MEASURES),
            *(ds.region_name(c) for c in HOSTILE_REGIONS),
            *(ds.region_name(c, "en") for c in HOSTILE_REGIONS),
            *ds.projects["name_en"],
            *ds.projects["label_zh"],
            *ds.projects["status_source"],
            *ds.projects["precision"],
            *(p.source for p in ds.gazetteer),
            ds.meta["title_zh"],
        ]
    )
    assert [p for p in PAYLOADS if p not in joined] == []


# --- exports of the hostile copy -----------------------------------------------------------

EXPORT_VIEWS = [("transport", "zh"), ("city-360700", "en"), ("overview", "zh")]
EXPORT_IDS = [f"{v}-{lang}" for v, lang in EXPORT_VIEWS]


def export(root: Path, view: str, fmt: str, lang: str, out: Path, capsys) -> tuple[int, str]:
    """``python -m geo --data-dir root export ...`` in process; returns (status, stderr)."""
    code = main(
        [
            "--data-dir",
            str(root),
            "export",
            "--view",
            view,
            "--format",
            fmt,
            "--lang",
            lang,
            "--out",
            str(out),
        ]
    )
    return code, capsys.readouterr().err


def drawable_payloads() -> tuple[str, ...]:
    """The payloads the installed CJK font draws (emoji are not in any CJK font)."""
    font = find_cjk_font()
    return tuple(p for p in PAYLOADS if not missing_characters(p, font.path, font.index))


@pytest.fixture(scope="module")
def drawable_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The hostile copy without the payloads no installed font can draw (for PNG and PPTX)."""
    return make_hostile_copy(
        tmp_path_factory.mktemp("drawable") / "data", payloads=drawable_payloads()
    )


def view_labels(ds: Dataset, view: str, lang: str) -> list[str]:
    """The names of the view's projects as the exports write them."""
    table = exports.data_table(ds, views.get_view(view), lang)
    return list(table.loc[table["record"] == "project", "title"])


@pytest.mark.parametrize(("view", "lang"), EXPORT_VIEWS, ids=EXPORT_IDS)
def test_html_export_runs_no_script_from_file(
    browser: Browser,
    hostile_dir: Path,
    hostile_ds: Dataset,
    tmp_path: Path,
    capsys,
    view: str,
    lang: str,
    request,
) -> None:
    out = tmp_path / f"{view}.html"
    code, err = export(hostile_dir, view, "html", lang, out, capsys)
    assert code == 0, err
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        errors = collect_console_errors(page)
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(out.as_uri())
        page.locator("path.leaflet-interactive").first.wait_for()
        result = page.evaluate(OPEN_ALL_JS)
        assert result is not None and result["opened"] > 0
        page.wait_for_timeout(300)  # let an injected <img onerror> fire, if there were one
        found, text = inspect_frame(page.main_frame)
        save_screenshot(page, request.node.name)
    finally:
        context.close()
    shown = norm(text + " ".join(result["texts"]))
    assert dialogs == []
    assert found == []
    assert errors == []
    assert any(p in shown for p in map(norm, PAYLOADS))
    drawn = views.view_layers(hostile_ds, views.get_view(view)).projects  # mapped ones only
    labels = [
        label
        for label in view_labels(hostile_ds, view, lang)
        if any(p in label for p in PAYLOADS)
        and label
        in set(
            exports.data_table(hostile_ds, views.get_view(view), lang)
            .set_index("id")
            .loc[list(drawn["id"]), "title"]
        )
    ]
    assert labels, "the view has no hostile project name to look for"
    assert [label[:60] for label in labels if norm(label) not in shown] == []


def test_html_export_of_the_current_view_runs_no_script(
    browser: Browser, hostile_ds: Dataset, tmp_path: Path
) -> None:
    """The one view whose title is made of data (sections, region) as an offline HTML file."""
    view = current_view(hostile_ds)
    out = tmp_path / "current.html"
    out.write_bytes(exports.export_view(hostile_ds, view, "html", "zh").data)
    context = browser.new_context()
    try:
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        page.goto(out.as_uri())
        page.locator("path.leaflet-interactive").first.wait_for()
        page.wait_for_timeout(300)  # let an injected <img onerror> fire, if there were one
        found, text = inspect_frame(page.main_frame)
        title = page.title()
    finally:
        context.close()
    assert dialogs == [] and found == []
    assert norm(view.title("zh")) in norm(text)
    assert title == view.title("zh")  # the document title, escaped, reads as written


def pptx_text(path: Path) -> str:
    parts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
    return "\n".join(parts)


@pytest.mark.parametrize(("view", "lang"), EXPORT_VIEWS, ids=EXPORT_IDS)
def test_pptx_and_png_exports_carry_hostile_text_as_text(
    drawable_dir: Path, tmp_path: Path, capsys, view: str, lang: str
) -> None:
    ds = load_dataset(drawable_dir)
    code, err = export(drawable_dir, view, "png", lang, tmp_path / "map.png", capsys)
    assert code == 0, err
    assert (tmp_path / "map.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, err = export(drawable_dir, view, "pptx", lang, tmp_path / "deck.pptx", capsys)
    assert code == 0, err
    text = pptx_text(tmp_path / "deck.pptx")  # python-pptx parses the XML: it is well formed
    # Long names are cut with an ellipsis in tables, and python-pptx writes control characters
    # as a line break (\v) or an _xHHHH_ escape; the other hostile names are there as written.
    hostile = [
        label
        for label in view_labels(ds, view, lang)
        if any(p in label for p in PAYLOADS)
        and len(label) < 40
        and all(ch.isprintable() for ch in label)
    ]
    found = [label for label in hostile if label in text]
    assert len(found) >= min(3, len(hostile)) > 0, (hostile, text[:500])
    assert "<img src=x onerror=alert(1)>" in text or "**bold**" in text


def test_png_export_stops_clearly_when_no_font_draws_a_name(
    hostile_dir: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "map.png"
    code, err = export(hostile_dir, "transport", "png", "zh", out, capsys)
    assert code == 1
    assert "cannot draw" in err and "🗺" in err  # names the characters
    assert "Traceback" not in err
    assert not out.exists()  # nothing half-written


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith("\ufeff".encode())  # UTF-8 with a BOM, for Excel
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


@pytest.mark.parametrize(("view", "lang"), EXPORT_VIEWS, ids=EXPORT_IDS)
def test_csv_export_round_trips(
    hostile_dir: Path, hostile_ds: Dataset, tmp_path: Path, capsys, view: str, lang: str
) -> None:
    out = tmp_path / "data.csv"
    code, err = export(hostile_dir, view, "csv", lang, out, capsys)
    assert code == 0, err
    rows = csv_rows(out.read_bytes())
    expected = exports.data_table(hostile_ds, views.get_view(view), lang)
    assert rows[0] == list(expected.columns)
    assert len(rows) - 1 == len(expected)
    defused = 0
    for got, want in zip(rows[1:], expected.itertuples(index=False), strict=True):
        for cell, value in zip(got, want, strict=True):
            if not isinstance(value, str):
                continue
            if value.startswith(records.FORMULA_START):
                # a spreadsheet would run it: written as text ('), read back without the '
                assert cell == "'" + value
                defused += 1
            else:
                assert cell == value
    assert any(any(p in c for p in PAYLOADS) for row in rows for c in row)
    assert defused > 0  # the copy has cells that start like formulas


@pytest.mark.parametrize(("view", "lang"), EXPORT_VIEWS, ids=EXPORT_IDS)
def test_geojson_export_round_trips(
    hostile_dir: Path, hostile_ds: Dataset, tmp_path: Path, capsys, view: str, lang: str
) -> None:
    out = tmp_path / "data.geojson"
    code, err = export(hostile_dir, view, "geojson", lang, out, capsys)
    assert code == 0, err
    document = json.loads(out.read_text(encoding="utf-8"))
    labels = {
        f["id"]: f["properties"]["label"]
        for f in document["features"]
        if f["properties"]["feature_type"] == "project"
    }
    table = exports.data_table(hostile_ds, views.get_view(view), lang)
    expected = dict(
        zip(
            table.loc[table["record"] == "project", "id"],
            table.loc[table["record"] == "project", "title"],
            strict=True,
        )
    )
    assert labels == expected  # hostile names come back exactly as they are in the data
    assert any(any(p in label for p in PAYLOADS) for label in labels.values())
