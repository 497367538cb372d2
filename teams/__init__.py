"""The players' side: the CRM desk of one team, its rules, automation and reference bots."""

from __future__ import annotations

from teams import commands
from teams.automation import automated_commands
from teams.commands import COMMAND_TYPES, Command, command_from_dict, command_to_dict
from teams.desk import Desk
from teams.errors import CommandRefused, TeamError
from teams.ledger import Ledger
from teams.rules import ROLES, DeskRules

__all__ = [
    "COMMAND_TYPES",
    "ROLES",
    "Command",
    "CommandRefused",
    "Desk",
    "DeskRules",
    "Ledger",
    "TeamError",
    "automated_commands",
    "command_from_dict",
    "command_to_dict",
    "commands",
]
