"""The lease per competition (server.workers.ownership) over a Redis in memory with a moved clock.

Property: whatever the workers do — take rounds late or never again (killed, or stalled
past their leases), lose Redis, list new competitions — no competition is ever written by
two workers in turn (A, then B, then A again: a stalled owner resuming), a worker that
writes for a competition holds its lease at that moment, a worker that keeps going never
loses a competition, and once the survivors take their rounds every competition is run by
exactly one of them. Then the rendezvous placement (even, and moving only the new worker's
share when one joins), a new competition placed on the worker that stored it, the 503
while nobody owns a competition, and the renewer thread's rules.
"""

from __future__ import annotations

import asyncio
from typing import Any, cast

from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.requests import Request
from starlette.types import Message

from server.live.runtime import Runtime
from server.security.client_address import WorkerSignature
from server.workers.forwarding import Destination, Forwarder
from server.workers.leadership import Leadership
from server.workers.leases import LeaseBook, preferred_owner
from server.workers.ownership import PATIENCE_ROUNDS, SETTLE_ROUNDS, Ownership
from server.workers.renewer import LOOP_STALL_SECONDS, Renewer
from server.workers.routing import CompetitionFinder
from tests.server.fake_redis import FakeRedis

LEASE_MS = 5000
PERIOD_MS = LEASE_MS // 5


class Worker:
    """One worker's ownership, its rounds taken when the test says, its writes recorded."""

    def __init__(self, redis: FakeRedis, address: str, known: list[int]) -> None:
        self.halted = False
        self.dead = False
        book = LeaseBook(cast(Any, redis), "t", address, LEASE_MS)
        self.ownership = Ownership(book, self._adopt, self._halt)
        self.ownership.known = known
        self.address = address
        self.adopted: list[int] = []

    async def _adopt(self, competition_id: int) -> None:
        self.adopted.append(competition_id)

    def _halt(self) -> None:
        self.halted = True

    @property
    def alive(self) -> bool:
        return not (self.halted or self.dead)

    async def round(self) -> None:
        if not self.alive:
            return
        await self.ownership.round()
        while self.alive and not self.ownership.adoptions.empty():
            await self.ownership.adopt_one(self.ownership.adoptions.get_nowait())


