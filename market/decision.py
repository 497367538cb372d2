"""The customer's decision on one request: which quote it takes, and why the others lose.

A team that neither quoted nor declined has ignored the customer, who remembers it. A quote
above the customer's reserve price or later than it wants loses as not acceptable; one from a
team the customer never engaged with loses as too slow. Among the rest the customer chooses
by a logit over the quotes' utilities, walking away being one more option, with the uniform
drawn when the request was made. Under rules v2 a customer that bought nothing remembers each
quote priced above both its budget and the segment's going rate.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from market import events as ev
from market.choice import choice_probabilities, quote_utility, rationality_lambda, walk_away_utility

if TYPE_CHECKING:
    from market.customer import Customer, Offer, Request
    from market.market import Market


class Decision:
    """How the customers of one market choose among the quotes they received."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def decide(self, req: Request) -> None:
        """Settle a request whose replies are in (or whose patience ran out)."""
        m = self.market
        customer = req.customer
        seg = customer.segment
        reserve = req.reserve_price
        candidates: list[tuple[str, float, Offer]] = []
        overpriced: list[str] = []
        for team in req.teams:
            if team in req.declined:
                continue
            offer = req.offers.get(team)
            if offer is None:
                m.emit(ev.InquiryExpired, team=team, inquiry_id=req.inquiry_id(team), customer_id=customer.id)
                m.penalise(customer, team, "ignored", m.params.satisfaction.ignored_penalty)
            elif offer.unit_price > reserve + 1e-9 or offer.delivery_days > req.wanted_delivery:
                self._lose(req, team, "not_acceptable")
                if offer.unit_price > max(reserve, req.going_price) + 1e-9 and m.params.rules >= 2:
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
        m = self.market
        for team in overpriced:
            m.penalise(customer, team, "overpriced", m.params.satisfaction.overpriced_penalty)

    def _utility(self, req: Request, team: str, offer: Offer) -> float:
        m = self.market
        customer = req.customer
        knows = customer.orders > 0 and team in customer.sentiments
        s = customer.sentiments[team].satisfaction if knows else m.reputation(team, customer.segment.id)
        switching = m.params.switching_cost if customer.incumbent not in (None, team) else 0.0
        return quote_utility(
            price=offer.unit_price,
            list_price=req.list_price,
            satisfaction=s,
            terms_days=offer.terms_days,
            requested_terms=customer.requested_terms,
            switching_cost=switching,
            late_rate=m.late_rate(team),
            terms_expectation=customer.segment.terms_expectation if m.params.rules >= 2 else 0.0,
        )

    def _lose(self, req: Request, team: str, reason: str) -> None:
        self.market.emit(
            ev.InquiryLost,
            team=team,
            inquiry_id=req.inquiry_id(team),
            customer_id=req.customer.id,
            reason=reason,
        )

    def _win(self, req: Request, team: str, offer: Offer) -> None:
        m = self.market
        order_id = f"O{req.id[1:]}/{team}"
        due = m.env.now + m.hours(offer.delivery_days)
        m.emit(
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
        m.fulfilment.book(order_id, req, team, offer, due)
