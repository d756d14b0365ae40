"""A real ``streamlit run`` for tests and benchmarks: start it on a free loopback port, wait
until it answers, stop its whole process group. No browser here (that is
``browser/browser_support.py``): the live-server, browser and serve layers all use it.

Everything waits on a condition with a deadline, never on a fixed sleep.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

TESTS_DIR = Path(__file__).resolve().parent
REPO_DIR = TESTS_DIR.parent
ARTIFACTS_DIR = TESTS_DIR / "artifacts"  # gitignored: screenshots, server logs, timings


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class StreamlitServer:
    """A running ``streamlit run`` subprocess (its own process group)."""

    url: str
    script: Path
    process: subprocess.Popen[bytes]
    log_path: Path
    startup_seconds: float

    def log_tail(self, chars: int = 4000) -> str:
        """Return the end of the server's combined stdout/stderr."""
        with contextlib.suppress(OSError):
            return self.log_path.read_text(encoding="utf-8", errors="replace")[-chars:]
        return ""


def _health_ok(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def start_streamlit(
    script: Path,
    *,
    env: Mapping[str, str] | None = None,
    cwd: Path | None = None,
    base_url_path: str = "",
    extra_args: Sequence[str] = (),
    timeout: float = 60.0,
    log_path: Path | None = None,
) -> StreamlitServer:
    """Start ``streamlit run script`` on a free port and wait until ``/_stcore/health`` answers.

    Parameters
    ----------
    script : Path
        The Streamlit script; Streamlit serves ``static/`` beside it.
    env : Mapping, optional
        Variables added to this process's environment (e.g. ``PPRD_DATA_DIR``).
    cwd : Path, optional
        Working directory, where Streamlit reads ``.streamlit/config.toml``; default: the
        script's folder.
    base_url_path : str
        Streamlit's ``server.baseUrlPath``, e.g. ``"pprd"``; part of the returned ``url``.
    extra_args : sequence of str
        More ``streamlit run`` options, e.g. ``["--client.showErrorDetails", "full"]``.
    timeout : float
        Seconds to wait for the health check.
    log_path : Path, optional
        Where the server's output goes; default ``tests/artifacts/streamlit-<port>.log``.

    Returns
    -------
    StreamlitServer
        With ``url`` like ``http://127.0.0.1:8765`` or ``http://127.0.0.1:8765/pprd`` (no
        trailing slash), ``startup_seconds`` from spawn to a healthy server.
    """
    script = Path(script).resolve()
    if not script.is_file():
        raise FileNotFoundError(f"Streamlit script not found: {script}")
    port = free_port()
    path = base_url_path.strip("/")
    url = f"http://127.0.0.1:{port}" + (f"/{path}" if path else "")
    ARTIFACTS_DIR.mkdir(parents=True, exist_ok=True)
    log_path = log_path or ARTIFACTS_DIR / f"streamlit-{port}.log"
    command = [
        sys.executable, "-m", "streamlit", "run", str(script),
        "--server.port", str(port),
        "--server.headless", "true",
        "--server.address", "127.0.0.1",
        "--server.fileWatcherType", "none",
        "--browser.gatherUsageStats", "false",
        "--server.baseUrlPath", path,
        *extra_args,
    ]  # fmt: skip
    started = time.perf_counter()
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            command,
            cwd=cwd or script.parent,
            env={**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})},
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # own process group, so stop_streamlit gets the children too
        )
    server = StreamlitServer(url, script, process, log_path, startup_seconds=float("nan"))
    deadline = started + timeout
    while not _health_ok(url):
        if process.poll() is not None:
            raise RuntimeError(
                f"streamlit exited with {process.returncode} before answering on {url}:\n"
                + server.log_tail()
            )
        if time.perf_counter() > deadline:
            stop_streamlit(server)
            raise TimeoutError(
                f"streamlit did not answer on {url} in {timeout}s:\n{server.log_tail()}"
            )
        time.sleep(0.05)  # poll interval, not a wait for readiness
    server.startup_seconds = time.perf_counter() - started
    return server


def stop_streamlit(server: StreamlitServer, timeout: float = 10.0) -> None:
    """Terminate the server's process group; kill it if it does not exit in ``timeout`` s."""
    process = server.process
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=timeout)


@contextlib.contextmanager
def running_streamlit(script: Path, **kwargs: object) -> Iterator[StreamlitServer]:
    """Context manager around :func:`start_streamlit` / :func:`stop_streamlit`."""
    server = start_streamlit(script, **kwargs)  # type: ignore[arg-type]
    try:
        yield server
    finally:
        stop_streamlit(server)
