"""The post-game report of one team: its figures over time, its notable moments, its final score
explained — the page a team takes home after the class.

Built from the live scores (or, for the team itself while the board is frozen, the scores as
of the freeze) and the team's own events in the log.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from market.events import (
    ComplaintEscalated,
    ComplaintResolved,
    Event,
    InquiryDeclined,
    InquiryExpired,
    InquiryLost,
    InvoiceWrittenOff,
    OrderVoided,
    OrderWon,
)
from server.live.scores import LiveScores

FIGURES = ("conversion", "satisfaction", "receivables", "profit", "collected")
BIGGEST_ORDERS = 3


def _moments(events: Iterable[Event], team: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Notable moments (biggest orders, write-offs, cancellations, complaints) and the counts."""
    orders: list[OrderWon] = []
    moments: list[dict[str, Any]] = []
    lost: Counter[str] = Counter()
    complaints = Counter[str]()
    for event in events:
        if getattr(event, "team", None) != team:
            continue
        if isinstance(event, OrderWon):
            orders.append(event)
        elif isinstance(event, InvoiceWrittenOff):
            moments.append(
                {"kind": "written_off", "t": event.t, "amount": event.amount, "invoice": event.invoice_id}
            )
        elif isinstance(event, OrderVoided):  # a won order cancelled: conversion counts it as lost
            moments.append({"kind": "order_voided", "t": event.t, "order": event.order_id})
            lost["cancelled"] += 1
        elif isinstance(event, ComplaintResolved):
            complaints["resolved_in_time" if event.within_sla else "resolved_late"] += 1
            if event.within_sla:
                moments.append({"kind": "complaint_in_time", "t": event.t, "complaint": event.complaint_id})
        elif isinstance(event, ComplaintEscalated):
            complaints["escalated"] += 1
            moments.append({"kind": "complaint_escalated", "t": event.t, "complaint": event.complaint_id})
        elif isinstance(event, InquiryLost):
            lost[event.reason or "lost"] += 1
        elif isinstance(event, InquiryExpired):
            lost["expired"] += 1
        elif isinstance(event, InquiryDeclined):
            lost["declined"] += 1
    for order in sorted(orders, key=lambda o: (-o.value, o.t))[:BIGGEST_ORDERS]:
        moments.append(
            {
                "kind": "big_order",
                "t": order.t,
                "value": order.value,
                "customer": order.customer_id,
                "segment": order.segment,
            }
        )
    moments.sort(key=lambda m: (m["t"], m["kind"]))
    return moments, {"not_won": dict(sorted(lost.items())), "complaints": dict(sorted(complaints.items()))}


def _rank_swings(t: list[float], ranks: list[int]) -> list[dict[str, Any]]:
    """The best climb and the worst fall between two samples of the rank series."""
    swings = [(ranks[i - 1] - ranks[i], i) for i in range(1, len(ranks))]
    out = []
    best = max(swings, default=(0, 0))
    worst = min(swings, default=(0, 0))
    if best[0] > 0:
        i = best[1]
        out.append({"kind": "best_climb", "t": t[i], "from_rank": ranks[i - 1], "to_rank": ranks[i]})
    if worst[0] < 0:
        i = worst[1]
        out.append({"kind": "worst_fall", "t": t[i], "from_rank": ranks[i - 1], "to_rank": ranks[i]})
    return out


def team_report(
    scores: LiveScores, events: list[Event], team: str, now: float, public: bool = False, points: int = 200
) -> dict[str, Any]:
    """Everything the report page shows, for ``team``; ``public``: as of the freeze."""
    if public:
        events = [e for e in events if not scores.hides(e)]
    history = scores.history(now, public=public, points=points)
    at = history["t_sim"]
    figures = scores.team_figures(team, FIGURES, now, public, points)
    standing = next((row for row in history["standings"] if row["team"] == team), None)
    series = history["series"]
    t = list(series["t"])
    ranks = list(series["rank"].get(team, []))
    moments, counts = _moments(events, team)
    moments += _rank_swings(t, ranks)
    moments.sort(key=lambda m: (m["t"], m["kind"]))
    own = {name: values for name, values in figures.items() if name != "t"}
    return {
        "team": team,
        "t_sim": at,
        "standing": standing,
        "teams": len(history["standings"]),
        "series": {"t": t, "composite": series["composite"].get(team, []), "rank": ranks, **own},
        "rounds": [
            {"round": r["round"], "t": r["t"], **next((x for x in r["teams"] if x["team"] == team), {})}
            for r in history["rounds"]
        ],
        "moments": moments,
        "counts": counts,
        "explanations": {
            metric: scores.explain(team, metric, now, public)
            for metric in ("composite", "conversion", "satisfaction", "receivables", "profit")
        },
        "awards": [a for a in scores.awards(now, public) if a["team"] == team],
    }
