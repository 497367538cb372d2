"""Benchmark: a competition of many teams of 4 at a fixed command rate — Salesfloor beside oTree.

For every case (members, total commands per second) a fresh server and database: the
instructor creates a competition of members/4 teams, the members join with their team's code
(the join rate is measured), the competition starts, and once every team has a customer the
client processes (``--processes``, the teams dealt out in turn) open each member's team
websocket. Then, for ``--seconds``, commands go out at the fixed total rate, the members of
the whole competition in turn (round robin), each ``POST /api/v1/team/customers/{id}/notes``
(the cheapest desk command). Measured: the command round-trip (p50/p99), the fan-out (command
sent → its event on each teammate's ``/ws/team``), the rate achieved (answers per second over
the time until the last answer: below the asked rate, the server fell behind) and the server's
CPU. ``--viewers 1000`` holds public board websockets open meanwhile (over
``--viewer-processes`` client processes) while the instructor posts an announcement every
second: the board latency is marker sent → each viewer's ticker line, over every pair.

``--baseline DIR`` runs an older checkout (e.g. ``git worktree add /tmp/perf_before main``)
case by case beside this one, so that ratios come from the same minutes of a shared machine.
``--otree`` runs oTree 6 (``otree prodserver``) with the same shape (groups of 4, a live
method that stores the note and pushes it to the group: ``bench/otree_peer``) in the
benchmark's own virtual environment ``bench/.venv-otree`` (created on first use; never a
dependency of the product). ``--profile DIR`` records the server with py-spy (from that
environment) during each Salesfloor run and prints where its threads spend their samples.

Rate limits are lifted for the run (``COMMANDS_PER_MINUTE``): 20 members at 100 commands/s
would otherwise be refused for sending faster than a person does. Prints one line per run and
a markdown table; asserts nothing. ``python bench/competition_load.py --cases 200x20,200x100``.
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
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from competition_clients import ClientFigures, ViewerFigures, run_members, run_viewers
from competition_setup import deal_plans, find_customers, join_all
from live_server import (
    DATABASE_HELP,
    ServerProcess,
    Setup,
    cpu_seconds,
    database,
    describe_database,
    machine,
    percentile,
    raise_open_files,
    workdir,
)
from otree_peer.run import OtreeFigures, otree_case
from profile_server import Profiler

DEFAULT_CASES = "200x20,200x100,800x20,800x100,20x100,100x200"


@dataclass(frozen=True, slots=True)
class Case:
    members: int
    rate: float

    @classmethod
    def parse(cls, text: str) -> Case:
        members, _, rate = text.partition("x")
        case = cls(int(members), float(rate))
        if case.members < 4 or case.members % 4 or case.members > 800 or case.rate <= 0:
            raise SystemExit(f"a case is MEMBERSxRATE with 4-800 members in teams of 4, not {text!r}")
        return case


@dataclass(slots=True)
class Run:
    """One case on one server: the figures of a table row."""

    label: str
    case: Case
    rtts: list[float]
    fanouts: list[float]
    sent: int
    answered: int
    achieved: float
    cpu: float
    joins_per_second: float
    missing: int
    errors: dict[str, int]
    late_sends: int
    seconds: float
    board: list[float]  # announcement marker → a viewer's ticker line, every pair (empty: no viewers)
    board_missing: int  # (viewer, marker) pairs that never arrived

    @property
    def cpu_ms_per_command(self) -> float:
        """Server CPU per command sent, over the sending window: what contention on a shared
        machine changes least (the wait for a core is not in it); 1,000 / it is the rate one idle
        core could carry if nothing else grew."""
        return self.cpu * self.seconds * 1000.0 / max(1, self.sent)

    def line(self) -> str:
        errors = ", ".join(f"{k} ×{v}" for k, v in sorted(self.errors.items())) or "none"
        return (
            f"{self.label:<10} {self.case.members:>4} members {self.case.rate:>4g}/s: "
            f"rtt p50 {ms(self.rtts, 50)} p99 {ms(self.rtts, 99)} ms, fan-out p50 {ms(self.fanouts, 50)} "
            f"p99 {ms(self.fanouts, 99)} ms, achieved {self.achieved:.0f}/s ({self.answered}/{self.sent}), "
            f"server {self.cpu:.0%} of a core ({self.cpu_ms_per_command:.2f} ms a command), "
            f"joins {self.joins_per_second:.0f}/s, "
            + (
                f"board p50 {ms(self.board, 50)} p99 {ms(self.board, 99)} ms ({self.board_missing} missing), "
                if self.board
                else ""
            )
            + f"events missing {self.missing}, late sends {self.late_sends}, errors: {errors}"
        )


def ms(seconds: list[float], q: float) -> str:
    if not seconds:
        return "—"
    return f"{percentile(seconds, q) * 1000:,.1f}"


def salesfloor_case(
    label: str, root: Path, database_url: str | None, case: Case, args: argparse.Namespace
) -> Run:
    with workdir() as tmp, database(database_url, tmp) as url:
        env = {"COMMANDS_PER_MINUTE": "1000000", "WEBSOCKET_MAX_CONNECTIONS": "20000"}
        server = ServerProcess(url, tmp, tick_seconds=0.2, extra_env=env, root=root)
        with server:
            setup = Setup(server.url)
            teams = [(f"T{i:03d}", None) for i in range(case.members // 4)]
            competition_id, codes = setup.draft(teams, args.seconds_per_hour, seed=7, name="load")
            tokens, joins = asyncio.run(join_all([server.url], codes, 4))
            joined = time.monotonic()
            setup.start(competition_id)
            customers = asyncio.run(find_customers(server.url, tokens, args.customer_timeout))
            plans = deal_plans(tokens, customers, args.processes)
            ctx = multiprocessing.get_context("fork")
            pipes: list[Any] = []
            results: list[Any] = []
            viewer_processes = min(args.viewer_processes, args.viewers)
            pool = ctx.Pool(len(plans) + viewer_processes)
            total = case.members
            for plan in plans:
                parent, child = ctx.Pipe()
                pipes.append(parent)
                results.append(
                    pool.apply_async(
                        run_members,
                        (server.url, server.ws_url, plan, total, case.rate, args.seconds, child, child),
                    )
                )
            viewer_results = []
            for i in range(viewer_processes):
                parent, child = ctx.Pipe()
                pipes.append(parent)
                count = args.viewers // viewer_processes + (i < args.viewers % viewer_processes)
                arguments = (server.ws_url, competition_id, count, args.seconds, child, child)
                viewer_results.append(pool.apply_async(run_viewers, arguments))
            for pipe in pipes:
                if not pipe.poll(300):
                    raise RuntimeError("the clients did not connect within 300 s")
                pipe.recv()
            profiler = Profiler(args.profile, label, case, server.pid) if args.profile else None
            t0 = time.monotonic() + 0.5
            cpu_before = cpu_seconds(server.pid)
            for pipe in pipes:
                pipe.send(t0)
            if profiler:
                profiler.start(min(args.seconds, 18.0))
            markers = post_markers(setup, competition_id, t0, args.seconds) if args.viewers else {}
            time.sleep(max(0.0, t0 + args.seconds - time.monotonic()))
            cpu = (cpu_seconds(server.pid) - cpu_before) / args.seconds  # over the sending window
            figures: list[ClientFigures] = [r.get() for r in results]
            board: tuple[list[float], int] = ([], 0)
            if viewer_results:
                board = board_latencies(markers, [r.get() for r in viewer_results])
            pool.close()
            pool.join()
            setup.close()
            if profiler:
                profiler.finish()
            if args.trace:
                write_trace(
                    trace_path(args.trace, f"{label}-{case.members}x{case.rate:g}"), figures, t0, joined
                )
    return _combine(label, case, figures, t0, cpu, joins, args.seconds, board)


SLOW_SECONDS = 0.5
"""An answer at least this late is printed by ``--trace`` with when its command was sent."""


def trace_path(directory: Path, name: str) -> Path:
    """``directory/name.tsv``, or ``name-2.tsv``, ``-3``… for the repeats of a case."""
    path, n = directory / f"{name}.tsv", 1
    while path.exists():
        n += 1
        path = directory / f"{name}-{n}.tsv"
    return path


def write_trace(path: Path, figures: list[ClientFigures], t0: float, joined: float) -> None:
    """Every answer (seconds after the first command was due, round-trip in ms), and the long waits
    grouped into stalls: the answers slower than ``SLOW_SECONDS`` whose commands went out within
    a second of each other, printed with when they were sent (monotonic and wall clock) and how
    long after the last member had joined (``joined``, monotonic)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    answers = sorted(a for f in figures for a in f.answers)
    wall = time.time() - time.monotonic()  # monotonic -> epoch seconds, as the server's logs stamp
    with path.open("w") as out:
        out.write(f"# t0 monotonic {t0:.3f} wall {t0 + wall:.3f} joined monotonic {joined:.3f}\n")
        for sent, rtt in answers:
            out.write(f"{sent - t0:.4f}\t{rtt * 1000:.1f}\n")
    stalls: list[list[tuple[float, float]]] = []
    for sent, rtt in answers:
        if rtt < SLOW_SECONDS:
            continue
        if stalls and sent - stalls[-1][-1][0] <= 1.0:
            stalls[-1].append((sent, rtt))
        else:
            stalls.append([(sent, rtt)])
    print(
        f"  trace {path.name}: {len(answers)} answers, {sum(map(len, stalls))} slower than "
        f"{SLOW_SECONDS * 1000:.0f} ms in {len(stalls)} stalls"
    )
    for stall in stalls:
        first, last = stall[0][0], stall[-1][0]
        at = first + wall
        stamp = time.strftime("%H:%M:%S", time.gmtime(at)) + f".{int(at % 1 * 1000):03d}"
        print(
            f"    sent {first - t0:6.2f}–{last - t0:6.2f} s (monotonic {first:.3f}, {stamp} UTC): "
            f"{first - joined:.1f} s after the joins, {len(stall)} answers, "
            f"slowest {max(r for _, r in stall) * 1000:,.0f} ms"
        )


