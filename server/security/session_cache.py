"""Who is behind a session token, kept in memory: a request needs no database read to know who asks.

Finding out who asks read the session, the member and the team on every request, and under load
that was most of the database work (docs/performance.md, "competition load"). The cache keeps,
per token hash, a copy of the session row (its role, competition and last use, which the expiry
rules read) and the identity it stands for. It is told of every change this server makes:

- a logout and the removal of a member forget their sessions at once;
- a use that moves the last use on (``SessionLife.stale``) updates the copy with the row;
- an entry is trusted for ``TRUST_SECONDS`` at most, then read again: a session changed by
  another worker (with ``BROADCAST_URL`` every REST request goes to the owner of the
  competitions, but a websocket is resolved by the worker it connects to) or by another
  program is seen within that time.

The expiry itself (idle, a grace period after the competition) is checked on every request
against the copy, exactly as against the row.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass

from server.persistence.db.tables import SessionRow
from server.security.auth import Identity

TRUST_SECONDS = 30.0
"""How long a cached session is used before it is read from the database again."""

CAPACITY = 50_000
"""Sessions kept at most (the least recently used go first): a lecture hall is a few hundred."""


@dataclass(slots=True)
class Known:
    """A session as last read: a detached copy of its row, the identity, when it was read (monotonic)."""

    row: SessionRow
    identity: Identity
    read_at: float


class SessionCache:
    def __init__(self, trust_seconds: float = TRUST_SECONDS, capacity: int = CAPACITY) -> None:
        self.trust_seconds = trust_seconds
        self.capacity = capacity
        self._known: OrderedDict[str, Known] = OrderedDict()
        self._by_member: dict[int, set[str]] = {}

    def get(self, token_hash: str) -> Known | None:
        """The session if it was read less than ``trust_seconds`` ago, else None (read it again)."""
        known = self._known.get(token_hash)
        if known is None:
            return None
        if time.monotonic() - known.read_at >= self.trust_seconds:
            self.forget(token_hash)
            return None
        self._known.move_to_end(token_hash)
        return known

    def put(self, row: SessionRow, identity: Identity) -> None:
        self.forget(row.token_hash)
        self._known[row.token_hash] = Known(row, identity, time.monotonic())
        if row.member_id is not None:
            self._by_member.setdefault(row.member_id, set()).add(row.token_hash)
        while len(self._known) > self.capacity:
            self.forget(next(iter(self._known)))

    def touched(self, token_hash: str, at: float) -> None:
        """The session's last use was stored as ``at``."""
        known = self._known.get(token_hash)
        if known is not None:
            known.row.last_seen_at = at

    def forget(self, token_hash: str) -> None:
        known = self._known.pop(token_hash, None)
        if known is not None and known.row.member_id is not None:
            hashes = self._by_member.get(known.row.member_id)
            if hashes is not None:
                hashes.discard(token_hash)
                if not hashes:
                    del self._by_member[known.row.member_id]

    def forget_members(self, member_ids: Iterable[int]) -> None:
        """Every session of these members (they were removed)."""
        for member_id in member_ids:
            for token_hash in list(self._by_member.get(member_id, ())):
                self.forget(token_hash)

    def clear(self) -> None:
        self._known.clear()
        self._by_member.clear()

    def __len__(self) -> int:
        return len(self._known)
