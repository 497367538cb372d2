"""The websocket protocol ``salesfloor serve`` runs: a client that stops reading is cut off.

uvicorn's own protocol waits, in every send, until the socket can take more; a client that
stops reading (a frozen tab, a laptop lid closed on Wi-Fi) fills the socket's buffers and
then holds the sending task, its connection and its file descriptor for as long as it
stays connected, and a closing handshake or a shutdown waits forever for buffers that never
drain. This protocol bounds each of those waits:

- a send waits at most ``send_timeout`` seconds for the socket to take more; then the
  connection is aborted and the application receives ``websocket.disconnect`` with the
  reason :data:`STALLED`;
- once the application is done, a shutdown has begun or a keepalive ping went unanswered,
  the connection is gone within ``closing_timeout`` seconds, closed or else aborted;
- the kernel buffers at most ``send_buffer`` bytes for one client, and a client that sends
  pings without reading the pongs gets none while the buffers are full.

It also offers the application, as the scope extension :data:`FRAMES`, a way to write a frame
built once for many clients (``server.wire.frames``) straight to the connection, when the
connection can take it at once: open, not closing, its buffers not full, no compression
negotiated. When it cannot, the write is refused and the application sends the message the
usual way, with the bounded waits above.
"""

from __future__ import annotations

import asyncio
import socket
from asyncio import BaseTransport
from typing import Any, ClassVar

from uvicorn._types import ASGISendEvent
from uvicorn.protocols.utils import ClientDisconnected
from uvicorn.protocols.websockets.websockets_sansio_impl import WebSocketsSansIOProtocol
from websockets.http11 import Request
from websockets.protocol import State

STALLED = "the client stopped reading"
FRAMES = "salesfloor.frames"  # scope extension: {"write": (frame bytes) -> whether it was written}


class BoundedWebSocketProtocol(WebSocketsSansIOProtocol):
    """uvicorn's websocket protocol with bounded waits (see the module docstring)."""

    send_timeout: ClassVar[float] = 10.0
    send_buffer: ClassVar[int] = 256 * 1024
    closing_timeout: ClassVar[float] = 3.0

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.close_timeout = self.closing_timeout  # uvicorn's wait for the client's closing frame

    def connection_made(self, transport: BaseTransport) -> None:
        super().connection_made(transport)
        sock = transport.get_extra_info("socket")
        if sock is not None and self.send_buffer > 0:
            sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, self.send_buffer)

    def handle_connect(self, event: Request) -> None:
        super().handle_connect(event)
        if self.response.status_code == 101 and not self.conn.extensions:
            self.scope["extensions"][FRAMES] = {"write": self.write_frame}

    def write_frame(self, frame: bytes) -> bool:
        """Write a whole frame now if the connection can take it without waiting; else False."""
        if (
            self.disconnected
            or self.close_sent
            or not self.writable.is_set()
            or self.conn.state is not State.OPEN
            or self.conn.expect_continuation_frame
            or self.transport.is_closing()
        ):
            return False
        try:
            self.transport.write(frame)
        except (OSError, RuntimeError):  # the transport died under us: the queue's path tells the app
            return False
        return True

    async def send(self, message: ASGISendEvent) -> None:
        if not self.writable.is_set() and not self.disconnected:
            try:
                async with asyncio.timeout(self.send_timeout):
                    await self.writable.wait()
            except TimeoutError:
                self.queue.put_nowait({"type": "websocket.disconnect", "code": 1006, "reason": STALLED})
                self.disconnected = True
                self.transport.abort()
                raise ClientDisconnected(f"{STALLED} for {self.send_timeout:g} s") from None
        await super().send(message)

    def handle_ping(self) -> None:
        """Answer a ping, unless the client does not read: then drop the pong (RFC 6455 lets an
        endpoint answer only the latest ping), so that pings cannot pile pongs up in memory."""
        if self.writable.is_set():
            super().handle_ping()
        else:
            self.conn.data_to_send()

    async def run_asgi(self) -> None:
        await super().run_asgi()
        self._gone_within(self.close_timeout)

    def shutdown(self) -> None:
        super().shutdown()
        self._gone_within(self.close_timeout)

    def keepalive_timeout(self) -> None:
        super().keepalive_timeout()
        self._gone_within(self.close_timeout)

    def _gone_within(self, seconds: float) -> None:
        """Abort the connection if closing it has not ended it after ``seconds``."""
        if not self.disconnected:
            self.loop.call_later(seconds, self._abort_if_open)

    def _abort_if_open(self) -> None:
        if not self.disconnected:
            self.transport.abort()


def bounded_protocol(send_timeout: float, send_buffer: int) -> type[BoundedWebSocketProtocol]:
    """The protocol class with these bounds, for ``uvicorn.run(ws=...)``."""

    class Configured(BoundedWebSocketProtocol):
        pass

    Configured.send_timeout = send_timeout
    Configured.send_buffer = send_buffer
    return Configured
