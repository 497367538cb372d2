"""Rules v2 profit score: a fixed, published scale of return on starting capital per round.

    return = 100 × profit ÷ starting capital ÷ rounds (% per round)
    score  = clip(50 + PROFIT_POINTS_PER_PERCENT × return, 0, 100)     (10 points per 1 %)

``rounds`` is the number of rounds played at the time of the score (simulated time ÷ round
length, at least 1), so a six-round classroom and a twelve-month ``realistic`` season sit on
one scale. Anchors: losing 5 % of the starting capital per round scores 0, breaking even 50,
gaining 5 % per round 100 (a sensible classroom team earns about 3 % a round, a team quoting at
cost loses about 2 %). The score depends on the team's own result only — not on the class's
best and worst — so equal profits score equally whatever the others do, and a 1 % better
profit (1 % of itself) moves the score by 10 × the return ÷ 100 points: 0.3 at 3 % a round,
0.09 points of the composite at the default weight. A team without starting capital has no
return (None).
"""

from __future__ import annotations

from typing import Final

from market.accounts import MONEY_EPSILON

PROFIT_POINTS_PER_PERCENT: Final[float] = 10.0
"""Score points per 1 % return on starting capital per round."""

PROFIT_SCORE_AT_BREAK_EVEN: Final[float] = 50.0
"""The score of a team that neither gained nor lost."""


def rounds_played(now: float, round_hours: float) -> float:
    """now ÷ round length, at least 1 (a first round's result is not blown up)."""
    return max(1.0, now / round_hours)


def return_per_round(profit: float, capital: float, rounds: float) -> float | None:
    """100 × profit ÷ capital ÷ rounds, None when the team started without capital."""
    if capital <= MONEY_EPSILON:
        return None
    return 100.0 * profit / capital / rounds


def profit_score(profit: float, capital: float, rounds: float) -> float | None:
    """clip(50 + 10 × return % per round, 0, 100); None without starting capital."""
    ret = return_per_round(profit, capital, rounds)
    if ret is None:
        return None
    score = PROFIT_SCORE_AT_BREAK_EVEN + PROFIT_POINTS_PER_PERCENT * ret
    return 0.0 if score < 0.0 else 100.0 if score > 100.0 else score


def score_anchors() -> tuple[float, float, float]:
    """The returns (% per round) that score 0, 50 and 100."""
    half = PROFIT_SCORE_AT_BREAK_EVEN / PROFIT_POINTS_PER_PERCENT
    return (-half, 0.0, (100.0 - PROFIT_SCORE_AT_BREAK_EVEN) / PROFIT_POINTS_PER_PERCENT)
