"""Rules v5 scoring on hand-built logs: profit's return on starting capital per business week.

Every number below is worked out by hand from docs/scoring.md, "Rules v5": a business week is
40 simulated hours whatever the calendar's day kind, weeks played = max(1, t ÷ 40), return =
100 × profit ÷ capital ÷ weeks played, score = clip(50 + 10 × return, 0, 100).
"""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import (
    BUSINESS_WEEK_HOURS,
    CALENDAR_DAY_HOURS,
    ScoringConfig,
    TeamMetrics,
    Weights,
    rank_teams,
    score_events,
)
from scoring.profit_scale import profit_periods, profit_score, weeks_played
from tests.scoring.builders import Log

BUSINESS = ScoringConfig(rules=5, weights=Weights.for_rules(5), round_hours=40.0)
"""A classroom-like calendar: business days of 8 hours, a round of 5 business days = a week."""

CALENDAR = ScoringConfig(
    rules=5,
    weights=Weights.for_rules(5),
    hours_per_day=CALENDAR_DAY_HOURS,
    round_hours=30 * CALENDAR_DAY_HOURS,
    loss_horizon_days=90.0,
)
"""A realistic-like calendar: calendar days of 40/7 business hours, a round of 30 of them."""


def earned(profit: float, capital: float) -> Log:
    """Team A earns ``profit`` on ``capital`` (an invoice paid in full; a loss: a campaign's cost);
    B only joins."""
    log = Log()
    log.join("A", cash=capital)
    log.join("B", cash=capital)
    if profit >= 0:
        log.invoice("A", "v1", profit, t=1.0)
        log.pay("A", "v1", profit, t=2.0)
    else:
        log.campaign("A", -profit, t=1.0)
    return log


def profit_of(config: ScoringConfig, profit: float, capital: float, now: float) -> tuple[float, float | None]:
    """(weeks played, A's profit score) at ``now``."""
    board = score_events(earned(profit, capital).events, config, now)
    part = next(p for p in board.explain("A", "composite").items if p.metric == "profit")  # type: ignore[union-attr]
    return board.metrics()["A"].weeks, part.scaled  # type: ignore[union-attr]


def test_a_business_week_is_forty_simulated_hours() -> None:
    assert BUSINESS_WEEK_HOURS == 40.0
    assert BUSINESS.week_hours == CALENDAR.week_hours == 40.0
    assert CALENDAR.round_hours / CALENDAR.week_hours == pytest.approx(30 / 7)  # 4.29 weeks a round


def test_business_days_two_weeks_at_five_percent_a_week_score_100() -> None:
    weeks, score = profit_of(BUSINESS, 1000.0, 10_000.0, now=80.0)  # 100 × 1000 ÷ 10,000 ÷ 2 = 5 %
    assert weeks == 2.0
    assert score == 100.0


def test_business_days_five_weeks_at_two_percent_a_week_score_70() -> None:
    weeks, score = profit_of(BUSINESS, 1000.0, 10_000.0, now=200.0)  # 100 × 1000 ÷ 10,000 ÷ 5 = 2 %
    assert weeks == 5.0
    assert score == pytest.approx(70.0)


def test_business_days_score_as_rules_4_where_a_round_is_a_week() -> None:
    log = earned(-700.0, 10_000.0)
    v4 = dataclasses.replace(BUSINESS, rules=4)
    weekly, per_round = (score_events(log.events, c, 120.0) for c in (BUSINESS, v4))
    assert weekly.standings() == per_round.standings()


def test_calendar_days_two_rounds_are_eight_and_four_sevenths_weeks() -> None:
    now = 2 * CALENDAR.round_hours  # 60 calendar days = 2 × 171.43 business hours
    weeks, score = profit_of(CALENDAR, 20_000.0, 200_000.0, now)
    assert weeks == pytest.approx(60 / 7)  # 342.857 h ÷ 40 h
    # 100 × 20,000 ÷ 200,000 ÷ (60/7) = 7/6 % a week → 50 + 10 × 7/6 = 61.67
    assert score == pytest.approx(50.0 + 10.0 * 7.0 / 6.0)
    # rules 4 took it per round: 10 % ÷ 2 rounds = 5 % a round, at the clamp
    _, per_round = profit_of(dataclasses.replace(CALENDAR, rules=4), 20_000.0, 200_000.0, now)
    assert per_round == 100.0


