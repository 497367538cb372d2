"""A worker whose competition's owner has stopped answering refuses forwards beyond its bound at once.

Two server processes share a PostgreSQL database and a Redis; the forwarding worker may have
two requests forwarded to the other and unanswered (``FORWARDS_IN_FLIGHT=2``). The owner of a
competition is stopped (SIGSTOP, briefly: well inside its lease) and two members' commands
sent through the other worker wait for it. Every further command through that worker is
answered while the owner is still stopped — a 503 with ``Retry-After`` and the clients'
``unavailable`` refusal — and never reaches the owner: once it runs again, the two waiting
commands are applied and answered, the refused ones are nowhere in the command log, and the
next command through the forwarding worker goes through. The forwarding worker's log says
when it began refusing and how many it refused.
"""

from __future__ import annotations

import os
import signal
import threading
from typing import Any

import httpx
import redis

from server.client.api_client import SalesfloorClient
from tests.server.processes import ServerProcess
from tests.server.test_workers import REDIS, _commands, _run_by, _wait, shared  # noqa: F401 (a fixture)

APOLOGY = "/api/v1/team/policies/apology"


def _put(url: str, token: str, enabled: bool) -> httpx.Response:
    return httpx.put(
        url + APOLOGY, json={"enabled": enabled}, headers={"Authorization": f"Bearer {token}"}, timeout=60
    )


def test_forwards_beyond_the_bound_are_refused_at_once_and_never_applied(
    shared: dict[str, str],  # noqa: F811
) -> None:
    owner = ServerProcess(shared)
    _wait(lambda: owner.health()["owner"], 15, "the first worker becoming the front")
    forwarding = ServerProcess({**shared, "FORWARDS_IN_FLIGHT": "2"})
    stopped = False
    try:
        heartbeat = f"{shared['BROADCAST_PREFIX']}:worker:{forwarding.url}"
        _wait(lambda: redis.Redis.from_url(REDIS).exists(heartbeat), 15, "the second worker's heartbeat")
        admin = SalesfloorClient(owner.url)
        admin.login_instructor("pw")
        cid = _run_by(admin, owner.url, [owner.url, forwarding.url])
        codes = [
            admin.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": f"People {n}"})[
                "join_code"
            ]
            for n in range(6)
        ]
        assert admin.request("POST", f"/api/v1/competitions/{cid}/start")["state"] == "running"
        assert cid in owner.health()["runs"]
        members = []
        for n, code in enumerate(codes):  # each member's commands reach the owner through the other worker
            member = SalesfloorClient(forwarding.url)
            member.join(code, f"Member {n}", "manager")
            members.append(member)
        assert _put(forwarding.url, members[0].token, True).status_code == 200  # forwarding works
        before = len(_commands(admin, cid))

        os.kill(owner.process.pid, signal.SIGSTOP)
        stopped = True
        waiting: list[Any] = []
        threads = [
            threading.Thread(target=lambda m=m: waiting.append(_put(forwarding.url, m.token, False)))
            for m in members[:2]
        ]
        for thread in threads:
            thread.start()
        _wait(
            lambda: forwarding.health()["forwarding"] == {owner.url: 2},
            10,
            "two forwards waiting for the owner",
        )
        refused = [_put(forwarding.url, m.token, False) for m in members[2:5]]
        assert waiting == []  # the owner is still stopped: nothing could have answered the two
        os.kill(owner.process.pid, signal.SIGCONT)
        stopped = False

        for answer in refused:
            assert answer.status_code == 503 and answer.headers["retry-after"] == "1"
            body = answer.json()
            assert body["code"] == "unavailable" and "busy" in body["detail"]
            assert "nothing was done" in body["detail"]
        for thread in threads:
            thread.join(60)
        assert sorted(answer.status_code for answer in waiting) == [200, 200]
        assert _put(forwarding.url, members[5].token, True).status_code == 200  # it forwards again
        assert forwarding.health()["forwarding"] == {}
        log = _commands(admin, cid)[before:]
        by = sorted(
            entry["command"]["member"] for entry in log if entry["command"]["kind"] == "set_apology_policy"
        )
        assert by == ["Member 0", "Member 1", "Member 5"], log  # the refused three: nowhere
        assert any("refusing more with 503" in line for line in forwarding.output)
        assert any("takes forwarded requests again: 3 refused" in line for line in forwarding.output)
    finally:
        if stopped:
            os.kill(owner.process.pid, signal.SIGCONT)
        forwarding.stop()
        owner.stop()
