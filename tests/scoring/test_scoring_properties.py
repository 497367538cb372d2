"""Hypothesis properties of the scoreboard over random valid logs of 2–5 teams."""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Sequence

from hypothesis import given, settings
from hypothesis import strategies as st

from market.events import (
    Event,
    InquiryDeclined,
    InquiryExpired,
    InquiryLost,
    InvoiceDue,
    InvoiceIssued,
    InvoiceWrittenOff,
    OrderVoided,
    OrderWon,
    RoundEnded,
    TeamEvent,
    TeamJoined,
)
from scoring import (
    METRICS,
    RULES_VERSIONS,
    Scoreboard,
    ScoringConfig,
    Standing,
    Weights,
    composite_parts,
    score_events,
)
from tests.scoring.reference import _invoice_state, reference_metrics
from tests.scoring.strategies import ROUND_HOURS, TEAM_IDS, competitions, permute_joins, rename

SETTINGS = settings(max_examples=150, deadline=None)
EXPLAINED = ("conversion", "satisfaction", "receivables", "profit", "composite")


@st.composite
def configs(draw: st.DrawFn, exact: bool = False) -> ScoringConfig:
    weight = st.sampled_from([0.0, 1.0, 30.0, 35.0]) if exact else st.floats(0.0, 100.0)
    values = draw(st.lists(weight, min_size=len(METRICS), max_size=len(METRICS)).filter(lambda w: sum(w) > 0))
    return ScoringConfig(
        hours_per_day=draw(st.sampled_from([8.0, 8 * 5 / 7])),
        round_hours=ROUND_HOURS,
        initial_satisfaction=0.625 if exact else draw(st.floats(0.0, 1.0)),
        weights=Weights(*values),
        normalisation=draw(st.sampled_from(["raw", "rank", "zscore"])),
        # the naive reference (exact) is written for rules v1; every other property holds for all
        rules=1 if exact else draw(st.sampled_from(RULES_VERSIONS)),
        loss_horizon_days=draw(st.sampled_from([2.0, 15.0])),
        week_hours=draw(st.sampled_from([40.0, 13.0])),  # v5: a week other than the round too
    )


# --- (1) incremental == recompute ------------------------------------------------------------------


@SETTINGS
@given(competitions(exact=False), configs(), st.data())
def test_incremental_fold_equals_recompute_at_any_cut(
    events: list[Event], config: ScoringConfig, data: st.DataObject
) -> None:
    cuts = sorted(set(data.draw(st.lists(st.integers(0, len(events)), min_size=1, max_size=4))))
    board = Scoreboard(config)
    done = 0
    for cut in cuts:
        board.apply_all(events[done:cut])
        done = cut
        fresh = score_events(events[:cut], config)
        assert board.now == fresh.now
        for now in (None, board.now + 250.0):
            assert board.metrics(now) == fresh.metrics(now)
            assert board.standings(now) == fresh.standings(now)
        assert board.round_metrics() == fresh.round_metrics()
        for team in board.teams:
            for metric in EXPLAINED:
                assert board.explain(team, metric) == fresh.explain(team, metric)  # type: ignore[arg-type]


@SETTINGS
@given(competitions(exact=True), configs(exact=True), st.integers(0, 2000))
def test_fold_agrees_exactly_with_a_naive_recomputation(
    events: list[Event], config: ScoringConfig, later: int
) -> None:
    board = score_events(events, config)
    now = board.now + later / 4
    reference = reference_metrics(events, config, now)
    metrics = board.metrics(now)
    assert list(metrics) == list(reference)
    for team, row in reference.items():
        actual = metrics[team]
        for name, expected in row.items():
            value = actual.aging.as_dict() if name == "aging" else getattr(actual, name)
            assert value == expected, (team, name)


@SETTINGS
@given(competitions(exact=True), configs(exact=True))
def test_round_figures_agree_with_a_naive_recomputation(events: list[Event], config: ScoringConfig) -> None:
    rounds = {r.round: r for r in score_events(events, config).round_metrics()}
    ends = [i for i, e in enumerate(events) if isinstance(e, RoundEnded)]
    assert sorted(rounds) == [events[i].round for i in ends]  # type: ignore[attr-defined]
    for i in ends:
        end = events[i]
        assert isinstance(end, RoundEnded)
        prefix = events[: i + 1]
        snapshot = rounds[end.round]
        assert [(r.team, r.rank, r.composite) for r in snapshot.teams] == [
            (s.team, s.rank, s.composite) for s in score_events(prefix, config).standings()
        ]
        for row in snapshot.teams:
            won, closed, due, collected = _round_reference(prefix, row.team, end.round, config)
            assert (row.won, row.closed, row.due_total, row.collected_due) == (won, closed, due, collected)


