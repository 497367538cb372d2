"""Idempotency keys of the instructor's and judges' commands: a key applied once per actor, its
first reply given to every retry.

The desk's keys live on the command log (server.live.idempotency); the instructor's and the
judges' commands — creating a competition, running its rounds, the board, the rubric, the teams
— are answered by routes of their own, so their keys are kept a level up, around the whole
request (server.api.http.keyed_commands), in the ``keyed_replies`` table:

1. the key is claimed for its actor (the instructor account, or one judge's session) with what
   it is used for: the request line and a digest of method, path, query and body;
2. the command is applied, and its reply kept: any answer the route gave but a 429 or a 5xx, so
   a refusal (404, 409, 422 …) is told again as the desk tells its refusals again;
3. a 429 or a 5xx answer applied nothing (a refused request changes nothing): the claim is
   dropped and the key may be sent again. A request cut off or failed (a bug) while applied
   leaves its claim without a reply.

A retry (same actor, key and digest) gets the kept reply — same status and body — without
applying anything; the same key with another request is a 409 that says so. A claim without a
reply is either being applied right now (by another worker: in this one the retry waits in
``held`` and finds the reply) or was cut off while its command was applied (the server stopped
or failed). The row cannot tell which, but its age can bound it: a claim younger than
``STILL_APPLYING_SECONDS`` may still be applied, and its retry is told both and to send the
same key again in a moment; an older one was cut off, and its retry is told to look at the
current state and send a new key, since the command may have been applied. Requests with
the same key wait for each other in this process (``held``); the table's key (actor, key) makes
a claim made by another worker first win. Everything is read from the database, so a key is
honoured across a restart and by whichever worker serves the competition next. A key no retry
can come for is forgotten at a worker's start (server.app, with the sessions long expired): one
claimed before them, or a judge's whose session is gone (ended by a logout, or forgotten).
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass

from server.errors import ServerError
from server.live.idempotency import HEADER
from server.persistence.store.keyed_replies import KeyedReplyStore
from server.wall_clock import wall_now

log = logging.getLogger("salesfloor.live")

STILL_APPLYING_SECONDS = 60.0
"""A claim without a reply younger than this may still be applied by another worker; an older
one is taken to be cut off (a command is applied in well under it, and a forward waits 30 s for
each part of the owner's answer, server.workers.forwarding)."""

INSTRUCTOR = "instructor"
"""The instructor's actor: one account, whatever session it sends from."""


JUDGE = "judge:"
"""The start of a judge's actor; the rest is the hash of the session's token (``judge_actor``)."""


def judge_actor(token_hash: str) -> str:
    """A judge's actor: its session (judges have no account; a name is optional and may repeat)."""
    return JUDGE + token_hash


def request_digest(method: str, path: str, query: bytes, body_sha256: str) -> str:
    """What a retry must repeat: the method, the path, the query and the body (by its SHA-256)."""
    digest = hashlib.sha256()
    for part in (method.upper().encode(), path.encode(), query, body_sha256.encode()):
        digest.update(len(part).to_bytes(8, "big"))
        digest.update(part)
    return digest.hexdigest()


def kept(status: int) -> bool:
    """Whether a reply is kept for the key's retries: not a 429 nor a 5xx, which applied nothing."""
    return status < 500 and status != 429


def unanswered(key: str, age: float) -> str:
    """Why a request whose key was claimed ``age`` seconds ago, and has no reply, is not applied."""
    if age < STILL_APPLYING_SECONDS:
        return (
            f"{HEADER} {key!r}: this request was taken {max(age, 0.0):.0f} s ago and has no reply "
            "yet: it is still being applied (by another worker of the server), or the server "
            "stopped or failed while applying it. Send it again with the same key in a few "
            "seconds to get its reply; if this answer comes again after a minute, it may have "
            "been applied: look at the current state before sending it again with a new key"
        )
    return (
        f"{HEADER} {key!r}: this request was taken {age / 60:.0f} min ago but no reply was kept "
        "for it (the server stopped or failed while applying it), so it may have been applied; "
        "look at the current state before sending it again with a new key"
    )


@dataclass(frozen=True, slots=True)
class Reply:
    """A reply as the route gave it: the status, the content type and the body."""

    status: int
    content_type: str | None
    body: bytes


class KeyedReplies:
    """The claimed keys of the instructor and the judges: claim, keep the reply, or drop the claim."""

    def __init__(self, store: KeyedReplyStore) -> None:
        self.store = store
        self._held: dict[tuple[str, str], tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def held(self, actor: str, key: str) -> AsyncIterator[None]:
        """While the actor's key is checked, applied and its reply kept: a second request with the
        same key waits here, then finds the reply."""
        name = (actor, key)
        lock, users = self._held.get(name, (asyncio.Lock(), 0))
        self._held[name] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._held[name]
            if users == 1:
                del self._held[name]
            else:
                self._held[name] = (lock, users - 1)

    async def claim(self, actor: str, key: str, request: str, digest: str) -> Reply | None:
        """None: the key is new and now claimed (apply the request, then ``keep`` or ``drop``). A
        reply: the key's first, to answer with. A 409 for a key used for another request, or whose
        request was cut off; a 503 when the database does not answer (nothing was done)."""
        now = wall_now()
        try:
            earlier = await asyncio.to_thread(self.store.claim_key, actor, key, request, digest, now)
        except Exception as exc:
            log.error("an %s of %s not claimed: %s", HEADER, request, exc)
            raise ServerError(
                "unavailable",
                f"the database did not store the {HEADER}; nothing was changed — try again",
                headers={"Retry-After": "2"},
            ) from None
        if earlier is None:
            return None
        if earlier.digest != digest:
            raise ServerError(
                "conflict",
                f"{HEADER} {key!r} was used for another request ({earlier.request}); "
                "send a new key with a new request",
                field=HEADER,
            )
        if earlier.status is None or earlier.body is None:
            raise ServerError("conflict", unanswered(key, now - earlier.created_at), field=HEADER)
        return Reply(earlier.status, earlier.content_type, earlier.body)

    async def keep(self, actor: str, key: str, reply: Reply) -> None:
        """Keep the reply of a claimed key; if the database does not take it, a retry is told to look
        first (the claim stays without a reply)."""
        try:
            await asyncio.to_thread(
                self.store.keep_reply, actor, key, reply.status, reply.content_type, reply.body
            )
        except Exception as exc:
            log.error("the reply to %s %r not kept: %s", HEADER, key, exc)

    async def drop(self, actor: str, key: str) -> None:
        """Drop the claim of a request that applied nothing, so the key may be sent again."""
        try:
            await asyncio.to_thread(self.store.drop_claim, actor, key)
        except Exception as exc:  # the claim stays: a retry is told to look first, never applied twice
            log.error("the claim of %s %r not dropped: %s", HEADER, key, exc)
