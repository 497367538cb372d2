"""Kept-alive HTTP/1.1 connections from one worker to another, for forwarding requests.

A forwarded request is one exchange on one connection: the request line, the headers and the
body as the client sent it, then the answer read as it arrives. The connections are kept open
and used again (last used first); one idle for longer than ``IDLE_SECONDS`` (well under the
servers' 30 s keep-alive, ``server/cli/serve.py``) or closed by the other side is dropped
before it is used, and those idle that long are closed whenever an exchange ends. How many
may be open is left to the caller, which never has more exchanges in flight than it allows
(``server.workers.forward_gate``): there is no queue here.

The protocol is h11's (the state machine uvicorn itself uses without httptools): it frames the
request by its Content-Length or in chunks, reads an answer framed any way, and says whether
the connection may carry another exchange. A general HTTP client did far more per request
than this needs: httpx's pool walked all its connections for every request it queued or
released, which at a few hundred forwards a second took a third of a worker's event loop
(docs/performance.md, "Several competitions over workers").

Two failures are told apart, because a command's fate differs: ``Unreachable`` (no connection
could be opened: nothing was sent) and ``NoAnswer`` (the connection failed or the answer did not
come in time after the request had gone out, or while it went: the other worker may have acted
on it).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import h11

IDLE_SECONDS = 10.0
"""A connection unused this long is closed rather than used again."""
READ_BYTES = 64 * 1024


class Unreachable(Exception):
    """No connection to the other worker: nothing of the request was sent."""


class NoAnswer(Exception):
    """The request went out (or partly) and no complete answer came back: it may have been acted on."""


@dataclass(slots=True)
class _Connection:
    reader: asyncio.StreamReader
    writer: asyncio.StreamWriter
    protocol: h11.Connection = field(default_factory=lambda: h11.Connection(our_role=h11.CLIENT))
    last_used: float = 0.0

    def usable(self, now: float) -> bool:
        return (
            now - self.last_used < IDLE_SECONDS
            and not self.reader.at_eof()
            and not self.writer.is_closing()
            and self.protocol.our_state is h11.IDLE
        )

    def close(self) -> None:
        self.writer.close()


class Answer:
    """The other worker's answer: its status and headers at once, its body as it arrives."""

    def __init__(self, pool: PeerConnections, connection: _Connection, response: h11.Response) -> None:
        self.status = response.status_code
        self.headers: list[tuple[bytes, bytes]] = list(response.headers)
        self._pool = pool
        self._connection: _Connection | None = connection

    def length(self) -> int | None:
        """The body's length as its Content-Length says (None: chunked or until the end)."""
        for name, value in self.headers:
            if name == b"content-length" and value.isdigit():
                return int(value)
        return None

    async def chunks(self) -> AsyncIterator[bytes]:
        """The body's bytes as they come; ``NoAnswer`` if the connection fails or stalls before its end."""
        connection = self._connection
        if connection is None:
            raise RuntimeError("the answer's body has been read already")
        while True:
            event = await self._pool.next_event(connection)
            if isinstance(event, h11.Data):
                yield bytes(event.data)
            elif isinstance(event, h11.EndOfMessage):
                self._connection = None
                self._pool.release(connection)
                return
            else:
                raise NoAnswer(f"unexpected {type(event).__name__} in the answer's body")

    async def read(self) -> bytes:
        return b"".join([chunk async for chunk in self.chunks()])

    def close(self) -> None:
        """Drop the connection if the body was not read to its end (it cannot carry another exchange)."""
        if self._connection is not None:
            self._connection.close()
            self._connection = None


