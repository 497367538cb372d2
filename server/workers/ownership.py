"""Ownership: each worker runs exactly the competitions whose lease it holds (with BROADCAST_URL).

Every second a worker renews its heartbeat and all its leases at once, then looks for listed
competitions nobody holds: it takes those it is the preferred owner of (rendezvous hashing
over the live workers, ``server.workers.leases``), and any that stayed unowned for a few
rounds whatever the preference (the preferred worker may be dying). A taken competition is
recovered from the database, as after a restart, by one adopter task while the renewals go
on, and is served only once recovered (``owned``).

A thread renews the same leases too (``server.workers.renewer``), so that a loop busy with
requests does not lose them. A worker that cannot renew a lease it holds (Redis unreachable,
or the key gone or someone else's) stops the whole process at once (exit code 3) rather
than risk a second writer of that competition's command log: its competitions are then
taken over, each on its own, by the other workers, and a supervisor restarts it.

Competitions running here are never moved while this worker lives; a quiet one (its clock
stopped: a draft, paused or finished) whose preferred owner is another live worker is handed
over, one a round (``hand_over``: closed here with everything stored, then its lease given
back, and the preferred worker takes it at its next round). So after a rolling restart the
competitions spread again as their classes pause and end, instead of staying on the worker
that outlived the others.

A lease cannot stop a worker frozen for longer than it (SIGSTOP, a paused VM): taking a
competition therefore also raises its owner epoch in the database (``adopt`` and ``place``
do, through the runtime), and every write of its logs is refused to an older epoch
(server.persistence.store.fencing); a worker refused so stops as on a lost lease.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import os
from collections.abc import Awaitable, Callable

from server.workers.leases import LeaseBook, preferred_owner

log = logging.getLogger("salesfloor.ownership")

SETTLE_ROUNDS = 2
"""Rounds a starting worker only announces itself, so that workers started together see each other."""

PATIENCE_ROUNDS = 10
"""Rounds a competition may stay unowned before any worker takes it, preferred or not (its preferred
owner may be stuck; a dead one drops out of the live workers when its heartbeat runs out)."""

HAND_OVER_ROUNDS = 30
"""Rounds a competition stays on the worker that took it before it may be handed over (one taken
from a stuck preferred worker does not go back and forth)."""

PLACE_WAIT_SECONDS = 10.0
"""How long a new competition waits for its preferred owner before its creator takes it."""


def _halt() -> None:
    os._exit(3)


class Ownership:
    def __init__(
        self,
        book: LeaseBook,
        adopt: Callable[[int], Awaitable[None]],
        halt: Callable[[], None] = _halt,
        hand_over: Callable[[int, Callable[[], None]], Awaitable[bool]] | None = None,
    ) -> None:
        self.book = book
        self.address = book.address
        self.adopt = adopt
        self.halt = halt
        # closes a competition here if it is quiet (True) so that its preferred worker takes it,
        # calling back the moment it stops serving it; None: competitions never move while their
        # owner lives
        self.hand_over = hand_over
        self.held: set[int] = set()  # this worker holds their leases
        self.owned: set[int] = set()  # ... and has recovered them: it runs them
        self.recovered: dict[int, asyncio.Event] = {}  # set once a held competition runs here
        self.unowned_rounds: dict[int, int] = {}
        self.taken_at: dict[int, int] = {}  # the round each held competition was taken at
        self.rounds = 0
        self.adoptions: asyncio.Queue[int] = asyncio.Queue()
        self.tasks: list[asyncio.Task[None]] = []
        self.known: list[int] | None = None  # to list in Redis at the first round
        self.taking = True  # takes unowned competitions (not once its shutdown has begun)
        self.on_round: Callable[[], None] = lambda: None  # the event loop runs (for the renewer)

    @property
    def period(self) -> float:
        return self.book.lease_ms / 5000

    def start(self, known: list[int]) -> None:
        """Start announcing, renewing and taking; ``known`` are the competitions in the database."""
        self.known = known
        self.tasks = [
            asyncio.create_task(self._run()),
            asyncio.create_task(self._adopt_forever()),
        ]

    async def _run(self) -> None:
        while True:
            await self.round()
            await asyncio.sleep(self.period)

    async def round(self) -> None:
        """One round (``step``); a worker holding leases that cannot reach Redis stops."""
        self.on_round()
        try:
            if self.known is not None:
                await self.book.list_competitions(self.known)
                self.known = None
            await self.step()
        except Exception as exc:
            if self.held:
                log.critical("cannot reach Redis to renew the leases (%s); stopping", exc)
                self.halt()
                return
            log.warning("cannot reach Redis (%s); retrying", exc)

    async def step(self) -> None:
        """One round: heartbeat, renew every held lease, take the unowned competitions due to this worker."""
        await self.book.heartbeat()
        lost = await self.book.renew(sorted(self.held))
        if lost:
            log.critical(
                "lost the lease on competitions %s; stopping so that only one worker writes each",
                ", ".join(map(str, lost)),
            )
            self.halt()
            return
        self.rounds += 1
        if self.rounds <= SETTLE_ROUNDS or not self.taking:
            return
        listed = [cid for cid in await self.book.competitions() if cid not in self.held]
        owners = await self.book.owners(listed)
        workers = await self.book.workers()
        await self._rebalance(workers)
        for cid, owner in owners.items():
            if owner is not None:
                self.unowned_rounds.pop(cid, None)
                continue
            waited = self.unowned_rounds[cid] = self.unowned_rounds.get(cid, 0) + 1
            if preferred_owner(cid, workers) != self.address and waited < PATIENCE_ROUNDS:
                continue
            if await self.book.claim(cid):
                self.unowned_rounds.pop(cid, None)
                self.held.add(cid)
                self.taken_at[cid] = self.rounds
                log.warning("this worker (%s) takes over competition %s", self.address, cid)
                self.recovered[cid] = asyncio.Event()
                self.adoptions.put_nowait(cid)

    async def _rebalance(self, workers: list[str]) -> None:
        """Hand one quiet competition over to its preferred owner, if another live worker."""
        if self.hand_over is None:
            return
        for cid in sorted(self.owned):
            preferred = preferred_owner(cid, workers)
            if (
                preferred in (None, self.address)
                or self.rounds - self.taken_at.get(cid, 0) < HAND_OVER_ROUNDS
            ):
                continue
            if not await self.hand_over(cid, functools.partial(self.owned.discard, cid)):
                continue
            self.owned.discard(cid)  # requests meanwhile wait for a new owner (a 503), never a 404 here
            self.taken_at.pop(cid, None)
            self.held.discard(cid)  # before the release: the renewer must not count it lost
            await self.book.release(cid)
            log.warning("this worker (%s) hands competition %s over to %s", self.address, cid, preferred)
            return

    async def _adopt_forever(self) -> None:
        """Recover the taken competitions one at a time (recovery may outlast a lease: renewals go on)."""
        while await self.adopt_one(await self.adoptions.get()):
            pass

    async def adopt_one(self, competition_id: int) -> bool:
        """Recover one taken competition and run it; False if that failed (the process stops)."""
        try:
            await self.adopt(competition_id)
        except Exception:
            log.critical(
                "taking over competition %s failed; stopping so that another worker can",
                competition_id,
                exc_info=True,
            )
            self.halt()
            return False
        self.owned.add(competition_id)
        self.recovered.pop(competition_id).set()
        log.warning("this worker (%s) now runs competition %s", self.address, competition_id)
        return True

    async def place(self, competition_id: int, run_here: Callable[[], Awaitable[None]]) -> bool:
        """A competition this worker has just stored: run it here (``run_here``) if this worker
        takes it, else wait until another worker does. True if it runs here."""
        await self.book.list_competitions([competition_id])
        workers = await self.book.workers()
        if preferred_owner(competition_id, workers) in (self.address, None) and await self._take(
            competition_id, run_here
        ):
            return True
        waited = 0.0
        while waited < PLACE_WAIT_SECONDS:
            if await self.book.owner(competition_id) is not None:
                return False  # its owner recovers it from the database (perhaps this worker's adopter)
            await asyncio.sleep(0.1)
            waited += 0.1
        return await self._take(competition_id, run_here)

    async def _take(self, competition_id: int, run_here: Callable[[], Awaitable[None]]) -> bool:
        if not await self.book.claim(competition_id):
            return False
        self.held.add(competition_id)
        self.taken_at[competition_id] = self.rounds
        try:
            await run_here()  # raises the owner epoch (fencing) before it runs here
        except BaseException:
            self.held.discard(competition_id)
            self.taken_at.pop(competition_id, None)
            await self.book.release(competition_id)
            raise
        self.owned.add(competition_id)
        log.warning("this worker (%s) runs the new competition %s", self.address, competition_id)
        return True

    def runs(self, competition_id: int) -> bool:
        return competition_id in self.owned

    def held_now(self) -> list[int]:
        """The competitions whose leases this worker holds (a copy, safe from another thread)."""
        return sorted(frozenset(self.held))

    def holds(self, competition_id: int) -> bool:
        """Whether this worker holds the competition's lease (it may still be recovering it)."""
        return competition_id in self.held

    async def until_running(self, competition_id: int, seconds: float) -> bool:
        """Whether the competition runs here, waiting up to ``seconds`` if it is being recovered here."""
        event = self.recovered.get(competition_id)
        if event is not None:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(event.wait(), seconds)
        return self.runs(competition_id)

    def stop_taking(self) -> None:
        """The shutdown has begun: keep renewing, take nothing more."""
        self.taking = False

    async def stop(self) -> None:
        """Stop renewing and give every lease back (the other workers take the competitions over)."""
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        for cid in sorted(self.held):
            await self.book.release(cid)
        await self.book.leave()
