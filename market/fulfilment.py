"""Fulfilment: from a won order to delivered goods, a held delivery or a cancelled order.

On the promised day the goods are ready on time (with the segment's on-time probability,
lower for promises shorter than the lead time) or some days late. The team pays goods and
handling on delivery; a delivery it cannot pay for waits for the next payment it receives.
An order late or held beyond ``void_after_late_days`` is cancelled by the customer. The
delivery sets the customer's satisfaction, issues the invoices and may be a failure that
leads to a complaint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from market import events as ev
from market.engagement import engagement
from market.satisfaction import clip01, delivery_performance, price_fairness

if TYPE_CHECKING:
    from market.customer import Offer, Request
    from market.market import Market

LATE_DAYS_P = 0.4
"""Late goods are Geometric(0.4) days late: 2.5 days on average."""


@dataclass(slots=True)
class Order:
    id: str
    request: Request
    team: str
    offer: Offer
    promised_t: float = 0.0
    defect: bool = False


class Fulfilment:
    """Every open order of one market, and each team's on-time record."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.orders: dict[str, Order] = {}
        self.held: dict[str, dict[str, Order]] = {}
        self.deliveries: dict[str, list[int]] = {}

    def late_rate(self, team: str) -> float:
        """Share of the team's orders that came late or not at all."""
        done, late = self.deliveries.get(team, (0, 0))
        return late / done if done else 0.0

    def goods_cost(self, request: Request) -> float:
        product = self.market.params.product
        return request.quantity * product.unit_cost + product.order_cost

    def book(self, order_id: str, request: Request, team: str, offer: Offer, promised_t: float) -> None:
        """A won order, to be fulfilled on the promised day."""
        self.orders[order_id] = Order(order_id, request, team, offer)
        self.market.at(promised_t, self._ready, order_id)

    def _ready(self, order_id: str) -> None:
        """The promised day: ready on time, late, or so late that the order will be void."""
        m = self.market
        order = self.orders[order_id]
        seg = order.request.customer.segment
        product = m.params.product
        lead = product.lead_time_days
        p_on_time = seg.on_time * (min(1.0, order.offer.delivery_days / lead) if lead > 0 else 1.0)
        rng = order.request.customer.rng
        on_time = rng.random() < p_on_time
        late_days = 0.0 if on_time else float(rng.geometric(LATE_DAYS_P))
        order.defect = bool(rng.random() < seg.defect)
        order.promised_t = m.env.now
        if late_days > product.void_after_late_days:
            m.at(order.promised_t + m.hours(product.void_after_late_days), self._void, order)
        else:
            m.at(order.promised_t + m.hours(late_days), self._ship, order)

    def _ship(self, order: Order) -> None:
        """Pay for the goods and deliver, or hold the order until the team has the cash."""
        m = self.market
        cost = self.goods_cost(order.request)
        if m.funds(order.team, cost):
            self._deliver(order)
            return
        self.held.setdefault(order.team, {})[order.id] = order
        m.emit(
            ev.DeliveryHeld,
            team=order.team,
            order_id=order.id,
            customer_id=order.request.customer.id,
            needed=cost,
        )
        m.at(order.promised_t + m.hours(m.params.product.void_after_late_days), self._void_if_held, order)

    def _void_if_held(self, order: Order) -> None:
        if self.held[order.team].pop(order.id, None) is not None:
            self._void(order)

    def on_payment(self, event: ev.PaymentReceived) -> None:
        """Money came in: held deliveries may go out now (after this event is fully observed)."""
        if self.held.get(event.team):
            self.market.at(self.market.env.now, self._release_held, event.team)

    def _release_held(self, team: str) -> None:
        """Ship the longest-held order if the cash is there now, then try the next one."""
        held = self.held[team]
        if not held:
            return
        order = next(iter(held.values()))
        if self.market.funds(team, self.goods_cost(order.request)):
            del held[order.id]
            self._deliver(order)
            self.market.at(self.market.env.now, self._release_held, team)

    def _void(self, order: Order) -> None:
        m = self.market
        del self.orders[order.id]
        customer = order.request.customer
        late = m.params.product.void_after_late_days
        m.emit(ev.OrderVoided, team=order.team, order_id=order.id, customer_id=customer.id, late_days=late)
        self._count(order.team, late=True)
        performance = 0.25 * engagement(
            order.offer.reply_hours, m.params.reply_tau_hours, m.params.engagement_floor
        )
        m.feel(customer, order.team, "voided", lambda s: s.experience(performance, m.params.satisfaction))
        m.fail(customer, order.team, "voided", order.id, severity="major")
        m.retention.schedule_repeat(customer)

    def _deliver(self, order: Order) -> None:
        m = self.market
        del self.orders[order.id]
        req, team, offer = order.request, order.team, order.offer
        customer = req.customer
        product = m.params.product
        late_days = (m.env.now - order.promised_t) / m.hours(1.0)
        m.emit(
            ev.OrderDelivered,
            team=team,
            order_id=order.id,
            customer_id=customer.id,
            late_days=round(late_days, 4),
            defect=order.defect,
            cogs=self.goods_cost(req),
        )
        self._count(team, late=late_days > 0)
        on_time = clip01(1.0 - late_days / max(product.void_after_late_days, 1.0))
        e = engagement(offer.reply_hours, m.params.reply_tau_hours, m.params.engagement_floor)
        fair = price_fairness(offer.unit_price, req.reserve_price, req.list_price)
        performance = delivery_performance(on_time, e, fair, order.defect)
        m.feel(customer, team, "delivery", lambda s: s.experience(performance, m.params.satisfaction))
        penalty = min(1.0, product.late_penalty_per_day * late_days)
        total = req.quantity * offer.unit_price * (1.0 - penalty)
        m.receivables.issue(customer, team, order.id, total, offer.terms_days, offer.installments)
        customer.incumbent = team
        customer.orders += 1
        if late_days > 0 or order.defect:
            m.fail(customer, team, "defect" if order.defect else "late", order.id)
        m.retention.schedule_repeat(customer)

    def _count(self, team: str, late: bool) -> None:
        stats = self.deliveries.setdefault(team, [0, 0])
        stats[0] += 1
        stats[1] += int(late)
