"""Running the app's pages under Streamlit's AppTest, as the live server would."""

from __future__ import annotations

from collections.abc import Mapping

from streamlit.testing.v1 import AppTest

from geo.core.paths import REPO_DIR

APP = str(REPO_DIR / "app.py")
TIMEOUT = 60


def open_page(
    page: str | None = None, params: Mapping[str, str] | None = None, lang: str | None = None
) -> AppTest:
    """Run ``app.py`` on ``page`` (e.g. ``"pages/measures.py"``) with URL ``params``.

    Needs the ``apptest_navigation_mode`` fixture (see conftest). Raises AssertionError if the
    run raised.
    """
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    query = dict(params or {})
    if lang:
        query["lang"] = lang
    for key, value in query.items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def texts(at: AppTest) -> str:
    """All the text of markdown, captions, titles, headers and info boxes, joined."""
    parts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "text",
        "warning",
        "error",
    ):
        parts.extend(str(e.value) for e in getattr(at, kind))
    return "\n".join(parts)
