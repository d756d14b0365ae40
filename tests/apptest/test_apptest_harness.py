"""The test harness itself: the AppTest fixture for ``st.navigation`` apps and the trap it is
for."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

NAV_APP = """\
import streamlit as st

pg = st.navigation([st.Page("pages/one.py", title="One"), st.Page("pages/two.py", title="Two")])
st.sidebar.selectbox("Level", ["province", "city"], key="shared_level")
pg.run()
"""


@pytest.fixture
def nav_app(tmp_path: Path) -> Path:
    """A tiny st.navigation app with a shared sidebar widget and a pages/ folder beside it."""
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "one.py").write_text(
        "import streamlit as st\n\nst.write(f'one at {st.session_state.shared_level}')\n"
    )
    (tmp_path / "pages" / "two.py").write_text("import streamlit as st\n\nst.write('two')\n")
    (tmp_path / "app.py").write_text(textwrap.dedent(NAV_APP))
    return tmp_path / "app.py"


def test_apptest_keeps_shared_widgets_with_the_fixture(
    apptest_navigation_mode: None, nav_app: Path
) -> None:
    at = AppTest.from_file(str(nav_app)).run()
    assert [box.label for box in at.selectbox] == ["Level"]
    at.selectbox(key="shared_level").select("city").run()
    assert [box.label for box in at.selectbox] == ["Level"]
    assert at.markdown[0].value == "one at city"
    at.switch_page("pages/two.py").run()
    assert [box.label for box in at.selectbox] == ["Level"]
    assert at.markdown[0].value == "two"
    assert not at.exception


def test_apptest_loses_shared_widgets_without_the_fixture(
    nav_app: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The trap the fixture exists for. If this fails, Streamlit fixed it: drop the fixture."""
    monkeypatch.setattr(PagesManager, "uses_pages_directory", PagesManager.uses_pages_directory)
    at = AppTest.from_file(str(nav_app)).run()
    at.selectbox(key="shared_level").select("city").run()
    assert [box.label for box in at.selectbox] == []
    assert PagesManager.uses_pages_directory is True
