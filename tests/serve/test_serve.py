"""Two replicas behind HAProxy (``deploy.serve``), protocol sessions, one replica killed.

What a department's setup must hold, run in CI (HAProxy from Debian, `.ci/run`):

- every session stays on one replica (the proxy's sticky cookie) until that replica dies;
- a replica killed mid-run: its sessions reconnect through the proxy to the live replica and get
  their view back from the link (the same elements, texts and map as before the kill); the other
  sessions see nothing (no reconnect, same replica); no request gets an error page;
- the supervisor restarts the killed replica and the proxy's health check puts it back;
- a replica restarted on another data directory comes back on it while the other keeps serving.

Throughput is printed, not asserted (``python -m benchmarks.capacity`` measures it).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from server_support import ARTIFACTS_DIR, REPO_DIR, free_port

sys.path.insert(0, str(REPO_DIR))
from benchmarks.protocol import ProtocolSession, require_loopback
from deploy.serve import State, server_states

SESSIONS = int(os.environ.get("PPRD_SERVE_SESSIONS", "24"))
LEVEL, CITY, COUNTY = "层级", "地市级", "县级"  # the measures page's level radio (zh)


def _run_in_thread(coro):
    """``asyncio.run`` in a thread of its own: the browser tests' sync Playwright leaves an
    event loop running in this thread when the suite runs them first."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


def serve(*args: str, timeout: float = 180) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "deploy.serve", *args],
        cwd=REPO_DIR,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def proxy(tmp_path_factory: pytest.TempPathFactory):
    assert shutil.which("haproxy"), "HAProxy is required (Debian package haproxy, see .ci/run)"
    port = free_port()
    run_dir = tmp_path_factory.mktemp("serve")
    serve("start", "--replicas", "2", "--port", str(port), "--run-dir", str(run_dir))
    try:
        yield port, run_dir
    finally:
        serve("stop", "--port", str(port), "--run-dir", str(run_dir))
        ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
        for log in run_dir.glob("*.log"):
            shutil.copy(log, ARTIFACTS_DIR / f"serve-{log.name}")


