"""Whether the database takes writes, as the engine sees it: refusals with a reason, few log lines.

The engine's error hook turns a database that cannot be reached, or whose disk is full, into a
``ServerError("unavailable")`` (HTTP 503) whose reason says what is wrong and to try again;
nothing that raised it was changed. ``DatabaseHealth`` keeps one outage at a time: the first
failure logs one line, a long outage a reminder a minute, and the first commit that goes through
a while after the last failure one line saying the database is back and how many operations were
refused meanwhile. The while (``SETTLE_SECONDS``) keeps a nearly full disk, where one write fits
and the next does not, from logging an outage per write.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from server.errors import ServerError

log = logging.getLogger("salesfloor.database")

REMINDER_SECONDS = 60.0
"""While the database stays away, one reminder line this often (not one per failed write)."""

SETTLE_SECONDS = 2.0
"""Commits that go through sooner than this after a failure do not end the outage yet."""

FULL_MARKERS = ("database or disk is full", "no space left", "disk quota exceeded")


def problem_of(message: str) -> str:
    """``full`` for a database whose disk has no room left, else ``unreachable``."""
    lowered = message.lower()
    return "full" if any(marker in lowered for marker in FULL_MARKERS) else "unreachable"


def short(message: str, limit: int = 160) -> str:
    """The first line of a driver's message, cut to ``limit`` characters."""
    line = message.strip().splitlines()[0] if message.strip() else "no message"
    return line if len(line) <= limit else line[: limit - 1] + "…"


def refusal_reason(problem: str, detail: str) -> str:
    if problem == "full":
        return (
            f"the database is full ({detail}); nothing was changed — try again once the operator "
            "has freed disk space"
        )
    return f"the database is unavailable ({detail}); nothing was changed — try again in a few seconds"


@dataclass(slots=True)
class Outage:
    problem: str
    detail: str
    since: float
    reminded: float
    last_failure: float
    refused: int = 0


class DatabaseHealth:
    """The current outage of one engine, if any; safe to call from any thread."""

    def __init__(self, monotonic: Callable[[], float] = time.monotonic) -> None:
        self._monotonic = monotonic
        self._lock = threading.Lock()
        self.outage: Outage | None = None
        self.outages = 0

    @property
    def down(self) -> bool:
        return self.outage is not None

    def refuse(self, message: str) -> ServerError:
        """Count a failed operation (log it if it starts an outage); the refusal to raise."""
        problem, detail = problem_of(message), short(message)
        now = self._monotonic()
        with self._lock:
            outage = self.outage
            if outage is None or outage.problem != problem:
                outage = self.outage = Outage(problem, detail, now, now, now)
                self.outages += 1
                log.error(
                    "database %s: %s — commands are refused with 503 until it is back; "
                    "the server keeps running and nothing needs repair",
                    "full" if problem == "full" else "unavailable",
                    detail,
                )
            elif now - outage.reminded >= REMINDER_SECONDS:
                outage.reminded = now
                log.warning(
                    "database still %s after %.0f s (%d operations refused): %s",
                    "full" if problem == "full" else "unavailable",
                    now - outage.since,
                    outage.refused + 1,
                    detail,
                )
            outage.refused += 1
            outage.last_failure = now
        return ServerError("unavailable", refusal_reason(problem, detail), headers={"Retry-After": "2"})

    def recovered(self) -> None:
        """A write went through: end the outage, with one line, once it has settled."""
        if self.outage is None:
            return
        now = self._monotonic()
        with self._lock:
            outage = self.outage
            if outage is None or now - outage.last_failure < SETTLE_SECONDS:
                return
            self.outage = None
        if outage is not None:
            log.warning(
                "database back after %.1f s: it takes writes again (%d operations were refused "
                "meanwhile); unsaved events are being written now",
                now - outage.since,
                outage.refused,
            )
