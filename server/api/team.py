"""The team API: every desk command as its own endpoint, and the team's views of its business.

The acting member's team and role come from the session, never from the request body, so a
member can act only for its own team and only within its role's rights.
"""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import MISSING, fields
from typing import Any

from fastapi import APIRouter, Body, Depends, Header, Path, Query, Response
from pydantic import BaseModel, ConfigDict, create_model

from server.api.answers import documented
from server.api.answers.competitions import CommandApplied
from server.api.answers.events import Event
from server.api.answers.team import TeamOverview, TeamState
from server.api.deps import member, runtime
from server.api.http.endpoints import COMMAND_ENDPOINTS, TEAM_PREFIX
from server.errors import ServerError
from server.live import LiveCompetition
from server.live.idempotency import HEADER, KEY_DESCRIPTION, KEY_PATTERN, checked_key
from server.live.runtime import Runtime
from server.security.auth import Identity
from server.wire.shapes import HIDDEN_FROM_TEAMS, event_view, select_events
from teams import commands as c

router = APIRouter(prefix=TEAM_PREFIX, tags=["team"])


class CommandResult(BaseModel):
    accepted: bool
    t_sim: float
    events: list[dict[str, Any]]


def _live_team(rt: Runtime, who: Identity) -> LiveCompetition:
    assert who.competition_id is not None
    return rt.get(who.competition_id)


def _body_model(command: type[c.Command], path_field: str | None) -> type[BaseModel]:
    spec: dict[str, Any] = {}
    for f in fields(command):
        if f.name in ("team", "role", "member", path_field):
            continue
        default = ... if f.default is MISSING else f.default
        annotation = {"str": str, "float": float, "int": int, "bool": bool}[str(f.type)]
        spec[f.name] = (annotation, default)
    name = "".join(part.title() for part in command.kind.split("_")) + "Body"
    # strict: JSON types as the schema says them (false is no 0, "3" no 3)
    config = ConfigDict(extra="forbid", allow_inf_nan=False, strict=True)
    return create_model(name, __config__=config, **spec)


def _endpoint(command: type[c.Command], path_field: str | None) -> Callable[..., Awaitable[CommandResult]]:
    body_model = _body_model(command, path_field)

    async def run(
        body: Any = None,
        rt: Runtime = Depends(runtime),
        who: Identity = Depends(member),
        idempotency_key: str | None = Header(
            None,
            alias=HEADER,
            max_length=200,
            json_schema_extra={"pattern": KEY_PATTERN},  # printable ASCII, checked by checked_key
            description=KEY_DESCRIPTION,
        ),
        **path: str,
    ) -> CommandResult:
        key = checked_key(idempotency_key)
        values = {**(body.model_dump() if body is not None else {}), **path}
        rt.limiter.take(who.member_id or 0)
        live = _live_team(rt, who)
        cmd = command(team=who.team or "", role=who.team_role or "", member=who.member or "", **values)
        outcome = await live.submit(cmd, "human", who.member_id, key)
        if not outcome.accepted:
            if outcome.rule:  # the rule and its values let a page say it in its own language and units
                raise ServerError(
                    outcome.code or "invalid", outcome.reason, rule=outcome.rule, values=dict(outcome.values)
                )
            raise ServerError(outcome.code or "invalid", outcome.reason)
        return CommandResult(
            accepted=True,
            t_sim=outcome.t,
            events=[event_view(e) for e in live.events_at(outcome.events)],
        )

    # the generated model validates and documents the body; a command with required fields
    # needs its body (a missing one is a 422 that names the fields, not a TypeError)
    required = any(f.is_required() for f in body_model.model_fields.values())
    run.__annotations__["body"] = body_model if required else body_model | None
    if required and run.__defaults__:
        run.__defaults__ = (Body(), *run.__defaults__[1:])
    # the signature FastAPI reads: without **path, and with the id in the path when there is one,
    # declared so that the schema names it
    signature = inspect.signature(run)
    kept = [p for p in signature.parameters.values() if p.kind is not inspect.Parameter.VAR_KEYWORD]
    if path_field is not None:
        description = f"the {path_field.split('_')[0]} the command is about"
        named = Path(description=description)
        keyword = inspect.Parameter.KEYWORD_ONLY
        kept.append(inspect.Parameter(path_field, keyword, default=named, annotation=str))
    run.__signature__ = signature.replace(parameters=kept)  # type: ignore[attr-defined]
    run.__name__ = command.kind
    run.__doc__ = (command.__doc__ or command.kind).strip().splitlines()[0]
    return run


for _command, (_method, _path, _field) in COMMAND_ENDPOINTS.items():
    router.add_api_route(
        _path,
        _endpoint(_command, _field),
        methods=[_method],
        response_model=CommandResult,
        responses=documented(CommandApplied),
        name=_command.kind,
        summary=_command.kind.replace("_", " "),
    )


@router.get("", responses=documented(TeamOverview))
async def overview(rt: Runtime = Depends(runtime), who: Identity = Depends(member)) -> dict[str, Any]:
    """The team, its members, its cash and its place on the board."""
    live = _live_team(rt, who)
    standing = next((s for s in live.standings(public=True) if s["team"] == who.team), None)
    cash = live.team_cash(who.team or "")
    return {
        "team": who.team,
        "member": who.member,
        "role": who.team_role,
        "competition": live.status(),
        "members": sorted(live.activity[who.team or ""].members),
        "standing": standing,
        "cash": None if cash is None else round(cash, 2),
    }


@router.get("/state", responses=documented(TeamState))
async def state(rt: Runtime = Depends(runtime), who: Identity = Depends(member)) -> Response:
    """Inbox with SLA timers, approvals, orders, invoices with aging, complaints, customers, policies.

    Also ``t_sim`` (the moment the view shows) and ``desk``: the rules and prices the desk
    enforces for the member's role (discount authority, limits, costs), read-only, so that
    a console can check its forms as they are typed.

    Built once per team for each moment of the game (server.live.team_states): the members of
    a team, who refresh on the same events, read the same JSON.
    """
    live = _live_team(rt, who)
    return Response(live.team_state_json(who.team or "", who.team_role or ""), media_type="application/json")


@router.get("/events", responses=documented(list[Event]))
async def team_events(
    after: int = Query(-1, ge=-1),
    limit: int = Query(500, ge=1, le=5000),
    last: bool = Query(False, description="the newest `limit` events instead of the oldest after `after`"),
    rt: Runtime = Depends(runtime),
    who: Identity = Depends(member),
) -> list[dict[str, Any]]:
    """The team's own events (and the competition's), oldest first."""
    live = _live_team(rt, who)
    chosen = select_events(live.event_log, after, limit, last, who.team or "", HIDDEN_FROM_TEAMS)
    return [event_view(event) for event in chosen]
