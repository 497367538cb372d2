"""A worker that follows many channels through Redis keeps connections for the rest of its work.

Each channel used to be read with a blocking ``XREAD`` of its own, holding one of the pool's
connections (redis-py's 100) for up to 5 s: a worker following more channels than that had
none left, and the requests it forwarded failed (bench/worker_scale.py met 500s). Now one
``XREAD`` on a connection of its own reads every followed stream. Real Redis on 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import secrets
from typing import Any

import pytest

from server.wire.broadcast_redis import RedisBroadcaster

REDIS = "redis://127.0.0.1:6379/0"
CHANNELS = 150  # more than the pool's 100 connections


def _redis_or_skip() -> None:
    try:
        import redis

        redis.Redis.from_url(REDIS, socket_timeout=2).ping()
    except Exception as exc:
        if os.environ.get("CI"):
            pytest.fail(f"Redis on 127.0.0.1 is needed ({exc}): CI must run this test")
        pytest.skip(f"Redis on 127.0.0.1 is needed ({exc})")


def test_a_follower_of_many_channels_gets_every_message_and_keeps_its_pool() -> None:
    _redis_or_skip()

    async def play() -> None:
        prefix = f"sftest{secrets.token_hex(4)}"
        owner = RedisBroadcaster(REDIS, prefix, 1000, runs=lambda _competition: True)
        follower = RedisBroadcaster(REDIS, prefix, 1000, runs=lambda _competition: False)
        await owner.start()
        await follower.start()
        names = [f"team:7:T{i}" for i in range(CHANNELS)]
        try:
            for name in names[:10]:  # history written before anybody follows
                owner.publish(name, "event", 1.0, {"before": name})
            await _until(lambda: _entries(owner, names[:10]))
            with contextlib.ExitStack() as stack:
                subs = [(name, stack.enter_context(follower.subscribe(name))) for name in names]
                for name in names:
                    await follower.ready(name)
                for name in names:
                    owner.publish(name, "event", 2.0, {"after": name})
                received = {name: await _drain(sub, 2 if i < 10 else 1) for i, (name, sub) in enumerate(subs)}
                # the pool of the follower's own work is free: a command goes through at once
                assert await asyncio.wait_for(follower.redis.ping(), timeout=5)
                pool: Any = follower.redis.connection_pool
                assert len(pool._in_use_connections) == 0, "no pooled connection is held by reading"
            for i, name in enumerate(names):
                datas = [m["data"] for m in received[name]]
                expected = ([{"before": name}] if i < 10 else []) + [{"after": name}]
                assert datas == expected, (name, datas)
                assert [m["seq"] for m in received[name]] == list(range(1, len(expected) + 1))
        finally:
            await follower.stop()
            await owner.stop()
            await _forget(prefix)

    asyncio.run(play())


async def _drain(sub: Any, count: int) -> list[dict[str, Any]]:
    return [await asyncio.wait_for(sub.queue.get(), timeout=10) for _ in range(count)]


async def _entries(owner: RedisBroadcaster, names: list[str]) -> bool:
    lengths = [await owner.redis.xlen(owner._key(name)) for name in names]
    return all(length >= 1 for length in lengths)


async def _until(condition: Any, timeout: float = 10.0) -> None:
    deadline = asyncio.get_running_loop().time() + timeout
    while not await condition():
        assert asyncio.get_running_loop().time() < deadline, "Redis did not take the messages"
        await asyncio.sleep(0.05)


async def _forget(prefix: str) -> None:
    from redis.asyncio import Redis

    redis = Redis.from_url(REDIS, decode_responses=True)
    keys = [key async for key in redis.scan_iter(match=f"{prefix}:*")]
    if keys:
        await redis.delete(*keys)
    await redis.aclose()
