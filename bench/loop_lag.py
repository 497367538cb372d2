"""Event-loop lag, of the benchmark's own client processes and of the server under test.

A probe task sleeps ``INTERVAL`` seconds again and again and records how much later than
asked it woke up: the time the event loop was busy with something else (or the process
waited for a core). A client whose loop lags by tens of milliseconds adds them to every
round-trip it measures, so a benchmark that prints its clients' lag beside its figures
shows when the client, not the server, was the limit.

``SERVER_PROGRAM`` runs ``salesfloor serve`` with the same probe on the server's loop (it
patches ``uvicorn.Server.startup`` to start it; nothing in the server changes, so an older
checkout is measured alike). On ``SIGUSR2`` the server writes the lags to a file, which
``server_lags`` asks for and reads. Nothing here asserts anything.
"""

from __future__ import annotations

import asyncio
import json
import os
import signal
import time
from collections.abc import Sequence
from pathlib import Path

from live_server import percentile

INTERVAL = 0.01
"""Seconds the probe sleeps between two looks at the clock."""

STALLS_MS = (20.0, 50.0, 100.0)
"""Lags counted as stalls of at least this many milliseconds."""


class LagProbe:
    """A task on the running loop that records, every ``INTERVAL``, how late the loop woke it."""

    def __init__(self) -> None:
        self.lags: list[float] = []
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while True:
            asked = time.perf_counter() + INTERVAL
            await asyncio.sleep(INTERVAL)
            self.lags.append(max(0.0, time.perf_counter() - asked))

    def stop(self) -> list[float]:
        if self.task is not None:
            self.task.cancel()
        return self.lags


_PROGRAM = """
import asyncio, json, runpy, signal, sys, time
path = sys.argv[1]
sys.argv = ["salesfloor", *sys.argv[2:]]
lags = []
async def probe():
    while True:
        asked = time.perf_counter() + __INTERVAL__
        await asyncio.sleep(__INTERVAL__)
        lags.append(round(max(0.0, time.perf_counter() - asked), 5))
def dump(*_):
    with open(path + ".part", "w") as out:
        json.dump(lags, out)
    import os
    os.replace(path + ".part", path)
signal.signal(signal.SIGUSR2, dump)
import uvicorn
started = uvicorn.Server.startup
async def startup(self, *args, **kwargs):
    await started(self, *args, **kwargs)
    probe.task = asyncio.get_running_loop().create_task(probe())
uvicorn.Server.startup = startup
runpy.run_module("server.cli", run_name="__main__")
"""
SERVER_PROGRAM = _PROGRAM.replace("__INTERVAL__", repr(INTERVAL))
"""``python -c SERVER_PROGRAM LAGS serve …``: the server with a lag probe; SIGUSR2 writes LAGS."""


def server_lags(pid: int, path: Path, timeout: float = 30.0) -> list[float]:
    """Ask the server (run with SERVER_PROGRAM) for its lags so far; [] if it does not answer."""
    path.unlink(missing_ok=True)
    os.kill(pid, signal.SIGUSR2)
    deadline = time.perf_counter() + timeout
    while not path.exists() and time.perf_counter() < deadline:
        time.sleep(0.1)
    if not path.exists():
        return []
    lags: list[float] = json.loads(path.read_text())
    return lags


def since(lags: Sequence[float], count: int) -> list[float]:
    """The lags recorded after the first ``count`` (a probe's record from some moment on)."""
    return list(lags[count:])


def lag_line(label: str, lags: Sequence[float]) -> str:
    """``label: median … p99 … max … ms; stalls ≥ 20 / 50 / 100 ms: …; busy …``, or no samples."""
    if not lags:
        return f"{label}: no samples"
    ms = [lag * 1000.0 for lag in lags]
    stalls = " / ".join(f"{sum(1 for m in ms if m >= limit):,}" for limit in STALLS_MS)
    late = sum(m for m in ms if m >= STALLS_MS[0]) / 1000.0
    return (
        f"{label}: median {percentile(ms, 50):.1f} ms, p99 {percentile(ms, 99):.1f} ms, "
        f"max {max(ms):.0f} ms over {len(ms):,} looks; stalls ≥ "
        f"{' / '.join(f'{limit:g}' for limit in STALLS_MS)} ms: {stalls} ({late:.1f} s in all)"
    )
