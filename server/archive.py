"""The competition archive: one ZIP with everything needed to rebuild a competition elsewhere.

An archive holds the parameters, seed, teams, members, the timed command log, the event log,
the rubric, the scoring settings and the board (freeze, reveal, medals). Importing it on
another server replays the command log first, in memory, and checks the replay against the
archive's events and digest; only an archive that replays to the same digest is written,
in one transaction, so a refused import leaves the database as it was.
"""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import dataclass
from typing import Any

from market.errors import MarketError
from market.events import event_to_json
from market.parameters import MarketParameters, parameters_from_dict
from server.db.tables import CommandRow, MemberRow
from simulator.command_log import command_from_json
from simulator.competition import Competition, TeamSpec

FORMAT = "salesfloor-archive"
VERSION = 1
MAX_ARCHIVE_BYTES = 200 * 1024 * 1024
FILES = (
    "manifest.json",
    "parameters.json",
    "teams.json",
    "members.json",
    "commands.jsonl",
    "events.jsonl",
    "rubric.json",
    "board.json",
)


class ArchiveError(Exception):
    """The archive cannot be read or does not replay to what it says; the message says which."""


@dataclass(frozen=True, slots=True)
class Archive:
    """A competition as an archive holds it (validated)."""

    manifest: dict[str, Any]
    parameters: dict[str, Any]
    teams: list[dict[str, Any]]
    members: list[dict[str, Any]]
    commands: list[dict[str, Any]]
    events: list[str]
    rubric: dict[str, Any]
    board: dict[str, Any]

    @property
    def params(self) -> MarketParameters:
        return parameters_from_dict(self.parameters)


def _lines(items: list[Any]) -> str:
    return "".join(json.dumps(item, ensure_ascii=False, sort_keys=True) + "\n" for item in items)


def write_archive(archive: Archive) -> bytes:
    """The ZIP of ``archive``: one JSON file per part, logs as JSON lines."""
    parts: dict[str, str] = {
        "manifest.json": json.dumps(archive.manifest, ensure_ascii=False, indent=2, sort_keys=True),
        "parameters.json": json.dumps(archive.parameters, ensure_ascii=False, indent=2),  # order matters
        "teams.json": json.dumps(archive.teams, ensure_ascii=False, indent=2),
        "members.json": json.dumps(archive.members, ensure_ascii=False, indent=2),
        "commands.jsonl": _lines(archive.commands),
        "events.jsonl": "".join(line + "\n" for line in archive.events),
        "rubric.json": json.dumps(archive.rubric, ensure_ascii=False, indent=2),
        "board.json": json.dumps(archive.board, ensure_ascii=False, indent=2),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in FILES:
            zf.writestr(zipfile.ZipInfo(name, date_time=(2000, 1, 1, 0, 0, 0)), parts[name])
    return buffer.getvalue()


def _json(zf: zipfile.ZipFile, name: str) -> Any:
    try:
        return json.loads(zf.read(name).decode("utf-8"))
    except KeyError:
        raise ArchiveError(f"the archive has no {name}; export it again from Salesfloor") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveError(f"{name} is not valid JSON: {exc}") from None


def _json_lines(zf: zipfile.ZipFile, name: str) -> tuple[list[str], list[Any]]:
    """The lines of a JSON-lines file, as text and parsed (each line must be JSON).

    Lines end at ``\\n`` only: ``str.splitlines`` also ends them at U+2028, U+2029 and U+0085,
    which JSON written with ``ensure_ascii=False`` keeps as they are inside a text.
    """
    try:
        text = zf.read(name).decode("utf-8")
    except KeyError:
        raise ArchiveError(f"the archive has no {name}; export it again from Salesfloor") from None
    except UnicodeDecodeError:
        raise ArchiveError(f"{name} is not UTF-8 text") from None
    lines = [line.removesuffix("\r") for line in text.removesuffix("\n").split("\n")] if text else []
    parsed = []
    for number, line in enumerate(lines, start=1):
        try:
            parsed.append(json.loads(line))
        except json.JSONDecodeError as exc:
            raise ArchiveError(f"{name} line {number} is not valid JSON: {exc.msg}") from None
    return lines, parsed


def read_archive(data: bytes) -> Archive:
    """Parse and check an archive's structure (not yet its replay)."""
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveError(f"the archive is larger than {MAX_ARCHIVE_BYTES // 2**20} MiB")
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ArchiveError(
            "this is not a ZIP file; upload the archive.zip that Salesfloor exported"
        ) from None
    with zf:
        total = sum(info.file_size for info in zf.infolist())
        if total > 8 * MAX_ARCHIVE_BYTES:
            raise ArchiveError("the archive unpacks to too much data")
        manifest = _json(zf, "manifest.json")
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ArchiveError("manifest.json does not describe a Salesfloor archive")
        if manifest.get("version") != VERSION:
            raise ArchiveError(
                f"archive version {manifest.get('version')!r} is not supported; this server reads {VERSION}"
            )
        events = _json_lines(zf, "events.jsonl")[0]  # compared as text with the replay
        archive = Archive(
            manifest=manifest,
            parameters=_json(zf, "parameters.json"),
            teams=_json(zf, "teams.json"),
            members=_json(zf, "members.json"),
            commands=_json_lines(zf, "commands.jsonl")[1],
            events=events,
            rubric=_json(zf, "rubric.json"),
            board=_json(zf, "board.json"),
        )
    for key in ("name", "preset", "seed", "rounds", "seconds_per_hour", "t_sim", "digest", "state"):
        if key not in manifest:
            raise ArchiveError(f"manifest.json lacks {key!r}")
    try:
        archive.params  # noqa: B018 - validates the parameters
    except (MarketError, TypeError, KeyError, ValueError) as exc:
        raise ArchiveError(f"parameters.json: {exc}") from None
    if not isinstance(archive.teams, list) or not all(
        isinstance(t, dict) and "name" in t for t in archive.teams
    ):
        raise ArchiveError("teams.json must be a list of {name, bot}")
    return archive


def replay_archive(archive: Archive) -> Competition:
    """Rebuild the competition from the archive's command log; raise ArchiveError if it differs."""
    manifest = archive.manifest
    teams = [TeamSpec(str(t["name"])) for t in archive.teams]
    try:
        competition = Competition(
            archive.params, int(manifest["seed"]), teams, rounds=int(manifest["rounds"]), bots=False
        )
        for number, entry in enumerate(archive.commands, start=1):
            try:
                command = command_from_json(entry["command"])
            except (KeyError, TypeError, ValueError) as exc:
                raise ArchiveError(f"commands.jsonl line {number}: {exc}") from None
            competition.submit(command, float(entry["t"]), str(entry["source"]))
        competition.advance_to(float(manifest["t_sim"]))
    except ArchiveError:
        raise
    except Exception as exc:
        raise ArchiveError(f"the command log does not replay: {exc}") from None
    digest = competition.digest()
    if digest != manifest["digest"]:
        mismatch = next(
            (
                i
                for i, line in enumerate(archive.events)
                if i >= len(competition.log) or event_to_json(competition.log[i]) != line
            ),
            min(len(archive.events), len(competition.log)),
        )
        raise ArchiveError(
            f"the replay gives digest {digest[:16]}…, the archive says {str(manifest['digest'])[:16]}…;"
            f" the event logs part at seq {mismatch}"
        )
    return competition


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
