"""Desk rules: who may do what, discount authority, and the limits of a quote.

Roles split the work of a team of about four: sales quotes, service answers complaints,
finance collects, the manager may do everything and approves discounts above a seller's
authority. The team's own automation acts with the manager's authority (a manager set it).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal

from teams import commands as c

ROLES = ("manager", "sales", "service", "finance")
AUTOMATION_ROLE = "policy"

_SALES = {
    c.SendQuote,
    c.ReviseQuote,
    c.DeclineInquiry,
    c.FollowUp,
    c.CheckCredit,
    c.LaunchCampaign,
    c.CareForAccount,
}
_SERVICE = {c.ResolveComplaint, c.RequestSurvey, c.CareForAccount}
_FINANCE = {c.SendReminder, c.HandOverToCollection, c.WriteOff, c.CheckCredit, c.SetCreditLimit}
_EVERYONE = {c.AddNote}
PERMISSIONS: MappingProxyType[str, frozenset[type[c.Command]]] = MappingProxyType(
    {
        "sales": frozenset(_SALES | _EVERYONE),
        "service": frozenset(_SERVICE | _EVERYONE),
        "finance": frozenset(_FINANCE | _EVERYONE),
        "manager": frozenset(c.COMMAND_TYPES.values()),
        AUTOMATION_ROLE: frozenset({c.SendQuote, c.SendReminder, c.ResolveComplaint}),
    }
)

Routing = Literal["send", "approval", "refuse"]


@dataclass(frozen=True, slots=True)
class DeskRules:
    """Discount authority and quote limits (defaults: sales 10 %, manager 25 %)."""

    authority: MappingProxyType[str, float] = field(
        default_factory=lambda: MappingProxyType({"sales": 0.10, "manager": 0.25, AUTOMATION_ROLE: 0.25})
    )
    approver: str = "manager"
    max_terms_days: float = 120.0
    max_delivery_days: float = 365.0
    max_installments: int = 4

    @property
    def max_discount(self) -> float:
        return self.authority[self.approver]

    def allowed(self, role: str, command: type[c.Command]) -> bool:
        return command in PERMISSIONS.get(role, frozenset())

    def route_discount(self, role: str, discount: float) -> Routing:
        """Send at once, wait for the approver, or refuse outright."""
        if discount <= self.authority.get(role, 0.0) + 1e-9:
            return "send"
        if discount <= self.max_discount + 1e-9:
            return "approval"
        return "refuse"


def roles_allowed(command: type[c.Command]) -> list[str]:
    """The human roles that may issue ``command`` (for refusal messages)."""
    return [r for r in ROLES if command in PERMISSIONS[r]]
