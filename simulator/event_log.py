"""The append-only event log of a competition, its digest and its CSV form.

Events are appended once, in order, and never changed. The digest is a SHA-256 over the
canonical JSON of every event, one per line: two runs with the same seed, parameters and
timed commands have the same digest, byte for byte.
"""

from __future__ import annotations

import csv
import hashlib
import json
from collections.abc import Iterator
from typing import IO

from market.events import Event, event_to_dict, event_to_json

CSV_COLUMNS = ("seq", "t", "kind", "team", "data")


class EventLog:
    """An ordered, append-only list of events."""

    def __init__(self) -> None:
        self._events: list[Event] = []

    def append(self, event: Event) -> None:
        if event.seq != len(self._events):
            raise ValueError(f"event seq {event.seq} does not follow {len(self._events) - 1}")
        self._events.append(event)

    def __len__(self) -> int:
        return len(self._events)

    def __iter__(self) -> Iterator[Event]:
        return iter(self._events)

    def __getitem__(self, index: int) -> Event:
        return self._events[index]

    def since(self, seq: int) -> list[Event]:
        """Events with a sequence number of at least ``seq``."""
        return self._events[seq:]

    def digest(self) -> str:
        """SHA-256 of the canonical JSON lines of every event."""
        h = hashlib.sha256()
        for event in self._events:
            h.update(event_to_json(event).encode())
            h.update(b"\n")
        return h.hexdigest()

    def write_csv(self, out: IO[str]) -> None:
        """One row per event: seq, t, kind, team, and the other fields as JSON."""
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(CSV_COLUMNS)
        for event in self._events:
            data = event_to_dict(event)
            for key in ("kind", "seq", "t", "team"):
                data.pop(key, None)
            writer.writerow(
                [
                    event.seq,
                    repr(event.t),
                    event.kind,
                    getattr(event, "team", ""),
                    json.dumps(data, sort_keys=True, separators=(",", ":")),
                ]
            )
