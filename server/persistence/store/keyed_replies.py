"""Keyed replies: the instructor's and judges' commands sent with an Idempotency-Key, and their replies.

A key is claimed before its command is applied (one row per actor and key: a second claim,
by this worker or another, finds the first) and its reply kept once given; a claim whose
command was not applied (the server was busy, the database away) is dropped, so that the key
may be sent again. See server.live.keyed_replies.

Rows no retry can come for are forgotten at a worker's start (``drop_keyed_replies``, with the
sessions long expired): those made long ago, and a session's (a judge's) once it is gone.
"""

from __future__ import annotations

from sqlalchemy import String, delete, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import col

from server.persistence.db.tables import KeyedReplyRow, SessionRow
from server.persistence.store.base import StoreBase


class KeyedReplyStore(StoreBase):
    """The keys of the routes outside the desk, by actor and key."""

    def claim_key(self, actor: str, key: str, request: str, digest: str, at: float) -> KeyedReplyRow | None:
        """Claim ``key`` for ``actor``'s request (no reply yet) and return None; or the row of that
        actor and key stored before, left as it was."""
        for _ in range(3):  # a claim dropped between the insert and the read is claimed again
            try:
                with self.session() as s:
                    s.add(
                        KeyedReplyRow(
                            actor=actor, idempotency_key=key, request=request, digest=digest, created_at=at
                        )
                    )
                    s.commit()
                return None
            except IntegrityError:  # claimed before: a retry, or the same request at once elsewhere
                with self.session() as s:
                    found = s.get(KeyedReplyRow, (actor, key))
                if found is not None:
                    return found
        raise RuntimeError(f"the Idempotency-Key {key!r} is claimed and dropped again and again")

    def keep_reply(self, actor: str, key: str, status: int, content_type: str | None, body: bytes) -> None:
        """The reply a claimed key's command got, for its retries."""
        with self.session() as s:
            s.execute(
                update(KeyedReplyRow)
                .where(col(KeyedReplyRow.actor) == actor, col(KeyedReplyRow.idempotency_key) == key)
                .values(status=status, content_type=content_type, body=body)
            )
            s.commit()

    def drop_claim(self, actor: str, key: str) -> None:
        """Forget a claim whose command was not applied (no reply is kept: the key may come again)."""
        with self.session() as s:
            s.execute(
                delete(KeyedReplyRow).where(
                    col(KeyedReplyRow.actor) == actor,
                    col(KeyedReplyRow.idempotency_key) == key,
                    col(KeyedReplyRow.status).is_(None),
                )
            )
            s.commit()

    def drop_keyed_replies(self, made_before: float, session_prefix: str) -> int:
        """Forget the keys claimed before ``made_before``, and those of a session that is gone (the
        actor is ``session_prefix`` and the hash of the session's token, which no row of the
        sessions has any longer); how many."""
        sessions = select(literal(session_prefix, String) + col(SessionRow.token_hash))
        gone = col(KeyedReplyRow.actor).startswith(session_prefix, autoescape=True) & col(
            KeyedReplyRow.actor
        ).not_in(sessions)
        with self.session() as s:
            result = s.execute(
                delete(KeyedReplyRow).where(or_(col(KeyedReplyRow.created_at) < made_before, gone))
            )
            s.commit()
            return int(result.rowcount or 0)  # type: ignore[attr-defined]
