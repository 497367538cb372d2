"""Table-driven tests of each team metric, on hand-built logs."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from scoring import ScoringConfig, TeamMetrics, score_events
from tests.scoring.builders import Log

Build = Callable[[Log], object]


def metrics_of(
    build: Build, team: str = "A", config: ScoringConfig | None = None, now: float | None = None
) -> TeamMetrics:
    log = Log()
    log.join("A")
    log.join("B")
    build(log)
    return score_events(log.events, config, now).metrics()[team]


# --- conversion -----------------------------------------------------------------------------------

CONVERSION_CASES: list[tuple[str, Build, float | None, tuple[int, int, int, int]]] = [
    ("nothing closed", lambda g: g.inquiry("A", "i1"), None, (0, 0, 0, 0)),
    ("quoted only", lambda g: (g.inquiry("A", "i1"), g.quote("A", "i1", 1.0)), None, (0, 0, 0, 0)),
    ("one won", lambda g: (g.inquiry("A", "i1"), g.won("A", "i1", t=2.0)), 100.0, (1, 0, 0, 0)),
    (
        "one of each outcome",
        lambda g: (
            g.inquiry("A", "i1"),
            g.inquiry("A", "i2"),
            g.inquiry("A", "i3"),
            g.inquiry("A", "i4"),
            g.won("A", "i1"),
            g.lost("A", "i2"),
            g.declined("A", "i3"),
            g.expired("A", "i4"),
        ),
        25.0,
        (1, 1, 1, 1),
    ),
    (
        "two won one lost",
        lambda g: (g.won("A", "i1"), g.won("A", "i2"), g.lost("A", "i3")),
        200 / 3,
        (2, 1, 0, 0),
    ),
    ("declined counts as closed", lambda g: (g.won("A", "i1"), g.declined("A", "i2")), 50.0, (1, 0, 1, 0)),
    ("expired counts as closed", lambda g: (g.won("A", "i1"), g.expired("A", "i2")), 50.0, (1, 0, 0, 1)),
    ("other team's closings ignored", lambda g: (g.won("B", "i1"), g.lost("A", "i2")), 0.0, (0, 1, 0, 0)),
]


@pytest.mark.parametrize(
    ("build", "expected", "counts"), [c[1:] for c in CONVERSION_CASES], ids=[c[0] for c in CONVERSION_CASES]
)
def test_conversion(build: Build, expected: float | None, counts: tuple[int, int, int, int]) -> None:
    m = metrics_of(build)
    assert m.conversion == pytest.approx(expected)
    assert (m.won, m.lost, m.declined, m.expired) == counts
    assert m.closed == sum(counts)


# --- satisfaction ---------------------------------------------------------------------------------

SATISFACTION_CASES: list[tuple[str, Build, float | None, int]] = [
    ("no customers", lambda g: g.note("A"), None, 0),
    ("first inquiry starts at S0", lambda g: g.inquiry("A", "i1", "c1"), 60.0, 1),
    (
        "same customer twice counts once",
        lambda g: (g.inquiry("A", "i1", "c1"), g.inquiry("A", "i2", "c1")),
        60.0,
        1,
    ),
    (
        "change replaces S0",
        lambda g: (g.inquiry("A", "i1", "c1"), g.inquiry("A", "i2", "c2"), g.sat("A", "c1", 0.9)),
        75.0,
        2,
    ),
    (
        "latest change wins",
        lambda g: (g.inquiry("A", "i1", "c1"), g.sat("A", "c1", 0.2), g.sat("A", "c1", 0.8)),
        80.0,
        1,
    ),
    ("change adds an unseen customer", lambda g: g.sat("A", "c3", 0.3), 30.0, 1),
    (
        "later inquiry keeps the changed S",
        lambda g: (g.sat("A", "c1", 0.1), g.inquiry("A", "i1", "c1")),
        10.0,
        1,
    ),
    ("ignored customers count", lambda g: (g.inquiry("A", "i1", "c1"), g.expired("A", "i1", "c1")), 60.0, 1),
    ("other team's changes ignored", lambda g: (g.inquiry("A", "i1", "c1"), g.sat("B", "c1", 0.0)), 60.0, 1),
]


@pytest.mark.parametrize(
    ("build", "expected", "customers"),
    [c[1:] for c in SATISFACTION_CASES],
    ids=[c[0] for c in SATISFACTION_CASES],
)
def test_satisfaction(build: Build, expected: float | None, customers: int) -> None:
    m = metrics_of(build)
    assert m.satisfaction == pytest.approx(expected)
    assert m.customers == customers


def test_satisfaction_uses_configured_initial_value() -> None:
    m = metrics_of(lambda g: g.inquiry("A", "i1"), config=ScoringConfig(initial_satisfaction=0.5))
    assert m.satisfaction == 50.0


# --- receivables ----------------------------------------------------------------------------------

RECEIVABLES_CASES: list[tuple[str, Build, float | None, float | None, float | None]] = [
    # (name, build, receivables, overdue_share, bad_debt_ratio)
    ("nothing due", lambda g: (g.invoice("A", "v1", 100.0), g.pay("A", "v1", 100.0)), None, None, None),
    (
        "paid before due",
        lambda g: (g.invoice("A", "v1", 100.0), g.pay("A", "v1", 100.0), g.due("A", "v1")),
        100.0,
        0.0,
        0.0,
    ),
    (
        "partly paid at due",
        lambda g: (g.invoice("A", "v1", 100.0), g.pay("A", "v1", 40.0), g.due("A", "v1")),
        40.0,
        1.0,
        0.0,
    ),
    (
        "paid after due",
        lambda g: (
            g.invoice("A", "v1", 100.0),
            g.pay("A", "v1", 40.0),
            g.due("A", "v1"),
            g.pay("A", "v1", 60.0),
        ),
        100.0,
        1.0,
        0.0,
    ),
    (
        "weighted by amount",
        lambda g: (
            g.invoice("A", "v1", 100.0),
            g.invoice("A", "v2", 300.0),
            g.pay("A", "v1", 100.0),
            g.due("A", "v1"),
            g.due("A", "v2"),
        ),
        25.0,
        0.5,
        0.0,
    ),
    (
        "invoice not yet due is left out",
        lambda g: (
            g.invoice("A", "v1", 100.0),
            g.invoice("A", "v2", 300.0),
            g.pay("A", "v1", 50.0),
            g.due("A", "v1"),
        ),
        50.0,
        1.0,
        0.0,
    ),
    (
        "credit note before due lowers the amount",
        lambda g: (
            g.invoice("A", "v1", 100.0),
            g.credit("A", "v1", 20.0),
            g.pay("A", "v1", 80.0),
            g.due("A", "v1"),
        ),
        100.0,
        0.0,
        0.0,
    ),
    (
        "credit note after due lowers the amount due",
        lambda g: (
            g.invoice("A", "v1", 100.0),
            g.pay("A", "v1", 50.0),
            g.due("A", "v1"),
            g.credit("A", "v1", 50.0),
        ),
        100.0,
        1.0,
        0.0,
    ),
    (
        "refund lowers amount and collected",
        lambda g: (
            g.invoice("A", "v1", 100.0),
            g.pay("A", "v1", 50.0),
            g.refund("A", "v1", 30.0),
            g.due("A", "v1"),
        ),
        20 / 70 * 100,
        1.0,
        0.0,
    ),
    (
        "refund after due",
        lambda g: (
            g.invoice("A", "v1", 100.0),
            g.pay("A", "v1", 50.0),
            g.due("A", "v1"),
            g.refund("A", "v1", 30.0),
        ),
        20 / 70 * 100,
        1.0,
        0.0,
    ),
    (
        "write-off stays due with what was collected",
        lambda g: (
            g.invoice("A", "v1", 100.0),
            g.pay("A", "v1", 30.0),
            g.due("A", "v1"),
            g.write_off("A", "v1"),
        ),
        30.0,
        1.0,
        0.7,
    ),
    (
        "write-off before due enters the due set",
        lambda g: (g.invoice("A", "v1", 100.0), g.pay("A", "v1", 30.0), g.write_off("A", "v1")),
        30.0,
        1.0,
        0.7,
    ),
    (
        "write-off then due is counted once",
        lambda g: (g.invoice("A", "v1", 100.0), g.write_off("A", "v1"), g.due("A", "v1")),
        0.0,
        1.0,
        1.0,
    ),
    (
        "overpaid is clipped to 100",
        lambda g: (g.invoice("A", "v1", 100.0), g.pay("A", "v1", 120.0), g.due("A", "v1")),
        100.0,
        0.0,
        0.0,
    ),
    (
        "fully credited invoice is not due",
        lambda g: (g.invoice("A", "v1", 50.0), g.credit("A", "v1", 50.0), g.due("A", "v1")),
        None,
        0.0,
        None,
    ),
    (
        "other team's invoices ignored",
        lambda g: (g.invoice("B", "v1", 100.0), g.due("B", "v1")),
        None,
        None,
        None,
    ),
]


@pytest.mark.parametrize(
    ("build", "receivables", "overdue", "bad_debt"),
    [c[1:] for c in RECEIVABLES_CASES],
    ids=[c[0] for c in RECEIVABLES_CASES],
)
def test_receivables(
    build: Build, receivables: float | None, overdue: float | None, bad_debt: float | None
) -> None:
    m = metrics_of(build)
    assert m.receivables == pytest.approx(receivables)
    assert m.overdue_share == pytest.approx(overdue)
    assert m.bad_debt_ratio == pytest.approx(bad_debt)


def test_overdue_share_trusts_the_outstanding_of_invoice_due() -> None:
    m = metrics_of(lambda g: (g.invoice("A", "v1", 100.0), g.due("A", "v1", outstanding=0.004)))
    assert m.overdue_share == 0.0
    m = metrics_of(
        lambda g: (g.invoice("A", "v1", 100.0), g.pay("A", "v1", 100.0), g.due("A", "v1", outstanding=1.0))
    )
    assert m.overdue_share == 1.0


@pytest.mark.parametrize(
    ("config", "expected_days"),
    [(ScoringConfig(), 2.0), (ScoringConfig(hours_per_day=8 * 5 / 7), 16 / (40 / 7))],
)
def test_dso_is_amount_weighted_days_from_issue_to_payment(
    config: ScoringConfig, expected_days: float
) -> None:
    def build(g: Log) -> None:
        g.invoice("A", "v1", 100.0, t=0.0)
        g.pay("A", "v1", 50.0, t=8.0)  # 1 business day
        g.pay("A", "v1", 50.0, t=24.0)  # 3 business days

    assert metrics_of(build, config=config).dso_days == pytest.approx(expected_days)
    assert metrics_of(lambda g: g.invoice("A", "v1", 100.0)).dso_days is None


def test_aging_buckets_open_amounts_by_days_past_due_at_now() -> None:
    """Days past due count from the due date each invoice was issued with."""

    def build(g: Log) -> None:
        g.invoice("A", "cur", 10.0, due_in=2000.0)  # not yet due → current
        g.invoice("A", "d1", 20.0, due_in=800.0)
        g.invoice("A", "d2", 40.0, due_in=400.0)
        g.invoice("A", "d3", 80.0, due_in=240.0)
        g.invoice("A", "d4", 160.0, due_in=0.0)
        g.invoice("A", "paid", 1000.0, due_in=800.0)
        g.invoice("A", "gone", 2000.0)
        g.pay("A", "d4", 60.0)  # open part only
        g.due("A", "d4", t=0.0)  # 100 days past due at now=800
        g.due("A", "d3", t=240.0)  # 70 days
        g.due("A", "d2", t=400.0)  # 50 days
        g.due("A", "d1", t=800.0)  # 0 days → 1-30
        g.pay("A", "paid", 1000.0, t=800.0)
        g.due("A", "paid", t=800.0)
        g.write_off("A", "gone", t=800.0)

    aging = metrics_of(build, now=800.0).aging
    assert aging.as_dict() == {"current": 10.0, "1-30": 20.0, "31-60": 40.0, "61-90": 80.0, "90+": 100.0}
    assert aging.total == 250.0
    later = metrics_of(build, now=1040.0).aging  # 30 more days
    assert later.as_dict() == {"current": 10.0, "1-30": 20.0, "31-60": 0.0, "61-90": 40.0, "90+": 180.0}


def test_aging_counts_from_the_due_date_whether_or_not_the_due_event_has_come() -> None:
    def build(g: Log) -> None:
        g.invoice("A", "v1", 100.0, due_in=80.0)

    assert metrics_of(build, now=79.0).aging.current == 100.0
    assert metrics_of(build, now=80.0).aging.days_1_30 == 100.0  # 0 days past due
    assert metrics_of(build, now=80.0 + 31 * 8).aging.days_31_60 == 100.0


# --- money, counts, reply time and last change ----------------------------------------------------


def test_profit_cash_and_collected() -> None:
    def build(g: Log) -> None:
        g.invoice("A", "v1", 100.0)
        g.pay("A", "v1", 100.0)
        g.campaign("A", 30.0)
        g.refund("A", "v1", 10.0)
        g.resolved("A", "k1", cost=5.0)

    m = metrics_of(build)
    assert (m.profit, m.cash, m.collected) == (55.0, 1055.0, 90.0)
    b = metrics_of(build, team="B")
    assert (b.profit, b.cash, b.collected) == (0.0, 1000.0, 0.0)


def test_counts_of_inquiries_invoices_and_complaints() -> None:
    def build(g: Log) -> None:
        g.inquiry("A", "i1", "c1")
        g.inquiry("A", "i2", "c2")
        g.inquiry("A", "i3", "c1")
        g.invoice("A", "v1", 10.0)
        g.invoice("A", "v2", 10.0)
        g.due("A", "v1")
        g.complaint("A", "k1")
        g.complaint("A", "k2")
        g.complaint("A", "k3")
        g.resolved("A", "k1", within_sla=True)
        g.resolved("A", "k2", within_sla=False)

    m = metrics_of(build)
    assert (m.inquiries, m.customers, m.invoices_due) == (3, 2, 1)
    assert (m.complaints_opened, m.complaints_resolved, m.complaints_resolved_within_sla) == (3, 2, 1)


def test_mean_reply_hours_counts_the_first_quote_of_each_quoted_inquiry() -> None:
    def build(g: Log) -> None:
        g.inquiry("A", "i1", t=0.0)
        g.inquiry("A", "i2", t=1.0)
        g.inquiry("A", "i3", t=1.0)  # never quoted
        g.quote("A", "i1", t=2.0)
        g.quote("A", "i2", t=4.0)
        g.quote("A", "i1", t=5.0, revision=2)  # a revision does not count
        g.expired("A", "i3", t=9.0)
        g.quote("A", "i3", t=10.0)  # quoting a closed inquiry does not count

    assert metrics_of(build).mean_reply_hours == 2.5
    assert metrics_of(build).quoted == 2
    assert metrics_of(lambda g: g.inquiry("A", "i1")).mean_reply_hours is None
    assert metrics_of(lambda g: g.inquiry("A", "i1")).quoted == 0


def test_last_change_t_is_the_last_event_that_moved_a_headline_metric() -> None:
    def build(g: Log) -> None:
        g.inquiry("A", "i1", t=1.0)  # satisfaction appears
        g.won("A", "i1", t=2.0)  # conversion 100
        g.inquiry("A", "i2", t=3.0)  # same customer: nothing moves
        g.won("A", "i2", t=4.0)  # conversion stays 100
        g.note("A", t=5.0)
        g.campaign("A", 10.0, t=6.0)

    assert metrics_of(build).last_change_t == 2.0
    assert metrics_of(build, team="B").last_change_t is None

    def build_and_lose(g: Log) -> None:
        build(g)
        g.lost("A", "i9", t=7.0)

    assert metrics_of(build_and_lose).last_change_t == 7.0


def test_a_cancelled_order_turns_a_win_into_a_loss() -> None:
    g = Log()
    g.join("A")
    g.inquiry("A", "i1", "c1", t=1.0)
    g.inquiry("A", "i2", "c1", t=1.0)
    g.won("A", "i1", "c1", t=2.0)
    g.won("A", "i2", "c1", t=2.0)
    g.voided("A", "i1", "c1", t=50.0)
    board = score_events(g.events, ScoringConfig(round_hours=40.0))
    m = board.metrics()["A"]
    assert (m.won, m.lost, m.closed, m.conversion) == (1, 1, 2, 50.0)
    closings = board.explain("A", "conversion").items
    assert [(c.inquiry_id, c.outcome, c.reason) for c in closings] == [  # type: ignore[union-attr]
        ("i1", "lost", "cancelled"),
        ("i2", "won", ""),
    ]


def test_profit_counts_what_customers_still_owe_but_not_written_off_debt() -> None:
    g = Log()
    g.join("A", cash=1000.0)
    g.invoice("A", "v1", 300.0, t=1.0)
    g.invoice("A", "v2", 200.0, t=1.0)
    g.pay("A", "v1", 100.0, t=2.0)
    m = score_events(g.events).metrics()["A"]
    assert m.profit == 100.0 + 200.0 + 200.0  # cash gained + owed on v1 + owed on v2
    g.due("A", "v2", t=3.0)
    g.write_off("A", "v2", t=4.0)
    assert score_events(g.events).metrics()["A"].profit == 100.0 + 200.0
