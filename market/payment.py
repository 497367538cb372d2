"""Credit and payment behaviour (calibrated to Atradius 2018: ~42 % of B2B invoices late).

With T the granted terms and T_std the segment's requested terms: logit P(late) = logit p0 +
0.5(T − T_std)/T_std − 2(S − 0.5) + customer risk; the delay of a late payment is Gamma(2)
with the segment's mean; the default probability is d·(1 + 0.5(T − T_std)/T_std). A credit
check reveals the customer's risk as a grade A (safest) to D.
"""

from __future__ import annotations

import math

import numpy as np

MIN_STANDARD_TERMS = 1.0
RISK_GRADES = ("A", "B", "C", "D")
_GRADE_CUTS = (-0.6745, 0.0, 0.6745)  # quartiles of a standard normal


def _terms_excess(terms: float, standard_terms: float) -> float:
    std = max(standard_terms, MIN_STANDARD_TERMS)
    return (terms - std) / std


def late_probability(
    base: float, terms: float, standard_terms: float, satisfaction: float, risk: float
) -> float:
    """Probability that an invoice is paid after its due date."""
    if base <= 0.0:
        return 0.0  # logit p0 = −∞: nothing on the logit scale makes such a customer late
    logit = math.log(base / (1 - base)) + 0.5 * _terms_excess(terms, standard_terms)
    logit += -2.0 * (satisfaction - 0.5) + risk
    return 1.0 / (1.0 + math.exp(-logit))


def default_probability(base: float, terms: float, standard_terms: float) -> float:
    """Probability that an invoice is never paid."""
    return min(1.0, max(0.0, base * (1.0 + 0.5 * _terms_excess(terms, standard_terms))))


def late_delay(rng: np.random.Generator, mean_days: float) -> float:
    """Days a late payment comes after the due date: Gamma(shape 2) with the given mean."""
    if mean_days <= 0:
        return 0.0
    return float(rng.gamma(2.0, mean_days / 2.0))


def risk_grade(risk: float, spread: float) -> str:
    """Grade A–D of a customer risk drawn from Normal(0, spread)."""
    z = risk / spread if spread > 0 else 0.0
    for grade, cut in zip(RISK_GRADES, _GRADE_CUTS, strict=False):
        if z < cut:
            return grade
    return RISK_GRADES[-1]
