"""The satisfaction index of one team.

Rules v1: the running mean of S over every customer who ever sent the team an inquiry.

Rules v2: the mean of the *experiences* the team gave. The market moves a customer's S with
each experience s (expectation–disconfirmation, Oliver 1980: S ← (1 − a)·S + a·s after a
delivery, a voided order or a complaint's recovery) or directly (an ignored inquiry, a quote
priced above what the customer will pay, a missed SLA, early dunning, collection, account
care). Each ``SatisfactionChanged`` is read back as the experience that moves S that way:

    x = clip((S_after − (1 − a)·S_before) ÷ a, 0, 1)

which is exactly s for a disconfirmation, and for a direct change ΔS is S_before + ΔS ÷ a (an
ignored inquiry at S = 0.6 with penalty 0.1 and a = 0.3 reads as 0.27). Customers who only
asked, with nothing experienced yet, do not count. The index puts the mean x̄ on a fixed scale:

    satisfaction = clip(100 × (x̄ − 0.58) ÷ (0.78 − 0.58), 0, 100)

x̄ = 0.58 (performance 0.02 above an expectation of 0.7; meeting it exactly reads 0.56) scores
0; x̄ = 0.78 (performance 0.22 above it) scores 100. Deliveries by teams that answer, price and
deliver alike read within a few hundredths of each other; the scale spreads them so the column
separates teams at least a third as much as conversion does (docs/scoring.md), and a 1 % better
mean moves it by under 4 points.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

EXPERIENCE_FLOOR: Final[float] = 0.58
"""Mean experience that scores 0 on the v2 satisfaction scale."""

EXPERIENCE_CEILING: Final[float] = 0.78
"""Mean experience that scores 100 on the v2 satisfaction scale."""


def experience_score(mean_experience: float) -> float:
    """clip(100 × (x̄ − floor) ÷ (ceiling − floor), 0, 100)."""
    score = 100.0 * (mean_experience - EXPERIENCE_FLOOR) / (EXPERIENCE_CEILING - EXPERIENCE_FLOOR)
    return 0.0 if score < 0.0 else 100.0 if score > 100.0 else score


@dataclass(slots=True)
class CustomerMood:
    """What the fold knows of one customer's satisfaction with the team."""

    satisfaction: float
    first_seq: int
    change_seqs: list[int]


@dataclass(frozen=True, slots=True)
class Experience:
    """One experience (rules v2): the customer's S before and after, and the experience x read back."""

    customer_id: str
    seq: int
    cause: str
    before: float
    after: float
    experience: float


def implied_experience(before: float, after: float, smoothing: float) -> float:
    """x = clip((after − (1 − a)·before) ÷ a, 0, 1): the experience that moves S from before to after."""
    x = (after - (1.0 - smoothing) * before) / smoothing
    return 0.0 if x < 0.0 else 1.0 if x > 1.0 else x


class SatisfactionBook:
    """Each customer's current S with one team (running sum, so the v1 mean is O(1)) and the
    experiences read back from the changes (running sum, so the v2 mean is O(1)).

    A customer enters at the initial S on its first inquiry, or directly at the reported S on a
    ``SatisfactionChanged`` that comes first; each later change replaces its S.
    """

    __slots__ = ("_initial", "_smoothing", "customers", "experience_total", "experiences", "total")

    def __init__(self, initial: float, smoothing: float = 0.3) -> None:
        self._initial = initial
        self._smoothing = smoothing
        self.customers: dict[str, CustomerMood] = {}
        self.total = 0.0
        self.experiences: list[Experience] = []
        self.experience_total = 0.0

    def index(self) -> float | None:
        """v1: 100 × mean S (clipped to [0, 100]), or None while the team has no customers."""
        if not self.customers:
            return None
        return min(100.0, max(0.0, 100.0 * self.total / len(self.customers)))

    def mean_experience(self) -> float | None:
        """v2: mean experience x̄ (0–1), or None before the first experience."""
        if not self.experiences:
            return None
        return self.experience_total / len(self.experiences)

    def experience_index(self) -> float | None:
        """v2: x̄ on the fixed satisfaction scale (0–100), or None before the first experience."""
        mean = self.mean_experience()
        return None if mean is None else experience_score(mean)

    def see(self, customer_id: str, seq: int) -> None:
        """The customer sent an inquiry; a customer seen for the first time starts at S0."""
        if customer_id not in self.customers:
            self.customers[customer_id] = CustomerMood(self._initial, seq, [])
            self.total += self._initial

    def change(self, customer_id: str, satisfaction: float, seq: int, cause: str = "") -> None:
        """The customer's S with the team is now ``satisfaction``."""
        mood = self.customers.get(customer_id)
        before = self._initial if mood is None else mood.satisfaction
        x = implied_experience(before, satisfaction, self._smoothing)
        self.experiences.append(Experience(customer_id, seq, cause, before, satisfaction, x))
        self.experience_total += x
        if mood is None:
            self.customers[customer_id] = CustomerMood(satisfaction, seq, [seq])
            self.total += satisfaction
            return
        self.total += satisfaction - mood.satisfaction
        mood.satisfaction = satisfaction
        mood.change_seqs.append(seq)
