"""Rebalancing with real workers: a quiet competition goes to its preferred worker, a running one stays.

One worker runs alone (as after a rolling restart) and takes every competition, among them
two whose preferred owner is a second worker not yet started: one left a draft, one running.
Once the second worker starts, the draft is handed over to it and the running one stays
where it is; once paused, it moves too, and answers commands there with the same log, while
a team's websocket on the first worker goes on with the messages the second publishes.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from typing import Any

from server.client.api_client import SalesfloorClient
from server.workers.leases import preferred_owner
from teams import commands as c
from tests.server.processes import ServerProcess, free_port
from tests.server.test_workers import _as, _commands, _wait, shared  # noqa: F401 (a fixture)

LONG_ROUND = {"seconds_per_hour": 0.1, "overrides": {"days_per_round": 365}}  # about five minutes


def _preferring(admin: SalesfloorClient, url: str, urls: list[str], count: int) -> list[int]:
    """New competitions, created until ``count`` of them prefer the worker at ``url``."""
    found: list[int] = []
    while len(found) < count:
        cid = int(admin.request("POST", "/api/v1/competitions", json={"name": "Class", **LONG_ROUND})["id"])
        if preferred_owner(cid, urls) == url:
            found.append(cid)
    return found


def _watch(client: SalesfloorClient, path: str, into: list[dict[str, Any]]) -> None:
    """Read a websocket channel into ``into`` from a thread, until the server closes it."""

    async def read() -> None:
        async for message in client.stream(path):
            into.append(message)

    def run() -> None:
        with contextlib.suppress(Exception):
            asyncio.run(read())

    threading.Thread(target=run, daemon=True).start()


def _runs(worker: ServerProcess) -> list[int]:
    runs: list[int] = worker.health()["runs"]
    return runs


def test_a_quiet_competition_moves_to_its_preferred_worker_and_a_running_one_stays(
    shared: dict[str, str],  # noqa: F811
) -> None:
    first = ServerProcess(shared)
    _wait(lambda: first.health()["owner"], 15, "the first worker becoming the front")
    second_port = free_port()
    second_url = f"http://127.0.0.1:{second_port}"
    second: ServerProcess | None = None
    try:
        admin = SalesfloorClient(first.url)
        admin.login_instructor("pw")
        draft, playing = _preferring(admin, second_url, [first.url, second_url], 2)
        code = admin.request("POST", f"/api/v1/competitions/{playing}/teams", json={"name": "People"})[
            "join_code"
        ]
        admin.request("POST", f"/api/v1/competitions/{draft}/teams", json={"name": "Later"})
        assert admin.request("POST", f"/api/v1/competitions/{playing}/start")["state"] == "running"
        member = SalesfloorClient(first.url)
        member.join(code, "Lin", "manager")
        assert member.command(c.SetApologyPolicy(team="", enabled=True))["accepted"]
        assert {draft, playing} <= set(_runs(first))  # the only worker took them
        second = ServerProcess(shared, port=second_port)
        _wait(lambda: draft in _runs(second), 120, "the draft moving to its preferred worker")
        assert draft not in _runs(first)
        moved = _wait(lambda: _detail(admin, draft), 15, "the moved draft answering")  # forwarded there
        assert moved["state"] == "draft" and [team["name"] for team in moved["teams"]] == ["Later"]
        time.sleep(3)  # rounds in which the running one could have moved: it did not
        assert playing in _runs(first) and playing not in _runs(second)
        assert admin.request("GET", f"/api/v1/competitions/{playing}")["state"] == "running"
        # paused, it is quiet: it moves too, with its log, and the team's websocket on the first
        # worker goes on with the messages the second publishes
        seen: list[dict[str, Any]] = []
        _watch(_as(member, first.url), "/ws/team", seen)
        _wait(lambda: seen, 15, "the team's websocket on the first worker")
        assert admin.request("POST", f"/api/v1/competitions/{playing}/pause")["state"] == "paused"
        before = _commands(admin, playing)
        _wait(lambda: playing in _runs(second), 60, "the paused competition moving")
        assert playing not in _runs(first)
        detail = _wait(lambda: _detail(admin, playing), 15, "the moved competition answering")
        assert detail["state"] == "paused" and detail["damaged"] is None
        assert _commands(admin, playing) == before
        member = _as(member, second.url)
        last = seen[-1]["seq"]
        assert member.command(c.SetApologyPolicy(team="", enabled=False))["accepted"]  # taken while paused
        _wait(
            lambda: [m for m in seen if m["seq"] > last and m["type"] == "event"],
            30,
            "the second worker's event on the websocket the first worker serves",
        )
        seqs = [m["seq"] for m in seen[1:]]
        assert seqs == sorted(set(seqs))
        assert [entry["seq"] for entry in _commands(admin, playing)] == list(range(len(before) + 1))

        def hand_overs() -> list[str]:
            return [line for line in first.output if "hands competition" in line]

        # its standard error is read by a thread, which may lag a little behind
        _wait(lambda: len(hand_overs()) >= 2, 15, "the hand-overs' log lines")
        assert len(hand_overs()) == 2 and not [line for line in first.output if "stopping" in line]
    finally:
        first.stop()
        if second is not None:
            second.stop()


def _detail(admin: SalesfloorClient, cid: int) -> dict[str, Any] | None:
    try:
        out: dict[str, Any] = admin.request("GET", f"/api/v1/competitions/{cid}")
        return out
    except Exception:
        return None
