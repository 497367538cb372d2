"""The public ticker: the notable events a projector shows as they happen.

A big order won, a complaint resolved within its SLA, an invoice written off, a round's start
and end, an announcement. A team's results are held back from the public after a freeze.
"""

from __future__ import annotations

from typing import Any

from market.events import Event

NOTABLE_ORDER = 5_000.0
"""Orders at least this large make the public ticker."""

TEAM_RESULTS = frozenset({"big_order", "complaint_resolved_in_time", "written_off"})
"""Ticker items about a team's results: held back from the public after a freeze."""


def ticker_item(event: Event) -> dict[str, Any] | None:
    """The ticker line an event makes, or None for an event the ticker does not show."""
    kind = event.kind
    if kind == "order_won" and getattr(event, "value", 0) >= NOTABLE_ORDER:
        return {"kind": "big_order", "team": event.team, "value": round(event.value)}  # type: ignore[attr-defined]
    if kind == "complaint_resolved" and getattr(event, "within_sla", False):
        return {"kind": "complaint_resolved_in_time", "team": event.team}  # type: ignore[attr-defined]
    if kind == "invoice_written_off":
        return {"kind": "written_off", "team": event.team, "amount": event.amount}  # type: ignore[attr-defined]
    if kind in ("round_started", "round_ended"):
        return {"kind": kind, "round": event.round}  # type: ignore[attr-defined]
    if kind == "announcement_made":
        return {"kind": "announcement", "text": event.text}  # type: ignore[attr-defined]
    return None
