"""The debrief of a round: what the class did in it, team by team, folded from the event log.

Between rounds the instructor shows the class six pictures, each with the round's notable
moments (``dashboards/static/debrief``): market share and win rate by team, discount against
win rate, reply time against conversion, payment terms against days sales outstanding and bad
debt, complaints and remedies against satisfaction, and cash over time. Each team also gets
its own figures of the round at its end (``team_round``).

The figures, per team and round (a round runs from its ``RoundStarted`` to its ``RoundEnded``):

- share: the team's order value over the class's; win rate: orders won over inquiries quoted;
- discount: the mean discount of the quotes sent; reply hours: the mean time from an inquiry
  to its first quote; conversion: orders won over inquiries received;
- terms: the mean payment terms (days) of the orders won; DSO: the mean days from an invoice
  to its payment in full, for invoices paid in full in the round; bad debt: written off over
  invoiced, from the start to the round's end;
- complaints opened, resolved (and of those within the SLA), escalated; satisfaction: the
  scoring's index at the round's end, by the competition's rules version (v1: 100 × the mean S
  of the customers who asked; v2: the mean experience given, on its fixed scale — the scoring's
  own ``SatisfactionBook`` folds it);
- cash: the team's cash at the end of every business day so far.

A pure fold of the events: the same log gives the same debrief.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from statistics import median
from typing import Any

from market.events import (
    ComplaintEscalated,
    ComplaintOpened,
    ComplaintResolved,
    Event,
    InquiryReceived,
    InvoiceIssued,
    InvoiceWrittenOff,
    OrderWon,
    PaymentReceived,
    QuoteSent,
    RoundEnded,
    RoundStarted,
    SatisfactionChanged,
    TeamEvent,
)
from scoring.satisfaction import SatisfactionBook

PAID = 0.005  # an invoice with less than this outstanding is paid in full
FIGURES = (
    "share",
    "win_rate",
    "discount",
    "reply_hours",
    "conversion",
    "terms_days",
    "dso_days",
    "bad_debt",
    "complaints",
    "resolved",
    "in_time",
    "escalated",
    "satisfaction",
    "cash",
    "orders",
    "order_value",
)
"""Every figure of a team's round, in the order the API gives them."""


@dataclass
class Tally:
    """One team's counts within one round (and the running totals the figures need)."""

    inquiries: int = 0
    quoted: int = 0
    won: int = 0
    value: float = 0.0
    discount_sum: float = 0.0
    quotes: int = 0
    reply_sum: float = 0.0
    replies: int = 0
    terms_sum: float = 0.0
    paid_days_sum: float = 0.0
    paid: int = 0
    complaints: int = 0
    resolved: int = 0
    in_time: int = 0
    escalated: int = 0
    biggest: float = 0.0


@dataclass
class Running:
    """What one team's fold carries across rounds."""

    cash: float = 0.0
    invoiced: float = 0.0
    written_off: float = 0.0
    moods: dict[str, float] = field(default_factory=dict)  # customer -> S
    book: SatisfactionBook | None = None  # rules v2: the experiences, as scoring folds them
    lowest_cash: tuple[float, float] | None = None  # (cash, t) within the current round


def _ratio(a: float, b: float) -> float | None:
    return a / b if b else None


def _mean(total: float, n: int) -> float | None:
    return total / n if n else None


def _rounded(x: float | None, digits: int = 4) -> float | None:
    return None if x is None else round(x, digits)


