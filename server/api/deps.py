"""Request dependencies: who is asking (from the cookie or bearer token) and what they may do.

The checks are ``async``: FastAPI runs a plain ``def`` dependency in a worker thread, and on a
busy server each such hop waits for the interpreter's lock. Who asks comes from the session
cache (``server.security.session_cache``); only a session not seen for a while is read in a thread.
"""

from __future__ import annotations

import asyncio

from fastapi import Depends, Request, WebSocket

from server.errors import ServerError
from server.live.runtime import Runtime
from server.live.session_records import check_ending, is_stale, read_session
from server.security.auth import COOKIE, Identity, token_hash
from server.security.client_address import address_of
from server.security.known_browser import COOKIE as KNOWN_BROWSER
from server.security.known_browser import browser_of
from server.security.login_throttle import Client, LoginThrottle, Place
from server.wall_clock import wall_now


async def runtime(request: Request) -> Runtime:
    rt: Runtime = request.app.state.runtime
    return rt


class LoginAttempt:
    """A login from one client: a place in the failed-login windows, taken before or after the check.

    The instructor's password takes its place before it is checked (``take``), from the
    address or from a browser the instructor logged in on before. A code is looked up first
    and only a wrong one takes a place (``wrong``): see docs/security.md, section 4.
    """

    def __init__(self, throttle: LoginThrottle, address: str, known_browser: str | None = None) -> None:
        self.throttle, self.address, self.known_browser = throttle, address, known_browser

    def client(self, target: str) -> Client:
        if target == "instructor" and self.known_browser is not None:
            return Client.known_browser(self.known_browser)
        return Client.at(self.address)

    def take(self, target: str) -> Place:
        """A place for an attempt about to be checked; a 429 when the windows are full."""
        return self.throttle.take(self.client(target), target)

    def wrong(self, target: str, reason: str) -> ServerError:
        """Count a wrong code: the 401 to raise with ``reason``, or a 429 raised when the windows are full."""
        self.take(target).keep()
        return ServerError("unauthorized", reason)


async def login_attempt(request: Request) -> LoginAttempt:
    state = request.app.state
    throttle: LoginThrottle = state.login_throttle
    key: str | None = getattr(state, "known_browser_key", None)
    browser = browser_of(key, request.cookies.get(KNOWN_BROWSER)) if key else None
    return LoginAttempt(throttle, address_of(request), browser)


def token_of(request: Request) -> str | None:
    """The session token of a REST request: the bearer header or the cookie (never the URL)."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return request.cookies.get(COOKIE) or None


def websocket_token(ws: WebSocket) -> str | None:
    """The session token of a websocket: the bearer header, the cookie or ``?token=``.

    Only websockets read the URL: a browser cannot set headers on one, and a program may not
    have the cookie. REST requests carry the token in a header or the cookie, so that it does
    not end up in access logs and browser histories.
    """
    header = ws.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        return header[7:].strip() or None
    return ws.cookies.get(COOKIE) or ws.query_params.get("token") or None


async def resolve(token: str | None, rt: Runtime) -> Identity | None:
    """The identity behind a token, or None; an expired session raises a 401 ``session_expired``.

    A session used in the last seconds comes from memory (``server.security.session_cache``): no
    database read, no hop to a worker thread; one getting old is read again in the background
    (``server.live.session_renewal``). Its expiry is checked all the same.
    """
    if not token:
        return None
    key = token_hash(token, rt.settings.secret or "")
    known = rt.sessions.get(key)
    if known is None:
        found = await asyncio.to_thread(read_session, key, rt)
        if found is None:
            return None
        rt.sessions.put(*found)
        row, who = found
    else:
        row, who = known.row, known.identity
        rt.session_renewal.ask(key, known)  # getting old: read again in the background, not here
    now = wall_now()
    live = rt.live.get(row.competition_id) if row.competition_id is not None else None
    if row.competition_id is None or (live is not None and live.state != "finished"):
        check_ending(row, rt, now)
    else:  # when did its competition finish: a database read
        await asyncio.to_thread(check_ending, row, rt, now)
    if is_stale(row, rt, now):
        await asyncio.to_thread(rt.store.touch_session, key, now)
        rt.sessions.touched(key, now)
        row.last_seen_at = now
    return who


async def identity(request: Request, rt: Runtime = Depends(runtime)) -> Identity:
    who = await resolve(token_of(request), rt)
    if who is None:
        if "token" in request.query_params and token_of(request) is None:
            raise ServerError(
                "unauthorized",
                "a token in the URL (?token=) is taken only by websockets; send it as "
                "'Authorization: Bearer <token>' or log in for the cookie",
            )
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
