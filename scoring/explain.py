"""Explanations: every number on the board opened up to the events behind it (by their seq)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from market.accounts import days_past_due
from scoring.config import ScoringConfig
from scoring.expected_loss import (
    CURRENT_LOSS_RATE,
    MIN_ASKED_DAYS,
    RECEIVABLES_POINTS_PER_PERCENT,
    TERMS_LOSS_LINK,
    ExpectedLoss,
    default_probability,
)
from scoring.funnel import ClosedInquiry, Funnel
from scoring.profit_scale import PROFIT_POINTS_PER_PERCENT, period_name, return_per_period, score_anchors
from scoring.receivables import InvoiceBook
from scoring.satisfaction import EXPERIENCE_CEILING, EXPERIENCE_FLOOR, Experience, SatisfactionBook
from scoring.standings import CompositePart, composite

ExplainedMetric = Literal["conversion", "satisfaction", "receivables", "profit", "composite", "rubric"]
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


@dataclass(frozen=True, slots=True)
class InvoiceRisk:
    """Rules v2: one invoice and its expected loss at the time of the explanation.

    ``days_past_due`` is negative while the invoice is not yet due; ``loss_probability`` is
    1 for a written-off invoice (its loss is the amount written off) and 0 for a settled one.
    """

    invoice_id: str
    customer_id: str
    amount: float
    collected: float
    written_off: float | None
    due_t: float
    days_past_due: float
    loss_probability: float
    expected_loss: float
    seqs: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class ProfitLine:
    """One part of profit: ``part`` is cash_gained, owed or expected_loss (the loss subtracts)."""

    part: str
    amount: float


ExplanationItem = (
    ClosedInquiry
    | CustomerSatisfaction
    | DueInvoice
    | CompositePart
    | RubricItem
    | Experience
    | InvoiceRisk
    | ProfitLine
)


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


def explain_satisfaction_v2(team: str, moods: SatisfactionBook, smoothing: float) -> Explanation:
    """Rules v2: every experience the team gave, read back from the change of S."""
    value = moods.experience_index()
    count = len(moods.experiences)
    mean = moods.mean_experience()
    span = EXPERIENCE_CEILING - EXPERIENCE_FLOOR
    formula = (
        f"x = clip((S_after − {1 - smoothing:g}·S_before) ÷ {smoothing:g}, 0, 1) per experience;"
        f" x̄ = Σx ÷ n = {moods.experience_total:.4f} ÷ {count} = {_num(mean)};"
        f" satisfaction = clip(100 × (x̄ − {EXPERIENCE_FLOOR:g}) ÷ {span:g}, 0, 100) = {_num(value)}"
        f" (scale: x̄ {EXPERIENCE_FLOOR:g} → 0, {EXPERIENCE_CEILING:g} → 100)"
    )
    return Explanation(team, "satisfaction", value, formula, tuple(moods.experiences))


def invoice_risks(
    book: InvoiceBook, now: float, hours_per_day: float, horizon_days: float
) -> tuple[InvoiceRisk, ...]:
    """Every invoice of the book with its expected loss at ``now``, in the order issued."""
    out = []
    for invoice in book.account.invoices.values():
        d = days_past_due(now, invoice.due_t, hours_per_day)
        if invoice.written_off is not None:
            pd, loss = 1.0, invoice.written_off
        elif invoice.is_open:
            pd = default_probability(d, horizon_days, invoice.current_loss_rate)
            loss = invoice.outstanding * pd
        else:
            pd, loss = 0.0, 0.0
        out.append(
            InvoiceRisk(
                invoice.invoice_id,
                invoice.customer_id,
                invoice.amount,
                invoice.collected,
                invoice.written_off,
                invoice.due_t,
                d,
                pd,
                loss,
                tuple(invoice.seqs),
            )
        )
    return tuple(out)


def explain_receivables_v2(
    team: str,
    book: InvoiceBook,
    loss: ExpectedLoss,
    items: tuple[InvoiceRisk, ...],
    horizon_days: float,
    terms_priced: bool = False,
) -> Explanation:
    """Rules v2 and v3: every invoice with its expected loss; the index on its fixed scale.
    ``terms_priced`` (v3): each invoice's rate until due comes from its terms granted and asked."""
    value = loss.index()
    rate = loss.loss_rate
    until_due = (
        f"the invoice's own rate until due ({CURRENT_LOSS_RATE:g} × (1 + {TERMS_LOSS_LINK:g} × days granted"
        f" beyond those asked ÷ max(days asked, {MIN_ASKED_DAYS:g})))"
        if terms_priced
        else f"{CURRENT_LOSS_RATE:g} until due"
    )
    formula = (
        f"expected loss = written off {loss.written_off:.2f} + Σ open × PD {loss.open_loss:.2f}"
        f" = {loss.expected_loss:.2f}; PD = {until_due}, then rising linearly to 1"
        f" at {horizon_days:g} days past due; loss rate = {loss.expected_loss:.2f} ÷ invoiced"
        f" {loss.invoiced:.2f} = {'n/a' if rate is None else f'{100 * rate:.2f} %'};"
        f" receivables = clip(100 − {RECEIVABLES_POINTS_PER_PERCENT:g} × loss rate in %, 0, 100)"
        f" = {_num(value)}"
        f" (scale: 0 % lost → 100, {50 / RECEIVABLES_POINTS_PER_PERCENT:g} % → 50,"
        f" {100 / RECEIVABLES_POINTS_PER_PERCENT:g} % → 0)"
    )
    return Explanation(team, "receivables", value, formula, items)


