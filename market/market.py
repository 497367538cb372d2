"""The market: customers as SimPy processes, from first inquiry to repeat order or churn.

One ``Market`` owns the customers of one world. In ``shared`` mode a single market serves
every team and each new customer asks a shortlist of teams; in ``mirrored`` mode every team
gets its own market built from the same seed, so all teams face identical customers.

The market talks to the rest of the competition only through events: it emits the facts it
creates (inquiries, orders, deliveries, invoices, payments, complaints, satisfaction) with
``emit`` and reacts in ``observe`` to the facts teams create (quotes, reminders, remedies,
campaigns). Randomness comes from streams spawned from one seed by purpose and serial.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Generator, Sequence
from typing import Any

import numpy as np
import simpy

from market import events as ev
from market.choice import choice_probabilities, quote_utility, rationality_lambda, walk_away_utility
from market.complaints import ComplaintBook
from market.customer import Customer, Failure, Offer, Request, new_customer
from market.demand import DemandLevel, campaign_lift
from market.engagement import engagement
from market.fulfilment import Fulfilment
from market.parameters import MarketParameters, SegmentParameters
from market.payment import risk_grade
from market.receivables import ReceivableBook
from market.retention import Retention
from market.satisfaction import Sentiment, going_price

Emit = Callable[..., ev.Event]
Funds = Callable[[str, float], bool]
"""Asks whether a team has the cash to pay an amount now (the desks know; the market asks)."""


def _always_funded(team: str, amount: float) -> bool:
    return True


# purposes of the random streams spawned from the competition seed
_ARRIVALS, _CUSTOMER = 0, 1


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
        self.requests: dict[str, Request] = {}
        self._inquiries: dict[str, Request] = {}
        self._serials = [0] * len(params.segments)
        self._request_serial = 0
        self._reputation: dict[tuple[str, str], list[float]] = {}
        self._campaigns: dict[tuple[str, str], list[tuple[float, float]]] = {}
        self.receivables = ReceivableBook(self)
        self.complaints = ComplaintBook(self)
        self.fulfilment = Fulfilment(self)
        self.retention = Retention(self)
        self._handlers: dict[type[ev.Event], Callable[[Any], None]] = {
            ev.QuoteSent: self._on_quote,
            ev.FollowUpMade: self._on_follow_up,
            ev.InquiryDeclined: self._on_decline,
            ev.CampaignLaunched: self._on_campaign,
            ev.AccountCared: self._on_care,
            ev.SurveyRequested: self._on_survey,
            ev.ShockApplied: self._on_shock,
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
        for index in range(len(self.params.segments)):
            self.env.process(self._arrivals(index))

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

    # --- arrivals and requests ------------------------------------------------------------

    def _arrivals(self, index: int) -> Generator[simpy.Event, Any, None]:
        """New customers of one segment, Poisson(Q) per business day over business hours."""
        seg = self.params.segments[index]
        rng = self.rng(_ARRIVALS, index)
        demand = self.demand[index]
        day_hours = self.hours(1.0) / self.calendar.business_days_per_day
        day = 0
        while True:
            demand.step(rng, self.params.demand_walk_step, self.params.demand_trend_bound)
            count = int(rng.poisson(demand.daily_rate(self._segment_lift(seg.id))))
            for t in np.sort(rng.uniform(0.0, day_hours, count)) + day * day_hours:
                yield self.env.timeout(max(0.0, float(t) - self.env.now))
                self._new_customer_request(index)
            day += 1
            yield self.env.timeout(day * day_hours - self.env.now)

    def _new_customer_request(self, index: int) -> None:
        seg = self.params.segments[index]
        serial = self._serials[index]
        self._serials[index] += 1
        customer = new_customer(f"C{index}.{serial}", seg, self.rng(_CUSTOMER, index, serial))
        self.customers[customer.id] = customer
        self.open_request(customer, self.shortlist(customer), repeat=False)

    def shortlist(self, customer: Customer, incumbent: str | None = None) -> list[str]:
        """Teams a customer asks, drawn with weights that grow with reputation and campaigns."""
        pool = [t for t in self.teams if t != incumbent]
        chosen = [incumbent] if incumbent else []
        weight_of = self.params.reputation_weight
        seg_id = customer.segment.id
        weights = [
            math.exp(weight_of * (self.reputation(t, seg_id) - 0.6)) * (1.0 + self._team_lift(t, seg_id))
            for t in pool
        ]
        while len(chosen) < self.shortlist_size and pool:
            u = customer.rng.random() * sum(weights)
            pick = len(pool) - 1
            for i, w in enumerate(weights):
                u -= w
                if u < 0:
                    pick = i
                    break
            chosen.append(pool.pop(pick))
            weights.pop(pick)
        return [t for t in self.teams if t in chosen]

    def open_request(self, customer: Customer, teams: list[str], repeat: bool) -> None:
        """Send one request for quotes to ``teams`` and start waiting for replies."""
        seg = customer.segment
        rng = customer.rng
        self._request_serial += 1
        req = Request(
            id=f"R{self._request_serial}",
            customer=customer,
            t0=self.env.now,
            deadline=self.env.now + seg.patience_hours,
            quantity=customer.draw_quantity(),
            wanted_delivery=customer.draw_wanted_delivery(),
            list_price=self.params.product.list_price,
            reserve_price=customer.reserve_ratio
            * self.params.product.list_price
            * self.reserve_factor[seg.id],
            going_price=going_price(seg.reserve_ratio, self.params.product.list_price)
            * self.reserve_factor[seg.id],
            teams=teams,
            repeat=repeat,
            engage_draws={t: rng.random() for t in teams},
            followup_draws={t: rng.random() for t in teams},
            choice_draw=rng.random(),
        )
        req.all_responded = self.env.event()
        self.requests[req.id] = req
        product = self.params.product
        for team in teams:
            self.sentiment(customer, team)
            discount = seg.list_discount
            if req.quantity >= product.volume_threshold:
                discount += product.volume_discount
            if customer.incumbent == team:
                discount += product.loyalty_discount
            inquiry_id = req.inquiry_id(team)
            self._inquiries[inquiry_id] = req
            self.emit(
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
        self.env.process(self._request_journey(req))

    def _request_journey(self, req: Request) -> Generator[simpy.Event, Any, None]:
        """Wait for every reply or the customer's patience, take a moment, then choose."""
        yield req.all_responded | self.env.timeout(req.deadline - self.env.now)
        remaining = req.deadline - self.env.now
        if remaining > 0 and req.offers:
            yield self.env.timeout(min(self.params.consideration_hours, remaining))
        self._decide(req)

    # --- replies ----------------------------------------------------------------------------

    def _reply(self, req: Request, team: str) -> None:
        if req.responded() and not req.all_responded.triggered:
            req.all_responded.succeed()

    def _on_quote(self, event: ev.QuoteSent) -> None:
        req = self._inquiries.get(event.inquiry_id)
        if req is None or req.decided:
            return
        team = event.team
        first = req.offers.get(team)
        reply_hours = first.reply_hours if first else self.env.now - req.t0
        if first is None:
            e = engagement(reply_hours, self.params.reply_tau_hours, self.params.engagement_floor)
            req.engaged[team] = req.engage_draws[team] < e
        req.offers[team] = Offer(
            event.unit_price, event.terms_days, event.delivery_days, event.installments, reply_hours
        )
        self._reply(req, team)

    def _on_follow_up(self, event: ev.FollowUpMade) -> None:
        req = self._inquiries.get(event.inquiry_id)
        if req is None or req.decided or event.team in req.followed_up or event.team not in req.offers:
            return
        req.followed_up.add(event.team)
        if not req.engaged.get(event.team):
            e = engagement(self.env.now - req.t0, self.params.reply_tau_hours, self.params.engagement_floor)
            req.engaged[event.team] = req.followup_draws[event.team] < self.params.followup_factor * e

    def _on_decline(self, event: ev.InquiryDeclined) -> None:
        req = self._inquiries.get(event.inquiry_id)
        if req is None or req.decided:
            return
        req.declined.add(event.team)
        req.offers.pop(event.team, None)
        self._reply(req, event.team)

    # --- the customer's choice ----------------------------------------------------------------

    def _decide(self, req: Request) -> None:
        req.decided = True
        del self.requests[req.id]
        customer = req.customer
        seg = customer.segment
        reserve = req.reserve_price
        candidates: list[tuple[str, float, Offer]] = []
        overpriced: list[str] = []
        for team in req.teams:
            inquiry_id = req.inquiry_id(team)
            del self._inquiries[inquiry_id]
            if team in req.declined:
                continue
            offer = req.offers.get(team)
            if offer is None:
                self.emit(ev.InquiryExpired, team=team, inquiry_id=inquiry_id, customer_id=customer.id)
                self.penalise(customer, team, "ignored", self.params.satisfaction.ignored_penalty)
            elif offer.unit_price > reserve + 1e-9 or offer.delivery_days > req.wanted_delivery:
                self._lose(req, team, "not_acceptable")
                if offer.unit_price > max(reserve, req.going_price) + 1e-9 and self.params.rules >= 2:
                    overpriced.append(team)
            elif not req.engaged.get(team, False):
                self._lose(req, team, "too_slow")
            else:
                candidates.append((team, self._utility(req, team, offer), offer))
        if not candidates:
            self._unmet(customer, overpriced)
            return
        probs = choice_probabilities(
            [u for _, u, _ in candidates],
            walk_away_utility(req.list_price, reserve),
            rationality_lambda(seg.rationality),
        )
        u = req.choice_draw
        pick = len(probs) - 1
        for i, p in enumerate(probs):
            u -= p
            if u < 0:
                pick = i
                break
        for i, (team, _, offer) in enumerate(candidates, start=1):
            if i == pick:
                self._win(req, team, offer)
            else:
                self._lose(req, team, "walked_away" if pick == 0 else "chose_other")
        if pick == 0:
            self._unmet(customer, overpriced)

    def _unmet(self, customer: Customer, overpriced: list[str]) -> None:
        """Rules v2: a customer that bought nothing remembers each quote priced above its budget
        and above the segment's going rate (a quote at the going rate is fair, whatever the budget)."""
        for team in overpriced:
            self.penalise(customer, team, "overpriced", self.params.satisfaction.overpriced_penalty)

    def _utility(self, req: Request, team: str, offer: Offer) -> float:
        customer = req.customer
        knows = customer.orders > 0 and team in customer.sentiments
        s = customer.sentiments[team].satisfaction if knows else self.reputation(team, customer.segment.id)
        switching = self.params.switching_cost if customer.incumbent not in (None, team) else 0.0
        return quote_utility(
            price=offer.unit_price,
            list_price=req.list_price,
            satisfaction=s,
            terms_days=offer.terms_days,
            requested_terms=customer.requested_terms,
            switching_cost=switching,
            late_rate=self.late_rate(team),
            terms_expectation=customer.segment.terms_expectation if self.params.rules >= 2 else 0.0,
        )

    def _lose(self, req: Request, team: str, reason: str) -> None:
        self.emit(
            ev.InquiryLost,
            team=team,
            inquiry_id=req.inquiry_id(team),
            customer_id=req.customer.id,
            reason=reason,
        )

    def _win(self, req: Request, team: str, offer: Offer) -> None:
        order_id = f"O{req.id[1:]}/{team}"
        due = self.env.now + self.hours(offer.delivery_days)
        self.emit(
            ev.OrderWon,
            team=team,
            order_id=order_id,
            inquiry_id=req.inquiry_id(team),
            customer_id=req.customer.id,
            segment=req.customer.segment.id,
            quantity=req.quantity,
            unit_price=offer.unit_price,
            terms_days=offer.terms_days,
            delivery_days=offer.delivery_days,
            installments=offer.installments,
            delivery_due_t=due,
            reply_hours=offer.reply_hours,
        )
        self.fulfilment.book(order_id, req, team, offer, due)

    # --- what teams do to customers ------------------------------------------------------------------

    def _team_lift(self, team: str, segment: str) -> float:
        active = self._campaigns.get((team, segment))
        if not active:
            return 0.0
        now = self.env.now
        budget = sum(b for b, end in active if end > now)
        return campaign_lift(budget, self.params.campaign_lift, self.params.campaign_scale)

    def _segment_lift(self, segment: str) -> float:
        return sum(self._team_lift(t, segment) for t in self.teams) / len(self.teams)

    def _on_campaign(self, event: ev.CampaignLaunched) -> None:
        self._campaigns.setdefault((event.team, event.segment), []).append((event.budget, event.ends_t))

    def _on_care(self, event: ev.AccountCared) -> None:
        customer = self.customers.get(event.customer_id)
        if customer is None:
            return
        customer.care_until[event.team] = self.env.now + self.hours(self.params.service.care_days)
        lift = self.params.satisfaction.care_lift
        self.feel(customer, event.team, "account_care", lambda s: s.lift(lift))

    def _on_survey(self, event: ev.SurveyRequested) -> None:
        customer = self.customers.get(event.customer_id)
        if customer is None:
            return
        self.at(self.env.now + self.params.service.survey_hours, self._answer_survey, customer, event.team)

    def _answer_survey(self, customer: Customer, team: str) -> None:
        s = self.sentiment(customer, team).satisfaction
        self.emit(ev.SurveyAnswered, team=team, customer_id=customer.id, satisfaction=round(s, 3))

    def _on_shock(self, event: ev.ShockApplied) -> None:
        """Demand step, price war (reserve prices scaled) or product recall (complaint wave)."""
        segments = [s for s in self.params.segments if event.segment in ("*", s.id)]
        for seg in segments:
            index = self.params.segments.index(seg)
            if event.shock == "demand":
                self.demand[index].shock *= event.magnitude
            elif event.shock == "price_war":
                self.reserve_factor[seg.id] *= event.magnitude
            elif event.shock == "recall":
                self._recall(seg, event.magnitude)

    def _recall(self, seg: SegmentParameters, share: float) -> None:
        for customer in list(self.customers.values()):
            if customer.segment is not seg or customer.incumbent is None or not customer.active:
                continue
            if customer.rng.random() < share:
                failure = Failure("major", "unresolved")
                customer.failures[customer.incumbent] = failure
                self.complaints.open(customer, customer.incumbent, "recall", "", failure)
