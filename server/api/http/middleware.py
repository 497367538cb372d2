"""The server's own middleware, as plain ASGI: security headers, and forwarding to the owning worker.

Starlette's ``BaseHTTPMiddleware`` (``@app.middleware("http")``) runs the rest of the app in a
task of its own and streams the response through memory channels; two of them cost every
request a few hundred microseconds of the event loop's time, which a busy competition needs
(docs/performance.md, "competition load"). These two touch only the response's start (the
headers) or hand the whole request to another worker, so they need none of that.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from server.api.http.pages import POLICY
from server.workers.forwarding import Forwarder

PLAIN_PREFIXES = ("/api/", "/docs", "/redoc", "/openapi.json")
"""Paths that answer data, not pages: no Content-Security-Policy (pages and assets get one)."""

ALWAYS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
)


class SecurityHeaders:
    """Every response: no sniffing, no framing; pages and assets: only this server's resources."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        wanted = ALWAYS
        if not scope["path"].startswith(PLAIN_PREFIXES):
            wanted = (*ALWAYS, (b"content-security-policy", POLICY.encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", ()))
                present = {name.lower() for name, _ in headers}
                headers.extend((name, value) for name, value in wanted if name not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)


class ForwardToOwner:
    """With several workers, an API request about a competition another worker owns goes there
    (and one about no competition to the front worker, when that is another)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            forwarder: Forwarder | None = getattr(scope["app"].state, "forwarder", None)
            if forwarder is not None:
                request = Request(scope, receive)
                if forwarder.wants(request):
                    body = await request.body() if forwarder.reads_body(request) else None
                    where = await forwarder.destination(request, body)
                    if not where.here:
                        await forwarder.forward(request, where, send)
                        return
                    if body is not None:
                        receive = _replaying(body, receive)
        await self.app(scope, receive, send)


def _replaying(body: bytes, receive: Receive) -> Receive:
    """The request's body again (read to route it), then whatever the client sends next."""
    pending = [body]

    async def replay() -> Message:
        if pending:
            return {"type": "http.request", "body": pending.pop(), "more_body": False}
        return await receive()

    return replay
