"""Benchmark: command round-trip of the live server at a sustained rate.

Starts ``salesfloor serve`` in a subprocess (SQLite in a temporary directory, or PostgreSQL with
``--database-url``), creates a running competition with ``--teams`` teams and joins one member
(role manager) per team, each with its own async httpx client. The members then send
``PUT /api/v1/team/policies/apology`` (always accepted; it alternates on and off) on a fixed
open-loop schedule — ``--rate`` commands per second in total, spread evenly over the members,
for ``--seconds`` — so a slow answer never delays the next send. Each command's latency is
the wall time from just before the request to its response, on the same machine as the server.

Each of ``--repeats`` runs gets a fresh server, database and competition. Prints the
configuration; per run the count, median, p90, p99 and max latency and how late the client
sent against its schedule; the median of each figure over the runs; and errors (every
non-2xx status and transport error; nothing is expected to be refused). Run with
``python bench/live_roundtrip.py [--rate 50 --seconds 30 --repeats 3]``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from live_server import (
    DATABASE_HELP,
    OtherLoad,
    ServerProcess,
    Setup,
    database,
    describe_database,
    latency_line,
    machine,
    percentile,
    workdir,
)

PATH = "/api/v1/team/policies/apology"


async def run_load(
    base_url: str, tokens: list[str], rate: float, seconds: float, timeout: float
) -> tuple[list[float], list[float], collections.Counter[str], float]:
    """Send the schedule; (latencies, send lags, errors by kind, wall seconds of the run)."""
    total = max(1, int(rate * seconds))
    latencies: list[float] = []
    lags: list[float] = []
    errors: collections.Counter[str] = collections.Counter()
    clients = [
        httpx.AsyncClient(base_url=base_url, headers={"Authorization": f"Bearer {t}"}, timeout=timeout)
        for t in tokens
    ]
    try:
        # one unmeasured command per member opens its connection
        for client in clients:
            await client.put(PATH, json={"enabled": False})

        async def one(k: int, due: float) -> None:
            client = clients[k % len(clients)]
            sent = time.perf_counter()
            lags.append(sent - due)
            try:
                response = await client.put(PATH, json={"enabled": k % 2 == 0})
            except httpx.HTTPError as exc:
                errors[type(exc).__name__] += 1
                return
            if 200 <= response.status_code < 300:
                latencies.append(time.perf_counter() - sent)
            else:
                errors[f"HTTP {response.status_code}"] += 1

        tasks: list[asyncio.Task[None]] = []
        start = time.perf_counter() + 0.1
        for k in range(total):
            due = start + k / rate
            delay = due - time.perf_counter()
            if delay > 0:
                await asyncio.sleep(delay)
            tasks.append(asyncio.create_task(one(k, due)))
        _, pending = await asyncio.wait(tasks, timeout=timeout + 5.0)
        for task in pending:
            task.cancel()
            errors["unfinished"] += 1
        elapsed = time.perf_counter() - start
    finally:
        for client in clients:
            await client.aclose()
    return latencies, lags, errors, elapsed


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=20, help="teams, one member client each (default 20)")
    parser.add_argument("--rate", type=float, default=50.0, help="commands per second, all members together")
    parser.add_argument("--seconds", type=float, default=30.0, help="how long the load lasts (default 30)")
    parser.add_argument(
        "--house-bots", type=int, default=0, help="extra teams played by the balanced house bot"
    )
    parser.add_argument("--seconds-per-hour", type=float, default=15.0, help="pacing (default 15 s per hour)")
    parser.add_argument("--tick-seconds", type=float, default=0.1, help="the server's TICK_SECONDS")
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs, each with a fresh competition (default 3)"
    )
    parser.add_argument("--timeout", type=float, default=10.0, help="per-request timeout in seconds")
    parser.add_argument("--database-url", help=DATABASE_HELP)
    args = parser.parse_args()
    if args.teams < 1 or not 0 < args.rate <= 2000 or not 0 < args.seconds <= 600 or args.house_bots < 0:
        parser.error("--teams ≥ 1, 0 < --rate ≤ 2000, 0 < --seconds ≤ 600, --house-bots ≥ 0")
    if not 1 <= args.repeats <= 20:
        parser.error("1 ≤ --repeats ≤ 20")
    per_member = args.rate / args.teams * 60.0
    print(
        f"live round-trip: {args.teams} member clients (one per team) + {args.house_bots} house-bot "
        f"teams, {args.rate:g} commands/s for {args.seconds:g} s (PUT {PATH}), {args.repeats} runs"
    )
    if per_member > 240:
        print(f"  note: {per_member:.0f} commands/min per member exceeds the server's default limit of 240")
    runs: list[dict[str, float]] = []
    errors: collections.Counter[str] = collections.Counter()
    unhealthy = 0
    with workdir() as wd:
        for repeat in range(args.repeats):
            # every run gets a fresh server, database and competition
            run_dir = wd / f"run-{repeat + 1}"
            run_dir.mkdir()
            with database(args.database_url, run_dir) as url:
                if repeat == 0:
                    print(
                        f"server: {describe_database(url)}, TICK_SECONDS={args.tick_seconds:g}, "
                        f"{args.seconds_per_hour:g} s per simulated hour, a fresh server and database "
                        f"each run; client and server on one machine ({machine()})"
                    )
                server = ServerProcess(url, run_dir, args.tick_seconds)
                server.start()
                try:
                    run, run_errors, healthy = one_run(args, server, repeat)
                finally:
                    server.stop()
            runs.append(run)
            errors += run_errors
            unhealthy += not healthy
    figures = "  ".join(
        f"{key} {statistics.median(r[key] for r in runs):.1f} ms" for key in ("median", "p90", "p99", "max")
    )
    print(f"  median of {len(runs)} runs: {figures}")
    shown = ", ".join(f"{kind} ×{n}" for kind, n in errors.most_common()) or "none"
    print(f"  errors: {sum(errors.values())} ({shown}); runs whose server health was not ok: {unhealthy}")


def one_run(
    args: argparse.Namespace, server: ServerProcess, repeat: int
) -> tuple[dict[str, float], collections.Counter[str], bool]:
    """Set up a competition, send the load, print the run's line; (figures, errors, health ok)."""
    setup = Setup(server.url)
    teams: list[tuple[str, str | None]] = [(f"Team {i + 1:03d}", None) for i in range(args.teams)]
    teams += [(f"Bot {i + 1:03d}", "balanced") for i in range(args.house_bots)]
    competition_id, codes = setup.competition(teams, args.seconds_per_hour, seed=7 + repeat)
    tokens = [setup.join(codes[name], f"member {i + 1}") for i, (name, _) in enumerate(teams[: args.teams])]
    with OtherLoad(server.pid) as other:
        latencies, lags, errors, elapsed = asyncio.run(
            run_load(server.url, tokens, args.rate, args.seconds, args.timeout)
        )
    monitor = setup.http.get(f"/api/v1/competitions/{competition_id}/monitor").json()
    counted = sum(t["commands"] for t in monitor["teams"] if t["team"].startswith("Team "))
    healthy = bool(setup.health()["ok"])
    setup.close()
    sent = len(latencies) + sum(errors.values())
    ms = [x * 1000 for x in latencies]
    run = {
        "median": percentile(ms, 50),
        "p90": percentile(ms, 90),
        "p99": percentile(ms, 99),
        "max": max(ms, default=float("nan")),
    }
    print(
        f"  run {repeat + 1}: sent {sent:,} in {elapsed:.1f} s ({sent / elapsed:.1f}/s), "
        f"server counted {counted - args.teams:,} (+{args.teams} warm-up); "
        f"{latency_line('round-trip', latencies)}; send lag p99 {percentile(lags, 99) * 1000:.1f} ms; "
        f"errors {sum(errors.values())}; other processes kept {other.cores:.2f} cores busy"
    )
    return run, errors, healthy


if __name__ == "__main__":
    main()
