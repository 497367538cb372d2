"""Routing: which competition an API request is about, so that its owner serves it.

- ``/api/v1/competitions/{id}`` and everything under it (the instructor's, judges' and public
  routes of one competition): the id in the path;
- a team's and a judge's own routes (``/api/v1/team…``, ``/api/v1/session``, logout): the
  competition of the session behind the token (remembered per token: a session never changes
  competition; the first time a database read);
- ``/api/v1/session/join`` and ``/api/v1/session/judge``: the competition of the code in the body
  (a database read).

Everything else names no competition (the instructor's list, creating and importing, the
instructor's login, previews, presets): None, served by the front worker
(``server.workers.leadership``). So is a wrong code or a token of no session: the front worker
alone counts failed logins, as one process would.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections import OrderedDict

from server.live.runtime import Runtime
from server.live.session_records import read_session
from server.security.auth import token_hash

COMPETITION_PATH = re.compile(r"^/api/v1/competitions/(\d+)(?:/|$)")
SESSION_PATHS = ("/api/v1/team", "/api/v1/session")
JOIN, JUDGE = "/api/v1/session/join", "/api/v1/session/judge"
CODE_PATHS = (JOIN, JUDGE)
REMEMBERED_TOKENS = 50_000


class CompetitionFinder:
    def __init__(self, rt: Runtime) -> None:
        self.rt = rt
        self.of_token: OrderedDict[str, int | None] = OrderedDict()

    async def competition_of(self, path: str, token: str | None, body: bytes | None) -> int | None:
        """The competition the request is about, or None when it names none."""
        match = COMPETITION_PATH.match(path)
        if match:
            return int(match.group(1))
        if path in CODE_PATHS:
            return await self._by_code(path, body)
        if path.startswith(SESSION_PATHS) and token:
            return await self._by_token(token)
        return None

    async def _by_code(self, path: str, body: bytes | None) -> int | None:
        try:
            code = json.loads(body or b"").get("code")
        except (ValueError, AttributeError):
            return None  # the front worker answers the 422
        if not isinstance(code, str):
            return None
        code = code.strip().upper()
        store = self.rt.store
        if path == JUDGE:
            return await asyncio.to_thread(store.competition_id_by_judge_code, code)
        team = await asyncio.to_thread(store.team_by_code, code)
        return team.competition_id if team is not None else None

    async def _by_token(self, token: str) -> int | None:
        key = token_hash(token, self.rt.settings.secret or "")
        if key in self.of_token:
            self.of_token.move_to_end(key)
            return self.of_token[key]
        known = self.rt.sessions.get(key)
        if known is not None:
            competition_id = known.identity.competition_id
        else:
            found = await asyncio.to_thread(read_session, key, self.rt)
            if found is None:
                return None  # not (or no longer) a session: the front worker refuses it
            competition_id = found[1].competition_id
        self.of_token[key] = competition_id
        if len(self.of_token) > REMEMBERED_TOKENS:
            self.of_token.popitem(last=False)
        return competition_id
