"""Shocks the instructor applies to a market: a demand step, a price war or a product recall.

A demand shock scales the segment's arrival rate; a price war scales the reserve prices (and
going rates) of the segment's later requests; a recall fails, with probability
``magnitude``, each active customer's incumbent with a major, unresolved failure and opens a
complaint about it at once. ``segment`` ``*`` applies the shock to every segment.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from market import events as ev
from market.customer import Failure

if TYPE_CHECKING:
    from market.market import Market
    from market.parameters import SegmentParameters


class Shocks:
    """Applies the instructor's shocks to one market."""

    def __init__(self, market: Market) -> None:
        self.market = market

    def on_shock(self, event: ev.ShockApplied) -> None:
        """Demand step, price war (reserve prices scaled) or product recall (complaint wave)."""
        m = self.market
        segments = [s for s in m.params.segments if event.segment in ("*", s.id)]
        for seg in segments:
            index = m.params.segments.index(seg)
            if event.shock == "demand":
                m.demand[index].shock *= event.magnitude
            elif event.shock == "price_war":
                m.reserve_factor[seg.id] *= event.magnitude
            elif event.shock == "recall":
                self._recall(seg, event.magnitude)

    def _recall(self, seg: SegmentParameters, share: float) -> None:
        m = self.market
        for customer in list(m.customers.values()):
            if customer.segment is not seg or customer.incumbent is None or not customer.active:
                continue
            if customer.rng.random() < share:
                failure = Failure("major", "unresolved")
                customer.failures[customer.incumbent] = failure
                m.complaints.open(customer, customer.incumbent, "recall", "", failure)
