"""Broken data in a real browser: the app shows one clear error box, no exception, no traceback.

The validator and the AppTest checks of the same cases: ``tests/apptest/test_broken_data.py``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from broken import CASES, DATA_DIR, assert_names, tree_digest
from browser_support import app_errors, collect_console_errors, save_screenshot
from server_support import REPO_DIR

DIGEST_AT_START = tree_digest(DATA_DIR)


@pytest.fixture(scope="module")
def broken_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The one broken copy opened here (AppTest checks every case's message)."""
    case = next(c for c in CASES if c.name == "duplicate_id")
    return {case.name: case.make(tmp_path_factory.mktemp(case.name) / "data")}


@pytest.fixture(autouse=True)
def data_untouched():
    """Every test leaves the repo's data/ byte for byte as it found it."""
    yield
    assert tree_digest(DATA_DIR) == DIGEST_AT_START, "data/ changed during the test"


@pytest.mark.browser
def test_error_page_in_a_browser(streamlit_server_factory, broken_dirs, page, request) -> None:
    case = next(c for c in CASES if c.name == "duplicate_id")
    server = streamlit_server_factory(
        REPO_DIR / "app.py", cwd=REPO_DIR, env={"PPRD_DATA_DIR": str(broken_dirs[case.name])}
    )
    errors = collect_console_errors(page)
    for path in ("/", "/measures?lang=en"):
        page.goto(server.url + path)
        alert = page.locator('[data-testid="stAlertContentError"]')
        alert.first.wait_for()
        text = alert.first.inner_text()
        assert_names(text, case)
        assert alert.count() == 1
        assert page.locator('[data-testid="stException"]').count() == 0
        assert "Traceback" not in page.locator("body").inner_text()
        save_screenshot(page, f"{request.node.name}{path.replace('/', '_')}")
    assert app_errors(errors) == []
