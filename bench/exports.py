"""Benchmark: exports of a big competition — event-log CSV and XLSX, the archive, its replay.

Plays a 20-team, 10-round classroom season fast-forward (the size of a large class), then
times, as medians of several repeats: building the long-format event table, writing it as
CSV and as XLSX, writing the whole-competition archive and reading it back with the replay
an import runs (which recomputes the digest). Also the live scores' extra work per event
(timeline samples beside the fold) against a bare fold. Run with
``python bench/exports.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import io
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_time

from market.events import event_to_json
from market.parameters import parameters_to_dict
from market.presets import load_preset
from scoring import Scoreboard, Timeline
from server.exports.tables import events_table
from server.exports.tabular import to_csv, to_xlsx
from server.persistence.archive.contents import FORMAT, VERSION, Archive, write_archive
from server.persistence.archive.reader import read_archive
from simulator.command_log import command_to_json
from simulator.season import league, play_season, scoring_config
from teams.bots import REFERENCE_LEAGUE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()

    params = load_preset("classroom")
    competition, board = play_season(
        params, 7, league(args.teams, list(REFERENCE_LEAGUE)), rounds=args.rounds
    )
    events = list(competition.log)
    config = scoring_config(params)
    print(
        f"season: {args.teams} teams, {args.rounds} rounds, {len(events):,} events,"
        f" {len(competition.commands):,} commands"
    )

    build, table = median_time(
        lambda: events_table(events, config.round_hours, config.hours_per_day), args.repeats
    )
    csv_time, csv_bytes = median_time(lambda: to_csv(table), args.repeats)
    xlsx_time, xlsx_bytes = median_time(lambda: to_xlsx([table]), max(1, args.repeats // 2))
    print(f"event table      {build * 1000:8.0f} ms  ({len(table.columns)} columns)")
    print(f"events.csv       {csv_time * 1000:8.0f} ms  {len(csv_bytes) / 2**20:6.1f} MiB")
    print(f"events.xlsx      {xlsx_time * 1000:8.0f} ms  {len(xlsx_bytes) / 2**20:6.1f} MiB")

    archive = Archive(
        manifest={
            "format": FORMAT,
            "version": VERSION,
            "name": "bench",
            "preset": "classroom",
            "seed": 7,
            "rounds": args.rounds,
            "seconds_per_hour": 15.0,
            "state": "finished",
            "t_sim": competition.now,
            "digest": competition.digest(),
            "scoring": None,
        },
        parameters=parameters_to_dict(params),
        teams=[{"name": t.name, "bot": None} for t in competition.teams],
        members=[],
        commands=[
            {
                "seq": e.seq,
                "t": e.t,
                "source": e.source,
                "member": None,
                "accepted": e.accepted,
                "reason": e.reason,
                "command": command_to_json(e.command),
            }
            for e in competition.commands
        ],
        events=[event_to_json(e) for e in events],
        rubric={"criteria": [], "entries": []},
        board={"freeze_t": None, "reveal": None, "medals": None},
    )
    write_time, data = median_time(lambda: write_archive(archive), args.repeats)
    read_time, replayed = median_time(
        lambda: read_archive(io.BytesIO(data)).competition, max(1, args.repeats // 2)
    )
    assert replayed.digest() == competition.digest()
    print(f"archive.zip      {write_time * 1000:8.0f} ms  {len(data) / 2**20:6.1f} MiB")
    print(f"import (replay)  {read_time * 1000:8.0f} ms  digest equal")

    def fold(with_timeline: bool) -> None:
        fresh = Scoreboard(config)
        timeline = Timeline(config.round_hours / 40)
        for event in events:
            if with_timeline:
                timeline.before(fresh, event)
            fresh.apply(event)

    bare, _ = median_time(lambda: fold(False), args.repeats)
    sampled, _ = median_time(lambda: fold(True), args.repeats)
    print(f"fold             {bare * 1000:8.0f} ms  ({len(events) / bare:,.0f} events/s)")
    print(f"fold + timeline  {sampled * 1000:8.0f} ms  (×{sampled / bare:.2f})")
    del board


if __name__ == "__main__":
    main()
