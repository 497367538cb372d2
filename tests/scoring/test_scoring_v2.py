"""Rules v2 scoring on hand-built logs: experiences, expected loss, the profit scale, left-out
metrics, and the promise that no scale turns a 1 % change of a team's result into a cliff."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from scoring import ScoringConfig, TeamMetrics, Weights, rank_teams, score_events
from scoring.expected_loss import CURRENT_LOSS_RATE, default_probability
from scoring.profit_scale import profit_score, score_anchors
from scoring.satisfaction import experience_score, implied_experience
from tests.scoring.builders import Log

V2 = ScoringConfig(rules=2, weights=Weights.for_rules(2), loss_horizon_days=15.0)


def board_of(log: Log, now: float | None = None):  # type: ignore[no-untyped-def]
    return score_events(log.events, V2, now)


def two_teams(cash: float = 1000.0) -> Log:
    log = Log()
    log.join("A", cash=cash)
    log.join("B", cash=cash)
    return log


# --- satisfaction: the experiences given ---------------------------------------------------------


def test_satisfaction_is_the_mean_experience_read_back_from_each_change() -> None:
    log = two_teams()
    log.inquiry("A", "i1", "c1")
    log.inquiry("A", "i2", "c2")  # asks, never experiences anything: does not count
    log.sat("A", "c1", 0.66, t=1.0)  # from S0 0.6: x = (0.66 − 0.7·0.6) ÷ 0.3 = 0.8
    log.sat("A", "c1", 0.60, t=2.0)  # from 0.66: x = (0.60 − 0.462) ÷ 0.3 = 0.46
    m = board_of(log).metrics()["A"]
    x1 = (0.66 - 0.7 * 0.6) / 0.3
    x2 = (0.60 - 0.7 * 0.66) / 0.3
    mean = (x1 + x2) / 2
    assert m.experiences == 2
    assert m.satisfaction == pytest.approx(100.0 * (mean - 0.58) / 0.2)
    assert board_of(log).metrics()["B"].satisfaction is None  # no experience yet


def test_an_ignored_inquiry_reads_as_a_bad_experience_and_a_passive_team_scores_zero() -> None:
    assert implied_experience(0.6, 0.5, 0.3) == pytest.approx(0.6 - 0.1 / 0.3)
    log = two_teams()
    for i in range(5):
        log.inquiry("A", f"i{i}", f"c{i}", t=float(i))
        log.expired("A", f"i{i}", f"c{i}", t=i + 0.5)
        log.sat("A", f"c{i}", 0.5, t=i + 0.5)
    assert board_of(log).metrics()["A"].satisfaction == 0.0


def test_the_satisfaction_scale_has_its_published_anchors() -> None:
    assert experience_score(0.58) == 0.0
    assert experience_score(0.78) == 100.0
    assert experience_score(0.68) == pytest.approx(50.0)
    assert experience_score(0.2) == 0.0 and experience_score(0.95) == 100.0


# --- receivables: expected loss on every invoice --------------------------------------------------


def test_an_invoice_not_yet_due_counts_with_the_current_loss_rate() -> None:
    log = two_teams()
    log.invoice("A", "v1", 1000.0, t=0.0, due_in=400.0)  # due long after "now"
    m = board_of(log, now=10.0).metrics()["A"]
    assert m.invoiced == 1000.0
    assert m.expected_loss == pytest.approx(1000.0 * CURRENT_LOSS_RATE)
    assert m.receivables == pytest.approx(100.0 - 10.0 * 100.0 * CURRENT_LOSS_RATE)
    assert m.profit == pytest.approx(1000.0 * (1 - CURRENT_LOSS_RATE))


def test_the_loss_grows_linearly_past_due_up_to_the_horizon() -> None:
    assert default_probability(-3.0, 15.0) == CURRENT_LOSS_RATE
    assert default_probability(0.0, 15.0) == CURRENT_LOSS_RATE
    assert default_probability(7.5, 15.0) == pytest.approx(CURRENT_LOSS_RATE + (1 - CURRENT_LOSS_RATE) / 2)
    assert default_probability(15.0, 15.0) == 1.0
    assert default_probability(40.0, 15.0) == 1.0
    log = two_teams()
    log.invoice("A", "v1", 1000.0, t=0.0, due_in=8.0)
    log.pay("A", "v1", 400.0, t=4.0)
    log.due("A", "v1", t=8.0)
    m = board_of(log, now=8.0 + 8.0 * 7.5).metrics()["A"]  # 7.5 days past due, 600 still owed
    assert m.expected_loss == pytest.approx(600.0 * default_probability(7.5, 15.0))


def test_written_off_is_lost_in_full_and_paid_is_not_lost() -> None:
    log = two_teams()
    log.invoice("A", "v1", 500.0, t=0.0, due_in=8.0)
    log.invoice("A", "v2", 500.0, t=0.0, due_in=8.0)
    log.pay("A", "v1", 500.0, t=2.0)
    log.write_off("A", "v2", t=9.0)
    m = board_of(log).metrics()["A"]
    assert m.expected_loss == 500.0
    assert m.receivables == 0.0  # 50 % lost is far beyond the 10 % that scores 0


def test_a_rounds_receivables_are_the_expected_loss_on_what_fell_due_in_it_at_the_rounds_end() -> None:
    """Not v1's collected ÷ due: the invoices that fell due inside round 1, scored by PD at its end."""
    log = two_teams()
    log.invoice("A", "v1", 1000.0, t=0.0, due_in=8.0)
    log.invoice("A", "v2", 20.0, t=0.0, due_in=16.0)
    log.invoice("A", "v3", 1000.0, t=0.0, due_in=100.0)  # falls due in round 3: not in round 1
    log.pay("A", "v1", 950.0, t=4.0)
    log.due("A", "v1", t=8.0)
    log.due("A", "v2", t=16.0)
    log.write_off("A", "v2", t=24.0)
    log.round_end(1, t=40.0)
    (r1,) = board_of(log).round_metrics()
    a = r1.by_team()["A"]
    loss = 50.0 * default_probability((40.0 - 8.0) / 8.0, 15.0) + 20.0  # 4 days past due; written off
    assert (a.due_total, a.collected_due) == (1020.0, 950.0)
    assert a.receivables == pytest.approx(100.0 - 10.0 * 100.0 * loss / 1020.0)  # about 66, v1 said 93
    only_paid = two_teams()
    only_paid.invoice("A", "v1", 1000.0, t=0.0, due_in=8.0)
    only_paid.pay("A", "v1", 1000.0, t=4.0)
    only_paid.due("A", "v1", t=8.0)
    only_paid.round_end(1, t=40.0)
    (r1,) = board_of(only_paid).round_metrics()
    assert r1.by_team()["A"].receivables == 100.0 and r1.by_team()["B"].receivables is None


