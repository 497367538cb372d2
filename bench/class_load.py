"""Benchmark: a whole class on the live server for one full round — where is the limit?

Starts ``salesfloor serve`` in a subprocess (SQLite in a temporary directory, or PostgreSQL
with ``--database-url``), creates a one-round ``classroom`` competition of ``--teams`` teams
(no house bots) and joins ``--members`` members per team with the team's code, under the
roles manager, sales, service, finance (then sales, service, finance again). Client
processes (fork) then connect before the start:

* member processes (``--member-processes``, the teams dealt out in turn): every member has
  its own session, HTTP connection and team websocket and refreshes ``GET /api/v1/team/state``
  like the console (on its team's events, after its own commands, at most every 500 ms, and
  every 5 s); each team is played by a reference bot (``REFERENCE_LEAGUE`` in turn) driven by
  ``BotDriver`` from the manager's websocket, and each command goes out through the member
  whose role may send it (``bench/class_members.py``);
* viewer processes (``--viewer-processes``): ``--viewers`` websocket clients on
  ``/ws/public/{id}`` (``bench/class_viewers.py``).

When every client is connected the instructor starts the competition and posts an
announcement marker every ``--marker-spacing`` seconds until the clock stops at the round's
end. Measured over the round:

* command round-trip (request to response) of every bot command, by HTTP status (409 is a
  business refusal, normal play; 429, other 4xx and 5xx and transport errors are errors);
* leaderboard latency: marker POST → each viewer receives its ticker line (the method of
  ``bench/leaderboard_latency.py``), over every (viewer, marker) pair;
* command → board: for every accepted command whose answer's ``t_sim`` is carried by a public
  ``standings`` message (the board update that command caused), request sent → a sampled
  viewer (every ``--board-sample``-th) receives that message;
* team-state refresh round-trips; websocket disconnects and seq gaps;
* server CPU (cores, from /proc), its resident memory at the end and at its peak, the
  client processes' CPU, and other processes' cores (``OtherLoad``);
* event-loop lag (``bench/loop_lag.py``): of the server (a probe on its loop, started by the
  program that runs it, so an older checkout is measured alike) and of every client
  process — a client that lags adds its lag to what it measures, so the lines say when the
  client was the limit.

The members' HTTP client is the minimal kept-alive HTTP/1.1 client of
``bench/competition_clients.py`` (httpx cost the client processes more than the server).
``--baseline DIR`` runs each class on the server of another checkout first (e.g. ``git
worktree add --detach /tmp/class_before main``) and then on this one, so that before and
after come from the same minutes; ``--spy DIR`` records the server's loop thread with py-spy
during the round and prints what kept it busy (``bench/loop_profile.py``).

``--sweep 10,20,40,60`` runs the class at each team count (a fresh server and database
each) and prints one line per size and a markdown table; the limit is the smallest team
count whose command p99 or leaderboard p99 passes 200 ms. Exits non-zero with one line when
setup fails; otherwise prints figures and asserts nothing. Run with
``python bench/class_load.py [--teams 60 --members 4 --viewers 1000 --seconds-per-hour 15]``.
"""

from __future__ import annotations

import argparse
import bisect
import collections
import multiprocessing
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import httpx
from class_members import Figures as MemberFigures
from class_members import MemberSpec, TeamSpec, run_members
from class_viewers import MARK, run_viewers
from class_viewers import Figures as ViewerFigures
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
    memory_kib,
    percentile,
    raise_open_files,
    workdir,
)
from loop_lag import SERVER_PROGRAM, lag_line, server_lags
from loop_profile import LoopProfile

from teams.bots import REFERENCE_LEAGUE
from teams.rules import ROLES

LIMIT_MS = 200.0
"""The aim: command and leaderboard p99 under this."""


class SetupFailed(Exception):
    """The class could not be set up; the message says why."""


