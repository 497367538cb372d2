"""The fold of a team's money: its cash and the balance of every invoice it issued.

Cash is the sum of every event's ``cash_delta``. An invoice's balance is its net amount (what
was invoiced less credit notes and refunds) and what was collected (payments less refunds); it
is open while it is not written off and more than half a cent of it is outstanding. A
collection agency's hand-over changes no balance. Every event costs O(1): the open invoices and
the total they still owe are kept up to date as the events come.

The fold trusts its input (an invoice event names an invoice issued before it); a reader that
must refuse malformed logs, as the board does, checks each event before handing it over.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from market.accounts.aging import MONEY_EPSILON, Aging, bucket_index
from market.events import (
    CreditNoteIssued,
    Event,
    InvoiceIssued,
    InvoiceWrittenOff,
    PaymentReceived,
    RefundPaid,
)


@dataclass(slots=True)
class InvoiceBalance:
    """What one invoice still owes (mutable fold state)."""

    invoice_id: str
    customer_id: str
    issued_t: float
    due_t: float
    """The due date the invoice was issued with (``InvoiceIssued.due_t``)."""
    amount: float
    """Net amount: invoiced less credit notes and refunds."""
    collected: float = 0.0
    """Payments less refunds."""
    written_off: float | None = None
    """The amount written off, None while not written off."""
    counted_open: float = 0.0
    """What this invoice adds to its account's ``open_total`` right now."""

    @property
    def outstanding(self) -> float:
        """Net amount not yet collected."""
        return self.amount - self.collected

    @property
    def is_open(self) -> bool:
        """Still to be collected: not written off and more than half a cent outstanding."""
        return self.written_off is None and self.outstanding > MONEY_EPSILON


BalanceT = TypeVar("BalanceT", bound=InvoiceBalance)


class Account(Generic[BalanceT]):
    """One team's cash and invoice balances, folded from its events in log order.

    ``balance_type`` is the record each issued invoice gets: :class:`InvoiceBalance`, or a
    subclass of it for a reader that keeps more per invoice beside the balance.
    """

    __slots__ = ("_folds", "balance_type", "cash", "invoices", "open", "open_total")

    def __init__(self, balance_type: type[BalanceT]) -> None:
        self.balance_type = balance_type
        self.cash = 0.0
        self.invoices: dict[str, BalanceT] = {}
        """Every invoice issued, in the order issued."""
        self.open: dict[str, BalanceT] = {}
        """The open invoices."""
        self.open_total = 0.0
        """Outstanding amount of every open invoice: what customers still owe."""
        self._folds: dict[type[Event], Callable[[Any], None]] = {
            InvoiceIssued: self._issued,
            PaymentReceived: self._paid,
            CreditNoteIssued: self._credited,
            RefundPaid: self._refunded,
            InvoiceWrittenOff: self._written_off,
        }

    def observe(self, event: Event) -> None:
        """Fold one of the team's events in."""
        self.cash += event.cash_delta
        fold = self._folds.get(type(event))
        if fold is not None:
            fold(event)

    def aging(self, now: float, hours_per_day: float) -> Aging:
        """Open amounts bucketed by days past due at ``now`` (O(open invoices))."""
        buckets = [0.0] * 5
        for invoice in self.open.values():
            buckets[bucket_index(now, invoice.due_t, hours_per_day)] += invoice.outstanding
        return Aging(*buckets)

    # --- events ----------------------------------------------------------------------------

    def _issued(self, event: InvoiceIssued) -> None:
        invoice = self.balance_type(event.invoice_id, event.customer_id, event.t, event.due_t, event.amount)
        self.invoices[event.invoice_id] = invoice
        self._refresh(invoice)

    def _paid(self, event: PaymentReceived) -> None:
        invoice = self.invoices[event.invoice_id]
        invoice.collected += event.amount
        self._refresh(invoice)

    def _credited(self, event: CreditNoteIssued) -> None:
        invoice = self.invoices[event.invoice_id]
        invoice.amount -= event.amount
        self._refresh(invoice)

    def _refunded(self, event: RefundPaid) -> None:
        invoice = self.invoices[event.invoice_id]
        invoice.amount -= event.amount
        invoice.collected -= event.amount
        self._refresh(invoice)

    def _written_off(self, event: InvoiceWrittenOff) -> None:
        invoice = self.invoices[event.invoice_id]
        invoice.written_off = event.amount
        self._refresh(invoice)

    def _refresh(self, invoice: BalanceT) -> None:
        if invoice.is_open:
            self.open.setdefault(invoice.invoice_id, invoice)
            counted = invoice.outstanding
        else:
            self.open.pop(invoice.invoice_id, None)
            counted = 0.0
        self.open_total += counted - invoice.counted_open
        invoice.counted_open = counted
