"""Statistical checks of the running market against its own formulas (DESIGN §4).

Each test runs a seeded competition without bots, fixes the parameters that would blur the
quantity under test (``market.overrides.apply_overrides``), reads what happened from the
event log and compares it with the formula. Tolerances are four standard errors of the
statistic, so a correct model passes for practically every seed while a wrong formula (a
missing share, a wrong λ, a wrong τ) is far outside. Seeds are fixed: the runs are
deterministic.
"""

from __future__ import annotations

import heapq
import math
from collections import Counter, defaultdict
from collections.abc import Callable

from market import events as ev
from market.choice import choice_probabilities, quote_utility, rationality_lambda, walk_away_utility
from market.engagement import engagement
from market.overrides import apply_overrides, parse_override
from market.parameters import MarketParameters
from market.presets import load_preset
from simulator.competition import Competition
from teams.commands import SendQuote

SEGMENTS = ("key_accounts", "smb", "price_shoppers")
Z = 4.0  # tolerance in standard errors


def classroom(*overrides: str) -> MarketParameters:
    return apply_overrides(load_preset("classroom"), [parse_override(o) for o in overrides])


def no_repeats() -> list[str]:
    return [f"segments.{s}.repeat_per_30_days=0" for s in SEGMENTS]


def reply_at_fixed_delays(
    comp: Competition,
    delay_of: Callable[[ev.InquiryReceived], float],
    quote_for: Callable[[ev.InquiryReceived], SendQuote],
    shortest: float,
) -> None:
    """Quote every inquiry exactly ``delay_of(inquiry)`` hours after it arrived, to the end.

    Inquiries are collected by a subscriber; the loop never advances further than the
    ``shortest`` delay at a time, so every reply is submitted at its exact time, in time order
    (an inquiry that arrives during a step is answered after the step ends).
    """
    heap: list[tuple[float, int, ev.InquiryReceived]] = []

    def collect(e: ev.Event) -> None:
        if isinstance(e, ev.InquiryReceived):
            heapq.heappush(heap, (e.t + delay_of(e), e.seq, e))

    comp.subscribe(collect)
    assert shortest > 0
    while True:
        horizon = min(comp.end_t, comp.now + shortest)
        if heap and heap[0][0] <= horizon:
            t, _, inquiry = heapq.heappop(heap)
            outcome = comp.submit(quote_for(inquiry), t)
            assert outcome.accepted, outcome.reason
        elif comp.now < comp.end_t:
            comp.advance_to(horizon)
        else:
            break
    comp.finish()


# --- (a) arrivals ------------------------------------------------------------------------------------


