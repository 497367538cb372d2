"""The receivables book of one team: the set of invoices fallen due, the index, DSO and overdue.

The invoices' balances (net amount, collected, written off, the open ones, what they still owe,
the aging) are the team's account, the fold the team's console reads too
(:mod:`market.accounts`). The book adds what scoring alone needs: an invoice enters the *due
set* when its ``InvoiceDue`` arrives (or when it is written off, should that come first); from
then on its amount and collections count towards the receivables index, updated in place by
later payments, credit notes and refunds, so every event costs O(1).

:meth:`InvoiceBook.check` refuses a malformed invoice event before the account folds it; the
book's own figures follow once it has (:meth:`InvoiceBook.apply`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from market.accounts import AGING_BUCKETS, MONEY_EPSILON, Account, Aging, InvoiceBalance
from market.events import (
    CreditNoteIssued,
    InvoiceDue,
    InvoiceIssued,
    InvoiceWrittenOff,
    PaymentReceived,
    RefundPaid,
    TeamEvent,
)
from scoring.errors import ScoringError
from scoring.rounds import RoundTally

__all__ = ["AGING_BUCKETS", "MONEY_EPSILON", "Aging", "Invoice", "InvoiceBook", "collection_index"]

InvoiceEvent = CreditNoteIssued | InvoiceDue | InvoiceWrittenOff | PaymentReceived | RefundPaid
"""An event about an invoice already issued."""


def collection_index(collected: float, due: float) -> float | None:
    """100 × collected ÷ due, clipped to [0, 100]; None when (almost) nothing is due."""
    if due <= MONEY_EPSILON:
        return None
    return min(100.0, max(0.0, 100.0 * collected / due))


@dataclass(slots=True)
class Invoice(InvoiceBalance):
    """An invoice's balance and what scoring knows beside it (mutable fold state)."""

    due_seq: int | None = None
    """Seq of the event that put it in the due set (its ``InvoiceDue``, or a write-off)."""
    due_event_seq: int | None = None
    due_tally: RoundTally | None = None
    seqs: list[int] = field(default_factory=list)
    current_loss_rate: float | None = None
    """Rules v3: this invoice's loss rate until due, from the terms granted and asked (None: the
    flat rate of rules v2, ``expected_loss.CURRENT_LOSS_RATE``)."""


