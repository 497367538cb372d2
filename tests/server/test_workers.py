"""Several workers (BROADCAST_URL): a lease per competition, forwarding, shared channels, takeover.

Two server processes share a PostgreSQL database and a Redis. Each competition is run by
the worker holding its lease (the one rendezvous hashing prefers); the other forwards its
requests there, and serves websockets from the Redis streams with the same seqs. The
requests naming no competition go to the front worker. When a worker is killed, each of its
competitions is taken over on its own by the survivor, recovered from the command log
(paused), while the survivor's own competitions run on untouched.
"""

from __future__ import annotations

import asyncio
import json
import os
import secrets
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
import websockets

from server.client.api_client import ApiError, SalesfloorClient
from server.wire.broadcast import SNAPSHOT_TYPES
from server.workers.leases import preferred_owner
from teams import commands as c
from tests.server.processes import ServerProcess

PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS = "redis://127.0.0.1:6379/0"


def _unavailable(reason: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run this test")
    pytest.skip(reason)


@pytest.fixture
def shared() -> Iterator[dict[str, str]]:
    try:
        import psycopg
        import redis

        redis.Redis.from_url(REDIS, socket_timeout=2).ping()
        admin = psycopg.connect(PG_ADMIN, autocommit=True, connect_timeout=3)
    except Exception as exc:
        _unavailable(f"PostgreSQL and Redis on 127.0.0.1 are needed ({exc})")
    name = f"sf_workers_{secrets.token_hex(4)}"
    admin.execute(f"CREATE DATABASE {name}")
    prefix = f"sftest{secrets.token_hex(4)}"
    try:
        yield {
            "DATABASE_URL": f"postgresql://postgres@127.0.0.1:5432/{name}",
            "BROADCAST_URL": REDIS,
            "BROADCAST_PREFIX": prefix,
        }
    finally:
        admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()
        client = redis.Redis.from_url(REDIS)
        for key in client.scan_iter(match=f"{prefix}:*"):
            client.delete(key)


def _wait(condition: Any, seconds: float, what: str) -> Any:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"{what} did not happen within {seconds} s")


async def _read(
    client: SalesfloorClient, path: str, count: int, after: int | None = None, epoch: str | None = None
) -> list[dict[str, Any]]:
    messages: list[dict[str, Any]] = []
    async for message in client.stream(path, after=after, epoch=epoch):
        messages.append(message)
        if len(messages) >= count:
            break
    return messages


def _runner(processes: list[ServerProcess], cid: int) -> ServerProcess | None:
    return next((p for p in processes if cid in p.health()["runs"]), None)


def _as(client: SalesfloorClient, url: str) -> SalesfloorClient:
    """The same session, through another worker."""
    other = SalesfloorClient(url)
    other.token = client.token
    return other


def test_forwarding_shared_channels_and_takeover(shared: dict[str, str]) -> None:
    first = ServerProcess(shared)
    _wait(lambda: first.health()["owner"], 15, "the first worker becoming the front")
    second = ServerProcess(shared)
    try:
        assert second.health()["owner"] is False
        # everything through the worker that is not the front
        admin = SalesfloorClient(second.url)
        admin.login_instructor("pw")
        # one long round (about five minutes): the websocket reads below wait for live messages,
        # which stop when a round's end stops the clock
        body = {"name": "Two", "seed": 8, "seconds_per_hour": 0.1, "overrides": {"days_per_round": 365}}
        cid = admin.request("POST", "/api/v1/competitions", json=body)["id"]
        code = ""
        for name, bot in (("Alpha", "balanced"), ("People", None)):
            team = admin.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": name, "bot": bot})
            code = team["join_code"] if bot is None else code
        assert admin.request("POST", f"/api/v1/competitions/{cid}/start")["state"] == "running"
        member = SalesfloorClient(second.url)
        member.join(code, "Lin", "manager")
        acknowledged = member.command(c.SetApologyPolicy(team="", enabled=True))["events"]
        # an answer relayed from the owner carries the front's own date and server headers, once
        for worker in (first, second):
            answer = httpx.get(f"{worker.url}/api/v1/competitions/{cid}/public/ticker", timeout=10)
            names = [name.lower() for name, _ in answer.headers.multi_items()]
            assert answer.status_code == 200 and names.count("date") == 1, names
            assert names.count("server") <= 1, names
        # the same channel, with the same seqs, from both workers
        from_second = asyncio.run(asyncio.wait_for(_read(admin, f"/ws/public/{cid}", 4), 20))
        assert from_second[0]["type"] == "hello" and from_second[0]["data"]["standings"]
        seqs = [m["seq"] for m in from_second[1:]]
        assert seqs == sorted(set(seqs))
        epoch = from_second[0]["data"]["epoch"]
        replayed = asyncio.run(
            asyncio.wait_for(
                _read(SalesfloorClient(first.url), f"/ws/public/{cid}", 2, after=seqs[0] - 1, epoch=epoch), 20
            )
        )
        # of the boards a newer one replaced, the owner replays only the newest; the rest is the same
        assert replayed[0]["seq"] >= seqs[0]
        same_seq = {m["seq"]: m for m in from_second[1:]}
        assert all(same_seq.get(m["seq"], m) == m for m in replayed)
        assert from_second[1]["type"] in SNAPSHOT_TYPES or replayed[0] == from_second[1]
        # the competition's owner dies; the other worker takes it over and recovers it
        owner = _runner([first, second], cid)
        assert owner is not None
        survivor = second if owner is first else first
        owner.kill()
        admin, member = _as(admin, survivor.url), _as(member, survivor.url)
        _wait(lambda: cid in survivor.health()["runs"], 30, "the takeover")
        _wait(lambda: survivor.health()["owner"], 30, "the survivor becoming the front")
        detail = _wait(lambda: _detail(admin, cid), 15, "the recovered competition answering")
        assert detail["state"] == "paused" and detail["damaged"] is None
        stored = admin.request(
            "GET",
            f"/api/v1/competitions/{cid}/events",
            params={"after": acknowledged[0]["seq"] - 1, "limit": 1},
        )
        assert stored == acknowledged[:1]
        assert member.request("GET", "/api/v1/team")["team"] == "People"
        # should the round have ended before the kill, the clock goes on with the next round
        action = "next-round" if detail["between_rounds"] else "resume"
        assert admin.request("POST", f"/api/v1/competitions/{cid}/{action}")["state"] == "running"
    finally:
        first.stop()
        second.stop()


