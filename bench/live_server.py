"""Helpers for the live-server benchmarks: a server under test, its database, the HTTP setup.

``ServerProcess`` starts ``salesfloor serve`` as a subprocess on a free port of 127.0.0.1
(``TICK_SECONDS``, ``INSTRUCTOR_PASSWORD`` and ``DATABASE_URL`` in its environment), waits
until ``GET /api/v1/health`` answers and stops it again (SIGTERM, then SIGKILL). ``database``
gives a fresh database: a SQLite file in a temporary directory, or — with a
``postgresql://…/<name>`` URL — a new PostgreSQL database created and dropped with psycopg.
Nothing here asserts anything; the benchmarks print what they measure.
"""

from __future__ import annotations

import contextlib
import os
import re
import resource
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "pw"
HOST = "127.0.0.1"
DATABASE_HELP = (
    "PostgreSQL instead of SQLite: postgresql://postgres@127.0.0.1:5432/NAME, or end in / for a "
    "random salesfloor_bench_… name; the database is created for the run and dropped after it"
)


# --- figures ----------------------------------------------------------------------------------------


def percentile(values: Sequence[float], q: float) -> float:
    """The ``q``-th percentile (0–100) by linear interpolation; NaN for no values."""
    if not values:
        return float("nan")
    xs = sorted(values)
    pos = (len(xs) - 1) * q / 100.0
    low = int(pos)
    high = min(low + 1, len(xs) - 1)
    return xs[low] + (xs[high] - xs[low]) * (pos - low)


def latency_line(label: str, seconds: Sequence[float]) -> str:
    """``label  n=…  median … p90 … p99 … max …`` in milliseconds."""
    ms = [s * 1000.0 for s in seconds]
    if not ms:
        return f"{label}: no samples"
    return (
        f"{label}: n={len(ms):,}  median {percentile(ms, 50):.1f} ms  p90 {percentile(ms, 90):.1f} ms  "
        f"p99 {percentile(ms, 99):.1f} ms  max {max(ms):.1f} ms"
    )


def raise_open_files(wanted: int) -> int:
    """Raise the soft limit of open files towards ``wanted`` (within the hard limit); the new limit."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft < wanted:
        target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
        resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
        soft = target
    return soft


def cpu_seconds(pid: int | None = None) -> float:
    """User + system CPU seconds of process ``pid`` (default: this process), from /proc."""
    if pid is None:
        usage = resource.getrusage(resource.RUSAGE_SELF)
        return usage.ru_utime + usage.ru_stime
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def machine_busy() -> float:
    """CPU seconds all processes of the machine have spent busy since boot, from /proc/stat."""
    fields = Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(f) for f in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def memory_kib(pid: int) -> tuple[int, int]:
    """(resident now, peak resident) of process ``pid`` in KiB, from /proc (VmRSS, VmHWM)."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line
    )
    return int(fields["VmRSS"].split()[0]), int(fields["VmHWM"].split()[0])


class OtherLoad:
    """How many cores processes other than this one, the server and ``helpers`` kept busy while in use.

    ``helpers`` are the benchmark's own client processes; they must still run when it ends.
    """

    def __init__(self, server_pid: int | None, helpers: Sequence[int] = ()) -> None:
        self.server_pid = server_pid
        self.helpers = tuple(helpers)
        self.cores = float("nan")

    def _ours(self) -> float:
        return cpu_seconds() + cpu_seconds(self.server_pid) + sum(cpu_seconds(pid) for pid in self.helpers)

    def __enter__(self) -> OtherLoad:
        self._start = (time.perf_counter(), machine_busy(), self._ours())
        return self

    def __exit__(self, *_exc: object) -> None:
        wall, busy, ours = self._start
        self.cores = max(0.0, (machine_busy() - busy - (self._ours() - ours)) / (time.perf_counter() - wall))


def machine() -> str:
    load = os.getloadavg()[0]
    return f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {load:.2f} at start"


# --- the database -----------------------------------------------------------------------------------


