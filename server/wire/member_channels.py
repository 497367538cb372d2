"""The team channels each member has open, so that removing a member closes them at once.

A websocket is authorised when it opens; a member the instructor removes must not go on
reading the team's news on a connection opened before. Each team-channel connection lists a
closer under its member while it is open; ``close`` calls them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

Closer = Callable[[], None]


class MemberChannels:
    def __init__(self) -> None:
        self._open: dict[int, set[Closer]] = {}

    @contextmanager
    def listed(self, member_id: int | None) -> Iterator[Callable[[Closer], None]]:
        """``add(closer)`` lists a connection's closer under ``member_id`` until the block ends."""
        mine: list[Closer] = []

        def add(closer: Closer) -> None:
            if member_id is not None:
                mine.append(closer)
                self._open.setdefault(member_id, set()).add(closer)

        try:
            yield add
        finally:
            listed = self._open.get(member_id, set()) if member_id is not None else set()
            listed.difference_update(mine)
            if member_id is not None and not listed:
                self._open.pop(member_id, None)

    def close(self, member_ids: set[int]) -> int:
        """Close every channel of these members; how many there were."""
        closers = [closer for member in member_ids for closer in self._open.pop(member, set())]
        for closer in closers:
            closer()
        return len(closers)