@dataclass
class ClassResult:
    label: str
    teams: int
    members: int
    viewers: int
    connected: int
    wall: float
    round_hours: float
    commands: list[tuple[float, float, int, float]]
    markers: list[float]
    marker_missing: int
    board: list[float]
    board_after_ack: list[float]
    board_matched: int
    board_accepted: int
    refreshes: list[float]
    errors: collections.Counter[str]
    server_cores: float
    server_rss_mib: float
    server_peak_mib: float
    client_cores: float
    other_cores: float
    team_messages: int
    viewer_messages: int
    healthy: bool
    server_lags: list[float]
    member_lags: list[float]
    viewer_lags: list[float]
    profile_lines: list[str]

    def statuses(self) -> collections.Counter[int]:
        return collections.Counter(status for _, _, status, _ in self.commands)

    def round_trips(self) -> list[float]:
        return [answered - sent for sent, answered, _, _ in self.commands]

    def error_count(self) -> int:
        statuses = self.statuses()
        return sum(self.errors.values()) + sum(n for s, n in statuses.items() if s not in (200, 409))


def role_of(k: int) -> str:
    """The ``k``-th member's role: manager first (there is one), then sales, service, finance in turn."""
    return ROLES[0] if k == 0 else ROLES[1 + (k - 1) % (len(ROLES) - 1)]


def board_delays(
    commands: list[tuple[float, float, int, float]], boards: list[list[tuple[float, float]]]
) -> tuple[list[float], list[float], int, int]:
    """(sent → board, answered → board) over (command, sampled viewer) pairs; commands matched, accepted.

    A command is matched with the first public standings message at exactly its ``t_sim``
    received after it was sent: the board update published while it was applied.
    """
    from_sent: list[float] = []
    from_ack: list[float] = []
    matched: set[int] = set()
    accepted = 0
    indexed = [([t for t, _ in board], board) for board in boards]
    for k, (sent, answered, status, t_sim) in enumerate(commands):
        if status != 200:
            continue
        accepted += 1
        for times, board in indexed:
            i = bisect.bisect_left(times, t_sim)
            while i < len(board) and times[i] == t_sim and board[i][1] < sent:
                i += 1
            if i < len(board) and times[i] == t_sim:
                from_sent.append(board[i][1] - sent)
                from_ack.append(board[i][1] - answered)
                matched.add(k)
    return from_sent, from_ack, len(matched), accepted


def join_members(setup: Setup, codes: dict[str, str], members: int) -> list[TeamSpec]:
    teams = []
    for i, (team, code) in enumerate(codes.items()):
        specs = []
        for k in range(members):
            role = role_of(k)
            token = setup.join(code, f"{team} {role} {k + 1}", role)
            specs.append(MemberSpec(team, role, token))
        teams.append(TeamSpec(team, REFERENCE_LEAGUE[i % len(REFERENCE_LEAGUE)], tuple(specs)))
    return teams


def run_class(
    args: argparse.Namespace, teams: int, run_dir: Path, label: str, root: Path | None
) -> ClassResult:
    """One class on a fresh server (of the checkout at ``root``, or this one) for one round; its figures."""
    extra_env = {"COMMANDS_PER_MINUTE": str(args.commands_per_minute)} if args.commands_per_minute else {}
    with database(args.database_url, run_dir) as url:
        profile = args.profile.with_suffix(f".{teams}.{label}{args.profile.suffix}") if args.profile else None
        program = ("-c", SERVER_PROGRAM, str(run_dir / "lags.json"))
        server = ServerProcess(url, run_dir, args.tick_seconds, extra_env, profile, root, program)
        try:
            server.start()
        except RuntimeError as exc:
            raise SetupFailed(f"the server did not start: {str(exc).splitlines()[0]}") from None
        try:
            return _play_class(args, teams, server, label)
        except (httpx.HTTPError, RuntimeError) as exc:
            raise SetupFailed(f"setting up the class failed: {str(exc).splitlines()[0]}") from None
        finally:
            server.stop()


