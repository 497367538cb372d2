"""Decisions of a team's desk about invoices and credit: reminders, credit notes, refunds,
hand-overs to collection, credit checks and limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from market.events.base import Spending, TeamEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderSent(TeamEvent):
    kind: ClassVar[str] = "reminder_sent"
    invoice_id: str
    customer_id: str
    early: bool
    repeated: bool
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditNoteIssued(TeamEvent):
    """Part of an invoice is forgiven (late-delivery penalty or complaint remedy)."""

    kind: ClassVar[str] = "credit_note_issued"
    invoice_id: str
    amount: float
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RefundPaid(TeamEvent):
    kind: ClassVar[str] = "refund_paid"
    invoice_id: str
    amount: float

    @property
    def cash_delta(self) -> float:
        return -self.amount


@dataclass(frozen=True, slots=True, kw_only=True)
class InvoiceHandedOver(TeamEvent):
    kind: ClassVar[str] = "invoice_handed_over"
    invoice_id: str
    customer_id: str
    outstanding: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditChecked(Spending):
    kind: ClassVar[str] = "credit_checked"
    customer_id: str
    grade: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditLimitSet(TeamEvent):
    kind: ClassVar[str] = "credit_limit_set"
    customer_id: str
    limit: float