def _commands(admin: SalesfloorClient, cid: int) -> list[Any]:
    """The competition's command log as the API lists it.

    A competition being handed between workers answers 503 with Retry-After for a moment (a
    paused one may move as soon as it is paused); the log is asked again until a worker serves
    it, as any client is told to.
    """
    end = time.monotonic() + 30
    while True:
        try:
            out: list[Any] = admin.request(
                "GET", f"/api/v1/competitions/{cid}/commands", params={"limit": 10000}
            )
            return out
        except ApiError as refused:
            if refused.status != 503 or time.monotonic() > end:
                raise
            time.sleep(0.2)


def _detail(admin: SalesfloorClient, cid: int) -> dict[str, Any] | None:
    try:
        out: dict[str, Any] = admin.request("GET", f"/api/v1/competitions/{cid}")
        return out
    except ApiError:
        return None


def _guess(url: str, client_address: str) -> int:
    """A wrong join code from ``client_address`` (the follower's trusted proxy says so)."""
    response = httpx.post(
        f"{url}/api/v1/session/join",
        json={"code": "WRONG000", "name": "x", "role": "sales"},
        headers={"X-Forwarded-For": client_address},
        timeout=10,
    )
    return response.status_code


def test_the_owner_counts_failed_logins_by_the_address_the_follower_saw(shared: dict[str, str]) -> None:
    # the follower trusts a proxy on 127.0.0.1, so the test can be several clients; the owner trusts none
    owner = ServerProcess({**shared, "LOGIN_FAILURES_PER_MINUTE": "3"})
    _wait(lambda: owner.health()["owner"], 15, "the first worker taking the lease")
    follower = ServerProcess({**shared, "LOGIN_FAILURES_PER_MINUTE": "3", "TRUSTED_PROXIES": "127.0.0.1"})
    try:
        assert follower.health()["owner"] is False
        assert [_guess(follower.url, "198.51.100.1") for _ in range(4)] == [401, 401, 401, 429]
        assert _guess(follower.url, "198.51.100.2") == 401  # another student behind the follower
        # the owner believes a worker's signed address only: a client's own header is not one
        assert [_guess(owner.url, "198.51.100.3") for _ in range(4)] == [401, 401, 401, 429]
        assert _guess(owner.url, "198.51.100.4") == 429  # all from 127.0.0.1 as far as the owner knows
        forged = httpx.post(
            f"{owner.url}/api/v1/session/join",
            json={"code": "WRONG000", "name": "x", "role": "sales"},
            headers={"X-Salesfloor-Client": f"198.51.100.5 {int(time.time())} {'0' * 64}"},
            timeout=10,
        )
        assert forged.status_code == 429
    finally:
        follower.stop()
        owner.stop()