def test_credit_notes_and_refunds_lower_what_was_invoiced() -> None:
    log = two_teams()
    log.invoice("A", "v1", 1000.0, t=0.0, due_in=80.0)
    log.credit("A", "v1", 100.0, t=1.0)
    log.pay("A", "v1", 900.0, t=2.0)
    log.refund("A", "v1", 200.0, t=3.0)
    m = board_of(log).metrics()["A"]
    assert m.invoiced == pytest.approx(700.0)
    assert m.expected_loss == 0.0
    assert m.receivables == 100.0


# --- profit on a fixed scale, left-out metrics ------------------------------------------------------


def test_the_profit_scale_is_the_teams_own_return_on_capital() -> None:
    assert score_anchors() == (-5.0, 0.0, 5.0)
    assert profit_score(0.0, 40_000.0, 6.0) == 50.0
    assert profit_score(6_000.0, 40_000.0, 6.0) == pytest.approx(75.0)  # 2.5 % a round
    assert profit_score(6_000.0, 40_000.0, 3.0) == pytest.approx(100.0)  # 5 % a round
    assert profit_score(-20_000.0, 40_000.0, 6.0) == 0.0
    assert profit_score(100.0, 0.0, 1.0) is None


def row(team: str, **values: object) -> TeamMetrics:
    base: dict[str, object] = dict(
        conversion=40.0, satisfaction=60.0, receivables=80.0, profit=1000.0, cash=0.0, collected=1000.0,
        dso_days=None, overdue_share=None, bad_debt_ratio=None, aging=None, due_total=0.0, collected_due=0.0,
        written_off=0.0, won=0, lost=0, declined=0, expired=0, inquiries=0, quoted=0, customers=0,
        invoices_due=0, complaints_opened=0, complaints_resolved=0, complaints_resolved_within_sla=0,
        mean_reply_hours=None, last_change_t=None, capital=40_000.0,
    )  # fmt: skip
    base.update(values)
    return TeamMetrics(team=team, **base)  # type: ignore[arg-type]


def test_equal_profits_score_equally_and_a_dumper_lifts_nobody() -> None:
    calm = rank_teams([row("A"), row("B")], V2)
    dumped = rank_teams([row("A"), row("B"), row("D", profit=-9000.0)], V2)
    by_team = {s.team: s.composite for s in dumped}
    assert calm[0].composite == calm[1].composite == by_team["A"] == by_team["B"]


def test_a_metric_without_a_value_is_left_out_of_that_team_only() -> None:
    rows = [row("A"), row("B", receivables=None)]
    standings = {s.team: s for s in rank_teams(rows, V2)}
    assert standings["A"].left_out == ()
    assert standings["B"].left_out == ("receivables",)
    # B: (20·40 + 25·60 + 30·75) ÷ 75, not counting receivables as 0 (profit 2.5 % → 75)
    assert standings["B"].composite == pytest.approx((20 * 40.0 + 25 * 60.0 + 30 * 75.0) / 75)
    assert standings["A"].composite == pytest.approx((20 * 40.0 + 25 * 60.0 + 25 * 80.0 + 30 * 75.0) / 100)