class Cluster:
    def __init__(self, workers: int, competitions: int) -> None:
        self.redis = FakeRedis()
        known = list(range(1, competitions + 1))
        self.workers = [Worker(self.redis, f"http://w{i}", known) for i in range(workers)]
        self.next_id = competitions + 1
        self.writers: dict[int, list[str]] = {}  # per competition, who wrote, in turn
        self.held_before: dict[str, set[int]] = {w.address: set() for w in self.workers}

    async def round(self, worker: Worker) -> None:
        await worker.round()
        if not worker.alive:
            return
        for cid in sorted(worker.ownership.owned):  # it runs these now: it writes for them
            assert self.redis.peek(f"t:owner:{cid}") == worker.ownership.book.holder
            turns = self.writers.setdefault(cid, [])
            if not turns or turns[-1] != worker.address:
                assert worker.address not in turns, f"competition {cid} written by {[*turns, worker.address]}"
                turns.append(worker.address)
        assert self.held_before[worker.address] <= worker.ownership.held  # it never loses one
        self.held_before[worker.address] = set(worker.ownership.held)

    async def create(self) -> None:
        self.redis.sets.setdefault("t:competitions", set()).add(str(self.next_id))  # stored and listed
        self.next_id += 1

    async def settle(self) -> None:
        self.redis.down = False
        for _ in range(SETTLE_ROUNDS + PATIENCE_ROUNDS + LEASE_MS // PERIOD_MS + 2):
            self.redis.advance(PERIOD_MS)
            for worker in self.workers:
                await self.round(worker)


actions = st.lists(
    st.one_of(
        st.tuples(st.just("round"), st.integers(0, 2)),
        st.tuples(st.just("wait"), st.integers(100, 7000)),
        st.tuples(st.just("kill"), st.integers(0, 2)),
        st.tuples(st.just("create"), st.just(0)),
        st.tuples(st.just("redis"), st.booleans()),
    ),
    max_size=80,
)


@settings(max_examples=300)
@given(competitions=st.integers(0, 6), script=actions)
def test_no_competition_ever_has_two_writers_and_survivors_run_all(
    competitions: int, script: list[tuple[str, Any]]
) -> None:
    async def play() -> None:
        cluster = Cluster(3, competitions)
        for action, value in script:
            if action == "round":
                await cluster.round(cluster.workers[value])
            elif action == "wait":
                cluster.redis.advance(value)
            elif action == "kill":
                cluster.workers[value].dead = True
            elif action == "create":
                await cluster.create()
            else:
                cluster.redis.down = value
        await cluster.settle()
        survivors = [w for w in cluster.workers if w.alive]
        if not survivors:
            return
        for cid in range(1, cluster.next_id):
            runners = [w.address for w in survivors if cid in w.ownership.owned]
            assert len(runners) == 1, f"competition {cid} is run by {runners}"
        for worker in survivors:
            assert sorted(worker.adopted) == sorted(set(worker.adopted))  # each recovered once

    asyncio.run(play())


def test_a_worker_that_cannot_renew_stops_and_its_competitions_move_alone() -> None:
    async def play() -> None:
        cluster = Cluster(2, 8)
        await cluster.settle()
        first, second = cluster.workers
        firsts = set(first.ownership.owned)
        assert firsts and second.ownership.owned  # spread over both
        for _ in range(LEASE_MS // PERIOD_MS + PATIENCE_ROUNDS + 1):  # the first stalls past its leases
            cluster.redis.advance(PERIOD_MS)
            await cluster.round(second)
            if not firsts & second.ownership.owned:
                assert not first.halted  # nothing moves before the first's leases run out
        assert second.ownership.owned == set(range(1, 9))
        await cluster.round(first)  # it wakes up: its first renewal fails and it stops
        assert first.halted
        assert sorted(second.adopted) == sorted(range(1, 9))

    asyncio.run(play())


def test_rendezvous_spreads_evenly_and_a_new_worker_takes_only_its_share() -> None:
    two = ["http://10.0.0.1:8000", "http://10.0.0.2:8000"]
    three = [*two, "http://10.0.0.3:8000"]
    ids = range(1, 601)
    before = {cid: preferred_owner(cid, two) for cid in ids}
    after = {cid: preferred_owner(cid, three) for cid in ids}
    shares = [sum(1 for owner in before.values() if owner == w) for w in two]
    assert min(shares) > 250  # 300 each, give or take
    moved = [cid for cid in ids if before[cid] != after[cid]]
    assert all(after[cid] == three[2] for cid in moved)
    assert 150 < len(moved) < 250  # about a third
    assert preferred_owner(1, []) is None


def test_a_new_competition_runs_on_its_preferred_worker_at_once() -> None:
    async def play() -> None:
        redis = FakeRedis()
        book = LeaseBook(cast(Any, redis), "t", "http://only", LEASE_MS)
        ownership = Ownership(book, adopt=_never)
        await book.heartbeat()
        placed: list[int] = []

        async def run_here() -> None:
            placed.append(42)

        assert await ownership.place(42, run_here)
        assert placed == [42] and ownership.runs(42)
        assert await book.owner(42) == "http://only"
        again = LeaseBook(cast(Any, redis), "t", "http://only", LEASE_MS)  # a new process, same address
        assert await again.renew([42]) == [42]  # the lease is not its own
        assert not await again.claim(42)
        assert await book.competitions() == [42]

    asyncio.run(play())


async def _never(_competition_id: int) -> None:
    raise AssertionError("nothing to recover")


def _request(path: str) -> Request:
    scope = {
        "type": "http",
        "method": "GET",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "headers": [],
        "client": ("127.0.0.1", 5000),
        "server": ("127.0.0.1", 8000),
        "scheme": "http",
        "app": None,
    }
    return Request(scope)


async def _forwarded(
    forwarder: Forwarder, path: str, where: Destination
) -> tuple[int, dict[str, str], bytes]:
    """What ``forward`` sends the client: the status, the headers and the body."""
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    await forwarder.forward(_request(path), where, send)
    headers = {k.decode(): v.decode() for k, v in sent[0]["headers"]}
    return sent[0]["status"], headers, b"".join(m.get("body", b"") for m in sent[1:])


def test_requests_go_to_the_owner_or_the_front_and_wait_while_nobody_runs_theirs() -> None:
    async def play() -> None:
        redis = FakeRedis()
        here, there = "http://here", "http://there"
        book = LeaseBook(cast(Any, redis), "t", here, LEASE_MS)
        front = Leadership(cast(Any, redis), "t", here)
        finder = CompetitionFinder(cast(Runtime, None))  # paths only: no session, no code
        forwarder = Forwarder(front, Ownership(book, adopt=_never), finder, WorkerSignature("k" * 64))
        try:
            await redis.set("t:leader", there)
            await redis.set("t:owner:7", there, px=LEASE_MS)
            await redis.sadd("t:competitions", "7", "8")
            to_owner = await forwarder.destination(_request("/api/v1/competitions/7/standings"), None)
            assert (to_owner.here, to_owner.address) == (False, there)
            to_front = await forwarder.destination(_request("/api/v1/competitions"), None)
            assert (to_front.here, to_front.address) == (False, there)
            nobody = await forwarder.destination(_request("/api/v1/competitions/8/public"), None)
            assert (nobody.here, nobody.address, nobody.competition_id) == (False, None, 8)
            status, headers, body = await _forwarded(forwarder, "/api/v1/competitions/8/public", nobody)
            assert status == 503 and headers["retry-after"] == "2"
            assert b"competition 8" in body
            unknown = await forwarder.destination(_request("/api/v1/competitions/9"), None)
            assert (unknown.here, unknown.address) == (False, there)  # the front answers its 404
            redis.down = True  # who owns what cannot be read: a 503 that says so, never a 500
            lost = await forwarder.destination(_request("/api/v1/competitions/7/standings"), None)
            assert (lost.here, lost.address, lost.redis_down) == (False, None, True)
            status, headers, body = await _forwarded(forwarder, "/api/v1/competitions/7/standings", lost)
            assert status == 503 and headers["retry-after"] == "2"
            assert b"Redis" in body
        finally:
            await forwarder.close()

    asyncio.run(play())


def test_requests_asking_at_once_share_one_read_of_the_owner_and_a_later_one_reads_again() -> None:
    async def play() -> None:
        redis = FakeRedis()
        here, there = "http://here", "http://there"
        book = LeaseBook(cast(Any, redis), "t", here, LEASE_MS)
        finder = CompetitionFinder(cast(Runtime, None))
        forwarder = Forwarder(
            Leadership(cast(Any, redis), "t", here),
            Ownership(book, adopt=_never),
            finder,
            WorkerSignature("k" * 64),
        )
        reads: list[str] = []
        get = redis.get

        async def counted(key: str) -> str | None:
            reads.append(key)
            await asyncio.sleep(0)  # a read takes a turn of the event loop, as a real one does
            return await get(key)

        redis.get = counted  # type: ignore[method-assign]
        try:
            await redis.set("t:owner:7", there, px=LEASE_MS)
            await redis.set("t:owner:8", "http://third token", px=LEASE_MS)
            paths = ["/api/v1/competitions/7/standings"] * 50 + ["/api/v1/competitions/8/public"] * 50
            found = await asyncio.gather(*(forwarder.destination(_request(p), None) for p in paths))
            assert {(d.competition_id, d.address) for d in found} == {(7, there), (8, "http://third")}
            assert sorted(reads) == ["t:owner:7", "t:owner:8"]  # one read per competition, not 100
            await redis.set("t:owner:7", "http://third token", px=LEASE_MS)  # moved: a later request sees it
            moved = await forwarder.destination(_request("/api/v1/competitions/7/standings"), None)
            assert moved.address == "http://third" and reads.count("t:owner:7") == 2
            redis.down = True  # a failed read fails every request that shared it, as a 503 each
            failed = await asyncio.gather(
                *(forwarder.destination(_request("/api/v1/competitions/7/x"), None) for _ in range(5))
            )
            assert all(d.redis_down for d in failed)
        finally:
            await forwarder.close()

    asyncio.run(play())


def test_the_renewer_keeps_the_leases_of_a_busy_loop_and_stops_a_stuck_or_robbed_worker() -> None:
    async def play() -> None:
        redis = FakeRedis()
        book = LeaseBook(cast(Any, redis), "t", "http://here", LEASE_MS)
        halts: list[str] = []
        held = [1]
        renewer = Renewer(lambda: book, lambda: list(held), lambda: "t:leader", lambda: halts.append("halt"))
        assert await book.claim(1)
        await redis.set("t:leader", book.holder, px=LEASE_MS)
        for _ in range(10):  # the event loop is busy for 10 s; the thread renews every second
            redis.advance(PERIOD_MS)
            await renewer.renew_once(book)
        assert halts == [] and await book.owner(1) == "http://here"
        assert redis.peek("t:leader") == book.holder
        await redis.set("t:owner:1", "http://other token", px=LEASE_MS)  # robbed: it stops
        await renewer.renew_once(book)
        assert halts == ["halt"]
        held.clear()
        renewer.loop_seen -= LOOP_STALL_SECONDS + 1  # the loop is stuck: it stops
        await renewer.renew_once(book)
        assert halts == ["halt", "halt"]

    asyncio.run(play())
