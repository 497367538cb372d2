"""Forwarding: a request about a competition goes to the worker that owns it; one about none, to the front.

Which competition a request is about comes from ``server.workers.routing``; who owns it, from
its lease (``server.workers.ownership``); the requests about no competition go to the front
worker (``server.workers.leadership``). While nobody owns it (a takeover under way) the
answer is a 503 with ``Retry-After``.

The owner counts failed logins by the client's address, so each forwarded request names it
in ``X-Salesfloor-Client``, signed with the workers' shared key (server/security/client_address.py);
whatever the client itself sent under that name is replaced. The instructor's list of
competitions is gathered from every worker (``gather_lists``), each asked for its own with a
signed ``X-Salesfloor-Own-Only``.

Forwards to each other worker go over kept-alive connections of its own
(``server.workers.peer_connections``), at most ``FORWARDS_IN_FLIGHT`` in flight at a time
(``server.workers.forward_gate``): a request beyond that bound is refused at once with a 503 and
``Retry-After`` and never sent, instead of waiting in a queue that grows while the owner is
behind (docs/performance.md, "Several competitions over workers"). A connection is opened
within ``CONNECT_SECONDS`` or the request is refused, nothing sent. The request's body is
streamed on as the client sends it; the answer is relayed as it arrives: a small one read
whole first (so that a failure is still a clean 503), a large one or one of unknown length
streamed through without being held.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import Request
from fastapi.responses import JSONResponse
from redis.exceptions import RedisError
from starlette.types import Send

from server.api.http.keyed_paths import honours_key
from server.live.idempotency import HEADER as IDEMPOTENCY_HEADER
from server.security.auth import COOKIE
from server.security.client_address import FORWARDED_BY_WORKER, WorkerSignature, address_of
from server.workers.forward_gate import ForwardGate
from server.workers.leadership import Leadership
from server.workers.ownership import Ownership
from server.workers.peer_connections import NoAnswer, PeerConnections, Unreachable
from server.workers.routing import CODE_PATHS, CompetitionFinder

log = logging.getLogger("salesfloor.forwarding")

HOP_BY_HOP = {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "content-encoding"}
"""Headers of the instructor's request not passed on when their lists are gathered (httpx frames its own)."""
FORWARD_HOP_BY_HOP = frozenset(
    {"host", "content-length", "transfer-encoding", "connection", "keep-alive", "expect", "te", "upgrade"}
)
"""Request headers not forwarded: the framing is set again for the hop; the body goes as it came."""
_NOT_FORWARDED = frozenset(name.encode() for name in (*FORWARD_HOP_BY_HOP, FORWARDED_BY_WORKER))
_SIGNED_CLIENT = FORWARDED_BY_WORKER.encode()
ANSWER_HOP_BY_HOP = frozenset({b"transfer-encoding", b"connection", b"keep-alive"})
"""Answer headers not passed on: the answer's bytes are relayed as they came, its length with them."""
_SET_BY_FRONT = frozenset({b"date", b"server"})
"""Answer headers the front's own HTTP server writes on every answer: relayed too, they came twice."""
_NOT_RELAYED = ANSWER_HOP_BY_HOP | _SET_BY_FRONT
CONNECT_SECONDS = 2.0
"""How long a forward may take to open a connection to the owner before its 503 (nothing sent)."""
ANSWER_SECONDS = 30.0
"""How long a forward waits for each part of the owner's answer (an export may take a while)."""
WHOLE_ANSWER_BYTES = 256 * 1024
"""An answer at most this long (by its Content-Length) is read whole before it is relayed."""
BUSY_RETRY_SECONDS = 1
RECOVERY_WAIT_SECONDS = 5.0
"""How long a request waits for a competition this worker is recovering before its 503."""
OWN_ONLY = "x-salesfloor-own-only"
"""A worker asks another for the competitions it runs (signed like ``X-Salesfloor-Client``)."""


@dataclass(frozen=True, slots=True)
class Destination:
    """Where a request goes: here, to ``address``, or nowhere yet (``address`` None: a 503)."""

    here: bool
    address: str | None = None
    competition_id: int | None = None
    redis_down: bool = False  # nowhere, because Redis (who owns what) did not answer


def _unavailable(detail: str, retry_after: int | None = 2) -> JSONResponse:
    """A 503; with ``Retry-After`` only when sending the same request again is safe."""
    return JSONResponse(
        {"detail": detail, "code": "unavailable"},
        status_code=503,
        headers={"Retry-After": str(retry_after)} if retry_after is not None else None,
    )


_REPLAYABLE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT"})
"""Methods whose second arrival changes nothing the first did not (every PUT of the API sets a value)."""


def resend_is_safe(method: str, path: str, has_key: bool) -> bool:
    """Whether a request that may or may not have been applied can be sent again as it is: one that
    changes nothing twice, or a command with its key where the owner applies a key once and answers
    every retry with the first reply (server.api.http.keyed_paths: the desk's, the instructor's and
    the judges' commands)."""
    return method.upper() in _REPLAYABLE_METHODS or (has_key and honours_key(method, path))


