"""Shared fixtures: the AppTest pages-directory fix, a live Streamlit server, headless Chromium."""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from browser_support import (
    REPO_DIR,
    StreamlitServer,
    launch_chromium,
    require_chromium,
    start_streamlit,
    stop_streamlit,
)
from playwright.sync_api import Browser, Page, sync_playwright
from streamlit.runtime.pages_manager import PagesManager

# A page's bug must reach the tests as an exception (AppTest's ``at.exception``, the browser's
# error box), not as the friendly message ``geo.app.ui.run_page`` shows users instead.
os.environ.setdefault("PPRD_RAISE_PAGE_ERRORS", "1")


@pytest.fixture
def apptest_navigation_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make ``AppTest`` treat an ``st.navigation`` app like the live server does.

    AppTest re-creates a ``PagesManager`` on every run, and ``PagesManager.__init__`` turns on
    "pages-directory mode" when a ``pages/`` folder sits beside the script; the shared widgets
    of ``app.py`` then vanish from the second run on. Resetting the class flag after each
    ``__init__`` keeps AppTest in st.navigation mode. Use it on every AppTest of ``app.py``.
    """
    original_init = PagesManager.__init__

    @functools.wraps(original_init)
    def init_without_pages_directory(self: PagesManager, *args: object, **kwargs: object) -> None:
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    # Registered first, so teardown restores the flag's value from before the test.
    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)
    monkeypatch.setattr(PagesManager, "__init__", init_without_pages_directory)


StreamlitFactory = Callable[..., StreamlitServer]


@pytest.fixture(scope="session")
def streamlit_server_factory() -> Iterator[StreamlitFactory]:
    """Start ``streamlit run`` servers for the session; each distinct call starts one.

    ``factory(script, env={"PPRD_DATA_DIR": ...}, cwd=..., base_url_path="", extra_args=())``
    returns a
    :class:`browser_support.StreamlitServer` (``.url``, ``.startup_seconds``). The same
    arguments return the same running server; all are stopped (process group) at session end.
    """
    servers: dict[tuple[object, ...], StreamlitServer] = {}

    def factory(
        script: Path,
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        base_url_path: str = "",
        extra_args: tuple[str, ...] = (),
        timeout: float = 60.0,
    ) -> StreamlitServer:
        env_items = tuple(sorted((env or {}).items()))
        key = (Path(script).resolve(), env_items, cwd, base_url_path, tuple(extra_args))
        if key not in servers:
            servers[key] = start_streamlit(
                Path(script),
                env=env,
                cwd=cwd,
                base_url_path=base_url_path,
                extra_args=extra_args,
                timeout=timeout,
            )
        return servers[key]

    yield factory
    for server in servers.values():
        stop_streamlit(server)


@pytest.fixture(scope="session")
def app_server(streamlit_server_factory: StreamlitFactory) -> StreamlitServer:
    """The real ``app.py``, run from the repo with this process's environment.

    ``PPRD_DATA_DIR`` passes through; for another data dir, call ``streamlit_server_factory``
    with ``env={"PPRD_DATA_DIR": str(path)}`` in a fixture of your own.
    """
    return streamlit_server_factory(REPO_DIR / "app.py", cwd=REPO_DIR)


@pytest.fixture(scope="session")
def app_url(app_server: StreamlitServer) -> str:
    """Base URL of the running ``app.py``, e.g. ``http://127.0.0.1:8765`` (no trailing slash)."""
    return app_server.url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless Debian Chromium for the session. Fails (never skips) if it is not installed."""
    try:
        require_chromium()
        missing = ""
    except FileNotFoundError as error:
        missing = str(error)
    if missing:
        pytest.fail(missing, pytrace=False)
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context (no cookies, storage or cache from other tests)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    context.set_default_timeout(30_000)
    try:
        yield context.new_page()
    finally:
        context.close()
