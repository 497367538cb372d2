"""A deliberately naive recomputation of team metrics straight from the definitions.

Nothing here is incremental: each figure is recomputed from the whole (cut) log, team by team,
invoice by invoice. With amounts in quarters and satisfactions in sixteenths every sum is exact,
so the fold must agree with this reference to the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from market.events import (
    ComplaintOpened,
    ComplaintResolved,
    CreditNoteIssued,
    Event,
    InquiryDeclined,
    InquiryExpired,
    InquiryLost,
    InquiryReceived,
    InvoiceDue,
    InvoiceIssued,
    InvoiceWrittenOff,
    OrderVoided,
    OrderWon,
    PaymentReceived,
    QuoteSent,
    RefundPaid,
    SatisfactionChanged,
    TeamEvent,
    TeamJoined,
)
from scoring import ScoringConfig

EPS = 0.005
CLOSINGS = (OrderWon, InquiryLost, InquiryDeclined, InquiryExpired)
INVOICE_EVENTS = (PaymentReceived, CreditNoteIssued, RefundPaid, InvoiceDue, InvoiceWrittenOff)


def _clip(x: float, hi: float = 100.0) -> float:
    return min(hi, max(0.0, x))


def _invoice_state(history: Sequence[TeamEvent]) -> tuple[float, float]:
    """Net amount and collected of one invoice after the given events of it."""
    amount = sum(e.amount for e in history if isinstance(e, InvoiceIssued))
    amount -= sum(e.amount for e in history if isinstance(e, CreditNoteIssued | RefundPaid))
    collected = sum(e.amount for e in history if isinstance(e, PaymentReceived))
    collected -= sum(e.amount for e in history if isinstance(e, RefundPaid))
    return amount, collected


def _cancelled(evs: Sequence[TeamEvent]) -> int:
    """Won orders the customer cancelled later (each counts as lost instead of won)."""
    won = {e.order_id for e in evs if isinstance(e, OrderWon)}
    return len({e.order_id for e in evs if isinstance(e, OrderVoided) and e.order_id in won})


def headline(evs: Sequence[TeamEvent], config: ScoringConfig) -> tuple[float | None, ...]:
    won = sum(isinstance(e, OrderWon) for e in evs) - _cancelled(evs)
    closed = sum(isinstance(e, CLOSINGS) for e in evs)
    conversion = None if closed == 0 else 100.0 * won / closed
    moods: dict[str, float] = {}
    for e in evs:
        if isinstance(e, InquiryReceived):
            moods.setdefault(e.customer_id, config.initial_satisfaction)
        elif isinstance(e, SatisfactionChanged):
            moods[e.customer_id] = e.satisfaction
    satisfaction = None if not moods else _clip(100.0 * sum(moods.values()) / len(moods))
    due_total = collected_due = 0.0
    for inv in [e for e in evs if isinstance(e, InvoiceIssued)]:
        history = [e for e in evs if getattr(e, "invoice_id", None) == inv.invoice_id]
        if any(isinstance(e, InvoiceDue | InvoiceWrittenOff) for e in history):
            amount, collected = _invoice_state(history)
            due_total += amount
            collected_due += collected
    receivables = None if due_total <= EPS else _clip(100.0 * collected_due / due_total)
    return conversion, satisfaction, receivables


def reference_metrics(
    events: Sequence[Event], config: ScoringConfig, now: float
) -> dict[str, dict[str, Any]]:
    """Every team's figures, keyed by team then by ``TeamMetrics`` field name."""
    out: dict[str, dict[str, Any]] = {}
    for team in sorted(e.team for e in events if isinstance(e, TeamJoined)):
        evs = [e for e in events if isinstance(e, TeamEvent) and e.team == team]
        conversion, satisfaction, receivables = headline(evs, config)
        last_change = None
        for i in range(1, len(evs) + 1):
            if headline(evs[:i], config) != headline(evs[: i - 1], config):
                last_change = evs[i - 1].t
        row: dict[str, Any] = {
            "conversion": conversion,
            "satisfaction": satisfaction,
            "receivables": receivables,
            "last_change_t": last_change,
            "won": sum(isinstance(e, OrderWon) for e in evs) - _cancelled(evs),
            "lost": sum(isinstance(e, InquiryLost) for e in evs) + _cancelled(evs),
            "declined": sum(isinstance(e, InquiryDeclined) for e in evs),
            "expired": sum(isinstance(e, InquiryExpired) for e in evs),
            "inquiries": sum(isinstance(e, InquiryReceived) for e in evs),
            "customers": len(
                {e.customer_id for e in evs if isinstance(e, InquiryReceived | SatisfactionChanged)}
            ),
            "complaints_opened": sum(isinstance(e, ComplaintOpened) for e in evs),
            "complaints_resolved": sum(isinstance(e, ComplaintResolved) for e in evs),
            "complaints_resolved_within_sla": sum(
                isinstance(e, ComplaintResolved) and e.within_sla for e in evs
            ),
            "cash": sum(e.cash_delta for e in evs),
            "profit": sum(e.cash_delta for e in evs if not isinstance(e, TeamJoined)) + _owed(evs),
            "collected": sum(e.amount for e in evs if isinstance(e, PaymentReceived))
            - sum(e.amount for e in evs if isinstance(e, RefundPaid)),
        }
        row.update(_receivables(evs, config, now))
        replies = _replies(evs)
        row["mean_reply_hours"] = None if not replies else sum(replies) / len(replies)
        row["quoted"] = len(replies)
        out[team] = row
    return out


