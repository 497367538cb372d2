"""The balanced bot: a sensible, complete CRM routine.

It answers every inquiry at the reference pace (``teams.bots.pace``: a quarter of a business hour
under rules 1–3; from rules 4 while the customer still considers 99 % of replies, a fraction of
the market's τ) at a segment-specific discount
and the credit terms the customer asked for (halved for customers whose credit check comes
back D), declines what it could not pay the goods for (cash less the goods of orders not yet
delivered), reminds overdue invoices on and after the due date,
hands long-overdue ones to a collector before they are lost, settles complaints adequately
within the SLA (apology for minor, a 15 % credit note for major), and cares for key
accounts. The other reference bots each change one of these habits.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import ClassVar

from market import events as ev
from market.parameters import MarketParameters
from teams import commands as c
from teams.bots.base import Bot, Reaction
from teams.bots.pace import reference_reply_hours
from teams.ledger import Ledger

SERVICE_DELAY = 0.25
MAX_REMINDERS = 3


class BalancedBot(Bot):
    name = "balanced"
    description = "a sensible policy: fair prices, fast replies, reminders, adequate remedies"

    discounts: ClassVar[Mapping[str, float]] = MappingProxyType(
        {"key_accounts": 0.02, "smb": 0.06, "price_shoppers": 0.14}
    )
    default_discount = 0.06
    checks_credit = True
    sends_reminders = True
    collects = True
    cares_for_accounts = True

    # --- habits the other bots change ---------------------------------------------------------

    def discount(self, inquiry: ev.InquiryReceived) -> float:
        return self.discounts.get(inquiry.segment, self.default_discount)

    def terms(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> float:
        grade = ledger.customers[inquiry.customer_id].grade
        return inquiry.requested_terms / 2 if grade == "D" else inquiry.requested_terms

    def remedy(self, complaint: ev.ComplaintOpened) -> tuple[str, float]:
        return ("apology", 0.0) if complaint.severity == "minor" else ("credit_note", 15.0)

    # --- the routine ---------------------------------------------------------------------------

    def __init__(self, team: str, params: MarketParameters) -> None:
        super().__init__(team, params)
        self.reply_delay = reference_reply_hours(params)
        self._awaiting_grade: dict[str, list[ev.InquiryReceived]] = {}

    def react(self, event: ev.Event, ledger: Ledger) -> list[Reaction]:
        if isinstance(event, ev.InquiryReceived):
            return self._answer(event, ledger)
        if isinstance(event, ev.CreditChecked):
            waiting = self._awaiting_grade.pop(event.customer_id, [])
            return [(self.reply_delay / 2, self.quote_for(inquiry, ledger)) for inquiry in waiting]
        if isinstance(event, ev.InvoiceDue) and event.outstanding > 0:
            return self._collect(event.invoice_id, ledger, first=True)
        if isinstance(event, ev.ReminderSent) and self.sends_reminders:
            return self._collect(event.invoice_id, ledger, first=False)
        if isinstance(event, ev.ComplaintOpened):
            remedy, percent = self.remedy(event)
            return [
                (
                    SERVICE_DELAY,
                    c.ResolveComplaint(
                        team=self.team, complaint_id=event.complaint_id, remedy=remedy, credit_percent=percent
                    ),
                )
            ]
        if isinstance(event, ev.OrderDelivered) and self.cares_for_accounts:
            return self._care(event.customer_id, ledger, event.t)
        return []

    def refused(self, command: c.Command, reason: str, ledger: Ledger) -> list[Reaction]:
        """A credit check we could not afford: quote the waiting inquiries without the grade."""
        if isinstance(command, c.CheckCredit):
            waiting = self._awaiting_grade.pop(command.customer_id, [])
            return [(self.reply_delay / 2, self.quote_for(inquiry, ledger)) for inquiry in waiting]
        return []

    def _answer(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> list[Reaction]:
        if ledger.goods_cost(inquiry.quantity) > ledger.free_cash:
            decline = c.DeclineInquiry(
                team=self.team, inquiry_id=inquiry.inquiry_id, reason="cannot fund the goods"
            )
            return [(self.reply_delay, decline)]
        customer = ledger.customers[inquiry.customer_id]
        if self.checks_credit and inquiry.segment == "key_accounts" and customer.grade is None:
            waiting = self._awaiting_grade.setdefault(inquiry.customer_id, [])
            waiting.append(inquiry)
            if len(waiting) == 1:
                return [
                    (self.reply_delay / 2, c.CheckCredit(team=self.team, customer_id=inquiry.customer_id))
                ]
            return []
        return [(self.reply_delay, self.quote_for(inquiry, ledger))]

    def quote_for(self, inquiry: ev.InquiryReceived, ledger: Ledger) -> c.SendQuote:
        product = self.params.product
        largest = 1.0 - inquiry.list_discount - product.unit_cost / inquiry.list_price
        discount = max(0.0, min(self.discount(inquiry), largest))
        return c.SendQuote(
            team=self.team,
            inquiry_id=inquiry.inquiry_id,
            discount=round(discount, 4),
            terms_days=self.terms(inquiry, ledger),
            delivery_days=min(max(self.params.product.lead_time_days, 1.0), inquiry.wanted_delivery),
        )

    def _collect(self, invoice_id: str, ledger: Ledger, first: bool) -> list[Reaction]:
        invoice = ledger.invoices.get(invoice_id)
        if invoice is None or invoice.status != "open":
            return []
        day = self.params.calendar.hours(1.0)
        gap = self.params.calendar.hours(self.params.service.reminder_gap_days)
        reactions: list[Reaction] = []
        if self.sends_reminders and len(invoice.reminders) < MAX_REMINDERS:
            delay = 0.5 * day if first else gap + 0.5 * day
            reactions.append((delay, c.SendReminder(team=self.team, invoice_id=invoice_id)))
        # hand over before the write-off; with no grace before it there is nothing to hand over
        wait = self.params.calendar.hours(self.params.service.writeoff_after_days * 2 / 3)
        if first and self.collects and wait > 0:
            reactions.append((wait, c.HandOverToCollection(team=self.team, invoice_id=invoice_id)))
        return reactions

    def _care(self, customer_id: str, ledger: Ledger, now: float) -> list[Reaction]:
        customer = ledger.customers.get(customer_id)
        if customer is None or customer.segment != "key_accounts":
            return []
        period = self.params.calendar.hours(self.params.service.care_days)
        if customer.care_t is not None and now - customer.care_t < period:
            return []
        return [(SERVICE_DELAY, c.CareForAccount(team=self.team, customer_id=customer_id))]
