"""The desk's receivables commands: reminders, hand-overs, write-offs, credit checks and limits.

Reminders go to open invoices (early or repeated ones are marked so, for the market to
weigh); only an overdue invoice may be handed over to collection or written off. A credit
check costs cash and reveals the customer's risk grade; a credit limit caps the open balance
that quotes with terms may add to.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from market import events as ev
from teams import commands as c
from teams.commands import EventSpec
from teams.desk.checks import actor, number
from teams.errors import CommandRefused
from teams.records import InvoiceRecord

if TYPE_CHECKING:
    from teams.desk import Desk


class ReceivablesDesk:
    """The receivables commands of one team's desk."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def handlers(self) -> dict[type[c.Command], Callable[[Any, float], list[EventSpec]]]:
        """The command kinds of this area, each with the method that decides it."""
        return {
            c.SendReminder: self._remind,
            c.HandOverToCollection: self._hand_over,
            c.WriteOff: self._write_off,
            c.CheckCredit: self._check_credit,
            c.SetCreditLimit: self._credit_limit,
        }

    def _invoice(self, invoice_id: str) -> InvoiceRecord:
        d = self.desk
        inv = d.ledger.invoices.get(invoice_id)
        if inv is None:
            raise CommandRefused("not_found", f"team {d.team} has no invoice {invoice_id!r}")
        if inv.status != "open":
            raise CommandRefused(
                "conflict", f"invoice {invoice_id} is {inv.status.replace('_', ' ')}, not open"
            )
        return inv

    def _remind(self, cmd: c.SendReminder, now: float) -> list[EventSpec]:
        d = self.desk
        inv = self._invoice(cmd.invoice_id)
        gap = d.params.calendar.hours(d.params.service.reminder_gap_days)
        repeated = bool(inv.reminders) and now - inv.reminders[-1] < gap
        return [
            d.event(
                ev.ReminderSent,
                invoice_id=inv.invoice_id,
                customer_id=inv.customer_id,
                early=now < inv.due_t,
                repeated=repeated,
                by=actor(cmd),
            )
        ]

    def _overdue(self, invoice_id: str, now: float, action: str) -> InvoiceRecord:
        d = self.desk
        inv = self._invoice(invoice_id)
        if now < inv.due_t:
            days = d.params.calendar.days(inv.due_t - now)
            raise CommandRefused(
                "conflict",
                f"invoice {invoice_id} is not due yet ({days:.1f} days left); "
                f"only overdue invoices can be {action}",
            )
        return inv

    def _hand_over(self, cmd: c.HandOverToCollection, now: float) -> list[EventSpec]:
        d = self.desk
        inv = self._overdue(cmd.invoice_id, now, "handed over")
        return [
            d.event(
                ev.InvoiceHandedOver,
                invoice_id=inv.invoice_id,
                customer_id=inv.customer_id,
                outstanding=inv.outstanding,
            )
        ]

    def _write_off(self, cmd: c.WriteOff, now: float) -> list[EventSpec]:
        d = self.desk
        inv = self._overdue(cmd.invoice_id, now, "written off")
        return [
            d.event(
                ev.InvoiceWrittenOff,
                invoice_id=inv.invoice_id,
                customer_id=inv.customer_id,
                amount=inv.outstanding,
                by="team",
            )
        ]

    def _credit_limit(self, cmd: c.SetCreditLimit, now: float) -> list[EventSpec]:
        d = self.desk
        d.known_customer(cmd.customer_id)
        limit = number("limit", cmd.limit, 0.0, 1e12)
        return [d.event(ev.CreditLimitSet, customer_id=cmd.customer_id, limit=limit)]

    def _check_credit(self, cmd: c.CheckCredit, now: float) -> list[EventSpec]:
        d = self.desk
        d.known_customer(cmd.customer_id)
        cost = d.params.service.credit_check_cost
        d.spend("a credit check", cost)
        grade = d.market.credit_grade(cmd.customer_id)
        return [d.event(ev.CreditChecked, customer_id=cmd.customer_id, grade=grade, cost=cost)]
