"""Satisfaction by expectation–disconfirmation (Oliver 1980).

Each customer holds, per team, a satisfaction S and an expectation E. An experience with
performance P (0–1) gives s = clip(0.5 + 0.3(E − 0.5) + (P − E), 0, 1); then S ← (1 − a)·S + a·s
and E ← E + b(P − E), with a = 0.3 and b = 0.3 by default. Penalties (ignored inquiries,
missed SLAs, early dunning, collection) subtract directly from S.
"""

from __future__ import annotations

from dataclasses import dataclass

from market.parameters import SatisfactionParameters


def clip01(x: float) -> float:
    """x limited to [0, 1]."""
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


def delivery_performance(on_time: float, engagement: float, price_fairness: float, defect: bool) -> float:
    """P = 0.35·on-time + 0.25·e(reply time) + 0.2·price fairness + 0.2·(1 − defect)."""
    return 0.35 * on_time + 0.25 * engagement + 0.2 * price_fairness + 0.2 * (0.0 if defect else 1.0)


def price_fairness(price: float, reserve_price: float, list_price: float) -> float:
    """0.5 when paying exactly the reserve price, 1 at 20 % of list below it, 0 at 20 % above."""
    return clip01(0.5 + (reserve_price - price) / (0.4 * list_price))


def going_price(reserve_ratio: tuple[float, float], list_price: float) -> float:
    """A segment's going rate: the middle of its reserve prices, the price its customers know the
    market charges (their reference price). Rules v2 holds a refused quote against a team only
    above it: a buyer whose budget sits below the going rate does not find that price unfair."""
    low, high = reserve_ratio
    return 0.5 * (low + high) * list_price


@dataclass(slots=True)
class Sentiment:
    """What one customer feels about one team."""

    satisfaction: float
    expectation: float

    def experience(self, performance: float, params: SatisfactionParameters) -> None:
        """Update S and E after an experience of the given performance."""
        s = clip01(0.5 + 0.3 * (self.expectation - 0.5) + (performance - self.expectation))
        self.satisfaction = clip01((1 - params.smoothing) * self.satisfaction + params.smoothing * s)
        self.expectation = clip01(self.expectation + params.learning * (performance - self.expectation))

    def penalise(self, amount: float) -> None:
        """Lower S directly (an ignored inquiry, a missed SLA, wrong dunning...)."""
        self.satisfaction = clip01(self.satisfaction - amount)

    def lift(self, amount: float) -> None:
        """Raise S directly (account care)."""
        self.satisfaction = clip01(self.satisfaction + amount)