def explain_profit_v2(
    team: str,
    cash_gained: float,
    loss: ExpectedLoss,
    capital: float,
    periods: float,
    part: CompositePart,
    week: tuple[float, float] | None = None,
) -> Explanation:
    """Rules v2: profit from its parts, its return per period and the fixed scale's anchors.

    The period is a round (v2–v4); with ``week`` = (now, week hours), rules 5, a business week,
    and the formula shows how the weeks played come from the time.
    """
    profit = part.value
    ret = return_per_period(profit or 0.0, capital, periods)
    low, middle, high = score_anchors()
    if week is None:
        period, played = "round", f"rounds played {periods:.2f}"
    else:
        now, week_hours = week
        period = "business week"
        played = (
            f"business weeks played {periods:.4f}"
            f" (= max(1, t {now:.2f} h ÷ {week_hours:g} h a business week))"
        )
    formula = (
        f"profit = cash gained {cash_gained:.2f} + still owed {loss.open_amount:.2f}"
        f" − expected loss on it {loss.open_loss:.2f} = {_num(profit)};"
        f" return = 100 × profit ÷ starting capital {capital:.2f} ÷ {played}"
        f" = {_num(ret)} % per {period};"
        f" score = clip(50 + {PROFIT_POINTS_PER_PERCENT:g} × return, 0, 100) = {_num(part.scaled)}"
        f" (scale: {low:g} % a {period} → 0, {middle:g} % → 50, +{high:g} % → 100)"
    )
    items = (
        ProfitLine("cash_gained", cash_gained),
        ProfitLine("owed", loss.open_amount),
        ProfitLine("expected_loss", loss.open_loss),
    )
    return Explanation(team, "profit", profit, formula, items)


def explain_profit_v1(
    team: str, cash_gained: float, owed: float, part: CompositePart, lowest: float, highest: float
) -> Explanation:
    """Rules v1: profit from its parts and its min–max score with the class's lowest and highest."""
    profit = part.value
    if highest == lowest:
        scale = f"all teams equal ({lowest:.2f}) → 50"
    else:
        scale = (
            f"100 × (profit − lowest {lowest:.2f}) ÷ (highest {highest:.2f} − lowest {lowest:.2f})"
            f" = {part.scaled if part.scaled is not None else 0.0:.2f}"
        )
    formula = (
        f"profit = cash gained {cash_gained:.2f} + still owed {owed:.2f} = {_num(profit)}; score = {scale}"
    )
    items = (ProfitLine("cash_gained", cash_gained), ProfitLine("owed", owed))
    return Explanation(team, "profit", profit, formula, items)


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
    if config.rules == 1:
        if any(p.metric == "profit" and p.included for p in parts):
            formula += "; profit min–max scaled across teams"
        if dropped:
            formula += f"; left out (no team has a value yet): {', '.join(dropped)}"
    else:
        period = period_name(config)
        formula += (
            f"; each metric on its own fixed scale (profit: 50 + 10 × return on capital % per {period})"
        )
        if dropped:
            formula += f"; left out for this team (no value yet), weights renormalised: {', '.join(dropped)}"
    return Explanation(team, "composite", value, formula, tuple(parts))
