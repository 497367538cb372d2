"""Session news: a session ended on one worker ends at once on every worker (with BROADCAST_URL).

Each worker keeps who is behind a token for a few seconds (``server.security.session_cache``)
and the websockets of its members (``server.wire.member_channels``). A logout or a member's
removal is served by one worker; it tells the others on the Redis channel
``{prefix}:sessions-ended``, and each forgets those sessions and closes the removed members'
websockets, as the worker that served it did.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from typing import Any

from redis.asyncio import Redis

from server.live.runtime import Runtime

log = logging.getLogger("salesfloor.session_news")


class SessionNews:
    def __init__(self, redis: Redis, prefix: str, address: str, rt: Runtime) -> None:
        self.redis = redis
        self.channel = f"{prefix}:sessions-ended"
        self.address = address
        self.rt = rt
        self.outbox: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
        self.tasks: list[asyncio.Task[None]] = []
        self.loop: asyncio.AbstractEventLoop | None = None

    def tell(self, token_hash: str | None, member_ids: list[int]) -> None:
        """Tell the other workers (callable from any thread)."""
        if self.loop is not None:
            news = {"from": self.address, "token": token_hash, "members": member_ids}
            self.loop.call_soon_threadsafe(self.outbox.put_nowait, news)

    async def start(self) -> None:
        self.loop = asyncio.get_running_loop()
        pubsub = self.redis.pubsub()
        await pubsub.subscribe(self.channel)
        self.tasks = [
            asyncio.create_task(self._send_forever()),
            asyncio.create_task(self._listen_forever(pubsub)),
        ]

    async def _send_forever(self) -> None:
        while True:
            news = await self.outbox.get()
            try:
                await self.redis.publish(self.channel, json.dumps(news))
            except Exception as exc:  # the others' caches still forget within their trust period
                log.error("could not tell the other workers of ended sessions: %s", exc)

    async def _listen_forever(self, pubsub: Any) -> None:
        try:
            while True:
                try:
                    message = await pubsub.get_message(ignore_subscribe_messages=True, timeout=5.0)
                except asyncio.CancelledError:
                    raise
                except Exception as exc:
                    log.warning("reading ended sessions from Redis: %s; retrying", exc)
                    await asyncio.sleep(1.0)
                    continue
                if message is not None:
                    self.heard(json.loads(message["data"]))
        finally:
            with contextlib.suppress(Exception):
                await pubsub.aclose()

    def heard(self, news: dict[str, Any]) -> None:
        if news.get("from") == self.address:
            return
        if news.get("token"):
            self.rt.sessions.forget(str(news["token"]))
        members = [int(m) for m in news.get("members") or []]
        if members:
            self.rt.sessions.forget_members(members)
            self.rt.member_channels.close(set(members))

    async def stop(self) -> None:
        for task in self.tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
