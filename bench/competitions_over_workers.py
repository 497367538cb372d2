"""Benchmark: several competitions at once over one worker and over two (a lease per competition).

For each case (workers 1 or 2), a fresh PostgreSQL database and a fresh Redis prefix; the
workers run with ``BROADCAST_URL`` (one worker too, so both cases run the same machinery).
The instructor creates ``--competitions`` competitions of ``--teams`` people teams each and
starts them; one member per team joins. With two workers, each competition runs on the
worker rendezvous hashing prefers, and the members' requests are dealt out over the workers
in turn, as a load balancer would (half of them reach the worker that does not run their
competition and are forwarded). Then, for ``--seconds``, commands go out at the fixed total
``--rate`` (open loop: each at its time, whether or not the earlier ones were answered), the
members of every competition in turn, each ``PUT /api/v1/team/policies/apology`` (a desk
command that needs no customer). ``--direct`` sends each member's commands straight to its
competition's owner instead (a balancer that routes by competition): no forwarding hop.

Prints per case: command round-trip p50/p99 and max of the accepted commands, the rate
achieved (accepted answers per second until the last answer: below the asked rate, the workers
fell behind or refused), the refusals — 503 (a worker busy or unreachable: nothing applied,
retry), any other status, and requests cut off (the connection closed with no answer) —, which
competitions each worker ran and its CPU seconds, and the load average. Asserts nothing.
``--root`` runs another checkout's server (a baseline) with this benchmark's client.
``python bench/competitions_over_workers.py --competitions 6 --rate 150 --seconds 20``.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import secrets
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import live_server
from competition_clients import Http
from live_server import HOST, ServerProcess, Setup, cpu_seconds, database, machine, percentile, workdir

REDIS = "redis://127.0.0.1:6379/0"
APOLOGY = "/api/v1/team/policies/apology"


@dataclass(slots=True)
class Member:
    competition_id: int
    token: str
    url: str  # the worker its requests reach


@dataclass(slots=True)
class Figures:
    workers: int
    latencies: list[float] = field(default_factory=list)
    refused: int = 0  # answered with a status other than 2xx/3xx and 503
    unavailable: int = 0  # 503: busy, unreachable, being taken over (nothing applied)
    cut_off: int = 0  # no answer: the connection closed under the request
    seconds: float = float("nan")
    runs: dict[str, list[int]] = field(default_factory=dict)
    cpu: list[float] = field(default_factory=list)
    load: float = float("nan")


def _start_workers(count: int, database_url: str, directory: Path, prefix: str) -> list[ServerProcess]:
    env = {"BROADCAST_URL": REDIS, "BROADCAST_PREFIX": prefix, "COMMANDS_PER_MINUTE": "1000000"}
    workers = []
    for _ in range(count):
        worker = ServerProcess(database_url, directory, tick_seconds=0.1, extra_env=env)
        worker.start()
        workers.append(worker)
    deadline = time.monotonic() + 30
    with httpx.Client(timeout=5) as client:  # the front is chosen and every worker has settled
        while time.monotonic() < deadline:
            if any(client.get(w.url + "/api/v1/health").json()["owner"] for w in workers):
                break
            time.sleep(0.2)
    time.sleep(3.0)  # every worker past its first rounds, so that placement counts them all
    return workers


def _set_up(workers: list[ServerProcess], competitions: int, teams: int) -> list[Member]:
    setup = Setup(workers[0].url)
    members: list[Member] = []
    try:
        for n in range(competitions):
            names = [(f"Team {t}", None) for t in range(teams)]
            competition_id, codes = setup.competition(names, seconds_per_hour=30.0, seed=n, name=f"Class {n}")
            for t, code in enumerate(codes.values()):
                url = workers[(n * teams + t) % len(workers)].url
                answer = httpx.post(
                    url + "/api/v1/session/join",
                    json={"code": code, "name": f"Member {t}", "role": "manager"},
                    timeout=30,
                )
                answer.raise_for_status()
                members.append(Member(competition_id, answer.json()["token"], url))
    finally:
        setup.close()
    return members


async def _drive(members: list[Member], rate: float, seconds: float, figures: Figures) -> None:
    """Send at the fixed rate over kept-alive connections (``competition_clients.Http``: httpx would
    cost this process more CPU than the workers spend on a command)."""
    clients = {url: Http(HOST, int(url.rpartition(":")[2])) for url in {m.url for m in members}}
    total = int(rate * seconds)
    started = time.perf_counter()
    last_answer = started

    async def send(i: int) -> None:
        nonlocal last_answer
        member = members[i % len(members)]
        await asyncio.sleep(max(0.0, started + i / rate - time.perf_counter()))
        sent = time.perf_counter()
        body = b'{"enabled": true}' if i % 2 == 0 else b'{"enabled": false}'
        try:
            status, _answer = await clients[member.url].send("PUT", APOLOGY, body, member.token)
        except (OSError, asyncio.IncompleteReadError):
            status = 0  # the connection closed under the request
        now = time.perf_counter()
        last_answer = max(last_answer, now)
        if 200 <= status < 400:
            figures.latencies.append(now - sent)
        elif status == 503:
            figures.unavailable += 1
        elif status == 0:
            figures.cut_off += 1
        else:
            figures.refused += 1

    try:
        await asyncio.gather(*(send(i) for i in range(total)))
    finally:
        for client in clients.values():
            await client.close()
    figures.seconds = last_answer - started


def run_case(workers_count: int, args: argparse.Namespace) -> Figures:
    figures = Figures(workers_count)
    with workdir() as directory, database(args.database_url, directory) as url:
        workers = _start_workers(workers_count, url, directory, f"sfbench{secrets.token_hex(4)}")
        try:
            members = _set_up(workers, args.competitions, args.teams)
            if args.direct:  # each member straight to its competition's owner: no forwarding
                runner = {
                    cid: worker.url
                    for worker in workers
                    for cid in httpx.get(worker.url + "/api/v1/health", timeout=10).json()["runs"]
                }
                for member in members:
                    member.url = runner[member.competition_id]
            cpu_before = [cpu_seconds(w.pid) for w in workers]
            figures.load = os.getloadavg()[0]
            asyncio.run(_drive(members, args.rate, args.seconds, figures))
            for worker in workers:
                if worker.proc is not None and worker.proc.poll() is not None:
                    raise SystemExit(f"a worker exited with {worker.proc.returncode}:\n{worker.log_tail()}")
            figures.cpu = [cpu_seconds(w.pid) - before for w, before in zip(workers, cpu_before, strict=True)]
            for worker in workers:
                figures.runs[worker.url] = httpx.get(worker.url + "/api/v1/health", timeout=10).json()["runs"]
        finally:
            for worker in workers:
                worker.stop()
    return figures


def report(figures: Figures, rate: float) -> str:
    lat = sorted(figures.latencies)
    answered = len(lat)
    achieved = answered / figures.seconds if figures.seconds > 0 else float("nan")
    shares = zip(figures.runs.values(), figures.cpu, strict=True)
    runs = " | ".join(f"{len(ids)} competitions, {cpu:.1f} CPU s" for ids, cpu in shares)
    return (
        f"{figures.workers} worker(s): p50 {percentile(lat, 50) * 1000:.1f} ms, p99 "
        f"{percentile(lat, 99) * 1000:.1f} ms, max {lat[-1] * 1000 if lat else float('nan'):.1f} ms; "
        f"{achieved:.1f}/s of {rate:g}/s asked; refused: {figures.unavailable} with 503, "
        f"{figures.refused} otherwise, {figures.cut_off} cut off; load average "
        f"{figures.load:.2f}; per worker: {runs}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--competitions", type=int, default=6)
    parser.add_argument("--teams", type=int, default=5, help="people teams per competition (one member each)")
    parser.add_argument("--rate", type=float, default=150.0, help="commands per second in all")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--workers", default="1,2", help="the cases: worker counts")
    parser.add_argument(
        "--direct",
        action="store_true",
        help="send each member's commands to its competition's owner (a balancer routing by competition)",
    )
    parser.add_argument("--database-url", default="postgresql://postgres@127.0.0.1:5432/")
    parser.add_argument("--root", type=Path, default=None, help="run the server of another checkout")
    args = parser.parse_args()
    if args.root:
        live_server.ROOT = args.root.resolve()
    print(f"{machine()} · server from {live_server.ROOT}")
    print(
        f"{args.competitions} competitions x {args.teams} teams, {args.rate:g} commands/s for "
        f"{args.seconds:g} s, PostgreSQL + Redis, "
        + ("straight to each competition's owner" if args.direct else "members dealt over the workers")
    )
    for count in (int(c) for c in args.workers.split(",")):
        print(report(run_case(count, args), args.rate), flush=True)


if __name__ == "__main__":
    main()