def test_the_explanation_says_what_was_left_out() -> None:
    log = two_teams()
    log.inquiry("A", "i1")
    log.won("A", "i1", t=1.0)
    text = board_of(log).explain("A", "composite").formula
    assert "left out" in text and "satisfaction" in text and "receivables" in text


# --- no cliffs ------------------------------------------------------------------------------------------


@given(
    st.floats(0.3, 0.95),
    st.floats(0.0, 0.3),
    st.floats(-20_000.0, 20_000.0),
    st.floats(0.0, 100.0),
    st.sampled_from(["satisfaction", "receivables", "profit"]),
    st.sampled_from([-0.01, 0.01]),
)
def test_a_one_percent_change_of_a_result_moves_the_composite_by_at_most_a_point(
    mean_experience: float, loss_rate: float, profit: float, conversion: float, which: str, step: float
) -> None:
    """A 1 % change of a team's mean experience, loss rate or profit (of itself) moves its
    composite by at most ~1 point (the largest slope, satisfaction's, gives 0.98 at weight 25)."""

    def composite(x: float, rate: float, money: float) -> float:
        team = row(
            "A",
            conversion=conversion,
            satisfaction=experience_score(x),
            receivables=max(0.0, min(100.0, 100.0 - 1000.0 * rate)),
            profit=money,
        )
        others = [row("B"), row("C", profit=-3000.0, satisfaction=30.0)]
        return next(s.composite for s in rank_teams([team, *others], V2) if s.team == "A")

    before = composite(mean_experience, loss_rate, profit)
    changed = {
        "satisfaction": (mean_experience * (1 + step), loss_rate, profit),
        "receivables": (mean_experience, loss_rate * (1 + step), profit),
        "profit": (mean_experience, loss_rate, profit * (1 + step)),
    }[which]
    after = composite(*changed)
    assert math.isfinite(after)
    assert abs(after - before) <= 1.0


def test_rules_v1_is_kept_behind_the_switch() -> None:
    log = two_teams()
    log.inquiry("A", "i1", "c1")
    log.sat("A", "c1", 0.66, t=1.0)
    v1 = dataclasses.replace(V2, rules=1)
    assert score_events(log.events, v1).metrics()["A"].satisfaction == pytest.approx(66.0)
    assert board_of(log).metrics()["A"].satisfaction == pytest.approx(100.0)  # x = 0.8


# --- explanations: every metric in the composite, with the numbers and the scale's anchors --------


def test_every_weighted_metric_is_explained_with_its_numbers_and_anchors() -> None:
    log = two_teams(cash=10_000.0)
    log.inquiry("A", "i1", "c1")
    log.won("A", "i1", "c1", t=1.0)
    log.sat("A", "c1", 0.66, t=2.0)
    log.invoice("A", "v1", 1000.0, t=2.0, due_in=8.0)
    log.invoice("A", "v2", 500.0, t=2.0, due_in=400.0)
    log.due("A", "v1", t=10.0)
    board = board_of(log, now=10.0 + 8.0 * 3.0)  # v1 is 3 days past due
    m = board.metrics()["A"]

    satisfaction = board.explain("A", "satisfaction")
    assert satisfaction.value == m.satisfaction
    assert [type(i).__name__ for i in satisfaction.items] == ["Experience"]
    assert "0.58 → 0, 0.78 → 100" in satisfaction.formula

    receivables = board.explain("A", "receivables")
    assert receivables.value == m.receivables
    losses = {i.invoice_id: i.expected_loss for i in receivables.items}  # type: ignore[union-attr]
    assert losses["v1"] == pytest.approx(1000.0 * default_probability(3.0, 15.0))
    assert losses["v2"] == pytest.approx(500.0 * CURRENT_LOSS_RATE)
    assert math.fsum(losses.values()) == pytest.approx(m.expected_loss or 0.0)
    assert "0 % lost → 100, 5 % → 50, 10 % → 0" in receivables.formula

    profit = board.explain("A", "profit")
    assert profit.value == m.profit
    assert "-5 % a round → 0, 0 % → 50, +5 % → 100" in profit.formula
    assert f"{100 * m.profit / 10_000.0 / m.rounds:.2f} % per round" in profit.formula

    composite = board.explain("A", "composite")
    assert composite.value == next(s.composite for s in board.standings() if s.team == "A")


def test_v1_profit_is_explained_with_the_class_lowest_and_highest() -> None:
    log = two_teams()
    log.invoice("A", "v1", 300.0, t=1.0)
    log.invoice("B", "v2", 100.0, t=1.0)
    v1 = dataclasses.replace(V2, rules=1)
    text = score_events(log.events, v1).explain("A", "profit").formula
    assert "lowest 100.00" in text and "highest 300.00" in text and "= 100.00" in text