def test_new_inquiries_per_day_are_poisson_with_mean_q() -> None:
    """Mirrored market, one team, fixed Q (no random walk): daily counts of new inquiries per
    segment have mean and variance Q = inquiries_per_team_per_day × share (Poisson).

    SE of the mean is √(Q/n); SE of the sample variance of Poisson counts is √(Q/n + 2Q²/(n−1)).
    Repeat requests (``repeat=True``) are excluded; arrivals fall uniformly in business hours.
    """
    rate = 20.0
    params = classroom("demand_walk_step=0", "mode=mirrored", f"inquiries_per_team_per_day={rate}")
    comp = Competition(params, 7, ["solo"], rounds=100, bots=False)
    days = int(comp.end_t // 8)
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    morning = [0, 0]

    def count(e: ev.Event) -> None:
        if isinstance(e, ev.InquiryReceived) and not e.repeat:
            counts[e.segment][int(e.t // 8)] += 1
            morning[0] += (e.t % 8) < 4
            morning[1] += 1

    comp.subscribe(count)
    comp.finish()

    assert days == 500
    for seg in params.segments:
        q = rate * seg.share
        daily = [counts[seg.id][d] for d in range(days)]
        mean = sum(daily) / days
        var = sum((x - mean) ** 2 for x in daily) / (days - 1)
        assert abs(mean - q) < Z * math.sqrt(q / days), (seg.id, mean, q)
        assert abs(var - q) < Z * math.sqrt(q / days + 2 * q * q / (days - 1)), (seg.id, var, q)
        assert set(counts[seg.id]) <= set(range(days))
    # times spread uniformly over the business day
    share = morning[0] / morning[1]
    assert abs(share - 0.5) < Z * math.sqrt(0.25 / morning[1])


def test_shared_market_scales_demand_so_each_team_gets_its_share() -> None:
    """Shared mode, 6 teams, shortlist 3: every request goes to 3 teams and Q scales by 6/3, so
    each team receives inquiries_per_team_per_day new inquiries a day on average."""
    rate, teams, days = 10.0, 6, 200
    params = classroom("demand_walk_step=0", f"inquiries_per_team_per_day={rate}", "shortlist_size=3")
    comp = Competition(params, 11, [f"T{i}" for i in range(teams)], rounds=days // 5, bots=False)
    per_team: Counter[str] = Counter()
    shortlists: Counter[str] = Counter()

    def count(e: ev.Event) -> None:
        if isinstance(e, ev.InquiryReceived) and not e.repeat:
            per_team[e.team] += 1
            shortlists[e.request_id] += 1

    comp.subscribe(count)
    comp.finish()

    assert set(shortlists.values()) == {3}
    requests = len(shortlists)
    expected_requests = rate * teams / 3 * days
    assert abs(requests - expected_requests) < Z * math.sqrt(expected_requests)
    mean_per_team_day = sum(per_team.values()) / (teams * days)
    se = 3 * math.sqrt(expected_requests) / (teams * days)
    assert abs(mean_per_team_day - rate) < Z * se
    assert len(per_team) == teams


# --- (b) choice -------------------------------------------------------------------------------------

REPLY_DELAY = 0.05
RESERVE = {"key_accounts": 1.1, "smb": 1.0, "price_shoppers": 0.97}
QUOTING = {"A": (0.0, 1.0), "B": (0.04, 0.0), "C": (0.08, 0.5)}  # team: (discount, share of requested terms)


def test_choices_are_calibrated_to_the_logit_probabilities() -> None:
    """Calibration of the customer's choice.

    Method: a shared market of three teams with shortlist 3, so every request asks all
    three. Reserve prices are fixed per segment (reserve_ratio = [r, r]), so the walk-away
    utility U0 = (p_list − R)/p_list is known, and repeat orders are off, so every customer is
    new (no incumbent, no switching cost; its satisfaction term is the team's reputation).
    The teams quote every inquiry REPLY_DELAY = 0.05 h after it arrives, at fixed discounts
    and terms. When the customer decides, a subscriber reads the inputs the design names (the team's
    reputation in the segment and its late-delivery rate, via ``Market.reputation`` and
    ``Market.late_rate``) and computes U_j with ``market.choice.quote_utility``. The
    candidates are the teams whose quote was valid and engaged (won, chose_other or
    walked_away; not too_slow or not_acceptable). For each request the logit probabilities
    P(walk), P(j) are computed with ``choice_probabilities`` and λ = 50^r − 1. Then the
    number of times each option was chosen must match the sum of its predicted
    probabilities within 4 SE (SE² = Σ p(1 − p)), per option and per bin of predicted
    probability. A λ off by 30 % or a utility off by 0.03 fails this test.
    """
    overrides = ["inquiries_per_team_per_day=20", "shortlist_size=3", "mode=shared", *no_repeats()]
    overrides += [f"segments.{s}.reserve_ratio={r}:{r}" for s, r in RESERVE.items()]
    params = classroom(*overrides)
    comp = Competition(params, 5, list(QUOTING), rounds=20, bots=False)
    market = comp.markets["A"]
    assert all(m is market for m in comp.markets.values())

    inquiries: dict[str, ev.InquiryReceived] = {}
    quotes: dict[str, ev.QuoteSent] = {}
    candidates: dict[str, dict[str, float]] = defaultdict(dict)
    segment_of: dict[str, str] = {}
    chosen: dict[str, str] = {}
    lost_reasons: Counter[str] = Counter()

    def watch(e: ev.Event) -> None:
        if isinstance(e, ev.InquiryReceived):
            assert not e.repeat
            inquiries[e.inquiry_id] = e
        elif isinstance(e, ev.QuoteSent):
            quotes[e.inquiry_id] = e
        elif isinstance(e, ev.OrderWon | ev.InquiryLost):
            if isinstance(e, ev.InquiryLost):
                lost_reasons[e.reason] += 1
                if e.reason not in ("chose_other", "walked_away"):
                    return
            inquiry, quote = inquiries[e.inquiry_id], quotes[e.inquiry_id]
            utility = quote_utility(
                price=quote.unit_price,
                list_price=inquiry.list_price,
                satisfaction=market.reputation(e.team, inquiry.segment),
                terms_days=quote.terms_days,
                requested_terms=inquiry.requested_terms,
                switching_cost=0.0,
                late_rate=market.late_rate(e.team),
                terms_expectation=market.params.segment(inquiry.segment).terms_expectation,
            )
            candidates[inquiry.request_id][e.team] = utility
            segment_of[inquiry.request_id] = inquiry.segment
            if isinstance(e, ev.OrderWon):
                assert inquiry.request_id not in chosen
                chosen[inquiry.request_id] = e.team

    comp.subscribe(watch)

    def quote_for(inquiry: ev.InquiryReceived) -> SendQuote:
        discount, terms_share = QUOTING[inquiry.team]
        return SendQuote(
            team=inquiry.team,
            inquiry_id=inquiry.inquiry_id,
            discount=discount,
            terms_days=inquiry.requested_terms * terms_share,
            delivery_days=min(5.0, inquiry.wanted_delivery),
        )

    reply_at_fixed_delays(comp, lambda _inquiry: REPLY_DELAY, quote_for, REPLY_DELAY)

    # the scenario exercises every branch: invalid quotes, walk-aways, competition
    assert lost_reasons["not_acceptable"] > 100 and lost_reasons["walked_away"] > 100
    assert lost_reasons["chose_other"] > 500
    assert len(candidates) > 1000

    observed: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    variance: Counter[str] = Counter()
    bins: dict[int, list[float]] = defaultdict(lambda: [0.0, 0.0, 0.0])
    for request_id, utilities in candidates.items():
        seg = params.segment(segment_of[request_id])
        names = sorted(utilities)
        probs = choice_probabilities(
            [utilities[n] for n in names],
            walk_away_utility(100.0, 100.0 * RESERVE[seg.id]),
            rationality_lambda(seg.rationality),
        )
        pick = chosen.get(request_id, "walk away")
        for name, p in zip(["walk away", *names], probs, strict=True):
            hit = float(pick == name)
            observed[name] += hit
            expected[name] += p
            variance[name] += p * (1 - p)
            cell = bins[min(9, int(p * 10))]
            cell[0] += hit
            cell[1] += p
            cell[2] += p * (1 - p)

    for name in ("walk away", *QUOTING):
        assert variance[name] > 20, name
        z = (observed[name] - expected[name]) / math.sqrt(variance[name])
        assert abs(z) < Z, (name, observed[name], expected[name])
    for b, (hits, predicted, var) in sorted(bins.items()):
        if var > 1:
            assert abs(hits - predicted) < Z * math.sqrt(var), (b, hits, predicted)


# --- (c) engagement ----------------------------------------------------------------------------------

DELAYS = {"fast": 1.0, "middle": 3.0, "slow": 6.0}


def test_share_of_quotes_lost_as_too_slow_is_one_minus_engagement() -> None:
    """Mirrored market: three teams see the same customers and quote every inquiry after a
    fixed delay d (1, 3, 6 business hours; τ = 4 h, all within every segment's patience).
    Among quotes the customer could take (not ``not_acceptable``), the share lost as
    ``too_slow`` must be 1 − e(d) within 4 SE. Since the engagement draw of a customer is
    the same in every mirrored market, a quote too slow at d is too slow at any longer d.
    """
    params = classroom("mode=mirrored", "inquiries_per_team_per_day=20", *no_repeats())
    comp = Competition(params, 3, list(DELAYS), rounds=20, bots=False)
    outcome: dict[str, dict[str, str]] = defaultdict(dict)  # team -> request id -> outcome

    def watch(e: ev.Event) -> None:
        if isinstance(e, ev.InquiryLost):
            outcome[e.team][e.inquiry_id.split("/")[0]] = e.reason
        elif isinstance(e, ev.OrderWon):
            outcome[e.team][e.inquiry_id.split("/")[0]] = "won"
        elif isinstance(e, ev.InquiryExpired):
            outcome[e.team][e.inquiry_id.split("/")[0]] = "expired"

    comp.subscribe(watch)

    def quote_for(inquiry: ev.InquiryReceived) -> SendQuote:
        return SendQuote(
            team=inquiry.team,
            inquiry_id=inquiry.inquiry_id,
            discount=0.05,
            terms_days=inquiry.requested_terms,
            delivery_days=min(5.0, inquiry.wanted_delivery),
        )

    reply_at_fixed_delays(comp, lambda inquiry: DELAYS[inquiry.team], quote_for, min(DELAYS.values()))

    for team, d in DELAYS.items():
        reasons = Counter(outcome[team].values())
        assert reasons["expired"] == 0
        considered = reasons["too_slow"] + reasons["won"] + reasons["walked_away"]
        assert considered > 800
        p = 1.0 - engagement(d, params.reply_tau_hours, params.engagement_floor)
        share = reasons["too_slow"] / considered
        assert abs(share - p) < Z * math.sqrt(p * (1 - p) / considered), (team, share, p)

    # common random numbers: slower never rescues a quote that was too slow when faster
    for faster, slower in (("fast", "middle"), ("middle", "slow")):
        too_slow_fast = {r for r, o in outcome[faster].items() if o == "too_slow"}
        assert too_slow_fast
        for request_id in too_slow_fast:
            assert outcome[slower].get(request_id, "too_slow") == "too_slow", request_id
