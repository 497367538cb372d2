"""Automation policies: routine work that a team's desk does by itself.

Policies are set with commands (and logged as events); when a matching event arrives they
plan ordinary commands, acting as the ``policy`` role, a short time later: quote new
inquiries of a segment on standard terms, remind an unpaid invoice some days after it falls
due, apologise for minor complaints. Humans handle the exceptions.
"""

from __future__ import annotations

from market import events as ev
from teams import commands as c
from teams.ledger import Ledger
from teams.rules import AUTOMATION_ROLE

APOLOGY_DELAY_HOURS = 0.25

Planned = tuple[float, c.Command]


def automated_commands(ledger: Ledger, event: ev.Event) -> list[Planned]:
    """Commands the team's policies plan in answer to ``event``, with the time to run them."""
    policies = ledger.policies
    team = ledger.team
    if isinstance(event, ev.InquiryReceived):
        policy = policies.quotes.get(event.segment)
        if policy is None:
            return []
        command = c.SendQuote(
            team=team,
            role=AUTOMATION_ROLE,
            inquiry_id=event.inquiry_id,
            discount=policy.discount,
            terms_days=min(policy.terms_days, event.requested_terms),
            delivery_days=min(policy.delivery_days, event.wanted_delivery),
        )
        return [(event.t + policy.delay_hours, command)]
    if isinstance(event, ev.InvoiceDue) and policies.reminder_days is not None and event.outstanding > 0:
        when = event.t + ledger.calendar.hours(policies.reminder_days)
        return [(when, c.SendReminder(team=team, role=AUTOMATION_ROLE, invoice_id=event.invoice_id))]
    if isinstance(event, ev.ComplaintOpened) and policies.apology and event.severity == "minor":
        remedy: c.Command = c.ResolveComplaint(
            team=team, role=AUTOMATION_ROLE, complaint_id=event.complaint_id, remedy="apology"
        )
        return [(event.t + APOLOGY_DELAY_HOURS, remedy)]
    return []
