"""The bound on forwards in flight to each worker: never exceeded, a refusal takes nothing, each peer apart.

``ForwardGate`` is driven by any sequence of forwards starting and ending (to a few peers)
and compared with a plain count per peer: a forward is let through exactly while fewer than
the bound are in flight to its peer, a refused one changes no count, and the counts the
health route shows are the model's. The operator's log gets one line when a peer's bound is
reached and one, with the number refused, when it takes forwards again.
"""

from __future__ import annotations

import logging

import pytest
from hypothesis import given
from hypothesis import strategies as st

from server.workers.forward_gate import ForwardGate

PEERS = ("http://a", "http://b", "http://c")

steps = st.lists(st.tuples(st.sampled_from(("enter", "leave")), st.sampled_from(PEERS)), max_size=200)


@given(limit=st.integers(1, 5), steps=steps)
def test_forwards_in_flight_never_exceed_the_bound_and_a_refusal_takes_no_place(
    limit: int, steps: list[tuple[str, str]]
) -> None:
    gate = ForwardGate(limit)
    model = dict.fromkeys(PEERS, 0)
    for action, peer in steps:
        if action == "enter":
            admitted = gate.enter(peer)
            assert admitted == (model[peer] < limit)
            model[peer] += admitted
        elif model[peer] > 0:
            gate.leave(peer)
            model[peer] -= 1
        else:  # leaving what was never entered is a bug in the caller, not a count below zero
            with pytest.raises(RuntimeError):
                gate.leave(peer)
        assert gate.in_flight() == {p: n for p, n in model.items() if n}
        assert all(n <= limit for n in gate.in_flight().values())


def test_the_log_says_when_a_peer_is_refused_and_how_many_once_it_takes_forwards_again(
    caplog: pytest.LogCaptureFixture,
) -> None:
    gate = ForwardGate(2)
    caplog.set_level(logging.WARNING, logger="salesfloor.forwarding")
    assert gate.enter("http://a") and gate.enter("http://a")
    assert gate.enter("http://b")  # another peer is counted apart
    assert [gate.enter("http://a") for _ in range(3)] == [False, False, False]
    assert len(caplog.records) == 1  # one line when the refusals begin, not one per refusal
    assert "http://a has 2 forwarded requests in flight" in caplog.records[0].getMessage()
    gate.leave("http://a")
    assert gate.enter("http://a")
    assert len(caplog.records) == 2
    assert "http://a takes forwarded requests again: 3 refused over" in caplog.records[1].getMessage()
    assert gate.in_flight() == {"http://a": 2, "http://b": 1}


def test_a_bound_below_one_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        ForwardGate(0)
