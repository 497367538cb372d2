"""Exports of a competition: tables (CSV, XLSX), the grade sheet, and the whole-competition archive.

The same functions serve the instructor's download endpoints and ``salesfloor export``; the
import of an archive is here too, since it is the export read back. Exports show the live
board (they are the instructor's), never a frozen one.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections import Counter
from datetime import UTC, datetime
from typing import IO, Any

from market.events import event_to_json
from market.parameters import parameters_to_dict
from server.exports.tables import events_table, rounds_table, scoring_table, standings_table
from server.exports.tabular import Table, to_csv, to_xlsx
from server.input.names import name_key
from server.live import LiveCompetition
from server.live.peer_review import received
from server.live.rubric_book import criterion_view, entry_view
from server.live.runtime import Runtime
from server.persistence.archive.contents import (
    FORMAT,
    VERSION,
    Archive,
    ArchiveError,
    command_entries,
    member_entries,
)
from server.persistence.archive.peer_reviews import peer_review_entries, peer_review_rows
from server.persistence.archive.reader import ReplayedArchive, read_archive
from server.persistence.db.tables import (
    EXCLUSIVE_ROLES,
    CommandRow,
    CompetitionRow,
    MemberRow,
    RubricCriterionRow,
    RubricEntryRow,
    TeamRow,
)
from server.persistence.scoring_json import scoring_to_json
from server.persistence.store import Store
from server.security.auth import new_code
from server.wall_clock import wall_now
from server.wire.broadcast import Broadcaster

TABLES = ("standings", "rounds", "rubric", "events", "grades", "scoring")
FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
REPLY_KINDS = frozenset({"send_quote", "revise_quote"})


def _iso(at: float) -> str:
    return datetime.fromtimestamp(at, tz=UTC).isoformat(timespec="seconds")


# --- tables --------------------------------------------------------------------------------------


def rubric_table(live: LiveCompetition) -> Table:
    """The rubric log, one line per score or correction, with the criterion's names."""
    names = {c.id: c for c in live.rubric.criteria}
    latest: dict[tuple[int, str, str, int | None], int] = {}
    for entry in live.rubric.entries:
        latest[(entry.criterion_id, entry.team, entry.judge, entry.round)] = entry.id or 0
    rows = []
    for entry in live.rubric.entries:
        criterion = names.get(entry.criterion_id)
        key = (entry.criterion_id, entry.team, entry.judge, entry.round)
        rows.append(
            (
                entry.id,
                entry.criterion_id,
                criterion.name_en if criterion else "",
                criterion.name_zh if criterion else "",
                criterion.max_points if criterion else None,
                entry.team,
                entry.judge,
                entry.round,
                entry.points,
                entry.note,
                entry.t_sim,
                _iso(entry.at),
                entry.by,
                latest[key] == entry.id,
            )
        )
    columns = (
        "seq", "criterion_id", "criterion_en", "criterion_zh", "max_points", "team", "judge", "round",
        "points", "note", "t_sim", "at", "by", "current",
    )  # fmt: skip
    return Table("rubric", columns, tuple(rows))


def _rounded(value: Any) -> Any:
    """A figure for a gradebook: two decimals (a float's last bits mean nothing to a grade)."""
    return round(value, 2) if isinstance(value, float) else value


