"""Inquiries: customers arriving, the shortlist they ask, and the teams' replies.

Each segment's new customers arrive as a Poisson process over business hours, the daily rate
following the segment's demand walk and the campaigns running in it. A customer (new or
returning) sends one request for quotes to a shortlist of teams, drawn with weights that
grow with reputation and campaigns; each team sees the request as an inquiry. The request
waits for every reply or the customer's patience, takes a moment to consider, then goes to
the customer's decision (``market.decision``). A first quote engages the customer with a
probability that falls with the reply time; a follow-up may engage one that was not.
"""

from __future__ import annotations

import math
from collections.abc import Generator
from typing import TYPE_CHECKING, Any

import numpy as np
import simpy

from market import events as ev
from market.customer import Customer, Offer, Request, new_customer
from market.engagement import engagement
from market.satisfaction import going_price

if TYPE_CHECKING:
    from market.market import Market

# purposes of the random streams spawned from the competition seed
_ARRIVALS, _CUSTOMER = 0, 1


class Inquiries:
    """The open requests for quotes of one market, from arrival to the customer's decision."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.requests: dict[str, Request] = {}
        self._by_inquiry: dict[str, Request] = {}
        self._serials = [0] * len(market.params.segments)
        self._request_serial = 0

    # --- arrivals ---------------------------------------------------------------------------

    def start(self) -> None:
        """Start the arrival process of every segment."""
        m = self.market
        for index in range(len(m.params.segments)):
            m.env.process(self._arrivals(index))

    def _arrivals(self, index: int) -> Generator[simpy.Event, Any, None]:
        """New customers of one segment, Poisson(Q) per business day over business hours."""
        m = self.market
        seg = m.params.segments[index]
        rng = m.rng(_ARRIVALS, index)
        demand = m.demand[index]
        day_hours = m.hours(1.0) / m.calendar.business_days_per_day
        day = 0
        while True:
            demand.step(rng, m.params.demand_walk_step, m.params.demand_trend_bound)
            count = int(rng.poisson(demand.daily_rate(m.campaigns.segment_lift(seg.id))))
            for t in np.sort(rng.uniform(0.0, day_hours, count)) + day * day_hours:
                yield m.env.timeout(max(0.0, float(t) - m.env.now))
                self._new_customer_request(index)
            day += 1
            yield m.env.timeout(day * day_hours - m.env.now)

    def _new_customer_request(self, index: int) -> None:
        m = self.market
        seg = m.params.segments[index]
        serial = self._serials[index]
        self._serials[index] += 1
        customer = new_customer(f"C{index}.{serial}", seg, m.rng(_CUSTOMER, index, serial))
        m.customers[customer.id] = customer
        self.open_request(customer, self.shortlist(customer), repeat=False)

    # --- requests ---------------------------------------------------------------------------

    def shortlist(self, customer: Customer, incumbent: str | None = None) -> list[str]:
        """Teams a customer asks, drawn with weights that grow with reputation and campaigns."""
        m = self.market
        pool = [t for t in m.teams if t != incumbent]
        chosen = [incumbent] if incumbent else []
        weight_of = m.params.reputation_weight
        seg_id = customer.segment.id
        weights = [
            math.exp(weight_of * (m.reputation(t, seg_id) - 0.6)) * (1.0 + m.campaigns.team_lift(t, seg_id))
            for t in pool
        ]
        while len(chosen) < m.shortlist_size and pool:
            u = customer.rng.random() * sum(weights)
            pick = len(pool) - 1
            for i, w in enumerate(weights):
                u -= w
                if u < 0:
                    pick = i
                    break
            chosen.append(pool.pop(pick))
            weights.pop(pick)
        return [t for t in m.teams if t in chosen]

    def open_request(self, customer: Customer, teams: list[str], repeat: bool) -> None:
        """Send one request for quotes to ``teams`` and start waiting for replies."""
        m = self.market
        seg = customer.segment
        rng = customer.rng
        list_price = m.params.product.list_price
        price_factor = m.reserve_factor[seg.id]
        self._request_serial += 1
        req = Request(
            id=f"R{self._request_serial}",
            customer=customer,
            t0=m.env.now,
            deadline=m.env.now + seg.patience_hours,
            quantity=customer.draw_quantity(),
            wanted_delivery=customer.draw_wanted_delivery(),
            list_price=list_price,
            reserve_price=customer.reserve_ratio * list_price * price_factor,
            going_price=going_price(seg.reserve_ratio, list_price) * price_factor,
            teams=teams,
            repeat=repeat,
            engage_draws={t: rng.random() for t in teams},
            followup_draws={t: rng.random() for t in teams},
            choice_draw=rng.random(),
        )
        req.all_responded = m.env.event()
        self.requests[req.id] = req
        product = m.params.product
        for team in teams:
            m.sentiment(customer, team)
            discount = seg.list_discount
            if req.quantity >= product.volume_threshold:
                discount += product.volume_discount
            if customer.incumbent == team:
                discount += product.loyalty_discount
            inquiry_id = req.inquiry_id(team)
            self._by_inquiry[inquiry_id] = req
            m.emit(
                ev.InquiryReceived,
                team=team,
                inquiry_id=inquiry_id,
                request_id=req.id,
                customer_id=customer.id,
                segment=seg.id,
                quantity=req.quantity,
                list_price=product.list_price,
                list_discount=round(discount, 4),
                requested_terms=customer.requested_terms,
                wanted_delivery=req.wanted_delivery,
                expires_t=req.deadline,
                repeat=repeat,
            )
        m.env.process(self._request_journey(req))

    def _request_journey(self, req: Request) -> Generator[simpy.Event, Any, None]:
        """Wait for every reply or the customer's patience, take a moment, then choose."""
        m = self.market
        yield req.all_responded | m.env.timeout(req.deadline - m.env.now)
        remaining = req.deadline - m.env.now
        if remaining > 0 and req.offers:
            yield m.env.timeout(min(m.params.consideration_hours, remaining))
        self._close(req)
        m.decision.decide(req)

    def _close(self, req: Request) -> None:
        """The request is decided: no reply counts any more."""
        req.decided = True
        del self.requests[req.id]
        for team in req.teams:
            del self._by_inquiry[req.inquiry_id(team)]

    # --- replies ----------------------------------------------------------------------------

    def _reply(self, req: Request) -> None:
        if req.responded() and not req.all_responded.triggered:
            req.all_responded.succeed()

    def on_quote(self, event: ev.QuoteSent) -> None:
        req = self._by_inquiry.get(event.inquiry_id)
        if req is None or req.decided:
            return
        m = self.market
        team = event.team
        first = req.offers.get(team)
        reply_hours = first.reply_hours if first else m.env.now - req.t0
        if first is None:
            e = engagement(reply_hours, m.params.reply_tau_hours, m.params.engagement_floor)
            req.engaged[team] = req.engage_draws[team] < e
        req.offers[team] = Offer(
            event.unit_price, event.terms_days, event.delivery_days, event.installments, reply_hours
        )
        self._reply(req)

    def on_follow_up(self, event: ev.FollowUpMade) -> None:
        req = self._by_inquiry.get(event.inquiry_id)
        if req is None or req.decided or event.team in req.followed_up or event.team not in req.offers:
            return
        m = self.market
        req.followed_up.add(event.team)
        if not req.engaged.get(event.team):
            e = engagement(m.env.now - req.t0, m.params.reply_tau_hours, m.params.engagement_floor)
            req.engaged[event.team] = req.followup_draws[event.team] < m.params.followup_factor * e

    def on_decline(self, event: ev.InquiryDeclined) -> None:
        req = self._by_inquiry.get(event.inquiry_id)
        if req is None or req.decided:
            return
        req.declined.add(event.team)
        req.offers.pop(event.team, None)
        self._reply(req)
