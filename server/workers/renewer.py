"""The renewer: a thread of its own keeps this worker's leases while its event loop is busy.

The leases (``server.workers.ownership``, ``server.workers.leadership``) are also renewed by
tasks on the event loop; a loop overloaded by requests may come to them more than a lease
late, and the worker would stop. This thread, with its own event loop and Redis connection,
renews the heartbeat, the front's lease and every competition's lease each period. It stops
the process (exit code 3) when a renewal fails, when Redis cannot be reached while it holds a
lease, and when the worker's event loop has not run for ``LOOP_STALL_SECONDS``: a worker whose
loop is stuck gives its competitions up, and no worker ever writes without its leases.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable

from redis.asyncio import Redis

from server.workers.leases import LeaseBook

log = logging.getLogger("salesfloor.renewer")

LOOP_STALL_SECONDS = 30.0
"""How long the worker's event loop may go without running before the worker stops."""


class Renewer:
    def __init__(
        self,
        make_book: Callable[[], LeaseBook],
        held: Callable[[], list[int]],
        front_key: Callable[[], str | None],
        halt: Callable[[], None],
    ) -> None:
        self.make_book = make_book  # a lease book on a Redis connection of the thread's own
        self.held = held  # the competitions whose leases this worker holds (a copy, any thread)
        self.front_key = front_key  # the front's lease key when this worker holds it
        self.halt = halt
        self.loop_seen = time.monotonic()  # the worker's event loop last ran at
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, name="lease-renewer", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def loop_ran(self) -> None:
        """Called from the worker's event loop every period."""
        self.loop_seen = time.monotonic()

    def _run(self) -> None:
        asyncio.run(self._renew_forever())

    async def _renew_forever(self) -> None:
        book = self.make_book()
        try:
            while not self.stopping.is_set():
                await self.renew_once(book)
                await asyncio.sleep(book.lease_ms / 5000)
        finally:
            await book.redis.aclose()

    async def renew_once(self, book: LeaseBook) -> None:
        """Renew everything held; stop the process when that fails or the loop is stuck."""
        stalled = time.monotonic() - self.loop_seen
        if stalled > LOOP_STALL_SECONDS:
            log.critical("the event loop has not run for %.0f s; stopping so that others take over", stalled)
            self.halt()
            return
        ids, front = self.held(), self.front_key()
        try:
            await book.heartbeat()
            lost = await book.renew(ids)
            front_lost = front is not None and bool(await book.renew_key(front))
        except Exception as exc:
            if ids or front is not None:
                log.critical("cannot reach Redis to renew the leases (%s); stopping", exc)
                self.halt()
            return
        held_now = set(self.held())
        lost = [cid for cid in lost if cid in held_now]  # not those handed over meanwhile
        if lost or front_lost:
            log.critical("lost a lease (competitions %s, front %s); stopping", lost, front_lost)
            self.halt()

    def stop(self) -> None:
        self.stopping.set()


def book_maker(url: str, prefix: str, address: str, holder: str) -> Callable[[], LeaseBook]:
    """A lease book on a new Redis connection, with this process's holder value."""

    def make() -> LeaseBook:
        book = LeaseBook(Redis.from_url(url, decode_responses=True), prefix, address)
        book.holder = holder
        return book

    return make
