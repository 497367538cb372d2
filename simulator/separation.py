"""How far each weighted column moves the composite between the active teams of a season.

For one finished season, a metric's *spread* is max − min over the active teams (every team
but those playing the ``passive`` bot) of the points the metric adds to each team's composite,
w·m ÷ Σw over the metrics the team has. A column whose spread is tiny cannot decide a ranking,
however large its weight; the issue-12 requirement is that every weighted column's spread is
at least a third of conversion's, in every preset and mode, and that none is a cliff (the
scales are linear between clamps: docs/scoring.md, "Rules v2").
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from market.parameters import MarketParameters
from scoring import composite_parts
from simulator.season import league, play_season

INACTIVE_BOTS = frozenset({"passive"})
"""Bots that do not play: their columns are left out of the spread."""


@dataclass(frozen=True, slots=True)
class Spread:
    """Mean spread per weighted metric over the seasons, and the seasons it is the mean over."""

    by_metric: dict[str, float]
    seasons: int

    def ratio_to(self, reference: str = "conversion") -> dict[str, float]:
        """Each metric's spread ÷ the reference metric's (inf when the reference does not move)."""
        base = self.by_metric.get(reference, 0.0)
        return {m: (v / base if base > 0 else float("inf")) for m, v in self.by_metric.items()}


def season_spreads(params: MarketParameters, seed: int, bots: Sequence[str]) -> dict[str, float]:
    """One season's spread per weighted metric (composite points) between its active teams."""
    competition, board = play_season(params, seed, league(len(bots), list(bots)))
    active = [t.name for t in competition.teams if t.bot not in INACTIVE_BOTS]
    parts = composite_parts(board.rows(competition.end_t), board.config)
    out: dict[str, float] = {}
    for team in active:
        counted = [p for p in parts[team] if p.included]
        total = sum(p.weight for p in counted)
        for p in counted:
            points = p.weight * p.normalised / total
            low, high = out.get(f"{p.metric}:lo", points), out.get(f"{p.metric}:hi", points)
            out[f"{p.metric}:lo"], out[f"{p.metric}:hi"] = min(low, points), max(high, points)
    metrics = sorted({key.split(":")[0] for key in out})
    return {m: out[f"{m}:hi"] - out[f"{m}:lo"] for m in metrics}


def spreads(params: MarketParameters, seeds: Iterable[int], bots: Sequence[str]) -> Spread:
    """The mean of ``season_spreads`` over ``seeds``."""
    per_metric: dict[str, list[float]] = {}
    count = 0
    for seed in seeds:
        count += 1
        for metric, value in season_spreads(params, seed, bots).items():
            per_metric.setdefault(metric, []).append(value)
    return Spread({m: statistics.fmean(v) for m, v in per_metric.items()}, count)
