"""Who did what: a team's or a member's tally of commands as the monitor and the grade sheet show it.

A tally counts the commands sent, how many were refused and when (simulated time) the last
came. Someone is *idle* when the market has run ``IDLE_HOURS`` business hours and nothing came
from them in the last ``IDLE_HOURS``: the instructor's monitor flags them, so that a member who
lets the others do the work, or a team that has stopped, shows while there is time to act.
"""

from __future__ import annotations

from typing import Any, Protocol

IDLE_HOURS = 4.0
"""Business hours without a command after which a team or a member counts as idle."""


class Counted(Protocol):
    commands: int
    refused: int
    last_t: float | None


def is_idle(last_t: float | None, now: float) -> bool:
    """Nothing for ``IDLE_HOURS`` (or never anything once the market has run that long)."""
    return now - (0.0 if last_t is None else last_t) >= IDLE_HOURS


def tally_view(tally: Counted | None, now: float) -> dict[str, Any]:
    """A tally for an answer or an export row; no tally is someone who has sent nothing."""
    if tally is None:
        return {"commands": 0, "refused": 0, "last_command_t": None, "idle": is_idle(None, now)}
    return {
        "commands": tally.commands,
        "refused": tally.refused,
        "last_command_t": tally.last_t,
        "idle": is_idle(tally.last_t, now),
    }
