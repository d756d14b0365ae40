"""What the benchmark measures: the app's pages (from ``geo.app.ui.PAGES``), their filter changes,
and where each page lives in our app and in the naive one."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
OUR_APP = REPO_DIR / "app.py"
NAIVE_APP = REPO_DIR / "benchmarks" / "naive_app.py"
FLOOR_APP = REPO_DIR / "benchmarks" / "floor_app.py"
RESULTS_DIR = REPO_DIR / "benchmarks" / "results"
NAIVE_PAGES = (
    "overview",
    "measures",
    "projects",
    "region",
    "partners",
    "units",
    "briefing",
    "data",
)


@dataclass(frozen=True)
class Page:
    """One page: script path, URL path (``""`` for the default page), filter change, map."""

    path: str
    url_path: str
    filter: tuple[str, object] | None

    @property
    def name(self) -> str:
        return self.url_path or "overview"

    @property
    def naive_page(self) -> str:
        return self.name


def pages() -> list[Page]:
    """Every page whose file exists, in menu order (new pages join automatically).

    Importing :mod:`geo.app.ui` installs our folium render fixes in this process; callers that go
    on to run the naive app call :func:`geo.render.perf.uninstall_render_fixes` (see server_bench).
    """
    from geo.app import ui
    from geo.render import perf

    return [Page(p.path, p.url_path, perf.FILTER_CHANGES.get(p.url_path)) for p in ui.PAGES]


# The floor app's one page (benchmarks/floor_app.py) and its filter.
FLOOR_PAGE = Page("benchmarks/floor_app.py", "", ("floor_square", "north"))
FLOOR_LABELS = ("south", "north")


def url(base: str, app: str, page: Page) -> str:
    """The page's address in our app (``/measures``), the naive one (``/?page=measures``) or
    the floor app (``/``)."""
    if app == "ours":
        return f"{base}/{page.url_path}"
    if app == "floor":
        return f"{base}/"
    return f"{base}/?page={page.naive_page}"
