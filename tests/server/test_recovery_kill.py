"""Crash recovery: SIGKILL the server mid-round with bots playing, restart it, lose nothing.

Every command the server acknowledged before the kill must be in the recovered command log
and its events in the recovered event log, identical; the recovered competition resumes
paused, its stored events check out against the replay (``damaged`` is None), and an
offline replay of the recovered command log gives the same digest. On SQLite and on
PostgreSQL.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from server.client.api_client import ApiError, SalesfloorClient
from server.live.served_replay import replay_served
from teams import commands as c
from tests.server.processes import ServerProcess, free_port

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'crash.db'}"
        return
    try:
        import psycopg

        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"PostgreSQL is required in CI and cannot be reached: {exc}")
        pytest.skip(f"no PostgreSQL at 127.0.0.1:5432 ({exc})")
    name = f"sf_crash_{secrets.token_hex(4)}"
    admin.execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def test_sigkill_mid_round_loses_nothing_acknowledged(database_url: str) -> None:
    port = free_port()
    server = ServerProcess({"DATABASE_URL": database_url}, port)
    try:
        admin = SalesfloorClient(server.url)
        admin.login_instructor("pw")
        comp = admin.request(
            "POST", "/api/v1/competitions", json={"name": "Crash", "seed": 21, "seconds_per_hour": 0.1}
        )
        cid = comp["id"]
        for name, bot in (("Alpha", "balanced"), ("Bravo", "dumper"), ("Human", None)):
            team = admin.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot})
            if bot is None:
                code = team["join_code"]
        admin.request("POST", f"/api/v1/competitions/{cid}/start")
        member = SalesfloorClient(server.url)
        member.join(code, "Kim", "manager")
        acknowledged: list[dict] = []
        flip, quotes = False, 0
        # play until the server has acknowledged enough (counted, not timed: on a loaded machine
        # three seconds were a handful of commands, or a round's end stopped the clock first)
        for _ in range(500):
            if len(acknowledged) > 10 and quotes >= 2:
                break
            detail = admin.request("GET", f"/api/v1/competitions/{cid}")
            if detail["state"] == "paused" and detail["between_rounds"]:
                admin.request("POST", f"/api/v1/competitions/{cid}/next-round")
            flip = not flip
            result = member.command(c.SetApologyPolicy(team="", enabled=flip))
            acknowledged.extend(result["events"])
            inbox = member.request("GET", "/api/v1/team/state")["inbox"]
            fresh = [i for i in inbox if i["status"] == "open"]
            if fresh:
                try:
                    result = member.command(
                        c.SendQuote(
                            team="",
                            inquiry_id=fresh[0]["inquiry_id"],
                            discount=0.05,
                            terms_days=7,
                            delivery_days=3,
                        )
                    )
                    acknowledged.extend(result["events"])
                    quotes += 1
                except ApiError as exc:
                    assert exc.status == 409  # it may have expired meanwhile
        else:
            pytest.fail(f"500 passes of commands brought {len(acknowledged)} events and {quotes} quotes")
        # killed mid-round: if a round's end has stopped the clock, the next round starts first
        status = admin.request("GET", f"/api/v1/competitions/{cid}")
        if status["state"] == "paused" and status["between_rounds"]:
            status = admin.request("POST", f"/api/v1/competitions/{cid}/next-round")
        assert status["state"] == "running", status["state"]
        server.kill()

        server = ServerProcess({"DATABASE_URL": database_url}, port)
        admin = SalesfloorClient(server.url)
        admin.login_instructor("pw")
        detail = admin.request("GET", f"/api/v1/competitions/{cid}")
        assert detail["state"] == "paused"
        assert detail["damaged"] is None
        for event in acknowledged:
            (stored,) = admin.request(
                "GET", f"/api/v1/competitions/{cid}/events", params={"after": event["seq"] - 1, "limit": 1}
            )
            assert stored == event
        log = admin.request("GET", f"/api/v1/competitions/{cid}/commands", params={"limit": 10000})
        human = [e for e in log if e["source"] == "human"]
        assert len(human) >= len({e["seq"] for e in acknowledged if e["kind"] == "apology_policy_set"})
        assert replay_served(detail, log).digest() == detail["digest"]
        # the member's session survived the crash
        member.token = member.token
        assert member.request("GET", "/api/v1/team")["team"] == "Human"
    finally:
        server.stop()
