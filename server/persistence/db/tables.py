"""The database tables (SQLModel): competitions, teams, members, sessions, commands, events.

The command log is the source of truth of a live competition (replayed on recovery); the
event log is stored too, to check a replay against and to serve history without replaying.
"""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class CompetitionRow(SQLModel, table=True):
    __tablename__ = "competitions"

    id: int | None = Field(default=None, primary_key=True)
    name: str
    preset: str
    parameters: str  # JSON of the market parameters at creation
    seed: int = Field(sa_column=Column(BigInteger, nullable=False))
    rounds: int
    seconds_per_hour: float  # pacing: real seconds per simulated business hour
    state: str = Field(default="draft", index=True)  # draft | running | paused | finished
    sim_t: float = 0.0  # simulated time when the clock last stopped or started
    resumed_at: float | None = None  # wall time the clock last started (None while stopped)
    judge_code: str
    created_at: float
    scoring: str | None = None  # JSON {weights, normalisation}; None: the defaults
    freeze_t: float | None = None  # public and team boards show standings as of this simulated time
    freeze_seq: int | None = None  # once the clock reached freeze_t: the events (seq < this) they show
    freeze_rubric: int | None = None  # ... and the rubric entries (id ≤ this) they count
    reveal: str | None = None  # JSON of the last reveal ceremony (frozen rows, steps, final rows)
    medals: str | None = None  # JSON {gold, silver, bronze}; None: one of each
    finished_at: float | None = None  # wall time it finished: its judges' and members' sessions end after
    starts_at: float | None = None  # wall time the instructor means to start (the lobby's clock)
    # the fencing token of its owner with several workers: raised by each worker taking it over, and
    # checked by every write of its logs (server.persistence.store.fencing)
    owner_epoch: int = Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))


class ScoringChangeRow(SQLModel, table=True):
    """The instructor changed the weights or the normalisation: every standing is recomputed."""

    __tablename__ = "scoring_changes"

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competitions.id", index=True)
    scoring: str  # JSON {weights, normalisation}
    at: float


class ParameterChangeRow(SQLModel, table=True):
    __tablename__ = "parameter_changes"

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competitions.id", index=True)
    effective_t: float
    changes: str  # JSON list of [key, value]
    at: float


class TeamRow(SQLModel, table=True):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("competition_id", "name"),)

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competitions.id", index=True)
    name: str
    join_code: str = Field(unique=True, index=True)
    bot: str | None = None


EXCLUSIVE_ROLES = frozenset({"manager"})
"""Roles one name at most holds in a team: the member holding one carries ``role_claim``."""


