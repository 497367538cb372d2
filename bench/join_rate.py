"""Benchmark: how many members a second can join (a lecture hall scanning its team's QR code at once).

For every run a fresh server and database: the instructor drafts a competition of members/4
teams, then every member joins with its team's code (``POST /api/v1/session/join``, one as
manager, sales, service and finance per team), ``--at-once`` joins in flight. Measured: joins
per second over the whole burst (``--clients`` processes send them over the minimal HTTP/1.1
client of ``competition_clients.py``, so that the clients are not the limit; ``--client
httpx`` as the first measurements did), the join round trip (p50/p99), the server's CPU per
join and the client processes' CPU per join.
``--baseline DIR`` runs an older checkout (``git worktree add --detach /tmp/joins_before
main``) run by run beside this one, so that the ratio comes from the same minutes of a
shared machine; medians over
``--repeat`` runs are printed with the load average. ``--profile DIR`` records the server with
py-spy (``--idle --threads``) during each burst. Asserts nothing.

``python bench/join_rate.py --members 800 --repeat 3 --baseline /tmp/joins_before``
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from competition_clients import Http
from live_server import (
    DATABASE_HELP,
    ServerProcess,
    Setup,
    cpu_seconds,
    database,
    describe_database,
    percentile,
    workdir,
)

ROLES = ("manager", "sales", "service", "finance")
JOIN = "/api/v1/session/join"


@dataclass(frozen=True, slots=True)
class Burst:
    """One burst of joins on one server."""

    label: str
    members: int
    seconds: float
    rtts: list[float]
    load: float
    cpu: float  # the server's CPU seconds over the burst
    client_cpu: float  # the client processes' CPU seconds over the burst, all together

    @property
    def cpu_ms_per_join(self) -> float:
        return self.cpu * 1000 / self.members

    @property
    def client_ms_per_join(self) -> float:
        return self.client_cpu * 1000 / self.members

    @property
    def per_second(self) -> float:
        return self.members / self.seconds

    def line(self) -> str:
        return (
            f"{self.label}: {self.members} joins in {self.seconds:.2f} s = {self.per_second:.0f}/s, "
            f"rtt p50 {percentile(self.rtts, 50) * 1000:.0f} ms"
            f" / p99 {percentile(self.rtts, 99) * 1000:.0f} ms, "
            f"server CPU {self.cpu_ms_per_join:.2f} ms/join (clients {self.client_ms_per_join:.2f}),"
            f" load {self.load:.2f}"
        )


async def _join_all(
    base_url: str, codes: dict[str, str], at_once: int, client: str
) -> tuple[float, float, list[float]]:
    """Every member of these teams joins, ``at_once`` in flight; (wall start, wall end, round trips)."""
    gate = asyncio.Semaphore(at_once)
    rtts: list[float] = []
    bodies = [
        json.dumps({"code": codes[team], "name": f"{team}-{i}", "role": ROLES[i]}).encode()
        for team in codes
        for i in range(len(ROLES))
    ]
    if client == "httpx":
        limits = httpx.Limits(max_connections=at_once)
        async with httpx.AsyncClient(base_url=base_url, timeout=120.0, limits=limits) as http:

            async def send(body: bytes) -> tuple[int, bytes]:
                headers = {"content-type": "application/json"}
                answer = await http.post(JOIN, content=body, headers=headers)
                return answer.status_code, answer.content

            await asyncio.gather(*(http.get("/api/v1/health") for _ in range(at_once)))  # connections open
            return await _burst(send, bodies, gate, rtts)
    host, _, port = base_url.removeprefix("http://").rpartition(":")
    raw = Http(host, int(port))
    try:
        await asyncio.gather(*(raw.send("GET", "/api/v1/health", b"", "") for _ in range(at_once)))
        return await _burst(lambda body: raw.post(JOIN, body, ""), bodies, gate, rtts)
    finally:
        await raw.close()


async def _burst(
    send: Callable[[bytes], Awaitable[tuple[int, bytes]]],
    bodies: list[bytes],
    gate: asyncio.Semaphore,
    rtts: list[float],
) -> tuple[float, float, list[float]]:
    async def join(body: bytes) -> None:
        async with gate:
            sent = time.perf_counter()
            status, answer = await send(body)
            rtts.append(time.perf_counter() - sent)
            if status != 200:
                raise RuntimeError(f"join {body.decode()}: {status} {answer.decode()}")

    started = time.time()
    await asyncio.gather(*(join(body) for body in bodies))
    return started, time.time(), rtts


def _client(job: tuple[str, dict[str, str], int, str]) -> tuple[float, float, list[float], float]:
    """One client process: its share of the teams joins (a client of its own, so that the
    benchmark's HTTP client is not what limits the rate); with its CPU seconds over the burst."""
    cpu = time.process_time()
    started, ended, rtts = asyncio.run(_join_all(*job))
    return started, ended, rtts, time.process_time() - cpu


def _py_spy() -> str:
    found = shutil.which("py-spy") or str(Path(sys.executable).parent / "py-spy")
    if not Path(found).exists():
        raise SystemExit("py-spy is missing: pip install py-spy (into the benchmark's environment)")
    return found


def burst(label: str, root: Path, database_url: str | None, args: argparse.Namespace, run: int) -> Burst:
    with workdir() as tmp, database(database_url, tmp) as url, ServerProcess(url, tmp, root=root) as server:
        setup = Setup(server.url)
        teams = [(f"T{i:03d}", None) for i in range(args.members // len(ROLES))]
        _competition, codes = setup.draft(teams, 60.0, seed=7, name="joins")
        setup.close()
        spy = None
        if args.profile is not None:
            args.profile.mkdir(parents=True, exist_ok=True)
            out = args.profile / f"{label}-{run}.txt"
            command = [_py_spy(), "record", "--idle", "--threads", "--nonblocking", "-r", "200"]
            command += ["-p", str(server.pid), "-f", "raw", "-o", str(out)]
            spy = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(1.0)  # py-spy attached before the burst
        load = os.getloadavg()[0]
        cpu_before = cpu_seconds(server.pid)
        names = sorted(codes)
        shares = [{t: codes[t] for t in names[k :: args.clients]} for k in range(args.clients)]
        at_once = max(1, args.at_once // args.clients)
        jobs = [(server.url, share, at_once, args.client) for share in shares if share]
        with multiprocessing.get_context("fork").Pool(len(jobs)) as pool:
            results = pool.map(_client, jobs)
        seconds = max(r[1] for r in results) - min(r[0] for r in results)
        rtts = [rtt for r in results for rtt in r[2]]
        client_cpu = sum(r[3] for r in results)
        cpu = cpu_seconds(server.pid) - cpu_before
        if spy is not None:
            spy.send_signal(2)
            spy.wait(30)
    return Burst(label, args.members, seconds, rtts, load, cpu, client_cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=800, help="members joining (teams of 4)")
    parser.add_argument("--at-once", type=int, default=64, help="joins in flight at once")
    parser.add_argument("--clients", type=int, default=2, help="client processes (the joins dealt out)")
    parser.add_argument(
        "--client",
        choices=("raw", "httpx"),
        default="raw",
        help="the clients' HTTP: a minimal kept-alive HTTP/1.1 client (bench/competition_clients.py) or"
        " httpx (some 3 ms of client CPU a join: on 2 cores the clients take what the server needs)",
    )
    parser.add_argument("--repeat", type=int, default=3, help="runs per server (medians are printed)")
    parser.add_argument("--database-url", default=None, help=DATABASE_HELP)
    parser.add_argument("--baseline", type=Path, default=None, help="an older checkout run beside")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy records of the server go here")
    args = parser.parse_args()
    if args.members < len(ROLES) or args.members % len(ROLES):
        raise SystemExit(f"--members is a multiple of {len(ROLES)}, not {args.members}")
    servers = [("salesfloor", Path(__file__).resolve().parent.parent)]
    if args.baseline is not None:
        servers.append(("baseline", args.baseline.resolve()))
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} cores;"
        f" {args.members} members, {args.at_once} at once over {args.clients} client processes"
    )
    print(f"database: {describe_database(args.database_url) if args.database_url else 'sqlite (WAL)'}")
    bursts: list[Burst] = []
    for run in range(args.repeat):
        for label, root in servers:
            b = burst(label, root, args.database_url, args, run)
            print(b.line(), flush=True)
            bursts.append(b)
    print()
    print(
        "| server | joins/s (median) | runs | rtt p50 / p99 (median) | server CPU ms/join"
        " | clients' CPU ms/join | load average |"
    )
    print("|---|---|---|---|---|---|---|")
    for label, _root in servers:
        mine = [b for b in bursts if b.label == label]
        rate = statistics.median(b.per_second for b in mine)
        runs = ", ".join(f"{b.per_second:.0f}" for b in mine)
        p50 = statistics.median(percentile(b.rtts, 50) for b in mine) * 1000
        p99 = statistics.median(percentile(b.rtts, 99) for b in mine) * 1000
        cpu = statistics.median(b.cpu_ms_per_join for b in mine)
        clients = statistics.median(b.client_ms_per_join for b in mine)
        loads = ", ".join(f"{b.load:.1f}" for b in mine)
        rtt = f"{p50:.0f} / {p99:.0f} ms"
        print(f"| {label} | {rate:.0f} | {runs} | {rtt} | {cpu:.2f} | {clients:.2f} | {loads} |")


if __name__ == "__main__":
    main()
