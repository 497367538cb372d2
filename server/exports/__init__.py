"""Exports: a competition's standings, rounds, scoring settings and event log as CSV or XLSX.

``tables`` builds :class:`Table` values from scoring results and the event log; ``tabular``
writes them as CSV (one table) or as an XLSX workbook (one sheet per table).
"""

from __future__ import annotations

from server.exports.tables import (
    EVENT_COLUMNS,
    EVENT_FIXED_COLUMNS,
    ROUNDS_COLUMNS,
    SCORING_COLUMNS,
    STANDINGS_COLUMNS,
    events_table,
    field_column,
    rounds_table,
    scoring_table,
    standings_table,
)
from server.exports.tabular import Table, csv_cell, guard, to_csv, to_xlsx, unguard

__all__ = [
    "EVENT_COLUMNS",
    "EVENT_FIXED_COLUMNS",
    "ROUNDS_COLUMNS",
    "SCORING_COLUMNS",
    "STANDINGS_COLUMNS",
    "Table",
    "csv_cell",
    "events_table",
    "field_column",
    "guard",
    "rounds_table",
    "scoring_table",
    "standings_table",
    "to_csv",
    "to_xlsx",
    "unguard",
]
