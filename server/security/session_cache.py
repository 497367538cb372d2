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
  program is seen within that time;
- an entry used after ``RENEW_AFTER`` of that time is read again in the background
  (``claim_renewal``, then ``renewed``: server.live.session_renewal) while the request goes on
  with the copy, so that a member who keeps sending never waits for that read. A renewal never
  brings back an entry forgotten (a logout, a removal) or replaced while it was on its way.

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

RENEW_AFTER = 2 / 3
"""Share of ``TRUST_SECONDS`` after which an entry in use is read again in the background."""

CAPACITY = 50_000
"""Sessions kept at most (the least recently used go first): a lecture hall is a few hundred."""


@dataclass(slots=True)
class Known:
    """A session as last read: a detached copy of its row, the identity, when it was read (monotonic)."""

    row: SessionRow
    identity: Identity
    read_at: float
    renewing: bool = False  # a read of it is on its way (``claim_renewal``)


class SessionCache:
    def __init__(self, trust_seconds: float = TRUST_SECONDS, capacity: int = CAPACITY) -> None:
        self.trust_seconds = trust_seconds
        self.renew_seconds = trust_seconds * RENEW_AFTER
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

    def claim_renewal(self, known: Known) -> bool:
        """Whether this entry is to be read again in the background now: it has been trusted for
        ``renew_seconds`` and no read of it is on its way (from now on, one is)."""
        if known.renewing or time.monotonic() - known.read_at < self.renew_seconds:
            return False
        known.renewing = True
        return True

    def renewed(self, token_hash: str, was: Known, found: tuple[SessionRow, Identity] | None) -> None:
        """A background read of the entry ``was`` came back with ``found`` (None: the session, its
        member or its team is gone). The entry becomes what was read, keeping the later of the two
        last uses (one may have been stored meanwhile), or is forgotten; unless it was forgotten or
        replaced while the read was on its way: a logout or a removal is never undone by it."""
        if self._known.get(token_hash) is not was:
            return
        if found is None:
            self.forget(token_hash)
            return
        row, identity = found
        if was.row.last_seen_at is not None and (row.last_seen_at or 0.0) < was.row.last_seen_at:
            row.last_seen_at = was.row.last_seen_at
        self.put(row, identity)

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
