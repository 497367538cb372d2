"""Per-round figures, snapshotted when each round ends."""

from __future__ import annotations

import pytest

from scoring import Scoreboard, ScoringConfig, score_events
from tests.scoring.builders import Log


def season() -> Log:
    g = Log()
    g.join("A")
    g.join("B")
    # round 1: t in [0, 40)
    g.inquiry("A", "i1", "c1", 1.0)
    g.inquiry("A", "i2", "c2", 1.0)
    g.inquiry("B", "i3", "c1", 1.0)
    g.won("A", "i1", "c1", 2.0)
    g.lost("A", "i2", "c2", 2.0)
    g.won("B", "i3", "c1", 2.0)
    g.invoice("A", "v1", 100.0, 2.0)
    g.invoice("B", "v2", 200.0, 2.0)
    g.pay("A", "v1", 30.0, 10.0)
    g.due("A", "v1", 20.0)
    g.pay("A", "v1", 20.0, 30.0)  # after due, within round 1
    g.sat("A", "c1", 0.9, 35.0)
    g.round_end(1, 40.0)
    # round 2: t in [40, 80)
    g.pay("A", "v1", 50.0, 41.0)  # late for round 1's tally
    g.inquiry("A", "i4", "c3", 41.0)
    g.expired("A", "i4", "c3", 50.0)
    g.due("B", "v2", 60.0)
    g.sat("A", "c1", 0.3, 70.0)
    g.round_end(2, 80.0)
    g.inquiry("B", "i5", "c9", 81.0)  # round 3, not ended
    return g


def test_rounds_complete_on_round_ended() -> None:
    rounds = score_events(season().events).round_metrics()
    assert [(r.round, r.t) for r in rounds] == [(1, 40.0), (2, 80.0)]


def test_round_figures() -> None:
    r1, r2 = score_events(season().events).round_metrics()
    a1, b1 = r1.by_team()["A"], r1.by_team()["B"]
    assert (a1.won, a1.closed, a1.conversion) == (1, 2, 50.0)
    assert (a1.due_total, a1.collected_due, a1.receivables) == (100.0, 50.0, 50.0)
    assert a1.satisfaction == pytest.approx(100 * (0.9 + 0.6) / 2)
    assert (b1.conversion, b1.receivables, b1.satisfaction) == (100.0, None, 60.0)
    a2, b2 = r2.by_team()["A"], r2.by_team()["B"]
    assert (a2.won, a2.closed, a2.conversion) == (0, 1, 0.0)
    assert (a2.due_total, a2.receivables) == (0.0, None)  # nothing of A fell due in round 2
    assert a2.satisfaction == pytest.approx(100 * (0.3 + 0.6 + 0.6) / 3)
    assert (b2.closed, b2.conversion, b2.receivables) == (0, None, 0.0)


def test_round_composite_and_rank_are_the_cumulative_standings_at_round_end() -> None:
    events = season().events
    for end in (e for e in events if e.kind == "round_ended"):
        cut = score_events(events[: events.index(end) + 1])
        snapshot = cut.round_metrics()[-1]
        assert [(row.team, row.rank, row.composite) for row in snapshot.teams] == [
            (s.team, s.rank, s.composite) for s in cut.standings()
        ]


def test_later_events_do_not_change_a_finished_round() -> None:
    events = season().events
    end_of_round_1 = next(i for i, e in enumerate(events) if e.kind == "round_ended")
    early = score_events(events[: end_of_round_1 + 1]).round_metrics()
    assert score_events(events).round_metrics()[0] == early[0]


def test_round_windows_follow_round_hours() -> None:
    g = Log()
    g.join("A")
    g.won("A", "i1", "c1", 10.0)  # round 2 when rounds are 8 hours
    board = Scoreboard(ScoringConfig(round_hours=8.0))
    board.apply_all(g.events)
    g.round_end(2, 16.0)
    board.apply(g.events[-1])
    (r2,) = board.round_metrics()
    assert (r2.round, r2.by_team()["A"].closed) == (2, 1)
