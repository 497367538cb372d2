"""Explanations: every figure opens up to the events behind it."""

from __future__ import annotations

import pytest

from market.events import InquiryDeclined, InquiryExpired, InquiryLost, OrderWon, TeamEvent
from scoring import (
    ClosedInquiry,
    CompositePart,
    CustomerSatisfaction,
    DueInvoice,
    ScoringError,
    score_events,
)
from tests.scoring.builders import Log


def log() -> Log:
    g = Log()
    g.join("A")
    g.join("B")
    g.inquiry("A", "i1", "c1", 1.0)
    g.inquiry("A", "i2", "c2", 1.0)
    g.inquiry("A", "i3", "c2", 1.0)
    g.inquiry("B", "i4", "c1", 1.0)
    g.inquiry("A", "i5", "c3", 1.0)
    g.won("A", "i1", "c1", 2.0)
    g.lost("A", "i2", "c2", 2.0, reason="price")
    g.won("B", "i4", "c1", 2.0)
    g.declined("A", "i3", "c2", 3.0, reason="credit")
    g.expired("A", "i5", "c3", 3.5)
    g.sat("A", "c1", 0.8, 4.0)
    g.sat("A", "c1", 0.9, 5.0)
    g.invoice("A", "v1", 100.0, 5.0)
    g.invoice("A", "v2", 50.0, 5.0)
    g.pay("A", "v1", 40.0, 6.0)
    g.due("A", "v1", 7.0)
    g.write_off("A", "v1", 8.0)
    return g


def test_conversion_lists_exactly_the_team_closing_events() -> None:
    events = log().events
    explanation = score_events(events).explain("A", "conversion")
    closing = (OrderWon, InquiryLost, InquiryDeclined, InquiryExpired)
    expected = [
        e.seq for e in events if isinstance(e, closing) and isinstance(e, TeamEvent) and e.team == "A"
    ]
    items = [item for item in explanation.items if isinstance(item, ClosedInquiry)]
    assert [item.seq for item in items] == expected
    assert [(i.inquiry_id, i.outcome, i.reason) for i in items] == [
        ("i1", "won", ""),
        ("i2", "lost", "price"),
        ("i3", "declined", "credit"),
        ("i5", "expired", ""),
    ]
    assert explanation.value == 25.0
    assert "1 ÷ 4" in explanation.formula


def test_satisfaction_lists_customers_with_their_change_seqs() -> None:
    events = log().events
    explanation = score_events(events).explain("A", "satisfaction")
    items = {i.customer_id: i for i in explanation.items if isinstance(i, CustomerSatisfaction)}
    changes = [e.seq for e in events if e.kind == "satisfaction_changed"]
    assert items["c1"] == CustomerSatisfaction("c1", 0.9, 3, tuple(changes))
    assert items["c2"] == CustomerSatisfaction("c2", 0.6, 4, ())
    assert items["c3"] == CustomerSatisfaction("c3", 0.6, 7, ())
    assert explanation.value == pytest.approx(100 * (0.9 + 0.6 + 0.6) / 3)


def test_receivables_lists_due_invoices() -> None:
    events = log().events
    explanation = score_events(events).explain("A", "receivables")
    due_seq = next(e.seq for e in events if e.kind == "invoice_due")
    (item,) = explanation.items
    assert isinstance(item, DueInvoice)
    assert (item.invoice_id, item.amount, item.collected, item.written_off, item.due_seq) == (
        "v1",
        100.0,
        40.0,
        60.0,
        due_seq,
    )
    assert item.seqs == tuple(e.seq for e in events if getattr(e, "invoice_id", None) == "v1")
    assert explanation.value == 40.0


def test_composite_shows_values_weights_and_formula() -> None:
    explanation = score_events(log().events).explain("A", "composite")
    parts = {p.metric: p for p in explanation.items if isinstance(p, CompositePart)}
    assert parts["conversion"] == CompositePart("conversion", 25.0, 25.0, 30.0, True)
    assert parts["receivables"].included and parts["receivables"].value == 40.0
    assert parts["profit"].included and parts["profit"].weight == 15.0
    assert not parts["rubric"].included
    standing = next(s for s in score_events(log().events).standings() if s.team == "A")
    assert explanation.value == standing.composite
    assert "Σ w·m ÷ Σ w" in explanation.formula and "raw" in explanation.formula
    assert "profit min–max scaled" in explanation.formula


def test_explain_rejects_unknown_team_and_metric() -> None:
    board = score_events(log().events)
    with pytest.raises(ScoringError):
        board.explain("Z", "conversion")
    with pytest.raises(ScoringError):
        board.explain("A", "margin")  # type: ignore[arg-type]
