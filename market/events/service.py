"""What customers and the market do in service: complaints, SLAs, satisfaction, surveys, churn."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from market.events.base import TeamEvent


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintOpened(TeamEvent):
    kind: ClassVar[str] = "complaint_opened"
    complaint_id: str
    customer_id: str
    order_id: str
    cause: str
    severity: str
    sla_due_t: float


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintSlaMissed(TeamEvent):
    kind: ClassVar[str] = "complaint_sla_missed"
    complaint_id: str
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintEscalated(TeamEvent):
    kind: ClassVar[str] = "complaint_escalated"
    complaint_id: str
    customer_id: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SatisfactionChanged(TeamEvent):
    """A customer's satisfaction with the team moved (hidden from the team's console)."""

    kind: ClassVar[str] = "satisfaction_changed"
    customer_id: str
    segment: str
    satisfaction: float
    cause: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyAnswered(TeamEvent):
    kind: ClassVar[str] = "survey_answered"
    customer_id: str
    satisfaction: float


@dataclass(frozen=True, slots=True, kw_only=True)
class CustomerChurned(TeamEvent):
    kind: ClassVar[str] = "customer_churned"
    customer_id: str
