"""What each part of an archive must hold: types, ranges and references, checked before any replay.

The records an import writes must be rows the server can run: a name of the right length and
without control characters (the API's rule, server.input.text_rules), a role that exists, a time
that is a finite number, a member index that points at a member. The limits are the API's
own (a competition's name 1–80 characters, a team's name as ``is_team_name`` says, at most
``MAX_TEAMS`` teams, 1–100 rounds, a rubric note up to 500 characters), so an archive holds
nothing the server could not have made itself. A refusal names the file, the line for a
JSON-lines file, and the field (``members.json: [3].joined_at: …``).
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError, field_validator

from server.input.competition_sizes import MAX_TEAMS
from server.input.text_rules import Name as TextName
from server.persistence.archive.contents import FORMAT, VERSION, ArchiveError
from simulator.competition import is_team_name
from teams.bots import check_bot_name
from teams.errors import TeamError
from teams.rules import ROLES

MAX_MEMBERS = 5_000
MAX_CRITERIA = 100
MAX_RUBRIC_ENTRIES = 50_000

Time = Annotated[float, Field(ge=0, allow_inf_nan=False)]
Name = Annotated[TextName, Field(min_length=1, max_length=40)]
"""A person's or a team's name: the API's rule, no control characters (server.input.text_rules)."""
LongName = Annotated[TextName, Field(min_length=1, max_length=80)]


class Record(BaseModel):
    """Strict types (no "1" for 1, no true for 1), unknown fields ignored (a newer export may add some)."""

    model_config = ConfigDict(strict=True, extra="ignore", allow_inf_nan=False, frozen=True)


class Manifest(Record):
    format: Literal["salesfloor-archive"]
    version: int
    name: LongName
    preset: str = Field(min_length=1, max_length=80)
    seed: int = Field(ge=0, le=2**62)
    rounds: int = Field(ge=1, le=100)
    seconds_per_hour: float = Field(gt=0, le=3600, allow_inf_nan=False)
    state: Literal["running", "paused", "finished"]
    t_sim: Time
    digest: str = Field(pattern=r"^[0-9a-f]{64}$")
    scoring: dict[str, Any] | None = None


class Team(Record):
    name: TextName
    bot: str | None = None

    @field_validator("name")
    @classmethod
    def _team_name(cls, name: str) -> str:
        if not is_team_name(name):
            raise ValueError("a team name has 1-40 letters (any language), digits, spaces, _ or -")
        return name

    @field_validator("bot")
    @classmethod
    def _known_bot(cls, bot: str | None) -> str | None:
        if bot is not None:
            try:
                check_bot_name(bot)
            except TeamError as exc:
                raise ValueError(str(exc)) from None
        return bot


class Member(Record):
    team: str
    name: Name
    role: str
    joined_at: Time
    removed_at: Time | None = None

    @field_validator("role")
    @classmethod
    def _known_role(cls, role: str) -> str:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}; the roles are {', '.join(ROLES)}")
        return role


class Command(Record):
    """One line of commands.jsonl (its ``seq`` is ignored: an import numbers the log afresh)."""

    t: Time
    source: str = Field(min_length=1, max_length=80)
    member: int | None = Field(None, ge=0)
    accepted: bool
    reason: str = Field("", max_length=2000)
    command: dict[str, Any]


class Criterion(Record):
    name_en: LongName
    name_zh: LongName
    max_points: float = Field(gt=0, le=1000, allow_inf_nan=False)
    per_round: bool


class RubricEntry(Record):
    criterion: int = Field(ge=0)
    team: Name
    judge: Name
    round: int | None = Field(None, ge=1, le=100)
    points: float | None = Field(None, ge=0, le=1000, allow_inf_nan=False)
    note: str = Field("", max_length=500)
    t_sim: Time
    at: Time
    by: LongName

    @field_validator("at", mode="before")
    @classmethod
    def _seconds(cls, at: Any) -> Any:
        """When it was written: seconds since 1970, or an ISO date and time (older exports)."""
        if not isinstance(at, str):
            return at
        try:
            return datetime.fromisoformat(at).timestamp()
        except ValueError:
            raise ValueError(f"{at!r} is not a date and time (e.g. 2026-03-01T09:30:00)") from None


