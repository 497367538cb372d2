"""Pacing house bots by their competition's clock: a bot's delay is simulated time, which stands
still while the clock is stopped.

A command a house bot plans is due at the simulated time it was planned at plus the bot's
delay, and goes out once the competition runs and its clock has reached that time. While the
instructor pauses the class, or a round's end stops the clock, the house bots hold their
commands (a paused class is still: its boards and balances do not move behind the
instructor's back) and send them when the clock runs again. In a finished competition they go
out at once, to be refused. People's commands are taken while paused; only the bots wait.
"""

from __future__ import annotations

import asyncio
from typing import Protocol

from server.live.clock import PacedClock

RUNNING = "running"
STOPPED_STATES = ("paused",)
"""States in which a bot's command waits for the clock (any other but running: it goes out)."""


class ClockedCompetition(Protocol):
    """What pacing needs of a live competition: its state and its paced clock."""

    @property
    def state(self) -> str: ...

    @property
    def clock(self) -> PacedClock: ...


class ClockPacing:
    """Waits for a simulated time on the competition's clock, checking every ``poll_seconds``
    while the clock is stopped (the runtime's tick: nothing starts it faster)."""

    def __init__(self, live: ClockedCompetition, poll_seconds: float) -> None:
        self.live = live
        self.poll_seconds = poll_seconds

    def due(self, delay: float) -> float:
        return self.live.clock.now() + delay

    async def until(self, due: float) -> None:
        while True:
            state = self.live.state
            if state == RUNNING:
                left = self.live.clock.wall_until(due)
                if left <= 0:
                    return
                await asyncio.sleep(left)  # a pause meanwhile: the next turn sees it
            elif state in STOPPED_STATES:
                await asyncio.sleep(self.poll_seconds)
            else:
                return
