"""The members of a class for the load benchmark: teams of people played by reference bots.

Each member of a team is one client with its own session: its own kept-alive HTTP/1.1
connection (the minimal client of ``bench/competition_clients.py``: httpx cost the client a
few milliseconds of CPU a request, and 120 members on one event loop then queued behind each
other) and its own team websocket (``/ws/team``). Like the team console, a member
refreshes ``GET /api/v1/team/state`` when its team's events (or a state change) arrive (not an
announcement, which changes nothing in the state) and
after each command it sent, at most every 500 ms and never two requests at once, and every
5 s regardless. A team's play comes from a reference bot driven by ``BotDriver``; the
manager's websocket feeds it, and each command goes out through the member whose role may
send it (a quote above the sales authority goes through the manager), so every member's
own rate limit applies. ``run_members`` plays a slice of the class in one process and
returns what it measured as plain data (it runs in a child process of the benchmark),
with its event loop's lag (``bench/loop_lag.py``): how late the process itself ran.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import json
import random
import re
import time
import zlib
from dataclasses import dataclass, field, fields
from typing import Any
from urllib.parse import quote

import httpx
import websockets
from competition_clients import Http
from loop_lag import LagProbe

from market.events import event_from_dict
from market.parameters import MarketParameters, parameters_from_dict
from server.api.http.endpoints import COMMAND_ENDPOINTS, TEAM_PREFIX
from server.live.bot_driver import BotDriver
from teams import commands as c
from teams.bots import make_bot
from teams.ledger import Ledger
from teams.rules import DeskRules

REFRESH_GAP = 0.5
"""Seconds between two state refreshes of one member at most (the console's pace)."""

REFRESH_EVERY = 5.0
"""Seconds between two refreshes of a console's own timer (``setInterval`` in ``static/team.js``).

The timer runs from the moment the console's page loaded, whatever else refreshes it; the
consoles of a class are opened at different moments, so each member's timer has its own
phase (drawn from the member's name: the same in every run)."""

ANNOUNCEMENT = re.compile(r'"kind":\s*"announcement_made"')
"""How an announcement's event reads on the team websocket (the console does not refresh for it)."""

ENVELOPE = re.compile(r'\{"seq":\s*(\d+),\s*"type":\s*"(\w+)"')


@dataclass(frozen=True, slots=True)
class MemberSpec:
    team: str
    role: str
    token: str


@dataclass(frozen=True, slots=True)
class TeamSpec:
    name: str
    strategy: str
    members: tuple[MemberSpec, ...]


@dataclass(slots=True)
class Figures:
    """What one process of members measured (plain data, so that it crosses a process boundary)."""

    commands: list[tuple[float, float, int, float]] = field(default_factory=list)
    """(sent, answered, HTTP status, t_sim of an accepted command or NaN), perf_counter seconds."""
    refreshes: list[float] = field(default_factory=list)  # GET /team/state round-trips, seconds
    errors: collections.Counter[str] = field(default_factory=collections.Counter)
    messages: int = 0
    cpu_seconds: float = 0.0
    lags: list[float] = field(default_factory=list)  # the process's event-loop lag, seconds


def _command_request(command: c.Command) -> tuple[str, str, dict[str, Any]]:
    """(method, path, JSON body) of a desk command, as ``SalesfloorClient.command`` sends it."""
    method, path, path_field = COMMAND_ENDPOINTS[type(command)]
    body = {
        f.name: getattr(command, f.name) for f in fields(command) if f.name not in ("team", "role", "member")
    }
    if path_field is not None:
        value = quote(str(body.pop(path_field)), safe="/")
        path = path.replace(f"{{{path_field}:path}}", value).replace(f"{{{path_field}}}", value)
    return method, TEAM_PREFIX + path, body


class Member:
    """One person of a team: a session, an HTTP connection, a team websocket, a console's refreshes."""

    def __init__(
        self, spec: MemberSpec, urls: tuple[str, str], compression: str | None, figures: Figures
    ) -> None:
        base_url, ws_url = urls
        self.spec = spec
        self.compression = compression
        self.ws_url = ws_url
        self.figures = figures
        host, _, port = base_url.removeprefix("http://").partition(":")
        self.http = Http(host, int(port))
        self.on_event: Any = None  # the bot's feed, on the member that drives it
        self.wanted = asyncio.Event()
        self.stopped = asyncio.Event()
        self.after: int | None = None
        self.epoch: str | None = None
        self.phase = random.Random(zlib.crc32(f"{spec.team}/{spec.role}".encode())).uniform(0, REFRESH_EVERY)

    async def send(self, command: c.Command) -> tuple[bool, str]:
        method, path, body = _command_request(command)
        sent = time.perf_counter()
        try:
            status, answer = await self.http.send(method, path, json.dumps(body).encode(), self.spec.token)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            if not self.stopped.is_set():
                self.figures.errors[f"command: {type(exc).__name__}"] += 1
            return False, str(exc)
        answered = time.perf_counter()
        t_sim = float(json.loads(answer)["t_sim"]) if status == 200 else float("nan")
        self.figures.commands.append((sent, answered, status, t_sim))
        self.wanted.set()
        if status == 200:
            return True, ""
        try:
            detail = str(json.loads(answer).get("detail", ""))
        except (json.JSONDecodeError, AttributeError):
            detail = answer.decode(errors="replace")
        return False, detail

    async def follow(self, gate: asyncio.Semaphore) -> None:
        """Read the team channel until stopped, reconnecting with the last seq on a drop.

        ``gate`` bounds how many members open their connection at the same moment.
        """
        while not self.stopped.is_set():
            url = f"{self.ws_url}/ws/team"
            if self.after is not None:
                url += f"?after={self.after}" + (f"&epoch={self.epoch}" if self.epoch else "")
            try:
                async with gate:
                    ws = await websockets.connect(
                        url,
                        additional_headers={"Authorization": f"Bearer {self.spec.token}"},
                        max_size=2**24,
                        open_timeout=60,
                        close_timeout=2,
                        ping_interval=None,
                        compression=self.compression,
                    )
                async with ws:
                    async for raw in ws:
                        self._read(raw if isinstance(raw, str) else raw.decode())
            except websockets.ConnectionClosed as exc:
                if not self.stopped.is_set():
                    code = exc.rcvd.code if exc.rcvd else "none"
                    self.figures.errors[f"team websocket closed (code {code})"] += 1
            except (OSError, TimeoutError, websockets.WebSocketException) as exc:
                if self.stopped.is_set():
                    return
                self.figures.errors[f"team websocket: {type(exc).__name__}"] += 1
                await asyncio.sleep(1.0)
            else:
                if not self.stopped.is_set():
                    self.figures.errors["team websocket closed by the server"] += 1

    def _read(self, text: str) -> None:
        self.figures.messages += 1
        head = ENVELOPE.match(text)  # standings need no parsing: the member only counts them
        if head is None:
            return
        self.after, kind = int(head[1]), head[2]
        if kind == "standings":
            return
        if kind in ("hello", "resync", "state") or (kind == "event" and not ANNOUNCEMENT.search(text)):
            self.wanted.set()  # as the console: an announcement changes nothing in the team's state
        if kind in ("hello", "resync"):
            self.epoch = json.loads(text)["data"]["epoch"]
        if self.on_event is not None and kind in ("event", "hello", "resync"):
            self.on_event(kind, json.loads(text)["data"] if kind == "event" else None)

    async def refresh_loop(self) -> None:
        """Refresh the team's state when wanted (at most every 500 ms, one at a time) and on its timer."""
        last = -1e9
        timer = time.perf_counter() + self.phase
        while not self.stopped.is_set():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.wanted.wait(), max(0.0, timer - time.perf_counter()))
            while timer <= time.perf_counter():
                timer += REFRESH_EVERY
            await asyncio.sleep(max(0.0, last + REFRESH_GAP - time.perf_counter()))
            if self.stopped.is_set():
                return
            self.wanted.clear()
            last = time.perf_counter()
            try:
                status, _ = await self.http.get("/api/v1/team/state", self.spec.token)
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                if not self.stopped.is_set():
                    self.figures.errors[f"state: {type(exc).__name__}"] += 1
                continue
            if status == 200:
                self.figures.refreshes.append(time.perf_counter() - last)
            else:
                self.figures.errors[f"state HTTP {status}"] += 1


