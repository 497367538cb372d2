"""Rules v2 profit score: a fixed, published scale of return on starting capital.

    return = 100 × profit ÷ starting capital (%)
    score  = clip(50 + PROFIT_POINTS_PER_PERCENT × return, 0, 100)     (2.5 points per 1 %)

Anchors: a loss of 20 % of the starting capital scores 0, breaking even 50, a gain of 20 % 100.
The score depends on the team's own result only — not on the class's best and worst — so equal
profits score equally whatever the others do, and a 1 % better profit (1 % of itself, not of
the capital) moves the score by 2.5 × the return ÷ 100 points: 0.5 at a 20 % return, 0.15
points of the composite at the default weight. A team without starting capital has no return
(None).
"""

from __future__ import annotations

from typing import Final

from scoring.receivables import MONEY_EPSILON

PROFIT_POINTS_PER_PERCENT: Final[float] = 2.5
"""Score points per 1 % return on starting capital."""

PROFIT_SCORE_AT_BREAK_EVEN: Final[float] = 50.0
"""The score of a team that neither gained nor lost."""


def return_on_capital(profit: float, capital: float) -> float | None:
    """100 × profit ÷ capital, None when the team started without capital."""
    if capital <= MONEY_EPSILON:
        return None
    return 100.0 * profit / capital


def profit_score(profit: float, capital: float) -> float | None:
    """clip(50 + 2.5 × return %, 0, 100); None without starting capital."""
    ret = return_on_capital(profit, capital)
    if ret is None:
        return None
    score = PROFIT_SCORE_AT_BREAK_EVEN + PROFIT_POINTS_PER_PERCENT * ret
    return 0.0 if score < 0.0 else 100.0 if score > 100.0 else score


def score_anchors() -> tuple[float, float, float]:
    """The returns (%) that score 0, 50 and 100."""
    half = PROFIT_SCORE_AT_BREAK_EVEN / PROFIT_POINTS_PER_PERCENT
    return (-half, 0.0, (100.0 - PROFIT_SCORE_AT_BREAK_EVEN) / PROFIT_POINTS_PER_PERCENT)