def grades_table(live: LiveCompetition) -> Table:
    """One row per student: the team's result, the student's own activity and what teammates said.

    Figures are rounded to two decimals; the standings table keeps every digit."""
    standings = {row["team"]: row for row in live.standings()}
    rows = live.store.commands(live.id)
    counts: dict[int, Counter[str]] = {}
    last: dict[int, float] = {}
    for row, entry in zip(rows, live.commands_since(0), strict=False):
        if row.member_id is None:
            continue
        tally = counts.setdefault(row.member_id, Counter())
        last[row.member_id] = row.t
        kind = json.loads(row.payload).get("kind", "")
        tally["commands"] += 1
        if not entry.accepted:
            tally["refused"] += 1
            continue
        if kind in REPLY_KINDS:
            tally["replies"] += 1
        elif kind == "resolve_complaint":
            tally["resolved"] += 1
        elif kind == "send_reminder":
            tally["reminders"] += 1
    roster = live.store.competition_members(live.id)
    peers = received(roster, live.store.peer_reviews(live.id))
    out = []
    for team, member in roster:
        standing = standings.get(team.name, {})
        member_id = member.id or -1
        tally = counts.get(member_id, Counter())
        peer = peers.get(member_id)
        out.append(
            (
                live.name,
                team.name,
                member.name,
                member.role,
                standing.get("rank"),
                *(
                    _rounded(standing.get(k))
                    for k in ("composite", "conversion", "satisfaction", "receivables", "profit", "rubric")
                ),
                tally["commands"],
                tally["refused"],
                tally["replies"],
                tally["resolved"],
                tally["reminders"],
                _rounded(last.get(member_id)),
                peer.mean if peer else None,
                len(peer.ratings) if peer else 0,
                " | ".join(f"{by}: {text}" for by, text in peer.comments) if peer else "",
                peer.given if peer else 0,
            )
        )
    columns = (
        "competition", "team", "student", "role", "team_rank", "team_composite", "conversion",
        "satisfaction", "receivables", "profit", "rubric", "commands", "refused", "replies",
        "complaints_resolved", "reminders", "last_command_hour", "peer_rating", "peer_ratings",
        "peer_comments", "ratings_given",
    )  # fmt: skip
    return Table("grades", columns, tuple(out))


def table(live: LiveCompetition, name: str) -> Table:
    """One export table of a started competition, as the live board shows it."""
    config = live.scoring
    if name == "standings":
        return standings_table(live.standings())
    if name == "rounds":
        return rounds_table(live.scores.board.round_metrics())
    if name == "events":
        return events_table(live.events_since(0), config.round_hours, config.hours_per_day)
    if name == "rubric":
        return rubric_table(live)
    if name == "grades":
        return grades_table(live)
    if name == "scoring":
        return scoring_table(config, live.now)
    raise ValueError(f"unknown table {name!r}; choose one of {', '.join(TABLES)}")


def export_file(live: LiveCompetition, name: str, fmt: str) -> bytes:
    """``name`` (a table, or ``all`` for every table in one workbook) as CSV or XLSX bytes."""
    if name == "all":
        if fmt != "xlsx":
            raise ValueError("all tables at once come as one workbook: ask for all.xlsx")
        return to_xlsx([table(live, n) for n in TABLES])
    data = table(live, name)
    return to_csv(data) if fmt == "csv" else to_xlsx([data])


# --- the archive -----------------------------------------------------------------------------------


def archive_of(live: LiveCompetition) -> Archive:
    """Everything of a started competition that another server needs to rebuild it."""
    competition = live.started("there is nothing to archive yet")
    store = live.store
    members, index = member_entries([(team.name, m) for team, m in store.competition_members(live.id)])
    commands = command_entries(store.commands(live.id), competition, index)
    criteria = live.rubric.criteria
    position = {c.id: i for i, c in enumerate(criteria)}
    return Archive(
        manifest={
            "format": FORMAT,
            "version": VERSION,
            "name": live.name,
            "preset": live.preset,
            "seed": live.seed,
            "rounds": live.rounds,
            "seconds_per_hour": live.clock.seconds_per_hour,
            "state": live.state,
            "t_sim": competition.now,
            "digest": competition.digest(),
            "events": len(competition.log),
            "commands": len(commands),
            "scoring": json.loads(scoring_to_json(live.scoring)),
            "exported_at": _iso(wall_now()),
        },
        parameters=parameters_to_dict(live.initial_params),
        teams=[{"name": t.name, "bot": t.bot} for t in live.teams],
        members=members,
        commands=commands,
        events=[event_to_json(e) for e in competition.log],
        rubric={
            "criteria": [criterion_view(c) for c in criteria],
            "entries": [
                {**entry_view(e), "criterion": position[e.criterion_id]} for e in live.rubric.entries
            ],
        },
        board={
            "freeze_t": live.scores.freeze_t,
            "reveal": live.last_reveal,
            "medals": dataclasses.asdict(live.scores.medals),
        },
        peer_reviews=peer_review_entries(store.peer_reviews(live.id), index),
    )


