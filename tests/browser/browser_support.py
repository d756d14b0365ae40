"""Helpers for end-to-end tests: a real ``streamlit run`` and headless Chromium.

The fixtures in ``conftest.py`` wrap these; tests normally use the fixtures. Everything waits
on a condition with a deadline, never on a fixed sleep.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Playwright, Request, WebSocket

TESTS_DIR = Path(__file__).resolve().parents[1]  # tests/ (this file is in tests/browser/)
REPO_DIR = TESTS_DIR.parent
ARTIFACTS_DIR = TESTS_DIR / "artifacts"  # gitignored: screenshots, server logs, timings

# Debian's chromium; Playwright's own browser download does not work here.
CHROMIUM_PATH = Path("/usr/bin/chromium")
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
# streamlit-folium's component iframe (components v1 sets title to "<module>.<name>").
ST_FOLIUM_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
# What Streamlit shows for an exception or an st.error: a page must have neither.
ERROR_BOX = '[data-testid="stException"], [data-testid="stAlertContentError"]'
LOCAL_SCHEMES = ("data:", "about:", "blob:")


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def safe_name(name: str) -> str:
    """Turn a pytest node name such as ``test_x[a/b]`` into a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "unnamed"


@dataclass
class StreamlitServer:
    """A running ``streamlit run`` subprocess (its own process group)."""

    url: str
    script: Path
    process: subprocess.Popen[bytes]
    log_path: Path
    startup_seconds: float

    def log_tail(self, chars: int = 4000) -> str:
        """Return the end of the server's combined stdout/stderr."""
        with contextlib.suppress(OSError):
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        return ""


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_streamlit(
    script: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    base_url_path: str = "",
    extra_args: Sequence[str] = (),
    timeout: float = 60.0,
    log_path: Path | None = None,
) -> StreamlitServer:
    """Start ``streamlit run script`` on a free port and wait until ``/_stcore/health`` answers.

    Parameters
    ----------
    script : Path
        The Streamlit script; Streamlit serves ``static/`` beside it.
    env : Mapping, optional
        Variables added to this process's environment (e.g. ``PPRD_DATA_DIR``).
    cwd : Path, optional
        Working directory, where Streamlit reads ``.streamlit/config.toml``; default: the
        script's folder.
    base_url_path : str
        Streamlit's ``server.baseUrlPath``, e.g. ``"pprd"``; part of the returned ``url``.
    extra_args : sequence of str
        More ``streamlit run`` options, e.g. ``["--client.showErrorDetails", "full"]``.
    timeout : float
        Seconds to wait for the health check.
    log_path : Path, optional
        Where the server's output goes; default ``tests/artifacts/streamlit-<port>.log``.

    Returns
    -------
    StreamlitServer
        With ``url`` like ``http://127.0.0.1:8765`` or ``http://127.0.0.1:8765/pprd`` (no
        trailing slash), ``startup_seconds`` from spawn to a healthy server.
    """
    script = Path(script).resolve()
    if not script.is_file():
        raise FileNotFoundError(f"Streamlit script not found: {script}")
    port = free_port()
    path = base_url_path.strip("/")
    url = f"http://127.0.0.1:{port}" + (f"/{path}" if path else "")
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = log_path or ARTIFACTS_DIR / f"streamlit-{port}.log"
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--server.baseUrlPath", path,
        *extra_args,
    ]  # fmt: skip
    started = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=cwd or script.parent,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so stop_streamlit gets the children too
        )
    server = StreamlitServer(url, script, process, log_path, startup_seconds=float("nan"))
    deadline = started + timeout
    while not _health_ok(url):
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {process.returncode} before answering on {url}:\n"
                + server.log_tail()
            )
        if time.perf_counter() > deadline:
            stop_streamlit(server)
            raise TimeoutError(
                f"streamlit did not answer on {url} in {timeout}s:\n{server.log_tail()}"
            )
        time.sleep(0.05)  # poll interval, not a wait for readiness
    server.startup_seconds = time.perf_counter() - started
    return server


def stop_streamlit(server: StreamlitServer, timeout: float = 10.0) -> None:
    """Terminate the server's process group; kill it if it does not exit in ``timeout`` s."""
    process = server.process
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


