"""Archives for the import's tests, made offline: a small real one, and ways to spoil it.

``sample_archive()`` is a short season of three bot teams with a member, a rubric score, a
freeze and a note whose text holds line separators other than "\\n" (U+2028, U+0085, U+001C);
``rezip`` rebuilds it with parts replaced, ``zip_of`` writes any members (streamed, in any
compression), and ``patch_directory`` rewrites fields of a central-directory entry, for ZIP
files no ZIP tool would write.
"""

from __future__ import annotations

import functools
import io
import json
import struct
import zipfile
from collections.abc import Iterable
from typing import Any

from market.events import event_to_json
from market.parameters import parameters_to_dict
from market.presets import load_preset
from server.persistence.archive.contents import FILES, FORMAT, VERSION, Archive, write_archive
from simulator.command_log import command_to_json
from simulator.competition import Competition, TeamSpec
from teams import commands as c

NOTE = "first line\u2028second\x85third\x1cfourth"
"""Line breaks that str.splitlines() splits on, but JSON lines do not: a note keeps them."""
MiB = 2**20


@functools.cache
def sample_competition() -> Competition:
    params = load_preset("classroom")
    teams = [TeamSpec("T01", "balanced"), TeamSpec("T02", "eager"), TeamSpec("T03", "balanced")]
    competition = Competition(params, 7, teams, rounds=2)
    competition.advance_to(30.0)
    customer = next(
        e.customer_id
        for e in competition.log
        if getattr(e, "team", None) == "T01" and hasattr(e, "customer_id")
    )
    outcome = competition.submit(
        c.AddNote(team="T01", role="manager", member="Lin", customer_id=customer, text=NOTE), 31.0, "human"
    )
    assert outcome.accepted, outcome.reason
    competition.advance_to(45.0)
    return competition


def command_records(competition: Competition) -> list[dict[str, Any]]:
    """The competition's command log as an archive's commands.jsonl holds it (member 0: a person)."""
    return [
        {
            "seq": e.seq,
            "t": e.t,
            "source": e.source,
            "member": 0 if e.source == "human" else None,
            "accepted": e.accepted,
            "reason": e.reason,
            "command": command_to_json(e.command),
        }
        for e in competition.commands
    ]


def sample_parts() -> Archive:
    competition = sample_competition()
    return Archive(
        manifest={
            "format": FORMAT,
            "version": VERSION,
            "name": "Sample cup",
            "preset": "classroom",
            "seed": 7,
            "rounds": 2,
            "seconds_per_hour": 15.0,
            "state": "paused",
            "t_sim": competition.now,
            "digest": competition.digest(),
            "events": len(competition.log),
            "commands": len(competition.commands),
            "scoring": {
                "weights": {
                    "conversion": 30,
                    "satisfaction": 30,
                    "receivables": 25,
                    "profit": 15,
                    "rubric": 10,
                },
                "normalisation": "raw",
            },
        },
        parameters=parameters_to_dict(competition.params),
        teams=[{"name": t.name, "bot": t.bot} for t in competition.teams],
        members=[{"team": "T01", "name": "Lin", "role": "manager", "joined_at": 1.0, "removed_at": None}],
        commands=command_records(competition),
        events=[event_to_json(e) for e in competition.log],
        rubric={
            "criteria": [
                {"id": 1, "name_en": "Service", "name_zh": "服务", "max_points": 5.0, "per_round": True}
            ],
            "entries": [
                {
                    "seq": 1,
                    "criterion_id": 1,
                    "criterion": 0,
                    "team": "T02",
                    "judge": "Zhao",
                    "round": 1,
                    "points": 4.0,
                    "note": NOTE,
                    "t_sim": 20.0,
                    "at": 1_700_000_000.0,
                    "by": "judge Zhao",
                }
            ],
        },
        board={"freeze_t": 40.0, "reveal": None, "medals": {"gold": 1, "silver": 2, "bronze": 0}},
    )


@functools.cache
def sample_archive() -> bytes:
    return write_archive(sample_parts())


def members_of(archive: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        return {name: zf.read(name) for name in zf.namelist()}


def zip_of(
    members: dict[str, bytes | Iterable[bytes]], method: int = zipfile.ZIP_DEFLATED, level: int | None = None
) -> bytes:
    """A ZIP of ``members`` in this order; an iterable of chunks is written as a stream."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=method, compresslevel=level) as zf:
        for name, content in members.items():
            if isinstance(content, bytes):
                zf.writestr(name, content)
            else:
                with zf.open(name, "w", force_zip64=False) as member:
                    for chunk in content:
                        member.write(chunk)
    return out.getvalue()


def rezip(archive: bytes, change: dict[str, Any], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """The archive with parts replaced (bytes, chunks, or JSON to dump); None removes a part."""
    members: dict[str, Any] = members_of(archive)
    for name, content in change.items():
        if content is None:
            members.pop(name)
        elif isinstance(content, bytes) or not isinstance(content, dict | list):
            members[name] = content
        else:
            members[name] = json.dumps(content).encode()
    return zip_of({n: members[n] for n in [*FILES, *members] if n in members}, method)


def lines_of(archive: bytes, name: str) -> list[bytes]:
    return members_of(archive)[name].splitlines(keepends=False)


def json_lines(items: Iterable[Any]) -> bytes:
    return b"".join(json.dumps(item, ensure_ascii=False).encode() + b"\n" for item in items)


def padded(prefix: bytes, line: bytes, total: int, chunk: int = MiB) -> Iterable[bytes]:
    """``prefix``, then ``line`` repeated until ``total`` bytes: a bomb that starts as the real thing."""
    yield prefix
    block = line * max(1, chunk // len(line))
    written = len(prefix)
    while written < total:
        yield block
        written += len(block)


def deep(levels: int) -> bytes:
    return b"[" * levels + b"]" * levels


# --- central-directory surgery -------------------------------------------------------------------

DIRECTORY_ENTRY = b"PK\x01\x02"
DIRECTORY_FORMAT = "<4s4B4HL2L5H2L"  # signature … flags, method, …, sizes, lengths, offset


def patch_directory(data: bytes, name: str, **fields: int) -> bytes:
    """``data`` with the central-directory entry of ``name`` given other ``flags``,
    ``method``, ``compressed``, ``size`` or ``offset``."""
    encoded = name.encode()
    at = data.find(DIRECTORY_ENTRY)
    while at >= 0:
        entry = list(struct.unpack_from(DIRECTORY_FORMAT, data, at))
        name_length = entry[12]
        if data[at + 46 : at + 46 + name_length] == encoded:
            positions = {"flags": 5, "method": 6, "compressed": 10, "size": 11, "offset": 18}
            for field, value in fields.items():
                entry[positions[field]] = value
            patched = struct.pack(DIRECTORY_FORMAT, *entry)
            return data[:at] + patched + data[at + len(patched) :]
        at = data.find(DIRECTORY_ENTRY, at + 4)
    raise KeyError(name)
