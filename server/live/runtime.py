"""The server's running state: live competitions, the tick loop and the house bots.

One ``Runtime`` per server process owns every live competition (one owner per competition;
with several workers, the competitions whose lease this worker holds: ``adopt``, ``place``, and
``hand_over`` to give a quiet one to its preferred worker),
advances the running ones on a short tick, and runs house bots as in-process players that
go through the same command path as people, paced by their competition's clock (they hold
their commands while it is stopped: server.live.sim_pacing). With several workers, taking a
competition raises its owner epoch in the database before its log is read (``own``), and
every write of its logs is fenced by that epoch (server.persistence.store.fencing). The tick
loop never stops: a tick that fails is logged once per minute for the same reason (a database
outage logs itself), and the next tick tries again.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections.abc import Awaitable, Callable

from market.events import TeamEvent, event_from_dict
from server.errors import ServerError
from server.live import LiveCompetition
from server.live.bot_driver import BotDriver
from server.live.command_path import BOTS_WAIT
from server.live.joining import JoinBatches
from server.live.preview_pool import Previews
from server.live.session_renewal import SessionRenewal, read_sessions
from server.live.sim_pacing import ClockPacing
from server.live.stage import Started
from server.persistence.db.tables import CompetitionRow
from server.persistence.store import Store
from server.security.command_rate import RateLimiter
from server.security.session_cache import SessionCache
from server.settings import Settings
from server.wire.broadcast import Broadcaster
from server.wire.channels import team_channel
from server.wire.member_channels import MemberChannels
from server.wire.shapes import HIDDEN_FROM_TEAMS
from teams.bots import make_bot
from teams.ledger import Ledger

log = logging.getLogger("salesfloor.runtime")

REPEAT_LOG_SECONDS = 60.0
"""The same tick failure of one competition is logged at most this often."""


class Runtime:
    def __init__(self, settings: Settings, store: Store, broadcaster: Broadcaster) -> None:
        self.settings = settings
        self.store = store
        self.broadcaster = broadcaster
        self.live: dict[int, LiveCompetition] = {}
        self.bots: dict[tuple[int, str], BotDriver] = {}
        self.bot_tasks: dict[tuple[int, str], asyncio.Task[None]] = {}
        self._ticker: asyncio.Task[None] | None = None
        self.limiter = RateLimiter(settings.commands_per_minute)
        self.previews = Previews(
            settings.preview_workers, settings.previews_per_instructor, settings.previews_in_all
        )
        self.member_channels = MemberChannels()
        # who is behind a token, without a database read
        self.sessions = SessionCache(settings.session_cache_seconds)
        # ... read again in the background before a request would have to wait for it
        self.session_renewal = SessionRenewal(self.sessions, lambda keys: read_sessions(store, keys))
        self.joins = JoinBatches(store, lambda competition_id: self.get(competition_id).state, self._epoch_of)
        self._tick_failures: dict[int, tuple[str, float]] = {}
        # with several workers: runs a new competition here (True) or leaves it to the worker taking it
        self.placement: Callable[[LiveCompetition], Awaitable[bool]] | None = None
        # with several workers: tells the others of sessions ended here (a token hash, member ids)
        self.tell_workers: Callable[[str | None, list[int]], None] | None = None
        # with several workers: stops the process when another worker has taken a competition over
        # (its writes are then fenced by an owner epoch); None with one process: no fencing
        self.halt: Callable[[], None] | None = None

    async def start(self) -> None:
        """One process: recover every competition and tick them."""
        for row in self.store.competitions():
            await self._load(row)
        self.start_ticking()

    def start_ticking(self) -> None:
        self._ticker = asyncio.create_task(self._tick_forever())

    async def adopt(self, competition_id: int) -> None:
        """Run a competition this worker has just taken the lease of, recovered from the database."""
        epoch = await self._take_epoch(competition_id)  # before the log is read: see fencing
        row = await asyncio.to_thread(self.store.competition, competition_id)
        if row is not None:
            await self._load(row, epoch)

    async def own(self, live: LiveCompetition) -> None:
        """A competition stored here and taken here: run it, its writes fenced by a new owner epoch."""
        epoch = await self._take_epoch(live.id)
        if epoch is not None and self.halt is not None:
            live.writer.own(epoch, self.halt)
        self.live[live.id] = live

    async def hand_over(self, competition_id: int, closed: Callable[[], None] = lambda: None) -> bool:
        """Close a quiet competition here, for its preferred worker to take (with several workers).

        Only while its clock is stopped (a draft, paused or finished one), and only once all it
        holds in memory is stored; False (it stays here) otherwise. A request that still reaches
        it is refused with a 503 (``MOVING``); its house bots stop here and play on there.
        ``closed`` is called the moment it is no longer served here.
        """
        live = self.live.get(competition_id)
        if live is None:
            return True
        async with live.lock:
            if live.state == "running":
                return False
            try:
                if isinstance(live.stage, Started):
                    await live.flush()
                if live.clock_unsaved:
                    await live.save_clock()
                await live.store_board_unsaved()
            except Exception as exc:
                log.warning("competition %s stays here: not everything is stored (%s)", competition_id, exc)
                return False
            if live.unsaved:
                return False
            live.writer.handed_over = True
            del self.live[competition_id]
            closed()
        for key in [k for k in self.bot_tasks if k[0] == competition_id]:
            self.bot_tasks.pop(key).cancel()
            driver = self.bots.pop(key, None)
            if driver is not None:
                driver.stop()
        return True

    def _epoch_of(self, competition_id: int) -> int | None:
        """This worker's owner epoch of a competition it runs (None: one process, or not run here)."""
        live = self.live.get(competition_id)
        return None if live is None else live.writer.epoch

    async def _take_epoch(self, competition_id: int) -> int | None:
        """With several workers, raise the competition's owner epoch; None with one process."""
        if self.halt is None:
            return None
        return await asyncio.to_thread(self.store.take_owner_epoch, competition_id)

    async def _load(self, row: CompetitionRow, epoch: int | None = None) -> None:
        live = LiveCompetition(row, self.store.teams(row.id or 0), self.store, self.broadcaster)
        if epoch is not None and self.halt is not None:
            live.writer.own(epoch, self.halt)
        for team in live.teams:  # who had joined before the restart
            live.activity[team.name].members.update(m.name for m in self.store.members(team.id or 0))
        if row.state in ("running", "paused", "finished"):
            await asyncio.to_thread(live.recover)
        self.live[live.id] = live  # visible only once recovered
        if row.state in ("running", "paused"):
            self.start_bots(live)

    def sessions_ended(self, token_hash: str | None = None, member_ids: list[int] | None = None) -> None:
        """Sessions ended here (a logout, removed members): forgotten here and by the other workers."""
        if token_hash is not None:
            self.sessions.forget(token_hash)
        if member_ids:
            self.sessions.forget_members(member_ids)
        if self.tell_workers is not None:
            self.tell_workers(token_hash, member_ids or [])

    async def place(self, live: LiveCompetition) -> bool:
        """A competition just stored by this process: run it here (True), or, with several workers,
        leave it to the worker that takes its lease (False: that worker recovers it from the database)."""
        if self.placement is None:
            self.live[live.id] = live
            return True
        return await self.placement(live)

    async def stop(self) -> None:
        if self._ticker:
            self._ticker.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._ticker
        for task in self.bot_tasks.values():
            task.cancel()
        for driver in self.bots.values():
            driver.stop()
        await self.previews.stop()
        await self.session_renewal.stop()

    async def _tick_forever(self) -> None:
        while True:
            await asyncio.sleep(self.settings.tick_seconds)
            for live in list(self.live.values()):
                try:
                    await live.tick()
                except Exception as exc:
                    self._tick_failed(live.id, exc)

    def _tick_failed(self, competition_id: int, exc: Exception) -> None:
        """Log a failed tick, but not the same failure again within a minute."""
        if isinstance(exc, ServerError) and exc.code == "unavailable":
            return  # the database's outage has its own line
        reason, now = f"{type(exc).__name__}: {exc}", time.monotonic()
        last = self._tick_failures.get(competition_id)
        if last is not None and last[0] == reason and now - last[1] < REPEAT_LOG_SECONDS:
            return
        self._tick_failures[competition_id] = (reason, now)
        log.error(
            "competition %s: tick failed (%s); the next tick tries again",
            competition_id,
            reason,
            exc_info=exc,
        )

    def get(self, competition_id: int) -> LiveCompetition:
        live = self.live.get(competition_id)
        if live is None:
            raise ServerError("not_found", f"there is no competition {competition_id}")
        return live

    # --- house bots ------------------------------------------------------------------------------

    def start_bots(self, live: LiveCompetition) -> None:
        """Play every team registered with a bot, from the team's history onwards."""
        for team in live.teams:
            key = (live.id, team.name)
            if not team.bot or key in self.bot_tasks:
                continue
            self.bot_tasks[key] = asyncio.create_task(self._play(live, team.name, team.bot))

    async def _play(self, live: LiveCompetition, team: str, bot_name: str) -> None:
        params = live.params
        ledger = Ledger(team, params.product.unit_cost, params.product.order_cost, params.calendar)
        bot = make_bot(bot_name, team, params)

        pacing = ClockPacing(live, self.settings.tick_seconds)  # a paused class is still

        async def submit(command: object) -> tuple[bool, str]:
            while True:
                try:
                    outcome = await live.submit(command, "bot")  # type: ignore[arg-type]
                except ServerError as exc:
                    if exc.reason != BOTS_WAIT:
                        raise
                    await pacing.until(pacing.due(0.0))  # paused as it went out: it waits for the clock
                    continue
                return outcome.accepted, outcome.reason

        driver = BotDriver(bot, ledger, submit, live.clock.seconds_per_hour, pacing)
        self.bots[(live.id, team)] = driver
        channel = team_channel(live.id, team)
        with self.broadcaster.subscribe(channel) as sub:
            # catch up from the log itself (the channel buffer may not reach back after a restart)
            for event in list(live.started().log):
                if not isinstance(event, TeamEvent) or (
                    event.team == team and event.kind not in HIDDEN_FROM_TEAMS
                ):
                    ledger.observe(event)
            caught_up = self.broadcaster.last_seq(channel)
            driver.start()
            while True:
                message = await sub.queue.get()
                if message is None:
                    log.warning("house bot %s fell behind; it reads the log again", team)
                    return await self._play(live, team, bot_name)
                if message["seq"] <= caught_up or message["type"] != "event":
                    continue
                driver.handle(event_from_dict(message["data"]))
