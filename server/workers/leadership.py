"""The front worker: exactly one worker at a time takes the requests that name no competition.

With BROADCAST_URL, each competition has its own owner (``server.workers.ownership``); the
requests about none (the instructor's login and list, creating and importing competitions,
previews, a wrong join or judge code) go to one worker, the front, so that failed logins are
counted in one place and a preview is polled where it runs, as with one process. Workers
race for its lease in Redis (``SET NX PX``) and the holder renews it every second; when the
front dies its lease runs out and another worker becomes the front. A front that cannot
renew its lease stops at once rather than risk two fronts.
"""

from __future__ import annotations

import asyncio
import logging
import os
import secrets

from redis.asyncio import Redis

from server.workers.leases import RELEASE, address_in

log = logging.getLogger("salesfloor.leadership")

RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) "
    "else return 0 end"
)


class Leadership:
    def __init__(
        self, redis: Redis, prefix: str, address: str, lease_ms: int = 5000, holder: str | None = None
    ) -> None:
        self.redis = redis
        self.key = f"{prefix}:leader"
        self.address = address
        # as a competition's lease: the address and a token of this process
        self.holder = holder or f"{address} {secrets.token_hex(8)}"
        self.lease_ms = lease_ms
        self.leading = False  # this worker holds the front's lease
        self.task: asyncio.Task[None] | None = None

    async def leader(self) -> str | None:
        """The front's address, or None."""
        return address_in(await self.redis.get(self.key))

    def start(self) -> None:
        self.task = asyncio.create_task(self._campaign())

    async def _campaign(self) -> None:
        while True:
            try:
                if self.leading:
                    if not await self.redis.eval(RENEW, 1, self.key, self.holder, str(self.lease_ms)):
                        log.critical("lost the front's lease; stopping so that only one worker is the front")
                        os._exit(3)
                elif await self.redis.set(self.key, self.holder, nx=True, px=self.lease_ms):
                    self.leading = True
                    log.warning(
                        "this worker (%s) is the front: it takes the requests naming no competition",
                        self.address,
                    )
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.leading:
                    log.critical("cannot reach Redis to renew the front's lease (%s); stopping", exc)
                    os._exit(3)
                log.warning("cannot reach Redis (%s); retrying", exc)
            await asyncio.sleep(self.lease_ms / 5000)

    def held_key(self) -> str | None:
        """The front's lease key while this worker holds it (for the renewer)."""
        return self.key if self.leading else None

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
        if self.leading:
            self.leading = False
            await self.redis.eval(RELEASE, 1, self.key, self.holder)
