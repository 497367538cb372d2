"""The command log: every outside command with its time, source and outcome, as JSON.

Seed + parameters + this log are all it takes to rebuild a competition (see ``replay``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from simulator.competition import AnyCommand, LoggedCommand
from simulator.instructor import Announce, ApplyShock, ChangeParameters
from teams.commands import command_from_dict, command_to_dict

INSTRUCTOR_COMMANDS = {cls.kind: cls for cls in (ApplyShock, ChangeParameters, Announce)}


def command_to_json(command: AnyCommand) -> dict[str, Any]:
    if isinstance(command, ChangeParameters):
        return {"kind": command.kind, "changes": [list(pair) for pair in command.changes]}
    if isinstance(command, ApplyShock | Announce):
        return {"kind": command.kind, **asdict(command)}
    return command_to_dict(command)


def command_from_json(data: dict[str, Any]) -> AnyCommand:
    """A command from its JSON form; ValueError says what is wrong."""
    kind = data.get("kind")
    cls = INSTRUCTOR_COMMANDS.get(str(kind))
    if cls is None:
        return command_from_dict(data)
    values = {k: v for k, v in data.items() if k != "kind"}
    try:
        if cls is ChangeParameters:
            return ChangeParameters(changes=tuple((str(k), v) for k, v in values["changes"]))
        return cls(**values)
    except (TypeError, KeyError, ValueError) as exc:
        raise ValueError(f"{kind}: {exc}") from None


def logged_to_json(entry: LoggedCommand) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "t": entry.t,
        "source": entry.source,
        "accepted": entry.accepted,
        "reason": entry.reason,
        "code": entry.code,
        "command": command_to_json(entry.command),
    }


def logged_from_json(data: dict[str, Any]) -> LoggedCommand:
    return LoggedCommand(
        int(data["seq"]),
        float(data["t"]),
        str(data["source"]),
        command_from_json(data["command"]),
        bool(data["accepted"]),
        str(data["reason"]),
        str(data.get("code", "")),  # files written before the code was logged have none
    )
