"""Rate limiting of commands: a token bucket per team member, refusing with a 429 and Retry-After.

Failed logins have their own windows (server/security/login_throttle.py).
"""

from __future__ import annotations

import time

from server.errors import ServerError


class RateLimiter:
    """A token bucket per member: ``per_minute`` commands, refilled continuously."""

    def __init__(self, per_minute: int) -> None:
        self.rate = per_minute / 60.0
        self.capacity = float(max(1, per_minute // 4))
        self.buckets: dict[int, tuple[float, float]] = {}

    def take(self, key: int) -> None:
        now = time.monotonic()
        tokens, last = self.buckets.get(key, (self.capacity, now))
        tokens = min(self.capacity, tokens + (now - last) * self.rate)
        if tokens < 1.0:
            wait = (1.0 - tokens) / self.rate
            raise ServerError(
                "rate_limited",
                f"too many commands; wait {wait:.1f} s",
                headers={"Retry-After": str(max(1, round(wait)))},
            )
        self.buckets[key] = (tokens - 1.0, now)
