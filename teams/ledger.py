"""The desk's ledger: its records folded from events, and the cash they commit.

``Ledger.observe`` is the only place where records change. Cash and the aging of what
customers owe come from the team's account (:mod:`market.accounts`), the same fold the board
reads; cash is the fold of every event's ``cash_delta``. Goods are paid for on delivery, so
orders not yet delivered commit their cost: ``free_cash`` is what is left to spend once they
are paid, the figure a team plans with. Spending commands are refused beyond the cash the team
has, and a delivery the team cannot pay for waits, so cash never goes negative.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from market import events as ev
from market.accounts import Account, InvoiceBalance
from market.calendar import Calendar
from teams.records import (
    ApprovalRecord,
    ComplaintRecord,
    CustomerRecord,
    InquiryRecord,
    InvoiceRecord,
    OrderRecord,
    Policies,
    QuotePolicy,
    abc_classes,
)


class Ledger:
    """Everything one team knows about its business."""

    def __init__(self, team: str, unit_cost: float, order_cost: float, calendar: Calendar) -> None:
        self.team = team
        self.unit_cost = unit_cost
        self.order_cost = order_cost
        self.calendar = calendar
        self.account: Account[InvoiceBalance] = Account(InvoiceBalance)
        """Cash and invoice balances: the fold the console and the board share."""
        self.committed: dict[str, float] = {}
        self.committed_total = 0.0
        self.inquiries: dict[str, InquiryRecord] = {}
        self.approvals: dict[str, ApprovalRecord] = {}
        self.orders: dict[str, OrderRecord] = {}
        self.invoices: dict[str, InvoiceRecord] = {}
        self.complaints: dict[str, ComplaintRecord] = {}
        self.customers: dict[str, CustomerRecord] = {}
        self.policies = Policies()
        self.orders_by_customer: dict[str, list[str]] = {}
        self.campaigns = 0
        self._folds: dict[type[ev.Event], Callable[[Any], None]] = {
            ev.InquiryReceived: self._inquiry,
            ev.QuoteSent: self._quote,
            ev.ApprovalRequested: self._approval,
            ev.ApprovalDecided: self._approval_decided,
            ev.FollowUpMade: self._follow_up,
            ev.InquiryDeclined: self._closed,
            ev.InquiryExpired: self._closed,
            ev.InquiryLost: self._closed,
            ev.OrderWon: self._won,
            ev.OrderDelivered: self._delivered,
            ev.DeliveryHeld: self._held,
            ev.OrderVoided: self._voided,
            ev.InvoiceIssued: self._invoice,
            ev.ReminderSent: self._reminder,
            ev.PaymentReceived: self._payment,
            ev.CreditNoteIssued: self._credit_note,
            ev.RefundPaid: self._refund,
            ev.InvoiceHandedOver: self._handed_over,
            ev.InvoiceWrittenOff: self._written_off,
            ev.ComplaintOpened: self._complaint,
            ev.ComplaintResolved: self._resolved,
            ev.ComplaintSlaMissed: self._sla_missed,
            ev.ComplaintEscalated: self._escalated,
            ev.SurveyAnswered: self._survey,
            ev.CreditChecked: self._credit_checked,
            ev.CreditLimitSet: self._credit_limit,
            ev.AccountCared: self._cared,
            ev.NoteAdded: self._note,
            ev.CustomerChurned: self._churned,
            ev.CampaignLaunched: self._campaign,
            ev.QuotePolicySet: self._quote_policy,
            ev.ReminderPolicySet: self._reminder_policy,
            ev.ApologyPolicySet: self._apology_policy,
        }

    # --- derived figures ----------------------------------------------------------------------

    @property
    def cash(self) -> float:
        """The team's cash: the fold of every event's ``cash_delta``."""
        return self.account.cash

    @property
    def free_cash(self) -> float:
        """Cash not committed to goods already promised."""
        return self.cash - self.committed_total

    def goods_cost(self, quantity: int) -> float:
        """Cash an order of ``quantity`` units takes on delivery (goods and handling)."""
        return quantity * self.unit_cost + self.order_cost

    def open_balance(self, customer_id: str) -> float:
        """What a customer owes or will owe: open invoices plus undelivered orders."""
        total = 0.0
        for order_id in self.orders_by_customer.get(customer_id, ()):
            order = self.orders[order_id]
            if order.status in ("open", "held"):
                total += order.value
            total += sum(self.invoices[i].outstanding for i in order.invoice_ids if self.invoices[i].open)
        return total

    def aging(self, now: float) -> dict[str, float]:
        """Open receivables by days past due, to the cent (the account's aging)."""
        aging = self.account.aging(now, self.calendar.hours(1.0))
        return {bucket: round(amount, 2) for bucket, amount in aging.as_dict().items()}

    def abc(self) -> dict[str, str]:
        return abc_classes({cid: c.revenue for cid, c in self.customers.items()})

    # --- the fold ----------------------------------------------------------------------------------

    def observe(self, event: ev.Event) -> None:
        self.account.observe(event)
        fold = self._folds.get(type(event))
        if fold is not None:
            fold(event)

    def _commit(self, key: str, amount: float) -> None:
        self.committed_total += amount - self.committed.get(key, 0.0)
        self.committed[key] = amount

    def _release(self, key: str) -> float:
        amount = self.committed.pop(key, 0.0)
        self.committed_total -= amount
        return amount

    def _customer(self, customer_id: str, segment: str, t: float) -> CustomerRecord:
        rec = self.customers.get(customer_id)
        if rec is None:
            rec = self.customers[customer_id] = CustomerRecord(customer_id, segment, t)
        return rec

    def _inquiry(self, e: ev.InquiryReceived) -> None:
        self.inquiries[e.inquiry_id] = InquiryRecord(
            e.inquiry_id,
            e.customer_id,
            e.segment,
            e.quantity,
            e.list_price,
            e.list_discount,
            e.requested_terms,
            e.wanted_delivery,
            e.t,
            e.expires_t,
            e.repeat,
        )
        self._customer(e.customer_id, e.segment, e.t).inquiries += 1

    def _quote(self, e: ev.QuoteSent) -> None:
        inq = self.inquiries[e.inquiry_id]
        inq.status, inq.unit_price, inq.discount = "quoted", e.unit_price, e.discount
        inq.terms_days, inq.delivery_days, inq.revision = e.terms_days, e.delivery_days, e.revision
        inq.pending_approval = None
        if inq.first_reply_t is None:
            inq.first_reply_t = e.t

    def _approval(self, e: ev.ApprovalRequested) -> None:
        self.approvals[e.approval_id] = ApprovalRecord(
            e.approval_id,
            e.inquiry_id,
            e.discount,
            e.unit_price,
            e.terms_days,
            e.delivery_days,
            e.installments,
            e.role,
            e.t,
        )
        self.inquiries[e.inquiry_id].pending_approval = e.approval_id

    def _approval_decided(self, e: ev.ApprovalDecided) -> None:
        rec = self.approvals[e.approval_id]
        rec.status, rec.reason = ("approved" if e.approved else "rejected"), e.reason
        self.inquiries[e.inquiry_id].pending_approval = None

    def _follow_up(self, e: ev.FollowUpMade) -> None:
        self.inquiries[e.inquiry_id].followed_up = True

    def _closed(self, e: ev.InquiryDeclined | ev.InquiryExpired | ev.InquiryLost) -> None:
        inq = self.inquiries[e.inquiry_id]
        inq.status = {"inquiry_declined": "declined", "inquiry_expired": "expired"}.get(e.kind, "lost")
        inq.reason = getattr(e, "reason", "")
        if inq.pending_approval:
            approval = self.approvals[inq.pending_approval]
            approval.status, approval.reason = "expired", "the inquiry closed first"
            inq.pending_approval = None

    def _won(self, e: ev.OrderWon) -> None:
        inq = self.inquiries[e.inquiry_id]
        inq.status = "won"
        self._commit(e.order_id, self.goods_cost(e.quantity))
        self.orders[e.order_id] = OrderRecord(
            e.order_id,
            e.inquiry_id,
            e.customer_id,
            e.segment,
            e.quantity,
            e.unit_price,
            e.terms_days,
            e.delivery_due_t,
            e.t,
        )
        self.orders_by_customer.setdefault(e.customer_id, []).append(e.order_id)
        self.customers[e.customer_id].orders += 1

    def _delivered(self, e: ev.OrderDelivered) -> None:
        order = self.orders[e.order_id]
        order.status, order.late_days, order.defect = "delivered", e.late_days, e.defect
        self._release(e.order_id)

    def _held(self, e: ev.DeliveryHeld) -> None:
        self.orders[e.order_id].status = "held"

    def _voided(self, e: ev.OrderVoided) -> None:
        order = self.orders[e.order_id]
        order.status, order.late_days = "voided", e.late_days
        self._release(e.order_id)

    def _invoice(self, e: ev.InvoiceIssued) -> None:
        self.invoices[e.invoice_id] = InvoiceRecord(
            e.invoice_id, e.order_id, e.customer_id, e.amount, e.t, e.due_t, e.installment, e.installments
        )
        self.orders[e.order_id].invoice_ids.append(e.invoice_id)
        self.customers[e.customer_id].revenue += e.amount

    def _reminder(self, e: ev.ReminderSent) -> None:
        self.invoices[e.invoice_id].reminders.append(e.t)

    def _payment(self, e: ev.PaymentReceived) -> None:
        inv = self.invoices[e.invoice_id]
        inv.paid += e.amount
        if inv.outstanding <= 0.005 and inv.status == "open":
            inv.status = "paid"

    def _credit_note(self, e: ev.CreditNoteIssued) -> None:
        inv = self.invoices[e.invoice_id]
        inv.credited += e.amount
        self.customers[inv.customer_id].revenue -= e.amount
        if inv.outstanding <= 0.005 and inv.status == "open":
            inv.status = "paid" if inv.paid > 0 else "credited"

    def _refund(self, e: ev.RefundPaid) -> None:
        inv = self.invoices[e.invoice_id]
        inv.refunded += e.amount
        inv.amount -= e.amount
        inv.paid -= e.amount
        self.customers[inv.customer_id].revenue -= e.amount

    def _handed_over(self, e: ev.InvoiceHandedOver) -> None:
        self.invoices[e.invoice_id].status = "collection"

    def _written_off(self, e: ev.InvoiceWrittenOff) -> None:
        self.invoices[e.invoice_id].status = "written_off"

    def _complaint(self, e: ev.ComplaintOpened) -> None:
        self.complaints[e.complaint_id] = ComplaintRecord(
            e.complaint_id, e.customer_id, e.order_id, e.cause, e.severity, e.t, e.sla_due_t
        )

    def _resolved(self, e: ev.ComplaintResolved) -> None:
        rec = self.complaints[e.complaint_id]
        rec.status, rec.remedy, rec.resolved_t = "resolved", e.remedy, e.t

    def _sla_missed(self, e: ev.ComplaintSlaMissed) -> None:
        self.complaints[e.complaint_id].sla_missed = True

    def _escalated(self, e: ev.ComplaintEscalated) -> None:
        self.complaints[e.complaint_id].escalated = True

    def _survey(self, e: ev.SurveyAnswered) -> None:
        rec = self.customers[e.customer_id]
        rec.survey_satisfaction, rec.survey_t = e.satisfaction, e.t

    def _credit_checked(self, e: ev.CreditChecked) -> None:
        self.customers[e.customer_id].grade = e.grade

    def _credit_limit(self, e: ev.CreditLimitSet) -> None:
        self.customers[e.customer_id].credit_limit = e.limit

    def _cared(self, e: ev.AccountCared) -> None:
        self.customers[e.customer_id].care_t = e.t

    def _note(self, e: ev.NoteAdded) -> None:
        self.customers[e.customer_id].notes.append(e.text)

    def _churned(self, e: ev.CustomerChurned) -> None:
        self.customers[e.customer_id].churned = True

    def _campaign(self, e: ev.CampaignLaunched) -> None:
        self.campaigns += 1

    def _quote_policy(self, e: ev.QuotePolicySet) -> None:
        if e.enabled:
            self.policies.quotes[e.segment] = QuotePolicy(
                e.segment, e.discount, e.terms_days, e.delivery_days, e.delay_hours
            )
        else:
            self.policies.quotes.pop(e.segment, None)

    def _reminder_policy(self, e: ev.ReminderPolicySet) -> None:
        self.policies.reminder_days = e.days_after_due if e.enabled else None

    def _apology_policy(self, e: ev.ApologyPolicySet) -> None:
        self.policies.apology = e.enabled
