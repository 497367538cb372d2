"""Hostile and broken websocket clients, against a real server process (uvicorn decides what a
blocked send does, so the test client in-process would prove nothing here).

- a client that completes the handshake and then never reads is cut off by the server, with
  one log line naming its channel, while the clients that read get every message in order,
  commands sent meanwhile are acknowledged and stored, memory stays bounded, and the client
  can come back with ``?after=SEQ``; a server with such a client still shuts down, and its
  pings do not pile pongs up in the server's memory;
- a client that sends to these read-only channels is closed with 1008 once it oversteps its
  budget, and a message larger than the limit with 1009;
- a refused handshake (no such competition, no session) is closed with 1008 and the reason,
  which a browser can show (uvicorn answers a refusal before ``accept`` with a bare HTTP 403);
- beyond the cap on open websockets a connection is closed with 1013 ("server busy"), and a
  storm of connections dropped half-way leaves no slot taken;
- a meaningless ``?after=`` or ``epoch=`` gets a resync.
"""

from __future__ import annotations

import base64
import json
import os
import re
import signal
import socket
import struct
import threading
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from server.api.ws import BUSY, READ_ONLY
from server.client.api_client import SalesfloorClient
from server.wire.broadcast import SNAPSHOT_TYPES
from teams import commands as c
from tests.server.helpers import wait_for
from tests.server.processes import ServerProcess

SEND_TIMEOUT = 1.0
CAP = 8  # websockets open at once
CLIENT_MESSAGES = 20  # a minute
MAX_MESSAGE = 64 * 1024
# a small kernel buffer per websocket, so that a client that does not read blocks the server's
# sends after a few hundred messages rather than after megabytes
SEND_BUFFER = 16 * 1024
TEXT = "A word from the instructor. " * 17  # an announcement of 476 characters (500 at most)


# --- a server that records what it logs ---------------------------------------------------------


@dataclass
class Server:
    process: ServerProcess
    admin: SalesfloorClient
    competition: int = 0
    member: SalesfloorClient | None = None

    @property
    def ws_url(self) -> str:
        return self.process.url.replace("http", "ws", 1)

    @property
    def port(self) -> int:
        return int(self.process.url.rsplit(":", 1)[1])

    def rss_mb(self) -> float:
        with open(f"/proc/{self.process.process.pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        raise AssertionError("no VmRSS for the server process")

    def open_files(self) -> int:
        return len(os.listdir(f"/proc/{self.process.process.pid}/fd"))

    def announce(self, text: str = TEXT) -> None:
        self.admin.request(
            "POST", f"/api/v1/competitions/{self.competition}/announcements", json={"text": text}
        )

    def lines(self, pattern: str) -> list[re.Match[str]]:
        return [m for line in list(self.process.output) if (m := re.search(pattern, line))]


def start_server(tmp_path: Any, **env: str) -> Server:
    settings = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'hostile.db'}",
        "WEBSOCKET_SEND_TIMEOUT": str(SEND_TIMEOUT),
        "WEBSOCKET_SEND_BUFFER": str(SEND_BUFFER),
        "WEBSOCKET_CLIENT_MESSAGES": str(CLIENT_MESSAGES),
        "WEBSOCKET_MAX_MESSAGE": str(MAX_MESSAGE),
        "WEBSOCKET_MAX_CONNECTIONS": str(CAP),  # more than any test but the cap's needs at once
        **env,
    }
    process = ServerProcess(settings)
    server = Server(process, SalesfloorClient(process.url))
    server.admin.login_instructor("pw")
    # a round lasts 80 s: the bots play, and nothing pauses the competition during a test
    detail = server.admin.request(
        "POST", "/api/v1/competitions", json={"name": "Hostile", "seed": 11, "seconds_per_hour": 2.0}
    )
    server.competition = cid = detail["id"]
    code = ""
    for name, bot in (("Alpha", "balanced"), ("Beta", "dumper"), ("Humans", None)):
        team = server.admin.request(
            "POST", f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot}
        )
        code = team["join_code"]
    server.admin.request("POST", f"/api/v1/competitions/{cid}/start")
    server.member = SalesfloorClient(process.url)
    server.member.join(code, "Mia", "manager")
    return server


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    running = start_server(tmp_path_factory.mktemp("hostile"))
    try:
        yield running
    finally:
        running.process.stop()


