"""The replay buffer of a channel: every message but snapshots, and the newest snapshot of each type.

A class hour publishes a whole board of standings at nearly every change; the buffer must not
keep them all (it was most of the server's memory), yet a client that comes back must get
every event it missed and the newest board, in seq order.
"""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import server.wire.broadcast
from server.wire.broadcast import SNAPSHOT_TYPES, Broadcaster

KINDS = st.sampled_from(["event", "ticker", "standings", "state"])


@given(kinds=st.lists(KINDS, max_size=60), after=st.integers(0, 70))
def test_a_reconnect_gets_every_other_message_and_the_newest_snapshots(kinds: list[str], after: int) -> None:
    broadcaster = Broadcaster()
    sent = [broadcaster.publish("c", kind, float(i), {"i": i}) for i, kind in enumerate(kinds)]
    missed, complete = broadcaster.since("c", after)
    assert complete  # nothing was evicted
    later = [m for m in sent if m["seq"] > after]
    newest = {kind: m for m in later if (kind := m["type"]) in SNAPSHOT_TYPES}
    expected = [m for m in later if m["type"] not in SNAPSHOT_TYPES or newest[m["type"]] is m]
    assert missed == expected
    assert [m["seq"] for m in missed] == sorted({m["seq"] for m in missed})


def test_the_buffer_keeps_no_superseded_board_however_long_the_class() -> None:
    broadcaster = Broadcaster()
    for i in range(50_000):
        broadcaster.publish("c", "standings", float(i), [{"team": "A", "composite": i}])
    broadcaster.publish("c", "event", 1.0, {"kind": "x"})
    channel = broadcaster.channels["c"]
    assert len(channel.history) == 1
    assert channel.latest["standings"]["data"] == [{"team": "A", "composite": 49_999}]
    assert [m["type"] for m in broadcaster.since("c", 0)[0]] == ["standings", "event"]


def test_a_gap_older_than_the_buffer_is_incomplete(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(server.wire.broadcast, "HISTORY", 5)
    broadcaster = Broadcaster()
    for i in range(12):
        broadcaster.publish("c", "event" if i % 2 else "standings", float(i), i)
    channel = broadcaster.channels["c"]
    assert [m["seq"] for m in channel.history] == [4, 6, 8, 10, 12]
    assert channel.floor == 3  # event 2 left the buffer; board 3 was replaced by board 11
    assert broadcaster.since("c", 1)[1] is False
    missed, complete = broadcaster.since("c", 2)
    assert complete and [m["seq"] for m in missed] == [4, 6, 8, 10, 11, 12]
    assert missed[4] is channel.latest["standings"]
