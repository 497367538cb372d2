"""Leases in Redis: one per competition, the live workers' heartbeats, and who should own what.

A competition's lease is the key ``{prefix}:owner:{id}`` holding its owner's address and a
token of that process, taken with ``SET NX PX`` (only when nobody holds it) and renewed only
by the process whose value it holds (a compare-and-renew script): two workers can never hold
it at once. Every worker
announces itself with a heartbeat key ``{prefix}:worker:{address}`` of the same lifetime. The
competitions to own are listed in the set ``{prefix}:competitions``.

Which live worker should own a competition is decided by rendezvous (highest random weight)
hashing of the id over the live workers' addresses: each worker computes the same answer,
the competitions spread evenly, and a worker joining or leaving changes the preferred owner
of only its share of them.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable, Sequence
from typing import Any

from redis.asyncio import Redis

RENEW_ALL = (
    "local lost = {} "
    "for i, key in ipairs(KEYS) do "
    "  if redis.call('get', key) == ARGV[1] then redis.call('pexpire', key, ARGV[2]) "
    "  else table.insert(lost, key) end "
    "end "
    "return lost"
)
"""Renew every lease still held by ARGV[1]; answer the keys it no longer holds."""

RELEASE = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end"


def address_in(holder: Any) -> str | None:
    """The address in a lease's value (``address token``), or None for no lease."""
    return str(holder).split(" ", 1)[0] if holder else None


def weight(competition_id: int, worker: str) -> bytes:
    """The rendezvous weight of ``worker`` for a competition (the highest weight owns it)."""
    return hashlib.sha256(f"{competition_id}|{worker}".encode()).digest()


def preferred_owner(competition_id: int, workers: Iterable[str]) -> str | None:
    """The live worker that should own the competition, or None when no worker is live."""
    return max(workers, key=lambda worker: weight(competition_id, worker), default=None)


class LeaseBook:
    """The Redis side of ownership: leases, heartbeats and the list of competitions."""

    def __init__(self, redis: Redis, prefix: str, address: str, lease_ms: int = 5000) -> None:
        self.redis = redis
        self.prefix = prefix
        self.address = address
        self.lease_ms = lease_ms
        # what this process writes in its leases: its address and a token of its own, so that a
        # process started again at the same address never takes its predecessor's leases for its own
        self.holder = f"{address} {secrets.token_hex(8)}"

    def lease_key(self, competition_id: int) -> str:
        return f"{self.prefix}:owner:{competition_id}"

    def _worker_key(self, address: str) -> str:
        return f"{self.prefix}:worker:{address}"

    @property
    def _listed(self) -> str:
        return f"{self.prefix}:competitions"

    async def heartbeat(self) -> None:
        await self.redis.set(self._worker_key(self.address), self.address, px=self.lease_ms)

    async def leave(self) -> None:
        await self.redis.delete(self._worker_key(self.address))

    async def workers(self) -> list[str]:
        """The addresses of the live workers (those whose heartbeat has not run out), sorted."""
        keys = [key async for key in self.redis.scan_iter(match=self._worker_key("*"), count=100)]
        values: list[Any] = await self.redis.mget(keys) if keys else []
        return sorted({str(value) for value in values if value})

    async def list_competitions(self, ids: Sequence[int]) -> None:
        if ids:
            await self.redis.sadd(self._listed, *[str(i) for i in ids])

    async def competitions(self) -> list[int]:
        members: Any = await self.redis.smembers(self._listed)
        return sorted(int(member) for member in members)

    async def is_listed(self, competition_id: int) -> bool:
        return bool(await self.redis.sismember(self._listed, str(competition_id)))

    async def owner(self, competition_id: int) -> str | None:
        """The address of the worker holding the competition's lease, or None."""
        return address_in(await self.redis.get(self.lease_key(competition_id)))

    async def owners(self, ids: Sequence[int]) -> dict[int, str | None]:
        if not ids:
            return {}
        values: list[Any] = await self.redis.mget([self.lease_key(i) for i in ids])
        return {i: address_in(v) for i, v in zip(ids, values, strict=True)}

    async def claim(self, competition_id: int) -> bool:
        """Take the competition's lease if nobody holds it."""
        taken = await self.redis.set(self.lease_key(competition_id), self.holder, nx=True, px=self.lease_ms)
        return bool(taken)

    async def renew(self, ids: Sequence[int]) -> list[int]:
        """Renew the leases of ``ids``; answer the ones this worker no longer holds."""
        if not ids:
            return []
        keys = [self.lease_key(i) for i in ids]
        lost: Any = await self.redis.eval(RENEW_ALL, len(keys), *keys, self.holder, str(self.lease_ms))
        by_key = dict(zip(keys, ids, strict=True))
        return [by_key[str(key)] for key in lost or []]

    async def renew_key(self, key: str) -> list[str]:
        """Renew one lease by its key (the front's); answer ``[key]`` if this worker no longer holds it."""
        lost: Any = await self.redis.eval(RENEW_ALL, 1, key, self.holder, str(self.lease_ms))
        return [str(k) for k in lost or []]

    async def release(self, competition_id: int) -> None:
        await self.redis.eval(RELEASE, 1, self.lease_key(competition_id), self.holder)
