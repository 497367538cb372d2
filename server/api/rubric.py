"""The judges' rubric: the instructor defines criteria, judges score teams, every change is logged.

A judge scores under the name it logged in with; the instructor may correct any judge's
score by naming the judge. A score is never overwritten: each one is a new line of the log
(``/rubric/log``) with who wrote it and when; the newest line per judge, team, criterion and
round counts, and ``points: null`` withdraws it.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends
from pydantic import ConfigDict, Field

from scoring import current_scores
from server.api.answers import documented
from server.api.answers.judging import Criterion, Rubric, RubricEntry, Scored
from server.api.bodies import StrictBody
from server.api.deps import identity, instructor, judge_of, runtime, watcher
from server.errors import ServerError
from server.input.text_rules import Name
from server.live import LiveCompetition
from server.live.rubric_book import RubricBook, criterion_view, entry_view
from server.live.runtime import Runtime
from server.security.auth import Identity

router = APIRouter(prefix="/api/v1/competitions/{competition_id}/rubric", tags=["rubric"])


class CriterionIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    name_en: Name = Field(min_length=1, max_length=80, description="the criterion's name in English")
    name_zh: Name = Field(min_length=1, max_length=80, description="the criterion's name in Chinese")
    max_points: float = Field(gt=0, le=1000)
    per_round: bool = Field(False, description="scored in every round (true) or once (false)")


class ScoreIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    criterion_id: int
    team: str = Field(min_length=1, max_length=40)
    round: int | None = Field(None, ge=1, le=100, description="required for a per-round criterion")
    points: float | None = Field(description="0 to the criterion's max points; null withdraws the score")
    note: str = Field("", max_length=500)
    judge: Name | None = Field(
        None,
        min_length=1,
        max_length=40,
        description="the instructor names the judge whose score it corrects",
    )


def _rubric_view(live: LiveCompetition) -> dict[str, Any]:
    book = live.rubric
    entries = book.scoring_values()[1]
    notes = {(e.criterion_id, e.team, e.judge, e.round): e.note for e in book.entries}  # the newest wins
    scores = [
        {
            "criterion_id": c,
            "team": team,
            "judge": judge,
            "round": r,
            "points": points,
            "note": notes[(c, team, judge, r)],
        }
        for (c, team, judge, r), points in sorted(
            current_scores(entries).items(),
            key=lambda item: (item[0][0], item[0][1], item[0][2], item[0][3] or 0),
        )
    ]
    component = book.extra().get("rubric", {})
    return {
        "criteria": [criterion_view(c) for c in book.criteria],
        "scores": scores,
        "component": {t.name: component.get(t.name) for t in live.teams},
        "weight": live.scoring.weights.rubric,
    }


@router.get("", responses=documented(Rubric))
async def rubric(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> dict[str, Any]:
    """Criteria, every judge's current scores and each team's rubric component (0–100)."""
    judge_of(competition_id, who)
    return _rubric_view(rt.get(competition_id))


@router.post("/criteria", status_code=201, responses=documented(Criterion, 201))
async def add_criterion(
    competition_id: int, body: CriterionIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)

    def change(book: RubricBook) -> dict[str, Any]:
        return criterion_view(
            book.save_criterion(None, body.name_en, body.name_zh, body.max_points, body.per_round)
        )

    result: dict[str, Any] = await live.rubric_changed(change)
    return result


@router.put("/criteria/{criterion_id}", responses=documented(Criterion))
async def change_criterion(
    competition_id: int,
    criterion_id: int,
    body: CriterionIn,
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> dict[str, Any]:
    live = rt.get(competition_id)

    def change(book: RubricBook) -> dict[str, Any]:
        saved = book.save_criterion(criterion_id, body.name_en, body.name_zh, body.max_points, body.per_round)
        return criterion_view(saved)

    result: dict[str, Any] = await live.rubric_changed(change)
    return result


@router.delete("/criteria/{criterion_id}", status_code=204)
async def delete_criterion(
    competition_id: int, criterion_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> None:
    live = rt.get(competition_id)
    await live.rubric_changed(lambda book: book.delete_criterion(criterion_id))


@router.put("/scores", responses=documented(Scored))
async def score(
    competition_id: int, body: ScoreIn, rt: Runtime = Depends(runtime), who: Identity = Depends(watcher)
) -> dict[str, Any]:
    """A judge's points for a team on a criterion (and round): a new line of the log."""
    live = rt.get(competition_id)
    if who.role == "judge":
        if not who.member:
            raise ServerError(
                "forbidden", "judges score under their name: log in again with your judge code and your name"
            )
        if body.judge is not None and body.judge != who.member:
            raise ServerError(
                "forbidden", "a judge gives only its own scores; the instructor corrects others'"
            )
        judge = who.member
    else:
        if body.judge is None:
            raise ServerError("invalid", "judge: name the judge whose score you give or correct")
        judge = body.judge
    teams = [t.name for t in live.teams]
    by = who.member if who.role == "judge" and who.member else who.role

    def change(book: RubricBook) -> dict[str, Any]:
        row = book.score(
            criterion_id=body.criterion_id,
            team=body.team,
            judge=judge,
            round_number=body.round,
            points=body.points,
            note=body.note,
            t_sim=live.now,
            by=by,
            teams=teams,
            rounds=live.rounds,
        )
        return entry_view(row)

    entry: dict[str, Any] = await live.rubric_changed(change)
    return {"entry": entry, "component": live.rubric.extra().get("rubric", {}).get(body.team)}


@router.get("/log", responses=documented(list[RubricEntry]))
async def rubric_log(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> list[dict[str, Any]]:
    """Every score and correction ever written: points, judge, who wrote it, when."""
    judge_of(competition_id, who)
    return [entry_view(e) for e in rt.get(competition_id).rubric.entries]
