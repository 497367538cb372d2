"""Benchmark: how fast a change reaches 1,000 watchers of the public leaderboard.

Starts ``salesfloor serve`` in a subprocess (SQLite in a temporary directory, or PostgreSQL with
``--database-url``) with a running competition of ``--teams`` teams, played by the house bots
(the six reference bots in turn) so the board moves and the public channel carries its usual
traffic; ``--quiet`` registers the teams without bots. ``--clients`` websocket clients (the
``websockets`` library, one asyncio process) connect to ``/ws/public/{id}`` and read every
message. Then the instructor posts ``--trials`` announcements, ``--spacing`` seconds apart;
each becomes an ``announcement_made`` event, which the server publishes on the public channel
as a ``ticker`` message (followed by ``standings``) before it answers the request.

For each trial, T0 is taken just before the HTTP request; each client records when it
receives the ticker message carrying that trial's text. Latency = receive time − T0, over every
(client, trial) pair. The clients share the machine (and one event loop), so their own
reading time is part of the figure. Prints the configuration, how many clients were
connected, the median, p90, p99 and max latency, the first and last client of each trial, the
announcement's HTTP round-trip, and errors (failed connections, disconnects, messages not
received within ``--grace`` seconds, seq gaps). Run with
``python bench/leaderboard_latency.py [--clients 1000 --trials 30]``.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import re
import statistics
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import websockets
from live_server import (
    DATABASE_HELP,
    OtherLoad,
    ServerProcess,
    Setup,
    cpu_seconds,
    database,
    describe_database,
    latency_line,
    machine,
    percentile,
    raise_open_files,
    workdir,
)

from teams.bots import REFERENCE_LEAGUE

MARK = "bench-trial-"
ENVELOPE = re.compile(r'\{"seq":\s*(\d+),\s*"type":\s*"(\w+)"')


@dataclass
class Result:
    connected: int
    connect_seconds: float
    latencies: list[float]  # seconds, every (client, trial) pair received
    firsts: list[float]  # per trial, the earliest client
    lasts: list[float]  # per trial, the latest client
    posts: list[float]  # the announcements' HTTP round-trips
    missing: int
    errors: collections.Counter[str]
    messages: int
    cpu: tuple[float, float, float]  # cores: server, clients, other processes


class Watchers:
    """``n`` public-channel clients; ``received[trial][client]`` is a perf_counter time or None."""

    def __init__(self, url: str, n: int, trials: int) -> None:
        self.url = url
        self.n = n
        self.received: list[list[float | None]] = [[None] * n for _ in range(trials)]
        self.connected = 0
        self.errors: collections.Counter[str] = collections.Counter()
        self.messages = 0
        self.closing = False
        self.sockets: list[websockets.ClientConnection] = []
        self.ready = [asyncio.Event() for _ in range(n)]

    async def watch(self, i: int, gate: asyncio.Semaphore) -> None:
        try:
            async with gate:
                ws = await websockets.connect(
                    self.url, open_timeout=30, close_timeout=2, max_size=2**24, ping_interval=None
                )
                hello = json.loads(await asyncio.wait_for(ws.recv(), 30))
        except (OSError, TimeoutError, websockets.WebSocketException) as exc:
            self.errors[f"connect: {type(exc).__name__}"] += 1
            self.ready[i].set()
            return
        self.sockets.append(ws)
        self.connected += 1
        self.ready[i].set()
        last = int(hello["seq"])
        try:
            async for raw in ws:  # ends when close() (below) closes the connection
                now = time.perf_counter()
                self.messages += 1
                text = raw if isinstance(raw, str) else raw.decode()
                head = ENVELOPE.match(text)  # the envelope opens with seq and type: no need to parse it all
                seq, kind = (int(head[1]), head[2]) if head else (-1, "")
                if seq != last + 1:
                    self.errors["seq gap"] += 1
                last = seq
                if kind == "ticker":
                    said = str(json.loads(text)["data"].get("text", ""))
                    if said.startswith(MARK):
                        trial = int(said[len(MARK) :])
                        if 0 <= trial < len(self.received):
                            self.received[trial][i] = now
        except websockets.ConnectionClosed as exc:
            if not self.closing:
                code = exc.rcvd.code if exc.rcvd else "none"
                self.errors[f"disconnected (close code {code})"] += 1
        else:
            if not self.closing:
                self.errors["closed by the server"] += 1

    async def close(self) -> None:
        self.closing = True
        if self.sockets:
            await asyncio.wait([asyncio.ensure_future(ws.close()) for ws in self.sockets], timeout=20)


async def run(args: argparse.Namespace, server: ServerProcess, competition_id: int, token: str) -> Result:
    watchers = Watchers(f"{server.ws_url}/ws/public/{competition_id}", args.clients, args.trials)
    gate = asyncio.Semaphore(args.connect_concurrency)
    connect_start = time.perf_counter()
    tasks = [asyncio.create_task(watchers.watch(i, gate)) for i in range(args.clients)]
    try:
        await asyncio.wait_for(asyncio.gather(*(e.wait() for e in watchers.ready)), timeout=120)
    except TimeoutError:
        watchers.errors["connect phase over 120 s"] += 1
    connect_seconds = time.perf_counter() - connect_start
    await asyncio.sleep(1.0)  # let the hellos settle
    posts: list[float] = []
    t0s: list[float] = []
    cpu_client, cpu_server, wall = cpu_seconds(), cpu_seconds(server.pid), time.perf_counter()
    other = OtherLoad(server.pid).__enter__()
    async with httpx.AsyncClient(
        base_url=server.url, headers={"Authorization": f"Bearer {token}"}, timeout=30
    ) as http:
        for trial in range(args.trials):
            due = time.perf_counter() + args.spacing
            t0 = time.perf_counter()
            response = await http.post(
                f"/api/v1/competitions/{competition_id}/announcements", json={"text": f"{MARK}{trial}"}
            )
            posts.append(time.perf_counter() - t0)
            t0s.append(t0)
            if response.status_code != 200:
                watchers.errors[f"announcement HTTP {response.status_code}"] += 1
            await asyncio.sleep(max(0.0, due - time.perf_counter()))
        deadline = time.perf_counter() + args.grace
        while time.perf_counter() < deadline and any(
            t is None for t in watchers.received[-1][: watchers.connected]
        ):
            await asyncio.sleep(0.05)
    other.__exit__()
    wall = time.perf_counter() - wall
    cpu_client, cpu_server = cpu_seconds() - cpu_client, cpu_seconds(server.pid) - cpu_server
    await watchers.close()
    _, pending = await asyncio.wait(tasks, timeout=30)
    for task in pending:
        task.cancel()
    latencies: list[float] = []
    firsts: list[float] = []
    lasts: list[float] = []
    missing = 0
    for trial, times in enumerate(watchers.received):
        got = [t - t0s[trial] for t in times if t is not None]
        latencies += got
        if got:
            firsts.append(min(got))
            lasts.append(max(got))
        missing += args.clients - len(got)
    connect_failures = sum(n for k, n in watchers.errors.items() if k.startswith("connect"))
    missing -= connect_failures * args.trials  # never-connected clients are counted once, above
    return Result(
        connected=watchers.connected,
        connect_seconds=connect_seconds,
        latencies=latencies,
        firsts=firsts,
        lasts=lasts,
        posts=posts,
        missing=missing,
        errors=watchers.errors,
        messages=watchers.messages,
        cpu=(cpu_server / wall, cpu_client / wall, other.cores),
    )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=1000, help="websocket clients (default 1000)")
    parser.add_argument("--trials", type=int, default=30, help="announcements (default 30)")
    parser.add_argument("--spacing", type=float, default=0.5, help="seconds between announcements")
    parser.add_argument("--teams", type=int, default=20, help="teams of the competition (default 20)")
    parser.add_argument("--quiet", action="store_true", help="teams without house bots: no other traffic")
    parser.add_argument("--seconds-per-hour", type=float, default=15.0, help="pacing (default 15 s per hour)")
    parser.add_argument("--tick-seconds", type=float, default=0.1, help="the server's TICK_SECONDS")
    parser.add_argument("--connect-concurrency", type=int, default=50, help="handshakes at a time")
    parser.add_argument("--grace", type=float, default=10.0, help="seconds to wait for the last message")
    parser.add_argument("--uvloop", action="store_true", help="run the clients' event loop on uvloop")
    parser.add_argument("--database-url", help=DATABASE_HELP)
    args = parser.parse_args()
    if not 1 <= args.clients <= 10_000 or not 1 <= args.trials <= 1000 or not 0 <= args.spacing <= 10:
        parser.error("1 ≤ --clients ≤ 10000, 1 ≤ --trials ≤ 1000, 0 ≤ --spacing ≤ 10")
    limit = raise_open_files(args.clients + 200)
    if limit < args.clients + 50:
        parser.error(f"the open-files limit is {limit}; {args.clients} clients need more")
    bots = [None if args.quiet else REFERENCE_LEAGUE[i % len(REFERENCE_LEAGUE)] for i in range(args.teams)]
    loop = "uvloop" if args.uvloop else "asyncio"
    with workdir() as wd, database(args.database_url, wd) as url:
        print(
            f"leaderboard latency: {args.clients} clients on /ws/public, {args.trials} announcements "
            f"{args.spacing:g} s apart; {args.teams} teams "
            + ("without bots" if args.quiet else f"played by house bots ({','.join(REFERENCE_LEAGUE)})")
        )
        print(
            f"server: {describe_database(url)}, TICK_SECONDS={args.tick_seconds:g}, "
            f"{args.seconds_per_hour:g} s per simulated hour; clients ({loop} event loop) "
            f"and server on one machine ({machine()}), open-files limit {limit}"
        )
        server = ServerProcess(url, wd, args.tick_seconds)
        server.start()
        try:
            setup = Setup(server.url)
            teams = [(f"Team {i + 1:03d}", bot) for i, bot in enumerate(bots)]
            competition_id, _ = setup.competition(teams, args.seconds_per_hour)
            if args.uvloop:
                import uvloop

                result = uvloop.run(run(args, server, competition_id, setup.token))
            else:
                result = asyncio.run(run(args, server, competition_id, setup.token))
            health = setup.health()
            setup.close()
        finally:
            server.stop()
    latencies, firsts, lasts, posts = result.latencies, result.firsts, result.lasts, result.posts
    errors = result.errors
    print(
        f"  connected {result.connected} of {args.clients} clients in {result.connect_seconds:.1f} s; "
        f"they read {result.messages:,} messages in all"
    )
    print("  " + latency_line("announcement → client (all pairs)", latencies))
    if firsts:
        print(
            f"  per trial: first client median {statistics.median(firsts) * 1000:.1f} ms, "
            f"last client median {statistics.median(lasts) * 1000:.1f} ms "
            f"(p99 {percentile(lasts, 99) * 1000:.1f} ms)"
        )
    print("  " + latency_line("announcement HTTP round-trip", posts))
    cpu = result.cpu
    print(
        f"  CPU during the trials: server {cpu[0]:.0%} of a core, clients {cpu[1]:.0%} of a core, "
        f"other processes {cpu[2]:.2f} cores"
    )
    shown = ", ".join(f"{kind} ×{n}" for kind, n in errors.most_common()) or "none"
    print(
        f"  errors: {sum(errors.values())} ({shown}); {result.missing} (client, trial) messages "
        f"not received; server health ok={health['ok']}"
    )


if __name__ == "__main__":
    main()
