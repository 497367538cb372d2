"""Export tables: the standings, the per-round results, the scoring settings and the event log.

Each builder returns a :class:`~server.exports.tabular.Table` ready for ``to_csv`` or
``to_xlsx``. Together, ``events_table`` and ``scoring_table`` hold everything needed to
recompute the standings with nothing but docs/scoring.md (tests/exports checks this on a
played season).

The event log is in long format, one event per row, in log order, with the columns of
``EVENT_COLUMNS``:

- ``seq``, ``t`` (simulated business hours since the start), ``day`` (1-based business day,
  ⌊t ÷ hours_per_day⌋ + 1), ``round`` (1-based round window, ⌊t ÷ round_hours⌋ + 1, as scoring
  counts it: a ``round_ended`` of round r at t = r·round_hours lies in window r + 1), ``kind``,
  ``team`` and ``customer_id`` (empty for events without them) and ``cash_delta`` (how the
  event moves its team's cash; 0.0 for events of no team);
- then every other field of every event kind, one column per field name, sorted by name, empty
  where the event has no such field. A field named like one of the computed columns above
  (``round`` of ``round_started`` / ``round_ended``) is exported as ``event_<name>``
  (``event_round``). Nested values (tuples, lists, mappings) are JSON text.

A text field that is the empty string is an empty cell, like a field the event does not have;
the ``kind`` tells which fields an event has (``market.events``).
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import fields

from market.events import EVENT_TYPES, Event, event_to_dict
from scoring import METRICS, ROW_FIELDS, RoundMetrics, ScoringConfig
from server.exports.tabular import Table

STANDINGS_COLUMNS: tuple[str, ...] = ROW_FIELDS
"""Columns of the standings table; ``rubric`` is empty for a team without judges' points."""

ROUNDS_COLUMNS: tuple[str, ...] = (
    "round",
    "t_end",
    "rank",
    "team",
    "composite",
    "conversion",
    "won",
    "closed",
    "receivables",
    "due_total",
    "collected_due",
    "satisfaction",
)
"""Columns of the per-round table: one row per (round, team), teams by rank within a round."""

SCORING_COLUMNS: tuple[str, ...] = ("setting", "value")
"""Columns of the scoring settings table."""

EVENT_FIXED_COLUMNS: tuple[str, ...] = (
    "seq",
    "t",
    "day",
    "round",
    "kind",
    "team",
    "customer_id",
    "cash_delta",
)
"""The first columns of the event log; ``day``, ``round``, ``kind`` and ``cash_delta`` are computed."""

_COMPUTED = frozenset({"day", "round", "kind", "cash_delta"})


def field_column(name: str) -> str:
    """The event-log column of an event field: its name, or ``event_<name>`` if that is computed."""
    return f"event_{name}" if name in _COMPUTED else name


def _event_columns(kinds: Iterable[type[Event]]) -> tuple[str, ...]:
    names = {field_column(f.name) for cls in kinds for f in fields(cls)}
    return EVENT_FIXED_COLUMNS + tuple(sorted(names - set(EVENT_FIXED_COLUMNS)))


EVENT_COLUMNS: tuple[str, ...] = _event_columns(EVENT_TYPES.values())
"""Every column of the event log: the fixed ones, then all other field names, sorted."""

_EVENT_INDEX = {name: index for index, name in enumerate(EVENT_COLUMNS)}
_CASH_DELTA = _EVENT_INDEX["cash_delta"]
_DAY = _EVENT_INDEX["day"]
_ROUND = _EVENT_INDEX["round"]
_KIND = _EVENT_INDEX["kind"]


