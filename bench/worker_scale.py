"""Benchmark: the public board over several workers — does a second worker hold more viewers?

For every case (workers × viewers: ``--workers 1,2`` × ``--viewers 500,1000,2000,3000``) a
fresh PostgreSQL database and Redis prefix, and that many ``salesfloor serve`` workers on
them (``BROADCAST_URL``, each on its own port: ``bench/worker_pool.py``). The instructor
creates a competition of ``--teams`` teams at the classroom pace (15 s a simulated hour),
four members a team join with their team's code (the joins dealt round robin over the
workers), the competition starts, and once every team has a customer the client processes
connect:

* member processes (``--member-processes``; process ``p`` talks to worker ``p`` mod the
  count, HTTP and team websockets, or all to the worker that runs the competition with
  ``--members-on-owner``): for
  ``--seconds`` the members of the whole competition in turn send
  ``POST /api/v1/team/customers/{id}/notes`` (the cheapest desk command) at a fixed total
  rate ``--rate`` (``bench/competition_clients.py``, as ``bench/competition_load.py``);
* viewer processes (``--processes``): the ``/ws/public/{id}`` websockets, viewer ``i`` of a
  process on worker ``i`` mod the count (``bench/class_viewers.py``).

Meanwhile the instructor posts an announcement marker every ``--marker-spacing`` seconds to
the first worker. Measured per case: board latency (marker POST → each viewer receives its
ticker line, over every (viewer, marker) pair, as ``bench/class_load.py``), overall and by
the worker the viewer is on; command round-trip p50/p99 (and by worker); viewers connected
against asked; seq gaps, disconnects (a browser would reconnect) and markers not received;
each worker's CPU and the clients' CPU (cores, from /proc, over the sending window), what
Redis and PostgreSQL used and what the machine's other processes used. Prints a line per case,
a markdown table and, per worker count, the most viewers held with board p99 ≤ 200 ms.
Asserts nothing.
``python bench/worker_scale.py [--workers 1,2 --viewers 500,1000,2000,3000 --seconds 30]``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import os
import signal
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from class_viewers import MARK
from class_viewers import Figures as ViewerFigures
from competition_clients import ClientFigures
from competition_setup import deal_plans, find_customers, join_all
from live_server import OtherLoad, ServerProcess, Setup, cpu_seconds, machine, raise_open_files
from live_server import workdir as temporary_workdir
from worker_clients import Clients, start_clients
from worker_figures import TABLE_HEAD, Case, case_line, held_line, table_row
from worker_pool import (
    POSTGRES_URL,
    REDIS_URL,
    check_alive,
    cpu_of,
    owner_flags,
    service_pids,
    worker_pool,
)

CLASSROOM_SECONDS_PER_HOUR = 15.0
MEMBERS_PER_TEAM = 4


# --- one case ----------------------------------------------------------------------------------------------


@dataclass
class Window:
    """What the benchmark itself saw over the sending window."""

    markers: dict[int, float]  # marker → perf_counter time its POST went out
    marker_failures: int
    worker_cores: list[float]
    client_cores: float
    other_cores: float
    service_cores: float  # Redis and PostgreSQL (part of other_cores)
    load: tuple[float, float]  # the 1-minute load average at the start and the end
    seconds: float


def run_case(args: argparse.Namespace, workers_wanted: int, viewers: int, run_dir: Path) -> Case:
    """One case on fresh workers, database and Redis prefix; its figures."""
    env = {"COMMANDS_PER_MINUTE": "1000000", "WEBSOCKET_MAX_CONNECTIONS": "10000"}
    with worker_pool(workers_wanted, run_dir, args.database_url, args.redis_url, 0.2, env) as workers:
        setup = Setup(workers[0].url)
        try:
            teams = [(f"T{i:03d}", None) for i in range(args.teams)]
            competition_id, codes = setup.draft(teams, CLASSROOM_SECONDS_PER_HOUR, seed=7, name="workers")
            tokens, joins = asyncio.run(join_all([w.url for w in workers], codes, MEMBERS_PER_TEAM))
            setup.start(competition_id)
            started = time.perf_counter()
            customers = asyncio.run(find_customers(workers[0].url, tokens, args.customer_timeout))
            waits = [time.perf_counter() - started]
            plans = deal_plans(tokens, customers, args.member_processes)
            members = args.teams * MEMBERS_PER_TEAM
            owners = owner_flags(workers, competition_id)  # each competition has its own owner
            args.owner_index = owners.index(True) if True in owners else 0
            clients = start_clients(args, workers, competition_id, plans, viewers, members)
            try:
                clients.wait_ready(args.connect_timeout, lambda: check_alive(workers))
                waits.append(time.perf_counter() - started - waits[0])
                owners = owner_flags(workers, competition_id)
                window = _window(args, workers, setup, competition_id, clients)
                check_alive(workers)
                played, seen = clients.collect()
            finally:
                clients.finish()
        finally:
            setup.close()
    case = _combine(workers, owners, window, played, seen, viewers, joins)
    case.customer_wait, case.connect_wait = waits
    return case


def _post_markers(
    setup: Setup, competition_id: int, seconds: float, spacing: float
) -> tuple[dict[int, float], int]:
    """Announcement markers every ``spacing`` s for ``seconds``; (time sent by marker, failures).

    A marker whose POST failed in transport may have gone out: it stays counted.
    """
    sent: dict[int, float] = {}
    failures = 0
    path = f"/api/v1/competitions/{competition_id}/announcements"
    start = time.perf_counter()
    for mark in range(max(1, int(seconds / spacing))):
        time.sleep(max(0.0, start + mark * spacing - time.perf_counter()))
        sent[mark] = time.perf_counter()
        try:
            if setup.http.post(path, json={"text": f"{MARK}{mark}"}).status_code != 200:
                failures += 1
                del sent[mark]
        except httpx.HTTPError:
            failures += 1
    time.sleep(max(0.0, start + seconds - time.perf_counter()))
    return sent, failures


def _window(
    args: argparse.Namespace,
    workers: list[ServerProcess],
    setup: Setup,
    competition_id: int,
    clients: Clients,
) -> Window:
    """Start the clients, post markers for ``args.seconds``, and measure the CPU meanwhile."""
    worker_pids = [w.pid for w in workers if w.pid is not None]
    client_pids = clients.pids()
    load_start = os.getloadavg()[0]
    other = OtherLoad(worker_pids[0], worker_pids[1:] + client_pids)
    services = cpu_of(service_pids())
    with other:
        workers_before = [cpu_seconds(pid) for pid in worker_pids]
        clients_before = sum(map(cpu_seconds, client_pids)) + cpu_seconds()
        t0 = time.monotonic() + 0.5
        clients.begin(t0)
        time.sleep(max(0.0, t0 - time.monotonic()))
        started = time.perf_counter()
        markers, failures = _post_markers(setup, competition_id, args.seconds, args.marker_spacing)
        wall = time.perf_counter() - started
        worker_cores = [
            (cpu_seconds(pid) - b) / wall for pid, b in zip(worker_pids, workers_before, strict=True)
        ]
        client_cores = (sum(map(cpu_seconds, client_pids)) + cpu_seconds() - clients_before) / wall
        services_after = cpu_of(list(services))
        service_cores = sum(services_after[pid] - services[pid] for pid in services_after) / wall
    time.sleep(2.0)  # the last markers on their way
    load = (load_start, os.getloadavg()[0])
    return Window(markers, failures, worker_cores, client_cores, other.cores, service_cores, load, wall)


def _combine(
    workers: list[ServerProcess],
    owners: list[bool | None],
    window: Window,
    members: list[tuple[int, ClientFigures]],
    seen: list[ViewerFigures],
    viewers: int,
    joins: float,
) -> Case:
    public = [f"{w.ws_url}/ws/public" for w in workers]
    board_by_worker: list[list[float]] = [[] for _ in workers]
    connected = [0] * len(workers)
    errors: collections.Counter[str] = collections.Counter()
    received = 0
    for figures in seen:
        errors += figures.errors
        for url, n in figures.connected_by_url.items():
            connected[public.index(url.rpartition("/")[0])] += n
        for url, by_mark in figures.markers_by_url.items():
            delays = board_by_worker[public.index(url.rpartition("/")[0])]
            for mark, times in by_mark.items():
                if mark in window.markers:
                    delays += [t - window.markers[mark] for t in times]
                    received += len(times)
    rtts_by_worker: list[list[float]] = [[] for _ in workers]
    for index, played in members:
        rtts_by_worker[index] += played.rtts
        errors += played.errors
    if window.marker_failures:
        errors["marker POST failed"] += window.marker_failures
    return Case(
        workers=len(workers),
        viewers=viewers,
        connected_by_worker=connected,
        owners=owners,
        markers_sent=len(window.markers),
        board=[d for delays in board_by_worker for d in delays],
        board_by_worker=board_by_worker,
        marker_missing=sum(connected) * len(window.markers) - received,
        rtts_by_worker=rtts_by_worker,
        sent=sum(f.sent for _, f in members),
        answered=sum(f.answered for _, f in members),
        late_sends=sum(f.late_sends for _, f in members),
        worker_cores=window.worker_cores,
        client_cores=window.client_cores,
        other_cores=window.other_cores,
        service_cores=window.service_cores,
        load=window.load,
        joins_per_second=joins,
        seconds=window.seconds,
        errors=errors,
    )


# --- printing and the command line ---------------------------------------------------------------------


# --- the command line ---------------------------------------------------------------------------------


def counts(text: str, option: str) -> list[int]:
    try:
        values = [int(x) for x in text.split(",") if x.strip()]
    except ValueError:
        raise SystemExit(f"{option} takes numbers separated by commas, not {text!r}") from None
    if not values or min(values) < 0:
        raise SystemExit(f"{option} takes numbers ≥ 0 separated by commas, not {text!r}")
    return values


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--workers", default="1,2", help="worker counts to compare (default 1,2)")
    parser.add_argument("--viewers", default="500,1000,2000,3000", help="the viewer ladder")
    parser.add_argument("--teams", type=int, default=200, help="teams of 4 members (default 200)")
    parser.add_argument("--rate", type=float, default=20.0, help="commands a second, all members (20)")
    parser.add_argument("--seconds", type=float, default=30.0, help="seconds of load per case (30)")
    parser.add_argument("--marker-spacing", type=float, default=1.0, help="seconds between markers (1)")
    parser.add_argument("--processes", type=int, default=3, help="viewer client processes (3)")
    parser.add_argument("--member-processes", type=int, default=2, help="member client processes (2)")
    parser.add_argument(
        "--members-on-owner",
        action="store_true",
        help="the members talk only to the worker that runs the competition (HTTP and team websockets); "
        "the viewers stay spread",
    )
    parser.add_argument("--customer-timeout", type=float, default=300.0, help="seconds to wait for customers")
    parser.add_argument("--connect-timeout", type=float, default=300.0, help="seconds for clients to connect")
    parser.add_argument(
        "--database-url",
        default=POSTGRES_URL,
        help="PostgreSQL server; a database is created for each case and dropped after it",
    )
    parser.add_argument("--redis-url", default=REDIS_URL, help=f"BROADCAST_URL (default {REDIS_URL})")
    args = parser.parse_args()
    args.worker_counts = counts(args.workers, "--workers")
    args.viewer_counts = counts(args.viewers, "--viewers")
    if min(args.worker_counts) < 1 or not 1 <= args.teams <= 200:
        parser.error("--workers ≥ 1 each; 1 ≤ --teams ≤ 200 (the server's limit per competition)")
    if args.rate <= 0 or args.seconds < 1 or not 0.2 <= args.marker_spacing <= args.seconds:
        parser.error("--rate > 0, --seconds ≥ 1, 0.2 ≤ --marker-spacing ≤ --seconds")
    if args.processes < 1 or args.member_processes < 1:
        parser.error("--processes and --member-processes ≥ 1")
    return args


def main() -> None:
    args = parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))  # stopped: still drop the database and keys
    raise_open_files(max(args.viewer_counts) + args.teams * MEMBERS_PER_TEAM * 4 + 1000)
    print(
        f"worker scale: {args.teams} teams × {MEMBERS_PER_TEAM} members at "
        f"{CLASSROOM_SECONDS_PER_HOUR:g} s an hour, {args.rate:g} commands/s, {args.seconds:g} s a case, "
        f"a marker every {args.marker_spacing:g} s; {args.member_processes} member and {args.processes} "
        f"viewer client processes; {machine()}",
        flush=True,
    )
    cases: list[Case] = []
    failed: list[tuple[int, int]] = []
    with temporary_workdir() as wd:
        for viewers in args.viewer_counts:
            for workers in args.worker_counts:
                run_dir = wd / f"case-{len(cases) + 1}"
                run_dir.mkdir()
                try:
                    case = run_case(args, workers, viewers, run_dir)
                except (RuntimeError, httpx.HTTPError) as exc:  # the next case may still run
                    print(f"{workers} worker(s), {viewers:,} viewers: FAILED: {exc}", flush=True)
                    failed.append((workers, viewers))
                    continue
                print(case_line(case), flush=True)
                cases.append(case)
    print()
    print(TABLE_HEAD)
    print("|" + "---|" * (TABLE_HEAD.count("|") - 1))
    for case in sorted(cases, key=lambda c: (c.workers, c.viewers)):
        print(table_row(case))
    for workers, viewers in failed:
        print(f"| {workers} | failed / {viewers:,} | | | | | | | | | | |")
    print()
    for workers in args.worker_counts:
        print(held_line(cases, workers))


if __name__ == "__main__":
    main()
