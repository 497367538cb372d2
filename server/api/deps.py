"""Request dependencies: who is asking (from the cookie or bearer token) and what they may do.

The checks that need no database are ``async``: FastAPI runs a plain ``def`` dependency in a
worker thread, and on a busy server each such hop waits for the interpreter's lock.
"""

from __future__ import annotations

from fastapi import Depends, Request
from starlette.requests import HTTPConnection

from server.auth import COOKIE, Identity, token_hash
from server.errors import ServerError
from server.rate_limit import LoginGuard
from server.runtime import Runtime
from server.settings import Settings
from server.store import Store


async def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


class LoginAttempt:
    """A login from one client address: refused up front after too many failures, counted if it fails."""

    def __init__(self, guard: LoginGuard, address: str) -> None:
        self.guard, self.address = guard, address
        guard.check(address)

    def refuse(self, reason: str) -> ServerError:
        """Count the failure; the 401 to raise."""
        self.guard.failed(self.address)
        return ServerError("unauthorized", reason)


def login_attempt(request: Request) -> LoginAttempt:
    guard: LoginGuard = request.app.state.login_guard
    return LoginAttempt(guard, request.client.host if request.client else "unknown")


def token_of(connection: HTTPConnection) -> str | None:
    """The session token of a request or a websocket: bearer header, cookie or ``?token=``."""
    header = connection.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return connection.cookies.get(COOKIE) or connection.query_params.get("token")


def resolve(token: str | None, store: Store, settings: Settings) -> Identity | None:
    """The identity behind a token, or None."""
    if not token:
        return None
    row = store.session_row(token_hash(token, settings.secret or ""))
    if row is None:
        return None
    if row.role != "member" or row.member_id is None:
        return Identity(row.role, row.competition_id, member=row.name)
    member = store.member(row.member_id)
    team = store.team(member.team_id) if member else None
    if member is None or team is None:
        return None
    return Identity("member", team.competition_id, member.id, team.id, team.name, member.name, member.role)


def identity(request: Request, rt: Runtime = Depends(runtime)) -> Identity:
    who = resolve(token_of(request), rt.store, rt.settings)
    if who is None:
        raise ServerError("unauthorized", "log in first: instructor password, judge code or team join code")
    return who


async def instructor(who: Identity = Depends(identity)) -> Identity:
    if who.role != "instructor":
        raise ServerError("forbidden", "only the instructor may do this")
    return who


async def member(who: Identity = Depends(identity)) -> Identity:
    if who.role != "member":
        raise ServerError("forbidden", "only a team member may do this; join a team with its code")
    return who


def watches(competition_id: int, who: Identity | None) -> bool:
    """Judges watch their own competition live; the instructor watches every competition."""
    if who is None:
        return False
    return who.role == "instructor" or (who.role == "judge" and who.competition_id == competition_id)


def judge_of(competition_id: int, who: Identity) -> None:
    if not watches(competition_id, who):
        raise ServerError("forbidden", "only this competition's judges and the instructor may see this")


async def watcher(competition_id: int, who: Identity = Depends(identity)) -> Identity:
    """This competition's judges and the instructor (checked before the request body is read)."""
    judge_of(competition_id, who)
    return who
