"""The public ticker: the notable events a projector shows as they happen.

A board opened (or reloaded) late starts from ``recent_ticker``: the last lines and highlights
of the log, as the channels sent them.

A big order won, a complaint resolved within its SLA, an invoice written off, a round's start
and end, an announcement. A team's results are held back from the public after a freeze.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from market.events import Event
from simulator.event_log import EventLog

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


KEEP = 12
"""How many lines a board keeps (dashboards/static/board/ticker.js shows as many)."""


def recent_ticker(
    log: Sequence[Event] | EventLog,
    found: Sequence[tuple[Event, dict[str, Any]]],
    hidden: Callable[[Event], bool] | None,
    limit: int = KEEP,
) -> list[dict[str, Any]]:
    """The newest ticker lines and highlights of ``log`` (oldest first), as the channels sent them.

    ``found`` are the highlights with their events (``server.live.highlights``); with ``hidden`` (the
    public's view), a team's results past the freeze and their highlights are left out.
    """
    lines: list[tuple[int, int, dict[str, Any]]] = []
    for seq in range(len(log) - 1, -1, -1):  # from the end: a long log costs only what is read
        event = log[seq]
        item = ticker_item(event)
        if item and not (hidden is not None and item["kind"] in TEAM_RESULTS and hidden(event)):
            lines.append((event.seq, 0, {"type": "ticker", "t_sim": event.t, "data": item}))
            if len(lines) >= limit:
                break
    shown = [(event, item) for event, item in found if hidden is None or not hidden(event)]
    for event, item in shown[-limit:]:
        lines.append((event.seq, 1, {"type": "highlight", "t_sim": event.t, "data": item}))
    lines.sort(key=lambda line: (line[0], line[1]))
    return [line[2] for line in lines[-limit:]]
