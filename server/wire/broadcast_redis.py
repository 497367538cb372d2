"""Live messages across several workers, through Redis streams.

A competition's owner (the worker holding its lease, see ``server.workers.ownership``) publishes
its channels: each message goes to its own websocket clients at once and to a Redis stream
per channel, whose entry id is the message's seq. Every other worker reads the streams of
the channels its clients follow and hands the messages on, so a client sees the same
``seq`` whichever worker it is connected to, and can reconnect to any worker with
``?after=SEQ``. A worker taking a competition over continues each of its channels from the
last seq in Redis; the epoch is shared, so a takeover is not a restart for the clients.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from redis.asyncio import Redis

from server.wire.broadcast import HISTORY, Broadcaster, Subscriber

log = logging.getLogger("salesfloor.broadcast")


def competition_of(channel: str) -> int:
    """The competition a channel belongs to (``public:7``, ``team:7:Alpha``: 7)."""
    return int(channel.split(":")[1])


class RedisBroadcaster(Broadcaster):
    def __init__(self, url: str, prefix: str, queue_size: int, runs: Callable[[int], bool]) -> None:
        super().__init__(queue_size)
        self.redis: Redis = Redis.from_url(url, decode_responses=True)
        self.prefix = prefix
        self.runs = runs  # whether this worker owns the competition with this id (holds its lease)
        self.outbox: asyncio.Queue[tuple[str, dict[str, Any]]] = asyncio.Queue()
        self.readers: dict[str, asyncio.Task[None]] = {}
        self.loaded: dict[str, asyncio.Event] = {}
        self.writer: asyncio.Task[None] | None = None

    def _key(self, name: str) -> str:
        return f"{self.prefix}:channel:{name}"

    async def start(self) -> None:
        await self.redis.set(f"{self.prefix}:epoch", self.epoch, nx=True)
        self.epoch = str(await self.redis.get(f"{self.prefix}:epoch"))
        self.writer = asyncio.create_task(self._write_forever())

    async def stop(self) -> None:
        for task in [*self.readers.values(), *([self.writer] if self.writer else [])]:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.redis.aclose()

    async def take_over(self, competition_id: int) -> None:
        """This worker owns the competition now: stop reading its channels, continue each from
        its last seq."""
        for name in [n for n in self.readers if competition_of(n) == competition_id]:
            self.readers.pop(name).cancel()
        keys = [self._key(f"{kind}:{competition_id}") for kind in ("public", "judge", "instructor")]
        keys += [key async for key in self.redis.scan_iter(match=self._key(f"team:{competition_id}:*"))]
        for key in keys:
            last: Any = await self.redis.xrevrange(key, count=1)
            if last:
                channel = self._channel(key.removeprefix(self._key("")))
                channel.seq = max(channel.seq, int(last[0][0].split("-")[0]))

    # --- the owner writes ---------------------------------------------------------------------

    def publish(
        self, name: str, kind: str, t_sim: float, data: Any, encoded: str | None = None
    ) -> dict[str, Any]:
        message = super().publish(name, kind, t_sim, data, encoded)
        self.outbox.put_nowait((name, message))
        return message

    async def _write_forever(self) -> None:
        while True:
            batch = [await self.outbox.get()]
            while not self.outbox.empty() and len(batch) < 1000:
                batch.append(self.outbox.get_nowait())
            try:
                async with self.redis.pipeline(transaction=False) as pipe:
                    for name, message in batch:
                        pipe.xadd(
                            self._key(name),
                            {"m": json.dumps(message)},
                            id=f"{message['seq']}-1",
                            maxlen=HISTORY,
                            approximate=True,
                        )
                    await pipe.execute()
            except Exception as exc:  # a lost write only means followers resync
                log.error("could not publish %d messages to Redis: %s", len(batch), exc)

    # --- the others read -----------------------------------------------------------------------------

    @contextmanager
    def subscribe(self, name: str) -> Iterator[Subscriber]:
        if not self.runs(competition_of(name)) and name not in self.readers:
            self.loaded[name] = asyncio.Event()
            self.readers[name] = asyncio.create_task(self._read_forever(name))
        with super().subscribe(name) as sub:
            yield sub

    async def ready(self, name: str) -> None:
        event = self.loaded.get(name)
        if event is not None and name in self.readers:
            await asyncio.wait_for(event.wait(), timeout=10)

    async def _read_forever(self, name: str) -> None:
        key = self._key(name)
        channel = self._channel(name)
        entries: Any = await self.redis.xrevrange(key, count=HISTORY)
        last_id = "0-0"
        for entry_id, fields in reversed(entries):
            message = json.loads(fields["m"])
            if message["seq"] > channel.seq:
                self.deliver(name, message)
            last_id = entry_id
        self.loaded[name].set()
        while True:
            try:
                response: Any = await self.redis.xread({key: last_id}, block=5000, count=500)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("reading %s from Redis: %s; retrying", name, exc)
                await asyncio.sleep(1.0)
                continue
            for _stream, items in response or []:  # [(stream, [(id, fields), ...])]
                for entry_id, fields in items:
                    last_id = entry_id
                    message = json.loads(fields["m"])
                    if message["seq"] > channel.seq:
                        self.deliver(name, message)
