"""Guessing codes and the instructor's password, as a hostile student behind the class's NAT would.

What must hold (docs/security.md, section 4): a right credential is never refused because
someone else guessed wrong — not the join code, not the judge code, not the instructor's
password on a browser the instructor used before; guessing stays throttled per address and
per target; a place is taken before the check, so a concurrent burst gets exactly the cap;
the password is checked on its own small executor, a few at a time, and a burst beyond that
gets a quick 503 while the rest of the server answers. Addresses are the peer's: forwarded
headers are not believed (tests/server/test_client_address.py for proxies).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from server.security.auth import password_hash
from server.security.known_browser import COOKIE as KNOWN_BROWSER
from server.security.login_throttle import Client
from server.security.password_checks import THREAD_NAME, PasswordChecks
from tests.server.helpers import PASSWORD, Game, create_competition, login_instructor, make_app
from tests.server.hostile_setup import refused

INSTRUCTOR = "/api/v1/session/instructor"
JUDGE = "/api/v1/session/judge"
JOIN = "/api/v1/session/join"
NAT = ("10.9.0.1", 50000)  # the classroom's one public address


def _wrong_join(i: int) -> dict[str, str]:
    return {"code": f"WRONG{i:03d}", "name": "x", "role": "sales"}


class CountingHash:
    """The real PBKDF2, counted: how many passwords the server actually checked."""

    def __init__(self) -> None:
        self.calls = 0
        self.lock = threading.Lock()

    def __call__(self, password: str, salt: str) -> str:
        with self.lock:
            self.calls += 1
        return password_hash(password, salt)


@pytest.fixture
def started(sqlite_url: str) -> Iterator[Callable[..., tuple[TestClient, Game]]]:
    """started(**settings) → a running app's client (logged in as nobody) and a competition with team Ant."""
    clients: list[TestClient] = []

    def start(**settings: Any) -> tuple[TestClient, Game]:
        client = TestClient(make_app(sqlite_url, **settings))
        client.__enter__()
        clients.append(client)
        instructor = login_instructor(client)
        game = create_competition(client, instructor, teams=(("Ant", None),), seconds_per_hour=3600)
        return client, game

    yield start
    for client in clients:
        client.__exit__(None, None, None)


def _from(client: TestClient, address: tuple[str, int] = NAT) -> TestClient:
    """Another client of the same running app, at ``address``."""
    return TestClient(client.app, client=address)


def _use_checks(client: TestClient, checks: PasswordChecks) -> PasswordChecks:
    """Put ``checks`` in place of the app's password executor (the old one is shut down)."""
    client.app.state.password_checks.close()  # type: ignore[attr-defined]
    client.app.state.password_checks = checks  # type: ignore[attr-defined]
    return checks


def _concurrently(
    client: TestClient, sends: Callable[[httpx.AsyncClient], list[Any]]
) -> list[httpx.Response]:
    async def run() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=client.app, client=NAT)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as concurrent:
            return list(await asyncio.gather(*sends(concurrent)))

    assert client.portal is not None
    return client.portal.call(run)


# --- a right credential passes, whatever others guessed ----------------------------------------


def test_sixty_wrong_join_codes_from_the_class_address_refuse_no_right_credential(
    started: Callable[..., tuple[TestClient, Game]],
) -> None:
    client, game = started()  # the default cap: 60 a minute per address and target
    nat = _from(client)
    for i in range(60):
        refused(nat.post(JOIN, json=_wrong_join(i)), 401, "unauthorized", "no team has this join code")
    refused(nat.post(JOIN, json=_wrong_join(60)), 429, "rate_limited", "too many wrong join codes", "wait")
    right = nat.post(JOIN, json={"code": game.codes["Ant"], "name": "Ann", "role": "manager"})
    assert right.status_code == 200, right.text  # another student at the same address joins
    assert nat.post(JUDGE, json={"code": game.judge_code, "name": "Jo"}).status_code == 200
    assert nat.post(INSTRUCTOR, json={"password": PASSWORD}).status_code == 200
    refused(nat.post(JUDGE, json={"code": "NOPE"}), 401, "unauthorized")  # judge codes: a window of their own
    refused(nat.post(INSTRUCTOR, json={"password": "guess"}), 401, "unauthorized")
    refused(nat.post(JOIN, json=_wrong_join(61)), 429, "rate_limited")  # the guesser is still held


