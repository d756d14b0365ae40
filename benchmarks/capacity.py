"""Server capacity with protocol sessions (no browsers): 1 process vs N replicas behind HAProxy.

    python3 -m benchmarks.capacity                          # replicas 1 and 2; 1, 10, 50, 200
    python3 -m benchmarks.capacity --replicas 1 --levels 10 --views default new

For each replica count the app is started with ``deploy.serve`` (HAProxy in front, the same
configuration a department uses) on free loopback ports. After a warm-up visit of every page,
each level runs ``c`` :class:`benchmarks.protocol.ProtocolSession`\\ s at once; each opens the
app's map pages in turn (the pages come from the app's own navigation message; session ``i``
starts at page ``i``), ``ceil(60 / c)`` visits each (at least 1, at most 7: one round of the
pages), so every level makes 60 visits or more and stays bounded; a level also stops at
``--level-timeout``.

Reported per level: visits finished and failed; p50/p95/max seconds from the rerun request to
``script_finished``; visits per second (finished visits ÷ the level's wall time); the replicas'
CPU seconds (``/proc/<pid>/stat``) per visit; HAProxy's and the generator's own CPU; the
replicas' resident memory before, at the peak and after the sessions closed, and the peak's
growth per session. At the end, memory once more after Streamlit's disconnected-session TTL
(``--settle``). Loopback only. Writes ``benchmarks/results/capacity.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import math
import os
import resource
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import quote

from benchmarks.procstats import cpu_seconds, rss_mb
from benchmarks.protocol import ProtocolSession, Visit, require_loopback
from geo.core.constants import PARTNERS
from geo.core.i18n import LANGS

REPO_DIR = Path(__file__).resolve().parent.parent
RESULTS = REPO_DIR / "benchmarks" / "results"
MAX_SESSIONS = 500


def own_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


class Sampler:
    """Sum of the replicas' RSS every 0.2 s in a thread; keeps the peak."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = self.now()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def now(self) -> float:
        total = 0.0
        for pid in self.pids:
            with contextlib.suppress(OSError):
                total += rss_mb(pid)
        return total

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            self.peak = max(self.peak, self.now())

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


@dataclass
class Level:
    replicas: int
    sessions: int
    visits_per_session: int
    views: str  # "default" or "new" (see Links)
    visits_ok: int = 0
    visits_failed: int = 0
    p50_s: float = float("nan")
    p95_s: float = float("nan")
    max_s: float = float("nan")
    wall_s: float = float("nan")
    visits_per_s: float = float("nan")
    server_cpu_s: float = float("nan")
    cpu_per_visit_s: float = float("nan")
    proxy_cpu_s: float = float("nan")
    generator_cpu_s: float = float("nan")
    rss_before_mb: float = float("nan")
    rss_peak_mb: float = float("nan")
    rss_after_mb: float = float("nan")
    mb_per_session: float = float("nan")
    load_before: float = float("nan")  # the machine's 1-minute load average (other work)
    load_after: float = float("nan")
    replica_share: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


class Links:
    """The link each visit opens. ``default``: every page without parameters, the view most
    visits open (after the warm-up, every page's map is already kept). ``new``: a view nobody
    opened before in this run wherever the page has enough of them (a county's region page, a
    city's measures at county level, the projects crossing a region in a year, a unit, the
    briefing of a region), so each map is built and rendered on the visit; the overview has no
    parameters and the partners page only 20 views (10 partners × 2 languages)."""

    def __init__(self, views: str) -> None:
        self.views = views
        self._links: dict[str, list[str]] = {}
        if views == "new":
            self._links = fresh_links()

    def next(self, page: str) -> str:
        links = self._links.get(page)
        if not links:
            return ""
        link = links.pop()
        if page == "partners":  # only 20 views: round and round
            links.insert(0, link)
        return link


def fresh_links() -> dict[str, list[str]]:
    """Per page, link query strings of distinct views, in a fixed shuffled order (popped from
    the end)."""
    import random

    from geo.core import paths
    from geo.core.dataset import load_dataset
    from geo.present.project_view import region_filter_options, year_range

    ds = load_dataset(paths.data_dir())
    table = ds.region_table
    counties = sorted(table.index[table["level"] == "county"])
    cities = sorted(table.index[table["level"] == "city"])
    years = list(year_range())
    crossed = region_filter_options(ds)
    links = {
        "region": [f"region={c}" for c in counties],
        "measures": [f"level=county&region={c}" for c in cities],
        "projects": [f"region={r}&year={y}" for r in crossed for y in years],
        "units": [f"unit={quote(u)}&lang={lang}" for u in ds.units["name_zh"] for lang in LANGS],
        "briefing": [f"view=current&level=county&region={c}" for c in cities],
        "partners": [f"partner={p}&lang={lang}" for p in PARTNERS for lang in LANGS],
    }
    rng = random.Random(12)
    for items in links.values():
        rng.shuffle(items)
    return links


