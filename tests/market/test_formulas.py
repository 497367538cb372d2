"""Table tests of the market's behaviour formulas against DESIGN §4.

Each expected value is worked out by hand from the formula in the design, not taken from
the code under test.
"""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from market.choice import choice_probabilities, quote_utility, rationality_lambda, walk_away_utility
from market.demand import DemandLevel, campaign_lift
from market.engagement import engagement
from market.parameters import SatisfactionParameters
from market.payment import default_probability, late_delay, late_probability, risk_grade
from market.remedies import (
    INADEQUATE_RECOVERY,
    MIN_CREDIT_PERCENT,
    REMEDIES,
    REPURCHASE,
    recovery_outcome,
    recovery_performance,
    remedy_adequate,
)
from market.satisfaction import Sentiment, clip01, delivery_performance, price_fairness

FLOOR = 0.0075


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def logit(p: float) -> float:
    return math.log(p / (1.0 - p))


# --- engagement e(t) = e_min + (1 − e_min)·exp(−t/τ) --------------------------------------------------


@pytest.mark.parametrize("tau", [0.5, 4.0, 8.0])
def test_engagement_at_zero_tau_and_infinity(tau: float) -> None:
    assert engagement(0.0, tau, FLOOR) == 1.0
    assert engagement(-1.0, tau, FLOOR) == 1.0
    assert engagement(tau, tau, FLOOR) == pytest.approx(FLOOR + (1 - FLOOR) / math.e, rel=1e-12)
    assert engagement(2 * tau, tau, FLOOR) == pytest.approx(FLOOR + (1 - FLOOR) / math.e**2, rel=1e-12)
    assert engagement(1000 * tau, tau, FLOOR) == pytest.approx(FLOOR, abs=1e-12)


@pytest.mark.parametrize(
    ("t", "tau", "floor", "expected"),
    [
        (4.0, 4.0, 0.0075, 0.0075 + 0.9925 * math.exp(-1)),
        (1.0, 4.0, 0.0075, 0.0075 + 0.9925 * math.exp(-0.25)),
        (0.5, 0.5, 0.0, math.exp(-1)),
        (3.0, 1.0, 1.0, 1.0),
        (8.0, 2.0, 0.2, 0.2 + 0.8 * math.exp(-4)),
    ],
)
def test_engagement_table(t: float, tau: float, floor: float, expected: float) -> None:
    assert engagement(t, tau, floor) == pytest.approx(expected, rel=1e-12)


def test_engagement_is_monotone_decreasing_towards_the_floor() -> None:
    grid = np.linspace(0.0, 40.0, 401)
    values = [engagement(float(t), 4.0, FLOOR) for t in grid]
    assert all(b < a for a, b in itertools.pairwise(values))
    assert all(v > FLOOR for v in values)
    assert values[0] == 1.0


def test_engagement_with_realistic_tau_has_the_lead_response_shape() -> None:
    """τ = 30 min: a reply within the first hour is about 7× as effective as in the second hour."""
    tau = 0.5
    ts = np.linspace(0.0, 1.0, 1001)
    first_hour = float(np.mean([engagement(float(t), tau, FLOOR) for t in ts]))
    second_hour = float(np.mean([engagement(float(t) + 1.0, tau, FLOOR) for t in ts]))
    assert 5.0 < first_hour / second_hour < 9.0
    # a day later, only the floor is left
    assert engagement(24.0, tau, FLOOR) == pytest.approx(FLOOR, rel=1e-6)


# --- choice: multinomial logit with a walk-away option -------------------------------------------------


def test_rationality_lambda() -> None:
    assert rationality_lambda(0.0) == 0.0
    assert rationality_lambda(1.0) == pytest.approx(49.0)
    assert rationality_lambda(0.5) == pytest.approx(math.sqrt(50) - 1)
    assert rationality_lambda(0.8) == pytest.approx(50**0.8 - 1)


