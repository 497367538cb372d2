"""The team's account (market.accounts): cash, invoice balances, the open set and the aging."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from market import events as ev
from market.accounts import AGING_BUCKETS, Account, Aging, InvoiceBalance, aging_bucket, days_past_due

HOURS_PER_DAY = 8.0


class Book:
    """An account fed hand-written events of team A, numbered as they come."""

    def __init__(self, account: Account[InvoiceBalance] | None = None) -> None:
        self.account = account or Account(InvoiceBalance)
        self.seq = 0

    def add(self, kind: type[ev.TeamEvent], t: float = 0.0, **fields: object) -> None:
        self.seq += 1
        self.account.observe(kind(seq=self.seq, t=t, team="A", **fields))  # type: ignore[arg-type]

    def invoice(self, invoice_id: str, amount: float, t: float = 0.0, due_t: float = 80.0) -> None:
        self.add(
            ev.InvoiceIssued,
            t,
            invoice_id=invoice_id,
            order_id="o1",
            customer_id="c1",
            amount=amount,
            due_t=due_t,
            installment=1,
            installments=1,
        )

    def pay(self, invoice_id: str, amount: float, t: float = 0.0) -> None:
        self.add(
            ev.PaymentReceived, t, invoice_id=invoice_id, customer_id="c1", amount=amount, via="customer"
        )


def test_cash_is_the_sum_of_every_events_cash_delta() -> None:
    book = Book()
    book.add(ev.TeamJoined, starting_cash=1000.0)
    book.add(ev.OrderDelivered, order_id="o1", customer_id="c1", late_days=0.0, defect=False, cogs=300.0)
    book.invoice("v1", 500.0)
    book.pay("v1", 200.0)
    book.add(ev.RefundPaid, invoice_id="v1", amount=50.0)
    book.add(ev.CampaignLaunched, campaign_id="m1", segment="smb", budget=25.0, ends_t=40.0)
    book.add(ev.SurveyRequested, customer_id="c1", cost=5.0)
    assert book.account.cash == 1000.0 - 300.0 + 200.0 - 50.0 - 25.0 - 5.0


def test_a_balance_is_net_amount_less_what_was_collected() -> None:
    book = Book()
    book.invoice("v1", 500.0)
    book.pay("v1", 200.0)
    book.add(ev.CreditNoteIssued, invoice_id="v1", amount=100.0, reason="late")
    book.add(ev.RefundPaid, invoice_id="v1", amount=50.0)
    balance = book.account.invoices["v1"]
    assert (balance.amount, balance.collected, balance.outstanding) == (350.0, 150.0, 200.0)
    assert book.account.open_total == 200.0
    assert list(book.account.open) == ["v1"]


def test_paid_in_full_and_written_off_invoices_leave_the_open_set() -> None:
    book = Book()
    book.invoice("paid", 100.0)
    book.invoice("gone", 300.0)
    book.invoice("held", 40.0)
    book.pay("paid", 99.996)  # within half a cent: settled
    book.add(ev.InvoiceHandedOver, invoice_id="held", customer_id="c1", outstanding=40.0)
    book.add(ev.InvoiceWrittenOff, invoice_id="gone", customer_id="c1", amount=300.0, by="team")
    assert list(book.account.open) == ["held"]  # a hand-over changes no balance
    assert book.account.open_total == pytest.approx(40.0)
    assert book.account.invoices["gone"].written_off == 300.0


def test_aging_buckets_open_amounts_by_days_past_their_due_date() -> None:
    book = Book()
    for invoice_id, amount, due_t in [
        ("future", 1.0, 801.0),
        ("today", 2.0, 800.0),
        ("day30", 4.0, 800.0 - 30 * HOURS_PER_DAY),
        ("day45", 8.0, 800.0 - 45 * HOURS_PER_DAY),
        ("day90", 16.0, 800.0 - 90 * HOURS_PER_DAY),
        ("day91", 32.0, 800.0 - 91 * HOURS_PER_DAY),
    ]:
        book.invoice(invoice_id, amount, due_t=due_t)
    book.invoice("settled", 64.0, due_t=0.0)
    book.pay("settled", 64.0)
    aging = book.account.aging(800.0, HOURS_PER_DAY)
    assert aging == Aging(current=1.0, days_1_30=6.0, days_31_60=8.0, days_61_90=16.0, days_90_plus=32.0)
    assert aging.total == 63.0
    assert list(aging.as_dict()) == list(AGING_BUCKETS)


def test_the_bucket_rule_and_days_past_due() -> None:
    assert days_past_due(100.0, 60.0, HOURS_PER_DAY) == 5.0
    assert days_past_due(60.0, 100.0, HOURS_PER_DAY) == -5.0
    assert [aging_bucket(now, 0.0, 1.0) for now in (-0.5, 0.0, 30.0, 30.5, 60.0, 61.0, 90.0, 90.5)] == [
        "current",
        "1-30",
        "1-30",
        "31-60",
        "31-60",
        "61-90",
        "61-90",
        "90+",
    ]


@dataclass(slots=True)
class TaggedBalance(InvoiceBalance):
    tags: list[int] | None = None


def test_a_reader_may_keep_its_own_record_per_invoice() -> None:
    book = Book(Account(TaggedBalance))
    book.invoice("v1", 10.0)
    balance = book.account.invoices["v1"]
    assert isinstance(balance, TaggedBalance)
    assert (balance.invoice_id, balance.customer_id, balance.due_t, balance.amount) == (
        "v1",
        "c1",
        80.0,
        10.0,
    )
