"""Logging in and out: the instructor's password, a judge code, a team join code.

Failed logins are counted per client and per target (server/security/login_throttle.py). A judge or
join code is looked up first and a right one always passes: codes are 40 random bits, made
by the server, so no one is refused their own code because someone at the same address
guessed wrong (docs/security.md, section 4, weighs what that leaves a guesser). The
instructor's password is chosen by a person: it is checked only with a free place in the
windows, on the password executor (server/security/password_checks.py), never on the event loop.
"""

from __future__ import annotations

import asyncio
from typing import Literal

from fastapi import APIRouter, Depends, Request, Response
from pydantic import BaseModel, Field

from server.api.bodies import StrictBody
from server.api.deps import LoginAttempt, identity, login_attempt, runtime, token_of
from server.errors import ServerError
from server.input.names import display_name
from server.input.text_rules import Name
from server.live.runtime import Runtime
from server.live.session_records import join_team, new_session
from server.security.auth import COOKIE, Identity, new_token, token_hash
from server.security.known_browser import COOKIE as KNOWN_BROWSER
from server.security.known_browser import MAX_AGE as KNOWN_BROWSER_AGE
from server.security.known_browser import browser_of, new_mark
from server.security.password_checks import PasswordChecks
from server.security.session_life import SessionLife, duration
from server.wall_clock import wall_now
from teams.rules import ROLES

router = APIRouter(prefix="/api/v1/session", tags=["session"])


class InstructorLogin(StrictBody):
    password: str = Field(min_length=1, max_length=200)


class JudgeLogin(StrictBody):
    code: str = Field(min_length=1, max_length=40)
    name: Name | None = Field(
        None, min_length=1, max_length=40, description="your name: rubric scores are kept per judge"
    )


class Join(StrictBody):
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


def _issue(response: Response, rt: Runtime, token: str) -> None:
    response.set_cookie(
        COOKIE, token, httponly=True, samesite="lax", secure=rt.settings.cookie_secure, max_age=14 * 24 * 3600
    )


def _mark_browser(request: Request, response: Response, rt: Runtime, key: str) -> None:
    """Give a browser the instructor has logged in on a mark of its own (server/security/known_browser.py)."""
    if browser_of(key, request.cookies.get(KNOWN_BROWSER)) is None:
        response.set_cookie(
            KNOWN_BROWSER,
            new_mark(key),
            httponly=True,
            samesite="lax",
            secure=rt.settings.cookie_secure,
            max_age=KNOWN_BROWSER_AGE,
            path="/api/v1/session",
        )


@router.post("/instructor", response_model=SessionOut)
async def login_instructor(
    body: InstructorLogin,
    request: Request,
    response: Response,
    rt: Runtime = Depends(runtime),
) -> SessionOut:
    attempt = await login_attempt(request)
    place = attempt.take("instructor")  # before the check: a full window checks nothing
    try:
        salt, expected = await asyncio.to_thread(
            lambda: (rt.store.secret("instructor_salt"), rt.store.secret("instructor_hash"))
        )
        checks: PasswordChecks = request.app.state.password_checks
        right = bool(salt and expected) and await checks.matches(body.password, salt or "", expected or "")
    except BaseException:
        place.give_back()  # not checked (busy, the database away): no attempt
        raise
    if not right:
        place.keep()
        raise ServerError("unauthorized", "wrong instructor password")
    place.give_back()
    token = new_token()
    await asyncio.to_thread(rt.store.add_session, new_session(rt, token, "instructor"))
    _issue(response, rt, token)
    _mark_browser(request, response, rt, request.app.state.known_browser_key)
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
        raise attempt.wrong("judge", "no competition has this judge code; check it with the instructor")
    life = SessionLife.of_hours(rt.settings.session_idle_hours, rt.settings.session_grace_hours)
    finished_at = rt.store.finished_at(live.id) if live.state == "finished" else None
    if finished_at is not None and wall_now() >= finished_at + life.grace:
        raise ServerError(
            "conflict",
            f"this competition finished more than {duration(life.grace)} ago and its judges' sessions "
            "have ended; the instructor has the results",
        )
    token = new_token()
    row = new_session(
        rt, token, "judge", competition_id=live.id, name=" ".join(body.name.split()) if body.name else None
    )
    rt.store.add_session(row)
    _issue(response, rt, token)
    return SessionOut(token=token, role="judge", competition_id=live.id, member=row.name)


@router.post("/join", response_model=SessionOut)
async def join(
    body: Join,
    response: Response,
    rt: Runtime = Depends(runtime),
    attempt: LoginAttempt = Depends(login_attempt),
) -> SessionOut:
    """On the event loop; the join waits for its batch's commit (server/live/joining.py)."""
    assert body.role in ROLES
    token = new_token()
    joined = await join_team(rt, body.code.strip().upper(), display_name(body.name), body.role, token)
    if joined is None:
        raise attempt.wrong("join", "no team has this join code; check it with the instructor")
    team, member = joined  # a name already in the team: that member, under their first spelling
    rt.get(team.competition_id).activity[team.name].members.add(member.name)
    _issue(response, rt, token)
    return SessionOut(
        token=token,
        role="member",
        competition_id=team.competition_id,
        team=team.name,
        member=member.name,
        team_role=member.role,
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
async def logout(request: Request, response: Response, rt: Runtime = Depends(runtime)) -> Response:
    token = token_of(request)
    if token:
        key = token_hash(token, rt.settings.secret or "")
        await asyncio.to_thread(rt.store.drop_session, key)
        rt.sessions_ended(token_hash=key)
    response.delete_cookie(COOKIE)
    response.status_code = 204
    return response