def _no_answer(request: Request) -> JSONResponse:
    """The owner got the request and did not answer. A client told to retry must not apply it
    twice, so only a request the owner recognises, or one that changes nothing twice, gets
    Retry-After; any other is left to the person, who looks first."""
    if resend_is_safe(request.method, request.url.path, IDEMPOTENCY_HEADER in request.headers):
        return _unavailable(_NO_ANSWER)
    return _unavailable(_NO_ANSWER_LOOK_FIRST, retry_after=None)


class Forwarder:
    def __init__(
        self,
        front: Leadership,
        ownership: Ownership,
        finder: CompetitionFinder,
        signature: WorkerSignature,
        in_flight: int = 64,
    ) -> None:
        self.front = front
        self.ownership = ownership
        self.finder = finder
        self.signature = signature
        self.address = front.address
        self.gate = ForwardGate(in_flight)
        self.peers: dict[str, PeerConnections] = {}
        self._lookups: dict[int, asyncio.Future[str | None]] = {}  # owner reads under way
        self.client = httpx.AsyncClient(timeout=httpx.Timeout(ANSWER_SECONDS, connect=CONNECT_SECONDS))
        """For the lists of competitions (a few requests an instructor's page)."""

    def _peer(self, peer: str) -> PeerConnections:
        """The kept-alive connections to ``peer``: as many as forwards may be in flight to it."""
        connections = self.peers.get(peer)
        if connections is None:
            connections = PeerConnections(peer, CONNECT_SECONDS, ANSWER_SECONDS)
            self.peers[peer] = connections
        return connections

    def wants(self, request: Request) -> bool:
        """Whether the request may have to go elsewhere (an API request; not health, not a gathering)."""
        path = request.url.path
        return path.startswith("/api/v1/") and path != "/api/v1/health" and not self.asks_own_only(request)

    def asks_own_only(self, request: Request) -> bool:
        value = request.headers.get(OWN_ONLY)
        return value is not None and self.signature.verify(value) is not None

    @staticmethod
    def reads_body(request: Request) -> bool:
        """The joins and the judges' login are routed by the code in their (small) body."""
        return request.url.path in CODE_PATHS

    async def destination(self, request: Request, body: bytes | None) -> Destination:
        """Where the request goes; nowhere (a 503) while Redis, which says who owns what, fails."""
        try:
            return await self._destination(request, body)
        except (RedisError, OSError) as exc:
            log.warning("cannot tell where %s goes: Redis did not answer (%s)", request.url.path, exc)
            return Destination(here=False, redis_down=True)

    async def _destination(self, request: Request, body: bytes | None) -> Destination:
        competition_id = await self.finder.competition_of(request.url.path, _token_of(request), body)
        if competition_id is not None:
            if self.ownership.runs(competition_id):
                return Destination(here=True, competition_id=competition_id)
            owner = await self._owner(competition_id)
            if owner == self.address:  # this worker is recovering it: a new one is ready at once
                if await self.ownership.until_running(competition_id, RECOVERY_WAIT_SECONDS):
                    return Destination(here=True, competition_id=competition_id)
                owner = None
            if owner is not None or await self.ownership.book.is_listed(competition_id):
                return Destination(here=False, address=owner, competition_id=competition_id)
            # no such competition: the front says so (a 404)
        if self.front.leading:
            return Destination(here=True)
        front = await self.front.leader()
        return Destination(here=False, address=None if front == self.address else front)

    async def _owner(self, competition_id: int) -> str | None:
        """Who holds the competition's lease; the requests asking at once share one read of Redis.

        Each request used to read it for itself: a worker behind with hundreds of requests had
        as many reads waiting for its event loop, each holding one of the Redis client's 100
        connections, until the client refused more ("Too many connections") — the renewal of
        the front's lease among them, which stopped the worker (docs/performance.md). A shared
        read is as fresh as one's own: it began after the request arrived or while it waited.
        """
        pending = self._lookups.get(competition_id)
        if pending is None:
            pending = asyncio.ensure_future(self.ownership.book.owner(competition_id))
            self._lookups[competition_id] = pending
            pending.add_done_callback(lambda done: self._looked_up(competition_id, done))
        return await asyncio.shield(pending)  # one request given up does not cancel the others' read

    def _looked_up(self, competition_id: int, done: asyncio.Future[str | None]) -> None:
        if self._lookups.get(competition_id) is done:
            del self._lookups[competition_id]
        if not done.cancelled():
            done.exception()  # retrieved here too: every request that shared it may have gone

    async def forward(self, request: Request, where: Destination, send: Send) -> None:
        """Answer the request from its owner (or the front), or with a 503 that says why not."""
        refusal = self._refusal(where)
        if refusal is None and where.address is not None:
            peer = where.address
            if not self.gate.enter(peer):
                refusal = _unavailable(
                    f"the worker that serves this request is busy ({self.gate.limit} requests are "
                    "waiting for it already); nothing was done — try again in a moment",
                    BUSY_RETRY_SECONDS,
                )
            else:
                try:
                    refusal = await self._relay(request, peer, send)
                finally:
                    self.gate.leave(peer)
        if refusal is not None:
            await refusal(request.scope, request.receive, send)

    @staticmethod
    def _refusal(where: Destination) -> JSONResponse | None:
        if where.redis_down:
            return _unavailable(
                "the workers cannot reach their shared store (Redis) to find who serves this "
                "request; nothing was done — try again in a few seconds"
            )
        if where.address is None:
            if where.competition_id is None:
                return _unavailable("no worker takes these requests right now; try again in a few seconds")
            return _unavailable(
                f"no worker runs competition {where.competition_id} right now (it is being taken "
                "over); try again in a few seconds"
            )
        return None

    async def _relay(self, request: Request, peer: str, send: Send) -> JSONResponse | None:
        """Send the request to ``peer`` and its answer to the client; a 503 to send instead when
        the peer could not be reached (nothing sent) or did not answer (it may have acted)."""
        scope = request.scope
        # the client's own X-Salesfloor-Client, if it sent one, is replaced by the signed one
        headers = [(k, v) for k, v in scope["headers"] if k not in _NOT_FORWARDED]
        headers.append((_SIGNED_CLIENT, self.signature.sign(address_of(request)).encode()))
        length = request.headers.get("content-length")
        declared = int(length) if length is not None and length.isdigit() else None
        chunked = "transfer-encoding" in request.headers
        target = scope.get("raw_path") or scope["path"].encode()
        if scope.get("query_string"):
            target += b"?" + scope["query_string"]
        try:
            answer = await self._peer(peer).exchange(
                scope["method"].encode(),
                target,
                headers,
                request.stream() if chunked or declared else None,  # streamed: no upload held here
                None if chunked else declared,  # an empty body keeps its Content-Length: 0
            )
        except Unreachable as exc:
            log.warning("cannot reach %s to forward %s: %s", peer, request.url.path, exc)
            return _unavailable(
                "the worker that serves this request cannot be reached; nothing was done — try again"
            )
        except NoAnswer as exc:
            log.warning("%s did not answer %s %s: %s", peer, request.method, request.url.path, exc)
            return _no_answer(request)
        try:
            start = {
                "type": "http.response.start",
                "status": answer.status,
                "headers": [(k, v) for k, v in answer.headers if k not in _NOT_RELAYED],
            }
            size = answer.length()
            if size is not None and size <= WHOLE_ANSWER_BYTES:
                try:
                    body = await answer.read()
                except NoAnswer as exc:
                    log.warning("%s did not finish its answer to %s: %s", peer, request.url.path, exc)
                    return _no_answer(request)
                await send(start)
                await send({"type": "http.response.body", "body": body, "more_body": False})
                return None
            await send(start)  # from here a failure can only cut the answer off
            async for chunk in answer.chunks():
                await send({"type": "http.response.body", "body": chunk, "more_body": True})
            await send({"type": "http.response.body", "body": b"", "more_body": False})
            return None
        finally:
            answer.close()

    async def gather_lists(self, request: Request) -> list[dict[str, Any]]:
        """The instructor's list of competitions from every other live worker (each its own)."""
        others = [w for w in await self.ownership.book.workers() if w != self.address]
        headers = {k: v for k, v in request.headers.items() if k.lower() not in HOP_BY_HOP}
        headers[FORWARDED_BY_WORKER] = self.signature.sign(address_of(request))
        headers[OWN_ONLY] = self.signature.sign(self.address)
        lists = await asyncio.gather(*(self._list_of(worker, headers) for worker in others))
        return [item for found in lists for item in found]

    async def _list_of(self, worker: str, headers: dict[str, str]) -> list[dict[str, Any]]:
        try:
            answer = await self.client.get(worker + "/api/v1/competitions", headers=headers)
        except httpx.HTTPError as exc:
            log.warning("the list of competitions of %s is missing: %s", worker, exc)
            return []
        if answer.status_code != 200:
            log.warning("the list of competitions of %s is missing: %s", worker, answer.status_code)
            return []
        found: list[dict[str, Any]] = answer.json()
        return found

    async def close(self) -> None:
        for connections in self.peers.values():
            connections.close()
        await self.client.aclose()


_NO_ANSWER = (
    "the worker that serves this request did not answer in time; a command may or may not have "
    "been applied — send it again with the same Idempotency-Key to find out"
)
_NO_ANSWER_LOOK_FIRST = (
    "the worker that serves this request did not answer in time; it may or may not have been "
    "applied — look at the current state before sending it again"
)


def _token_of(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE) or None
