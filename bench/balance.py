"""Benchmark: the full balance run — the adversarial search and the matrix in every cell.

Runs ``salesfloor balance`` (by default ``--seeds 20`` and the search's default budget, in
every shipped preset and both modes, on all cores) and prints its wall time, the CPU time of
this process and its workers, the machine's load before and after, and how many seasons it
played; with ``--write docs/balance.md`` it regenerates the doc as well. Run with
``python bench/balance.py [--seeds N] [--write docs/balance.md] [other balance options]``.
"""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server.cli import main as salesfloor


def cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> int:
    arguments = sys.argv[1:]
    if not any(a == "--seeds" or a.startswith("--seeds=") for a in arguments):
        arguments = ["--seeds", "20", *arguments]
    load_before = os.getloadavg()[0]
    started, cpu_started = time.perf_counter(), cpu_seconds()
    code = salesfloor(["balance", *arguments])
    wall, cpu = time.perf_counter() - started, cpu_seconds() - cpu_started
    print(
        f"balance {' '.join(arguments)}: {wall:,.0f} s wall, {cpu:,.0f} s CPU "
        f"({os.cpu_count()} cores; load {load_before:.1f} before, {os.getloadavg()[0]:.1f} after)"
    )
    return code


if __name__ == "__main__":
    sys.exit(main())
