"""Server time per rerun and map bytes, for one app, measured in-process with Streamlit's AppTest.

Run by ``benchmarks.run`` once per app, each in its own process (our app installs folium render
fixes that must not leak into the naive one)::

    python -m benchmarks.server_bench --app ours|naive [--repeats 10] --out result.json

Why AppTest and how the time is taken: AppTest runs the real script (``app.py`` and the page, or
``naive_app.py``) in a real ``ScriptRunner`` with the real caches, minus the websocket. The time
of each script run is taken inside ``ScriptRunner._run_script`` (wall clock and the script
thread's CPU time), so AppTest's own bookkeeping is not counted. One rerun as a user sees it may
be several script runs (a page started outside the frame reruns once); their times are summed.

For each page: one first run (a new session), ``repeats`` warm reruns of the default view, and
``repeats`` filter changes (default → the value in ``geo.render.perf.FILTER_CHANGES``, timed;
then back to the default, not timed). The map payloads (the st_folium component's JSON
arguments, exactly as serialised for the browser) are read after the first default run and the
first filter run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import threading
import time
from pathlib import Path
from typing import Any

from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import script_runner
from streamlit.testing.v1 import AppTest

from benchmarks import scenarios
from geo.render import perf

TIMEOUT = 300

_runs: list[tuple[float, float]] = []  # (wall s, CPU s) of each script run
_lock = threading.Lock()
_original_run_script = script_runner.ScriptRunner._run_script


def _timed_run_script(self: Any, *args: Any, **kwargs: Any) -> Any:
    wall, cpu = time.perf_counter(), time.thread_time()
    try:
        return _original_run_script(self, *args, **kwargs)
    finally:
        with _lock:
            _runs.append((time.perf_counter() - wall, time.thread_time() - cpu))


def _navigation_mode() -> None:
    """AppTest treats a script with a ``pages/`` folder beside it as a pages-directory app; the
    live server (with st.navigation) does not. Same fix as the tests' conftest fixture."""
    original = PagesManager.__init__

    def init(self: PagesManager, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    PagesManager.__init__ = init  # type: ignore[method-assign]


def _run(at: AppTest) -> tuple[float, float]:
    """Run the app once; return the summed (wall, CPU) seconds of its script runs."""
    with _lock:
        _runs.clear()
    at.run()
    if at.exception:
        raise RuntimeError(f"the app raised: {[e.value for e in at.exception]}")
    with _lock:
        return sum(r[0] for r in _runs), sum(r[1] for r in _runs)


def _summary(samples: list[tuple[float, float]]) -> dict[str, float]:
    walls = sorted(s[0] for s in samples)
    cpus = sorted(s[1] for s in samples)
    p90 = walls[min(len(walls) - 1, round(0.9 * (len(walls) - 1)))]
    return {
        "n": len(samples),
        "median_ms": 1000 * statistics.median(walls),
        "p90_ms": 1000 * p90,
        "min_ms": 1000 * walls[0],
        "cpu_median_ms": 1000 * statistics.median(cpus),
    }


def _payloads(at: AppTest) -> list[dict[str, int]]:
    return [{"raw": p.size.raw, "gzip": p.size.gzip} for p in perf.map_payloads(at)]


def _label(widget: Any) -> str | None:
    """The option text the user sees for the widget's current value (for the browser run)."""
    options, index = getattr(widget, "options", None), getattr(widget, "index", None)
    if options is not None and isinstance(index, int):
        return str(options[index])
    return None


def _open(app: str, page: scenarios.Page) -> AppTest:
    if app == "ours":
        at = AppTest.from_file(str(scenarios.OUR_APP), default_timeout=TIMEOUT)
        at.switch_page(page.path)
    else:
        at = AppTest.from_file(str(scenarios.NAIVE_APP), default_timeout=TIMEOUT)
        at.query_params["page"] = page.naive_page
    return at


def bench_page(
    app: str, page: scenarios.Page, repeats: int, payload_only: bool = False
) -> dict[str, Any]:
    """First run, warm reruns and filter changes of one page; payloads of both views."""
    at = _open(app, page)
    first = _run(at)
    result: dict[str, Any] = {"first_run_ms": 1000 * first[0], "payload_default": _payloads(at)}
    if payload_only:
        return result
    result["default"] = _summary([_run(at) for _ in range(repeats)])
    if page.filter is None:
        return result
    key, value = page.filter
    widget = at.get_by_key(key) if hasattr(at, "get_by_key") else None
    if widget is None:
        result["filter_error"] = f"no widget with key {key!r}"
        return result
    default = widget.value
    result["filter_default_label"] = _label(widget)
    samples = []
    for i in range(repeats):
        at.get_by_key(key).set_value(value)
        samples.append(_run(at))
        if i == 0:
            result["payload_filter"] = _payloads(at)
            result["filter_label"] = _label(at.get_by_key(key))
        at.get_by_key(key).set_value(default)
        _run(at)
    result["filter"] = _summary(samples)
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--app", choices=("ours", "naive"), required=True)
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--pages", nargs="*", help="URL paths (default: every page)")
    parser.add_argument(
        "--payload-only",
        action="store_true",
        help="only the first run of each page and its map bytes",
    )
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    _navigation_mode()
    script_runner.ScriptRunner._run_script = _timed_run_script  # type: ignore[method-assign]
    os.chdir(scenarios.REPO_DIR)
    page_list = scenarios.pages()
    if args.app == "naive":
        perf.uninstall_render_fixes()  # the naive build renders with folium as shipped
        perf.uninstall_compact_coordinates()
    results: dict[str, Any] = {
        "app": args.app,
        "env": {k: v for k, v in os.environ.items() if k.startswith("NAIVE_")},
        "render_fixes": perf.render_fixes_installed(),
        "pages": {},
    }
    for page in page_list:
        if args.pages is not None and page.url_path not in args.pages:
            continue
        started = time.perf_counter()
        try:
            results["pages"][page.url_path] = bench_page(
                args.app, page, args.repeats, args.payload_only
            )
        except Exception as exc:  # one broken page must not hide the others' figures
            results["pages"][page.url_path] = {"error": f"{type(exc).__name__}: {exc}"[:500]}
        print(
            f"  {args.app:5s} {page.name:9s} {time.perf_counter() - started:5.1f} s",
            file=sys.stderr,
            flush=True,
        )
    results["render_fixes"] = perf.render_fixes_installed()
    results["compact_coordinates"] = perf.compact_coordinates_installed()
    Path(args.out).write_text(json.dumps(results, indent=1, ensure_ascii=False), "utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
