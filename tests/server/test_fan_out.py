"""Fan-out in slices: a message for many subscribers is handed out a slice per turn of the event loop.

A board for 1,000 viewers woke 1,000 senders in one turn and held the loop meanwhile. Handed
out in slices, every subscriber still gets every message once and in seq order — including
messages published while earlier ones are still being handed out — a subscriber that leaves
gets nothing more, one that joins meanwhile finds what it missed in the replay buffer, and
one that does not read is still dropped.
"""

from __future__ import annotations

import asyncio
from contextlib import ExitStack
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from server.wire.broadcast import FAN_OUT_SLICE, Broadcaster, Subscriber


def _drain(sub: Subscriber) -> list[Any]:
    out = []
    while not sub.queue.empty():
        out.append(sub.queue.get_nowait())
    return out


async def _turns(n: int) -> None:
    for _ in range(n):
        await asyncio.sleep(0)


STEPS = st.lists(st.one_of(st.just("publish"), st.integers(0, 3)), max_size=25)


@settings(max_examples=40)
@given(subscribers=st.integers(1, 3 * FAN_OUT_SLICE + 7), steps=STEPS)
def test_every_subscriber_gets_every_message_once_in_seq_order(subscribers: int, steps: list[Any]) -> None:
    async def run() -> tuple[list[list[Any]], list[dict[str, Any]]]:
        broadcaster = Broadcaster(queue_size=100)
        with ExitStack() as stack:
            subs = [stack.enter_context(broadcaster.subscribe("public")) for _ in range(subscribers)]
            sent: list[dict[str, Any]] = []
            for step in steps:
                if step == "publish":
                    sent.append(broadcaster.publish("public", "ticker", 1.0, {"n": len(sent)}))
                else:
                    await _turns(step)
            await _turns(len(sent) * (subscribers // FAN_OUT_SLICE + 2))
            return [_drain(sub) for sub in subs], sent

    received, sent = asyncio.run(run())
    for got in received:
        assert got == sent


def test_one_turn_hands_a_message_to_one_slice_of_the_subscribers() -> None:
    async def run() -> list[int]:
        broadcaster = Broadcaster()
        with ExitStack() as stack:
            subs = [
                stack.enter_context(broadcaster.subscribe("public")) for _ in range(3 * FAN_OUT_SLICE + 1)
            ]
            broadcaster.publish("public", "standings", 1.0, [])
            reached = []
            for _ in range(5):
                reached.append(sum(not sub.queue.empty() for sub in subs))
                await asyncio.sleep(0)
            return reached

    n = FAN_OUT_SLICE
    assert asyncio.run(run()) == [n, 2 * n, 3 * n, 3 * n + 1, 3 * n + 1]


def test_a_few_subscribers_get_the_message_at_once() -> None:
    async def run() -> bool:
        broadcaster = Broadcaster()
        with ExitStack() as stack:
            subs = [stack.enter_context(broadcaster.subscribe("team:1:A")) for _ in range(FAN_OUT_SLICE)]
            broadcaster.publish("team:1:A", "event", 1.0, {"seq": 0})
            return all(not sub.queue.empty() for sub in subs)

    assert asyncio.run(run())


def test_who_leaves_meanwhile_gets_nothing_more_and_who_joins_finds_it_in_the_buffer() -> None:
    async def run() -> tuple[list[Any], list[Any], list[Any], int]:
        broadcaster = Broadcaster()
        with ExitStack() as stack:
            subs = [stack.enter_context(broadcaster.subscribe("public")) for _ in range(2 * FAN_OUT_SLICE)]
            with broadcaster.subscribe("public") as leaving:
                first = broadcaster.publish("public", "ticker", 1.0, {"n": 0})
            with broadcaster.subscribe("public") as joining:
                second = broadcaster.publish("public", "ticker", 2.0, {"n": 1})
                await _turns(6)
                missed, complete = broadcaster.since("public", 0)
                assert complete and missed == [first, second]
                return (
                    _drain(leaving),
                    _drain(joining),
                    _drain(subs[-1]),
                    len(broadcaster.channels["public"].subscribers),
                )

    left, joined, last, still = asyncio.run(run())
    assert left == []  # it had left before its slice came round
    assert [m["data"] for m in joined] == [{"n": 1}]  # the first it finds in the buffer
    assert [m["data"] for m in last] == [{"n": 0}, {"n": 1}]
    assert still == 2 * FAN_OUT_SLICE + 1


def test_a_subscriber_that_does_not_read_is_still_dropped() -> None:
    async def run() -> tuple[Subscriber, list[Any], int]:
        broadcaster = Broadcaster(queue_size=3)
        with ExitStack() as stack:
            subs = [stack.enter_context(broadcaster.subscribe("public")) for _ in range(FAN_OUT_SLICE + 5)]
            for n in range(5):
                broadcaster.publish("public", "ticker", 1.0, {"n": n})
                await _turns(3)
            return subs[-1], _drain(subs[-1]), len(broadcaster.channels["public"].subscribers)

    slow, queued, still = asyncio.run(run())
    assert slow.dropped and queued == [None]  # woken to close its connection
    assert still == 0
