"""Scoring configuration: rules version, metric weights, time units, satisfaction and normalisation."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from typing import Final, Literal, get_args

from scoring.errors import ScoringError

Normalisation = Literal["raw", "rank", "zscore"]
"""How metric values are put on one 0–100 scale before they are weighted."""

MetricName = Literal["conversion", "satisfaction", "receivables", "profit", "rubric"]
"""The metrics that can carry a weight in the composite."""

METRICS: Final[tuple[MetricName, ...]] = get_args(MetricName)
"""All weighted metrics, in the order they are summed and shown."""

EXTERNAL_METRICS: Final[frozenset[str]] = frozenset({"rubric"})
"""Metrics not computed from the log: they are passed to ``standings(extra=...)``."""

BUSINESS_DAY_HOURS: Final[float] = 8.0
"""Simulated hours in a business day: the default unit of DSO and aging."""

CALENDAR_DAY_HOURS: Final[float] = 8.0 * 5.0 / 7.0
"""Business hours per calendar day (5 business days of 8 hours per 7-day week)."""

BUSINESS_WEEK_HOURS: Final[float] = 5.0 * BUSINESS_DAY_HOURS
"""Simulated hours in a business week (five business days): the v5 profit score's time base."""

RulesVersion = Literal[1, 2, 3, 4, 5]
"""Version of the market and scoring rules a competition is played and scored by.

1: the first rules (mean S over every customer who asked; receivables over invoices fallen due;
profit min–max scaled across teams). 2: satisfaction from the experiences given, expected loss
on every open invoice, profit on a fixed scale of return on starting capital, metrics without
a value left out per team (docs/scoring.md, "Rules versions"). 3: an invoice's expected loss until
due rises with the terms granted beyond those asked. 4: scored and played as 3, by
the presets of that release (a new customer of a shared classroom, credit-crunch or realistic
market asks two teams, not three). 5: played as 4; profit's return on starting capital is taken
per business week instead of per round (the same where a round is five business days; a
``realistic`` round of 30 calendar days is about 4.3 weeks).
"""

RULES_VERSIONS: Final[tuple[RulesVersion, ...]] = get_args(RulesVersion)
"""Every rules version this code can score (and the market can play)."""

LATEST_RULES: Final[RulesVersion] = 5
"""The rules new competitions get."""


def rules_version(value: int) -> RulesVersion:
    """``value`` as a rules version this code scores; ScoringError naming the known ones otherwise."""
    for version in RULES_VERSIONS:
        if value == version and not isinstance(value, bool):
            return version
    known = ", ".join(str(v) for v in RULES_VERSIONS)
    raise ScoringError(f"unknown rules version {value!r}; this server knows {known}", "rules")


@dataclass(frozen=True, slots=True)
class Weights:
    """Weight of each metric in the composite (any scale; only the ratios matter).

    The defaults give profit 15 of 100 where DESIGN §6 gives it 0: without it, quoting at cost
    wins any logit market on conversion alone (docs/scoring.md, "Why profit counts").
    """

    conversion: float = 30.0
    satisfaction: float = 30.0
    receivables: float = 25.0
    profit: float = 15.0
    rubric: float = 0.0

    def __post_init__(self) -> None:
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ScoringError(f"must be a number, got {value!r}", f"weights.{f.name}")
            if not math.isfinite(value) or value < 0:
                raise ScoringError(f"must be a finite number ≥ 0, got {value!r}", f"weights.{f.name}")
        if self.total() <= 0:
            raise ScoringError("at least one weight must be greater than 0", "weights")

    @classmethod
    def for_rules(cls, rules: int) -> Weights:
        """The default weights of a rules version: v1 30/30/25/15, v2 to v5 20/25/25/30 (rubric 0).

        v2 gives profit — now on a fixed scale — the largest weight and conversion the smallest:
        quoting at cost then costs more than the orders it wins (docs/scoring.md, "Why profit
        counts").
        """
        if rules == 1:
            return cls()
        return cls(conversion=20.0, satisfaction=25.0, receivables=25.0, profit=30.0)

    def of(self, metric: MetricName) -> float:
        """The weight of ``metric``."""
        return float(getattr(self, metric))

    def total(self) -> float:
        """Sum of all weights."""
        return math.fsum(self.of(m) for m in METRICS)


@dataclass(frozen=True, slots=True)
class ScoringConfig:
    """Everything scoring needs besides the event log.

    ``hours_per_day`` converts simulated business hours into the days DSO and aging are reported
    in (``CALENDAR_DAY_HOURS`` reports calendar days); round ``r`` (1-based) covers simulated time
    ``[(r − 1)·round_hours, r·round_hours)``; ``week_hours`` is a business week in simulated
    hours (rules v5 takes profit's return per week); ``initial_satisfaction`` is the S a customer
    starts with when first seen by a team.
    """

    hours_per_day: float = BUSINESS_DAY_HOURS
    round_hours: float = 40.0
    initial_satisfaction: float = 0.6
    weights: Weights = field(default_factory=Weights)
    normalisation: Normalisation = "raw"
    rules: RulesVersion = 1
    """The rules version; ``simulator.scoring_config`` takes it from the competition's parameters.

    A bare ``ScoringConfig()`` scores by version 1, the formulas the hand-built logs of
    tests/scoring pin; every competition made from a preset is the latest version.
    """
    satisfaction_smoothing: float = 0.3
    """a in S ← (1 − a)·S + a·s (the market's ``satisfaction.smoothing``): v2 reads each s back."""
    loss_horizon_days: float = 15.0
    """v2: days past due at which an open invoice counts as lost in full (the market's write-off age)."""
    week_hours: float = BUSINESS_WEEK_HOURS
    """v5: simulated hours in a business week (the market calendar's), profit's period."""

    def __post_init__(self) -> None:
        if isinstance(self.rules, bool) or self.rules not in RULES_VERSIONS:
            known = ", ".join(str(v) for v in RULES_VERSIONS)
            raise ScoringError(f"unknown rules version {self.rules!r}; this server knows {known}", "rules")
        a = self.satisfaction_smoothing
        if isinstance(a, bool) or not isinstance(a, int | float) or not 0.0 < a <= 1.0:
            raise ScoringError(f"must be a number in (0, 1], got {a!r}", "satisfaction_smoothing")
        for name in ("hours_per_day", "round_hours", "loss_horizon_days", "week_hours"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise ScoringError(f"must be a number, got {value!r}", name)
            if not math.isfinite(value) or value <= 0:
                raise ScoringError(f"must be a finite number > 0, got {value!r}", name)
        s0 = self.initial_satisfaction
        if isinstance(s0, bool) or not isinstance(s0, int | float) or not 0.0 <= s0 <= 1.0:
            raise ScoringError(f"must be a number in [0, 1], got {s0!r}", "initial_satisfaction")
        if not isinstance(self.weights, Weights):
            raise ScoringError(f"must be a Weights, got {self.weights!r}", "weights")
        if self.normalisation not in get_args(Normalisation):
            allowed = ", ".join(get_args(Normalisation))
            raise ScoringError(f"must be one of {allowed}, got {self.normalisation!r}", "normalisation")

    def days(self, hours: float) -> float:
        """Simulated business hours expressed in reporting days."""
        return hours / self.hours_per_day

    def round_of(self, t: float) -> int:
        """The 1-based round whose time window holds ``t``."""
        return math.floor(t / self.round_hours) + 1
