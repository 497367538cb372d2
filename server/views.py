"""JSON views of the domain for the API and the websockets: standings, events, team records."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from market.events import Event, event_to_dict
from scoring import Standing
from teams.ledger import Ledger

HIDDEN_FROM_TEAMS = frozenset({"satisfaction_changed"})
"""Event kinds a team must not see (it learns satisfaction from surveys)."""


def standing_view(s: Standing) -> dict[str, Any]:
    return s.as_row()


def event_view(event: Event) -> dict[str, Any]:
    return event_to_dict(event)


def team_view(ledger: Ledger, now: float) -> dict[str, Any]:
    """Everything the team console shows, from the team's own ledger."""
    abc = ledger.abc()
    hours_per_day = ledger.calendar.hours(1.0)
    return {
        "cash": round(ledger.cash, 2),
        "free_cash": round(ledger.free_cash, 2),
        "inbox": [
            {**asdict(i), "hours_left": round(i.expires_t - now, 3)}
            for i in sorted(ledger.inquiries.values(), key=lambda i: i.expires_t)
            if i.open
        ],
        "approvals": [asdict(a) for a in ledger.approvals.values() if a.status == "pending"],
        "orders": [asdict(o) | {"value": o.value} for o in ledger.orders.values()],
        "invoices": [
            asdict(i) | {"outstanding": i.outstanding, "bucket": i.aging_bucket(now, hours_per_day)}
            for i in ledger.invoices.values()
        ],
        "aging": ledger.aging(now),
        "complaints": [
            asdict(c) | {"hours_left": round(c.sla_due_t - now, 3)} for c in ledger.complaints.values()
        ],
        "customers": [asdict(c) | {"abc": abc.get(c.customer_id, "C")} for c in ledger.customers.values()],
        "policies": {
            "quotes": {k: asdict(v) for k, v in ledger.policies.quotes.items()},
            "reminder_days": ledger.policies.reminder_days,
            "apology": ledger.policies.apology,
        },
    }
