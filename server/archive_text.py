"""The text an imported archive brings: storable everywhere, names without control characters.

An archive is read with Python's json, which turns a ``"\\ud800"`` escape into a lone
surrogate; replayed and stored, one such text would break every view, export and archive of
the competition, as it would through the API (server.text_rules). So the import applies the
API's rules: every text of every part must be storable, and the names (the competition's,
the teams', the members', the judges', the rubric criteria's) may hold no control
characters. A refusal names the file, the place in it and the character.
"""

from __future__ import annotations

from typing import Any

from server.archive import Archive, ArchiveError
from server.text_rules import first_unstorable, name_problem


def _names(archive: Archive) -> list[tuple[str, str, Any]]:
    """Every name the archive gives: (file, where in it, the value)."""
    names: list[tuple[str, str, Any]] = [("manifest.json", "name", archive.manifest.get("name"))]
    for i, team in enumerate(archive.teams):
        names.append(("teams.json", f"[{i}].name", team.get("name")))
    for i, member in enumerate(archive.members):
        if isinstance(member, dict):
            names.append(("members.json", f"[{i}].name", member.get("name")))
    rubric = archive.rubric if isinstance(archive.rubric, dict) else {}
    for part, keys in (("criteria", ("name_en", "name_zh")), ("entries", ("judge", "by"))):
        items = rubric.get(part, [])
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, dict):
                names.extend(("rubric.json", f"{part}[{i}].{key}", item.get(key)) for key in keys)
    return names


def check_archive_text(archive: Archive) -> None:
    """Raise ArchiveError naming the first text the server would not take through its API."""
    documents: dict[str, Any] = {
        "manifest.json": archive.manifest,
        "parameters.json": archive.parameters,
        "teams.json": archive.teams,
        "members.json": archive.members,
        "rubric.json": archive.rubric,
        "board.json": archive.board,
    }
    for file, document in documents.items():
        found = first_unstorable(document)
        if found is not None:
            raise ArchiveError(f"{file}: {found[0]}: {found[1]}")
    for number, entry in enumerate(archive.commands, start=1):
        found = first_unstorable(entry)
        if found is not None:
            raise ArchiveError(f"commands.jsonl line {number}: {found[0]}: {found[1]}")
    for file, where, value in _names(archive):
        problem = name_problem(value) if isinstance(value, str) else None
        if problem is not None:
            raise ArchiveError(f"{file}: {where}: {problem}")
