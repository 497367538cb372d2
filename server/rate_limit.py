"""Rate limiting: a token bucket per team member, and a cap on failed logins per client address.

Both refuse with a 429 and a Retry-After header. The login cap makes join codes, judge codes
and the instructor's password impractical to guess: after ``per_minute`` failures in a
minute from one address, every login from it is refused until the oldest failure is a
minute old, whether or not the next guess would have been right.
"""

from __future__ import annotations

import threading
import time
from collections import deque

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


class LoginGuard:
    """Failed logins per client address within a sliding window of ``window`` seconds."""

    def __init__(self, per_minute: int, window: float = 60.0) -> None:
        self.limit = per_minute
        self.window = window
        self.failures: dict[str, deque[float]] = {}
        self.lock = threading.Lock()  # logins run in the thread pool

    def _recent(self, address: str, now: float) -> deque[float]:
        times = self.failures.get(address)
        if times is None:
            return deque()
        while times and times[0] <= now - self.window:
            times.popleft()
        if not times:
            del self.failures[address]
        return times

    def check(self, address: str) -> None:
        """Refuse (429) an address that has failed ``limit`` times within the window."""
        now = time.monotonic()
        with self.lock:
            times = list(self._recent(address, now))
        if len(times) >= self.limit:
            wait = times[0] + self.window - now
            raise ServerError(
                "rate_limited",
                f"too many failed logins from this address; wait {wait:.0f} s and check the code or password",
                headers={"Retry-After": str(max(1, round(wait + 0.5)))},
            )

    def failed(self, address: str) -> None:
        now = time.monotonic()
        with self.lock:
            if len(self.failures) > 4096:  # many addresses: forget those whose failures are a minute old
                for stale in list(self.failures):
                    self._recent(stale, now)
            self.failures.setdefault(address, deque()).append(now)
