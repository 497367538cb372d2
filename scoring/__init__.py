"""Scoring: ranks the teams of a competition from its event log (conversion, satisfaction, receivables).

The one entry point is the incremental fold ``Scoreboard`` (or ``score_events`` for a whole
log); everything it returns is a frozen dataclass. Scoring reads nothing of the project but
the event vocabulary in ``market.events``.
"""

from scoring.config import (
    BUSINESS_DAY_HOURS,
    CALENDAR_DAY_HOURS,
    METRICS,
    MetricName,
    Normalisation,
    ScoringConfig,
    Weights,
)
from scoring.errors import ScoringError
from scoring.explain import CustomerSatisfaction, DueInvoice, ExplainedMetric, Explanation, ExplanationItem
from scoring.funnel import ClosedInquiry, Outcome
from scoring.metrics import TeamMetrics
from scoring.normalise import min_max, normalise, rank_scale, zscore_scale
from scoring.receivables import AGING_BUCKETS, MONEY_EPSILON, Aging
from scoring.rounds import RoundMetrics, RoundTeamMetrics
from scoring.scoreboard import Scoreboard, score_events
from scoring.standings import CompositePart, Extra, Standing, composite, composite_parts, rank_teams

__all__ = [
    "AGING_BUCKETS",
    "BUSINESS_DAY_HOURS",
    "CALENDAR_DAY_HOURS",
    "METRICS",
    "MONEY_EPSILON",
    "Aging",
    "ClosedInquiry",
    "CompositePart",
    "CustomerSatisfaction",
    "DueInvoice",
    "ExplainedMetric",
    "Explanation",
    "ExplanationItem",
    "Extra",
    "MetricName",
    "Normalisation",
    "Outcome",
    "RoundMetrics",
    "RoundTeamMetrics",
    "Scoreboard",
    "ScoringConfig",
    "ScoringError",
    "Standing",
    "TeamMetrics",
    "Weights",
    "composite",
    "composite_parts",
    "min_max",
    "normalise",
    "rank_scale",
    "rank_teams",
    "score_events",
    "zscore_scale",
]
