"""The customer's side of invoices: when each one is paid, reminded, collected or lost.

When an order is delivered the market issues its invoices (one per installment of the
collection plan) and the customer decides, from its own stream, whether it will pay on time,
late (and how late) or never. Reminders on or after the due date cut the remaining delay by
40 %; early or repeated reminders annoy the customer instead. Collectors recover part of the
open amount; whatever is still open a preset number of days after due is written off. Under
rules 3 a late payer that no reminder has reached within the reminder gap after the due date
pays last: the rest of its delay stretches by the service's ``unchased_delay_factor``
(docs/market.md, "What never chasing costs").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from market import events as ev
from market.payment import default_probability, late_delay, late_probability

if TYPE_CHECKING:
    from market.customer import Customer
    from market.market import Market

REMINDER_CUT = 0.4
SETTLED = 0.005


@dataclass(slots=True)
class Receivable:
    """One invoice as the customer sees it."""

    id: str
    team: str
    order_id: str
    customer: Customer
    amount: float
    due_t: float
    pay_t: float
    paid: float = 0.0
    credited: float = 0.0
    open: bool = True
    handed_over: bool = False
    reminded: bool = False
    """A reminder on or after the due date (not early, not repeated) has reached the customer."""
    version: int = 0

    @property
    def outstanding(self) -> float:
        return self.amount - self.paid - self.credited


class ReceivableBook:
    """Every invoice of one market and the timers that move them."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.items: dict[str, Receivable] = {}

    def issue(
        self, customer: Customer, team: str, order_id: str, total: float, terms_days: float, installments: int
    ) -> None:
        """Issue the invoices of a delivered order and draw how each will be paid."""
        m = self.market
        now = m.env.now
        seg = customer.segment
        standard_terms = sum(seg.requested_terms) / 2
        satisfaction = m.sentiment(customer, team).satisfaction
        p_late = late_probability(seg.late_base, terms_days, standard_terms, satisfaction, customer.risk)
        p_default = default_probability(seg.default_probability, terms_days, standard_terms)
        share = round(total / installments, 2)
        for k in range(1, installments + 1):
            amount = share if k < installments else round(total - share * (installments - 1), 2)
            due_t = now + m.hours(terms_days * k / installments)
            rng = customer.rng
            defaults = rng.random() < p_default
            late = rng.random() < p_late
            delay = late_delay(rng, seg.late_mean_delay)
            early = float(rng.uniform(0.85, 1.0))
            if defaults:
                pay_t = math.inf
            elif late:
                pay_t = due_t + m.hours(delay)
            else:
                pay_t = now + (due_t - now) * early
            r = Receivable(f"I{order_id[1:]}-{k}", team, order_id, customer, amount, due_t, pay_t)
            self.items[r.id] = r
            m.emit(
                ev.InvoiceIssued,
                team=team,
                invoice_id=r.id,
                order_id=order_id,
                customer_id=customer.id,
                amount=amount,
                due_t=due_t,
                installment=k,
                installments=installments,
            )
            if pay_t <= due_t:
                m.at(pay_t, self._pay, r, r.version)
            m.at(due_t, self._due, r)
            if late:
                m.at(pay_t, self._pay, r, r.version)

    def _due(self, r: Receivable) -> None:
        m = self.market
        m.emit(
            ev.InvoiceDue,
            team=r.team,
            invoice_id=r.id,
            amount=round(r.amount - r.credited, 2),
            outstanding=round(max(0.0, r.outstanding), 2),
        )
        if r.open and not r.handed_over:
            m.at(r.due_t + m.hours(m.params.service.writeoff_after_days), self._auto_write_off, r)
        service = m.params.service
        if m.params.rules >= 3 and service.unchased_delay_factor != 1.0 and r.open and not r.reminded:
            m.at(r.due_t + m.hours(service.reminder_gap_days), self._unchased, r)

    def _unchased(self, r: Receivable) -> None:
        """Rules 3: no reminder has come within the gap after due, so the customer pays this
        invoice last — what is left of a late payment's delay stretches."""
        m = self.market
        now = m.env.now
        if r.reminded or not r.open or r.handed_over or not math.isfinite(r.pay_t) or r.pay_t <= now:
            return
        r.pay_t = now + m.params.service.unchased_delay_factor * (r.pay_t - now)
        r.version += 1
        m.at(r.pay_t, self._pay, r, r.version)

    def _pay(self, r: Receivable, version: int) -> None:
        if not r.open or r.handed_over or version != r.version:
            return
        amount = round(r.outstanding, 2)
        r.paid += amount
        r.open = False
        self.market.emit(
            ev.PaymentReceived,
            team=r.team,
            invoice_id=r.id,
            customer_id=r.customer.id,
            amount=amount,
            via="customer",
        )

    def _auto_write_off(self, r: Receivable) -> None:
        if not r.open or r.handed_over:
            return
        r.open = False
        self.market.emit(
            ev.InvoiceWrittenOff,
            team=r.team,
            invoice_id=r.id,
            customer_id=r.customer.id,
            amount=round(r.outstanding, 2),
            by="auto",
        )

    def _collect(self, r: Receivable) -> None:
        if not r.open:
            return
        m = self.market
        recovered = round(r.outstanding * m.params.service.collection_recovery, 2)
        r.open = False
        if recovered > 0:
            r.paid += recovered
            m.emit(
                ev.PaymentReceived,
                team=r.team,
                invoice_id=r.id,
                customer_id=r.customer.id,
                amount=recovered,
                via="collector",
            )
        if r.outstanding > SETTLED:
            m.emit(
                ev.InvoiceWrittenOff,
                team=r.team,
                invoice_id=r.id,
                customer_id=r.customer.id,
                amount=round(r.outstanding, 2),
                by="collector",
            )

    # --- what teams do ------------------------------------------------------------------------

    def on_reminder(self, event: ev.ReminderSent) -> None:
        r = self.items.get(event.invoice_id)
        if r is None:
            return
        m = self.market
        if event.early or event.repeated:
            m.penalise(r.customer, r.team, "wrong_dunning", m.params.satisfaction.dunning_penalty)
            m.fail(r.customer, r.team, "dunning", r.order_id, severity="minor")
            return
        now = m.env.now
        r.reminded = True
        if r.open and not r.handed_over and math.isfinite(r.pay_t) and r.pay_t > now:
            r.pay_t = now + (1.0 - REMINDER_CUT) * (r.pay_t - now)
            r.version += 1
            m.at(r.pay_t, self._pay, r, r.version)

    def on_credit_note(self, event: ev.CreditNoteIssued) -> None:
        r = self.items.get(event.invoice_id)
        if r is None:
            return
        r.credited += event.amount
        if r.outstanding <= SETTLED:
            r.open = False

    def on_refund(self, event: ev.RefundPaid) -> None:
        r = self.items.get(event.invoice_id)
        if r is not None:
            r.amount -= event.amount
            r.paid -= event.amount

    def on_hand_over(self, event: ev.InvoiceHandedOver) -> None:
        r = self.items.get(event.invoice_id)
        if r is None or not r.open:
            return
        m = self.market
        r.handed_over = True
        r.version += 1
        m.penalise(r.customer, r.team, "collection", m.params.satisfaction.collection_penalty)
        m.at(m.env.now + m.hours(m.params.service.collection_days), self._collect, r)

    def on_write_off(self, event: ev.InvoiceWrittenOff) -> None:
        r = self.items.get(event.invoice_id)
        if r is not None and event.by == "team":
            r.open = False
            r.version += 1
