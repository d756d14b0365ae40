"""Many users at once: N concurrent browser sessions against one ``streamlit run`` on loopback.

    python -m benchmarks.load                 # the full run: 24 sessions
    python -m benchmarks.load --sessions 3    # the reduced run of CI, tests/browser/test_load.py

One headless Chromium, one browser context (cookies, storage, websocket) per session, all
sessions at once (asyncio). Each session

1. opens every page of :data:`geo.app.ui.PAGES` that exists, waiting until its map is drawn (a page
   with ``ui.map_widget``) or its script has finished (a page without a map);
2. opens the measures page on its *own* region filter (a distinct region per session, from a
   link), checks the caption shows the number of measures
   :func:`geo.analysis.filters.filter_measures` gives for that region, then changes a filter with a
   widget (level → city) and waits for the map to be redrawn;
3. waits until every session has done step 2, then changes the level back (a rerun after all
   the others set their filters) and checks it still sees only its own region and count.

It fails on any dialog, page error, console error of the app, error or exception box, map not
drawn, or foreign filter. Figures: sessions, page visits, maps drawn, p50/p95/max time from
navigation to map drawn (and for the widget change to the redrawn map), server RSS before any
session, after a warm-up, at its peak during the run and after all sessions closed, and the wall
time. Only 127.0.0.1 is used: the server is started on loopback here (or ``--url`` must point
at a loopback address), and every request to another host is aborted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import statistics
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote, urlsplit

REPO_DIR = Path(__file__).resolve().parent.parent
# The harness of the end-to-end tests: server start (tests/), Chromium args (tests/browser/).
sys.path[:0] = [str(REPO_DIR / "tests"), str(REPO_DIR / "tests" / "browser")]

from browser_support import (  # noqa: E402
    CHROMIUM_ARGS,
    ERROR_BOX,
    ST_FOLIUM_IFRAME,
    app_errors,
    require_chromium,
)
from playwright.async_api import Browser, Page, async_playwright  # noqa: E402
from server_support import start_streamlit, stop_streamlit  # noqa: E402

from benchmarks.procstats import cpu_seconds, rss_mb  # noqa: E402
from geo.analysis import filters  # noqa: E402
from geo.app import ui  # noqa: E402
from geo.core import constants  # noqa: E402
from geo.core.constants import LINK_KINDS  # noqa: E402
from geo.core.dataset import Dataset, load_dataset  # noqa: E402
from geo.core.i18n import t  # noqa: E402

FULL_SESSIONS = 24
RESULTS = REPO_DIR / "benchmarks" / "results" / "load.json"
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
# Marks the paths of the maps drawn so far: a redrawn map has paths without the mark.
MARK_JS = f"""() => {{
  for (const f of document.querySelectorAll('{ST_FOLIUM_IFRAME}')) {{
    const doc = f.contentDocument;
    if (doc) doc.querySelectorAll('path.leaflet-interactive')
                .forEach(p => p.setAttribute('data-load-old', '1'));
  }}
}}"""
REDRAWN_JS = f"""() => {{
  const frames = [...document.querySelectorAll('{ST_FOLIUM_IFRAME}')];
  return frames.length > 0 && frames.every(f => {{
    const doc = f.contentDocument;
    return doc && doc.querySelector('path.leaflet-interactive')
               && !doc.querySelector('path.leaflet-interactive[data-load-old]');
  }});
}}"""
# The sidebar's region picker shows this session's region (its input holds the label).
SELECTED_JS = """([label, name]) =>
  [...document.querySelectorAll('[data-testid="stSidebar"] input')]
    .some(i => i.getAttribute('aria-label') === label && i.value === name)"""
SCRIPT_DONE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


@dataclass
class SessionResult:
    """What one session saw."""

    index: int
    region: str
    map_seconds: dict[str, float] = field(default_factory=dict)  # page → navigation to map
    filter_seconds: float | None = None  # widget change → map redrawn
    own_filter_checks: int = 0  # times the session saw exactly its own filter
    errors: list[str] = field(default_factory=list)


@dataclass
class LoadReport:
    """The figures of a load run."""

    sessions: int
    pages: list[str]
    page_visits: int
    maps_expected: int
    maps_drawn: int
    own_filter_checks: int
    errors: list[str]
    map_p50_s: float
    map_p95_s: float
    map_max_s: float
    filter_p50_s: float
    filter_p95_s: float
    rss_start_mb: float
    rss_warm_mb: float
    rss_peak_mb: float
    rss_after_mb: float
    server_cpu_s: float  # CPU time the server used during the concurrent sessions
    wall_s: float

    def summary(self) -> str:
        """The figures as a few lines of text."""
        return "\n".join(
            [
                f"sessions: {self.sessions} concurrent, each on {len(self.pages)} pages "
                f"({', '.join(p or 'overview' for p in self.pages)}) + a filter change",
                f"page visits: {self.page_visits}; maps drawn: {self.maps_drawn}/"
                f"{self.maps_expected}; own-filter checks passed: {self.own_filter_checks}; "
                f"errors: {len(self.errors)}",
                f"navigation → map drawn: p50 {self.map_p50_s:.2f} s, p95 {self.map_p95_s:.2f} s, "
                f"max {self.map_max_s:.2f} s",
                f"filter widget → map redrawn: p50 {self.filter_p50_s:.2f} s, "
                f"p95 {self.filter_p95_s:.2f} s",
                f"server RSS: {self.rss_start_mb:.0f} MB at start, {self.rss_warm_mb:.0f} MB warm "
                f"(one visit of each page), peak {self.rss_peak_mb:.0f} MB, "
                f"{self.rss_after_mb:.0f} MB after all sessions closed",
                f"server CPU: {self.server_cpu_s:.0f} s in {self.wall_s:.0f} s of wall time "
                f"({self.server_cpu_s / max(self.page_visits, 1):.2f} s per page visit)",
            ]
        )


class PeakMemory:
    """Samples a process's RSS every ``interval`` seconds in a thread; keeps the peak."""

    def __init__(self, pid: int, interval: float = 0.2) -> None:
        self.pid, self.interval, self.peak = pid, interval, rss_mb(pid)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval):
            try:
                self.peak = max(self.peak, rss_mb(self.pid))
            except (OSError, RuntimeError):
                return

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def distinct_regions(ds: Dataset, n: int) -> list[str]:
    """``n`` regions for ``n`` sessions, no two alike: Jiangxi's cities, the 9+2, counties."""
    table = ds.region_table
    cities = list(table.index[(table["level"] == "city") & (table["province_adcode"] == "360000")])
    provinces = [c for c in constants.PPRD_ADCODES if c in table.index]
    counties = list(
        table.index[(table["level"] == "county") & (table["province_adcode"] == "360000")]
    )
    pool = list(dict.fromkeys([*cities, *provinces, *counties]))
    if n > len(pool):
        raise ValueError(f"at most {len(pool)} sessions (one region each)")
    return pool[:n]


