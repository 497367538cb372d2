"""Leadership: exactly one worker at a time owns the competitions (with BROADCAST_URL).

Workers race for a lease in Redis (``SET NX PX``); the winner recovers every competition
from the database and runs them, renewing its lease every second. The others forward every
API request to it and serve websockets from the Redis streams. When the leader dies its
lease runs out and another worker takes over, recovering from the committed command log —
the same path as a restart. A leader that cannot renew its lease stops at once rather than
risk two owners.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Awaitable, Callable

from redis.asyncio import Redis

log = logging.getLogger("salesfloor.leadership")

RENEW = (
    "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) "
    "else return 0 end"
)
RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


class Leadership:
    def __init__(self, redis: Redis, prefix: str, address: str, lease_ms: int = 5000) -> None:
        self.redis = redis
        self.key = f"{prefix}:leader"
        self.address = address
        self.lease_ms = lease_ms
        self.holding = False  # this worker holds the lease
        self.leading = False  # ... and has finished taking over: it serves the competitions
        self.task: asyncio.Task[None] | None = None
        self.takeover: asyncio.Task[None] | None = None

    async def leader(self) -> str | None:
        value = await self.redis.get(self.key)
        return str(value) if value else None

    def start(self, on_elected: Callable[[], Awaitable[None]]) -> None:
        self.task = asyncio.create_task(self._campaign(on_elected))

    async def _campaign(self, on_elected: Callable[[], Awaitable[None]]) -> None:
        while True:
            try:
                if self.holding:
                    if not await self.redis.eval(RENEW, 1, self.key, self.address, str(self.lease_ms)):
                        log.critical(
                            "lost the lease on the competitions; stopping so that only one worker owns them"
                        )
                        os._exit(3)
                elif await self.redis.set(self.key, self.address, nx=True, px=self.lease_ms):
                    log.warning("this worker (%s) takes over the competitions", self.address)
                    self.holding = True
                    # taking over (recovery) may outlast the lease: it runs beside the renewals
                    self.takeover = asyncio.create_task(self._take_over(on_elected))
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                if self.holding:
                    log.critical("cannot reach Redis to renew the lease (%s); stopping", exc)
                    os._exit(3)
                log.warning("cannot reach Redis (%s); retrying", exc)
            await asyncio.sleep(self.lease_ms / 5000)

    async def _take_over(self, on_elected: Callable[[], Awaitable[None]]) -> None:
        try:
            await on_elected()
        except Exception:
            log.critical(
                "taking over the competitions failed; stopping so that another worker can", exc_info=True
            )
            os._exit(3)
        self.leading = True
        log.warning("this worker (%s) now owns the competitions", self.address)

    async def stop(self) -> None:
        if self.task:
            self.task.cancel()
        if self.holding:
            await self.redis.eval(RELEASE, 1, self.key, self.address)
