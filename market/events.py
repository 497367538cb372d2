"""The event vocabulary: every fact that can happen in a competition.

An event is a frozen dataclass with a sequence number ``seq`` and a simulated time ``t``
(business hours since the start). Events are appended once to the competition's log and
never changed; standings, consoles, exports and replays are all views of that log. Events
that concern one team carry its id in ``team``. ``cash_delta`` says how an event moves
that team's cash, so every view of money is the same fold over the log.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, fields
from typing import Any, ClassVar


@dataclass(frozen=True, slots=True, kw_only=True)
class Event:
    """Base of all events: position in the log and simulated time."""

    kind: ClassVar[str] = "event"
    seq: int
    t: float

    @property
    def cash_delta(self) -> float:
        """Change of the team's cash this event stands for (0 for most events)."""
        return 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamEvent(Event):
    """An event that belongs to one team."""

    team: str


# --- competition -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class TeamJoined(TeamEvent):
    kind: ClassVar[str] = "team_joined"
    starting_cash: float

    @property
    def cash_delta(self) -> float:
        return self.starting_cash


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundStarted(Event):
    kind: ClassVar[str] = "round_started"
    round: int


@dataclass(frozen=True, slots=True, kw_only=True)
class RoundEnded(Event):
    kind: ClassVar[str] = "round_ended"
    round: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ShockApplied(Event):
    """An instructor's market shock: demand step, price war or product recall."""

    kind: ClassVar[str] = "shock_applied"
    shock: str
    segment: str
    magnitude: float


# --- inquiries, quotes and orders ---------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryReceived(TeamEvent):
    kind: ClassVar[str] = "inquiry_received"
    inquiry_id: str
    request_id: str
    customer_id: str
    segment: str
    quantity: int
    list_price: float
    list_discount: float
    requested_terms: float
    wanted_delivery: float
    expires_t: float
    repeat: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovalRequested(TeamEvent):
    """A quote whose discount exceeds the sender's authority waits for the manager."""

    kind: ClassVar[str] = "approval_requested"
    approval_id: str
    inquiry_id: str
    discount: float
    unit_price: float
    terms_days: float
    delivery_days: float
    installments: int
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ApprovalDecided(TeamEvent):
    kind: ClassVar[str] = "approval_decided"
    approval_id: str
    inquiry_id: str
    approved: bool
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuoteSent(TeamEvent):
    kind: ClassVar[str] = "quote_sent"
    inquiry_id: str
    unit_price: float
    discount: float
    terms_days: float
    delivery_days: float
    installments: int
    revision: int
    role: str


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUpMade(TeamEvent):
    kind: ClassVar[str] = "follow_up_made"
    inquiry_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryDeclined(TeamEvent):
    kind: ClassVar[str] = "inquiry_declined"
    inquiry_id: str
    customer_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryExpired(TeamEvent):
    kind: ClassVar[str] = "inquiry_expired"
    inquiry_id: str
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class InquiryLost(TeamEvent):
    """The customer chose another team, walked away, or never considered this quote."""

    kind: ClassVar[str] = "inquiry_lost"
    inquiry_id: str
    customer_id: str
    reason: str


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderWon(TeamEvent):
    kind: ClassVar[str] = "order_won"
    order_id: str
    inquiry_id: str
    customer_id: str
    segment: str
    quantity: int
    unit_price: float
    terms_days: float
    delivery_days: float
    installments: int
    delivery_due_t: float
    reply_hours: float

    @property
    def value(self) -> float:
        return self.quantity * self.unit_price


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderDelivered(TeamEvent):
    kind: ClassVar[str] = "order_delivered"
    order_id: str
    customer_id: str
    late_days: float
    defect: bool
    cogs: float

    @property
    def cash_delta(self) -> float:
        return -self.cogs


@dataclass(frozen=True, slots=True, kw_only=True)
class DeliveryHeld(TeamEvent):
    """The goods are ready but the team lacks the cash to pay for them; the order waits."""

    kind: ClassVar[str] = "delivery_held"
    order_id: str
    customer_id: str
    needed: float


@dataclass(frozen=True, slots=True, kw_only=True)
class OrderVoided(TeamEvent):
    """The customer cancelled an order that was too late: the sale is lost after all."""

    kind: ClassVar[str] = "order_voided"
    order_id: str
    customer_id: str
    late_days: float


# --- receivables ---------------------------------------------------------------------------


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
class ReminderSent(TeamEvent):
    kind: ClassVar[str] = "reminder_sent"
    invoice_id: str
    customer_id: str
    early: bool
    repeated: bool
    by: str


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
class InvoiceWrittenOff(TeamEvent):
    kind: ClassVar[str] = "invoice_written_off"
    invoice_id: str
    customer_id: str
    amount: float
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditChecked(TeamEvent):
    kind: ClassVar[str] = "credit_checked"
    customer_id: str
    grade: str
    cost: float

    @property
    def cash_delta(self) -> float:
        return -self.cost


@dataclass(frozen=True, slots=True, kw_only=True)
class CreditLimitSet(TeamEvent):
    kind: ClassVar[str] = "credit_limit_set"
    customer_id: str
    limit: float


