"""The wall clock: the one place the server reads the time of day.

The domain packages never read it (they run on simulated time); the live clock, sessions,
exports and the store take it from here, so a test can see every use at once.
"""

from __future__ import annotations

import time


def wall_now() -> float:
    """Seconds since the epoch, now."""
    return time.time()
