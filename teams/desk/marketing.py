"""The desk's marketing commands and standing policies: campaigns, quote, reminder and apology policies.

A campaign spends its budget at once and runs for the preset's ``campaign_days`` in one
segment. The policies are the desk's automation settings (``teams.automation``): a quote
policy may not price its segment below the unit cost nor discount beyond the policy
authority of the desk rules.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from market import events as ev
from teams import commands as c
from teams.commands import EventSpec
from teams.desk.checks import number
from teams.errors import CommandRefused

if TYPE_CHECKING:
    from teams.desk import Desk


class MarketingDesk:
    """The marketing and policy commands of one team's desk."""

    def __init__(self, desk: Desk) -> None:
        self.desk = desk

    def handlers(self) -> dict[type[c.Command], Callable[[Any, float], list[EventSpec]]]:
        """The command kinds of this area, each with the method that decides it."""
        return {
            c.LaunchCampaign: self._campaign,
            c.SetQuotePolicy: self._quote_policy,
            c.SetReminderPolicy: self._reminder_policy,
            c.SetApologyPolicy: self._apology_policy,
        }

    def _segment(self, segment: str) -> None:
        d = self.desk
        known = [s.id for s in d.params.segments]
        if segment not in known:
            raise CommandRefused("invalid", f"unknown segment {segment!r}; choose one of {', '.join(known)}")

    def _campaign(self, cmd: c.LaunchCampaign, now: float) -> list[EventSpec]:
        d = self.desk
        self._segment(cmd.segment)
        budget = number("budget", cmd.budget, 1.0, 1e9)
        d.spend("this campaign", budget)
        ends = now + d.params.calendar.hours(d.params.campaign_days)
        return [
            d.event(
                ev.CampaignLaunched,
                campaign_id=d.next_id("cp"),
                segment=cmd.segment,
                budget=budget,
                ends_t=ends,
            )
        ]

    def _quote_policy(self, cmd: c.SetQuotePolicy, now: float) -> list[EventSpec]:
        d = self.desk
        self._segment(cmd.segment)
        seg = d.params.segment(cmd.segment)
        discount = number("discount", cmd.discount, 0.0, d.rules.authority["policy"])
        terms = number("terms_days", cmd.terms_days, 0.0, d.rules.max_terms_days)
        delivery = number("delivery_days", cmd.delivery_days, 0.0, d.rules.max_delivery_days)
        delay = number("delay_hours", cmd.delay_hours, 0.01, 1000.0)
        product = d.params.product
        if cmd.enabled and product.list_price * (1 - seg.list_discount - discount) < product.unit_cost:
            raise CommandRefused(
                "invalid", f"a {discount:.0%} discount prices {cmd.segment} below the unit cost"
            )
        return [
            d.event(
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
        d = self.desk
        days = number("days_after_due", cmd.days_after_due, 0.0, 365.0)
        return [d.event(ev.ReminderPolicySet, enabled=cmd.enabled, days_after_due=days)]

    def _apology_policy(self, cmd: c.SetApologyPolicy, now: float) -> list[EventSpec]:
        d = self.desk
        return [d.event(ev.ApologyPolicySet, enabled=cmd.enabled)]
