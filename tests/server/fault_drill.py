"""A fault drill against a real server: players, what it acknowledged, and the checks afterwards.

``new_competition`` sets up a competition with two house bots and one human team; a
``MemberPlayer`` thread plays that team over HTTP without pause, recording every command the
server acknowledged (its simulated time and the events it returned) and every refusal.
``verify`` then holds the recovered server to what it acknowledged: each acknowledged command
in the command log, each acknowledged event stored identical in the database, ``damaged``
None, the digest equal to an offline replay of the command log, and the standings shown equal
to those computed from the replayed event log. Used by tests/server/test_faults_*.py and
bench/faults.py.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from server.client.api_client import ApiError, SalesfloorClient
from server.live.served_replay import replay_served, replayed_standings
from server.persistence.db.engine import make_engine
from server.persistence.store import Store
from teams import commands as c

PASSWORD = "pw"
TEAMS: tuple[tuple[str, str | None], ...] = (("Alpha", "balanced"), ("Bravo", "dumper"), ("Human", None))


class DrillFailed(AssertionError):
    """What the recovered server shows differs from what it acknowledged."""


def check(condition: bool, message: str) -> None:
    if not condition:
        raise DrillFailed(message)


def wait_until(condition: Callable[[], Any], timeout: float, what: str) -> Any:
    """Poll ``condition`` until it is truthy; DrillFailed after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise DrillFailed(f"timed out after {timeout:g} s waiting for {what}")
        time.sleep(0.05)


def instructor(url: str) -> SalesfloorClient:
    admin = SalesfloorClient(url)
    admin.login_instructor(PASSWORD)
    return admin


def new_competition(
    url: str, seed: int, seconds_per_hour: float, rounds: int | None = None
) -> tuple[int, str]:
    """Create and start a competition; its id and the human team's join code."""
    admin = instructor(url)
    body: dict[str, Any] = {"name": "Faults", "seed": seed, "seconds_per_hour": seconds_per_hour}
    if rounds is not None:
        body["rounds"] = rounds
    cid = int(admin.request("POST", "/api/v1/competitions", json=body)["id"])
    code = ""
    for name, bot in TEAMS:
        team = admin.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot})
        if bot is None:
            code = str(team["join_code"])
    admin.request("POST", f"/api/v1/competitions/{cid}/start")
    admin.close()
    return cid, code


def resume(url: str, cid: int) -> str:
    """After a restart the competition is paused: the instructor resumes it (or starts the next round)."""
    admin = instructor(url)
    detail = admin.request("GET", f"/api/v1/competitions/{cid}")
    if detail["state"] == "paused":
        action = "next-round" if detail["between_rounds"] else "resume"
        admin.request("POST", f"/api/v1/competitions/{cid}/{action}")
    state = str(admin.request("GET", f"/api/v1/competitions/{cid}")["state"])
    admin.close()
    return state


@dataclass(frozen=True, slots=True)
class Ack:
    """A command the server acknowledged: when it was applied and what it said."""

    t: float
    kind: str
    key: Any
    events: tuple[dict[str, Any], ...]


@dataclass
class MemberPlayer:
    """A team member who keeps playing: apology policy on and off, a quote for each open inquiry."""

    url: str
    code: str
    acks: list[Ack] = field(default_factory=list)
    refusals: Counter[tuple[int, str]] = field(default_factory=Counter)
    refusal_reasons: dict[tuple[int, str], str] = field(default_factory=dict)
    refused: Counter[tuple[str, Any]] = field(default_factory=Counter)  # (kind, key) answered 4xx
    unreachable: int = 0

    def __post_init__(self) -> None:
        self._stop = threading.Event()
        self._going, self._idle = threading.Event(), threading.Event()
        self._going.set()
        self._thread = threading.Thread(target=self._run, name="member-player", daemon=True)
        # a kill ends a request at once (the connection drops); a slow answer on a loaded machine
        # must not be taken for one that never came, so the wait for an answer is generous
        self.client = SalesfloorClient(self.url, timeout=30, wait_when_busy=0)  # counts every refusal
        self.client.join(self.code, "Kim", "manager")

    def start(self) -> MemberPlayer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._going.set()
        if self._thread.ident is not None:
            self._thread.join(timeout=30)
        self.client.close()

    def acknowledged_since(self, count: int) -> int:
        return len(self.acks) - count

    def await_acks(
        self, total: int, what: str = "acknowledged member commands", timeout: float = 60.0
    ) -> None:
        """Wait until the server has acknowledged ``total`` commands of this member in all."""
        wait_until(lambda: len(self.acks) >= total, timeout, f"{what} ({total} in all)")

    def hold(self) -> None:
        """Stop sending (until ``go``); returns once no command of this player is in flight."""
        self._going.clear()
        wait_until(lambda: self._idle.is_set(), 30, "the member player to stop sending")

    def go(self) -> None:
        self._going.set()

    def _run(self) -> None:
        flip = False
        while not self._stop.is_set():
            if not self._going.is_set():
                self._idle.set()
                self._going.wait()
                self._idle.clear()
                continue
            flip = not flip
            self._send(c.SetApologyPolicy(team="", enabled=flip), "set_apology_policy", flip)
            inbox = self._get("/api/v1/team/state")
            for item in (inbox or {}).get("inbox", [])[:2]:
                if item["status"] == "open":
                    command = c.SendQuote(
                        team="", inquiry_id=item["inquiry_id"], discount=0.05, terms_days=7, delivery_days=3
                    )
                    self._send(command, "send_quote", item["inquiry_id"])

    def _get(self, path: str) -> dict[str, Any] | None:
        try:
            out: dict[str, Any] = self.client.request("GET", path)
            return out
        except ApiError as exc:
            self.refusals[(exc.status, exc.code)] += 1
            self.refusal_reasons.setdefault((exc.status, exc.code), exc.detail)
        except httpx.HTTPError:
            self.unreachable += 1
        self._pause()
        return None

    def _send(self, command: c.Command, kind: str, key: Any) -> None:
        try:
            result = self.client.command(command)
        except ApiError as exc:
            self.refusals[(exc.status, exc.code)] += 1
            self.refusal_reasons.setdefault((exc.status, exc.code), exc.detail)
            if exc.status >= 500:
                self._pause()
            else:  # answered: the desk refused it (a lapsed inquiry), and logged it as refused
                self.refused[(kind, key)] += 1
            return
        except httpx.HTTPError:
            self.unreachable += 1
            self._pause()
            return
        self.acks.append(Ack(float(result["t_sim"]), kind, key, tuple(result["events"])))

    def _pause(self) -> None:
        self._stop.wait(0.05)


