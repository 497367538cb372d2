"""Reference bots: each plays a short classroom season and keeps to the habit that defines it.

One team per bot in ``teams.bots.BOTS``; seasons in mirrored mode (every bot faces the same
customers) and in shared mode. Some refusals are legitimate for any bot that plans ahead (a
reminder or hand-over planned for an invoice that is paid by the time it runs, a credit check
when the cash ran out); what a bot must never do is send a command that is forbidden for
its role, invalid, or names something that does not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from market import events as ev
from market.overrides import apply_overrides, parse_override
from market.presets import load_preset
from simulator.competition import Competition, TeamSpec
from teams.bots import BOTS, BalancedBot, make_bot
from teams.errors import TeamError

UNIT_COST = 76.0

# refusals a bot that plans ahead may legitimately meet
LEGITIMATE = [
    re.compile(r"^invoice \S+ is (paid|credited|collection|written off), not open$"),
    re.compile(r"^inquiry \S+ is already (won|lost|expired|declined)$"),
    re.compile(
        r"^invoice \S+ is not due yet \([0-9.]+ days left\); "
        r"only overdue invoices can be handed over$"
    ),
    re.compile(r"^complaint \S+ is already resolved$"),
    re.compile(r"^a credit check costs [0-9.,]+ but the team has only [0-9.,]+ in cash$"),
    re.compile(
        r"^(account care|a refund|a replacement|a credit note) costs [0-9.,]+ but the team has only "
        r"[0-9.,]+ in cash$"
    ),
]


def play(mode: str, seed: int, rounds: int = 6) -> Competition:
    params = apply_overrides(load_preset("classroom"), [parse_override(f"mode={mode}")])
    comp = Competition(params, seed, [TeamSpec(name, name) for name in BOTS], rounds=rounds)
    comp.finish()
    return comp


@pytest.fixture(scope="module", params=[("mirrored", 1), ("shared", 1)], ids=["mirrored", "shared"])
def season(request: pytest.FixtureRequest) -> Competition:
    mode, seed = request.param
    return play(mode, seed)


def team_events(comp: Competition, team: str, kind: type[ev.Event]) -> Iterator[ev.Event]:
    return (e for e in comp.log if isinstance(e, kind) and getattr(e, "team", None) == team)


def test_every_reference_bot_is_registered() -> None:
    assert set(BOTS) == {
        "passive",
        "balanced",
        "eager",
        "dumper",
        "lax",
        "lavish",
        "cod",
        "lender",
        "forgetful",
        "forgiver",
    }
    params = load_preset("classroom")
    for name in BOTS:
        assert make_bot(name, "T", params).name == name
    with pytest.raises(TeamError, match="unknown bot"):
        make_bot("genius", "T", params)


def test_the_season_is_deterministic() -> None:
    assert play("shared", 4, rounds=2).digest() == play("shared", 4, rounds=2).digest()


def test_bots_only_meet_legitimate_refusals(season: Competition) -> None:
    assert all(entry.source == "bot" for entry in season.commands)
    for entry in season.commands:
        if not entry.accepted:
            assert any(p.match(entry.reason) for p in LEGITIMATE), (entry.command, entry.reason)


def test_passive_sends_no_commands(season: Competition) -> None:
    assert not [e for e in season.commands if e.command.team == "passive"]
    received = list(team_events(season, "passive", ev.InquiryReceived))
    expired = {e.inquiry_id for e in team_events(season, "passive", ev.InquiryExpired)}  # type: ignore[attr-defined]
    assert len(received) > 50
    # every inquiry it was sent expired unanswered (except those still waiting at the end)
    due = {e.inquiry_id for e in received if e.expires_t < season.end_t}  # type: ignore[attr-defined]
    assert expired == due
    assert not list(team_events(season, "passive", ev.QuoteSent))


def test_active_bots_answer_their_inquiries(season: Competition) -> None:
    for team in ("balanced", "eager", "dumper", "lax", "lavish"):
        received = {e.inquiry_id for e in team_events(season, team, ev.InquiryReceived)}  # type: ignore[attr-defined]
        quoted = {e.inquiry_id for e in team_events(season, team, ev.QuoteSent)}  # type: ignore[attr-defined]
        declined = {e.inquiry_id: e for e in team_events(season, team, ev.InquiryDeclined)}  # type: ignore[attr-defined]
        assert quoted <= received
        assert len(received) > 50
        # every inquiry gets an answer: a quote, or a decline when the goods cannot be funded
        assert len(quoted | set(declined)) >= 0.95 * len(received), team
        assert len(quoted) >= 0.3 * len(received), team
        assert all(d.reason == "cannot fund the goods" for d in declined.values())  # type: ignore[attr-defined]


def test_eager_quotes_at_list_price(season: Competition) -> None:
    quotes = list(team_events(season, "eager", ev.QuoteSent))
    assert len(quotes) > 50
    assert all(q.discount == 0.0 for q in quotes)  # type: ignore[attr-defined]


def test_dumper_quotes_at_unit_cost(season: Competition) -> None:
    quotes = list(team_events(season, "dumper", ev.QuoteSent))
    assert len(quotes) > 50
    for q in quotes:
        assert abs(q.unit_price - UNIT_COST) <= 0.01, q  # type: ignore[attr-defined]


def test_lavish_resolves_complaints_only_with_refunds(season: Competition) -> None:
    resolved = list(team_events(season, "lavish", ev.ComplaintResolved))
    assert len(resolved) >= 2
    assert {r.remedy for r in resolved} == {"refund"}  # type: ignore[attr-defined]


def test_lax_grants_the_longest_terms_and_never_chases_money(season: Competition) -> None:
    longest = max(max(s.requested_terms) for s in season.params.segments)
    assert longest > 0
    quotes = list(team_events(season, "lax", ev.QuoteSent))
    assert len(quotes) > 50
    assert all(q.terms_days == longest for q in quotes)  # type: ignore[attr-defined]
    for kind in (ev.ReminderSent, ev.CreditChecked, ev.InvoiceHandedOver):
        assert not list(team_events(season, "lax", kind)), kind
    assert not [
        e
        for e in season.commands
        if e.command.team == "lax"
        and e.command.kind in ("send_reminder", "check_credit", "hand_over_to_collection")
    ]


def test_balanced_follows_its_routine(season: Competition) -> None:
    discounts = BalancedBot.discounts
    inquiries = {e.inquiry_id: e for e in team_events(season, "balanced", ev.InquiryReceived)}  # type: ignore[attr-defined]
    checked = {e.customer_id: e for e in team_events(season, "balanced", ev.CreditChecked)}  # type: ignore[attr-defined]
    key_accounts_checked = key_accounts_unchecked = 0
    for q in team_events(season, "balanced", ev.QuoteSent):
        inquiry = inquiries[q.inquiry_id]  # type: ignore[attr-defined]
        largest = 1 - inquiry.list_discount - UNIT_COST / 100.0
        assert q.discount == pytest.approx(min(discounts[inquiry.segment], largest), abs=1e-4)  # type: ignore[attr-defined]
        assert 0 < q.delivery_days <= inquiry.wanted_delivery  # type: ignore[attr-defined]
        check = checked.get(inquiry.customer_id)
        if inquiry.segment == "key_accounts" and check is not None and check.t <= q.t:
            # key accounts are credit-checked first; a D grade halves the terms
            key_accounts_checked += 1
            expected = inquiry.requested_terms / 2 if check.grade == "D" else inquiry.requested_terms  # type: ignore[attr-defined]
            assert q.terms_days == expected  # type: ignore[attr-defined]
        else:
            key_accounts_unchecked += inquiry.segment == "key_accounts"
            assert q.terms_days == inquiry.requested_terms  # type: ignore[attr-defined]
    assert key_accounts_checked >= 5 and key_accounts_unchecked <= 0.2 * key_accounts_checked
    reminders = list(team_events(season, "balanced", ev.ReminderSent))
    assert reminders
    assert not [r for r in reminders if r.early or r.repeated]  # type: ignore[attr-defined]
    complaints = {e.complaint_id: e for e in team_events(season, "balanced", ev.ComplaintOpened)}  # type: ignore[attr-defined]
    resolved = list(team_events(season, "balanced", ev.ComplaintResolved))
    assert resolved
    for r in resolved:
        severity = complaints[r.complaint_id].severity  # type: ignore[attr-defined]
        expected_remedy = ("apology", 0.0) if severity == "minor" else ("credit_note", 15.0)
        assert (r.remedy, r.credit_percent) == expected_remedy  # type: ignore[attr-defined]
        assert r.adequate  # type: ignore[attr-defined]


def test_balanced_answers_key_accounts_even_when_a_credit_check_is_refused() -> None:
    # a credit check dearer than all the team's cash: every check the balanced bot plans is refused
    params = apply_overrides(load_preset("classroom"), [parse_override("service.credit_check_cost=1e9")])
    comp = Competition(params, 1, [TeamSpec("balanced", "balanced")], rounds=2)
    comp.finish()
    assert not [e for e in comp.commands if e.command.kind == "check_credit" and e.accepted]
    key_accounts = {
        e.inquiry_id
        for e in team_events(comp, "balanced", ev.InquiryReceived)  # type: ignore[attr-defined]
        if e.segment == "key_accounts"
    }  # type: ignore[attr-defined]
    quoted = {e.inquiry_id for e in team_events(comp, "balanced", ev.QuoteSent)}  # type: ignore[attr-defined]
    declined = {e.inquiry_id for e in team_events(comp, "balanced", ev.InquiryDeclined)}  # type: ignore[attr-defined]
    expired = {e.inquiry_id for e in team_events(comp, "balanced", ev.InquiryExpired)}  # type: ignore[attr-defined]
    assert key_accounts, "the scenario needs key-account inquiries"
    assert key_accounts & quoted, "some key accounts are quoted without a grade"
    assert key_accounts <= quoted | declined
    assert not key_accounts & expired
