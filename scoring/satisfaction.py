"""The satisfaction index of one team: the running mean of S over the customers it has dealt with."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class CustomerMood:
    """What the fold knows of one customer's satisfaction with the team."""

    satisfaction: float
    first_seq: int
    change_seqs: list[int]


class SatisfactionBook:
    """Each customer's current S with one team, with a running sum so the mean is O(1).

    A customer enters at the initial S on its first inquiry, or directly at the reported S on a
    ``SatisfactionChanged`` that comes first; each later change replaces its S.
    """

    __slots__ = ("_initial", "customers", "total")

    def __init__(self, initial: float) -> None:
        self._initial = initial
        self.customers: dict[str, CustomerMood] = {}
        self.total = 0.0

    def index(self) -> float | None:
        """100 × mean S (clipped to [0, 100]), or None while the team has no customers."""
        if not self.customers:
            return None
        return min(100.0, max(0.0, 100.0 * self.total / len(self.customers)))

    def see(self, customer_id: str, seq: int) -> None:
        """The customer sent an inquiry; a customer seen for the first time starts at S0."""
        if customer_id not in self.customers:
            self.customers[customer_id] = CustomerMood(self._initial, seq, [])
            self.total += self._initial

    def change(self, customer_id: str, satisfaction: float, seq: int) -> None:
        """The customer's S with the team is now ``satisfaction``."""
        mood = self.customers.get(customer_id)
        if mood is None:
            self.customers[customer_id] = CustomerMood(satisfaction, seq, [seq])
            self.total += satisfaction
            return
        self.total += satisfaction - mood.satisfaction
        mood.satisfaction = satisfaction
        mood.change_seqs.append(seq)
