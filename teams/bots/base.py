"""The bot interface: a program that plays a team through the same commands as people.

A bot sees its own team's events and its desk's ledger, and answers with commands to run a
little later (``(delay_hours, command)``, delay > 0). Bots are deterministic: the same events
give the same commands, so a season with bots replays byte for byte from its command log.
"""

from __future__ import annotations

from market import events as ev
from market.parameters import MarketParameters
from teams import commands as c
from teams.ledger import Ledger

Reaction = tuple[float, c.Command]


class Bot:
    """Base bot: does nothing. Subclasses override ``start`` and ``react``."""

    name = "bot"
    description = ""

    def __init__(self, team: str, params: MarketParameters) -> None:
        self.team = team
        self.params = params

    def start(self, ledger: Ledger) -> list[Reaction]:
        """Commands to run when the competition starts (policies, first campaigns)."""
        return []

    def react(self, event: ev.Event, ledger: Ledger) -> list[Reaction]:
        """Commands to run in answer to ``event`` (one of the team's own, or a round event)."""
        return []

    def refused(self, command: c.Command, reason: str, ledger: Ledger) -> list[Reaction]:
        """Commands to run when one of the bot's own commands was refused (``reason`` says why)."""
        return []


class PassiveBot(Bot):
    """Never answers anything: the baseline every real strategy must beat."""

    name = "passive"
    description = "never answers"
