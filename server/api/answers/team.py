"""What the team's routes answer: the overview, the console's state with the desk's rules, the
peer review (server/api/team.py, server/views.py, server/api/peer_review.py)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field, create_model

from market.accounts import AGING_BUCKETS
from market.remedies import REMEDIES
from server.api.answers.from_dataclasses import model_of
from server.api.answers.standings import CompetitionStatus, StandingRow
from teams.records import (
    ApprovalRecord,
    ComplaintRecord,
    CustomerRecord,
    InquiryRecord,
    InvoiceRecord,
    OrderRecord,
    QuotePolicy,
)


class TeamOverview(BaseModel):
    """The member's team, its members, its cash and its place on the board."""

    team: str
    member: str
    role: str = Field(description="the member's role: manager, sales, service or finance")
    competition: CompetitionStatus
    members: list[str] = Field(description="the names of the members who have sent commands")
    standing: StandingRow | None = Field(description="the team's line of the public board")
    cash: float | None = Field(description="null before the start")


class RemedyCost(BaseModel):
    """What a remedy would cost now."""

    cash: float = Field(description="paid out (refunds, replacement goods)")
    credit: float = Field(description="credit notes on the order's open invoices: money not collected")


_REMEDY_FIELDS: dict[str, Any] = {remedy: (RemedyCost, ...) for remedy in REMEDIES if remedy != "credit_note"}
RemedyCosts = create_model(
    "RemedyCosts",
    __doc__="What each remedy of an open complaint would cost now; for a credit note, whose size is "
    "the team's choice, the order's figures instead.",
    order_value=(float, Field(description="a credit note credits x % of it")),
    open=(float, Field(description="open on the order's invoices: credited first")),
    paid=(float, Field(description="paid on them: refunded beyond what is open")),
    **_REMEDY_FIELDS,
)

Inquiry = model_of(
    InquiryRecord,
    "Inquiry",
    added={"hours_left": (float, Field(description="simulated hours until it expires"))},
)
Approval = model_of(ApprovalRecord, "Approval")
Order = model_of(OrderRecord, "Order", added={"value": (float, ...)})
Invoice = model_of(
    InvoiceRecord,
    "Invoice",
    added={
        "outstanding": (float, ...),
        "bucket": (str, Field(description="aging bucket: " + ", ".join(AGING_BUCKETS))),
        "days_overdue": (float, ...),
    },
)
Complaint = model_of(
    ComplaintRecord,
    "Complaint",
    added={
        "hours_left": (float, Field(description="simulated hours until the SLA is missed")),
        "remedy_costs": (RemedyCosts | None, Field(description="while open")),
    },
)
Customer = model_of(
    CustomerRecord,
    "Customer",
    added={
        "abc": (str, Field(description="A, B or C by revenue")),
        "open_balance": (float, ...),
    },
)
QuotePolicyView = model_of(QuotePolicy, "QuotePolicy")


class Policies(BaseModel):
    """The team's automation."""

    quotes: dict[str, QuotePolicyView] = Field(description="per segment: the quote sent by itself")  # type: ignore[valid-type]
    reminder_days: float | None = Field(description="days past due a reminder goes out by itself")
    apology: bool = Field(description="whether a complaint gets an apology by itself")


class SlaHours(BaseModel):
    minor: float
    major: float


class Campaign(BaseModel):
    min_budget: float
    days: float
    scale: float = Field(description="the budget that buys 63 % of the largest lift")
    lift: float = Field(description="the largest demand lift a campaign can buy")
    launched: int = Field(description="campaigns the team has launched")


class SegmentTerms(BaseModel):
    id: str
    list_discount: float
    requested_terms: list[float] = Field(description="[low, high] days")
    delivery_wanted: list[float] = Field(description="[low, high] days")


class DeskRules(BaseModel):
    """The rules and prices the desk enforces, for checking a form as it is typed (read-only)."""

    role: str
    permissions: list[str] = Field(description="the commands the member's role may send")
    authority: dict[str, float] = Field(description="per role: the largest discount it grants at once")
    my_authority: float
    approver: str = Field(description="the role that approves a discount beyond a role's authority")
    max_discount: float
    policy_max_discount: float
    max_terms_days: float
    max_delivery_days: float
    max_installments: int
    list_price: float
    unit_cost: float
    order_cost: float
    lead_time_days: float
    volume_threshold: float
    volume_discount: float
    loyalty_discount: float
    survey_cost: float
    survey_hours: float
    credit_check_cost: float
    care_cost: float
    care_days: float
    sla_hours: SlaHours
    reminder_gap_days: float
    writeoff_after_days: float
    collection_recovery: float
    remedies: list[str]
    campaign: Campaign
    segments: list[SegmentTerms]


class TeamState(BaseModel):
    """Everything the team console shows, from the team's own ledger, at ``t_sim``."""

    t_sim: float
    cash: float
    free_cash: float = Field(description="cash not committed to goods already promised")
    inbox: list[Inquiry] = Field(description="open inquiries, the first to expire first")  # type: ignore[valid-type]
    approvals: list[Approval] = Field(description="pending approvals")  # type: ignore[valid-type]
    orders: list[Order]  # type: ignore[valid-type]
    invoices: list[Invoice]  # type: ignore[valid-type]
    aging: dict[str, float] = Field(description="open receivables by bucket: " + ", ".join(AGING_BUCKETS))
    complaints: list[Complaint]  # type: ignore[valid-type]
    customers: list[Customer]  # type: ignore[valid-type]
    policies: Policies
    desk: DeskRules


class Teammate(BaseModel):
    member_id: int
    name: str
    role: str
    rating: int | None = Field(description="the rating you gave (1–5); null: none yet")
    comment: str


class MyPeerReview(BaseModel):
    """Your teammates and the ratings you gave them."""

    open: bool = Field(description="once the competition has finished")
    state: str
    teammates: list[Teammate]
