"""Measurement: how much of the luck between two equal teams is the customer's choice (issue 12, item 5).

Plays leagues of two teams that both play ``balanced`` in one cell (in a shared market every
customer then asks both, so the two meet the same customers) and prints, over the seasons:

* *luck*: the standard deviation of the composite gap between the two (the balance report's
  luck), and the same gap once each contest's draw is replaced by its expected outcome at first
  order — every quote the customer chose among counts its logit probability of being taken
  instead of 1 or 0 toward conversion, and that probability times the order's gross margin
  (price less the goods' cost) instead of the margin or nothing toward profit. What follows a
  won order (its repeat orders, payments, complaints) is left as it happened;
* per weighted metric, the standard deviation of its share of the gap in composite points
  (w·m ÷ Σw), to show where the rest comes from;
* the contests a team met and the standard deviation of its choice luck (orders won less
  the sum of their probabilities) and of its won orders.

The probabilities are read by watching ``market.decision`` in this process only: the market,
its event log and the scores are those of the product. Run with
``python bench/choice_luck.py --preset classroom --seeds 40 [--set K=V ...]``.
"""

from __future__ import annotations

import argparse
import dataclasses
import math
import statistics
import sys
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from market import decision
from market.overrides import parse_override
from scoring.metrics import TeamMetrics
from scoring.standings import composite_parts, rank_teams
from simulator.competition import TeamSpec
from simulator.evaluate import cell_parameters
from simulator.season import play_season, scoring_config

TEAMS = ("B01", "B02")


@dataclasses.dataclass(slots=True)
class Contest:
    """One team's quote among those a customer chose from: taken or not, and its odds."""

    team: str
    won: bool
    probability: float
    margin: float


class ChoiceWatch:
    """Records every contest the customers of this process decide, with its logit probability.

    ``Decision.decide`` computes the probabilities once per request (walk-away first), then
    calls ``_win`` or ``_lose`` for the candidates in the same order; the calls made before the
    probabilities (quotes that were not acceptable or too slow) are not contests.
    """

    def __init__(self) -> None:
        self.contests: list[Contest] = []
        self._pending: list[float] | None = None

    def install(self) -> None:
        real_probabilities = decision.choice_probabilities  # type: ignore[attr-defined]
        real_win, real_lose = decision.Decision._win, decision.Decision._lose
        real_decide = decision.Decision.decide
        watch = self

        def probabilities(*args: Any, **kwargs: Any) -> list[float]:
            probs: list[float] = real_probabilities(*args, **kwargs)
            watch._pending = list(probs[1:])
            return probs

        def settle(real: Callable[..., None], won: bool) -> Callable[..., None]:
            def wrapped(self: decision.Decision, req: Any, team: str, other: Any) -> None:
                if watch._pending:
                    offer = req.offers[team]
                    cost = self.market.fulfilment.goods_cost(req)
                    margin = req.quantity * offer.unit_price - cost
                    watch.contests.append(Contest(team, won, watch._pending.pop(0), margin))
                real(self, req, team, other)

            return wrapped

        def decide(self: decision.Decision, req: Any) -> None:
            watch._pending = None
            real_decide(self, req)
            if watch._pending:
                raise RuntimeError("market.decision settled fewer quotes than it weighed: update ChoiceWatch")
            watch._pending = None

        decision.choice_probabilities = probabilities  # type: ignore[attr-defined]
        decision.Decision._win = settle(real_win, True)  # type: ignore[method-assign]
        decision.Decision._lose = settle(real_lose, False)  # type: ignore[method-assign]
        decision.Decision.decide = decide  # type: ignore[method-assign]


def at_expected_outcome(row: TeamMetrics, orders_luck: float, margin_luck: float) -> TeamMetrics:
    """The team's figures with each contest counted at its expected outcome (first order)."""
    conversion = row.conversion
    if conversion is not None:
        conversion = 100.0 * (row.won - orders_luck) / row.closed
    return dataclasses.replace(row, conversion=conversion, profit=row.profit - margin_luck)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="classroom")
    parser.add_argument("--mode", default="shared")
    parser.add_argument("--seeds", type=int, default=40)
    parser.add_argument("--set", action="append", default=[], help="override KEY=VALUE")
    args = parser.parse_args()
    if args.seeds < 2:
        parser.error("--seeds must be at least 2")
    params = cell_parameters(args.preset, args.mode, [parse_override(s) for s in args.set])
    config = scoring_config(params)
    watch = ChoiceWatch()
    watch.install()
    teams = [TeamSpec(name, "balanced") for name in TEAMS]
    gaps: dict[str, list[float]] = defaultdict(list)
    per_team: dict[str, list[float]] = defaultdict(list)
    for seed in range(args.seeds):
        watch.contests.clear()
        competition, board = play_season(params, seed, teams)
        rows = board.rows(competition.end_t)
        luck_orders: dict[str, float] = defaultdict(float)
        luck_margin: dict[str, float] = defaultdict(float)
        for c in watch.contests:
            luck_orders[c.team] += c.won - c.probability
            luck_margin[c.team] += (c.won - c.probability) * c.margin
        expected = [at_expected_outcome(row, luck_orders[row.team], luck_margin[row.team]) for row in rows]
        drawn = {s.team: s.composite for s in rank_teams(rows, config)}
        adjusted = {s.team: s.composite for s in rank_teams(expected, config)}
        gaps["composite"].append(drawn["B02"] - drawn["B01"])
        gaps["expected"].append(adjusted["B02"] - adjusted["B01"])
        parts = composite_parts(rows, config)
        weight = math.fsum(p.weight for p in parts["B01"] if p.included)
        for mine, other in zip(parts["B02"], parts["B01"], strict=True):
            if mine.weight > 0:
                points = (mine.normalised * mine.included - other.normalised * other.included) * mine.weight
                gaps[mine.metric].append(points / weight)
        for row in rows:
            per_team["contests"].append(sum(1 for c in watch.contests if c.team == row.team))
            per_team["choice luck"].append(luck_orders[row.team])
            per_team["won"].append(row.won)
    sd = statistics.stdev
    print(f"{args.preset} · {args.mode}, {args.seeds} seasons, two teams playing balanced {args.set or ''}")
    print(f"luck (sd of B02 − B01), as drawn:                {sd(gaps['composite']):5.1f}")
    print(f"luck, each contest at its expected outcome:       {sd(gaps['expected']):5.1f}")
    print("sd of each metric's share of the gap (composite points):")
    for metric, values in gaps.items():
        if metric not in ("composite", "expected"):
            print(f"  {metric:13s} {sd(values):5.1f}")
    print("per team and season: mean ± sd")
    for name, values in per_team.items():
        print(f"  {name:13s} {statistics.fmean(values):6.1f} ± {sd(values):5.1f}")


if __name__ == "__main__":
    main()
