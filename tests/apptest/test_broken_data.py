"""Broken data gets a clear answer: the validator and the app name the file, row and problem.

Each case of :data:`broken.CASES` breaks a copy of ``data/`` one way. ``python -m geo validate``
must name the file (and row) and the problem and exit non-zero; the app, pointed at the copy
with ``PPRD_DATA_DIR``, must show one error box saying the same on every page, with no
exception; and nothing in the repo's ``data/`` may change. The same error page in a real browser:
``tests/browser/test_browser_broken_data.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from apptest_support import open_page
from broken import CASES, DATA_DIR, BrokenCase, assert_names, tree_digest
from streamlit.testing.v1 import AppTest

from geo.__main__ import main
from geo.app import ui
from geo.core.i18n import t
from geo.core.paths import REPO_DIR

CASE_IDS = [c.name for c in CASES]


DIGEST_AT_START = tree_digest(DATA_DIR)


@pytest.fixture(scope="module")
def broken_dirs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {c.name: c.make(tmp_path_factory.mktemp(c.name) / "data") for c in CASES}


@pytest.fixture(autouse=True)
def data_untouched():
    """Every test leaves the repo's data/ byte for byte as it found it."""
    yield
    assert tree_digest(DATA_DIR) == DIGEST_AT_START, "data/ changed during the test"


def problem_lines(stderr: str, root: Path) -> list[str]:
    return [
        line.removeprefix("error: ").replace(f"{root}{os.sep}", "")
        for line in stderr.splitlines()
        if line.startswith("error: ")
    ]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_validate_names_file_row_and_problem(case: BrokenCase, broken_dirs, capsys) -> None:
    root = broken_dirs[case.name]
    code = main(["--data-dir", str(root), "validate"])
    _, err = capsys.readouterr()
    assert code == 1
    problems = problem_lines(err, root)
    assert problems, err
    assert_names(problems[0], case)
    assert f"problem(s) in {root}" in err


def test_validate_exit_status_from_the_command_line(broken_dirs) -> None:
    root = broken_dirs["duplicate_id"]
    done = subprocess.run(
        [sys.executable, "-m", "geo", "--data-dir", str(root), "validate"],
        capture_output=True,
        text=True,
        cwd=REPO_DIR,
        timeout=120,
    )
    assert done.returncode == 1
    assert "projects.csv, row 3: duplicate id 'ganshen_hsr'" in done.stderr
    ok = subprocess.run(
        [sys.executable, "-m", "geo", "validate"],
        capture_output=True,
        text=True,
        cwd=REPO_DIR,
        timeout=120,
        env={**os.environ, "PPRD_DATA_DIR": ""},
    )
    assert ok.returncode == 0, ok.stderr


def error_page(at: AppTest) -> str:
    """The one error box of a page run on broken data (and nothing else went wrong)."""
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.error) == 1, [e.value for e in at.error]
    return str(at.error[0].value)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_app_shows_one_clear_error(
    case: BrokenCase, broken_dirs, monkeypatch, apptest_navigation_mode
) -> None:
    root = broken_dirs[case.name]
    monkeypatch.setenv("PPRD_DATA_DIR", str(root))
    at = open_page()
    message = error_page(at)
    assert t("data_error_title", "zh") in message
    assert_names(message.replace("\\", ""), case)  # markdown escapes shown as plain text
    assert str(root) not in message  # files relative to the data directory
    assert "Traceback" not in message
    assert not at.title and not at.dataframe  # the page stopped at the error


@pytest.mark.parametrize("spec", list(ui.PAGES), ids=lambda p: p.url_path or "overview")
def test_every_page_shows_the_error_page(
    spec: ui.PageSpec, broken_dirs, monkeypatch, apptest_navigation_mode
) -> None:
    case = next(c for c in CASES if c.name == "unknown_adcode")
    monkeypatch.setenv("PPRD_DATA_DIR", str(broken_dirs[case.name]))
    at = open_page(spec.path, lang="en")
    message = error_page(at)
    assert t("data_error_title", "en") in message
    assert_names(message.replace("\\", ""), case)


def test_unexpected_loader_failure_is_the_error_page_too(
    broken_dirs, monkeypatch, apptest_navigation_mode
) -> None:
    """A failure that is not a known kind of bad data still gets the page, not a traceback."""

    def boom(root: str, stamp: float) -> None:
        raise KeyError("geometry")

    monkeypatch.setattr(ui, "_cached_dataset", boom)
    message = error_page(open_page())
    assert "KeyError" in message and t("data_error_title", "zh") in message


def test_a_page_bug_shows_a_clear_message_not_a_traceback(monkeypatch) -> None:
    monkeypatch.delenv(ui.RAISE_PAGE_ERRORS_ENV, raising=False)

    def app() -> None:
        import streamlit as st

        from geo.app import ui

        def broken_page() -> None:
            st.write("before")
            raise RuntimeError("a bug in a page")

        ui.run_page(st.navigation([st.Page(broken_page, title="x")]))

    at = AppTest.from_function(app).run()
    assert not at.exception
    assert len(at.error) == 1
    assert t("page_error_title", "zh") in at.error[0].value
    assert "a bug in a page" not in at.error[0].value  # details go to the log only
    monkeypatch.setenv(ui.RAISE_PAGE_ERRORS_ENV, "1")
    assert AppTest.from_function(app).run().exception  # the test suite sees the bug


def test_a_missing_data_directory_is_named_once(
    tmp_path, capsys, monkeypatch, apptest_navigation_mode
) -> None:
    missing = tmp_path / "no-such-dir"
    assert main(["--data-dir", str(missing), "validate"]) == 1
    err = capsys.readouterr().err
    assert problem_lines(err, tmp_path) == [
        "no-such-dir: data directory not found (see --data-dir or $PPRD_DATA_DIR)"
    ]
    monkeypatch.setenv("PPRD_DATA_DIR", str(missing))
    message = error_page(open_page()).replace("\\", "")
    assert "data directory not found" in message and "PPRD_DATA_DIR" in message
    assert str(tmp_path) not in message


def test_data_dir_unchanged_by_the_whole_module() -> None:
    assert tree_digest(DATA_DIR) == DIGEST_AT_START
