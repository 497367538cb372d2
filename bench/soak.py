"""Soak: a whole class hour of live play, compressed, with bots, churning viewers and polling members.

One classroom season is six rounds of 40 simulated hours; at the default pacing of 15 s per
simulated hour that is exactly one hour in front of a class. This benchmark plays it on a real
``salesfloor serve`` (subprocess, SQLite in a temporary directory or PostgreSQL with
``--database-url``) at ``--seconds-per-hour`` (default 0.25: the hour in a minute), and keeps
every part of the server busy the whole time:

- ``--house`` teams played by the server's house bots (the six reference bots in turn);
- ``--remote`` teams played by ``salesfloor bot`` (the same bots over HTTP and the team
  websocket), each with a second member who polls ``GET /api/v1/team/state`` every second;
- ``--viewers`` clients of the public board that connect, read for a few seconds, drop and
  reconnect with ``?after=SEQ&epoch=`` (the browser's way), so subscriptions come and go all
  the time; every message seq is checked for gaps and repeats;
- the instructor starts each round when the last one ends.

Every half second it samples the server's resident memory, CPU time and the competition's
simulated time and event count. At the end it prints the resident memory per round, its growth
after the first round (and per 1,000 events: the event log and the score timeline legitimately
grow with the game), every error (HTTP 5xx, transport errors, websocket gaps, lines of the
server log at ERROR or with a traceback), and it replays the command log offline
(``simulator.replay``) to check that the event-log digest and the standings are those of a
fast-forward replay of the same commands. After the end, ``--linger`` seconds more of viewers
and pollers show whether connections that come and go leave memory behind. Exit code 1 if
any check fails.

Run: ``.venv/bin/python bench/soak.py`` (about 1–2 minutes) or ``--seconds-per-hour 15`` for the
real hour.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import io
import json
import random
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
import websockets
from live_server import (
    DATABASE_HELP,
    ServerProcess,
    Setup,
    cpu_seconds,
    database,
    describe_database,
    machine,
    raise_open_files,
    workdir,
)

from server.client import remote_bot
from server.live.served_replay import replay_served, replayed_standings
from server.wire.broadcast import SNAPSHOT_TYPES
from teams.bots import REFERENCE_LEAGUE

PAGE = 10_000


@dataclass
class Sample:
    wall: float
    rss_mib: float
    cpu: float
    t_sim: float
    events: int
    round: int


@dataclass
class Tally:
    errors: list[str] = field(default_factory=list)
    viewer_messages: int = 0
    viewer_connections: int = 0
    resyncs: int = 0
    polls: int = 0
    poll_seconds: list[float] = field(default_factory=list)

    def error(self, text: str) -> None:
        if len(self.errors) < 200:
            self.errors.append(text)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024.0
    return float("nan")


# --- the clients ---------------------------------------------------------------------------------------


@dataclass
class Watch:
    """What one viewer saw: the seqs of its non-snapshot messages over the span it covered."""

    first: int | None = None
    last: int = -1
    seen: set[int] = field(default_factory=set)
    broken: bool = False  # a resync: the buffer no longer reached back (the check skips it)


async def viewer(
    ws_url: str, competition_id: int, seed: int, tally: Tally, done: asyncio.Event, steady: bool = False
) -> Watch:
    """Watch the public board in short visits, reconnecting after each with the last seq seen."""
    rng = random.Random(seed)
    watch = Watch()
    epoch: str | None = None
    while not done.is_set():
        query = "" if watch.first is None else f"?after={watch.last}&epoch={epoch}"
        visit = float("inf") if steady else rng.uniform(2.0, 6.0)
        url = f"{ws_url}/ws/public/{competition_id}{query}"
        try:
            async with websockets.connect(url, max_size=2**24) as ws:
                tally.viewer_connections += 1
                end = time.monotonic() + visit
                while not done.is_set() and time.monotonic() < end:
                    try:
                        raw = await asyncio.wait_for(ws.recv(), timeout=min(1.0, end - time.monotonic()))
                    except TimeoutError:
                        continue
                    message = json.loads(raw)
                    tally.viewer_messages += 1
                    kind, seq = message["type"], int(message["seq"])
                    if kind in ("hello", "resync"):
                        epoch = message["data"]["epoch"]
                        if kind == "resync":
                            tally.resyncs += 1
                            watch.broken = True
                        if watch.first is None:
                            watch.first = seq
                    elif seq <= watch.last:
                        tally.error(f"viewer {seed}: seq {seq} after {watch.last} (a repeat or out of order)")
                    elif kind not in SNAPSHOT_TYPES:
                        watch.seen.add(seq)
                    watch.last = max(watch.last, seq)
        except (OSError, websockets.WebSocketException) as exc:
            if not done.is_set():
                tally.error(f"viewer {seed}: {type(exc).__name__}: {exc}")
                await asyncio.sleep(0.5)
        if not done.is_set():
            await asyncio.sleep(rng.uniform(0.0, 0.5))
    return watch


def check_viewers(steady: Watch, watches: list[Watch], tally: Tally) -> int:
    """Every churning viewer saw every ticker item the steady one saw over the span it covered."""
    checked = 0
    for number, watch in enumerate(watches):
        if watch.broken or watch.first is None:
            continue
        low, high = max(watch.first, steady.first or 0), min(watch.last, steady.last)
        theirs = {s for s in steady.seen if low < s <= high}
        mine = {s for s in watch.seen if low < s <= high}
        if mine != theirs:
            left_out, extra = sorted(theirs - mine)[:5], sorted(mine - theirs)[:5]
            tally.error(f"viewer {number}: left out {left_out}, more than the steady viewer {extra}")
        checked += 1
    return checked


async def poller(base_url: str, token: str, tally: Tally, done: asyncio.Event) -> None:
    """A second member of a remote team who keeps the console open: the team state every second."""
    async with httpx.AsyncClient(base_url=base_url, timeout=30.0) as http:
        http.headers["Authorization"] = f"Bearer {token}"
        while not done.is_set():
            started = time.perf_counter()
            try:
                response = await http.get("/api/v1/team/state")
                if response.status_code >= 500:
                    tally.error(f"GET /team/state: {response.status_code} {response.text[:200]}")
                elif response.status_code == 200:
                    tally.polls += 1
                    tally.poll_seconds.append(time.perf_counter() - started)
            except httpx.TransportError as exc:
                tally.error(f"GET /team/state: {type(exc).__name__}")
            await asyncio.sleep(1.0)


async def remote_team(base_url: str, code: str, strategy: str, tally: Tally) -> None:
    try:
        await remote_bot.play(base_url, code, strategy, name=f"{strategy}-bot")
    except Exception as exc:  # a 5xx or a crash of the client: an error of the soak
        tally.error(f"remote bot {strategy}: {type(exc).__name__}: {exc}")


# --- the instructor and the sampler ------------------------------------------------------------------


async def conduct(
    base_url: str, token: str, competition_id: int, pid: int, tally: Tally, samples: list[Sample]
) -> None:
    """Sample the server every half second and start each round when the previous one ends."""
    started = time.perf_counter()
    async with httpx.AsyncClient(base_url=base_url, timeout=60.0) as http:
        http.headers["Authorization"] = f"Bearer {token}"
        path = f"/api/v1/competitions/{competition_id}"
        while True:
            response = await http.get(path)
            if response.status_code != 200:
                tally.error(f"GET {path}: {response.status_code} {response.text[:200]}")
                await asyncio.sleep(0.5)
                continue
            detail = response.json()
            samples.append(
                Sample(
                    time.perf_counter() - started,
                    rss_mib(pid),
                    cpu_seconds(pid),
                    detail["t_sim"],
                    detail["events"],
                    detail["round"],
                )
            )
            if detail["state"] == "finished":
                return
            if detail["state"] == "paused" and detail["between_rounds"]:
                answer = await http.post(path + "/next-round")
                if answer.status_code >= 500:
                    tally.error(f"next-round: {answer.status_code} {answer.text[:200]}")
            await asyncio.sleep(0.5)


async def linger(pid: int, seconds: float) -> list[float]:
    """Resident MiB every half second while the viewers and pollers go on after the end."""
    resident = [rss_mib(pid)]
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        await asyncio.sleep(0.5)
        resident.append(rss_mib(pid))
    return resident


# --- the checks after the game ----------------------------------------------------------------------


def check_replay(base_url: str, token: str, competition_id: int) -> tuple[bool, bool, int, int]:
    """(digest equal, standings equal, commands, events) of an offline replay of the command log."""
    with httpx.Client(base_url=base_url, timeout=120.0) as http:
        http.headers["Authorization"] = f"Bearer {token}"
        path = f"/api/v1/competitions/{competition_id}"
        detail = http.get(path).raise_for_status().json()
        log: list[dict[str, Any]] = []
        while True:
            page = http.get(path + "/commands", params={"after": len(log) - 1, "limit": PAGE})
            rows = page.raise_for_status().json()
            log.extend(rows)
            if len(rows) < PAGE:
                break
        standings = http.get(path + "/standings").raise_for_status().json()["standings"]
        scoring = http.get(path + "/scoring").raise_for_status().json()
    rebuilt = replay_served(detail, log)
    expected = replayed_standings(detail, rebuilt, scoring)
    return rebuilt.digest() == detail["digest"], expected == standings, len(log), len(rebuilt.log)


def server_log_errors(server: ServerProcess) -> list[str]:
    if server.log_path is None or not server.log_path.exists():
        return []
    lines = server.log_path.read_text(errors="replace").splitlines()
    return [line for line in lines if " ERROR " in line or "Traceback" in line or "CRITICAL" in line]


# --- the run ----------------------------------------------------------------------------------------------


def report_memory(samples: list[Sample], rounds: int) -> list[str]:
    lines = ["round  end of round (sim h)  events  resident MiB"]
    ends: list[Sample] = []
    for number in range(1, rounds + 1):
        within = [s for s in samples if s.round == number]
        if within:
            end = within[-1]
            ends.append(end)
            lines.append(f"{number:>5}  {end.t_sim:>20.1f}  {end.events:>6,}  {end.rss_mib:>12.1f}")
    if len(ends) >= 2:
        first, last = ends[0], ends[-1]
        grown = last.rss_mib - first.rss_mib
        added = max(1, last.events - first.events)
        lines.append(
            f"growth after round 1: {grown:+.1f} MiB over {added:,} events "
            f"({grown * 1024 * 1000 / added:.0f} KiB per 1,000 events; "
            f"{grown / max(1, len(ends) - 1):+.1f} MiB per round)"
        )
    peak = max(s.rss_mib for s in samples)
    lines.append(f"peak resident {peak:.1f} MiB; at the start {samples[0].rss_mib:.1f} MiB")
    return lines


async def soak(args: argparse.Namespace, server: ServerProcess) -> int:
    tally = Tally()
    samples: list[Sample] = []
    setup = Setup(server.url)
    league = list(REFERENCE_LEAGUE)
    teams: list[tuple[str, str | None]] = [
        (f"House {i + 1}", league[i % len(league)]) for i in range(args.house)
    ] + [(f"Remote {i + 1}", None) for i in range(args.remote)]
    body = {
        "name": "soak",
        "seconds_per_hour": args.seconds_per_hour,
        "seed": args.seed,
        "rounds": args.rounds,
    }
    competition_id = int(setup.http.post("/api/v1/competitions", json=body).raise_for_status().json()["id"])
    codes: dict[str, str] = {}
    for name, bot in teams:
        out = setup.http.post(
            f"/api/v1/competitions/{competition_id}/teams",
            json={"name": name, **({"bot": bot} if bot else {})},
        )
        codes[name] = out.raise_for_status().json()["join_code"]
    pollers = [setup.join(codes[f"Remote {i + 1}"], f"watcher {i + 1}", "sales") for i in range(args.remote)]
    setup.http.post(f"/api/v1/competitions/{competition_id}/start").raise_for_status()
    assert server.pid is not None
    done = asyncio.Event()
    cpu_before = cpu_seconds(server.pid)
    wall = time.perf_counter()
    steady = asyncio.create_task(viewer(server.ws_url, competition_id, -1, tally, done, steady=True))
    viewers = [
        asyncio.create_task(viewer(server.ws_url, competition_id, i, tally, done))
        for i in range(args.viewers)
    ]
    background: list[asyncio.Task[Any]] = [
        asyncio.create_task(poller(server.url, token, tally, done)) for token in pollers
    ]
    bots = [
        asyncio.create_task(remote_team(server.url, codes[f"Remote {i + 1}"], league[i % len(league)], tally))
        for i in range(args.remote)
    ]
    with contextlib.redirect_stdout(io.StringIO()):  # the bots say what they play; we print figures
        await conduct(server.url, setup.token, competition_id, server.pid, tally, samples)
        after_end = await linger(server.pid, args.linger)
        done.set()
        _ended, playing = await asyncio.wait(bots, timeout=30)
        for task in playing:
            tally.error("a remote bot did not notice the end of the competition within 30 s")
            task.cancel()
        await asyncio.gather(*background, *playing, return_exceptions=True)
        watches = await asyncio.gather(*viewers)
        checked = check_viewers(await steady, watches, tally)
    wall = time.perf_counter() - wall
    cpu = cpu_seconds(server.pid) - cpu_before
    digest_ok, standings_ok, commands, events = check_replay(server.url, setup.token, competition_id)
    setup.close()
    server_errors = server_log_errors(server)

    print(f"played {args.rounds} rounds ({samples[-1].t_sim:.0f} simulated hours) in {wall:.1f} s wall")
    print(f"{commands:,} commands, {events:,} events; server CPU {cpu:.1f} s ({cpu / wall:.2f} cores)")
    for line in report_memory(samples, args.rounds):
        print(line)
    if len(after_end) > 1:
        print(
            f"after the end, {args.linger:.0f} s more of viewers and pollers: resident "
            f"{after_end[0]:.1f} → {after_end[-1]:.1f} MiB (peak {max(after_end):.1f})"
        )
    polls = sorted(tally.poll_seconds)
    if polls:
        print(
            f"team-state polls: {tally.polls:,}, median {statistics.median(polls) * 1000:.1f} ms, "
            f"max {polls[-1] * 1000:.1f} ms"
        )
    print(
        f"viewers: {tally.viewer_connections:,} connections, {tally.viewer_messages:,} messages, "
        f"{tally.resyncs} resyncs; {checked} checked against a steady viewer"
    )
    print(f"digest equal to the fast-forward replay: {'yes' if digest_ok else 'NO'}")
    print(f"standings equal to the replay's: {'yes' if standings_ok else 'NO'}")
    print(f"client-side errors: {len(tally.errors)}; server log errors: {len(server_errors)}")
    for line in (tally.errors + server_errors)[:20]:
        print("  " + line)
    return 0 if digest_ok and standings_ok and not tally.errors and not server_errors else 1


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rounds", type=int, default=6, help="rounds of the classroom preset (6 = one class hour)"
    )
    parser.add_argument(
        "--seconds-per-hour", type=float, default=0.25, help="wall seconds per simulated hour"
    )
    parser.add_argument("--house", type=int, default=16, help="teams played by house bots")
    parser.add_argument("--remote", type=int, default=4, help="teams played over HTTP by salesfloor bot")
    parser.add_argument("--viewers", type=int, default=100, help="public-board clients that come and go")
    parser.add_argument("--linger", type=float, default=20.0, help="seconds of churn after the end")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--database-url", help=DATABASE_HELP)
    args = parser.parse_args()
    raise_open_files(4096)
    print(f"soak: {machine()}")
    with workdir() as folder, database(args.database_url, folder) as url:
        print(
            f"{args.house} house-bot teams, {args.remote} remote-bot teams, {args.viewers} churning viewers, "
            f"{args.rounds} rounds at {args.seconds_per_hour} s per simulated hour; {describe_database(url)}"
        )
        with ServerProcess(url, folder, tick_seconds=0.05) as server:
            return asyncio.run(soak(args, server))


if __name__ == "__main__":
    raise SystemExit(main())
