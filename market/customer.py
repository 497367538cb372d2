"""Customers and their requests for quotes.

A customer belongs to a segment and carries its own random stream (spawned from the
competition seed by its segment and serial number, so nobody's dice depend on what teams
do or in which order). It remembers, per team, how it feels (a Sentiment), whether a
failure still weighs on the relationship, and who its incumbent supplier is.

A request is one need for goods sent to a shortlist of teams; each shortlisted team sees it
as an inquiry. The uniform numbers that decide engagement and choice are drawn when the
request is made, in shortlist order, so the order of the teams' replies shifts nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np

from market.parameters import SatisfactionParameters, SegmentParameters
from market.satisfaction import Sentiment


@dataclass(slots=True)
class Failure:
    """A failure (late, defective or voided delivery, wrong dunning) not yet forgotten."""

    severity: str
    outcome: str = "silent"  # silent | unresolved | late | sla


@dataclass(slots=True)
class Customer:
    """One simulated customer."""

    id: str
    segment: SegmentParameters
    rng: np.random.Generator
    reserve_ratio: float
    risk: float
    requested_terms: float
    repeat_rate_per_day: float
    sentiments: dict[str, Sentiment] = field(default_factory=dict)
    failures: dict[str, Failure] = field(default_factory=dict)
    care_until: dict[str, float] = field(default_factory=dict)
    incumbent: str | None = None
    orders: int = 0
    active: bool = True
    repeat_version: int = 0

    def sentiment(self, team: str, params: SatisfactionParameters) -> Sentiment:
        """This customer's sentiment towards ``team`` (created at S0, E0 on first contact)."""
        s = self.sentiments.get(team)
        if s is None:
            s = Sentiment(params.initial, params.expectation)
            self.sentiments[team] = s
        return s

    def draw_quantity(self) -> int:
        low, high = self.segment.quantity
        return int(self.rng.integers(int(low), int(high) + 1))

    def draw_wanted_delivery(self) -> float:
        low, high = self.segment.delivery_wanted
        return float(self.rng.integers(int(low), int(high) + 1))


def new_customer(customer_id: str, segment: SegmentParameters, rng: np.random.Generator) -> Customer:
    """A fresh customer of ``segment`` whose traits are drawn from its own stream ``rng``."""
    reserve_ratio = float(rng.uniform(*segment.reserve_ratio))
    risk = float(rng.normal(0.0, segment.risk_spread)) if segment.risk_spread > 0 else 0.0
    low, high = segment.requested_terms
    requested_terms = float(round(rng.uniform(low, high)))
    mean_rate = segment.repeat_per_30_days / 30.0
    repeat_rate = float(rng.gamma(2.0, mean_rate / 2.0)) if mean_rate > 0 else 0.0
    return Customer(customer_id, segment, rng, reserve_ratio, risk, requested_terms, repeat_rate)


@dataclass(slots=True)
class Offer:
    """A team's current quote on a request."""

    unit_price: float
    terms_days: float
    delivery_days: float
    installments: int
    reply_hours: float


@dataclass(slots=True)
class Request:
    """One customer need, sent as an inquiry to each team on the shortlist."""

    id: str
    customer: Customer
    t0: float
    deadline: float
    quantity: int
    wanted_delivery: float
    list_price: float
    reserve_price: float
    going_price: float
    """The segment's going rate: its typical reserve price (the middle of ``reserve_ratio``)."""
    teams: list[str]
    repeat: bool
    engage_draws: dict[str, float]
    followup_draws: dict[str, float]
    choice_draw: float
    offers: dict[str, Offer] = field(default_factory=dict)
    engaged: dict[str, bool] = field(default_factory=dict)
    followed_up: set[str] = field(default_factory=set)
    declined: set[str] = field(default_factory=set)
    all_responded: Any = None  # a simpy Event, triggered when every team quoted or declined
    decided: bool = False

    def inquiry_id(self, team: str) -> str:
        return f"{self.id}/{team}"

    def responded(self) -> bool:
        return all(t in self.offers or t in self.declined for t in self.teams)