@contextlib.contextmanager
def running_streamlit(script: Path, **kwargs: object) -> Iterator[StreamlitServer]:
    """Context manager around :func:`start_streamlit` / :func:`stop_streamlit`."""
    server = start_streamlit(script, **kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        stop_streamlit(server)


def require_chromium() -> Path:
    """Return Chromium's path; raise with a clear message if it is not installed."""
    if not CHROMIUM_PATH.exists():
        raise FileNotFoundError(
            f"{CHROMIUM_PATH} is missing: browser tests need Debian's chromium package "
            "(apt-get install chromium). They fail rather than skip so CI cannot pass without it."
        )
    return CHROMIUM_PATH


def launch_chromium(playwright: Playwright) -> Browser:
    """Launch headless Debian Chromium through Playwright (fresh temporary profile)."""
    return playwright.chromium.launch(
        executable_path=str(require_chromium()), args=CHROMIUM_ARGS, headless=True
    )


def wait_for_map(page: Page, timeout: float = 30_000, *, index: int = 0) -> int:
    """Wait until the ``index``-th st_folium map has drawn vector paths; return their count.

    Parameters
    ----------
    page : Page
        A page showing a Streamlit app.
    timeout : float
        Milliseconds to wait (Playwright's unit).
    index : int
        Which st_folium iframe on the page, in document order.

    Returns
    -------
    int
        Number of ``path.leaflet-interactive`` elements (polygons, lines, CircleMarkers) in it.
    """
    paths = page.frame_locator(ST_FOLIUM_IFRAME).nth(index).locator("path.leaflet-interactive")
    paths.first.wait_for(state="attached", timeout=timeout)
    return paths.count()


def collect_console_errors(page: Page) -> list[str]:
    """Start collecting console errors and uncaught exceptions from all frames of ``page``.

    Call before ``page.goto``. Returns a list that fills as errors arrive.
    """
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(f"console.{message.type}: {message.text} @ {message.location}")
            if message.type == "error"
            else None
        ),
    )
    page.on("pageerror", lambda error: errors.append(f"pageerror: {error}"))
    return errors


def is_local_url(url: str, base_url: str) -> bool:
    """True for ``data:``/``about:``/``blob:`` URLs and URLs on the base URL's host and port."""
    if url.startswith(LOCAL_SCHEMES):
        return True
    target, base = urlsplit(url), urlsplit(base_url)
    return (target.hostname, target.port) == (base.hostname, base.port) and target.scheme in (
        "http",
        "https",
        "ws",
        "wss",
    )


@dataclass
class RequestLog:
    """Every request (and WebSocket) a page makes, with a check that none leaves the app."""

    base_url: str
    urls: list[str] = field(default_factory=list)

    def offsite(self) -> list[str]:
        """URLs that went (or tried to go) anywhere but the app's own server."""
        return [url for url in self.urls if not is_local_url(url, self.base_url)]

    def assert_all_local(self) -> None:
        """Fail with the list of offsite URLs, if any."""
        offsite = self.offsite()
        assert not offsite, f"{len(offsite)} request(s) left {self.base_url}: {offsite[:20]}"


def record_requests(page: Page, base_url: str, *, block_offsite: bool = True) -> RequestLog:
    """Record every request and WebSocket ``page`` opens; optionally abort the offsite ones.

    Call before ``page.goto``. Blocking keeps the test off the network (and fast) while the
    offsite URL is still recorded, so :meth:`RequestLog.assert_all_local` reports it.
    """
    log = RequestLog(base_url)

    def on_request(request: Request) -> None:
        log.urls.append(request.url)

    def on_websocket(websocket: WebSocket) -> None:
        log.urls.append(websocket.url)

    page.on("request", on_request)
    page.on("websocket", on_websocket)
    if block_offsite:
        page.route(
            lambda url: not is_local_url(url, base_url),
            lambda route: route.abort("blockedbyclient"),
        )
    return log


def save_screenshot(page: Page, name: str, *, full_page: bool = True) -> Path:
    """Save a PNG of ``page`` as ``tests/artifacts/<name>.png`` and return its path."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS_DIR / f"{safe_name(name)}.png"
    page.screenshot(path=str(path), full_page=full_page)
    return path


def record_timing(name: str, seconds: float) -> None:
    """Append one measurement to ``tests/artifacts/timings.jsonl`` (for performance budgets)."""
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    with (ARTIFACTS_DIR / "timings.jsonl").open("a", encoding="utf-8") as out:
        out.write(
            json.dumps({"name": name, "seconds": round(seconds, 3), "at": time.time()}) + "\n"
        )


def app_errors(errors: list[str]) -> list[str]:
    """Console errors that are the app's, without Streamlit's own base-path probes.

    Opening a deep link such as ``/measures`` makes Streamlit's frontend first try
    ``/measures/_stcore/health`` and ``/measures/_stcore/host-config`` to find its base path;
    their 404s are expected and harmless.
    """
    return [
        e
        for e in errors
        if not ("404" in e and ("/_stcore/health" in e or "/_stcore/host-config" in e))
    ]
