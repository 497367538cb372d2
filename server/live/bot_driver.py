"""Drive a reference bot from a live stream of its team's events.

The same reference bots that play fast-forward seasons play live: the driver folds each
event into a client-side ledger, asks the bot what to do, waits the bot's delay at the
competition's pacing and submits the command through whatever transport it was given (the
server's own service for house bots, HTTP for ``salesfloor bot``).

A bot's delay is in simulated hours. By default it is waited in wall seconds at the pacing
(``WallPacing``: a remote bot sees no clock); a house bot is paced by its competition's own
clock (server.live.sim_pacing), so that its commands hold while the clock is stopped.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from typing import Protocol

from market.events import Event
from teams import commands as c
from teams.bots import Bot
from teams.ledger import Ledger

log = logging.getLogger("salesfloor.bot")

Submit = Callable[[c.Command], Awaitable[tuple[bool, str]]]
"""Sends a command; returns (accepted, reason)."""


class Pacing(Protocol):
    """When a bot's command is due: fixed as it is planned, waited for when the time comes."""

    def due(self, delay: float) -> float:
        """The moment a command planned now with ``delay`` simulated hours is due."""
        ...

    async def until(self, due: float) -> None:
        """Return once the moment ``due`` has come."""
        ...


class WallPacing:
    """Simulated hours as wall seconds at ``seconds_per_hour`` (on the event loop's clock)."""

    def __init__(self, seconds_per_hour: float) -> None:
        self.seconds_per_hour = seconds_per_hour

    def due(self, delay: float) -> float:
        return asyncio.get_running_loop().time() + delay * self.seconds_per_hour

    async def until(self, due: float) -> None:
        await asyncio.sleep(max(0.0, due - asyncio.get_running_loop().time()))


class BotDriver:
    def __init__(
        self,
        bot: Bot,
        ledger: Ledger,
        submit: Submit,
        seconds_per_hour: float,
        pacing: Pacing | None = None,
    ) -> None:
        self.bot = bot
        self.ledger = ledger
        self.submit = submit
        self.seconds_per_hour = seconds_per_hour
        self.pacing: Pacing = pacing or WallPacing(seconds_per_hour)
        self.tasks: set[asyncio.Task[None]] = set()
        self.sent = 0
        self.refused = 0

    def start(self) -> None:
        self._plan(self.bot.start(self.ledger))

    def handle(self, event: Event) -> None:
        self.ledger.observe(event)
        self._plan(self.bot.react(event, self.ledger))

    def _plan(self, reactions: list[tuple[float, c.Command]]) -> None:
        for delay, command in reactions:
            task = asyncio.create_task(self._later(self.pacing.due(delay), command))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _later(self, due: float, command: c.Command) -> None:
        await self.pacing.until(due)
        try:
            accepted, reason = await self.submit(command)
        except Exception as exc:  # a closed competition, a dropped connection: the bot carries on
            log.debug("bot %s: %s not sent: %s", self.bot.team, command.kind, exc)
            return
        self.sent += 1
        if not accepted:
            self.refused += 1
            self._plan(self.bot.refused(command, reason, self.ledger))

    def stop(self) -> None:
        for task in list(self.tasks):
            task.cancel()
