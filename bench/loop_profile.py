"""What holds a server's event loop: py-spy samples of its loop thread while it was busy.

``LoopProfile`` records the server with py-spy (``record --idle --threads``, raw stacks, 100
samples a second) for a given time in the background; ``finish`` waits for it and prints how
many of the loop thread's samples found it busy, and the functions found in most of those
busy samples (inclusive: a function counts once per sample it is anywhere in). The loop
thread is the main thread (uvicorn runs its loop there); a sample whose innermost Python
frame is the loop itself (under uvloop, ``Runner.run``: the loop waits for I/O in C) is
idle. py-spy must be installed (``pip install py-spy`` into the benchmark's environment).
Nothing here asserts anything.
"""

from __future__ import annotations

import collections
import re
import shutil
import subprocess
import sys
from pathlib import Path

IDLE_LEAVES = ("Runner.run (", "run_until_complete", "select (selectors.py", "run_forever", "_run_once")
"""The innermost frame of a loop thread that waits for I/O (uvloop waits in C, under these)."""

SHOWN = 18
"""How many of the busiest functions are printed."""

EVERYWHERE: tuple[str, ...] = ("<module>", "run_module", "_run_module_code", "_run_code", "run (runners.py)")
EVERYWHERE += (
    "run_until_complete",
    "run_forever",
    "_run_once",
    "_run (events.py)",
    "run (main.py)",
    "main (program.py)",
)
EVERYWHERE += ("cmd_serve", "Server.run", "asyncio_run", "_run_server", "Runner.run", "Server.serve")
"""Frames under every sample of the loop thread (running the program, the loop): not shown."""

LOOP_MARK = "MainThread"
"""The thread that runs the event loop (uvicorn runs it in the main thread)."""


def _frames(stack: str) -> list[str]:
    return [frame for frame in stack.split(";") if frame]


def _short(frame: str) -> str:
    """``name (path/to/module.py:12)`` → ``name (module.py)``: one entry per function, not per line."""
    match = re.match(r"(.*) \((?:.*/)?([^/:]+)(?::\d+)?\)$", frame)
    return f"{match[1]} ({match[2]})" if match else frame


def summarise(raw: str) -> list[str]:
    """The lines ``LoopProfile.finish`` prints for py-spy's raw output."""
    busy: collections.Counter[str] = collections.Counter()
    samples = busy_samples = 0
    for line in raw.splitlines():
        stack, _, number = line.rpartition(" ")
        if not number.isdigit() or LOOP_MARK not in stack:
            continue
        n = int(number)
        samples += n
        frames = _frames(stack)
        if any(mark in frames[-1] for mark in IDLE_LEAVES):
            continue
        busy_samples += n
        for name in {_short(frame) for frame in frames[2:]}:  # past the process and thread frames
            busy[name] += n
    if not samples:
        return ["loop profile: no samples of the loop thread"]
    lines = [
        f"loop profile: the loop thread was busy in {busy_samples:,} of {samples:,} samples "
        f"({busy_samples / samples:.0%}); the functions in most busy samples (inclusive):"
    ]
    shown = [(name, n) for name, n in busy.most_common() if not name.startswith(EVERYWHERE)]
    for name, n in shown[:SHOWN]:
        lines.append(f"  {n / max(1, busy_samples):5.0%}  {n:6,}  {name}")
    return lines


class LoopProfile:
    """py-spy recording one process for ``seconds`` in the background; ``finish`` prints the summary."""

    def __init__(self, path: Path, pid: int, seconds: float) -> None:
        spy = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
        if not Path(spy).exists():
            raise SystemExit("py-spy is missing: pip install py-spy (into the benchmark's environment)")
        self.path = path
        command = [spy, "record", "--idle", "--threads", "--nonblocking", "-r", "100"]
        command += ["-d", str(max(1, int(seconds))), "-p", str(pid), "-f", "raw", "-o", str(path)]
        self.proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def finish(self) -> list[str]:
        try:
            self.proc.wait(120)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        if not self.path.exists():
            return [f"loop profile: py-spy wrote nothing ({self.path})"]
        return [*summarise(self.path.read_text()), f"  (the raw stacks: {self.path})"]
