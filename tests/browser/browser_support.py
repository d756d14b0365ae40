"""Helpers for end-to-end tests in headless Chromium (the server they open: ``server_support``).

The fixtures in ``conftest.py`` wrap these; tests normally use the fixtures. Everything waits
on a condition with a deadline, never on a fixed sleep.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import Browser, Page, Playwright, Request, WebSocket
from server_support import ARTIFACTS_DIR

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


def safe_name(name: str) -> str:
    """Turn a pytest node name such as ``test_x[a/b]`` into a file name."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_") or "unnamed"


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
