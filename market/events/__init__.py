"""The event vocabulary: every fact that can happen in a competition.

Two kinds of fact, in separate homes: what customers, the market and the competition do
(``competition``, ``sales``, ``receivables``, ``service``), and the decisions of a team's desk
(:mod:`market.events.desk`, listed in ``DESK_EVENTS``). One vocabulary all the same: one
registry of kinds (``EVENT_TYPES``, the wire format of the log, the archives and the exports)
and one codec, read alike by teams, scoring and the server.

An event is a frozen dataclass with a sequence number ``seq`` and a simulated time ``t``
(business hours since the start). Events are appended once to the competition's log and
never changed; standings, consoles, exports and replays are all views of that log. Events
that concern one team carry its id in ``team``. ``cash_delta`` says how an event moves
that team's cash, so every view of money is the same fold over the log.
"""

from __future__ import annotations

import json
from dataclasses import fields
from typing import Any

from market.events.base import Event, Spending, TeamEvent
from market.events.competition import (
    AnnouncementMade,
    ParametersChanged,
    RoundEnded,
    RoundStarted,
    ShockApplied,
    TeamJoined,
)
from market.events.desk import (
    DESK_EVENTS,
    AccountCared,
    ApologyPolicySet,
    ApprovalDecided,
    ApprovalRequested,
    CampaignLaunched,
    ComplaintResolved,
    CreditChecked,
    CreditLimitSet,
    CreditNoteIssued,
    FollowUpMade,
    InquiryDeclined,
    InvoiceHandedOver,
    NoteAdded,
    QuotePolicySet,
    QuoteSent,
    RefundPaid,
    ReminderPolicySet,
    ReminderSent,
    SurveyRequested,
)
from market.events.receivables import InvoiceDue, InvoiceIssued, InvoiceWrittenOff, PaymentReceived
from market.events.sales import (
    DeliveryHeld,
    InquiryExpired,
    InquiryLost,
    InquiryReceived,
    OrderDelivered,
    OrderVoided,
    OrderWon,
)
from market.events.service import (
    ComplaintEscalated,
    ComplaintOpened,
    ComplaintSlaMissed,
    CustomerChurned,
    SatisfactionChanged,
    SurveyAnswered,
)

EVENT_TYPES: dict[str, type[Event]] = {
    cls.kind: cls
    for cls in (
        TeamJoined,
        RoundStarted,
        ParametersChanged,
        AnnouncementMade,
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


__all__ = [
    "DESK_EVENTS",
    "EVENT_TYPES",
    "AccountCared",
    "AnnouncementMade",
    "ApologyPolicySet",
    "ApprovalDecided",
    "ApprovalRequested",
    "CampaignLaunched",
    "ComplaintEscalated",
    "ComplaintOpened",
    "ComplaintResolved",
    "ComplaintSlaMissed",
    "CreditChecked",
    "CreditLimitSet",
    "CreditNoteIssued",
    "CustomerChurned",
    "DeliveryHeld",
    "Event",
    "FollowUpMade",
    "InquiryDeclined",
    "InquiryExpired",
    "InquiryLost",
    "InquiryReceived",
    "InvoiceDue",
    "InvoiceHandedOver",
    "InvoiceIssued",
    "InvoiceWrittenOff",
    "NoteAdded",
    "OrderDelivered",
    "OrderVoided",
    "OrderWon",
    "ParametersChanged",
    "PaymentReceived",
    "QuotePolicySet",
    "QuoteSent",
    "RefundPaid",
    "ReminderPolicySet",
    "ReminderSent",
    "RoundEnded",
    "RoundStarted",
    "SatisfactionChanged",
    "ShockApplied",
    "Spending",
    "SurveyAnswered",
    "SurveyRequested",
    "TeamEvent",
    "TeamJoined",
    "event_from_dict",
    "event_to_dict",
    "event_to_json",
]