class MemberRow(SQLModel, table=True):
    """A member of a team: one person, however often they sign in (each sign-in is a session).
    ``name_key`` is their name as names are compared (server.input.names): the unique index on
    (team, key) keeps one present member per name, whatever joins at the same instant; removal
    clears it, so a removed name that joins again is a new member. Rows from before migration
    0013 may repeat a name: the earliest present one carries the key, the others keep NULL
    (NULLs never collide). ``role_claim`` is set on the member that holds an exclusive role
    (manager) of its team: the unique index on (team, claim) lets one name hold it; giving the
    role up or removal clears it."""

    __tablename__ = "members"
    __table_args__ = (
        Index("ux_members_role_claim", "team_id", "role_claim", unique=True),
        Index("ux_members_name_key", "team_id", "name_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    team_id: int = Field(foreign_key="teams.id", index=True)
    name: str
    role: str
    joined_at: float
    removed_at: float | None = None  # the instructor removed the member: its sessions are gone
    role_claim: str | None = None  # the exclusive role this member holds for its team, if any
    name_key: str | None = None  # server.input.names.name_key(name) while present; see above


class SessionRow(SQLModel, table=True):
    """A login: the hash of its token, who it is, and for what."""

    __tablename__ = "sessions"

    token_hash: str = Field(primary_key=True)
    role: str  # instructor | judge | member
    competition_id: int | None = None
    member_id: int | None = None
    created_at: float
    name: str | None = None  # a judge's name: rubric scores are kept per judge
    last_seen_at: float | None = None  # last use, stored at most every 1/24 of the idle limit


class SecretRow(SQLModel, table=True):
    __tablename__ = "secrets"

    name: str = Field(primary_key=True)
    value: str


class CommandRow(SQLModel, table=True):
    __tablename__ = "commands"
    __table_args__ = (
        UniqueConstraint("competition_id", "seq"),
        # a member's Idempotency-Key names one command (keys are optional: NULLs never collide)
        UniqueConstraint("competition_id", "member_id", "idempotency_key", name="uq_commands_idempotency"),
    )

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competitions.id", index=True)
    seq: int
    t: float
    source: str
    member_id: int | None = None
    payload: str  # JSON of the command
    accepted: bool | None = None  # None until applied (the replay recomputes it anyway)
    reason: str = ""
    created_at: float
    idempotency_key: str | None = None  # the member's Idempotency-Key header, if it sent one
    reply: str | None = None  # JSON of the outcome a keyed command got, to answer its retries


class EventRow(SQLModel, table=True):
    __tablename__ = "events"

    competition_id: int = Field(foreign_key="competitions.id", primary_key=True)
    seq: int = Field(primary_key=True)
    t: float
    kind: str
    team: str | None = None
    payload: str  # canonical JSON of the event


class RoundSnapshotRow(SQLModel, table=True):
    __tablename__ = "round_snapshots"

    competition_id: int = Field(foreign_key="competitions.id", primary_key=True)
    round: int = Field(primary_key=True)
    t: float
    standings: str  # JSON


class BoardChangeRow(SQLModel, table=True):
    """The instructor froze, unfroze or revealed the board, or set the medal counts."""

    __tablename__ = "board_changes"

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competitions.id", index=True)
    action: str  # freeze | unfreeze | reveal | medals
    detail: str  # JSON
    by: str
    at: float


class RubricCriterionRow(SQLModel, table=True):
    __tablename__ = "rubric_criteria"

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competitions.id", index=True)
    name_en: str
    name_zh: str
    max_points: float
    per_round: bool
    created_at: float


class RubricEntryRow(SQLModel, table=True):
    """One line of the append-only rubric log: a judge's points (None: withdrawn), who wrote it, when."""

    __tablename__ = "rubric_entries"

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competitions.id", index=True)
    criterion_id: int = Field(foreign_key="rubric_criteria.id")
    team: str
    judge: str
    round: int | None = None
    points: float | None = None
    note: str = ""
    t_sim: float
    at: float
    by: str


class PeerReviewRow(SQLModel, table=True):
    """A member's rating (1–5) of a teammate's contribution, given at the end; the instructor's to read."""

    __tablename__ = "peer_reviews"
    __table_args__ = (UniqueConstraint("reviewer_id", "reviewee_id"),)

    id: int | None = Field(default=None, primary_key=True)
    competition_id: int = Field(foreign_key="competitions.id", index=True)
    reviewer_id: int = Field(foreign_key="members.id")
    reviewee_id: int = Field(foreign_key="members.id")
    rating: int
    comment: str = ""
    at: float


class KeyedReplyRow(SQLModel, table=True):
    """An instructor's or judge's command sent with an Idempotency-Key, and the reply it got.

    A team member's keys live on its command rows (``CommandRow.idempotency_key``); these are
    the keys of the routes outside the desk (server.live.keyed_replies), one per actor and key.
    """

    __tablename__ = "keyed_replies"

    actor: str = Field(primary_key=True)  # "instructor", or "judge:" and the hash of the judge's token
    idempotency_key: str = Field(primary_key=True)
    request: str  # "POST /api/v1/competitions/3/next-round": what the key was used for
    digest: str  # SHA-256 of the method, path, query and body: a retry must send the same
    status: int | None = None  # None while it is applied (or if the server stopped meanwhile)
    content_type: str | None = None
    body: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    created_at: float
