"""Live messages across several workers, through Redis streams.

A competition's owner (the worker holding its lease, see ``server.workers.ownership``) publishes
its channels: each message goes to its own websocket clients at once and to a Redis stream
per channel, whose entry id is the message's seq. Every other worker reads the streams of
the channels its clients follow and hands the messages on, so a client sees the same
``seq`` whichever worker it is connected to, and can reconnect to any worker with
``?after=SEQ``. A worker taking a competition over continues each of its channels from the
last seq in Redis; the epoch is shared, so a takeover is not a restart for the clients.
A worker handing a quiet competition over (``give_up``) first writes out what it published,
then follows the channels its clients still watch, like any other worker.

A worker reads all the streams it follows with one ``XREAD`` on a connection of its own (the
``follower`` task): a blocking read per channel held one pooled connection each, and a worker
following more channels than the pool has connections (redis-py's 100) had none left for the
rest of its work — forwarded requests failed. A channel joins the read within ``READ_BLOCK_MS``
after its history has been delivered.
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

READ_BLOCK_MS = 250
"""How long one XREAD waits for news; a channel followed meanwhile joins the next read."""
READ_COUNT = 500
"""Entries read per stream and XREAD at most."""

GIVE_UP_SECONDS = 5.0
"""How long a worker handing a competition over waits for its messages to reach Redis."""


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
        self.reading: dict[str, str] = {}  # stream key → the last entry id delivered
        self.loaders: dict[str, asyncio.Task[None]] = {}  # channel → the task loading its history
        self.loaded: dict[str, asyncio.Event] = {}
        self.follows: asyncio.Event = asyncio.Event()  # set once there is a stream to read
        self.writer: asyncio.Task[None] | None = None
        self.follower: asyncio.Task[None] | None = None
        # the follower's blocking reads hold a connection of their own, never one of the pool's
        self.stream_reader: Redis = Redis.from_url(url, decode_responses=True, max_connections=1)

    def _key(self, name: str) -> str:
        return f"{self.prefix}:channel:{name}"

    async def start(self) -> None:
        await self.redis.set(f"{self.prefix}:epoch", self.epoch, nx=True)
        self.epoch = str(await self.redis.get(f"{self.prefix}:epoch"))
        self.writer = asyncio.create_task(self._write_forever())
        self.follower = asyncio.create_task(self._follow_forever())

    async def stop(self) -> None:
        tasks = [*self.loaders.values(), *(t for t in (self.writer, self.follower) if t is not None)]
        for task in tasks:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task
        await self.redis.aclose()
        await self.stream_reader.aclose()

    async def take_over(self, competition_id: int) -> None:
        """This worker owns the competition now: stop reading its channels, continue each from
        its last seq."""
        for name in [n for n in self.loaded if competition_of(n) == competition_id]:
            self.loaded.pop(name)
            self.reading.pop(self._key(name), None)
            loader = self.loaders.pop(name, None)
            if loader is not None:
                loader.cancel()
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
            for _ in batch:
                self.outbox.task_done()

    async def give_up(self, competition_id: int) -> None:
        """Another worker runs the competition from now on: once what this one published is in
        Redis (for at most ``GIVE_UP_SECONDS``), follow its watched channels from their last seq."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.outbox.join(), GIVE_UP_SECONDS)
        for name, channel in self.channels.items():  # the others are loaded when subscribed to
            if competition_of(name) == competition_id and channel.subscribers and name not in self.loaded:
                self.loaded[name] = asyncio.Event()
                self.loaded[name].set()
                self.reading[self._key(name)] = f"{channel.seq}-1"
                self.follows.set()

    # --- the others read -----------------------------------------------------------------------------

    @contextmanager
    def subscribe(self, name: str) -> Iterator[Subscriber]:
        if not self.runs(competition_of(name)) and name not in self.loaded:
            self.loaded[name] = asyncio.Event()
            self.loaders[name] = asyncio.create_task(self._load(name))
        with super().subscribe(name) as sub:
            yield sub

    async def ready(self, name: str) -> None:
        event = self.loaded.get(name)
        if event is not None:
            await asyncio.wait_for(event.wait(), timeout=10)

    async def _load(self, name: str) -> None:
        """Deliver the channel's history, then hand it to the follower from its last entry."""
        key = self._key(name)
        while True:
            try:
                entries: Any = await self.redis.xrevrange(key, count=HISTORY)
                break
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("reading %s from Redis: %s; retrying", name, exc)
                await asyncio.sleep(1.0)
        last_id = "0-0"
        for entry_id, fields in reversed(entries):
            self._deliver_entry(name, fields)
            last_id = entry_id
        self.loaders.pop(name, None)
        if name not in self.loaded:  # taken over meanwhile: this worker publishes it now
            return
        self.reading[key] = last_id
        self.loaded[name].set()
        self.follows.set()

    def _deliver_entry(self, name: str, fields: dict[str, str]) -> None:
        message = json.loads(fields["m"])
        if message["seq"] > self._channel(name).seq:
            self.deliver(name, message)

    async def _follow_forever(self) -> None:
        """Read every followed stream with one XREAD at a time, and deliver what comes."""
        prefix = self._key("")
        while True:
            if not self.reading:
                self.follows.clear()
                await self.follows.wait()
            streams: dict[Any, Any] = dict(self.reading)
            try:
                response: Any = await self.stream_reader.xread(streams, block=READ_BLOCK_MS, count=READ_COUNT)
            except asyncio.CancelledError:
                raise
            except Exception as exc:
                log.warning("reading %d channels from Redis: %s; retrying", len(self.reading), exc)
                await asyncio.sleep(1.0)
                continue
            for stream, items in response or []:  # [(stream, [(id, fields), ...])]
                if stream not in self.reading:
                    continue  # taken over meanwhile
                name = stream.removeprefix(prefix)
                for entry_id, fields in items:
                    self.reading[stream] = entry_id
                    self._deliver_entry(name, fields)