def _two_workers(shared: dict[str, str]) -> tuple[ServerProcess, ServerProcess]:
    """The front, then a second worker, once its heartbeat is in Redis (the placement counts it)."""
    first = ServerProcess(shared)
    _wait(lambda: first.health()["owner"], 15, "the first worker becoming the front")
    second = ServerProcess(shared)
    beats = redis.Redis.from_url(REDIS)
    heartbeat = f"{shared['BROADCAST_PREFIX']}:worker:{second.url}"
    _wait(lambda: beats.exists(heartbeat), 15, "the second worker's heartbeat")
    return first, second


def _spread_ids(urls: list[str], at_least: int) -> int:
    """How many competitions (ids 1, 2, …) to create so that each worker is preferred for one."""
    count = at_least
    while len({preferred_owner(cid, urls) for cid in range(1, count + 1)}) < len(urls):
        count += 1
    return count


def test_each_competition_has_its_own_owner_and_moves_alone(shared: dict[str, str]) -> None:
    first, second = _two_workers(shared)
    workers = [first, second]
    try:
        admins = [SalesfloorClient(w.url) for w in workers]
        admins[0].login_instructor("pw")
        admins[1] = _as(admins[0], second.url)
        count = _spread_ids([first.url, second.url], at_least=4)
        games: dict[int, dict[str, Any]] = {}
        for n in range(count):  # created, set up and played through either worker, in turn
            via, other = admins[n % 2], admins[(n + 1) % 2]
            body = {"name": f"Class {n}", "seed": n, "seconds_per_hour": 30.0}
            cid = via.request("POST", "/api/v1/competitions", json=body)["id"]
            code = other.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "People"})[
                "join_code"
            ]
            assert via.request("POST", f"/api/v1/competitions/{cid}/start")["state"] == "running"
            member = SalesfloorClient(workers[n % 2].url)
            member.join(code, f"Lin {n}", "manager")
            member = _as(member, workers[(n + 1) % 2].url)
            events = member.command(c.SetApologyPolicy(team="", enabled=True))["events"]
            games[cid] = {"member": member, "events": events}
        # each competition runs on the worker rendezvous hashing prefers: both run some
        urls = [first.url, second.url]
        expected = {
            w.url: sorted(cid for cid in games if preferred_owner(cid, urls) == w.url) for w in workers
        }
        assert {w.url: w.health()["runs"] for w in workers} == expected
        assert all(expected.values())
        for cid in games:  # each command applied once, by the owner, whichever worker it came through
            for admin in admins:
                sent = admin.request(
                    "GET", f"/api/v1/competitions/{cid}/commands", params={"source": "human"}
                )
                assert [entry["command"]["kind"] for entry in sent] == ["set_apology_policy"]
        # the instructor's list, through either worker, has every competition, live
        for admin in admins:
            listed = admin.request("GET", "/api/v1/competitions")
            assert [(s["id"], s["state"]) for s in listed] == [(cid, "running") for cid in sorted(games)]
        for admin in admins:  # a competition that does not exist is a 404, through either worker
            with pytest.raises(ApiError) as missing:
                admin.request("GET", "/api/v1/competitions/999")
            assert missing.value.status == 404
        # the first worker (the front, too) dies: only its competitions move
        moved, kept = expected[first.url], expected[second.url]
        first.kill()
        survivor = admins[1]
        _wait(
            lambda: second.health()["runs"] == sorted(games), 30, "the takeover of the first's competitions"
        )
        for cid in kept:  # never recovered: still running, as before
            assert survivor.request("GET", f"/api/v1/competitions/{cid}")["state"] == "running"
        for cid in moved:  # recovered from the command log, equal to its replay
            detail = _wait(lambda cid=cid: _detail(survivor, cid), 15, "the recovered competition answering")
            assert detail["state"] == "paused" and detail["damaged"] is None
            acknowledged = games[cid]["events"]
            stored = survivor.request(
                "GET",
                f"/api/v1/competitions/{cid}/events",
                params={"after": acknowledged[0]["seq"] - 1, "limit": len(acknowledged)},
            )
            assert stored == acknowledged
        for game in games.values():  # every member's session goes on through the survivor
            member = _as(game["member"], second.url)
            assert member.request("GET", "/api/v1/team")["team"] == "People"
        takeovers = [line for line in second.output if "takes over competition" in line]
        assert sorted(int(line.rsplit(" ", 1)[1]) for line in takeovers) == sorted(kept + moved)
    finally:
        first.stop()
        second.stop()


