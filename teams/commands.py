"""Team commands: every action a team can take at its CRM desk, as a typed value.

A command names the team, the role that acts (manager, sales, service, finance; ``policy``
for the team's own automation) and optionally the member. The desk validates it against its
rules and state and either refuses it with a reason (nothing changes) or turns it into
events. Commands serialise to plain dictionaries for the command log and the API.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any, ClassVar

from market.events import Event

EventSpec = tuple[type[Event], dict[str, Any]]
"""An event a command stands for, before the competition gives it a seq and a time."""


@dataclass(frozen=True, slots=True, kw_only=True)
class Command:
    kind: ClassVar[str] = "command"
    team: str
    role: str = "manager"
    member: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SendQuote(Command):
    """Quote an inquiry: position discount on top of the price-list discount, terms, delivery."""

    kind: ClassVar[str] = "send_quote"
    inquiry_id: str
    discount: float = 0.0
    terms_days: float = 0.0
    delivery_days: float = 5.0
    installments: int = 1


@dataclass(frozen=True, slots=True, kw_only=True)
class ReviseQuote(SendQuote):
    """Replace the quote of an inquiry the customer has not decided on yet."""

    kind: ClassVar[str] = "revise_quote"


@dataclass(frozen=True, slots=True, kw_only=True)
class DeclineInquiry(Command):
    kind: ClassVar[str] = "decline_inquiry"
    inquiry_id: str
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class FollowUp(Command):
    """Call the customer about a quote it has not decided on."""

    kind: ClassVar[str] = "follow_up"
    inquiry_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ApproveDiscount(Command):
    kind: ClassVar[str] = "approve_discount"
    approval_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class RejectDiscount(Command):
    kind: ClassVar[str] = "reject_discount"
    approval_id: str
    reason: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class SendReminder(Command):
    kind: ClassVar[str] = "send_reminder"
    invoice_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class HandOverToCollection(Command):
    kind: ClassVar[str] = "hand_over_to_collection"
    invoice_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class WriteOff(Command):
    kind: ClassVar[str] = "write_off"
    invoice_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ResolveComplaint(Command):
    """Answer a complaint with a remedy: apology, credit_note (with a percent), replacement, refund."""

    kind: ClassVar[str] = "resolve_complaint"
    complaint_id: str
    remedy: str
    credit_percent: float = 0.0


@dataclass(frozen=True, slots=True, kw_only=True)
class RequestSurvey(Command):
    kind: ClassVar[str] = "request_survey"
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class CheckCredit(Command):
    kind: ClassVar[str] = "check_credit"
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetCreditLimit(Command):
    kind: ClassVar[str] = "set_credit_limit"
    customer_id: str
    limit: float


@dataclass(frozen=True, slots=True, kw_only=True)
class LaunchCampaign(Command):
    kind: ClassVar[str] = "launch_campaign"
    segment: str
    budget: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CareForAccount(Command):
    """Visit or call a customer (mostly key accounts): cuts churn for a while."""

    kind: ClassVar[str] = "care_for_account"
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class AddNote(Command):
    kind: ClassVar[str] = "add_note"
    customer_id: str
    text: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SetQuotePolicy(Command):
    """Automation: answer new inquiries of a segment after ``delay_hours`` with these terms.

    ``terms_days`` is the longest credit the policy grants (the customer gets what it asked
    for, up to that); ``delivery_days`` the standard promise (shorter if the customer wants).
    """

    kind: ClassVar[str] = "set_quote_policy"
    segment: str
    enabled: bool = True
    discount: float = 0.0
    terms_days: float = 10.0
    delivery_days: float = 5.0
    delay_hours: float = 0.25


@dataclass(frozen=True, slots=True, kw_only=True)
class SetReminderPolicy(Command):
    kind: ClassVar[str] = "set_reminder_policy"
    enabled: bool = True
    days_after_due: float = 1.0


@dataclass(frozen=True, slots=True, kw_only=True)
class SetApologyPolicy(Command):
    kind: ClassVar[str] = "set_apology_policy"
    enabled: bool = True


COMMAND_TYPES: dict[str, type[Command]] = {
    cls.kind: cls
    for cls in (
        SendQuote,
        ReviseQuote,
        DeclineInquiry,
        FollowUp,
        ApproveDiscount,
        RejectDiscount,
        SendReminder,
        HandOverToCollection,
        WriteOff,
        ResolveComplaint,
        RequestSurvey,
        CheckCredit,
        SetCreditLimit,
        LaunchCampaign,
        CareForAccount,
        AddNote,
        SetQuotePolicy,
        SetReminderPolicy,
        SetApologyPolicy,
    )
}


def command_to_dict(command: Command) -> dict[str, Any]:
    """The command as a plain dictionary with its ``kind`` first."""
    out: dict[str, Any] = {"kind": command.kind}
    for f in fields(command):
        out[f.name] = getattr(command, f.name)
    return out


def command_from_dict(data: dict[str, Any]) -> Command:
    """Inverse of :func:`command_to_dict`; ValueError names what is wrong."""
    values = dict(data)
    kind = values.pop("kind", None)
    cls = COMMAND_TYPES.get(str(kind))
    if cls is None:
        raise ValueError(f"unknown command kind {kind!r}; known: {', '.join(sorted(COMMAND_TYPES))}")
    known = {f.name for f in fields(cls)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"{kind}: unknown field {unknown[0]!r}; fields are {', '.join(sorted(known))}")
    try:
        return cls(**values)
    except TypeError as exc:
        raise ValueError(f"{kind}: {exc}") from None
