"""Explanations: every number on the board opened up to the events behind it (by their seq)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from scoring.config import ScoringConfig
from scoring.funnel import ClosedInquiry, Funnel
from scoring.receivables import InvoiceBook
from scoring.satisfaction import SatisfactionBook
from scoring.standings import CompositePart, composite

ExplainedMetric = Literal["conversion", "satisfaction", "receivables", "composite", "rubric"]
"""The figures that can be opened: by ``Scoreboard.explain``, the rubric by ``scoring.explain_rubric``."""


@dataclass(frozen=True, slots=True)
class CustomerSatisfaction:
    """One customer's current S with the team; ``first_seq`` put it on the team's books."""

    customer_id: str
    satisfaction: float
    first_seq: int
    change_seqs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class DueInvoice:
    """One invoice in the due set. ``due_seq`` is the event that put it there; ``seqs`` all of its events."""

    invoice_id: str
    customer_id: str
    amount: float
    collected: float
    written_off: float | None
    due_seq: int
    seqs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class RubricItem:
    """One rubric item of a team: a criterion (in one round, or once) and what each judge gave.

    ``mean_points`` is the mean of ``judges``' points, ``judges`` the (judge, points) pairs sorted
    by judge.
    """

    criterion_id: int
    round: int | None
    max_points: float
    mean_points: float
    judges: tuple[tuple[str, float], ...]


ExplanationItem = ClosedInquiry | CustomerSatisfaction | DueInvoice | CompositePart | RubricItem


@dataclass(frozen=True, slots=True)
class Explanation:
    """A figure of one team, the formula that gives it, and the items (with seqs) it is made of."""

    team: str
    metric: ExplainedMetric
    value: float | None
    formula: str
    items: tuple[ExplanationItem, ...]


def _num(x: float | None) -> str:
    return "n/a" if x is None else f"{x:.2f}"


def explain_conversion(team: str, funnel: Funnel) -> Explanation:
    """Closed inquiries with outcome, reason and the seq of the closing event."""
    value = funnel.conversion()
    formula = f"conversion = 100 × won ÷ closed = 100 × {funnel.won} ÷ {funnel.closed} = {_num(value)}"
    return Explanation(team, "conversion", value, formula, tuple(funnel.closings))


def explain_satisfaction(team: str, moods: SatisfactionBook) -> Explanation:
    """Every customer of the team with its current S and the seqs of its changes."""
    value = moods.index()
    count = len(moods.customers)
    formula = f"satisfaction = 100 × ΣS ÷ customers = 100 × {moods.total:.4f} ÷ {count} = {_num(value)}"
    items = tuple(
        CustomerSatisfaction(customer_id, mood.satisfaction, mood.first_seq, tuple(mood.change_seqs))
        for customer_id, mood in moods.customers.items()
    )
    return Explanation(team, "satisfaction", value, formula, items)


def explain_receivables(team: str, book: InvoiceBook) -> Explanation:
    """Every invoice fallen due, with net amount, collected, written off and its seqs."""
    value = book.index()
    formula = (
        f"receivables = 100 × collected ÷ due = 100 × {book.collected_due:.2f} ÷ {book.due_total:.2f}"
        f" = {_num(value)} (clipped to 0–100)"
    )
    items = tuple(
        DueInvoice(
            invoice.invoice_id,
            invoice.customer_id,
            invoice.amount,
            invoice.collected,
            invoice.written_off,
            invoice.due_seq if invoice.due_seq is not None else -1,
            tuple(invoice.seqs),
        )
        for invoice in book.due
    )
    return Explanation(team, "receivables", value, formula, items)


def explain_composite(team: str, parts: Sequence[CompositePart], config: ScoringConfig) -> Explanation:
    """Each metric's value, normalised score and weight, and the weighted mean written out."""
    value = composite(parts)
    counted = [p for p in parts if p.included]
    terms = " + ".join(f"{p.weight:g}×{p.normalised:.2f}" for p in counted) or "0"
    total = " + ".join(f"{p.weight:g}" for p in counted) or "0"
    dropped = [p.metric for p in parts if not p.included and p.weight > 0]
    formula = (
        f"composite = Σ w·m ÷ Σ w = ({terms}) ÷ ({total}) = {value:.2f}; normalisation {config.normalisation}"
    )
    if any(p.metric == "profit" and p.included for p in parts):
        formula += "; profit min–max scaled across teams"
    if dropped:
        formula += f"; left out (no team has a value yet): {', '.join(dropped)}"
    return Explanation(team, "composite", value, formula, tuple(parts))