class Team:
    """The members of one team and the reference bot whose commands they send."""

    def __init__(
        self,
        spec: TeamSpec,
        params: MarketParameters,
        seconds_per_hour: float,
        urls: tuple[str, str],
        compression: str | None,
        figures: Figures,
    ) -> None:
        self.spec = spec
        self.members = [Member(m, urls, compression, figures) for m in spec.members]
        self.rules = DeskRules()
        product = params.product
        self.ledger = Ledger(spec.name, product.unit_cost, product.order_cost, params.calendar)
        bot = make_bot(spec.strategy, spec.name, params)
        self.driver = BotDriver(bot, self.ledger, self.submit, seconds_per_hour)
        self.last_event = -1
        self.feed = next((m for m in self.members if m.spec.role == "manager"), self.members[0])
        self.feed.on_event = self._on_message
        self.catching_up: asyncio.Task[None] | None = None

    def sender(self, command: c.Command) -> Member:
        """The member who sends ``command``: the first whose role may, within its discount authority."""
        discount = getattr(command, "discount", None)
        for member in self.members:
            role = member.spec.role
            if not self.rules.allowed(role, type(command)):
                continue
            if discount is not None and self.rules.route_discount(role, float(discount)) != "send":
                continue
            return member
        return self.feed

    async def submit(self, command: c.Command) -> tuple[bool, str]:
        return await self.sender(command).send(command)

    def _on_message(self, kind: str, data: dict[str, Any] | None) -> None:
        if kind == "event" and data is not None:
            if int(data["seq"]) > self.last_event:
                self.driver.handle(event_from_dict(data))
                self.last_event = int(data["seq"])
        elif self.last_event >= 0:  # a hello after a reconnect or a resync: fetch what was missed
            self.catching_up = asyncio.create_task(self._catch_up())

    async def _catch_up(self) -> None:
        path = f"/api/v1/team/events?after={self.last_event}&limit=5000"
        try:
            status, answer = await self.feed.http.get(path, self.feed.spec.token)
        except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
            self.feed.figures.errors[f"events: {type(exc).__name__}"] += 1
            return
        if status != 200:
            self.feed.figures.errors[f"events HTTP {status}"] += 1
            return
        for past in json.loads(answer):
            if int(past["seq"]) > self.last_event:
                self.driver.handle(event_from_dict(past))
                self.last_event = int(past["seq"])

    def stop(self) -> None:
        """Stop the bot and the members: nothing is sent or counted from now on."""
        self.driver.stop()
        for member in self.members:
            member.stopped.set()

    async def close(self) -> None:
        await asyncio.gather(*(m.http.close() for m in self.members), return_exceptions=True)