def test_calendar_days_a_loss_of_three_percent_a_week_scores_20() -> None:
    now = 10 * CALENDAR.week_hours  # 70 calendar days, 10 business weeks
    weeks, score = profit_of(CALENDAR, -60_000.0, 200_000.0, now)  # −30 % over 10 weeks
    assert weeks == 10.0
    assert score == pytest.approx(20.0)


def test_the_first_week_is_not_blown_up() -> None:
    assert weeks_played(0.0, 40.0) == 1.0
    assert weeks_played(20.0, 40.0) == 1.0
    assert weeks_played(60.0, 40.0) == 1.5
    weeks, score = profit_of(BUSINESS, 300.0, 10_000.0, now=10.0)  # 3 % in the first week
    assert (weeks, score) == (1.0, pytest.approx(80.0))


def test_the_explanation_shows_the_weekly_return_the_weeks_and_the_anchors() -> None:
    now = 2 * CALENDAR.round_hours
    board = score_events(earned(20_000.0, 200_000.0).events, CALENDAR, now)
    explained = board.explain("A", "profit")
    assert explained.value == 20_000.0
    assert "÷ starting capital 200000.00 ÷ business weeks played 8.5714" in explained.formula
    assert "(= max(1, t 342.86 h ÷ 40 h a business week))" in explained.formula
    assert "= 1.17 % per business week" in explained.formula
    assert "= 61.67" in explained.formula
    assert "(scale: -5 % a business week → 0, 0 % → 50, +5 % → 100)" in explained.formula
    composite = board.explain("A", "composite")
    assert "return on capital % per business week" in composite.formula
    v4 = score_events(earned(20_000.0, 200_000.0).events, dataclasses.replace(CALENDAR, rules=4), now)
    assert "= 5.00 % per round" in v4.explain("A", "profit").formula
    assert "business week" not in v4.explain("A", "composite").formula


# --- properties ---------------------------------------------------------------------------------


def team(name: str, profit: float, capital: float, t: float, config: ScoringConfig) -> TeamMetrics:
    base: dict[str, object] = dict(
        conversion=40.0, satisfaction=60.0, receivables=80.0, cash=0.0, collected=1000.0,
        dso_days=None, overdue_share=None, bad_debt_ratio=None, aging=None, due_total=0.0, collected_due=0.0,
        written_off=0.0, won=0, lost=0, declined=0, expired=0, inquiries=0, quoted=0, customers=0,
        invoices_due=0, complaints_opened=0, complaints_resolved=0, complaints_resolved_within_sla=0,
        mean_reply_hours=None, last_change_t=None,
    )  # fmt: skip
    return TeamMetrics(
        team=name,
        profit=profit,
        capital=capital,
        rounds=max(1.0, t / config.round_hours),
        weeks=weeks_played(t, config.week_hours),
        **base,  # type: ignore[arg-type]
    )


PROFITS = st.floats(-1e6, 1e6, allow_nan=False)
CAPITALS = st.floats(1.0, 1e6)
TIMES = st.floats(0.0, 5000.0)


@given(PROFITS, PROFITS, CAPITALS, TIMES, st.sampled_from([BUSINESS, CALENDAR]))
def test_the_score_never_falls_as_profit_rises(
    a: float, b: float, capital: float, t: float, config: ScoringConfig
) -> None:
    low, high = sorted((a, b))
    rows = [team("L", low, capital, t, config), team("H", high, capital, t, config)]
    scores = {r.team: profit_score(r.profit, r.capital, profit_periods(r, config)) for r in rows}
    assert scores["L"] is not None and scores["H"] is not None
    assert 0.0 <= scores["L"] <= scores["H"] <= 100.0
    composites = {s.team: s.composite for s in rank_teams(rows, config)}
    assert composites["L"] <= composites["H"]


@given(PROFITS, CAPITALS, TIMES, st.sampled_from([BUSINESS, CALENDAR]), st.floats(-1e6, 1e6))
def test_equal_profits_score_equally_whatever_the_others_made(
    profit: float, capital: float, t: float, config: ScoringConfig, other: float
) -> None:
    rows = [
        team("A", profit, capital, t, config),
        team("B", profit, capital, t, config),
        team("C", other, capital, t, config),
    ]
    parts = {s.team: s.composite for s in rank_teams(rows, config)}
    assert parts["A"] == parts["B"]
    alone = {s.team: s.composite for s in rank_teams(rows[:2], config)}
    assert alone["A"] == parts["A"]  # raw normalisation: a third team's result moves nothing
