"""Fixtures for every layer of tests: the shipped dataset, loaded once per session.

The layers have their own: ``apptest/conftest.py`` (AppTest of ``st.navigation`` apps) and
``browser/conftest.py`` (a live Streamlit server, headless Chromium). Support modules used by
more than one layer (``broken.py``, ``hostile.py``, ``sample_map.py``, ``server_support.py``) sit
here, beside this file: pytest puts this folder on ``sys.path``. A layer's own support module
sits in its folder (``apptest/apptest_support.py``, ``browser/browser_support.py``).
"""

from __future__ import annotations

import os

import pytest

from geo.core.dataset import Dataset, load_dataset

# A page's bug must reach the tests as an exception (AppTest's ``at.exception``, the browser's
# error box), not as the friendly message ``geo.app.ui.run_page`` shows users instead.
os.environ.setdefault("PPRD_RAISE_PAGE_ERRORS", "1")


@pytest.fixture(scope="session")
def ds() -> Dataset:
    """The dataset shipped in ``data/`` (or ``$PPRD_DATA_DIR``), loaded once for the session.

    Shared by every test that asks for it: use it read-only (``dataclasses.replace`` for a
    variant), as the ``geo`` functions do.
    """
    return load_dataset()
