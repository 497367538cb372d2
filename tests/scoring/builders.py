"""Builders of hand-made event logs for the scoring tests: seqs are numbered automatically."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from market.events import (
    CampaignLaunched,
    ComplaintOpened,
    ComplaintResolved,
    CreditNoteIssued,
    Event,
    InquiryDeclined,
    InquiryExpired,
    InquiryLost,
    InquiryReceived,
    InvoiceDue,
    InvoiceIssued,
    InvoiceWrittenOff,
    NoteAdded,
    OrderVoided,
    OrderWon,
    PaymentReceived,
    QuoteSent,
    RefundPaid,
    RoundEnded,
    RoundStarted,
    SatisfactionChanged,
    TeamJoined,
)


@dataclass
class _Invoice:
    amount: float
    paid: float = 0.0


@dataclass
class Log:
    """An event log under construction. Each method appends one event (seq = position + 1)."""

    events: list[Event] = field(default_factory=list)
    _invoices: dict[tuple[str, str], _Invoice] = field(default_factory=dict)

    def add(self, cls: type[Event], t: float, **values: Any) -> Event:
        event = cls(seq=len(self.events) + 1, t=t, **values)
        self.events.append(event)
        return event

    # --- competition ---------------------------------------------------------------------------

    def join(self, team: str, t: float = 0.0, cash: float = 1000.0) -> Event:
        return self.add(TeamJoined, t, team=team, starting_cash=cash)

    def round_start(self, r: int, t: float) -> Event:
        return self.add(RoundStarted, t, round=r)

    def round_end(self, r: int, t: float) -> Event:
        return self.add(RoundEnded, t, round=r)

    # --- inquiries -----------------------------------------------------------------------------

    def inquiry(self, team: str, inquiry: str, customer: str = "c1", t: float = 0.0) -> Event:
        return self.add(
            InquiryReceived,
            t,
            team=team,
            inquiry_id=inquiry,
            request_id=f"r-{inquiry}",
            customer_id=customer,
            segment="smb",
            quantity=1,
            list_price=100.0,
            list_discount=0.0,
            requested_terms=30.0,
            wanted_delivery=5.0,
            expires_t=t + 16.0,
            repeat=False,
        )

    def quote(self, team: str, inquiry: str, t: float, revision: int = 1) -> Event:
        return self.add(
            QuoteSent,
            t,
            team=team,
            inquiry_id=inquiry,
            unit_price=90.0,
            discount=0.1,
            terms_days=30.0,
            delivery_days=5.0,
            installments=1,
            revision=revision,
            role="sales",
        )

    def won(self, team: str, inquiry: str, customer: str = "c1", t: float = 0.0) -> Event:
        return self.add(
            OrderWon,
            t,
            team=team,
            order_id=f"o-{inquiry}",
            inquiry_id=inquiry,
            customer_id=customer,
            segment="smb",
            quantity=1,
            unit_price=90.0,
            terms_days=30.0,
            delivery_days=5.0,
            installments=1,
            delivery_due_t=t + 40.0,
            reply_hours=1.0,
        )

    def voided(self, team: str, inquiry: str, customer: str = "c1", t: float = 0.0) -> Event:
        """The customer cancels the order won on ``inquiry`` (see ``won``)."""
        return self.add(
            OrderVoided, t, team=team, order_id=f"o-{inquiry}", customer_id=customer, late_days=5.0
        )

    def lost(
        self, team: str, inquiry: str, customer: str = "c1", t: float = 0.0, reason: str = "price"
    ) -> Event:
        return self.add(InquiryLost, t, team=team, inquiry_id=inquiry, customer_id=customer, reason=reason)

    def declined(
        self, team: str, inquiry: str, customer: str = "c1", t: float = 0.0, reason: str = "credit"
    ) -> Event:
        return self.add(
            InquiryDeclined, t, team=team, inquiry_id=inquiry, customer_id=customer, reason=reason
        )

    def expired(self, team: str, inquiry: str, customer: str = "c1", t: float = 0.0) -> Event:
        return self.add(InquiryExpired, t, team=team, inquiry_id=inquiry, customer_id=customer)

    # --- satisfaction and service ----------------------------------------------------------------

    def sat(self, team: str, customer: str, satisfaction: float, t: float = 0.0) -> Event:
        return self.add(
            SatisfactionChanged,
            t,
            team=team,
            customer_id=customer,
            segment="smb",
            satisfaction=satisfaction,
            cause="delivery",
        )

    def complaint(self, team: str, complaint: str, t: float = 0.0) -> Event:
        return self.add(
            ComplaintOpened,
            t,
            team=team,
            complaint_id=complaint,
            customer_id="c1",
            order_id="o1",
            cause="defect",
            severity="minor",
            sla_due_t=t + 8.0,
        )

    def resolved(
        self, team: str, complaint: str, t: float = 0.0, within_sla: bool = True, cost: float = 0.0
    ) -> Event:
        return self.add(
            ComplaintResolved,
            t,
            team=team,
            complaint_id=complaint,
            customer_id="c1",
            remedy="apology",
            credit_percent=0.0,
            cost=cost,
            within_sla=within_sla,
            adequate=True,
            by="service",
        )

    def campaign(self, team: str, budget: float, t: float = 0.0) -> Event:
        return self.add(
            CampaignLaunched,
            t,
            team=team,
            campaign_id=f"k{len(self.events)}",
            segment="smb",
            budget=budget,
            ends_t=t + 40,
        )

    def note(self, team: str, t: float = 0.0) -> Event:
        return self.add(NoteAdded, t, team=team, customer_id="c1", text="hello")

    # --- receivables ---------------------------------------------------------------------------

    def invoice(
        self,
        team: str,
        invoice: str,
        amount: float,
        t: float = 0.0,
        customer: str = "c1",
        due_in: float = 40.0,
    ) -> Event:
        self._invoices[team, invoice] = _Invoice(amount)
        return self.add(
            InvoiceIssued,
            t,
            team=team,
            invoice_id=invoice,
            order_id=f"o-{invoice}",
            customer_id=customer,
            amount=amount,
            due_t=t + due_in,
            installment=1,
            installments=1,
        )

    def pay(self, team: str, invoice: str, amount: float, t: float = 0.0) -> Event:
        self._invoices[team, invoice].paid += amount
        return self.add(
            PaymentReceived, t, team=team, invoice_id=invoice, customer_id="c1", amount=amount, via="transfer"
        )

    def credit(self, team: str, invoice: str, amount: float, t: float = 0.0) -> Event:
        self._invoices[team, invoice].amount -= amount
        return self.add(CreditNoteIssued, t, team=team, invoice_id=invoice, amount=amount, reason="late")

    def refund(self, team: str, invoice: str, amount: float, t: float = 0.0) -> Event:
        state = self._invoices[team, invoice]
        state.amount -= amount
        state.paid -= amount
        return self.add(RefundPaid, t, team=team, invoice_id=invoice, amount=amount)

    def due(self, team: str, invoice: str, t: float = 0.0, outstanding: float | None = None) -> Event:
        state = self._invoices[team, invoice]
        left = state.amount - state.paid if outstanding is None else outstanding
        return self.add(InvoiceDue, t, team=team, invoice_id=invoice, amount=state.amount, outstanding=left)

    def write_off(self, team: str, invoice: str, t: float = 0.0, amount: float | None = None) -> Event:
        state = self._invoices[team, invoice]
        left = state.amount - state.paid if amount is None else amount
        return self.add(
            InvoiceWrittenOff, t, team=team, invoice_id=invoice, customer_id="c1", amount=left, by="finance"
        )