def _round_reference(
    events: Sequence[Event], team: str, r: int, config: ScoringConfig
) -> tuple[int, int, float, float]:
    evs = [e for e in events if isinstance(e, TeamEvent) and e.team == team]
    inside = [e for e in evs if config.round_of(e.t) == r]
    cancelled = {e.order_id for e in evs if isinstance(e, OrderVoided)}
    won = sum(isinstance(e, OrderWon) and e.order_id not in cancelled for e in inside)
    closed = sum(isinstance(e, OrderWon | InquiryLost | InquiryDeclined | InquiryExpired) for e in inside)
    due = collected = 0.0
    for inv in (e for e in evs if isinstance(e, InvoiceIssued)):
        history = [e for e in evs if getattr(e, "invoice_id", None) == inv.invoice_id]
        entry = next((e for e in history if isinstance(e, InvoiceDue | InvoiceWrittenOff)), None)
        if entry is not None and config.round_of(entry.t) == r:
            amount, got = _invoice_state(history)
            due += amount
            collected += got
    return won, closed, due, collected


@SETTINGS
@given(competitions(exact=False))
def test_conversion_explanation_lists_exactly_the_closing_events(events: list[Event]) -> None:
    board = score_events(events)
    closing = OrderWon | InquiryLost | InquiryDeclined | InquiryExpired
    for team in board.teams:
        cancelled = {e.order_id: e.seq for e in events if isinstance(e, OrderVoided) and e.team == team}
        expected = [
            cancelled.get(e.order_id, e.seq) if isinstance(e, OrderWon) else e.seq
            for e in events
            if isinstance(e, closing) and e.team == team
        ]
        explanation = board.explain(team, "conversion")
        assert [item.seq for item in explanation.items] == expected  # type: ignore[union-attr]
        m = board.metrics()[team]
        assert len(expected) == m.closed


# --- (2) team ids and join order do not matter ---------------------------------------------------


def _tie_key(s: Standing) -> tuple[float, float, float | None]:
    return (s.composite, s.collected, s.last_change_t)


@SETTINGS
@given(competitions(exact=False), configs(), st.data())
def test_renaming_teams_and_join_order_change_no_score(
    events: list[Event], config: ScoringConfig, data: st.DataObject
) -> None:
    teams = [e.team for e in events if isinstance(e, TeamJoined)]
    names = data.draw(st.lists(TEAM_IDS, min_size=len(teams), max_size=len(teams), unique=True))
    mapping = dict(zip(teams, names, strict=True))
    order = data.draw(st.permutations(range(len(teams))))
    before = score_events(events, config)
    after = score_events(permute_joins(rename(events, mapping), order), config)

    m_before, m_after = before.metrics(), after.metrics()
    for old, new in mapping.items():
        assert dataclasses.replace(m_before[old], team=new) == m_after[new]

    s_before = {s.team: s for s in before.standings()}
    s_after = {s.team: s for s in after.standings()}
    ties = Counter(_tie_key(s) for s in s_before.values())
    for old, new in mapping.items():
        assert dataclasses.replace(s_before[old], team=new, rank=0) == dataclasses.replace(
            s_after[new], rank=0
        )
        if ties[_tie_key(s_before[old])] == 1:
            assert s_before[old].rank == s_after[new].rank

    for r_before, r_after in zip(before.round_metrics(), after.round_metrics(), strict=True):
        rows_after = r_after.by_team()
        for row in r_before.teams:
            other = rows_after[mapping[row.team]]
            assert dataclasses.replace(row, team=other.team, rank=other.rank) == other

    for old, new in mapping.items():
        for metric in EXPLAINED:
            a = before.explain(old, metric)  # type: ignore[arg-type]
            b = after.explain(new, metric)  # type: ignore[arg-type]
            assert dataclasses.replace(a, team=new) == b


# --- (3) bounds -----------------------------------------------------------------------------------


@SETTINGS
@given(competitions(exact=False), configs(), st.data())
def test_every_metric_and_the_composite_stay_within_bounds(
    events: list[Event], config: ScoringConfig, data: st.DataObject
) -> None:
    cut = data.draw(st.integers(0, len(events)))
    board = score_events(events[:cut], config)
    rows = list(board.metrics().values())
    for m in rows:
        for value in (m.conversion, m.satisfaction, m.receivables):
            assert value is None or 0.0 <= value <= 100.0
        for share in (m.overdue_share, m.bad_debt_ratio):
            assert share is None or 0.0 <= share <= 1.0
        assert m.dso_days is None or m.dso_days >= 0.0
    for parts in composite_parts(rows, config).values():
        assert all(0.0 <= p.normalised <= 100.0 for p in parts)
    for s in board.standings():
        assert 0.0 <= s.composite <= 100.0
    for r in board.round_metrics():
        for row in r.teams:
            for value in (row.conversion, row.satisfaction, row.receivables, row.composite):
                assert value is None or 0.0 <= value <= 100.0
