"""Replay: rebuild a competition from its seed, parameters, teams and command log.

The rebuilt competition runs without bots; every command is applied at its logged time, so
the event log — and its digest — come out identical. This is also how a crashed server
recovers a live competition.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from market.parameters import MarketParameters
from simulator.competition import Competition, LoggedCommand, TeamSpec
from simulator.errors import SimulatorError


def replay(
    params: MarketParameters,
    seed: int,
    teams: Sequence[TeamSpec | str],
    commands: Iterable[LoggedCommand],
    *,
    rounds: int | None = None,
    until: float | None = None,
) -> Competition:
    """A competition rebuilt from its command log, advanced to ``until`` (default: the end)."""
    competition = Competition(params, seed, teams, rounds=rounds, bots=False)
    for entry in commands:
        outcome = competition.submit(entry.command, entry.t, entry.source)
        if outcome.accepted != entry.accepted:
            raise SimulatorError(
                f"replay diverged at command {entry.seq} ({entry.command.kind} at {entry.t} h): "
                f"logged {'accepted' if entry.accepted else 'refused'}, now {outcome.reason or 'accepted'}"
            )
    if until is None:
        competition.finish()
    else:
        competition.advance_to(until)
    return competition
