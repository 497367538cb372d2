"""Decisions of a team's desk in marketing and automation: campaigns, account care, notes
and the policies the team's automation follows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from market.events.base import Spending, TeamEvent


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
class AccountCared(Spending):
    kind: ClassVar[str] = "account_cared"
    customer_id: str


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
