"""The export tables: standings, rounds, scoring settings and the long-format event log."""

from __future__ import annotations

import dataclasses
import io
import json

import pytest
from openpyxl import load_workbook

from market.events import (
    EVENT_TYPES,
    AnnouncementMade,
    InquiryReceived,
    OrderDelivered,
    PaymentReceived,
    RoundEnded,
    TeamJoined,
    event_to_dict,
)
from scoring import RoundMetrics, RoundTeamMetrics, ScoringConfig, Weights
from server.exports import (
    EVENT_COLUMNS,
    EVENT_FIXED_COLUMNS,
    STANDINGS_COLUMNS,
    events_table,
    field_column,
    rounds_table,
    scoring_table,
    standings_table,
    to_csv,
    to_xlsx,
)
from server.exports.tables import _cell


def test_event_columns_are_fixed_then_every_field_sorted() -> None:
    assert EVENT_COLUMNS[: len(EVENT_FIXED_COLUMNS)] == (
        "seq",
        "t",
        "day",
        "round",
        "kind",
        "team",
        "customer_id",
        "cash_delta",
    )
    rest = EVENT_COLUMNS[len(EVENT_FIXED_COLUMNS) :]
    assert list(rest) == sorted(rest)
    every_field = {field_column(f.name) for cls in EVENT_TYPES.values() for f in dataclasses.fields(cls)}
    assert every_field <= set(EVENT_COLUMNS)
    assert set(EVENT_COLUMNS) - every_field == {"day", "round", "kind", "cash_delta"}
    assert "event_round" in rest


def test_events_table_one_row_per_event_with_computed_columns() -> None:
    events = [
        TeamJoined(seq=0, t=0.0, team="A", starting_cash=1000.0),
        InquiryReceived(
            seq=1,
            t=7.5,
            team="A",
            inquiry_id="q1",
            request_id="r1",
            customer_id="c1",
            segment="smb",
            quantity=3,
            list_price=100.0,
            list_discount=0.0,
            requested_terms=30.0,
            wanted_delivery=5.0,
            expires_t=20.0,
            repeat=False,
        ),
        OrderDelivered(
            seq=2, t=8.0, team="A", order_id="o1", customer_id="c1", late_days=0.0, defect=True, cogs=76.0
        ),
        RoundEnded(seq=3, t=40.0, round=1),
        PaymentReceived(seq=4, t=41.0, team="A", invoice_id="i1", customer_id="c1", amount=0.1, via="bank"),
    ]
    table = events_table(events, round_hours=40.0, hours_per_day=8.0)
    assert table.name == "events"
    rows = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    assert [r["kind"] for r in rows] == [e.kind for e in events]
    assert [r["day"] for r in rows] == [1, 1, 2, 6, 6]
    assert [r["round"] for r in rows] == [1, 1, 1, 2, 2]  # round_ended of round 1 lies in window 2
    assert rows[3]["event_round"] == 1 and rows[3]["team"] is None
    assert [r["cash_delta"] for r in rows] == [1000.0, 0.0, -76.0, 0.0, 0.1]
    assert rows[2]["defect"] is True and rows[2]["cogs"] == 76.0
    assert rows[1]["quantity"] == 3 and rows[1]["customer_id"] == "c1" and rows[1]["amount"] is None
    for event, row in zip(events, rows, strict=True):
        for name, value in event_to_dict(event).items():
            assert row[name if name == "kind" else field_column(name)] == value


def test_events_table_rejects_bad_time_units() -> None:
    with pytest.raises(ValueError, match="round_hours"):
        events_table([], round_hours=0.0, hours_per_day=8.0)
    with pytest.raises(ValueError, match="hours_per_day"):
        events_table([], round_hours=40.0, hours_per_day=float("nan"))


def test_nested_values_are_json_text() -> None:
    assert json.loads(str(_cell(("a", 1, 2.5)))) == ["a", 1, 2.5]
    assert json.loads(str(_cell({"k": ["中文"]}))) == {"k": ["中文"]}
    assert _cell("x") == "x" and _cell(None) is None and _cell(1.5) == 1.5


def test_user_text_in_the_event_log_is_guarded_in_both_forms() -> None:
    events = [
        TeamJoined(seq=0, t=0.0, team="=HYPERLINK(1)", starting_cash=1.0),
        AnnouncementMade(seq=1, t=1.0, text="-do this"),
    ]
    table = events_table(events, 40.0, 8.0)
    text = to_csv(table).decode("utf-8-sig")
    assert "'=HYPERLINK(1)" in text and "'-do this" in text
    sheet = load_workbook(io.BytesIO(to_xlsx([table])))["events"]
    team = sheet.cell(row=2, column=EVENT_COLUMNS.index("team") + 1)
    assert (team.value, team.data_type) == ("=HYPERLINK(1)", "s")


def test_standings_table_always_has_a_rubric_column() -> None:
    rows = [
        {"rank": 1, "team": "A", "composite": 70.0, "conversion": 50.0, "profit": 3.0, "collected": 9.0},
        {"rank": 2, "team": "B", "composite": 60.0, "rubric": 80.0, "dso_days": None},
    ]
    table = standings_table(rows)
    assert table.columns == STANDINGS_COLUMNS
    assert "rubric" in table.columns
    by_name = [dict(zip(table.columns, row, strict=True)) for row in table.rows]
    assert by_name[0]["rubric"] is None and by_name[1]["rubric"] == 80.0
    assert by_name[0]["satisfaction"] is None and by_name[0]["collected"] == 9.0


def test_rounds_table_is_long_format() -> None:
    row = RoundTeamMetrics("A", 1, 55.0, 50.0, 1, 2, None, 0.0, 0.0, 61.0)
    other = dataclasses.replace(row, team="B", rank=2)
    table = rounds_table([RoundMetrics(1, 40.0, (row, other)), RoundMetrics(2, 80.0, (other, row))])
    assert table.name == "rounds"
    assert [(r[0], r[1], r[2], r[3]) for r in table.rows] == [
        (1, 40.0, 1, "A"),
        (1, 40.0, 2, "B"),
        (2, 80.0, 2, "B"),
        (2, 80.0, 1, "A"),
    ]
    assert table.rows[0][4:] == (55.0, 50.0, 1, 2, None, 0.0, 0.0, 61.0)


def test_scoring_table_holds_every_setting() -> None:
    config = ScoringConfig(
        hours_per_day=8 * 5 / 7,
        weights=Weights(rubric=5.0),
        normalisation="rank",
        rules=2,
        satisfaction_smoothing=0.25,
        loss_horizon_days=20.0,
    )
    settings = {row[0]: row[1] for row in scoring_table(config).rows}
    assert settings == {
        "rules": 2,
        "hours_per_day": 8 * 5 / 7,
        "round_hours": 40.0,
        "week_hours": 40.0,
        "initial_satisfaction": 0.6,
        "satisfaction_smoothing": 0.25,
        "loss_horizon_days": 20.0,
        "weight_conversion": 30.0,
        "weight_satisfaction": 30.0,
        "weight_receivables": 25.0,
        "weight_profit": 15.0,
        "weight_rubric": 5.0,
        "normalisation": "rank",
    }
