"""Sessions as the store keeps them: a new session, a member joining a team with one, and who is
behind a stored session, with whether it has ended or needs its last use written."""

from __future__ import annotations

from server.errors import ServerError
from server.live.refusals import moved, stale_refusal
from server.live.runtime import Runtime
from server.live.session_renewal import read_sessions
from server.persistence.db.tables import EXCLUSIVE_ROLES, MemberRow, SessionRow, TeamRow
from server.persistence.store.fencing import StaleOwner
from server.persistence.store.teams import JoinRequest
from server.security.auth import Identity, token_hash
from server.security.session_life import SessionLife
from server.wall_clock import wall_now


def new_session(
    rt: Runtime, token: str, role: str, competition_id: int | None = None, name: str | None = None
) -> SessionRow:
    """A session for this token (stored by its hash), used now."""
    now = wall_now()
    return SessionRow(
        token_hash=token_hash(token, rt.settings.secret or ""),
        role=role,
        competition_id=competition_id,
        name=name,
        created_at=now,
        last_seen_at=now,
    )


async def join_team(
    rt: Runtime, code: str, name: str, role: str, token: str
) -> tuple[TeamRow, MemberRow] | None:
    """A member joins the team with join ``code`` under ``name`` in ``role``, with a session for
    ``token``: committed with the joins arriving meanwhile (server.live.joining), and the session
    cache primed so the member's first request reads nothing. A name already in the team (as
    server.input.names compares names) is that member signing in again: the same member, a new
    session, the role asked; their earlier sessions stay valid (a projector and a laptop), and
    if the role changed they are forgotten by every worker's cache, so the next request reads
    the new role. None if no team has the code; a 409 if the competition has finished or
    another name holds the exclusive role."""
    session = new_session(rt, token, "member")
    joined_at = session.created_at
    joining = await rt.joins.join(JoinRequest(code, name, role, joined_at, session, role in EXCLUSIVE_ROLES))
    team = joining.team
    if team is None:
        return None
    if isinstance(joining.refused, StaleOwner):  # another worker runs it now: this one stops
        live = rt.live.get(team.competition_id)
        raise moved() if live is None else stale_refusal(live.writer, joining.refused)
    if joining.refused is not None:
        raise joining.refused
    if joining.member is None:
        raise ServerError(
            "conflict",
            f"{joining.holder} is already the {role} of {team.name}; choose another role",
            rule="role_taken",
            values={"name": joining.holder, "role": role, "team": team.name},
        )
    joined = joining.member
    if joining.role_before is not None:  # their other sessions stay, read again in the new role
        rt.sessions_ended(member_ids=[joined.id or 0])
    who = Identity("member", team.competition_id, joined.id, team.id, team.name, joined.name, joined.role)
    rt.sessions.put(session, who)
    return team, joined


def _finished_at(rt: Runtime, competition_id: int) -> float | None:
    live = rt.live.get(competition_id)
    if live is not None and live.state != "finished":
        return None  # running here: no need to ask the database
    return rt.store.finished_at(competition_id)


def read_session(key: str, rt: Runtime) -> tuple[SessionRow, Identity] | None:
    """The session row with this token hash and who it stands for, from the database; None if gone."""
    return read_sessions(rt.store, [key])[key]


def check_ending(row: SessionRow, rt: Runtime, now: float) -> None:
    """Raise the 401 ``session_expired`` if the session has ended (idle, or after its competition)."""
    settings = rt.settings
    life = SessionLife.of_hours(settings.session_idle_hours, settings.session_grace_hours)
    finished_at = _finished_at(rt, row.competition_id) if row.competition_id is not None else None
    ending = life.ended(row, finished_at, now)
    if ending is not None:
        raise ServerError("session_expired", ending.reason, why=ending.why)


def is_stale(row: SessionRow, rt: Runtime, now: float) -> bool:
    """Whether the session's last use is old enough to be written again."""
    settings = rt.settings
    return SessionLife.of_hours(settings.session_idle_hours, settings.session_grace_hours).stale(row, now)
