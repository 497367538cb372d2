"""The inquiry funnel of one team: how inquiries closed (conversion) and how fast they were quoted."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from scoring.rounds import RoundTally

Outcome = Literal["won", "lost", "declined", "expired"]
"""How an inquiry closed."""


@dataclass(frozen=True, slots=True)
class ClosedInquiry:
    """One closed inquiry and the event that closed it."""

    inquiry_id: str
    customer_id: str
    outcome: Outcome
    reason: str
    seq: int
    t: float


@dataclass(slots=True)
class Funnel:
    """Counts of closed inquiries by outcome, and first-reply times (mutable fold state)."""

    won: int = 0
    lost: int = 0
    declined: int = 0
    expired: int = 0
    inquiries: int = 0
    reply_hours_total: float = 0.0
    replies: int = 0
    """Inquiries quoted while open (their first quote): what ``mean_reply_hours`` is the mean over."""
    closings: list[ClosedInquiry] = field(default_factory=list)
    waiting: dict[str, float] = field(default_factory=dict)
    """Inquiry id → time received, for inquiries not yet quoted nor closed."""
    orders: dict[str, tuple[int, RoundTally]] = field(default_factory=dict)
    """Order id → position of its winning closing in ``closings`` and the round it counted in."""

    @property
    def closed(self) -> int:
        """Inquiries closed in any way."""
        return self.won + self.lost + self.declined + self.expired

    def conversion(self) -> float | None:
        """100 × won ÷ closed, or None before the first closing."""
        closed = self.closed
        return None if closed == 0 else 100.0 * self.won / closed

    def mean_reply_hours(self) -> float | None:
        """Mean hours from an inquiry's arrival to its first quote, over inquiries quoted."""
        return None if self.replies == 0 else self.reply_hours_total / self.replies

    def receive(self, inquiry_id: str, t: float) -> None:
        """An inquiry arrived."""
        self.inquiries += 1
        self.waiting[inquiry_id] = t

    def quote(self, inquiry_id: str, t: float) -> None:
        """A quote was sent; only an inquiry's first quote counts towards the reply time."""
        received = self.waiting.pop(inquiry_id, None)
        if received is not None:
            self.reply_hours_total += t - received
            self.replies += 1

    def close(self, closing: ClosedInquiry, tally: RoundTally) -> None:
        """An inquiry closed with ``closing.outcome``; ``tally`` is the round it closed in."""
        self.waiting.pop(closing.inquiry_id, None)
        self.closings.append(closing)
        match closing.outcome:
            case "won":
                self.won += 1
                tally.won += 1
            case "lost":
                self.lost += 1
            case "declined":
                self.declined += 1
            case "expired":
                self.expired += 1
        tally.closed += 1

    def win(self, order_id: str, closing: ClosedInquiry, tally: RoundTally) -> None:
        """An inquiry closed as won, with the order it became."""
        self.close(closing, tally)
        self.orders[order_id] = (len(self.closings) - 1, tally)

    def cancel(self, order_id: str, seq: int, t: float) -> bool:
        """The customer cancelled a won order: the sale counts as lost (in the round it was won)."""
        found = self.orders.pop(order_id, None)
        if found is None:
            return False
        index, tally = found
        won = self.closings[index]
        self.closings[index] = ClosedInquiry(won.inquiry_id, won.customer_id, "lost", "cancelled", seq, t)
        self.won -= 1
        self.lost += 1
        tally.won -= 1
        return True
