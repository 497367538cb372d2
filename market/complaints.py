"""Complaints as the customer lives them: opened after a failure, SLA clock, escalation.

A ticket is opened some time after a failure. If the team has not resolved it when the SLA
runs out, the customer is annoyed (and a major complaint escalates later still). The remedy
the team gives, and whether it came in time and was adequate, decide how the failure ends
(which sets the customer's repurchase probability) and the satisfaction of the recovery.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from market import events as ev
from market.remedies import recovery_outcome, recovery_performance

if TYPE_CHECKING:
    from market.customer import Customer, Failure
    from market.market import Market


@dataclass(slots=True)
class Ticket:
    id: str
    team: str
    customer: Customer
    severity: str
    failure: Failure
    resolved: bool = False


class ComplaintBook:
    """Every complaint of one market."""

    def __init__(self, market: Market) -> None:
        self.market = market
        self.tickets: dict[str, Ticket] = {}
        self._serial = 0

    def open(self, customer: Customer, team: str, cause: str, order_id: str, failure: Failure) -> None:
        m = self.market
        self._serial += 1
        ticket = Ticket(f"K{self._serial}/{team}", team, customer, failure.severity, failure)
        self.tickets[ticket.id] = ticket
        failure.outcome = "unresolved"
        service = m.params.service
        sla = service.sla_major_hours if failure.severity == "major" else service.sla_minor_hours
        sla_due = m.env.now + sla
        m.emit(
            ev.ComplaintOpened,
            team=team,
            complaint_id=ticket.id,
            customer_id=customer.id,
            order_id=order_id,
            cause=cause,
            severity=failure.severity,
            sla_due_t=sla_due,
        )
        m.at(sla_due, self._sla_check, ticket)

    def _sla_check(self, ticket: Ticket) -> None:
        if ticket.resolved:
            return
        m = self.market
        m.emit(
            ev.ComplaintSlaMissed, team=ticket.team, complaint_id=ticket.id, customer_id=ticket.customer.id
        )
        m.penalise(ticket.customer, ticket.team, "sla_missed", m.params.satisfaction.sla_penalty)
        if ticket.severity == "major":
            m.at(m.env.now + m.params.service.escalate_after_hours, self._escalate, ticket)

    def _escalate(self, ticket: Ticket) -> None:
        if ticket.resolved:
            return
        m = self.market
        m.emit(
            ev.ComplaintEscalated, team=ticket.team, complaint_id=ticket.id, customer_id=ticket.customer.id
        )
        m.penalise(ticket.customer, ticket.team, "escalated", m.params.satisfaction.sla_penalty)

    def on_resolved(self, event: ev.ComplaintResolved) -> None:
        ticket = self.tickets.get(event.complaint_id)
        if ticket is None or ticket.resolved:
            return
        ticket.resolved = True
        ticket.failure.outcome = recovery_outcome(event.adequate, event.within_sla)
        performance = recovery_performance(
            event.remedy, event.adequate, event.within_sla, self.market.params.rules
        )
        m = self.market
        m.feel(
            ticket.customer,
            ticket.team,
            "recovery",
            lambda s: s.experience(performance, m.params.satisfaction),
        )