def member_headers(server: Server) -> dict[str, str]:
    assert server.member is not None and server.member.token
    return {"Authorization": f"Bearer {server.member.token}"}


# --- clients --------------------------------------------------------------------------------------


def stalled_client(server: Server, path: str, headers: dict[str, str] | None = None) -> socket.socket:
    """A raw socket that completes the websocket handshake and then never reads again."""
    sock = socket.socket()
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # fills fast
    sock.connect(("127.0.0.1", server.port))
    key = base64.b64encode(os.urandom(16)).decode()
    lines = [
        f"GET {path} HTTP/1.1",
        f"Host: 127.0.0.1:{server.port}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        f"Sec-WebSocket-Key: {key}",
        "Sec-WebSocket-Version: 13",
        *(f"{name}: {value}" for name, value in (headers or {}).items()),
    ]
    sock.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    answer = b""
    while b"\r\n\r\n" not in answer:
        answer += sock.recv(1)  # one byte at a time: not one byte of the messages after it
    assert answer.startswith(b"HTTP/1.1 101"), answer
    return sock


def socket_queues(local_port: int, remote_port: int) -> tuple[int, int]:
    """Bytes a socket of this machine has sent unacknowledged, and received unread (/proc/net/tcp)."""
    with open("/proc/net/tcp") as table:
        for row in table.readlines()[1:]:
            local, remote, _state, queues = row.split()[1:5]
            if local.endswith(f":{local_port:04X}") and remote.endswith(f":{remote_port:04X}"):
                sent, received = queues.split(":")
                return int(sent, 16), int(received, 16)
    return 0, 0


def unsent_bytes(server_port: int, client: socket.socket) -> int:
    """What the server's kernel holds, unacknowledged, for ``client``."""
    return socket_queues(server_port, client.getsockname()[1])[0]


def ended_by_server(sock: socket.socket) -> bool:
    """Whether the server has ended the connection: reading reaches its end or a reset."""
    sock.settimeout(10.0)
    try:
        while sock.recv(65536):
            pass
    except ConnectionResetError:
        return True
    except TimeoutError:
        return False
    return True


