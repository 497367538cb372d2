"""Decisions of a team's desk in the sales funnel: approvals, quotes, follow-ups, declines."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from market.events.base import TeamEvent


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
