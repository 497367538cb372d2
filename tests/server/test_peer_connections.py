"""The forwarding connections to another worker: kept alive, bodies as they came, failures told apart.

A small HTTP/1.1 server on a local port (h11's server side) records each request it reads on
each connection and answers as the test tells it: with a Content-Length, in chunks, by
closing the connection after the answer, or by closing it without one. ``PeerConnections``
must use one connection for a run of exchanges, pass a body framed by its length or in chunks
byte for byte, hand over an answer of unknown length whole, drop a connection the other side
closed instead of failing a request on it, and say ``Unreachable`` when nothing could be sent
but ``NoAnswer`` when the request went out and no answer came.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import h11
import pytest

from server.workers.peer_connections import NoAnswer, PeerConnections, Unreachable


@dataclass
class Peer:
    """What the local server saw: per connection, the (method, target, headers, body) it read."""

    connections: list[list[tuple[bytes, bytes, dict[bytes, bytes], bytes]]] = field(default_factory=list)
    answer: str = "length"  # length | chunked | close_after | no_answer | close_idle


async def _serve(peer: Peer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    seen: list[tuple[bytes, bytes, dict[bytes, bytes], bytes]] = []
    peer.connections.append(seen)
    server = h11.Connection(our_role=h11.SERVER)
    try:
        while True:
            request: h11.Request | None = None
            body = b""
            while True:
                event = server.next_event()
                if event is h11.NEED_DATA:
                    data = await reader.read(65536)
                    server.receive_data(data)
                    if not data and request is None:
                        return
                    continue
                if isinstance(event, h11.Request):
                    request = event
                elif isinstance(event, h11.Data):
                    body += event.data
                elif isinstance(event, h11.EndOfMessage):
                    break
            assert request is not None
            seen.append((request.method, request.target, dict(request.headers), body))
            if peer.answer == "no_answer":
                return
            payload = b"answer to " + body
            if peer.answer == "chunked":
                chunked = h11.Response(status_code=200, headers=[("transfer-encoding", "chunked")])
                writer.write(server.send(chunked))
                for i in range(0, len(payload), 4):
                    writer.write(server.send(h11.Data(data=payload[i : i + 4])))
            else:
                headers = [("content-length", str(len(payload))), ("x-seen", str(len(seen)))]
                if peer.answer == "close_after":
                    headers.append(("connection", "close"))
                writer.write(server.send(h11.Response(status_code=201, headers=headers)))
                writer.write(server.send(h11.Data(data=payload)))
            writer.write(server.send(h11.EndOfMessage()))
            await writer.drain()
            if peer.answer in ("close_after", "close_idle"):
                return
            server.start_next_cycle()
    finally:
        writer.close()


async def _started(peer: Peer) -> tuple[asyncio.Server, str]:
    server = await asyncio.start_server(lambda r, w: _serve(peer, r, w), "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    return server, f"http://127.0.0.1:{port}"


async def _body(*chunks: bytes) -> AsyncIterator[bytes]:
    for chunk in chunks:
        yield chunk


def _pool(address: str) -> PeerConnections:
    return PeerConnections(address, connect_seconds=2.0, answer_seconds=5.0)


def test_exchanges_share_one_kept_alive_connection_and_carry_bodies_as_they_came() -> None:
    async def play() -> None:
        peer = Peer()
        server, address = await _started(peer)
        pool = _pool(address)
        try:
            headers = [(b"authorization", b"Bearer t"), (b"x-other", b"1")]
            first = await pool.exchange(b"PUT", b"/api/v1/team/x?a=1%202", headers, _body(b'{"a":', b"1}"), 7)
            assert (first.status, first.length()) == (201, len(b'answer to {"a":1}'))
            assert await first.read() == b'answer to {"a":1}'
            chunked = await pool.exchange(b"POST", b"/p", [], _body(b"one ", b"", b"two"), None)
            assert await chunked.read() == b"answer to one two"
            plain = await pool.exchange(b"GET", b"/g", [], None, None)
            assert (dict(plain.headers)[b"x-seen"], await plain.read()) == (b"3", b"answer to ")
            assert pool.opened == 1 and len(peer.connections) == 1  # one connection for all three
            (method, target, seen_headers, body), second, third = peer.connections[0]
            assert (method, target, body) == (b"PUT", b"/api/v1/team/x?a=1%202", b'{"a":1}')
            assert seen_headers[b"authorization"] == b"Bearer t" and seen_headers[b"content-length"] == b"7"
            assert seen_headers[b"host"] == address.removeprefix("http://").encode()
            assert second[3] == b"one two" and second[2][b"transfer-encoding"] == b"chunked"
            assert third[3] == b"" and b"content-length" not in third[2]
        finally:
            pool.close()
            server.close()

    asyncio.run(play())


def test_an_answer_of_unknown_length_arrives_whole() -> None:
    async def play() -> None:
        peer = Peer(answer="chunked")
        server, address = await _started(peer)
        pool = _pool(address)
        try:
            answer = await pool.exchange(b"POST", b"/c", [], _body(b"x" * 30), 30)
            assert answer.length() is None
            assert b"".join([chunk async for chunk in answer.chunks()]) == b"answer to " + b"x" * 30
            again = await pool.exchange(b"GET", b"/c", [], None, None)  # the connection serves on
            assert await again.read() == b"answer to " and pool.opened == 1
        finally:
            pool.close()
            server.close()

    asyncio.run(play())


@pytest.mark.parametrize("answer", ["close_after", "close_idle"])
def test_a_connection_the_other_side_closed_is_not_used_again(answer: str) -> None:
    async def play() -> None:
        peer = Peer(answer=answer)
        server, address = await _started(peer)
        pool = _pool(address)
        try:
            for n in range(3):
                reply = await pool.exchange(b"POST", b"/c", [], _body(b"%d" % n), 1)
                assert await reply.read() == b"answer to %d" % n
                await asyncio.sleep(0.05)  # the other side's close reaches this side
            assert pool.opened == 3 and [len(seen) for seen in peer.connections] == [1, 1, 1]
        finally:
            pool.close()
            server.close()

    asyncio.run(play())


def test_nothing_sent_is_unreachable_and_a_request_left_unanswered_is_no_answer() -> None:
    async def play() -> None:
        with socket.socket() as s:  # a port nobody listens on
            s.bind(("127.0.0.1", 0))
            closed = f"http://127.0.0.1:{s.getsockname()[1]}"
        with pytest.raises(Unreachable):
            await _pool(closed).exchange(b"PUT", b"/c", [], _body(b"{}"), 2)
        peer = Peer(answer="no_answer")
        server, address = await _started(peer)
        pool = _pool(address)
        try:
            with pytest.raises(NoAnswer):
                await pool.exchange(b"PUT", b"/c", [], _body(b"{}"), 2)
            assert peer.connections[0] == [(b"PUT", b"/c", peer.connections[0][0][2], b"{}")]  # it went out
            assert pool.idle == []  # the failed connection is not kept
        finally:
            pool.close()
            server.close()

    asyncio.run(play())


def test_an_address_that_is_not_http_is_refused() -> None:
    with pytest.raises(ValueError, match="http"):
        PeerConnections("redis://127.0.0.1:6379", 1.0, 1.0)