class DebriefFold:
    """Folds a competition's log into per-round figures and moments, one round at a time."""

    def __init__(
        self,
        teams: Iterable[str],
        hours_per_day: float,
        initial_satisfaction: float,
        *,
        rules: int = 1,
        smoothing: float = 0.3,
    ) -> None:
        self.teams = sorted(teams)
        self.hours_per_day = hours_per_day
        self.s0 = initial_satisfaction
        self.rules = rules
        self.running = {
            team: Running(book=None if rules == 1 else SatisfactionBook(initial_satisfaction, smoothing))
            for team in self.teams
        }
        self.round = 0
        self.rounds: list[dict[str, Any]] = []  # each completed round's debrief
        self.cash_t: list[float] = []
        self.cash: dict[str, list[float]] = {team: [] for team in self.teams}
        self._next_day = hours_per_day
        self._start()

    def _start(self) -> None:
        self.tally = {team: Tally() for team in self.teams}
        self.arrived: dict[str, tuple[str, float]] = {}  # inquiry -> (team, t), until its first quote
        self.issued: dict[str, tuple[float, float]] = {}  # invoice -> (outstanding, t issued)
        self.write_offs: list[tuple[str, float]] = []
        for run in self.running.values():
            run.lowest_cash = None

    def feed_all(self, events: Iterable[Event]) -> DebriefFold:
        for event in events:
            self.feed(event)
        return self

    def _sample_days(self, t: float) -> None:
        """Cash at the end of every business day before ``t``."""
        while t >= self._next_day - 1e-9:
            self.cash_t.append(round(self._next_day, 4))
            for team in self.teams:
                self.cash[team].append(round(self.running[team].cash, 2))
            self._next_day += self.hours_per_day

    def feed(self, event: Event) -> None:
        self._sample_days(event.t)
        if isinstance(event, RoundStarted):
            self.round = event.round
            self._start()
            return
        if isinstance(event, RoundEnded):
            self.rounds.append(self._close(event))
            return
        if not isinstance(event, TeamEvent) or event.team not in self.running:
            return
        run = self.running[event.team]
        if event.cash_delta:
            run.cash += event.cash_delta
            if run.lowest_cash is None or run.cash < run.lowest_cash[0]:
                run.lowest_cash = (run.cash, event.t)
        self._count(event, self.tally[event.team], run)

    def _count(self, event: TeamEvent, tally: Tally, run: Running) -> None:
        if isinstance(event, InquiryReceived):
            tally.inquiries += 1
            self.arrived[event.inquiry_id] = (event.team, event.t)
            run.moods.setdefault(event.customer_id, self.s0)
            if run.book is not None:
                run.book.see(event.customer_id, event.seq)
        elif isinstance(event, QuoteSent):
            tally.quotes += 1
            tally.discount_sum += event.discount
            first = self.arrived.pop(event.inquiry_id, None)
            if first is not None:
                tally.quoted += 1
                tally.replies += 1
                tally.reply_sum += event.t - first[1]
        elif isinstance(event, OrderWon):
            tally.won += 1
            tally.value += event.value
            tally.terms_sum += event.terms_days
            tally.biggest = max(tally.biggest, event.value)
        elif isinstance(event, InvoiceIssued):
            run.invoiced += event.amount
            self.issued[event.invoice_id] = (event.amount, event.t)
        elif isinstance(event, PaymentReceived):
            self._pay(event, tally)
        elif isinstance(event, InvoiceWrittenOff):
            run.written_off += event.amount
            self.write_offs.append((event.team, event.amount))
        elif isinstance(event, ComplaintOpened):
            tally.complaints += 1
        elif isinstance(event, ComplaintResolved):
            tally.resolved += 1
            tally.in_time += event.within_sla
        elif isinstance(event, ComplaintEscalated):
            tally.escalated += 1
        elif isinstance(event, SatisfactionChanged):
            run.moods[event.customer_id] = event.satisfaction
            if run.book is not None:
                run.book.change(event.customer_id, event.satisfaction, event.seq, event.cause)

    def _pay(self, event: PaymentReceived, tally: Tally) -> None:
        open_ = self.issued.get(event.invoice_id)
        if open_ is None:
            return
        left = open_[0] - event.amount
        if left >= PAID:
            self.issued[event.invoice_id] = (left, open_[1])
            return
        del self.issued[event.invoice_id]
        tally.paid += 1
        tally.paid_days_sum += (event.t - open_[1]) / self.hours_per_day

    def _figures(self, team: str, total_value: float) -> dict[str, Any]:
        tally, run = self.tally[team], self.running[team]
        return {
            "team": team,
            "share": _rounded(_ratio(tally.value, total_value)),
            "win_rate": _rounded(_ratio(tally.won, tally.quoted)),
            "discount": _rounded(_mean(tally.discount_sum, tally.quotes)),
            "reply_hours": _rounded(_mean(tally.reply_sum, tally.replies), 3),
            "conversion": _rounded(_ratio(tally.won, tally.inquiries)),
            "terms_days": _rounded(_mean(tally.terms_sum, tally.won), 2),
            "dso_days": _rounded(_mean(tally.paid_days_sum, tally.paid), 2),
            "bad_debt": _rounded(_ratio(run.written_off, run.invoiced)),
            "complaints": tally.complaints,
            "resolved": tally.resolved,
            "in_time": tally.in_time,
            "escalated": tally.escalated,
            "satisfaction": self._satisfaction(run),
            "cash": round(run.cash, 2),
            "orders": tally.won,
            "order_value": round(tally.value, 2),
        }

    def _satisfaction(self, run: Running) -> float | None:
        if run.book is not None:
            return _rounded(run.book.experience_index(), 2)
        moods = run.moods
        return _rounded(100 * sum(moods.values()) / len(moods), 2) if moods else None

    def _close(self, event: RoundEnded) -> dict[str, Any]:
        total = sum(t.value for t in self.tally.values())
        teams = [self._figures(team, total) for team in self.teams]
        return {"round": event.round, "t": event.t, "teams": teams, "moments": self._moments(teams)}

    def _moments(self, teams: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        """A few notable moments per chart: who stood out, and by how much."""

        def best(key: str, low: bool = False) -> dict[str, Any] | None:
            rows = [row for row in teams if row[key] is not None]
            if not rows:
                return None
            row = (
                min(rows, key=lambda r: (r[key], r["team"]))
                if low
                else max(rows, key=lambda r: (r[key], r["team"]))
            )
            return {"team": row["team"], "value": row[key]}

        moments: dict[str, list[dict[str, Any]]] = {name: [] for name in CHARTS}

        def add(chart: str, kind: str, found: dict[str, Any] | None) -> None:
            if found is not None:
                moments[chart].append({"kind": kind, **found})

        biggest = max(
            ((t, x.biggest) for t, x in self.tally.items() if x.biggest), key=lambda p: p[1], default=None
        )
        add("share", "leader", best("share"))
        add(
            "share", "biggest_order", {"team": biggest[0], "value": round(biggest[1], 2)} if biggest else None
        )
        add("discount", "deepest_discount", best("discount"))
        add("discount", "best_win_rate", best("win_rate"))
        add("response", "fastest", best("reply_hours", low=True))
        add("response", "slowest", best("reply_hours"))
        add("terms", "longest_terms", best("terms_days"))
        add("terms", "worst_bad_debt", best("bad_debt") if any(r["bad_debt"] for r in teams) else None)
        if self.write_offs:
            team, amount = max(self.write_offs, key=lambda w: w[1])
            add("terms", "largest_write_off", {"team": team, "value": round(amount, 2)})
        add("complaints", "most_in_time", best("in_time") if any(r["in_time"] for r in teams) else None)
        add("complaints", "most_escalated", best("escalated") if any(r["escalated"] for r in teams) else None)
        add("complaints", "happiest", best("satisfaction"))
        lows = [(team, run.lowest_cash) for team, run in self.running.items() if run.lowest_cash is not None]
        if lows:
            team, (cash, t) = min(lows, key=lambda p: (p[1][0], p[0]))
            moments["cash"].append({"kind": "lowest_cash", "team": team, "value": round(cash, 2), "t": t})
        add("cash", "most_cash", best("cash"))
        return moments


CHARTS = ("share", "discount", "response", "terms", "complaints", "cash")
"""The debrief's pictures, in the order the instructor steps through them."""


def debrief(fold: DebriefFold, round_number: int | None) -> dict[str, Any]:
    """The debrief of a completed round (the last one when ``round_number`` is None)."""
    done = [r["round"] for r in fold.rounds]
    if not done:
        raise LookupError("no round has ended yet: the debrief of a round comes after its end")
    number = done[-1] if round_number is None else round_number
    found = next((r for r in fold.rounds if r["round"] == number), None)
    if found is None:
        raise LookupError(f"round {number} has not ended yet; ended rounds: {', '.join(map(str, done))}")
    upto = sum(1 for t in fold.cash_t if t <= found["t"] + 1e-9)
    return {
        **found,
        "rounds_done": done,
        "charts": list(CHARTS),
        "hours_per_day": fold.hours_per_day,
        "cash": {"t": fold.cash_t[:upto], "teams": {team: fold.cash[team][:upto] for team in fold.teams}},
    }


def team_round(report: dict[str, Any], team: str, with_class: bool) -> dict[str, Any]:
    """One team's figures of a round, and (``with_class``) the class's median of each."""
    mine = next(row for row in report["teams"] if row["team"] == team)
    out: dict[str, Any] = {
        "round": report["round"],
        "t": report["t"],
        "rounds_done": report["rounds_done"],
        "team": mine,
    }
    if with_class:
        out["class_median"] = {
            name: round(median(values), 4) if values else None
            for name in FIGURES
            if name != "team"
            for values in [[row[name] for row in report["teams"] if row[name] is not None]]
        }
    return out