@pytest.mark.parametrize(
    ("kwargs", "expected"),
    [
        (
            {
                "price": 100,
                "list_price": 100,
                "satisfaction": 0.5,
                "terms_days": 0,
                "requested_terms": 0,
                "switching_cost": 0,
                "late_rate": 0,
            },
            0.0,
        ),
        (
            {
                "price": 90,
                "list_price": 100,
                "satisfaction": 0.7,
                "terms_days": 30,
                "requested_terms": 20,
                "switching_cost": 0.05,
                "late_rate": 0.1,
            },
            0.1 + 0.06 + 0.1 * 20 / 30 - 0.05 - 0.02,
        ),
        (
            {
                "price": 110,
                "list_price": 100,
                "satisfaction": 0.4,
                "terms_days": 10,
                "requested_terms": 20,
                "switching_cost": 0,
                "late_rate": 0.5,
            },
            -0.1 - 0.03 + 0.1 * 10 / 30 - 0.1,
        ),
        (
            {
                "price": 50,
                "list_price": 200,
                "satisfaction": 1.0,
                "terms_days": 60,
                "requested_terms": 60,
                "switching_cost": 0,
                "late_rate": 0,
            },
            0.75 + 0.15 + 0.2,
        ),
    ],
)
def test_quote_utility_table(kwargs: dict[str, float], expected: float) -> None:
    assert quote_utility(**kwargs) == pytest.approx(expected, abs=1e-12)


def test_utility_terms_beyond_the_request_buy_nothing() -> None:
    base = {
        "price": 95,
        "list_price": 100,
        "satisfaction": 0.6,
        "requested_terms": 10,
        "switching_cost": 0,
        "late_rate": 0,
    }
    assert quote_utility(terms_days=10, **base) == quote_utility(terms_days=60, **base)
    assert quote_utility(terms_days=5, **base) < quote_utility(terms_days=10, **base)


def test_walk_away_utility_sign() -> None:
    # a customer who values the goods above the list price is less tempted to walk away
    assert walk_away_utility(100.0, 120.0) == pytest.approx(-0.2)
    assert walk_away_utility(100.0, 100.0) == 0.0
    assert walk_away_utility(100.0, 80.0) == pytest.approx(0.2)


def test_choice_worked_example() -> None:
    probs = choice_probabilities([0.1, 0.0], 0.0, 10.0)
    e = math.e
    assert probs == pytest.approx([1 / (2 + e), e / (2 + e), 1 / (2 + e)], rel=1e-12)


@pytest.mark.parametrize(
    ("utilities", "walk", "lam"),
    [
        ([0.1], 0.0, 10.0),
        ([0.05, 0.0, -0.05], 0.1, rationality_lambda(0.9)),
        ([0.3, 0.2], -0.2, 49.0),
        ([40.0, -40.0], 0.0, 49.0),  # large exponents must not overflow
        ([], 0.0, 5.0),
    ],
)
def test_choice_probabilities_sum_to_one(utilities: list[float], walk: float, lam: float) -> None:
    probs = choice_probabilities(utilities, walk, lam)
    assert len(probs) == len(utilities) + 1
    assert sum(probs) == pytest.approx(1.0, abs=1e-12)
    assert all(0.0 <= p <= 1.0 for p in probs)
    expected = [math.exp(lam * u) for u in [walk, *utilities]] if lam * 40 < 700 else None
    if expected is not None:
        total = sum(expected)
        assert probs == pytest.approx([x / total for x in expected], rel=1e-9)


def test_higher_utility_gets_higher_probability() -> None:
    utilities = [-0.1, 0.0, 0.05, 0.2]
    probs = choice_probabilities(utilities, -0.05, rationality_lambda(0.8))
    assert probs[1:] == sorted(probs[1:])
    assert len(set(probs[1:])) == 4
    # the walk-away option sits where its utility puts it
    assert probs[1] < probs[0] < probs[2]


def test_lambda_zero_is_uniform() -> None:
    assert choice_probabilities([0.5, -3.0, 0.1], 2.0, 0.0) == pytest.approx([0.25] * 4)


def test_high_rationality_takes_the_best() -> None:
    probs = choice_probabilities([0.0, 0.2], -0.1, 49.0)
    assert probs[2] > 0.99


# --- satisfaction: expectation–disconfirmation --------------------------------------------------------

DEFAULT = SatisfactionParameters()


