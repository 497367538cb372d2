"""The scoring settings of a competition over HTTP: the composite's weights and normalisation, a
rescore when they change, and their history."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import ConfigDict, Field

from scoring import ScoringError, Weights
from server.api.answers import documented
from server.api.answers.competitions import Rescored, Scoring, ScoringChange
from server.api.bodies import StrictBody
from server.api.deps import identity, instructor, judge_of, runtime
from server.errors import ServerError
from server.live.instructor_views import scoring_history as scoring_changes
from server.live.instructor_views import scoring_view
from server.live.runtime import Runtime
from server.security.auth import Identity

router = APIRouter(prefix="/api/v1/competitions", tags=["instructor"])


class WeightsIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    conversion: float = Field(30.0, ge=0, le=1000)
    satisfaction: float = Field(30.0, ge=0, le=1000)
    receivables: float = Field(25.0, ge=0, le=1000)
    profit: float = Field(15.0, ge=0, le=1000)
    rubric: float = Field(0.0, ge=0, le=1000)


class ScoringIn(StrictBody):
    weights: WeightsIn
    normalisation: Literal["raw", "rank", "zscore"] = "raw"


@router.get("/{competition_id}/scoring", responses=documented(Scoring))
def scoring(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> dict[str, Any]:
    """The weights and normalisation of the composite."""
    judge_of(competition_id, who)
    return scoring_view(rt.get(competition_id))


@router.put("/{competition_id}/scoring", responses=documented(Rescored))
async def rescore(
    competition_id: int, body: ScoringIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    """Change the weights or the normalisation: every standing is recomputed from the event log."""
    live = rt.get(competition_id)
    try:
        weights = Weights(**body.weights.model_dump())
    except ScoringError as exc:
        raise ServerError("invalid", str(exc)) from None
    await live.rescore(weights, body.normalisation)
    return {**scoring_view(live), "standings": live.standings()}


@router.get("/{competition_id}/scoring/history", responses=documented(list[ScoringChange]))
def scoring_history(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[dict[str, Any]]:
    rt.get(competition_id)
    return scoring_changes(rt, competition_id)
