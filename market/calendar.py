"""Simulated time: a calendar of business hours.

The simulation clock counts business hours from the start of the competition (a float).
A business day has eight hours; nights and weekends are skipped, so day ``d`` starts at
``8 * d``. Presets state their day-valued figures either in business days or in calendar
days (``day_kind``); a calendar week of seven days holds five business days.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

HOURS_PER_DAY = 8.0
BUSINESS_DAYS_PER_WEEK = 5
CALENDAR_DAYS_PER_WEEK = 7

DayKind = Literal["business", "calendar"]


@dataclass(frozen=True, slots=True)
class Calendar:
    """Converts the preset's day figures to and from simulated business hours."""

    day_kind: DayKind = "business"
    days_per_round: float = 5.0

    @property
    def business_days_per_day(self) -> float:
        """How many business days one preset day is worth."""
        if self.day_kind == "calendar":
            return BUSINESS_DAYS_PER_WEEK / CALENDAR_DAYS_PER_WEEK
        return 1.0

    def hours(self, days: float) -> float:
        """Simulated business hours in ``days`` preset days."""
        return days * self.business_days_per_day * HOURS_PER_DAY

    def days(self, hours: float) -> float:
        """Preset days in ``hours`` simulated business hours."""
        return hours / (self.business_days_per_day * HOURS_PER_DAY)

    @property
    def week_hours(self) -> float:
        """Simulated business hours in one week: five business days of eight hours (40).

        The clock skips nights and weekends, so a week holds five business days whatever the
        presets count their days in: seven calendar days are worth five business days too.
        """
        return BUSINESS_DAYS_PER_WEEK * HOURS_PER_DAY

    @property
    def round_hours(self) -> float:
        """Length of one round in simulated business hours."""
        return self.hours(self.days_per_round)

    def round_of(self, t: float) -> int:
        """The 1-based round that simulated time ``t`` falls in."""
        return int(t // self.round_hours) + 1

    def round_start(self, round_number: int) -> float:
        """Simulated time at which 1-based round ``round_number`` starts."""
        return (round_number - 1) * self.round_hours