async def one_session(
    base: str, pages: list[str], index: int, visits: int, timeout: float, links: Links
) -> tuple[list[Visit], list[str]]:
    done: list[Visit] = []
    s = ProtocolSession(base, timeout=timeout, digests=False)
    try:
        for k in range(visits):
            page = pages[(index + k) % len(pages)]
            done.append(await s.open(page, links.next(page)))
    except Exception as exc:  # recorded as a failed visit, the level goes on
        v = Visit(pages[(index + len(done)) % len(pages)], "", "open", status="error")
        v.errors.append(f"{type(exc).__name__}: {exc}")
        done.append(v)
    finally:
        await s.close()
    return done, s.replicas


async def run_level(
    base: str,
    pages: list[str],
    replicas: int,
    sessions: int,
    pids: list[int],
    proxy_pid: int,
    *,
    timeout: float,
    level_timeout: float,
    links: Links,
) -> Level:
    visits = max(1, min(7, math.ceil(60 / sessions)))
    lv = Level(replicas, sessions, visits, links.views)
    lv.load_before = os.getloadavg()[0]
    cpu0 = sum(cpu_seconds(p) for p in pids)
    proxy0 = cpu_seconds(proxy_pid) if proxy_pid else 0.0
    gen0 = own_cpu()
    with Sampler(pids) as mem:
        lv.rss_before_mb = mem.peak
        start = time.perf_counter()
        tasks = [
            asyncio.create_task(one_session(base, pages, i, visits, timeout, links))
            for i in range(sessions)
        ]
        finished, pending = await asyncio.wait(tasks, timeout=level_timeout)
        for t in pending:
            t.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        lv.wall_s = time.perf_counter() - start
        lv.rss_peak_mb = mem.peak
    lv.server_cpu_s = sum(cpu_seconds(p) for p in pids) - cpu0
    lv.proxy_cpu_s = (cpu_seconds(proxy_pid) - proxy0) if proxy_pid else float("nan")
    lv.generator_cpu_s = own_cpu() - gen0
    lv.load_after = os.getloadavg()[0]
    times: list[float] = []
    for t in tasks:
        if t not in finished:
            lv.visits_failed += 1
            lv.errors.append("session not finished within the level's time limit")
            continue
        vs, used = t.result()
        for name in used:
            lv.replica_share[name or "direct"] = lv.replica_share.get(name or "direct", 0) + 1
        for v in vs:
            if v.ok:
                lv.visits_ok += 1
                times.append(v.seconds)
            else:
                lv.visits_failed += 1
                lv.errors.append(f"{v.page}: {v.status} {v.errors[:1]}")
    await asyncio.sleep(3)  # the server notices the closed websockets
    lv.rss_after_mb = Sampler(pids).now()
    lv.p50_s, lv.p95_s = pct(times, 0.5), pct(times, 0.95)
    lv.max_s = max(times, default=float("nan"))
    lv.visits_per_s = lv.visits_ok / lv.wall_s
    lv.cpu_per_visit_s = lv.server_cpu_s / max(lv.visits_ok, 1)
    lv.mb_per_session = (lv.rss_peak_mb - lv.rss_before_mb) / sessions
    lv.errors = lv.errors[:10]
    return lv


async def map_pages(base: str, timeout: float) -> list[str]:
    """The app's pages (from its navigation) whose first run draws an st_folium map."""
    async with ProtocolSession(base, timeout=timeout) as s:
        first = await s.open("")
        pages, result = list(s.pages), []
        for page in pages:
            v = first if page == "" else await s.open(page)
            if not v.ok:
                raise RuntimeError(
                    f"warm-up visit of {page or 'default page'} failed: {v.status} {v.errors[:2]}"
                )
            if v.maps:
                result.append(page)
        return result


def serve(cmd: str, port: int, *extra: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "deploy.serve", cmd, "--port", str(port), *extra],
        cwd=REPO_DIR,
        check=True,
        stdout=sys.stderr,
    )