async def _session(
    base: str, k: int, ready: asyncio.Barrier, killed: asyncio.Event, out: dict
) -> None:
    s = ProtocolSession(base, timeout=120, reconnect_for=60)
    rec = out[k] = {"errors": []}
    try:
        v = await s.open("measures", f"measure={k % 28 + 1}")
        rec["errors"] += v.errors if not v.ok else []
        v = await s.change(LEVEL, CITY)  # the URL now says level=city too
        rec["errors"] += v.errors if not v.ok else []
        rec["query"], rec["view"] = s.query, v.fingerprint()
        rec["before"] = list(s.replicas)
        rec["seconds"] = [v.seconds]
        await ready.wait()
        await killed.wait()  # one replica is being killed now, while these runs are in flight
        for _ in range(3):
            v = await s.open("measures", rec["query"])
            rec["seconds"].append(v.seconds)
            if not v.ok:
                rec["errors"].append(f"after the kill: {v.status} {v.errors[:2]}")
            elif v.fingerprint() != rec["view"]:
                rec["errors"].append("after the kill: the view differs from the link's")
        v = await s.change(LEVEL, COUNTY)  # the session works on wherever it is now
        if not v.ok or "level=county" not in s.query:
            rec["errors"].append(f"widget after the kill: {v.status} {s.query}")
    except Exception as exc:
        rec["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        rec["replicas"], rec["http"] = s.replicas, s.http_replicas
        rec["statuses"], rec["connects"] = s.http_statuses, s.connects
        await s.close()


async def _run(port: int, run_dir: Path) -> tuple[dict, str, float]:
    base = f"http://127.0.0.1:{port}"
    require_loopback(base)
    out: dict = {}
    ready, killed = asyncio.Barrier(SESSIONS + 1), asyncio.Event()
    start = time.perf_counter()
    tasks = [asyncio.create_task(_session(base, k, ready, killed, out)) for k in range(SESSIONS)]
    await asyncio.wait_for(ready.wait(), 300)
    victim = State.load(run_dir).replicas[0]
    killed.set()
    await asyncio.sleep(0.3)  # the first reruns after the barrier are on their way
    os.kill(victim.pid, signal.SIGKILL)
    await asyncio.wait_for(asyncio.gather(*tasks), 400)
    return out, victim.name, time.perf_counter() - start


@pytest.mark.slow
def test_two_replicas_sticky_sessions_and_a_killed_replica(proxy) -> None:
    port, run_dir = proxy
    before = State.load(run_dir)
    out, victim, wall = _run_in_thread(_run(port, run_dir))

    failed = {k: r["errors"] for k, r in out.items() if r["errors"]}
    assert failed == {}, failed
    moved = 0
    for k, r in out.items():
        # Sticky: before the kill, every request and websocket of a session on one replica.
        assert len(set(r["before"] + r["http"][:1])) == 1, (k, r)
        home = r["before"][0]
        assert all(status == 200 for status in r["statuses"]), (k, r["statuses"])
        if home == victim:
            # Reconnected once, through the proxy, to the live replica, and stayed there.
            moved += 1
            assert r["connects"] == 2, (k, r)
            assert r["replicas"][1] != victim and len(set(r["replicas"][1:])) == 1, (k, r)
        else:
            assert r["connects"] == 1 and set(r["replicas"]) == {home}, (k, r)
    homes = {r["before"][0] for r in out.values()}
    assert homes == {"app1", "app2"}, homes  # both replicas served sessions
    assert moved > 0

    # The supervisor restarts the killed replica; the health check puts it back.
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        states = server_states(State.load(run_dir))
        now = State.load(run_dir)
        if (
            all(s.startswith("UP") for s in states.values())
            and now.replicas[0].pid != before.replicas[0].pid
        ):
            break
        time.sleep(0.5)
    else:
        pytest.fail(f"killed replica not back: {server_states(State.load(run_dir))}")
    assert State.load(run_dir).replicas[0].restarts == 1
    times = sorted(t for r in out.values() for t in r["seconds"])
    report = (
        f"{SESSIONS} sessions, {len(times)} runs in {wall:.1f} s, {moved} moved from "
        f"{victim}; run p50 {times[len(times) // 2]:.2f} s, max {times[-1]:.2f} s"
    )
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS_DIR / "serve_ci.txt").write_text(report + "\n", encoding="utf-8")
    print(report)


@pytest.mark.slow
def test_replica_restarted_on_another_data_directory(proxy, tmp_path: Path) -> None:
    port, run_dir = proxy
    copy = tmp_path / "data"
    shutil.copytree(REPO_DIR / "data", copy)
    other_pid = State.load(run_dir).replicas[1].pid
    # A session on the other replica keeps working through the restart.
    serve(
        "restart",
        "--port",
        str(port),
        "--run-dir",
        str(run_dir),
        "--replica",
        "1",
        "--data-dir",
        str(copy),
    )
    now = State.load(run_dir)
    assert now.replicas[0].data_dir == str(copy)
    environ = Path(f"/proc/{now.replicas[0].pid}/environ").read_bytes().split(b"\0")
    assert f"PPRD_DATA_DIR={copy}".encode() in environ
    assert now.replicas[1].pid == other_pid  # the other replica was not stopped

    async def visit_both() -> set[str]:
        # Six users at once: the proxy spreads them (least connections) over both replicas.
        sessions = [ProtocolSession(f"http://127.0.0.1:{port}", timeout=120) for _ in range(6)]
        try:
            visits = await asyncio.gather(*(s.open("units") for s in sessions))
        finally:
            await asyncio.gather(*(s.close() for s in sessions))
        assert all(v.ok for v in visits), [(v.status, v.errors) for v in visits]
        return {v.replica for v in visits}

    assert _run_in_thread(visit_both()) == {"app1", "app2"}
    assert all(s.startswith("UP") for s in server_states(now).values())


def test_protocol_client_refuses_anything_but_loopback() -> None:
    with pytest.raises(ValueError, match="loopback"):
        ProtocolSession("http://192.0.2.10:8080")