async def play(
    teams: list[TeamSpec],
    competition_id: int,
    seconds_per_hour: float,
    urls: tuple[str, str],
    compression: str | None,
    ready: Any,
    go: Any,
    stop: Any,
) -> Figures:
    """Connect every member, wait for ``go``, play until ``stop``; the figures."""
    figures = Figures()
    first = teams[0].members[0]
    async with httpx.AsyncClient(base_url=urls[0], timeout=30.0) as http:
        answer = await http.get(
            f"/api/v1/competitions/{competition_id}/parameters",
            headers={"Authorization": f"Bearer {first.token}"},
        )
        answer.raise_for_status()
    params = parameters_from_dict(answer.json())
    live = [Team(spec, params, seconds_per_hour, urls, compression, figures) for spec in teams]
    members = [m for team in live for m in team.members]
    gate = asyncio.Semaphore(25)
    followers = [asyncio.create_task(m.follow(gate)) for m in members]
    while any(m.after is None for m in members) and not stop.is_set():
        await asyncio.sleep(0.05)
    ready.set()
    while not go.is_set() and not stop.is_set():
        await asyncio.sleep(0.02)
    cpu_start = time.process_time()
    probe = LagProbe()
    probe.start()
    for team in live:
        team.driver.start()
    refreshers = [asyncio.create_task(m.refresh_loop()) for m in members]
    while not stop.is_set():
        await asyncio.sleep(0.05)
    figures.cpu_seconds = time.process_time() - cpu_start
    figures.lags = probe.stop()
    for team in live:
        team.stop()
    for task in followers + refreshers:
        task.cancel()
    await asyncio.gather(*followers, *refreshers, return_exceptions=True)
    for team in live:
        await team.close()
    return figures


def run_members(
    teams: list[TeamSpec],
    competition_id: int,
    seconds_per_hour: float,
    urls: tuple[str, str],
    compression: str | None,
    ready: Any,
    go: Any,
    stop: Any,
    results: Any,
) -> None:
    """A child process's body: play ``teams`` and put the figures on the ``results`` queue.

    ``urls`` are the server's HTTP and websocket base URLs; ``compression`` is what the team
    websockets offer: ``"deflate"`` (as browsers do) or None.
    """
    figures = asyncio.run(play(teams, competition_id, seconds_per_hour, urls, compression, ready, go, stop))
    results.put(("members", figures))
