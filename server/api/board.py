"""The board's API: freeze, unfreeze and reveal; medals and awards; explanations; history.

Reads run on the event loop (async), so they see one consistent state of the fold.
Judges and the instructor always see the live board. The public and the teams see it as of
the freeze while one is set (``/public/...`` and ``/team/explain``), and awards only once the
competition has finished and its board is not frozen.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Depends, Path, Query
from pydantic import ConfigDict, Field

from scoring import AWARD_RULES, MedalCounts, ScoringError
from server.api.answers import documented
from server.api.answers.board import Awards, BoardChange, Explanation, History, MedalsSet, Reveal, TeamReport
from server.api.answers.standings import CompetitionStatus
from server.api.bodies import StrictBody
from server.api.deps import identity, instructor, judge_of, member, runtime, watches
from server.errors import ServerError
from server.live import Started
from server.live.report import team_report
from server.live.runtime import Runtime
from server.live.scores import EXPLAINED
from server.security.auth import Identity

router = APIRouter(prefix="/api/v1", tags=["board"])
C = "/competitions/{competition_id}"


class FreezeIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    at: float | None = Field(
        None, ge=0, le=1e6, description="simulated hour to freeze at; leave out to freeze now"
    )


class MedalsIn(StrictBody):
    gold: int = Field(1, ge=0, le=50)
    silver: int = Field(1, ge=0, le=50)
    bronze: int = Field(1, ge=0, le=50)


def _actor(who: Identity) -> str:
    return who.member or who.role


# --- freeze and reveal -----------------------------------------------------------------------------


@router.put(C + "/freeze", responses=documented(CompetitionStatus))
async def freeze(
    competition_id: int, body: FreezeIn, rt: Runtime = Depends(runtime), who: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Freeze the public and team boards now, or at a later simulated time."""
    live = rt.get(competition_id)
    await live.freeze(body.at, _actor(who))
    return live.status()


