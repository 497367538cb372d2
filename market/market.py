"""The market: customers as SimPy processes, from first inquiry to repeat order or churn.

One ``Market`` owns the customers of one world. In ``shared`` mode a single market serves
every team and each new customer asks a shortlist of teams; in ``mirrored`` mode every team
gets its own market built from the same seed, so all teams face identical customers.

The market talks to the rest of the competition only through events: it emits the facts it
creates (inquiries, orders, deliveries, invoices, payments, complaints, satisfaction) with
``emit`` and reacts in ``observe`` to the facts teams create (quotes, reminders, remedies,
campaigns). Randomness comes from streams spawned from one seed by purpose and serial.

The ``Market`` itself keeps what every part shares — the clock, the parameters, the
customers, their sentiments and the teams' reputations — and hands each concern to a
collaborator that holds the market: ``inquiries`` (arrivals, shortlists, requests and
replies), ``decision`` (the customer's choice among quotes), ``campaigns``, ``fulfilment``,
``receivables`` (invoices and payment), ``complaints``, ``retention`` (repeat orders and
churn), ``account_service`` (care and surveys) and ``shocks``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import simpy

from market import events as ev
from market.account_service import AccountService
from market.campaigns import Campaigns
from market.complaints import ComplaintBook
from market.customer import Customer, Failure
from market.decision import Decision
from market.demand import DemandLevel
from market.fulfilment import Fulfilment
from market.inquiries import Inquiries
from market.parameters import MarketParameters
from market.payment import risk_grade
from market.receivables import ReceivableBook
from market.retention import Retention
from market.satisfaction import Sentiment
from market.shocks import Shocks

Emit = Callable[..., ev.Event]
Funds = Callable[[str, float], bool]
"""Asks whether a team has the cash to pay an amount now (the desks know; the market asks)."""


def _always_funded(team: str, amount: float) -> bool:
    return True


class Market:
    """Customers of one world and everything they do."""

    def __init__(
        self,
        env: simpy.Environment,
        params: MarketParameters,
        seed: int,
        teams: Sequence[str],
        emit: Emit,
        funds: Funds = _always_funded,
    ) -> None:
        self.env = env
        self.funds = funds
        self.params = params
        self.seed = seed
        self.teams = sorted(teams)
        self.emit = emit
        self.calendar = params.calendar
        self.shortlist_size = min(params.shortlist_size, len(self.teams))
        scale = len(self.teams) / self.shortlist_size
        self.demand = [
            DemandLevel(params.inquiries_per_team_per_day * s.share * scale, *params.demand_bounds)
            for s in params.segments
        ]
        self.reserve_factor = {s.id: 1.0 for s in params.segments}
        self.customers: dict[str, Customer] = {}
        self._reputation: dict[tuple[str, str], list[float]] = {}
        self.inquiries = Inquiries(self)
        self.decision = Decision(self)
        self.campaigns = Campaigns(self)
        self.receivables = ReceivableBook(self)
        self.complaints = ComplaintBook(self)
        self.fulfilment = Fulfilment(self)
        self.retention = Retention(self)
        self.account_service = AccountService(self)
        self.shocks = Shocks(self)
        self._handlers: dict[type[ev.Event], Callable[[Any], None]] = {
            ev.QuoteSent: self.inquiries.on_quote,
            ev.FollowUpMade: self.inquiries.on_follow_up,
            ev.InquiryDeclined: self.inquiries.on_decline,
            ev.CampaignLaunched: self.campaigns.on_launched,
            ev.AccountCared: self.account_service.on_care,
            ev.SurveyRequested: self.account_service.on_survey,
            ev.ShockApplied: self.shocks.on_shock,
            ev.ReminderSent: self.receivables.on_reminder,
            ev.CreditNoteIssued: self.receivables.on_credit_note,
            ev.RefundPaid: self.receivables.on_refund,
            ev.InvoiceHandedOver: self.receivables.on_hand_over,
            ev.InvoiceWrittenOff: self.receivables.on_write_off,
            ev.ComplaintResolved: self.complaints.on_resolved,
            ev.PaymentReceived: self.fulfilment.on_payment,
        }

    # --- plumbing ------------------------------------------------------------------------

    def start(self) -> None:
        """Start the arrival process of every segment."""
        self.inquiries.start()

    def observe(self, event: ev.Event) -> None:
        """React to an event of the competition (most are not for the market)."""
        handler = self._handlers.get(type(event))
        if handler is not None:
            handler(event)

    def rng(self, purpose: int, *key: int) -> np.random.Generator:
        """The random stream for one purpose and key, independent of every other."""
        return np.random.default_rng(np.random.SeedSequence(self.seed, spawn_key=(purpose, *key)))

    def at(self, t: float, action: Callable[..., None], *args: Any) -> None:
        """Call ``action(*args)`` at simulated time ``t`` (now if ``t`` has passed)."""
        timer = self.env.timeout(max(0.0, t - self.env.now))
        timer.callbacks.append(lambda _event: action(*args))

    def hours(self, days: float) -> float:
        return self.calendar.hours(days)

    def set_parameters(self, params: MarketParameters) -> None:
        """Use ``params`` from now on (the competition's shape — mode, calendar — stays)."""
        self.params = params
        self.shortlist_size = min(params.shortlist_size, len(self.teams))
        scale = len(self.teams) / self.shortlist_size
        for level, seg in zip(self.demand, params.segments, strict=True):
            level.base = params.inquiries_per_team_per_day * seg.share * scale
            level.low, level.high = params.demand_bounds
        by_id = {seg.id: seg for seg in params.segments}
        for customer in self.customers.values():
            customer.segment = by_id[customer.segment.id]

    # --- queries used by the desks --------------------------------------------------------

    def customer(self, customer_id: str) -> Customer:
        return self.customers[customer_id]

    def credit_grade(self, customer_id: str) -> str:
        """Risk grade A–D a credit check reveals."""
        c = self.customers[customer_id]
        return risk_grade(c.risk, c.segment.risk_spread)

    def late_rate(self, team: str) -> float:
        return self.fulfilment.late_rate(team)

    def reputation(self, team: str, segment: str) -> float:
        total = self._reputation.get((team, segment))
        return total[0] / total[1] if total and total[1] else self.params.satisfaction.initial

    # --- satisfaction ---------------------------------------------------------------------

    def sentiment(self, customer: Customer, team: str) -> Sentiment:
        """The customer's sentiment towards ``team``, counted in the team's reputation."""
        s = customer.sentiments.get(team)
        if s is None:
            s = customer.sentiment(team, self.params.satisfaction)
            total = self._reputation.setdefault((team, customer.segment.id), [0.0, 0])
            total[0] += s.satisfaction
            total[1] += 1
        return s

    def feel(self, customer: Customer, team: str, cause: str, change: Callable[[Sentiment], None]) -> None:
        """Apply ``change`` to the customer's sentiment and publish the new satisfaction."""
        s = self.sentiment(customer, team)
        before = s.satisfaction
        change(s)
        self._reputation[(team, customer.segment.id)][0] += s.satisfaction - before
        self.emit(
            ev.SatisfactionChanged,
            team=team,
            customer_id=customer.id,
            segment=customer.segment.id,
            satisfaction=s.satisfaction,
            cause=cause,
        )

    def penalise(self, customer: Customer, team: str, cause: str, amount: float) -> None:
        """Lower the customer's satisfaction with ``team`` by ``amount`` and publish it."""
        self.feel(customer, team, cause, lambda s: s.penalise(amount))

    def fail(
        self, customer: Customer, team: str, cause: str, order_id: str, severity: str | None = None
    ) -> None:
        """Record a failure; with the segment's probability it becomes a complaint later."""
        seg = customer.segment
        drawn = "major" if customer.rng.random() < seg.major_share else "minor"
        complains = customer.rng.random() < seg.complaint_probability
        delay = float(customer.rng.exponential(self.hours(self.params.service.complaint_delay_days)))
        failure = Failure(severity or drawn)
        customer.failures[team] = failure
        if complains:
            self.at(self.env.now + delay, self.complaints.open, customer, team, cause, order_id, failure)
