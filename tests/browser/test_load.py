"""Many users at once, reduced for CI: concurrent browser sessions on every page.

The full run (24 sessions) is ``python -m benchmarks.load``; see README, "Reliability". Here
``$PPRD_LOAD_SESSIONS`` sessions (default 3) run the same script: every page with its map, a
region filter of their own from a link, a widget change, and a check after all the others set
theirs that each still sees only its own filter.
"""

from __future__ import annotations

import math
import os
import sys
from concurrent.futures import ThreadPoolExecutor

import pytest
from server_support import ARTIFACTS_DIR, REPO_DIR

sys.path.insert(0, str(REPO_DIR))
from benchmarks.load import run_load

pytestmark = pytest.mark.browser
SESSIONS = int(os.environ.get("PPRD_LOAD_SESSIONS", "3"))
WAIT_S = 240.0  # deadline of each wait; the run as a whole is bounded by twice this
GROWTH_PER_SESSION_MB = 60  # server memory kept per closed session, at most


@pytest.mark.slow
def test_concurrent_sessions_all_draw_their_maps_and_keep_their_own_filters() -> None:
    # In its own thread: the session's sync Playwright fixtures keep an event loop running on
    # this one, and run_load starts its own with asyncio.run.
    with ThreadPoolExecutor(max_workers=1) as pool:
        report = pool.submit(run_load, SESSIONS, timeout_s=WAIT_S).result()
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS_DIR / "load_ci.txt").write_text(report.summary() + "\n", encoding="utf-8")

    assert report.errors == []
    assert report.sessions == SESSIONS
    assert report.maps_drawn == report.maps_expected >= SESSIONS * 2
    assert report.own_filter_checks == 2 * SESSIONS  # before and after all others set theirs
    assert math.isfinite(report.map_p95_s) and report.map_p95_s < WAIT_S
    assert report.wall_s < 2 * WAIT_S
    assert report.rss_start_mb < report.rss_warm_mb  # the figures are real measurements
    assert report.rss_after_mb - report.rss_warm_mb < GROWTH_PER_SESSION_MB * SESSIONS


def test_load_refuses_anything_but_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        run_load(1, url="http://192.0.2.10:8501")