def run_config(
    replicas: int,
    levels: list[int],
    *,
    timeout: float,
    level_timeout: float,
    settle: float,
    port: int,
    views: str = "default",
    pause: float = 0.0,
) -> tuple[list[Level], dict[str, float]]:
    from deploy.serve import State, default_run_dir, free_port

    port = port or free_port()
    serve("start", port, "--replicas", str(replicas))
    try:
        state = State.load(default_run_dir(port))
        pids = [r.pid for r in state.replicas]
        base = f"http://127.0.0.1:{port}"
        rss_start = Sampler(pids).now()
        pages = asyncio.run(map_pages(base, timeout))
        # Every replica warm (dataset loaded, caches filled), so levels measure steady state.
        for _ in range(replicas * 3):
            asyncio.run(map_pages(base, timeout))
        rss_warm = Sampler(pids).now()
        links = Links(views)  # one set per run: a view opened at one level is not new at the next
        out = []
        for i, c in enumerate(levels):
            if i and pause:
                time.sleep(pause)  # closed sessions outlive server.disconnectedSessionTTL
            lv = asyncio.run(
                run_level(
                    base,
                    pages,
                    replicas,
                    c,
                    pids,
                    state.haproxy_pid,
                    timeout=timeout,
                    level_timeout=level_timeout,
                    links=links,
                )
            )
            print(
                f"replicas {replicas}, {c} sessions, {views} views: {lv.visits_ok} ok, "
                f"{lv.visits_failed} failed, p50 {lv.p50_s:.2f} s, p95 {lv.p95_s:.2f} s, "
                f"{lv.visits_per_s:.2f} visits/s, CPU/visit {lv.cpu_per_visit_s:.3f} s, "
                f"RSS {lv.rss_before_mb:.0f}→{lv.rss_peak_mb:.0f}→{lv.rss_after_mb:.0f} MB, "
                f"generator CPU {lv.generator_cpu_s:.1f} s, proxy CPU {lv.proxy_cpu_s:.1f} s,"
                f" share {lv.replica_share}, load {lv.load_before:.1f}–{lv.load_after:.1f}",
                file=sys.stderr,
                flush=True,
            )
            out.append(lv)
        time.sleep(settle)
        memory = {
            "rss_start_mb": rss_start,
            "rss_warm_mb": rss_warm,
            "rss_end_mb": Sampler(pids).now(),
            "settle_s": settle,
            "pages": pages,
        }  # type: ignore[dict-item]
        return out, memory
    finally:
        serve("stop", port)


def table(levels: list[Level]) -> str:
    rows = [
        "| replicas | views | sessions at once | visits (failed) | p50 s | p95 s | visits/s | "
        "server CPU s/visit | RSS before → peak → after MB | MB/session | generator CPU s "
        "| proxy CPU s | machine load |",
        "|" + "---|" * 13,
    ]
    for lv in levels:
        rows.append(
            f"| {lv.replicas} | {lv.views} | {lv.sessions} | {lv.visits_ok} ({lv.visits_failed}) | "
            f"{lv.p50_s:.2f} | {lv.p95_s:.2f} | {lv.visits_per_s:.2f} | "
            f"{lv.cpu_per_visit_s:.3f} | {lv.rss_before_mb:.0f} → {lv.rss_peak_mb:.0f} → "
            f"{lv.rss_after_mb:.0f} | {lv.mb_per_session:.1f} | {lv.generator_cpu_s:.1f} | "
            f"{lv.proxy_cpu_s:.1f} | {lv.load_before:.1f}–{lv.load_after:.1f} |"
        )
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m benchmarks.capacity",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--levels", type=int, nargs="+", default=[1, 10, 50, 200])
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds per visit")
    parser.add_argument("--level-timeout", type=float, default=420.0)
    parser.add_argument(
        "--settle",
        type=float,
        default=0.0,
        help="seconds to wait at the end before the last memory reading "
        "(Streamlit keeps closed sessions server.disconnectedSessionTTL)",
    )
    parser.add_argument(
        "--views",
        choices=("default", "new"),
        nargs="+",
        default=["default"],
        help="what each visit opens: the pages' default views, or views not opened before "
        "in the run (see Links)",
    )
    parser.add_argument(
        "--pause",
        type=float,
        default=0.0,
        help="seconds between levels (more than server.disconnectedSessionTTL, 120 s, and the "
        "next level starts with no closed session held: repeated levels then show whether "
        "memory keeps growing)",
    )
    parser.add_argument("--port", type=int, default=0, help="the proxy's port (default: free)")
    parser.add_argument("--out", type=Path, default=RESULTS / "capacity")
    args = parser.parse_args(argv)
    if max(args.levels) > MAX_SESSIONS:
        raise SystemExit(f"at most {MAX_SESSIONS} sessions")
    require_loopback("http://127.0.0.1")
    all_levels: list[Level] = []
    memory = {}
    for n in args.replicas:
        for views in args.views:
            levels, mem = run_config(
                n,
                args.levels,
                timeout=args.timeout,
                level_timeout=args.level_timeout,
                settle=args.settle,
                port=args.port,
                views=views,
                pause=args.pause,
            )
            all_levels += levels
            memory[f"{n} {views}"] = mem
    md = table(all_levels)
    print(md)
    for n, mem in memory.items():
        print(
            f"replicas, views {n}: RSS {mem['rss_start_mb']:.0f} MB at start, "
            f"{mem['rss_warm_mb']:.0f} MB warm, {mem['rss_end_mb']:.0f} MB at the end "
            f"({mem['settle_s']:.0f} s after the last session closed); pages {mem['pages']}"
        )
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.with_suffix(".json").write_text(
        json.dumps(
            {
                "levels": [asdict(lv) for lv in all_levels],
                "memory": memory,
                "cpus": os.cpu_count(),
                "date": time.strftime("%Y-%m-%d %H:%M"),
            },
            indent=2,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    args.out.with_suffix(".md").write_text(md + "\n", encoding="utf-8")
    failed = sum(lv.visits_failed for lv in all_levels)
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
