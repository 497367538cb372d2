"""Logging in and out: the instructor's password, a judge code, a team join code."""

from __future__ import annotations

from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from server.api.deps import LoginAttempt, identity, login_attempt, runtime, token_of
from server.auth import COOKIE, Identity, new_token, password_matches, token_hash
from server.clock import wall_now
from server.db.tables import MemberRow, SessionRow
from server.errors import ServerError
from server.runtime import Runtime
from server.text_rules import Name
from teams.rules import ROLES

router = APIRouter(prefix="/api/v1/session", tags=["session"])

EXCLUSIVE_ROLES = ("manager",)


class InstructorLogin(BaseModel):
    password: str = Field(min_length=1, max_length=200)


class JudgeLogin(BaseModel):
    code: str = Field(min_length=1, max_length=40)
    name: Name | None = Field(
        None, min_length=1, max_length=40, description="your name: rubric scores are kept per judge"
    )


class Join(BaseModel):
    code: str = Field(min_length=1, max_length=40, description="the team's join code")
    name: Name = Field(min_length=1, max_length=40, description="your display name")
    role: Literal["manager", "sales", "service", "finance"]


class SessionOut(BaseModel):
    token: str
    role: str
    competition_id: int | None = None
    team: str | None = None
    member: str | None = None
    team_role: str | None = None


def _issue(response: Response, rt: Runtime, row: SessionRow, token: str) -> None:
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="lax", secure=rt.settings.cookie_secure, max_age=14 * 24 * 3600
    )


@router.post("/instructor", response_model=SessionOut)
def login_instructor(
    body: InstructorLogin,
    response: Response,
    rt: Runtime = Depends(runtime),
    attempt: LoginAttempt = Depends(login_attempt),
) -> SessionOut:
    salt, expected = rt.store.secret("instructor_salt"), rt.store.secret("instructor_hash")
    if not salt or not expected or not password_matches(body.password, salt, expected):
        raise attempt.refuse("wrong instructor password")
    token = new_token()
    row = SessionRow(
        token_hash=token_hash(token, rt.settings.secret or ""), role="instructor", created_at=wall_now()
    )
    rt.store.add_session(row)
    _issue(response, rt, row, token)
    return SessionOut(token=token, role="instructor")


@router.post("/judge", response_model=SessionOut)
def login_judge(
    body: JudgeLogin,
    response: Response,
    rt: Runtime = Depends(runtime),
    attempt: LoginAttempt = Depends(login_attempt),
) -> SessionOut:
    code = body.code.strip().upper()
    live = next((lv for lv in rt.live.values() if lv.judge_code == code), None)
    if live is None:
        raise attempt.refuse("no competition has this judge code; check it with the instructor")
    token = new_token()
    row = SessionRow(
        token_hash=token_hash(token, rt.settings.secret or ""),
        role="judge",
        competition_id=live.id,
        created_at=wall_now(),
        name=" ".join(body.name.split()) if body.name else None,
    )
    rt.store.add_session(row)
    _issue(response, rt, row, token)
    return SessionOut(token=token, role="judge", competition_id=live.id, member=row.name)


@router.post("/join", response_model=SessionOut)
def join(
    body: Join,
    response: Response,
    rt: Runtime = Depends(runtime),
    attempt: LoginAttempt = Depends(login_attempt),
) -> SessionOut:
    team = rt.store.team_by_code(body.code.strip().upper())
    if team is None or team.id is None:
        raise attempt.refuse("no team has this join code; check it with the instructor")
    live = rt.get(team.competition_id)
    if live.state == "finished":
        raise ServerError("conflict", "this competition has finished; teams can no longer join")
    name = " ".join(body.name.split())
    members = rt.store.members(team.id)
    taken = next((m for m in members if m.role == body.role and body.role in EXCLUSIVE_ROLES), None)
    if taken is not None and taken.name != name:
        raise ServerError(
            "conflict", f"{taken.name} is already the {body.role} of {team.name}; choose another role"
        )
    assert body.role in ROLES
    token = new_token()
    row = SessionRow(
        token_hash=token_hash(token, rt.settings.secret or ""),
        role="member",
        competition_id=team.competition_id,
        created_at=wall_now(),
    )
    member = MemberRow(team_id=team.id, name=name, role=body.role, joined_at=wall_now())
    member = rt.store.add_member(member, row)
    live.activity[team.name].members.add(name)
    _issue(response, rt, row, token)
    return SessionOut(
        token=token,
        role="member",
        competition_id=team.competition_id,
        team=team.name,
        member=name,
        team_role=body.role,
    )


@router.get("", response_model=SessionOut)
def whoami(request: Request, who: Identity = Depends(identity)) -> SessionOut:
    return SessionOut(
        token="",
        role=who.role,
        competition_id=who.competition_id,
        team=who.team,
        member=who.member,
        team_role=who.team_role,
    )


@router.post("/logout", status_code=204)
def logout(request: Request, response: Response, rt: Runtime = Depends(runtime)) -> Response:
    token = token_of(request)
    if token:
        rt.store.drop_session(token_hash(token, rt.settings.secret or ""))
    response.delete_cookie(COOKIE)
    response.status_code = 204
    return response