@pytest.mark.parametrize(
    ("s0", "e0", "p", "s1", "e1"),
    [
        # s = clip(0.5 + 0.3(E − 0.5) + (P − E)); S ← 0.7S + 0.3s; E ← E + 0.3(P − E)
        (0.6, 0.7, 0.9, 0.7 * 0.6 + 0.3 * 0.76, 0.76),  # s = 0.5 + 0.06 + 0.2 = 0.76
        (0.6, 0.7, 0.7, 0.7 * 0.6 + 0.3 * 0.56, 0.7),  # met expectations: s = 0.56
        (0.6, 0.7, 0.0, 0.42, 0.49),  # s = −0.14 clipped to 0
        (0.6, 0.3, 1.0, 0.72, 0.51),  # s = 1.14 clipped to 1
        (0.2, 0.5, 0.5, 0.7 * 0.2 + 0.3 * 0.5, 0.5),
    ],
)
def test_sentiment_experience_worked_examples(s0: float, e0: float, p: float, s1: float, e1: float) -> None:
    sentiment = Sentiment(s0, e0)
    sentiment.experience(p, DEFAULT)
    assert sentiment.satisfaction == pytest.approx(s1, abs=1e-12)
    assert sentiment.expectation == pytest.approx(e1, abs=1e-12)


def test_sentiment_two_experiences_in_a_row() -> None:
    s = Sentiment(0.6, 0.7)
    s.experience(0.9, DEFAULT)  # S = 0.648, E = 0.76
    s.experience(0.9, DEFAULT)  # s = 0.5 + 0.3·0.26 + 0.14 = 0.718; E = 0.76 + 0.3·0.14 = 0.802
    assert s.satisfaction == pytest.approx(0.7 * 0.648 + 0.3 * 0.718, abs=1e-12)
    assert s.expectation == pytest.approx(0.802, abs=1e-12)


def test_sentiment_uses_the_parameters() -> None:
    params = SatisfactionParameters(smoothing=0.5, learning=1.0)
    s = Sentiment(0.6, 0.7)
    s.experience(0.9, params)
    assert s.satisfaction == pytest.approx(0.5 * 0.6 + 0.5 * 0.76)
    assert s.expectation == pytest.approx(0.9)


def test_penalties_and_lifts_clip() -> None:
    s = Sentiment(0.05, 0.7)
    s.penalise(0.1)
    assert s.satisfaction == 0.0
    s.lift(0.3)
    assert s.satisfaction == pytest.approx(0.3)
    s.lift(5.0)
    assert s.satisfaction == 1.0
    assert (clip01(-0.1), clip01(0.4), clip01(1.2)) == (0.0, 0.4, 1.0)


@pytest.mark.parametrize(
    ("on_time", "e", "fair", "defect", "expected"),
    [
        (1.0, 1.0, 1.0, False, 1.0),
        (0.0, 0.0, 0.0, True, 0.0),
        (1.0, 0.5, 0.5, True, 0.35 + 0.125 + 0.1),
        (0.5, 1.0, 0.0, False, 0.175 + 0.25 + 0.2),
    ],
)
def test_delivery_performance(on_time: float, e: float, fair: float, defect: bool, expected: float) -> None:
    assert delivery_performance(on_time, e, fair, defect) == pytest.approx(expected, abs=1e-12)


@pytest.mark.parametrize(
    ("price", "reserve", "expected"),
    [(100, 100, 0.5), (80, 100, 1.0), (120, 100, 0.0), (90, 100, 0.75), (60, 100, 1.0), (150, 100, 0.0)],
)
def test_price_fairness(price: float, reserve: float, expected: float) -> None:
    assert price_fairness(price, reserve, 100.0) == pytest.approx(expected, abs=1e-12)


# --- credit and payment --------------------------------------------------------------------------------


def test_late_probability_at_standard_terms_is_the_base() -> None:
    for base in (0.35, 0.45, 0.5):
        assert late_probability(base, 10, 10, 0.5, 0.0) == pytest.approx(base, abs=1e-12)


@pytest.mark.parametrize(
    ("terms", "std", "s", "risk", "logit_shift"),
    [
        (20, 10, 0.5, 0.0, 0.5),  # twice the standard terms: +0.5
        (5, 10, 0.5, 0.0, -0.25),
        (10, 10, 0.8, 0.0, -0.6),  # −2(S − 0.5)
        (10, 10, 0.2, 0.0, 0.6),
        (10, 10, 0.5, 0.7, 0.7),  # customer risk adds as is
        (60, 30, 0.7, -0.3, 0.5 - 0.4 - 0.3),
        (5, 0, 0.5, 0.0, 0.5 * 4),  # zero standard terms count as one day
    ],
)
def test_late_probability_table(terms: float, std: float, s: float, risk: float, logit_shift: float) -> None:
    expected = sigmoid(logit(0.45) + logit_shift)
    assert late_probability(0.45, terms, std, s, risk) == pytest.approx(expected, abs=1e-12)


