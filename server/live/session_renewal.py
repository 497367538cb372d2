"""Reading who is behind session tokens, and renewing cached sessions before a request waits for it.

The session cache (server.security.session_cache) trusts an entry for ``TRUST_SECONDS``, then
reads it again. The members of a class join within a second or two, so their entries fell due
within a second or two, and then each member's next request read its session while it waited:
a wave of reads every 30 s, three checkouts and some eight round trips each on PostgreSQL, with
the commands queued behind them for connections and worker threads. At 400 commands a second
that wave held answers for 1.5–2 s (docs/performance.md, "The PostgreSQL tail").

Now an entry used after two thirds of its trust is read again here, in the background, while
the request goes on with the copy; the entries asked for while a read is on its way go together
in the next one (``read_sessions``: one statement for up to 500). A renewal that fails (the
database away) leaves the entry as it is: once past its trust, the member's next request reads
it itself and gets the database's refusal.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping, Sequence

from server.errors import ServerError
from server.persistence.db.tables import MemberRow, SessionRow, TeamRow
from server.persistence.store.sessions import SessionStore
from server.security.auth import Identity
from server.security.session_cache import Known, SessionCache

log = logging.getLogger("salesfloor.live")

Found = tuple[SessionRow, Identity] | None
"""A session as read, with who it stands for; None if it is gone (or its member, or their team)."""


def identity_of(row: SessionRow, member: MemberRow | None, team: TeamRow | None) -> Found:
    """Who a session row stands for, given its member and that member's team as read with it."""
    if row.role != "member" or row.member_id is None:
        return row, Identity(row.role, row.competition_id, member=row.name)
    if member is None or team is None:
        return None
    who = Identity("member", team.competition_id, member.id, team.id, team.name, member.name, member.role)
    return row, who


def read_sessions(store: SessionStore, token_hashes: Sequence[str]) -> dict[str, Found]:
    """Who is behind each of these token hashes, from the database in one read (blocking)."""
    found: dict[str, Found] = dict.fromkeys(token_hashes)
    for row, member, team in store.sessions_with_members(token_hashes):
        found[row.token_hash] = identity_of(row, member, team)
    return found


class SessionRenewal:
    """Reads cached sessions again in the background, those asked for meanwhile together."""

    def __init__(self, cache: SessionCache, read: Callable[[list[str]], Mapping[str, Found]]) -> None:
        self.cache = cache
        self.read = read  # blocking: runs in a worker thread
        self._asked: dict[str, Known] = {}
        self._task: asyncio.Task[None] | None = None

    def ask(self, token_hash: str, known: Known) -> None:
        """Read the entry again in the background if it is old enough and no read of it is on its way."""
        if not self.cache.claim_renewal(known):
            return
        self._asked[token_hash] = known
        if self._task is None or self._task.done():
            self._task = asyncio.create_task(self._renew())

    @property
    def busy(self) -> bool:
        """Whether a read is asked for or on its way."""
        return bool(self._asked) or (self._task is not None and not self._task.done())

    async def _renew(self) -> None:
        while self._asked:
            asked, self._asked = self._asked, {}
            try:
                found = await asyncio.to_thread(self.read, list(asked))
            except Exception as exc:  # left as they are: past their trust, a request reads them itself
                if not isinstance(exc, ServerError):  # an outage has its own line
                    log.warning("%d sessions not read again: %s", len(asked), exc)
                continue
            for token_hash, was in asked.items():
                self.cache.renewed(token_hash, was, found.get(token_hash))

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
