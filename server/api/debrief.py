"""The debrief between rounds (judges and the instructor) and each team's own round report.

``/competitions/{id}/debrief?round=N``: every team's figures of a completed round, the round's
notable moments per picture, and cash over time (``server.live.debrief``); the last completed round
when ``round`` is left out. ``/team/round-report?round=N``: the asking team's figures of the
round and, unless the board is frozen for the public, the class's median of each.

Reads run on the event loop, so they see one consistent log; the fold is kept per competition
and only extended by the events that came since.
"""

from __future__ import annotations

import weakref
from typing import Any

from fastapi import APIRouter, Depends, Query

from server.api.answers import documented
from server.api.answers.gathering import Debrief, RoundReport
from server.api.deps import member, runtime, watcher
from server.errors import ServerError
from server.live import LiveCompetition
from server.live.debrief import DebriefFold, debrief, team_round
from server.live.runtime import Runtime
from server.security.auth import Identity

router = APIRouter(prefix="/api/v1", tags=["board"])

_folds: weakref.WeakKeyDictionary[LiveCompetition, tuple[int, DebriefFold]] = weakref.WeakKeyDictionary()


def _fold(live: LiveCompetition) -> DebriefFold:
    """The competition's debrief fold, brought up to the end of its log."""
    log = live.started("the debrief of a round comes after its end").log
    seen, fold = _folds.get(live, (0, None))
    if fold is None:
        calendar = live.params.calendar
        scoring = live.scoring
        fold = DebriefFold(
            [t.name for t in live.teams],
            calendar.hours(1.0),
            scoring.initial_satisfaction,
            rules=scoring.rules,
            smoothing=scoring.satisfaction_smoothing,
        )
        seen = 0
    fold.feed_all(log.since(seen))
    _folds[live] = (len(log), fold)
    return fold


def _report(live: LiveCompetition, round_number: int | None) -> dict[str, Any]:
    try:
        return debrief(_fold(live), round_number)
    except LookupError as exc:
        raise ServerError("conflict", str(exc)) from None


@router.get("/competitions/{competition_id}/debrief", responses=documented(Debrief))
async def class_debrief(
    competition_id: int,
    round: int | None = Query(None, ge=1, le=100, description="a completed round; default: the last one"),
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(watcher),
) -> dict[str, Any]:
    """Every team's figures of a completed round, its notable moments per picture, cash over time."""
    return _report(rt.get(competition_id), round)


@router.get("/team/round-report", tags=["team"], responses=documented(RoundReport))
async def round_report(
    round: int | None = Query(None, ge=1, le=100, description="a completed round; default: the last one"),
    rt: Runtime = Depends(runtime),
    who: Identity = Depends(member),
) -> dict[str, Any]:
    """The asking team's figures of a completed round, with the class's medians unless frozen."""
    assert who.competition_id is not None and who.team is not None
    live = rt.get(who.competition_id)
    return team_round(_report(live, round), who.team, with_class=not live.scores.frozen_now(live.now))
