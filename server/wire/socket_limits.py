"""What one websocket client may cost the server: a cap on open connections, and a budget for
the messages a client sends to channels that only ever send to it.

Both are counted here and enforced by ``server.api.ws``, which closes a connection over a
limit with a code and a reason the client can act on (docs/api.md, "Websocket limits").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from contextlib import contextmanager

log = logging.getLogger("salesfloor.ws")

REPORT_EVERY = 60.0  # seconds between two log lines about refused connections


class ConnectionCap:
    """How many websockets are open, against the most this server takes at once."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.open = 0
        self.refused = 0
        self._reported_at = -REPORT_EVERY

    @contextmanager
    def slot(self) -> Iterator[bool]:
        """Hold a slot while the connection lasts; yields False (and holds none) if all are taken."""
        admitted = self.open < self.limit
        if admitted:
            self.open += 1
        else:
            self._refused()
        try:
            yield admitted
        finally:
            if admitted:
                self.open -= 1

    def _refused(self) -> None:
        """Count a refusal; say so in the log at most once a minute, however many there are."""
        self.refused += 1
        now = time.monotonic()
        if now - self._reported_at >= REPORT_EVERY:
            log.warning(
                "websockets: %d open, the most WEBSOCKET_MAX_CONNECTIONS allows; "
                "%d new ones refused with 1013 (server busy) since the last report",
                self.open,
                self.refused,
            )
            self._reported_at = now
            self.refused = 0


class MessageBudget:
    """Messages a client may send per minute; counted in windows of a minute from connecting."""

    WINDOW = 60.0

    def __init__(self, per_minute: int) -> None:
        self.per_minute = per_minute
        self._window_start = time.monotonic()
        self._count = 0

    def spend(self) -> bool:
        """Count one message; False once the client has sent more than it may."""
        now = time.monotonic()
        if now - self._window_start >= self.WINDOW:
            self._window_start, self._count = now, 0
        self._count += 1
        return self._count <= self.per_minute
