"""Decisions of a team's desk in service: complaint remedies and surveys."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from market.events.base import Spending


@dataclass(frozen=True, slots=True, kw_only=True)
class ComplaintResolved(Spending):
    """A remedy was given. ``cost`` is the cash it took (a replacement's goods)."""

    kind: ClassVar[str] = "complaint_resolved"
    complaint_id: str
    customer_id: str
    remedy: str
    credit_percent: float
    within_sla: bool
    adequate: bool
    by: str


@dataclass(frozen=True, slots=True, kw_only=True)
class SurveyRequested(Spending):
    kind: ClassVar[str] = "survey_requested"
    customer_id: str
