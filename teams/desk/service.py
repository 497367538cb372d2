"""The desk's service commands: remedies for complaints, surveys, account care and notes.

A remedy answers an open complaint; its plan (``teams.remedy_plan``) says what it costs and
which events it stands for, and the desk records whether it came within the SLA and was
adequate for the failure. Surveys and care cost cash and are for known customers (care for
accounts that have bought); a note is 1 to 500 characters.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from market import events as ev
from market.remedies import REMEDIES, remedy_adequate
from teams import commands as c
from teams.commands import EventSpec
from teams.desk.checks import actor, number
from teams.errors import CommandRefused
from teams.records import ComplaintRecord
from teams.remedy_plan import plan_remedy

if TYPE_CHECKING:
    from teams.desk import Desk


class ServiceDesk:
    """The service commands of one team's desk."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def handlers(self) -> dict[type[c.Command], Callable[[Any, float], list[EventSpec]]]:
        """The command kinds of this area, each with the method that decides it."""
        return {
            c.ResolveComplaint: self._resolve,
            c.RequestSurvey: self._survey,
            c.CareForAccount: self._care,
            c.AddNote: self._note,
        }

    def _open_complaint(self, complaint_id: str) -> ComplaintRecord:
        d = self.desk
        rec = d.ledger.complaints.get(complaint_id)
        if rec is None:
            raise CommandRefused("not_found", f"team {d.team} has no complaint {complaint_id!r}")
        if rec.status != "open":
            raise CommandRefused("conflict", f"complaint {complaint_id} is already {rec.status}")
        return rec

    def _resolve(self, cmd: c.ResolveComplaint, now: float) -> list[EventSpec]:
        d = self.desk
        rec = self._open_complaint(cmd.complaint_id)
        if cmd.remedy not in REMEDIES:
            raise CommandRefused(
                "invalid", f"unknown remedy {cmd.remedy!r}; choose one of {', '.join(REMEDIES)}"
            )
        percent = (
            number("credit_percent", cmd.credit_percent, 0.0, 100.0) if cmd.remedy == "credit_note" else 0.0
        )
        if cmd.remedy == "credit_note" and percent <= 0:
            raise CommandRefused("invalid", "a credit note needs a credit_percent above 0")
        plan = plan_remedy(d.ledger, rec.order_id, cmd.remedy, percent)
        d.spend(f"a {cmd.remedy.replace('_', ' ')}", plan.cash_out)
        specs = plan.events
        specs.append(
            d.event(
                ev.ComplaintResolved,
                complaint_id=rec.complaint_id,
                customer_id=rec.customer_id,
                remedy=cmd.remedy,
                credit_percent=percent,
                cost=plan.goods_cost,
                within_sla=now <= rec.sla_due_t,
                adequate=remedy_adequate(cmd.remedy, percent, rec.severity, rec.cause),
                by=actor(cmd),
            )
        )
        return specs

    def _survey(self, cmd: c.RequestSurvey, now: float) -> list[EventSpec]:
        d = self.desk
        d.known_customer(cmd.customer_id)
        cost = d.params.service.survey_cost
        d.spend("a survey", cost)
        return [d.event(ev.SurveyRequested, customer_id=cmd.customer_id, cost=cost)]

    def _care(self, cmd: c.CareForAccount, now: float) -> list[EventSpec]:
        d = self.desk
        d.known_customer(cmd.customer_id)
        if d.ledger.customers[cmd.customer_id].orders == 0:
            raise CommandRefused(
                "conflict", f"{cmd.customer_id} has not bought from you yet; care is for accounts"
            )
        cost = d.params.service.care_cost
        d.spend("account care", cost)
        return [d.event(ev.AccountCared, customer_id=cmd.customer_id, cost=cost)]

    def _note(self, cmd: c.AddNote, now: float) -> list[EventSpec]:
        d = self.desk
        d.known_customer(cmd.customer_id)
        text = cmd.text.strip()
        if not 1 <= len(text) <= 500:
            raise CommandRefused("invalid", "a note needs 1 to 500 characters of text")
        return [d.event(ev.NoteAdded, customer_id=cmd.customer_id, text=text)]
