"""JSON shapes of the domain for the API and the websockets: standings, events, team records."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict, fields
from typing import Any, Protocol

from market.events import Event, event_to_dict
from market.remedies import REMEDIES
from scoring import Standing
from teams.desk import Desk
from teams.ledger import Ledger
from teams.records import ComplaintRecord
from teams.remedy_plan import plan_remedy
from teams.rules import PERMISSIONS, ROLES

HIDDEN_FROM_TEAMS = frozenset({"satisfaction_changed"})
"""Event kinds a team must not see (it learns satisfaction from surveys)."""


def standing_view(s: Standing) -> dict[str, Any]:
    return s.as_row()


class EventSource(Protocol):
    """A log that hands out the events from a seq on without copying the rest (the simulator's
    ``EventLog``): the wire reads it without importing the simulator."""

    def __len__(self) -> int: ...

    def __getitem__(self, index: int) -> Event: ...

    def since(self, seq: int) -> list[Event]: ...


def event_view(event: Event) -> dict[str, Any]:
    return event_to_dict(event)


def select_events(
    log: Sequence[Event] | EventSource,
    after: int,
    limit: int,
    last: bool = False,
    team: str | None = None,
    hidden: frozenset[str] = frozenset(),
) -> list[Event]:
    """Events with seq > ``after`` (oldest first), at most ``limit``: the first ones, or with ``last``
    the newest; with ``team``, only that team's and the competition's; never kinds in ``hidden``."""

    def wanted(event: Event) -> bool:
        owner = getattr(event, "team", None)
        return (team is None or owner is None or owner == team) and event.kind not in hidden

    if not last:
        out = []
        for event in log[after + 1 :] if isinstance(log, Sequence) else log.since(after + 1):
            if wanted(event):
                out.append(event)
                if len(out) >= limit:
                    break
        return out
    newest: list[Event] = []
    for seq in range(len(log) - 1, after, -1):  # from the end: a long log costs only what is read
        event = log[seq]
        if wanted(event):
            newest.append(event)
            if len(newest) >= limit:
                break
    return newest[::-1]


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _field_names(record_type: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(record_type)
    if names is None:
        names = _FIELD_NAMES[record_type] = tuple(f.name for f in fields(record_type))
    return names


def record_view(record: Any) -> dict[str, Any]:
    """A ledger record (flat fields, lists of plain values) as a dict, like ``asdict`` but cheaper.

    The team state is read on every console refresh; ``asdict`` deep-copies field by field
    and was most of its cost. Lists are copied, so the view never shares the ledger's own.
    """
    view: dict[str, Any] = {}
    for name in _field_names(type(record)):
        value = getattr(record, name)
        view[name] = list(value) if isinstance(value, list) else value
    return view


def team_view(ledger: Ledger, now: float) -> dict[str, Any]:
    """Everything the team console shows, from the team's own ledger."""
    abc = ledger.abc()
    hours_per_day = ledger.calendar.hours(1.0)
    return {
        "cash": round(ledger.cash, 2),
        "free_cash": round(ledger.free_cash, 2),
        "inbox": [
            {**record_view(i), "hours_left": round(i.expires_t - now, 3)}
            for i in sorted(ledger.inquiries.values(), key=lambda i: i.expires_t)
            if i.open
        ],
        "approvals": [record_view(a) for a in ledger.approvals.values() if a.status == "pending"],
        "orders": [record_view(o) | {"value": o.value} for o in ledger.orders.values()],
        "invoices": [
            record_view(i)
            | {
                "outstanding": i.outstanding,
                "bucket": i.aging_bucket(now, hours_per_day),
                "days_overdue": round(i.days_overdue(now, hours_per_day), 3),
            }
            for i in ledger.invoices.values()
        ],
        "aging": ledger.aging(now),
        "complaints": [
            record_view(c)
            | {
                "hours_left": round(c.sla_due_t - now, 3),
                "remedy_costs": remedy_costs(ledger, c) if c.status == "open" else None,
            }
            for c in ledger.complaints.values()
        ],
        "customers": [
            record_view(c)
            | {
                "abc": abc.get(c.customer_id, "C"),
                "open_balance": round(ledger.open_balance(c.customer_id), 2),
            }
            for c in ledger.customers.values()
        ],
        "policies": {
            "quotes": {k: asdict(v) for k, v in ledger.policies.quotes.items()},
            "reminder_days": ledger.policies.reminder_days,
            "apology": ledger.policies.apology,
        },
    }