class InvoiceBook:
    """One team's due set and the running totals of its receivables (mutable fold state)."""

    __slots__ = (
        "account",
        "collected_due",
        "due",
        "due_total",
        "invoiced_total",
        "overdue",
        "paid_hours_weighted",
        "paid_total",
        "written_off_total",
    )

    def __init__(self, account: Account[Invoice]) -> None:
        self.account = account
        """The team's account: the invoices' balances, the open ones and what they owe."""
        self.due: list[Invoice] = []
        self.due_total = 0.0
        self.collected_due = 0.0
        self.written_off_total = 0.0
        self.overdue = 0
        self.paid_total = 0.0
        self.paid_hours_weighted = 0.0
        self.invoiced_total = 0.0
        """Net amount of every invoice issued (less credit notes and refunds): the v2 index's base."""

    # --- queries ---------------------------------------------------------------------------

    def index(self) -> float | None:
        """100 × collected ÷ amount due over the due set, clipped to [0, 100]; None if nothing due."""
        return collection_index(self.collected_due, self.due_total)

    def dso_hours(self) -> float | None:
        """Payment-weighted mean hours from issue to payment; None before any payment."""
        if self.paid_total <= MONEY_EPSILON:
            return None
        return self.paid_hours_weighted / self.paid_total

    def overdue_share(self) -> float | None:
        """Share (by count) of due invoices not fully paid when they fell due."""
        return None if not self.due else self.overdue / len(self.due)

    def bad_debt_ratio(self) -> float | None:
        """Written-off amount ÷ amount due, clipped to [0, 1]; None if nothing due."""
        if self.due_total <= MONEY_EPSILON:
            return None
        return min(1.0, max(0.0, self.written_off_total / self.due_total))

    # --- events ----------------------------------------------------------------------------

    def check(self, event: TeamEvent) -> None:
        """Raise ScoringError if ``event`` cannot follow the invoices seen so far (no-op otherwise)."""
        if isinstance(event, InvoiceIssued):
            if event.invoice_id in self.account.invoices:
                raise ScoringError(f"invoice {event.invoice_id!r} issued twice", f"seq {event.seq}")
        elif isinstance(event, InvoiceEvent):
            invoice = self._find(event)
            if isinstance(event, InvoiceDue) and invoice.due_event_seq is not None:
                raise ScoringError(f"invoice {event.invoice_id!r} fell due twice", f"seq {event.seq}")
            if isinstance(event, InvoiceWrittenOff) and invoice.written_off is not None:
                # The account has not folded this event yet, so a set amount is an earlier write-off.
                raise ScoringError(f"invoice {event.invoice_id!r} written off twice", f"seq {event.seq}")

    def issue(self, event: InvoiceIssued) -> None:
        """A new invoice (already in the account)."""
        self.invoiced_total += event.amount
        self.account.invoices[event.invoice_id].seqs.append(event.seq)

    def pay(self, event: PaymentReceived) -> None:
        """A payment against an invoice."""
        invoice = self.account.invoices[event.invoice_id]
        amount = event.amount
        self.paid_total += amount
        self.paid_hours_weighted += amount * (event.t - invoice.issued_t)
        if invoice.due_tally is not None:
            self.collected_due += amount
            invoice.due_tally.collected_due += amount
        invoice.seqs.append(event.seq)

    def credit(self, event: CreditNoteIssued) -> None:
        """Part of an invoice forgiven: its net amount drops."""
        invoice = self.account.invoices[event.invoice_id]
        amount = event.amount
        self.invoiced_total -= amount
        if invoice.due_tally is not None:
            self.due_total -= amount
            invoice.due_tally.due_total -= amount
        invoice.seqs.append(event.seq)

    def refund(self, event: RefundPaid) -> None:
        """Money paid back: both the net amount and the collected amount drop."""
        invoice = self.account.invoices[event.invoice_id]
        amount = event.amount
        self.invoiced_total -= amount
        if invoice.due_tally is not None:
            self.due_total -= amount
            self.collected_due -= amount
            invoice.due_tally.due_total -= amount
            invoice.due_tally.collected_due -= amount
        invoice.seqs.append(event.seq)

    def fall_due(self, event: InvoiceDue, tally: RoundTally) -> None:
        """The invoice reached its due date; ``tally`` is the round that happened in."""
        invoice = self.account.invoices[event.invoice_id]
        invoice.due_event_seq = event.seq
        if invoice.due_tally is None:
            self._enter_due(invoice, event, tally, overdue=event.outstanding > MONEY_EPSILON)
        invoice.seqs.append(event.seq)

    def write_off(self, event: InvoiceWrittenOff, tally: RoundTally) -> None:
        """The invoice was given up; it stays in (or enters) the due set with what was collected."""
        invoice = self.account.invoices[event.invoice_id]
        self.written_off_total += event.amount
        if invoice.due_tally is None:
            self._enter_due(invoice, event, tally, overdue=invoice.outstanding > MONEY_EPSILON)
        invoice.seqs.append(event.seq)

    # --- internals -------------------------------------------------------------------------

    def _find(self, event: InvoiceEvent) -> Invoice:
        invoice = self.account.invoices.get(event.invoice_id)
        if invoice is None:
            raise ScoringError(f"{event.kind} for unknown invoice {event.invoice_id!r}", f"seq {event.seq}")
        return invoice

    def _enter_due(self, invoice: Invoice, event: TeamEvent, tally: RoundTally, *, overdue: bool) -> None:
        invoice.due_seq = event.seq
        invoice.due_tally = tally
        self.due.append(invoice)
        self.due_total += invoice.amount
        self.collected_due += invoice.collected
        tally.due_total += invoice.amount
        tally.collected_due += invoice.collected
        tally.invoice_ids.append(invoice.invoice_id)
        if overdue:
            self.overdue += 1
