"""Previews: how the reference bots fare under the parameters an instructor is about to use.

A preview plays a few short seasons with the six reference bots in the background and reports
its progress, then each bot's mean scores over the seeds: a quick check that a market is
neither too easy nor too hard before a class plays it. Previews run one at a time in a
worker thread (a classroom season takes a fraction of a second) and only the latest few are
kept in memory; they are not stored.
"""

from __future__ import annotations

import asyncio
import logging
import math
import secrets
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from market.parameters import MarketParameters
from simulator.season import league, play_season
from teams.bots import REFERENCE_LEAGUE

log = logging.getLogger("salesfloor.previews")

KEPT = 20
METRICS = ("composite", "conversion", "satisfaction", "receivables", "profit")


@dataclass
class Preview:
    """One preview: running with a progress 0–1, then done with its result, or failed."""

    id: str
    seeds: tuple[int, ...]
    rounds: int
    state: str = "running"
    progress: float = 0.0
    result: dict[str, Any] | None = None
    error: str | None = None
    runs: list[dict[str, Any]] = field(default_factory=list)

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


class Previews:
    """The server's previews, newest last; one runs at a time."""

    def __init__(self) -> None:
        self.jobs: OrderedDict[str, Preview] = OrderedDict()
        self._lock = asyncio.Lock()
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, params: MarketParameters, seeds: tuple[int, ...], rounds: int) -> Preview:
        preview = Preview(secrets.token_hex(6), seeds, rounds)
        self.jobs[preview.id] = preview
        while len(self.jobs) > KEPT:
            self.jobs.popitem(last=False)
        task = asyncio.create_task(self._run(preview, params))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return preview

    def get(self, preview_id: str) -> Preview | None:
        return self.jobs.get(preview_id)

    async def _run(self, preview: Preview, params: MarketParameters) -> None:
        async with self._lock:
            try:
                await asyncio.to_thread(self._play, preview, params)
                preview.result = summarise(preview.runs)
                preview.progress, preview.state = 1.0, "done"
            except Exception as exc:  # a preview must never take the server down
                log.exception("preview %s failed", preview.id)
                preview.state, preview.error = "failed", str(exc)

    @staticmethod
    def _play(preview: Preview, params: MarketParameters) -> None:
        teams = league(len(REFERENCE_LEAGUE), list(REFERENCE_LEAGUE))
        bots = {t.name: t.bot for t in teams}
        for index, seed in enumerate(preview.seeds):

            def progress(fraction: float, index: int = index) -> None:
                preview.progress = (index + fraction) / len(preview.seeds)

            competition, board = play_season(params, seed, teams, rounds=preview.rounds, progress=progress)
            standings = board.standings(competition.end_t)
            metrics = board.metrics(competition.end_t)
            preview.runs.append(
                {
                    "seed": seed,
                    "standings": [{**s.as_row(), "bot": bots[s.team]} for s in standings],
                    "inquiries_per_team": _mean([float(m.inquiries) for m in metrics.values()]),
                }
            )
