"""The desk's sales commands: quotes and their revisions, declines, follow-ups, approvals.

A quote is checked against the inquiry (open, not awaiting an approval, quoted or not as the
command says), the ranges the desk rules allow, the unit cost and the customer's credit
limit; a discount above the role's authority becomes an approval request instead, and the
manager's approval sends the quote as requested.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from market import events as ev
from teams import commands as c
from teams.commands import EventSpec
from teams.desk.checks import money, number
from teams.errors import CommandRefused
from teams.records import InquiryRecord

if TYPE_CHECKING:
    from teams.desk import Desk


class SalesDesk:
    """The sales commands of one team's desk."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def handlers(self) -> dict[type[c.Command], Callable[[Any, float], list[EventSpec]]]:
        """The command kinds of this area, each with the method that decides it."""
        return {
            c.SendQuote: self._quote,
            c.ReviseQuote: self._quote,
            c.DeclineInquiry: self._decline,
            c.FollowUp: self._follow_up,
            c.ApproveDiscount: self._approve,
            c.RejectDiscount: self._reject,
        }

    def _inquiry(self, inquiry_id: str) -> InquiryRecord:
        d = self.desk
        inq = d.ledger.inquiries.get(inquiry_id)
        if inq is None:
            raise CommandRefused("not_found", f"team {d.team} has no inquiry {inquiry_id!r}")
        return inq

    def _open_inquiry(self, inquiry_id: str) -> InquiryRecord:
        inq = self._inquiry(inquiry_id)
        if not inq.open:
            raise CommandRefused("conflict", f"inquiry {inquiry_id} is already {inq.status}")
        return inq

    def quote_price(self, inq: InquiryRecord, discount: float) -> float:
        """Unit price after the price-list and position discounts."""
        return round(inq.list_price * (1.0 - inq.list_discount - discount), 2)

    def _quote(self, cmd: c.SendQuote, now: float) -> list[EventSpec]:
        d = self.desk
        inq = self._open_inquiry(cmd.inquiry_id)
        revise = isinstance(cmd, c.ReviseQuote)
        if inq.pending_approval:
            raise CommandRefused(
                "conflict", f"a discount on {inq.inquiry_id} awaits approval {inq.pending_approval}"
            )
        if revise and inq.status != "quoted":
            raise CommandRefused("conflict", f"{inq.inquiry_id} has no quote to revise; send one first")
        if not revise and inq.status == "quoted":
            raise CommandRefused("conflict", f"{inq.inquiry_id} is already quoted; revise the quote instead")
        rules = d.rules
        discount = number("discount", cmd.discount, 0.0, 0.99)
        terms = number("terms_days", cmd.terms_days, 0.0, rules.max_terms_days)
        delivery = number("delivery_days", cmd.delivery_days, 0.0, rules.max_delivery_days)
        installments = int(number("installments", cmd.installments, 1, rules.max_installments))
        if installments != cmd.installments:
            raise CommandRefused("invalid", "installments must be a whole number")
        price = self.quote_price(inq, discount)
        cost = d.params.product.unit_cost
        if price < cost:
            most = max(0.0, 1.0 - inq.list_discount - cost / inq.list_price)
            raise CommandRefused(
                "invalid",
                f"unit price {money(price)} is below the unit cost {money(cost)}; "
                f"the largest discount that covers cost here is {math.floor(most * 1000 + 1e-9) / 10:g} %",
                "below_cost",
                price=price,
                cost=cost,
                most=math.floor(most * 1000 + 1e-9) / 1000,
            )
        route = rules.route_discount(cmd.role, discount)
        if route == "refuse":
            raise CommandRefused(
                "forbidden",
                f"a discount of {discount:.1%} is above the largest anyone may grant "
                f"({rules.max_discount:.0%})",
                "above_max_discount",
                discount=discount,
                max=rules.max_discount,
            )
        limit = d.ledger.customers[inq.customer_id].credit_limit
        if limit is not None and terms > 0:
            balance = d.ledger.open_balance(inq.customer_id)
            value = price * inq.quantity
            if balance + value > limit + 1e-9:
                raise CommandRefused(
                    "credit_limit",
                    f"customer {inq.customer_id} has a credit limit of {money(limit)}; open balance "
                    f"{money(balance)} plus this quote {money(value)} exceeds it: quote with 0 days' "
                    "terms (payment on delivery) or raise the limit",
                    "credit_limit",
                    customer=inq.customer_id,
                    limit=limit,
                    balance=balance,
                    value=value,
                )
        terms_fields = dict(
            inquiry_id=inq.inquiry_id,
            unit_price=price,
            discount=discount,
            terms_days=terms,
            delivery_days=delivery,
            installments=installments,
        )
        if route == "approval":
            approval_id = d.next_id("ap")
            return [d.event(ev.ApprovalRequested, approval_id=approval_id, role=cmd.role, **terms_fields)]
        return [d.event(ev.QuoteSent, revision=inq.revision + 1, role=cmd.role, **terms_fields)]

    def _decline(self, cmd: c.DeclineInquiry, now: float) -> list[EventSpec]:
        d = self.desk
        inq = self._open_inquiry(cmd.inquiry_id)
        return [
            d.event(
                ev.InquiryDeclined,
                inquiry_id=inq.inquiry_id,
                customer_id=inq.customer_id,
                reason=cmd.reason[:200],
            )
        ]

    def _follow_up(self, cmd: c.FollowUp, now: float) -> list[EventSpec]:
        d = self.desk
        inq = self._open_inquiry(cmd.inquiry_id)
        if inq.status != "quoted":
            raise CommandRefused("conflict", f"{inq.inquiry_id} has no quote to follow up; send one first")
        if inq.followed_up:
            raise CommandRefused(
                "conflict", f"{inq.inquiry_id} was already followed up; a second call only annoys"
            )
        return [d.event(ev.FollowUpMade, inquiry_id=inq.inquiry_id)]

    def _pending_approval(self, approval_id: str) -> tuple[Any, InquiryRecord]:
        d = self.desk
        rec = d.ledger.approvals.get(approval_id)
        if rec is None:
            raise CommandRefused("not_found", f"team {d.team} has no approval {approval_id!r}")
        if rec.status != "pending":
            raise CommandRefused("conflict", f"approval {approval_id} is already {rec.status}")
        return rec, self._open_inquiry(rec.inquiry_id)

    def _approve(self, cmd: c.ApproveDiscount, now: float) -> list[EventSpec]:
        d = self.desk
        rec, inq = self._pending_approval(cmd.approval_id)
        return [
            d.event(
                ev.ApprovalDecided,
                approval_id=rec.approval_id,
                inquiry_id=inq.inquiry_id,
                approved=True,
                reason="",
            ),
            d.event(
                ev.QuoteSent,
                inquiry_id=inq.inquiry_id,
                unit_price=rec.unit_price,
                discount=rec.discount,
                terms_days=rec.terms_days,
                delivery_days=rec.delivery_days,
                installments=rec.installments,
                revision=inq.revision + 1,
                role=rec.requested_by,
            ),
        ]

    def _reject(self, cmd: c.RejectDiscount, now: float) -> list[EventSpec]:
        d = self.desk
        rec, inq = self._pending_approval(cmd.approval_id)
        return [
            d.event(
                ev.ApprovalDecided,
                approval_id=rec.approval_id,
                inquiry_id=inq.inquiry_id,
                approved=False,
                reason=cmd.reason[:200],
            )
        ]