class BoardWatcher:
    """The public board's websocket, read in a thread: each message with the wall time it came."""

    def __init__(self, url: str, cid: int) -> None:
        self.client = SalesfloorClient(url)
        self.path = f"/ws/public/{cid}"
        self.messages: list[tuple[float, dict[str, Any]]] = []
        self.error: BaseException | None = None
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="board-watcher", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            asyncio.run(self._read())
        except BaseException as exc:  # reported to the test, which fails on it
            self.error = exc

    async def _read(self) -> None:
        async for message in self.client.stream(self.path):
            self.messages.append((time.monotonic(), message))
            if self._stop.is_set():
                return

    def latest_t(self, after: float = float("-inf")) -> float:
        """The largest simulated time of the messages received after ``after`` (monotonic), or -1."""
        times = [m.get("t_sim") for at, m in self.messages if at > after]
        return max((t for t in times if isinstance(t, (int, float))), default=-1.0)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)
        self.client.close()


def _command_key(entry: dict[str, Any]) -> tuple[float, str, Any]:
    command = entry["command"]
    kind = command["kind"]
    return (
        entry["t"],
        kind,
        command.get("enabled") if kind == "set_apology_policy" else command.get("inquiry_id"),
    )


def verify(url: str, database_url: str, cid: int, player: MemberPlayer, in_flight: int) -> dict[str, Any]:
    """Hold the (recovered) server to what it acknowledged; figures of the run for a report.

    ``in_flight`` bounds the human commands in the log that were never acknowledged: one sent
    at each kill, whose answer never came.
    """
    admin = instructor(url)
    detail = admin.request("GET", f"/api/v1/competitions/{cid}")
    check(detail["damaged"] is None, f"recovery calls the competition damaged: {detail['damaged']}")
    log = admin.request("GET", f"/api/v1/competitions/{cid}/commands", params={"limit": 10000})
    check(len(log) < 10000, "the command log is too long for one page; shorten the drill")
    human_log = [e for e in log if e["source"] == "human"]
    human = Counter(_command_key(e) for e in human_log)
    acked = Counter((a.t, a.kind, a.key) for a in player.acks)
    missing = acked - human
    check(not missing, f"acknowledged commands missing from the command log: {list(missing)[:5]}")
    # a command the desk refused is logged too (refused), and its refusal was an answer: only
    # the commands whose answer never came (one at each kill) may be in the log unanswered
    accepted = Counter(_command_key(e) for e in human_log if e["accepted"])
    refused = Counter(_command_key(e)[1:] for e in human_log if not e["accepted"])
    extra = sum((accepted - acked).values()) + sum((refused - player.refused).values())
    check(
        extra <= in_flight,
        f"{extra} human commands in the log were never answered (at most {in_flight}); "
        f"the player saw refusals {dict(player.refusals)} and {player.unreachable} unreachable",
    )

    store = Store(make_engine(database_url))
    stored = {json.loads(p)["seq"]: json.loads(p) for p in store.event_payloads(cid)}
    store.engine.dispose()
    acked_events = [event for ack in player.acks for event in ack.events]
    lost = [e for e in acked_events if stored.get(e["seq"]) != e]
    check(not lost, f"{len(lost)} acknowledged events are not stored identical, e.g. {lost[:1]}")

    scoring = admin.request("GET", f"/api/v1/competitions/{cid}/scoring")
    rebuilt = replay_served(detail, log)
    rows = replayed_standings(detail, rebuilt, scoring)
    digest_ok = rebuilt.digest() == detail["digest"]
    check(digest_ok, "the digest differs from an offline replay of the command log")
    shown = admin.request("GET", f"/api/v1/competitions/{cid}/standings")["standings"]
    check(shown == rows, f"the standings shown differ from the replayed ones:\n{shown}\n{rows}")
    admin.close()
    return {
        "commands": len(log),
        "human_acknowledged": len(player.acks),
        "events_acknowledged": len(acked_events),
        "events_stored": len(stored),
        "refusals": dict(player.refusals),
        "unreachable": player.unreachable,
    }
