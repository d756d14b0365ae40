"""What users feel, in headless Chromium against a real ``streamlit run`` on localhost.

Per app (ours, naive) and page: navigation → map drawn, filter change → map redrawn, the
websocket bytes of both, and the script runs that ten pan/zoom actions cause; per app: cold
start (process start → first map drawn) and server memory after ten sessions opened every page.

How things are observed (all waits are on conditions, each with a deadline):

* "map drawn": every st_folium iframe on the page has Leaflet vector paths
  (``path.leaflet-interactive``); polled on animation frames from the page itself.
* "map redrawn": the paths present before the change are marked; the map counts as redrawn
  when every st_folium iframe has paths again and none of them is marked.
* script runs and bytes: every websocket frame is decoded as Streamlit's ``ForwardMsg`` (from
  the server) or ``BackMsg`` (to it). Each script run starts with ``new_session`` (a run
  stopped by a newer rerun request gets no ``script_finished``); the app is idle when the last
  ``session_status_changed`` says no script is running and no frame has moved for a quiet
  period (:data:`QUIET_S`, longer than st_folium's 250 ms debounce), which is how a pan that
  *would* rerun the script gets its chance to do so before it is counted as zero.
* bytes: payload bytes of the frames received, raw, and gzip of their concatenation (close to
  what permessage-deflate puts on the wire). Static files (Streamlit's bundle, Leaflet) are
  browser-cached and the same for both apps; they are not counted.
"""

from __future__ import annotations

import contextlib
import gzip
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, WebSocket
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

from benchmarks import scenarios

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
QUIET_S = 1.5
TIMEOUT_S = 120.0
VIEWPORT = {"width": 1280, "height": 900}

MAP_DRAWN_JS = """(mark) => {
  const frames = document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]');
  if (!frames.length) return false;
  for (const f of frames) {
    const doc = f.contentDocument;
    if (!doc) return false;
    const paths = doc.querySelectorAll('path.leaflet-interactive');
    if (!paths.length) return false;
    if (mark) { for (const p of paths) { if (p.dataset.benchOld) return false; } }
  }
  return true;
}"""
MARK_PATHS_JS = """() => {
  for (const f of document.querySelectorAll('iframe[title="streamlit_folium.st_folium"]')) {
    for (const p of f.contentDocument.querySelectorAll('path.leaflet-interactive')) {
      p.dataset.benchOld = '1';
    }
  }
}"""


# --- the server ------------------------------------------------------------------------------


