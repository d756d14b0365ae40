"""Fixtures for end-to-end tests: live ``streamlit run`` servers and headless Chromium."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pytest
from browser_support import launch_chromium, require_chromium
from playwright.sync_api import Browser, Page, sync_playwright
from server_support import REPO_DIR, StreamlitServer, start_streamlit, stop_streamlit

StreamlitFactory = Callable[..., StreamlitServer]


@pytest.fixture(scope="session")
def streamlit_server_factory() -> Iterator[StreamlitFactory]:
    """Start ``streamlit run`` servers for the session; each distinct call starts one.

    ``factory(script, env={"PPRD_DATA_DIR": ...}, cwd=..., base_url_path="", extra_args=())``
    returns a
    :class:`server_support.StreamlitServer` (``.url``, ``.startup_seconds``). The same
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
