"""N replicas of the app behind HAProxy, from one command.

    python3 -m deploy.serve start --replicas 2 --port 8080   # replicas + proxy + supervisor
    python3 -m deploy.serve status --port 8080                # who runs, which replica is up
    python3 -m deploy.serve restart --port 8080 --replica 2 --data-dir /srv/pprd-data-new
    python3 -m deploy.serve stop --port 8080
    python3 -m deploy.serve render --upstream host1:8501 --upstream host2:8501 > haproxy.cfg

``start`` launches a supervisor in the background and returns once the proxy answers and every
replica passes its health check. The supervisor runs each replica (``streamlit run app.py`` on
127.0.0.1, one port each), and HAProxy with ``deploy/haproxy.cfg.template`` rendered for them;
it restarts a replica that exits or stops answering ``/_stcore/health``, and HAProxy, which checks
the same endpoint every second, keeps a dead replica out of the rotation meanwhile. ``restart``
takes one replica (or ``all``, one at a time) out of the rotation, restarts it, optionally on
another data directory (``PPRD_DATA_DIR``), and puts it back once healthy: the others keep
serving. Everything lives in a run directory (default ``/tmp/pprd-serve-<port>``): the rendered
configuration, ``state.json`` and one log per process.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import string
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO_DIR = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "haproxy.cfg.template"
HAPROXY = os.environ.get("PPRD_HAPROXY", "haproxy")
HEALTH = "/_stcore/health"


@dataclass
class Replica:
    name: str
    port: int
    data_dir: str = ""  # "" = the app's default (data/ or $PPRD_DATA_DIR)
    pid: int = 0
    restarts: int = 0


@dataclass
class State:
    port: int
    bind: str
    base: str
    run_dir: str
    replicas: list[Replica] = field(default_factory=list)
    supervisor_pid: int = 0
    haproxy_pid: int = 0
    python: str = sys.executable

    @property
    def path(self) -> Path:
        return Path(self.run_dir) / "state.json"

    def save(self) -> None:
        tmp = self.path.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        tmp.replace(self.path)

    @classmethod
    def load(cls, run_dir: Path) -> State:
        raw = json.loads((run_dir / "state.json").read_text(encoding="utf-8"))
        raw["replicas"] = [Replica(**r) for r in raw["replicas"]]
        return cls(**raw)


def free_port(bind: str = "127.0.0.1") -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((bind, 0))
        return sock.getsockname()[1]


def normal_base(base: str) -> str:
    """``server.baseUrlPath`` as a path prefix: ``""`` or ``/pprd``."""
    base = base.strip("/")
    return f"/{base}" if base else ""


def render(
    upstreams: list[tuple[str, str, int]],
    *,
    bind: str,
    port: int,
    base: str,
    stats_socket: str,
    maxconn: int = 4096,
    server_maxconn: int = 1000,
) -> str:
    """The HAProxy configuration for ``upstreams`` ((name, host, port) each)."""
    servers = "\n".join(
        f"    server {name} {host}:{p} cookie {name}" for name, host, p in upstreams
    )
    # The asset backend follows the app backend's health checks (`track`).
    asset_servers = "\n".join(
        f"    server {name} {host}:{p} track app/{name}" for name, host, p in upstreams
    )
    return string.Template(TEMPLATE.read_text(encoding="utf-8")).substitute(
        bind=bind,
        port=port,
        base=normal_base(base),
        servers=servers,
        asset_servers=asset_servers,
        stats_socket=stats_socket,
        maxconn=maxconn,
        server_maxconn=server_maxconn,
    )


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
        return False


def haproxy_command(sock: str, command: str) -> str:
    """Send one command to HAProxy's runtime API (the stats socket)."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(5)
        s.connect(sock)
        s.sendall(command.encode() + b"\n")
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks).decode(errors="replace")


def server_states(state: State) -> dict[str, str]:
    """Replica name → HAProxy's view of it (UP, DOWN, MAINT, …)."""
    out = haproxy_command(str(Path(state.run_dir) / "haproxy.sock"), "show stat")
    lines = out.strip().splitlines()
    if not lines:
        return {}
    header = lines[0].lstrip("# ").split(",")
    result = {}
    for line in lines[1:]:
        row = dict(zip(header, line.split(","), strict=False))
        if row.get("pxname") == "app" and row.get("svname") not in ("FRONTEND", "BACKEND"):
            result[row["svname"]] = row.get("status", "?")
    return result


# -- the supervisor (runs in the background, owns every process) ----------------------------


