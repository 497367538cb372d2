"""The receivables book of one team: invoices, the set of those fallen due, DSO and aging.

An invoice's net amount is what was invoiced less credit notes and refunds; what was collected
is the payments less refunds. An invoice enters the *due set* when its ``InvoiceDue`` arrives
(or when it is written off, should that come first); from then on its amount and collections
count towards the receivables index, updated in place by later payments, credit notes and
refunds, so every event costs O(1).
"""

from __future__ import annotations

from dataclasses import dataclass, field

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

MONEY_EPSILON = 0.005
"""Half a cent: amounts at most this large count as zero."""

AGING_BUCKETS: tuple[str, ...] = ("current", "1-30", "31-60", "61-90", "90+")
"""Labels of the aging buckets: not yet due, then days past due."""


def collection_index(collected: float, due: float) -> float | None:
    """100 × collected ÷ due, clipped to [0, 100]; None when (almost) nothing is due."""
    if due <= MONEY_EPSILON:
        return None
    return min(100.0, max(0.0, 100.0 * collected / due))


@dataclass(frozen=True, slots=True)
class Aging:
    """Open (unpaid, not written-off) amounts by how long past due they are at query time."""

    current: float = 0.0
    days_1_30: float = 0.0
    days_31_60: float = 0.0
    days_61_90: float = 0.0
    days_90_plus: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """Bucket label → open amount, in ``AGING_BUCKETS`` order."""
        values = (self.current, self.days_1_30, self.days_31_60, self.days_61_90, self.days_90_plus)
        return dict(zip(AGING_BUCKETS, values, strict=True))

    @property
    def total(self) -> float:
        """All open amounts."""
        return self.current + self.days_1_30 + self.days_31_60 + self.days_61_90 + self.days_90_plus


@dataclass(slots=True)
class Invoice:
    """What the fold knows of one invoice (mutable fold state)."""

    invoice_id: str
    customer_id: str
    issued_t: float
    amount: float
    collected: float = 0.0
    payable_t: float = 0.0
    """The due date the invoice was issued with (``InvoiceIssued.due_t``)."""
    written_off: float | None = None
    due_t: float | None = None
    """Time the invoice entered the due set (None while not due)."""
    due_seq: int | None = None
    """Seq of the event that put it in the due set (its ``InvoiceDue``, or a write-off)."""
    due_event_seq: int | None = None
    due_tally: RoundTally | None = None
    counted_open: float = 0.0
    """What this invoice adds to the book's ``open_total`` right now."""
    seqs: list[int] = field(default_factory=list)

    @property
    def outstanding(self) -> float:
        """Net amount not yet collected."""
        return self.amount - self.collected

    @property
    def is_open(self) -> bool:
        """Still to be collected: not written off and more than half a cent outstanding."""
        return self.written_off is None and self.outstanding > MONEY_EPSILON


