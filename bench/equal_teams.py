"""Measurement: where the luck between two equal teams comes from in a shared market (issue 12, item 5).

Plays leagues in which every team plays ``balanced`` — so whatever separates two of them in a
season is luck — and prints, per league, the standard deviation over seasons of the gap between
two of them (the balance report's *luck*) and the mean size of that gap. ``--teams 2`` is the
strongest test of dealing: with two teams and two asked per customer, every customer asks both,
so the two meet exactly the same customers, and what still separates them is who wins each
contest and what follows from it. Run with
``python bench/equal_teams.py --preset classroom --seeds 40 --teams 2,4,11 [--set K=V]``.
"""

from __future__ import annotations

import argparse
import math
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from market.overrides import parse_override
from simulator.competition import TeamSpec
from simulator.evaluate import cell_parameters, margins, play_seasons


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="classroom")
    parser.add_argument("--mode", default="shared")
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--teams", default="2,4,11", help="league sizes, comma-separated (each ≥ 2)")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: cores)")
    parser.add_argument("--set", action="append", default=[], help="override KEY=VALUE")
    args = parser.parse_args()
    sizes = [int(n) for n in args.teams.split(",")]
    if any(n < 2 for n in sizes):
        parser.error("--teams: every league needs at least 2 teams")
    params = cell_parameters(args.preset, args.mode, [parse_override(s) for s in args.set])
    leagues = [[TeamSpec(f"B{i + 1:02d}", "balanced") for i in range(n)] for n in sizes]
    results = play_seasons(params, leagues, range(args.seeds), workers=args.jobs)
    print(f"{args.preset} · {args.mode}, {args.seeds} seasons, every team plays balanced {args.set or ''}")
    print("teams  asked  luck (sd of B02 − B01)  mean |gap|")
    for n, seasons in zip(sizes, results, strict=True):
        gap = margins(seasons, "B02", "B01")
        asked = min(params.shortlist_size, n) if params.mode == "shared" else 1
        mean_abs = statistics.fmean(abs(v) for v in gap.values)
        print(f"{n:5d}  {asked:5d}  {gap.sd:22.1f}  {mean_abs:10.1f}")
    print(
        f"(the sd of a sample of {args.seeds} has a relative standard error of about "
        f"{100 / math.sqrt(2 * (args.seeds - 1)):.0f} %)"
    )


if __name__ == "__main__":
    main()
