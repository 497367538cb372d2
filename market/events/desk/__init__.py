"""Desk events: the decisions of a team's CRM desk, one kind per thing a team can decide.

The desk (``teams.desk``) turns an accepted command into these; the market reacts to some of
them (a quote is considered, a reminder shortens a payment delay). They live below ``teams``
because the market must read them, and beside the market's own events because the log, the
archives and scoring read both alike. Everything else in :mod:`market.events` is what customers,
the market and the competition do.
"""

from __future__ import annotations

from market.events.base import Event
from market.events.desk.marketing import (
    AccountCared,
    ApologyPolicySet,
    CampaignLaunched,
    NoteAdded,
    QuotePolicySet,
    ReminderPolicySet,
)
from market.events.desk.receivables import (
    CreditChecked,
    CreditLimitSet,
    CreditNoteIssued,
    InvoiceHandedOver,
    RefundPaid,
    ReminderSent,
)
from market.events.desk.sales import (
    ApprovalDecided,
    ApprovalRequested,
    FollowUpMade,
    InquiryDeclined,
    QuoteSent,
)
from market.events.desk.service import ComplaintResolved, SurveyRequested

DESK_EVENTS: tuple[type[Event], ...] = (
    ApprovalRequested,
    ApprovalDecided,
    QuoteSent,
    FollowUpMade,
    InquiryDeclined,
    ReminderSent,
    CreditNoteIssued,
    RefundPaid,
    InvoiceHandedOver,
    CreditChecked,
    CreditLimitSet,
    ComplaintResolved,
    SurveyRequested,
    CampaignLaunched,
    AccountCared,
    NoteAdded,
    QuotePolicySet,
    ReminderPolicySet,
    ApologyPolicySet,
)
"""Every kind only a team's desk makes."""

__all__ = [
    "DESK_EVENTS",
    "AccountCared",
    "ApologyPolicySet",
    "ApprovalDecided",
    "ApprovalRequested",
    "CampaignLaunched",
    "ComplaintResolved",
    "CreditChecked",
    "CreditLimitSet",
    "CreditNoteIssued",
    "FollowUpMade",
    "InquiryDeclined",
    "InvoiceHandedOver",
    "NoteAdded",
    "QuotePolicySet",
    "QuoteSent",
    "RefundPaid",
    "ReminderPolicySet",
    "ReminderSent",
    "SurveyRequested",
]
