"""Retention: repeat purchases, churn and the lasting cost of failures.

A customer that received goods reorders after Exp(rate) days, its rate drawn once from
Gamma(2, segment mean). At that moment it may drop out (churn p·exp(−3(S − 0.6)), cut by
account care), and a failure since its last order caps the chance that it comes back at the
TARP repurchase rate for how the failure ended. A customer that stays asks only its
incumbent with the segment's inertia as probability, otherwise a fresh shortlist.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from market import events as ev
from market.remedies import REPURCHASE

if TYPE_CHECKING:
    from market.customer import Customer
    from market.market import Market


class Retention:
    """Repeat purchase and churn of one market's customers."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def schedule_repeat(self, customer: Customer) -> None:
        """Plan the customer's next need for goods (replacing any plan made before)."""
        if customer.repeat_rate_per_day <= 0 or not customer.active:
            return
        customer.repeat_version += 1
        gap_days = float(customer.rng.exponential(1.0 / customer.repeat_rate_per_day))
        m = self.market
        m.at(m.env.now + m.hours(gap_days), self._repeat, customer, customer.repeat_version)

    def stay_probability(self, customer: Customer, team: str) -> float:
        """Chance the customer buys again, before it draws (failure cleared by the caller)."""
        m = self.market
        s = m.sentiment(customer, team).satisfaction
        churn = customer.segment.churn * math.exp(-3.0 * (s - 0.6))
        if customer.care_until.get(team, -1.0) > m.env.now:
            churn *= m.params.service.care_churn_factor
        stay = 1.0 - min(1.0, churn)
        failure = customer.failures.get(team)
        if failure is not None:
            stay = min(stay, REPURCHASE[(failure.outcome, failure.severity)])
        return stay

    def _repeat(self, customer: Customer, version: int) -> None:
        """A won customer needs goods again: it may drop out, go back, or shop around."""
        team = customer.incumbent
        if version != customer.repeat_version or not customer.active or team is None:
            return
        m = self.market
        stay = self.stay_probability(customer, team)
        customer.failures.pop(team, None)
        leave_draw, loyal_draw = customer.rng.random(), customer.rng.random()
        if leave_draw >= stay:
            customer.active = False
            m.emit(ev.CustomerChurned, team=team, customer_id=customer.id)
            return
        loyal = loyal_draw < customer.segment.inertia or len(m.teams) == 1
        teams = [team] if loyal else m.inquiries.shortlist(customer, team)
        m.inquiries.open_request(customer, teams, repeat=True)
