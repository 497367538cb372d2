"""The demo's free team is playable by a person: at the demo's pace, someone who reads each
inquiry and answers it twenty seconds later wins nearly as often as instant automation does —
at the old pace (classroom, 2 s per business hour) the same person won almost nothing."""

from __future__ import annotations

import heapq

from market.events import Event
from market.events.sales import InquiryReceived, OrderWon
from market.parameters import MarketParameters
from market.presets import load_preset
from server.live.demo import DEMO_SECONDS_PER_HOUR, DEMO_TEAMS, demo_parameters, human_windows
from simulator.competition import Competition, TeamSpec
from teams import commands as c

HUMAN = "Your team"
SEEDS = (1, 2, 3, 4)


def _person(params: MarketParameters, seconds_per_hour: float, think_seconds: float) -> tuple[int, int]:
    """Rounds 1–2 with the demo's bots; the free team answers each inquiry ``think_seconds`` (real
    time) after it arrives with a 10 % discount, the terms and delivery asked for. (wins, inquiries)"""
    wins = inquiries = 0
    for seed in SEEDS:
        competition = Competition(params, seed, [TeamSpec(n, b) for n, b in DEMO_TEAMS], rounds=2)
        delay = think_seconds / seconds_per_hour
        waiting: list[tuple[float, str, InquiryReceived]] = []

        def arrived(event: Event) -> None:
            if isinstance(event, InquiryReceived) and event.team == HUMAN:
                heapq.heappush(waiting, (event.t + delay, event.inquiry_id, event))  # noqa: B023

        competition.subscribe(arrived)
        end = competition.end_t
        while competition.now < end:
            if not waiting:
                competition.advance_to(min(competition.now + 0.5, end))
                continue
            t, inquiry_id, inquiry = heapq.heappop(waiting)
            if t >= end:
                break
            quote = c.SendQuote(
                team=HUMAN,
                role="manager",
                member="Me",
                inquiry_id=inquiry_id,
                discount=0.10,
                terms_days=inquiry.requested_terms,
                delivery_days=inquiry.wanted_delivery,
            )
            competition.submit(quote, max(t, competition.now))
        log = list(competition.log)
        inquiries += sum(isinstance(e, InquiryReceived) and e.team == HUMAN for e in log)
        wins += sum(isinstance(e, OrderWon) and e.team == HUMAN for e in log)
    return wins, inquiries


def test_a_person_answering_in_twenty_seconds_wins_nearly_as_often_as_automation() -> None:
    params = demo_parameters()
    instant, offered = _person(params, DEMO_SECONDS_PER_HOUR, 0)
    person, _ = _person(params, DEMO_SECONDS_PER_HOUR, 20)
    slow, _ = _person(params, DEMO_SECONDS_PER_HOUR, 60)
    assert offered >= 40 and instant >= 8
    assert person >= 0.6 * instant, (person, instant)  # a person is not shut out ...
    assert slow < person <= instant  # ... and speed still pays: the lesson on response time stays


def test_at_the_old_pace_the_same_person_won_almost_nothing() -> None:
    params = load_preset("classroom")
    instant, _ = _person(params, 2.0, 0)
    person, _ = _person(params, 2.0, 20)
    assert person < 0.25 * instant, (person, instant)


def test_the_demo_states_the_times_a_person_has() -> None:
    windows = human_windows(demo_parameters(), DEMO_SECONDS_PER_HOUR)
    assert windows["quote_before_leaving"] >= 90  # the least patient customer waits 1.5 minutes
    assert windows["minor_complaint"] >= 45
    assert 3 * 60 <= windows["round"] <= 5 * 60  # a round long enough to play, short enough for a demo