def _play_class(args: argparse.Namespace, teams: int, server: ServerProcess, label: str) -> ClassResult:
    setup = Setup(server.url)
    names: list[tuple[str, str | None]] = [(f"Team {i + 1:03d}", None) for i in range(teams)]
    competition_id, codes = setup.draft(names, args.seconds_per_hour, seed=args.seed, rounds=1)
    specs = join_members(setup, codes, args.members)
    context = multiprocessing.get_context("fork")
    go, stop, results = context.Event(), context.Event(), context.Queue()
    readies = []
    processes = []
    urls = (server.url, server.ws_url)
    compression = None if args.no_compression else "deflate"
    member_processes = min(args.member_processes, teams)
    for p in range(member_processes):
        ready = context.Event()
        share = specs[p::member_processes]
        signals = (ready, go, stop, results)
        processes.append(
            context.Process(
                target=run_members,
                args=(share, competition_id, args.seconds_per_hour, urls, compression, *signals),
                daemon=True,
            )
        )
        readies.append(ready)
    public_url = f"{server.ws_url}/ws/public/{competition_id}"
    viewer_processes = min(args.viewer_processes, args.viewers)
    for p in range(viewer_processes):
        ready = context.Event()
        count = args.viewers // viewer_processes + (p < args.viewers % viewer_processes)
        processes.append(
            context.Process(
                target=run_viewers,
                args=((public_url,), count, args.board_sample, compression, ready, go, stop, results),
                daemon=True,
            )
        )
        readies.append(ready)
    for process in processes:
        process.start()
    try:
        deadline = time.perf_counter() + args.connect_timeout
        while not all(r.is_set() for r in readies):
            exited = [p.exitcode for p in processes if not p.is_alive()]
            if time.perf_counter() > deadline or exited:
                done = sum(r.is_set() for r in readies)
                raise SetupFailed(
                    f"{done} of {len(readies)} client processes had connected after "
                    f"{args.connect_timeout:g} s; exit codes of those that ended: {exited or 'none'}"
                )
            time.sleep(0.1)
        result = _measure(args, teams, server, setup, competition_id, processes, (go, stop, results))
        result.label = label
    finally:
        stop.set()
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.kill()
        setup.close()
    return result


def _measure(
    args: argparse.Namespace,
    teams: int,
    server: ServerProcess,
    setup: Setup,
    competition_id: int,
    processes: list[Any],
    signals: tuple[Any, Any, Any],
) -> ClassResult:
    assert server.pid is not None
    go, stop, results = signals
    errors: collections.Counter[str] = collections.Counter()
    marker_sent: dict[int, float] = {}
    other = OtherLoad(server.pid, [p.pid for p in processes])
    lag_path = server.workdir / "lags.json"
    # the lags before the round (joins, connections) are not the class's
    lag_start = 0 if args.profile else len(server_lags(server.pid, lag_path))
    with other:
        started, server_cpu, client_cpu = time.perf_counter(), cpu_seconds(server.pid), cpu_seconds()
        setup.start(competition_id)
        go.set()
        status = setup.http.get(f"/api/v1/competitions/{competition_id}/public").json()
        round_hours = float(status["round_ends_t"]) - float(status["t_sim"])
        give_up = started + round_hours * args.seconds_per_hour * 1.5 + 60.0
        spy = None
        if args.spy:
            spy_path = args.spy / f"class-{teams}-{server.pid}.txt"
            spy = LoopProfile(spy_path, server.pid, round_hours * args.seconds_per_hour - 5.0)

        def state() -> str:
            try:
                return str(setup.http.get(f"/api/v1/competitions/{competition_id}/public").json()["state"])
            except httpx.HTTPError as exc:
                errors[f"status poll: {type(exc).__name__}"] += 1
                return "running"

        running = True
        while running and time.perf_counter() < give_up:
            due = time.perf_counter() + args.marker_spacing
            mark = len(marker_sent)
            t0 = time.perf_counter()
            marker_sent[mark] = t0  # kept even if the answer fails: the marker may have gone out
            try:
                answer = setup.http.post(
                    f"/api/v1/competitions/{competition_id}/announcements", json={"text": f"{MARK}{mark}"}
                )
                if answer.status_code != 200:
                    del marker_sent[mark]
                    running = state() == "running"
                    if running:
                        errors[f"marker HTTP {answer.status_code}"] += 1
            except httpx.HTTPError as exc:
                errors[f"marker: {type(exc).__name__}"] += 1
            while running and time.perf_counter() < due:
                running = state() == "running"
                time.sleep(min(0.5, max(0.0, due - time.perf_counter())))
        if running:
            errors["the round did not end in time"] += 1
        wall = time.perf_counter() - started
        server_cpu = cpu_seconds(server.pid) - server_cpu
        client_cpu = cpu_seconds() - client_cpu
        rss, peak = memory_kib(server.pid)
        lags = [] if args.profile else server_lags(server.pid, lag_path)[lag_start:]
    stop.set()
    profile_lines = spy.finish() if spy is not None else []
    members: list[MemberFigures] = []
    viewers: list[ViewerFigures] = []
    for _ in processes:
        kind, figures = results.get(timeout=120)
        (members if kind == "members" else viewers).append(figures)
    healthy = bool(setup.health()["ok"])
    commands = sorted(c for m in members for c in m.commands)
    boards = [board for v in viewers for board in v.boards]
    from_sent, from_ack, matched, accepted = board_delays(commands, boards)
    connected = sum(v.connected for v in viewers)
    markers = []
    received = 0
    for v in viewers:
        for mark, times in v.markers.items():
            if mark in marker_sent:
                markers += [t - marker_sent[mark] for t in times]
                received += len(times)
    for counted in [m.errors for m in members] + [v.errors for v in viewers]:
        errors += counted
    client_cpu += sum(m.cpu_seconds for m in members) + sum(v.cpu_seconds for v in viewers)
    return ClassResult(
        label="",
        teams=teams,
        members=args.members,
        viewers=args.viewers,
        connected=connected,
        wall=wall,
        round_hours=round_hours,
        commands=commands,
        markers=markers,
        marker_missing=connected * len(marker_sent) - received,
        board=from_sent,
        board_after_ack=from_ack,
        board_matched=matched,
        board_accepted=accepted,
        refreshes=[r for m in members for r in m.refreshes],
        errors=errors,
        server_cores=server_cpu / wall,
        server_rss_mib=rss / 1024,
        server_peak_mib=peak / 1024,
        client_cores=client_cpu / wall,
        other_cores=other.cores,
        team_messages=sum(m.messages for m in members),
        viewer_messages=sum(v.messages for v in viewers),
        healthy=healthy,
        server_lags=lags,
        member_lags=[lag for m in members for lag in m.lags],
        viewer_lags=[lag for v in viewers for lag in v.lags],
        profile_lines=profile_lines,
    )


