"""The client side of ``bench/competition_load.py``: members sending notes, teammates listening.

``run_members`` runs in a child process and plays a slice of the teams: every member has its
team websocket (``/ws/team``) open, and the process sends, at the times of one schedule shared
by all processes (a fixed total rate, the members of the whole competition in turn), each
command whose member it plays: ``POST /api/v1/team/customers/{id}/notes``, the cheapest desk
command. It measures every command's round-trip and, for the event the command caused, the time
from sending the command to that event's arrival on each teammate's websocket (fan-out).
``run_viewers`` keeps public board websockets open and drains them. Both return plain data.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import re
import time
from dataclasses import dataclass, field
from typing import Any

import websockets


class Http:
    """A minimal HTTP/1.1 client: kept-alive connections to one server, one request on each at a time.

    httpx costs a few milliseconds of CPU a request; on a shared 2-core machine, at hundreds of
    commands a second, the benchmark's own clients then fell behind their schedule and the
    figures measured them, not the server. This writes the request bytes and reads the
    status line, the Content-Length and the body: what uvicorn answers to a JSON request.
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.idle: list[tuple[asyncio.StreamReader, asyncio.StreamWriter]] = []
        self.opened: list[asyncio.StreamWriter] = []

    async def post(self, path: str, body: bytes, token: str) -> tuple[int, bytes]:
        return await self.send("POST", path, body, token)

    async def get(self, path: str, token: str) -> tuple[int, bytes]:
        return await self.send("GET", path, b"", token)

    async def send(self, method: str, path: str, body: bytes, token: str) -> tuple[int, bytes]:
        """(status, body) of one request; a kept-alive connection the server has closed is replaced.

        A connection that was idle may have been closed by the server meanwhile (its keep-alive
        ran out): if it fails before any answer, the request goes again on a new connection,
        once, as browsers do. The server never read it, so nothing is done twice.
        """
        authorization = f"Authorization: Bearer {token}\r\n" if token else ""  # none: a login
        head = (
            f"{method} {path} HTTP/1.1\r\nHost: {self.host}\r\n{authorization}"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body
        while self.idle:
            reader, writer = self.idle.pop()
            try:
                return await self._exchange(reader, writer, head)
            except (OSError, asyncio.IncompleteReadError) as exc:
                writer.close()
                if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                    raise
        reader, writer = await asyncio.open_connection(self.host, self.port)
        self.opened.append(writer)
        return await self._exchange(reader, writer, head)

    async def _exchange(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
    ) -> tuple[int, bytes]:
        writer.write(request)
        status_and_headers = await reader.readuntil(b"\r\n\r\n")
        lines = status_and_headers.split(b"\r\n")
        status = int(lines[0].split(b" ", 2)[1])
        length = 0
        for line in lines[1:]:
            if line[:15].lower() == b"content-length:":
                length = int(line[15:])
        answer = await reader.readexactly(length) if length else b""
        self.idle.append((reader, writer))
        return status, answer

    async def close(self) -> None:
        for writer in self.opened:
            writer.close()


MARKER = re.compile(r"bench-mark-(\d+)")
"""An instructor's announcement marker as the board's ticker carries it (``bench-mark-N``)."""

DRAIN_SECONDS = 60.0
"""After the schedule, how long the process waits for the last answers and events at most."""


@dataclass(frozen=True, slots=True)
class TeamPlan:
    name: str
    customer: str
    tokens: tuple[str, ...]
    indices: tuple[int, ...]
    """Each member's place in the competition-wide round robin."""


@dataclass(slots=True)
class ClientFigures:
    """What one process measured, as plain data (it crosses a process boundary)."""

    rtts: list[float] = field(default_factory=list)
    answers: list[tuple[float, float]] = field(default_factory=list)  # (sent, rtt), monotonic seconds
    fanouts: list[float] = field(default_factory=list)
    sent: int = 0
    answered: int = 0
    missing_events: int = 0
    last_answer: float = 0.0  # monotonic seconds
    late_sends: int = 0  # commands sent more than 50 ms after their time (the client fell behind)
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    messages: int = 0


async def _listen(url: str, heard: dict[int, float], ready: asyncio.Event, figures: ClientFigures) -> None:
    """One teammate's websocket: the arrival time of every event by its seq."""
    try:
        async with websockets.connect(url, max_size=None, compression=None, open_timeout=60) as ws:
            await ws.recv()  # hello
            ready.set()
            async for raw in ws:
                figures.messages += 1
                if '"type":"event"' not in raw[:80] and '"type": "event"' not in raw[:80]:
                    continue
                now = time.monotonic()
                message = json.loads(raw)
                heard[int(message["data"]["seq"])] = now
    except (websockets.ConnectionClosed, OSError) as exc:
        figures.errors[f"websocket: {type(exc).__name__}"] += 1
        ready.set()


async def _members(
    base_url: str,
    ws_url: str,
    teams: list[TeamPlan],
    total_members: int,
    rate: float,
    seconds: float,
    ready: Any,
    start: Any,
) -> ClientFigures:
    figures = ClientFigures()
    address = base_url.removeprefix("http://")
    host, _, port = address.partition(":")
    http = Http(host, int(port))
    heard: list[dict[int, float]] = []
    who: dict[int, tuple[int, int]] = {}  # round-robin index -> (team number, member number)
    listeners: list[asyncio.Task[None]] = []
    events: list[asyncio.Event] = []
    for ti, team in enumerate(teams):
        for mi, (token, index) in enumerate(zip(team.tokens, team.indices, strict=True)):
            who[index] = (ti, mi)
            heard.append({})
            connected = asyncio.Event()
            events.append(connected)
            url = f"{ws_url}/ws/team?token={token}"
            listeners.append(asyncio.create_task(_listen(url, heard[-1], connected, figures)))
    await asyncio.gather(*(e.wait() for e in events))
    ready.send("ready")
    t0 = await asyncio.to_thread(start.recv)
    commands: list[tuple[int, int, float, list[int]]] = []  # team, member, sent, event seqs
    offsets = [0]
    for team in teams:
        offsets.append(offsets[-1] + len(team.tokens))

    async def send(ti: int, mi: int, n: int) -> None:
        team = teams[ti]
        body = json.dumps({"text": f"note {n}"}).encode()
        sent = time.monotonic()
        try:
            status, answer = await http.post(
                f"/api/v1/team/customers/{team.customer}/notes", body, team.tokens[mi]
            )
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            figures.errors[f"command: {type(exc).__name__}"] += 1
            return
        answered = time.monotonic()
        figures.last_answer = max(figures.last_answer, answered)
        if status != 200:
            figures.errors[f"command: HTTP {status}"] += 1
            return
        figures.answered += 1
        figures.rtts.append(answered - sent)
        figures.answers.append((sent, answered - sent))
        seqs = [int(e["seq"]) for e in json.loads(answer)["events"]]
        commands.append((ti, mi, sent, seqs))

    tasks: list[asyncio.Task[None]] = []
    total = int(rate * seconds)
    for n in range(total):
        index = n % total_members
        if index not in who:
            continue
        due = t0 + n / rate
        wait = due - time.monotonic()
        if wait > 0:
            await asyncio.sleep(wait)
        elif wait < -0.05:
            figures.late_sends += 1
        ti, mi = who[index]
        figures.sent += 1
        tasks.append(asyncio.create_task(send(ti, mi, n)))
    deadline = time.monotonic() + DRAIN_SECONDS
    with contextlib.suppress(TimeoutError):
        await asyncio.wait_for(asyncio.gather(*tasks), max(1.0, deadline - time.monotonic()))
    await asyncio.sleep(1.0)  # the last events on their way
    for ti, mi, sent, seqs in commands:
        base = offsets[ti]
        for other in range(len(teams[ti].tokens)):
            if other == mi:
                continue
            got = [heard[base + other].get(s) for s in seqs]
            if not seqs or any(g is None for g in got):
                figures.missing_events += 1
                continue
            figures.fanouts.append(max(g for g in got if g is not None) - sent)
    for task in listeners:
        task.cancel()
    await asyncio.gather(*listeners, return_exceptions=True)
    await http.close()
    return figures


def run_members(
    base_url: str,
    ws_url: str,
    teams: list[TeamPlan],
    total_members: int,
    rate: float,
    seconds: float,
    ready: Any,
    start: Any,
) -> ClientFigures:
    """Play ``teams`` (a child process): connect, say ``ready``, wait for t0, send, measure."""
    return asyncio.run(_members(base_url, ws_url, teams, total_members, rate, seconds, ready, start))


@dataclass(slots=True)
class ViewerFigures:
    """What the board viewers of one process received (plain data, crosses a process boundary)."""

    connected: int = 0
    received: int = 0
    markers: dict[int, list[float]] = field(default_factory=dict)  # marker → monotonic receive times


async def _viewers(
    ws_url: str, competition_id: int, count: int, seconds: float, ready: Any, start: Any
) -> ViewerFigures:
    figures = ViewerFigures()
    done = asyncio.Event()

    def note_marker(text: str | bytes) -> None:
        at = time.monotonic()
        if isinstance(text, bytes):
            text = text.decode()
        found = MARKER.search(text)
        if found:
            figures.markers.setdefault(int(found.group(1)), []).append(at)

    async def view() -> None:
        try:
            async with websockets.connect(
                f"{ws_url}/ws/public/{competition_id}", max_size=None, compression=None, open_timeout=60
            ) as ws:
                await ws.recv()
                figures.connected += 1
                while not done.is_set():
                    with contextlib.suppress(TimeoutError):
                        message = await asyncio.wait_for(ws.recv(), 1.0)
                        figures.received += 1
                        note_marker(message)
        except (websockets.ConnectionClosed, OSError):
            pass

    tasks = [asyncio.create_task(view()) for _ in range(count)]
    while figures.connected < count and not all(t.done() for t in tasks):
        await asyncio.sleep(0.1)
    ready.send("ready")
    await asyncio.to_thread(start.recv)
    await asyncio.sleep(seconds + 2.0)
    done.set()
    await asyncio.gather(*tasks, return_exceptions=True)
    return figures


def run_viewers(
    ws_url: str, competition_id: int, count: int, seconds: float, ready: Any, start: Any
) -> ViewerFigures:
    """Hold ``count`` public board websockets for the run (a child process): what they received,
    with the time each announcement marker (``MARKER``) reached each viewer."""
    return asyncio.run(_viewers(ws_url, competition_id, count, seconds, ready, start))
