"""KeyedCommands: an instructor's or judge's command sent with an Idempotency-Key is applied once.

The desk's commands keep their keys on the command log (server.live.idempotency). Every other
command of the instructor and the judges (``room_command``, server.api.http.keyed_paths) is
keyed here, around the whole request, as plain ASGI: the key is checked as the desk checks it
(``checked_key``: a 422 naming the header), the actor found from the session (the instructor
account, or the judge's session; a request without one goes on to its route, which refuses it),
and the body read, to digest with the method, path and query. Then, under
server.live.keyed_replies: a new key is claimed, the request goes to its route and the reply is
kept before it is sent; a retry gets the kept reply, applying nothing; the same key with
another request is a 409. A request without a key goes straight on.

An upload (``large_paths``: the archive import) is read into a spooled file, counted against
its limit as its route counts it (413 past it), only once the session is known to be the
instructor's or a judge's.
"""

from __future__ import annotations

import hashlib
import tempfile
from typing import IO

from fastapi.responses import JSONResponse, Response
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.deps import resolve, token_of
from server.api.http.keyed_paths import room_command
from server.errors import ServerError
from server.live.idempotency import HEADER, checked_key
from server.live.keyed_replies import INSTRUCTOR, KeyedReplies, Reply, judge_actor, kept, request_digest
from server.live.runtime import Runtime
from server.security.auth import token_hash

SPOOL_BYTES = 1024 * 1024
"""A body up to this size is held in memory; a larger one (an archive) waits in a temporary file."""
CHUNK_BYTES = 64 * 1024


def _refusal(exc: ServerError) -> JSONResponse:
    """The refusal as the app's handler writes it (server.app, ``refused``)."""
    return JSONResponse(
        {"detail": exc.reason, "code": exc.code, **exc.extra}, status_code=exc.status, headers=exc.headers
    )


async def _actor(request: Request, rt: Runtime) -> str | None:
    """Whose keys these are: the instructor, or this judge's session; None for anyone else."""
    token = token_of(request)
    try:
        who = await resolve(token, rt)
    except ServerError:  # an expired session: its route says so
        return None
    if who is None or token is None:
        return None
    if who.role == "instructor":
        return INSTRUCTOR
    if who.role == "judge":
        return judge_actor(token_hash(token, rt.settings.secret or ""))
    return None  # a member: the route refuses it


class _Body:
    """The request's body, read once (digested, counted) and given again to the route."""

    def __init__(self, file: IO[bytes], limit: int | None) -> None:
        self.file = file
        self.limit = limit
        self.sha = hashlib.sha256()
        self.size = 0

    async def read(self, receive: Receive) -> bool:
        """Read it all (a 413 past the limit); False if the client went away before its end."""
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                return False
            chunk = message.get("body", b"")
            self.size += len(chunk)
            if self.limit is not None and self.size > self.limit:
                raise ServerError(
                    "too_large", f"the request body is larger than {self.limit // 2**20} MiB; send less"
                )
            self.sha.update(chunk)
            self.file.write(chunk)
            if not message.get("more_body", False):
                self.file.seek(0)
                return True

    def replay(self, receive: Receive) -> Receive:
        """The body again, chunk by chunk; then whatever the client sends next (its disconnect)."""
        given = False

        async def again() -> Message:
            nonlocal given
            if given:
                return await receive()
            chunk = self.file.read(CHUNK_BYTES)
            given = self.file.tell() >= self.size
            return {"type": "http.request", "body": chunk, "more_body": not given}

        return again


class _Captured:
    """The route's answer, held until its reply is kept, then sent as it came."""

    def __init__(self) -> None:
        self.messages: list[Message] = []
        self.status: int | None = None
        self.content_type: str | None = None

    async def send(self, message: Message) -> None:
        if message["type"] == "http.response.start":
            self.status = int(message["status"])
            for name, value in message.get("headers", ()):
                if name.lower() == b"content-type":
                    self.content_type = value.decode("latin-1")
        self.messages.append(message)

    def reply(self) -> Reply:
        body = b"".join(m.get("body", b"") for m in self.messages if m["type"] == "http.response.body")
        return Reply(self.status or 500, self.content_type, body)

    async def relay(self, send: Send) -> None:
        for message in self.messages:
            await send(message)


class KeyedCommands:
    """Apply an instructor's or judge's keyed command once; answer its retries with the first reply."""

    def __init__(self, app: ASGIApp, large_paths: dict[str, int] | None = None) -> None:
        self.app = app
        self.large_paths = large_paths or {}
        self._replies: KeyedReplies | None = None

    def _replies_of(self, rt: Runtime) -> KeyedReplies:
        if self._replies is None or self._replies.store is not rt.store:
            self._replies = KeyedReplies(rt.store)
        return self._replies

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not room_command(scope["method"], scope["path"]):
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive)
        text = request.headers.get(HEADER)
        if text is None:
            await self.app(scope, receive, send)
            return
        try:
            key = checked_key(text)
            rt: Runtime = scope["app"].state.runtime
            actor = await _actor(request, rt)
            if actor is None or key is None:
                await self.app(scope, receive, send)
                return
            with tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES) as file:
                body = _Body(file, self.large_paths.get(scope["path"]))
                if not await body.read(receive):
                    return  # nobody to answer, and nothing claimed or applied
                await self._once(scope, body.replay(receive), send, actor, key, body.sha.hexdigest())
        except ServerError as exc:
            await _refusal(exc)(scope, receive, send)

    async def _once(
        self, scope: Scope, receive: Receive, send: Send, actor: str, key: str, body: str
    ) -> None:
        """Claim the key and apply the request, or answer with the key's first reply."""
        replies = self._replies_of(scope["app"].state.runtime)
        method, path = scope["method"], scope["path"]
        digest = request_digest(method, path, scope.get("query_string", b""), body)
        async with replies.held(actor, key):
            earlier = await replies.claim(actor, key, f"{method} {path}", digest)
            if earlier is not None:
                await _answer(earlier)(scope, receive, send)
                return
            captured = _Captured()
            # a failure (a bug: the app answers a 500) or a cut-off request leaves the claim without
            # a reply: it may have applied something, so a retry is told to look first
            await self.app(scope, receive, captured.send)
            reply = captured.reply()
            if kept(reply.status):
                await replies.keep(actor, key, reply)
            else:
                await replies.drop(actor, key)
        await captured.relay(send)


def _answer(reply: Reply) -> Response:
    """The kept reply again: the same status, content type and body."""
    return Response(reply.body, status_code=reply.status, media_type=reply.content_type)
