"""Benchmark: every console of a class refreshes its team's state in the same instant.

A change of the competition's state (a round starts or ends, a pause, the reveal) reaches
every team channel at once, and every console answers it with ``GET /api/v1/team/state``: a
class of 60 teams × 4 sends 240 requests in the same millisecond. The class-load benchmark's
state-refresh tail comes from such bursts (docs/performance.md); this measures one alone.

For each server (this checkout's, and with ``--baseline DIR`` an older checkout's first, in
the same minutes) a fresh SQLite database (or ``--database-url``): a started competition of
``--teams`` teams (no bots), 4 members each, joined with their team's code. Every member has
its own kept-alive connection (the minimal HTTP/1.1 client of ``competition_clients.py``),
warmed with one refresh. Then ``--bursts`` times, ``--gap`` seconds apart, every member
refreshes at the same scheduled instant, spread over ``--clients`` processes. Printed: the
round trip over all requests (median, p90, p99, max), the median of the bursts' last answer
(how long the burst took), and the server's CPU per request. Asserts nothing.

``python bench/state_burst.py --teams 60 --bursts 20 --baseline /tmp/state_before``
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from competition_clients import Http
from competition_setup import join_all
from live_server import (
    DATABASE_HELP,
    ServerProcess,
    Setup,
    cpu_seconds,
    database,
    describe_database,
    machine,
    percentile,
    workdir,
)

STATE = "/api/v1/team/state"


def _fire(port: int, tokens: list[str], starts: list[float], out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    """One client process: a warm connection per member, then every member at every start time."""

    async def run() -> list[list[float]]:
        connections = [Http("127.0.0.1", port) for _ in tokens]
        for http, token in zip(connections, tokens, strict=True):
            status, body = await http.get(STATE, token)
            if status != 200:
                raise RuntimeError(f"GET {STATE}: {status} {body[:200]!r}")
        bursts: list[list[float]] = []
        for start in starts:
            await asyncio.sleep(max(0.0, start - time.time()))

            async def one(http: Http, token: str) -> float:
                sent = time.perf_counter()
                status, _ = await http.get(STATE, token)
                if status != 200:
                    raise RuntimeError(f"GET {STATE}: {status}")
                return time.perf_counter() - sent

            pairs = zip(connections, tokens, strict=True)
            bursts.append(list(await asyncio.gather(*(one(http, token) for http, token in pairs))))
        for http in connections:
            await http.close()
        return bursts

    out.put(asyncio.run(run()))


@dataclass(frozen=True, slots=True)
class Result:
    label: str
    rtts: list[float]
    burst_lengths: list[float]
    cpu_ms_per_request: float

    def line(self) -> str:
        ms = [r * 1000 for r in self.rtts]
        return (
            f"{self.label}: {len(ms):,} refreshes in {len(self.burst_lengths)} bursts; round trip "
            f"median {statistics.median(ms):.1f} / p90 {percentile(ms, 90):.1f} / "
            f"p99 {percentile(ms, 99):.1f} / max {max(ms):.1f} ms; a burst's last answer "
            f"(median) {statistics.median(self.burst_lengths) * 1000:.0f} ms; server CPU "
            f"{self.cpu_ms_per_request:.2f} ms a refresh"
        )


def measure(label: str, root: Path, args: argparse.Namespace) -> Result:
    with workdir() as work, database(args.database_url, work) as url:
        server = ServerProcess(url, work, tick_seconds=0.2, root=root)
        server.start()
        try:
            setup = Setup(server.url)
            teams = [(f"T{i:03d}", None) for i in range(args.teams)]
            _, codes = setup.competition(teams, seconds_per_hour=args.seconds_per_hour)
            tokens_by_team, _ = asyncio.run(join_all([server.url], codes, 4))
            setup.close()
            tokens = [t for team in tokens_by_team.values() for t in team]
            shares = [tokens[i :: args.clients] for i in range(args.clients)]
            first = time.time() + 3.0 + len(tokens) * 0.004  # after every connection is warm
            starts = [first + i * args.gap for i in range(args.bursts)]
            cpu_before = cpu_seconds(server.pid)
            queue: multiprocessing.Queue = multiprocessing.Queue()  # type: ignore[type-arg]
            procs = [
                multiprocessing.Process(target=_fire, args=(server.port, share, starts, queue))
                for share in shares
            ]
            for proc in procs:
                proc.start()
            results = [queue.get(timeout=120 + args.bursts * args.gap) for _ in procs]
            for proc in procs:
                proc.join()
            cpu = cpu_seconds(server.pid) - cpu_before
        finally:
            server.stop()
    per_burst = [[r for result in results for r in result[b]] for b in range(args.bursts)]
    rtts = [r for burst in per_burst for r in burst]
    warm = len(tokens)  # the warm-up refreshes ran inside the CPU window too
    return Result(label, rtts, [max(b) for b in per_burst], cpu * 1000 / (len(rtts) + warm))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=60)
    parser.add_argument("--bursts", type=int, default=20)
    parser.add_argument("--gap", type=float, default=1.5, help="seconds between two bursts")
    parser.add_argument("--clients", type=int, default=2, help="client processes")
    parser.add_argument("--seconds-per-hour", type=float, default=15.0)
    parser.add_argument("--baseline", type=Path, default=None, help="an older checkout, measured first")
    parser.add_argument("--database-url", default=None, help=DATABASE_HELP)
    args = parser.parse_args()
    where = "postgresql (a new database per server)" if args.database_url else describe_database("sqlite")
    print(
        f"state bursts: {args.teams} teams × 4 members refresh at once, {args.bursts} times "
        f"{args.gap:g} s apart; {machine()}; {where}"
    )
    servers = [("before", args.baseline.resolve())] if args.baseline else []
    servers.append(("after" if args.baseline else "this checkout", Path(__file__).resolve().parent.parent))
    lines = [measure(label, root, args).line() for label, root in servers]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
