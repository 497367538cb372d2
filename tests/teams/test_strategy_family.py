"""The strategy family: its default is the balanced bot, its names round-trip, its extremes
keep the one habit that defines them, and a wrong lever is refused with a clear message."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from market import events as ev
from market.overrides import apply_overrides
from market.presets import load_preset
from simulator.competition import Competition, TeamSpec
from simulator.season import play_season
from teams.bots import BOTS, StrategyBot, make_bot
from teams.bots.strategy import BALANCED, Strategy, describe, extremes, from_spec, to_spec
from teams.errors import TeamError

SEGMENTS = ("key_accounts", "smb", "price_shoppers")


@pytest.mark.parametrize("preset", ["classroom", "realistic"])
@pytest.mark.parametrize("mode", ["shared", "mirrored"])
def test_the_default_point_plays_exactly_like_balanced(preset: str, mode: str) -> None:
    params = apply_overrides(load_preset(preset), [("mode", mode)])
    rivals = [TeamSpec("B", "dumper"), TeamSpec("C", "lax")]
    a, _ = play_season(params, 3, [TeamSpec("A", "balanced"), *rivals], rounds=3)
    b, _ = play_season(params, 3, [TeamSpec("A", "strategy:"), *rivals], rounds=3)
    assert len(a.log) > 300
    assert a.digest() == b.digest()


remedies = st.one_of(
    st.sampled_from([("apology", 0.0), ("replacement", 0.0), ("refund", 0.0)]),
    st.tuples(st.just("credit_note"), st.integers(1, 100).map(float)),
)
opt_share = st.one_of(st.none(), st.sampled_from([0.0, 0.25, 0.5, 2 / 3, 1.0]))
seg_sets = st.sets(st.sampled_from(SEGMENTS)).map(lambda xs: tuple(sorted(xs)))
points = st.builds(
    Strategy,
    discount=st.dictionaries(st.sampled_from(SEGMENTS), st.sampled_from([0.0, 0.02, 0.1, 0.22])).map(
        lambda d: tuple(sorted(d.items()))
    ),
    terms=st.dictionaries(st.sampled_from(SEGMENTS), st.sampled_from([0.0, 0.5, 1.0, 3.0])).map(
        lambda d: tuple(sorted(d.items()))
    ),
    terms_floor_days=st.sampled_from([0.0, 5.0, 30.0]),
    reply_hours=st.sampled_from([0.05, 0.25, 4.0]),
    follow_up_hours=st.one_of(st.none(), st.sampled_from([0.5, 2.0])),
    check_credit=seg_sets,
    grade_d_terms=st.sampled_from([0.0, 0.5, 1.0]),
    decline_grade_d=st.booleans(),
    decline=seg_sets,
    credit_limit=st.one_of(st.none(), st.sampled_from([0.0, 2500.0])),
    minor_remedy=remedies,
    major_remedy=remedies,
    remind_days=st.one_of(st.none(), st.sampled_from([0.0, 0.5, 3.0])),
    reminders=st.integers(0, 6),
    collect_share=opt_share,
    writeoff_share=opt_share,
    care=seg_sets,
    campaign_budget=st.sampled_from([0.0, 500.0]),
    campaign_segment=st.sampled_from(SEGMENTS),
)


@settings(max_examples=200, deadline=None)
@given(points)
def test_a_strategy_survives_its_bot_name(strategy: Strategy) -> None:
    name = to_spec(strategy)
    assert to_spec(from_spec(name)) == name
    assert describe(from_spec(name), SEGMENTS) == describe(strategy, SEGMENTS)


def test_balanced_is_the_empty_name_and_a_changed_lever_is_named() -> None:
    assert to_spec(BALANCED) == "strategy:"
    changed = dataclasses.replace(BALANCED, remind_days=None).with_segment("discount", "smb", 0.1)
    assert to_spec(changed) == "strategy:discount.smb=0.1;remind=none"


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("strategy:discount.smb=2", "discount.smb='2': expected a number from 0 to 0.99"),
        ("strategy:reply", "write LEVER=VALUE"),
        ("strategy:speed=3", "unknown strategy lever 'speed'"),
        ("strategy:major=gift", "apology, replacement, refund or credit_note<percent>"),
        ("strategy:reminders=2.5", "a whole number from 0 to 6"),
        ("strategy:decline_d=maybe", "yes or no"),
        ("strategy:remind=nan", "a number from 0 to 60"),
    ],
)
def test_a_wrong_lever_is_refused_saying_what_to_write(name: str, message: str) -> None:
    with pytest.raises(TeamError, match=r"expected|LEVER|unknown") as info:
        make_bot(name, "T", load_preset("classroom"))
    assert message in str(info.value)


def test_the_family_names_the_extremes_it_plays() -> None:
    largest = {"key_accounts": 0.22, "smb": 0.24, "price_shoppers": 0.24}
    params = load_preset("classroom")

    def extremes_of(bot: str) -> list[str]:
        built = make_bot(bot, "T", params)
        assert isinstance(built, StrategyBot)
        return extremes(built.strategy, SEGMENTS, largest)

    assert extremes(BALANCED, SEGMENTS, largest) == []
    assert extremes_of("cod") == ["no credit"]
    assert extremes_of("lender") == ["all credit"]
    assert extremes_of("forgetful") == ["never collect"]
    assert extremes_of("forgiver") == ["write everything off"]
    assert "maximum discount" in extremes(
        Strategy(discount=tuple((s, 0.5) for s in SEGMENTS)), SEGMENTS, largest
    )
    list_price = Strategy(discount=()).with_segment("discount", "smb", 0)
    assert "list price only" in extremes(list_price, ("smb",), largest)


@pytest.fixture(scope="module")
def season() -> Competition:
    params = apply_overrides(load_preset("classroom"), [("mode", "mirrored")])
    wild = (
        "strategy:followup=0.5;campaign=300;limit=2500;decline=price_shoppers;decline_d=yes;"
        "minor=credit_note5"
    )
    bots = ["balanced", "cod", "lender", "forgetful", "forgiver", wild]
    comp = Competition(params, 2, [TeamSpec(f"T{i}", b) for i, b in enumerate(bots)])
    comp.finish()
    return comp


def own(comp: Competition, team: str, kind: type[ev.Event]) -> Iterator[ev.Event]:
    return (e for e in comp.log if isinstance(e, kind) and getattr(e, "team", None) == team)


def test_each_extreme_keeps_its_habit(season: Competition) -> None:
    longest = max(max(s.requested_terms) for s in season.params.segments)
    cod = list(own(season, "T1", ev.QuoteSent))
    assert len(cod) > 50 and all(q.terms_days == 0 for q in cod)  # type: ignore[attr-defined]
    lender = list(own(season, "T2", ev.QuoteSent))
    assert len(lender) > 50 and all(q.terms_days >= longest for q in lender)  # type: ignore[attr-defined]
    assert not list(own(season, "T2", ev.CreditChecked))
    assert list(own(season, "T3", ev.InvoiceDue))
    for kind in (ev.ReminderSent, ev.InvoiceHandedOver):
        assert not list(own(season, "T3", kind))
    due = [e for e in own(season, "T4", ev.InvoiceDue) if e.outstanding > 0]  # type: ignore[attr-defined]
    written = {e.invoice_id: e for e in own(season, "T4", ev.InvoiceWrittenOff)}  # type: ignore[attr-defined]
    assert due
    assert {e.invoice_id for e in due} <= set(written)  # type: ignore[attr-defined]
    assert all(written[e.invoice_id].t - e.t < 0.1 for e in due)  # type: ignore[attr-defined]
    assert not list(own(season, "T4", ev.ReminderSent))


def test_every_lever_of_a_wild_point_shows_in_its_events(season: Competition) -> None:
    team = "T5"
    assert list(own(season, team, ev.FollowUpMade))
    assert list(own(season, team, ev.CampaignLaunched))
    limits = list(own(season, team, ev.CreditLimitSet))
    assert limits and all(e.limit == 2500 for e in limits)  # type: ignore[attr-defined]
    declined = list(own(season, team, ev.InquiryDeclined))
    reasons = {e.reason for e in declined}  # type: ignore[attr-defined]
    assert "segment not served" in reasons
    inquiries = {e.inquiry_id: e for e in own(season, team, ev.InquiryReceived)}  # type: ignore[attr-defined]
    segments = {inquiries[q.inquiry_id].segment for q in own(season, team, ev.QuoteSent)}  # type: ignore[attr-defined]
    assert "price_shoppers" not in segments and segments
    minor = {e.complaint_id for e in own(season, team, ev.ComplaintOpened) if e.severity == "minor"}  # type: ignore[attr-defined]
    for r in own(season, team, ev.ComplaintResolved):
        if r.complaint_id in minor:  # type: ignore[attr-defined]
            assert (r.remedy, r.credit_percent) == ("credit_note", 5.0)  # type: ignore[attr-defined]


def test_the_extremes_are_registered_bots() -> None:
    for name in ("cod", "lender", "forgetful", "forgiver"):
        assert BOTS[name].description
