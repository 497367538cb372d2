"""The CRM desk of one team: validates commands and turns them into events.

``Desk.decide`` checks a command against the role's permissions, the desk rules and the
ledger, and returns the events it stands for, or raises :class:`CommandRefused` with a
reason that says what is wrong and how to put it right. It changes nothing itself: the
competition appends the events, and the ledger folds them like any other event.

The desk checks the team and the role itself and hands each command to the handlers of its
area — ``sales``, ``receivables``, ``service`` and ``marketing`` (with the standing
policies) — which share the desk's ledger, rules, parameters and the checks in ``checks``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from market import events as ev
from market.market import Market
from market.parameters import MarketParameters
from teams import commands as c
from teams.commands import EventSpec
from teams.desk.checks import money
from teams.desk.marketing import MarketingDesk
from teams.desk.receivables import ReceivablesDesk
from teams.desk.sales import SalesDesk
from teams.desk.service import ServiceDesk
from teams.errors import CommandRefused
from teams.ledger import Ledger
from teams.rules import DeskRules, roles_allowed


class Desk:
    """One team's CRM desk."""

    def __init__(self, team: str, market: Market, rules: DeskRules | None = None) -> None:
        self.team = team
        self.market = market
        self.params = market.params
        self.rules = rules or DeskRules()
        self.ledger = Ledger(
            team, self.params.product.unit_cost, self.params.product.order_cost, self.params.calendar
        )
        self._serial = 0
        self.sales = SalesDesk(self)
        self.receivables = ReceivablesDesk(self)
        self.service = ServiceDesk(self)
        self.marketing = MarketingDesk(self)
        self._handlers: dict[type[c.Command], Callable[[Any, float], list[EventSpec]]] = {
            **self.sales.handlers(),
            **self.receivables.handlers(),
            **self.service.handlers(),
            **self.marketing.handlers(),
        }

    def set_parameters(self, params: MarketParameters) -> None:
        """Use ``params`` from now on (prices, costs and limits of later commands)."""
        self.params = params
        self.ledger.unit_cost = params.product.unit_cost
        self.ledger.order_cost = params.product.order_cost

    def observe(self, event: ev.Event) -> None:
        self.ledger.observe(event)

    def decide(self, command: c.Command, now: float) -> list[EventSpec]:
        """The events ``command`` stands for at time ``now``; CommandRefused if it is not allowed."""
        if command.team != self.team:
            raise CommandRefused("forbidden", f"this is the desk of team {self.team}, not {command.team}")
        kind = type(command)
        if not self.rules.allowed(command.role, kind):
            roles = ", ".join(roles_allowed(kind)) or "nobody"
            raise CommandRefused(
                "forbidden", f"role {command.role!r} may not {command.kind}; roles that may: {roles}"
            )
        return self._handlers[kind](command, now)

    # --- what every area's handlers share ----------------------------------------------------------

    def known_customer(self, customer_id: str) -> None:
        """CommandRefused unless the team has met the customer."""
        if customer_id not in self.ledger.customers:
            raise CommandRefused("not_found", f"team {self.team} has no customer {customer_id!r}")

    def spend(self, what: str, cost: float) -> None:
        """CommandRefused unless the team has ``cost`` in cash for ``what``."""
        cash = self.ledger.cash
        if cost > cash + 1e-9:
            raise CommandRefused(
                "insufficient_cash",
                f"{what} costs {money(cost)} but the team has only {money(cash)} in cash",
                "insufficient_cash",
                cost=cost,
                cash=cash,
            )

    def event(self, kind: type[ev.Event], **fields: Any) -> EventSpec:
        """An event of this team that a command stands for."""
        return (kind, {"team": self.team, **fields})

    def next_id(self, prefix: str) -> str:
        """A new id for something the desk starts (an approval, a campaign), serial per desk."""
        self._serial += 1
        return f"{self.team}-{prefix}{self._serial}"
