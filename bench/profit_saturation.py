"""Measurement: each bot's profit score in a preset per round (rules 4) and per business week (rules 5).

Plays seeded seasons of the balance league (``balanced`` and every degenerate bot) under the
preset's own rules and scores each season's log twice, by rules 4 (return on starting capital
per round) and by rules 5 (per business week), so both columns come from the same events. Prints
per bot the mean profit score of each and the mean weekly return. docs/scoring.md, "Rules v5",
quotes it for ``realistic``. Run with
``python bench/profit_saturation.py [--preset realistic] [--seeds 4]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from market.parameters import MarketMode
from market.presets import load_preset
from scoring import RulesVersion, ScoringConfig, score_events
from scoring.profit_scale import profit_periods, profit_score
from simulator.balance import league
from simulator.season import play_season

PER_ROUND: RulesVersion = 4
PER_WEEK: RulesVersion = 5


def season_scores(preset: str, mode: MarketMode, seed: int) -> dict[str, tuple[float, float, float]]:
    """Per team: (profit score per round, per business week, return % a business week)."""
    params = dataclasses.replace(load_preset(preset), mode=mode)
    competition, board = play_season(params, seed, league())
    now = competition.end_t
    out: dict[str, list[float]] = {}
    for rules in (PER_ROUND, PER_WEEK):
        config: ScoringConfig = dataclasses.replace(board.config, rules=rules)
        for row in score_events(competition.log, config, now=now).rows(now):
            periods = profit_periods(row, config)
            out.setdefault(row.team, []).append(profit_score(row.profit, row.capital, periods) or 0.0)
            if rules == PER_WEEK:
                out[row.team].append(100.0 * row.profit / row.capital / periods if row.capital else 0.0)
    return {team: (v[0], v[1], v[2]) for team, v in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="realistic", help="preset (default realistic)")
    parser.add_argument("--seeds", type=int, default=4, help="seasons per mode (default 4)")
    args = parser.parse_args()
    if args.seeds < 1:
        parser.error("--seeds must be at least 1")
    print(f"{'mode':9s} {'bot':10s} {'per round':>9s} {'per week':>9s} {'% a week':>9s}")
    modes: tuple[MarketMode, ...] = ("shared", "mirrored")
    for mode in modes:
        seasons = [season_scores(args.preset, mode, seed) for seed in range(args.seeds)]
        for team in seasons[0]:
            round_score, week_score, weekly = (
                statistics.fmean(s[team][i] for s in seasons) for i in range(3)
            )
            print(f"{mode:9s} {team:10s} {round_score:9.1f} {week_score:9.1f} {weekly:9.2f}")


if __name__ == "__main__":
    main()