class PeerConnections:
    """The kept-alive connections to the worker at ``address`` (``http://host:port``)."""

    def __init__(self, address: str, connect_seconds: float, answer_seconds: float) -> None:
        parts = urlsplit(address)
        if parts.scheme not in ("http", "https") or parts.hostname is None:
            raise ValueError(f"a worker's address is http(s)://host:port, not {address!r}")
        self.host = parts.hostname
        self.tls = parts.scheme == "https"
        self.port = parts.port or (443 if self.tls else 80)
        self.authority = parts.netloc.encode()
        self.connect_seconds = connect_seconds
        self.answer_seconds = answer_seconds
        self.idle: list[_Connection] = []
        self.opened = 0  # connections opened so far (a connection used again is not counted)

    async def exchange(
        self,
        method: bytes,
        target: bytes,
        headers: list[tuple[bytes, bytes]],
        body: AsyncIterable[bytes] | None,
        length: int | None,
    ) -> Answer:
        """Send the request; the answer once its status and headers have come.

        ``body`` is sent with ``length`` as its Content-Length, or chunked when ``length`` is None.
        """
        connection = await self._connection()
        framing = [(b"content-length", str(length).encode())] if length is not None else []
        if body is not None and length is None:
            framing = [(b"transfer-encoding", b"chunked")]
        request = h11.Request(
            method=method, target=target, headers=[(b"host", self.authority), *headers, *framing]
        )
        try:
            self._send(connection, request)
            if body is not None:
                async for chunk in body:  # as fast as the client sends it
                    if chunk:
                        self._send(connection, h11.Data(data=chunk))
                        await self._drain(connection)
            self._send(connection, h11.EndOfMessage())
            await self._drain(connection)
            while True:
                event = await self.next_event(connection)
                if isinstance(event, h11.Response):
                    return Answer(self, connection, event)
                if not isinstance(event, h11.InformationalResponse):  # a 100 Continue is skipped
                    raise NoAnswer(f"unexpected {type(event).__name__} before the answer")
        except NoAnswer:
            connection.close()
            raise
        except (OSError, TimeoutError, h11.ProtocolError) as exc:
            connection.close()
            raise NoAnswer(repr(exc)) from exc
        except BaseException:  # cancelled, or the client's body failed: the connection is spent
            connection.close()
            raise

    async def next_event(self, connection: _Connection) -> h11.Event:
        """The next event of the answer, reading more when needed, within ``answer_seconds``."""
        try:
            while True:
                event = connection.protocol.next_event()
                if isinstance(event, h11.ConnectionClosed) or event is h11.PAUSED:
                    raise NoAnswer("the connection closed before the answer's end")
                if isinstance(event, h11.Event):
                    return event
                async with asyncio.timeout(self.answer_seconds):
                    data = await connection.reader.read(READ_BYTES)
                connection.protocol.receive_data(data)  # b"": the other side closed
        except NoAnswer:
            connection.close()
            raise
        except (OSError, TimeoutError, h11.ProtocolError) as exc:
            connection.close()
            raise NoAnswer(repr(exc)) from exc

    def release(self, connection: _Connection) -> None:
        """An exchange ended: keep the connection for the next one if both sides allow it."""
        protocol = connection.protocol
        if protocol.our_state is h11.DONE and protocol.their_state is h11.DONE:
            protocol.start_next_cycle()
            connection.last_used = now = time.monotonic()
            self.idle.append(connection)
            while now - self.idle[0].last_used >= IDLE_SECONDS:  # the oldest first: not kept open
                self.idle.pop(0).close()
        else:
            connection.close()

    async def _drain(self, connection: _Connection) -> None:
        """Wait until the other worker has taken what was written (within ``answer_seconds``)."""
        async with asyncio.timeout(self.answer_seconds):
            await connection.writer.drain()

    def _send(self, connection: _Connection, event: h11.Event) -> None:
        data = connection.protocol.send(event)
        if data:
            connection.writer.write(data)

    async def _connection(self) -> _Connection:
        now = time.monotonic()
        while self.idle:
            connection = self.idle.pop()
            if connection.usable(now):
                return connection
            connection.close()
        try:
            async with asyncio.timeout(self.connect_seconds):
                reader, writer = await asyncio.open_connection(
                    self.host, self.port, ssl=True if self.tls else None, limit=READ_BYTES
                )
        except (OSError, TimeoutError) as exc:
            raise Unreachable(repr(exc)) from exc
        self.opened += 1
        return _Connection(reader, writer, last_used=now)

    def close(self) -> None:
        for connection in self.idle:
            connection.close()
        self.idle.clear()