def _cell(value: object) -> object:
    """A field value as a table cell: plain values as they are, nested ones as JSON text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, tuple | list | Mapping):
        return json.dumps(value, ensure_ascii=False, separators=(",", ":"), default=str)
    return str(value)


def _positive(name: str, value: float) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return float(value)


def standings_table(rows: Sequence[Mapping[str, object]]) -> Table:
    """The leaderboard from ``Standing.as_row()`` dicts, in the order given (by rank)."""
    return Table(
        name="standings",
        columns=STANDINGS_COLUMNS,
        rows=tuple(tuple(_cell(row.get(name)) for name in STANDINGS_COLUMNS) for row in rows),
    )


def rounds_table(rounds: Sequence[RoundMetrics]) -> Table:
    """Per-round results in long format: one row per (round, team)."""
    out: list[tuple[object, ...]] = []
    for snapshot in rounds:
        for row in snapshot.teams:
            out.append(
                (
                    snapshot.round,
                    snapshot.t,
                    row.rank,
                    row.team,
                    row.composite,
                    row.conversion,
                    row.won,
                    row.closed,
                    row.receivables,
                    row.due_total,
                    row.collected_due,
                    row.satisfaction,
                )
            )
    return Table(name="rounds", columns=ROUNDS_COLUMNS, rows=tuple(out))


def scoring_table(config: ScoringConfig, standings_t: float | None = None) -> Table:
    """The scoring settings a competition was scored with (needed to recompute its standings).

    Rows: ``rules`` (the rules version), ``hours_per_day``, ``round_hours``, ``week_hours``
    (a business week in simulated hours: rules v5's profit period), ``initial_satisfaction``,
    ``satisfaction_smoothing``, ``loss_horizon_days``, ``weight_<metric>`` for every metric
    (conversion, satisfaction, receivables, profit, rubric) and ``normalisation``; with
    ``standings_t``, the simulated time the standings were taken at (rules v2's expected loss
    and profit score depend on it).
    """
    rows: list[tuple[object, ...]] = [
        ("rules", int(config.rules)),
        ("hours_per_day", float(config.hours_per_day)),
        ("round_hours", float(config.round_hours)),
        ("week_hours", float(config.week_hours)),
        ("initial_satisfaction", float(config.initial_satisfaction)),
        ("satisfaction_smoothing", float(config.satisfaction_smoothing)),
        ("loss_horizon_days", float(config.loss_horizon_days)),
    ]
    rows.extend((f"weight_{metric}", config.weights.of(metric)) for metric in METRICS)
    rows.append(("normalisation", config.normalisation))
    if standings_t is not None:  # rules v2 scores depend on the time (days past due, rounds or weeks played)
        rows.append(("standings_t", float(standings_t)))
    return Table(name="scoring", columns=SCORING_COLUMNS, rows=tuple(rows))


def events_table(events: Sequence[Event], round_hours: float, hours_per_day: float) -> Table:
    """The event log in long format, one event per row in the given order (see the module docstring)."""
    round_hours = _positive("round_hours", round_hours)
    hours_per_day = _positive("hours_per_day", hours_per_day)
    layouts: dict[type[Event], tuple[tuple[int, str], ...]] = {}
    width = len(EVENT_COLUMNS)
    out: list[tuple[object, ...]] = []
    for event in events:
        cls = type(event)
        layout = layouts.get(cls)
        if layout is None:
            layout = layouts[cls] = _layout(cls)
        cells: list[object] = [None] * width
        values = event_to_dict(event)
        for index, name in layout:
            cells[index] = _cell(values[name])
        cells[_DAY] = math.floor(event.t / hours_per_day) + 1
        cells[_ROUND] = math.floor(event.t / round_hours) + 1
        cells[_KIND] = event.kind
        cells[_CASH_DELTA] = float(event.cash_delta)
        out.append(tuple(cells))
    return Table(name="events", columns=EVENT_COLUMNS, rows=tuple(out))


def _layout(cls: type[Event]) -> tuple[tuple[int, str], ...]:
    """Column index and field name of every field of an event class."""
    layout: list[tuple[int, str]] = []
    for f in fields(cls):
        column = field_column(f.name)
        index = _EVENT_INDEX.get(column)
        if index is None:
            raise ValueError(f"event kind {cls.kind!r} has a field {f.name!r} the export does not know")
        layout.append((index, f.name))
    return tuple(layout)
