"""Scoring: ranks the teams of a competition from its event log by a weighted composite of metrics.

The one entry point is the incremental fold ``Scoreboard`` (or ``score_events`` for a whole
log); everything it returns is a frozen dataclass. Beside it: the judges' rubric
(``rubric_component``), awards, the reveal after a freeze and the timeline of the standings.
Scoring reads nothing of the project but the event vocabulary in ``market.events`` and the
team's account in ``market.accounts`` (cash and invoice balances, shared with the team console). The
formulas depend on the competition's rules version (``ScoringConfig.rules``, docs/scoring.md).
"""

from market.accounts import AGING_BUCKETS, MONEY_EPSILON, Aging
from scoring.awards import AWARD_RULES, Award, MedalCounts, awards
from scoring.config import (
    BUSINESS_DAY_HOURS,
    BUSINESS_WEEK_HOURS,
    CALENDAR_DAY_HOURS,
    LATEST_RULES,
    METRICS,
    RULES_VERSIONS,
    MetricName,
    Normalisation,
    RulesVersion,
    ScoringConfig,
    Weights,
    rules_version,
)
from scoring.errors import ScoringError
from scoring.explain import (
    CustomerSatisfaction,
    DueInvoice,
    ExplainedMetric,
    Explanation,
    ExplanationItem,
    InvoiceRisk,
    ProfitLine,
    RubricItem,
)
from scoring.funnel import ClosedInquiry, Outcome
from scoring.metrics import TeamMetrics
from scoring.normalise import min_max, normalise, rank_scale, zscore_scale
from scoring.reveal import RevealStep, reveal_sequence
from scoring.rounds import RoundMetrics, RoundTeamMetrics
from scoring.rubric import (
    Criterion,
    RubricEntry,
    check_entry,
    current_scores,
    explain_rubric,
    rubric_component,
    rubric_items,
)
from scoring.satisfaction import Experience
from scoring.scoreboard import Scoreboard, score_events
from scoring.standings import (
    ROW_FIELDS,
    CompositePart,
    Extra,
    Standing,
    composite,
    composite_parts,
    rank_teams,
)
from scoring.timeline import Series, Timeline

__all__ = [
    "AGING_BUCKETS",
    "AWARD_RULES",
    "BUSINESS_DAY_HOURS",
    "BUSINESS_WEEK_HOURS",
    "CALENDAR_DAY_HOURS",
    "LATEST_RULES",
    "METRICS",
    "MONEY_EPSILON",
    "ROW_FIELDS",
    "RULES_VERSIONS",
    "Aging",
    "Award",
    "ClosedInquiry",
    "CompositePart",
    "Criterion",
    "CustomerSatisfaction",
    "DueInvoice",
    "Experience",
    "ExplainedMetric",
    "Explanation",
    "ExplanationItem",
    "Extra",
    "InvoiceRisk",
    "MedalCounts",
    "MetricName",
    "Normalisation",
    "Outcome",
    "ProfitLine",
    "RevealStep",
    "RoundMetrics",
    "RoundTeamMetrics",
    "RubricEntry",
    "RubricItem",
    "RulesVersion",
    "Scoreboard",
    "ScoringConfig",
    "ScoringError",
    "Series",
    "Standing",
    "TeamMetrics",
    "Timeline",
    "Weights",
    "awards",
    "check_entry",
    "composite",
    "composite_parts",
    "current_scores",
    "explain_rubric",
    "min_max",
    "normalise",
    "rank_scale",
    "rank_teams",
    "reveal_sequence",
    "rubric_component",
    "rubric_items",
    "rules_version",
    "score_events",
    "zscore_scale",
]