def test_forwarded_headers_do_not_make_a_guesser_someone_else(
    started: Callable[..., tuple[TestClient, Game]],
) -> None:
    client, _ = started(login_failures_per_minute=5)
    nat = _from(client)
    for i in range(5):
        spoof = {
            "X-Forwarded-For": f"192.0.2.{i}",
            "X-Real-IP": f"192.0.2.{i}",
            "Forwarded": f"for=192.0.2.{i}",
        }
        refused(nat.post(JOIN, json=_wrong_join(i), headers=spoof), 401, "unauthorized")
    refused(
        nat.post(JOIN, json=_wrong_join(9), headers={"X-Forwarded-For": "198.51.100.1"}), 429, "rate_limited"
    )


def test_guessing_from_many_addresses_meets_the_target_s_ceiling(
    started: Callable[..., tuple[TestClient, Game]],
) -> None:
    client, game = started(login_failures_per_minute=3, login_failures_per_target=8)
    counting = CountingHash()
    _use_checks(client, PasswordChecks(hash_function=counting))
    for i in range(8):  # eight addresses, one wrong password each
        guesser = _from(client, (f"10.8.0.{i}", 50000))
        refused(guesser.post(INSTRUCTOR, json={"password": f"guess{i}"}), 401, "unauthorized")
    late = _from(client, ("10.8.1.1", 50000))
    refused(late.post(INSTRUCTOR, json={"password": "guess"}), 429, "rate_limited", "all addresses together")
    assert counting.calls == 8  # the refused one was not checked
    for i in range(8):  # join codes: the same ceiling, their own window
        guesser = _from(client, (f"10.8.2.{i}", 50000))
        refused(guesser.post(JOIN, json=_wrong_join(i)), 401, "unauthorized")
    refused(late.post(JOIN, json=_wrong_join(99)), 429, "rate_limited", "all addresses together")
    right = late.post(JOIN, json={"code": game.codes["Ant"], "name": "Ann", "role": "manager"})
    assert right.status_code == 200, right.text  # a right code still passes


def test_the_instructor_s_own_browser_is_not_locked_out_by_a_guesser_at_the_same_address(
    started: Callable[..., tuple[TestClient, Game]],
) -> None:
    client, _ = started(login_failures_per_minute=3)
    laptop = _from(client)
    first = laptop.post(INSTRUCTOR, json={"password": PASSWORD})
    assert first.status_code == 200 and laptop.cookies.get(KNOWN_BROWSER), first.headers
    mark = laptop.cookies[KNOWN_BROWSER]
    assert "httponly" in first.headers["set-cookie"].lower()
    student = _from(client)
    for i in range(3):
        refused(student.post(INSTRUCTOR, json={"password": f"guess{i}"}), 401, "unauthorized")
    refused(student.post(INSTRUCTOR, json={"password": PASSWORD}), 429, "rate_limited", "this address")
    again = laptop.post(INSTRUCTOR, json={"password": PASSWORD})  # the session expired, say: log in again
    assert again.status_code == 200, again.text
    forged = _from(client)
    forged.cookies.set(KNOWN_BROWSER, mark[:-1] + ("0" if mark[-1] != "0" else "1"), path="/api/v1/session")
    refused(
        forged.post(INSTRUCTOR, json={"password": PASSWORD}), 429, "rate_limited"
    )  # a tampered mark: none
    for i in range(3):  # a stolen mark would only ever give its own small window
        refused(laptop.post(INSTRUCTOR, json={"password": f"oops{i}"}), 401, "unauthorized")
    refused(laptop.post(INSTRUCTOR, json={"password": PASSWORD}), 429, "rate_limited", "this browser")


# --- bursts: the place is taken before the check -----------------------------------------------------


