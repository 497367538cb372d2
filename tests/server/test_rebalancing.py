"""Rebalancing (server.workers.ownership): quiet competitions go back to their preferred worker.

Over a Redis in memory with a moved clock, workers restarted in any order, competitions
started and paused at will. Property: a live worker stops running a competition only by
handing it over while it is quiet (a running one never moves while its owner lives); no
competition is ever run by two live workers; and once the workers settle, every competition
is run by exactly one, each quiet one by its preferred worker. Then the rolling restart that
motivated it: the restarted worker gets its quiet competitions back, not its running ones;
the renewer thread does not take a lease given back meanwhile for a lost one; and a
runtime closes a competition for another worker only while its clock is stopped, with
everything stored, refusing with a 503 whatever still reaches it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient
from hypothesis import given, settings
from hypothesis import strategies as st

from server.errors import ServerError
from server.live.command_path import MOVING
from server.workers.leases import LeaseBook, preferred_owner
from server.workers.ownership import HAND_OVER_ROUNDS, PATIENCE_ROUNDS, SETTLE_ROUNDS
from server.workers.renewer import Renewer
from teams import commands as c
from tests.server.fake_redis import FakeRedis
from tests.server.helpers import create_competition, in_loop, join_team, login_instructor, pause
from tests.server.test_ownership import LEASE_MS, PERIOD_MS, Worker

APOLOGY = "/api/v1/team/policies/apology"


class QuietWorker(Worker):
    """A worker whose competitions can be handed over while not in ``running``."""

    def __init__(self, redis: FakeRedis, address: str, known: list[int], running: set[int]) -> None:
        super().__init__(redis, address, known)
        self.running = running
        self.handed: list[int] = []
        self.ownership.hand_over = self._hand_over

    async def _hand_over(self, competition_id: int, closed: Callable[[], None]) -> bool:
        if competition_id in self.running:
            return False
        closed()
        assert competition_id not in self.ownership.owned  # no longer served here: requests wait
        self.handed.append(competition_id)
        return True


class Classes:
    """Workers at fixed addresses, restarted at will, and competitions started and paused."""

    def __init__(self, workers: int, competitions: int) -> None:
        self.redis = FakeRedis()
        self.known = list(range(1, competitions + 1))
        self.running: set[int] = set()
        self.workers = [
            QuietWorker(self.redis, f"http://w{i}", self.known, self.running) for i in range(workers)
        ]

    def stop(self, index: int) -> None:
        self.workers[index].dead = True

    def start(self, index: int) -> None:
        """A new process at a stopped worker's address (its predecessor's leases are not its own)."""
        if self.workers[index].dead:
            address = self.workers[index].address
            self.workers[index] = QuietWorker(self.redis, address, self.known, self.running)

    async def tick(self) -> None:
        """A period passes and every live worker takes its round; then the rules are checked."""
        self.redis.advance(PERIOD_MS)
        for worker in [w for w in self.workers if w.alive]:
            before, handed = set(worker.ownership.owned), len(worker.handed)
            await worker.round()
            assert not worker.halted, f"{worker.address} stopped"
            left = before - worker.ownership.owned
            assert left <= set(worker.handed[handed:]), f"{worker.address} let {left} go unasked"
            assert not left & self.running, f"running {left} moved away from a live worker"
            for cid in worker.ownership.owned:
                assert self.redis.peek(f"t:owner:{cid}") == worker.ownership.book.holder
        for cid in self.known:
            runners = [w.address for w in self.workers if w.alive and cid in w.ownership.owned]
            assert len(runners) <= 1, f"competition {cid} is run by {runners}"

    async def settle(self) -> None:
        rounds = SETTLE_ROUNDS + PATIENCE_ROUNDS + HAND_OVER_ROUNDS + LEASE_MS // PERIOD_MS
        for _ in range(rounds + 2 * len(self.known) + 2):
            await self.tick()

    def runners(self, cid: int) -> list[str]:
        return [w.address for w in self.workers if w.alive and cid in w.ownership.owned]


steps = st.lists(
    st.one_of(
        st.tuples(st.just("tick"), st.integers(1, 40)),
        st.tuples(st.just("stop"), st.integers(0, 2)),
        st.tuples(st.just("restart"), st.integers(0, 2)),
        st.tuples(st.just("start"), st.integers(1, 6)),
        st.tuples(st.just("pause"), st.integers(1, 6)),
    ),
    max_size=30,
)


@settings(max_examples=60, deadline=None)
@given(competitions=st.integers(1, 6), script=steps)
def test_only_quiet_competitions_move_and_they_end_on_their_preferred_worker(
    competitions: int, script: list[tuple[str, Any]]
) -> None:
    async def play() -> None:
        classes = Classes(3, competitions)
        for action, value in script:
            if action == "tick":
                for _ in range(value):
                    await classes.tick()
            elif action == "stop":
                classes.stop(value)
            elif action == "restart":
                classes.start(value)
            elif action == "start" and value <= competitions:
                classes.running.add(value)
            elif action == "pause":
                classes.running.discard(value)
        await classes.settle()
        addresses = [w.address for w in classes.workers if w.alive]
        if not addresses:
            return
        for cid in classes.known:
            runners = classes.runners(cid)
            assert len(runners) == 1, f"competition {cid} is run by {runners}"
            if cid not in classes.running:
                assert runners == [preferred_owner(cid, addresses)], f"quiet competition {cid}"

    asyncio.run(play())


def test_after_a_rolling_restart_the_quiet_competitions_go_back_and_the_running_stay() -> None:
    async def play() -> None:
        classes = Classes(2, 12)
        await classes.settle()
        first, second = classes.workers
        firsts = sorted(first.ownership.owned)
        assert firsts and second.ownership.owned  # spread over both
        classes.running.update(firsts[::2])  # half of the first's classes are playing
        classes.stop(0)  # the first worker is restarted: while it is down the second runs everything
        await classes.settle()
        assert sorted(second.ownership.owned) == classes.known
        classes.start(0)
        await classes.settle()
        restarted = classes.workers[0]
        assert sorted(restarted.ownership.owned) == firsts[1::2]  # its quiet ones come back
        assert sorted(second.ownership.owned) == sorted(set(classes.known) - set(firsts[1::2]))
        assert sorted(second.handed) == firsts[1::2]
        classes.running.clear()  # the classes end: the rest go back too
        await classes.settle()
        assert sorted(restarted.ownership.owned) == firsts

    asyncio.run(play())


def test_the_renewer_does_not_count_a_lease_handed_over_meanwhile_as_lost() -> None:
    async def play() -> None:
        redis = FakeRedis()
        book = LeaseBook(cast(Any, redis), "t", "http://here", LEASE_MS)
        halts: list[str] = []
        held = [1, 2]
        read = asyncio.Event()

        def held_now() -> list[int]:  # the renewer read what is held; then the loop hands 2 over
            if not read.is_set():
                read.set()
                return list(held)
            return [cid for cid in held if cid != 2]

        renewer = Renewer(lambda: book, held_now, lambda: None, lambda: halts.append("halt"))
        assert await book.claim(1) and await book.claim(2)
        await book.release(2)  # handed over between the renewer's read and its renewal
        await renewer.renew_once(book)
        assert halts == [] and await book.owner(1) == "http://here"
        read.clear()
        await redis.set("t:owner:1", "http://other token", px=LEASE_MS)  # still held, and robbed
        await renewer.renew_once(book)
        assert halts == ["halt"]

    asyncio.run(play())


def test_a_runtime_hands_over_only_a_quiet_competition_with_everything_stored(client: TestClient) -> None:
    instructor = login_instructor(client)
    game = create_competition(client, instructor, teams=(("Alpha", "balanced"), ("Humans", None)))
    member = join_team(client, game.codes["Humans"], "Ann")
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    live = runtime.get(game.id)
    closed: list[int] = []
    assert not in_loop(client, lambda: runtime.hand_over(game.id, lambda: closed.append(game.id)))  # running
    assert runtime.get(game.id) is live and closed == []
    pause(client, game)
    assert client.put(APOLOGY, json={"enabled": True}, headers=member).status_code == 200
    assert in_loop(client, lambda: runtime.hand_over(game.id, lambda: closed.append(game.id)))  # paused
    assert (
        closed == [game.id]
        and game.id not in runtime.live
        and not any(key[0] == game.id for key in runtime.bot_tasks)
    )
    assert not live.unsaved  # the events and outcomes were written behind
    stored = runtime.store.event_payloads(game.id)
    assert len(stored) == len(live.started().log)
    with pytest.raises(ServerError) as moving:  # a request that still holds the old one
        in_loop(client, lambda: live.submit(c.SetApologyPolicy(team="Humans", enabled=False), "human"))
    assert moving.value.code == "unavailable" and moving.value.reason == MOVING
    assert runtime.store.command_count(game.id) == len(live.started().commands)
