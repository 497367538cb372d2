"""The ledger of one team: its whole fold state, updated in O(1) by each of its events.

Cash and the invoices' balances are the team's account (:mod:`market.accounts`), the same fold
the team's console reads; the rest is scoring's own.
"""

from __future__ import annotations

from market.accounts import Account, Aging
from market.events import (
    ComplaintOpened,
    ComplaintResolved,
    CreditNoteIssued,
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
from scoring.config import ScoringConfig
from scoring.expected_loss import ExpectedLoss, expected_loss, terms_loss_rate, window_expected_loss
from scoring.funnel import ClosedInquiry, Funnel, Outcome
from scoring.metrics import TeamMetrics
from scoring.profit_scale import rounds_played, weeks_played
from scoring.receivables import Invoice, InvoiceBook, collection_index
from scoring.rounds import RoundTally
from scoring.satisfaction import SatisfactionBook

Headline = tuple[float | None, ...]
"""What the board shows of a team that ``last_change_t`` watches: conversion, satisfaction and
receivables (rules v2: the receivables book's running totals, which only events move)."""


class TeamLedger:
    """One team's funnel, customers, invoices, cash and per-round tallies."""

    __slots__ = (
        "_asked",
        "_config",
        "_order_terms",
        "account",
        "capital",
        "cash_gained",
        "collected",
        "complaints_opened",
        "complaints_resolved",
        "complaints_resolved_within_sla",
        "funnel",
        "invoices",
        "last_change_t",
        "moods",
        "rounds",
        "team",
    )

    def __init__(self, team: str, config: ScoringConfig) -> None:
        self._config = config
        self.team = team
        self.funnel = Funnel()
        self.moods = SatisfactionBook(config.initial_satisfaction, config.satisfaction_smoothing)
        self.account: Account[Invoice] = Account(Invoice)
        self.invoices = InvoiceBook(self.account)
        self.rounds: dict[int, RoundTally] = {}
        self.capital = 0.0
        self.cash_gained = 0.0
        self.collected = 0.0
        self.complaints_opened = 0
        self.complaints_resolved = 0
        self.complaints_resolved_within_sla = 0
        self.last_change_t: float | None = None
        self._asked: dict[str, float] = {}
        """Rules v3: days of credit each inquiry asked for (until it is won or closed)."""
        self._order_terms: dict[str, tuple[float, float]] = {}
        """Rules v3: (days granted, days asked) per won order, for its invoices' loss rate."""

    def headline(self) -> Headline:
        """The three headline metrics as they stand (O(1): v2 receivables by its running totals)."""
        if self._config.rules == 1:
            return (self.funnel.conversion(), self.moods.index(), self.invoices.index())
        book = self.invoices
        return (
            self.funnel.conversion(),
            self.moods.experience_index(),
            book.invoiced_total,
            self.account.open_total,
            book.written_off_total,
        )

    def expected_loss(self, now: float) -> ExpectedLoss:
        """Rules v2: the expected loss on the team's invoices at ``now``."""
        config = self._config
        return expected_loss(self.invoices, now, config.hours_per_day, config.loss_horizon_days)

    def round_receivables(self, tally: RoundTally, now: float) -> float | None:
        """A round's receivables over the invoices that fell due inside it: v1 collected ÷ due;
        v2 the expected-loss index of those invoices at ``now`` (the round's end)."""
        if self._config.rules == 1:
            return collection_index(tally.collected_due, tally.due_total)
        config = self._config
        return window_expected_loss(
            self.invoices,
            tally.invoice_ids,
            tally.due_total,
            now,
            config.hours_per_day,
            config.loss_horizon_days,
        ).index()

    def profit(self, loss: ExpectedLoss | None = None) -> float:
        """What the team earned: cash gained plus what customers still owe on open invoices.

        Rules v2 (``loss`` given) counts the open invoices at their expected value: what is owed
        less its expected loss, so long terms and slow collection cost profit as they cost risk.
        """
        if loss is None:
            return self.cash_gained + self.account.open_total
        return self.cash_gained + loss.open_amount - loss.open_loss

    def tally(self, t: float) -> RoundTally:
        """The running tally of the round whose window holds ``t``."""
        r = self._config.round_of(t)
        tally = self.rounds.get(r)
        if tally is None:
            tally = self.rounds[r] = RoundTally()
        return tally

    def apply(self, event: TeamEvent) -> None:
        """Fold one of the team's events in. Raises ScoringError (changing nothing) if malformed."""
        before = self.headline()
        self.invoices.check(event)  # the only refusal: the account below trusts what it is given
        self.account.observe(event)  # cash and invoice balances, as the team console folds them
        self._dispatch(event)
        delta = event.cash_delta
        if isinstance(event, TeamJoined):
            self.capital += delta
        else:
            self.cash_gained += delta
        if self.headline() != before:
            self.last_change_t = event.t

    def _dispatch(self, event: TeamEvent) -> None:
        match event:
            case InquiryReceived():
                self.funnel.receive(event.inquiry_id, event.t)
                self.moods.see(event.customer_id, event.seq)
                if self._config.rules >= 3:
                    self._asked[event.inquiry_id] = event.requested_terms
            case QuoteSent():
                self.funnel.quote(event.inquiry_id, event.t)
            case OrderWon():
                closing = ClosedInquiry(event.inquiry_id, event.customer_id, "won", "", event.seq, event.t)
                self.funnel.win(event.order_id, closing, self.tally(event.t))
                if self._config.rules >= 3:
                    asked = self._asked.pop(event.inquiry_id, event.terms_days)
                    self._order_terms[event.order_id] = (event.terms_days, asked)
            case OrderVoided():
                self.funnel.cancel(event.order_id, event.seq, event.t)
            case InquiryLost():
                self._close(event.inquiry_id, event.customer_id, "lost", event.reason, event)
            case InquiryDeclined():
                self._close(event.inquiry_id, event.customer_id, "declined", event.reason, event)
            case InquiryExpired():
                self._close(event.inquiry_id, event.customer_id, "expired", "", event)
            case SatisfactionChanged():
                self.moods.change(event.customer_id, event.satisfaction, event.seq, event.cause)
            case InvoiceIssued():
                self.invoices.issue(event)
                terms = self._order_terms.get(event.order_id)
                if terms is not None:
                    self.account.invoices[event.invoice_id].current_loss_rate = terms_loss_rate(*terms)
            case PaymentReceived():
                self.invoices.pay(event)
                self.collected += event.amount
            case RefundPaid():
                self.invoices.refund(event)
                self.collected -= event.amount
            case CreditNoteIssued():
                self.invoices.credit(event)
            case InvoiceDue():
                self.invoices.fall_due(event, self.tally(event.t))
            case InvoiceWrittenOff():
                self.invoices.write_off(event, self.tally(event.t))
            case ComplaintOpened():
                self.complaints_opened += 1
            case ComplaintResolved():
                self.complaints_resolved += 1
                if event.within_sla:
                    self.complaints_resolved_within_sla += 1
            case _:
                pass

    def _close(
        self, inquiry_id: str, customer_id: str, outcome: Outcome, reason: str, event: TeamEvent
    ) -> None:
        closing = ClosedInquiry(inquiry_id, customer_id, outcome, reason, event.seq, event.t)
        self.funnel.close(closing, self.tally(event.t))
        self._asked.pop(inquiry_id, None)

    def metrics(self, now: float, *, with_aging: bool = True) -> TeamMetrics:
        """The team's figures at ``now`` (aging is the only part that depends on ``now``)."""
        funnel, book = self.funnel, self.invoices
        hours_per_day = self._config.hours_per_day
        dso_hours = book.dso_hours()
        if self._config.rules == 1:
            loss = None
            satisfaction, receivables = self.moods.index(), book.index()
        else:
            loss = self.expected_loss(now)
            satisfaction, receivables = self.moods.experience_index(), loss.index()
        return TeamMetrics(
            team=self.team,
            conversion=funnel.conversion(),
            satisfaction=satisfaction,
            receivables=receivables,
            profit=self.profit(loss),
            cash=self.account.cash,
            collected=self.collected,
            dso_days=None if dso_hours is None else dso_hours / hours_per_day,
            overdue_share=book.overdue_share(),
            bad_debt_ratio=book.bad_debt_ratio(),
            aging=self.account.aging(now, hours_per_day) if with_aging else Aging(),
            due_total=book.due_total,
            collected_due=book.collected_due,
            written_off=book.written_off_total,
            won=funnel.won,
            lost=funnel.lost,
            declined=funnel.declined,
            expired=funnel.expired,
            inquiries=funnel.inquiries,
            quoted=funnel.replies,
            customers=len(self.moods.customers),
            invoices_due=len(book.due),
            complaints_opened=self.complaints_opened,
            complaints_resolved=self.complaints_resolved,
            complaints_resolved_within_sla=self.complaints_resolved_within_sla,
            mean_reply_hours=funnel.mean_reply_hours(),
            last_change_t=self.last_change_t,
            capital=self.capital,
            invoiced=book.invoiced_total,
            expected_loss=None if loss is None else loss.expected_loss,
            experiences=len(self.moods.experiences),
            rounds=rounds_played(now, self._config.round_hours),
            weeks=weeks_played(now, self._config.week_hours),
        )