class Rubric(Record):
    criteria: list[Criterion] = Field(default_factory=list, max_length=MAX_CRITERIA)
    entries: list[RubricEntry] = Field(default_factory=list, max_length=MAX_RUBRIC_ENTRIES)


class Reveal(BaseModel):
    """The last reveal ceremony as the board showed it (its rows are the standings' own)."""

    model_config = ConfigDict(strict=True, extra="allow", allow_inf_nan=False, frozen=True)

    freeze_t: Time | None = None
    t_sim: Time
    frozen: list[dict[str, Any]] = Field(max_length=MAX_TEAMS)
    steps: list[dict[str, Any]] = Field(max_length=MAX_TEAMS)
    final: list[dict[str, Any]] = Field(max_length=MAX_TEAMS)


class Board(Record):
    freeze_t: Time | None = None
    reveal: Reveal | None = None
    medals: dict[str, Any] | None = None


T = TypeVar("T")
MANIFEST = TypeAdapter(Manifest)
TEAMS = TypeAdapter(Annotated[list[Team], Field(min_length=1, max_length=MAX_TEAMS)])
MEMBERS = TypeAdapter(Annotated[list[Member], Field(max_length=MAX_MEMBERS)])
COMMAND = TypeAdapter(Command)
RUBRIC = TypeAdapter(Rubric)
BOARD = TypeAdapter(Board)


def _path(location: tuple[int | str, ...]) -> str:
    path = ""
    for part in location:
        path += f"[{part}]" if isinstance(part, int) else (f".{part}" if path else str(part))
    return path


def validated(adapter: TypeAdapter[T], document: Any, where: str) -> T:
    """``document`` as the record ``adapter`` describes, or ArchiveError naming ``where`` and the field."""
    try:
        return adapter.validate_python(document)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = _path(tuple(first["loc"]))
        message = first["msg"].removeprefix("Value error, ")
        raise ArchiveError(f"{where}: {path}: {message}" if path else f"{where}: {message}") from None


def manifest_of(document: Any) -> Manifest:
    """The manifest; an archive of another format or version is refused before anything else."""
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ArchiveError("manifest.json does not describe a Salesfloor archive")
    if document.get("version") != VERSION:
        raise ArchiveError(
            f"archive version {document.get('version')!r} is not supported; this server reads {VERSION}"
        )
    return validated(MANIFEST, document, "manifest.json")


def check_references(teams: list[Team], members: list[Member], rubric: Rubric) -> None:
    """Every name and index one part uses points at something another part defines."""
    names = [t.name for t in teams]
    if len(set(names)) != len(names):
        twice = next(n for n in names if names.count(n) > 1)
        raise ArchiveError(f"teams.json: there are two teams called {twice!r}")
    known = set(names)
    for i, member in enumerate(members):
        if member.team not in known:
            raise ArchiveError(f"members.json: [{i}].team: {member.team!r} is not a team of teams.json")
    for i, entry in enumerate(rubric.entries):
        if entry.criterion >= len(rubric.criteria):
            raise ArchiveError(
                f"rubric.json: entries[{i}].criterion: there is no criterion {entry.criterion}"
                f" (rubric.json defines {len(rubric.criteria)})"
            )
        criterion = rubric.criteria[entry.criterion]
        if entry.points is not None and entry.points > criterion.max_points:
            raise ArchiveError(
                f"rubric.json: entries[{i}].points: {entry.points:g} is more than the criterion's"
                f" {criterion.max_points:g} points"
            )
        if entry.team not in known:
            raise ArchiveError(f"rubric.json: entries[{i}].team: {entry.team!r} is not a team of teams.json")
