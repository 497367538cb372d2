"""The event vocabulary: its kinds (the wire format) and which of them are the desk's decisions."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

import pytest

from market import events as ev
from simulator.competition import TeamSpec
from simulator.season import play_season
from teams.desk import Desk
from tests.simulator.seasons import REFERENCE, preset

MARKET_KINDS = {
    "team_joined", "round_started", "parameters_changed", "announcement_made", "round_ended",
    "shock_applied", "inquiry_received", "inquiry_expired", "inquiry_lost", "order_won",
    "order_delivered", "delivery_held", "order_voided", "invoice_issued", "invoice_due",
    "payment_received", "invoice_written_off", "complaint_opened", "complaint_sla_missed",
    "complaint_escalated", "satisfaction_changed", "survey_answered", "customer_churned",
}  # fmt: skip
DESK_KINDS = {
    "approval_requested", "approval_decided", "quote_sent", "follow_up_made", "inquiry_declined",
    "reminder_sent", "credit_note_issued", "refund_paid", "invoice_handed_over", "credit_checked",
    "credit_limit_set", "complaint_resolved", "survey_requested", "campaign_launched",
    "account_cared", "note_added", "quote_policy_set", "reminder_policy_set", "apology_policy_set",
}  # fmt: skip


def test_the_kinds_are_the_wire_format_and_the_desks_are_apart() -> None:
    assert set(ev.EVENT_TYPES) == MARKET_KINDS | DESK_KINDS
    assert {cls.kind for cls in ev.DESK_EVENTS} == DESK_KINDS
    assert all(cls.__module__.startswith("market.events.desk.") for cls in ev.DESK_EVENTS)
    market_homes = {ev.EVENT_TYPES[kind].__module__ for kind in MARKET_KINDS}
    assert not any(home.startswith("market.events.desk") for home in market_homes)


def test_only_the_desk_makes_desk_events_and_it_makes_nothing_else(monkeypatch: pytest.MonkeyPatch) -> None:
    made: Counter[str] = Counter()
    decide: Callable[..., list[Any]] = Desk.decide

    def recording(desk: Desk, command: Any, now: float) -> list[Any]:
        specs = decide(desk, command, now)
        made.update(kind.kind for kind, _fields in specs)
        return specs

    monkeypatch.setattr(Desk, "decide", recording)
    competition, _board = play_season(preset(), 11, [TeamSpec(bot, bot) for bot in REFERENCE], rounds=3)
    logged = Counter(event.kind for event in competition.log)
    assert set(made) <= DESK_KINDS | {"invoice_written_off"}  # a team may write an invoice off too
    assert {kind: logged[kind] for kind in DESK_KINDS} == {kind: made[kind] for kind in DESK_KINDS}
    assert len(made) >= 4  # the reference bots exercise the desk
