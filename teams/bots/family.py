"""The bot that plays any point of the strategy family (``teams.bots.strategy``).

``StrategyBot`` runs the balanced routine with every habit read from its ``Strategy``: at the
family's default it sends the very commands the ``balanced`` bot sends, at the same times
(a test compares the digests). The degenerate reference bots are points of the family too.
"""

from __future__ import annotations

from market import events as ev
from market.parameters import MarketParameters
from teams import commands as c
from teams.bots.base import Bot, Reaction
from teams.bots.pace import reference_reply_hours
from teams.bots.strategy import BALANCED, Strategy, from_spec, segments_named, to_spec
from teams.errors import TeamError
from teams.ledger import Ledger
from teams.rules import DeskRules

SERVICE_DELAY = 0.25
NEXT_TICK = 0.01
"""Hours before a command that answers at once (a planned command needs a positive delay)."""


class StrategyBot(Bot):
    """A team that plays ``strategy`` (the class attribute, or the one it is built with)."""

    name = "strategy"
    description = "a point of the strategy family (strategy:LEVER=VALUE;…)"
    strategy: Strategy = BALANCED

    def __init__(self, team: str, params: MarketParameters, strategy: Strategy | None = None) -> None:
        super().__init__(team, params)
        if strategy is not None:
            self.strategy = strategy
        self._awaiting_grade: dict[str, list[ev.InquiryReceived]] = {}
        reply = self.strategy.reply_hours
        self.reply = reference_reply_hours(params) if reply is None else reply
        self._max_terms = DeskRules().max_terms_days

    @classmethod
    def from_name(cls, name: str, team: str, params: MarketParameters) -> StrategyBot:
        """The bot a ``strategy:…`` name stands for (TeamError if a lever or a segment is wrong)."""
        strategy = from_spec(name)
        known = [s.id for s in params.segments]
        unknown = sorted(segments_named(strategy) - set(known))
        if unknown:
            raise TeamError(
                f"strategy names segment {unknown[0]!r}, which this market does not have; "
                f"its segments are {', '.join(known)}"
            )
        bot = cls(team, params, strategy)
        bot.name = to_spec(bot.strategy)
        return bot

    # --- the routine ---------------------------------------------------------------------------

    def react(self, event: ev.Event, ledger: Ledger) -> list[Reaction]:
        s = self.strategy
        if isinstance(event, ev.InquiryReceived):
            return self._answer(event, ledger)
        if isinstance(event, ev.CreditChecked):
            waiting = self._awaiting_grade.pop(event.customer_id, [])
            return [self._after_grade(inquiry, ledger) for inquiry in waiting]
        if isinstance(event, ev.QuoteSent) and s.follow_up_hours is not None:
            return [(s.follow_up_hours, c.FollowUp(team=self.team, inquiry_id=event.inquiry_id))]
        if isinstance(event, ev.InvoiceDue) and event.outstanding > 0:
            return self._collect(event.invoice_id, ledger, first=True)
        if isinstance(event, ev.ReminderSent):
            return self._collect(event.invoice_id, ledger, first=False)
        if isinstance(event, ev.ComplaintOpened):
            remedy, percent = s.minor_remedy if event.severity == "minor" else s.major_remedy
            command = c.ResolveComplaint(
                team=self.team, complaint_id=event.complaint_id, remedy=remedy, credit_percent=percent
            )
            return [(SERVICE_DELAY, command)]
        if isinstance(event, ev.OrderDelivered) and s.care:
            return self._care(event.customer_id, ledger, event.t)
        if isinstance(event, ev.RoundStarted) and s.campaign_budget > 0:
            campaign = c.LaunchCampaign(team=self.team, segment=s.campaign_segment, budget=s.campaign_budget)
            return [(NEXT_TICK, campaign)]
        return []

    def refused(self, command: c.Command, reason: str, ledger: Ledger) -> list[Reaction]:
        """A credit check we could not afford: quote the waiting inquiries without the grade."""
        if isinstance(command, c.CheckCredit):
            waiting = self._awaiting_grade.pop(command.customer_id, [])
            return [(self.reply / 2, self.quote_for(i, ledger)) for i in waiting]
        return []

    def _decline(self, inquiry: ev.InquiryReceived, reason: str, delay: float) -> Reaction:
        return (delay, c.DeclineInquiry(team=self.team, inquiry_id=inquiry.inquiry_id, reason=reason))

    def _answer(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> list[Reaction]:
        s = self.strategy
        if inquiry.segment in s.decline:
            return [self._decline(inquiry, "segment not served", self.reply)]
        if ledger.goods_cost(inquiry.quantity) > ledger.free_cash:
            return [self._decline(inquiry, "cannot fund the goods", self.reply)]
        customer = ledger.customers[inquiry.customer_id]
        reactions: list[Reaction] = []
        if s.credit_limit is not None and customer.credit_limit is None and customer.inquiries == 1:
            limit = c.SetCreditLimit(team=self.team, customer_id=inquiry.customer_id, limit=s.credit_limit)
            reactions.append((NEXT_TICK, limit))
        if inquiry.segment in s.check_credit and customer.grade is None:
            waiting = self._awaiting_grade.setdefault(inquiry.customer_id, [])
            waiting.append(inquiry)
            if len(waiting) == 1:
                check = c.CheckCredit(team=self.team, customer_id=inquiry.customer_id)
                reactions.append((self.reply / 2, check))
            return reactions
        if customer.grade == "D" and s.decline_grade_d:
            return [*reactions, self._decline(inquiry, "credit grade D", self.reply)]
        return [*reactions, (self.reply, self.quote_for(inquiry, ledger))]

    def _after_grade(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> Reaction:
        s = self.strategy
        if s.decline_grade_d and ledger.customers[inquiry.customer_id].grade == "D":
            return self._decline(inquiry, "credit grade D", self.reply / 2)
        return (self.reply / 2, self.quote_for(inquiry, ledger))

    def terms(self, inquiry: ev.InquiryReceived, ledger: Ledger, price: float) -> float:
        s = self.strategy
        customer = ledger.customers[inquiry.customer_id]
        days = inquiry.requested_terms * s.terms_share_for(inquiry.segment)
        days = max(days, s.terms_floor_days)
        if customer.grade == "D":
            days *= s.grade_d_terms
        limit = s.credit_limit
        owed = ledger.open_balance(inquiry.customer_id) + price * inquiry.quantity
        if limit is not None and days > 0 and owed > limit:
            days = 0.0
        return min(days, self._max_terms)

    def quote_for(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> c.SendQuote:
        product = self.params.product
        largest = 1.0 - inquiry.list_discount - product.unit_cost / inquiry.list_price
        discount = round(max(0.0, min(self.strategy.discount_for(inquiry.segment), largest)), 4)
        price = round(inquiry.list_price * (1.0 - inquiry.list_discount - discount), 2)
        return c.SendQuote(
            team=self.team,
            inquiry_id=inquiry.inquiry_id,
            discount=discount,
            terms_days=self.terms(inquiry, ledger, price),
            delivery_days=min(max(product.lead_time_days, 1.0), inquiry.wanted_delivery),
        )

    def _collect(self, invoice_id: str, ledger: Ledger, first: bool) -> list[Reaction]:
        s = self.strategy
        invoice = ledger.invoices.get(invoice_id)
        if invoice is None or invoice.status != "open":
            return []
        cal = self.params.calendar
        day = cal.hours(1.0)
        grace_days = self.params.service.writeoff_after_days
        reactions: list[Reaction] = []
        if first and s.writeoff_share is not None:
            when = max(cal.hours(grace_days * s.writeoff_share), NEXT_TICK)
            reactions.append((when, c.WriteOff(team=self.team, invoice_id=invoice_id)))
            if s.writeoff_share == 0:
                return reactions
        if s.remind_days is not None and len(invoice.reminders) < s.reminders:
            gap = cal.hours(self.params.service.reminder_gap_days)
            delay = max(cal.hours(s.remind_days), NEXT_TICK) if first else gap + 0.5 * day
            reactions.append((delay, c.SendReminder(team=self.team, invoice_id=invoice_id)))
        # hand over before the write-off; with no grace before it there is nothing to hand over
        wait = cal.hours(grace_days * s.collect_share) if s.collect_share is not None else 0.0
        if first and wait > 0:
            reactions.append((wait, c.HandOverToCollection(team=self.team, invoice_id=invoice_id)))
        return reactions

    def _care(self, customer_id: str, ledger: Ledger, now: float) -> list[Reaction]:
        customer = ledger.customers.get(customer_id)
        if customer is None or customer.segment not in self.strategy.care:
            return []
        period = self.params.calendar.hours(self.params.service.care_days)
        if customer.care_t is not None and now - customer.care_t < period:
            return []
        return [(SERVICE_DELAY, c.CareForAccount(team=self.team, customer_id=customer_id))]
