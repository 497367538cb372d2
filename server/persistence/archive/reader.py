"""Reading an archive back: its documents checked, its command log replayed against its events.

The cheap checks come first: the ZIP's structure and sizes (``bounded_zip.py``), the manifest,
then every other document, each read whole up to ``DOCUMENT_BYTES`` and parsed
within the limits of ``server/input/json_input.py``, its records checked (``schema.py``)
and built as the live server will build them (parameters, scoring, medals); the peer reviews
are read line by line and checked against members.json (``peer_reviews.py``). Then the replay:
``commands.jsonl`` is read line by line and each command submitted; every event the replay
makes is compared, as it is made, with the next line of ``events.jsonl``. The replay stops at
the first seq where the two part, or at the first event the archive does not have, so an
archive cannot make the server replay more than it holds; at the end ``events.jsonl`` must be
used up and the digest must be the manifest's. What is held meanwhile: the documents, the
replayed competition and the command log it will store; never the archive's events, and never
more than one line of a log.
"""

from __future__ import annotations

import gc
import hashlib
import json
from dataclasses import dataclass
from typing import IO, Any

from market.errors import MarketError
from market.events import Event, event_to_json
from market.parameters import MarketParameters, parameters_from_dict
from scoring import MedalCounts, ScoringError
from server.input.json_input import JsonInputError, parse_json
from server.persistence.archive.bounded_zip import BoundedZip, ZipLimits
from server.persistence.archive.contents import FILES, ArchiveError
from server.persistence.archive.peer_reviews import PEER_REVIEWS, ArchivedReview, read_peer_reviews
from server.persistence.archive.schema import (
    BOARD,
    COMMAND,
    MEMBERS,
    RUBRIC,
    TEAMS,
    Board,
    Manifest,
    Member,
    Rubric,
    Team,
    check_references,
    manifest_of,
    validated,
)
from server.persistence.scoring_json import scoring_from_json
from simulator.command_log import command_from_json, command_to_json
from simulator.competition import Competition, Outcome, TeamSpec

MiB = 2**20
DOCUMENT_BYTES = {
    "manifest.json": 1 * MiB,
    "parameters.json": 1 * MiB,
    "teams.json": 1 * MiB,
    "members.json": 4 * MiB,
    "rubric.json": 8 * MiB,
    "board.json": 1 * MiB,
}
"""The largest each document may be: many times what a large class writes (a 200-team class's
teams.json is about 30 KiB, a rubric with 5,000 scores about 1.5 MiB)."""
SNIPPET = 100


@dataclass(frozen=True, slots=True)
class Documents:
    """An archive's JSON documents, checked."""

    manifest: Manifest
    parameters: dict[str, Any]
    params: MarketParameters
    teams: list[Team]
    members: list[Member]
    rubric: Rubric
    board: Board
    peer_reviews: list[ArchivedReview]

    @property
    def end_t(self) -> float:
        return self.manifest.rounds * self.params.calendar.round_hours


@dataclass(frozen=True, slots=True)
class StoredCommand:
    """A command of the log as the import stores it: the replay's outcome, the canonical payload."""

    t: float
    source: str
    member: int | None
    accepted: bool
    reason: str
    payload: str


@dataclass(frozen=True, slots=True)
class ReplayedArchive:
    """An archive that replays to its own events and digest: everything an import writes."""

    documents: Documents
    competition: Competition
    commands: list[StoredCommand]


