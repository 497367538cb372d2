"""Composite, normalisation, weights and ranking rules of the standings."""

from __future__ import annotations

import math

import pytest

from scoring import (
    Scoreboard,
    ScoringConfig,
    ScoringError,
    Standing,
    Weights,
    min_max,
    normalise,
    rank_scale,
    score_events,
    zscore_scale,
)
from tests.scoring.builders import Log

THREE_METRICS = Weights(conversion=35, satisfaction=35, receivables=30, profit=0, rubric=0)
"""DESIGN §6's weights without profit: keeps the arithmetic of these tests readable."""


def board(log: Log, **config: object) -> Scoreboard:
    config.setdefault("weights", THREE_METRICS)
    return score_events(log.events, ScoringConfig(**config))  # type: ignore[arg-type]


def test_default_weights_count_profit() -> None:
    """Salesfloor's defaults (docs/scoring.md): conversion 30, satisfaction 30, receivables 25, profit 15."""
    assert Weights() == Weights(conversion=30, satisfaction=30, receivables=25, profit=15, rubric=0)
    g = two_teams()
    g.invoice("A", "v1", 100.0, t=3.0)
    s = by_team(score_events(g.events).standings())
    # A: conversion 100, satisfaction 60, profit +100 (owed) → scaled 100; B: 0, 60, profit 0 → 0
    assert s["A"].composite == pytest.approx((30 * 100 + 30 * 60 + 15 * 100) / 75)
    assert s["B"].composite == pytest.approx((30 * 0 + 30 * 60 + 15 * 0) / 75)


def by_team(standings: list[Standing]) -> dict[str, Standing]:
    return {s.team: s for s in standings}


def two_teams() -> Log:
    """A: conversion 100, satisfaction 60. B: conversion 0, satisfaction 60. Nothing due."""
    g = Log()
    g.join("A")
    g.join("B")
    g.inquiry("A", "i1", "c1", t=1.0)
    g.inquiry("B", "i2", "c1", t=1.0)
    g.won("A", "i1", "c1", t=2.0)
    g.lost("B", "i2", "c1", t=2.0)
    return g


def test_metric_no_team_has_is_left_out_and_weights_renormalised() -> None:
    s = by_team(board(two_teams()).standings())
    assert s["A"].composite == pytest.approx((35 * 100 + 35 * 60) / 70)
    assert s["B"].composite == pytest.approx((35 * 0 + 35 * 60) / 70)
    assert s["A"].receivables is None


def test_team_without_a_value_others_have_gets_zero() -> None:
    g = two_teams()
    g.invoice("A", "v1", 100.0, t=3.0)
    g.pay("A", "v1", 100.0, t=3.0)
    g.due("A", "v1", t=4.0)
    s = by_team(board(g).standings())
    assert s["A"].composite == pytest.approx((35 * 100 + 35 * 60 + 30 * 100) / 100)
    assert s["B"].composite == pytest.approx((35 * 0 + 35 * 60 + 30 * 0) / 100)


def test_weights_change_the_composite() -> None:
    s = by_team(
        board(two_teams(), weights=Weights(conversion=1, satisfaction=3, receivables=0, profit=0)).standings()
    )
    assert s["A"].composite == pytest.approx((100 + 3 * 60) / 4)
    assert s["B"].composite == pytest.approx(3 * 60 / 4)


def test_no_metric_available_gives_zero() -> None:
    g = Log()
    g.join("A")
    g.join("B")
    assert [s.composite for s in board(g).standings()] == [0.0, 0.0]


def profits(*amounts: float) -> Log:
    g = Log()
    teams = "ABCDE"[: len(amounts)]
    for team in teams:
        g.join(team)
    for team, amount in zip(teams, amounts, strict=True):
        if amount:  # earned in full: invoiced and paid
            g.invoice(team, f"v{team}", amount, t=1.0)
            g.pay(team, f"v{team}", amount, t=1.0)
    return g


def test_profit_is_min_max_scaled() -> None:
    weights = Weights(conversion=0, satisfaction=0, receivables=0, profit=1)
    s = by_team(board(profits(100.0, 0.0, 50.0), weights=weights).standings())
    assert (s["A"].composite, s["B"].composite, s["C"].composite) == (100.0, 0.0, 50.0)
    assert s["A"].profit == 100.0
    equal = board(profits(20.0, 20.0), weights=weights).standings()
    assert [x.composite for x in equal] == [50.0, 50.0]


def test_rubric_comes_from_extra() -> None:
    weights = Weights(conversion=50, satisfaction=0, receivables=0, rubric=50, profit=0)
    s = by_team(board(two_teams(), weights=weights).standings(extra={"rubric": {"B": 80.0}}))
    assert s["A"].composite == 50.0  # rubric missing → 0
    assert s["B"].composite == 40.0
    assert (s["A"].rubric, s["B"].rubric) == (None, 80.0)
    without = by_team(board(two_teams(), weights=weights).standings())
    assert without["A"].composite == 100.0  # no team has a rubric → left out


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"style": {"A": 1.0}}, "extra"),
        ({"rubric": {"Z": 1.0}}, "extra.rubric"),
        ({"rubric": {"A": 101.0}}, "extra.rubric.A"),
        ({"rubric": {"A": math.nan}}, "extra.rubric.A"),
    ],
)
def test_bad_extra_is_rejected(extra: dict[str, dict[str, float]], field: str) -> None:
    with pytest.raises(ScoringError) as err:
        board(two_teams()).standings(extra=extra)
    assert err.value.field == field