@router.post(C + "/unfreeze", responses=documented(CompetitionStatus))
async def unfreeze(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Lift the freeze without a ceremony: the public boards show the live standings again."""
    live = rt.get(competition_id)
    await live.unfreeze(_actor(who))
    return live.status()


@router.post(C + "/reveal", responses=documented(Reveal))
async def reveal(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Lift the freeze with the ceremony: the frozen table, then each team's final score, bottom up."""
    live = rt.get(competition_id)
    result = await live.unfreeze(_actor(who), ceremony=True)
    if result is None:
        raise ServerError("conflict", "the competition has not started; there is nothing to reveal")
    return result


@router.get(C + "/board-log", responses=documented(list[BoardChange]))
def board_log(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[dict[str, Any]]:
    """Every freeze, unfreeze, reveal and medal change: what, who and when."""
    rt.get(competition_id)
    return [
        {"action": r.action, **json.loads(r.detail), "by": r.by, "at": r.at}
        for r in rt.store.board_changes(competition_id)
    ]


@router.get(C + "/public/reveal", responses=documented(Reveal))
async def public_reveal(competition_id: int, rt: Runtime = Depends(runtime)) -> dict[str, Any]:
    """The last reveal ceremony, for a page that opens after it began."""
    live = rt.get(competition_id)
    if live.last_reveal is None:
        raise ServerError("not_found", "the board has not been revealed yet")
    return live.last_reveal


# --- awards --------------------------------------------------------------------------------------------


@router.put(C + "/awards/medals", responses=documented(MedalsSet))
async def set_medals(
    competition_id: int, body: MedalsIn, rt: Runtime = Depends(runtime), who: Identity = Depends(instructor)
) -> dict[str, Any]:
    """How many gold, silver and bronze places there are."""
    live = rt.get(competition_id)
    try:
        medals = MedalCounts(**body.model_dump())
    except ScoringError as exc:
        raise ServerError("invalid", str(exc)) from None
    await live.set_medals(medals, _actor(who))
    return {
        **body.model_dump(),
        "awards": live.scores.awards(live.now) if isinstance(live.stage, Started) else [],
    }


def _awards(rt: Runtime, competition_id: int, public: bool) -> dict[str, Any]:
    live = rt.get(competition_id)
    live.started("there are no awards yet")
    return {
        "final": live.state == "finished",
        "medals": {
            "gold": live.scores.medals.gold,
            "silver": live.scores.medals.silver,
            "bronze": live.scores.medals.bronze,
        },
        "rules": AWARD_RULES,
        "awards": live.scores.awards(live.now, public),
    }


@router.get(C + "/awards", responses=documented(Awards))
async def awards(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> dict[str, Any]:
    """Winner, medals and metric awards as the live standings give them now."""
    judge_of(competition_id, who)
    return _awards(rt, competition_id, public=False)


@router.get(C + "/public/awards", responses=documented(Awards))
async def public_awards(competition_id: int, rt: Runtime = Depends(runtime)) -> dict[str, Any]:
    """The awards, once the competition has finished and the board is not frozen."""
    live = rt.get(competition_id)
    if live.state != "finished" or live.scores.freeze_t is not None:
        raise ServerError(
            "conflict", "awards are announced when the competition has finished and its board is revealed"
        )
    return _awards(rt, competition_id, public=True)


# --- explanations and history ------------------------------------------------------------------------


def _started(rt: Runtime, competition_id: int) -> Any:
    live = rt.get(competition_id)
    live.started("there is nothing to explain yet")
    return live


METRIC = Path(
    description="the figure to explain", json_schema_extra={"enum": list(EXPLAINED)}
)  # documented; the server's own check refuses another with a 422 listing these


@router.get(C + "/explain/{team}/{metric}", responses=documented(Explanation))
async def explain(
    competition_id: int,
    team: str,
    metric: str = METRIC,
    rt: Runtime = Depends(runtime),
    who: Identity = Depends(identity),
) -> dict[str, Any]:
    """One figure of one team: the formula with its numbers, and the events (by seq) behind it."""
    judge_of(competition_id, who)
    live = _started(rt, competition_id)
    result: dict[str, Any] = live.scores.explain(team, metric, live.now)
    return result


@router.get("/team/explain/{metric}", tags=["team"], responses=documented(Explanation))
async def explain_own(
    metric: str = METRIC, rt: Runtime = Depends(runtime), who: Identity = Depends(member)
) -> dict[str, Any]:
    """One of the team's own figures explained, as of the freeze while the board is frozen."""
    assert who.competition_id is not None
    live = _started(rt, who.competition_id)
    result: dict[str, Any] = live.scores.explain(who.team or "", metric, live.now, public=True)
    return result


@router.get(C + "/history", responses=documented(History))
async def history(
    competition_id: int,
    points: int = Query(200, ge=2, le=2000, description="at most this many samples per team"),
    rt: Runtime = Depends(runtime),
    who: Identity = Depends(identity),
) -> dict[str, Any]:
    """Per-round and cumulative standings, and every team's score over simulated time (live)."""
    judge_of(competition_id, who)
    live = _started(rt, competition_id)
    result: dict[str, Any] = live.scores.history(live.now, points=points)
    return result


@router.get(C + "/report/{team}", responses=documented(TeamReport))
async def report(
    competition_id: int,
    team: str,
    points: int = Query(200, ge=2, le=2000, description="at most this many samples"),
    rt: Runtime = Depends(runtime),
    who: Identity = Depends(identity),
) -> dict[str, Any]:
    """A team's post-game report: its figures over time, notable moments, its score explained.

    For judges and the instructor (live), and for the team's own members (as of a freeze).
    """
    own = who.role == "member" and who.competition_id == competition_id and who.team == team
    if not own and not watches(competition_id, who):
        raise ServerError(
            "forbidden",
            "a team's report is for its own members, this competition's judges and the instructor",
        )
    live = _started(rt, competition_id)
    live.team(team)  # a 404 if there is none
    result = team_report(live.scores, live.events_since(0), team, live.now, public=own, points=points)
    return {**result, "status": live.status()}


@router.get(C + "/public/history", responses=documented(History))
async def public_history(
    competition_id: int,
    points: int = Query(200, ge=2, le=2000, description="at most this many samples per team"),
    rt: Runtime = Depends(runtime),
) -> dict[str, Any]:
    """The same for the public board: nothing after the freeze."""
    live = _started(rt, competition_id)
    result: dict[str, Any] = live.scores.history(live.now, public=True, points=points)
    return result
