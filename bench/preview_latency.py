"""Benchmark: does a big preview slow the class down?

Starts ``salesfloor serve`` in a subprocess (SQLite in a temporary directory) with a running
competition in which one member is signed in. Two phases of ``--seconds`` each. Quiet: the
member sends a command (``PUT /team/policies/reminders``) every ``--every`` seconds and a
prober asks ``GET /api/v1/competitions`` as the instructor. Preview: the same, while the
instructor keeps ``--previews`` previews of ``--seeds`` seeds × ``--rounds`` rounds (the
audit's 10 × 20) queued, starting a new one whenever the server takes it; refused starts
(429) are counted. Prints, for each phase, the latencies (median, p90, p99, max), the server's
CPU and the machine's load.

Before issue 11.5a a preview played in a thread of the server's process, so its seasons held
the interpreter lock the event loop needs, and previews queued without limit; now they play
in worker processes (``PREVIEW_WORKERS``) behind a bounded queue. ``--root`` runs another
checkout's server (e.g. an export of an older commit) to compare.
Run with ``python bench/preview_latency.py [--seconds 15 --previews 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
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
    base: str, member: str, instructor: str, until: float, every: float
) -> tuple[list[float], list[float], int]:
    """A member's command and the instructor's list, every ``every`` seconds: latencies, failures."""
    command: list[float] = []
    listing: list[float] = []
    failures = 0
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        days = 1
        while time.perf_counter() < until:
            days = days % 20 + 1
            started = time.perf_counter()
            answer = await client.put(
                "/api/v1/team/policies/reminders",
                json={"days_after_due": days},
                headers={"Authorization": f"Bearer {member}"},
            )
            command.append(time.perf_counter() - started)
            failures += answer.status_code != 200
            started = time.perf_counter()
            answer = await client.get(
                "/api/v1/competitions", headers={"Authorization": f"Bearer {instructor}"}
            )
            listing.append(time.perf_counter() - started)
            failures += answer.status_code != 200
            await asyncio.sleep(every)
    return command, listing, failures


async def _keep_queued(
    base: str, instructor: str, until: float, wanted: int, body: dict[str, int]
) -> dict[int, int]:
    """Start previews until ``until``, up to ``wanted`` at once: how the starts were answered."""
    answers: dict[int, int] = {}
    running: list[str] = []
    headers = {"Authorization": f"Bearer {instructor}"}
    async with httpx.AsyncClient(base_url=base, timeout=120) as client:
        while time.perf_counter() < until:
            still = []
            for preview_id in running:
                view = (await client.get(f"/api/v1/previews/{preview_id}", headers=headers)).json()
                if view.get("state") == "running":
                    still.append(preview_id)
            running = still
            if len(running) < wanted:
                answer = await client.post("/api/v1/previews", json=body, headers=headers)
                answers[answer.status_code] = answers.get(answer.status_code, 0) + 1
                if answer.status_code == 202:
                    running.append(answer.json()["id"])
            await asyncio.sleep(0.5)
    return answers


async def _phase(
    base: str, member: str, instructor: str, seconds: float, every: float, previews: int, body: dict[str, int]
) -> tuple[list[float], list[float], int, dict[int, int]]:
    until = time.perf_counter() + seconds
    probe = _probe(base, member, instructor, until, every)
    if not previews:
        command, listing, failures = await probe
        return command, listing, failures, {}
    (command, listing, failures), answers = await asyncio.gather(
        probe, _keep_queued(base, instructor, until, previews, body)
    )
    return command, listing, failures, answers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=float, default=15.0, help="length of each phase")
    parser.add_argument("--every", type=float, default=0.05, help="pause between two probes, seconds")
    parser.add_argument("--previews", type=int, default=3, help="previews the instructor keeps queued")
    parser.add_argument("--seeds", type=int, default=10, help="seeds of each preview")
    parser.add_argument("--rounds", type=int, default=20, help="rounds of each preview")
    parser.add_argument("--root", type=Path, default=None, help="run the server of another checkout")
    args = parser.parse_args()
    if args.root is not None:
        live_server.ROOT = args.root.resolve()
    print(f"preview latency · {machine()} · server from {live_server.ROOT}")
    shape = f"{args.seeds} seeds × {args.rounds} rounds"
    print(f"{args.previews} previews of {shape} kept queued, {args.seconds:g} s a phase")
    body = {"seeds": args.seeds, "rounds": args.rounds}
    with workdir() as work:
        url = f"sqlite:///{work / 'salesfloor.db'}"
        with ServerProcess(url, work, extra_env={"COMMANDS_PER_MINUTE": "1000000"}) as server:
            setup = Setup(server.url)
            _, codes = setup.competition(teams=[("Humans", None)], seconds_per_hour=3600.0)
            member = setup.join(codes["Humans"], "Bench")
            for label, previews in (("quiet", 0), ("previews", args.previews)):
                cpu_before, wall_before = cpu_seconds(server.pid), time.perf_counter()
                command, listing, failures, answers = asyncio.run(
                    _phase(server.url, member, setup.token, args.seconds, args.every, previews, body)
                )
                cores = (cpu_seconds(server.pid) - cpu_before) / (time.perf_counter() - wall_before)
                load = os.getloadavg()[0]
                figures = f"server process CPU {cores:.2f} cores, machine load {load:.1f}"
                print(f"\n{label}: {figures}, failures {failures}")
                print("  " + latency_line("member command     ", command))
                print("  " + latency_line("GET /competitions  ", listing))
                if answers:
                    shown = ", ".join(f"{status}: {n}" for status, n in sorted(answers.items()))
                    print(f"  preview starts answered: {shown} (429: the queue was full)")
            setup.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
