"""Previews: how the reference bots fare under the parameters an instructor is about to use.

A preview plays a few short seasons with the six reference bots and reports its progress,
then each bot's mean scores over the seeds: a quick check that a market is neither too easy
nor too hard before a class plays it. Only the latest few are kept in memory; they are not
stored.

A season is pure CPU. Previews therefore run in worker processes (``PREVIEW_WORKERS``, one
by default), outside the live server's event loop and interpreter lock, so a big preview
does not slow a class that plays meanwhile. The queue is bounded: at most
``PREVIEWS_PER_INSTRUCTOR`` previews of one instructor and ``PREVIEWS_IN_ALL`` of all wait or
run at once; beyond either, ``start`` refuses with a 429 and ``Retry-After``. Each preview
waiting or playing holds a slot of a shared array: its worker writes the progress there after
each round and reads the slot's stop flag, so the server stops previews it no longer needs
(it shuts down) within a round.
"""

from __future__ import annotations

import asyncio
import logging
import math
import multiprocessing
import secrets
from collections import OrderedDict
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing.sharedctypes import SynchronizedArray
from typing import Any

from market.parameters import MarketParameters
from server.errors import ServerError
from simulator.season import league, play_season
from teams.bots import REFERENCE_LEAGUE

log = logging.getLogger("salesfloor.previews")

KEPT = 20
"""Previews kept in memory (the newest; one still waiting or running is never dropped)."""

METRICS = ("composite", "conversion", "satisfaction", "receivables", "profit")

RETRY_AFTER_SECONDS = 5
"""What a refused start is told to wait: about how often the page polls a running preview."""


@dataclass
class Preview:
    """One preview: running (waiting for a worker or playing) with a progress 0–1, then done or failed."""

    id: str
    seeds: tuple[int, ...]
    rounds: int
    owner: str = ""
    state: str = "running"
    progress: float = 0.0
    result: dict[str, Any] | None = None
    error: str | None = None
    slot: int | None = None

    def view(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "progress": round(self.progress, 4),
            "seeds": list(self.seeds),
            "rounds": self.rounds,
            "result": self.result,
            "error": self.error,
        }


