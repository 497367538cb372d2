"""The instructor's hand on the market over HTTP: parameter changes and their history, shocks,
announcements; and the parameters in force, for everyone in the competition."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends
from pydantic import ConfigDict, Field

from market.parameters import parameters_to_dict
from server.api.answers import documented
from server.api.answers.competitions import CommandApplied, ParameterChange, Parameters, ParametersApplied
from server.api.bodies import StrictBody
from server.api.deps import identity, instructor, runtime
from server.errors import ServerError
from server.live import market_controls
from server.live.runtime import Runtime
from server.security.auth import Identity

router = APIRouter(prefix="/api/v1/competitions", tags=["instructor"])


class ShockIn(StrictBody):
    model_config = ConfigDict(allow_inf_nan=False)  # "NaN" and "inf" strings too: 422

    shock: Literal["demand", "price_war", "recall"]
    segment: str = "*"
    magnitude: float


class ParametersIn(StrictBody):
    changes: dict[str, Any] = Field(min_length=1)


class AnnouncementIn(StrictBody):
    text: str = Field(min_length=1, max_length=500)


@router.post("/{competition_id}/parameters", responses=documented(ParametersApplied))
async def change_parameters(
    competition_id: int, body: ParametersIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    live = rt.get(competition_id)
    return await market_controls.change_parameters(rt, live, tuple(body.changes.items()))


@router.get("/{competition_id}/parameters", responses=documented(Parameters))
def current_parameters(
    competition_id: int, rt: Runtime = Depends(runtime), who: Identity = Depends(identity)
) -> dict[str, Any]:
    """The market parameters in force (for the competition's members, judges and the instructor)."""
    if who.role != "instructor" and who.competition_id != competition_id:
        raise ServerError(
            "forbidden", "only this competition's members, judges and the instructor may see this"
        )
    return dict(parameters_to_dict(rt.get(competition_id).params))


@router.get("/{competition_id}/parameters/history", responses=documented(list[ParameterChange]))
def parameter_history(
    competition_id: int, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> list[dict[str, Any]]:
    """Each change: when it took effect, ``changes`` as [key, new value] and ``before`` as
    {key: old value} (changes logged before old values were kept have no ``before``)."""
    rt.get(competition_id)
    return market_controls.parameter_history(rt, competition_id)


@router.post("/{competition_id}/shocks", responses=documented(CommandApplied))
async def shock(
    competition_id: int, body: ShockIn, rt: Runtime = Depends(runtime), _: Identity = Depends(instructor)
) -> dict[str, Any]:
    return await market_controls.apply_shock(rt.get(competition_id), body.shock, body.segment, body.magnitude)


@router.post("/{competition_id}/announcements", responses=documented(CommandApplied))
async def announce(
    competition_id: int,
    body: AnnouncementIn,
    rt: Runtime = Depends(runtime),
    _: Identity = Depends(instructor),
) -> dict[str, Any]:
    return await market_controls.announce(rt.get(competition_id), body.text)
