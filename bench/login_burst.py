"""Benchmark: does a burst of instructor-password guesses stall the class?

Starts ``salesfloor serve`` in a subprocess (SQLite in a temporary directory) with a running
competition in which one member is signed in. The failed-login windows are opened wide
(``LOGIN_FAILURES_PER_MINUTE`` and ``LOGIN_FAILURES_PER_TARGET`` at a million) so that every
guess reaches the password check: this measures the check, not the throttle in front of it.

Two phases of ``--seconds`` each. Quiet: a prober (in this process) asks ``GET /api/v1/health`` and the member
sends a command (``PUT /team/policies/reminders``) every ``--every`` seconds. Burst: the same,
while ``--burst`` clients (in ``--processes`` other processes, so that the prober's own
latency is not theirs) send wrong instructor passwords as fast as the server answers them.
Prints, for each phase, the latency of /health and of the command (median, p90, p99, max),
and for the burst how many guesses were checked (401) and how many refused at once because
the password executor was full (503), per second, and the server's CPU.

Before issue 11 every check ran PBKDF2 (about 80 ms of a core) in the shared thread pool,
forty at once; now they run on their own executor, half the cores, with a short line.
``--root`` runs another checkout's server (e.g. an export of an older commit) to compare;
``--target join`` guesses join codes instead: how fast a guesser who ignores the 429 gets
wrong codes answered (docs/security.md, section 4, weighs that rate against 40-bit codes).
Run with ``python bench/login_burst.py [--burst 64 --seconds 10] [--target join]``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import concurrent.futures
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import live_server
from live_server import ServerProcess, Setup, cpu_seconds, latency_line, machine, workdir


async def _probe(
    base: str, member_token: str, until: float, every: float
) -> tuple[list[float], list[float], int]:
    """/health and a member's command, every ``every`` seconds until ``until``: their latencies, failures."""
    health: list[float] = []
    command: list[float] = []
    failures = 0
    headers = {"Authorization": f"Bearer {member_token}"}
    async with httpx.AsyncClient(base_url=base, timeout=30) as client:
        days = 1
        while time.perf_counter() < until:
            started = time.perf_counter()
            answer = await client.get("/api/v1/health")
            health.append(time.perf_counter() - started)
            failures += answer.status_code != 200
            days = days % 20 + 1
            started = time.perf_counter()
            answer = await client.put(
                "/api/v1/team/policies/reminders", json={"days_after_due": days}, headers=headers
            )
            command.append(time.perf_counter() - started)
            failures += answer.status_code != 200
            await asyncio.sleep(every)
    return health, command, failures


def _attempt(target: str, n: int) -> tuple[str, dict[str, str]]:
    if target == "join":
        return "/api/v1/session/join", {"code": f"WRONG{n:03d}", "name": "x", "role": "sales"}
    return "/api/v1/session/instructor", {"password": f"guess-{n}"}


async def _guess(base: str, until: float, clients: int, target: str) -> collections.Counter[int]:
    answers: collections.Counter[int] = collections.Counter()

    async def one() -> None:
        async with httpx.AsyncClient(base_url=base, timeout=60) as client:
            n = 0
            while time.time() < until:
                n += 1
                path, body = _attempt(target, n % 1000)
                response = await client.post(path, json=body)
                answers[response.status_code] += 1

    await asyncio.gather(*(one() for _ in range(clients)))
    return answers


def _guesser(base: str, until: float, clients: int, target: str) -> dict[int, int]:
    """One guessing process (the probes must not share an event loop or a GIL with the guessers)."""
    return dict(asyncio.run(_guess(base, until, clients, target)))


def _phase(
    base: str, member_token: str, seconds: float, every: float, burst: int, processes: int, target: str
) -> tuple[list[float], list[float], int, collections.Counter[int]]:
    until = time.time() + seconds
    answers: collections.Counter[int] = collections.Counter()
    shares = [burst // processes + (i < burst % processes) for i in range(processes)] if burst else []
    with concurrent.futures.ProcessPoolExecutor(max_workers=max(1, len(shares))) as pool:
        guessers = [pool.submit(_guesser, base, until, share, target) for share in shares if share]
        health, command, failures = asyncio.run(
            _probe(base, member_token, time.perf_counter() + seconds, every)
        )
        for guesser in guessers:
            answers.update(guesser.result())
    return health, command, failures, answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--burst", type=int, default=64, help="clients guessing the password at once")
    parser.add_argument(
        "--target",
        choices=("instructor", "join"),
        default="instructor",
        help="guess the instructor password, or join codes (how fast wrong codes are answered)",
    )
    parser.add_argument("--processes", type=int, default=2, help="processes the guessing clients share")
    parser.add_argument("--seconds", type=float, default=10.0, help="length of each phase")
    parser.add_argument("--every", type=float, default=0.02, help="pause between two probes, seconds")
    parser.add_argument("--root", type=Path, default=None, help="run the server of another checkout")
    args = parser.parse_args()
    if args.root is not None:
        live_server.ROOT = args.root.resolve()
    print(f"login burst · {machine()} · server from {live_server.ROOT}")
    what = "the instructor password" if args.target == "instructor" else "join codes"
    print(f"{args.burst} clients guessing {what}, {args.seconds:g} s a phase")
    wide = {
        "LOGIN_FAILURES_PER_MINUTE": "1000000",
        "LOGIN_FAILURES_PER_TARGET": "1000000",
        "COMMANDS_PER_MINUTE": "1000000",
    }
    with workdir() as work:
        url = f"sqlite:///{work / 'salesfloor.db'}"
        with ServerProcess(url, work, extra_env=wide) as server:
            setup = Setup(server.url)
            _, codes = setup.competition(teams=[("Humans", None)], seconds_per_hour=3600.0)
            token = setup.join(codes["Humans"], "Bench")
            for label, burst in (("quiet", 0), ("burst", args.burst)):
                cpu_before, wall_before = cpu_seconds(server.pid), time.perf_counter()
                health, command, failures, answers = _phase(
                    server.url, token, args.seconds, args.every, burst, args.processes, args.target
                )
                cores = (cpu_seconds(server.pid) - cpu_before) / (time.perf_counter() - wall_before)
                load = os.getloadavg()[0]
                figures = f"server CPU {cores:.2f} cores, machine load {load:.1f}, failures {failures}"
                print(f"\n{label}: {figures}")
                print("  " + latency_line("/health         ", health))
                print("  " + latency_line("member command  ", command))
                if burst:
                    per_second = {status: n / args.seconds for status, n in sorted(answers.items())}
                    shown = ", ".join(f"{status}: {rate:.1f}/s" for status, rate in per_second.items())
                    print(f"  guesses answered: {shown} (401 checked; 503: the password executor was full)")
            setup.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
