"""Hypothesis: the team console and the board show the same aging and the same cash.

Both read the team's account (``market.accounts``): the console through the desk's
``Ledger`` (``aging(now)`` to the cent, and each open invoice row with its bucket), the board
through ``Scoreboard.metrics(now)``. Random but valid logs of one team — orders and their
invoices, payments, credit notes, refunds, due dates, hand-overs, write-offs, deliveries and
spending — are fed to both, and at a random moment after the last event they must agree. Money
is in quarters, so every sum is exact and the comparison is exact too.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from market import events as ev
from market.calendar import Calendar
from scoring import Scoreboard, ScoringConfig
from teams.ledger import Ledger

TEAM = "A"
QUARTERS = st.integers(1, 4000).map(lambda k: k / 4)


@dataclass
class _Invoice:
    invoice_id: str
    amount: float
    paid: float = 0.0
    due: bool = False
    closed: bool = False


@dataclass
class _Log:
    """Emits valid events of team A and remembers what later events may name."""

    t: float = 0.0
    events: list[ev.Event] = field(default_factory=list)
    invoices: list[_Invoice] = field(default_factory=list)

    def add(self, kind: type[ev.TeamEvent], **fields: Any) -> None:
        self.events.append(kind(seq=len(self.events), t=self.t, team=TEAM, **fields))

    def sale(self, n: int, amount: float, terms: float, delivery_cost: float) -> None:
        """An inquiry won, delivered and invoiced: one order, one invoice due after ``terms`` hours."""
        customer = f"c{n % 3}"
        self.add(
            ev.InquiryReceived,
            inquiry_id=f"q{n}",
            request_id=f"r{n}",
            customer_id=customer,
            segment="smb",
            quantity=1,
            list_price=amount,
            list_discount=0.0,
            requested_terms=terms,
            wanted_delivery=5.0,
            expires_t=self.t + 40.0,
            repeat=False,
        )
        self.add(
            ev.OrderWon,
            order_id=f"o{n}",
            inquiry_id=f"q{n}",
            customer_id=customer,
            segment="smb",
            quantity=1,
            unit_price=amount,
            terms_days=terms / 8,
            delivery_days=0.0,
            installments=1,
            delivery_due_t=self.t,
            reply_hours=0.0,
        )
        self.add(
            ev.OrderDelivered,
            order_id=f"o{n}",
            customer_id=customer,
            late_days=0.0,
            defect=False,
            cogs=delivery_cost,
        )
        self.invoices.append(_Invoice(f"v{n}", amount))
        self.add(
            ev.InvoiceIssued,
            invoice_id=f"v{n}",
            order_id=f"o{n}",
            customer_id=customer,
            amount=amount,
            due_t=self.t + terms,
            installment=1,
            installments=1,
        )

    def act(self, n: int, action: int, pick: int, share: float, money: float) -> None:
        open_invoices = [i for i in self.invoices if not i.closed]
        invoice = open_invoices[pick % len(open_invoices)] if open_invoices else None
        left = 0.0 if invoice is None else invoice.amount - invoice.paid
        part = round(left * share * 4) / 4
        if action == 0 or invoice is None:
            self.sale(n, money, terms=(pick % 5) * 80.0, delivery_cost=round(money * share * 2) / 4)
        elif action == 1 and part > 0:
            self.add(
                ev.PaymentReceived,
                invoice_id=invoice.invoice_id,
                customer_id="c",
                amount=part,
                via="customer",
            )
            invoice.paid += part
            invoice.closed = invoice.amount - invoice.paid <= 0.005
        elif action == 2 and part > 0:
            self.add(ev.CreditNoteIssued, invoice_id=invoice.invoice_id, amount=part, reason="late")
            invoice.amount -= part
            invoice.closed = invoice.amount - invoice.paid <= 0.005
        elif action == 3 and invoice.paid >= 0.25:
            refund = max(0.25, round(invoice.paid * share * 4) / 4)
            self.add(ev.RefundPaid, invoice_id=invoice.invoice_id, amount=refund)
            invoice.amount -= refund
            invoice.paid -= refund
        elif action == 4 and not invoice.due:
            self.add(ev.InvoiceDue, invoice_id=invoice.invoice_id, amount=invoice.amount, outstanding=left)
            invoice.due = True
        elif action == 5:
            self.add(ev.InvoiceHandedOver, invoice_id=invoice.invoice_id, customer_id="c", outstanding=left)
        elif action == 6:
            self.add(
                ev.InvoiceWrittenOff, invoice_id=invoice.invoice_id, customer_id="c", amount=left, by="team"
            )
            invoice.closed = True
        else:
            self.add(
                ev.CampaignLaunched, campaign_id=f"m{n}", segment="smb", budget=part, ends_t=self.t + 40.0
            )


@st.composite
def team_logs(draw: st.DrawFn) -> list[ev.Event]:
    """A valid log of one team: it joins, then sells, collects, forgives, refunds and spends."""
    log = _Log()
    log.add(ev.TeamJoined, starting_cash=draw(QUARTERS))
    steps = st.tuples(
        st.integers(0, 7),  # action
        st.integers(0, 1000),  # which open invoice (or the terms of a sale)
        st.integers(0, 4).map(lambda k: k / 4),  # share of what is left
        QUARTERS,  # an amount
        st.integers(0, 400),  # hours since the last step
    )
    for n, (action, pick, share, money, hours) in enumerate(draw(st.lists(steps, max_size=40))):
        log.t += hours
        log.act(n, action, pick, share, money)
    return log.events


@settings(max_examples=200, deadline=None)
@given(team_logs(), st.integers(0, 2000), st.sampled_from(["business", "calendar"]))
def test_the_consoles_aging_and_cash_are_the_boards(
    events: list[ev.Event], later: int, day_kind: str
) -> None:
    calendar = Calendar(day_kind=day_kind)  # type: ignore[arg-type]
    ledger = Ledger(TEAM, unit_cost=1.0, order_cost=0.0, calendar=calendar)
    board = Scoreboard(ScoringConfig(hours_per_day=calendar.hours(1.0)))
    for event in events:
        ledger.observe(event)
        board.apply(event)
    now = events[-1].t + later
    figures = board.metrics(now)[TEAM]

    console_aging = ledger.aging(now)
    assert console_aging == figures.aging.as_dict()
    assert ledger.cash == figures.cash

    rows = dict.fromkeys(console_aging, 0.0)  # the console's invoice rows, summed by their bucket
    for invoice in ledger.invoices.values():
        if invoice.open:
            rows[invoice.aging_bucket(now, calendar.hours(1.0))] += invoice.outstanding
    assert rows == console_aging
