"""Remedy plans: what a complaint remedy gives back, what it costs, and the events it makes.

Money goes back to the customer as credit notes on the order's open invoices first, then as
refunds of what was already paid; a replacement costs the goods again. The plan is computed
before anything changes, so the desk can refuse it whole if the team lacks the cash.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from market import events as ev
from teams.commands import EventSpec
from teams.ledger import Ledger


@dataclass(slots=True)
class RemedyPlan:
    events: list[EventSpec] = field(default_factory=list)
    cash_out: float = 0.0
    """Cash the remedy takes: refunds plus replacement goods."""
    goods_cost: float = 0.0
    """The replacement goods alone (recorded on ``ComplaintResolved``)."""


def _give_back(ledger: Ledger, order_id: str, amount: float, plan: RemedyPlan) -> None:
    order = ledger.orders.get(order_id)
    invoices = [ledger.invoices[i] for i in order.invoice_ids] if order else []
    left = round(amount, 2)
    for inv in invoices:
        take = round(min(left, inv.outstanding), 2) if inv.open else 0.0
        if take > 0:
            fields = dict(team=ledger.team, invoice_id=inv.invoice_id, amount=take, reason="complaint remedy")
            plan.events.append((ev.CreditNoteIssued, fields))
            left = round(left - take, 2)
    for inv in invoices:
        take = round(min(left, inv.paid), 2)
        if take > 0:
            plan.events.append(
                (ev.RefundPaid, dict(team=ledger.team, invoice_id=inv.invoice_id, amount=take))
            )
            left = round(left - take, 2)
            plan.cash_out += take


def plan_remedy(ledger: Ledger, order_id: str, remedy: str, credit_percent: float) -> RemedyPlan:
    """The plan of ``remedy`` for a complaint about ``order_id``."""
    plan = RemedyPlan()
    order = ledger.orders.get(order_id)
    if order is None:
        return plan
    if remedy == "credit_note":
        _give_back(ledger, order_id, order.value * credit_percent / 100.0, plan)
    elif remedy == "refund":
        invoiced = sum(ledger.invoices[i].amount - ledger.invoices[i].credited for i in order.invoice_ids)
        _give_back(ledger, order_id, invoiced, plan)
    elif remedy == "replacement":
        plan.goods_cost = round(order.quantity * ledger.unit_cost, 2)
        plan.cash_out += plan.goods_cost
    return plan
