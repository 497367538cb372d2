"""Benchmark: recovering a live competition of 100,000 commands after a restart.

Starts ``salesfloor serve`` in a subprocess (SQLite in a temporary directory, or PostgreSQL with
``--database-url``), creates a competition of ``--teams`` teams over the API, starts it and
pauses it, and stops the server. Then it writes ``--commands`` commands straight into the
competition's command log (``server.persistence.db.tables.CommandRow``: ``set_apology_policy`` for each
team in turn, on and off, at simulated times spread evenly over the rest of round 1) — far
quicker than sending them — and writes the events they produce into the event log, as the
server's write-behind would have (one in-process replay). The database then holds what a
server that had taken those commands would hold.

Measured, as medians of ``--repeats``: ``LiveCompetition.recover()`` in-process (constructed
as ``server.live.runtime`` does: read the command log, replay it, check it against the stored
events), with the time of reading each log on its own and the time full (generation 2)
garbage collections took during it; and the full server start, from
spawning ``salesfloor serve`` to the first answer of ``GET /api/v1/health`` (interpreter start,
imports, migrations, recovery), next to the start of the same server before the commands were
written. Prints the configuration, both times, commands per second of recovery and errors (a
recovery that reports damage, a health check that is not ok). Run with
``python bench/recovery.py [--commands 100000 --repeats 3]``.
"""

from __future__ import annotations

import argparse
import gc
import json
import resource
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from live_server import (
    DATABASE_HELP,
    OtherLoad,
    ServerProcess,
    Setup,
    database,
    describe_database,
    machine,
    workdir,
)
from sqlalchemy import insert

from server.live import LiveCompetition
from server.persistence.db.engine import make_engine
from server.persistence.db.tables import CommandRow
from server.persistence.store import Store
from server.wall_clock import wall_now
from server.wire.broadcast import Broadcaster
from simulator.command_log import command_to_json
from teams.commands import SetApologyPolicy

CHUNK = 10_000