def _owed(evs: Sequence[TeamEvent]) -> float:
    """What customers still owe on invoices neither paid nor written off."""
    owed = 0.0
    for inv in [e for e in evs if isinstance(e, InvoiceIssued)]:
        history = [e for e in evs if getattr(e, "invoice_id", None) == inv.invoice_id]
        amount, collected = _invoice_state(history)
        if not any(isinstance(e, InvoiceWrittenOff) for e in history) and amount - collected > EPS:
            owed += amount - collected
    return owed


def _receivables(evs: Sequence[TeamEvent], config: ScoringConfig, now: float) -> dict[str, Any]:
    due_total = written_off = 0.0
    due = overdue = 0
    paid = weighted = 0.0
    aging = dict.fromkeys(("current", "1-30", "31-60", "61-90", "90+"), 0.0)
    for inv in [e for e in evs if isinstance(e, InvoiceIssued)]:
        history = [e for e in evs if getattr(e, "invoice_id", None) == inv.invoice_id]
        amount, collected = _invoice_state(history)
        for e in history:
            if isinstance(e, PaymentReceived):
                paid += e.amount
                weighted += e.amount * (e.t - inv.t)
        offs = [e for e in history if isinstance(e, InvoiceWrittenOff)]
        written_off += sum(e.amount for e in offs)
        entry = next((e for e in history if isinstance(e, InvoiceDue | InvoiceWrittenOff)), None)
        if entry is not None:
            due_total += amount
            due += 1
            if isinstance(entry, InvoiceDue):
                overdue += entry.outstanding > EPS
            else:
                before_amount, before_collected = _invoice_state(history[: history.index(entry)])
                overdue += before_amount - before_collected > EPS
        if not offs and amount - collected > EPS:
            days = (now - inv.due_t) / config.hours_per_day
            if now < inv.due_t:
                label = "current"
            else:
                label = "1-30" if days <= 30 else "31-60" if days <= 60 else "61-90" if days <= 90 else "90+"
            aging[label] += amount - collected
    return {
        "invoices_due": due,
        "due_total": due_total,
        "written_off": written_off,
        "overdue_share": None if due == 0 else overdue / due,
        "bad_debt_ratio": None if due_total <= EPS else _clip(written_off / due_total, 1.0),
        "dso_days": None if paid <= EPS else weighted / paid / config.hours_per_day,
        "aging": aging,
    }


def _replies(evs: Sequence[TeamEvent]) -> list[float]:
    """Hours from each inquiry to its first quote, over the inquiries quoted while open."""
    replies: list[float] = []
    for inquiry in [e for e in evs if isinstance(e, InquiryReceived)]:
        for e in evs[evs.index(inquiry) + 1 :]:
            if getattr(e, "inquiry_id", None) != inquiry.inquiry_id:
                continue
            if isinstance(e, QuoteSent):
                replies.append(e.t - inquiry.t)
                break
            if isinstance(e, CLOSINGS):
                break
    return replies
