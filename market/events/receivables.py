"""What customers and the market do with invoices: issue, due dates, payments, write-offs.

An invoice is written off by the market (``by`` auto or collector) or by the team's desk
(``by`` the member or role): one kind for both, since the account treats them alike."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from market.events.base import TeamEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceIssued(TeamEvent):
    kind: ClassVar[str] = "invoice_issued"
    invoice_id: str
    order_id: str
    customer_id: str
    amount: float
    due_t: float
    installment: int
    installments: int


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceDue(TeamEvent):
    """An invoice reached its due date; ``outstanding`` is what was still unpaid then."""

    kind: ClassVar[str] = "invoice_due"
    invoice_id: str
    amount: float
    outstanding: float


@dataclass(frozen=True, slots=True, kw_only=True)
class PaymentReceived(TeamEvent):
    kind: ClassVar[str] = "payment_received"
    invoice_id: str
    customer_id: str
    amount: float
    via: str

    @property
    def cash_delta(self) -> float:
        return self.amount


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceWrittenOff(TeamEvent):
    kind: ClassVar[str] = "invoice_written_off"
    invoice_id: str
    customer_id: str
    amount: float
    by: str