def expected_caption(ds: Dataset, region: str) -> str:
    """The measures page's count caption for ``region`` with no other filter (zh)."""
    shown = filters.filter_measures(
        ds, sections=[], units=[], region=region, query="", link_kinds=list(LINK_KINDS)
    )
    return t("shown_of", "zh", shown=len(shown), total=len(ds.plan.measures))


def page_has_map(spec: ui.PageSpec) -> bool:
    source = (REPO_DIR / spec.path).read_text(encoding="utf-8")
    return "map_widget(" in source or "map_with_project_card(" in source


async def wait_map(page: Page, timeout_ms: float) -> int:
    paths = page.frame_locator(ST_FOLIUM_IFRAME).first.locator("path.leaflet-interactive")
    await paths.first.wait_for(state="attached", timeout=timeout_ms)
    return await paths.count()


async def check_clean(page: Page, where: str, result: SessionResult) -> None:
    boxes = await page.locator(ERROR_BOX).count()
    if boxes:
        texts = await page.locator(ERROR_BOX).all_inner_texts()
        result.errors.append(f"session {result.index} {where}: error box {texts[:2]}")


async def run_session(
    browser: Browser,
    base: str,
    index: int,
    region: str,
    caption: str,
    region_name: str,
    pages: list[ui.PageSpec],
    barrier: asyncio.Barrier,
    timeout_ms: float,
) -> SessionResult:
    """One user: every page, then their own filter, checked before and after everyone else's."""
    result = SessionResult(index, region)
    context = await browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(timeout_ms)
    page = await context.new_page()
    console: list[str] = []
    page.on(
        "console",
        lambda m: (
            console.append(f"console.{m.type}: {m.text} @ {m.location}")
            if m.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda e: console.append(f"pageerror: {e}"))
    page.on(
        "dialog",
        lambda d: (console.append(f"dialog: {d.message}"), asyncio.ensure_future(d.dismiss())),
    )
    await page.route(
        lambda url: (
            urlsplit(url).hostname not in LOOPBACK
            and not url.startswith(("data:", "blob:", "about:"))
        ),
        lambda route: route.abort("blockedbyclient"),
    )
    sidebar = page.locator('[data-testid="stSidebar"]')
    arrived = False
    step = "start"
    try:
        for spec in pages:
            step = f"page {spec.url_path or 'overview'}"
            start = time.perf_counter()
            await page.goto(f"{base}/{spec.url_path}")
            if page_has_map(spec):
                await wait_map(page, timeout_ms)
                result.map_seconds[spec.url_path or "overview"] = time.perf_counter() - start
            await page.locator('[data-testid="stMainBlockContainer"] h1').first.wait_for()
            await page.locator(SCRIPT_DONE).wait_for()
            await check_clean(page, spec.url_path or "overview", result)

        # Step 2: my own filter, from a link, then a widget change.
        step = "own filter from a link"
        start = time.perf_counter()
        await page.goto(f"{base}/measures?region={quote(region)}")
        await wait_map(page, timeout_ms)
        result.map_seconds["measures?region"] = time.perf_counter() - start
        await page.get_by_text(caption).first.wait_for()
        step = "level → city"
        await page.evaluate(MARK_JS)
        start = time.perf_counter()
        await sidebar.get_by_text(t("level_city", "zh"), exact=True).click()
        await page.wait_for_function(REDRAWN_JS, polling="raf")
        result.filter_seconds = time.perf_counter() - start
        await page.wait_for_function(
            f"() => location.search.includes('level=city') "
            f"&& location.search.includes('region={region}')"
        )
        await page.get_by_text(caption).first.wait_for()
        await page.wait_for_function(SELECTED_JS, arg=[t("region", "zh"), region_name])
        result.own_filter_checks += 1
        arrived = True
        step = "waiting for the other sessions"
        await asyncio.wait_for(barrier.wait(), timeout_ms / 1000)

        # Step 3: everyone has set a filter; a rerun must still show only mine.
        step = "after all filters: level → province"
        await page.evaluate(MARK_JS)
        await sidebar.get_by_text(t("level_province", "zh"), exact=True).click()
        await page.wait_for_function(REDRAWN_JS, polling="raf")
        await page.wait_for_function(
            f"() => location.search.includes('level=province') "
            f"&& location.search.includes('region={region}')"
        )
        await page.get_by_text(caption).first.wait_for()
        await page.wait_for_function(SELECTED_JS, arg=[t("region", "zh"), region_name])
        await check_clean(page, "measures after all filters", result)
        result.own_filter_checks += 1
    except Exception as exc:  # a timeout or a failed check: recorded, the run goes on
        result.errors.append(
            f"session {result.index} ({region}) at {step}: "
            f"{type(exc).__name__}: "
            f"{str(exc).splitlines()[0][:300]}"
        )
        if not arrived:
            await barrier.abort()  # the others stop waiting for this session (and fail)
    finally:
        result.errors += [f"session {result.index}: {e}" for e in app_errors(console)]
        await context.close()
        print(
            f"session {index} done: {len(result.map_seconds)} maps, {len(result.errors)} errors",
            file=sys.stderr,
            flush=True,
        )
    return result


def percentile(values: list[float], q: float) -> float:
    """The ``q``-quantile (0–1) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


async def _run(base: str, pid: int | None, sessions: int, timeout_s: float) -> LoadReport:
    ds = load_dataset()
    pages = list(ui.PAGES)
    regions = distinct_regions(ds, sessions)
    rss_start = rss_mb(pid) if pid else float("nan")
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=str(require_chromium()), args=CHROMIUM_ARGS, headless=True
        )
        # Warm-up: one visit of every page, so "before" includes the loaded dataset.
        warm = await run_session(
            browser,
            base,
            -1,
            regions[0],
            expected_caption(ds, regions[0]),
            ds.region_name(regions[0]),
            pages,
            asyncio.Barrier(1),
            timeout_s * 1000,
        )
        rss_warm = rss_mb(pid) if pid else float("nan")
        barrier = asyncio.Barrier(sessions)
        cpu_before = cpu_seconds(pid) if pid else float("nan")
        started = time.perf_counter()
        # Every wait has its own timeout, so sessions end; the bound is a last resort, and a
        # session still running then is reported with the step it was at, not lost.
        bound = timeout_s * (len(pages) + 4)
        with PeakMemory(pid) if pid else _NoMemory() as peak:
            tasks = [
                asyncio.create_task(
                    run_session(
                        browser,
                        base,
                        i,
                        code,
                        expected_caption(ds, code),
                        ds.region_name(code),
                        pages,
                        barrier,
                        timeout_s * 1000,
                    )
                )
                for i, code in enumerate(regions)
            ]
            done, pending = await asyncio.wait(tasks, timeout=bound)
            for task in pending:
                task.cancel()
            await asyncio.gather(*pending, return_exceptions=True)
        results = [
            task.result()
            if task in done
            else SessionResult(
                i, code, errors=[f"session {i} ({code}): not finished within {bound:.0f} s"]
            )
            for i, (task, code) in enumerate(zip(tasks, regions, strict=True))
        ]
        wall = time.perf_counter() - started
        cpu = (cpu_seconds(pid) - cpu_before) if pid else float("nan")
        await browser.close()
    rss_after = rss_mb(pid) if pid else float("nan")
    maps = [s for r in results for s in r.map_seconds.values()]
    changes = [r.filter_seconds for r in results if r.filter_seconds is not None]
    with_map = sum(page_has_map(p) for p in pages) + 1  # + the measures page on its filter
    return LoadReport(
        sessions=sessions,
        pages=[p.url_path for p in pages],
        page_visits=sessions * (len(pages) + 1),
        maps_expected=sessions * with_map,
        maps_drawn=len(maps),
        own_filter_checks=sum(r.own_filter_checks for r in results),
        errors=warm.errors + [e for r in results for e in r.errors],
        map_p50_s=percentile(maps, 0.5),
        map_p95_s=percentile(maps, 0.95),
        map_max_s=max(maps, default=float("nan")),
        filter_p50_s=percentile(changes, 0.5),
        filter_p95_s=percentile(changes, 0.95),
        rss_start_mb=rss_start,
        rss_warm_mb=rss_warm,
        rss_peak_mb=peak.peak,
        rss_after_mb=rss_after,
        server_cpu_s=cpu,
        wall_s=wall,
    )


class _NoMemory:
    peak = float("nan")

    def __enter__(self) -> _NoMemory:
        return self

    def __exit__(self, *exc: object) -> None:
        return None


def run_load(
    sessions: int = FULL_SESSIONS,
    *,
    url: str | None = None,
    timeout_s: float = 300.0,
    env: dict[str, str] | None = None,
) -> LoadReport:
    """Run the load test and return its figures.

    Parameters
    ----------
    sessions : int
        Concurrent browser sessions (at least 1).
    url : str, optional
        A running app on a loopback address (its memory is then not measured); default: start
        ``streamlit run app.py`` on 127.0.0.1 for the run.
    timeout_s : float
        Deadline of each wait (the whole run is bounded by twice this).
    env : dict, optional
        Extra environment for the server started here (e.g. ``PPRD_DATA_DIR``).
    """
    if sessions < 1:
        raise ValueError("sessions must be at least 1")
    if url is not None:
        if urlsplit(url).hostname not in LOOPBACK:
            raise ValueError(f"the load test runs on loopback only, not {url}")
        return asyncio.run(_run(url.rstrip("/"), None, sessions, timeout_s))
    server = start_streamlit(REPO_DIR / "app.py", cwd=REPO_DIR, env=env)
    try:
        return asyncio.run(_run(server.url, server.process.pid, sessions, timeout_s))
    finally:
        stop_streamlit(server)


def main(argv: list[str] | None = None) -> int:
    """Command line: run, print the figures, write them to ``--out``; exit 1 on any error."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.load",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--sessions", type=int, default=FULL_SESSIONS)
    parser.add_argument("--url", help="a running app on 127.0.0.1 (default: start one)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per wait")
    parser.add_argument("--out", type=Path, default=RESULTS, help="JSON file for the figures")
    args = parser.parse_args(argv)
    report = run_load(args.sessions, url=args.url, timeout_s=args.timeout)
    print(report.summary())
    for error in report.errors[:20]:
        print(f"error: {error}", file=sys.stderr)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(
        json.dumps(asdict(report), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    ok = not report.errors and report.maps_drawn == report.maps_expected
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
