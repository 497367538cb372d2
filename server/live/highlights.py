"""Live highlights: the class's "first solves", found in the event log as it grows.

Like a programming contest's first-solve balloons, the board announces once:

- ``first_order``: the first order of the competition (which team, how large);
- ``first_collection``: the first invoice paid in full;
- ``fastest_reply``: at a round's end, the team whose first quote answered an inquiry fastest
  in that round (ties: the earlier quote);
- ``recovered``: a team's first customer who complained, had the complaint resolved, and then
  ordered again from the same team.

A ``HighlightFinder`` is a fold over the log: fed the same events in the same order it finds
the same highlights, so the live channels and a reloaded board (which folds the stored log)
agree. It reads only the events; no clock, no randomness.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from market.events import (
    ComplaintResolved,
    Event,
    InquiryReceived,
    InvoiceIssued,
    OrderWon,
    PaymentReceived,
    QuoteSent,
    RoundEnded,
)

KINDS = ("first_order", "first_collection", "fastest_reply", "recovered")
"""Every highlight kind, in the order the board's strings list them."""

PAID = 0.005
"""An invoice whose outstanding amount is below this is paid in full (money is rounded to cents)."""


@dataclass
class HighlightFinder:
    """Folds events into highlights; ``feed`` returns the highlights an event makes (usually none)."""

    first_order: bool = False
    first_collection: bool = False
    outstanding: dict[str, float] = field(default_factory=dict)  # invoice id -> amount still open
    received: dict[str, float] = field(default_factory=dict)  # inquiry id -> time it arrived
    fastest: tuple[float, str] | None = None  # (reply hours, team) of this round so far
    recovering: set[tuple[str, str]] = field(default_factory=set)  # (team, customer) resolved
    recovered: set[str] = field(default_factory=set)  # teams already announced

    def feed(self, event: Event) -> list[dict[str, Any]]:
        if isinstance(event, OrderWon):
            return self._order(event)
        if isinstance(event, InvoiceIssued):
            self.outstanding[event.invoice_id] = self.outstanding.get(event.invoice_id, 0.0) + event.amount
        elif isinstance(event, PaymentReceived):
            return self._payment(event)
        elif isinstance(event, InquiryReceived):
            self.received[event.inquiry_id] = event.t
        elif isinstance(event, QuoteSent):
            self._quote(event)
        elif isinstance(event, ComplaintResolved):
            self.recovering.add((event.team, event.customer_id))
        elif isinstance(event, RoundEnded):
            return self._round_end(event)
        return []

    def _order(self, event: OrderWon) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        if not self.first_order:
            self.first_order = True
            out.append({"kind": "first_order", "team": event.team, "value": round(event.value, 2)})
        key = (event.team, event.customer_id)
        if key in self.recovering and event.team not in self.recovered:
            self.recovered.add(event.team)
            out.append({"kind": "recovered", "team": event.team, "value": round(event.value, 2)})
        self.recovering.discard(key)
        return out

    def _payment(self, event: PaymentReceived) -> list[dict[str, Any]]:
        left = self.outstanding.get(event.invoice_id)
        if left is None:
            return []
        left -= event.amount
        if left >= PAID:
            self.outstanding[event.invoice_id] = left
            return []
        del self.outstanding[event.invoice_id]
        if self.first_collection:
            return []
        self.first_collection = True
        return [{"kind": "first_collection", "team": event.team, "amount": round(event.amount, 2)}]

    def _quote(self, event: QuoteSent) -> None:
        arrived = self.received.pop(event.inquiry_id, None)  # only the first quote answers an inquiry
        if arrived is None:
            return
        hours = event.t - arrived
        if self.fastest is None or hours < self.fastest[0]:
            self.fastest = (hours, event.team)

    def _round_end(self, event: RoundEnded) -> list[dict[str, Any]]:
        fastest, self.fastest = self.fastest, None
        self.received.clear()  # an inquiry left open at a round's end counts in no round
        if fastest is None:
            return []
        hours, team = fastest
        return [{"kind": "fastest_reply", "team": team, "round": event.round, "hours": round(hours, 2)}]


def highlights_of(events: list[Event]) -> list[tuple[Event, dict[str, Any]]]:
    """Every highlight of a log, each with the event that made it, in log order."""
    finder = HighlightFinder()
    return [(event, found) for event in events for found in finder.feed(event)]
