"""A sampling profile of the server under load: py-spy (from ``bench/.venv-otree``) beside a run.

``Profiler.start`` records the server's every thread, idle ones included (``--idle --threads``),
for a number of seconds in the background; ``finish`` waits for it and prints, per thread kind
(the event loop, the worker threads), the functions found in most samples — inclusive counts,
so "waiting for a pooled connection" and "resolving who asks" show with what they cost in all.
"""

from __future__ import annotations

import collections
import subprocess
from pathlib import Path
from typing import Any

PEER_VENV = Path(__file__).resolve().parent / ".venv-otree"

WATCHED = (
    ("pool: check a connection out/in", ("_do_get", "_do_return_conn", "checkout", "_checkin")),
    ("sqlite: connect + PRAGMAs", ("_pragmas", "connect (sqlite3")),
    ("resolve (who asks)", ("resolve (server/api/deps.py",)),
    ("add_command", ("add_command",)),
    ("write_behind", ("write_behind",)),
    ("commit", ("commit (sqlalchemy/engine/base.py", "_commit_impl")),
    ("event loop idle (select/epoll)", ("select (selectors.py",)),
    ("worker thread idle (queue get)", ("_worker (concurrent/futures/thread.py",)),
)


class Profiler:
    def __init__(self, directory: Path, label: str, case: Any, pid: int | None) -> None:
        directory.mkdir(parents=True, exist_ok=True)
        self.path = directory / f"{label}-{case.members}x{case.rate:g}.txt"
        self.pid = pid
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self, seconds: float) -> None:
        spy = PEER_VENV / "bin" / "py-spy"
        if not spy.exists():
            raise SystemExit(f"{spy} is missing: run with --otree once (it creates the environment) first")
        self.proc = subprocess.Popen(
            [
                str(spy),
                "record",
                "--idle",
                "--threads",
                "--nonblocking",
                "-r",
                "100",
                "-d",
                str(int(seconds)),
                "-p",
                str(self.pid),
                "-f",
                "raw",
                "-o",
                str(self.path),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def finish(self) -> None:
        if self.proc is None:
            return
        self.proc.wait(120)
        if not self.path.exists():
            print(f"  profile: py-spy wrote nothing ({self.path})")
            return
        print(f"  profile {self.path.name}: " + summary(self.path.read_text()))


def summary(raw: str) -> str:
    """Samples per watched kind of work, out of all samples (inclusive: a stack counts once per kind)."""
    counts: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit():
            continue
        n = int(number)
        total += n
        for name, needles in WATCHED:
            if any(needle in stack for needle in needles):
                counts[name] += n
    parts = [f"{name} {counts[name]:,}" for name, _ in WATCHED]
    return f"{total:,} samples; " + "; ".join(parts)
