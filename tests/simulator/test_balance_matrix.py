"""The balance matrix: its statistics on known samples, a small cell end to end, the cell that
must hold — mirrored classroom, where every team meets the same customers — and, in the shared
classroom and the shared calm market, the price cutter that used to out-score balanced, the
lender whose long terms fell due after the season's end and the team that never collects (each
in the market of three teams asked it was written for); and the presets of rules 4, whose
shared classroom and credit-crunch ask two teams, not three: there balanced outranks every
degenerate bot beyond the noise, which three teams asked did not give credit-crunch.

The shared tests play the league their figures were measured in, without the equal-teams
control ``balanced-twin``: in a shared market a twelfth team changes which customers every
other team meets (docs/strategy-search.md, "Luck, measured in every cell"). In a mirrored
market it changes nothing for the others (a test)."""

from __future__ import annotations

from functools import cache

import pytest

from simulator.balance import BEST_TEAM, Cell, measure_cell, pair_orders
from simulator.competition import TeamSpec
from simulator.evaluate import Sample, Season, cell_parameters, outranks, play_seasons
from simulator.luck import TWIN_TEAM
from teams.bots import DEGENERATE
from teams.bots.strategy import BALANCED


def season(seed: int, **composite: float) -> Season:
    ranked = sorted(composite, key=lambda t: -composite[t])
    return Season(seed, composite, {t: i + 1 for i, t in enumerate(ranked)})


def test_a_sample_has_a_mean_a_standard_error_and_a_count_of_wins() -> None:
    s = Sample((1.0, 2.0, 3.0, -1.0))
    assert s.mean == pytest.approx(1.25)
    assert s.se == pytest.approx(1.7078251 / 2)
    assert s.positive == 3
    assert Sample((2.0,)).se == 0.0


def test_one_season_agrees_with_the_means_as_often_as_it_orders_the_pair_alike() -> None:
    seasons = [
        season(0, a=10, b=5, c=1),
        season(1, a=10, b=12, c=1),
        season(2, a=10, b=6, c=1),
        season(3, a=10, b=7, c=10),
    ]
    orders = {(p.first, p.second): p.agree for p in pair_orders(seasons, ["a", "b", "c"])}
    assert orders[("a", "b")] == 0.75  # a's mean is higher; b beat it once
    assert orders[("a", "c")] == 0.75  # a tie is not an agreement
    assert orders[("b", "c")] == 0.75


@cache
def cell(
    seeds: int,
    rounds: int | None = None,
    best: bool = False,
    mode: str = "mirrored",
    preset: str = "classroom",
    starting_cash: float | None = None,
    rules: int | None = None,
    shortlist_size: int | None = None,
    twin: bool = True,
) -> Cell:
    overrides: list[tuple[str, object]] = [("rounds", rounds)] if rounds else []
    if starting_cash is not None:
        overrides.append(("starting_cash", starting_cash))
    if rules is not None:
        overrides.append(("rules", rules))
    if shortlist_size is not None:
        overrides.append(("shortlist_size", shortlist_size))
    params = cell_parameters(preset, mode, overrides)
    return measure_cell(preset, mode, params, range(seeds), BALANCED if best else None, workers=1, twin=twin)


def test_a_cell_reports_every_team_against_balanced() -> None:
    small = cell(3, rounds=2, best=True)
    assert [r.team for r in small.rows] == ["balanced", *DEGENERATE, TWIN_TEAM, BEST_TEAM]
    assert small.row("balanced").margin.values == (0.0, 0.0, 0.0)
    for row in small.rows:
        assert row.beats_balanced + row.balanced_beats <= 3
        assert row.composite.n == 3
    # the best strategy given here is balanced itself: in mirrored markets it plays the same game
    assert small.row(BEST_TEAM).margin.mean == pytest.approx(0.0, abs=1e-9)
    assert small.row("passive").below_balanced
    assert 0 <= small.agreement_median <= 1
    assert small.balanced_share_lowest[0] in DEGENERATE
    # the equal-teams control is a team of the league but no pair of the agreement figure
    assert all(TWIN_TEAM not in (p.first, p.second) for p in small.pairs)
    # mirrored: both play balanced against the same customers, so no luck parts them
    assert small.equal.gap.values == (0.0, 0.0, 0.0)
    assert small.equal.luck == 0.0 and small.equal.level == 3


def test_in_a_mirrored_market_the_twin_changes_no_other_teams_figures() -> None:
    with_twin, without = cell(3, rounds=2), cell(3, rounds=2, twin=False)
    assert [r for r in with_twin.rows if r.team != TWIN_TEAM] == list(without.rows)
    assert with_twin.pairs == without.pairs
    with pytest.raises(ValueError, match="played without balanced-twin"):
        _ = without.equal


@pytest.mark.parametrize("bot", DEGENERATE)
def test_in_mirrored_classroom_balanced_outranks_each_degenerate_bot_beyond_the_noise(bot: str) -> None:
    row = cell(8).row(bot)
    assert row.margin.mean < -2 * row.margin.se, f"{bot} {row.margin.mean:+.1f} ± {row.margin.se:.1f}"


