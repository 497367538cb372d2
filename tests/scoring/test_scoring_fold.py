"""The fold itself: log validation, the clock, and incremental use."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from market.events import PaymentReceived, RoundStarted, ShockApplied
from scoring import Scoreboard, ScoringError, score_events
from tests.scoring.builders import Log


def base() -> Log:
    g = Log()
    g.join("A")
    g.invoice("A", "v1", 100.0, 1.0)
    return g


BAD: list[tuple[str, Callable[[Log], object]]] = [
    ("team not joined", lambda g: g.inquiry("Z", "i1", "c1", 2.0)),
    ("team joins twice", lambda g: g.join("A", 2.0)),
    ("invoice issued twice", lambda g: g.invoice("A", "v1", 5.0, 2.0)),
    (
        "payment on unknown invoice",
        lambda g: g.add(
            PaymentReceived, 2.0, team="A", invoice_id="nope", customer_id="c1", amount=1.0, via="x"
        ),
    ),
    ("falls due twice", lambda g: (g.due("A", "v1", 2.0), g.due("A", "v1", 3.0))),
    ("written off twice", lambda g: (g.write_off("A", "v1", 2.0), g.write_off("A", "v1", 3.0))),
    ("time goes back", lambda g: g.inquiry("A", "i1", "c1", 0.5)),
]


@pytest.mark.parametrize("build", [b for _, b in BAD], ids=[name for name, _ in BAD])
def test_malformed_log_is_rejected_and_leaves_the_board_unchanged(build: Callable[[Log], object]) -> None:
    g = base()
    good = len(g.events)
    build(g)
    board = Scoreboard()
    board.apply_all(g.events[: len(g.events) - 1])
    before = (board.metrics(), board.standings(), board.now)
    with pytest.raises(ScoringError):
        board.apply(g.events[-1])
    assert (board.metrics(), board.standings(), board.now) == before
    assert len(g.events) > good


def test_seq_must_increase() -> None:
    g = base()
    board = score_events(g.events)
    with pytest.raises(ScoringError) as err:
        board.apply(RoundStarted(seq=1, t=5.0, round=1))
    assert err.value.field == "seq"


def test_events_scoring_does_not_use_only_move_the_clock() -> None:
    g = base()
    board = score_events(g.events)
    before = board.metrics()
    board.apply(ShockApplied(seq=10, t=7.0, shock="demand", segment="smb", magnitude=0.2))
    assert board.now == 7.0
    assert board.metrics(now=1.0) == score_events(g.events).metrics(now=1.0)
    assert board.metrics()["A"] == before["A"]  # aging of a not-yet-due invoice does not move


def test_clock_and_now() -> None:
    g = base()
    g.due("A", "v1", 41.0)  # issued at 1 with 40 hours to pay
    board = score_events(g.events, now=8.0 + 8 * 40)
    assert board.now == 328.0
    assert board.metrics()["A"].aging.days_31_60 == 100.0
    assert board.metrics(now=16.0)["A"].aging.current == 100.0
    assert board.metrics(now=49.0)["A"].aging.days_1_30 == 100.0
    with pytest.raises(ScoringError):
        board.advance_to(300.0)
    with pytest.raises(ScoringError):
        score_events(g.events, now=1.0)
    assert score_events([]).now == 0.0 and score_events([]).standings() == []


def test_teams_in_any_join_order() -> None:
    board = Scoreboard()
    g = Log()
    g.join("B")
    g.join("A")
    board.apply_all(g.events)
    assert board.teams == ("A", "B")
    assert list(board.metrics()) == ["A", "B"]