def remedy_costs(ledger: Ledger, complaint: ComplaintRecord) -> dict[str, Any]:
    """What each remedy of an open complaint would cost now: ``cash`` paid out (refunds, replacement
    goods) and ``credit`` (credit notes on the order's open invoices: money not collected).

    A credit note's size is the team's choice, so for it the order's figures are given
    instead: ``order_value`` (x % of it is credited), ``open`` (credited first) and ``paid``
    (refunded beyond that).
    """
    order = ledger.orders.get(complaint.order_id)
    invoices = [ledger.invoices[i] for i in order.invoice_ids] if order else []
    out: dict[str, Any] = {
        "order_value": round(order.value, 2) if order else 0.0,
        "open": round(sum(i.outstanding for i in invoices if i.open), 2),
        "paid": round(sum(i.paid for i in invoices), 2),
    }
    for remedy in REMEDIES:
        if remedy == "credit_note":
            continue
        plan = plan_remedy(ledger, complaint.order_id, remedy, 0.0)
        credit = sum(fields["amount"] for kind, fields in plan.events if kind.kind == "credit_note_issued")
        out[remedy] = {"cash": round(plan.cash_out, 2), "credit": round(credit, 2)}
    return out


def desk_view(desk: Desk, role: str) -> dict[str, Any]:
    """The rules and prices the desk enforces, so that a console can check a form as it is typed.

    Read-only: the desk still decides every command. ``authority`` is the largest position
    discount each human role grants at once; above it and up to the approver's, a quote waits
    for the approver; beyond that it is refused.
    """
    rules, params = desk.rules, desk.params
    product, service = params.product, params.service
    return {
        "role": role,
        "permissions": sorted(command.kind for command in PERMISSIONS.get(role, frozenset())),
        "authority": {r: rules.authority.get(r, 0.0) for r in ROLES},
        "my_authority": rules.authority.get(role, 0.0),
        "approver": rules.approver,
        "max_discount": rules.max_discount,
        "policy_max_discount": rules.authority.get("policy", 0.0),
        "max_terms_days": rules.max_terms_days,
        "max_delivery_days": rules.max_delivery_days,
        "max_installments": rules.max_installments,
        "list_price": product.list_price,
        "unit_cost": product.unit_cost,
        "order_cost": product.order_cost,
        "lead_time_days": product.lead_time_days,
        "volume_threshold": product.volume_threshold,
        "volume_discount": product.volume_discount,
        "loyalty_discount": product.loyalty_discount,
        "survey_cost": service.survey_cost,
        "survey_hours": service.survey_hours,
        "credit_check_cost": service.credit_check_cost,
        "care_cost": service.care_cost,
        "care_days": service.care_days,
        "sla_hours": {"minor": service.sla_minor_hours, "major": service.sla_major_hours},
        "reminder_gap_days": service.reminder_gap_days,
        "writeoff_after_days": service.writeoff_after_days,
        "collection_recovery": service.collection_recovery,
        "remedies": list(REMEDIES),
        "campaign": {
            "min_budget": 1.0,
            "days": params.campaign_days,
            "scale": params.campaign_scale,
            "lift": params.campaign_lift,
            "launched": desk.ledger.campaigns,
        },
        "segments": [
            {
                "id": s.id,
                "list_discount": s.list_discount,
                "requested_terms": list(s.requested_terms),
                "delivery_wanted": list(s.delivery_wanted),
            }
            for s in params.segments
        ],
    }
