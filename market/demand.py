"""Demand: how many new inquiries a segment sends per business day.

Each segment's daily count is Poisson(Q). Q follows the bounded random walk of TAC SCM: a
trend τ takes a step U(−s, s) each day and stays in [b, 1/b]; the level follows the trend
and stays within the preset's bounds. Instructor shocks multiply the level; campaigns lift
it for a while, with diminishing returns on the budget.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np


def campaign_lift(budget: float, largest_lift: float, scale: float) -> float:
    """Demand lift bought with ``budget``: largest·(1 − exp(−budget/scale))."""
    return largest_lift * (1.0 - math.exp(-budget / scale))


@dataclass(slots=True)
class DemandLevel:
    """The evolving demand of one segment."""

    base: float
    low: float
    high: float
    level: float = 1.0
    trend: float = 1.0
    shock: float = 1.0

    def step(self, rng: np.random.Generator, step: float, bound: float) -> None:
        """Advance the random walk by one day (always draws, so streams stay aligned)."""
        u = float(rng.uniform(-1.0, 1.0))
        self.trend = min(1.0 / bound, max(bound, self.trend + u * step))
        self.level = min(self.high, max(self.low, self.level * self.trend))

    def daily_rate(self, lift: float = 0.0) -> float:
        """Expected new inquiries today."""
        return self.base * self.level * self.shock * (1.0 + lift)
