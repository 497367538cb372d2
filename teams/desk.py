"""The CRM desk of one team: validates commands and turns them into events.

``Desk.decide`` checks a command against the role's permissions, the desk rules and the
ledger, and returns the events it stands for, or raises :class:`CommandRefused` with a
reason that says what is wrong and how to put it right. It changes nothing itself: the
competition appends the events, and the ledger folds them like any other event.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from market import events as ev
from market.market import Market
from market.parameters import MarketParameters
from market.remedies import REMEDIES, remedy_adequate
from teams import commands as c
from teams.commands import EventSpec
from teams.errors import CommandRefused
from teams.ledger import Ledger
from teams.records import ComplaintRecord, InquiryRecord, InvoiceRecord
from teams.remedy_plan import plan_remedy
from teams.rules import DeskRules, roles_allowed


def _money(x: float) -> str:
    return f"{x:,.2f}"


def _actor(command: c.Command) -> str:
    """Who acted, as the event records it: the member's name, else the role."""
    return command.member or command.role


def _number(name: str, value: Any, low: float, high: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise CommandRefused("invalid", f"{name} must be a finite number, got {value!r}")
    if not low <= value <= high:
        raise CommandRefused(
            "invalid",
            f"{name} {value:g} is out of range; allowed {low:g} to {high:g}",
            "out_of_range",
            field=name,
            value=float(value),
            low=low,
            high=high,
        )
    return float(value)


class Desk:
    """One team's CRM desk."""

    def __init__(self, team: str, market: Market, rules: DeskRules | None = None) -> None:
        self.team = team
        self.market = market
        self.params = market.params
        self.rules = rules or DeskRules()
        self.ledger = Ledger(
            team, self.params.product.unit_cost, self.params.product.order_cost, self.params.calendar
        )
        self._serial = 0
        self._handlers: dict[type[c.Command], Callable[[Any, float], list[EventSpec]]] = {
            c.SendQuote: self._quote,
            c.ReviseQuote: self._quote,
            c.DeclineInquiry: self._decline,
            c.FollowUp: self._follow_up,
            c.ApproveDiscount: self._approve,
            c.RejectDiscount: self._reject,
            c.SendReminder: self._remind,
            c.HandOverToCollection: self._hand_over,
            c.WriteOff: self._write_off,
            c.ResolveComplaint: self._resolve,
            c.RequestSurvey: self._survey,
            c.CheckCredit: self._check_credit,
            c.SetCreditLimit: self._credit_limit,
            c.LaunchCampaign: self._campaign,
            c.CareForAccount: self._care,
            c.AddNote: self._note,
            c.SetQuotePolicy: self._quote_policy,
            c.SetReminderPolicy: self._reminder_policy,
            c.SetApologyPolicy: self._apology_policy,
        }

    def set_parameters(self, params: MarketParameters) -> None:
        """Use ``params`` from now on (prices, costs and limits of later commands)."""
        self.params = params
        self.ledger.unit_cost = params.product.unit_cost
        self.ledger.order_cost = params.product.order_cost

    def observe(self, event: ev.Event) -> None:
        self.ledger.observe(event)

    def decide(self, command: c.Command, now: float) -> list[EventSpec]:
        """The events ``command`` stands for at time ``now``; CommandRefused if it is not allowed."""
        if command.team != self.team:
            raise CommandRefused("forbidden", f"this is the desk of team {self.team}, not {command.team}")
        kind = type(command)
        if not self.rules.allowed(command.role, kind):
            roles = ", ".join(roles_allowed(kind)) or "nobody"
            raise CommandRefused(
                "forbidden", f"role {command.role!r} may not {command.kind}; roles that may: {roles}"
            )
        return self._handlers[kind](command, now)

    # --- lookups ----------------------------------------------------------------------------------

    def _inquiry(self, inquiry_id: str) -> InquiryRecord:
        inq = self.ledger.inquiries.get(inquiry_id)
        if inq is None:
            raise CommandRefused("not_found", f"team {self.team} has no inquiry {inquiry_id!r}")
        return inq

    def _open_inquiry(self, inquiry_id: str) -> InquiryRecord:
        inq = self._inquiry(inquiry_id)
        if not inq.open:
            raise CommandRefused("conflict", f"inquiry {inquiry_id} is already {inq.status}")
        return inq

    def _invoice(self, invoice_id: str) -> InvoiceRecord:
        inv = self.ledger.invoices.get(invoice_id)
        if inv is None:
            raise CommandRefused("not_found", f"team {self.team} has no invoice {invoice_id!r}")
        if inv.status != "open":
            raise CommandRefused(
                "conflict", f"invoice {invoice_id} is {inv.status.replace('_', ' ')}, not open"
            )
        return inv

    def _customer_known(self, customer_id: str) -> None:
        if customer_id not in self.ledger.customers:
            raise CommandRefused("not_found", f"team {self.team} has no customer {customer_id!r}")

    def _spend(self, what: str, cost: float) -> None:
        cash = self.ledger.cash
        if cost > cash + 1e-9:
            raise CommandRefused(
                "insufficient_cash",
                f"{what} costs {_money(cost)} but the team has only {_money(cash)} in cash",
                "insufficient_cash",
                cost=cost,
                cash=cash,
            )

    def _event(self, kind: type[ev.Event], **fields: Any) -> EventSpec:
        """An event of this team that a command stands for."""
        return (kind, {"team": self.team, **fields})

    def _next_id(self, prefix: str) -> str:
        self._serial += 1
        return f"{self.team}-{prefix}{self._serial}"

    # --- sales ------------------------------------------------------------------------------------

    def quote_price(self, inq: InquiryRecord, discount: float) -> float:
        """Unit price after the price-list and position discounts."""
        return round(inq.list_price * (1.0 - inq.list_discount - discount), 2)

    def _quote(self, cmd: c.SendQuote, now: float) -> list[EventSpec]:
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
        rules = self.rules
        discount = _number("discount", cmd.discount, 0.0, 0.99)
        terms = _number("terms_days", cmd.terms_days, 0.0, rules.max_terms_days)
        delivery = _number("delivery_days", cmd.delivery_days, 0.0, rules.max_delivery_days)
        installments = int(_number("installments", cmd.installments, 1, rules.max_installments))
        if installments != cmd.installments:
            raise CommandRefused("invalid", "installments must be a whole number")
        price = self.quote_price(inq, discount)
        cost = self.params.product.unit_cost
        if price < cost:
            most = max(0.0, 1.0 - inq.list_discount - cost / inq.list_price)
            raise CommandRefused(
                "invalid",
                f"unit price {_money(price)} is below the unit cost {_money(cost)}; "
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
        limit = self.ledger.customers[inq.customer_id].credit_limit
        if limit is not None and terms > 0:
            balance = self.ledger.open_balance(inq.customer_id)
            value = price * inq.quantity
            if balance + value > limit + 1e-9:
                raise CommandRefused(
                    "credit_limit",
                    f"customer {inq.customer_id} has a credit limit of {_money(limit)}; open balance "
                    f"{_money(balance)} plus this quote {_money(value)} exceeds it: quote with 0 days' "
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
            approval_id = self._next_id("ap")
            return [self._event(ev.ApprovalRequested, approval_id=approval_id, role=cmd.role, **terms_fields)]
        return [self._event(ev.QuoteSent, revision=inq.revision + 1, role=cmd.role, **terms_fields)]

    def _decline(self, cmd: c.DeclineInquiry, now: float) -> list[EventSpec]:
        inq = self._open_inquiry(cmd.inquiry_id)
        return [
            self._event(
                ev.InquiryDeclined,
                inquiry_id=inq.inquiry_id,
                customer_id=inq.customer_id,
                reason=cmd.reason[:200],
            )
        ]

    def _follow_up(self, cmd: c.FollowUp, now: float) -> list[EventSpec]:
        inq = self._open_inquiry(cmd.inquiry_id)
        if inq.status != "quoted":
            raise CommandRefused("conflict", f"{inq.inquiry_id} has no quote to follow up; send one first")
        if inq.followed_up:
            raise CommandRefused(
                "conflict", f"{inq.inquiry_id} was already followed up; a second call only annoys"
            )
        return [self._event(ev.FollowUpMade, inquiry_id=inq.inquiry_id)]

    def _pending_approval(self, approval_id: str) -> tuple[Any, InquiryRecord]:
        rec = self.ledger.approvals.get(approval_id)
        if rec is None:
            raise CommandRefused("not_found", f"team {self.team} has no approval {approval_id!r}")
        if rec.status != "pending":
            raise CommandRefused("conflict", f"approval {approval_id} is already {rec.status}")
        return rec, self._open_inquiry(rec.inquiry_id)

    def _approve(self, cmd: c.ApproveDiscount, now: float) -> list[EventSpec]:
        rec, inq = self._pending_approval(cmd.approval_id)
        return [
            self._event(
                ev.ApprovalDecided,
                approval_id=rec.approval_id,
                inquiry_id=inq.inquiry_id,
                approved=True,
                reason="",
            ),
            self._event(
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
        rec, inq = self._pending_approval(cmd.approval_id)
        return [
            self._event(
                ev.ApprovalDecided,
                approval_id=rec.approval_id,
                inquiry_id=inq.inquiry_id,
                approved=False,
                reason=cmd.reason[:200],
            )
        ]

    # --- receivables ----------------------------------------------------------------------------------

    def _remind(self, cmd: c.SendReminder, now: float) -> list[EventSpec]:
        inv = self._invoice(cmd.invoice_id)
        gap = self.params.calendar.hours(self.params.service.reminder_gap_days)
        repeated = bool(inv.reminders) and now - inv.reminders[-1] < gap
        return [
            self._event(
                ev.ReminderSent,
                invoice_id=inv.invoice_id,
                customer_id=inv.customer_id,
                early=now < inv.due_t,
                repeated=repeated,
                by=_actor(cmd),
            )
        ]

    def _overdue(self, invoice_id: str, now: float, action: str) -> InvoiceRecord:
        inv = self._invoice(invoice_id)
        if now < inv.due_t:
            days = self.params.calendar.days(inv.due_t - now)
            raise CommandRefused(
                "conflict",
                f"invoice {invoice_id} is not due yet ({days:.1f} days left); "
                f"only overdue invoices can be {action}",
            )
        return inv

    def _hand_over(self, cmd: c.HandOverToCollection, now: float) -> list[EventSpec]:
        inv = self._overdue(cmd.invoice_id, now, "handed over")
        return [
            self._event(
                ev.InvoiceHandedOver,
                invoice_id=inv.invoice_id,
                customer_id=inv.customer_id,
                outstanding=inv.outstanding,
            )
        ]

    def _write_off(self, cmd: c.WriteOff, now: float) -> list[EventSpec]:
        inv = self._overdue(cmd.invoice_id, now, "written off")
        return [
            self._event(
                ev.InvoiceWrittenOff,
                invoice_id=inv.invoice_id,
                customer_id=inv.customer_id,
                amount=inv.outstanding,
                by="team",
            )
        ]

    def _credit_limit(self, cmd: c.SetCreditLimit, now: float) -> list[EventSpec]:
        self._customer_known(cmd.customer_id)
        limit = _number("limit", cmd.limit, 0.0, 1e12)
        return [self._event(ev.CreditLimitSet, customer_id=cmd.customer_id, limit=limit)]

    def _check_credit(self, cmd: c.CheckCredit, now: float) -> list[EventSpec]:
        self._customer_known(cmd.customer_id)
        cost = self.params.service.credit_check_cost
        self._spend("a credit check", cost)
        grade = self.market.credit_grade(cmd.customer_id)
        return [self._event(ev.CreditChecked, customer_id=cmd.customer_id, grade=grade, cost=cost)]

    # --- service ---------------------------------------------------------------------------------------

    def _open_complaint(self, complaint_id: str) -> ComplaintRecord:
        rec = self.ledger.complaints.get(complaint_id)
        if rec is None:
            raise CommandRefused("not_found", f"team {self.team} has no complaint {complaint_id!r}")
        if rec.status != "open":
            raise CommandRefused("conflict", f"complaint {complaint_id} is already {rec.status}")
        return rec

    def _resolve(self, cmd: c.ResolveComplaint, now: float) -> list[EventSpec]:
        rec = self._open_complaint(cmd.complaint_id)
        if cmd.remedy not in REMEDIES:
            raise CommandRefused(
                "invalid", f"unknown remedy {cmd.remedy!r}; choose one of {', '.join(REMEDIES)}"
            )
        percent = (
            _number("credit_percent", cmd.credit_percent, 0.0, 100.0) if cmd.remedy == "credit_note" else 0.0
        )
        if cmd.remedy == "credit_note" and percent <= 0:
            raise CommandRefused("invalid", "a credit note needs a credit_percent above 0")
        plan = plan_remedy(self.ledger, rec.order_id, cmd.remedy, percent)
        self._spend(f"a {cmd.remedy.replace('_', ' ')}", plan.cash_out)
        specs = plan.events
        specs.append(
            self._event(
                ev.ComplaintResolved,
                complaint_id=rec.complaint_id,
                customer_id=rec.customer_id,
                remedy=cmd.remedy,
                credit_percent=percent,
                cost=plan.goods_cost,
                within_sla=now <= rec.sla_due_t,
                adequate=remedy_adequate(cmd.remedy, percent, rec.severity, rec.cause),
                by=_actor(cmd),
            )
        )
        return specs

    def _survey(self, cmd: c.RequestSurvey, now: float) -> list[EventSpec]:
        self._customer_known(cmd.customer_id)
        cost = self.params.service.survey_cost
        self._spend("a survey", cost)
        return [self._event(ev.SurveyRequested, customer_id=cmd.customer_id, cost=cost)]

    def _care(self, cmd: c.CareForAccount, now: float) -> list[EventSpec]:
        self._customer_known(cmd.customer_id)
        if self.ledger.customers[cmd.customer_id].orders == 0:
            raise CommandRefused(
                "conflict", f"{cmd.customer_id} has not bought from you yet; care is for accounts"
            )
        cost = self.params.service.care_cost
        self._spend("account care", cost)
        return [self._event(ev.AccountCared, customer_id=cmd.customer_id, cost=cost)]

    def _note(self, cmd: c.AddNote, now: float) -> list[EventSpec]:
        self._customer_known(cmd.customer_id)
        text = cmd.text.strip()
        if not 1 <= len(text) <= 500:
            raise CommandRefused("invalid", "a note needs 1 to 500 characters of text")
        return [self._event(ev.NoteAdded, customer_id=cmd.customer_id, text=text)]

    # --- marketing and policies --------------------------------------------------------------------------

    def _segment(self, segment: str) -> None:
        known = [s.id for s in self.params.segments]
        if segment not in known:
            raise CommandRefused("invalid", f"unknown segment {segment!r}; choose one of {', '.join(known)}")

    def _campaign(self, cmd: c.LaunchCampaign, now: float) -> list[EventSpec]:
        self._segment(cmd.segment)
        budget = _number("budget", cmd.budget, 1.0, 1e9)
        self._spend("this campaign", budget)
        ends = now + self.params.calendar.hours(self.params.campaign_days)
        return [
            self._event(
                ev.CampaignLaunched,
                campaign_id=self._next_id("cp"),
                segment=cmd.segment,
                budget=budget,
                ends_t=ends,
            )
        ]

    def _quote_policy(self, cmd: c.SetQuotePolicy, now: float) -> list[EventSpec]:
        self._segment(cmd.segment)
        seg = self.params.segment(cmd.segment)
        discount = _number("discount", cmd.discount, 0.0, self.rules.authority["policy"])
        terms = _number("terms_days", cmd.terms_days, 0.0, self.rules.max_terms_days)
        delivery = _number("delivery_days", cmd.delivery_days, 0.0, self.rules.max_delivery_days)
        delay = _number("delay_hours", cmd.delay_hours, 0.01, 1000.0)
        product = self.params.product
        if cmd.enabled and product.list_price * (1 - seg.list_discount - discount) < product.unit_cost:
            raise CommandRefused(
                "invalid", f"a {discount:.0%} discount prices {cmd.segment} below the unit cost"
            )
        return [
            self._event(
                ev.QuotePolicySet,
                segment=cmd.segment,
                enabled=cmd.enabled,
                discount=discount,
                terms_days=terms,
                delivery_days=delivery,
                delay_hours=delay,
            )
        ]

    def _reminder_policy(self, cmd: c.SetReminderPolicy, now: float) -> list[EventSpec]:
        days = _number("days_after_due", cmd.days_after_due, 0.0, 365.0)
        return [self._event(ev.ReminderPolicySet, enabled=cmd.enabled, days_after_due=days)]

    def _apology_policy(self, cmd: c.SetApologyPolicy, now: float) -> list[EventSpec]:
        return [self._event(ev.ApologyPolicySet, enabled=cmd.enabled)]
