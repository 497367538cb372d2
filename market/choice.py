"""Customer choice between quotes: a multinomial logit with a walk-away option.

A quote is valid when its price is at most the customer's reserve price and its delivery
promise at most the wanted delivery. Each valid quote that the customer still considers has
utility U = −(p − p_list)/p_list + 0.3·(S − 0.5) + 0.1·min(T, T_req)/30 − switching − 0.2·late
rate − k·max(0, T_req − T)/T_req (rules v2: k is the segment's ``terms_expectation``, what a
customer who needs trade credit loses when granted less than it asked; 0 under rules v1);
walking away has U0 = (p_list − R)/p_list; P(j) = exp(λU_j) / (exp(λU0) + Σ exp(λU_k)), with
λ = 50^r − 1 for rationality r (Power TAC's tariff choice).
"""

from __future__ import annotations

import math
from collections.abc import Sequence


def rationality_lambda(rationality: float) -> float:
    """λ = 50^r − 1: 0 chooses at random, 49 nearly always takes the best option."""
    return float(50.0**rationality - 1.0)


def quote_utility(
    *,
    price: float,
    list_price: float,
    satisfaction: float,
    terms_days: float,
    requested_terms: float,
    switching_cost: float,
    late_rate: float,
    terms_expectation: float = 0.0,
) -> float:
    """Utility of one quote to one customer."""
    utility = (
        -(price - list_price) / list_price
        + 0.3 * (satisfaction - 0.5)
        + 0.1 * min(terms_days, requested_terms) / 30.0
        - switching_cost
        - 0.2 * late_rate
    )
    if terms_expectation > 0.0 and requested_terms > 0.0 and terms_days < requested_terms:
        utility -= terms_expectation * (requested_terms - terms_days) / requested_terms
    return utility


def walk_away_utility(list_price: float, reserve_price: float) -> float:
    """Utility of buying from nobody."""
    return (list_price - reserve_price) / list_price


def choice_probabilities(utilities: Sequence[float], walk_away: float, lam: float) -> list[float]:
    """Logit probabilities: first the walk-away option, then one per utility (sums to 1)."""
    scaled = [lam * walk_away, *(lam * u for u in utilities)]
    top = max(scaled)
    weights = [math.exp(s - top) for s in scaled]
    total = sum(weights)
    return [w / total for w in weights]
