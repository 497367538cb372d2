"""Drive a reference bot from a live stream of its team's events.

The same reference bots that play fast-forward seasons play live: the driver folds each
event into a client-side ledger, asks the bot what to do, waits the bot's delay at the
competition's pacing and submits the command through whatever transport it was given (the
server's own service for house bots, HTTP for ``salesfloor bot``).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from market.events import Event
from teams import commands as c
from teams.bots import Bot
from teams.ledger import Ledger

log = logging.getLogger("salesfloor.bot")

Submit = Callable[[c.Command], Awaitable[tuple[bool, str]]]
"""Sends a command; returns (accepted, reason)."""


class BotDriver:
    def __init__(self, bot: Bot, ledger: Ledger, submit: Submit, seconds_per_hour: float) -> None:
        self.bot = bot
        self.ledger = ledger
        self.submit = submit
        self.seconds_per_hour = seconds_per_hour
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
            task = asyncio.create_task(self._later(delay, command))
            self.tasks.add(task)
            task.add_done_callback(self.tasks.discard)

    async def _later(self, delay: float, command: c.Command) -> None:
        await asyncio.sleep(delay * self.seconds_per_hour)
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