def _rows_of(replayed: ReplayedArchive) -> dict[str, Any]:
    """The database rows a checked archive becomes (ids are filled in by the store)."""
    documents = replayed.documents
    manifest, board = documents.manifest, documents.board
    competition = CompetitionRow(
        name=manifest.name,
        preset=manifest.preset,
        parameters=json.dumps(documents.parameters),
        seed=manifest.seed,
        rounds=manifest.rounds,
        seconds_per_hour=manifest.seconds_per_hour,
        state="finished" if manifest.state == "finished" else "paused",
        sim_t=manifest.t_sim,
        judge_code=new_code(),
        created_at=wall_now(),
        scoring=json.dumps(manifest.scoring) if manifest.scoring else None,
        freeze_t=board.freeze_t,
        reveal=board.reveal.model_dump_json() if board.reveal else None,
        medals=json.dumps(board.medals) if board.medals else None,
    )
    teams = [TeamRow(competition_id=0, name=t.name, join_code=new_code(), bot=t.bot) for t in documents.teams]
    claimed: set[tuple[str, str]] = set()  # (team, role): the first present sign-in holds it
    keyed: set[tuple[str, str]] = set()  # (team, name key): the first present row of a name is the member
    members: list[tuple[str, MemberRow]] = []
    for m in documents.members:
        holds = m.role in EXCLUSIVE_ROLES and m.removed_at is None and (m.team, m.role) not in claimed
        if holds:
            claimed.add((m.team, m.role))
        key = name_key(m.name)
        first = m.removed_at is None and (m.team, key) not in keyed  # older archives may repeat a name
        if first:
            keyed.add((m.team, key))
        row = MemberRow(team_id=0, name=m.name, role=m.role, joined_at=m.joined_at, removed_at=m.removed_at)
        row.role_claim = m.role if holds else None
        row.name_key = key if first else None
        members.append((m.team, row))
    commands = [
        (
            CommandRow(
                competition_id=0,
                seq=seq,
                t=c.t,
                source=c.source,
                payload=c.payload,
                accepted=c.accepted,
                reason=c.reason,
                created_at=wall_now(),
            ),
            c.member,
        )
        for seq, c in enumerate(replayed.commands)
    ]
    criteria = [
        RubricCriterionRow(
            competition_id=0,
            name_en=c.name_en,
            name_zh=c.name_zh,
            max_points=c.max_points,
            per_round=c.per_round,
            created_at=wall_now(),
        )
        for c in documents.rubric.criteria
    ]
    entries = [
        (
            RubricEntryRow(
                competition_id=0,
                criterion_id=0,
                team=e.team,
                judge=e.judge,
                round=e.round,
                points=e.points,
                note=e.note,
                t_sim=e.t_sim,
                at=e.at,
                by=e.by,
            ),
            e.criterion,
        )
        for e in documents.rubric.entries
    ]
    return {
        "competition": competition,
        "teams": teams,
        "members": members,
        "commands": commands,
        "criteria": criteria,
        "entries": entries,
    }


def store_archive(store: Store, source: IO[bytes]) -> CompetitionRow:
    """Read, check and replay the archive in ``source``, then write it whole (paused, or finished).

    Nothing is written if it is refused (ArchiveError says why)."""
    replayed = read_archive(source)
    rows = _rows_of(replayed)
    return store.import_competition(
        rows["competition"],
        rows["teams"],
        rows["members"],
        rows["commands"],
        list(replayed.competition.log),
        rows["criteria"],
        rows["entries"],
        peer_review_rows(replayed.documents.peer_reviews),
    )


async def import_archive(rt: Runtime, source: IO[bytes]) -> LiveCompetition:
    """Import an archive into the running server and run it (paused, or finished)."""
    row = await asyncio.to_thread(store_archive, rt.store, source)
    live = LiveCompetition(row, rt.store.teams(row.id or 0), rt.store, rt.broadcaster)
    for team in live.teams:
        live.activity[team.name].members.update(m.name for m in rt.store.members(team.id or 0))
    await asyncio.to_thread(live.recover)
    if await rt.place(live) and live.state == "paused":
        rt.start_bots(live)
    return live


def open_competition(store: Store, competition_id: int) -> LiveCompetition:
    """A stored competition rebuilt from its command log for reading (nothing is written)."""
    row = store.competition(competition_id)
    if row is None:
        raise ArchiveError(f"there is no competition {competition_id} in this database")
    live = LiveCompetition(row, store.teams(competition_id), store, Broadcaster())
    if row.state == "draft":
        raise ArchiveError(f"competition {competition_id} has not started; there is nothing to export yet")
    live.recover(persist=False)
    return live
