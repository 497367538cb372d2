"""The bound on requests forwarded to each other worker: over it, a request is refused at once.

A worker forwards the requests about a competition another worker owns (``server.workers.forwarding``).
When that owner falls behind, its answers come late, and the forwards waiting for them pile up
in the forwarding worker: each holds a connection, a task and the client's request, and every
one more made the HTTP client's pool slower to hand out the next (docs/performance.md, "Several
competitions over workers"). So at most ``limit`` forwards to one worker are in flight at a
time; a request beyond that is not queued but refused with a 503 and ``Retry-After`` before
anything of it is sent (the owner never sees it, so nothing of it is applied), and the client
tries again a moment later. The owner's own backlog stays bounded, and so does the time a
forwarded request can wait.

Each peer is counted apart: a slow worker does not cost the requests to a quick one. The log
gets one line when a peer's bound is first reached and one when the refusals stop, with how
many there were, rather than a line per refusal.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

log = logging.getLogger("salesfloor.forwarding")


@dataclass(slots=True)
class _Peer:
    in_flight: int = 0
    refused: int = 0  # since the bound was reached, while refusing
    refusing_since: float | None = None  # monotonic seconds


class ForwardGate:
    """At most ``limit`` forwards in flight to each peer; ``enter`` says whether one more may go."""

    def __init__(self, limit: int) -> None:
        if limit < 1:
            raise ValueError("the bound on forwards in flight must be at least 1")
        self.limit = limit
        self._peers: dict[str, _Peer] = {}

    def enter(self, peer: str) -> bool:
        """Take a place for a forward to ``peer``; False (nothing taken) when all are in use."""
        state = self._peers.setdefault(peer, _Peer())
        if state.in_flight >= self.limit:
            if state.refusing_since is None:
                state.refusing_since = time.monotonic()
                log.warning(
                    "%s has %d forwarded requests in flight (FORWARDS_IN_FLIGHT): refusing more "
                    "with 503 until it answers",
                    peer,
                    self.limit,
                )
            state.refused += 1
            return False
        state.in_flight += 1
        if state.refusing_since is not None:
            log.warning(
                "%s takes forwarded requests again: %d refused over %.1f s",
                peer,
                state.refused,
                time.monotonic() - state.refusing_since,
            )
            state.refusing_since, state.refused = None, 0
        return True

    def leave(self, peer: str) -> None:
        """Give back the place ``enter`` took for ``peer``."""
        state = self._peers.get(peer)
        if state is None or state.in_flight <= 0:
            raise RuntimeError(f"no forward to {peer} is in flight")
        state.in_flight -= 1

    def in_flight(self) -> dict[str, int]:
        """The forwards in flight per peer (the peers with none are left out)."""
        peers = list(self._peers.items())  # one step under the GIL: the health route reads from a thread
        return {peer: state.in_flight for peer, state in peers if state.in_flight}
