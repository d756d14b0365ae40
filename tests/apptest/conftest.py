"""AppTest fixtures: make ``AppTest`` run an ``st.navigation`` app as the live server does."""

from __future__ import annotations

import functools

import pytest
from streamlit.runtime.pages_manager import PagesManager


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