# --- printing ------------------------------------------------------------------------------------------


def _ms(values: list[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:.0f}" if values else "–"


TABLE_HEAD = (
    "| checkout | teams | members | viewers | commands | command median / p99 / max (ms) | 409 | errors "
    "| board median / p99 / max (ms) | command → board p99 (ms) | state refresh median / p99 (ms) "
    "| server loop lag p99 / max (ms) | client lag p99 (ms) "
    "| server cores | server RSS peak | clients cores | other cores | limit passed |"
)

CLIENT_LAG_MS = 20.0
"""A client process whose loop lag p99 passes this much is named as a limit of its figures."""


def table_row(r: ClassResult) -> str:
    trips = r.round_trips()
    over = percentile(trips, 99) * 1000 > LIMIT_MS or percentile(r.markers, 99) * 1000 > LIMIT_MS
    client_lags = r.member_lags + r.viewer_lags
    return (
        f"| {r.label} | {r.teams} | {r.teams * r.members} | {r.connected:,} | {len(trips):,} "
        f"| {_ms(trips, 50)} / {_ms(trips, 99)} / {_ms(trips, 100)} | {r.statuses()[409]:,} "
        f"| {r.error_count()} | {_ms(r.markers, 50)} / {_ms(r.markers, 99)} / {_ms(r.markers, 100)} "
        f"| {_ms(r.board, 99)} | {_ms(r.refreshes, 50)} / {_ms(r.refreshes, 99)} "
        f"| {_ms(r.server_lags, 99)} / {_ms(r.server_lags, 100)} | {_ms(client_lags, 99)} "
        f"| {r.server_cores:.2f} | {r.server_peak_mib:.0f} MiB | {r.client_cores:.2f} | {r.other_cores:.2f} "
        f"| {'**yes**' if over else 'no'} |"
    )


def print_details(r: ClassResult) -> None:
    trips = r.round_trips()
    statuses = ", ".join(f"{s} ×{n:,}" for s, n in sorted(r.statuses().items()))
    print(
        f"  {r.label}: {r.teams} teams × {r.members} members, {r.connected:,} of {r.viewers:,} viewers "
        f"connected; one round of {r.round_hours:g} h in {r.wall:.0f} s wall"
    )
    print(f"    commands: {len(trips):,} ({len(trips) / r.wall:.1f}/s) by status: {statuses or 'none'}")
    print("    " + latency_line("command round-trip (all answers)", trips))
    print("    " + latency_line("leaderboard: marker → viewer (all pairs)", r.markers))
    print(
        "    "
        + latency_line("command sent → board shows it (sampled viewers)", r.board)
        + f"; {r.board_matched:,} of {r.board_accepted:,} accepted commands made a board update"
    )
    if r.board_after_ack:
        early = sum(1 for d in r.board_after_ack if d < 0) / len(r.board_after_ack)
        print(
            f"    command answered → board: median {percentile(r.board_after_ack, 50) * 1000:.1f} ms, "
            f"p99 {percentile(r.board_after_ack, 99) * 1000:.1f} ms ({early:.0%} of the viewers had it "
            f"before the member had its answer)"
        )
    print("    " + latency_line("team state refresh (GET /api/v1/team/state)", r.refreshes))
    print(
        f"    messages read: {r.team_messages:,} by members, {r.viewer_messages:,} by viewers; "
        f"marker messages not received: {r.marker_missing}"
    )
    print(
        f"    CPU: server {r.server_cores:.2f} cores, RSS {r.server_rss_mib:.0f} MiB at the end "
        f"(peak {r.server_peak_mib:.0f} MiB); clients {r.client_cores:.2f} cores; other processes "
        f"{r.other_cores:.2f} cores"
    )
    shown = ", ".join(f"{kind} ×{n}" for kind, n in r.errors.most_common()) or "none"
    refused = {s: n for s, n in r.statuses().items() if s not in (200, 409)}
    print(
        f"    errors: {r.error_count()} (commands answered {refused or 'only 200 or 409'}; {shown}); "
        f"server health ok={r.healthy}"
    )
    print("    " + lag_line("event-loop lag, server", r.server_lags))
    print("    " + lag_line("event-loop lag, member processes", r.member_lags))
    print("    " + lag_line("event-loop lag, viewer processes", r.viewer_lags))
    lagging = [
        name
        for name, lags in (("member", r.member_lags), ("viewer", r.viewer_lags))
        if lags and percentile(lags, 99) * 1000 > CLIENT_LAG_MS
    ]
    if lagging:
        print(
            f"    the {' and '.join(lagging)} processes lagged by more than {CLIENT_LAG_MS:g} ms at p99: "
            f"their figures include their own delay (more --member-processes / --viewer-processes)"
        )
    for line in r.profile_lines:
        print("    " + line)


# --- the command line ----------------------------------------------------------------------------------


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--teams", type=int, default=60, help="teams of the class (default 60)")
    parser.add_argument("--members", type=int, default=4, help="members per team (default 4)")
    parser.add_argument("--viewers", type=int, default=1000, help="public-board websocket clients")
    parser.add_argument(
        "--sweep", help="team counts to run one after the other, e.g. 10,20,40,60,80 (overrides --teams)"
    )
    parser.add_argument(
        "--seconds-per-hour", type=float, default=15.0, help="pacing (default 15: a 10-minute round)"
    )
    parser.add_argument("--tick-seconds", type=float, default=0.2, help="the server's TICK_SECONDS (0.2)")
    parser.add_argument("--marker-spacing", type=float, default=5.0, help="seconds between markers (5)")
    parser.add_argument("--board-sample", type=int, default=20, help="every N-th viewer records the board")
    parser.add_argument("--member-processes", type=int, default=4, help="client processes for members (4)")
    parser.add_argument("--viewer-processes", type=int, default=2, help="client processes for viewers (2)")
    parser.add_argument(
        "--commands-per-minute", type=int, help="the server's COMMANDS_PER_MINUTE (default: its own, 240)"
    )
    parser.add_argument(
        "--no-compression",
        action="store_true",
        help="websocket clients offer no permessage-deflate (browsers do offer it; the default does)",
    )
    parser.add_argument("--connect-timeout", type=float, default=300.0, help="seconds for clients to connect")
    parser.add_argument("--seed", type=int, default=7, help="the competition's seed (default 7)")
    parser.add_argument(
        "--profile",
        type=Path,
        help="run the server under cProfile; its statistics go to FILE.<teams>.<suffix> (slows it down)",
    )
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout (e.g. git worktree add --detach /tmp/class_before main): each class runs "
        "on its server first, then on this one's",
    )
    parser.add_argument(
        "--spy", type=Path, help="record the server's loop with py-spy during each round; the stacks go here"
    )
    parser.add_argument("--database-url", help=DATABASE_HELP)
    args = parser.parse_args()
    if args.baseline is not None and not (args.baseline / "server" / "cli").is_dir():
        parser.error(f"--baseline {args.baseline} is not a checkout of Salesfloor (no server/cli there)")
    if args.spy is not None:
        args.spy.mkdir(parents=True, exist_ok=True)
    sizes = [args.teams]
    if args.sweep:
        try:
            sizes = [int(x) for x in args.sweep.split(",") if x.strip()]
        except ValueError:
            parser.error(f"--sweep takes team counts separated by commas, e.g. 10,20,40; not {args.sweep!r}")
    if not sizes or not all(1 <= n <= 200 for n in sizes):
        parser.error("team counts are 1 to 200 (the server's limit per competition)")
    if not 1 <= args.members <= 10 or not 0 <= args.viewers <= 10_000:
        parser.error("1 ≤ --members ≤ 10, 0 ≤ --viewers ≤ 10000")
    if not 0 < args.seconds_per_hour <= 60 or not 0.5 <= args.marker_spacing <= 60:
        parser.error("0 < --seconds-per-hour ≤ 60, 0.5 ≤ --marker-spacing ≤ 60")
    if args.member_processes < 1 or args.viewer_processes < 1 or args.board_sample < 0:
        parser.error("--member-processes and --viewer-processes ≥ 1, --board-sample ≥ 0 (0: off)")
    args.sizes = sizes
    return args