def test_late_probability_at_the_ends_of_the_base_range() -> None:
    """late_base may be 0 (validated range 0–0.999): such customers are never late."""
    for terms, s, risk in [(10, 0.5, 0.0), (120, 0.0, 3.0), (0, 1.0, -3.0)]:
        assert late_probability(0.0, terms, 10, s, risk) == 0.0
        assert 0.0 < late_probability(0.999, terms, 10, s, risk) <= 1.0
    assert late_probability(0.999, 10, 10, 0.5, 0.0) == pytest.approx(0.999)


def test_late_probability_directions() -> None:
    p = late_probability(0.45, 10, 10, 0.6, 0.0)
    assert late_probability(0.45, 20, 10, 0.6, 0.0) > p  # longer terms than standard: later
    assert late_probability(0.45, 5, 10, 0.6, 0.0) < p
    assert late_probability(0.45, 10, 10, 0.9, 0.0) < p  # happier customers pay on time
    assert late_probability(0.45, 10, 10, 0.3, 0.0) > p
    assert late_probability(0.45, 10, 10, 0.6, 1.0) > p  # riskier customers pay later


@pytest.mark.parametrize(
    ("base", "terms", "std", "expected"),
    [
        (0.015, 10, 10, 0.015),
        (0.015, 20, 10, 0.015 * 1.5),
        (0.015, 0, 10, 0.015 * 0.5),
        (0.03, 5, 2.5, 0.03 * 1.5),
        (0.8, 40, 10, 1.0),  # clipped to 1
        (0.1, 0, 0, 0.1 * 0.5),  # zero standard terms count as one day
    ],
)
def test_default_probability_table(base: float, terms: float, std: float, expected: float) -> None:
    assert default_probability(base, terms, std) == pytest.approx(expected, abs=1e-12)


def test_late_delay_is_gamma_two_with_the_mean() -> None:
    rng = np.random.default_rng(12345)
    mean = 6.0
    n = 20_000
    draws = np.array([late_delay(rng, mean) for _ in range(n)])
    # Gamma(shape 2, scale μ/2): mean μ, variance μ²/2
    se_mean = math.sqrt(mean**2 / 2 / n)
    assert abs(draws.mean() - mean) < 4 * se_mean
    assert draws.var() == pytest.approx(mean**2 / 2, rel=0.06)
    assert late_delay(rng, 0.0) == 0.0


@pytest.mark.parametrize(
    ("z", "grade"),
    [(-2.0, "A"), (-0.68, "A"), (-0.67, "B"), (-0.01, "B"), (0.0, "C"), (0.67, "C"), (0.68, "D"), (3.0, "D")],
)
def test_risk_grade_cuts(z: float, grade: str) -> None:
    assert risk_grade(z * 0.5, 0.5) == grade
    assert risk_grade(z * 2.0, 2.0) == grade


def test_risk_grades_are_quartiles_of_the_risk_distribution() -> None:
    spread = 0.5
    rng = np.random.default_rng(2024)
    n = 40_000
    grades = [risk_grade(float(r), spread) for r in rng.normal(0.0, spread, n)]
    se = math.sqrt(0.25 * 0.75 / n)
    for g in "ABCD":
        assert abs(grades.count(g) / n - 0.25) < 4 * se


# --- remedies and repurchase ----------------------------------------------------------------------------


def test_repurchase_table_matches_the_design() -> None:
    """DESIGN §4: silent 0.37/0.09, unresolved 0.46/0.19, resolved late 0.70/0.54, within SLA 0.95/0.82."""
    assert REPURCHASE == {
        ("silent", "minor"): 0.37,
        ("silent", "major"): 0.09,
        ("unresolved", "minor"): 0.46,
        ("unresolved", "major"): 0.19,
        ("late", "minor"): 0.70,
        ("late", "major"): 0.54,
        ("sla", "minor"): 0.95,
        ("sla", "major"): 0.82,
    }
    for severity in ("minor", "major"):
        chain = [REPURCHASE[(o, severity)] for o in ("silent", "unresolved", "late", "sla")]
        assert chain == sorted(chain)
    for outcome in ("silent", "unresolved", "late", "sla"):
        assert REPURCHASE[(outcome, "major")] < REPURCHASE[(outcome, "minor")]