def test_rank_normalisation() -> None:
    g = Log()
    for team in "ABCD":
        g.join(team)
    for team, outcomes in {"A": "ww", "B": "wl", "C": "lw", "D": "ll"}.items():
        for i, outcome in enumerate(outcomes):
            (g.won if outcome == "w" else g.lost)(team, f"{team}{i}", "c1", 1.0)
    weights = Weights(conversion=1, satisfaction=0, receivables=0, profit=0)
    s = by_team(board(g, weights=weights, normalisation="rank").standings())
    assert [s[t].composite for t in "ABCD"] == [100.0, 50.0, 50.0, 0.0]
    single = Log()
    single.join("A")
    single.lost("A", "i1", "c1", 1.0)
    assert board(single, weights=weights, normalisation="rank").standings()[0].composite == 100.0


def test_zscore_normalisation() -> None:
    weights = Weights(conversion=1, satisfaction=0, receivables=0, profit=0)
    s = by_team(board(two_teams(), weights=weights, normalisation="zscore").standings())
    assert (s["A"].composite, s["B"].composite) == (60.0, 40.0)
    same = by_team(board(two_teams(), weights=Weights(0, 1, 0, profit=0), normalisation="zscore").standings())
    assert (same["A"].composite, same["B"].composite) == (50.0, 50.0)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([1.0], [100.0]),
        ([3.0, 1.0, 2.0], [100.0, 0.0, 50.0]),
        ([5.0, 5.0, 5.0], [50.0, 50.0, 50.0]),
        ([9.0, 7.0, 7.0, 7.0, 1.0], [100.0, 50.0, 50.0, 50.0, 0.0]),
        ([0.0, 10.0, 10.0], [0.0, 75.0, 75.0]),
    ],
)
def test_rank_scale(values: list[float], expected: list[float]) -> None:
    assert rank_scale(values) == expected


def test_zscore_scale_clips_and_centres() -> None:
    assert zscore_scale([2.0, 2.0]) == [50.0, 50.0]
    assert zscore_scale([0.0, 100.0]) == [40.0, 60.0]
    spread = zscore_scale([0.0] * 199 + [100.0])
    assert spread[-1] == 100.0 and all(40 < v < 50 for v in spread[:-1])
    assert zscore_scale([1.0, 2.0, 3.0]) == pytest.approx(
        [50 - 10 * math.sqrt(1.5), 50.0, 50 + 10 * math.sqrt(1.5)]
    )


def test_min_max_and_raw() -> None:
    assert min_max([10.0, 20.0, 15.0]) == [0.0, 100.0, 50.0]
    assert min_max([-4.0, -4.0]) == [50.0, 50.0]
    assert normalise([120.0, -1.0, 42.0], "raw") == [100.0, 0.0, 42.0]


# --- ties ---------------------------------------------------------------------------------------


def tied(collected_a: float, collected_b: float, change_a: float, change_b: float) -> Log:
    """A and B with the same composite (conversion 100), given cash collected and closing times."""
    g = Log()
    g.join("B")
    g.join("A")
    for team, collected in (("A", collected_a), ("B", collected_b)):
        g.invoice(team, f"v{team}", 1000.0)
        if collected:
            g.pay(team, f"v{team}", collected)
    first, second = sorted((("A", change_a), ("B", change_b)), key=lambda x: x[1])
    for team, t in (first, second):
        g.won(team, f"i{team}", "c1", t)
    return g


def order(log: Log) -> list[str]:
    standings = board(log, weights=Weights(conversion=1, satisfaction=0, receivables=0, profit=0)).standings()
    assert [s.rank for s in standings] == list(range(1, len(standings) + 1))
    assert len({s.composite for s in standings}) == 1
    return [s.team for s in standings]


def test_tie_broken_by_collected_cash() -> None:
    assert order(tied(10.0, 20.0, 1.0, 2.0)) == ["B", "A"]
    assert order(tied(20.0, 10.0, 2.0, 1.0)) == ["A", "B"]


def test_tie_then_broken_by_who_reached_the_score_first() -> None:
    assert order(tied(10.0, 10.0, 3.0, 2.0)) == ["B", "A"]
    assert order(tied(10.0, 10.0, 2.0, 3.0)) == ["A", "B"]


def test_complete_tie_broken_by_team_id() -> None:
    assert order(tied(10.0, 10.0, 2.0, 2.0)) == ["A", "B"]


def test_composite_rank_beats_tie_rules() -> None:
    g = tied(10.0, 99.0, 1.0, 1.0)
    g.lost("B", "x", "c1", 5.0)
    standings = board(g, weights=Weights(conversion=1, satisfaction=0, receivables=0, profit=0)).standings()
    assert [(s.rank, s.team) for s in standings] == [(1, "A"), (2, "B")]


# --- configuration --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: Weights(conversion=-1), "weights.conversion"),
        (lambda: Weights(profit=math.inf), "weights.profit"),
        (lambda: Weights(rubric="x"), "weights.rubric"),  # type: ignore[arg-type]
        (lambda: Weights(0, 0, 0, 0, 0), "weights"),
        (lambda: ScoringConfig(hours_per_day=0), "hours_per_day"),
        (lambda: ScoringConfig(round_hours=-40), "round_hours"),
        (lambda: ScoringConfig(initial_satisfaction=1.5), "initial_satisfaction"),
        (lambda: ScoringConfig(normalisation="median"), "normalisation"),  # type: ignore[arg-type]
        (lambda: ScoringConfig(weights={"conversion": 1}), "weights"),  # type: ignore[arg-type]
    ],
)
def test_bad_configuration_names_the_field(make: object, field: str) -> None:
    with pytest.raises(ScoringError) as err:
        make()  # type: ignore[operator]
    assert err.value.field == field
    assert field in str(err.value)