def main() -> None:
    args = parse_args()
    wanted = args.viewers + max(args.sizes) * args.members * 2 + 200
    limit = raise_open_files(wanted)
    if limit < wanted:
        raise SystemExit(f"the open-files limit is {limit}; this class needs about {wanted}")
    results: list[ClassResult] = []
    checkouts: list[tuple[str, Path | None]] = [("this", None)]
    if args.baseline is not None:
        checkouts = [("before", args.baseline.resolve()), ("after", None)]
    runs = [(teams, label, root) for teams in args.sizes for label, root in checkouts]
    with workdir() as wd:
        for n, (teams, label, root) in enumerate(runs):
            run_dir = wd / f"class-{n + 1}"
            run_dir.mkdir()
            if n == 0:
                print(
                    f"class load: {', '.join(map(str, args.sizes))} teams × {args.members} members "
                    f"(bots {','.join(REFERENCE_LEAGUE)} in turn) + {args.viewers:,} board viewers, one "
                    f"round at {args.seconds_per_hour:g} s per simulated hour, a marker every "
                    f"{args.marker_spacing:g} s"
                )
                print(
                    f"server: {describe_database(args.database_url or '')}, fresh for each class, "
                    f"TICK_SECONDS={args.tick_seconds:g}, COMMANDS_PER_MINUTE="
                    f"{args.commands_per_minute or 'default (240)'}; {args.member_processes} member and "
                    f"{args.viewer_processes} viewer client processes on the same machine ({machine()}); "
                    f"websockets offer {'no compression' if args.no_compression else 'permessage-deflate'}"
                )
                if args.baseline is not None:
                    print(f"before: the server of {args.baseline}, then after: this checkout's, each size")
            try:
                result = run_class(args, teams, run_dir, label, root)
            except SetupFailed as exc:
                raise SystemExit(f"class load: {teams} teams: {exc}") from None
            print_details(result)
            print("    " + table_row(result), flush=True)
            results.append(result)
    print()
    print(TABLE_HEAD)
    print("|" + "---|" * (TABLE_HEAD.count("|") - 1))
    for result in results:
        print(table_row(result))
    over = [r.teams for r in results if r.label != "before" and "**yes**" in table_row(r)]
    print()
    if over:
        sizes = ", ".join(map(str, args.sizes))
        print(f"limit: p99 passes {LIMIT_MS:.0f} ms from {min(over)} teams on (of {sizes})")
    else:
        print(f"limit: p99 stays under {LIMIT_MS:.0f} ms up to {max(args.sizes)} teams")


if __name__ == "__main__":
    main()