def is_postgres(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://", "postgresql+psycopg://"))


def _admin_url(url: str) -> tuple[str, str]:
    """(URL of the maintenance database ``postgres``, the name of the benchmark database)."""
    plain = url.replace("postgresql+psycopg://", "postgresql://", 1)
    base, _, name = plain.rpartition("/")
    name = name.split("?", 1)[0]
    return f"{base}/postgres", name


@contextlib.contextmanager
def database(url: str | None, workdir: Path) -> Iterator[str]:
    """A fresh database URL: SQLite in ``workdir`` (``url`` None) or a new PostgreSQL database.

    The PostgreSQL database named in ``url`` (a random ``salesfloor_bench_…`` name if the URL
    ends in ``/``) is created for the run and dropped after it; a database of that name that
    exists already is refused, never dropped.
    """
    if url is None:
        yield f"sqlite:///{workdir / 'bench.db'}"
        return
    if not is_postgres(url):
        raise SystemExit(f"--database-url takes postgresql://user@127.0.0.1:5432/NAME, not {url}")
    import psycopg

    admin, name = _admin_url(url)
    if not name:
        name = new_database_name()
        url = url.rstrip("/") + "/" + name
    if not re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,62}", name):
        raise SystemExit(f"use letters, digits and _ for the benchmark database name, not {name!r}")
    with psycopg.connect(admin, autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if exists:
            raise SystemExit(f"database {name} exists already; name a new one (it is dropped afterwards)")
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield url
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def describe_database(url: str) -> str:
    return (
        "postgresql " + url.rpartition("/")[2]
        if is_postgres(url)
        else "sqlite (WAL) in a temporary directory"
    )


# --- the server under test ---------------------------------------------------------------------------

PROFILED = """
import cProfile, runpy, signal, sys
path = sys.argv[1]
sys.argv = ["salesfloor", *sys.argv[2:]]
profiler = cProfile.Profile()
def dump(*_):
    profiler.disable()
    profiler.dump_stats(path)
signal.signal(signal.SIGUSR1, dump)
profiler.enable()
runpy.run_module("server.cli", run_name="__main__")
"""
"""``python -c PROFILED STATS serve …``: the server under cProfile, writing STATS on SIGUSR1."""


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


class ServerProcess:
    """``salesfloor serve`` in a subprocess; its output goes to ``<workdir>/server-N.log``.

    With ``profile``, the server runs under cProfile and writes its statistics there before it stops;
    with ``program``, Python runs these arguments (which end by running ``server.cli``) instead of
    ``-m server.cli`` (e.g. the server with a probe: ``bench/loop_lag.py``).
    """

    _count = 0

    def __init__(
        self,
        database_url: str,
        workdir: Path,
        tick_seconds: float = 0.1,
        extra_env: dict[str, str] | None = None,
        profile: Path | None = None,
        root: Path | None = None,
        program: Sequence[str] | None = None,
    ) -> None:
        self.database_url = database_url
        # the checkout whose server runs (another one: a baseline beside this one); ROOT is read
        # here, not when the module is imported, so that a bench's --root reaches every server
        self.root = root or ROOT
        self.workdir = workdir
        self.tick_seconds = tick_seconds
        self.extra_env = extra_env or {}
        self.profile = profile  # cProfile's statistics of the whole server, written when it stops
        self.program = tuple(program) if program else ("-m", "server.cli")
        self.port = 0
        self.proc: subprocess.Popen[bytes] | None = None
        self.log_path: Path | None = None
        self.start_seconds = float("nan")

    @property
    def pid(self) -> int | None:
        return self.proc.pid if self.proc else None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://{HOST}:{self.port}"

    def start(self, timeout: float = 60.0) -> float:
        """Start and wait for the health check; the wall seconds from spawn to the first answer."""
        ServerProcess._count += 1
        self.port = free_port()
        self.log_path = self.workdir / f"server-{ServerProcess._count}.log"
        env = {
            **os.environ,
            **self.extra_env,
            "DATABASE_URL": self.database_url,
            "INSTRUCTOR_PASSWORD": PASSWORD,
            "TICK_SECONDS": str(self.tick_seconds),
        }
        log = self.log_path.open("wb")
        started = time.perf_counter()
        program = ["-c", PROFILED, str(self.profile)] if self.profile else list(self.program)
        self.proc = subprocess.Popen(
            [sys.executable, *program, "serve", "--host", HOST, "--port", str(self.port)],
            cwd=self.root,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        log.close()
        deadline = started + timeout
        with httpx.Client(base_url=self.url, timeout=2.0) as client:
            while time.perf_counter() < deadline:
                if self.proc.poll() is not None:
                    raise RuntimeError(f"the server exited with {self.proc.returncode}:\n{self.log_tail()}")
                try:
                    if client.get("/api/v1/health").status_code == 200:
                        self.start_seconds = time.perf_counter() - started
                        return self.start_seconds
                except httpx.TransportError:
                    pass
                time.sleep(0.02)
        self.stop()
        raise RuntimeError(
            f"the server did not answer /api/v1/health within {timeout:.0f} s:\n{self.log_tail()}"
        )

    def stop(self, timeout: float = 15.0) -> int | None:
        """SIGTERM (uvicorn shuts down cleanly), SIGKILL after ``timeout``; the exit code."""
        proc, self.proc = self.proc, None
        if proc is None:
            return None
        if proc.poll() is None and self.profile is not None:
            proc.send_signal(signal.SIGUSR1)  # the profiled server writes its statistics
            deadline = time.perf_counter() + 60.0
            while not self.profile.exists() and time.perf_counter() < deadline:
                time.sleep(0.2)
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(5)
        return proc.returncode

    def log_tail(self, lines: int = 20) -> str:
        if self.log_path is None or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()


@contextlib.contextmanager
def workdir() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="salesfloor-bench-") as name:
        yield Path(name)


# --- setting up a competition over HTTP ----------------------------------------------------------------


def _check(response: httpx.Response) -> Any:
    if response.status_code >= 400:
        raise RuntimeError(
            f"{response.request.method} {response.request.url.path}: {response.status_code} {response.text}"
        )
    return response.json()


class Setup:
    """The instructor's side, synchronous: log in, create a competition, register teams, start."""

    def __init__(self, base_url: str) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0)
        token = _check(self.http.post("/api/v1/session/instructor", json={"password": PASSWORD}))["token"]
        self.http.headers["Authorization"] = f"Bearer {token}"
        self.token = token

    def close(self) -> None:
        self.http.close()

    def competition(
        self,
        teams: Sequence[tuple[str, str | None]],
        seconds_per_hour: float,
        seed: int = 7,
        name: str = "bench",
    ) -> tuple[int, dict[str, str]]:
        """A started competition with ``teams`` (name, bot); its id and each team's join code."""
        competition_id, codes = self.draft(teams, seconds_per_hour, seed, name)
        self.start(competition_id)
        return competition_id, codes

    def draft(
        self,
        teams: Sequence[tuple[str, str | None]],
        seconds_per_hour: float,
        seed: int = 7,
        name: str = "bench",
        rounds: int | None = None,
    ) -> tuple[int, dict[str, str]]:
        """A competition with ``teams`` (name, bot), not started yet; its id and each team's join code."""
        body: dict[str, Any] = {"name": name, "seconds_per_hour": seconds_per_hour, "seed": seed}
        if rounds is not None:
            body["rounds"] = rounds
        competition_id = int(_check(self.http.post("/api/v1/competitions", json=body))["id"])
        codes: dict[str, str] = {}
        for team, bot in teams:
            payload: dict[str, Any] = {"name": team}
            if bot:
                payload["bot"] = bot
            out = _check(self.http.post(f"/api/v1/competitions/{competition_id}/teams", json=payload))
            codes[team] = out["join_code"]
        return competition_id, codes

    def start(self, competition_id: int) -> None:
        _check(self.http.post(f"/api/v1/competitions/{competition_id}/start"))

    def detail(self, competition_id: int) -> dict[str, Any]:
        """The instructor's view of the competition (``state``, ``now``, …)."""
        out: dict[str, Any] = _check(self.http.get(f"/api/v1/competitions/{competition_id}"))
        return out

    def join(self, code: str, name: str, role: str = "manager") -> str:
        out = _check(self.http.post("/api/v1/session/join", json={"code": code, "name": name, "role": role}))
        return str(out["token"])

    def pause(self, competition_id: int) -> dict[str, Any]:
        out: dict[str, Any] = _check(self.http.post(f"/api/v1/competitions/{competition_id}/pause"))
        return out

    def health(self) -> dict[str, Any]:
        out: dict[str, Any] = _check(self.http.get("/api/v1/health"))
        return out


def new_database_name() -> str:
    return f"salesfloor_bench_{secrets.token_hex(4)}"
