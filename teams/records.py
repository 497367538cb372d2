"""The desk's records: inquiries, approvals, orders, invoices, complaints, customers.

Records are the team's own view of its business, built only from events (what the team was
told and what it did). They are mutable bookkeeping inside the desk; the outside world reads
them, and the desk alone changes them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from market.accounts import aging_bucket


@dataclass(slots=True)
class InquiryRecord:
    inquiry_id: str
    customer_id: str
    segment: str
    quantity: int
    list_price: float
    list_discount: float
    requested_terms: float
    wanted_delivery: float
    received_t: float
    expires_t: float
    repeat: bool
    status: str = "open"  # open | quoted | won | lost | declined | expired
    unit_price: float | None = None
    discount: float | None = None
    terms_days: float | None = None
    delivery_days: float | None = None
    revision: int = -1
    first_reply_t: float | None = None
    pending_approval: str | None = None
    followed_up: bool = False
    reason: str = ""

    @property
    def open(self) -> bool:
        return self.status in ("open", "quoted")


@dataclass(slots=True)
class ApprovalRecord:
    approval_id: str
    inquiry_id: str
    discount: float
    unit_price: float
    terms_days: float
    delivery_days: float
    installments: int
    requested_by: str
    requested_t: float
    status: str = "pending"  # pending | approved | rejected
    reason: str = ""


@dataclass(slots=True)
class OrderRecord:
    order_id: str
    inquiry_id: str
    customer_id: str
    segment: str
    quantity: int
    unit_price: float
    terms_days: float
    delivery_due_t: float
    won_t: float
    status: str = "open"  # open | held (waiting for cash) | delivered | voided
    late_days: float = 0.0
    defect: bool = False
    invoice_ids: list[str] = field(default_factory=list)

    @property
    def value(self) -> float:
        return self.quantity * self.unit_price


@dataclass(slots=True)
class InvoiceRecord:
    invoice_id: str
    order_id: str
    customer_id: str
    amount: float
    issued_t: float
    due_t: float
    installment: int
    installments: int
    paid: float = 0.0
    credited: float = 0.0
    refunded: float = 0.0
    status: str = "open"  # open | paid | credited | collection | written_off
    reminders: list[float] = field(default_factory=list)

    @property
    def outstanding(self) -> float:
        return max(0.0, round(self.amount - self.paid - self.credited, 2))

    @property
    def open(self) -> bool:
        return self.status in ("open", "collection")

    def days_overdue(self, now: float, hours_per_day: float) -> float:
        return max(0.0, (now - self.due_t) / hours_per_day)

    def aging_bucket(self, now: float, hours_per_day: float) -> str:
        """The aging bucket the invoice's due date puts it in at ``now`` (the account's rule)."""
        return aging_bucket(now, self.due_t, hours_per_day)


@dataclass(slots=True)
class ComplaintRecord:
    complaint_id: str
    customer_id: str
    order_id: str
    cause: str
    severity: str
    opened_t: float
    sla_due_t: float
    status: str = "open"  # open | resolved
    sla_missed: bool = False
    escalated: bool = False
    remedy: str = ""
    resolved_t: float | None = None


@dataclass(slots=True)
class CustomerRecord:
    customer_id: str
    segment: str
    first_seen_t: float
    inquiries: int = 0
    orders: int = 0
    revenue: float = 0.0
    survey_satisfaction: float | None = None
    survey_t: float | None = None
    grade: str | None = None
    credit_limit: float | None = None
    care_t: float | None = None
    churned: bool = False
    notes: list[str] = field(default_factory=list)


@dataclass(slots=True)
class QuotePolicy:
    segment: str
    discount: float
    terms_days: float
    delivery_days: float
    delay_hours: float


@dataclass(slots=True)
class Policies:
    """The team's automation settings."""

    quotes: dict[str, QuotePolicy] = field(default_factory=dict)
    reminder_days: float | None = None
    apology: bool = False


def abc_classes(revenue_by_customer: dict[str, float]) -> dict[str, str]:
    """ABC class by cumulative sales: A up to 75 %, B up to 95 %, C the rest."""
    total = sum(revenue_by_customer.values())
    out: dict[str, str] = {}
    running = 0.0
    for cid, revenue in sorted(revenue_by_customer.items(), key=lambda kv: (-kv[1], kv[0])):
        share_before = running / total if total > 0 else 1.0
        out[cid] = "A" if share_before < 0.75 else "B" if share_before < 0.95 else "C"
        running += revenue
    return out
