"""The command log: every outside command with its time, source and outcome, as JSON.

Seed + parameters + this log are all it takes to rebuild a competition (see ``replay``).
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from simulator.competition import AnyCommand, LoggedCommand
from simulator.instructor import ApplyShock
from teams.commands import command_from_dict, command_to_dict


def command_to_json(command: AnyCommand) -> dict[str, Any]:
    if isinstance(command, ApplyShock):
        return {"kind": ApplyShock.kind, **asdict(command)}
    return command_to_dict(command)


def command_from_json(data: dict[str, Any]) -> AnyCommand:
    if data.get("kind") == ApplyShock.kind:
        values = {k: v for k, v in data.items() if k != "kind"}
        return ApplyShock(**values)
    return command_from_dict(data)


def logged_to_json(entry: LoggedCommand) -> dict[str, Any]:
    return {
        "seq": entry.seq,
        "t": entry.t,
        "source": entry.source,
        "accepted": entry.accepted,
        "reason": entry.reason,
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
    )