@dataclass
class Server:
    """A ``streamlit run`` process in its own process group."""

    process: subprocess.Popen[bytes]
    url: str
    spawned_at: float
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def rss_mb(self) -> float:
        """Resident memory of the server process (VmRSS), in MB."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def stop(self) -> None:
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=15)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(script: Path, env: dict[str, str] | None = None, name: str = "server") -> Server:
    """Spawn ``streamlit run script`` on a free loopback port (cwd: the repo, for its config)."""
    port = _free_port()
    scenarios.RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    log = scenarios.RESULTS_DIR / f"{name}-{port}.log"
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(script),
        "--server.port",
        str(port),
        "--server.address",
        "127.0.0.1",
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
    ]
    with log.open("wb") as out:
        spawned = time.perf_counter()
        process = subprocess.Popen(
            command,
            cwd=scenarios.REPO_DIR,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
        )
    return Server(process, f"http://127.0.0.1:{port}", spawned, log)


def wait_healthy(server: Server, timeout: float = 60.0) -> float:
    """Poll ``/_stcore/health`` until it answers; return seconds since spawn."""
    deadline = time.perf_counter() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited: {server.log.read_text()[-2000:]}")
        with (
            contextlib.suppress(urllib.error.URLError, ConnectionError, OSError),
            urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=2) as reply,
        ):
            if reply.status == 200:
                return time.perf_counter() - server.spawned_at
        if time.perf_counter() > deadline:
            raise TimeoutError(f"{server.url} not healthy after {timeout} s")
        time.sleep(0.02)  # poll interval of a condition wait


@contextlib.contextmanager
def running(
    script: Path, env: dict[str, str] | None = None, name: str = "server"
) -> Iterator[Server]:
    server = start_server(script, env, name)
    try:
        yield server
    finally:
        server.stop()


# --- the websocket -----------------------------------------------------------------------


@dataclass
class Traffic:
    """Decoded Streamlit websocket traffic of one page (all its websockets)."""

    received: list[tuple[float, bytes]] = field(default_factory=list)
    last_frame: float = field(default_factory=time.perf_counter)
    started: int = 0  # script runs started (ForwardMsg.new_session)
    finished: int = 0  # script runs completed (ForwardMsg.script_finished; a run stopped
    #                        for a rerun gets none: the next run's new_session follows)
    running: bool = False  # the last session_status_changed said a script is running
    reruns_asked: int = 0  # BackMsg.rerun_script sent by the browser

    def attach(self, page: Page) -> None:
        page.on("websocket", self._on_websocket)

    def _on_websocket(self, ws: WebSocket) -> None:
        if "/_stcore/stream" not in ws.url:
            return
        ws.on("framereceived", self._on_received)
        ws.on("framesent", self._on_sent)

    def _on_received(self, payload: str | bytes) -> None:
        now = time.perf_counter()
        self.last_frame = now
        if not isinstance(payload, bytes):
            return
        self.received.append((now, payload))
        msg = ForwardMsg()
        with contextlib.suppress(Exception):
            msg.ParseFromString(payload)
            kind = msg.WhichOneof("type")
            if kind == "new_session":
                self.started += 1
            elif kind == "script_finished":
                self.finished += 1
            elif kind == "session_status_changed":
                self.running = msg.session_status_changed.script_is_running

    def _on_sent(self, payload: str | bytes) -> None:
        self.last_frame = time.perf_counter()
        if not isinstance(payload, bytes):
            return
        msg = BackMsg()
        with contextlib.suppress(Exception):
            msg.ParseFromString(payload)
            if msg.WhichOneof("type") == "rerun_script":
                self.reruns_asked += 1

    def bytes_since(self, since: float) -> dict[str, int]:
        frames = b"".join(p for t, p in self.received if t >= since)
        return {"raw": len(frames), "gzip": len(gzip.compress(frames, 6, mtime=0))}


def wait_idle(
    page: Page, traffic: Traffic, *, min_finished: int = 0, timeout: float = TIMEOUT_S
) -> None:
    """Wait until no script runs (at least ``min_finished`` completed in all) and no frame has
    moved for :data:`QUIET_S` seconds."""
    deadline = time.perf_counter() + timeout
    while True:
        quiet = time.perf_counter() - traffic.last_frame >= QUIET_S
        if traffic.finished >= min_finished and not traffic.running and quiet:
            return
        if time.perf_counter() > deadline:
            raise TimeoutError(
                f"app not idle after {timeout} s "
                f"({traffic.started} started, {traffic.finished} finished)"
            )
        page.wait_for_timeout(50)  # lets Playwright deliver websocket events meanwhile


def wait_map(page: Page, *, redrawn: bool = False, timeout: float = TIMEOUT_S) -> None:
    page.wait_for_function(MAP_DRAWN_JS, arg=redrawn, polling="raf", timeout=timeout * 1000)


# --- browser actions ---------------------------------------------------------------------


def launch(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


def new_page(browser: Browser) -> tuple[BrowserContext, Page, Traffic]:
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    context.set_default_timeout(TIMEOUT_S * 1000)
    page = context.new_page()
    # Nothing leaves localhost (the apps are offline; anything else would be a bug).
    page.route(
        lambda url: (
            not url.startswith(("http://127.0.0.1", "ws://127.0.0.1", "data:", "blob:", "about:"))
        ),
        lambda route: route.abort("blockedbyclient"),
    )
    traffic = Traffic()
    traffic.attach(page)
    return context, page, traffic


def choose(page: Page, key: str, label: str) -> Callable[[], None]:
    """Prepare choosing ``label`` in the widget with ``key``; return the final action (timed).

    Radios: the final action is the click on the option. Select boxes (a combobox in Streamlit
    1.67): the box is opened and the label typed first (the user's typing is not the app's
    time); the final action is the click on the option.
    """
    box = page.locator(f".st-key-{key}")
    box.wait_for(state="visible")
    if box.locator('[role="radiogroup"]').count():
        option = box.get_by_text(label, exact=True)
        return lambda: option.click()
    combobox = box.get_by_role("combobox")
    combobox.click()
    combobox.fill(label)
    option = page.get_by_role("option", name=label, exact=True).first
    option.wait_for(state="visible")
    return lambda: option.click()


def pan_and_zoom(page: Page, actions: int = 10) -> None:
    """``actions`` wheel zooms and drags over the first map, each waited for (Leaflet moveend)."""
    frame_element = page.locator(IFRAME).first
    frame = frame_element.element_handle().content_frame()
    frame.evaluate("""() => { const m = window.map || window.map_div; window.__moves = 0;
                              m.on('moveend', () => { window.__moves += 1; }); }""")
    box = frame_element.bounding_box()
    cx, cy = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    for i in range(actions):
        page.mouse.move(cx, cy)
        if i % 2 == 0:  # zoom in, then out, alternately
            page.mouse.wheel(0, -240 if i % 4 == 0 else 240)
        else:
            page.mouse.down()
            page.mouse.move(cx + 80, cy + 40, steps=8)
            page.mouse.move(cx + 120, cy + 60, steps=4)
            page.mouse.up()
        frame.wait_for_function("n => window.__moves >= n", arg=i + 1, timeout=TIMEOUT_S * 1000)


# --- measurements ------------------------------------------------------------------------


def _ms(seconds: float) -> float:
    return round(1000 * seconds, 1)


def _stats(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    return {
        "n": len(ordered),
        "median_ms": round(statistics.median(ordered), 1),
        "max_ms": round(ordered[-1], 1),
    }


def _sample(
    browser: Browser,
    base: str,
    app: str,
    page_spec: scenarios.Page,
    filter_labels: tuple[str, str] | None,
    has_map: bool,
    first: bool,
) -> dict[str, Any]:
    """One fresh browser context: navigation (twice on the first sample: the second with a
    warm browser cache), pan/zoom reruns (first sample), one filter change."""
    out: dict[str, Any] = {}
    context, page, traffic = new_page(browser)
    try:
        for visit in range(2 if first else 1):
            traffic.received.clear()
            finished = traffic.finished
            started = time.perf_counter()
            page.goto(scenarios.url(base, app, page_spec), wait_until="commit")
            if has_map:
                wait_map(page)
                elapsed = 1000 * (time.perf_counter() - started)
                wait_idle(page, traffic, min_finished=finished + 1)
            else:
                wait_idle(page, traffic, min_finished=finished + 1)
                elapsed = 1000 * (traffic.last_frame - started)
            out["navigation_repeat" if visit else "navigation"] = elapsed
            if visit == 0 and first:
                out["bytes_default"] = traffic.bytes_since(started)
        if first and has_map:
            before = (traffic.started, traffic.reruns_asked)
            pan_and_zoom(page)
            wait_idle(page, traffic)
            out["pan_zoom_reruns"] = traffic.started - before[0]
            out["pan_zoom_rerun_requests"] = traffic.reruns_asked - before[1]
        if page_spec.filter is None or filter_labels is None:
            return out
        try:  # a filter change that never redraws the map must not lose the figures above
            act = choose(page, page_spec.filter[0], filter_labels[1])
            finished = traffic.finished
            if has_map:
                page.evaluate(MARK_PATHS_JS)
            started = time.perf_counter()
            act()
            if has_map:
                wait_map(page, redrawn=True)
                out["filter"] = 1000 * (time.perf_counter() - started)
                wait_idle(page, traffic, min_finished=finished + 1)
            else:
                wait_idle(page, traffic, min_finished=finished + 1)
                out["filter"] = 1000 * (traffic.last_frame - started)
            if first:
                out["bytes_filter"] = traffic.bytes_since(started)
        except Exception as exc:
            out["filter_error"] = f"filter change: {type(exc).__name__}: {exc}"[:300]
        return out
    finally:
        context.close()


def measure_page(
    browser: Browser,
    base: str,
    app: str,
    page_spec: scenarios.Page,
    filter_labels: tuple[str, str] | None,
    has_map: bool,
    samples: int,
) -> dict[str, Any]:
    """Navigation and filter-change timings and bytes for one page, ``samples`` fresh browser
    contexts; a sample that fails (timeout) is recorded and the others still count."""
    runs, errors = [], []
    for _ in range(samples):
        try:
            runs.append(
                _sample(browser, base, app, page_spec, filter_labels, has_map, first=not runs)
            )
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}"[:300])
        else:
            errors += [runs[-1].pop("filter_error")] if "filter_error" in runs[-1] else []
    result: dict[str, Any] = {"has_map": has_map}
    if errors:
        result["errors"] = errors
    for key in ("bytes_default", "bytes_filter", "pan_zoom_reruns", "pan_zoom_rerun_requests"):
        if runs and key in runs[0]:
            result[key] = runs[0][key]
    for key in ("navigation", "navigation_repeat", "filter"):
        values = [run[key] for run in runs if key in run]
        if values:
            result[key] = _stats(values)
    return result


def warm_up(
    browser: Browser,
    base: str,
    app: str,
    page_spec: scenarios.Page,
    filter_labels: tuple[str, str] | None,
) -> None:
    """Open the page and apply its filter once: data loaded, code imported, caches filled."""
    context, page, traffic = new_page(browser)
    try:
        page.goto(scenarios.url(base, app, page_spec), wait_until="commit")
        wait_idle(page, traffic, min_finished=1)
        if page_spec.filter is not None and filter_labels is not None:
            act = choose(page, page_spec.filter[0], filter_labels[1])
            finished = traffic.finished
            act()
            wait_idle(page, traffic, min_finished=finished + 1)
    finally:
        context.close()


def cold_start(
    browser: Browser,
    script: Path,
    app: str,
    first: scenarios.Page,
    env: dict[str, str] | None = None,
) -> dict[str, float]:
    """Process start → server healthy → first map drawn (a fresh server, a fresh context)."""
    context, page, _ = new_page(browser)
    try:
        with running(script, env, f"cold-{app}") as server:
            healthy = wait_healthy(server)
            page.goto(scenarios.url(server.url, app, first), wait_until="commit")
            wait_map(page)
            drawn = time.perf_counter() - server.spawned_at
            return {"healthy_ms": _ms(healthy), "first_map_ms": _ms(drawn)}
    finally:
        context.close()


def open_in_session(
    page: Page, traffic: Traffic, app: str, page_spec: scenarios.Page, index: int, has_map: bool
) -> None:
    """Switch to ``page_spec`` inside the running session, as a user does (sidebar)."""
    finished = traffic.finished
    if app == "ours":
        page.locator('[data-testid="stSidebarNav"] a').nth(index).click()
    else:
        page.locator(".st-key-naive_page").get_by_text(page_spec.naive_page, exact=True).click()
    wait_idle(page, traffic, min_finished=finished + 1)
    if has_map:
        wait_map(page)


def memory(
    browser: Browser,
    script: Path,
    app: str,
    pages: list[scenarios.Page],
    has_map: dict[str, bool],
    sessions: int,
    env: dict[str, str] | None = None,
) -> dict[str, float]:
    """Server RSS: at start, after one session, after ``sessions`` sessions each opened every
    page (sessions kept open, one after the other)."""
    contexts: list[BrowserContext] = []
    with running(script, env, f"memory-{app}") as server:
        wait_healthy(server)
        result = {"idle_mb": round(server.rss_mb(), 1)}
        try:
            for number in range(sessions):
                context, page, traffic = new_page(browser)
                contexts.append(context)
                page.goto(scenarios.url(server.url, app, pages[0]), wait_until="commit")
                wait_idle(page, traffic, min_finished=1)
                for index, spec in enumerate(pages[1:], start=1):
                    open_in_session(page, traffic, app, spec, index, has_map[spec.url_path])
                if number == 0:
                    result["one_session_mb"] = round(server.rss_mb(), 1)
            result[f"{sessions}_sessions_mb"] = round(server.rss_mb(), 1)
            result["sessions"] = sessions
        finally:
            for context in contexts:
                context.close()
    return result