def test_a_concurrent_burst_of_wrong_passwords_checks_exactly_the_cap(
    started: Callable[..., tuple[TestClient, Game]],
) -> None:
    client, _ = started(login_failures_per_minute=10)
    counting = CountingHash()
    _use_checks(client, PasswordChecks(workers=1, waiting=40, hash_function=counting))
    responses = _concurrently(
        client, lambda c: [c.post(INSTRUCTOR, json={"password": f"guess{i}"}) for i in range(30)]
    )
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [401] * 10 + [429] * 20, statuses
    assert counting.calls == 10  # none beyond the cap was checked


def test_a_concurrent_burst_of_wrong_codes_gets_exactly_the_cap_of_401s(
    started: Callable[..., tuple[TestClient, Game]],
) -> None:
    client, game = started(login_failures_per_minute=10)
    responses = _concurrently(client, lambda c: [c.post(JOIN, json=_wrong_join(i)) for i in range(30)])
    statuses = sorted(r.status_code for r in responses)
    assert statuses == [401] * 10 + [429] * 20, statuses
    right = _from(client).post(JOIN, json={"code": game.codes["Ant"], "name": "Ann", "role": "manager"})
    assert right.status_code == 200, right.text


# --- the password executor ------------------------------------------------------------------------


class BlockingHash:
    """Hashes only once released; records the threads and the most checks running at once."""

    def __init__(self) -> None:
        self.release = threading.Event()
        self.lock = threading.Lock()
        self.running = self.most = 0
        self.threads: set[str] = set()

    def __call__(self, password: str, salt: str) -> str:
        with self.lock:
            self.running += 1
            self.most = max(self.most, self.running)
            self.threads.add(threading.current_thread().name)
        try:
            assert self.release.wait(30), "the test never released the checks"
            return password_hash(password, salt)
        finally:
            with self.lock:
                self.running -= 1


def test_password_checks_run_on_their_own_executor_a_few_at_a_time_and_the_rest_is_refused_quickly(
    started: Callable[..., tuple[TestClient, Game]],
) -> None:
    client, game = started()
    blocking = BlockingHash()
    checks = _use_checks(client, PasswordChecks(workers=1, waiting=2, hash_function=blocking))

    async def burst() -> tuple[list[httpx.Response], int, httpx.Response, int]:
        transport = httpx.ASGITransport(app=client.app, client=NAT)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as c:
            passwords = [PASSWORD, "guess1", "guess2", "guess3", "guess4", "guess5"]
            logins = [asyncio.create_task(c.post(INSTRUCTOR, json={"password": p})) for p in passwords]
            for _ in range(1000):  # until one check runs, two wait and three were answered
                if blocking.running == 1 and checks.in_flight == 3 and sum(t.done() for t in logins) == 3:
                    break
                await asyncio.sleep(0.01)
            answered_early = sum(t.done() for t in logins)
            # with every check busy, the rest of the server answers: the event loop is free
            health = await c.get("/api/v1/health")
            standings = await c.get(game.path("/public"))
            blocking.release.set()
            return list(await asyncio.gather(*logins)), answered_early, health, standings.status_code

    assert client.portal is not None
    responses, answered_early, health, standings = client.portal.call(burst)
    assert answered_early == 3 and health.status_code == 200 and standings == 200
    busy = [r for r in responses if r.status_code == 503]
    assert len(busy) == 3
    for response in busy:
        assert response.json()["code"] == "unavailable" and "too many passwords" in response.json()["detail"]
        assert response.headers["Retry-After"] == "1"
    checked = sorted(r.status_code for r in responses if r.status_code != 503)
    assert checked in ([200, 401, 401], [401, 401, 401])  # whichever three got in line were checked
    assert blocking.most == 1 and all(name.startswith(THREAD_NAME) for name in blocking.threads)
    # the refused ones were not counted as attempts: only the wrong passwords checked hold places
    throttle = client.app.state.login_throttle  # type: ignore[attr-defined]
    assert throttle.failures(Client.at(NAT[0]), "instructor") == checked.count(401)
