"""Normalisation: putting one metric's values across teams on a common 0–100 scale.

Every function takes the values of all teams in any order and returns the scaled values in
the same order. Results do not depend on the order of the input (sums use ``math.fsum``), so
renaming or reordering teams changes no score.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from scoring.config import Normalisation

MIDDLE = 50.0
"""The score every team gets when all teams have the same value."""


def clip100(x: float) -> float:
    """x limited to [0, 100]."""
    return 0.0 if x < 0.0 else 100.0 if x > 100.0 else x


def min_max(values: Sequence[float]) -> list[float]:
    """Lowest value → 0, highest → 100, linear in between; all equal → 50."""
    if not values:
        return []
    lo, hi = min(values), max(values)
    if hi == lo:
        return [MIDDLE] * len(values)
    span = hi - lo
    return [clip100(100.0 * (v - lo) / span) for v in values]


def rank_scale(values: Sequence[float]) -> list[float]:
    """Teams ranked by value (ties share the mean rank); best → 100, worst → 0, one team → 100."""
    n = len(values)
    if n == 1:
        return [100.0]
    order = sorted(range(n), key=lambda i: -values[i])
    ranks = [0.0] * n
    start = 0
    while start < n:
        end = start
        while end + 1 < n and values[order[end + 1]] == values[order[start]]:
            end += 1
        shared = (start + end) / 2 + 1  # mean of the 1-based ranks start+1 … end+1
        for position in range(start, end + 1):
            ranks[order[position]] = shared
        start = end + 1
    return [clip100(100.0 * (n - r) / (n - 1)) for r in ranks]


def zscore_scale(values: Sequence[float]) -> list[float]:
    """50 + 10·z with z = (v − mean) ÷ population standard deviation, clipped; all equal → 50."""
    n = len(values)
    if n == 0:
        return []
    if max(values) == min(values):
        return [MIDDLE] * n
    mean = math.fsum(values) / n
    sd = math.sqrt(math.fsum((v - mean) ** 2 for v in values) / n)
    if sd == 0.0:
        return [MIDDLE] * n
    return [clip100(MIDDLE + 10.0 * (v - mean) / sd) for v in values]


def normalise(values: Sequence[float], how: Normalisation) -> list[float]:
    """Scale one metric's values with the configured normalisation (``raw`` keeps them as they are)."""
    if how == "rank":
        return rank_scale(values)
    if how == "zscore":
        return zscore_scale(values)
    return [clip100(v) for v in values]