def _mean(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return math.fsum(known) / len(known) if known else None


def summarise(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Per bot: the mean of each metric and of its rank over the seasons played."""
    bots: dict[str, dict[str, list[Any]]] = {}
    for run in runs:
        for row in run["standings"]:
            entry = bots.setdefault(row["bot"], {m: [] for m in (*METRICS, "rank")})
            for metric in (*METRICS, "rank"):
                entry[metric].append(row[metric])
    table = [
        {"bot": bot, **{metric: _mean(values[metric]) for metric in (*METRICS, "rank")}}
        for bot, values in bots.items()
    ]
    table.sort(key=lambda row: (row["rank"], row["bot"]))
    inquiries = _mean([run["inquiries_per_team"] for run in runs])
    return {"bots": table, "inquiries_per_team": inquiries, "seasons": len(runs)}


# --- in the worker process ----------------------------------------------------------------------

_slots: SynchronizedArray[float] | None = None


class Stopped(Exception):
    """The server no longer wants this preview (it is shutting down)."""


def _attach(slots: SynchronizedArray[float]) -> None:
    """Worker start: keep the shared slots (progress of slot ``i`` at ``2i``, its stop flag at ``2i + 1``)."""
    global _slots  # one array per worker process, handed over once when the process starts
    _slots = slots


def play(slot: int, params: MarketParameters, seeds: tuple[int, ...], rounds: int) -> list[dict[str, Any]]:
    """Play one season per seed (in a worker process); progress goes to ``slot``."""
    slots = _slots
    teams = league(len(REFERENCE_LEAGUE), list(REFERENCE_LEAGUE))
    bots = {t.name: t.bot for t in teams}
    runs: list[dict[str, Any]] = []
    for index, seed in enumerate(seeds):

        def progress(fraction: float, index: int = index) -> None:
            if slots is None:
                return
            if slots[2 * slot + 1]:
                raise Stopped("the server stopped this preview")
            slots[2 * slot] = (index + fraction) / len(seeds)

        competition, board = play_season(params, seed, teams, rounds=rounds, progress=progress)
        standings = board.standings(competition.end_t)
        metrics = board.metrics(competition.end_t)
        runs.append(
            {
                "seed": seed,
                "standings": [{**s.as_row(), "bot": bots[s.team]} for s in standings],
                "inquiries_per_team": _mean([float(m.inquiries) for m in metrics.values()]),
            }
        )
    return runs


# --- in the server ------------------------------------------------------------------------------

Player = Callable[[int, MarketParameters, tuple[int, ...], int], list[dict[str, Any]]]


class Previews:
    """The server's previews, newest last, played by a pool of worker processes."""

    def __init__(
        self, workers: int = 1, per_instructor: int = 2, in_all: int = 4, player: Player | None = None
    ) -> None:
        self.workers, self.per_instructor, self.in_all = workers, per_instructor, in_all
        self.player: Player = player or play
        """What a worker runs: ``play``, or a module-level stand-in (tests)."""
        self.jobs: OrderedDict[str, Preview] = OrderedDict()
        # forkserver: a worker starts from a clean interpreter, not a copy of the server's threads
        self._context = multiprocessing.get_context("forkserver")
        self._slots: SynchronizedArray[float] = self._context.Array("d", 2 * in_all)
        self._free = list(range(in_all))
        self._pool: ProcessPoolExecutor | None = None
        self._tasks: set[asyncio.Task[None]] = set()

    def waiting(self, owner: str | None = None) -> int:
        """Previews waiting for a worker or playing (of ``owner``, or of all)."""
        return sum(
            1 for p in self.jobs.values() if p.state == "running" and (owner is None or p.owner == owner)
        )

    def start(self, owner: str, params: MarketParameters, seeds: tuple[int, ...], rounds: int) -> Preview:
        """Queue a preview, or refuse with a 429 when the owner's or everybody's queue is full."""
        mine, everybody = self.waiting(owner), self.waiting()
        if mine >= self.per_instructor:
            self._refuse(
                f"you have {mine} previews waiting or playing, the most one instructor may have "
                f"(PREVIEWS_PER_INSTRUCTOR={self.per_instructor}); wait until one is done "
                "(GET /api/v1/previews/{id}) and start this one again"
            )
        if everybody >= self.in_all or not self._free:
            self._refuse(
                f"the server is playing {everybody} previews, the most it takes at once "
                f"(PREVIEWS_IN_ALL={self.in_all}); start this one again when one is done"
            )
        slot = self._free.pop(0)
        self._slots[2 * slot] = self._slots[2 * slot + 1] = 0.0
        preview = Preview(secrets.token_hex(6), seeds, rounds, owner, slot=slot)
        self.jobs[preview.id] = preview
        self._forget_old()
        task = asyncio.create_task(self._run(preview, params))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return preview

    @staticmethod
    def _refuse(reason: str) -> None:
        raise ServerError("rate_limited", reason, headers={"Retry-After": str(RETRY_AFTER_SECONDS)})

    def _forget_old(self) -> None:
        finished = [key for key, p in self.jobs.items() if p.state != "running"]
        for key in finished[: max(0, len(self.jobs) - KEPT)]:
            del self.jobs[key]

    def get(self, preview_id: str) -> Preview | None:
        preview = self.jobs.get(preview_id)
        if preview is not None and preview.state == "running" and preview.slot is not None:
            preview.progress = self._slots[2 * preview.slot]
        return preview

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                self.workers, mp_context=self._context, initializer=_attach, initargs=(self._slots,)
            )
        return self._pool

    async def _run(self, preview: Preview, params: MarketParameters) -> None:
        assert preview.slot is not None
        loop = asyncio.get_running_loop()
        executor = self._executor()
        try:
            seasons = (preview.slot, params, preview.seeds, preview.rounds)
            runs = await loop.run_in_executor(executor, self.player, *seasons)
            preview.result = summarise(runs)
            preview.progress, preview.state = 1.0, "done"
        except BrokenProcessPool:  # a worker died (killed, out of memory): a new pool next time
            log.error("preview %s: its worker process stopped", preview.id)
            if self._pool is executor:
                self._pool = None
                executor.shutdown(wait=False, cancel_futures=True)
            preview.state, preview.error = "failed", "the preview's worker process stopped; start it again"
        except Stopped as stopped:
            preview.state, preview.error = "failed", str(stopped)
        except Exception as exc:  # a preview must never take the server down
            log.error("preview %s failed: %s", preview.id, exc)
            preview.state, preview.error = "failed", str(exc)
        finally:
            self._free.append(preview.slot)

    async def stop(self) -> None:
        """Stop every preview (a playing one at its round's end) and the worker processes."""
        for preview in self.jobs.values():
            slot = preview.slot
            if preview.state == "running" and slot is not None:
                self._slots[2 * slot + 1] = 1.0
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.to_thread(pool.shutdown, wait=True, cancel_futures=True)
        await asyncio.gather(*self._tasks, return_exceptions=True)
        for preview in self.jobs.values():
            if preview.state == "running":
                preview.state, preview.error = "failed", "the server stopped before this preview was done"