MARKER_SPACING = 1.0
"""Seconds between two announcement markers while the viewers watch."""


def post_markers(setup: Setup, competition_id: int, t0: float, seconds: float) -> dict[int, float]:
    """The instructor posts ``bench-mark-N`` every ``MARKER_SPACING`` s of the sending window;
    when each was sent (monotonic clock, as the viewers' receive times)."""
    sent: dict[int, float] = {}
    time.sleep(max(0.0, t0 - time.monotonic()))
    while time.monotonic() < t0 + seconds - MARKER_SPACING:
        due = time.monotonic() + MARKER_SPACING
        mark = len(sent)
        sent[mark] = time.monotonic()
        answer = setup.http.post(
            f"/api/v1/competitions/{competition_id}/announcements", json={"text": f"bench-mark-{mark}"}
        )
        if answer.status_code != 200:
            raise RuntimeError(f"an announcement marker was refused: HTTP {answer.status_code} {answer.text}")
        time.sleep(max(0.0, due - time.monotonic()))
    return sent


def board_latencies(sent: dict[int, float], processes: list[ViewerFigures]) -> tuple[list[float], int]:
    """Marker sent → each viewer received its ticker line, over every (viewer, marker) pair; and
    how many pairs never arrived (printed beside, so that a loss cannot hide behind a p99)."""
    latencies: list[float] = []
    missing = 0
    for viewers in processes:
        for mark, at in sent.items():
            times = viewers.markers.get(mark, [])
            latencies += [t - at for t in times]
            missing += max(0, viewers.connected - len(times))
    return latencies, missing


