"""Benchmark: what the class's pages ask of the event log — the debrief, highlights, the ticker.

Plays a classroom season fast-forward (by default 20 teams, 6 rounds: a large class), then
times, as medians of several repeats: folding the whole log into the debrief (what the first
``/debrief`` request of a live competition costs; later ones only fold the new events), the
highlight fold (what a recovered competition primes), and the recent ticker a reloaded board
asks for. Prints the machine's load beside the figures. Run with
``python bench/debrief.py [--teams N] [--rounds N] [--repeats N]``.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from timing import median_time

from market.presets import load_preset
from server.live.debrief import DebriefFold, debrief
from server.live.highlights import highlights_of
from server.live.ticker import recent_ticker
from simulator.season import league, play_season, scoring_config
from teams.bots import REFERENCE_LEAGUE


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    params = load_preset("classroom")
    competition, _board = play_season(
        params, 7, league(args.teams, list(REFERENCE_LEAGUE)), rounds=args.rounds
    )
    log = list(competition.log)
    names = sorted(competition.desks)
    config = scoring_config(params)
    print(
        f"load {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores · {len(names)} teams · {len(log):,} events"
    )

    def fold() -> DebriefFold:
        return DebriefFold(
            names,
            params.calendar.hours(1.0),
            config.initial_satisfaction,
            rules=config.rules,
            smoothing=config.satisfaction_smoothing,
        ).feed_all(log)

    seconds, folded = median_time(fold, args.repeats)
    print(
        f"debrief fold of the whole log   {seconds * 1000:8.1f} ms"
        f"  ({seconds / len(log) * 1e6:.2f} µs an event)"
    )
    seconds, _ = median_time(lambda: debrief(folded, None), args.repeats)
    print(f"one round's debrief from it     {seconds * 1000:8.2f} ms")
    seconds, found = median_time(lambda: highlights_of(log), args.repeats)
    print(f"highlights of the whole log     {seconds * 1000:8.1f} ms  ({len(found)} highlights)")
    seconds, _ = median_time(lambda: recent_ticker(log, found, lambda e: False), args.repeats)
    print(f"recent ticker for a reload      {seconds * 1000:8.2f} ms")


if __name__ == "__main__":
    main()
