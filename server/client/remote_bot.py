"""``salesfloor bot``: play one team of a live competition remotely with a reference bot.

The bot joins with the team's code, rebuilds its team's ledger from the event history, then
follows the team's websocket channel and sends its commands over HTTP, reconnecting with the
last seq it saw if the connection drops.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from market.events import event_from_dict
from market.parameters import parameters_from_dict
from server.client.api_client import ApiError, SalesfloorClient
from server.live.bot_driver import BotDriver
from teams import commands as c
from teams.bots import make_bot
from teams.ledger import Ledger

log = logging.getLogger("salesfloor.bot")

TEAM_EVENTS_PAGE = 5000  # what SalesfloorClient.team_events asks for


def _events_after(client: SalesfloorClient, after: int) -> list[dict[str, Any]]:
    """Every team event after ``after``, page by page (a long season has more than one page)."""
    events: list[dict[str, Any]] = []
    while True:
        page = client.team_events(after=after)
        events.extend(page)
        if len(page) < TEAM_EVENTS_PAGE:
            return events
        after = int(page[-1]["seq"])


async def play(url: str, code: str, strategy: str, name: str = "bot", role: str = "manager") -> None:
    client = SalesfloorClient(url)
    session = client.join(code, name, role)
    team = str(session["team"])
    overview = client.team()
    status = overview["competition"]
    params = parameters_from_dict(client.request("GET", f"/api/v1/competitions/{status['id']}/parameters"))
    ledger = Ledger(team, params.product.unit_cost, params.product.order_cost, params.calendar)
    bot = make_bot(strategy, team, params)

    async def submit(command: c.Command) -> tuple[bool, str]:
        try:
            await asyncio.to_thread(client.command, command)
        except ApiError as exc:
            if exc.status >= 500:
                raise
            return False, exc.detail
        return True, ""

    driver = BotDriver(bot, ledger, submit, float(status["seconds_per_hour"]))
    last_event = -1
    for past in _events_after(client, -1):
        ledger.observe(event_from_dict(past))
        last_event = int(past["seq"])
    driver.start()
    print(f"playing {team} as {strategy}; Ctrl-C to stop", flush=True)
    after: int | None = None
    epoch: str | None = None
    while True:
        try:
            async for message in client.stream("/ws/team", after=after, epoch=epoch):
                after = message["seq"]
                kind = message["type"]
                data: Any = message["data"]
                if kind in ("hello", "resync"):
                    epoch = data["epoch"]
                    for missed in _events_after(client, last_event):
                        driver.handle(event_from_dict(missed))
                        last_event = int(missed["seq"])
                elif kind == "event" and data["seq"] > last_event:
                    driver.handle(event_from_dict(data))
                    last_event = int(data["seq"])
                if kind == "state" and data.get("state") == "finished":
                    print(f"{team}: the competition has finished; {driver.sent} commands sent", flush=True)
                    return
        except (OSError, ApiError) as exc:
            log.warning("connection lost (%s); reconnecting", exc)
            await asyncio.sleep(1.0)