class Listener:
    """A well-behaved client that reads everything on a channel, in a thread."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        self.stack = ExitStack()
        self.ws: ClientConnection = self.stack.enter_context(
            connect(url, additional_headers=headers, max_size=2**24, open_timeout=10)
        )
        self.messages: list[dict[str, Any]] = []
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._read, daemon=True)
        self.thread.start()

    def _read(self) -> None:
        try:
            for raw in self.ws:
                self.messages.append(json.loads(raw))
        except ConnectionClosed:
            pass
        finally:
            self.done.set()

    def saw(self, text: str) -> bool:
        return any(m["type"] in ("ticker", "event") and text in json.dumps(m["data"]) for m in self.messages)

    def close(self) -> None:
        self.stack.close()
        self.thread.join(timeout=10)

    def seqs(self) -> list[int]:
        return [m["seq"] for m in self.messages]


def contiguous(seqs: list[int]) -> bool:
    return seqs == list(range(seqs[0], seqs[0] + len(seqs)))


def closing(ws: ClientConnection) -> tuple[int | None, str | None]:
    """Read until the server closes; the close code and reason it sent."""
    try:
        while True:
            ws.recv(timeout=10)
    except ConnectionClosed:
        pass
    except TimeoutError:
        pytest.fail("the server did not close the connection within 10 s")
    return ws.close_code, ws.close_reason


# --- a client that stops reading ------------------------------------------------------------------


CHANNELS = {
    "public": lambda server: (f"/ws/public/{server.competition}", f"public:{server.competition}", None),
    "team": lambda server: ("/ws/team", f"team:{server.competition}:Humans", member_headers(server)),
}


@pytest.mark.parametrize("which", sorted(CHANNELS))
def test_a_client_that_stops_reading_is_cut_off_and_nobody_else_notices(server: Server, which: str) -> None:
    path, channel, headers = CHANNELS[which](server)
    member = server.member
    assert member is not None
    rss_before = server.rss_mb()
    steady = Listener(server.ws_url + path, headers)
    wait_for(lambda: steady.messages, what="the steady client's hello")
    hello = steady.messages[0]
    assert hello["type"] == "hello"
    stalled = stalled_client(server, path, headers)
    cut = rf"websocket {re.escape(channel)}: the client read nothing for .* sent was seq (\d+)"
    before = len(server.lines(cut))
    acknowledged: list[dict[str, Any]] = []

    def publish_and_command() -> bool:
        """Announce (the server publishes on every channel) and command, until the cut is logged."""
        for _ in range(20):
            server.announce()
        acknowledged.append(member.command(c.SetApologyPolicy(team="", enabled=len(acknowledged) % 2 == 0)))
        return len(server.lines(cut)) > before

    wait_for(
        publish_and_command,
        timeout=40,
        interval=0,
        what=f"the server to cut off the stalled client on {channel}",
    )
    assert ended_by_server(stalled), "the server logged the cut but the connection is still open"
    stalled.close()
    (line,) = server.lines(cut)[before:]  # one line for the one client
    assert int(line.group(1)) > hello["seq"]  # the seq the server got to before the client stalled

    # the client that reads got everything, in order, with no gap, up to a last announcement
    last_word = f"last word {which}"
    server.announce(last_word)
    wait_for(lambda: steady.saw(last_word), what="the last announcement at the steady client")
    assert contiguous(steady.seqs()) and steady.seqs()[0] == hello["seq"]
    assert not steady.done.is_set(), "the steady client was disconnected"

    # the stalled client comes back, as live.js does, after the last seq it read (it read nothing
    # after its hello, whose seq is at least the steady client's), and misses nothing
    read, epoch = hello["seq"], hello["data"]["epoch"]
    back = Listener(f"{server.ws_url}{path}?after={read}&epoch={epoch}", headers)
    wait_for(lambda: back.saw(last_word), what="the reconnected client to catch up")
    # every message again, in order, none twice; of the boards replaced meanwhile only the newest
    assert back.seqs() == sorted(set(back.seqs())) and back.seqs()[0] > read
    by_seq = {m["seq"]: m for m in steady.messages}
    assert all(by_seq[m["seq"]] == m for m in back.messages)
    covered = [m for m in steady.messages[1:] if m["seq"] <= back.seqs()[-1]]
    assert [m for m in covered if m["type"] not in SNAPSHOT_TYPES] == [
        m for m in back.messages if m["type"] not in SNAPSHOT_TYPES
    ]
    back.close()
    steady.close()

    # every command acknowledged meanwhile is in the command log, its events in the event log
    assert len(acknowledged) >= 2 and all(result["accepted"] for result in acknowledged)
    log = server.admin.request(
        "GET",
        f"/api/v1/competitions/{server.competition}/commands",
        params={"source": "human", "limit": 10000},
    )
    logged = [entry for entry in log if entry["command"]["kind"] == "set_apology_policy"]
    assert len(logged) >= len(acknowledged)
    assert [e["command"]["enabled"] for e in logged[-len(acknowledged) :]] == [
        i % 2 == 0 for i in range(len(acknowledged))
    ]
    events = [event for result in acknowledged for event in result["events"]]

    def stored() -> bool:
        first = events[0]["seq"]
        path = f"/api/v1/competitions/{server.competition}/events"
        stored = server.admin.request("GET", path, params={"after": first - 1, "limit": 5000})
        by_seq = {e["seq"]: e for e in stored}
        return all(by_seq.get(e["seq"]) == e for e in events)

    wait_for(stored, what="the acknowledged commands' events in the event log")
    assert server.rss_mb() - rss_before < 100, "the server's memory grew without bound"


def test_a_server_with_a_client_that_stopped_reading_still_shuts_down(tmp_path: Any) -> None:
    # a send timeout far longer than the test: only the shutdown can end this connection
    server = start_server(tmp_path, WEBSOCKET_SEND_TIMEOUT="300", WEBSOCKET_SEND_BUFFER="4096")
    try:
        stalled = stalled_client(server, f"/ws/public/{server.competition}")

        def kernel_buffer_full() -> bool:
            for _ in range(10):
                server.announce()
            return unsent_bytes(server.port, stalled) >= 4096

        wait_for(kernel_buffer_full, interval=0, what="the kernel's buffer for the client full")
        # then 80 KiB more, more than uvicorn's transport buffers (64 KiB) before it blocks sends
        for _ in range(150):
            server.announce()
        server.process.process.terminate()
        try:
            code = server.process.process.wait(timeout=30)
        except Exception:
            pytest.fail("the server did not stop: it waits for the client that stopped reading")
        assert code in (0, -signal.SIGTERM)  # uvicorn ends by raising the signal it handled
        assert ended_by_server(stalled)
        stalled.close()
    finally:
        if server.process.process.poll() is None:  # it hung: do not leave it behind
            server.process.kill()


def test_pings_from_a_client_that_does_not_read_cannot_fill_the_servers_memory(server: Server) -> None:
    """Every ping asks for a pong; a client that never reads them would have them pile up."""
    stalled = stalled_client(server, f"/ws/public/{server.competition}")
    client_port = stalled.getsockname()[1]
    rss_before = server.rss_mb()
    ping = bytes([0x89, 0x80 | 125]) + bytes(4) + b"p" * 125  # a masked ping with 125 bytes
    for _ in range(120):
        stalled.sendall(ping * 1000)  # 15 MB of pings in all, 15 MB of pongs to answer them
    wait_for(
        lambda: socket_queues(client_port, server.port)[0] == 0 == socket_queues(server.port, client_port)[1],
        what="the server to read every ping",
    )
    assert server.rss_mb() - rss_before < 8, "the pongs the client does not read pile up"
    stalled.close()


# --- clients that send ------------------------------------------------------------------------------


def test_a_client_that_keeps_sending_is_closed_with_1008(server: Server) -> None:
    path = f"{server.ws_url}/ws/public/{server.competition}"
    with connect(path) as polite:  # a few messages (a keep-alive, say) are let through
        assert json.loads(polite.recv(timeout=10))["type"] == "hello"
        for _ in range(CLIENT_MESSAGES):
            polite.send("ping")
        server.announce("still listening")
        while "still listening" not in json.dumps(json.loads(polite.recv(timeout=10))["data"]):
            pass
    before = len(server.lines("read-only channel"))
    with connect(path) as flood:
        assert json.loads(flood.recv(timeout=10))["type"] == "hello"
        for _ in range(CLIENT_MESSAGES + 1):
            flood.send("ping")
        code, reason = closing(flood)
    assert code == 1008
    assert reason == READ_ONLY and "read-only" in reason
    wait_for(lambda: len(server.lines("read-only channel")) == before + 1, what="the log line")
    (line,) = server.lines(rf"websocket public:{server.competition}: .*read-only channel; closed with 1008")[
        -1:
    ]
    assert line


def test_a_message_larger_than_the_limit_is_closed_with_1009(server: Server) -> None:
    path = f"{server.ws_url}/ws/public/{server.competition}"
    with connect(path, max_size=2**24) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "hello"
        ws.send("x" * (MAX_MESSAGE // 2))  # within the limit: counted, not closed
        ws.send("x" * (MAX_MESSAGE + 1))
        code, reason = closing(ws)
    assert code == 1009
    assert reason and str(MAX_MESSAGE) in reason


def test_a_binary_flood_of_frames_is_closed_with_1008(server: Server) -> None:
    """Frames written as fast as a socket takes them, none read back: closed after the budget."""
    with connect(f"{server.ws_url}/ws/team", additional_headers=member_headers(server)) as ws:
        assert json.loads(ws.recv(timeout=10))["type"] == "hello"
        for _ in range(500):
            try:
                ws.send(struct.pack("!I", 7) * 64)
            except ConnectionClosed:
                break
        code, reason = closing(ws)
    assert (code, reason) == (1008, READ_ONLY)


# --- refusals ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "words"),
    [
        ("/ws/public/987654", "there is no competition 987654"),
        ("/ws/judge/987654", "there is no competition 987654"),
        ("/ws/instructor/987654", "there is no competition 987654"),
        ("/ws/team?token=nonsense", "join a team first"),
        ("/ws/judge/{id}", "only this competition's judges"),
    ],
)
def test_a_refused_handshake_is_closed_with_1008_and_the_reason(
    server: Server, path: str, words: str
) -> None:
    with connect(server.ws_url + path.format(id=server.competition)) as ws:
        code, reason = closing(ws)
    assert code == 1008
    assert reason and words in reason


@pytest.mark.parametrize(
    "query",
    ["after=abc", "after=--1", "after=-5", "after=", "after=999999999999", "after=1&epoch=0badc0de"],
)
def test_a_meaningless_seq_or_epoch_gets_a_resync(server: Server, query: str) -> None:
    with connect(f"{server.ws_url}/ws/public/{server.competition}?{query}") as ws:
        first = json.loads(ws.recv(timeout=10))
    assert first["type"] == "resync"
    assert {"epoch", "status", "standings"} <= set(first["data"])


def test_a_good_seq_and_epoch_resume_without_a_resync(server: Server) -> None:
    path = f"{server.ws_url}/ws/public/{server.competition}"
    with connect(path) as ws:
        hello = json.loads(ws.recv(timeout=10))
    server.announce("while away")
    with connect(f"{path}?after={hello['seq']}&epoch={hello['data']['epoch']}") as ws:
        first = json.loads(ws.recv(timeout=10))
    assert first["type"] != "resync" and first["seq"] == hello["seq"] + 1


# --- the cap on open websockets, and a storm of connections -------------------------------------------


def test_beyond_the_cap_connections_are_closed_with_1013_and_a_storm_leaves_no_slot_taken(
    server: Server,
) -> None:
    path = f"/ws/public/{server.competition}"
    files_before = server.open_files()
    rss_before = server.rss_mb()
    # a storm: 150 connections that complete the handshake and are reset at once
    for _ in range(150):
        sock = stalled_client(server, path)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        sock.close()
    # and 50 that go away in the middle of the handshake
    for _ in range(50):
        with socket.create_connection(("127.0.0.1", server.port)) as sock:
            sock.sendall(b"GET " + path.encode() + b" HTTP/1.1\r\nUpgrade: websocket\r\n")

    def all_admitted() -> list[Listener] | None:
        """CAP clients at once, each greeted; None (and all closed) if any was turned away."""
        clients = [Listener(server.ws_url + path) for _ in range(CAP)]
        wait_for(lambda: all(cl.messages or cl.done.is_set() for cl in clients), what="hellos")
        if all(cl.messages and cl.messages[0]["type"] == "hello" for cl in clients):
            return clients
        for cl in clients:
            cl.close()
        return None

    held = wait_for(all_admitted, timeout=20, what=f"{CAP} connections admitted after the storm")
    with connect(server.ws_url + path) as extra:
        code, reason = closing(extra)
    assert (code, reason) == (1013, BUSY)
    wait_for(lambda: server.lines(r"websockets: \d+ open, the most WEBSOCKET_MAX_CONNECTIONS"), what="log")

    held.pop().close()  # a slot frees: the next one is let in

    def admitted_again() -> bool:
        with connect(server.ws_url + path) as again:
            return bool(json.loads(again.recv(timeout=10))["type"] == "hello")

    wait_for(lambda: _refused_is_false(admitted_again), what="a connection admitted in the freed slot")
    for cl in held:
        cl.close()
    assert server.admin.request("GET", "/api/v1/health")["ok"]
    wait_for(lambda: server.open_files() <= files_before + 5, what="the storm's file descriptors closed")
    assert server.rss_mb() - rss_before < 100


def _refused_is_false(attempt: Any) -> bool:
    """``attempt()``, where a connection closed with 1013 counts as False."""
    try:
        return bool(attempt())
    except ConnectionClosed:
        return False