def write_commands(
    store: Store, competition_id: int, teams: list[str], n: int, first_t: float, last_t: float
) -> None:
    """``n`` apology-policy commands from ``first_t`` to ``last_t`` hours, after any already logged."""
    seq0 = store.command_count(competition_id)
    step = (last_t - first_t) / n
    created = wall_now()
    for start in range(0, n, CHUNK):
        rows = []
        for k in range(start, min(n, start + CHUNK)):
            command = SetApologyPolicy(team=teams[k % len(teams)], enabled=(k // len(teams)) % 2 == 0)
            row = CommandRow(
                competition_id=competition_id,
                seq=seq0 + k,
                t=first_t + (k + 1) * step,
                source="human",
                member_id=None,
                payload=json.dumps(command_to_json(command)),
                accepted=None,
                created_at=created,
            )
            rows.append(row.model_dump(exclude={"id"}))
        with store.session() as session:
            session.execute(insert(CommandRow), rows)
            session.commit()


class CollectorClock:
    """Seconds spent in the garbage collector's full (generation 2) collections while installed."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.count = 0
        self._started = 0.0

    def __call__(self, phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            self._started = time.perf_counter()
        elif info["generation"] == 2:
            self.seconds += time.perf_counter() - self._started
            self.count += 1


def recover(store: Store, competition_id: int) -> tuple[float, LiveCompetition, CollectorClock]:
    """One recovery as ``Runtime.start`` does it; (seconds, the recovered competition, GC time)."""
    row = store.competition(competition_id)
    assert row is not None
    live = LiveCompetition(row, store.teams(competition_id), store, Broadcaster())
    collector = CollectorClock()
    gc.callbacks.append(collector)
    started = time.perf_counter()
    try:
        live.recover()
    finally:
        seconds = time.perf_counter() - started
        gc.callbacks.remove(collector)
    return seconds, live, collector


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--commands", type=int, default=100_000, help="commands in the log (default 100,000)")
    parser.add_argument("--teams", type=int, default=4, help="teams (default 4)")
    parser.add_argument("--repeats", type=int, default=3, help="repeats of each measurement (default 3)")
    parser.add_argument("--database-url", help=DATABASE_HELP)
    args = parser.parse_args()
    if not 1 <= args.commands <= 2_000_000 or not 1 <= args.teams <= 200 or not 1 <= args.repeats <= 20:
        parser.error("1 ≤ --commands ≤ 2,000,000, 1 ≤ --teams ≤ 200, 1 ≤ --repeats ≤ 20")
    errors: list[str] = []
    with workdir() as wd, database(args.database_url, wd) as url:
        print(
            f"recovery: one competition of {args.teams} teams (classroom preset), {args.commands:,} "
            f"set_apology_policy commands in round 1, median of {args.repeats} repeats"
        )
        print(f"server: {describe_database(url)}; {machine()}")

        # a competition, created, started and paused over the API
        server = ServerProcess(url, wd)
        empty_start = server.start()
        try:
            setup = Setup(server.url)
            names = [f"Team {i + 1}" for i in range(args.teams)]
            competition_id, _ = setup.competition([(n, None) for n in names], seconds_per_hour=15.0)
            setup.pause(competition_id)
            setup.close()
        finally:
            server.stop()
        baseline = []
        for _ in range(args.repeats):
            baseline.append(server.start())
            server.stop()

        # the command log, written directly, and the events the server would have written behind
        engine = make_engine(url)
        store = Store(engine)
        row = store.competition(competition_id)
        assert row is not None
        live = LiveCompetition(row, store.teams(competition_id), store, Broadcaster())
        round_end = live.params.calendar.round_start(2)
        started = time.perf_counter()
        write_commands(
            store, competition_id, names, args.commands, row.sim_t, row.sim_t + 0.9 * (round_end - row.sim_t)
        )
        written = time.perf_counter() - started
        started = time.perf_counter()
        _, live, _ = recover(store, competition_id)
        unsaved = live.events_since(live.writer.persisted)
        for start in range(0, len(unsaved), CHUNK):
            store.write_behind(competition_id, unsaved[start : start + CHUNK], ())
        events = live.event_count
        prepared = time.perf_counter() - started
        print(
            f"  prepared in {written + prepared:.1f} s: {store.command_count(competition_id):,} commands, "
            f"{events:,} events (to simulated hour {live.now:.1f} of round 1's {round_end:g})"
        )

        # recovery in-process
        times, reads_commands, reads_events, collecting = [], [], [], []
        other = OtherLoad(None).__enter__()
        for _ in range(args.repeats):
            seconds, live, collector = recover(store, competition_id)
            times.append(seconds)
            collecting.append(collector.seconds)
            if live.damaged:
                errors.append(f"in-process recovery: {live.damaged}")
            started = time.perf_counter()
            store.commands(competition_id)
            reads_commands.append(time.perf_counter() - started)
            started = time.perf_counter()
            store.event_payloads(competition_id)
            reads_events.append(time.perf_counter() - started)
        other.__exit__()
        engine.dispose()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # the whole server start
        starts = []
        for _ in range(args.repeats):
            starts.append(server.start(timeout=300))
            try:
                setup = Setup(server.url)
                health = setup.health()
                status = setup.http.get(f"/api/v1/competitions/{competition_id}").json()
                setup.close()
                if not health["ok"]:
                    errors.append(f"server start: health {health}")
                if status.get("state") != "paused":
                    errors.append(f"server start: competition is {status.get('state')}, not paused")
            finally:
                server.stop()

    recovery = statistics.median(times)
    print(
        f"  LiveCompetition.recover(): {recovery:.2f} s ({args.commands / recovery:,.0f} commands/s, "
        f"{events / recovery:,.0f} events/s); runs {', '.join(f'{t:.2f}' for t in times)} s"
    )
    print(
        f"    of which reading the command log {statistics.median(reads_commands):.2f} s, "
        f"the event log {statistics.median(reads_events):.2f} s (timed separately); full garbage "
        f"collections during recover() {statistics.median(collecting):.2f} s"
    )
    print(f"    peak resident memory of this process {peak:.0f} MiB")
    print(
        f"  server start to first health answer: {statistics.median(starts):.2f} s "
        f"(runs {', '.join(f'{t:.2f}' for t in starts)} s); the same competition before the commands: "
        f"{statistics.median(baseline):.2f} s; a fresh database: {empty_start:.2f} s"
    )
    print(f"  other processes kept {other.cores:.2f} cores busy during the in-process recoveries")
    print(f"  errors: {len(errors)}" + "".join(f"\n    {e}" for e in errors))


if __name__ == "__main__":
    main()
