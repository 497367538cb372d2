"""Rules v2 receivables: the expected loss on every invoice, whenever it falls due.

An invoice written off is lost in full (the amount written off). An open invoice — not written
off, more than half a cent outstanding — is lost with a probability that grows with how long it
is past its due date d (days, negative while not yet due), linearly so that no day is a cliff:

    PD(d) = p0                                   for d ≤ 0 (not yet due)
    PD(d) = p0 + (1 − p0) · min(1, d ÷ H)        for d > 0

with p0 = ``CURRENT_LOSS_RATE`` and H the loss horizon (the market's write-off age). This is
the simplified approach of IFRS 9 (§5.5.15, B5.5.35: a provision matrix of loss rates that rise
with days past due), with the matrix's steps made continuous. Expected loss EL = written off +
Σ outstanding · PD over the open invoices; the loss rate is EL ÷ the net amount invoiced, and

    receivables = clip(100 − RECEIVABLES_POINTS_PER_PERCENT · 100 · EL ÷ invoiced, 0, 100)

so invoices due after the season's end count with their p0 and nothing escapes the index.
A round's snapshot scores the invoices that fell due inside the round the same way, at the
round's end (``window_expected_loss``).

Rules v3 prices the terms an invoice was granted: an invoice starts from its own rate

    p0(T, A) = min(1, p0 · (1 + TERMS_LOSS_LINK · max(0, T − A) ÷ max(A, MIN_ASKED_DAYS)))

(T the days of credit granted on its order, A the days the customer asked for), the market's
own link between terms beyond the standard and default (docs/market.md, "Credit and payment"),
and rises from there to 1 at the horizon. Terms up to those asked keep p0; an invoice granted
more than its customer asked carries that risk from the day it is issued, so granting the
longest terms to everyone costs its expected loss even when the invoices fall due after the
season's end. Every invoice carries its rate (``Invoice.current_loss_rate``; None: p0).
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final

from market.accounts import MONEY_EPSILON, days_past_due
from scoring.receivables import InvoiceBook

CURRENT_LOSS_RATE: Final[float] = 0.03
"""p0: expected loss rate of an invoice not yet due (B2B bad-debt write-offs run at 2–5 % of
receivables in payment-practice surveys; 3 % sits in that band)."""

TERMS_LOSS_LINK: Final[float] = 0.5
"""v3: relative rise of p0 per unit of excess terms (the market's default link, docs/market.md)."""

MIN_ASKED_DAYS: Final[float] = 1.0
"""v3: the asked terms an excess is measured against are at least this many days (the market's
floor on standard terms), so a cash buyer granted 15 days counts 15 units of excess, not ∞."""

RECEIVABLES_POINTS_PER_PERCENT: Final[float] = 10.0
"""Index points a team loses per 1 % of its invoiced amount expected to be lost: 0 % → 100, 10 % → 0."""


@dataclass(frozen=True, slots=True)
class ExpectedLoss:
    """A team's receivables at one moment under rules v2.

    ``written_off`` and ``open_loss`` add up to ``expected_loss``; ``open_amount`` is what is
    still owed on open invoices; ``invoiced`` the net amount of every invoice issued.
    """

    invoiced: float
    written_off: float
    open_amount: float
    open_loss: float

    @property
    def expected_loss(self) -> float:
        """Written off plus the expected loss on open invoices."""
        return self.written_off + self.open_loss

    @property
    def loss_rate(self) -> float | None:
        """Expected loss ÷ invoiced (0–1), None while (almost) nothing is invoiced."""
        if self.invoiced <= MONEY_EPSILON:
            return None
        return min(1.0, max(0.0, self.expected_loss / self.invoiced))

    def index(self) -> float | None:
        """The v2 receivables index (0–100), None while nothing is invoiced."""
        rate = self.loss_rate
        if rate is None:
            return None
        return min(100.0, max(0.0, 100.0 - RECEIVABLES_POINTS_PER_PERCENT * 100.0 * rate))


def terms_loss_rate(granted_days: float, asked_days: float) -> float:
    """v3: an invoice's p0 from the terms granted on its order and the terms its customer asked."""
    excess = max(0.0, granted_days - asked_days) / max(asked_days, MIN_ASKED_DAYS)
    return min(1.0, CURRENT_LOSS_RATE * (1.0 + TERMS_LOSS_LINK * excess))


def default_probability(days_past_due: float, horizon_days: float, current: float | None = None) -> float:
    """PD(d): the invoice's p0 (``current``; None: ``CURRENT_LOSS_RATE``) until due, then rising
    linearly to 1 at ``horizon_days`` past due."""
    p0 = CURRENT_LOSS_RATE if current is None else current
    if days_past_due <= 0.0:
        return p0
    return p0 + (1.0 - p0) * min(1.0, days_past_due / horizon_days)


def expected_loss(book: InvoiceBook, now: float, hours_per_day: float, horizon_days: float) -> ExpectedLoss:
    """The book's expected loss at ``now`` (O(open invoices); ``math.fsum``, so in any order)."""
    open_invoices = book.account.open.values()
    owed = [invoice.outstanding for invoice in open_invoices]
    losses = [
        invoice.outstanding
        * default_probability(
            days_past_due(now, invoice.due_t, hours_per_day), horizon_days, invoice.current_loss_rate
        )
        for invoice in open_invoices
    ]
    return ExpectedLoss(book.invoiced_total, book.written_off_total, math.fsum(owed), math.fsum(losses))


def window_expected_loss(
    book: InvoiceBook,
    invoice_ids: Iterable[str],
    net_amount: float,
    now: float,
    hours_per_day: float,
    horizon_days: float,
) -> ExpectedLoss:
    """The expected loss at ``now`` on some of the book's invoices (a round's: those that fell due
    inside it, whose net amount is ``net_amount``), by the same PD as the whole book's."""
    invoices = [book.account.invoices[i] for i in invoice_ids]
    open_ones = [invoice for invoice in invoices if invoice.is_open]
    losses = [
        invoice.outstanding
        * default_probability(
            days_past_due(now, invoice.due_t, hours_per_day), horizon_days, invoice.current_loss_rate
        )
        for invoice in open_ones
    ]
    return ExpectedLoss(
        net_amount,
        math.fsum(invoice.written_off or 0.0 for invoice in invoices),
        math.fsum(invoice.outstanding for invoice in open_ones),
        math.fsum(losses),
    )
