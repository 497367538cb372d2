"""Benchmark: fast-forward speed of a 20-team, 10-round classroom season.

Prints, as medians of several repeats: the season's wall time; log events (the facts the
competition records) per second; SimPy events (every timer, process step and condition the
engine processes) per second; and the ratio of each to a bare SimPy timeout loop measured in
the same run, so the ratios are fair to whatever machine runs them. Run with ``make bench`` or
``python bench/fast_forward.py [--repeats N]``.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import simpy

from market.presets import load_preset
from simulator.season import league, play_season
from teams.bots import REFERENCE_LEAGUE


def bare_simpy_rate(events: int) -> float:
    """Events per second of a SimPy process that does nothing but wait."""
    env = simpy.Environment()

    def ticker(env: simpy.Environment) -> Any:
        for _ in range(events):
            yield env.timeout(1.0)

    env.process(ticker(env))
    start = time.perf_counter()
    env.run()
    return events / (time.perf_counter() - start)


def season_run(mode: str, teams: int, rounds: int, seed: int) -> tuple[float, int, int]:
    params = load_preset("classroom")
    if mode != params.mode:
        from market.overrides import apply_overrides

        params = apply_overrides(params, [("mode", mode)])
    start = time.perf_counter()
    competition, board = play_season(params, seed, league(teams, list(REFERENCE_LEAGUE)), rounds=rounds)
    board.standings(competition.end_t)
    elapsed = time.perf_counter() - start
    simpy_events = next(competition.env._eid)  # SimPy numbers every event it schedules
    return elapsed, len(competition.log), simpy_events


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--teams", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    args = parser.parse_args()
    print(
        f"fast-forward: classroom, {args.teams} teams, {args.rounds} rounds, "
        f"bots {','.join(REFERENCE_LEAGUE)}"
    )
    print(f"python {sys.version.split()[0]}, simpy {simpy.__version__}, median of {args.repeats} repeats")
    for mode in ("shared", "mirrored"):
        seconds, bares, log_rates, simpy_rates = [], [], [], []
        events = simpy_events = 0
        for repeat in range(args.repeats):
            elapsed, events, simpy_events = season_run(mode, args.teams, args.rounds, seed=7 + repeat)
            bares.append(bare_simpy_rate(200_000))
            seconds.append(elapsed)
            log_rates.append(events / elapsed)
            simpy_rates.append(simpy_events / elapsed)
        bare = statistics.median(bares)
        print(f"  {mode}: season {statistics.median(seconds):.2f} s, bare SimPy loop {bare:,.0f} events/s")
        print(
            f"    log events    {events:8,d}   {statistics.median(log_rates):10,.0f} /s   "
            f"ratio {statistics.median(log_rates) / bare:.3f}"
        )
        print(
            f"    SimPy events  {simpy_events:8,d}   {statistics.median(simpy_rates):10,.0f} /s   "
            f"ratio {statistics.median(simpy_rates) / bare:.3f}"
        )
    tracemalloc.start()
    season_run("shared", args.teams, args.rounds, seed=7)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak traced memory of one shared season: {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
