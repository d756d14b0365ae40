"""Bad links do no harm: random and malformed query parameters on every page (hypothesis).

Every page of :data:`geo.app.ui.PAGES` that exists is run through AppTest with link parameters drawn
by hypothesis: the page's own parameters (read from its ``ui.Param("name", "key", ...)`` calls,
so a new page is covered without a change here) and ``lang``, with values that no parser may
accept (control characters, markup, bidi overrides, 20,000-character strings, near-valid values
with junk attached), plus parameters no page knows. Each run must raise nothing, show a note
naming every rejected parameter, and leave the widgets at their defaults.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from apptest_support import open_page
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from geo.app import ui
from geo.core.paths import REPO_DIR
from geo.render.safe import md

PAGES = list(ui.PAGES)
PARAM_RE = re.compile(r"""Param\(\s*["']([^"']+)["']\s*,\s*["']([^"']+)["']""")
# The frame's own parameters, on every page: the language and the shared basemap choice.
APP_PARAMS = {"lang": "lang", "basemap": ui.BASEMAP_KEY}
FREE_TEXT = {"q"}  # parameters that take any text (cut to a length), never rejected
# Characters no valid value holds (adcodes, ids, numbers, unit and view names, choices).
JUNK = (
    "\x00",
    "\x1b",
    "\x7f",
    "<",
    ">",
    '"',
    "'",
    "`",
    "\\",
    "\u202e",
    "\u200b",
    "\ufffd",
    "\U0001f5fa",
    "{{",
    "${",
    "%00",
    "\n",
    "\t",
    "&",
    "#",
    "?",
    "/",
    ";",
    "=",
    " ,",
)
NEAR_VALID = (
    "1",
    "7",
    "28",
    "99",
    "0",
    "-1",
    "360000",
    "360700",
    "city",
    "province",
    "kind",
    "status",
    "ganshen_hsr",
    "1,2",
    "省发改委",
    "true",
    "2020",
    "measures",
    "en",
    "zh",
    "pprd",
    "current",
    "9" * 5000,
)
EXAMPLES = 15


def page_params(spec: ui.PageSpec) -> dict[str, str]:
    """The page's link parameters (name → widget key), read from its source."""
    source = (REPO_DIR / spec.path).read_text(encoding="utf-8")
    return {**dict(PARAM_RE.findall(source)), **APP_PARAMS}


def junk_value() -> st.SearchStrategy[str]:
    before = st.one_of(st.text(max_size=30), st.sampled_from(NEAR_VALID))
    short = st.builds(
        lambda a, j, b: a + j + b, before, st.sampled_from(JUNK), st.text(max_size=30)
    )
    huge = st.builds(lambda j, n: (j + "x") * n, st.sampled_from(JUNK), st.integers(5000, 10000))
    return st.one_of(short, short, short, huge)


def query(known: dict[str, str]) -> st.SearchStrategy[dict[str, str]]:
    names = sorted(known)
    unknown = st.text(min_size=1, max_size=20).filter(lambda n: n not in known)
    return st.builds(
        lambda chosen, values, extra: {**dict(zip(chosen, values, strict=False)), **extra},
        st.lists(st.sampled_from(names), unique=True, min_size=1, max_size=min(4, len(names))),
        st.lists(junk_value(), min_size=4, max_size=4),
        st.dictionaries(unknown, st.text(max_size=50), max_size=2),
    )


@cache
def defaults(path: str) -> dict[str, object]:
    """Widget state of the page opened with no parameters."""
    at = open_page(path)
    return {key: state_of(at, key) for key in page_params(spec_of(path)).values()}


def spec_of(path: str) -> ui.PageSpec:
    return next(p for p in PAGES if p.path == path)


def state_of(at: AppTest, key: str) -> object:
    # AppTest's session-state proxy has no .get()
    return at.session_state[key] if key in at.session_state else None  # noqa: SIM401


def notes(at: AppTest) -> str:
    return "\n".join(str(e.value) for e in at.info)


@pytest.mark.slow
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path or "overview" for p in PAGES])
def test_random_link_parameters_do_no_harm(spec: ui.PageSpec, apptest_navigation_mode) -> None:
    known = page_params(spec)
    assert len(known) >= 1

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    )
    @given(params=query(known))
    def run(params: dict[str, str]) -> None:
        at = open_page(spec.path, params)  # asserts that nothing raised
        base = defaults(spec.path)
        shown = notes(at)
        for name, value in params.items():
            if name not in known:
                continue
            key = known[name]
            if name in FREE_TEXT:
                assert state_of(at, key) == value[:100]
                continue
            assert f"{md(name)}=" in shown, (name, value[:60], shown)
            assert state_of(at, key) == base[key], (name, value[:60])
        assert len(at.title) == 1, "the page stopped without its title"
        assert not at.error, [e.value for e in at.error]

    run()


def test_parameter_discovery_reads_every_page() -> None:
    found = {p.url_path: set(page_params(p)) for p in PAGES}
    assert {"level", "section", "unit", "region", "q", "measure", "lang"} <= found["measures"]
    assert all({"lang", "basemap"} <= names for names in found.values())
    if "projects" in found:
        assert {"project", "kind", "status", "year", "open", "colour"} <= found["projects"]