def test_a_logout_ends_the_session_on_every_worker(shared: dict[str, str]) -> None:
    first, second = _two_workers(shared)
    try:
        admin = SalesfloorClient(first.url)
        admin.login_instructor("pw")
        cid = _run_by(admin, second.url, [first.url, second.url])  # run by the other worker
        on_owner = _as(admin, second.url)
        assert on_owner.request("GET", f"/api/v1/competitions/{cid}")["id"] == cid  # cached by its owner
        assert cid in second.health()["runs"]
        admin.request("POST", "/api/v1/session/logout")  # served by the front, the first worker
        path = f"/api/v1/competitions/{cid}"
        assert _wait(lambda: _refusal(on_owner, path), 10, "the logout reaching the owner") == 401
    finally:
        first.stop()
        second.stop()


def _refusal(client: SalesfloorClient, path: str) -> int | None:
    try:
        client.request("GET", path)
    except ApiError as exc:
        return exc.status
    return None


def test_removing_a_member_closes_their_websocket_on_every_worker(shared: dict[str, str]) -> None:
    first, second = _two_workers(shared)
    try:
        admin = SalesfloorClient(first.url)
        admin.login_instructor("pw")
        cid = _run_by(admin, second.url, [first.url, second.url])
        code = admin.request("POST", f"/api/v1/competitions/{cid}/teams", json={"name": "People"})[
            "join_code"
        ]
        member = SalesfloorClient(first.url)
        member.join(code, "Lin", "manager")

        async def watch() -> int:
            # the member's channel on the worker that does not run the competition (read from Redis)
            url = first.url.replace("http", "ws", 1) + "/ws/team"
            headers = {"Authorization": f"Bearer {member.token}"}
            async with websockets.connect(url, additional_headers=headers) as ws:
                assert json.loads(await ws.recv())["type"] == "hello"
                path = f"/api/v1/competitions/{cid}/teams/People/members/Lin"
                await asyncio.to_thread(admin.request, "DELETE", path)  # served by the other worker
                with pytest.raises(websockets.ConnectionClosed) as closed:
                    while True:
                        await ws.recv()
                assert closed.value.rcvd is not None
                return closed.value.rcvd.code

        assert asyncio.run(asyncio.wait_for(watch(), 20)) == 1008
    finally:
        first.stop()
        second.stop()


def _run_by(admin: SalesfloorClient, url: str, urls: list[str]) -> int:
    """A new competition, created until one lands on the worker at ``url``."""
    while True:
        cid = int(
            admin.request("POST", "/api/v1/competitions", json={"name": "One", "seconds_per_hour": 30.0})[
                "id"
            ]
        )
        if preferred_owner(cid, urls) == url:
            return cid


def _listing(admin: SalesfloorClient, known: set[int]) -> list[dict[str, Any]]:
    """The instructor's list once it holds every competition in ``known``: the front gathers the
    other worker's list, and leaves it out for a moment when that worker is slow to answer."""
    deadline = time.monotonic() + 30
    while True:
        listed: list[dict[str, Any]] = admin.request("GET", "/api/v1/competitions")
        if known <= {int(c["id"]) for c in listed} or time.monotonic() > deadline:
            return listed
        time.sleep(0.2)


def test_an_instructor_s_key_is_honoured_by_whichever_worker_serves_the_retry(shared: dict[str, str]) -> None:
    """The instructor's keys are kept in the database: a retry sent through the other worker
    (forwarded to the front, or to the competition's owner) gets the first reply, applying nothing."""
    first, second = _two_workers(shared)
    urls = [first.url, second.url]
    try:
        admin = SalesfloorClient(first.url)
        admin.login_instructor("pw")
        other = _as(admin, second.url)
        key = {"Idempotency-Key": "create-on-either"}
        body = {"name": "Keyed", "seconds_per_hour": 30.0}
        created = other.request("POST", "/api/v1/competitions", json=body, headers=key)  # to the front
        assert admin.request("POST", "/api/v1/competitions", json=body, headers=key) == created
        cid = _run_by(admin, second.url, urls)
        count = len(_listing(admin, {int(created["id"]), cid}))
        teams = f"/api/v1/competitions/{cid}/teams"
        team_key = {"Idempotency-Key": "team-on-either"}
        added = admin.request("POST", teams, json={"name": "Ant"}, headers=team_key)  # to the owner
        assert other.request("POST", teams, json={"name": "Ant"}, headers=team_key) == added
        assert [t["name"] for t in admin.request("GET", f"/api/v1/competitions/{cid}")["teams"]] == ["Ant"]
        with pytest.raises(ApiError) as refused:
            other.request("POST", "/api/v1/competitions", json={**body, "name": "Other"}, headers=key)
        assert refused.value.status == 409 and "another request" in refused.value.detail
        listed = _listing(admin, {int(created["id"]), cid})
        assert len(listed) == count and [c["name"] for c in listed].count("Keyed") == 1
    finally:
        first.stop()
        second.stop()