def _combine(
    label: str,
    case: Case,
    figures: list[ClientFigures],
    t0: float,
    cpu: float,
    joins: float,
    seconds: float,
    board: tuple[list[float], int],
) -> Run:
    errors: dict[str, int] = {}
    for f in figures:
        for k, v in f.errors.items():
            errors[k] = errors.get(k, 0) + v
    answered = sum(f.answered for f in figures)
    last = max((f.last_answer for f in figures), default=t0)
    return Run(
        label,
        case,
        [r for f in figures for r in f.rtts],
        [x for f in figures for x in f.fanouts],
        sum(f.sent for f in figures),
        answered,
        answered / max(1e-9, last - t0),
        cpu,
        joins,
        sum(f.missing_events for f in figures),
        errors,
        sum(f.late_sends for f in figures),
        seconds,
        *board,
    )


# --- the table ------------------------------------------------------------------------------------------


def table(runs: list[Run], peers: list[OtreeFigures]) -> str:
    labels = sorted({r.label for r in runs}, key=lambda x: (x != "salesfloor", x))
    head = "| members | commands/s |"
    rule = "|---|---|"
    if peers:
        head += " oTree rtt p50 / p99 | oTree achieved | oTree CPU ms/command |"
        rule += "---|---|---|"
    watched = any(r.board for r in runs)
    for label in labels:
        head += f" {label} rtt p50 / p99 | {label} fan-out p99 | {label} achieved | {label} CPU ms/command |"
        rule += "---|---|---|---|"
        if watched:
            head += f" {label} board p50 / p99 |"
            rule += "---|"
    lines = [head, rule]
    cases = list(dict.fromkeys(r.case for r in runs))
    for case in cases:
        row = f"| {case.members} | {case.rate:g} |"
        if peers:
            mine = [p for p in peers if p.members == case.members and p.rate == case.rate]
            if mine:
                p = mine[0]
                cost = p.cpu_ms_per_command
                row += f" {ms(p.rtts, 50)} / {ms(p.rtts, 99)} ms | {p.achieved:.0f}/s | {cost:.2f} |"
            else:
                row += " — | — | — |"
        for label in labels:
            same = [r for r in runs if r.label == label and r.case == case]
            if not same:
                row += " — | — | — | — |" + (" — |" if watched else "")
                continue
            p50 = statistics.median(percentile(r.rtts, 50) for r in same) * 1000 if same[0].rtts else 0
            p99 = statistics.median(percentile(r.rtts, 99) for r in same) * 1000 if same[0].rtts else 0
            fan = statistics.median(percentile(r.fanouts, 99) for r in same) * 1000 if same[0].fanouts else 0
            achieved = statistics.median(r.achieved for r in same)
            cpu = statistics.median(r.cpu_ms_per_command for r in same)
            row += f" {p50:,.1f} / {p99:,.1f} ms | {fan:,.1f} ms | {achieved:.0f}/s | {cpu:.2f} |"
            if watched:
                b50 = statistics.median(percentile(r.board, 50) for r in same) * 1000 if same[0].board else 0
                b99 = statistics.median(percentile(r.board, 99) for r in same) * 1000 if same[0].board else 0
                row += f" {b50:,.1f} / {b99:,.1f} ms |"
        lines.append(row)
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", default=DEFAULT_CASES, help="MEMBERSxRATE,… (default: the issue's table)")
    parser.add_argument("--seconds", type=float, default=20.0, help="seconds of commands per run")
    parser.add_argument(
        "--repeat", type=int, default=1, help="runs per case and server (medians are printed)"
    )
    parser.add_argument("--viewers", type=int, default=0, help="public board websockets held open meanwhile")
    parser.add_argument("--processes", type=int, default=2, help="client processes for the members")
    parser.add_argument(
        "--viewer-processes", type=int, default=2, help="client processes for the viewers (dealt out evenly)"
    )
    parser.add_argument("--seconds-per-hour", type=float, default=2.0, help="the competition's pace")
    parser.add_argument("--customer-timeout", type=float, default=180.0, help="seconds to wait for customers")
    parser.add_argument("--database-url", default=None, help=DATABASE_HELP)
    parser.add_argument(
        "--baseline", type=Path, default=None, help="an older checkout to run beside this one"
    )
    parser.add_argument("--otree", action="store_true", help="run oTree 6 beside it (bench/.venv-otree)")
    parser.add_argument("--no-salesfloor", action="store_true", help="only the peer (and the baseline)")
    parser.add_argument("--profile", type=Path, default=None, help="py-spy records of the server go here")
    parser.add_argument(
        "--trace",
        type=Path,
        default=None,
        help="each answer's send time and round-trip go here; stalls are printed",
    )
    args = parser.parse_args()
    cases = [Case.parse(text) for text in args.cases.split(",") if text]
    entry_points = ("cli.py", "cli/__main__.py")  # the command line before and after server/ went into rooms
    if args.baseline is not None and not any(
        (args.baseline / "server" / name).is_file() for name in entry_points
    ):
        raise SystemExit(
            f"--baseline {args.baseline} is not a Salesfloor checkout (no server/cli/__main__.py)"
        )
    raise_open_files(65536)
    here = Path(__file__).resolve().parent.parent
    servers = [] if args.no_salesfloor else [("salesfloor", here)]
    if args.baseline is not None:
        servers.append(("baseline", args.baseline.resolve()))
    print(machine())
    print(f"database: {describe_database(args.database_url) if args.database_url else 'sqlite (WAL)'}")
    runs: list[Run] = []
    peers: list[OtreeFigures] = []
    for case in cases:
        for _ in range(args.repeat):
            for label, root in servers:
                run = salesfloor_case(label, root, args.database_url, case, args)
                print(run.line(), flush=True)
                runs.append(run)
            if args.otree:
                peer = otree_case(case.members, case.rate, args.seconds, args.processes)
                print(peer.line(), flush=True)
                peers.append(peer)
    print()
    print(table(runs, peers))


if __name__ == "__main__":
    main()
