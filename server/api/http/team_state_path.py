"""The console's state refresh answered as plain ASGI, before FastAPI's routing and dependencies.

``GET /api/v1/team/state`` is nearly every request of a class: every console refreshes on its
team's events and every 5 s, and all of them at once when the competition's state changes (a
round starts or ends): 240 requests in the same millisecond for 60 teams. Through FastAPI
each one cost the event loop about 0.33 ms, most of it matching the path against the app's
routes and solving the route's dependencies, for an answer that is already built
(``server.live.team_states``); the last refresh of such a burst waited 150 ms
(docs/performance.md, "Frames built once, and the refresh before the routing").

This middleware answers that request itself when everything is in order — a member's live
session that the session cache holds (so the answer needs no database read, and a token it
does not know is read once, by the app), the member's competition running on this worker
and started — with the very answer the route gives (status, headers and bytes;
``tests/server/test_team_state_path.py`` compares them). Anything else — no session, an
expired one, another role, a competition another worker runs or one not started yet — goes
on to the app unchanged, whose route gives the usual refusal, so every refusal keeps one
source. It sits inside the forwarding to the owning worker and the security headers, so those
apply as before.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from server.api.deps import resolve, token_of
from server.errors import ServerError
from server.live.runtime import Runtime
from server.security.auth import token_hash

PATH = "/api/v1/team/state"


class TeamStatePath:
    """Answer a member's ``GET /api/v1/team/state`` directly; pass every other request on."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] != PATH or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        body = await self._answer(scope)
        if body is None:
            await self.app(scope, receive, send)
            return
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"content-length", str(len(body)).encode()),
                    (b"content-type", b"application/json"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope) -> bytes | None:
        """The state's bytes, or None when the app must answer (a refusal, or not this worker's)."""
        rt: Runtime | None = getattr(scope["app"].state, "runtime", None)
        if rt is None:
            return None
        token = token_of(Request(scope))
        if token is None or rt.sessions.get(token_hash(token, rt.settings.secret or "")) is None:
            return None  # unknown here: the app reads the session (once) and remembers it
        try:
            who = await resolve(token, rt)
            if who is None or who.role != "member" or who.competition_id is None:
                return None
            live = rt.live.get(who.competition_id)
            if live is None:
                return None
            return live.team_state_json(who.team or "", who.team_role or "").encode()
        except ServerError:
            return None