def _text(data: bytes, where: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArchiveError(f"{where} is not UTF-8 text (byte {exc.start + 1} cannot be read)") from None


def _json(text: str, where: str) -> Any:
    try:
        return parse_json(text, where)
    except JsonInputError as exc:
        raise ArchiveError(str(exc)) from None


def _document(archive: BoundedZip, name: str) -> Any:
    return _json(_text(archive.read(name, DOCUMENT_BYTES[name]), name), name)


def read_documents(archive: BoundedZip) -> Documents:
    """Every JSON document of the archive and its peer reviews, checked and cross-checked; the
    command and event logs are not read yet."""
    manifest = manifest_of(_document(archive, "manifest.json"))
    parameters = _document(archive, "parameters.json")
    if not isinstance(parameters, dict):
        raise ArchiveError("parameters.json must be a JSON object of market parameters")
    try:
        params = parameters_from_dict(parameters)
    except (MarketError, TypeError, KeyError, ValueError) as exc:
        raise ArchiveError(f"parameters.json: {exc}") from None
    teams = validated(TEAMS, _document(archive, "teams.json"), "teams.json")
    members = validated(MEMBERS, _document(archive, "members.json"), "members.json")
    documents = Documents(
        manifest=manifest,
        parameters=parameters,
        params=params,
        teams=teams,
        members=members,
        rubric=validated(RUBRIC, _document(archive, "rubric.json"), "rubric.json"),
        board=validated(BOARD, _document(archive, "board.json"), "board.json"),
        peer_reviews=read_peer_reviews(
            archive.lines(PEER_REVIEWS) if archive.has(PEER_REVIEWS) else None,
            lambda raw, where: _json(_text(raw, where), where),
            members,
            finished=manifest.state == "finished",
        ),
    )
    check_references(documents.teams, documents.members, documents.rubric)
    _check_as_the_server_runs_it(documents)
    return documents


def _check_as_the_server_runs_it(documents: Documents) -> None:
    """Build what the live competition will build from these records, so that it cannot fail later."""
    manifest, board = documents.manifest, documents.board
    if manifest.t_sim > documents.end_t:
        raise ArchiveError(
            f"manifest.json: t_sim: {manifest.t_sim:g} h is after the last round ends ({documents.end_t:g} h)"
        )
    if board.freeze_t is not None and board.freeze_t > documents.end_t:
        raise ArchiveError(
            f"board.json: freeze_t: {board.freeze_t:g} h is after the last round ends ({documents.end_t:g} h)"
        )
    if manifest.scoring is not None:
        try:
            scoring_from_json(documents.params, json.dumps(manifest.scoring))
        except (ScoringError, TypeError, KeyError, ValueError) as exc:
            raise ArchiveError(f"manifest.json: scoring: {exc}") from None
    if board.medals is not None:
        try:
            MedalCounts(**board.medals)
        except (ScoringError, TypeError) as exc:
            raise ArchiveError(f"board.json: medals: {exc}") from None


class EventCheck:
    """Compares each event of the replay, as it is made, with the next line of events.jsonl."""

    def __init__(self, archive: BoundedZip) -> None:
        self._lines = archive.lines("events.jsonl")
        self._digest = hashlib.sha256()  # of the lines that matched: the log's digest at the end

    def __call__(self, event: Event) -> None:
        replayed = event_to_json(event)
        line = next(self._lines, None)
        if line is None:
            raise ArchiveError(
                f"the replay goes on past the end of events.jsonl: the archive has no event seq {event.seq}"
                f" (the replay's is {replayed[:SNIPPET]})"
            )
        number, text = line
        if text != replayed.encode("utf-8"):
            raise ArchiveError(
                f"the replay and events.jsonl part at seq {event.seq} (line {number}, {event.kind}):"
                f" {_difference(text, replayed)}"
            )
        self._digest.update(text + b"\n")

    def finish(self, replayed: int) -> str:
        """The replay is over: events.jsonl must be too. The digest of the (matching) logs."""
        extra = next(self._lines, None)
        if extra is not None:
            raise ArchiveError(
                f"events.jsonl goes on past the replay: line {extra[0]} (seq {replayed}) and after"
                " are events the command log does not make"
            )
        return self._digest.hexdigest()


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= SNIPPET else text[:SNIPPET] + "…"


def _difference(archived: bytes, replayed: str) -> str:
    """Where an archived event line differs from the replay's: the first field, else the first character."""
    text = archived.decode("utf-8", errors="replace")
    theirs = json.loads(replayed)
    try:
        mine = parse_json(text, "the line")
    except JsonInputError:
        mine = None
    if isinstance(mine, dict):
        for key in sorted(set(mine) | set(theirs)):
            if key not in mine or key not in theirs or mine[key] != theirs[key]:
                has = _short(mine[key]) if key in mine else "nothing"
                gives = _short(theirs[key]) if key in theirs else "nothing"
                return f"{key}: the archive has {has}, the replay {gives}"
    at = next((i for i, (a, b) in enumerate(zip(text, replayed, strict=False)) if a != b), len(text))
    return (
        f"at character {at + 1}: the archive has {_short(text[at : at + 40])},"
        f" the replay {_short(replayed[at : at + 40])}"
    )


def _submit(competition: Competition, entry: Any, number: int) -> tuple[Outcome, str]:
    where = f"commands.jsonl line {number}"
    try:
        command = command_from_json(entry.command)
    except (KeyError, TypeError, ValueError) as exc:
        raise ArchiveError(f"{where}: {exc}") from None
    try:
        outcome = competition.submit(command, entry.t, entry.source)
    except ArchiveError:
        raise
    except Exception as exc:
        raise ArchiveError(f"{where} does not replay: {exc}") from None
    return outcome, json.dumps(command_to_json(command))


def replay(archive: BoundedZip, documents: Documents) -> ReplayedArchive:
    """Replay the command log, checking every event against events.jsonl as it is made."""
    manifest = documents.manifest
    try:
        competition = Competition(
            documents.params,
            manifest.seed,
            [TeamSpec(t.name) for t in documents.teams],
            rounds=manifest.rounds,
            bots=False,
        )
    except Exception as exc:
        raise ArchiveError(f"the competition cannot be rebuilt: {exc}") from None
    check = EventCheck(archive)
    for event in competition.log:  # the events of the start (teams joining)
        check(event)
    competition.subscribe(check)
    commands: list[StoredCommand] = []
    for number, raw in archive.lines("commands.jsonl"):
        where = f"commands.jsonl line {number}"
        entry = validated(COMMAND, _json(_text(raw, where), where), where)
        if entry.t > manifest.t_sim:
            raise ArchiveError(
                f"{where}: t: {entry.t:g} h is after the archive's end (t_sim {manifest.t_sim:g} h)"
            )
        if entry.member is not None and entry.member >= len(documents.members):
            raise ArchiveError(f"{where}: member: there is no member {entry.member} in members.json")
        outcome, payload = _submit(competition, entry, number)
        if outcome.accepted != entry.accepted:
            said, did = ("accepted", "refuses it") if entry.accepted else ("refused", "accepts it")
            raise ArchiveError(f"{where}: the archive says the command was {said}; the replay {did}")
        commands.append(
            StoredCommand(entry.t, entry.source, entry.member, outcome.accepted, outcome.reason, payload)
        )
    try:
        competition.advance_to(manifest.t_sim)
    except ArchiveError:
        raise
    except Exception as exc:
        raise ArchiveError(f"the command log does not replay: {exc}") from None
    competition.unsubscribe(check)
    digest = check.finish(len(competition.log))  # the same as competition.digest(), computed once
    if digest != manifest.digest:
        raise ArchiveError(
            f"the replay gives digest {digest[:16]}…, the archive says {manifest.digest[:16]}…;"
            " events.jsonl matches the replay, so manifest.json is wrong"
        )
    return ReplayedArchive(documents, competition, commands)


def read_archive(file: IO[bytes], limits: ZipLimits | None = None) -> ReplayedArchive:
    """Read, check and replay the archive in ``file`` (seekable); ArchiveError says what is wrong."""
    with BoundedZip(file, FILES, limits) as archive:
        documents = read_documents(archive)
        gc.disable()  # the replay allocates much and frees little (as a recovery does)
        try:
            return replay(archive, documents)
        finally:
            gc.enable()
