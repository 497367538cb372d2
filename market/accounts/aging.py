"""Aging: open receivables bucketed by how many days past their due date they are.

Days past due count from the due date the invoice was issued with (``InvoiceIssued.due_t``):
negative while not yet due (bucket ``current``), then ``1-30`` (0 to 30 days, both included),
``31-60``, ``61-90`` and ``90+``. Days are reporting days: simulated hours ÷ ``hours_per_day``.
"""

from __future__ import annotations

from dataclasses import dataclass

MONEY_EPSILON = 0.005
"""Half a cent: amounts at most this large count as zero."""

AGING_BUCKETS: tuple[str, ...] = ("current", "1-30", "31-60", "61-90", "90+")
"""Labels of the aging buckets: not yet due, then days past due."""


def days_past_due(now: float, due_t: float, hours_per_day: float) -> float:
    """Days from the due date ``due_t`` to ``now`` (negative while not yet due)."""
    return (now - due_t) / hours_per_day


def bucket_index(now: float, due_t: float, hours_per_day: float) -> int:
    """Position in ``AGING_BUCKETS`` of an amount due at ``due_t``, seen at ``now``."""
    if now < due_t:
        return 0
    days = days_past_due(now, due_t, hours_per_day)
    return 1 if days <= 30 else 2 if days <= 60 else 3 if days <= 90 else 4


def aging_bucket(now: float, due_t: float, hours_per_day: float) -> str:
    """The label of the bucket an amount due at ``due_t`` falls in at ``now``."""
    return AGING_BUCKETS[bucket_index(now, due_t, hours_per_day)]


@dataclass(frozen=True, slots=True)
class Aging:
    """Open (unpaid, not written-off) amounts by how long past due they are at query time."""

    current: float = 0.0
    days_1_30: float = 0.0
    days_31_60: float = 0.0
    days_61_90: float = 0.0
    days_90_plus: float = 0.0

    def as_dict(self) -> dict[str, float]:
        """Bucket label → open amount, in ``AGING_BUCKETS`` order."""
        values = (self.current, self.days_1_30, self.days_31_60, self.days_61_90, self.days_90_plus)
        return dict(zip(AGING_BUCKETS, values, strict=True))

    @property
    def total(self) -> float:
        """All open amounts."""
        return self.current + self.days_1_30 + self.days_31_60 + self.days_61_90 + self.days_90_plus