# --- service -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintOpened(TeamEvent):
    kind: ClassVar[str] = "complaint_opened"
    complaint_id: str
    customer_id: str
    order_id: str
    cause: str
    severity: str
    sla_due_t: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintResolved(TeamEvent):
    """A remedy was given. ``cost`` is the cash it took (a replacement's goods)."""

    kind: ClassVar[str] = "complaint_resolved"
    complaint_id: str
    customer_id: str
    remedy: str
    credit_percent: float
    cost: float
    within_sla: bool
    adequate: bool
    by: str

    @property
    def cash_delta(self) -> float:
        return -self.cost


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintSlaMissed(TeamEvent):
    kind: ClassVar[str] = "complaint_sla_missed"
    complaint_id: str
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintEscalated(TeamEvent):
    kind: ClassVar[str] = "complaint_escalated"
    complaint_id: str
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SatisfactionChanged(TeamEvent):
    """A customer's satisfaction with the team moved (hidden from the team's console)."""

    kind: ClassVar[str] = "satisfaction_changed"
    customer_id: str
    segment: str
    satisfaction: float
    cause: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyRequested(TeamEvent):
    kind: ClassVar[str] = "survey_requested"
    customer_id: str
    cost: float

    @property
    def cash_delta(self) -> float:
        return -self.cost


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyAnswered(TeamEvent):
    kind: ClassVar[str] = "survey_answered"
    customer_id: str
    satisfaction: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerChurned(TeamEvent):
    kind: ClassVar[str] = "customer_churned"
    customer_id: str


# --- marketing and policies ------------------------------------------------------------------


@dataclass(frozen=True, slots=True, kw_only=True)
class CampaignLaunched(TeamEvent):
    kind: ClassVar[str] = "campaign_launched"
    campaign_id: str
    segment: str
    budget: float
    ends_t: float

    @property
    def cash_delta(self) -> float:
        return -self.budget


@dataclass(frozen=True, slots=True, kw_only=True)
class AccountCared(TeamEvent):
    kind: ClassVar[str] = "account_cared"
    customer_id: str
    cost: float

    @property
    def cash_delta(self) -> float:
        return -self.cost


@dataclass(frozen=True, slots=True, kw_only=True)
class NoteAdded(TeamEvent):
    kind: ClassVar[str] = "note_added"
    customer_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class QuotePolicySet(TeamEvent):
    """Automation: answer new inquiries of a segment with these terms (or stop doing so)."""

    kind: ClassVar[str] = "quote_policy_set"
    segment: str
    enabled: bool
    discount: float
    terms_days: float
    delivery_days: float
    delay_hours: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ReminderPolicySet(TeamEvent):
    """Automation: remind every unpaid invoice this many days after it falls due."""

    kind: ClassVar[str] = "reminder_policy_set"
    enabled: bool
    days_after_due: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ApologyPolicySet(TeamEvent):
    """Automation: answer minor complaints with an apology."""

    kind: ClassVar[str] = "apology_policy_set"
    enabled: bool


EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        TeamJoined,
        RoundStarted,
        RoundEnded,
        ShockApplied,
        InquiryReceived,
        ApprovalRequested,
        ApprovalDecided,
        QuoteSent,
        FollowUpMade,
        InquiryDeclined,
        InquiryExpired,
        InquiryLost,
        OrderWon,
        OrderDelivered,
        DeliveryHeld,
        OrderVoided,
        InvoiceIssued,
        InvoiceDue,
        ReminderSent,
        PaymentReceived,
        CreditNoteIssued,
        RefundPaid,
        InvoiceHandedOver,
        InvoiceWrittenOff,
        CreditChecked,
        CreditLimitSet,
        ComplaintOpened,
        ComplaintResolved,
        ComplaintSlaMissed,
        ComplaintEscalated,
        SatisfactionChanged,
        SurveyRequested,
        SurveyAnswered,
        CustomerChurned,
        CampaignLaunched,
        AccountCared,
        NoteAdded,
        QuotePolicySet,
        ReminderPolicySet,
        ApologyPolicySet,
    )
}

_FIELD_NAMES: dict[type[Event], tuple[str, ...]] = {
    cls: tuple(f.name for f in fields(cls)) for cls in EVENT_TYPES.values()
}


def event_to_dict(event: Event) -> dict[str, Any]:
    """The event as a plain dictionary with its ``kind`` first."""
    out: dict[str, Any] = {"kind": event.kind}
    for name in _FIELD_NAMES[type(event)]:
        out[name] = getattr(event, name)
    return out


def event_from_dict(data: dict[str, Any]) -> Event:
    """Inverse of :func:`event_to_dict`."""
    values = dict(data)
    kind = values.pop("kind")
    cls = EVENT_TYPES.get(kind)
    if cls is None:
        raise ValueError(f"unknown event kind {kind!r}")
    return cls(**values)


def event_to_json(event: Event) -> str:
    """Canonical one-line JSON of the event (sorted keys): the unit of the log digest."""
    return json.dumps(event_to_dict(event), sort_keys=True, separators=(",", ":"))
