"""A worker frozen past its lease (SIGSTOP) cannot write once another worker has taken over.

Two server processes share a PostgreSQL database and a Redis. The worker running a
competition is stopped with SIGSTOP for longer than its lease, with a command of a member
waiting at its door; the other worker takes the competition over and recovers it. Then the
frozen worker runs again (SIGCONT): whatever it tries to write is fenced by the owner epoch,
or its renewer finds the lease gone first; either way it exits with code 3, the competition
keeps taking commands through the survivor with no 503, and the command log, recovered by a
fresh worker, replays to the survivor's live state. Which of the two stops it is a race (the
renewer usually wins); tests/server/test_fencing.py makes the stale write happen every time.
"""

from __future__ import annotations

import contextlib
import os
import signal
import threading
from typing import Any

import httpx

from server.client.api_client import SalesfloorClient
from server.workers.leases import preferred_owner
from teams import commands as c
from tests.server.processes import ServerProcess
from tests.server.test_workers import _as, _commands, _two_workers, _wait, shared  # noqa: F401 (a fixture)

APOLOGY = "/api/v1/team/policies/apology"


def _knock(url: str, token: str, answers: list[Any]) -> threading.Thread:
    """A member's command sent straight to ``url`` (a frozen worker), in a thread: its answer, or
    the error that ended it, goes to ``answers``."""

    def send() -> None:
        try:
            response = httpx.put(
                f"{url}{APOLOGY}",
                json={"enabled": False},
                headers={"Authorization": f"Bearer {token}"},
                timeout=120,
            )
            answers.append(response.status_code)
        except httpx.HTTPError as exc:
            answers.append(type(exc).__name__)

    thread = threading.Thread(target=send, daemon=True)
    thread.start()
    return thread


def _run_by_frozen(admin: SalesfloorClient, url: str, urls: list[str]) -> int:
    """A new competition of one long round (about five minutes), created until one lands on ``url``."""
    body = {"name": "Frozen", "seed": 3, "seconds_per_hour": 0.1, "overrides": {"days_per_round": 365}}
    while True:
        cid = int(admin.request("POST", "/api/v1/competitions", json=body)["id"])
        if preferred_owner(cid, urls) == url:
            return cid


def test_a_worker_frozen_past_its_lease_stops_and_the_competition_goes_on(
    shared: dict[str, str],  # noqa: F811
) -> None:
    survivor, frozen = _two_workers(shared)  # the front, and the worker that is frozen
    fresh: ServerProcess | None = None
    try:
        admin = SalesfloorClient(survivor.url)
        admin.login_instructor("pw")
        cid = _run_by_frozen(admin, frozen.url, [survivor.url, frozen.url])
        code = ""
        for name, bot in (("Alpha", "balanced"), ("People", None)):
            team = admin.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot})
            code = team["join_code"] if bot is None else code
        assert admin.request("POST", f"/api/v1/competitions/{cid}/start")["state"] == "running"
        member = SalesfloorClient(survivor.url)  # forwarded to the competition's owner
        member.join(code, "Lin", "manager")
        assert member.command(c.SetApologyPolicy(team="", enabled=True))["accepted"]
        assert cid in frozen.health()["runs"]
        # frozen past its lease, a command at its door; the survivor takes the competition over
        os.kill(frozen.process.pid, signal.SIGSTOP)
        answers: list[Any] = []
        knocking = _knock(frozen.url, str(member.token), answers)
        # a lease runs out; a transaction it was frozen in is ended by PostgreSQL (IDLE_IN_TRANSACTION_MS)
        _wait(lambda: cid in survivor.health()["runs"], 150, "the takeover")
        detail = admin.request("GET", f"/api/v1/competitions/{cid}")
        assert detail["state"] == "paused" and detail["damaged"] is None
        os.kill(frozen.process.pid, signal.SIGCONT)
        assert frozen.process.wait(timeout=60) == 3  # it stops itself, as on a lost lease
        knocking.join(60)
        assert answers and answers[0] != 200  # refused (503) or cut off: never applied
        # its last words (read from its standard error by a thread, perhaps not all read yet)
        _wait(
            lambda: [line for line in frozen.output if "stopping" in line], 15, "the stale worker's log line"
        )
        # the competition takes commands on through the survivor: no 503, ever
        member = _as(member, survivor.url)
        for enabled in (False, True, False, True):
            assert member.command(c.SetApologyPolicy(team="", enabled=enabled))["accepted"]
        live = _commands(admin, cid)
        assert [entry["seq"] for entry in live] == list(range(len(live)))
        survivor.stop()  # writes everything behind, gives its leases back
        # a fresh worker recovers the log: the same commands, its replay equal to the stored events
        fresh = ServerProcess(shared)
        admin = _as(admin, fresh.url)
        _wait(lambda: cid in fresh.health()["runs"], 90, "the fresh worker taking the competition")
        recovered = admin.request("GET", f"/api/v1/competitions/{cid}")
        assert recovered["damaged"] is None
        assert _commands(admin, cid) == live
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.kill(frozen.process.pid, signal.SIGCONT)
        for process in (survivor, frozen, fresh):
            if process is not None:
                process.stop()