def test_in_shared_classroom_quoting_at_cost_ranks_below_balanced_beyond_the_noise() -> None:
    """The dumper takes the other teams' customers but sells at no margin. Before a refused
    quote at the going rate stopped costing satisfaction it out-scored balanced (+4.4 ± 3.4)."""
    row = cell(8, mode="shared", twin=False).row("dumper")
    assert row.margin.mean < -2 * row.margin.se, f"dumper {row.margin.mean:+.1f} ± {row.margin.se:.1f}"


def test_in_shared_calm_working_capital_is_what_prices_quoting_at_cost() -> None:
    """Calm has half the classroom's demand. With the classroom's 40,000 of starting cash a team
    never ran short, so winning every price-sensitive order at cost paid by conversion and the
    dumper out-scored balanced; with half the cash — the classroom's working capital per inquiry —
    every sale at a loss draws on cash the team needs, and the dumper ranks below balanced."""
    calm = cell(20, mode="shared", twin=False, preset="calm").row("dumper")
    assert calm.margin.mean < -2 * calm.margin.se, f"dumper {calm.margin.mean:+.1f} ± {calm.margin.se:.1f}"
    flush = cell(20, mode="shared", twin=False, preset="calm", starting_cash=40_000).row("dumper")
    assert flush.margin.mean > calm.margin.mean + 2 * calm.margin.se, (
        f"with 40,000: dumper {flush.margin.mean:+.1f} ± {flush.margin.se:.1f}"
    )


def test_in_shared_classroom_lending_to_everyone_ranks_below_balanced_once_terms_are_priced() -> None:
    """The lender grants every customer the longest terms in the market: most of its invoices
    fall due after the sixth round, where rules v2 counted each at the flat 3 % of an invoice
    not yet due, and it tied balanced (−0.7 ± 1.0 over 20 seasons). Rules v3 counts what terms
    beyond those asked really risk, from the day an invoice is issued (docs/scoring.md)."""
    v3 = cell(20, mode="shared", twin=False, rules=3, shortlist_size=3).row("lender")
    assert v3.margin.mean < -2 * v3.margin.se, f"lender {v3.margin.mean:+.1f} ± {v3.margin.se:.1f}"
    v2 = cell(20, mode="shared", twin=False, rules=2, shortlist_size=3).row("lender")
    assert not v2.below_balanced, f"rules v2: lender {v2.margin.mean:+.1f} ± {v2.margin.se:.1f}"
    assert v2.margin.mean > v3.margin.mean + 2 * v3.margin.se


def test_in_shared_classroom_never_collecting_ranks_below_balanced_once_unchased_payers_pay_last() -> None:
    """Under rules v2 a late payer paid within the write-off grace whether reminded or not, cash
    rarely binds in a shared market, and ``forgetful`` tied balanced (−0.7 ± 1.4 over 20 seasons).
    Under rules v3 a late payer nobody reminds pays last (docs/market.md)."""
    v3 = cell(20, mode="shared", twin=False, rules=3, shortlist_size=3).row("forgetful")
    assert v3.margin.mean < -2 * v3.margin.se, f"forgetful {v3.margin.mean:+.1f} ± {v3.margin.se:.1f}"
    v2 = cell(20, mode="shared", twin=False, rules=2, shortlist_size=3).row("forgetful")
    assert not v2.below_balanced, f"rules v2: forgetful {v2.margin.mean:+.1f} ± {v2.margin.se:.1f}"


@pytest.mark.parametrize("preset", ["classroom", "credit-crunch"])
def test_in_the_shared_presets_of_rules_4_balanced_outranks_every_degenerate_bot_beyond_the_noise(
    preset: str,
) -> None:
    """Rules 4's presets ask two teams per customer: each team wins more of the inquiries it
    answers, so a shared season holds more orders per team, and working capital, terms and
    collection bind as they do in a mirrored market. With three teams asked, credit-crunch's
    lender and lavish stayed within the noise of balanced (−2.4 ± 2.7 and −4.5 ± 3.6 over these
    20 seasons, docs/strategy-search.md, "Rules v4")."""
    shared = cell(20, mode="shared", twin=False, preset=preset)
    failing = [f"{r.team} {r.margin.mean:+.1f} ± {r.margin.se:.1f}" for r in shared.failing]
    assert not failing, failing
    if preset == "credit-crunch":
        three = cell(20, mode="shared", twin=False, preset=preset, shortlist_size=3)
        assert {r.team for r in three.failing} >= {"lender"}


def test_from_rules_5_mirrored_classroom_balanced_outranks_lavish_in_95_percent_of_seasons() -> None:
    """Issue 12's single-season goal in mirrored classroom, for the bot it hinged on: under rules 4
    a full refund felt better than any other remedy (0.95), and `lavish` — which refunds every
    complaint — escaped `balanced` in 7 of 80 seasons, the ones where its refunds were few and
    small; from rules 5 a refund feels like an adequate credit note (docs/market.md, "Complaints"),
    and it escapes in 3 of 80. Mirrored teams meet the same customers alone, so two suffice."""
    teams = [TeamSpec("balanced", "balanced"), TeamSpec("lavish", "lavish")]
    outranked = {}
    for rules in (4, 5):
        params = cell_parameters("classroom", "mirrored", [("rules", rules)])
        (seasons,) = play_seasons(params, [teams], range(80), workers=1)
        outranked[rules] = outranks(seasons, "balanced", "lavish")
    assert outranked[4] < 76 <= outranked[5], outranked  # 95 % of 80 is 76
