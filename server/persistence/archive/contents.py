"""The competition archive: one ZIP with everything needed to rebuild a competition elsewhere.

An archive holds the parameters, seed, teams, members, the timed command log, the event log,
the rubric, the scoring settings, the board (freeze, reveal, medals) and the members' peer
reviews (``peer_reviews.py`` beside this; an archive written before them has none). This module writes
it; ``server/persistence/archive/reader.py`` reads one back from outside, within the limits of
``server/persistence/archive/bounded_zip.py``, and replays it against its events and digest before anything is
written (in one transaction, so a refused import leaves the database as it was).
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass, field
from typing import Any

from server.persistence.db.tables import CommandRow, MemberRow
from simulator.competition import Competition

FORMAT = "salesfloor-archive"
VERSION = 1
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
"""The largest archive.zip an import takes (what it may unpack to: bounded_zip.py beside this)."""
FILES = (
    "manifest.json",
    "parameters.json",
    "teams.json",
    "members.json",
    "commands.jsonl",
    "events.jsonl",
    "rubric.json",
    "board.json",
    "peer_reviews.jsonl",
)


class ArchiveError(Exception):
    """The archive cannot be read or does not replay to what it says; the message says which."""


@dataclass(frozen=True, slots=True)
class Archive:
    """A competition as an archive holds it, to be written (reading one back: archive_reader)."""

    manifest: dict[str, Any]
    parameters: dict[str, Any]
    teams: list[dict[str, Any]]
    members: list[dict[str, Any]]
    commands: list[dict[str, Any]]
    events: list[str]
    rubric: dict[str, Any]
    board: dict[str, Any]
    peer_reviews: list[dict[str, Any]] = field(default_factory=list)


def _lines(items: list[Any]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in items)


def write_archive(archive: Archive) -> bytes:
    """The ZIP of ``archive``: one JSON file per part, logs as JSON lines, each deflated."""
    parts: dict[str, str] = {
        "manifest.json": json.dumps(archive.manifest, ensure_ascii=False, indent=2, sort_keys=True),
        "parameters.json": json.dumps(archive.parameters, ensure_ascii=False, indent=2),  # order matters
        "teams.json": json.dumps(archive.teams, ensure_ascii=False, indent=2),
        "members.json": json.dumps(archive.members, ensure_ascii=False, indent=2),
        "commands.jsonl": _lines(archive.commands),
        "events.jsonl": "".join(line + "\n" for line in archive.events),
        "rubric.json": json.dumps(archive.rubric, ensure_ascii=False, indent=2),
        "board.json": json.dumps(archive.board, ensure_ascii=False, indent=2),
        "peer_reviews.jsonl": _lines(archive.peer_reviews),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in FILES:
            info = zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED  # a ZipInfo's own default is to store
            zf.writestr(info, parts[name])
    return buffer.getvalue()


def command_entries(
    rows: list[CommandRow], competition: Competition, member_index: dict[int, int]
) -> list[dict[str, Any]]:
    """The command log for an archive: time, source, member (by its index in members.json), outcome."""
    out = []
    for row, entry in zip(rows, competition.commands, strict=False):
        out.append(
            {
                "seq": row.seq,
                "t": row.t,
                "source": row.source,
                "member": member_index.get(row.member_id) if row.member_id is not None else None,
                "accepted": entry.accepted,
                "reason": entry.reason,
                "command": json.loads(row.payload),
            }
        )
    return out


def member_entries(members: list[tuple[str, MemberRow]]) -> tuple[list[dict[str, Any]], dict[int, int]]:
    """Members for an archive, and the index of each member id among them."""
    index = {m.id: i for i, (_team, m) in enumerate(members) if m.id is not None}
    entries = [
        {"team": team, "name": m.name, "role": m.role, "joined_at": m.joined_at, "removed_at": m.removed_at}
        for team, m in members
    ]
    return entries, index
