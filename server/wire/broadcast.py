"""Live messages: channels with a sequence, a replay buffer and bounded subscriber queues.

Every message is an envelope ``{seq, type, t_sim, data}``; ``seq`` counts per channel, so a
client that reconnects with the last seq it saw receives what it missed: every event, ticker
item and other message, none twice, and of the snapshots (``standings``, ``state``) only the
newest — each replaces the one before, so the buffer keeps just the newest of each type. A
whole board of standings goes out at nearly every change; keeping each one for replay was
most of a server's memory over a class hour. A subscriber whose queue fills up (it does not
read fast enough) is dropped rather than buffered without bound; it reconnects and catches
up from the buffer. A subscriber that is caught up may take messages ``direct``: the frame,
built once, is written to its connection inside ``publish``, with no task woken per client.

This is the in-process broadcaster (one server process). The port is small — ``publish``,
``subscribe``, ``since``, ``latest`` — and ``server.wire.broadcast_redis`` extends it for several
workers.
"""

from __future__ import annotations

import asyncio
import json
import secrets
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from server.wire.frames import text_frame

HISTORY = 20_000  # messages other than snapshots a channel keeps for clients that reconnect
SNAPSHOT_TYPES = frozenset({"standings", "state"})


def encode(data: Any) -> str:
    """JSON of a message's data, compact; encode once what goes to many channels."""
    return json.dumps(data, separators=(",", ":"))


class Envelope(dict[str, Any]):
    """A message, which remembers its JSON so that it is encoded once, not once per client.

    ``shared`` is the data already encoded (the same board goes to every team channel): the
    envelope's JSON is then built around it instead of encoding the data again.
    """

    __slots__ = ("_frame", "_json", "_shared")

    def share(self, encoded_data: str) -> Envelope:
        self._shared = encoded_data
        return self

    def json(self) -> str:
        text: str | None = getattr(self, "_json", None)
        if text is None:
            shared: str | None = getattr(self, "_shared", None)
            if shared is None:
                text = encode(self)
            else:
                head = encode({key: value for key, value in self.items() if key != "data"})
                text = f'{head[:-1]},"data":{shared}}}'
            self._json = text
        return text

    def frame(self) -> bytes:
        """The message as a websocket frame, built once for all the clients it goes to."""
        built: bytes | None = getattr(self, "_frame", None)
        if built is None:
            built = self._frame = text_frame(self.json())
        return built


@dataclass(slots=True)
class Subscriber:
    """One client's place on a channel: its queue, or ``direct`` while it can take messages now.

    ``direct`` writes a message straight to a caught-up client and says whether it could; when
    it cannot (the client's buffers are full, or it is closing) the message goes to the queue
    and ``direct`` is cleared, so that the client's own task sends it and what follows, in order,
    with its bounded waits, until it is caught up again and sets ``direct`` once more.
    """

    queue: asyncio.Queue[dict[str, Any] | None]
    dropped: bool = False
    direct: Callable[[Envelope], bool] | None = None

    async def next(self, direct: Callable[[Envelope], bool] | None = None) -> dict[str, Any] | None:
        """The next message for the subscriber's own task to send (None: it was dropped).

        Called once the task has sent everything before: if nothing waits in the queue, the
        subscriber is caught up and ``direct`` takes what is published until it refuses one.
        """
        if direct is not None and self.queue.empty():
            self.direct = direct
        return await self.queue.get()


@dataclass(slots=True)
class Channel:
    """A channel's seq, its replay buffer and its subscribers.

    ``history`` holds the messages other than snapshots, oldest first; ``latest`` the newest
    snapshot of each type. ``floor`` is the lowest seq from which the buffer is complete
    (None before the first message): a reconnect from before it gets a resync instead.
    """

    seq: int = 0
    history: deque[dict[str, Any]] = field(default_factory=lambda: deque(maxlen=HISTORY))
    subscribers: list[Subscriber] = field(default_factory=list)
    latest: dict[str, dict[str, Any]] = field(default_factory=dict)
    floor: int | None = None


class Broadcaster:
    """In-process publish/subscribe with per-channel sequence numbers."""

    def __init__(self, queue_size: int = 1000) -> None:
        self.queue_size = queue_size
        self.channels: dict[str, Channel] = {}
        self.epoch = secrets.token_hex(4)  # changes at every start: seqs from before mean nothing

    def _channel(self, name: str) -> Channel:
        channel = self.channels.get(name)
        if channel is None:
            channel = self.channels[name] = Channel()
        return channel

    async def start(self) -> None:
        """Nothing to start in one process."""

    async def stop(self) -> None:
        """Nothing to stop in one process."""

    async def ready(self, name: str) -> None:
        """Wait until the channel's history is here (it always is in one process)."""

    def publish(
        self, name: str, kind: str, t_sim: float, data: Any, encoded: str | None = None
    ) -> dict[str, Any]:
        """Publish ``data`` on a channel; ``encoded`` is its JSON if the caller has it already."""
        channel = self._channel(name)
        message = Envelope(seq=channel.seq + 1, type=kind, t_sim=t_sim, data=data)
        if encoded is not None:
            message.share(encoded)
        self.deliver(name, message)
        return message

    def deliver(self, name: str, message: dict[str, Any]) -> None:
        """Record a message in its channel and hand it to every subscriber."""
        if not isinstance(message, Envelope):
            message = Envelope(message)
        channel = self._channel(name)
        channel.seq = message["seq"]
        if channel.floor is None:
            channel.floor = message["seq"]
        if message["type"] in SNAPSHOT_TYPES:
            channel.latest[message["type"]] = message
        else:
            history = channel.history
            if len(history) == history.maxlen:
                channel.floor = history[0]["seq"] + 1
            history.append(message)
        for sub in list(channel.subscribers):
            direct = sub.direct
            if direct is not None:
                if direct(message):
                    continue
                sub.direct = None
            try:
                sub.queue.put_nowait(message)
            except asyncio.QueueFull:
                sub.dropped = True
                channel.subscribers.remove(sub)
                _close(sub)

    def latest(self, name: str, kind: str) -> dict[str, Any] | None:
        """The channel's newest message of a snapshot type (``standings``, ``state``)."""
        return self._channel(name).latest.get(kind)

    def since(self, name: str, after: int) -> tuple[list[dict[str, Any]], bool]:
        """What a client that saw ``after`` missed, in seq order, and whether the buffer reaches back.

        Every message other than snapshots with seq > ``after``, and the newest snapshot of
        each type if it is newer than ``after``.
        """
        channel = self._channel(name)
        complete = channel.floor is None or after + 1 >= channel.floor or after >= channel.seq
        missed = [m for m in channel.history if m["seq"] > after]
        snapshots = [m for m in channel.latest.values() if m["seq"] > after]
        if snapshots:
            missed = sorted(missed + snapshots, key=lambda m: int(m["seq"]))
        return missed, complete

    def last_seq(self, name: str) -> int:
        return self._channel(name).seq

    @contextmanager
    def subscribe(self, name: str) -> Iterator[Subscriber]:
        sub = Subscriber(asyncio.Queue(maxsize=self.queue_size))
        channel = self._channel(name)
        channel.subscribers.append(sub)
        try:
            yield sub
        finally:
            if sub in channel.subscribers:
                channel.subscribers.remove(sub)


def _close(sub: Subscriber) -> None:
    """Wake the reader of a dropped subscriber so it closes its connection."""
    while True:
        try:
            sub.queue.get_nowait()
        except asyncio.QueueEmpty:
            break
    sub.queue.put_nowait(None)