@dataclass(slots=True)
class InvoiceBook:
    """One team's invoices and the running totals of its receivables (mutable fold state)."""

    invoices: dict[str, Invoice] = field(default_factory=dict)
    open: dict[str, Invoice] = field(default_factory=dict)
    due: list[Invoice] = field(default_factory=list)
    due_total: float = 0.0
    collected_due: float = 0.0
    written_off_total: float = 0.0
    overdue: int = 0
    paid_total: float = 0.0
    paid_hours_weighted: float = 0.0
    open_total: float = 0.0
    """Outstanding amount of every open invoice: what customers still owe (for profit)."""
    invoiced_total: float = 0.0
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

    def aging(self, now: float, hours_per_day: float) -> Aging:
        """Open amounts bucketed by days past due at ``now`` (O(open invoices))."""
        buckets = [0.0] * len(AGING_BUCKETS)
        for invoice in self.open.values():
            if invoice.due_t is None:
                slot = 0
            else:
                days = (now - invoice.due_t) / hours_per_day
                slot = 1 if days <= 30 else 2 if days <= 60 else 3 if days <= 90 else 4
            buckets[slot] += invoice.outstanding
        return Aging(*buckets)

    # --- events ----------------------------------------------------------------------------

    def issue(self, event: InvoiceIssued) -> None:
        """A new invoice."""
        if event.invoice_id in self.invoices:
            raise ScoringError(f"invoice {event.invoice_id!r} issued twice", f"seq {event.seq}")
        invoice = Invoice(event.invoice_id, event.customer_id, event.t, event.amount, payable_t=event.due_t)
        invoice.seqs.append(event.seq)
        self.invoices[event.invoice_id] = invoice
        self.invoiced_total += event.amount
        self._refresh(invoice)

    def pay(self, event: PaymentReceived) -> None:
        """A payment against an invoice."""
        invoice = self._find(event)
        amount = event.amount
        invoice.collected += amount
        self.paid_total += amount
        self.paid_hours_weighted += amount * (event.t - invoice.issued_t)
        if invoice.due_tally is not None:
            self.collected_due += amount
            invoice.due_tally.collected_due += amount
        invoice.seqs.append(event.seq)
        self._refresh(invoice)

    def credit(self, event: CreditNoteIssued) -> None:
        """Part of an invoice forgiven: its net amount drops."""
        invoice = self._find(event)
        amount = event.amount
        invoice.amount -= amount
        self.invoiced_total -= amount
        if invoice.due_tally is not None:
            self.due_total -= amount
            invoice.due_tally.due_total -= amount
        invoice.seqs.append(event.seq)
        self._refresh(invoice)

    def refund(self, event: RefundPaid) -> None:
        """Money paid back: both the net amount and the collected amount drop."""
        invoice = self._find(event)
        amount = event.amount
        invoice.amount -= amount
        invoice.collected -= amount
        self.invoiced_total -= amount
        if invoice.due_tally is not None:
            self.due_total -= amount
            self.collected_due -= amount
            invoice.due_tally.due_total -= amount
            invoice.due_tally.collected_due -= amount
        invoice.seqs.append(event.seq)
        self._refresh(invoice)

    def fall_due(self, event: InvoiceDue, tally: RoundTally) -> None:
        """The invoice reached its due date; ``tally`` is the round that happened in."""
        invoice = self._find(event)
        if invoice.due_event_seq is not None:
            raise ScoringError(f"invoice {event.invoice_id!r} fell due twice", f"seq {event.seq}")
        invoice.due_event_seq = event.seq
        if invoice.due_tally is None:
            self._enter_due(invoice, event, tally, overdue=event.outstanding > MONEY_EPSILON)
        invoice.seqs.append(event.seq)
        self._refresh(invoice)

    def write_off(self, event: InvoiceWrittenOff, tally: RoundTally) -> None:
        """The invoice was given up; it stays in (or enters) the due set with what was collected."""
        invoice = self._find(event)
        if invoice.written_off is not None:
            raise ScoringError(f"invoice {event.invoice_id!r} written off twice", f"seq {event.seq}")
        invoice.written_off = event.amount
        self.written_off_total += event.amount
        if invoice.due_tally is None:
            self._enter_due(invoice, event, tally, overdue=invoice.outstanding > MONEY_EPSILON)
        invoice.seqs.append(event.seq)
        self._refresh(invoice)

    # --- internals -------------------------------------------------------------------------

    def _find(
        self, event: CreditNoteIssued | InvoiceDue | InvoiceWrittenOff | PaymentReceived | RefundPaid
    ) -> Invoice:
        invoice = self.invoices.get(event.invoice_id)
        if invoice is None:
            raise ScoringError(f"{event.kind} for unknown invoice {event.invoice_id!r}", f"seq {event.seq}")
        return invoice

    def _enter_due(self, invoice: Invoice, event: TeamEvent, tally: RoundTally, *, overdue: bool) -> None:
        invoice.due_t = event.t
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

    def _refresh(self, invoice: Invoice) -> None:
        if invoice.is_open:
            self.open.setdefault(invoice.invoice_id, invoice)
            counted = invoice.outstanding
        else:
            self.open.pop(invoice.invoice_id, None)
            counted = 0.0
        self.open_total += counted - invoice.counted_open
        invoice.counted_open = counted
