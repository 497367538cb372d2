"""Messages written straight to caught-up clients as one frame built per message.

- the frame built once reads back, by the websockets library's own parser, as the message;
- the server's protocol offers the frame writer only on an open, uncompressed connection, and
  refuses a write it cannot take at once (buffers full, closing, closed);
- whatever the order of publishing, refusals and the client's own task sending from its queue,
  the client receives every message once, in seq order (the real broadcaster and subscriber).

The real server under load (clients that stop reading, reconnects) is in
``test_websocket_hostile.py``, which runs against ``salesfloor serve`` and so through this path.
"""

from __future__ import annotations

import asyncio
import base64
import os
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from uvicorn.config import Config
from uvicorn.server import ServerState
from websockets.frames import Frame, Opcode
from websockets.streams import StreamReader

from server.wire.broadcast import Broadcaster, Envelope
from server.wire.frames import text_frame
from server.wire.ws_protocol import FRAMES, bounded_protocol

# --- the frame ---------------------------------------------------------------------------------


def parse(frame: bytes) -> Frame:
    """The frame as a client reads it (unmasked, as a server sends)."""
    reader = StreamReader()
    reader.feed_data(frame)
    reader.feed_eof()
    parser = Frame.parse(reader.read_exact, mask=False)
    try:
        next(parser)
    except StopIteration as done:
        parsed: Frame = done.value
        assert reader.at_eof() is not False  # nothing left over after the frame
        return parsed
    raise AssertionError("the parser wanted more bytes than the frame has")


@settings(max_examples=200)
@given(
    text=st.text(max_size=40),
    padding=st.sampled_from([0, 120, 125, 126, 127, 65_530, 65_535, 65_536, 70_000]),
)
def test_a_frame_built_once_reads_back_as_its_message(text: str, padding: int) -> None:
    message = text + "x" * padding  # around each boundary of the length field
    frame = parse(text_frame(message))
    assert frame.opcode is Opcode.TEXT and frame.fin and not (frame.rsv1 or frame.rsv2 or frame.rsv3)
    assert frame.data.decode() == message


def test_an_envelope_builds_its_frame_once() -> None:
    envelope = Envelope(seq=3, type="ticker", t_sim=1.5, data={"text": "你好"})
    assert envelope.frame() is envelope.frame()
    assert parse(envelope.frame()).data.decode() == envelope.json()


# --- the server's protocol ------------------------------------------------------------------------


class Transport(asyncio.Transport):
    """A transport that records what is written and can be closed."""

    def __init__(self) -> None:
        super().__init__()
        self.written = bytearray()
        self.closing = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += data

    def is_closing(self) -> bool:
        return self.closing

    def close(self) -> None:
        self.closing = True

    def abort(self) -> None:
        self.closing = True

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 50000), "sockname": ("127.0.0.1", 8000)}.get(name, default)


def handshake(deflate: bool) -> bytes:
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        "GET /ws/public/1 HTTP/1.1",
        "Host: 127.0.0.1:8000",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(["Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits"] if deflate else []),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


async def open_connection(deflate: bool) -> tuple[Any, Transport, dict[str, Any], asyncio.Event]:
    """A protocol that an app accepted; the app's scope; set ``done`` to let the app close."""
    scopes: list[dict[str, Any]] = []
    done = asyncio.Event()

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        scopes.append(scope)
        assert (await receive())["type"] == "websocket.connect"
        await send({"type": "websocket.accept"})
        await done.wait()
        await send({"type": "websocket.close", "code": 1000})

    config = Config(app, ws_per_message_deflate=deflate, lifespan="off")
    config.load()
    protocol = bounded_protocol(5.0, 0)(config, ServerState(), {}, asyncio.get_running_loop())
    transport = Transport()
    protocol.connection_made(transport)
    protocol.data_received(handshake(deflate))
    for _ in range(20):
        await asyncio.sleep(0)
    assert transport.written.startswith(b"HTTP/1.1 101"), bytes(transport.written)
    transport.written.clear()
    return protocol, transport, scopes[0], done


def test_an_open_connection_takes_a_frame_now_and_refuses_what_it_cannot_take_at_once() -> None:
    async def scenario() -> None:
        protocol, transport, scope, done = await open_connection(deflate=False)
        write = scope["extensions"][FRAMES]["write"]
        frame = text_frame('{"seq":1}')
        assert write(frame) and bytes(transport.written) == frame

        protocol.pause_writing()  # the client's buffers are full
        assert not write(frame) and bytes(transport.written) == frame
        protocol.resume_writing()
        assert write(frame) and bytes(transport.written) == frame * 2

        done.set()  # the app closes the connection: no data frame may follow the close frame
        for _ in range(20):
            await asyncio.sleep(0)
        assert protocol.close_sent
        written = len(transport.written)
        assert not write(frame) and len(transport.written) == written

        protocol.connection_lost(None)
        assert not write(frame)

    asyncio.run(scenario())