class Supervisor:
    def __init__(self, state: State) -> None:
        self.state = state
        self.run_dir = Path(state.run_dir)
        self.procs: dict[str, subprocess.Popen[bytes]] = {}
        self.haproxy: subprocess.Popen[bytes] | None = None
        self.unhealthy_since: dict[str, float] = {}
        self.stopping = False

    def log(self, text: str) -> None:
        print(f"{time.strftime('%H:%M:%S')} {text}", flush=True)

    def start_replica(self, r: Replica) -> None:
        wish = self.run_dir / f"{r.name}.data_dir"  # written by `restart --data-dir`
        with contextlib.suppress(OSError):
            r.data_dir = wish.read_text(encoding="utf-8").strip()
        env = dict(os.environ)
        if r.data_dir:
            env["PPRD_DATA_DIR"] = r.data_dir
        args = [
            self.state.python,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(r.port),
            "--server.address",
            "127.0.0.1",
            "--server.headless",
            "true",
        ]
        if self.state.base:
            args += ["--server.baseUrlPath", self.state.base.strip("/")]
        log = open(self.run_dir / f"{r.name}.log", "ab")  # noqa: SIM115 (the child keeps it)
        proc = subprocess.Popen(
            args,
            cwd=REPO_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        self.procs[r.name] = proc
        r.pid = proc.pid
        self.unhealthy_since.pop(r.name, None)
        self.log(
            f"{r.name} started (pid {proc.pid}, port {r.port}, data {r.data_dir or 'default'})"
        )

    def start_haproxy(self) -> None:
        cfg = self.run_dir / "haproxy.cfg"
        cfg.write_text(
            render(
                [(r.name, "127.0.0.1", r.port) for r in self.state.replicas],
                bind=self.state.bind,
                port=self.state.port,
                base=self.state.base,
                stats_socket=str(self.run_dir / "haproxy.sock"),
            ),
            encoding="utf-8",
        )
        check = subprocess.run(
            [HAPROXY, "-c", "-q", "-f", str(cfg)], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise SystemExit(f"haproxy rejects {cfg}: {check.stdout}{check.stderr}")
        log = open(self.run_dir / "haproxy.log", "ab")  # noqa: SIM115
        self.haproxy = subprocess.Popen(
            [HAPROXY, "-db", "-f", str(cfg)],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        self.state.haproxy_pid = self.haproxy.pid
        self.log(f"haproxy started (pid {self.haproxy.pid}, {self.state.bind}:{self.state.port})")

    def step(self) -> None:
        for r in self.state.replicas:
            proc = self.procs.get(r.name)
            if proc is None or proc.poll() is not None:
                if proc is not None:
                    self.log(f"{r.name} exited (code {proc.returncode}); restarting")
                    r.restarts += 1
                self.start_replica(r)
                continue
            # A replica that is up but has not answered its health check for 60 s is hung
            # (a busy one answers within a second or two: the check runs on its event loop).
            url = f"http://127.0.0.1:{r.port}{self.state.base}{HEALTH}"
            if healthy(url, timeout=5.0):
                self.unhealthy_since.pop(r.name, None)
            else:
                since = self.unhealthy_since.setdefault(r.name, time.monotonic())
                started = time.monotonic() - since
                if started > 60 and proc.poll() is None:
                    self.log(f"{r.name} unhealthy for {started:.0f} s; killing it")
                    proc.kill()
        if self.haproxy is not None and self.haproxy.poll() is not None:
            self.log(f"haproxy exited (code {self.haproxy.returncode}); restarting")
            self.start_haproxy()
        self.state.save()

    def stop(self, *_: object) -> None:
        self.stopping = True

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        self.state.supervisor_pid = os.getpid()
        for r in self.state.replicas:
            self.start_replica(r)
        self.start_haproxy()
        self.state.save()
        while not self.stopping:
            self.step()
            for _ in range(5):
                if self.stopping:
                    break
                time.sleep(0.1)
        self.log("stopping")
        children = [*self.procs.values(), *([self.haproxy] if self.haproxy else [])]
        for proc in children:
            if proc.poll() is None:
                proc.terminate()
        deadline = time.monotonic() + 10
        for proc in children:
            with contextlib.suppress(subprocess.TimeoutExpired):
                proc.wait(max(0.1, deadline - time.monotonic()))
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        self.state.supervisor_pid = 0
        self.state.save()
        return 0


# -- commands --------------------------------------------------------------------------------


def default_run_dir(port: int) -> Path:
    return Path(os.environ.get("TMPDIR", "/tmp")) / f"pprd-serve-{port}"


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # A zombie is not alive.
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    return True


def wait_ready(state: State, timeout: float) -> None:
    """Wait until the proxy answers and HAProxy sees every replica UP."""
    deadline = time.monotonic() + timeout
    proxy = f"http://{_client_host(state.bind)}:{state.port}{state.base}/_proxy/health"
    last = {}
    while time.monotonic() < deadline:
        if healthy(proxy):
            with contextlib.suppress(OSError):
                last = server_states(state)
                if last and all(s.startswith("UP") for s in last.values()):
                    return
        time.sleep(0.3)
    raise SystemExit(
        f"not ready within {timeout:.0f} s: {last or 'proxy not answering'} "
        f"(logs in {state.run_dir})"
    )


def _client_host(bind: str) -> str:
    return "127.0.0.1" if bind in ("0.0.0.0", "", "*") else bind


def cmd_start(args: argparse.Namespace) -> int:
    run_dir = Path(args.run_dir or default_run_dir(args.port))
    run_dir.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError, ValueError):
        old = State.load(run_dir)
        if _alive(old.supervisor_pid):
            raise SystemExit(
                f"already running (supervisor pid {old.supervisor_pid}); "
                f"`python3 -m deploy.serve stop --port {args.port}` first"
            )
    ports = args.app_ports or [free_port() for _ in range(args.replicas)]
    if len(ports) != args.replicas:
        raise SystemExit("--app-ports must name one port per replica")
    state = State(
        port=args.port,
        bind=args.bind,
        base=normal_base(args.base_path),
        run_dir=str(run_dir),
        replicas=[Replica(f"app{i + 1}", p, args.data_dir or "") for i, p in enumerate(ports)],
    )
    for stale in run_dir.glob("app*.data_dir"):
        stale.unlink()
    state.save()
    log = open(run_dir / "supervisor.log", "ab")  # noqa: SIM115
    sup = subprocess.Popen(
        [sys.executable, "-m", "deploy.serve", "supervise", "--run-dir", str(run_dir)],
        cwd=REPO_DIR,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    log.close()
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        with contextlib.suppress(FileNotFoundError, ValueError):
            if State.load(run_dir).haproxy_pid:
                break
        if sup.poll() is not None:
            raise SystemExit(f"the supervisor exited: see {run_dir / 'supervisor.log'}")
        time.sleep(0.2)
    state = State.load(run_dir)
    wait_ready(state, args.timeout)
    print(
        f"serving on http://{_client_host(args.bind)}:{args.port}{state.base}/ — "
        f"{args.replicas} replicas ({', '.join(f'{r.name}:{r.port}' for r in state.replicas)}),"
        f" supervisor pid {state.supervisor_pid}, run dir {run_dir}"
    )
    return 0


def cmd_supervise(args: argparse.Namespace) -> int:
    return Supervisor(State.load(Path(args.run_dir))).run()


def _load(args: argparse.Namespace) -> State:
    run_dir = Path(args.run_dir or default_run_dir(args.port))
    try:
        return State.load(run_dir)
    except FileNotFoundError:
        raise SystemExit(f"nothing started in {run_dir}") from None


def cmd_stop(args: argparse.Namespace) -> int:
    state = _load(args)
    if not _alive(state.supervisor_pid):
        print("not running")
        return 0
    os.kill(state.supervisor_pid, signal.SIGTERM)
    deadline = time.monotonic() + 20
    while _alive(state.supervisor_pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    if _alive(state.supervisor_pid):
        os.kill(state.supervisor_pid, signal.SIGKILL)
    # Whatever survived the supervisor (it was killed itself): end it by its recorded pid.
    for pid in [*(r.pid for r in State.load(Path(state.run_dir)).replicas), state.haproxy_pid]:
        if _alive(pid):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
    print("stopped")
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    state = _load(args)
    if not _alive(state.supervisor_pid):
        print("not running")
        return 1
    try:
        seen = server_states(state)
    except OSError as exc:
        seen = {}
        print(f"haproxy: no answer on its socket ({exc})")
    print(
        f"proxy http://{_client_host(state.bind)}:{state.port}{state.base}/ "
        f"(haproxy pid {state.haproxy_pid}, supervisor pid {state.supervisor_pid})"
    )
    for r in state.replicas:
        print(
            f"  {r.name}: port {r.port}, pid {r.pid} ({'alive' if _alive(r.pid) else 'dead'})"
            f", haproxy {seen.get(r.name, '?')}, restarts {r.restarts}, "
            f"data {r.data_dir or 'default'}"
        )
    return 0


def cmd_restart(args: argparse.Namespace) -> int:
    """Restart one replica (or all, one at a time) while the others serve."""
    state = _load(args)
    sock = str(Path(state.run_dir) / "haproxy.sock")
    names = (
        [r.name for r in state.replicas]
        if args.replica == "all"
        else [args.replica if args.replica.startswith("app") else f"app{args.replica}"]
    )
    for name in names:
        current = State.load(Path(state.run_dir))
        r = next((x for x in current.replicas if x.name == name), None)
        if r is None:
            raise SystemExit(f"no replica {name}")
        if args.data_dir is not None:
            r.data_dir = args.data_dir
            (Path(state.run_dir) / f"{name}.data_dir").write_text(args.data_dir, encoding="utf-8")
        # Out of the rotation first: new sessions go elsewhere; its own sessions reconnect to
        # another replica when it stops, and come back from their links.
        haproxy_command(sock, f"set server app/{name} state maint")
        old_pid = r.pid
        if _alive(old_pid):
            os.kill(old_pid, signal.SIGTERM)
        deadline = time.monotonic() + args.timeout
        while time.monotonic() < deadline:
            fresh = next(x for x in State.load(Path(state.run_dir)).replicas if x.name == name)
            if fresh.pid != old_pid and healthy(
                f"http://127.0.0.1:{fresh.port}{state.base}{HEALTH}"
            ):
                break
            time.sleep(0.3)
        else:
            raise SystemExit(f"{name} did not come back within {args.timeout:.0f} s")
        haproxy_command(sock, f"set server app/{name} state ready")
        wait_ready(State.load(Path(state.run_dir)), args.timeout)
        print(f"{name} restarted (data {r.data_dir or 'default'})")
    return 0


def cmd_render(args: argparse.Namespace) -> int:
    upstreams = []
    for i, up in enumerate(args.upstream or [], 1):
        host, _, port = up.rpartition(":")
        upstreams.append((f"app{i}", host, int(port)))
    if not upstreams:
        upstreams = [(f"app{i + 1}", "127.0.0.1", 8501 + i) for i in range(args.replicas)]
    print(
        render(
            upstreams,
            bind=args.bind,
            port=args.port,
            base=args.base_path,
            stats_socket=args.stats_socket,
        ),
        end="",
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python3 -m deploy.serve",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", required=True)

    def common(p: argparse.ArgumentParser) -> None:
        p.add_argument("--port", type=int, default=8080, help="the proxy's port")
        p.add_argument("--run-dir", help="default: /tmp/pprd-serve-<port>")
        p.add_argument("--timeout", type=float, default=120.0)

    p = sub.add_parser("start", help="start N replicas, HAProxy and the supervisor")
    common(p)
    p.add_argument("--replicas", type=int, default=2)
    p.add_argument(
        "--bind", default="127.0.0.1", help="the proxy's address (0.0.0.0 to serve the network)"
    )
    p.add_argument("--base-path", default="", help="serve under /PATH (server.baseUrlPath)")
    p.add_argument("--data-dir", help="PPRD_DATA_DIR for every replica")
    p.add_argument("--app-ports", type=int, nargs="*", help="one port per replica")
    p.set_defaults(func=cmd_start)

    p = sub.add_parser("stop", help="stop everything start started")
    common(p)
    p.set_defaults(func=cmd_stop)

    p = sub.add_parser("status", help="processes and HAProxy's view of each replica")
    common(p)
    p.set_defaults(func=cmd_status)

    p = sub.add_parser("restart", help="restart a replica (or all, one by one)")
    common(p)
    p.add_argument("--replica", required=True, help="1, app1, … or all")
    p.add_argument("--data-dir", help="the replica's new PPRD_DATA_DIR")
    p.set_defaults(func=cmd_restart)

    p = sub.add_parser("render", help="print the HAProxy configuration")
    p.add_argument("--upstream", action="append", help="host:port of a replica (repeat)")
    p.add_argument("--replicas", type=int, default=2, help="without --upstream: 127.0.0.1:8501…")
    p.add_argument("--bind", default="0.0.0.0")
    p.add_argument("--port", type=int, default=80)
    p.add_argument("--base-path", default="")
    p.add_argument("--stats-socket", default="/run/haproxy/pprd.sock")
    p.set_defaults(func=cmd_render)

    p = sub.add_parser("supervise", help=argparse.SUPPRESS)
    p.add_argument("--run-dir", required=True)
    p.set_defaults(func=cmd_supervise)

    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
