"""Which requests the server applies once per Idempotency-Key: one rule for the routes, the
middleware that keeps the keys and forwarding, which tells a client when resending is safe.

- The desk's commands: every command under ``TEAM_PREFIX`` (the team router's prefix) but the
  peer review (``PEER_REVIEW``, a PUT that sets the ratings: it reads no key and needs none).
  The live competition keeps the key on the command's row (server.live.idempotency), per member.
- The instructor's and the judges' commands: every command under ``COMPETITIONS_PREFIX``
  (creating and importing competitions, their rounds, teams and members, the market, the board,
  the scoring, the rubric, the lobby) and ``PREVIEWS_PREFIX``. The ``KeyedCommands`` middleware
  (server.api.http.keyed_commands) keeps the key and the reply, per instructor or judge session
  (server.live.keyed_replies).

A command is a POST, PUT, PATCH or DELETE. The logins and the logout (``/api/v1/session``)
honour no key. tests/server/test_keyed_commands.py checks that every command route of the app
is one or the other, or a session's.
"""

from __future__ import annotations

from server.api.http.endpoints import TEAM_PREFIX

PEER_REVIEW = TEAM_PREFIX + "/peer-review"
COMPETITIONS_PREFIX = "/api/v1/competitions"
PREVIEWS_PREFIX = "/api/v1/previews"
SESSION_PREFIX = "/api/v1/session"
COMMAND_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
"""The methods that change something (the pages put a key on every one of them)."""


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def desk_command(method: str, path: str) -> bool:
    """A team member's command: the live competition applies its key once (server.live.idempotency)."""
    return method.upper() in COMMAND_METHODS and _under(path, TEAM_PREFIX) and path != PEER_REVIEW


def room_command(method: str, path: str) -> bool:
    """An instructor's or judge's command: the ``KeyedCommands`` middleware applies its key once."""
    return method.upper() in COMMAND_METHODS and (
        _under(path, COMPETITIONS_PREFIX) or _under(path, PREVIEWS_PREFIX)
    )


def honours_key(method: str, path: str) -> bool:
    """Whether the server answers a repeated Idempotency-Key of this request with the first reply."""
    return desk_command(method, path) or room_command(method, path)
