"""Persistence: every read and write the server makes, on one SQLAlchemy engine.

Functions are synchronous (the live layer calls them in a worker thread) and each write
commits before it returns, so whatever the server acknowledges is on disk.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from sqlalchemy import Engine, bindparam, func
from sqlalchemy import select as core_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from market.events import Event, event_to_json
from server.persistence.db.tables import (
    BoardChangeRow,
    CommandRow,
    CompetitionRow,
    EventRow,
    MemberRow,
    ParameterChangeRow,
    PeerReviewRow,
    RoundSnapshotRow,
    RubricCriterionRow,
    RubricEntryRow,
    ScoringChangeRow,
    SecretRow,
    SessionRow,
    TeamRow,
)
from server.wall_clock import wall_now


class LoggedRow(NamedTuple):
    t: float
    source: str
    payload: str


class KeyedCommand(NamedTuple):
    """A command sent with an Idempotency-Key: what it was and the reply it got (None: not saved)."""

    member_id: int | None
    key: str
    seq: int
    payload: str
    reply: str | None


class Store:
    """The server's database."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # --- secrets ------------------------------------------------------------------------------

    def secret(self, name: str) -> str | None:
        with self.session() as s:
            row = s.get(SecretRow, name)
            return row.value if row else None

    def ensure_secret(self, name: str, value: str) -> str:
        """The secret ``name``, stored as ``value`` if there was none (workers starting at once agree)."""
        existing = self.secret(name)
        if existing is not None:
            return existing
        try:
            with self.session() as s:
                s.add(SecretRow(name=name, value=value))
                s.commit()
        except IntegrityError:  # another worker stored it first: theirs it is
            pass
        stored = self.secret(name)
        assert stored is not None
        return stored

    def set_secret(self, name: str, value: str) -> None:
        with self.session() as s:
            row = s.get(SecretRow, name) or SecretRow(name=name, value=value)
            row.value = value
            s.add(row)
            s.commit()

    # --- competitions and teams ------------------------------------------------------------------

    def add_competition(self, row: CompetitionRow) -> CompetitionRow:
        with self.session() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
            return row

    def competition(self, competition_id: int) -> CompetitionRow | None:
        with self.session() as s:
            return s.get(CompetitionRow, competition_id)

    def competitions(self, states: Sequence[str] | None = None) -> list[CompetitionRow]:
        with self.session() as s:
            query = select(CompetitionRow).order_by(col(CompetitionRow.id))
            if states is not None:
                query = query.where(col(CompetitionRow.state).in_(states))
            return list(s.exec(query))

    def save_clock(self, competition_id: int, state: str, sim_t: float, resumed_at: float | None) -> None:
        with self.session() as s:
            row = s.get(CompetitionRow, competition_id)
            if row is None:
                return
            row.state, row.sim_t, row.resumed_at = state, sim_t, resumed_at
            if state == "finished" and row.finished_at is None:
                row.finished_at = wall_now()  # its judges' and members' sessions end a grace period after
            s.add(row)
            s.commit()

    def add_teams(self, rows: Sequence[TeamRow]) -> list[TeamRow]:
        """All the teams or none (a duplicate name or code rolls the whole batch back)."""
        with self.session() as s:
            s.add_all(rows)
            s.commit()
            for row in rows:
                s.refresh(row)
            return list(rows)

    def teams(self, competition_id: int) -> list[TeamRow]:
        with self.session() as s:
            query = (
                select(TeamRow).where(TeamRow.competition_id == competition_id).order_by(col(TeamRow.name))
            )
            return list(s.exec(query))

    def team_by_code(self, code: str) -> TeamRow | None:
        with self.session() as s:
            return s.exec(select(TeamRow).where(TeamRow.join_code == code)).first()

    def team(self, team_id: int) -> TeamRow | None:
        with self.session() as s:
            return s.get(TeamRow, team_id)

    # --- members and sessions ----------------------------------------------------------------------

    def members(self, team_id: int) -> list[MemberRow]:
        """The team's present members (every sign-in is a row), in joining order; not the removed."""
        with self.session() as s:
            query = select(MemberRow).where(MemberRow.team_id == team_id, col(MemberRow.removed_at).is_(None))
            return list(s.exec(query.order_by(col(MemberRow.id))))

    def remove_members(self, member_ids: Sequence[int], at: float) -> None:
        """Mark members removed and end their sessions, in one transaction."""
        with self.session() as s:
            for row in s.exec(select(MemberRow).where(col(MemberRow.id).in_(member_ids))):
                row.removed_at = at
                s.add(row)
            for session in s.exec(select(SessionRow).where(col(SessionRow.member_id).in_(member_ids))):
                s.delete(session)
            s.commit()

    def sessions_of_members(self, member_ids: Sequence[int], used_since: float = 0.0) -> dict[int, int]:
        """How many sessions each of these members has open, used since ``used_since`` (not expired idle)."""
        last_use = func.coalesce(col(SessionRow.last_seen_at), col(SessionRow.created_at))
        condition = col(SessionRow.member_id).in_(member_ids) & (last_use >= used_since)
        return self._per_member(SessionRow, condition)

    def _per_member(self, table: Any, condition: Any) -> dict[int, int]:
        """Rows of ``table`` (sessions, commands) meeting ``condition``, counted per member."""
        member = col(table.member_id)
        with self.session() as s:
            query = select(member, func.count()).where(condition, member.is_not(None)).group_by(member)
            return {int(m): int(n) for m, n in s.exec(query)}

    def set_join_code(self, team_id: int, code: str) -> None:
        with self.session() as s:
            team = s.get(TeamRow, team_id)
            if team is not None:
                team.join_code = code
                s.add(team)
                s.commit()

    def add_member(self, member: MemberRow, session: SessionRow) -> MemberRow:
        with self.session() as s:
            s.add(member)
            s.flush()
            session.member_id = member.id
            s.add(session)
            s.commit()
            s.refresh(member)
            return member

    def member(self, member_id: int) -> MemberRow | None:
        with self.session() as s:
            return s.get(MemberRow, member_id)

    def add_session(self, session: SessionRow) -> None:
        with self.session() as s:
            s.add(session)
            s.commit()

    def session_row(self, token_hash: str) -> SessionRow | None:
        with self.session() as s:
            return s.get(SessionRow, token_hash)

    def touch_session(self, token_hash: str, at: float) -> None:
        """Store ``at`` as the session's last use."""
        with self.session() as s:
            row = s.get(SessionRow, token_hash)
            if row is not None:
                row.last_seen_at = at
                s.add(row)
                s.commit()

    def drop_sessions_unused_since(self, before: float) -> int:
        """Forget sessions last used before ``before`` (long expired); how many."""
        last_use = func.coalesce(col(SessionRow.last_seen_at), col(SessionRow.created_at))
        with self.session() as s:
            rows = list(s.exec(select(SessionRow).where(last_use < before)))
            for row in rows:
                s.delete(row)
            s.commit()
            return len(rows)

    def finished_at(self, competition_id: int) -> float | None:
        """When the competition finished (wall time), None while it has not.

        An archive imported finished has no such time: its import (``created_at``) stands for it.
        """
        with self.session() as s:
            row = s.get(CompetitionRow, competition_id)
            if row is None or row.state != "finished":
                return None
            return row.finished_at if row.finished_at is not None else row.created_at

    def drop_session(self, token_hash: str) -> None:
        with self.session() as s:
            row = s.get(SessionRow, token_hash)
            if row is not None:
                s.delete(row)
                s.commit()

    # --- the command and event logs -------------------------------------------------------------------

    def add_commands(self, rows: Sequence[CommandRow]) -> None:
        """Commit commands in one transaction (a batch of those that arrived together), all or none."""
        with self.session() as s:
            s.add_all(rows)
            s.commit()

    def commands(self, competition_id: int) -> list[CommandRow]:
        with self.session() as s:
            query = (
                select(CommandRow)
                .where(CommandRow.competition_id == competition_id)
                .order_by(col(CommandRow.seq))
            )
            return list(s.exec(query))

    def command_log(self, competition_id: int) -> list[LoggedRow]:
        """The command log as plain rows (t, source, payload), in order: what recovery replays."""
        with self.engine.connect() as connection:
            table = CommandRow.__table__  # type: ignore[attr-defined]
            query = (
                select(table.c.t, table.c.source, table.c.payload)
                .where(table.c.competition_id == competition_id)
                .order_by(table.c.seq)
            )
            return [LoggedRow(t, source, payload) for t, source, payload in connection.execute(query)]

    def command_senders(self, competition_id: int) -> list[int | None]:
        """Who sent each command (a member's id, None for a bot or the instructor), in log order."""
        with self.engine.connect() as connection:
            table = CommandRow.__table__  # type: ignore[attr-defined]
            query = (
                select(table.c.member_id)
                .where(table.c.competition_id == competition_id)
                .order_by(table.c.seq)
            )
            return [member_id for (member_id,) in connection.execute(query)]

    def keyed_commands(self, competition_id: int) -> list[KeyedCommand]:
        """The competition's commands that came with an Idempotency-Key, in order."""
        with self.engine.connect() as connection:
            table = CommandRow.__table__  # type: ignore[attr-defined]
            c = table.c
            query = (
                core_select(c.member_id, c.idempotency_key, c.seq, c.payload, c.reply)
                .where(table.c.competition_id == competition_id, table.c.idempotency_key.is_not(None))
                .order_by(table.c.seq)
            )
            return [KeyedCommand(*row) for row in connection.execute(query)]

    def save_reply(self, competition_id: int, seq: int, reply: str) -> None:
        """Keep the reply a keyed command got, so that a retry after a restart gets it again."""
        with self.session() as s:
            row = s.exec(
                select(CommandRow).where(CommandRow.competition_id == competition_id, CommandRow.seq == seq)
            ).one()
            row.reply = reply
            s.add(row)
            s.commit()

    def commands_by_member(self, competition_id: int) -> dict[int, int]:
        """How many commands each member has sent in the competition."""
        return self._per_member(CommandRow, CommandRow.competition_id == competition_id)

    def command_count(self, competition_id: int) -> int:
        with self.session() as s:
            query = (
                select(func.count())
                .select_from(CommandRow)
                .where(CommandRow.competition_id == competition_id)
            )
            return int(s.exec(query).one())

    def drop_commands_from(self, competition_id: int, seq: int) -> int:
        """Remove commands from ``seq`` on: a refused command whose commit may have gone through.

        A commit cut off by a lost connection can be stored although the server saw an error
        and refused the command; removing it keeps the log equal to what was acknowledged.
        """
        with self.session() as s:
            table = CommandRow.__table__  # type: ignore[attr-defined]
            removed = s.connection().execute(
                table.delete().where(table.c.competition_id == competition_id, table.c.seq >= seq)
            )
            s.commit()
            return int(removed.rowcount)

    def write_behind(
        self,
        competition_id: int,
        events: Sequence[Event],
        outcomes: Iterable[tuple[int, bool, str]],
        replace: bool = False,
    ) -> None:
        """Store new events and the outcomes of applied commands in one transaction.

        ``replace`` first removes stored events from the first new one on: after a failed
        write whose commit may have gone through, the same events are written again.
        """
        with self.session() as s:
            if replace and events:
                table = EventRow.__table__  # type: ignore[attr-defined]
                s.connection().execute(
                    table.delete().where(
                        table.c.competition_id == competition_id, table.c.seq >= events[0].seq
                    )
                )
            s.add_all(
                EventRow(
                    competition_id=competition_id,
                    seq=e.seq,
                    t=e.t,
                    kind=e.kind,
                    team=getattr(e, "team", None),
                    payload=event_to_json(e),
                )
                for e in events
            )
            decided = [{"s": seq, "a": accepted, "r": reason} for seq, accepted, reason in outcomes]
            if decided:  # one statement for all of them (a busy class decides hundreds between ticks)
                table = CommandRow.__table__  # type: ignore[attr-defined]
                s.connection().execute(
                    table.update()
                    .where(table.c.competition_id == competition_id, table.c.seq == bindparam("s"))
                    .values(accepted=bindparam("a"), reason=bindparam("r")),
                    decided,
                )
            s.commit()

    def event_payloads(self, competition_id: int, after: int = -1, limit: int | None = None) -> list[str]:
        with self.session() as s:
            query = (
                select(EventRow.payload)
                .where(EventRow.competition_id == competition_id, EventRow.seq > after)
                .order_by(col(EventRow.seq))
            )
            if limit is not None:
                query = query.limit(limit)
            return list(s.exec(query))

    def save_scoring(self, competition_id: int, scoring: str, at: float) -> None:
        """The competition's scoring settings, and a line in their change log, in one transaction."""
        with self.session() as s:
            row = s.get(CompetitionRow, competition_id)
            if row is None:
                return
            row.scoring = scoring
            s.add(row)
            s.add(ScoringChangeRow(competition_id=competition_id, scoring=scoring, at=at))
            s.commit()

    def scoring_changes(self, competition_id: int) -> list[ScoringChangeRow]:
        with self.session() as s:
            query = select(ScoringChangeRow).where(ScoringChangeRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(ScoringChangeRow.id))))

    def save_parameters(self, competition_id: int, parameters: str, change: ParameterChangeRow) -> None:
        """New starting parameters of a competition not yet started, and the line in their log."""
        with self.session() as s:
            row = s.get(CompetitionRow, competition_id)
            if row is None:
                return
            row.parameters = parameters
            s.add(row)
            s.add(change)
            s.commit()

    def add_parameter_change(self, row: ParameterChangeRow) -> None:
        with self.session() as s:
            s.add(row)
            s.commit()

    def parameter_changes(self, competition_id: int) -> list[ParameterChangeRow]:
        with self.session() as s:
            query = select(ParameterChangeRow).where(ParameterChangeRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(ParameterChangeRow.id))))

    def add_round_snapshot(self, competition_id: int, round_number: int, t: float, standings: Any) -> None:
        with self.session() as s:
            s.merge(
                RoundSnapshotRow(
                    competition_id=competition_id, round=round_number, t=t, standings=json.dumps(standings)
                )
            )
            s.commit()

    # --- the board: freeze, reveal, medals ---------------------------------------------------------

    def save_board(self, competition_id: int, change: BoardChangeRow | None, **columns: Any) -> None:
        """Set the competition's board columns (freeze, reveal, medals) and log why, in one transaction."""
        with self.session() as s:
            row = s.get(CompetitionRow, competition_id)
            if row is None:
                return
            for name, value in columns.items():
                setattr(row, name, value)
            s.add(row)
            if change is not None:
                s.add(change)
            s.commit()

    def board_changes(self, competition_id: int) -> list[BoardChangeRow]:
        with self.session() as s:
            query = select(BoardChangeRow).where(BoardChangeRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(BoardChangeRow.id))))

    # --- the rubric -------------------------------------------------------------------------------------

    def save_criterion(self, row: RubricCriterionRow) -> RubricCriterionRow:
        with self.session() as s:
            row = s.merge(row)
            s.commit()
            s.refresh(row)
            return row

    def delete_criterion(self, criterion_id: int) -> None:
        with self.session() as s:
            row = s.get(RubricCriterionRow, criterion_id)
            if row is not None:
                s.delete(row)
                s.commit()

    def criteria(self, competition_id: int) -> list[RubricCriterionRow]:
        with self.session() as s:
            query = select(RubricCriterionRow).where(RubricCriterionRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(RubricCriterionRow.id))))

    def add_rubric_entry(self, row: RubricEntryRow) -> RubricEntryRow:
        with self.session() as s:
            s.add(row)
            s.commit()
            s.refresh(row)
            return row

    def rubric_entries(self, competition_id: int) -> list[RubricEntryRow]:
        with self.session() as s:
            query = select(RubricEntryRow).where(RubricEntryRow.competition_id == competition_id)
            return list(s.exec(query.order_by(col(RubricEntryRow.id))))

    # --- a whole competition's members (grade sheets, archives) ------------------------------------------

    def competition_members(self, competition_id: int) -> list[tuple[TeamRow, MemberRow]]:
        """Every member of the competition with its team, by team name then joining order."""
        with self.session() as s:
            query = (
                select(TeamRow, MemberRow)
                .where(TeamRow.competition_id == competition_id, MemberRow.team_id == TeamRow.id)
                .order_by(col(TeamRow.name), col(MemberRow.id))
            )
            return [(team, member) for team, member in s.exec(query)]

    # --- peer reviews -----------------------------------------------------------------------------

    def save_peer_reviews(self, competition_id: int, reviewer_id: int, rows: Sequence[PeerReviewRow]) -> None:
        """Replace the reviewer's ratings by ``rows``, in one transaction."""
        with self.session() as s:
            for old in s.exec(select(PeerReviewRow).where(PeerReviewRow.reviewer_id == reviewer_id)):
                s.delete(old)
            s.flush()
            for row in rows:
                s.add(row)
            s.commit()

    def peer_reviews(self, competition_id: int) -> list[PeerReviewRow]:
        """Every rating given in the competition, oldest first."""
        with self.session() as s:
            query = (
                select(PeerReviewRow)
                .where(PeerReviewRow.competition_id == competition_id)
                .order_by(col(PeerReviewRow.id))
            )
            return list(s.exec(query))

    # --- importing an archive ------------------------------------------------------------------------

    def import_competition(
        self,
        competition: CompetitionRow,
        teams: Sequence[TeamRow],
        members: Sequence[tuple[str, MemberRow]],
        commands: Sequence[tuple[CommandRow, int | None]],
        events: Sequence[Event],
        criteria: Sequence[RubricCriterionRow],
        entries: Sequence[tuple[RubricEntryRow, int]],
    ) -> CompetitionRow:
        """Write a whole competition in one transaction: all of it or, on any error, nothing.

        Members come with their team's name, commands with the index of their member, rubric
        entries with the index of their criterion; the new ids are filled in here.
        """
        with self.session() as s:
            s.add(competition)
            s.flush()
            cid = competition.id
            assert cid is not None
            team_ids: dict[str, int] = {}
            for team in teams:
                team.competition_id = cid
                s.add(team)
                s.flush()
                assert team.id is not None
                team_ids[team.name] = team.id
            member_ids: list[int | None] = []
            for team_name, member in members:
                member.team_id = team_ids[team_name]
                s.add(member)
                s.flush()
                member_ids.append(member.id)
            for command, member_index in commands:
                command.competition_id = cid
                command.member_id = None if member_index is None else member_ids[member_index]
                s.add(command)
            s.add_all(
                EventRow(
                    competition_id=cid,
                    seq=e.seq,
                    t=e.t,
                    kind=e.kind,
                    team=getattr(e, "team", None),
                    payload=event_to_json(e),
                )
                for e in events
            )
            criterion_ids: list[int | None] = []
            for criterion in criteria:
                criterion.competition_id = cid
                s.add(criterion)
                s.flush()
                criterion_ids.append(criterion.id)
            for entry, criterion_index in entries:
                entry.competition_id = cid
                criterion_id = criterion_ids[criterion_index]
                assert criterion_id is not None
                entry.criterion_id = criterion_id
                s.add(entry)
            s.commit()
            s.refresh(competition)
            return competition
