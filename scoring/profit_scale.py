"""Profit score (rules v2 on): a fixed, published scale of return on starting capital per period.

    return = 100 × profit ÷ starting capital ÷ periods played (% per period)
    score  = clip(50 + PROFIT_POINTS_PER_PERCENT × return, 0, 100)     (10 points per 1 %)

The period is a round under rules 2–4 and a business week (five business days, 40 simulated
hours) from rules 5. ``periods played`` is the simulated time of the score ÷ the period's
length, at least 1. Where a round is five business days (classroom, calm, rush,
credit-crunch) the two are the same; a ``realistic`` round of 30 calendar days is about 4.3
weeks, and per round its sensible teams sat at the clamp (docs/scoring.md, "Rules v5").
Anchors: losing 5 % of the starting capital per period scores 0, breaking even 50, gaining 5 %
per period 100 (a sensible classroom team earns about 3 % a week, a team quoting at cost loses
about 2 %). The score depends on the team's own result only — not on the class's best and
worst — so equal profits score equally whatever the others do, and a 1 % better profit (1 % of
itself) moves the score by 10 × the return ÷ 100 points: 0.3 at 3 % a period, 0.09 points of
the composite at the default weight. A team without starting capital has no return (None).
"""

from __future__ import annotations

from typing import Final

from market.accounts import MONEY_EPSILON
from scoring.config import ScoringConfig
from scoring.metrics import TeamMetrics

PROFIT_POINTS_PER_PERCENT: Final[float] = 10.0
"""Score points per 1 % return on starting capital per period."""

PROFIT_SCORE_AT_BREAK_EVEN: Final[float] = 50.0
"""The score of a team that neither gained nor lost."""

WEEKLY_PROFIT_RULES: Final[int] = 5
"""The first rules version whose profit return is per business week (per round before)."""


def periods_played(now: float, period_hours: float) -> float:
    """now ÷ the period's length, at least 1 (a first period's result is not blown up)."""
    return max(1.0, now / period_hours)


def rounds_played(now: float, round_hours: float) -> float:
    """Rounds played at ``now``: the v2–v4 profit period."""
    return periods_played(now, round_hours)


def weeks_played(now: float, week_hours: float) -> float:
    """Business weeks played at ``now``: the v5 profit period."""
    return periods_played(now, week_hours)


def weekly(config: ScoringConfig) -> bool:
    """Whether ``config``'s rules take profit's return per business week (v5 on)."""
    return config.rules >= WEEKLY_PROFIT_RULES


def profit_periods(row: TeamMetrics, config: ScoringConfig) -> float:
    """The periods a team's return is divided by: weeks from rules 5, rounds before."""
    return row.weeks if weekly(config) else row.rounds


def period_name(config: ScoringConfig) -> str:
    """The period's name in explanations: ``business week`` from rules 5, ``round`` before."""
    return "business week" if weekly(config) else "round"


def return_per_period(profit: float, capital: float, periods: float) -> float | None:
    """100 × profit ÷ capital ÷ periods (rounds, or business weeks from rules 5); None without capital."""
    if capital <= MONEY_EPSILON:
        return None
    return 100.0 * profit / capital / periods


def profit_score(profit: float, capital: float, periods: float) -> float | None:
    """clip(50 + 10 × return % per period, 0, 100); None without starting capital."""
    ret = return_per_period(profit, capital, periods)
    if ret is None:
        return None
    score = PROFIT_SCORE_AT_BREAK_EVEN + PROFIT_POINTS_PER_PERCENT * ret
    return 0.0 if score < 0.0 else 100.0 if score > 100.0 else score


def score_anchors() -> tuple[float, float, float]:
    """The returns (% per period) that score 0, 50 and 100."""
    half = PROFIT_SCORE_AT_BREAK_EVEN / PROFIT_POINTS_PER_PERCENT
    return (-half, 0.0, (100.0 - PROFIT_SCORE_AT_BREAK_EVEN) / PROFIT_POINTS_PER_PERCENT)