ADEQUACY = [
    # remedy, credit %, severity, cause, adequate
    ("apology", 0, "minor", "late", True),
    ("apology", 0, "major", "late", False),
    ("apology", 0, "major", "defect", False),
    ("credit_note", 5, "minor", "late", True),
    ("credit_note", 4.9, "minor", "late", False),
    ("credit_note", 14.9, "major", "late", False),
    ("credit_note", 15, "major", "voided", True),
    ("credit_note", 50, "major", "defect", True),
    ("replacement", 0, "minor", "late", True),
    ("replacement", 0, "major", "defect", True),
    ("replacement", 0, "major", "late", False),
    ("replacement", 0, "major", "recall", False),
    ("refund", 0, "major", "late", True),
    ("refund", 0, "minor", "dunning", True),
    ("refund", 0, "major", "recall", True),
]


@pytest.mark.parametrize(("remedy", "percent", "severity", "cause", "adequate"), ADEQUACY)
def test_remedy_adequacy_table(
    remedy: str, percent: float, severity: str, cause: str, adequate: bool
) -> None:
    assert remedy_adequate(remedy, percent, severity, cause) is adequate


def test_remedy_constants() -> None:
    assert REMEDIES == ("apology", "credit_note", "replacement", "refund")
    assert MIN_CREDIT_PERCENT == {"minor": 5.0, "major": 15.0}


@pytest.mark.parametrize(
    ("adequate", "within_sla", "outcome"),
    [(True, True, "sla"), (True, False, "late"), (False, True, "unresolved"), (False, False, "unresolved")],
)
def test_recovery_outcome(adequate: bool, within_sla: bool, outcome: str) -> None:
    assert recovery_outcome(adequate, within_sla) == outcome


def test_recovery_performance() -> None:
    assert recovery_performance("refund", True, True) == pytest.approx(0.95)
    # from rules 5 a refund feels like an adequate credit note: overcompensation buys nothing more
    assert recovery_performance("refund", True, True, rules=5) == recovery_performance(
        "credit_note", True, True
    )
    assert recovery_performance("refund", True, False, rules=5) == pytest.approx(0.6)
    assert recovery_performance("refund", True, True, rules=4) == pytest.approx(0.95)
    assert recovery_performance("refund", False, True, rules=5) == INADEQUATE_RECOVERY
    assert recovery_performance("apology", True, True) == pytest.approx(0.8)
    assert recovery_performance("apology", True, False) == pytest.approx(0.55)
    assert recovery_performance("refund", False, True) == INADEQUATE_RECOVERY
    ranking = [recovery_performance(r, True, True) for r in REMEDIES]
    assert ranking == sorted(ranking)
    for r in REMEDIES:
        assert recovery_performance(r, True, False) < recovery_performance(r, True, True)


# --- demand ---------------------------------------------------------------------------------------------


def test_campaign_lift_has_diminishing_returns() -> None:
    assert campaign_lift(0.0, 0.5, 2000.0) == 0.0
    assert campaign_lift(2000.0, 0.5, 2000.0) == pytest.approx(
        0.5 * (1 - math.exp(-1))
    )  # 63 % of the largest
    lifts = [campaign_lift(b, 0.5, 2000.0) for b in (0, 1000, 2000, 3000, 4000)]
    gains = [b - a for a, b in itertools.pairwise(lifts)]
    assert gains == sorted(gains, reverse=True)
    assert campaign_lift(1e9, 0.5, 2000.0) == pytest.approx(0.5)


def test_demand_walk_without_step_stays_at_base() -> None:
    level = DemandLevel(base=1.35, low=0.5, high=1.5)
    rng = np.random.default_rng(7)
    for _ in range(100):
        level.step(rng, 0.0, 0.95)
    assert level.daily_rate() == pytest.approx(1.35)
    assert level.daily_rate(lift=0.2) == pytest.approx(1.35 * 1.2)


def test_demand_walk_stays_within_its_bounds() -> None:
    level = DemandLevel(base=2.0, low=0.5, high=1.5)
    rng = np.random.default_rng(11)
    for _ in range(5000):
        level.step(rng, 0.5, 0.95)
        assert 0.95 - 1e-12 <= level.trend <= 1 / 0.95 + 1e-12
        assert 0.5 - 1e-12 <= level.level <= 1.5 + 1e-12
