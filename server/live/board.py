"""The board of a live competition: scoring weights, freeze and reveal, medals, the rubric.

Each instructor's action is stored (with a line in the board's change log) before it takes
effect, then its boards go out at once (server.live.publishing), so the action's answer
comes after its board. A freeze set for a later time is sealed by the clock when that time
comes (server.live.core).
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from typing import Any

from scoring import MedalCounts, Normalisation, Weights
from server.errors import ServerError
from server.live.core import LiveCore
from server.live.refusals import owner_write
from server.live.stage import Started
from server.persistence.db.tables import BoardChangeRow
from server.persistence.scoring_json import scoring_to_json
from server.wall_clock import wall_now

UNFROZEN: dict[str, Any] = {"freeze_t": None, "freeze_seq": None, "freeze_rubric": None}


class Board:
    """The instructor's actions on one live competition's board."""

    def __init__(self, live: LiveCore) -> None:
        self.live = live

    async def rescore(self, weights: Weights, normalisation: Normalisation) -> None:
        """New weights or normalisation: every standing recomputed from the event log, logged."""
        live = self.live
        async with live.lock:
            config = dataclasses.replace(live.scoring, weights=weights, normalisation=normalisation)
            text = scoring_to_json(config)
            with owner_write(live.writer) as epoch:
                await asyncio.to_thread(live.store.save_scoring, live.id, text, wall_now(), epoch)
            live.scoring = config
            live.scores.rebuild(live.stage.log, config)
            if isinstance(live.stage, Started):
                live.publisher.standings(at_once=True)

    async def _save(self, action: str, detail: dict[str, Any], by: str, **columns: Any) -> None:
        live = self.live
        change = BoardChangeRow(
            competition_id=live.id, action=action, detail=json.dumps(detail), by=by, at=wall_now()
        )
        with owner_write(live.writer) as epoch:  # another worker owns it now: this process stops
            await asyncio.to_thread(live.store.save_board, live.id, change, epoch=epoch, **columns)
        for name in columns:  # the instructor's values replace what time had set
            live.board_unsaved.pop(name, None)

    async def freeze(self, at: float | None, by: str) -> None:
        """Freeze the public and team boards at simulated time ``at`` (None: now)."""
        live = self.live
        async with live.lock:
            if live.state == "running":
                await live.advance(live.clock.now())
            now = live.now
            current = live.scores.freeze_t
            if current is not None and current <= now:
                raise ServerError(
                    "conflict", f"the board is frozen since t={current:g} h; unfreeze or reveal it first"
                )
            target = now if at is None else at
            if target < now:
                raise ServerError(
                    "conflict",
                    f"t={target:g} h has passed (it is t={now:g} h now); freeze now or give a later time",
                )
            end_t = live.params.calendar.round_start(live.rounds + 1)
            if target > end_t:
                raise ServerError(
                    "invalid",
                    f"t={target:g} h is after the last round ends (t={end_t:g} h); give an earlier time",
                )
            await self._save(
                "freeze", {"freeze_t": target}, by, freeze_t=target, freeze_seq=None, freeze_rubric=None
            )
            live.scores.set_freeze(target, list(live.stage.log))
            await live.seal()
            live.publish_state()
            live.publisher.standings(at_once=True)

    async def unfreeze(self, by: str, ceremony: bool = False) -> dict[str, Any] | None:
        """Lift the freeze; with ``ceremony``, first compute and send the reveal sequence.

        The reveal is None when there is nothing to reveal (the competition has not started)."""
        live = self.live
        async with live.lock:
            if live.scores.freeze_t is None:
                raise ServerError("conflict", "the board is not frozen; freeze it first")
            if live.state == "running":
                await live.advance(live.clock.now())
            freeze_t = live.scores.freeze_t
            started = isinstance(live.stage, Started)
            reveal = live.scores.reveal(live.now) if ceremony and started else None
            if reveal is not None:
                await self._save("reveal", {"freeze_t": freeze_t}, by, reveal=json.dumps(reveal), **UNFROZEN)
                live.last_reveal = reveal
            else:
                await self._save("unfreeze", {"freeze_t": freeze_t}, by, **UNFROZEN)
            live.scores.set_freeze(None, [])
            if reveal is not None:
                live.publish_everywhere("reveal", reveal)
            live.publish_state()
            live.publisher.standings(at_once=True)
            return reveal

    async def set_medals(self, medals: MedalCounts, by: str) -> None:
        live = self.live
        async with live.lock:
            detail = dataclasses.asdict(medals)
            await self._save("medals", detail, by, medals=json.dumps(detail))
            live.scores.medals = medals

    async def rubric_changed(self, change: Any) -> Any:
        """Apply a change to the rubric (a function of the book, run in a thread), then push standings."""
        live = self.live
        async with live.lock:
            result = await asyncio.to_thread(change, live.rubric)
            if isinstance(live.stage, Started):
                live.publisher.standings(at_once=True)
            return result