def test_a_write_the_transport_refuses_is_refused_not_raised_into_the_publisher() -> None:
    async def scenario() -> None:
        _, transport, scope, done = await open_connection(deflate=False)

        def broken(data: Any) -> None:
            raise RuntimeError("unable to perform operation on a closed transport")

        working = transport.write
        transport.write = broken  # type: ignore[method-assign]
        assert scope["extensions"][FRAMES]["write"](text_frame("{}")) is False
        transport.write = working  # type: ignore[method-assign]
        done.set()
        for _ in range(20):
            await asyncio.sleep(0)

    asyncio.run(scenario())


def test_a_compressed_connection_is_not_offered_the_frame_writer() -> None:
    async def scenario() -> None:
        protocol, _, scope, done = await open_connection(deflate=True)
        assert protocol.conn.extensions, "permessage-deflate was not negotiated"
        assert FRAMES not in scope["extensions"]
        done.set()
        for _ in range(20):
            await asyncio.sleep(0)

    asyncio.run(scenario())


# --- the broadcaster and a client's own task -------------------------------------------------------

STEPS = st.lists(
    st.sampled_from(["publish", "publish", "publish", "full", "drains", "task runs"]), max_size=60
)


@settings(max_examples=300, deadline=None)
@given(steps=STEPS, snapshots=st.booleans())
def test_a_client_receives_every_message_once_in_order_however_direct_writes_and_its_queue_interleave(
    steps: list[str], snapshots: bool
) -> None:
    """A client's buffers fill and drain at any moment; its task sends from the queue meanwhile.

    A send from the queue takes a loop turn (as a socket send may), so a direct write that
    overtook it would arrive out of order.
    """

    async def scenario() -> None:
        broadcaster = Broadcaster(queue_size=10_000)
        received: list[int] = []
        can_take = True

        def direct(message: Envelope) -> bool:
            if can_take:
                received.append(message["seq"])
            return can_take

        with broadcaster.subscribe("public:1") as sub:

            async def own_task() -> None:
                while (message := await sub.next(direct)) is not None:
                    await asyncio.sleep(0)  # the send is under way
                    received.append(message["seq"])

            task = asyncio.create_task(own_task())
            await asyncio.sleep(0)
            published = 0
            for step in steps:
                if step == "publish":
                    kind = "standings" if snapshots and published % 3 == 0 else "ticker"
                    broadcaster.publish("public:1", kind, 0.0, {"n": published})
                    published += 1
                elif step == "full":
                    can_take = False
                elif step == "drains":
                    can_take = True
                else:
                    for _ in range(3):
                        await asyncio.sleep(0)
            can_take = True
            broadcaster.publish("public:1", "ticker", 0.0, {"n": "last"})
            published += 1
            for _ in range(4 * published + 10):
                await asyncio.sleep(0)
            task.cancel()
        assert received == list(range(1, published + 1))

    asyncio.run(scenario())


def test_a_subscriber_with_messages_waiting_is_not_written_to_directly() -> None:
    async def scenario() -> None:
        broadcaster = Broadcaster()
        with broadcaster.subscribe("c") as sub:
            broadcaster.publish("c", "ticker", 0.0, 1)  # waits in the queue: the task is behind
            writes: list[int] = []
            first = await sub.next(lambda m: writes.append(m["seq"]) is None)
            assert first is not None and first["seq"] == 1 and sub.direct is None
            waiting = asyncio.create_task(sub.next(lambda m: writes.append(m["seq"]) is None))
            await asyncio.sleep(0)  # the task has sent message 1: now it is caught up
            broadcaster.publish("c", "ticker", 0.0, 2)
            assert writes == [2] and sub.queue.empty()
            waiting.cancel()

    asyncio.run(scenario())


@pytest.mark.parametrize("refuses", [True, False])
def test_a_refused_direct_write_goes_to_the_queue_and_stops_direct_writes(refuses: bool) -> None:
    async def scenario() -> None:
        broadcaster = Broadcaster()
        with broadcaster.subscribe("c") as sub:
            calls: list[int] = []

            def direct(message: Envelope) -> bool:
                calls.append(message["seq"])
                return not refuses

            waiting = asyncio.create_task(sub.next(direct))
            await asyncio.sleep(0)
            broadcaster.publish("c", "ticker", 0.0, 1)
            broadcaster.publish("c", "ticker", 0.0, 2)
            if refuses:  # tried once, then both wait for the task, in order
                assert calls == [1] and sub.direct is None
                assert (await waiting) == {"seq": 1, "type": "ticker", "t_sim": 0.0, "data": 1}
                assert sub.queue.qsize() == 1
            else:
                assert calls == [1, 2] and sub.queue.empty()
                waiting.cancel()

    asyncio.run(scenario())
