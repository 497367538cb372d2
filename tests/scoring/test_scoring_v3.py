"""Rules v3 scoring on hand-built logs: an invoice's expected loss until due comes from the terms
granted on its order beyond those its customer asked for (docs/scoring.md, "Rules v3")."""

from __future__ import annotations

import pytest

from market.events import InquiryReceived, InvoiceIssued, OrderWon
from scoring import ScoringConfig, Weights, score_events
from scoring.expected_loss import terms_loss_rate
from scoring.explain import InvoiceRisk
from tests.scoring.builders import Log

HORIZON = 15.0
V2 = ScoringConfig(rules=2, weights=Weights.for_rules(2), loss_horizon_days=HORIZON)
V3 = ScoringConfig(rules=3, weights=Weights.for_rules(3), loss_horizon_days=HORIZON)
DAY = 8.0


def sale(log: Log, team: str, name: str, asked: float, granted: float, amount: float, t: float = 0.0) -> None:
    """An inquiry asking ``asked`` days of credit, won with ``granted`` days, invoiced at ``t``."""
    log.add(
        InquiryReceived,
        t,
        team=team,
        inquiry_id=name,
        request_id=f"r-{name}",
        customer_id=f"c-{name}",
        segment="smb",
        quantity=1,
        list_price=amount,
        list_discount=0.0,
        requested_terms=asked,
        wanted_delivery=5.0,
        expires_t=t + 16.0,
        repeat=False,
    )
    log.add(
        OrderWon,
        t,
        team=team,
        order_id=f"o-{name}",
        inquiry_id=name,
        customer_id=f"c-{name}",
        segment="smb",
        quantity=1,
        unit_price=amount,
        terms_days=granted,
        delivery_days=0.0,
        installments=1,
        delivery_due_t=t,
        reply_hours=0.5,
    )
    log.add(
        InvoiceIssued,
        t,
        team=team,
        invoice_id=f"inv-{name}",
        order_id=f"o-{name}",
        customer_id=f"c-{name}",
        amount=amount,
        due_t=t + granted * DAY,
        installment=1,
        installments=1,
    )


def league() -> Log:
    log = Log()
    log.join("A", cash=10_000.0)
    log.join("B", cash=10_000.0)
    return log


def test_the_loss_rate_until_due_rises_with_the_terms_granted_beyond_those_asked() -> None:
    assert terms_loss_rate(7.0, 7.0) == 0.03
    assert terms_loss_rate(3.0, 7.0) == 0.03  # less than asked: no excess
    assert terms_loss_rate(15.0, 7.0) == pytest.approx(0.03 * (1 + 0.5 * 8 / 7))
    assert terms_loss_rate(15.0, 0.0) == pytest.approx(0.03 * (1 + 0.5 * 15))  # a cash buyer: vs 1 day
    assert terms_loss_rate(10_000.0, 0.0) == 1.0


def test_an_invoice_granted_more_than_asked_carries_its_risk_before_it_falls_due() -> None:
    log = league()
    sale(log, "A", "fair", asked=7.0, granted=7.0, amount=1000.0)
    sale(log, "B", "long", asked=7.0, granted=15.0, amount=1000.0)
    now = 2 * DAY  # nothing due yet
    v3 = score_events(log.events, V3, now).metrics()
    v2 = score_events(log.events, V2, now).metrics()
    long_rate = 0.03 * (1 + 0.5 * 8 / 7)
    assert v3["A"].expected_loss == pytest.approx(30.0)
    assert v3["B"].expected_loss == pytest.approx(1000.0 * long_rate)
    assert v3["B"].receivables == pytest.approx(100.0 - 1000.0 * long_rate)
    assert v3["B"].profit == pytest.approx(1000.0 * (1 - long_rate))
    # rules v2 saw no difference until the invoice fell due
    assert v2["A"].expected_loss == v2["B"].expected_loss == pytest.approx(30.0)
    assert v2["A"].receivables == v2["B"].receivables


def test_past_due_the_loss_probability_rises_from_the_invoices_own_rate_to_one() -> None:
    log = league()
    sale(log, "B", "long", asked=0.0, granted=15.0, amount=1000.0)
    rate = 0.03 * (1 + 0.5 * 15)
    due = 15 * DAY
    for days, expected in ((0.0, rate), (5.0, rate + (1 - rate) * 5 / HORIZON), (20.0, 1.0)):
        m = score_events(log.events, V3, due + days * DAY).metrics()["B"]
        assert m.expected_loss == pytest.approx(1000.0 * expected), days


def test_the_explanation_shows_each_invoices_own_rate_and_the_rule() -> None:
    log = league()
    sale(log, "B", "long", asked=5.0, granted=15.0, amount=1000.0)
    sale(log, "B", "asked", asked=5.0, granted=5.0, amount=500.0)
    board = score_events(log.events, V3, DAY)
    explained = board.explain("B", "receivables")
    risks = {i.invoice_id: i for i in explained.items if isinstance(i, InvoiceRisk)}
    assert risks["inv-long"].loss_probability == pytest.approx(0.03 * (1 + 0.5 * 10 / 5))
    assert risks["inv-asked"].loss_probability == 0.03
    assert "days granted beyond those asked" in explained.formula
    assert "beyond those asked" not in score_events(log.events, V2, DAY).explain("B", "receivables").formula


def test_a_won_order_without_its_inquiry_in_the_log_counts_as_asked() -> None:
    log = league()
    log.add(
        OrderWon,
        0.0,
        team="A",
        order_id="o-x",
        inquiry_id="x",
        customer_id="c",
        segment="smb",
        quantity=1,
        unit_price=100.0,
        terms_days=30.0,
        delivery_days=0.0,
        installments=1,
        delivery_due_t=0.0,
        reply_hours=0.5,
    )
    log.add(
        InvoiceIssued,
        0.0,
        team="A",
        invoice_id="inv-x",
        order_id="o-x",
        customer_id="c",
        amount=100.0,
        due_t=240.0,
        installment=1,
        installments=1,
    )
    assert score_events(log.events, V3, 1.0).metrics()["A"].expected_loss == pytest.approx(3.0)
