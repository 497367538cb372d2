"""Rows for tests that write to a ``Store`` directly: a competition to write under, commands of its log.

The fencing tests (``test_fencing.py``, ``test_write_paths.py``) write below the API, so they
make their own competition rows and command rows; these are those rows, the same everywhere.
"""

from __future__ import annotations

from server.persistence.db.tables import CommandRow, CompetitionRow
from server.persistence.store import Store


def add_competition(store: Store, name: str = "Fenced", rounds: int = 2) -> int:
    """A draft competition row named ``name`` (its judge code derived from it); its id."""
    row = store.add_competition(
        CompetitionRow(
            name=name,
            preset="classroom",
            parameters="{}",
            seed=1,
            rounds=rounds,
            seconds_per_hour=1.0,
            judge_code=f"J{name}",
            created_at=0.0,
        )
    )
    assert row.id is not None
    return row.id


def command_row(competition_id: int, seq: int) -> CommandRow:
    """A human command at ``seq`` of the competition's log; the first carries an idempotency key."""
    return CommandRow(
        competition_id=competition_id,
        seq=seq,
        t=0.0,
        source="human",
        member_id=None,
        payload="{}",
        created_at=0.0,
        idempotency_key="key" if seq == 0 else None,
    )
